/*
 * test_check.c - every rule of dfuse_check() on hand-built images: for each
 * code, a case that must trigger it and a case that must not.  Images are
 * made of elements whose first two words are a chosen initial SP and reset
 * vector; addresses come from RM0399 §2 and §4.4, not from the profile table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dfuse.h"
#include "image.h"

/* The rule table leaves trailing fields (program, flags) at zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define CM7 DFUSE_CORE_CM7
#define CM4 DFUSE_CORE_CM4
#define NONE DFUSE_CORE_NONE

struct seg {
	uint32_t address;
	uint32_t size;
	int core;
	uint32_t sp;	/* first word; 0: leave 0xFF */
	uint32_t reset; /* second word */
	int program;	/* an input marked it a program (an ELF entry) */
};

/* The sample programs' tables: SP at the end of DTCM / of D2 SRAM. */
#define CM7_APP(size)                                                          \
	{                                                                      \
		0x08000000u, size, CM7, 0x2001FFF0u, 0x08000201u               \
	}
#define CM4_APP(size)                                                          \
	{                                                                      \
		0x08100000u, size, CM4, 0x10047FF0u, 0x08100201u               \
	}

struct rcase {
	const char *name;
	const char *code;
	int want;     /* the code must (1) or must not (0) appear */
	int severity; /* when it must appear */
	int raw;      /* push elements as a reader would, no merging */
	const char *device;
	uint16_t vid, pid;
	struct seg segs[4];
	unsigned flags; /* dfuse_check_options.flags */
};

/* A 36-byte calibration record: two floats and counters, no table. */
#define DATA_BLOCK(a)                                                          \
	{                                                                      \
		(a), 36, CM7, 0x3F800000u, 0x00000024u                         \
	}

