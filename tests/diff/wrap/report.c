/*
 * Differential ISS test images: the dump, the same in both wrappers. One line per register
 * ("x5 0000beef"), then the scratch buffer eight words per line ("m0020 <8 words>"), then "end".
 * The host (tests/diff/iss_diff.py) compares the two runs' dumps line by line.
 */
#include <stdint.h>

#include "diff.h"

extern uint32_t diff_regs[32];
extern uint32_t diff_scratch[];
extern uint32_t diff_scratch_end[];

static char *put_hex(char *p, uint32_t v, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        p[i] = "0123456789abcdef"[v & 15u];
        v >>= 4;
    }
    return p + digits;
}

void diff_report(void)
{
    char line[96];
    for (unsigned r = 1; r < 32; ++r) {
        char *p = line;
        *p++ = 'x';
        if (r >= 10) *p++ = (char)('0' + r / 10);
        *p++ = (char)('0' + r % 10);
        *p++ = ' ';
        p = put_hex(p, diff_regs[r], 8);
        *p++ = '\n';
        diff_write(line, (unsigned)(p - line));
    }
    const unsigned words = (unsigned)(diff_scratch_end - diff_scratch);
    for (unsigned i = 0; i < words; i += 8) {
        char *p = line;
        *p++ = 'm';
        p = put_hex(p, i * 4u, 4);
        for (unsigned j = i; j < i + 8 && j < words; ++j) {
            *p++ = ' ';
            p = put_hex(p, diff_scratch[j], 8);
        }
        *p++ = '\n';
        diff_write(line, (unsigned)(p - line));
    }
    diff_write("end\n", 4);
    diff_exit(0);
}
