/*
 * load.c - format detection, raw binary input and the file loader that
 * dispatches to the parsers.  The format always comes from the content,
 * never from the file name.
 */
#include "common.h"
#include "err.h"
#include "fileio.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>

int dfuse_detect_format(const void *buf, size_t len)
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
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
			   p[i] == '\n'))
		i++;
	if (i < len && p[i] == ':')
		return DFUSE_FORMAT_IHEX;
	if (i + 1 < len && (p[i] == 'S' || p[i] == 's') && p[i + 1] >= '0' &&
	    p[i + 1] <= '9')
		return DFUSE_FORMAT_SREC;
	return DFUSE_FORMAT_BIN;
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
	case DFUSE_FORMAT_UNKNOWN:
	default:
		return "unknown";
	}
}

int dfuse_parse_bin(dfuse_image *img, size_t target, const void *buf,
		    size_t len, const dfuse_input_options *opts)
{
	size_t max = dfuse__max_input(opts);

	if (opts == NULL || !(opts->flags & (DFUSE_INPUT_ADDRESS |
					      DFUSE_INPUT_DEFAULT_ADDRESS)))
		return dfuse__error(DFUSE_EINVAL,
				    "a raw binary needs a load address");
	if (len > max)
		return dfuse__error(DFUSE_ETOOBIG,
				    "input is %zu bytes, over the input limit "
				    "of %zu bytes (max_size)",
				    len, max);
	if (len == 0)
		return dfuse__error(DFUSE_EFORMAT, "raw binary is empty");
	return dfuse_image_add_data(img, target, opts->address, buf, len,
				    opts);
}

/* An address applies to raw binaries only; they cannot do without. */
static int check_address(int format, const dfuse_input_options *opts)
{
	unsigned int flags = opts ? opts->flags : 0;

	if (format == DFUSE_FORMAT_BIN &&
	    !(flags & (DFUSE_INPUT_ADDRESS | DFUSE_INPUT_DEFAULT_ADDRESS)))
		return dfuse__error(DFUSE_EINVAL,
				    "is a raw binary and needs a load "
				    "address (FILE@ADDR)");
	if (format != DFUSE_FORMAT_BIN && format != DFUSE_FORMAT_DFUSE &&
	    (flags & DFUSE_INPUT_ADDRESS))
		return dfuse__error(DFUSE_EINVAL,
				    "is %s, which carries its own addresses; "
				    "@ADDR applies to raw binaries only",
				    format == DFUSE_FORMAT_ELF	  ? "an ELF file"
				    : format == DFUSE_FORMAT_IHEX ? "Intel HEX"
								  : "an S-record file");
	return 0;
}

int dfuse_load_file(dfuse_image *img, size_t target, const char *path,
		    int format, const dfuse_input_options *opts)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (img == NULL || path == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_load_file: NULL argument");
	rc = dfuse__read_file(&buf, &len, path, dfuse__max_input(opts));
	if (rc < 0)
		return rc;
	if (format == DFUSE_FORMAT_UNKNOWN)
		format = dfuse_detect_format(buf, len);
	rc = check_address(format, opts);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	switch (format) {
	case DFUSE_FORMAT_ELF:
		rc = dfuse_parse_elf(img, target, buf, len, opts);
		break;
	case DFUSE_FORMAT_IHEX:
		rc = dfuse_parse_ihex(img, target, (const char *)buf, len,
				      opts);
		break;
	case DFUSE_FORMAT_SREC:
		rc = dfuse_parse_srec(img, target, (const char *)buf, len,
				      opts);
		break;
	case DFUSE_FORMAT_BIN:
		rc = dfuse_parse_bin(img, target, buf, len, opts);
		break;
	case DFUSE_FORMAT_DFUSE:
		rc = dfuse__error(DFUSE_ENOTSUP,
				  "is a DfuSe file, not an ELF, HEX, "
				  "S-record or raw binary input");
		break;
	case DFUSE_FORMAT_UNKNOWN:
	default:
		rc = dfuse__error(DFUSE_EINVAL, "unknown format %d", format);
		break;
	}
	free(buf);
	return rc < 0 ? rc : format;
}
