/*
 * test_segs.c - the run builder behind the text formats (src/lib/segs.c),
 * tested directly through the internal API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dfuse.h"
#include "image.h"
#include "segs.h"

/* ======== Helpers ======== */

static const char *msg(void)
{
	return dfuse_error_last()->message;
}

static dfuse_image *new_image(void)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, NULL), 0);
	return img;
}

static size_t count(const dfuse_image *img)
{
	dfuse_target_info ti;

	assert_int_equal(dfuse_image_get_target(&ti, img, 0), 0);
	return ti.element_count;
}

static void element(dfuse_element_info *e, const dfuse_image *img, size_t i)
{
	assert_int_equal(dfuse_image_get_element(e, img, 0, i), 0);
}

/* The byte every test writes at address a: the same pattern everywhere,
 * so that overlapping writes agree unless a test wants them not to. */
static uint8_t pat(uint32_t a)
{
	return (uint8_t)(a * 7 + (a >> 8) * 13 + 1);
}

/* Writes [address, address + len) of the pattern. */
static int put(struct dfuse__segs *s, uint32_t address, size_t len, size_t line)
{
	uint8_t buf[512];
	size_t i;

	assert_true(len <= sizeof(buf));
	for (i = 0; i < len; i++)
		buf[i] = pat((uint32_t)(address + i));
	return dfuse__segs_write(s, address, buf, len, line);
}

/* Depth of the AA tree under t, and its invariants on the way. */
static size_t depth(const struct dfuse__segs *s, uint32_t t)
{
	const struct dfuse__run *r, *l, *rr;
	size_t a, b;

	if (t == 0)
		return 0;
	r = &s->runs[t];
	l = &s->runs[r->left];
	rr = &s->runs[r->right];
	/* AA invariants: a left child is one level down, a right child at
	 * most level with its parent, and a right grandchild strictly below. */
	if (r->left != 0)
		assert_int_equal(l->level + 1, r->level);
	else
		assert_int_equal(r->level, 1);
	if (r->right != 0) {
		assert_true(rr->level == r->level || rr->level + 1 == r->level);
		if (rr->right != 0)
			assert_true(s->runs[rr->right].level < r->level);
	}
	a = depth(s, r->left);
	b = depth(s, r->right);
	return 1 + (a > b ? a : b);
}

/* A finder that always answers line 7, record 0x100, and counts calls. */
static int find_calls;

static int fake_find(void *ctx, uint32_t address, size_t before, size_t *line,
		     uint32_t *record)
{
	(void)ctx;
	(void)address;
	(void)before;
	find_calls++;
	*line = 7;
	*record = 0x100;
	return 1;
}

/* ======== Writing ======== */

static void test_segs__append_is_one_run(void **state)
{
	struct dfuse__segs s;
	uint32_t a;

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	for (a = 0x08000000; a < 0x08010000; a += 16)
		assert_int_equal(put(&s, a, 16, a / 16), 0);
	assert_int_equal(dfuse__segs_count(&s), 1);
	assert_int_equal(s.total, 0x10000);
	assert_int_equal(s.runs[1].address, 0x08000000);
	assert_int_equal(s.runs[1].len, 0x10000);
	assert_int_equal(s.runs[1].line, 0x08000000 / 16);
	dfuse__segs_free(&s);
	dfuse__segs_free(&s); /* twice is fine */
}

/* A run past the prefault threshold (1 MiB): same bytes, and the mapped
 * hint never runs past the buffer. */
static void test_segs__big_run(void **state)
{
	struct dfuse__segs s;
	dfuse_image *img = new_image();
	dfuse_element_info e;
	uint32_t a, n = (3u << 20) + 16;

	(void)state;
	dfuse__segs_init(&s, 8u << 20, NULL, NULL);
	for (a = 0; a < n; a += 16) {
		assert_int_equal(put(&s, 0x08000000 + a, 16, a / 16 + 1), 0);
		assert_true(s.runs[1].faulted <= s.runs[1].cap);
	}
	assert_true(s.runs[1].faulted >= s.runs[1].len);
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.size, n);
	for (a = 0; a < n; a++)
		if (e.data[a] != pat(0x08000000 + a))
			fail_msg("byte 0x%x", (unsigned)a);
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

