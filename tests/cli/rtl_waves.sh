#!/usr/bin/env bash
# --rtl-vcd: the verilated blocks' waveforms, one file per RTL block, on edgevp's time base
# (picoseconds of simulated time), identical between identical runs, and no later than the run.
set -eu
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
for run in a b; do
  "$edgevp" --quiet --accel=cim0 --cim0.impl=rtl --gpio.impl=rtl --rtl-vcd "$dir/$run.vcd" --vcd "$dir/$run.soc.vcd" \
    --report "$dir/$run.json" --uart-out "$dir/$run.uart" "$elf"
done
sim_ps=$(sed -n 's/.*"simulated_time_s": *\([0-9.eE+-]*\).*/\1/p' "$dir/a.json" | head -1 | awk '{printf "%.0f", $1 * 1e12}')
for block in cim0 gpio; do
  f="$dir/a.$block.vcd"
  [ -s "$f" ] || { echo "FAIL: no waveform for $block ($f)"; exit 1; }
  cmp "$f" "$dir/b.$block.vcd" || { echo "FAIL: $block waveform differs between identical runs"; exit 1; }
  grep -q '^\$timescale 1ps \$end' "$f" || { echo "FAIL: $block waveform is not in picoseconds"; exit 1; }
  grep -Eq '\$var wire +1 [^ ]+ s_awvalid \$end' "$f" || { echo "FAIL: $block waveform lacks the AXI4-Lite pins"; exit 1; }
  last=$(grep '^#' "$f" | tr -d '#' | sort -n | tail -1)
  [ "$last" -gt 0 ] && [ "$last" -le "$sim_ps" ] || { echo "FAIL: $block waveform ends at $last ps, the run at $sim_ps ps"; exit 1; }
  echo "$block: $(grep -c '^#' "$f") time stamps, last at $last ps of $sim_ps ps"
done
grep -Eq '\$var wire +64 [^ ]+ m_rdata' "$dir/a.cim0.vcd" || { echo "FAIL: the CIM waveform lacks its AXI4 master pins"; exit 1; }
# A block without work is not clocked: the CIM's 100 MHz clock has edges only around its jobs,
# far fewer than the run's cycles.
stamps=$(grep -c '^#' "$dir/a.cim0.vcd")
[ $((stamps * 100)) -lt $((sim_ps / 10000)) ] || { echo "FAIL: the CIM was clocked while idle ($stamps time stamps)"; exit 1; }
echo "ok"
