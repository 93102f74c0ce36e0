#!/usr/bin/env bash
# --coverify stopped by a signal sent to edgevp alone (kill PID, as a batch system or a script
# does): the run in progress stops as a plain run does, with its report; the second run is not
# started; nothing is left running; exit 128 + the signal. (The signal killed edgevp and left
# the run it had started running on its own.)
#   coverify_signal.sh EDGEVP ENDLESS.elf DIR
set -u
set -m  # job control: a background job's SIGINT is not ignored
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
fail=0
for spec in TERM:143 INT:130 HUP:129; do
  sig=${spec%%:*}; want=${spec##*:}
  d=$dir/$sig; mkdir -p "$d"
  "$edgevp" --coverify=cim0 --max-time 1000s --report "$d/r.json" --vcd "$d/w.vcd" "$elf" 2>"$d/stderr" &
  pid=$!
  for _ in $(seq 100); do [ -s "$d/w.tlm.gtkw" ] && break; sleep 0.1; done
  sleep 0.5
  kill -s "$sig" "$pid"
  wait "$pid"; rc=$?
  echo "--- SIG$sig: exit code $rc"; cat "$d/stderr"
  [ "$rc" = "$want" ] || { echo "FAIL: SIG$sig: exit code $rc, expected $want"; fail=1; }
  grep -q "coverify: cim0: stopped by SIG$sig during the tlm run (its outputs are written): not compared" "$d/stderr" ||
    { echo "FAIL: no message naming SIG$sig"; fail=1; }
  grep -q "run 2 of 2" "$d/stderr" && { echo "FAIL: the second run was started"; fail=1; }
  # The run itself gets SIGHUP as SIGTERM (it stops on SIGINT and SIGTERM).
  run_sig=$sig; [ "$sig" = HUP ] && run_sig=TERM
  /usr/bin/python3 - "$d/r.tlm.json" "$run_sig" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))["exit"]
ok = r["reason"] == "signal" and ("SIG" + sys.argv[2]) in r["message"]
print(("" if ok else "FAIL: ") + "tlm report exit: " + json.dumps(r))
sys.exit(0 if ok else 1)
PY
  sleep 0.2
  if pgrep -f -- "--report $d/r.json" > /dev/null; then echo "FAIL: a run is still going"; pkill -KILL -f -- "--report $d/r.json"; fail=1; fi
done
[ "$fail" = 0 ] && echo "a signal stops --coverify with the run's outputs written"
exit $fail