static void test_segs__zero_length_write(void **state)
{
	struct dfuse__segs s;

	(void)state;
	dfuse__segs_init(&s, 16, NULL, NULL);
	assert_int_equal(dfuse__segs_write(&s, 0xFFFFFFFF, NULL, 0, 1), 0);
	assert_int_equal(dfuse__segs_count(&s), 0);
	dfuse__segs_free(&s);
}

static void test_segs__identical_overlap(void **state)
{
	struct dfuse__segs s;

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0x100, 32, 1), 0);
	assert_int_equal(put(&s, 0x108, 8, 2), 0);  /* inside */
	assert_int_equal(put(&s, 0x0F8, 16, 3), 0); /* over the start */
	assert_int_equal(put(&s, 0x118, 16, 4), 0); /* over the end */
	assert_int_equal(s.total, 0x128 - 0x0F8);
	dfuse__segs_free(&s);
}

static void test_segs__different_overlap_run_line(void **state)
{
	struct dfuse__segs s;
	uint8_t bad[4];

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0x100, 16, 5), 0);
	assert_int_equal(put(&s, 0x110, 16, 6), 0);
	bad[0] = pat(0x11C);
	bad[1] = pat(0x11D);
	bad[2] = (uint8_t)(pat(0x11E) ^ 0xFF);
	bad[3] = pat(0x11F);
	assert_int_equal(dfuse__segs_write(&s, 0x11C, bad, 4, 812),
			 DFUSE_EOVERLAP);
	/* No finder: the line that started the run is named. */
	assert_non_null(
		strstr(msg(), "line 812: record at 0x0000011c writes "));
	assert_non_null(strstr(msg(), " at 0x0000011e, but the run starting "
				      "at line 5 already holds "));
	assert_int_equal(s.total, 32); /* the failed write changed nothing */
	dfuse__segs_free(&s);
}

static void test_segs__different_overlap_finder(void **state)
{
	struct dfuse__segs s;
	uint8_t bad = 0x12;

	(void)state;
	find_calls = 0;
	dfuse__segs_init(&s, 1 << 20, fake_find, NULL);
	assert_int_equal(put(&s, 0x100, 16, 5), 0);
	assert_true(pat(0x104) != 0x12);
	assert_int_equal(dfuse__segs_write(&s, 0x104, &bad, 1, 812),
			 DFUSE_EOVERLAP);
	assert_int_equal(find_calls, 1);
	assert_string_equal(msg(), "line 812: record at 0x00000104 writes "
				   "0x12 at 0x00000104, but line 7 already "
				   "wrote 0x2a there");
	dfuse__segs_free(&s);
}

/* A write over two runs, touching the first, overlapping the second, and
 * running on: the gaps go into the runs, nothing is prepended. */
static void test_segs__bridge(void **state)
{
	struct dfuse__segs s;
	dfuse_image *img = new_image();
	dfuse_element_info e;
	uint32_t a;

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0x000, 16, 1), 0);
	assert_int_equal(put(&s, 0x020, 16, 2), 0);
	assert_int_equal(put(&s, 0x040, 16, 3), 0);
	assert_int_equal(put(&s, 0x010, 0x38, 4), 0); /* 0x10-0x47 */
	assert_int_equal(s.total, 0x50);
	assert_int_equal(dfuse__segs_count(&s), 3);
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.address, 0);
	assert_int_equal(e.size, 0x50);
	for (a = 0; a < 0x50; a++)
		assert_int_equal(e.data[a], pat(a));
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

/* The fast paths next to runs written earlier: a new run in the gap after
 * the last one, appends that stop exactly at the next run, and a write
 * across that boundary. */
