#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/ssh.sh — Gasper's SSH service against OpenSSH's sshd (ForceCommand docker exec into
# the same container; bench/ssh/sshd_config.in), both with curve25519-sha256:
#   open-to-exit: median of `ssh app@host true` over 20 runs (target: Gasper <= 1.0x sshd)
#   throughput:   MB/s of `ssh app@host 'head -c 200000000 /dev/zero' | wc -c` (target >= 0.8x)
# Needs a build (build/bin/gasperd), dockerd, the image gasper/static, sshd, ssh, curl, git.
# Everything it makes is its own (ports, data dir, names) and removed at the end.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${GASPER_BIN:-$ROOT/build/bin}
RUNS=${RUNS:-20}
BYTES=${BYTES:-200000000}
TMP=$(mktemp -d /tmp/gasper-bench-ssh.XXXXXX)
NODE=bench-ssh-$$
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
API=$(port); PROXY=$(port); SSHP=$(port); SSHD=$(port)
GASPERD_PID=; SSHD_PID=
cleanup() {
    [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
    if [ -n "$GASPERD_PID" ]; then
        curl -s -X DELETE -H "Authorization: Bearer ${TOKEN:-}" "http://127.0.0.1:$API/api/v1/apps/benchssh" >/dev/null || true
        kill "$GASPERD_PID" 2>/dev/null || true
        wait "$GASPERD_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

printf '[node]\nname = "%s"\n' "$NODE" > "$TMP/gasper.toml"
"$BIN/gasperd" --config "$TMP/gasper.toml" --data-dir "$TMP/data" --api 127.0.0.1:$API --proxy 127.0.0.1:$PROXY \
    --ssh 127.0.0.1:$SSHP > "$TMP/gasperd.log" 2>&1 &
GASPERD_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$API/healthz" >/dev/null && break; sleep 0.1; done
api() { curl -sf -H "Authorization: Bearer ${TOKEN:-}" -H 'Content-Type: application/json' "$@"; }
api -X POST "http://127.0.0.1:$API/api/v1/auth/register" -d '{"username":"bench","email":"b@x.test","password":"bench-password"}' >/dev/null
TOKEN=$(api -X POST "http://127.0.0.1:$API/api/v1/auth/login" -d '{"username":"bench","password":"bench-password"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
mkdir -p "$TMP/repo" && cp -r "$ROOT/tests/fixtures/static/." "$TMP/repo/"
git -C "$TMP/repo" init -q && git -C "$TMP/repo" add -A && git -C "$TMP/repo" -c user.name=b -c user.email=b@x commit -qm bench
api -X POST "http://127.0.0.1:$API/api/v1/apps" -d "{\"name\":\"benchssh\",\"language\":\"static\",\"git\":{\"url\":\"file://$TMP/repo\"},\"run\":\"busybox httpd -f -p \$PORT -h /app\"}" >/dev/null
for _ in $(seq 600); do
    state=$(api "http://127.0.0.1:$API/api/v1/apps/benchssh" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    [ "$state" = running ] && break; [ "$state" = failed ] && { echo "deploy failed"; exit 1; }; sleep 0.1
done
ssh-keygen -q -t ed25519 -N '' -f "$TMP/id" && cp "$TMP/id.pub" "$TMP/authorized_keys"
api -X POST "http://127.0.0.1:$API/api/v1/users/me/keys" -d "{\"public_key\":\"$(cat "$TMP/id.pub")\"}" >/dev/null
CONTAINER=$(docker ps -q --filter label=gasper.app=benchssh --filter label=gasper.node=$NODE | head -1)

ssh-keygen -q -t ed25519 -N '' -f "$TMP/sshd_host_ed25519_key"
sed -e "s|@PORT@|$SSHD|; s|@DIR@|$TMP|g; s|@CONTAINER@|$CONTAINER|" "$ROOT/bench/ssh/sshd_config.in" > "$TMP/sshd_config"
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f "$TMP/sshd_config" 2> "$TMP/sshd.log" &
SSHD_PID=$!
sleep 0.5

SSH="ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
     -o IdentitiesOnly=yes -o IdentityAgent=none -o KexAlgorithms=curve25519-sha256 -i $TMP/id"
gasper() { $SSH -p "$SSHP" benchssh@127.0.0.1 "$@"; }
sshd() { $SSH -p "$SSHD" "$(id -un)"@127.0.0.1 "$@"; }
gasper true && sshd true || { echo "a login failed"; tail "$TMP/gasperd.log" "$TMP/sshd.log"; exit 1; }

median_ms() {  # $1: gasper|sshd
    for _ in $(seq "$RUNS"); do
        s=$(date +%s%N); "$1" true; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
    done | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}
mbps() {
    s=$(date +%s%N); n=$("$1" "head -c $BYTES /dev/zero" | wc -c); e=$(date +%s%N)
    [ "$n" -eq "$BYTES" ] || { echo "short read: $n" >&2; exit 1; }
    awk -v b="$n" -v ns=$((e - s)) 'BEGIN {printf "%.1f", b / 1e6 / (ns / 1e9)}'
}
G_MS=$(median_ms gasper); S_MS=$(median_ms sshd)
G_MB=$(mbps gasper); S_MB=$(mbps sshd)
echo "open-to-exit (median of $RUNS, ssh … true): gasper ${G_MS} ms, sshd+docker exec ${S_MS} ms," \
     "ratio $(awk -v a="$G_MS" -v b="$S_MS" 'BEGIN {printf "%.2f", a / b}')x (target <= 1.0x)"
echo "throughput ($BYTES bytes of /dev/zero): gasper ${G_MB} MB/s, sshd+docker exec ${S_MB} MB/s," \
     "ratio $(awk -v a="$G_MB" -v b="$S_MB" 'BEGIN {printf "%.2f", a / b}')x (target >= 0.8x)"
