/*
 * profiles.c - built-in device profiles: flash banks and sectors, the flash
 * word, memory regions, and each core's default boot address.
 *
 * Every number cites its primary source (doc/sources.md lists them), or
 * says INFERRED: a design assumption, not a fact.
 *  - RM0399 §4 and ST's CMSIS header: H745xI bank 1 0x08000000-0x080FFFFF,
 *    bank 2 0x08100000-0x081FFFFF, 8 sectors of 128 KiB per bank, flash
 *    word 256 bits = 32 bytes.  xG: 512 KiB per bank (4 sectors, INFERRED
 *    from the sizes), bank 2 still at 0x08100000.
 *  - RM0399 §2: the RAM map of the H743-H757 (the H742 differs and is not
 *    here), and which core reaches what.
 *  - ST's CMSIS headers: the sister parts (H750, H7A3/B3, H723/733).
 *  - RM0399 §4.4: factory boot addresses BOOT_CM7_ADD0 = 0x0800
 *    (0x08000000) and BOOT_CM4_ADD0 = 0x0810 (0x08100000).
 *  - The ROM as observed (doc/sources.md, Observed): the ROM DFU
 *    bootloader is 0483:DF11 and its alt 1 is
 *    "@Option Bytes /0x5200201C/01*128 e".
 * The list is data: adding a part means adding rows, never code.  The
 * invariants (sorted, disjoint regions, banks inside flash regions, boot
 * addresses inside banks) are checked for every profile by
 * tests/unit/test_profiles.c.
 */
#include "common.h"
#include "err.h"
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CM7 DFUSE_CORE_BIT(DFUSE_CORE_CM7)
#define CM4 DFUSE_CORE_BIT(DFUSE_CORE_CM4)

#define KIB 1024u
#define MIB (1024u * 1024u)

#define NREG(a) (sizeof(a) / sizeof((a)[0]))

/* ======== H742/H743/H745/H747/H750/H753/H755/H757 (DEV_ID 0x450) ======== */

/*
 * RM0399 §2.  bl_write follows AN2606 Table 226: the ROM may use
 * 0x20004100-0x2001FFFF and 0x24005000-0x2407FFFF for commands, and it
 * cannot reach SRAM1-3 or ITCM (AN2606 Table 136, V9.0); other RAM it is
 * not documented to reach is treated as not writable (INFERRED,
 * defensive).  The ROM's own share of AXI SRAM was 208 KiB before V9.1
 * (AN2606); the split below is the current ROM's.  TCMs and system memory
 * are CM7-only (RM0399 §2); on the dual-core parts the 0x10000000 D2
 * alias is CM4-only (INFERRED from ST's CM4 linker scripts).  The
 * single-core parts omit that alias: whether the CM7 can use it is NOT
 * FOUND (doc/sources.md, Open questions), so an image there is "no
 * memory" (INFERRED, defensive).
 */
#define H74X_ITCM /* 64 KiB, RM0399 §2 */                                     \
	{                                                                      \
		"ITCM", 0x00000000u, 64 * KIB, DFUSE_MEM_RAM, CM7, 0           \
	}
#define H74X_BANK1(size, cores) /* RM0399 §4 */                               \
	{                                                                      \
		"Flash bank 1", 0x08000000u, (size), DFUSE_MEM_FLASH, (cores), \
			1                                                      \
	}
#define H74X_BANK2(size, cores) /* RM0399 §4: always at 0x08100000 */         \
	{                                                                      \
		"Flash bank 2", 0x08100000u, (size), DFUSE_MEM_FLASH, (cores), \
			1                                                      \
	}
#define H74X_D2_ALIAS /* 288 KiB, RM0399 §2 */                                \
	{                                                                      \
		"D2 SRAM (CM4 alias)", 0x10000000u, 288 * KIB, DFUSE_MEM_RAM,  \
			CM4, 0                                                 \
	}
