/*
 * flash.h - where an address range falls in a device's flash, in words
 * ("bank 1 sectors 0-2"), and the names of memory kinds.  The banks and
 * sectors come from the library (dfuse_profile_locate_range()).
 */
#ifndef DFUSETOOL_FLASH_H
#define DFUSETOOL_FLASH_H

#include <dfuse.h>

#include <stddef.h>
#include <stdint.h>

/* "flash", "ram", "system", "option", "otp" for a dfuse_mem_kind. */
const char *flash_kind_name(int kind);

/* "bank 1 sector 0", "bank 1 sectors 0-2, bank 2 sector 0", or
 * "not in flash"; returns buf. */
char *flash_describe(char *buf, size_t n, const dfuse_profile *p,
		     uint32_t address, uint32_t size);

#endif /* DFUSETOOL_FLASH_H */
