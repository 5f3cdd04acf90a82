/*
 * suffix.h - incremental DFU suffix CRC (zlib lives in suffix.c only).
 *
 *     uint32_t s = 0;
 *     s = dfuse__crc_update(s, part1, n1);
 *     s = dfuse__crc_update(s, part2, n2);
 *     dwCRC = ~s;               (== dfuse_crc(part1 || part2))
 */
#ifndef DFUSE_SUFFIX_H
#define DFUSE_SUFFIX_H

#include "common.h"

#define DFUSE__PREFIX_LEN 11	     /* "DfuSe", bVersion, size, bTargets */
#define DFUSE__TARGET_PREFIX_LEN 274 /* "Target" ... dwNbElements */
#define DFUSE__ELEMENT_HEADER_LEN 8  /* dwElementAddress, dwElementSize */
#define DFUSE__SUFFIX_LEN 16	     /* bcdDevice ... dwCRC */

/* zlib crc32 state update; start with 0, finish with ~state. */
uint32_t dfuse__crc_update(uint32_t state, const void *data, size_t len);

/*
 * A DFU 1.0/1.1 suffix (DFU 1.1 spec, appendix B) at the end of a file:
 * ucDfuSignature "UFD", bLength at least 16 and no longer than the file,
 * and a dwCRC that matches.  A suffix whose CRC does not match is not one
 * (a raw binary's tail may only look like a suffix), as in dfu-util.
 */
struct dfuse__dfu_suffix {
	uint16_t bcd_device, id_product, id_vendor, bcd_dfu;
	uint8_t length; /* bLength */
	size_t payload; /* bytes before the suffix: file - bLength */
};

/* 1 and *out when buf ends with a valid suffix, else 0. */
int dfuse__find_dfu_suffix(struct dfuse__dfu_suffix *out, const void *buf,
			   size_t len);

#endif /* DFUSE_SUFFIX_H */
