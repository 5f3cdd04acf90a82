/*
 * cm4_startup.c - vector table and reset entry of the Cortex-M4 program.
 *
 * The Cortex-M4 boots from BOOT_CM4_ADD0 = 0x0810 (address 0x08100000, the
 * start of flash bank 2) when the BOOT pin is low. cm4.ld places
 * .isr_vector there. At reset the core loads its main stack pointer from
 * word 0 of the table and jumps to word 1 (Reset_Handler). Reset_Handler
 * then copies .data from its load image in flash to D2 SRAM, zeroes .bss,
 * and calls main().
 *
 * The Cortex-M4 sees the same 150 interrupt lines as the Cortex-M7, so its
 * table has the same shape: the 16 ARMv7-M system words (the initial SP,
 * then exceptions 1..15) and IRQ 0..149 (WAKEUP_PIN_IRQn = 149). That makes
 * 166 words, or 664 bytes. VTOR needs the table aligned to the next power
 * of two, 1024 bytes (0x400).
 */
#include <stdint.h>

#include "h745_regs.h"

#define CM4_VECTOR_WORDS (16 + 150)

/* ======== Symbols defined by cm4.ld ======== */

extern uint32_t _estack[]; /* end of D2 SRAM: the initial main stack pointer */
extern uint32_t _sidata[]; /* load address (LMA) of .data in flash */
extern uint32_t _sdata[];  /* start of .data in D2 SRAM (VMA) */
extern uint32_t _edata[];  /* end of .data in D2 SRAM */
extern uint32_t _sbss[];   /* start of .bss in D2 SRAM */
extern uint32_t _ebss[];   /* end of .bss in D2 SRAM */

int main(void);

/* ======== Exception handlers ======== */

void Reset_Handler(void);
void Default_Handler(void);

/*
 * The system handlers are weak aliases of Default_Handler. A program that
 * needs one of them defines a function with the same name.
 */
void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void)
	__attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

/*
 * An unexpected exception or interrupt stops here. A debugger shows where:
 * IPSR holds the exception number.
 */
void Default_Handler(void)
{
	for (;;)
		;
}

/* ======== Vector table ======== */

/*
 * Word 0 is a data address and the other words are code addresses. A
 * struct keeps both types without casts. exception[n - 1] holds the
 * handler of exception number n. The linker sets the Thumb bit (bit 0)
 * of each handler address, as ARMv7-M requires.
 */
struct cm4_vector_table {
	uint32_t *initial_sp;                        /* word 0: MSP */
	void (*exception[CM4_VECTOR_WORDS - 1])(void); /* words 1..165 */
};

_Static_assert(sizeof(struct cm4_vector_table) == 664,
	       "H745 vector table: 166 words");

__attribute__((section(".isr_vector"), used))
const struct cm4_vector_table cm4_vectors = {
	.initial_sp = _estack,
	.exception = {
		[0] = Reset_Handler,		/*  1 Reset */
		[1] = NMI_Handler,		/*  2 NMI */
		[2] = HardFault_Handler,	/*  3 HardFault */
		[3] = MemManage_Handler,	/*  4 MemManage */
		[4] = BusFault_Handler,		/*  5 BusFault */
		[5] = UsageFault_Handler,	/*  6 UsageFault */
		/* 7..10 reserved: 0 */
		[10] = SVC_Handler,		/* 11 SVCall */
		[11] = DebugMon_Handler,	/* 12 DebugMonitor */
		/* 13 reserved: 0 */
		[13] = PendSV_Handler,		/* 14 PendSV */
		[14] = SysTick_Handler,		/* 15 SysTick */
		/* 16..165: IRQ 0..149, none used by this program */
		[15 ... CM4_VECTOR_WORDS - 2] = Default_Handler,
	},
};

/* ======== Reset ======== */

void Reset_Handler(void)
{
	const uint32_t *src = _sidata;
	uint32_t *dst;

	/*
	 * After a reset, the boot address already points VTOR at this table.
	 * Writing it again also covers a start by a debugger or a boot loader
	 * that jumps here.
	 */
	SCB_VTOR = (uint32_t)&cm4_vectors;

	/* .data: copy the initial values from flash (LMA) to SRAM (VMA). */
	for (dst = _sdata; dst < _edata; dst++)
		*dst = *src++;

	/* .bss: zero it. */
	for (dst = _sbss; dst < _ebss; dst++)
		*dst = 0;

	main();

	/* main() never returns; stop here if it does. */
	for (;;)
		;
}
