/*
 * h745_regs.h - the few STM32H745 registers that the blinky sample uses.
 *
 * Both cores include this file. Each register is a volatile 32-bit word at a
 * fixed address, so no CMSIS or HAL header is needed. The names in the
 * comments are the register and bit names of RM0399 (the STM32H745/755 and
 * STM32H747/757 reference manual). The addresses match ST's stm32h745xx.h.
 * The two cores see the RCC and the GPIO ports at the same addresses.
 */
#ifndef H745_REGS_H
#define H745_REGS_H

#include <stdint.h>

#define H745_REG(addr) (*(volatile uint32_t *)(addr))

/* ======== RCC: reset and clock control (D3 domain, AHB4) ======== */

#define RCC_BASE 0x58024400u

/*
 * RCC_AHB4ENR, "RCC AHB4 clock register", offset 0xE0: the clock enables
 * of the GPIO ports. Each CPU of the dual-core part also has its own copy
 * of these bits (RCC_C1_AHB4ENR at 0x140 for the Cortex-M7,
 * RCC_C2_AHB4ENR at 0x1A0 for the Cortex-M4). ST's HAL uses the 0xE0
 * address from either core, and so does this sample.
 */
#define RCC_AHB4ENR H745_REG(RCC_BASE + 0xE0u)
#define RCC_AHB4ENR_GPIOBEN (1u << 1) /* GPIOBEN: port B clock enable */
#define RCC_AHB4ENR_GPIOEEN (1u << 4) /* GPIOEEN: port E clock enable */

/* ======== GPIO ports (D3 domain, AHB4) ======== */

#define GPIOB_BASE 0x58020400u
#define GPIOE_BASE 0x58021000u

/* GPIOx_MODER, offset 0x00: two bits per pin, 00 input, 01 output. */
#define GPIO_MODER(port) H745_REG((port) + 0x00u)
#define GPIO_MODER_MASK(pin) (3u << (2u * (pin)))
#define GPIO_MODER_OUTPUT(pin) (1u << (2u * (pin)))

/*
 * GPIOx_BSRR, offset 0x18: writing 1 to BSn drives pin n high, writing 1
 * to BRn (bit n + 16) drives it low. The write is atomic, so no
 * read-modify-write of GPIOx_ODR is needed.
 */
#define GPIO_BSRR(port) H745_REG((port) + 0x18u)
#define GPIO_BSRR_SET(pin) (1u << (pin))
#define GPIO_BSRR_RESET(pin) (1u << ((pin) + 16u))

/*
 * ======== System control block (both cores) ========
 *
 * VTOR, the vector table offset register, is at the same address on the
 * Cortex-M7 and on the Cortex-M4 (ARMv7-M Architecture Reference Manual,
 * system control block).
 */
#define SCB_VTOR H745_REG(0xE000ED08u)

/* ======== NUCLEO-H745ZI-Q user LEDs (UM2408) ======== */

#define LD1_PORT GPIOB_BASE /* LD1, green: PB0, driven by the Cortex-M7 */
#define LD1_PIN 0u
#define LD2_PORT GPIOE_BASE /* LD2, yellow: PE1, driven by the Cortex-M4 */
#define LD2_PIN 1u

#endif /* H745_REGS_H */
