/*
 * load.c - the loaders: dfuse_load_file() and dfuse_load() take the format
 * from the content (detect.c) unless the caller names it, check the
 * address rules, and hand the bytes to the reader of that format
 * (in_bin.c, in_elf.c, in_ihex.c, in_srec.c).  A file's text formats are
 * parsed as they are read, a chunk at a time; a raw binary's buffer
 * becomes its element without a second copy.  A plain DFU file (raw bytes
 * with a DFU suffix) loads as its payload alone and answers
 * DFUSE_FORMAT_DFU.
 */
#include "common.h"
#include "detect.h"
#include "err.h"
#include "fileio.h"
#include "image.h"
#include "in_bin.h"
#include "textfmt.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An address applies to raw binaries only; they cannot do without. */
static int check_address(int format, const dfuse_input_options *opts)
{
	unsigned int flags = opts ? opts->flags : 0;

	if ((format == DFUSE_FORMAT_BIN || format == DFUSE_FORMAT_DFU) &&
	    !(flags & (DFUSE_INPUT_ADDRESS | DFUSE_INPUT_DEFAULT_ADDRESS)))
		return dfuse__error(DFUSE_EINVAL,
				    "is a raw binary and needs a load "
				    "address: it holds no address of its "
				    "own");
	if (format != DFUSE_FORMAT_BIN && format != DFUSE_FORMAT_DFU &&
	    format != DFUSE_FORMAT_DFUSE && (flags & DFUSE_INPUT_ADDRESS))
		return dfuse__error(DFUSE_EINVAL,
				    "is %s, which carries its own addresses; "
				    "a load address applies to raw binaries "
				    "only",
				    format == DFUSE_FORMAT_ELF ? "an ELF file"
				    : format == DFUSE_FORMAT_IHEX
					    ? "Intel HEX"
					    : "an S-record file");
	return 0;
}

/*
 * Text formats are parsed as they are read, a chunk at a time, so that a
 * large HEX file costs its data, not its text (a 64 MiB HEX file holds
 * about 23 MiB of data).  Chunks end after a '\n'; a line longer than a
 * chunk (no valid record is) is handed over as it is and refused.
 */
#define CHUNK ((size_t)1 << 20)

static int stream_text(const struct dfuse__textfmt *fmt, dfuse_image *img,
		       size_t target, int fd, uint8_t **buf, size_t *len,
		       size_t *cap, int eof, size_t max,
		       const dfuse_input_options *opts)
{
	struct dfuse__textparser p;
	size_t total = *len;
	int rc;

	rc = dfuse__textparser_begin(&p, fmt, opts, NULL, 0);
	while (rc == 0) {
		size_t cut = *len, before;

		if (!eof) {
			while (cut > 0 && (*buf)[cut - 1] != '\n')
				cut--;
			if (cut == 0)
				cut = *len; /* one huge line */
		}
		rc = dfuse__textparser_feed(&p, (const char *)*buf, cut);
		if (rc < 0 || eof)
			break;
		memmove(*buf, *buf + cut, *len - cut);
		*len -= cut;
		before = *len;
		rc = dfuse__read_more(fd, buf, len, cap, before + CHUNK,
				      SIZE_MAX);
		if (rc < 0)
			break;
		eof = rc;
		rc = 0;
		total += *len - before;
		if (total > max)
			rc = dfuse__too_big((unsigned long long)total, max);
	}
	if (rc == 0)
		rc = dfuse__textparser_end(&p, img, target, opts);
	dfuse__textparser_free(&p);
	return rc;
}

/*
 * Streaming keeps no text, so an overlap message can only name the line
 * that began the earlier run.  On that error path the file is parsed
 * again whole, which names the exact earlier line.  The image is still
 * unchanged: parsers add nothing until the whole input is good.
 */
