#!/usr/bin/env bash
# Builds the fuzz targets' seed corpora into a build tree: seeds.sh BUILD_DIR [DIR...]
#
# BUILD_DIR/fuzz/seeds/<target>/  the seeds (tests/fuzz/make_seeds.py: from the repository's
#                                 scenarios, CLI tests, machine and fabric descriptions, TTA
#                                 programs and CGRA kernels assembled here, descriptor chains in the
#                                 unit benches' formats; ELF images and reports found under the DIRs,
#                                 by default the CI build's firmware and CLI test directories)
# BUILD_DIR/fuzz/corpus/<target>/ emptied: where a run writes the inputs it finds (libFuzzer's first
#                                 corpus directory), so the seeds stay as made
# BUILD_DIR/fuzz/artifacts/       emptied: crash, leak and timeout inputs
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [DIR...]" >&2; exit 2; }
build=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
out=$build/fuzz
python3 "$here/make_seeds.py" "$out/seeds" "$@"
rm -rf "$out/corpus" "$out/artifacts"
for t in "$out"/seeds/*/; do mkdir -p "$out/corpus/$(basename "$t")"; done
mkdir -p "$out/artifacts"
