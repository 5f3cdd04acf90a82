/*
 * fuzz_merge.c - dfuse_merge() and dfuse_split() on whatever the reader
 * makes of the input (merge.c, split.c, the file set aside).
 *
 * The input is read as a DfuSe file (a first byte with its high bit set
 * has it cleared and the suffix CRC patched, as in fuzz_dfuse_read.c).
 * When the reader finds no error but overlapping elements, then, or the
 * target traps:
 *  - dfuse_merge() of the image alone, with the default profile, succeeds
 *    or fails with DFUSE_EOVERLAP or DFUSE_ERANGE; on success every
 *    alternate setting is one target, its elements are disjoint, and every
 *    byte of the input is in the target of its alternate setting;
 *    (an element past 4 GiB: DFUSE_ERANGE, always);
 *  - dfuse_split() by core, target and element, as DfuSe parts, and the
 *    merge of the parts, give the same memory per alternate setting and
 *    the same suffix IDs as the merge of the image;
 *  - the text and raw binary splits succeed or refuse overlapping
 *    different bytes (DFUSE_EOVERLAP) or bytes past 4 GiB (DFUSE_ERANGE),
 *    and each part writes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dfuse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ELEMENTS 256 /* the byte check is quadratic */

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static void patch_crc(uint8_t *buf, size_t size)
{
	uint32_t crc;

	if (size < 16)
		return;
	crc = dfuse_crc(buf, size - 4);
	buf[size - 4] = (uint8_t)crc;
	buf[size - 3] = (uint8_t)(crc >> 8);
	buf[size - 2] = (uint8_t)(crc >> 16);
	buf[size - 1] = (uint8_t)(crc >> 24);
}

static int acceptable(const dfuse_report *r)
{
	dfuse_finding f;
	size_t i;

	for (i = 0; i < dfuse_report_count(r); i++) {
		check(dfuse_report_get(&f, r, i) == 0);
		if (f.severity == DFUSE_SEV_ERROR &&
		    strcmp(f.code, "element-overlap") != 0)
			return 0;
	}
	return 1;
}

static size_t elements(const dfuse_image *img)
{
	dfuse_target_info ti;
	size_t t, n = 0;

	for (t = 0; t < dfuse_image_count_targets(img); t++) {
		check(dfuse_image_get_target(&ti, img, t) == 0);
		n += ti.element_count;
	}
	return n;
}

/* The byte at `address` in target t of a merged image, or -1. */
static int byte_at(const dfuse_image *m, size_t t, uint32_t address)
{
	dfuse_target_info ti;
	dfuse_element_info e;
	size_t i;

	check(dfuse_image_get_target(&ti, m, t) == 0);
	for (i = 0; i < ti.element_count; i++) {
		check(dfuse_image_get_element(&e, m, t, i) == 0);
		if (address >= e.address && address - e.address < e.size)
			return e.data[address - e.address];
	}
	return -1;
}

/* One target per alternate setting, disjoint elements (the HEX writer
 * refuses overlaps), every input byte present. */
static void check_merged(const dfuse_image *in, const dfuse_image *m)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_target_info ti, tj;
	dfuse_element_info e;
	size_t t, u, i;
	void *buf;
	size_t len;
	int rc;

	for (t = 0; t < dfuse_image_count_targets(m); t++) {
		check(dfuse_image_get_target(&ti, m, t) == 0);
		for (u = t + 1; u < dfuse_image_count_targets(m); u++) {
			check(dfuse_image_get_target(&tj, m, u) == 0);
			check(ti.alt != tj.alt);
		}
		o.format = DFUSE_FORMAT_IHEX;
		o.target = t;
		buf = NULL;
		rc = dfuse_write_as(&buf, &len, m, &o);
		check(rc == 0 || rc == DFUSE_ENOMEM);
		dfuse_free(buf);
	}
	if (elements(in) > MAX_ELEMENTS)
		return;
	for (t = 0; t < dfuse_image_count_targets(in); t++) {
		int mt;

		check(dfuse_image_get_target(&ti, in, t) == 0);
		mt = dfuse_image_find_target(m, ti.alt);
		check(mt >= 0);
		for (i = 0; i < ti.element_count; i++) {
			uint32_t k;

			check(dfuse_image_get_element(&e, in, t, i) == 0);
			for (k = 0; k < e.size; k += 1 + e.size / 64)
				check(byte_at(m, (size_t)mt, e.address + k) ==
				      e.data[k]);
		}
	}
}

