/*
 * UART: 16550-compatible, byte-wide registers at EDGEVP_UART_BASE (intc source EDGEVP_IRQ_UART).
 *
 * On edgevp a transmitted byte leaves at once (LSR.THRE/TEMT stay 1), but the driver waits for
 * THRE like on any 16550, so the same code runs on a real or a slower UART model.
 * stdin/stdout/stderr are bound to the UART (printf works without any init call).
 * Bytes are sent as they are: no "\n" -> "\r\n" translation.
 */
#ifndef EDGEVP_UART_H
#define EDGEVP_UART_H

#include <stdbool.h>
#include <stddef.h>

/* Register offsets (DLAB = 0) and bits. */
#define UART_RBR 0u /* read: receive buffer */
#define UART_THR 0u /* write: transmit holding */
#define UART_IER 1u
#define UART_IIR 2u /* read */
#define UART_FCR 2u /* write */
#define UART_LCR 3u
#define UART_MCR 4u
#define UART_LSR 5u
#define UART_MSR 6u
#define UART_SCR 7u

#define UART_IER_ERBFI (1u << 0) /* interrupt on received data */
#define UART_IER_ETBEI (1u << 1) /* interrupt on THR empty */
#define UART_LCR_8N1   0x03u
#define UART_LCR_DLAB  (1u << 7)
#define UART_LSR_DR    (1u << 0) /* a received byte is waiting */
#define UART_LSR_THRE  (1u << 5) /* THR can take a byte */
#define UART_LSR_TEMT  (1u << 6) /* transmitter empty */

/* 8N1, FIFOs on, interrupts off. Optional: the reset state already works. */
void uart_init(void);

/* Transmit one byte, waiting for THRE first. */
void uart_putc(char c);

/* Transmit a NUL-terminated string / a buffer (no newline added). */
void uart_puts(const char *s);
void uart_write(const void *buf, size_t len);

/* Wait until every byte has left the transmitter (LSR.TEMT). */
void uart_flush(void);

/* True when a received byte is waiting (LSR.DR). */
bool uart_rx_ready(void);

/* Receive one byte, waiting for it (forever if none ever comes). */
int uart_getc(void);

/* Receive one byte if one is waiting, else return -1 at once. */
int uart_try_getc(void);

/* UART interrupt enables (IER bits, see UART_IER_*). */
void uart_set_irq_enable(unsigned ier_bits);

#endif
