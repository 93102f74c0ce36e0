#!/usr/bin/env bash
# A report carries the configuration that made it: every key given with its value and origin
# (command line, file), each accelerator key with its default; `--config-from-report` reruns it
# to the same cycles, instructions and energy, and a malformed report is a usage error.
set -eu
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
printf 'cim1.adc_bits = 6\ncim0.rows = 128\n' > "$dir/soc.cfg"
"$edgevp" --quiet --config "$dir/soc.cfg" --cim0.pipeline=9 --report "$dir/a.json" "$elf" > /dev/null
py=/usr/bin/python3
$py - "$dir/a.json" "$dir/soc.cfg" "$elf" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["configuration"]
def want(key, value, origin, file=None):
    e = c.get(key)
    assert e is not None, f"{key} missing from the report's configuration"
    assert e["value"] == value and e["origin"] == origin, f"{key}: {e}, expected {value} from {origin}"
    if file: assert e.get("file") == file, f"{key}: file {e.get('file')}, expected {file}"
want("cim0.pipeline", "9", "command line")
want("cim1.adc_bits", "6", "file", sys.argv[2])
want("cim0.rows", "128", "file", sys.argv[2])
want("cim0.cols", "256", "default")
want("cim1.kind", "cim-analog", "default")
want("cim0.base", "0x11000000", "default")
want("firmware", sys.argv[3], "command line")
PY
# The rerun takes everything from the report; the command line still wins over it.
"$edgevp" --quiet --config-from-report "$dir/a.json" --report "$dir/b.json" > /dev/null
"$edgevp" --quiet --config-from-report "$dir/a.json" --cim0.pipeline=4 --report "$dir/c.json" > /dev/null
$py - "$dir/a.json" "$dir/b.json" "$dir/c.json" <<'PY'
import json, sys
a, b, c = (json.load(open(f)) for f in sys.argv[1:4])
for k in ("cycles", "instructions", "simulated_time_s"):
    assert a[k] == b[k], f"{k}: {a[k]} then {b[k]} on the rerun"
assert a["power"]["total_energy_j"] == b["power"]["total_energy_j"], "energy differs on the rerun"
assert b["configuration"]["cim1.adc_bits"]["origin"] == "report"
assert c["configuration"]["cim0.pipeline"] == {"value": "4", "origin": "command line"}, c["configuration"]["cim0.pipeline"]
print("rerun from the report: %d cycles, %.6g J, both runs" % (b["cycles"], b["power"]["total_energy_j"]))
PY
echo '{"edgevp_version": "0"}' > "$dir/bad.json"
set +e
out=$("$edgevp" --config-from-report "$dir/bad.json" 2>&1); rc=$?
set -e
[ "$rc" = 64 ] || { echo "FAIL: a report without configuration: exit $rc, expected 64"; exit 1; }
grep -q "has no configuration section" <<<"$out" || { echo "FAIL: message: $out"; exit 1; }
echo "ok"
