#!/usr/bin/env bash
# SIGTERM and SIGINT stop a run cleanly: the report is written (exit reason "signal", the signal
# named), the VCD is complete, the eMRAM image is saved, and edgevp exits with 128 + the signal.
#   signal_report.sh EDGEVP ENDLESS.elf DIR
set -u
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
set -m  # job control: a background job's SIGINT is not ignored
fail=0
for spec in TERM:143 INT:130; do
  sig=${spec%%:*}; want=${spec##*:}
  d=$dir/$sig; mkdir -p "$d"
  "$edgevp" --max-time 1000s --report "$d/r.json" --vcd "$d/w.vcd" --emram-image "$d/e.img" --uart-out "$d/uart.txt" "$elf" \
    2>"$d/stderr" &
  pid=$!
  # Running once the progress of simulated time shows: wait until the GTKWave view is written
  # (after elaboration) and a little more.
  for _ in $(seq 50); do [ -s "$d/w.gtkw" ] && break; sleep 0.1; done
  sleep 0.5
  kill -s "$sig" "$pid"
  wait "$pid"; rc=$?
  echo "--- SIG$sig: exit code $rc"; cat "$d/stderr"
  [ "$rc" = "$want" ] || { echo "FAIL: SIG$sig: exit code $rc, expected $want"; fail=1; }
  python3 - "$d/r.json" "$sig" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))["exit"]
ok = r["reason"] == "signal" and ("SIG" + sys.argv[2]) in r["message"] and r["process_code"] == 128 + r["signal"]
print(("" if ok else "FAIL: ") + "report exit: " + json.dumps(r))
sys.exit(0 if ok else 1)
PY
  grep -q "stopped by SIG$sig" "$d/stderr" || { echo "FAIL: no message naming SIG$sig"; fail=1; }
  if ! grep -q '^\$enddefinitions' "$d/w.vcd" || ! tail -n 1 "$d/w.vcd" | grep -q '^#[0-9][0-9]*$'; then
    echo "FAIL: the VCD is not complete"; fail=1
  fi
  [ "$(stat -c %s "$d/e.img" 2>/dev/null)" = 2097152 ] || { echo "FAIL: eMRAM image not saved"; fail=1; }
  if ls "$d"/e.img.tmp.* "$d"/.edgevp-vcd-* >/dev/null 2>&1; then echo "FAIL: temporary file left behind"; fail=1; fi
done
[ "$fail" = 0 ] && echo "signals stop the run with its outputs written"
exit $fail
