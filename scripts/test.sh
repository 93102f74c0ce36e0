#!/usr/bin/env bash
# Builds and runs every test: install what is missing; the CI build (release, warnings are errors)
# runs unit benches, CLI tests, scenarios, the ISS-vs-QEMU differential test (label diff), the
# GDB server tests (label gdb) and the sweep tool, with a private Slurm cluster (label sweep); the
# sanitizer build (ASan + UBSan) runs the unit benches, the CLI tests and edgevp's RTL paths; the fuzz build (clang, libFuzzer, ASan +
# UBSan) runs each fuzz target for a few seconds from its seeds (label fuzz; tests/fuzz, seeded from
# the CI build's firmware and CLI test images). Each build's results also go to build/results/<build>.xml (JUnit XML, for CI).
# Slow sweeps carry the ctest label "slow" and are left to bench/ (run them with: ctest -L slow).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Slurm and munge for the sweep tool's Slurm test (a private single-node cluster, started and
# stopped by ctest around that test: tests/sweep/CMakeLists.txt).
scripts/slurm-local.sh install
jobs=$(nproc)
# JUnit XML for CI, one file per build.
results=$PWD/build/results
mkdir -p "$results"

echo "== CI build (release, -Werror)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"
ctest --preset ci -j"$jobs" -LE slow --output-junit "$results/ci.xml"

echo "== Sanitizer build (ASan + UBSan): unit benches, CLI tests, RTL paths"
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset sanitize -j"$jobs" \
  --output-junit "$results/sanitize.xml"

echo "== Fuzz build (clang, libFuzzer, ASan + UBSan): a short run of each fuzz target"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs"
ctest --preset fuzz --output-junit "$results/fuzz.xml"
echo "== JUnit results: $results/ci.xml, $results/sanitize.xml, $results/fuzz.xml"
