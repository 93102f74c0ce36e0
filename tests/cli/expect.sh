#!/usr/bin/env bash
# Runs a command and checks its exit code and that its output (stdout + stderr) matches a regex.
#   expect.sh EXIT_CODE REGEX -- COMMAND [ARGS...]
set -u
want_rc=$1; want_re=$2; shift 2
[ "$1" = "--" ] && shift
out=$("$@" 2>&1 </dev/null); rc=$?
fail=0
if [ "$rc" != "$want_rc" ]; then echo "FAIL: exit code $rc, expected $want_rc"; fail=1; fi
if ! grep -Eq -- "$want_re" <<<"$out"; then echo "FAIL: output does not match /$want_re/"; fail=1; fi
if grep -Eq 'Segmentation|Aborted|terminate called|AddressSanitizer|runtime error' <<<"$out"; then
  echo "FAIL: crash signature in output"; fail=1
fi
echo "--- command: $*"; echo "--- output:"; echo "$out"
exit $fail
