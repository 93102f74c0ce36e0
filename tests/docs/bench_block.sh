#!/usr/bin/env bash
# A documentation page's figures are what a bench prints: the fenced block that follows the line
# "<!-- figures: bench/NAME.sh -->" in DOC must equal the bench's output, line by line.
#   tests/docs/bench_block.sh BUILD_DIR DOC BENCH [ARG...]   (ARGs follow BUILD_DIR on the bench's
#   command line: what leaves out a host-dependent part, for example)
set -euo pipefail
build=$1 doc=$2 bench=$3
shift 3
src=$(cd "$(dirname "$0")/../.." && pwd)
got=$(mktemp); want=$(mktemp); trap 'rm -f "$got" "$want"' EXIT
"$src/$bench" "$build" "$@" 2>/dev/null | sed 's/[[:space:]]*$//' > "$got"
awk -v m="<!-- figures: $bench -->" '$0 == m { found = 1; next } found && /^```/ { if (inside) exit; inside = 1; next } inside' \
  "$src/$doc" | sed 's/[[:space:]]*$//' > "$want"
[ -s "$want" ] || { echo "FAIL: no block after '<!-- figures: $bench -->' in $doc"; exit 1; }
if ! diff -u "$want" "$got"; then
  echo "FAIL: $doc's figures (-) differ from what $bench prints (+): copy the new output in"
  exit 1
fi
echo "$doc's figures match $bench ($(wc -l < "$got") lines)"
