/*
 * erase.h - erasing flash through the H7 ROM with the bank-2 recovery
 * (erase.c).
 */
#ifndef DFUSE_ERASE_H
#define DFUSE_ERASE_H

#include "common.h"
#include "dfu_proto.h"

/*
 * Sets the session's deadlines and the stuck-erase recovery from a device
 * profile's flash timing (NULL: the default profile): a sector erase may
 * take twice the datasheet worst case, the recovery of a stuck erase
 * starts after the worst case, a mass erase may take twice the worst case
 * of every sector.  Callers may adjust the fields afterwards.
 */
void dfuse__erase_timing(struct dfuse__dfu *d, const dfuse_profile *p);

/*
 * Erases the sector at `base` (`size` bytes).  When the ROM had to be
 * recovered from the stuck erase, the sector is read back and must be
 * blank (else erased once more); *recovered is then 1.  `log` (may be
 * NULL) gets one line about a recovery, with `payload`.
 * @return 0, or the protocol's error prefixed "erase: ", DFUSE_EDEVICE
 *         for a sector not blank after two recovered erases
 */
int dfuse__erase_sector(int *recovered, const struct dfuse__dfu *d,
			uint32_t base, uint32_t size,
			void (*log)(void *payload, const char *line),
			void *payload);

#endif /* DFUSE_ERASE_H */