static const struct rcase cases[] = {
	/* the clean dual-core image: nothing at all is expected below */
	{"clean",
	 "outside-memory",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400)}},
	{"past flash",
	 "outside-memory",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400), {0x08200000u, 64, NONE, 0, 0}}},
	{"gap below flash",
	 "outside-memory",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x07FFFFE0u, 64, NONE, 0, 0}}},
	{"system memory",
	 "not-writable",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x1FF00000u, 32, NONE, 0, 0}}},
	{"flash is writable",
	 "not-writable",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400)}},
	{"SRAM1",
	 "bootloader-cannot-write",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x30000000u, 32, NONE, 0, 0}}},
	{"ITCM",
	 "bootloader-cannot-write",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x00000100u, 32, NONE, 0, 0}}},
	{"AXI SRAM",
	 "bootloader-cannot-write",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x24010000u, 32, NONE, 0, 0}}},
	{"AXI SRAM",
	 "ram-element",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x24010000u, 32, NONE, 0, 0}}},
	{"flash", "ram-element", 0, 0, 0, NULL, 0, 0, {CM7_APP(0x400)}},
	{"across 0x08100000",
	 "crosses-bank",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x080FFFE0u, 64, NONE, 0, 0}}},
	{"inside bank 1",
	 "crosses-bank",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x20000)}},
	{"tagged overlap",
	 "core-overlap",
	 1,
	 DFUSE_SEV_ERROR,
	 1,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x08000200u, 0x400, CM4, 0, 0}}},
	{"adjacent cores",
	 "core-overlap",
	 0,
	 0,
	 1,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400)}},
	{"one sector, two cores",
	 "shared-sector",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x08010000u, 64, CM4, 0, 0}}},
	{"own sectors",
	 "shared-sector",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400)}},
	{"CM4 linked at 0x08000000",
	 "wrong-bank",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM4, 0x10047FF0u, 0x08000201u}}},
	{"CM4 in bank 2", "wrong-bank", 0, 0, 0, NULL, 0, 0, {CM4_APP(0x400)}},
	{"behind a bootloader",
	 "not-at-boot-address",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08020000u, 0x400, CM7, 0x2001FFF0u, 0x08020201u}}},
	{"at the boot address",
	 "not-at-boot-address",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400)}},
	{"CM7 only",
	 "missing-core-image",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400)}},
	{"both cores",
	 "missing-core-image",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400)}},
	/* data alone for one core (no vector table) updates its bank and
	 * leaves the other by design */
	{"CM7 data only",
	 "missing-core-image",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {DATA_BLOCK(0x08020000u)}},
	{"table at 0x200",
	 "vector-table-misaligned",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08020200u, 0x400, CM7, 0x2001FFF0u, 0x08020201u}}},
	{"table at 0x400",
	 "vector-table-misaligned",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08020400u, 0x400, CM7, 0x2001FFF0u, 0x08020401u}}},
	{"CM4 stack in DTCM",
	 "sp-not-in-core-ram",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x08100000u, 0x400, CM4, 0x20020000u, 0x08100201u}}},
	{"CM7 stack in flash",
	 "sp-not-in-core-ram",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x08001000u, 0x08000201u}}},
	{"stacks in their RAM",
	 "sp-not-in-core-ram",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400)}},
	/* AN2606: only the ROM's jump on DFU leave minds it */
	{"SP at the end of DTCM",
	 "sp-near-ram-end",
	 1,
	 DFUSE_SEV_NOTE,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x20020000u, 0x08000201u}}},
	{"SP at the end, leave",
	 "sp-near-ram-end",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x20020000u, 0x08000201u}},
	 DFUSE_CHECK_LEAVE},
	{"SP 15 below the end",
	 "sp-near-ram-end",
	 1,
	 DFUSE_SEV_NOTE,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x2001FFF1u, 0x08000201u}}},
	{"SP 15 below, leave",
	 "sp-near-ram-end",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x2001FFF1u, 0x08000201u}},
	 DFUSE_CHECK_LEAVE},
	{"SP 16 below, leave",
	 "sp-near-ram-end",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400)},
	 DFUSE_CHECK_LEAVE},
	{"SP 16 below the end",
	 "sp-near-ram-end",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400)}},
	{"CM7 stack in SRAM2",
	 "cm7-stack-in-d2-sram",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x30030000u, 0x08000201u}}},
	{"CM7 stack in DTCM",
	 "cm7-stack-in-d2-sram",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400)}},
	{"even reset",
	 "reset-not-thumb",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x2001FFF0u, 0x08000200u}}},
	{"odd reset", "reset-not-thumb", 0, 0, 0, NULL, 0, 0, {CM7_APP(0x400)}},
	{"reset past the image",
	 "reset-outside-image",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x2001FFF0u, 0x08050001u}}},
	{"reset into AXI SRAM",
	 "reset-outside-image",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, CM7, 0x2001FFF0u, 0x24000101u}}},
	{"reset inside",
	 "reset-outside-image",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400)}},
	{"unpadded foreign file",
	 "flash-word-unaligned",
	 1,
	 DFUSE_SEV_WARNING,
	 1,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x36C, CM7, 0x2001FFF0u, 0x08000201u}}},
	{"built and padded",
	 "flash-word-unaligned",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x36C, CM7, 0x2001FFF0u, 0x08000201u}}},
	{"other VID:PID",
	 "vid-pid-mismatch",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0x1209,
	 0x0001,
	 {CM7_APP(0x400)}},
	{"wildcard PID",
	 "vid-pid-mismatch",
	 0,
	 0,
	 0,
	 NULL,
	 0x0483,
	 0xFFFF,
	 {CM7_APP(0x400)}},
	/* ST's DFU File Manager writes PID 0000 (the real-world corpus) */
	{"unset PID",
	 "vid-pid-mismatch",
	 0,
	 0,
	 0,
	 NULL,
	 0x0483,
	 0x0000,
	 {CM7_APP(0x400)}},
	{"other PID",
	 "vid-pid-mismatch",
	 1,
	 DFUSE_SEV_WARNING,
	 0,
	 NULL,
	 0x0483,
	 0x5678,
	 {CM7_APP(0x400)}},

	/* Vector-table rules only where there is a table.  A data block at
	 * a sector start (not the boot address) has none: a note, and none
	 * of the table rules. */
	{"data block",
	 "no-vector-table",
	 1,
	 DFUSE_SEV_NOTE,
	 0,
	 NULL,
	 0,
	 0,
	 {DATA_BLOCK(0x08020000u)}},
	{"data block",
	 "sp-not-in-core-ram",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {DATA_BLOCK(0x08020000u)}},
	{"data block",
	 "reset-outside-image",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {DATA_BLOCK(0x08020000u)}},
	{"data block",
	 "reset-not-thumb",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {DATA_BLOCK(0x08020000u)}},
	{"data block",
	 "not-at-boot-address",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {DATA_BLOCK(0x08020000u)}},
	{"data block in bank 2",
	 "no-vector-table",
	 1,
	 DFUSE_SEV_NOTE,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x081E0000u, 36, NONE, 0, 0}}},
	{"an application",
	 "no-vector-table",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM4_APP(0x400)}},
	/* at the boot address the core fetches its SP there, data or not */
	{"data at the boot address",
	 "sp-not-in-core-ram",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {DATA_BLOCK(0x08000000u)}},
	/* unaligned elements of data: no table, so no alignment error */
	{"unaligned data",
	 "vector-table-misaligned",
	 0,
	 0,
	 1,
	 NULL,
	 0,
	 0,
	 {{0x08020123u, 45, CM7, 0, 0}}},
	{"unaligned data, built",
	 "vector-table-misaligned",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08040010u, 100, CM7, 0, 0}}},
	/* an input marks a program: its table is read even when its words
	 * look like none */
	{"program, SP in flash",
	 "sp-not-in-core-ram",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08020000u, 0x400, CM7, 0x08001000u, 0x08020201u, 1}}},
	{"not a program, SP in flash",
	 "sp-not-in-core-ram",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08020000u, 0x400, CM7, 0x08001000u, 0x08020201u}}},
	{"program off 0x400",
	 "vector-table-misaligned",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08020100u, 0x400, CM7, 0x08001000u, 0x08020201u, 1}}},
	/* a CM4 image linked in bank 1, untagged: named from its SP */
	{"CM4 image at 0x08000000",
	 "sp-not-in-core-ram",
	 1,
	 DFUSE_SEV_ERROR,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, NONE, 0x10047FF0u, 0x08000201u}}},
	{"CM4 image at 0x08000000",
	 "wrong-bank",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {{0x08000000u, 0x400, NONE, 0x10047FF0u, 0x08000201u}}},
	/* the same bytes from two inputs */
	{"duplicate input",
	 "duplicate-bytes",
	 1,
	 DFUSE_SEV_NOTE,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), CM7_APP(0x400)}},
	{"overlapping alike",
	 "duplicate-bytes",
	 1,
	 DFUSE_SEV_NOTE,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x08000200u, 0x400, CM7, 0, 0}}},
	{"adjacent inputs",
	 "duplicate-bytes",
	 0,
	 0,
	 0,
	 NULL,
	 0,
	 0,
	 {CM7_APP(0x400), {0x08000400u, 0x400, CM7, 0, 0}}},
};