/* From system memory up; `all` is the mask of every core of the part. */
#define H74X_UPPER(all)                                                         \
	/* 0x1FF00000-0x1FF1E7FF, RM0399 §2 and AN2606 Table 226 */            \
	{"System memory",                                                       \
	 0x1FF00000u,                                                           \
	 0x1E800u,                                                              \
	 DFUSE_MEM_SYSTEM,                                                      \
	 CM7,                                                                   \
	 0}, /* DTCM 128 KiB, RM0399 §2; the ROM keeps 0x20000000-0x200040FF   \
	      */                                                                \
		{"DTCM (bootloader's)", 0x20000000u, 0x4100u,                   \
		 DFUSE_MEM_RAM,		CM7,	     0},                        \
		{"DTCM", 0x20004100u, 0x1BF00u, DFUSE_MEM_RAM, CM7,             \
		 1}, /* AXI SRAM 512 KiB, RM0399 §2; the ROM keeps the first   \
			20 KiB */                                               \
		{"AXI SRAM (bootloader's)",                                     \
		 0x24000000u,                                                   \
		 0x5000u,                                                       \
		 DFUSE_MEM_RAM,                                                 \
		 (all),                                                         \
		 0},                                                            \
		{"AXI SRAM", 0x24005000u, 0x7B000u, DFUSE_MEM_RAM, (all),       \
		 1}, /* SRAM1 128K + SRAM2 128K + SRAM3 32K, RM0399 §2 */      \
		{"SRAM1-3 (D2)", 0x30000000u, 288 * KIB,                        \
		 DFUSE_MEM_RAM,	 (all),	      0},                               \
		{"SRAM4 (D3)", 0x38000000u, 64 * KIB, DFUSE_MEM_RAM, (all), 0}, \
		{"Backup SRAM", 0x38800000u, 4 * KIB, DFUSE_MEM_RAM, (all), 0}, \
	/* OPTSR_CUR, RM0399 §4.9; 128 bytes: the ROM's alt 1 (observed) */    \
	{                                                                       \
		"Option bytes", 0x5200201Cu, 128, DFUSE_MEM_OPTION, CM7, 1      \
	}

/* H745/H755/H747/H757 xI: 2 x 1 MiB */
static const struct region h745xi_regions[] = {
	H74X_ITCM,
	H74X_BANK1(1 * MIB, CM7 | CM4),
	H74X_BANK2(1 * MIB, CM7 | CM4),
	H74X_D2_ALIAS,
	H74X_UPPER(CM7 | CM4),
};

/* H745/H747 xG: 2 x 512 KiB, RM0399 §4 */
static const struct region h745xg_regions[] = {
	H74X_ITCM,
	H74X_BANK1(512 * KIB, CM7 | CM4),
	H74X_BANK2(512 * KIB, CM7 | CM4),
	H74X_D2_ALIAS,
	H74X_UPPER(CM7 | CM4),
};

/* H743/H753 xI: the same map, CM7 only (CMSIS stm32h743xx.h) */
static const struct region h743xi_regions[] = {
	H74X_ITCM,
	H74X_BANK1(1 * MIB, CM7),
	H74X_BANK2(1 * MIB, CM7),
	H74X_UPPER(CM7),
};

/* H743xG: 2 x 512 KiB, CMSIS */
static const struct region h743xg_regions[] = {
	H74X_ITCM,
	H74X_BANK1(512 * KIB, CM7),
	H74X_BANK2(512 * KIB, CM7),
	H74X_UPPER(CM7),
};

/*
 * H750xB: one 128 KiB sector, FLASH_END 0x0801FFFF (CMSIS).  The ROM's
 * alt 0 still claims 16*128K (doc/sources.md, Observed); the profile does not
 * believe it.
 */
static const struct region h750xb_regions[] = {
	H74X_ITCM,
	H74X_BANK1(128 * KIB, CM7),
	H74X_UPPER(CM7),
};

/* ======== H7A3/H7B3 (DEV_ID 0x480), CMSIS ======== */

/*
 * Single core (CM7).  RAM sizes and addresses are from ST's CMSIS header
 * unless marked.  Our sources do not give the TCMs, the backup SRAM or
 * system memory for this die.  Their bases are those of the H74x, which a look
 * at a copy of the CMSIS header (CD_ITCMRAM_BASE, CD_DTCMRAM_BASE,
 * SRD_BKPSRAM_BASE) agrees with, and so are their sizes (all INFERRED).
 * AN2606's bootloader RAM for this part is not in our sources, so no RAM is
 * bootloader-writable (INFERRED, defensive).
 */
