/*
 * suffix.c - the DFU suffix CRC; the only file that includes <zlib.h>.
 *
 * facts 5.5: dwCRC is the reflected CRC-32 (polynomial 0xEDB88320) with
 * init 0xFFFFFFFF and no final XOR over every byte but the last four.  In
 * zlib terms that is ~crc32(0, data, len).  zlib's length is a uInt, so
 * long buffers are fed in pieces.
 */
#include "common.h"
#include "suffix.h"

#include <zlib.h>

uint32_t dfuse__crc_update(uint32_t state, const void *data, size_t len)
{
	const Bytef *p = data;
	uLong crc = state;

	while (len > 0) {
		uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

uint32_t dfuse_crc(const void *data, size_t len)
{
	return ~dfuse__crc_update(0, data, len);
}
