/*
 * cm4_main.c - the Cortex-M4 half of the h745-blinky sample: a steady blink
 * of LD2 (yellow, PE1) on the NUCLEO-H745ZI-Q.
 *
 * With the factory option bytes (BCM7 = 1, BCM4 = 1) both cores leave reset
 * together. This core starts at 0x08100000 (BOOT_CM4_ADD0 = 0x0810), in
 * parallel with the Cortex-M7 at 0x08000000. ST's dual-core templates hold
 * the Cortex-M4 in D2 STOP until the Cortex-M7 releases a hardware
 * semaphore (HSEM) after it has set up the clocks. This sample changes no
 * clock, so the Cortex-M4 needs no such handshake. It only waits a moment
 * before its first RCC access, so that the two cores do not update the RCC
 * clock enables at the same instant.
 *
 * The program runs on the reset clock (HSI, 64 MHz) and leaves the power,
 * flash and clock settings at their reset values. The blink rate is not
 * calibrated.
 */
#include <stdint.h>

#include "h745_regs.h"

/*
 * Delays in delay-loop iterations (about 10 CPU cycles each). They are
 * writable and initialised, so they live in .data: the startup code copies
 * them from flash to D2 SRAM. The ELF then has a .data load image whose
 * flash address (LMA) differs from its run address (VMA) for dfusetool to
 * place. A debugger can change them on a running board.
 */
uint32_t cm4_start_delay = 200000;
uint32_t cm4_half_period = 3200000;

/* Completed blinks, in .bss (zeroed at reset); for a debugger. */
uint32_t cm4_blinks;

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

int main(void)
{
	uint32_t moder;

	delay(cm4_start_delay);

	/*
	 * Clock GPIOE (RCC_AHB4ENR.GPIOEEN), then read the register back: the
	 * enable takes effect a few bus cycles after the write, and the read
	 * makes sure it has before GPIOE is accessed.
	 */
	RCC_AHB4ENR |= RCC_AHB4ENR_GPIOEEN;
	(void)RCC_AHB4ENR;

	/*
	 * PE1 as a push-pull output (GPIOE_MODER.MODE1 = 01; OTYPER, OSPEEDR
	 * and PUPDR keep their reset values).
	 */
	moder = GPIO_MODER(LD2_PORT);
	moder &= ~GPIO_MODER_MASK(LD2_PIN);
	moder |= GPIO_MODER_OUTPUT(LD2_PIN);
	GPIO_MODER(LD2_PORT) = moder;

	for (;;) {
		GPIO_BSRR(LD2_PORT) = GPIO_BSRR_SET(LD2_PIN);
		delay(cm4_half_period);
		GPIO_BSRR(LD2_PORT) = GPIO_BSRR_RESET(LD2_PIN);
		delay(cm4_half_period);
		cm4_blinks++;
	}
}
