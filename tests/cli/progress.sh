#!/usr/bin/env bash
# The progress line: on a terminal (a pseudo-terminal from script(1)) a run longer than a second
# prints it and rewrites it in place; not with --quiet, not when stderr is a file; --progress forces
# it; the summary and the simulated results are the same with or without it.
set -u
edgevp=$1; spin=$2; hello=$3; dir=$4
rm -rf "$dir"; mkdir -p "$dir"
line='edgevp: [0-9.]+ [mun]?s simulated, [0-9.]+ M instructions, [0-9]+ MIPS, region [^,]+, energy [0-9.]+[munpfa]?J'
fail() { echo "FAIL: $*"; exit 1; }
# 10 s simulated of a spin loop: well over a second of host time on any machine.
script -qec "$edgevp --max-time 10s $spin" /dev/null > "$dir/tty.txt" 2>&1
tr '\r' '\n' < "$dir/tty.txt" | grep -Eq "^$line" || fail "no progress line on a terminal: $(head -c 300 "$dir/tty.txt")"
grep -q $'\r\x1b\[K' "$dir/tty.txt" || fail "the progress line is not cleared before the summary"
grep -q "time limit" "$dir/tty.txt" || fail "no summary after the progress line"
script -qec "$edgevp --quiet --max-time 10s $spin" /dev/null > "$dir/quiet.txt" 2>&1
tr '\r' '\n' < "$dir/quiet.txt" | grep -Eq "$line" && fail "a progress line with --quiet"
"$edgevp" --max-time 10s "$spin" > /dev/null 2> "$dir/file.txt"
tr '\r' '\n' < "$dir/file.txt" | grep -Eq "$line" && fail "a progress line with stderr in a file"
"$edgevp" --progress --report "$dir/a.json" "$hello" > /dev/null 2> "$dir/forced.txt"
tr '\r' '\n' < "$dir/forced.txt" | grep -Eq "^$line" || fail "no progress line with --progress: $(cat "$dir/forced.txt")"
"$edgevp" --report "$dir/b.json" "$hello" > /dev/null 2>&1
/usr/bin/python3 - "$dir/a.json" "$dir/b.json" <<'PY' || fail "the report differs with --progress"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for k in ("cycles", "instructions", "simulated_time_s", "power", "regions", "accelerators"):
    assert a[k] == b[k], k
PY
echo "ok: progress line on a terminal and with --progress, none with --quiet or in a file"