static const struct region h7a3_regions[] = {
	/* INFERRED: 64 KiB as on the H74x */
	{"ITCM", 0x00000000u, 64 * KIB, DFUSE_MEM_RAM, CM7, 0},
	/* 2 x 128 sectors x 8 KiB, CMSIS */
	{"Flash bank 1", 0x08000000u, 1 * MIB, DFUSE_MEM_FLASH, CM7, 1},
	{"Flash bank 2", 0x08100000u, 1 * MIB, DFUSE_MEM_FLASH, CM7, 1},
	/* 0x08FFF000-0x08FFF3FF, CMSIS stm32h7a3xx.h; the ROM's "@OTP Memory"
	   alt (doc/sources.md, Observed) writes it */
	{"OTP", 0x08FFF000u, 1 * KIB, DFUSE_MEM_OTP, CM7, 1},
	/* INFERRED: the H74x base (RM0399 §2, §4.4); the size is the "up to
	   128KB" in CMSIS, the larger (defensive) choice for a read-only
	   region */
	{"System memory", 0x1FF00000u, 128 * KIB, DFUSE_MEM_SYSTEM, CM7, 0},
	/* INFERRED: 128 KiB as on the H74x */
	{"DTCM", 0x20000000u, 128 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"AXI SRAM1", 0x24000000u, 256 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"AXI SRAM2", 0x24040000u, 384 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"AXI SRAM3", 0x240A0000u, 384 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"AHB SRAM1", 0x30000000u, 64 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"AHB SRAM2", 0x30010000u, 64 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"SRD SRAM", 0x38000000u, 32 * KIB, DFUSE_MEM_RAM, CM7, 0},
	/* INFERRED: 4 KiB as on the H74x */
	{"Backup SRAM", 0x38800000u, 4 * KIB, DFUSE_MEM_RAM, CM7, 0},
	/* The ROM listing of doc/sources.md, Observed (2nd-hand; that it is a
	   0x480 part is INFERRED) */
	{"Option bytes", 0x5200201Cu, 128, DFUSE_MEM_OPTION, CM7, 1},
};

/* ======== H723/H725/H733/H735 (DEV_ID 0x483), CMSIS ======== */

/*
 * Single core (CM7), one bank of 8 x 128 KiB ending at 0x080FFFFF.
 * - AXI SRAM2 (0x24020000) is "up to 192K shared with ITCM" through the
 *   TCM_AXI_SHARED option (CMSIS stm32h723xx.h): listed at its largest with
 *   ITCM at its smallest, 64 KiB (INFERRED: the factory split).
 * - D2 SRAM2: CMSIS says 0x30004000, Zephyr 0x30040000 (the two
 *   disagree).  ST's own header wins, which also makes SRAM1-2 contiguous;
 *   0x30040000 stays unmapped so an image there is flagged (defensive).
 * - DTCM, backup SRAM: not in our sources; the H74x values (INFERRED).
 * - System memory and option bytes: not in our sources for this ROM; the
 *   same choices as for the H7A3 (INFERRED).
 * - Our sources give no bootloader RAM for this ROM: no RAM is
 *   bootloader-writable (INFERRED, defensive).
 */
static const struct region h723_regions[] = {
	/* INFERRED: 64 KiB, the TCM_AXI_SHARED minimum */
	{"ITCM", 0x00000000u, 64 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"Flash bank 1", 0x08000000u, 1 * MIB, DFUSE_MEM_FLASH, CM7, 1},
	/* INFERRED base and size, as for the H7A3 */
	{"System memory", 0x1FF00000u, 128 * KIB, DFUSE_MEM_SYSTEM, CM7, 0},
	/* INFERRED: 128 KiB as on the H74x */
	{"DTCM", 0x20000000u, 128 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"AXI SRAM1", 0x24000000u, 128 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"AXI SRAM2", 0x24020000u, 192 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"SRAM1 (D2)", 0x30000000u, 16 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"SRAM2 (D2)", 0x30004000u, 16 * KIB, DFUSE_MEM_RAM, CM7, 0},
	{"SRAM4 (D3)", 0x38000000u, 16 * KIB, DFUSE_MEM_RAM, CM7, 0},
	/* INFERRED: 4 KiB as on the H74x */
	{"Backup SRAM", 0x38800000u, 4 * KIB, DFUSE_MEM_RAM, CM7, 0},
	/* INFERRED: same FLASH block and alt 1 as the 0x450 ROM */
	{"Option bytes", 0x5200201Cu, 128, DFUSE_MEM_OPTION, CM7, 1},
};

/* ======== The profiles ======== */