static void test_segs__gap_fast_path(void **state)
{
	struct dfuse__segs s;
	dfuse_image *img = new_image();
	dfuse_element_info e;
	uint32_t a;

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0x100, 16, 1), 0);
	assert_int_equal(put(&s, 0x300, 16, 2), 0); /* gap after 0x100 */
	assert_int_equal(put(&s, 0x200, 16, 3), 0); /* before the last */
	assert_int_equal(put(&s, 0x220, 16, 4), 0); /* gap after 0x200 */
	assert_int_equal(s.last_limit, 0x300);
	for (a = 0x230; a < 0x300; a += 16)
		assert_int_equal(put(&s, a, 16, a), 0); /* up to 0x300 */
	assert_int_equal(dfuse__segs_count(&s), 4);
	assert_int_equal(put(&s, 0x2F8, 16, 99), 0); /* across 0x300 */
	assert_int_equal(s.total, 0x10 + 0x10 + 0xF0);
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), 0);
	assert_int_equal(count(img), 3);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x100);
	assert_int_equal(e.size, 0x10);
	element(&e, img, 1);
	assert_int_equal(e.address, 0x200);
	assert_int_equal(e.size, 0x10);
	element(&e, img, 2);
	assert_int_equal(e.address, 0x220);
	assert_int_equal(e.size, 0xF0);
	for (a = 0; a < e.size; a++)
		assert_int_equal(e.data[a], pat(0x220 + a));
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

static void test_segs__limit(void **state)
{
	struct dfuse__segs s;

	(void)state;
	dfuse__segs_init(&s, 32, NULL, NULL);
	assert_int_equal(put(&s, 0x100, 16, 1), 0);
	assert_int_equal(put(&s, 0x100, 16, 2), 0); /* identical: no cost */
	assert_int_equal(put(&s, 0x110, 16, 3), 0); /* exactly the limit */
	assert_int_equal(put(&s, 0x100, 32, 4), 0); /* still identical */
	assert_int_equal(put(&s, 0x120, 1, 5), DFUSE_ETOOBIG);
	assert_string_equal(msg(), "line 5: the data would exceed 32 bytes, "
				   "the input limit (max_size)");
	assert_int_equal(put(&s, 0x900, 1, 6), DFUSE_ETOOBIG);
	assert_int_equal(s.total, 32);
	assert_true(s.runs[1].cap <= 32);
	dfuse__segs_free(&s);
}

static void test_segs__top_of_address_space(void **state)
{
	struct dfuse__segs s;

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0xFFFFFFF0, 16, 1), 0); /* ends at 2^32 */
	assert_int_equal(put(&s, 0xFFFFFFF8, 16, 2), DFUSE_ERANGE);
	assert_string_equal(msg(), "line 2: 16 bytes at 0xfffffff8 run past "
				   "the end of the 32-bit address space");
	assert_int_equal(put(&s, 0x00000000, 16, 3), 0);
	assert_int_equal(dfuse__segs_count(&s), 2);
	assert_int_equal(s.total, 32);
	dfuse__segs_free(&s);
}

/* Descending records apart: one run each, a balanced tree, in order. */
static void test_segs__descending_balanced(void **state)
{
	struct dfuse__segs s;
	dfuse_image *img = new_image();
	dfuse_element_info e;
	uint32_t a, n = 50000, k;
	size_t d, bound = 0;

	(void)state;
	/* 64 MiB: room for 65,536 runs */
	dfuse__segs_init(&s, (size_t)1 << 26, NULL, NULL);
	for (a = n; a-- > 0;) /* 8 bytes every 16: apart, one run each */
		assert_int_equal(put(&s, a * 16, 8, n - a), 0);
	assert_int_equal(dfuse__segs_count(&s), n);
	d = depth(&s, s.root);
	while (((size_t)1 << bound) <= n)
		bound++;
	assert_true(d <= 2 * bound); /* AA: path <= 2 log2(n + 1) */
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), 0);
	assert_int_equal(count(img), n);
	for (k = 0; k < n; k += 997) {
		element(&e, img, k);
		assert_int_equal(e.address, k * 16);
		assert_int_equal(e.size, 8);
		for (a = 0; a < 8; a++)
			if (e.data[a] != pat(e.address + a))
				fail_msg("byte 0x%x",
					 (unsigned)(e.address + a));
	}
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

/*
 * The element limit counts runs, and a run starts only where a record
 * touches nothing written before: under a 1 MiB limit (DFUSE_MAX_ELEMENTS:
 * 1024), 1024 separate one-byte runs are taken and the 1025th is refused,
 * by line; records that continue a run or end where one starts join it,
 * so filling the gaps costs no run.
 */
