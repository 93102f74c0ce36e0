#!/usr/bin/env bash
# Long runs of every fuzz target (tests/fuzz; README.md "Fuzzing"):
#   bench/fuzz.sh [BUILD_DIR] [RUNS]
#   BUILD_DIR  the fuzz build (default build/fuzz: cmake --preset fuzz && cmake --build --preset fuzz)
#   RUNS       executions per target (default 1000000)
#   FUZZ_TARGETS="elf accel ..." in the environment runs those targets only (default: all).
# Each target starts from its seeds (tests/fuzz/seeds.sh, made if missing) and the corpus earlier
# runs of this bench left in BUILD_DIR/fuzz/bench/corpus/TARGET, and runs one process at a time.
# A finding (crash, sanitizer report, uncaught exception, leak, an input past 60 s, more than
# 4 GB) stops libFuzzer with the input in BUILD_DIR/fuzz/bench/artifacts; the bench restarts the
# target for the executions left, at most 5 times. libFuzzer's "slow unit" artifact is written
# from 60 s, not its default 10 s: an input slow only because the machine is loaded is no finding.
# Per target: executions, seconds, executions
# per second and findings (the artifacts' files); the full logs are in BUILD_DIR/fuzz/bench/*.log.
# Exit status: 0 no finding, 1 findings, 2 a usage or build problem.
set -uo pipefail
build=${1:-build/fuzz}
runs=${2:-1000000}
src=$(cd "$(dirname "$0")/.." && pwd)
targets=${FUZZ_TARGETS:-elf config cmdline tta_machine tta_program cgra_fabric cgra_kernel accel}
bin=$build/tests/fuzz
out=$build/fuzz/bench
for t in $targets; do
  [ -x "$bin/fuzz_$t" ] || { echo "$bin/fuzz_$t missing: cmake --preset fuzz && cmake --build --preset fuzz" >&2; exit 2; }
done
if [ ! -d "$build/fuzz/seeds" ]; then
  "$src/tests/fuzz/seeds.sh" "$build" || exit 2
fi
mkdir -p "$out/artifacts"

total_findings=0
printf '%-12s %12s %9s %9s  %s\n' target executions seconds exec/s findings
for t in $targets; do
  mkdir -p "$out/corpus/$t"
  log=$out/$t.log
  : > "$log"
  done_runs=0
  start=$(date +%s)
  marker=$out/.started-$t
  touch "$marker"
  for attempt in 1 2 3 4 5 6; do
    left=$((runs - done_runs))
    [ "$left" -gt 0 ] || break
    "$bin/fuzz_$t" -runs="$left" -timeout=60 -report_slow_units=60 -rss_limit_mb=4096 -print_final_stats=1 -print_funcs=0 \
      -artifact_prefix="$out/artifacts/$t-" "$out/corpus/$t" "$build/fuzz/seeds/$t" >> "$log" 2>&1
    rc=$?
    n=$(grep 'stat::number_of_executed_units:' "$log" | tail -1 | awk '{print $2}')
    done_runs=$((done_runs + ${n:-0}))
    # libFuzzer prints the statistics at the end of every run, a crashed one included.
    sed -i 's/^stat::number_of_executed_units:/stat::counted_executed_units:/' "$log"
    [ "$rc" -eq 0 ] && break
    [ "$attempt" -eq 6 ] && echo "$t: stopped after 6 findings" >> "$log"
  done
  secs=$(($(date +%s) - start))
  found=$(find "$out/artifacts" -name "$t-*" -newer "$marker" -printf '%f ' | sort)
  nfound=$(echo "$found" | wc -w)
  total_findings=$((total_findings + nfound))
  printf '%-12s %12d %9d %9d  %s\n' "$t" "$done_runs" "$secs" $((done_runs / (secs > 0 ? secs : 1))) \
    "$([ "$nfound" -eq 0 ] && echo none || echo "$nfound: $found")"
done
[ "$total_findings" -eq 0 ]
