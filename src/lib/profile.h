/*
 * profile.h - the layout of a device profile (profiles.c holds the table;
 * check.c reads it).  Everything a rule needs is data here, so adding a
 * part means adding a table entry, not code.
 */
#ifndef DFUSE_PROFILE_H
#define DFUSE_PROFILE_H

#include "common.h"

#define DFUSE__MAX_BANKS 8 /* built-in parts have 1 or 2; layouts up to 8 */

struct bank {
	uint32_t base;
	uint32_t sector_size;
	uint32_t sector_count;
};

struct region {
	const char *name; /* "AXI SRAM" */
	uint32_t base;
	uint32_t size;
	int kind;	    /* dfuse_mem_kind */
	unsigned int cores; /* DFUSE_CORE_BIT mask of cores that reach it */
	int bl_write;	    /* the ROM DFU bootloader can write it */
};

struct dfuse_profile {
	const char *name;
	const char *description;
	uint32_t flash_word; /* bytes programmed at once */
	unsigned int cores;  /* DFUSE_CORE_BIT mask */
	size_t nbanks;
	struct bank banks[DFUSE__MAX_BANKS];
	size_t nregions;
	const struct region *regions; /* sorted by base, disjoint; flash banks
					 are regions too */
	uint32_t boot_cm7;	      /* BOOT_CM7_ADD0 default, 0 if no CM7 */
	uint32_t boot_cm4;	      /* BOOT_CM4_ADD0 default, 0 if no CM4 */
	uint16_t usb_vid;	      /* ROM DFU bootloader IDs */
	uint16_t usb_pid;
	/* Flash timing (DS12110), for download deadlines and estimates. */
	uint32_t erase_typ_ms; /* one sector erase, typical */
	uint32_t erase_max_ms; /* one sector erase, datasheet worst case */
	uint32_t word_typ_us;  /* program one flash word, typical */
	uint32_t word_max_us;  /* ... worst case */
	/* The ROM's stuck-erase bug (AN2606 Table 136, V9.1): a sector erase at
	 * or above this address may answer dfuDNBUSY forever; 0: none known. */
	uint32_t stuck_erase_from;
};

/* Dual-core parts (CM7 + CM4): derived from the cores mask. */
static inline int dfuse__profile_dual(const struct dfuse_profile *p)
{
	const unsigned both =
		DFUSE_CORE_BIT(DFUSE_CORE_CM7) | DFUSE_CORE_BIT(DFUSE_CORE_CM4);

	return (p->cores & both) == both;
}

#endif /* DFUSE_PROFILE_H */
