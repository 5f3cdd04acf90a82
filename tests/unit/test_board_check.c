/*
 * test_board_check.c - dfuse_check() against a live board
 * (dfuse_check_options.board): boards are decoded from hand-built
 * option-byte blocks (RM0399 Table 20 factory values, one comment per
 * word, offsets from the start of the alt-1 block at 0x5200201C), never
 * made by our own encoder.  Each case compares the findings with the
 * board against the findings without it and expects exactly the new
 * codes and severities listed.
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

#define E DFUSE_SEV_ERROR
#define W DFUSE_SEV_WARNING
#define N DFUSE_SEV_NOTE

/* ======== Option-byte blocks ======== */

#define BLOCK 308u

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* RM0399 Table 20's factory values, as a 308-byte read shows them. */
static void factory(uint8_t *b)
{
	memset(b, 0, BLOCK);
	/* 0x000 OPTSR_CUR: RDP 0xAA (level 0), BCM7 = BCM4 = 1 (bits 23,
	 * 22), SWAP_BANK_OPT = 0 (bit 31), BOR off, watchdogs software */
	put32(b + 0x000, 0x17C6AAF0u);
	put32(b + 0x004, 0x17C6AAF0u); /* OPTSR_PRG: the same */
	put32(b + 0x00C, 0x000000FFu); /* PRAR_CUR1: no PCROP (END < START) */
	put32(b + 0x010, 0x000000FFu); /* PRAR_PRG1 */
	put32(b + 0x014, 0x000000FFu); /* SCAR_CUR1: no secure area */
	put32(b + 0x018, 0x000000FFu); /* SCAR_PRG1 */
	put32(b + 0x01C, 0x000000FFu); /* WPSN_CUR1: nWRP all 1, none
					  protected (bank at 0x08000000) */
	put32(b + 0x020, 0x000000FFu); /* WPSN_PRG1 */
	/* 0x024 BOOT7_CUR: ADD1 0x1FF0 (bits 31:16, BOOT0 high: the ROM),
	 * ADD0 0x0800 (bits 15:0, BOOT0 low: 0x08000000) */
	put32(b + 0x024, 0x1FF00800u);
	put32(b + 0x028, 0x1FF00800u); /* BOOT7_PRG */
	/* 0x02C BOOT4_CUR: ADD1 0x1000 (SRAM1), ADD0 0x0810 (0x08100000) */
	put32(b + 0x02C, 0x10000810u);
	put32(b + 0x030, 0x10000810u); /* BOOT4_PRG */
	put32(b + 0x0FC, 0x00000001u); /* OPTCR alias: OPTLOCK (bit 0) set,
					  SWAP_BANK (bit 31) 0 */
	put32(b + 0x100, 0x17C6AAF0u); /* OPTSR_CUR alias */
	put32(b + 0x104, 0x17C6AAF0u); /* OPTSR_PRG alias */
	put32(b + 0x10C, 0x000000FFu); /* PRAR_CUR2 (bank at 0x08100000) */
	put32(b + 0x110, 0x000000FFu); /* PRAR_PRG2 */
	put32(b + 0x114, 0x000000FFu); /* SCAR_CUR2 */
	put32(b + 0x118, 0x000000FFu); /* SCAR_PRG2 */
	put32(b + 0x11C, 0x000000FFu); /* WPSN_CUR2: none protected */
	put32(b + 0x120, 0x000000FFu); /* WPSN_PRG2 */
	put32(b + 0x124, 0x1FF00800u); /* BOOT7_CUR alias */
	put32(b + 0x128, 0x1FF00800u); /* BOOT7_PRG alias */
	put32(b + 0x12C, 0x10000810u); /* BOOT4_CUR alias */
	put32(b + 0x130, 0x10000810u); /* BOOT4_PRG alias */
}

/* A _CUR word, its _PRG word and their bank-2 aliases where they have
 * them, as a reset after an option change leaves them. */
static void set_word(uint8_t *b, uint32_t cur, uint32_t v, int alias)
{
	put32(b + cur, v);
	put32(b + cur + 4, v);
	if (alias) {
		put32(b + cur + 0x100, v);
		put32(b + cur + 0x104, v);
	}
}

static dfuse_board board_of(const uint8_t *b, size_t len)
{
	dfuse_board bd;

	dfuse_board_init(&bd);
	assert_int_equal(dfuse_option_bytes_decode(&bd.ob, b, len), 0);
	bd.state = DFUSE_BOARD_READ;
	return bd;
}

