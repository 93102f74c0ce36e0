#!/usr/bin/env bash
# Inputs that are not regular files (a FIFO, which would block the run forever; a directory) are
# refused at once with their name and a documented exit code. Each run has 20 s before it counts
# as hung.
set -u
edgevp=$1; hello=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"; mkfifo "$dir/fifo"
fails=0
check() {  # want_rc, want_text, args...
  local want_rc=$1 want=$2; shift 2
  local out rc
  out=$(timeout 20 "$edgevp" --quiet "$@" 2>&1 < /dev/null); rc=$?
  if [ "$rc" = 124 ]; then echo "FAIL (hung): $*"; fails=1; return; fi
  if [ "$rc" != "$want_rc" ] || ! grep -qF -- "$want" <<<"$out"; then
    echo "FAIL: $* -> exit $rc, '$out' (expected $want_rc, '$want')"; fails=1; return
  fi
  echo "ok: $* -> $rc"
}
f=$dir/fifo
check 65 "$f: not a regular file" "$f"
check 64 "cannot read configuration file '$f': it is not a regular file" --config "$f" "$hello"
check 64 "cannot read configuration file '$f': it is not a regular file" --scenario "$f"
check 64 "cannot read configuration file '$dir': it is a directory" --config "$dir" "$hello"
check 64 "'--config-from-report': '$f' is not a regular file" --config-from-report "$f"
check 74 "eMRAM image '$f' is not a regular file" --emram-image "$f" "$hello"
check 78 "uart.rx_file: '$f' is not a regular file" --uart.rx_file="$f" "$hello"
check 78 "uart.rx_file: '$dir' is a directory" --uart.rx_file="$dir" "$hello"
check 78 "cannot read GPIO stimulus '$f': it is not a regular file" --gpio.stimulus="$f" "$hello"
exit $fails
