#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Deploy benchmark (issue: "from a git URL to a live app in about a second").
# In one run, for the same hello-world Python repository:
#   (a) gasperd: API create -> first 200 through the proxy, RUNS times (app deleted between)
#   (b) the raw floor: git clone + docker run -d + curl until 200 (bench/deploy-floor.sh)
#   (c) the same floor on a user-defined bridge, as gasperd's per-user networks
# Prints the medians, the ratio a/b (target <= 1.2), a/c, and where the time of (a) goes,
# step by step (medians of the per-step timings gasperd records).
#   bench/deploy.sh [RUNS]     (default 7)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-${RUNS:-7}}"
BUILD="${GASPER_BUILD_DIR:-$ROOT/build}"
GASPERD="$BUILD/bin/gasperd"
[[ -x "$GASPERD" ]] || { echo "deploy bench: build first (packaging/setup.sh)" >&2; exit 1; }
command -v jq >/dev/null || { echo "deploy bench: needs jq" >&2; exit 1; }

now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

work="$(mktemp -d /tmp/gasper-bench-deploy.XXXXXX)"
api_port="$(free_port)"; proxy_port="$(free_port)"
API="http://127.0.0.1:$api_port"
pid=""
node="bench-$$"  # a node name of its own: its containers and networks are only its own
cleanup() {
    [[ -z "$pid" ]] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
    docker ps -aq --filter "label=gasper.app=bench-hello" --filter "label=gasper.node=$node" \
        | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker network ls -q --filter "label=gasper.node=$node" | xargs -r docker network rm >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

cp -a "$ROOT/tests/fixtures/python" "$work/repo"
git -C "$work/repo" init -q -b main
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost commit -q -m "hello world"

printf '[node]\nname = "%s"\n' "$node" >"$work/gasper.toml"
"$GASPERD" --config "$work/gasper.toml" --data-dir "$work/data" --api "127.0.0.1:$api_port" --proxy "127.0.0.1:$proxy_port" \
    >"$work/gasperd.log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -fs "$API/healthz" >/dev/null && break; sleep 0.05; done
curl -fs -X POST "$API/api/v1/auth/register" -H 'Content-Type: application/json' \
    -d '{"username":"bench","email":"bench@localhost","password":"benchmark-password"}' >/dev/null
TOKEN="$(curl -fs -X POST "$API/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"benchmark-password"}' | jq -r .token)"
AUTH=(-H "Authorization: Bearer $TOKEN")
BODY="{\"name\":\"bench-hello\",\"language\":\"python\",\"git\":{\"url\":\"file://$work/repo\"},\"run\":\"python3 app.py\"}"

# one warm-up deploy (image and page cache), not counted
deploy_once() {
    local start end
    start="$(now_ms)"
    curl -fs -X POST "$API/api/v1/apps" "${AUTH[@]}" -H 'Content-Type: application/json' -d "$BODY" >/dev/null
    until curl -fs -o /dev/null --max-time 1 -H 'Host: bench-hello.localhost' "http://127.0.0.1:$proxy_port/"; do
        if (($(now_ms) - start > 60000)); then echo "no 200 within 60 s" >&2; tail -20 "$work/gasperd.log" >&2; exit 1; fi
        sleep 0.01
    done
    end="$(now_ms)"
    echo $((end - start))
}
steps_of_last() {
    curl -fs "$API/api/v1/apps/bench-hello/deploys" "${AUTH[@]}" \
        | jq -r '.deploys[0] | "total \(.total_ms)", (.steps[] | "\(.name) \(.ms)")'
}
delete_app() {
    curl -fs -X DELETE "$API/api/v1/apps/bench-hello" "${AUTH[@]}" >/dev/null
}

deploy_once >/dev/null; delete_app
times=()
: >"$work/steps"
for ((run = 1; run <= RUNS; run++)); do
    ms="$(deploy_once)"
    times+=("$ms")
    sleep 0.2  # let the deploy record settle
    steps_of_last >>"$work/steps"
    printf 'gasperd run %d: %5d ms\n' "$run" "$ms"
    delete_app
done
gasper_median="$(printf '%s\n' "${times[@]}" | median)"

echo "--- raw floor (git clone + docker run -d + curl) ---"
floor_out="$("$ROOT/bench/deploy-floor.sh" "$RUNS")"
echo "$floor_out" | grep -v '^median_ms='
floor_median="$(echo "$floor_out" | sed -n 's/^median_ms=//p')"
echo "--- raw floor on a user-defined bridge (as gasperd's per-user networks; made once) ---"
floor_out="$(USER_NETWORK=1 "$ROOT/bench/deploy-floor.sh" "$RUNS")"
echo "$floor_out" | grep -v '^median_ms='
floor_user_median="$(echo "$floor_out" | sed -n 's/^median_ms=//p')"

echo "--- where gasperd's time goes (median ms per step; clone and create/start run in parallel) ---"
for step in clone create start build health total; do
    m="$(awk -v s="$step" '$1 == s { print $2 }' "$work/steps" | median)"
    printf '  %-7s %5s ms\n' "$step" "$m"
done
ratio="$(awk -v a="$gasper_median" -v b="$floor_median" 'BEGIN { printf "%.2f", a / b }')"
ratio_user="$(awk -v a="$gasper_median" -v b="$floor_user_median" 'BEGIN { printf "%.2f", a / b }')"
echo "--- result over $RUNS runs ---"
echo "gasperd create -> first 200: median $gasper_median ms"
echo "raw floor:                    median $floor_median ms"
echo "raw floor, user network:      median $floor_user_median ms"
echo "ratio a/b: $ratio (target <= 1.2; original Gasper reports 1500 ms)"
echo "ratio against the floor on a user network: $ratio_user"
