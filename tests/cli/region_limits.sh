#!/usr/bin/env bash
# Firmware regions are bounded in the report (README "Limits"): 70000 regions of 70000 names give
# the first 65536 regions listed and the rest counted, and 4096 totals, the last "(other names)"
# holding every region past the 4095th name; a scenario still finds a region by name.
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
if names[4094] != "r00ffe" or names[4095] != "(other names)": fail(f"totals end {names[-2:]}")
other = totals[-1]
if other["count"] != 70000 - 4095: fail(f"(other names) counts {other['count']}")
if sum(t["count"] for t in totals) != 70000: fail("totals do not count every region")
print("ok:", len(regions), "listed,", r["regions_not_listed"], "counted,", len(names), "totals")
PY
printf 'scenario.firmware = %s\nexpect.exit_code = 0\nexpect.region = r00005\nexpect.region = (other names)\n' "$elf" > "$dir/s.cfg"
"$edgevp" --quiet --scenario "$dir/s.cfg"
