#!/usr/bin/env bash
# The main job: install what is missing, build edgevp and its firmware (release), and boot the
# default firmware (hello) on the default SoC. Extra arguments go to edgevp; a last argument ending
# in .elf replaces the default firmware, e.g.  scripts/run.sh --report run.json build/release/firmware/bin/irq.elf
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"
args=("$@")
if [ ${#args[@]} -eq 0 ] || [[ "${args[-1]}" != *.elf ]]; then
  args+=(build/release/firmware/bin/hello.elf)
fi
exec build/release/edgevp "${args[@]}"
