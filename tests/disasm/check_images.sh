#!/usr/bin/env bash
# Checks the disassembler on every instruction of every firmware image: objdump -d lists each
# image's code sections, disasm_check compares each instruction with edgevp's text.
#   check_images.sh DISASM_CHECK OBJDUMP IMAGE_DIR
# The images record privileged spec 1.11 (gas does as soon as a source names a CSR) and objdump
# follows the image, while the disassembler follows 1.12 (rv32_disasm.h): an image using one of
# the few CSRs the two specs name differently would show up here as a mismatch.
set -uo pipefail
check=$1; objdump=$2; dir=$3
shopt -s nullglob
images=("$dir"/*.elf)
if [ ${#images[@]} -eq 0 ]; then echo "FAIL: no firmware images in $dir"; exit 1; fi
fail=0
for elf in "${images[@]}"; do
  echo "== $(basename "$elf")"
  # -z: objdump would fold runs of zero words ("...") and hide them from the check.
  "$objdump" -d -z -M no-aliases "$elf" | "$check" --min 1000 || fail=1
done
exit $fail
