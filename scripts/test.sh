#!/usr/bin/env bash
# Builds and runs every test: install what is missing; the CI build (release, warnings are errors)
# runs unit benches, CLI tests, scenarios, the ISS-vs-QEMU differential test (label diff) and the
# GDB server tests (label gdb); the sanitizer build (ASan + UBSan) runs the unit benches.
# Slow sweeps carry the ctest label "slow" and are left to bench/ (run them with: ctest -L slow).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

echo "== CI build (release, -Werror)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"
ctest --preset ci -j"$jobs" -LE slow

echo "== Sanitizer build (ASan + UBSan): unit benches"
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset sanitize -j"$jobs"
