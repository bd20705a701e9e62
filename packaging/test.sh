#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets the machine up (packaging/setup.sh), then runs the whole test suite with ctest.
# Extra arguments go to ctest, e.g. `sudo packaging/test.sh -L unit` or `-R proxy`.
#
# The sanitizer pass follows: every suite but the console's (and the PostgreSQL rerun of the
# deploy suite) again, built with ASan + UBSan into build-asan (ccache keeps it cheap after a
# machine's first run). A run without ctest arguments (the README's command, CI's) does both
# passes; GASPER_SANITIZE_PASS=0 skips the second, =1 adds it to a run with arguments.
# The exit status is that of the first failing ctest (0 when both passed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${GASPER_BUILD_DIR:-build}"
ASAN_DIR="${GASPER_ASAN_BUILD_DIR:-build-asan}"
# docs/architecture.md, "Sanitizers".
sanitize="${GASPER_SANITIZE_PASS:-}"
if [[ -z "$sanitize" ]]; then
    [[ $# -eq 0 ]] && sanitize=1 || sanitize=0
fi

now() { date +%s; }
t0="$(now)"
bash packaging/setup.sh

ctest_args=(--output-on-failure --no-tests=error -j2 --timeout 900)
status=0
ctest --test-dir "$BUILD_DIR" "${ctest_args[@]}" "$@" || status=$?
echo "[test] main suite: exit $status after $(($(now) - t0)) s"

if [[ "$sanitize" == 1 ]]; then
    t1="$(now)"
    export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
    # The console (QML) is left out of this pass: Qt Quick's and fontconfig's exit-time
    # allocations are not ours, and the console links no backend library but core.
    # -O1 -g1 (line tables: reports name file and line) and unity batches of the libraries
    # halve a cold build; ASan's own advice is -O1 for a usable speed.
    args=(-S "$ROOT" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGASPER_SANITIZE=ON
          "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16
          -DGASPER_BUILD_BENCH=OFF -DGASPER_BUILD_CONSOLE=OFF -UGASPER_COMPONENTS)
    [[ -z "${CI:-}" ]] || args+=(-DGASPER_WARNINGS_AS_ERRORS=ON)
    cmake "${args[@]}" >/dev/null
    cmake --build "$ASAN_DIR" --parallel "${GASPER_JOBS:-$(nproc)}"
    echo "[test] sanitizer build took $(($(now) - t1)) s"
    # halt_on_error: the first report fails the test that caused it.
    export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    export LSAN_OPTIONS="suppressions=$ROOT/packaging/lsan.supp:print_suppressions=0"
    asan_status=0
    # Left out: the console's suites (above) and the PostgreSQL run of the end-to-end deploy
    # suite, the same code on another store (the store's own suites run on both engines here).
    ctest --test-dir "$ASAN_DIR" "${ctest_args[@]}" -LE console -E '^integration_deploy_postgres$' || asan_status=$?
    echo "[test] sanitizer pass (ASan + UBSan): exit $asan_status after $(($(now) - t1)) s"
    [[ $status -ne 0 ]] || status=$asan_status
fi
echo "[test] total $(($(now) - t0)) s"
exit "$status"