static uint8_t *seg_bytes(const struct seg *s)
{
	uint8_t *b = malloc(s->size);

	assert_non_null(b);
	memset(b, 0xA5, s->size);
	if (s->sp != 0 && s->size >= 8) {
		b[0] = (uint8_t)s->sp;
		b[1] = (uint8_t)(s->sp >> 8);
		b[2] = (uint8_t)(s->sp >> 16);
		b[3] = (uint8_t)(s->sp >> 24);
		b[4] = (uint8_t)s->reset;
		b[5] = (uint8_t)(s->reset >> 8);
		b[6] = (uint8_t)(s->reset >> 16);
		b[7] = (uint8_t)(s->reset >> 24);
	}
	return b;
}

static dfuse_image *make(const struct rcase *c)
{
	dfuse_image *img = NULL;
	size_t i;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	for (i = 0; i < 4 && c->segs[i].size > 0; i++) {
		const struct seg *s = &c->segs[i];
		uint8_t *b = seg_bytes(s);

		if (c->raw) {
			/* as a file would hold it: no merging, no padding */
			assert_int_equal(
				dfuse__image_push_element(img, 0, s->address,
							  s->size, b, -1),
				0);
			img->t[0].el[img->t[0].n - 1].core = s->core;
		} else {
			dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
			static const char *const names[] = {"in0", "in1", "in2",
							    "in3"};

			o.core = s->core;
			o.source = names[i];
			assert_int_equal(dfuse_image_add_data(img, 0,
							      s->address, b,
							      s->size, &o),
					 0);
			free(b);
		}
		if (s->program)
			assert_int_equal(dfuse__image_add_program(
						 img, 0, s->address, s->core),
					 0);
	}
	if (!c->raw)
		assert_int_equal(
			dfuse_image_normalize(img, dfuse_profile_default()), 0);
	if (c->vid != 0) {
		dfuse_ids ids;

		dfuse_image_get_ids(&ids, img);
		ids.id_vendor = c->vid;
		ids.id_product = c->pid;
		dfuse_image_set_ids(img, &ids);
	}
	return img;
}

