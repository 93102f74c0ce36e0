"""Drives edgevp's GDB server with raw remote-protocol packets, where gdb-multiarch in batch mode
cannot go: acks and naks, bad checksums, malformed packets, Ctrl-C while running, attaching to a
running CPU, hanging up and attaching again, time standing still while halted, faults, the run's
end (W / X) and the exit codes, and a port that is already taken.

    rsp_check.py EDGEVP HELLO_ELF SPIN_ELF FAULT_ELF

Every socket read has a time limit and every edgevp is killed (by its pid) if a check fails, so a
broken server fails the test instead of hanging it. Prints one line per check and a summary line.
"""
import re
import socket
import subprocess
import sys
import time

EDGEVP, HELLO, SPIN, FAULT = sys.argv[1:5]
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAIL: {what} {detail}")


def frame(payload: bytes) -> bytes:
    return b"$" + payload + b"#" + b"%02x" % (sum(payload) & 0xFF)


class Edgevp:
    """An edgevp run with --gdb 0; knows the port it printed."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([EDGEVP, "--gdb", "0", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()  # the listening line comes first
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"edgevp did not report a port: {line!r}")
        self.port = int(m.group(1))

    def finish(self, timeout=60):
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.ack = True

    def read_byte(self):
        while not self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise EOFError("server closed the connection")
            self.buf += data
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def read_packet(self):
        """The next packet's payload (its checksum verified); acks before it are returned as such."""
        while True:
            b = self.read_byte()
            if b in (b"+", b"-"):
                return b
            if b == b"$":
                break
        payload = b""
        while (b := self.read_byte()) != b"#":
            payload += b
        cs = self.read_byte() + self.read_byte()
        if int(cs, 16) != sum(payload) & 0xFF:
            raise ValueError(f"bad checksum from the server on {payload!r}")
        if self.ack:
            self.sock.sendall(b"+")
        return payload

    def reply(self):
        r = self.read_packet()
        if self.ack:
            if r != b"+":
                check(False, "server acks the packet", repr(r))
            r = self.read_packet()
        return r

    def send(self, payload: bytes):
        self.sock.sendall(frame(payload))

    def ask(self, payload: bytes) -> bytes:
        self.send(payload)
        return self.reply()

    def close(self):
        self.sock.close()


def mcycle(c):  # GDB register 65 + 0xB00
    v = c.ask(b"pb41")
    return int.from_bytes(bytes.fromhex(v.decode()), "little")


def pc(c):
    return int.from_bytes(bytes.fromhex(c.ask(b"p20").decode()), "little")