#define BOOT_CM7 0x08000000u /* BOOT_CM7_ADD0 default, RM0399 §4.4 */
#define BOOT_CM4 0x08100000u /* BOOT_CM4_ADD0 default, RM0399 §4.4 */
#define ROM_VID 0x0483	     /* doc/sources.md, Observed */
#define ROM_PID 0xDF11	     /* doc/sources.md, Observed */

/* Two banks at 0x08000000 and 0x08100000 (RM0399 §4, CMSIS headers). */
#define TWO_BANKS(count, size)                                                 \
	{                                                                      \
		{0x08000000u, (size), (count)},                                \
		{                                                              \
			0x08100000u, (size), (count)                           \
		}                                                              \
	}
#define ONE_BANK(count, size)                                                  \
	{                                                                      \
		{                                                              \
			0x08000000u, (size), (count)                           \
		}                                                              \
	}

/*
 * Flash timing per sector and flash word (DS12110, the 0x450 die;
 * the H745's own datasheet is NOT FOUND).  Typical: x32 (the ROM runs at
 * voltage range 3; CubeProgrammer's log shows ~0.9 s per sector); worst:
 * x8.  The erase worst case is the basis of every erase deadline.
 */
#define T128K 1100, 4000, 130, 580
/* 8 KiB sectors (H7A3/B3): no datasheet figure here (NOT FOUND).  The
 * typical time is scaled from 128 KiB for estimates only; the worst case
 * stays at the 128 KiB figure, so that a deadline is never too short. */
#define T8K 70, 4000, 130, 580
/* The 0x450 ROM's bank-2 erase bug (AN2606 Table 136, BL V9.1 and H743
 * rev V).  The H7A3/B3 ROM is not known to have it (NOT FOUND); recovery
 * is on there too, because it is safe: a recovered sector must read back
 * blank before anything is written to it. */
#define STUCK_BANK2 0x08100000u
#define NO_STUCK 0u

