#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Brings a Debian 12 machine (root, no systemd needed) to the point where Gasper builds,
# runs and tests: Debian packages (packaging/debian-packages.txt), a Docker engine,
# the runtime images gasper/<language>, and the build in build/ (binaries in build/bin).
# Idempotent: every phase checks first and does nothing when its work is done, so a
# second run takes seconds. Works from any directory.
#
# Environment:
#   CI=1                 configure with -DGASPER_WARNINGS_AS_ERRORS=ON
#   GASPER_BUILD_DIR     build directory (default: build, under the repository root)
#   GASPER_COMPONENTS    build only these components, e.g. "core;http" (default: all)
#   GASPER_JOBS          parallel compile jobs (default: number of cores)
#   GASPER_SKIP_BUILD=1  stop after the images (packages, engine and images only)
#   GASPER_TESTS_IN_ALL=OFF  build the product, not the test executables (test.sh builds those it runs)
#   GASPER_UNITY_BUILD=ON    unity batches of 16 files for the libraries: a cold build in less than half
#                        the time, a slower edit-compile loop (test.sh's full run uses it; ccache keeps both)
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ $EUID -ne 0 ]]; then
    echo "packaging/setup.sh must run as root: it installs Debian packages, starts dockerd" >&2
    echo "and builds the runtime images. Run: sudo $0" >&2
    exit 1
fi

BUILD_DIR="${GASPER_BUILD_DIR:-build}"
PACKAGE_LIST="$ROOT/packaging/debian-packages.txt"
DOCKERD_LOG=/var/log/gasper-dockerd.log

log() { printf '[setup] %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

PHASE=start
TIMINGS=()
trap 'log "FAILED in phase \"$PHASE\""' ERR

timed() { # name command...: run a phase, remember how long it took
    local start
    PHASE="$1"
    shift
    start="$(now_ms)"
    "$@"
    TIMINGS+=("$(printf '%-9s %7d ms' "$PHASE" $(($(now_ms) - start)))")
    log "$PHASE done in $(($(now_ms) - start)) ms"
}

# Two setups at once (run.sh next to test.sh) would race on apt, dockerd and the build.
mkdir -p /run/lock
exec 9>/run/lock/gasper-setup.lock
if ! flock -n 9; then
    log "another packaging/setup.sh is running; waiting for it"
    flock 9
fi

packages() {
    local wanted installed missing=()
    mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$PACKAGE_LIST" | grep -v '^$')
    installed="$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${wanted[@]}" 2>/dev/null \
        | awk '$1 == "ii" { print $2 }' || true)"
    local p
    for p in "${wanted[@]}"; do
        grep -qxF -- "$p" <<<"$installed" || missing+=("$p")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        log "all ${#wanted[@]} Debian packages installed"
        return
    fi
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

docker_engine() {
    if docker_answers; then
        log "Docker engine answers"
        return
    fi
    if [[ -n "${DOCKER_HOST:-}" ]]; then
        log "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine (setup.sh only starts a local dockerd)"
        return 1
    fi
    if pgrep -x dockerd >/dev/null; then
        log "dockerd runs but does not answer yet; waiting for it"
    else
        log "starting dockerd (log: $DOCKERD_LOG)"
        # Own session: a Ctrl-C meant for gasperd (run.sh) must not stop the engine.
        # fd 9 closed: the engine must not hold the setup lock.
        # Every Gasper user gets a bridge of their own: Docker's default pools hold only ~30
        # networks, so a machine running the suites (or many users) gets 4096 /24s instead.
        setsid nohup dockerd --default-address-pool base=10.96.0.0/12,size=24 >"$DOCKERD_LOG" 2>&1 9>&- </dev/null &
    fi
    local i
    for i in $(seq 1 30); do
        if docker_answers; then
            log "Docker engine answers after ${i} s"
            return
        fi
        sleep 1
    done
    log "the Docker engine did not answer within 30 s; last lines of $DOCKERD_LOG:"
    tail -n 20 "$DOCKERD_LOG" >&2 || true
    return 1
}

images() { bash "$ROOT/packaging/images/build-images.sh"; }

# The dashboard's npm packages (resources/web/package-lock.json) into resources/web/node_modules.
# `npm ci` runs once per lockfile: its result is kept under /var/cache/gasper/npm/<lockfile
# hash> and copied into place, so a fresh clone (as in CI) with an unchanged lockfile takes
# about a second. Node.js 20 and npm come from the machine (not Debian's npm package).
NPM_CACHE=/var/cache/gasper/npm
web_packages() {
    local web="$ROOT/resources/web"
    [[ -f "$web/package-lock.json" ]] || return 0
    if ! command -v npm >/dev/null; then
        log "npm is missing: the dashboard (resources/web) needs Node.js 20 and npm"
        return 1
    fi
    local hash stamp
    hash="$(sha256sum "$web/package-lock.json" | cut -c1-16)"
    stamp="$web/node_modules/.gasper-lock-hash"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
        log "npm packages up to date ($hash)"
        return
    fi
    local cached="$NPM_CACHE/$hash/node_modules"
    if [[ ! -f "$cached/.gasper-lock-hash" ]]; then
        log "npm ci (lockfile $hash)"
        mkdir -p "$NPM_CACHE"
        local tmp
        tmp="$(mktemp -d "$NPM_CACHE/.build-XXXXXX")"
        cp "$web/package.json" "$web/package-lock.json" "$tmp/"
        (cd "$tmp" && npm ci --no-audit --no-fund --prefer-offline --cache "$NPM_CACHE/_cacache" >&2)
        echo "$hash" >"$tmp/node_modules/.gasper-lock-hash"
        rm -rf "$NPM_CACHE/$hash"
        mkdir -p "$NPM_CACHE/$hash"
        mv "$tmp/node_modules" "$cached"
        rm -rf "$tmp"
    fi
    rm -rf "$web/node_modules"
    cp -a "$cached" "$web/node_modules"
    log "npm packages copied from $cached"
}

configure() {
    local args=(-S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
                "-DGASPER_TESTS_IN_ALL=${GASPER_TESTS_IN_ALL:-ON}"
                "-DCMAKE_UNITY_BUILD=${GASPER_UNITY_BUILD:-OFF}" -DCMAKE_UNITY_BUILD_BATCH_SIZE=16)
    [[ -z "${CI:-}" ]] || args+=(-DGASPER_WARNINGS_AS_ERRORS=ON)
    # Unset: the project's default (every component), whatever an earlier run cached.
    if [[ -n "${GASPER_COMPONENTS:-}" ]]; then
        args+=("-DGASPER_COMPONENTS=$GASPER_COMPONENTS")
    else
        args+=(-UGASPER_COMPONENTS)
    fi
    # Always configured (about a second with a warm cache): new tests/<component>/
    # folders are picked up by if(EXISTS) checks that the build alone would not notice.
    cmake "${args[@]}"
}

# ccache survives between CI runs on one machine; a clone in another folder should
# still hit it, so paths are made relative to the repository and the folder not hashed.
export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
build() { cmake --build "$BUILD_DIR" --parallel "${GASPER_JOBS:-$(nproc)}"; }

total_start="$(now_ms)"
timed packages packages
timed docker docker_engine
timed images images
timed web web_packages
if [[ -z "${GASPER_SKIP_BUILD:-}" ]]; then
    timed configure configure
    timed build build
fi
PHASE=summary
log "timings:"
for t in "${TIMINGS[@]}"; do log "  $t"; done
log "  total     $(printf '%7d' $(($(now_ms) - total_start))) ms"