def attach_to_running_cpu():
    ev = Edgevp("--max-time", "1000s", SPIN)
    try:
        c = Client(ev.port)
        # Ack mode: the server acks good packets, naks a bad checksum and resends on a nak.
        c.sock.sendall(b"$?#00")
        check(c.read_packet() == b"-", "a bad checksum is nak'ed")
        check(c.ask(b"?") == b"T05thread:1;", "attaching stops the CPU with SIGTRAP")
        c.sock.sendall(b"-")
        check(c.read_packet() == b"T05thread:1;", "a nak gets the last reply again")
        check(c.ask(b"qSupported:swbreak+;hwbreak+").startswith(b"PacketSize=4000;"), "qSupported")
        check(c.ask(b"QStartNoAckMode") == b"OK", "no-ack mode")
        c.ack = False
        for bad in (b"m", b"mzz,4", b"M80000000,4:00", b"pq", b"Z0", b"vCont;q", b"G00"):
            check(c.ask(bad) == b"E01", f"malformed {bad.decode()} -> E01")
        check(c.ask(b"qNotAThing") == b"", "unknown packet -> empty reply")
        check(c.ask(b"m40000000,4") == b"E03", "unmapped memory -> E03")
        c.send(b"x" * 20000)  # longer than PacketSize: refused, the session goes on
        check(c.reply() == b"E01", "an overlong packet -> E01")
        # The debugger may attach before the boot ROM has jumped to the image: step until it has.
        for _ in range(64):
            if pc(c) == 0x80000000:
                break
            c.ask(b"s")
        check(c.ask(b"p20") == b"00000080", "pc in the spin loop")

        # Halted: simulated time stands still, whatever the host does.
        before = mcycle(c)
        time.sleep(0.3)
        check(mcycle(c) == before, "mcycle does not move while the CPU is stopped")

        # Ctrl-C while running.
        c.send(b"vCont;c")
        time.sleep(0.2)
        c.sock.sendall(b"\x03")
        check(c.reply() == b"T02thread:1;", "Ctrl-C stops a running CPU with SIGINT")
        after = mcycle(c)
        check(after > before, "the CPU ran between continue and Ctrl-C", f"{before} -> {after}")

        # Breakpoint and single step.
        check(c.ask(b"Z0,80000000,2") == b"OK", "Z0")
        c.send(b"c")
        check(c.reply() == b"T05thread:1;swbreak:;", "breakpoint hit, reported as swbreak")
        check(c.ask(b"z0,80000000,2") == b"OK", "z0")
        c.send(b"vCont;s:1")
        check(c.reply() == b"T05thread:1;", "single step")
        check(pc(c) == 0x80000000, "the step went round the one-instruction loop")

        # Hang up without a word: the CPU runs on; a new debugger can attach.
        c.close()
        time.sleep(0.3)
        check(ev.proc.poll() is None, "edgevp runs on after the debugger hung up")
        c = Client(ev.port)
        check(c.ask(b"?") == b"T05thread:1;", "a second debugger attaches")
        check(mcycle(c) > after, "the CPU ran while no debugger was attached")
        check(c.ask(b"D") == b"OK", "detach")
        c.close()
        time.sleep(0.2)
        check(ev.proc.poll() is None, "edgevp runs on after detach")

        c = Client(ev.port)
        check(c.ask(b"?") == b"T05thread:1;", "a third debugger attaches")
        c.sock.sendall(b"+" + frame(b"k"))
        rc, _, err = ev.finish()
        check(rc == 137, "kill ends the run with exit code 137", f"(got {rc})")
        check("killed by the debugger" in err, "kill is reported", err)
    finally:
        ev.kill()


def fault_stops_in_the_debugger():
    ev = Edgevp("--gdb-wait", FAULT)
    try:
        c = Client(ev.port)
        check(c.ask(b"?") == b"T05thread:1;", "held at reset")
        c.send(b"c")
        check(c.reply() == b"T0bthread:1;", "a load access fault with no handler stops with SIGSEGV")
        check(pc(c) == 0x80000004, "the pc is on the faulting load")
        c.send(b"c")  # retried: faults again
        check(c.reply() == b"T0bthread:1;", "continuing without the signal retries the instruction")
        c.send(b"C0b")  # delivered: the fault ends the run
        check(c.reply() == b"X0b", "delivering SIGSEGV ends the run: X0b")
        rc, _, err = ev.finish()
        check(rc == 125, "edgevp exits 125 for the fault", f"(got {rc})")
        check("unhandled trap: load access fault" in err, "the fault is reported", err)
    finally:
        ev.kill()


def exit_and_time_limit():
    ev = Edgevp("--gdb-wait", HELLO)
    try:
        c = Client(ev.port)
        c.ask(b"?")
        c.send(b"vCont;c")
        check(c.reply() == b"W00", "firmware exit: W00")
        rc, out, _ = ev.finish()
        check(rc == 0 and "Hello from edgevp!" in out, "hello ran to its end under the debugger")
    finally:
        ev.kill()
    ev = Edgevp("--gdb-wait", "--max-time", "1ms", SPIN)
    try:
        c = Client(ev.port)
        c.ask(b"?")
        c.send(b"c")
        check(c.reply() == b"W7c", "time limit: W7c (exit code 124)")
        rc, _, _ = ev.finish()
        check(rc == 124, "edgevp exits 124", f"(got {rc})")
    finally:
        ev.kill()


def port_in_use():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    p = subprocess.run([EDGEVP, "--gdb", str(port), HELLO], capture_output=True, text=True, timeout=60)
    taken.close()
    check(p.returncode == 74, "a port in use: exit code 74", f"(got {p.returncode})")
    check(f"cannot listen for GDB on 127.0.0.1:{port}: Address already in use" in p.stderr,
          "a port in use is named", p.stderr)


for t in (attach_to_running_cpu, fault_stops_in_the_debugger, exit_and_time_limit, port_in_use):
    print(f"--- {t.__name__}")
    try:
        t()
    except Exception as e:  # a hang-up, a timeout, a protocol error: the test fails, it does not hang
        check(False, f"{t.__name__} raised", repr(e))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