/* stm32h745xi stays first: it is the default. */
static const dfuse_profile profiles[] = {
	{
		"stm32h745xi",
		"STM32H745xI: CM7 + CM4, 2 MiB flash in 2 banks of 8 x 128 KiB",
		32, /* RM0399 §4 */
		CM7 | CM4,
		2,
		TWO_BANKS(8, 128 * KIB),
		NREG(h745xi_regions),
		h745xi_regions,
		BOOT_CM7,
		BOOT_CM4,
		ROM_VID,
		ROM_PID,
		T128K,
		STUCK_BANK2,
	},
	{
		"stm32h745xg",
		"STM32H745xG: CM7 + CM4, 1 MiB flash in 2 banks of 4 x 128 KiB",
		32, /* CMSIS */
		CM7 | CM4,
		2,
		TWO_BANKS(4, 128 * KIB), /* 4 sectors: INFERRED from the size */
		NREG(h745xg_regions),
		h745xg_regions,
		BOOT_CM7,
		BOOT_CM4,
		ROM_VID,
		ROM_PID,
		T128K,
		STUCK_BANK2,
	},
	{
		"stm32h755xi",
		"STM32H755xI: CM7 + CM4, 2 MiB flash in 2 banks of 8 x 128 KiB",
		32, /* CMSIS */
		CM7 | CM4,
		2,
		TWO_BANKS(8, 128 * KIB),
		NREG(h745xi_regions),
		h745xi_regions,
		BOOT_CM7,
		BOOT_CM4,
		ROM_VID,
		ROM_PID,
		T128K,
		STUCK_BANK2,
	},
	{
		"stm32h747xi",
		"STM32H747xI: CM7 + CM4, 2 MiB flash in 2 banks of 8 x 128 KiB",
		32, /* CMSIS */
		CM7 | CM4,
		2,
		TWO_BANKS(8, 128 * KIB),
		NREG(h745xi_regions),
		h745xi_regions,
		BOOT_CM7,
		BOOT_CM4,
		ROM_VID,
		ROM_PID,
		T128K,
		STUCK_BANK2,
	},
	{
		"stm32h757xi",
		"STM32H757xI: CM7 + CM4, 2 MiB flash in 2 banks of 8 x 128 KiB",
		32, /* CMSIS */
		CM7 | CM4,
		2,
		TWO_BANKS(8, 128 * KIB),
		NREG(h745xi_regions),
		h745xi_regions,
		BOOT_CM7,
		BOOT_CM4,
		ROM_VID,
		ROM_PID,
		T128K,
		STUCK_BANK2,
	},
	{
		"stm32h743xi",
		"STM32H743xI: CM7, 2 MiB flash in 2 banks of 8 x 128 KiB",
		32, /* CMSIS */
		CM7,
		2,
		TWO_BANKS(8, 128 * KIB),
		NREG(h743xi_regions),
		h743xi_regions,
		BOOT_CM7,
		0,
		ROM_VID,
		ROM_PID,
		T128K,
		STUCK_BANK2,
	},
	{
		"stm32h743xg",
		"STM32H743xG: CM7, 1 MiB flash in 2 banks of 4 x 128 KiB",
		32, /* CMSIS */
		CM7,
		2,
		TWO_BANKS(4, 128 * KIB), /* 4 sectors: INFERRED from the size */
		NREG(h743xg_regions),
		h743xg_regions,
		BOOT_CM7,
		0,
		ROM_VID,
		ROM_PID,
		T128K,
		STUCK_BANK2,
	},
	{
		"stm32h753xi",
		"STM32H753xI: CM7, 2 MiB flash in 2 banks of 8 x 128 KiB",
		32, /* CMSIS */
		CM7,
		2,
		TWO_BANKS(8, 128 * KIB),
		NREG(h743xi_regions),
		h743xi_regions,
		BOOT_CM7,
		0,
		ROM_VID,
		ROM_PID,
		T128K,
		STUCK_BANK2,
	},
	{
		"stm32h750xb",
		"STM32H750xB: CM7, 128 KiB flash in 1 bank of 1 x 128 KiB",
		32, /* CMSIS */
		CM7,
		1,
		ONE_BANK(1, 128 * KIB), /* CMSIS */
		NREG(h750xb_regions),
		h750xb_regions,
		BOOT_CM7,
		0,
		ROM_VID,
		ROM_PID,
		T128K,
		NO_STUCK,
	},
	{
		"stm32h7a3xi",
		"STM32H7A3xI: CM7, 2 MiB flash in 2 banks of 128 x 8 KiB",
		16, /* FLASH_NB_32BITWORD_IN_FLASHWORD 4, CMSIS headers */
		CM7,
		2,
		TWO_BANKS(128, 8 * KIB), /* CMSIS */
		NREG(h7a3_regions),
		h7a3_regions,
		BOOT_CM7, /* INFERRED: RM0399 §4.4 is for the H74x/75x */
		0,
		ROM_VID, /* INFERRED: only the 0x450 ROM was observed */
		ROM_PID,
		T8K,
		STUCK_BANK2,
	},
	{
		"stm32h7b3xi",
		"STM32H7B3xI: CM7, 2 MiB flash in 2 banks of 128 x 8 KiB",
		16, /* CMSIS headers */
		CM7,
		2,
		TWO_BANKS(128, 8 * KIB), /* CMSIS */
		NREG(h7a3_regions),
		h7a3_regions,
		BOOT_CM7, /* INFERRED, as for the H7A3 */
		0,
		ROM_VID, /* INFERRED, as for the H7A3 */
		ROM_PID,
		T8K,
		STUCK_BANK2,
	},
	{
		"stm32h723xg",
		"STM32H723xG: CM7, 1 MiB flash in 1 bank of 8 x 128 KiB",
		32, /* CMSIS headers */
		CM7,
		1,
		ONE_BANK(8, 128 * KIB), /* CMSIS */
		NREG(h723_regions),
		h723_regions,
		BOOT_CM7, /* INFERRED: RM0399 §4.4 is for the H74x/75x */
		0,
		ROM_VID, /* INFERRED: the 0x450 ROM's IDs (observed) */
		ROM_PID,
		T128K,
		NO_STUCK,
	},
	{
		"stm32h733xg",
		"STM32H733xG: CM7, 1 MiB flash in 1 bank of 8 x 128 KiB",
		32, /* CMSIS headers */
		CM7,
		1,
		ONE_BANK(8, 128 * KIB), /* CMSIS */
		NREG(h723_regions),
		h723_regions,
		BOOT_CM7, /* INFERRED, as for the H723 */
		0,
		ROM_VID, /* INFERRED, as for the H723 */
		ROM_PID,
		T128K,
		NO_STUCK,
	},
};

#define NPROFILES (sizeof(profiles) / sizeof(profiles[0]))

const dfuse_profile *dfuse_profile_default(void)
{
	return &profiles[0];
}