static void test_segs__element_limit(void **state)
{
	struct dfuse__segs s;
	uint32_t a;

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	for (a = 0; a < 1024; a++)
		assert_int_equal(put(&s, 0x1000 + 2 * a, 1, a + 1), 0);
	assert_int_equal(dfuse__segs_count(&s), 1024);
	assert_int_equal(put(&s, 0x1000 + 2 * 1024, 1, 1025), DFUSE_ETOOBIG);
	assert_string_equal(msg(), "line 1025: more than 1024 separate runs of "
				   "data (records that touch no data written "
				   "before them), the most an input of at most "
				   "1048576 bytes may give (one per KiB of the "
				   "limit, max_size)");
	for (a = 0; a < 1023; a++) /* each gap joins its left run */
		assert_int_equal(put(&s, 0x1001 + 2 * a, 1, 2000 + a), 0);
	assert_int_equal(put(&s, 0x0fff, 1, 3100), 0); /* joins the first */
	assert_int_equal(dfuse__segs_count(&s), 1024);
	assert_int_equal(put(&s, 0x9000, 1, 3200), DFUSE_ETOOBIG);
	dfuse__segs_free(&s);
}

/*
 * Records written backwards grow one run downwards: one run, whatever
 * their number, through the slow path and the fast paths, with the
 * bytes where they belong.
 */
static void test_segs__backwards_one_run(void **state)
{
	struct dfuse__segs s;
	dfuse_image *img = new_image();
	dfuse_element_info e;
	uint32_t a, n = 20000;

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	for (a = n; a-- > 0;)
		assert_int_equal(put(&s, 0x20000 + 8 * a, 8, n - a), 0);
	assert_int_equal(dfuse__segs_count(&s), 1);
	/* a run before it, then a record that ends where the big run starts
	 * written right after (the fast path's neighbour) */
	assert_int_equal(put(&s, 0x10000, 16, n + 1), 0);
	assert_int_equal(put(&s, 0x20000 - 8, 8, n + 2), 0);
	assert_int_equal(dfuse__segs_count(&s), 2);
	assert_int_equal(s.total, (size_t)n * 8 + 24);
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), 0);
	assert_int_equal(count(img), 2);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x10000);
	assert_int_equal(e.size, 16);
	element(&e, img, 1);
	assert_int_equal(e.address, 0x20000 - 8);
	assert_int_equal(e.size, n * 8 + 8);
	for (a = 0; a < e.size; a++)
		if (e.data[a] != pat(e.address + a))
			fail_msg("byte 0x%x", (unsigned)(e.address + a));
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

/* Random writes of the pattern, checked against a byte map. */
static void test_segs__random_against_model(void **state)
{
	enum { SPAN = 8192 };
	static uint8_t have[SPAN];
	struct dfuse__segs s;
	dfuse_image *img = new_image();
	uint32_t x = 12345, a, expect_elems = 0;
	size_t i, k, total = 0;

	(void)state;
	memset(have, 0, sizeof(have));
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	for (i = 0; i < 3000; i++) {
		uint32_t at, len;

		x = x * 1103515245u + 12345u;
		at = (x >> 8) % SPAN;
		x = x * 1103515245u + 12345u;
		len = 1 + (x >> 8) % 40;
		if (at + len > SPAN)
			len = SPAN - at;
		assert_int_equal(put(&s, at, len, i + 1), 0);
		memset(have + at, 1, len);
		if (i % 500 == 0)
			(void)depth(&s, s.root); /* invariants hold */
	}
	for (a = 0; a < SPAN; a++) {
		total += have[a];
		if (have[a] && (a == 0 || !have[a - 1]))
			expect_elems++;
	}
	assert_int_equal(s.total, total);
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), 0);
	assert_int_equal(count(img), expect_elems);
	for (k = 0; k < count(img); k++) {
		dfuse_element_info e;

		element(&e, img, k);
		assert_true(e.address == 0 || !have[e.address - 1]);
		assert_true(e.address + e.size == SPAN ||
			    !have[e.address + e.size]);
		for (a = 0; a < e.size; a++) {
			assert_int_equal(have[e.address + a], 1);
			assert_int_equal(e.data[a], pat(e.address + a));
		}
	}
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

/* ======== Commit ======== */

