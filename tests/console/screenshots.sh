#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Takes the console's screenshots (docs/screenshots/console-*.png): a throwaway gasperd on
# free loopback ports with its own data dir and node name, a few real apps on the real
# Docker engine, then the real window under Xvfb per page and language, captured with
# ImageMagick's `import`. Cleans up its apps and gasperd on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${GASPER_BUILD_DIR:-$root/build}
out=${1:-$root/docs/screenshots}
work=$(mktemp -d /tmp/gasper-shots.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api_port=$(free_port); proxy_port=$(free_port); ssh_port=$(free_port)
api=http://127.0.0.1:$api_port
node=shots-$$
mkdir -p "$out" "$work/config/Gasper/gasper-console"
cat > "$work/gasper.toml" <<TOML
[apps]
metrics_interval_s = 2
[node]
name = "$node"
TOML
"$build/bin/gasperd" --config "$work/gasper.toml" --data-dir "$work/data" \
  --api 127.0.0.1:$api_port --proxy 127.0.0.1:$proxy_port --ssh 127.0.0.1:$ssh_port > "$work/gasperd.log" 2>&1 &
gasperd=$!
token=""
cleanup() {
  if [ -n "$token" ]; then
    for app in hello-python shop-node broken-build landing-page; do
      curl -s -X DELETE -H "Authorization: Bearer $token" "$api/api/v1/apps/$app" > /dev/null || true
    done
  fi
  kill "$gasperd" 2> /dev/null || true
  wait "$gasperd" 2> /dev/null || true
  # The users' networks of this gasperd (they outlive it by design).
  docker network ls -q --filter "label=gasper.node=$node" | xargs -r docker network rm > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "$api/healthz" > /dev/null && break; sleep 0.2; done

call() { curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
curl -sS -X POST "$api/api/v1/auth/register" -d '{"username":"admin","email":"admin@example.com","password":"correct horse battery"}' > /dev/null
token=$(curl -sS -X POST "$api/api/v1/auth/login" -d '{"username":"admin","password":"correct horse battery"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

repo() {  # repo <fixture>: a git repository of tests/fixtures/<fixture>
  local dir=$work/repos/$1
  mkdir -p "$dir" && cp -r "$root/tests/fixtures/$1/." "$dir"
  git -C "$dir" init -q -b main && git -C "$dir" add -A
  git -C "$dir" -c user.name=Gasper -c user.email=gasper@localhost -c commit.gpgsign=false commit -qm init
  echo "file://$dir"
}
create() {  # create <name> <fixture> <language> <run> [build]
  local build=${5:-}
  local body
  body=$(python3 -c 'import json,sys; n,u,l,r,b=sys.argv[1:]; print(json.dumps({"name":n,"language":l,"git":{"url":u},"run":r,"build":[b] if b else [],"env":{"MESSAGE":"hello from Gasper"}}))' \
    "$1" "$(repo "$2")" "$3" "$4" "$build")
  call -X POST "$api/api/v1/apps" -d "$body" > /dev/null
}
create hello-python python python 'python3 app.py'
create shop-node node node 'node server.js'
create broken-build failing-build python 'python3 app.py' 'python3 build.py'
create landing-page static static 'busybox httpd -f -p $PORT -h /app'
for _ in $(seq 120); do
  states=$(call "$api/api/v1/apps" | python3 -c 'import json,sys; print(" ".join(a["state"] for a in json.load(sys.stdin)["apps"]))')
  case "$states" in *queued*|*cloning*|*building*|*starting*) sleep 1 ;; *) break ;; esac
done
echo "apps: $states"
# Traffic, so logs and network charts have something to show.
for _ in $(seq 40); do
  curl -s -o /dev/null -H 'Host: hello-python.localhost' "http://127.0.0.1:$proxy_port/" || true
  curl -s -o /dev/null -H 'Host: shop-node.localhost' "http://127.0.0.1:$proxy_port/" || true
  sleep 0.25
done

# Push to deploy: a ping and a push to another branch, signed the GitHub way, so the
# deliveries list has rows.
secret=$(call "$api/api/v1/apps/hello-python/hooks" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
deliver() {  # deliver <event> <body>
  local sig
  sig=$(printf '%s' "$2" | openssl dgst -sha256 -hmac "$secret" | sed 's/.*= //')
  curl -s -o /dev/null -X POST "$api/api/v1/hooks/hello-python" -H "X-GitHub-Event: $1" \
    -H "X-Hub-Signature-256: sha256=$sig" -H 'Content-Type: application/json' --data-binary "$2"
}
deliver ping '{"zen":"Keep it logically awesome."}'
deliver push '{"ref":"refs/heads/feature","after":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3","repository":{"default_branch":"main"}}'
curl -s -o /dev/null -X POST "$api/api/v1/hooks/hello-python" -H 'X-GitHub-Event: push' --data-binary '{}'

printf '{"%s": "%s"}\n' "$api" "$token" > "$work/config/Gasper/gasper-console/tokens.json"
chmod 600 "$work/config/Gasper/gasper-console/tokens.json"

shot() {  # shot <file> <lang> <page> [seconds]
  local file=$1 lang=$2 page=$3 wait=${4:-5}
  XDG_CONFIG_HOME=$work/config xvfb-run -a -s '-screen 0 1280x800x24' bash -c "
    '$build/bin/gasper-console' --no-keychain --master '$api' --lang $lang --page '$page' --theme '${THEME:-light}' &
    app=\$!
    sleep $wait
    import -window root -crop 1180x760+0+0 +repage '$out/$file'
    kill \$app" > "$work/shot.log" 2>&1 || { cat "$work/shot.log"; exit 1; }
  echo "wrote $out/$file"
}
# The first start builds the font caches (CJK fonts are big): not worth a picture.
shot warm-up.png en apps 10 && rm -f "$out/warm-up.png"
for lang in en ja; do
  shot console-apps-$lang.png $lang apps
  shot console-app-$lang.png $lang app:broken-build:deploy
  shot console-create-$lang.png $lang create-demo
  shot console-metrics-$lang.png $lang app:hello-python:metrics 9
  shot console-logs-$lang.png $lang app:hello-python:logs 6
  shot console-nodes-$lang.png $lang nodes
  shot console-hooks-$lang.png $lang app:hello-python:hooks
done
THEME=dark shot console-apps-dark.png en apps
