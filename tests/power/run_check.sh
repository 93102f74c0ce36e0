#!/bin/sh
# Runs a power scenario with a report and a power CSV, then checks its energy accounting against
# the configured parameters: run_check.sh EDGEVP FIRMWARE_DIR SCENARIO MODE [ARGS...]
set -eu
edgevp=$1 fwdir=$2 scenario=$3 mode=$4
shift 4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$edgevp" --scenario "$scenario" --firmware-dir "$fwdir" --report "$out/report.json" \
  --power-csv "$out/power.csv" --power-interval 100us --uart-out "$out/uart.txt"
case $mode in
  duty_cycle) exec /usr/bin/python3 "$(dirname "$0")/check_report.py" duty_cycle "$out/report.json" "$out/power.csv" ;;
  *) exec /usr/bin/python3 "$(dirname "$0")/check_report.py" "$mode" "$out/report.json" "$@" ;;
esac
