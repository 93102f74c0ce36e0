#!/usr/bin/env bash
# The main job: install what is missing, build edgevp and its firmware (release), and run the
# Fashion-MNIST workload on the default SoC - the CNN and the MLP on the host CPU, the digital CIM
# and the analog CIM, the MLP as a spiking network on the SNN engine - ending with the table of accuracy, latency and energy per inference and
# where the energy went (bench/fmnist.sh, docs/fmnist.md).
#   scripts/run.sh                 the Fashion-MNIST table
#   scripts/run.sh --hello         boot the hello firmware instead (the plain boot)
#   scripts/run.sh OPTIONS [ELF]   run edgevp with OPTIONS on ELF (default: hello), e.g.
#                                  scripts/run.sh --report run.json build/release/firmware/bin/irq.elf
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"
if [ $# -eq 0 ]; then
  exec bench/fmnist.sh build/release
fi
args=("$@")
if [ "${args[0]}" = "--hello" ]; then
  args=("${args[@]:1}")
fi
if [ ${#args[@]} -eq 0 ] || [[ "${args[-1]}" != *.elf ]]; then
  args+=(build/release/firmware/bin/hello.elf)
fi
exec build/release/edgevp "${args[@]}"
