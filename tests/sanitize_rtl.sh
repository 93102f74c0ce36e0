#!/usr/bin/env bash
# The RTL paths under ASan and UBSan (sanitizer build): edgevp with the verilated CIM and GPIO runs
# firmware, refuses a corrupt image, stops at a time limit and reports a co-verification mismatch,
# each with its documented exit code and no sanitizer report. Before platform/sanitizer_fibers.cc,
# ASan lost the main stack at SystemC's first coroutine switch and reported stack-use-after-scope
# for any ELF error with cim0.impl = rtl.
#   sanitize_rtl.sh EDGEVP FIRMWARE_DIR DIR
set -u
edgevp=$1; fw=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
elf=$fw/cim_mvm.elf
[ -f "$elf" ] || { echo "FAIL: $elf missing"; exit 1; }
head -c 100 "$elf" > "$dir/truncated.elf"
fail=0
check() {  # check NAME WANT_RC ARGS...
  local name=$1 want=$2; shift 2
  "$edgevp" --quiet --accel=cim0 --gpio.impl=rtl "$@" > "$dir/$name.out" 2>&1 </dev/null
  local rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL: $name: exit $rc, expected $want"; fail=1; fi
  if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error|ASan is ignoring' "$dir/$name.out"; then
    echo "FAIL: $name: sanitizer report"; fail=1
  fi
  echo "--- $name: exit $rc"; grep -Ev '^(cim_mvm|Hello)' "$dir/$name.out" | head -20
}
check rtl_run 0 --cim0.impl=rtl "$elf"
check lockstep_run 0 --cim0.impl=lockstep "$elf"
check rtl_corrupt_elf 65 --cim0.impl=rtl "$dir/truncated.elf"
check rtl_missing_elf 65 --cim0.impl=rtl "$dir/missing.elf"
check rtl_time_limit 124 --cim0.impl=rtl --max-time 20us "$elf"
check lockstep_mismatch 122 --cim0.impl=lockstep --cim0.rtl.fault=true "$elf"
[ "$fail" = 0 ] && echo "ok: the RTL paths are clean under the sanitizers"
exit $fail
