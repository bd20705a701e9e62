#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Metrics benchmark (issue 9): what the sampler costs gasperd. In one run, with APPS idle
# apps (the static fixture: busybox httpd) running under one gasperd:
#   (off) gasperd restarted with [apps] metrics_interval_s = 0 (no sampler): its CPU % of one
#         core over MEASURE_S seconds and its RSS at the end
#   (on)  gasperd restarted with metrics_interval_s = INTERVAL (default 5): the same, while it
#         holds one stats stream per container, writes a tick to the store every interval and
#         serves /metrics
# Each phase starts a fresh gasperd on the same data dir (it re-adopts the containers) and
# waits WARMUP_S before measuring, so both are measured the same way.
# Target: on - off < 2 % of one core and < 20 MB RSS.
#   bench/metrics.sh            APPS=50 MEASURE_S=60 WARMUP_S=20 INTERVAL=5 in the environment
# Last line, for scripts: cpu_off=… cpu_on=… rss_off_mb=… rss_on_mb=…
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APPS="${APPS:-50}"
MEASURE_S="${MEASURE_S:-60}"
WARMUP_S="${WARMUP_S:-20}"
INTERVAL="${INTERVAL:-5}"
BUILD="${GASPER_BUILD_DIR:-$ROOT/build}"
GASPERD="$BUILD/bin/gasperd"
[[ -x "$GASPERD" ]] || { echo "metrics bench: build first (packaging/setup.sh)" >&2; exit 1; }
command -v jq >/dev/null || { echo "metrics bench: needs jq" >&2; exit 1; }
docker image inspect gasper/static >/dev/null 2>&1 || { echo "metrics bench: needs gasper/static" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work="$(mktemp -d /tmp/gasper-bench-metrics.XXXXXX)"
api_port="$(free_port)"; proxy_port="$(free_port)"; ssh_port="$(free_port)"
API="http://127.0.0.1:$api_port"
node="bench-metrics-$$"  # a node name of its own: its containers and networks are only its own
pid=""
stop_gasperd() {
    [[ -z "$pid" ]] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
    pid=""
}
cleanup() {
    stop_gasperd
    docker ps -aq --filter "label=gasper.node=$node" | xargs -r docker rm -f >/dev/null 2>&1 || true
    docker network ls -q --filter "label=gasper.node=$node" | xargs -r docker network rm >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

start_gasperd() {  # $1: metrics_interval_s
    printf '[node]\nname = "%s"\n[apps]\nmetrics_interval_s = %s\nmax_per_user = 1000\n' "$node" "$1" >"$work/gasper.toml"
    "$GASPERD" --config "$work/gasper.toml" --data-dir "$work/data" --api "127.0.0.1:$api_port" \
        --proxy "127.0.0.1:$proxy_port" --ssh "127.0.0.1:$ssh_port" >>"$work/gasperd.log" 2>&1 &
    pid=$!
    for _ in $(seq 400); do curl -fs "$API/healthz" >/dev/null && return 0; sleep 0.05; done
    echo "gasperd did not start" >&2; tail -20 "$work/gasperd.log" >&2; exit 1
}
running_apps() {
    curl -fs "$API/api/v1/apps" "${AUTH[@]}" | jq '[.apps[] | select(.state == "running")] | length'
}
wait_running() {
    for _ in $(seq 600); do
        [[ "$(running_apps)" -ge "$APPS" ]] && return 0
        sleep 0.5
    done
    echo "only $(running_apps) of $APPS apps running" >&2; exit 1
}
# gasperd's CPU seconds (user + system) and RSS in kB, from /proc.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
measure() {  # prints "cpu_percent rss_mb"
    sleep "$WARMUP_S"
    local hz t0 t1 c0 c1
    hz="$(getconf CLK_TCK)"
    c0="$(cpu_ticks)"; t0="$(date +%s%N)"
    sleep "$MEASURE_S"
    c1="$(cpu_ticks)"; t1="$(date +%s%N)"
    awk -v c="$((c1 - c0))" -v hz="$hz" -v ns="$((t1 - t0))" -v rss="$(rss_kb)" \
        'BEGIN { printf "%.2f %.1f\n", (c / hz) / (ns / 1e9) * 100, rss / 1024 }'
}

cp -a "$ROOT/tests/fixtures/static" "$work/repo"
git -C "$work/repo" init -q -b main
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost commit -q -m "static site"

start_gasperd "$INTERVAL"
curl -fs -X POST "$API/api/v1/auth/register" -H 'Content-Type: application/json' \
    -d '{"username":"bench","email":"bench@localhost","password":"benchmark-password"}' >/dev/null
TOKEN="$(curl -fs -X POST "$API/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"benchmark-password"}' | jq -r .token)"
AUTH=(-H "Authorization: Bearer $TOKEN")
echo "deploying $APPS idle static apps …"
for ((i = 1; i <= APPS; i++)); do
    curl -fs -X POST "$API/api/v1/apps" "${AUTH[@]}" -H 'Content-Type: application/json' \
        -d "{\"name\":\"bm-$i\",\"language\":\"static\",\"git\":{\"url\":\"file://$work/repo\"},\"run\":\"busybox httpd -f -p \$PORT -h /app\",\"resources\":{\"memory_mb\":32,\"cpus\":0.1}}" >/dev/null
done
wait_running
stop_gasperd

echo "sampler off (metrics_interval_s = 0): warm-up ${WARMUP_S}s, measuring ${MEASURE_S}s …"
start_gasperd 0
wait_running
read -r cpu_off rss_off < <(measure)
stop_gasperd

echo "sampler on (metrics_interval_s = $INTERVAL): warm-up ${WARMUP_S}s, measuring ${MEASURE_S}s …"
start_gasperd "$INTERVAL"
wait_running
read -r cpu_on rss_on < <(measure)
sampled="$(curl -fs "$API/metrics" | grep -c '^gasper_app_up{' || true)"
stored="$(curl -fs "$API/api/v1/apps/bm-1/metrics?since=2m" "${AUTH[@]}" | jq '[.series.cpu_percent[] | select(. != null)] | length')"

for ((i = 1; i <= APPS; i++)); do curl -fs -X DELETE "$API/api/v1/apps/bm-$i" "${AUTH[@]}" >/dev/null || true; done

printf '%-24s %10s %10s\n' "" "CPU % core" "RSS MB"
printf '%-24s %10s %10s\n' "sampler off" "$cpu_off" "$rss_off"
printf '%-24s %10s %10s\n' "sampler on (${INTERVAL}s)" "$cpu_on" "$rss_on"
awk -v a="$cpu_on" -v b="$cpu_off" -v c="$rss_on" -v d="$rss_off" \
    'BEGIN { printf "%-24s %10.2f %10.1f   (target < 2 %% and < 20 MB)\n", "extra", a - b, c - d }'
echo "apps sampled on /metrics: $sampled of $APPS; stored points of bm-1 over 2 min: $stored"
echo "cpu_off=$cpu_off cpu_on=$cpu_on rss_off_mb=$rss_off rss_on_mb=$rss_on"
