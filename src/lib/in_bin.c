/*
 * in_bin.c - raw binary -> elements (dfuse_parse_bin), and the payload of
 * a plain DFU file, which is a raw binary with a DFU suffix (DFU 1.1
 * appendix B): the loader takes the payload alone as a raw binary (the
 * same address rules), so that the suffix never becomes firmware.
 */
#include "err.h"
#include "fileio.h"
#include "image.h"
#include "in_bin.h"
#include "suffix.h"

int dfuse_parse_bin(dfuse_image *img, size_t target, const void *buf,
		    size_t len, const dfuse_input_options *opts)
{
	size_t max = dfuse__max_input(opts);

	DFUSE__TRY(dfuse__check_input_options(opts));
	if (opts == NULL || !(opts->flags & (DFUSE_INPUT_ADDRESS |
					     DFUSE_INPUT_DEFAULT_ADDRESS)))
		return dfuse__error(DFUSE_EINVAL,
				    "a raw binary needs a load address");
	if (len > max)
		return dfuse__too_big((unsigned long long)len, max);
	if (len == 0)
		return dfuse__error(DFUSE_EFORMAT, "is empty (0 bytes)");
	return dfuse_image_add_data(img, target, opts->address, buf, len, opts);
}

/* A plain DFU file's payload: *len cut to the bytes before its suffix
 * (DFU 1.1 appendix B), which are not firmware. */
int dfuse__dfu_payload(const void *buf, size_t *len)
{
	struct dfuse__dfu_suffix sfx;

	if (!dfuse__find_dfu_suffix(&sfx, buf, *len))
		return dfuse__error(DFUSE_EFORMAT,
				    "has no valid DFU suffix (signature "
				    "\"UFD\", bLength and CRC) at its end");
	if (sfx.payload == 0)
		return dfuse__error_at(DFUSE_EFORMAT, 0, 0,
				       "offset 0: a DFU suffix with no "
				       "firmware before it (bLength %u, file "
				       "%zu bytes)",
				       (unsigned)sfx.length, *len);
	*len = sfx.payload;
	return 0;
}
