/*
 * profiles.c - built-in device profiles: flash banks and sectors, the flash
 * word, and each core's default boot address.
 *
 * Sources (../shared/reference/stm32h7-dfuse-facts.md):
 *  - 1.1: H745xI bank 1 0x08000000-0x080FFFFF, bank 2 0x08100000-0x081FFFFF,
 *    8 sectors of 128 KiB per bank, flash word 256 bits = 32 bytes.
 *  - 2: factory boot addresses BOOT_CM7_ADD0 = 0x0800 (0x08000000) and
 *    BOOT_CM4_ADD0 = 0x0810 (0x08100000).
 * The table is data: the `check` work adds RAM regions and sister parts.
 */
#include "common.h"
#include "err.h"
#include "profile.h"

#include <strings.h>

#define CM7 DFUSE_CORE_BIT(DFUSE_CORE_CM7)
#define CM4 DFUSE_CORE_BIT(DFUSE_CORE_CM4)

/*
 * STM32H745/H755/H747/H757 memory map, facts 1.2.  bl_write follows
 * AN2606: the ROM may use 0x20004100-0x2001FFFF and 0x24005000-0x2407FFFF
 * for commands and cannot reach SRAM1-3 or ITCM; other RAM it is not
 * documented to reach is treated as not writable (INFERRED, defensive).
 * The 0x10000000 D2 alias is CM4-only (facts 1.2 tool rule, INFERRED).
 */
static const struct region h745xi_regions[] = {
	{ "ITCM", 0x00000000u, 0x10000u, DFUSE_MEM_RAM, CM7, 0 },
	{ "Flash bank 1", 0x08000000u, 0x100000u, DFUSE_MEM_FLASH, CM7 | CM4,
	  1 },
	{ "Flash bank 2", 0x08100000u, 0x100000u, DFUSE_MEM_FLASH, CM7 | CM4,
	  1 },
	{ "D2 SRAM (CM4 alias)", 0x10000000u, 0x48000u, DFUSE_MEM_RAM, CM4,
	  0 },
	{ "System memory", 0x1FF00000u, 0x1E800u, DFUSE_MEM_SYSTEM, CM7, 0 },
	{ "DTCM (bootloader's)", 0x20000000u, 0x4100u, DFUSE_MEM_RAM, CM7,
	  0 },
	{ "DTCM", 0x20004100u, 0x1BF00u, DFUSE_MEM_RAM, CM7, 1 },
	{ "AXI SRAM (bootloader's)", 0x24000000u, 0x5000u, DFUSE_MEM_RAM,
	  CM7 | CM4, 0 },
	{ "AXI SRAM", 0x24005000u, 0x7B000u, DFUSE_MEM_RAM, CM7 | CM4, 1 },
	{ "SRAM1-3 (D2)", 0x30000000u, 0x48000u, DFUSE_MEM_RAM, CM7 | CM4, 0 },
	{ "SRAM4 (D3)", 0x38000000u, 0x10000u, DFUSE_MEM_RAM, CM7 | CM4, 0 },
	{ "Backup SRAM", 0x38800000u, 0x1000u, DFUSE_MEM_RAM, CM7 | CM4, 0 },
	{ "Option bytes", 0x5200201Cu, 0x80u, DFUSE_MEM_OPTION, CM7, 1 },
};

#define NREG(a) (sizeof(a) / sizeof((a)[0]))

static const dfuse_profile profiles[] = {
	{
		"stm32h745xi",
		"STM32H745xI: CM7 + CM4, 2 MiB flash in 2 banks of 8 x 128 KiB",
		32,
		1,
		CM7 | CM4,
		2,
		{ { 0x08000000u, 0x20000u, 8 }, { 0x08100000u, 0x20000u, 8 } },
		NREG(h745xi_regions),
		h745xi_regions,
		0x08000000u,
		0x08100000u,
		0x0483,
		0xDF11,
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

size_t dfuse_profile_count(void)
{
	return NPROFILES;
}

const dfuse_profile *dfuse_profile_at(size_t i)
{
	return i < NPROFILES ? &profiles[i] : NULL;
}

void dfuse_profile_get_info(dfuse_profile_info *out, const dfuse_profile *p)
{
	out->name = p->name;
	out->description = p->description;
	out->flash_word = p->flash_word;
	out->bank_count = p->nbanks;
	out->dual_core = p->dual_core;
	out->cores = p->cores;
	out->region_count = p->nregions;
	out->usb_vid = p->usb_vid;
	out->usb_pid = p->usb_pid;
}

int dfuse_profile_region(dfuse_region_info *out, const dfuse_profile *p,
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
		    (uint64_t)address < (uint64_t)p->regions[i].base +
						p->regions[i].size)
			return (int)i;
	return DFUSE_ENOTFOUND;
}

uint32_t dfuse_profile_boot_address(const dfuse_profile *p, int core)
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
	uint64_t end = (uint64_t)b->base +
		       (uint64_t)b->sector_size * b->sector_count;

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

int dfuse_profile_bank(dfuse_bank_info *out, const dfuse_profile *p, size_t i)
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