/* a and b hold the same bytes at the same addresses, per alt. */
static void same_memory(const dfuse_image *a, const dfuse_image *b)
{
	dfuse_target_info ta, tb;
	dfuse_element_info e;
	dfuse_ids ia, ib;
	size_t t, i;
	uint64_t na = 0, nb = 0;

	check(dfuse_image_count_targets(a) == dfuse_image_count_targets(b));
	for (t = 0; t < dfuse_image_count_targets(a); t++) {
		int u;

		check(dfuse_image_get_target(&ta, a, t) == 0);
		u = dfuse_image_find_target(b, ta.alt);
		check(u >= 0);
		check(dfuse_image_get_target(&tb, b, (size_t)u) == 0);
		for (i = 0; i < ta.element_count; i++) {
			uint32_t k;

			check(dfuse_image_get_element(&e, a, t, i) == 0);
			na += e.size;
			if (elements(a) > MAX_ELEMENTS)
				continue;
			for (k = 0; k < e.size; k += 1 + e.size / 64)
				check(byte_at(b, (size_t)u, e.address + k) ==
				      e.data[k]);
		}
		for (i = 0; i < tb.element_count; i++) {
			check(dfuse_image_get_element(&e, b, (size_t)u, i) ==
			      0);
			nb += e.size;
		}
	}
	check(na == nb);
	dfuse_image_get_ids(&ia, a);
	dfuse_image_get_ids(&ib, b);
	check(ia.id_vendor == ib.id_vendor && ia.id_product == ib.id_product &&
	      ia.bcd_device == ib.bcd_device);
}

static void split_back(const dfuse_image *img, const dfuse_image *merged,
		       const dfuse_merge_options *mo, int by)
{
	dfuse_split_options so = DFUSE_SPLIT_OPTIONS_INIT;
	const dfuse_image **parts;
	dfuse_image *back = NULL;
	dfuse_parts *ps = NULL;
	dfuse_part p;
	size_t i, n;
	int rc;

	so.by = by;
	rc = dfuse_split(&ps, img, &so);
	if (rc == DFUSE_ENOMEM)
		return;
	check(rc == 0 || rc == DFUSE_ENOTFOUND);
	if (rc < 0)
		return;
	n = dfuse_parts_count(ps);
	parts = calloc(n, sizeof(*parts));
	check(parts != NULL);
	for (i = 0; i < n; i++) {
		check(dfuse_parts_get(&p, ps, i) == 0);
		check(strchr(p.name, '/') == NULL && p.name[0] != '.');
		parts[i] = p.image;
	}
	rc = dfuse_merge(&back, NULL, parts, n, mo);
	check(rc == 0 || rc == DFUSE_ENOMEM);
	if (rc == 0)
		same_memory(merged, back);
	dfuse_image_free(back);
	free(parts);
	dfuse_parts_free(ps);
}

static void split_formats(const dfuse_image *img)
{
	static const int formats[3] = {DFUSE_FORMAT_IHEX, DFUSE_FORMAT_SREC,
				       DFUSE_FORMAT_BIN};
	dfuse_split_options so = DFUSE_SPLIT_OPTIONS_INIT;
	dfuse_write_options wo = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_parts *ps = NULL;
	dfuse_part p;
	size_t f, i;
	int rc;

	for (f = 0; f < 3; f++) {
		so.format = formats[f];
		so.by = DFUSE_SPLIT_TARGET;
		rc = dfuse_split(&ps, img, &so);
		check(rc == 0 || rc == DFUSE_EOVERLAP ||
		      rc == DFUSE_ENOTFOUND || rc == DFUSE_ERANGE ||
		      rc == DFUSE_ENOMEM);
		for (i = 0; rc == 0 && i < dfuse_parts_count(ps); i++) {
			void *buf = NULL;
			size_t len;
			int w;

			check(dfuse_parts_get(&p, ps, i) == 0);
			check(dfuse_image_count_targets(p.image) == 1);
			wo.format = formats[f];
			w = dfuse_write_as(&buf, &len, p.image, &wo);
			check(w == 0 || w == DFUSE_ENOMEM);
			dfuse_free(buf);
		}
		dfuse_parts_free(ps);
		ps = NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dfuse_read_options ro = DFUSE_READ_OPTIONS_INIT;
	dfuse_merge_options mo = DFUSE_MERGE_OPTIONS_INIT;
	dfuse_image *img = NULL, *merged = NULL;
	const dfuse_image *one[1];
	dfuse_report *r = NULL;
	uint8_t *buf = malloc(size ? size : 1);
	int rc;

	if (buf == NULL)
		return 0;
	if (size > 0)
		memcpy(buf, data, size);
	if (size > 0 && (buf[0] & 0x80) != 0) {
		buf[0] &= 0x7f;
		patch_crc(buf, size);
	}
	if (dfuse_read(&img, &r, buf, size, &ro) < 0 || !acceptable(r))
		goto out;
	mo.profile = dfuse_profile_default();
	one[0] = img;
	rc = dfuse_merge(&merged, NULL, one, 1, &mo);
	check(rc == 0 || rc == DFUSE_EOVERLAP || rc == DFUSE_ERANGE ||
	      rc == DFUSE_ENOMEM);
	if (rc == 0) {
		check_merged(img, merged);
		split_back(img, merged, &mo, DFUSE_SPLIT_CORE);
		split_back(img, merged, &mo, DFUSE_SPLIT_TARGET);
		split_back(img, merged, &mo, DFUSE_SPLIT_ELEMENT);
	}
	split_formats(img);
out:
	dfuse_image_free(merged);
	dfuse_image_free(img);
	dfuse_report_free(r);
	free(buf);
	return 0;
}
