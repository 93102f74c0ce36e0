#!/usr/bin/env bash
# Installs the Debian packages edgevp needs (DESIGN.md: dependencies). Idempotent: packages already
# present are left alone, and apt is not asked anything when nothing is missing.
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build pkg-config
  clang libclang-rt-dev
  libsystemc-dev
  libboost-program-options-dev
  libelf-dev
  nlohmann-json3-dev
  libgtest-dev libgmock-dev
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf binutils-riscv64-unknown-elf
  verilator
  qemu-user qemu-system-misc
  gdb-multiarch
  python3 python3-numpy libopenblas0-pthread python3-matplotlib
  dataset-fashion-mnist
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
