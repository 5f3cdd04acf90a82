/*
 * fuzz_textout.c - the output writers round trip (out_ihex.c, out_srec.c,
 * out_bin.c): what dfuse_write_as() writes, our parsers read back to the
 * same memory and entry point.
 *
 * The input describes an image: byte 0 bit 0 says whether an entry point
 * follows (4 bytes, little-endian); then records of a 4-byte address, a
 * 2-byte length and that many data bytes (cut short at the end of the
 * input), added with dfuse_image_add_data() (a refused overlap is
 * skipped).  Then, or the target traps:
 *  - Intel HEX and S-record: written, parsed back with dfuse_parse_ihex()
 *    and dfuse_parse_srec(): the same bytes at the same addresses (element
 *    boundaries aside: the parsers join touching runs) and the same entry
 *    point, or none;
 *  - raw binary: refused with DFUSE_ERANGE exactly when there is a gap;
 *    otherwise the bytes in address order; with DFUSE_WRITE_FILL (when the
 *    span is at most 1 MiB) every byte in place and the gaps filled.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dfuse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* A cursor over an image's bytes in address order (sorted elements). */
struct walk {
	const dfuse_image *img;
	size_t el, n, off;
};

static void walk_init(struct walk *w, const dfuse_image *img)
{
	dfuse_target_info ti;

	check(dfuse_image_get_target(&ti, img, 0) == 0);
	w->img = img;
	w->el = 0;
	w->n = ti.element_count;
	w->off = 0;
}

/* Next (address, byte); 0 at the end. */
static int walk_next(struct walk *w, uint32_t *addr, uint8_t *byte)
{
	dfuse_element_info e;

	for (;;) {
		if (w->el >= w->n)
			return 0;
		check(dfuse_image_get_element(&e, w->img, 0, w->el) == 0);
		if (w->off < e.size)
			break;
		w->el++;
		w->off = 0;
	}
	*addr = e.address + (uint32_t)w->off;
	*byte = e.data[w->off];
	w->off++;
	return 1;
}

static void same_memory(const dfuse_image *a, const dfuse_image *b)
{
	struct walk x, y;
	uint32_t ax = 0, ay = 0, ea = 0, eb = 0;
	uint8_t bx = 0, by = 0;
	int mx, my;

	walk_init(&x, a);
	walk_init(&y, b);
	do {
		mx = walk_next(&x, &ax, &bx);
		my = walk_next(&y, &ay, &by);
		check(mx == my);
		check(!mx || (ax == ay && bx == by));
	} while (mx);
	check(dfuse_image_get_entry(&ea, a) == dfuse_image_get_entry(&eb, b));
	check(ea == eb);
}

static void text(const dfuse_image *img, int format)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_input_options io = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *back = NULL;
	void *buf = NULL;
	size_t len = 0;
	int rc;

	o.format = format;
	rc = dfuse_write_as(&buf, &len, img, &o);
	if (rc == DFUSE_ENOMEM)
		return;
	check(rc == 0);
	check(dfuse_image_new(&back) == 0);
	check(dfuse_image_add_target(back, 0, NULL) == 0);
	io.max_size = SIZE_MAX;
	if (format == DFUSE_FORMAT_IHEX)
		rc = dfuse_parse_ihex(back, 0, buf, len, &io);
	else
		rc = dfuse_parse_srec(back, 0, buf, len, &io);
	check(rc == 0 || rc == DFUSE_ENOMEM || rc == DFUSE_ETOOBIG);
	if (rc == 0)
		same_memory(img, back);
	dfuse_image_free(back);
	dfuse_free(buf);
}

static void bin(const dfuse_image *img)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_target_info ti;
	dfuse_element_info e;
	uint64_t lo = 0, hi = 0, at = 0;
	size_t i, gaps = 0, any = 0;
	uint8_t *out = NULL;
	size_t len = 0;
	int rc;

	check(dfuse_image_get_target(&ti, img, 0) == 0);
	for (i = 0; i < ti.element_count; i++) {
		check(dfuse_image_get_element(&e, img, 0, i) == 0);
		if (any && e.address > hi)
			gaps++;
		if (!any)
			lo = e.address;
		hi = (uint64_t)e.address + e.size;
		any = 1;
	}
	o.format = DFUSE_FORMAT_BIN;
	if (gaps == 0 || hi - lo <= ((uint64_t)1 << 20)) {
		rc = dfuse_write_as((void **)&out, &len, img, &o);
		check(rc == (gaps ? DFUSE_ERANGE : 0) || rc == DFUSE_ENOMEM);
		dfuse_free(out);
		out = NULL;
	}
	if (hi - lo > ((uint64_t)1 << 20))
		return;
	o.flags = DFUSE_WRITE_FILL;
	o.fill = 0xA5;
	rc = dfuse_write_as((void **)&out, &len, img, &o);
	if (rc == DFUSE_ENOMEM)
		return;
	check(rc == 0 && len == (size_t)(hi - lo));
	for (i = 0; i < ti.element_count; i++) {
		check(dfuse_image_get_element(&e, img, 0, i) == 0);
		for (; at < e.address - lo; at++)
			check(out[at] == 0xA5);
		check(memcmp(out + at, e.data, e.size) == 0);
		at += e.size;
	}
	dfuse_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dfuse_image *img = NULL;
	size_t k = 1;

	if (size < 1)
		return 0;
	check(dfuse_image_new(&img) == 0);
	check(dfuse_image_add_target(img, 0, NULL) == 0);
	if ((data[0] & 1) && size >= 5) {
		dfuse_image_set_entry(img, le32(data + 1));
		k = 5;
	}
	while (k + 6 <= size) {
		uint32_t address = le32(data + k);
		size_t len = (size_t)data[k + 4] | (size_t)data[k + 5] << 8;

		k += 6;
		if (len > size - k)
			len = size - k;
		/* a run past 4 GiB or a different overlap is refused: skip */
		(void)dfuse_image_add_data(img, 0, address, data + k, len,
					   NULL);
		k += len;
	}
	text(img, DFUSE_FORMAT_IHEX);
	text(img, DFUSE_FORMAT_SREC);
	bin(img);
	dfuse_image_free(img);
	return 0;
}
