/*
 * sources.h - the inputs of merge, split and convert: DfuSe files read as
 * they are (leniently, as dump reads them), and image inputs (ELF, Intel
 * HEX, S-record, FILE@ADDR raw binaries) loaded as build loads them.
 */
#ifndef DFUSETOOL_SOURCES_H
#define DFUSETOOL_SOURCES_H

#include "inputs.h"

#include <dfuse.h>

/*
 * Reads a DfuSe file.  Its warnings go to stderr (notes too with -v).  A
 * file with an error is refused, except overlapping elements, which the
 * commands resolve as dfuse_merge() does (equal bytes kept once).
 * Returns 0, or EXIT_FAIL after saying why.
 */
int sources_read_dfu(dfuse_image **out, const char *path, size_t max);

/*
 * Loads image inputs into a new image with one target (alt, name; name
 * may be NULL).  Returns 0, or EXIT_FAIL / EXIT_USAGE after saying why.
 */
int sources_load_images(dfuse_image **out, const struct inputs *in, uint8_t alt,
			const char *name, const dfuse_profile *profile,
			size_t max);

/*
 * One input given as FILE or FILE@ADDR: a DfuSe file (no @ADDR), or an
 * image input loaded into target alt 0 named `name`.  *is_dfu says which.
 * Returns 0, or EXIT_FAIL / EXIT_USAGE after saying why.
 */
int sources_open(dfuse_image **out, int *is_dfu, const char *spec,
		 const char *name, const dfuse_profile *profile, size_t max);

/* "dfu", "hex", "srec", "bin" (and "dfuse", "ihex", "s19"): the output
 * format, or -1. */
int format_from_name(const char *s);
/* The output format an extension implies (.dfu, .hex .ihex .ihx, .srec
 * .s19 .s28 .s37 .mot, .bin; any case), or -1. */
int format_from_path(const char *path);
/* "DfuSe", "Intel HEX", "S-record", "raw binary". */
const char *format_title(int format);

/* What a target (or every target, for -1) holds. */
struct span {
	size_t targets, elements;
	uint64_t bytes;	  /* data bytes */
	uint32_t address; /* lowest (0 without data) */
	uint64_t end;	  /* one past the highest (0 without data) */
};
void image_span(struct span *out, const dfuse_image *img, int target);

#endif /* DFUSETOOL_SOURCES_H */