/* The severity of the first finding with `code`, or -1. */
static int find(const dfuse_report *r, const char *code, dfuse_finding *out)
{
	size_t i;

	for (i = 0; i < dfuse_report_count(r); i++) {
		assert_int_equal(dfuse_report_get(out, r, i), 0);
		if (strcmp(out->code, code) == 0)
			return out->severity;
	}
	return -1;
}

static void test_check__rule_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rcase *c = &cases[i];
		dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
		dfuse_image *img = make(c);
		dfuse_report *r = NULL;
		dfuse_finding f;
		int sev;

		if (c->device != NULL)
			o.profile = dfuse_profile_find(c->device);
		o.flags = c->flags;
		assert_int_equal(dfuse_check(&r, img, &o), 0);
		sev = find(r, c->code, &f);
		if (c->want && sev != c->severity)
			fail_msg("case '%s': %s expected at severity %d, got "
				 "%d",
				 c->name, c->code, c->severity, sev);
		if (!c->want && sev >= 0)
			fail_msg("case '%s': unexpected %s: %s", c->name,
				 c->code, f.message);
		if (c->want)
			assert_true(f.message[0] != '\0');
		dfuse_report_free(r);
		dfuse_image_free(img);
	}
}

/* The clean dual-core image has no finding at all. */
static void test_check__clean_image_is_silent(void **state)
{
	const struct rcase *c = &cases[0];
	dfuse_image *img = make(c);
	dfuse_report *r = NULL;

	(void)state;
	assert_int_equal(dfuse_check(&r, img, NULL), 0);
	if (dfuse_report_count(r) != 0) {
		dfuse_finding f;

		assert_int_equal(dfuse_report_get(&f, r, 0), 0);
		fail_msg("clean image: %s: %s", f.code, f.message);
	}
	dfuse_report_free(r);
	dfuse_image_free(img);
}

/* Findings carry the range and core; the message says what to do. */
static void test_check__finding_fields(void **state)
{
	static const struct rcase c = {
		"", "", 1,
		0,  0,	NULL,
		0,  0,	{{0x08000000u, 0x400, CM4, 0x10047FF0u, 0x08000201u}}};
	dfuse_image *img = make(&c);
	dfuse_report *r = NULL;
	dfuse_finding f;

	(void)state;
	assert_int_equal(dfuse_check(&r, img, NULL), 0);
	assert_int_equal(find(r, "wrong-bank", &f), DFUSE_SEV_ERROR);
	assert_true(f.has_range);
	assert_int_equal(f.address, 0x08000000);
	assert_int_equal(f.end, 0x08000400);
	assert_int_equal(f.core, CM4);
	assert_int_equal(f.target, 0);
	assert_int_equal(f.element, 0);
	assert_non_null(strstr(f.message, "link the CM4 image at 0x08100000"));
	dfuse_report_free(r);
	dfuse_image_free(img);
}

