/*
 * suffix.c - the DFU suffix CRC; the only file that includes <zlib.h>.
 *
 * DFU 1.1 Appendix B: dwCRC is the reflected CRC-32 (polynomial 0xEDB88320)
 * with init 0xFFFFFFFF and no final XOR over every byte but the last four.  In
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

int dfuse__find_dfu_suffix(struct dfuse__dfu_suffix *out, const void *buf,
			   size_t len)
{
	const uint8_t *s;
	uint32_t stored;

	if (buf == NULL || len < DFUSE__SUFFIX_LEN)
		return 0;
	s = (const uint8_t *)buf + len - DFUSE__SUFFIX_LEN;
	if (s[8] != 'U' || s[9] != 'F' || s[10] != 'D' ||
	    s[11] < DFUSE__SUFFIX_LEN || s[11] > len)
		return 0;
	stored = dfuse__get_le32(s + 12);
	if (stored != dfuse_crc(buf, len - 4))
		return 0;
	if (out != NULL) {
		out->bcd_device = dfuse__get_le16(s);
		out->id_product = dfuse__get_le16(s + 2);
		out->id_vendor = dfuse__get_le16(s + 4);
		out->bcd_dfu = dfuse__get_le16(s + 6);
		out->length = s[11];
		out->payload = len - s[11];
	}
	return 1;
}
