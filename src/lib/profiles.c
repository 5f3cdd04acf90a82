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

#include <strings.h>

struct bank {
	uint32_t base;
	uint32_t sector_size;
	uint32_t sector_count;
};

struct dfuse_profile {
	const char *name;
	const char *description;
	uint32_t flash_word; /* bytes programmed at once */
	int dual_core;
	size_t nbanks;
	struct bank banks[2];
	uint32_t boot_cm7; /* BOOT_CM7_ADD0 default, 0 if no CM7 */
	uint32_t boot_cm4; /* BOOT_CM4_ADD0 default, 0 if no CM4 */
};

static const dfuse_profile profiles[] = {
	{
		"stm32h745xi",
		"STM32H745xI: CM7 + CM4, 2 MiB flash in 2 banks of 8 x 128 KiB",
		32,
		1,
		2,
		{ { 0x08000000u, 0x20000u, 8 }, { 0x08100000u, 0x20000u, 8 } },
		0x08000000u,
		0x08100000u,
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