static void test_segs__commit_hands_over_buffer(void **state)
{
	struct dfuse__segs s;
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	dfuse_element_info e;
	const uint8_t *buf;

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0x2000, 64, 1), 0); /* cap == len */
	assert_int_equal(put(&s, 0x1000, 16, 2), 0);
	buf = s.runs[1].data;
	o.core = DFUSE_CORE_CM7;
	o.source = "x.hex";
	assert_int_equal(dfuse__segs_commit(&s, img, 0, &o), 0);
	assert_int_equal(count(img), 2);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x1000);
	element(&e, img, 1);
	assert_int_equal(e.address, 0x2000);
	assert_ptr_equal(e.data, buf); /* no copy */
	assert_int_equal(e.core, DFUSE_CORE_CM7);
	assert_string_equal(e.source, "x.hex");
	assert_null(s.runs[1].data);
	assert_int_equal(s.total, 0);
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

static void test_segs__commit_conflict_with_image(void **state)
{
	struct dfuse__segs s;
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	uint8_t other[4];

	(void)state;
	o.source = "boot.bin";
	other[0] = pat(0x3FE);
	other[1] = pat(0x3FF);
	other[2] = (uint8_t)~pat(0x400);
	other[3] = pat(0x401);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x3FE, other, 4, &o), 0);
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0x100, 16, 1), 0);
	assert_int_equal(put(&s, 0x3F0, 32, 9), 0);
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), DFUSE_EOVERLAP);
	assert_non_null(
		strstr(msg(), "line 9: the run starting there writes "));
	assert_non_null(strstr(msg(), "at 0x00000400, but 'boot.bin' already "
				      "has "));
	assert_int_equal(count(img), 1); /* nothing was added */
	dfuse__segs_free(&s);

	find_calls = 0;
	dfuse__segs_init(&s, 1 << 20, fake_find, NULL);
	assert_int_equal(put(&s, 0x3F0, 32, 9), 0);
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), DFUSE_EOVERLAP);
	assert_int_equal(find_calls, 1);
	assert_non_null(strstr(msg(), "line 7: record at 0x00000100 writes "));
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

/* Identical bytes already in the image merge with the new runs. */
static void test_segs__commit_merges_with_image(void **state)
{
	struct dfuse__segs s;
	dfuse_image *img = new_image();
	dfuse_element_info e;
	uint8_t same[8];
	uint32_t a;

	(void)state;
	for (a = 0; a < 8; a++)
		same[a] = pat(0x10C + a);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x10C, same, 8, NULL), 0);
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0x100, 16, 1), 0);
	assert_int_equal(dfuse__segs_commit(&s, img, 0, NULL), 0);
	assert_int_equal(count(img), 1);
	element(&e, img, 0);
	assert_int_equal(e.address, 0x100);
	assert_int_equal(e.size, 0x14);
	dfuse__segs_free(&s);
	dfuse_image_free(img);
}

static void test_segs__commit_bad_target(void **state)
{
	struct dfuse__segs s;
	dfuse_image *img = new_image();

	(void)state;
	dfuse__segs_init(&s, 1 << 20, NULL, NULL);
	assert_int_equal(put(&s, 0x100, 16, 1), 0);
	assert_int_equal(dfuse__segs_commit(&s, img, 2, NULL), DFUSE_EINVAL);
	assert_string_equal(msg(), "target 2 does not exist (1 targets)");
	dfuse__segs_free(&s); /* frees the run: ASan would see a leak */
	dfuse_image_free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segs__append_is_one_run),
		cmocka_unit_test(test_segs__big_run),
		cmocka_unit_test(test_segs__zero_length_write),
		cmocka_unit_test(test_segs__identical_overlap),
		cmocka_unit_test(test_segs__different_overlap_run_line),
		cmocka_unit_test(test_segs__different_overlap_finder),
		cmocka_unit_test(test_segs__bridge),
		cmocka_unit_test(test_segs__gap_fast_path),
		cmocka_unit_test(test_segs__limit),
		cmocka_unit_test(test_segs__top_of_address_space),
		cmocka_unit_test(test_segs__descending_balanced),
		cmocka_unit_test(test_segs__element_limit),
		cmocka_unit_test(test_segs__backwards_one_run),
		cmocka_unit_test(test_segs__random_against_model),
		cmocka_unit_test(test_segs__commit_hands_over_buffer),
		cmocka_unit_test(test_segs__commit_conflict_with_image),
		cmocka_unit_test(test_segs__commit_merges_with_image),
		cmocka_unit_test(test_segs__commit_bad_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
