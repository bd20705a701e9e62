#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets the machine up (packaging/setup.sh), then runs gasperd in the foreground with
# packaging/gasper.toml. Extra arguments go to gasperd, e.g.
#   sudo packaging/run.sh --data-dir /tmp/gasper --api 127.0.0.1:3001
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${GASPER_BUILD_DIR:-build}"

bash packaging/setup.sh

config="$ROOT/packaging/gasper.toml"
api="" proxy="" own_config=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do  # flags override the file: show what will be used
    case "${args[i]}" in
        --config) config="${args[i + 1]:-}" own_config=1 ;;
        --config=*) config="${args[i]#--config=}" own_config=1 ;;
        --api) api="${args[i + 1]:-}" ;;
        --api=*) api="${args[i]#--api=}" ;;
        --proxy) proxy="${args[i + 1]:-}" ;;
        --proxy=*) proxy="${args[i]#--proxy=}" ;;
    esac
done
toml_get() { # section key: the quoted value of key in [section] of $config
    awk -v want="[$1]" -v key="$2" '
        /^[[:space:]]*\[/ { section = $1 }
        section == want && $1 == key { if (match($0, /"[^"]*"/)) { print substr($0, RSTART + 1, RLENGTH - 2); exit } }
    ' "$config"
}
api="${api:-$(toml_get api listen)}"
api="${api:-127.0.0.1:3000}"
proxy="${proxy:-$(toml_get proxy listen)}"
proxy="${proxy:-127.0.0.1:8080}"
domain="$(toml_get proxy domain)"
domain="${domain:-localhost}"
proxy_port="${proxy##*:}"

gasperd="$BUILD_DIR/bin/gasperd"
if [[ ! -x "$gasperd" ]]; then
    echo "run.sh: $gasperd was not built (is the gasperd component enabled?)" >&2
    exit 1
fi

cat <<INFO

  Gasper API        http://$api/api/v1   (health: http://$api/healthz)
  Proxy             http://$proxy        app "x" answers at http://x.$domain:$proxy_port
  Config            ${config#"$ROOT"/}

  Register (the first user becomes admin) and log in with curl:
    curl -sS -X POST http://$api/api/v1/auth/register -H 'Content-Type: application/json' -d '{"username":"admin","email":"admin@example.com","password":"change-me-now"}'
    curl -sS -X POST http://$api/api/v1/auth/login -H 'Content-Type: application/json' -d '{"username":"admin","password":"change-me-now"}'
  or with gasperctl:
    $BUILD_DIR/bin/gasperctl --api http://$api login admin

INFO

[[ -z "$own_config" ]] || exec "$gasperd" "$@"
exec "$gasperd" --config "$config" "$@"
