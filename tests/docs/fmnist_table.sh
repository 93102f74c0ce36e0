#!/usr/bin/env bash
# The README's Fashion-MNIST table is what bench/fmnist.sh prints: run it and compare, line by line.
#   tests/docs/fmnist_table.sh BUILD_DIR
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
got=$(mktemp); want=$(mktemp); trap 'rm -f "$got" "$want"' EXIT
"$src/bench/fmnist.sh" "$build" 2>/dev/null | sed 's/[[:space:]]*$//' > "$got"
# The README's block: the fenced lines from the table's title to the last energy row.
awk '/^```$/ { if (inside) exit; next } /^Fashion-MNIST on the default SoC/ { inside = 1 } inside' \
  "$src/README.md" | sed 's/[[:space:]]*$//' > "$want"
[ -s "$want" ] || { echo "FAIL: no Fashion-MNIST table in README.md"; exit 1; }
if ! diff -u "$want" "$got"; then
  echo "FAIL: README.md's table (-) differs from what bench/fmnist.sh prints (+): copy the new table in"
  exit 1
fi
echo "README.md's Fashion-MNIST table matches bench/fmnist.sh ($(wc -l < "$got") lines)"
