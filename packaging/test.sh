#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets the machine up (packaging/setup.sh), then runs the whole test suite with ctest.
# Extra arguments go to ctest, e.g. `sudo packaging/test.sh -L unit` or `-R proxy`.
# The exit status is ctest's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${GASPER_BUILD_DIR:-build}"

bash packaging/setup.sh
exec ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j2 --timeout 900 "$@"
