#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The raw floor of the deploy benchmark: what a deploy costs with nothing but the git
# and docker CLIs, to compare gasperd's deploy time against (measured in the same run).
# Each run: `git clone` a hello-world python repository (tests/fixtures/python made into
# a git repo) into a fresh folder, `docker run -d` gasper/python with it bind-mounted at
# /app, port 8080 published on 127.0.0.1 (ephemeral), memory and CPU limits, then curl
# until the app answers 200. Prints each run's milliseconds and the median.
#   bench/deploy-floor.sh [RUNS]        (default 5; or RUNS=… in the environment)
#   USER_NETWORK=1 bench/deploy-floor.sh   the same on a user-defined bridge, made once before
#                                          the runs (as gasperd makes a user's network once):
#                                          what tenant isolation costs the raw CLI too
# Last line, for scripts:  median_ms=<N>
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-${RUNS:-5}}"
IMAGE="${IMAGE:-gasper/python}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }
if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
    echo "deploy-floor: needs a running Docker engine and $IMAGE (packaging/setup.sh)" >&2
    exit 1
fi

now_ms() { date +%s%3N; }
work="$(mktemp -d /tmp/gasper-deploy-floor.XXXXXX)"
containers=()
network=""
cleanup() {
    [[ ${#containers[@]} -eq 0 ]] || docker rm -f "${containers[@]}" >/dev/null 2>&1 || true
    [[ -z "$network" ]] || docker network rm "$network" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
net_args=()
if [[ "${USER_NETWORK:-0}" == 1 ]]; then
    network="gasper-bench-floor-$$"
    docker network create --label gasper.bench=deploy-floor "$network" >/dev/null
    net_args=(--network "$network")
fi

# The repository to deploy: the python fixture as a one-commit git repo, cloned over the
# file:// transport (a real fetch, not the hardlink shortcut of a plain local path).
cp -a "$ROOT/tests/fixtures/python" "$work/repo"
git -C "$work/repo" init -q -b main
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost commit -q -m "hello world"
url="file://$work/repo"

times=()
for ((run = 1; run <= RUNS; run++)); do
    src="$work/src-$run"
    start="$(now_ms)"
    git clone -q "$url" "$src"
    cloned="$(now_ms)"
    id="$(docker run -d "${net_args[@]}" -p 127.0.0.1::8080 -v "$src:/app" -w /app -e PORT=8080 \
        --memory 512m --cpus 1 --label gasper.bench=deploy-floor "$IMAGE" python3 app.py)"
    containers+=("$id")
    addr="$(docker port "$id" 8080/tcp | head -n 1)"
    deadline=$((start + 60000))
    until curl -fs -o /dev/null --max-time 1 "http://$addr/"; do
        if (($(now_ms) > deadline)); then
            echo "run $run: no answer from $addr within 60 s; container log:" >&2
            docker logs "$id" >&2 || true
            exit 1
        fi
        sleep 0.01
    done
    end="$(now_ms)"
    times+=($((end - start)))
    printf 'run %d: %5d ms  (clone %d ms, container to first 200: %d ms)\n' \
        "$run" $((end - start)) $((cloned - start)) $((end - cloned))
    docker rm -f "$id" >/dev/null
    containers=()
done

median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')"
echo "deploy floor over $RUNS runs: median $median ms"
echo "median_ms=$median"
