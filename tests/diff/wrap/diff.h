/* Differential ISS test images: what the common code (start.S, report.c) needs from a wrapper. */
#ifndef EDGEVP_DIFF_H
#define EDGEVP_DIFF_H

/* Called before the program runs and after its registers are saved (edgevp: region markers). */
void diff_platform_begin(void);
void diff_platform_end(void);
/* Writes n bytes of the report. */
void diff_write(const char *s, unsigned n);
/* Ends the run with the exit code. */
__attribute__((noreturn)) void diff_exit(int code);

__attribute__((noreturn)) void diff_report(void);

#endif