/* A read element whose size runs past 0xFFFFFFFF. */
static void test_check__address_wrap(void **state)
{
	dfuse_image *img = NULL;
	dfuse_report *r = NULL;
	dfuse_finding f;
	uint8_t *b = malloc(32);

	(void)state;
	assert_non_null(b);
	memset(b, 0, 32);
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "x"), 0);
	assert_int_equal(
		dfuse__image_push_element(img, 0, 0xFFFFFFF0u, 32, b, -1), 0);
	assert_int_equal(dfuse_check(&r, img, NULL), 0);
	assert_int_equal(find(r, "outside-memory", &f), DFUSE_SEV_ERROR);
	assert_non_null(strstr(f.message, "wraps past 0xffffffff"));
	dfuse_report_free(r);
	dfuse_image_free(img);
}

/* Boot addresses other than the defaults move the cores' banks. */
static void test_check__boot_address_options(void **state)
{
	static const struct rcase c = {
		"", "", 1,
		0,  0,	NULL,
		0,  0,	{{0x08020000u, 0x400, CM7, 0x2001FFF0u, 0x08020201u}}};
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = make(&c);
	dfuse_report *r = NULL;
	dfuse_finding f;

	(void)state;
	o.boot_cm7 = 0x08020000u;
	assert_int_equal(dfuse_check(&r, img, &o), 0);
	assert_int_equal(find(r, "not-at-boot-address", &f), -1);
	dfuse_report_free(r);
	o.boot_cm7 = 0x08020400u; /* not 64 KiB-aligned */
	assert_int_equal(dfuse_check(&r, img, &o), DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "64 KiB"));
	assert_null(r);
	dfuse_image_free(img);
}

/* The core of an element: its input's, else the bank its boot address is in. */
static void test_check__element_core(void **state)
{
	static const struct rcase c = {"",
				       "",
				       1,
				       0,
				       1,
				       NULL,
				       0,
				       0,
				       {{0x08000000u, 64, NONE, 0, 0},
					{0x08100000u, 64, NONE, 0, 0},
					{0x24000000u, 64, NONE, 0, 0}}};
	dfuse_image *img = make(&c);

	(void)state;
	/* read elements take the core of the bank their boot address is in */
	assert_int_equal(dfuse_image_get_element_core(img, 0, 0, NULL), CM7);
	assert_int_equal(dfuse_image_get_element_core(img, 0, 1, NULL), CM4);
	assert_int_equal(dfuse_image_get_element_core(img, 0, 2, NULL), NONE);
	assert_int_equal(dfuse_image_get_element_core(img, 0, 9, NULL),
			 DFUSE_EINVAL);
	dfuse_image_free(img);
}

/* The vector table the rules read: at the boot address when covered,
 * else at the core's lowest flash element; none for a core without code. */
static void test_check__vector_table(void **state)
{
	static const struct rcase at_boot = {
		"",
		"",
		1,
		0,
		0,
		NULL,
		0,
		0,
		{CM7_APP(0x400), {0x08140000u, 0x400, CM4, 0x10047FF0u, 0x08140201u}}};
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = make(&at_boot);
	dfuse_vector_info v;

	(void)state;
	assert_int_equal(dfuse_image_get_vector_table(&v, img, CM7, NULL), 1);
	assert_int_equal(v.address, 0x08000000);
	assert_int_equal(v.at_boot, 1);
	assert_int_equal(v.has_words, 1);
	assert_int_equal(v.sp, 0x2001FFF0u);
	assert_int_equal(v.reset, 0x08000201u);
	/* the CM4 image misses 0x08100000: its lowest flash element */
	assert_int_equal(dfuse_image_get_vector_table(&v, img, CM4, NULL), 1);
	assert_int_equal(v.address, 0x08140000);
	assert_int_equal(v.at_boot, 0);
	assert_int_equal(v.reset, 0x08140201u);
	/* --boot-cm4 moves it to the boot address */
	o.boot_cm4 = 0x08140000u;
	assert_int_equal(dfuse_image_get_vector_table(&v, img, CM4, &o), 1);
	assert_int_equal(v.at_boot, 1);
	/* a single-core part has no CM4; a bad core is no core */
	o.boot_cm4 = 0;
	o.profile = dfuse_profile_find("stm32h743xi");
	assert_int_equal(dfuse_image_get_vector_table(&v, img, CM4, &o), 0);
	assert_int_equal(dfuse_image_get_vector_table(&v, img, 7, NULL), 0);
	assert_int_equal(dfuse_image_get_vector_table(NULL, img, CM7, NULL),
			 DFUSE_EINVAL);
	dfuse_image_free(img);
	/* no CM4 code at all */
	{
		static const struct rcase cm7_only = {
			"", "", 1, 0, 0, NULL, 0, 0, {CM7_APP(0x400)}};

		img = make(&cm7_only);
		assert_int_equal(
			dfuse_image_get_vector_table(&v, img, CM4, NULL), 0);
		dfuse_image_free(img);
	}
}

