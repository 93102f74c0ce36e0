#!/usr/bin/env bash
# eMRAM contents survive across runs with --emram-image: a duty_cycle run cut short by --max-time
# is continued by the next run from the state it left in eMRAM; the image is written atomically
# (no temporary file is left behind) and has the eMRAM's size.
set -eu
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
img=$dir/emram.img
set +e
"$edgevp" --quiet --max-time 150ms --emram-image "$img" --uart-out "$dir/1.uart" "$elf"
rc=$?
set -e
[ "$rc" = 124 ] || { echo "FAIL: first run exited $rc, expected 124 (time limit)"; exit 1; }
grep -q "cold boot" "$dir/1.uart" || { echo "FAIL: first run did not start cold"; cat "$dir/1.uart"; exit 1; }
[ "$(stat -c %s "$img")" = 2097152 ] || { echo "FAIL: image size $(stat -c %s "$img")"; exit 1; }
"$edgevp" --quiet --emram-image "$img" --uart-out "$dir/2.uart" "$elf"
grep -q "duty_cycle: power-on, resuming at wake-up 2" "$dir/2.uart" || { echo "FAIL: second run did not resume"; cat "$dir/2.uart"; exit 1; }
grep -q "duty_cycle: ok" "$dir/2.uart" || { echo "FAIL: second run did not finish"; exit 1; }
if ls "$dir"/emram.img.tmp.* >/dev/null 2>&1; then echo "FAIL: temporary image left behind"; exit 1; fi
echo "eMRAM state carried across runs"