/* ======== Images ======== */

static uint8_t pat(uint32_t a)
{
	return (uint8_t)(a * 7 + (a >> 8) * 13 + 1);
}

/* A program of len bytes: SP, an odd reset vector into itself. */
static void add_program(dfuse_image *img, uint32_t address, size_t len,
			uint32_t sp, int core)
{
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	uint8_t *p = malloc(len);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = pat(address + (uint32_t)i);
	put32(p, sp);
	put32(p + 4, address + 0x201u);
	o.core = core;
	assert_int_equal(dfuse_image_add_data(img, 0, address, p, len, &o), 0);
	free(p);
}

#define CM7_SP 0x2001FFF0u /* end of DTCM, less 16 */
#define CM4_SP 0x10047FF0u /* end of D2 SRAM (CM4 view), less 16 */

/* cm7/cm4: 0, or the program's address (300 KiB / 140 KiB). */
static dfuse_image *image(uint32_t cm7, uint32_t cm4)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	if (cm7)
		add_program(img, cm7, 0x4B000, CM7_SP, DFUSE_CORE_CM7);
	if (cm4)
		add_program(img, cm4, 0x23000, CM4_SP, DFUSE_CORE_CM4);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	return img;
}

/* ======== Findings ======== */

static size_t count(const dfuse_report *r, const char *code, int sev)
{
	size_t i, n = 0;

	for (i = 0; i < dfuse_report_count(r); i++) {
		dfuse_finding f;

		assert_int_equal(dfuse_report_get(&f, r, i), 0);
		n += strcmp(f.code, code) == 0 && f.severity == sev;
	}
	return n;
}

static const char *message(const dfuse_report *r, const char *code)
{
	size_t i;

	for (i = 0; i < dfuse_report_count(r); i++) {
		dfuse_finding f;

		assert_int_equal(dfuse_report_get(&f, r, i), 0);
		if (strcmp(f.code, code) == 0)
			return f.message;
	}
	fail_msg("no %s finding", code);
	return "";
}

#define assert_has(s, frag)                                                    \
	do {                                                                   \
		if (strstr((s), (frag)) == NULL)                               \
			fail_msg("'%s' lacks '%s'", (s), (frag));              \
	} while (0)

struct want {
	const char *code;
	int sev;
	size_t n;
};

/*
 * Checks img with the options (o->board set) and without the board;
 * every (code, severity) must differ by exactly what `w` lists (a
 * negative difference is written as a want with n = 0 and a separate
 * gone list).  Returns the report with the board (caller frees).
 */
static dfuse_report *expect(const dfuse_image *img, dfuse_check_options *o,
			    const struct want *w, size_t nw,
			    const struct want *gone, size_t ngone)
{
	const int sevs[3] = {N, W, E};
	dfuse_check_options plain = *o;
	dfuse_report *with = NULL, *without = NULL;
	const char *code;
	size_t i, k;

	plain.board = NULL;
	assert_int_equal(dfuse_check(&with, img, o), 0);
	assert_int_equal(dfuse_check(&without, img, &plain), 0);
	for (i = 0; (code = dfuse_check_get_code(i)) != NULL; i++) {
		for (k = 0; k < 3; k++) {
			size_t add = 0, sub = 0, j;
			const size_t a = count(with, code, sevs[k]);
			const size_t b = count(without, code, sevs[k]);

			for (j = 0; j < nw; j++)
				if (strcmp(w[j].code, code) == 0 &&
				    w[j].sev == sevs[k])
					add += w[j].n;
			for (j = 0; j < ngone; j++)
				if (strcmp(gone[j].code, code) == 0 &&
				    gone[j].sev == sevs[k])
					sub += gone[j].n;
			if (a + sub != b + add)
				fail_msg(
					"%s (severity %d): %zu with the board, "
					"%zu without, expected +%zu -%zu",
					code, sevs[k], a, b, add, sub);
		}
	}
	dfuse_report_free(without);
	return with;
}

#define NW(a) (sizeof(a) / sizeof((a)[0]))

/* ======== Cases ======== */

static void test_board__factory_adds_nothing(void **state)
{
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;

	(void)state;
	factory(b);
	bd = board_of(b, BLOCK);
	o.board = &bd;
	o.flags = DFUSE_CHECK_READBACK;
	r = expect(img, &o, NULL, 0, NULL, 0);
	assert_int_equal(dfuse_report_count_at_least(r, W), 0);
	dfuse_report_free(r);
	/* a board that was not asked for changes nothing either */
	bd.state = DFUSE_BOARD_UNKNOWN;
	dfuse_report_free(expect(img, &o, NULL, 0, NULL, 0));
	dfuse_image_free(img);
}

