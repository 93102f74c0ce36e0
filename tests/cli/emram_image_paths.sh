#!/usr/bin/env bash
# --emram-image paths (README "Limits" and "Exit codes"): an image that could never be written back
# is refused before the run, naming why (the run was lost after it); a symbolic link is followed
# and stays a link; a read-only image is never replaced.
set -u
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
fail() { echo "FAIL: $*"; exit 1; }
run() {  # run NAME ARGS...: exit code in $rc, stdout + stderr in $dir/NAME.out
  local name=$1; shift
  "$edgevp" "$@" "$elf" > "$dir/$name.out" 2>&1 </dev/null; rc=$?
}

# A missing directory: 74 before the run (no UART output, no report).
run missing --report "$dir/missing.json" --emram-image "$dir/nodir/e.img"
[ "$rc" = 74 ] || fail "missing directory: exit $rc"
grep -q "cannot write --emram-image '$dir/nodir/e.img' at the end of the run: its directory '$dir/nodir': No such file or directory" "$dir/missing.out" ||
  fail "missing directory: $(cat "$dir/missing.out")"
! grep -q "Hello" "$dir/missing.out" || fail "missing directory: the firmware ran"
[ ! -e "$dir/missing.json" ] || fail "missing directory: a report was written"

# A symbolic link, dangling at first: the file it names is created, then replaced; the link stays.
mkdir -p "$dir/store"
ln -s store/real.img "$dir/link.img"
run link1 --emram-image "$dir/link.img"
[ "$rc" = 0 ] || fail "link: exit $rc: $(cat "$dir/link1.out")"
[ -L "$dir/link.img" ] || fail "link: the link was replaced by a file"
[ -f "$dir/store/real.img" ] || fail "link: the link's target was not written"
size=$(stat -c %s "$dir/store/real.img")
run link2 --emram-image "$dir/link.img"
[ "$rc" = 0 ] && [ -L "$dir/link.img" ] || fail "link, second run: exit $rc or the link was replaced"
[ "$(stat -c %s "$dir/store/real.img")" = "$size" ] || fail "link: the image changed size"
ls "$dir/store" | grep -q tmp && fail "link: a temporary file was left behind"

# A read-only image: refused before the run, left as it was.
cp "$dir/store/real.img" "$dir/ro.img"
printf 'x' | dd of="$dir/ro.img" bs=1 seek=0 conv=notrunc status=none
chmod 0444 "$dir/ro.img"
cp "$dir/ro.img" "$dir/ro.orig"
run ro --emram-image "$dir/ro.img"
[ "$rc" = 74 ] || fail "read-only: exit $rc"
grep -q "cannot write --emram-image '$dir/ro.img' at the end of the run: it is read-only (mode 0444)" "$dir/ro.out" ||
  fail "read-only: $(cat "$dir/ro.out")"
! grep -q "Hello" "$dir/ro.out" || fail "read-only: the firmware ran"
cmp -s "$dir/ro.img" "$dir/ro.orig" || fail "read-only: the image was changed"
[ "$(stat -c %a "$dir/ro.img")" = 444 ] || fail "read-only: the mode changed"
# Through a link too.
ln -s ro.img "$dir/ro_link.img"
run ro_link --emram-image "$dir/ro_link.img"
[ "$rc" = 74 ] && grep -q "read-only (mode 0444) (the link's target '$dir/ro.img')" "$dir/ro_link.out" ||
  fail "read-only via a link: exit $rc: $(cat "$dir/ro_link.out")"
echo "ok"
