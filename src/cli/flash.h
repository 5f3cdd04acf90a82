/*
 * flash.h - where an address range falls in a device's flash: banks,
 * sectors and the core whose bank it is.
 */
#ifndef DFUSETOOL_FLASH_H
#define DFUSETOOL_FLASH_H

#include <dfuse.h>

#include <stddef.h>
#include <stdint.h>

struct flash_span {
	unsigned int bank;   /* 1-based */
	uint32_t first;      /* first sector index in the bank */
	uint32_t last;       /* last sector index in the bank */
	int core;            /* the bank's core */
};

/* Fills up to `max` spans for [address, address + size); returns the
 * number of banks touched (0 outside flash). */
size_t flash_spans(struct flash_span *out, size_t max, const dfuse_profile *p,
		   uint32_t address, uint32_t size);

/* "flash", "ram", "system", "option", "otp" for a dfuse_mem_kind. */
const char *flash_kind_name(int kind);

/* "bank 1 sector 0", "bank 1 sectors 0-2, bank 2 sector 0", or
 * "not in flash"; returns buf. */
char *flash_describe(char *buf, size_t n, const dfuse_profile *p,
		     uint32_t address, uint32_t size);

#endif /* DFUSETOOL_FLASH_H */