static void test_board__bcm4_off_warns(void **state)
{
	const struct want w[] = {{"core-boot-disabled", W, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x000, 0x17C6AAF0u & ~(1u << 22), 1); /* BCM4 = 0 */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(img, &o, w, NW(w), NULL, 0);
	assert_has(message(r, "core-boot-disabled"),
		   "the CM4 does not start at reset: it waits until the CM7 "
		   "program releases it (RCC_GCR BOOT_C2");
	dfuse_report_free(r);
	/* no CM4 program: nothing to say */
	dfuse_image_free(img);
	img = image(0x08000000, 0);
	dfuse_report_free(expect(img, &o, NULL, 0, NULL, 0));
	dfuse_image_free(img);
}

static void test_board__bcm7_off_warns(void **state)
{
	const struct want w[] = {{"core-boot-disabled", W, 1}};
	const struct want w2[] = {{"core-boot-disabled", W, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x000, 0x17C6AAF0u & ~(1u << 23), 1); /* BCM7 = 0 */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(img, &o, w, NW(w), NULL, 0);
	assert_has(message(r, "core-boot-disabled"),
		   "the CM7 does not start at reset");
	assert_has(message(r, "core-boot-disabled"), "ROM bootloader");
	dfuse_report_free(r);
	/* both 0: RM0399's table boots the CM7 and gates the CM4: one
	 * warning, about the CM4 */
	set_word(b, 0x000, 0x17C6AAF0u & ~(3u << 22), 1);
	bd = board_of(b, BLOCK);
	r = expect(img, &o, w2, NW(w2), NULL, 0);
	assert_has(message(r, "core-boot-disabled"), "BCM4 = 0");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__rdp1(void **state)
{
	const struct want warn[] = {{"read-protected", W, 1}};
	const struct want err[] = {{"read-protected", E, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x000, 0x17C6BBF0u, 1); /* RDP 0xBB: level 1 */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(img, &o, warn, NW(warn), NULL, 0);
	assert_has(message(r, "read-protected"), "RDP = 0xBB, level 1");
	assert_has(message(r, "read-protected"), "mass-erases");
	dfuse_report_free(r);
	o.flags = DFUSE_CHECK_READBACK;
	r = expect(img, &o, err, NW(err), NULL, 0);
	assert_has(message(r, "read-protected"),
		   "verifying or comparing the flash is impossible");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__protected_state(void **state)
{
	const struct want w[] = {{"read-protected", E, 1},
				 {"board-not-read", N, 1}};
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;

	(void)state;
	dfuse_board_init(&bd);
	bd.state = DFUSE_BOARD_PROTECTED;
	snprintf(bd.why, sizeof(bd.why), "errVENDOR on the read");
	o.board = &bd;
	o.flags = DFUSE_CHECK_READBACK;
	r = expect(img, &o, w, NW(w), NULL, 0);
	assert_has(message(r, "read-protected"), "errVENDOR");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__not_read_notes(void **state)
{
	const struct want w[] = {{"board-not-read", N, 1}};
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		dfuse_board_init(&bd);
		bd.state = k ? DFUSE_BOARD_FAILED : DFUSE_BOARD_NO_ALT;
		snprintf(bd.why, sizeof(bd.why), "%s",
			 k ? "UPLOAD stalled" : "no option-byte alt");
		o.board = &bd;
		r = expect(img, &o, w, NW(w), NULL, 0);
		assert_has(message(r, "board-not-read"), bd.why);
		assert_has(message(r, "board-not-read"), "profile");
		dfuse_report_free(r);
	}
	dfuse_image_free(img);
}

static void test_board__swap_bank(void **state)
{
	const struct want err[] = {{"swap-bank", E, 1}};
	const struct want warn[] = {{"swap-bank", W, 1}};
	const struct want note[] = {{"swap-bank", N, 1}};
	static const char *const allow[] = {"swap-bank"};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *dual = image(0x08000000, 0x08100000);
	dfuse_image *one = image(0x08000000, 0);
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x000, 0x17C6AAF0u | 0x80000000u, 1); /* SWAP_BANK_OPT */
	put32(b + 0x0FC, 0x80000001u); /* OPTCR.SWAP_BANK = 1: in effect */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(dual, &o, err, NW(err), NULL, 0);
	assert_has(message(r, "swap-bank"), "0x08000000 is physical bank 2");
	assert_has(message(r, "swap-bank"), "RM0399 §4.3.13");
	assert_has(message(r, "swap-bank"), "BOOT_CM4_ADD0 = 0x08100000");
	dfuse_report_free(r);
	dfuse_report_free(expect(one, &o, warn, NW(warn), NULL, 0));
	/* allowed: a note */
	o.allow = allow;
	o.allow_count = 1;
	r = expect(dual, &o, note, NW(note), NULL, 0);
	assert_int_equal(dfuse_report_count_at_least(r, E), 0);
	dfuse_report_free(r);
	o.allow = NULL;
	o.allow_count = 0;
	/* pending: SWAP_BANK_OPT = 1, the swap not yet in effect */
	put32(b + 0x0FC, 0x00000001u);
	bd = board_of(b, BLOCK);
	r = expect(dual, &o, err, NW(err), NULL, 0);
	assert_has(message(r, "swap-bank"), "pending");
	assert_has(message(r, "swap-bank"), "next reset");
	dfuse_report_free(r);
	dfuse_image_free(dual);
	dfuse_image_free(one);
}

static void test_board__write_protection(void **state)
{
	const struct want err[] = {{"write-protected", E, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000); /* sectors 0-2,
							     8-9 */
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x01C, 0xFFu & ~(1u << 2), 0); /* sector 2 of bank 1 */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(img, &o, err, NW(err), NULL, 0);
	assert_has(message(r, "write-protected"),
		   "sector 2 of the bank at 0x08000000 (0x08040000-0x0805ffff) "
		   "is write-protected");
	assert_has(message(r, "write-protected"), "AN3156");
	dfuse_report_free(r);
	/* sectors 1, 2 of bank 1 and 1 of bank 2: one finding names all */
	set_word(b, 0x01C, 0xFFu & ~(3u << 1), 0);
	set_word(b, 0x11C, 0xFFu & ~(1u << 1), 0);
	bd = board_of(b, BLOCK);
	r = expect(img, &o, err, NW(err), NULL, 0);
	assert_has(message(r, "write-protected"),
		   "sectors 1 and 2 of the bank at 0x08000000 "
		   "(0x08020000-0x0805ffff); sector 1 of the bank at "
		   "0x08100000 (0x08120000-0x0813ffff) are write-protected");
	dfuse_report_free(r);
	/* sector 5 protected, not touched: nothing; a mass erase: error */
	factory(b);
	set_word(b, 0x01C, 0xFFu & ~(1u << 5), 0);
	bd = board_of(b, BLOCK);
	dfuse_report_free(expect(img, &o, NULL, 0, NULL, 0));
	o.flags = DFUSE_CHECK_MASS_ERASE;
	r = expect(img, &o, err, NW(err), NULL, 0);
	assert_has(message(r, "write-protected"), "mass erase");
	assert_has(message(r, "write-protected"), "(0x080a0000-0x080bffff)");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

/*
 * PCROP and secure-only areas (RM0399 §4.5.4-4.5.5): PRAR/SCAR hold
 * START in bits 11:0 and END in bits 27:16, in 256-byte blocks from the
 * bank's base; END < START is no area.
 */
static void test_board__protected_areas(void **state)
{
	const struct want err[] = {{"protected-area", E, 1}};
	const struct want two[] = {{"protected-area", E, 2}};
	const struct want short_block[] = {{"protected-area", E, 1},
					   {"write-protection-unknown", N, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000); /* sectors 0-2,
							     8-9 */
	dfuse_report *r;

	(void)state;
	factory(b);
	/* PRAR_CUR1: START 0x200, END 0x2FF: 0x08020000-0x0802FFFF, in
	 * sector 1 of bank 1, which the CM7 program erases */
	set_word(b, 0x00C, 0x02FF0200u, 0);
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(img, &o, err, NW(err), NULL, 0);
	assert_has(message(r, "protected-area"),
		   "PCROP (execute-only) area (PRAR_CUR1) at "
		   "0x08020000-0x0802ffff");
	assert_has(message(r, "protected-area"), "sector 1");
	dfuse_report_free(r);
	/* the same area in sector 5: not touched, nothing; a mass erase
	 * erases it: error */
	set_word(b, 0x00C, 0x0AFF0A00u, 0); /* 0x080A0000-0x080AFFFF */
	bd = board_of(b, BLOCK);
	dfuse_report_free(expect(img, &o, NULL, 0, NULL, 0));
	o.flags = DFUSE_CHECK_MASS_ERASE;
	r = expect(img, &o, err, NW(err), NULL, 0);
	assert_has(message(r, "protected-area"), "mass erase");
	dfuse_report_free(r);
	o.flags = 0;
	/* SCAR_CUR2 with START == END (0x700): RM0399's "whole bank"
	 * reading is taken, so the CM4 program's sectors 0-1 of bank 2
	 * are in it; PRAR_CUR1 back to none, SCAR_CUR1 in sector 0 */
	factory(b);
	set_word(b, 0x114, 0x07000700u, 0);
	set_word(b, 0x014, 0x00FF0000u, 0); /* 0x08000000-0x0800FFFF */
	bd = board_of(b, BLOCK);
	r = expect(img, &o, two, NW(two), NULL, 0);
	dfuse_report_free(r);
	/* a 128-byte block holds no bank-2 area words: only bank 1's, and
	 * bank 2's protection is a note */
	bd = board_of(b, 128);
	r = expect(img, &o, short_block, NW(short_block), NULL, 0);
	assert_has(message(r, "protected-area"), "SCAR_CUR1");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__short_block(void **state)
{
	const struct want note[] = {{"write-protection-unknown", N, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *dual = image(0x08000000, 0x08100000);
	dfuse_image *one = image(0x08000000, 0);
	dfuse_report *r;

	(void)state;
	factory(b);
	bd = board_of(b, 128); /* what the descriptor says: bank 1 only */
	o.board = &bd;
	r = expect(dual, &o, note, NW(note), NULL, 0);
	assert_has(message(r, "write-protection-unknown"), "0x08100000");
	dfuse_report_free(r);
	dfuse_report_free(expect(one, &o, NULL, 0, NULL, 0));
	/* a protected sector of bank 1 is still seen in 128 bytes */
	set_word(b, 0x01C, 0xFEu, 0);
	bd = board_of(b, 128);
	{
		const struct want w[] = {{"write-protected", E, 1}};

		dfuse_report_free(expect(one, &o, w, NW(w), NULL, 0));
	}
	dfuse_image_free(dual);
	dfuse_image_free(one);
}

static void test_board__cm4_boots_elsewhere(void **state)
{
	const struct want w[] = {{"board-boot-address", E, 1}};
	const struct want gone[] = {{"not-at-boot-address", W, 0}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x02C, 0x10000818u, 1); /* BOOT_CM4_ADD0 0x0818 */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(img, &o, w, NW(w), gone, NW(gone));
	assert_int_equal(count(r, "not-at-boot-address", W), 0);
	assert_has(message(r, "board-boot-address"),
		   "BOOT_CM4_ADD0 = 0x08180000");
	assert_has(message(r, "board-boot-address"), "0x08100000");
	assert_has(message(r, "board-boot-address"), "STM32CubeProgrammer");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__non_default_boot_passes(void **state)
{
	const struct want gone[] = {{"not-at-boot-address", W, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08180000);
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x02C, 0x10000818u, 1); /* BOOT_CM4_ADD0 0x0818 */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	/* without the board the profile's 0x08100000 warns; with it the
	 * CM4 program is at its boot address: nothing at all */
	r = expect(img, &o, NULL, 0, gone, NW(gone));
	assert_int_equal(dfuse_report_count_at_least(r, W), 0);
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__boot_sector_erased(void **state)
{
	const struct want w[] = {{"board-boot-address", E, 1}};
	const struct want gone[] = {{"not-at-boot-address", W, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = NULL;
	dfuse_report *r;

	(void)state;
	/* a CM4 program at 0x08100400 (not the default), 4 KiB */
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	add_program(img, 0x08000000, 0x4B000, CM7_SP, DFUSE_CORE_CM7);
	add_program(img, 0x08100400, 0x1000, CM4_SP, DFUSE_CORE_CM4);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	factory(b);
	/* BOOT_CM4_ADD0 0x0811: in the sector 0x08100000-0x0811FFFF the
	 * download erases, outside the program */
	set_word(b, 0x02C, 0x10000811u, 1);
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(img, &o, w, NW(w), gone, NW(gone));
	assert_has(message(r, "board-boot-address"), "erased flash (0xFF)");
	assert_has(message(r, "board-boot-address"), "0x08100000-0x0811ffff");
	dfuse_report_free(r);
	/* the board booting from RAM: premise (a) only; the program is not
	 * at the default address, so today's warning, nothing more */
	set_word(b, 0x02C, 0x10001000u, 1); /* ADD0 0x1000: SRAM1 */
	bd = board_of(b, BLOCK);
	r = expect(img, &o, NULL, 0, NULL, 0);
	assert_has(message(r, "not-at-boot-address"), "0x10000000");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__boot_in_ram(void **state)
{
	const struct want w[] = {{"board-boot-address", E, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x02C, 0x10001000u, 1); /* BOOT_CM4_ADD0 0x1000: SRAM1 */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	/* the CM4 program was linked for the default 0x08100000 (a) */
	r = expect(img, &o, w, NW(w), NULL, 0);
	assert_has(message(r, "board-boot-address"),
		   "BOOT_CM4_ADD0 = 0x10000000");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__boot_to_bootloader(void **state)
{
	const struct want w[] = {{"boot-to-bootloader", W, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08100000);
	dfuse_report *r;

	(void)state;
	factory(b);
	set_word(b, 0x024, 0x1FF01FF0u, 1); /* BOOT_CM7_ADD0 0x1FF0 */
	bd = board_of(b, BLOCK);
	o.board = &bd;
	r = expect(img, &o, w, NW(w), NULL, 0);
	assert_int_equal(count(r, "not-at-boot-address", W), 0);
	assert_has(message(r, "boot-to-bootloader"), "ROM bootloader");
	dfuse_report_free(r);
	dfuse_image_free(img);
}

static void test_board__caller_boot_conflicts(void **state)
{
	const struct want w[] = {{"boot-address-conflict", E, 1}};
	uint8_t b[BLOCK];
	dfuse_board bd;
	dfuse_check_options o = DFUSE_CHECK_OPTIONS_INIT;
	dfuse_image *img = image(0x08000000, 0x08180000);
	dfuse_report *r;

	(void)state;
	factory(b);
	bd = board_of(b, BLOCK);
	o.board = &bd;
	o.boot_cm4 = 0x08180000u;
	/* without the board, 0x08180000 is right; with it, the board's
	 * 0x08100000 is what boots: the conflict, and the program not at
	 * the board's address (its sector is not touched: a warning) */
	{
		const struct want w2[] = {{"boot-address-conflict", E, 1},
					  {"not-at-boot-address", W, 1}};

		r = expect(img, &o, w2, NW(w2), NULL, 0);
	}
	assert_has(message(r, "boot-address-conflict"), "0x08180000");
	assert_has(message(r, "boot-address-conflict"),
		   "BOOT_CM4_ADD0 = 0x08100000");
	dfuse_report_free(r);
	/* the same address given: nothing */
	o.boot_cm4 = 0x08100000u;
	dfuse_image_free(img);
	img = image(0x08000000, 0x08100000);
	dfuse_report_free(expect(img, &o, NULL, 0, NULL, 0));
	(void)w;
	dfuse_image_free(img);
}

static void test_board__codes_listed(void **state)
{
	static const char *const codes[] = {
		"boot-address-conflict", "board-boot-address",
		"boot-to-bootloader",	 "core-boot-disabled",
		"write-protected",	 "write-protection-unknown",
		"protected-area",	 "swap-bank",
		"read-protected",	 "board-not-read"};
	size_t i;

	(void)state;
	for (i = 0; i < NW(codes); i++)
		assert_true(dfuse_check_has_code(codes[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board__factory_adds_nothing),
		cmocka_unit_test(test_board__bcm4_off_warns),
		cmocka_unit_test(test_board__bcm7_off_warns),
		cmocka_unit_test(test_board__rdp1),
		cmocka_unit_test(test_board__protected_state),
		cmocka_unit_test(test_board__not_read_notes),
		cmocka_unit_test(test_board__swap_bank),
		cmocka_unit_test(test_board__write_protection),
		cmocka_unit_test(test_board__protected_areas),
		cmocka_unit_test(test_board__short_block),
		cmocka_unit_test(test_board__cm4_boots_elsewhere),
		cmocka_unit_test(test_board__non_default_boot_passes),
		cmocka_unit_test(test_board__boot_sector_erased),
		cmocka_unit_test(test_board__boot_in_ram),
		cmocka_unit_test(test_board__boot_to_bootloader),
		cmocka_unit_test(test_board__caller_boot_conflicts),
		cmocka_unit_test(test_board__codes_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