/* An image built for one core but linked for the other is named from its
 * vector table's SP, in one finding. */
static void test_check__other_core_named(void **state)
{
	static const struct rcase cm4_low = {
		"", "", 1,
		0,  0,	NULL,
		0,  0,	{{0x08000000u, 0x400, NONE, 0x10047FF0u, 0x08000201u}}};
	static const struct rcase cm7_high = {
		"",
		"",
		1,
		0,
		0,
		NULL,
		0,
		0,
		{CM7_APP(0x400), {0x08100000u, 0x400, NONE, 0x20020000u, 0x08100201u}}};
	dfuse_image *img = make(&cm4_low);
	dfuse_report *r = NULL;
	dfuse_finding f;
	size_t i, n = 0;

	(void)state;
	assert_int_equal(dfuse_check(&r, img, NULL), 0);
	assert_int_equal(find(r, "sp-not-in-core-ram", &f), DFUSE_SEV_ERROR);
	assert_non_null(strstr(f.message, "looks like a CM4 image"));
	assert_non_null(strstr(f.message, "the CM7 boots from 0x08000000"));
	for (i = 0; i < dfuse_report_count(r); i++) {
		assert_int_equal(dfuse_report_get(&f, r, i), 0);
		n += f.severity == DFUSE_SEV_ERROR;
	}
	assert_int_equal(n, 1); /* said once */
	dfuse_report_free(r);
	dfuse_image_free(img);

	img = make(&cm7_high);
	assert_int_equal(dfuse_check(&r, img, NULL), 0);
	assert_int_equal(find(r, "sp-not-in-core-ram", &f), DFUSE_SEV_ERROR);
	assert_int_equal(f.core, CM4);
	assert_non_null(strstr(f.message, "looks like a CM7 image"));
	assert_non_null(strstr(f.message, "the CM4 boots from 0x08100000"));
	dfuse_report_free(r);
	dfuse_image_free(img);
}

