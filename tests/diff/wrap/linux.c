/*
 * Differential ISS test images: the Linux user wrapper for qemu-riscv32. No libc: the dump goes
 * to stdout with write(2) (a7 = 64) and the run ends with exit(2) (a7 = 93).
 */
#include "diff.h"

static long syscall3(long n, long a, long b, long c)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

void diff_platform_begin(void) {}

void diff_platform_end(void) {}

void diff_write(const char *s, unsigned n)
{
    while (n > 0) {
        const long done = syscall3(64, 1, (long)s, (long)n);
        if (done <= 0) diff_exit(3);
        s += done;
        n -= (unsigned)done;
    }
}

void diff_exit(int code)
{
    for (;;) syscall3(93, code, 0, 0);
}
