#!/usr/bin/env bash
# Long differential sweep of the ISS against qemu-riscv32: N random RV32IMAC programs from seed SEED
# on (tests/diff/iss_diff.py). Prints progress every 100 programs, then programs run, instructions
# executed on edgevp, mismatches and wall time; each mismatch is reported with its seed, the first
# block that differs (disassembly), the registers/words that differ and a command to reproduce it.
#   bench/iss_diff_sweep.sh [N] [SEED] [BUILD_DIR]      (defaults: 1000, 1000, build/release)
# Environment: INSNS (instructions per program, default 10000), JOBS (parallel programs, default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
seed=${2:-1000}
build=${3:-build/release}
[ -x "$build/edgevp" ] && [ -f "$build/memmap/edgevp_memmap.ld" ] ||
  { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
exec /usr/bin/python3 tests/diff/iss_diff.py --edgevp "$build/edgevp" --memmap "$build/memmap" \
  --seeds "$n" --first-seed "$seed" --insns "${INSNS:-10000}" --jobs "${JOBS:-1}" --progress 100
