/* 16550 UART driver and the picolibc stdio binding. */
#include "edgevp/uart.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/cdefs.h> /* __strong_reference */

#include "edgevp/memmap.h"
#include "edgevp/mmio.h"

static inline uint8_t uart_read(unsigned offset)
{
    return mmio_read8(EDGEVP_UART_BASE + offset);
}

static inline void uart_reg_write(unsigned offset, uint8_t value)
{
    mmio_write8(EDGEVP_UART_BASE + offset, value);
}

void uart_init(void)
{
    uart_reg_write(UART_LCR, UART_LCR_8N1);
    uart_reg_write(UART_IER, 0);
    uart_reg_write(UART_FCR, 0x07); /* enable and clear both FIFOs */
}

void uart_putc(char c)
{
    while (!(uart_read(UART_LSR) & UART_LSR_THRE)) {
    }
    uart_reg_write(UART_THR, (uint8_t)c);
}

void uart_puts(const char *s)
{
    while (*s) {
        uart_putc(*s++);
    }
}

void uart_write(const void *buf, size_t len)
{
    const char *p = buf;
    while (len--) {
        uart_putc(*p++);
    }
}

void uart_flush(void)
{
    while (!(uart_read(UART_LSR) & UART_LSR_TEMT)) {
    }
}

bool uart_rx_ready(void)
{
    return (uart_read(UART_LSR) & UART_LSR_DR) != 0;
}

int uart_getc(void)
{
    while (!uart_rx_ready()) {
    }
    return uart_read(UART_RBR);
}

int uart_try_getc(void)
{
    return uart_rx_ready() ? uart_read(UART_RBR) : -1;
}

void uart_set_irq_enable(unsigned ier_bits)
{
    uart_reg_write(UART_IER, (uint8_t)ier_bits);
}

/*
 * picolibc tinystdio: one unbuffered stream on the UART serves stdin, stdout and stderr.
 * Reading returns EOF when no byte is waiting rather than blocking: edgevp's receive side is
 * a file (uart.rx_file) whose end would otherwise hang the run. Use uart_getc() to block.
 */
static int stdio_put(char c, FILE *file)
{
    (void)file;
    uart_putc(c);
    return (unsigned char)c;
}

static int stdio_get(FILE *file)
{
    (void)file;
    int c = uart_try_getc();
    return c < 0 ? _FDEV_EOF : c;
}

static FILE uart_stdio = FDEV_SETUP_STREAM(stdio_put, stdio_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &uart_stdio;
__strong_reference(stdin, stdout);
__strong_reference(stdin, stderr);
