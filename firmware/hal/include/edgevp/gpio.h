/*
 * GPIO at EDGEVP_GPIO_BASE: 32 pins, bit i = pin i (intc source EDGEVP_IRQ_GPIO; its wake line
 * goes to the PMU).
 *
 *   INPUT       (0x00, ro)  pin levels (an output pin reads what it drives)
 *   OUTPUT      (0x04, rw)  level driven while OUTPUT_EN is set
 *   OUTPUT_EN   (0x08, rw)  1 = output
 *   IRQ_RISE_EN (0x0C, rw)  a rising edge sets IRQ_STATUS
 *   IRQ_FALL_EN (0x10, rw)  a falling edge sets IRQ_STATUS
 *   IRQ_STATUS  (0x14, rw)  latched edges; write 1 to clear
 *   WAKE_EN     (0x18, rw)  a latched edge on the pin also raises the wake line
 *
 * irq = IRQ_STATUS & (IRQ_RISE_EN | IRQ_FALL_EN) != 0 (a level): a handler clears the bits it
 * served (gpio_irq_clear()) before it returns.
 */
#ifndef EDGEVP_GPIO_H
#define EDGEVP_GPIO_H

#include <stdbool.h>
#include <stdint.h>

#define GPIO_INPUT       0x00u
#define GPIO_OUTPUT      0x04u
#define GPIO_OUTPUT_EN   0x08u
#define GPIO_IRQ_RISE_EN 0x0Cu
#define GPIO_IRQ_FALL_EN 0x10u
#define GPIO_IRQ_STATUS  0x14u
#define GPIO_WAKE_EN     0x18u

#define GPIO_NUM_PINS 32u
#define GPIO_PIN(n)   (1u << (n))

/* Edge selection for gpio_irq_enable(). */
#define GPIO_EDGE_RISE 1u
#define GPIO_EDGE_FALL 2u
#define GPIO_EDGE_BOTH (GPIO_EDGE_RISE | GPIO_EDGE_FALL)

uint32_t gpio_read(void);
bool gpio_read_pin(unsigned pin);

/* OUTPUT: the whole register, or the pins in `mask`. */
void gpio_write(uint32_t levels);
void gpio_set(uint32_t mask);
void gpio_clear(uint32_t mask);
void gpio_toggle(uint32_t mask);

/* Direction of the pins in `mask`. */
void gpio_set_output(uint32_t mask);
void gpio_set_input(uint32_t mask);

/* Edge interrupts of the pins in `mask`: enable the given edges (others unchanged), or disable
   both. The intc source is enabled separately (intc_enable(EDGEVP_IRQ_GPIO)). */
void gpio_irq_enable(uint32_t mask, unsigned edges);
void gpio_irq_disable(uint32_t mask);
uint32_t gpio_irq_status(void);
void gpio_irq_clear(uint32_t mask); /* w1c, read back: the line is low before mret */

/* Wake-up from the pins in `mask` (their edges must be enabled with gpio_irq_enable()). */
void gpio_wake_enable(uint32_t mask);
void gpio_wake_disable(uint32_t mask);

#endif
