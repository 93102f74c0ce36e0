#!/usr/bin/env bash
# Runs the same firmware twice with every trace on; the traces and UART output must be identical.
set -eu
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
for run in a b; do
  "$edgevp" --quiet --vcd "$dir/$run.vcd" --trace-insn "$dir/$run.trace" --uart-out "$dir/$run.uart" \
    --report "$dir/$run.json" --power-csv "$dir/$run.csv" --power-vcd "$dir/$run.pvcd" --power-interval 10us "$elf"
done
for f in vcd trace uart csv pvcd; do
  [ -s "$dir/a.$f" ] || { echo "FAIL: $f output is empty"; exit 1; }
  cmp "$dir/a.$f" "$dir/b.$f" || { echo "FAIL: $f differs between identical runs"; exit 1; }
done
# Reports differ only in host wall time / MIPS and the names of the output files they echo.
same() { grep -v '"host_' "$1" | sed "s#$dir/[ab]\.#$dir/RUN.#"; }
diff <(same "$dir/a.json") <(same "$dir/b.json") || { echo "FAIL: reports differ"; exit 1; }
echo "traces identical: $(wc -l < "$dir/a.trace") instructions traced, $(wc -c < "$dir/a.vcd") VCD bytes"
