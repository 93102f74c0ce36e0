#!/usr/bin/env bash
# Firmware regions are bounded in the report (README "Limits"): 70000 regions of 70000 names give
# the first 65536 regions listed and the rest counted, 4096 totals of their own names, and one
# more, "(other names)" (region_totals_other_names), for every region past the 4096th name; a
# scenario still finds any region that closed by its name, past the limits too, and no region
# by the overflow total's name.
set -eu
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
"$edgevp" --quiet --report "$dir/r.json" "$elf"
/usr/bin/python3 - "$dir/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
regions, totals = r["regions"], r["region_totals"]
names = [t["name"] for t in totals]
def fail(why):
    print("FAIL:", why); sys.exit(1)
if len(regions) != 65536: fail(f"{len(regions)} regions listed, not 65536")
if r.get("regions_not_listed") != 70000 - 65536: fail(f"regions_not_listed is {r.get('regions_not_listed')}")
if regions[0]["name"] != "r00000" or regions[-1]["name"] != "r0ffff": fail("not the first regions in order")
if len(names) != 4096: fail(f"{len(names)} totals, not 4096")
if names[0] != "r00000" or names[4095] != "r00fff": fail(f"totals run {names[0]}..{names[-1]}")
other = r.get("region_totals_other_names")
if not other or other["name"] != "(other names)" or other["count"] != 70000 - 4096:
    fail(f"region_totals_other_names is {other and {k: other[k] for k in ('name', 'count')}}")
if sum(t["count"] for t in totals) + other["count"] != 70000: fail("totals do not count every region")
print("ok:", len(regions), "listed,", r["regions_not_listed"], "counted,", len(names), "totals")
PY
printf 'scenario.firmware = %s\nexpect.exit_code = 0\nexpect.region = r00005\nexpect.region = r10000\n' "$elf" > "$dir/s.cfg"
"$edgevp" --quiet --scenario "$dir/s.cfg"
printf 'scenario.firmware = %s\nexpect.region = (other names)\n' "$elf" > "$dir/other.cfg"
if "$edgevp" --quiet --scenario "$dir/other.cfg" 2> "$dir/other.err"; then
  echo "FAIL: a region named '(other names)' was found"; exit 1
fi
grep -q 'scenario: FAIL region "(other names)" closed' "$dir/other.err" || { echo "FAIL: $(cat "$dir/other.err")"; exit 1; }
echo "ok: scenarios find regions past the limits, and none by the overflow total's name"
