#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets the machine up (packaging/setup.sh), then runs the test suite with ctest.
#
# Without arguments (the README's command, CI's) every test runs once, in the build that
# suits it (docs/architecture.md, "Sanitizers"):
#   - the suites labelled `release` (the console's, the dashboard in Chromium, the deploy
#     suite on PostgreSQL) against the release build in build/, as users run it;
#   - all the others built with ASan + UBSan in build-asan, which fails a test on the first
#     report (ccache keeps both builds cheap after a machine's first run).
# build/ then holds the product and those suites' tests only; `run.sh` or `setup.sh` builds
# the rest. GASPER_SANITIZE_PASS=0 runs the whole suite in build/ instead.
#
# With arguments they go to ctest over build/ (`test.sh -L unit`, `-R proxy`);
# GASPER_SANITIZE_PASS=1 runs the same selection in build-asan afterwards.
# The exit status is that of the first failing ctest (0 when all passed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${GASPER_BUILD_DIR:-build}"
ASAN_DIR="${GASPER_ASAN_BUILD_DIR:-build-asan}"
JOBS="${GASPER_JOBS:-$(nproc)}"
if [[ $# -eq 0 ]]; then
    split="${GASPER_SANITIZE_PASS:-1}"
    sanitize="$split"
else
    split=0
    sanitize="${GASPER_SANITIZE_PASS:-0}"
fi

now() { date +%s; }
t0="$(now)"
ctest_args=(--output-on-failure --no-tests=error -j2 --timeout 900)
status=0

if [[ "$split" == 1 ]]; then
    # Tests out of build/'s default target: only those of the release suites are built there.
    # Unity batches: the product's cold build takes 2.9 min instead of 6.8 on two cores.
    GASPER_TESTS_IN_ALL=OFF GASPER_UNITY_BUILD=ON bash packaging/setup.sh
    cmake --build "$BUILD_DIR" --parallel "$JOBS" --target release_tests
    ctest --test-dir "$BUILD_DIR" "${ctest_args[@]}" -L release || status=$?
    echo "[test] release suites (build/): exit $status after $(($(now) - t0)) s"
else
    bash packaging/setup.sh
    ctest --test-dir "$BUILD_DIR" "${ctest_args[@]}" "$@" || status=$?
    echo "[test] main suite: exit $status after $(($(now) - t0)) s"
fi

if [[ "$sanitize" == 1 ]]; then
    t1="$(now)"
    export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1
    # The console (QML) stays out of this build: Qt Quick's and fontconfig's exit-time
    # allocations are not ours, and the console links no backend library but core.
    # -O1 -g1 (line tables: reports name file and line) and unity batches of the libraries
    # make a cold build cheaper; ASan's own advice is -O1 for a usable speed.
    args=(-S "$ROOT" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGASPER_SANITIZE=ON
          "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16
          -DGASPER_BUILD_BENCH=OFF -DGASPER_BUILD_CONSOLE=OFF -DGASPER_TESTS_IN_ALL=ON -UGASPER_COMPONENTS)
    [[ -z "${CI:-}" ]] || args+=(-DGASPER_WARNINGS_AS_ERRORS=ON)
    cmake "${args[@]}" >/dev/null
    cmake --build "$ASAN_DIR" --parallel "$JOBS"
    echo "[test] sanitizer build took $(($(now) - t1)) s"
    # halt_on_error: the first report fails the test that caused it.
    export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
    if [[ "$split" == 1 ]]; then
        selection=(-LE release)
    else
        selection=("$@")
    fi
    asan_status=0
    ctest --test-dir "$ASAN_DIR" "${ctest_args[@]}" "${selection[@]}" || asan_status=$?
    echo "[test] sanitizer pass (ASan + UBSan, build-asan/): exit $asan_status after $(($(now) - t1)) s"
    [[ $status -ne 0 ]] || status=$asan_status
fi
echo "[test] total $(($(now) - t0)) s"
exit "$status"