static int precise_overlap(const struct dfuse__textfmt *fmt, dfuse_image *img,
			   size_t target, int fd, const char *path, size_t max,
			   const dfuse_input_options *opts, int rc)
{
	uint8_t *whole = NULL;
	struct stat a, b;
	size_t n = 0;
	int again;

	/* Only a regular file can be read again, and only if the name still
	 * holds it: a FIFO would wait for a writer that is gone. */
	if (fstat(fd, &a) != 0 || !S_ISREG(a.st_mode) || stat(path, &b) != 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return rc;
	if (dfuse__read_file(&whole, &n, path, max) < 0)
		return rc;
	again = dfuse__text_parse(fmt, img, target, (const char *)whole, n,
				  opts);
	free(whole);
	return again < 0 ? again : rc;
}

int dfuse_load_file(dfuse_image *img, size_t target, const char *path,
		    int format, const dfuse_input_options *opts)
{
	const struct dfuse__textfmt *fmt = NULL;
	size_t max = dfuse__max_input(opts), size, len = 0, cap = 0;
	uint8_t *buf = NULL, *shrunk;
	int fd, rc, eof, detect = format == DFUSE_FORMAT_UNKNOWN;

	DFUSE__TRY(dfuse__check_input_options(opts));
	if (img == NULL || path == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_load_file: NULL argument");
	DFUSE__TRY(dfuse__image_check_target(img, target));
	DFUSE__TRY(dfuse__open_input(&fd, &size, path, max));
	/* The first chunk tells the format. */
	rc = dfuse__read_more(fd, &buf, &len, &cap, CHUNK, max);
	if (rc < 0)
		goto out;
	eof = rc;
	if (eof && len == 0) {
		/* no bytes: not a raw binary, nor anything else */
		rc = dfuse__error(DFUSE_EFORMAT, "is empty (0 bytes)");
		goto out;
	}
	if (format == DFUSE_FORMAT_UNKNOWN)
		format = dfuse_format_detect(buf, len);
	rc = check_address(format, opts);
	if (rc < 0)
		goto out;
	if (format == DFUSE_FORMAT_IHEX || format == DFUSE_FORMAT_SREC) {
		fmt = format == DFUSE_FORMAT_IHEX ? &dfuse__ihex_fmt
						  : &dfuse__srec_fmt;
		rc = stream_text(fmt, img, target, fd, &buf, &len, &cap, eof,
				 max, opts);
		if (rc == DFUSE_EOVERLAP)
			rc = precise_overlap(fmt, img, target, fd, path, max,
					     opts, rc);
		goto out;
	}
	if (!eof) {
		if (size + 1 > cap) {
			/* the rest in one go: one byte more sees growth */
			shrunk = realloc(buf, size + 1);
			if (shrunk == NULL) {
				rc = dfuse__oom();
				goto out;
			}
			buf = shrunk;
			cap = size + 1;
		}
		rc = dfuse__read_more(fd, &buf, &len, &cap, SIZE_MAX, max);
		if (rc < 0)
			goto out;
		/* the suffix is at the end, past the first chunk */
		if (detect &&
		    (format == DFUSE_FORMAT_BIN || format == DFUSE_FORMAT_DFU))
			format = dfuse__bin_or_dfu(buf, len);
	}
	if (format == DFUSE_FORMAT_DFU) {
		rc = dfuse__dfu_payload(buf, &len);
		if (rc < 0)
			goto out;
	}
	switch (format) {
	case DFUSE_FORMAT_ELF:
		rc = dfuse_parse_elf(img, target, buf, len, opts);
		break;
	case DFUSE_FORMAT_DFU:
	case DFUSE_FORMAT_BIN:
		if (len == 0) {
			rc = dfuse__error(DFUSE_EFORMAT, "is empty (0 bytes)");
			break;
		}
		/* the buffer becomes the element: no second copy */
		shrunk = realloc(buf, len);
		if (shrunk != NULL)
			buf = shrunk;
		rc = dfuse__image_add_owned(img, target, opts->address, buf,
					    len, opts);
		buf = NULL;
		break;
	case DFUSE_FORMAT_DFUSE:
		rc = dfuse__error(DFUSE_ENOTSUP,
				  "is a DfuSe file, not an ELF, HEX, "
				  "S-record or raw binary input");
		break;
	case DFUSE_FORMAT_IHEX:
	case DFUSE_FORMAT_SREC:
	case DFUSE_FORMAT_UNKNOWN:
	default:
		rc = dfuse__error(DFUSE_EINVAL, "unknown format %d", format);
		break;
	}
out:
	close(fd);
	free(buf);
	return rc < 0 ? rc : format;
}

int dfuse_load(dfuse_image *img, size_t target, const void *buf, size_t len,
	       int format, const dfuse_input_options *opts)
{
	const struct dfuse__textfmt *fmt;
	size_t max = dfuse__max_input(opts);
	uint8_t *copy;
	int rc;

	DFUSE__TRY(dfuse__check_input_options(opts));
	if (img == NULL || (buf == NULL && len > 0))
		return dfuse__error(DFUSE_EINVAL, "dfuse_load: NULL argument");
	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (len > max)
		return dfuse__too_big((unsigned long long)len, max);
	if (len == 0) /* no format: say so, not "a raw binary" */
		return dfuse__error(DFUSE_EFORMAT, "is empty (0 bytes)");
	if (format == DFUSE_FORMAT_UNKNOWN)
		format = dfuse_format_detect(buf, len); /* the whole input */
	DFUSE__TRY(check_address(format, opts));
	if (format == DFUSE_FORMAT_DFU)
		DFUSE__TRY(dfuse__dfu_payload(buf, &len));
	/* a plain DFU file is its payload, loaded as raw; it still answers
	 * DFUSE_FORMAT_DFU, so that the caller can say so */
	switch (format == DFUSE_FORMAT_DFU ? DFUSE_FORMAT_BIN : format) {
	case DFUSE_FORMAT_IHEX:
	case DFUSE_FORMAT_SREC:
		fmt = format == DFUSE_FORMAT_IHEX ? &dfuse__ihex_fmt
						  : &dfuse__srec_fmt;
		rc = dfuse__text_parse(fmt, img, target, (const char *)buf, len,
				       opts);
		break;
	case DFUSE_FORMAT_ELF:
		rc = dfuse_parse_elf(img, target, buf, len, opts);
		break;
	case DFUSE_FORMAT_BIN:
		copy = malloc(len);
		if (copy == NULL)
			return dfuse__oom();
		memcpy(copy, buf, len);
		rc = dfuse__image_add_owned(img, target, opts->address, copy,
					    len, opts);
		break;
	case DFUSE_FORMAT_DFUSE:
		return dfuse__error(DFUSE_ENOTSUP,
				    "is a DfuSe file, not an ELF, HEX, "
				    "S-record or raw binary input");
	default:
		return dfuse__error(DFUSE_EINVAL, "unknown format %d", format);
	}
	return rc < 0 ? rc : format;
}