/* The allow list lowers errors and warnings to notes, marked allowed. */
static void test_check__allow(void **state)
{
	static const struct rcase c = {
		"", "", 1,
		0,  0,	NULL,
		0,  0,	{{0x08000000u, 0x400, CM7, 0x08001000u, 0x08000201u}}};
	static const char *const allow[] = {"sp-not-in-core-ram",
					    "missing-core-image"};
	static const char *const bad[] = {"no-such-code"};
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = make(&c);
	dfuse_report *r = NULL;
	dfuse_finding f;

	(void)state;
	assert_int_equal(dfuse_check(&r, img, &o), 0);
	assert_int_equal(find(r, "sp-not-in-core-ram", &f), DFUSE_SEV_ERROR);
	assert_int_equal(f.allowed, 0);
	dfuse_report_free(r);

	o.allow = allow;
	o.allow_count = 2;
	assert_int_equal(dfuse_check(&r, img, &o), 0);
	assert_int_equal(find(r, "sp-not-in-core-ram", &f), DFUSE_SEV_NOTE);
	assert_int_equal(f.allowed, 1);
	assert_int_equal(find(r, "missing-core-image", &f), DFUSE_SEV_NOTE);
	assert_int_equal(f.allowed, 1);
	/* not listed: unchanged */
	assert_int_equal(find(r, "not-at-boot-address", &f), -1);
	assert_int_equal(dfuse_report_count_at_least(r, DFUSE_SEV_WARNING), 0);
	dfuse_report_free(r);

	/* an unknown code is refused; so is any version but this one */
	o.allow = bad;
	o.allow_count = 1;
	assert_int_equal(dfuse_check(&r, img, &o), DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "no-such-code"));
	o.allow_count = 0;
	o.version = 1;
	assert_int_equal(dfuse_check(&r, img, &o), DFUSE_EINVAL);
	assert_null(r);
	assert_string_equal(dfuse_error_last()->message,
			    "dfuse_check_options version 1 is not supported "
			    "(expected 3)");
	dfuse_image_free(img);

	assert_int_equal(dfuse_check_has_code("no-vector-table"), 1);
	assert_int_equal(dfuse_check_has_code("duplicate-bytes"), 1);
	assert_int_equal(dfuse_check_has_code("element-overlap"), 0);
	assert_int_equal(dfuse_check_has_code(NULL), 0);
}

/* A data block has no vector table for dfuse_image_get_vector_table() either.
 */
static void test_check__data_block_has_no_table(void **state)
{
	static const struct rcase c = {
		"", "", 1, 0, 0, NULL, 0, 0, {DATA_BLOCK(0x08020000u)}};
	dfuse_image *img = make(&c);
	dfuse_vector_info v;

	(void)state;
	assert_int_equal(dfuse_image_get_vector_table(&v, img, CM7, NULL), 0);
	dfuse_image_free(img);
}

/* Every code the rule table expects is one dfuse_check_has_code()
 * knows (the allow list is checked against that table). */
static void test_check__codes_known(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!dfuse_check_has_code(cases[i].code))
			fail_msg("code %s is not known", cases[i].code);
}

/* 2,000 stacked CM7 elements and 2,000 CM4 ones over the same 64 bytes
 * (pushed raw, as a file can hold them): every CM4 element overlaps the
 * CM7 image, and each is reported once, not once per pair (4 million). */
static void test_check__stacked_overlaps_linear(void **state)
{
	const size_t n = 2000;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_report *r = NULL;
	dfuse_image *img;
	dfuse_finding f;
	size_t i, overlaps = 0;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, NULL), 0);
	for (i = 0; i < 2 * n; i++) {
		uint8_t *b = calloc(1, 64);

		assert_non_null(b);
		assert_int_equal(dfuse__image_push_element(img, 0, 0x08000400u,
							   64, b, -1),
				 0);
		img->t[0].el[i].core = i < n ? CM7 : DFUSE_CORE_CM4;
	}
	assert_int_equal(dfuse_check(&r, img, &o), 0);
	for (i = 0; i < dfuse_report_count(r); i++) {
		assert_int_equal(dfuse_report_get(&f, r, i), 0);
		if (strcmp(f.code, "core-overlap") == 0)
			overlaps++;
	}
	assert_int_equal(overlaps, n);
	assert_true(dfuse_report_count_at_least(r, DFUSE_SEV_ERROR) >= n);
	dfuse_report_free(r);
	dfuse_image_free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__rule_table),
		cmocka_unit_test(test_check__clean_image_is_silent),
		cmocka_unit_test(test_check__finding_fields),
		cmocka_unit_test(test_check__address_wrap),
		cmocka_unit_test(test_check__boot_address_options),
		cmocka_unit_test(test_check__element_core),
		cmocka_unit_test(test_check__vector_table),
		cmocka_unit_test(test_check__other_core_named),
		cmocka_unit_test(test_check__allow),
		cmocka_unit_test(test_check__data_block_has_no_table),
		cmocka_unit_test(test_check__codes_known),
		cmocka_unit_test(test_check__stacked_overlaps_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
