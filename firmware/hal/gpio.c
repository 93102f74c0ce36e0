/* GPIO driver. The registers have no set/clear aliases: read-modify-write runs with interrupts
   disabled, so a handler touching the same register cannot lose an update. */
#include "edgevp/gpio.h"

#include "edgevp/irq.h"
#include "edgevp/memmap.h"
#include "edgevp/mmio.h"

#define GPIO(offset) ((uintptr_t)EDGEVP_GPIO_BASE + (offset))

static void modify(uint32_t offset, uint32_t clear, uint32_t set)
{
    uint32_t saved = irq_disable();
    mmio_write32(GPIO(offset), (mmio_read32(GPIO(offset)) & ~clear) | set);
    irq_restore(saved);
}

uint32_t gpio_read(void)
{
    return mmio_read32(GPIO(GPIO_INPUT));
}

bool gpio_read_pin(unsigned pin)
{
    return pin < GPIO_NUM_PINS && (gpio_read() & GPIO_PIN(pin)) != 0;
}

void gpio_write(uint32_t levels)
{
    mmio_write32(GPIO(GPIO_OUTPUT), levels);
}

void gpio_set(uint32_t mask)
{
    modify(GPIO_OUTPUT, 0, mask);
}

void gpio_clear(uint32_t mask)
{
    modify(GPIO_OUTPUT, mask, 0);
}

void gpio_toggle(uint32_t mask)
{
    uint32_t saved = irq_disable();
    mmio_write32(GPIO(GPIO_OUTPUT), mmio_read32(GPIO(GPIO_OUTPUT)) ^ mask);
    irq_restore(saved);
}

void gpio_set_output(uint32_t mask)
{
    modify(GPIO_OUTPUT_EN, 0, mask);
}

void gpio_set_input(uint32_t mask)
{
    modify(GPIO_OUTPUT_EN, mask, 0);
}

void gpio_irq_enable(uint32_t mask, unsigned edges)
{
    if (edges & GPIO_EDGE_RISE) {
        modify(GPIO_IRQ_RISE_EN, 0, mask);
    }
    if (edges & GPIO_EDGE_FALL) {
        modify(GPIO_IRQ_FALL_EN, 0, mask);
    }
}

void gpio_irq_disable(uint32_t mask)
{
    modify(GPIO_IRQ_RISE_EN, mask, 0);
    modify(GPIO_IRQ_FALL_EN, mask, 0);
}

uint32_t gpio_irq_status(void)
{
    return mmio_read32(GPIO(GPIO_IRQ_STATUS));
}

void gpio_irq_clear(uint32_t mask)
{
    mmio_write32(GPIO(GPIO_IRQ_STATUS), mask);
    (void)mmio_read32(GPIO(GPIO_IRQ_STATUS));
}

void gpio_wake_enable(uint32_t mask)
{
    modify(GPIO_WAKE_EN, 0, mask);
}

void gpio_wake_disable(uint32_t mask)
{
    modify(GPIO_WAKE_EN, mask, 0);
}
