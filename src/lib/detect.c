/*
 * detect.c - what a buffer is: dfuse_format_detect() and
 * dfuse_format_name().  The format always comes from the content, never
 * from the file name.
 *
 * A plain DFU 1.x file (DFU 1.1 spec, appendix B: the firmware bytes
 * followed by a suffix ending in "UFD", bLength and a CRC over everything
 * before the CRC) is raw bytes that dfu-suffix -a gave a suffix.  Content
 * that is not DfuSe, ELF, HEX or S-record and ends in such a suffix, with
 * a CRC that matches (dfuse__find_dfu_suffix), is DFUSE_FORMAT_DFU.  A
 * tail that only looks like a suffix (wrong CRC) is data: the file stays
 * a raw binary.
 */
#include "detect.h"
#include "suffix.h"

#include <string.h>

/* Raw bytes, or raw bytes with a valid plain DFU suffix. */
int dfuse__bin_or_dfu(const void *buf, size_t len)
{
	struct dfuse__dfu_suffix s;

	if (len > 0 && dfuse__find_dfu_suffix(&s, buf, len))
		return DFUSE_FORMAT_DFU;
	return DFUSE_FORMAT_BIN;
}

int dfuse_format_detect(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i = 0;

	if (len >= 5 && memcmp(p, "DfuSe", 5) == 0)
		return DFUSE_FORMAT_DFUSE;
	if (len >= 4 && memcmp(p, "\177ELF", 4) == 0)
		return DFUSE_FORMAT_ELF;
	/* Text formats: skip a UTF-8 BOM and leading blank lines. */
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < len &&
	       (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < len && p[i] == ':')
		return DFUSE_FORMAT_IHEX;
	if (i + 1 < len && (p[i] == 'S' || p[i] == 's') && p[i + 1] >= '0' &&
	    p[i + 1] <= '9')
		return DFUSE_FORMAT_SREC;
	return dfuse__bin_or_dfu(buf, len);
}

const char *dfuse_format_name(int format)
{
	switch (format) {
	case DFUSE_FORMAT_DFUSE:
		return "dfuse";
	case DFUSE_FORMAT_ELF:
		return "elf";
	case DFUSE_FORMAT_IHEX:
		return "ihex";
	case DFUSE_FORMAT_SREC:
		return "srec";
	case DFUSE_FORMAT_BIN:
		return "bin";
	case DFUSE_FORMAT_DFU:
		return "dfu";
	case DFUSE_FORMAT_UNKNOWN:
	default:
		return "unknown";
	}
}
