/*
 * cm7_main.c - the Cortex-M7 half of the h745-blinky sample: a heartbeat on
 * LD1 (green, PB0) of the NUCLEO-H745ZI-Q.
 *
 * With the factory option bytes (BCM7 = 1, BCM4 = 1) both cores leave reset
 * together. This core starts at 0x08000000 (BOOT_CM7_ADD0 = 0x0800) and the
 * Cortex-M4 starts at 0x08100000 (BOOT_CM4_ADD0 = 0x0810). The two programs
 * do not talk to each other. Each one enables the clock of its own GPIO
 * port and drives its own LED, so no HSEM handshake is needed.
 *
 * The program runs on the reset clock (HSI, 64 MHz). It leaves the supply
 * configuration (PWR_CR3), the voltage scaling, the flash wait states and
 * the caches at their reset values. The blink rate therefore depends on
 * those settings and is not calibrated.
 */
#include <stdint.h>

#include "h745_regs.h"

/*
 * The heartbeat: LD1 on, off, on, off, counted in delay-loop iterations
 * (about 10 CPU cycles each). The table is deliberately not const: as an
 * initialised, writable variable it lives in .data, which the startup code
 * copies from flash to DTCM. The ELF then has a .data load image whose
 * flash address (LMA) differs from its run address (VMA), for dfusetool to
 * place. A debugger can change the rhythm of a running board here.
 */
uint32_t cm7_heartbeat[4] = { 800000, 1200000, 800000, 4800000 };

/* Completed heartbeats, in .bss (zeroed at reset); for a debugger. */
uint32_t cm7_beats;

/*
 * Busy-wait for n loop iterations. The counter is volatile so that the
 * compiler keeps the loop.
 */
static void delay(uint32_t n)
{
	volatile uint32_t i;

	for (i = 0; i < n; i++)
		;
}

/* Drive LD1 on or off through GPIOB_BSRR. */
static void ld1(int on)
{
	GPIO_BSRR(LD1_PORT) = on ? GPIO_BSRR_SET(LD1_PIN)
				 : GPIO_BSRR_RESET(LD1_PIN);
}

int main(void)
{
	uint32_t moder;
	unsigned int step;

	/*
	 * Clock GPIOB (RCC_AHB4ENR.GPIOBEN), then read the register back: the
	 * enable takes effect a few bus cycles after the write, and the read
	 * makes sure it has before GPIOB is accessed.
	 */
	RCC_AHB4ENR |= RCC_AHB4ENR_GPIOBEN;
	(void)RCC_AHB4ENR;

	/*
	 * PB0 as a push-pull output (GPIOB_MODER.MODE0 = 01; OTYPER, OSPEEDR
	 * and PUPDR keep their reset values).
	 */
	moder = GPIO_MODER(LD1_PORT);
	moder &= ~GPIO_MODER_MASK(LD1_PIN);
	moder |= GPIO_MODER_OUTPUT(LD1_PIN);
	GPIO_MODER(LD1_PORT) = moder;

	for (;;) {
		for (step = 0; step < 4; step++) {
			ld1(step % 2 == 0);
			delay(cm7_heartbeat[step]);
		}
		cm7_beats++;
	}
}
