#!/usr/bin/env bash
# Debugs the hello firmware with gdb-multiarch in batch mode against `edgevp --gdb 0 --gdb-wait`:
# breakpoints (software and hardware), a read watchpoint, continue, step into a function, finish,
# next, printing locals, globals and a CSR, writing a variable and a register, and the run to the
# firmware's exit.
#   gdb_session.sh EDGEVP GDB HELLO_ELF OUTDIR
# edgevp picks a free port (--gdb 0) and prints it, so parallel runs cannot collide; every step
# has a time limit, so a broken server fails the test instead of hanging it.
set -u
edgevp=$1; gdb=$2; elf=$3; out=$4
rm -rf "$out"; mkdir -p "$out"
fail=0
check() {  # check FILE FIXED_STRING WHAT
  if grep -qF -- "$2" "$1"; then echo "ok: $3"; else echo "FAIL: $3: no '$2' in $(basename "$1")"; fail=1; fi
}

timeout 120 "$edgevp" --gdb 0 --gdb-wait "$elf" >"$out/uart.txt" 2>"$out/edgevp.txt" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT

port=
for _ in $(seq 200); do
  port=$(sed -n 's/.*GDB server listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/edgevp.txt")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$port" ]; then
  echo "FAIL: edgevp did not report its GDB port"; cat "$out/edgevp.txt"; exit 1
fi
echo "edgevp listens on port $port"

# The firmware returns 3 once bss_words[3] is non-zero; the debugger then rewrites that status to
# 42 in a0 at _exit, so the exit code proves both writes reached the simulated core.
cat >"$out/commands.gdb" <<EOF
set pagination off
set confirm off
set remotetimeout 30
target remote 127.0.0.1:$port
info registers pc
break main
continue
next
step
finish
next
print/x id
print/x data_words
print small_data
print/x \$misa
print \$mcause
set var bss_words[3] = 7
print bss_words[3]
x/2xw &data_words
stepi
info registers pc
rwatch small_data
continue
delete 2
hbreak _exit
continue
print status
set \$a0 = 42
print \$a0
continue
EOF
timeout 90 "$gdb" -nx -batch -x "$out/commands.gdb" "$elf" >"$out/gdb.txt" 2>&1
gdb_rc=$?
wait "$pid"; rc=$?
trap - EXIT

echo "--- gdb transcript"; cat "$out/gdb.txt"
echo "--- edgevp stderr"; cat "$out/edgevp.txt"
echo "--- UART"; cat "$out/uart.txt"
echo "---"
[ "$gdb_rc" = 0 ] && echo "ok: gdb exited 0" || { echo "FAIL: gdb exited $gdb_rc"; fail=1; }
g=$out/gdb.txt
check "$g" "pc             0x0" "held at reset: pc is the boot ROM's 0"
check "$g" "Breakpoint 1, main () at " "software breakpoint at main"
check "$g" "syscon_platform_id () at " "step into a function"
check "$g" "Value returned is \$1 = 3983409153" "finish returns the syscon ID (0xed6e0001)"
check "$g" "37	    uint32_t id = syscon_platform_id();" "next over printf"
check "$g" "38	    uint32_t version = syscon_version();" "next reaches the following line"
check "$g" "\$2 = 0xed6e0001" "print a local"
check "$g" "\$3 = {0x1234567, 0x89abcdef, 0xdeadbeef, 0x5a5aa5a5}" "print an initialised global array"
check "$g" "\$4 = 3237998080" "print a global (0xc0ffee00)"
check "$g" "\$5 = 0x40101105" "print a CSR (misa)"
check "$g" "\$6 = 0" "print mcause"
check "$g" "\$7 = 7" "write a global and read it back"
check "$g" "0x01234567	0x89abcdef" "examine memory"
check "$g" "Hardware read watchpoint 2: small_data" "read watchpoint set"
check "$g" "Value = 3237998080" "read watchpoint hit where main reads small_data"
check "$g" "Hardware assisted breakpoint 3 at " "hardware breakpoint set"
check "$g" "Breakpoint 3, _exit (status=" "hardware breakpoint hit at _exit"
check "$g" "\$8 = 3" "the firmware saw the written global (exit status 3)"
check "$g" "\$9 = 42" "write a register"
check "$g" "exited with code 052]" "gdb sees the exit code (octal 052 = 42)"
if grep -qiE "error|warning: (remote|could not)|Remote connection closed|Ignoring packet error" "$g"; then
  echo "FAIL: gdb reported an error"; fail=1
fi
[ "$rc" = 42 ] && echo "ok: edgevp exit code 42" || { echo "FAIL: edgevp exit code $rc, expected 42"; fail=1; }
check "$out/uart.txt" "error: .bss not zero" "the firmware saw the change"
check "$out/edgevp.txt" "firmware exited with code 42" "edgevp reports the exit"
exit $fail