const dfuse_profile *dfuse_profile_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NPROFILES; i++)
		if (strcasecmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

size_t dfuse_profile_count_builtin(void)
{
	return NPROFILES;
}

const dfuse_profile *dfuse_profile_get_builtin(size_t i)
{
	return i < NPROFILES ? &profiles[i] : NULL;
}

void dfuse_profile_get_info(dfuse_profile_info *out, const dfuse_profile *p)
{
	out->name = p->name;
	out->description = p->description;
	out->flash_word = p->flash_word;
	out->bank_count = p->nbanks;
	out->dual_core = dfuse__profile_dual(p);
	out->cores = p->cores;
	out->region_count = p->nregions;
	out->usb_vid = p->usb_vid;
	out->usb_pid = p->usb_pid;
}

int dfuse_profile_get_region(dfuse_region_info *out, const dfuse_profile *p,
			     size_t i)
{
	const struct region *r;

	if (i >= p->nregions)
		return dfuse__error(DFUSE_EINVAL,
				    "%s has no region %zu (it has %zu)",
				    p->name, i, p->nregions);
	r = &p->regions[i];
	out->name = r->name;
	out->base = r->base;
	out->size = r->size;
	out->kind = r->kind;
	out->cores = r->cores;
	out->bootloader_writable = r->bl_write;
	out->writable = r->kind != DFUSE_MEM_SYSTEM;
	return 0;
}

int dfuse_profile_find_region(const dfuse_profile *p, uint32_t address)
{
	size_t i;

	for (i = 0; i < p->nregions; i++)
		if (address >= p->regions[i].base &&
		    (uint64_t)address <
			    (uint64_t)p->regions[i].base + p->regions[i].size)
			return (int)i;
	return DFUSE_ENOTFOUND;
}

uint32_t dfuse_profile_get_boot_address(const dfuse_profile *p, int core)
{
	switch (core) {
	case DFUSE_CORE_CM7:
		return p->boot_cm7;
	case DFUSE_CORE_CM4:
		return p->boot_cm4;
	case DFUSE_CORE_NONE:
	default:
		return 0;
	}
}

static int in_bank(const struct bank *b, uint32_t address)
{
	uint64_t end =
		(uint64_t)b->base + (uint64_t)b->sector_size * b->sector_count;

	return address >= b->base && address < end;
}

/* The core whose default boot address lies in the bank, if any. */
static int bank_core(const dfuse_profile *p, const struct bank *b)
{
	if (p->boot_cm7 && in_bank(b, p->boot_cm7))
		return DFUSE_CORE_CM7;
	if (p->boot_cm4 && in_bank(b, p->boot_cm4))
		return DFUSE_CORE_CM4;
	return DFUSE_CORE_NONE;
}

int dfuse_profile_get_bank(dfuse_bank_info *out, const dfuse_profile *p,
			   size_t i)
{
	if (i >= p->nbanks)
		return dfuse__error(DFUSE_EINVAL,
				    "%s has no bank %zu (it has %zu)", p->name,
				    i + 1, p->nbanks);
	out->number = (unsigned)(i + 1);
	out->base = p->banks[i].base;
	out->sector_size = p->banks[i].sector_size;
	out->sector_count = p->banks[i].sector_count;
	out->core = bank_core(p, &p->banks[i]);
	return 0;
}

int dfuse_profile_locate(dfuse_flash_location *out, const dfuse_profile *p,
			 uint32_t address)
{
	size_t i;

	for (i = 0; i < p->nbanks; i++) {
		const struct bank *b = &p->banks[i];

		if (!in_bank(b, address))
			continue;
		out->bank = (unsigned)(i + 1);
		out->sector = (address - b->base) / b->sector_size;
		out->sector_base = b->base + out->sector * b->sector_size;
		out->core = bank_core(p, b);
		return 0;
	}
	return DFUSE_ENOTFOUND;
}

size_t dfuse_profile_locate_range(dfuse_flash_span *out, size_t max,
				  const dfuse_profile *p, uint32_t address,
				  uint32_t size)
{
	const uint64_t lo = address, hi = (uint64_t)address + (size ? size : 1);
	size_t i, n = 0;

	for (i = 0; i < p->nbanks; i++) {
		const struct bank *b = &p->banks[i];
		const uint64_t blo = b->base,
			       bhi = blo +
				     (uint64_t)b->sector_size * b->sector_count;
		const uint64_t a = lo > blo ? lo : blo, z = hi < bhi ? hi : bhi;

		if (a >= z)
			continue;
		if (n < max) {
			out[n].bank = (unsigned)(i + 1);
			out[n].first = (uint32_t)((a - blo) / b->sector_size);
			out[n].last =
				(uint32_t)((z - 1 - blo) / b->sector_size);
			out[n].core = bank_core(p, b);
		}
		n++;
	}
	return n;
}

const char *dfuse_core_name(int core)
{
	switch (core) {
	case DFUSE_CORE_CM7:
		return "cm7";
	case DFUSE_CORE_CM4:
		return "cm4";
	case DFUSE_CORE_NONE:
	default:
		return "none";
	}
}

/* ======== Profiles derived from a layout string ======== */

/*
 * dfuse_profile_new_with_layout(): the heap copy holds its own regions and
 * strings.  The profile is the first member, so that dfuse_profile_free()
 * finds the rest; built-in profiles are recognised by address.
 */
struct derived {
	struct dfuse_profile p;
	struct region *regions;
	char *name, *description;
	char names[DFUSE__MAX_BANKS][16]; /* "Flash bank N" */
};

/* The neutral base: nothing known but what the layout says. */
static const dfuse_profile neutral = {
	"layout",    "a device known by its layout string only",
	1, /* no flash-word rule */
	0,	     0,
	{{0, 0, 0}}, 0,
	NULL,	     0,
	0,	     ROM_VID,
	ROM_PID, /* UM0424: ST's DfuSe IDs */
	T128K,	 /* the slowest erase known here: safe deadlines */
	NO_STUCK,
};

static int seg_cmp(const void *a, const void *b)
{
	const dfuse_layout_segment *x = a, *y = b;

	return x->address < y->address ? -1 : x->address > y->address;
}

static int region_cmp(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

static uint64_t bank_end(const struct bank *b)
{
	return (uint64_t)b->base + (uint64_t)b->sector_size * b->sector_count;
}

/* Appends bank [base, base + n sectors), cutting it where a bank of the
 * base profile starts or ends on one of its sector boundaries. */
static int add_run(struct bank *banks, size_t *nb, const dfuse_profile *base,
		   uint32_t at, uint32_t sector, uint64_t count)
{
	uint64_t lo = at, hi = (uint64_t)at + (uint64_t)sector * count;

	while (lo < hi) {
		uint64_t cut = hi;
		size_t i;

		for (i = 0; i < base->nbanks; i++) {
			uint64_t e[2];
			int k;

			e[0] = base->banks[i].base;
			e[1] = bank_end(&base->banks[i]);
			for (k = 0; k < 2; k++)
				if (e[k] > lo && e[k] < cut &&
				    (e[k] - lo) % sector == 0)
					cut = e[k];
		}
		if (*nb == DFUSE__MAX_BANKS)
			return dfuse__error(DFUSE_ETOOBIG,
					    "the layout's flash makes more "
					    "than %u banks",
					    (unsigned)DFUSE__MAX_BANKS);
		banks[*nb].base = (uint32_t)lo;
		banks[*nb].sector_size = sector;
		banks[*nb].sector_count = (uint32_t)((cut - lo) / sector);
		(*nb)++;
		lo = cut;
	}
	return 0;
}

/* The layout's erasable+writable segments as banks. */
static int layout_banks(struct bank *banks, size_t *nb,
			const dfuse_profile *base, const dfuse_layout *l)
{
	size_t n = dfuse_layout_count_segments(l), i, m = 0;
	dfuse_layout_segment *s;
	int rc = 0;

	*nb = 0;
	s = calloc(n ? n : 1, sizeof(*s));
	if (s == NULL)
		return dfuse__error(DFUSE_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		if (dfuse_layout_get_segment(&s[m], l, i) == 0 &&
		    s[m].erasable && s[m].writable)
			m++;
	qsort(s, m, sizeof(*s), seg_cmp);
	if (m == 0)
		rc = dfuse__error(DFUSE_ENOTFOUND,
				  "layout \"%s\" has no erasable and writable "
				  "segment: no flash to program",
				  dfuse_layout_get_name(l));
	for (i = 0; rc == 0 && i < m;) {
		/* a run: contiguous segments with one sector size */
		uint64_t count = s[i].sector_count;
		uint64_t end = (uint64_t)s[i].address +
			       (uint64_t)s[i].sector_size * s[i].sector_count;
		size_t k = i + 1;

		for (; k < m && s[k].address == end; k++) {
			if (s[k].sector_size != s[i].sector_size) {
				rc = dfuse__error(
					DFUSE_ENOTSUP,
					"layout \"%s\": sectors of %u and %u "
					"bytes meet at 0x%08x; a flash bank "
					"with sectors of different sizes is "
					"not supported",
					dfuse_layout_get_name(l),
					(unsigned)s[k - 1].sector_size,
					(unsigned)s[k].sector_size,
					(unsigned)s[k].address);
				break;
			}
			count += s[k].sector_count;
			end += (uint64_t)s[k].sector_size * s[k].sector_count;
		}
		if (rc == 0)
			rc = add_run(banks, nb, base, s[i].address,
				     s[i].sector_size, count);
		i = k;
	}
	free(s);
	return rc;
}

static int overlaps_banks(const struct region *r, const struct bank *banks,
			  size_t nb)
{
	size_t i;

	for (i = 0; i < nb; i++)
		if ((uint64_t)r->base < bank_end(&banks[i]) &&
		    (uint64_t)r->base + r->size > banks[i].base)
			return 1;
	return 0;
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

int dfuse_profile_new_with_layout(dfuse_profile **out,
				  const dfuse_profile *base,
				  const dfuse_layout *layout)
{
	struct bank banks[DFUSE__MAX_BANKS];
	struct derived *d;
	size_t nb = 0, i, nr = 0, dn;
	int rc;

	if (out == NULL || layout == NULL)
		return dfuse__error(
			DFUSE_EINVAL,
			"dfuse_profile_new_with_layout: NULL argument");
	*out = NULL;
	if (base == NULL)
		base = &neutral;
	DFUSE__TRY(layout_banks(banks, &nb, base, layout));
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return dfuse__error(DFUSE_ENOMEM, "out of memory");
	d->regions = calloc(base->nregions + nb, sizeof(*d->regions));
	d->name = dup_str(base == &neutral ? dfuse_layout_get_name(layout)
					   : base->name);
	dn = strlen(base->name) + strlen(dfuse_layout_get_name(layout)) + 40;
	d->description = malloc(dn);
	if (d->regions == NULL || d->name == NULL || d->description == NULL) {
		rc = dfuse__error(DFUSE_ENOMEM, "out of memory");
		goto fail;
	}
	snprintf(d->description, dn, "%s, flash from the layout \"%s\"",
		 base == &neutral ? "a device" : base->name,
		 dfuse_layout_get_name(layout));
	d->p = *base;
	d->p.name = d->name;
	d->p.description = d->description;
	d->p.nbanks = nb;
	memcpy(d->p.banks, banks, nb * sizeof(banks[0]));
	for (i = 0; i < base->nregions; i++)
		if (base->regions[i].kind != DFUSE_MEM_FLASH &&
		    !overlaps_banks(&base->regions[i], banks, nb))
			d->regions[nr++] = base->regions[i];
	for (i = 0; i < nb; i++) {
		struct region *r = &d->regions[nr++];

		snprintf(d->names[i], sizeof(d->names[i]), "Flash bank %zu",
			 i + 1);
		r->name = d->names[i];
		r->base = banks[i].base;
		/* a bank may end at 4 GiB: its region stops a byte short */
		r->size = bank_end(&banks[i]) - banks[i].base > UINT32_MAX
				  ? UINT32_MAX
				  : (uint32_t)(bank_end(&banks[i]) -
					       banks[i].base);
		r->kind = DFUSE_MEM_FLASH;
		r->cores = base->cores;
		r->bl_write = 1;
	}
	qsort(d->regions, nr, sizeof(*d->regions), region_cmp);
	d->p.nregions = nr;
	d->p.regions = d->regions;
	*out = &d->p;
	return 0;
fail:
	free(d->regions);
	free(d->name);
	free(d->description);
	free(d);
	return rc;
}

void dfuse_profile_free(dfuse_profile *p)
{
	struct derived *d = (struct derived *)p;
	size_t i;

	if (p == NULL || p == &neutral)
		return;
	for (i = 0; i < NPROFILES; i++)
		if (p == &profiles[i])
			return;
	free(d->regions);
	free(d->name);
	free(d->description);
	free(d);
}
