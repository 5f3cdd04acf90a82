/*
 * test_memlayout.c - UM0424 memory layout strings (memlayout.c): the
 * strings real ROMs report (doc/sources.md, Observed; UM0424 §4.3.2), every
 * type letter and multiplier, every error with its column, and
 * dfuse_layout_find() at the edges of each segment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dfuse.h"

static dfuse_layout *parse_ok(const char *str)
{
	dfuse_layout *l = NULL;
	const int rc = dfuse_layout_parse(&l, str);

	if (rc != 0)
		print_error("'%s': %s\n", str, dfuse_error_last()->message);
	assert_int_equal(rc, 0);
	assert_non_null(l);
	return l;
}

static dfuse_layout_segment seg(const dfuse_layout *l, size_t i)
{
	dfuse_layout_segment s;

	assert_int_equal(dfuse_layout_get_segment(&s, l, i), 0);
	return s;
}

static void assert_seg(const dfuse_layout *l, size_t i, uint32_t address,
		       uint32_t count, uint32_t size, char type)
{
	const dfuse_layout_segment s = seg(l, i);

	assert_int_equal(s.address, address);
	assert_int_equal(s.sector_count, count);
	assert_int_equal(s.sector_size, size);
	assert_int_equal(s.type, type);
}

/* Parsing fails with `code` and a message holding `fragment`. */
static void parse_fails(const char *str, int code, const char *fragment)
{
	dfuse_layout *l = (dfuse_layout *)&l; /* must be reset to NULL */
	const int rc = dfuse_layout_parse(&l, str);
	const char *m = dfuse_error_last()->message;

	if (rc != code || strstr(m, fragment) == NULL)
		print_error("'%s': rc %d, message '%s', want %d and '%s'\n",
			    str, rc, m, code, fragment);
	assert_int_equal(rc, code);
	assert_int_equal(dfuse_error_last()->code, code);
	assert_non_null(strstr(m, fragment));
	assert_null(l);
}

/* ======== Real strings ======== */

static void test_memlayout__h7_flash(void **state)
{
	dfuse_layout *l = parse_ok("@Internal Flash   /0x08000000/16*128Kg");
	const dfuse_layout_segment s = seg(l, 0);

	(void)state;
	assert_string_equal(dfuse_layout_get_name(l), "Internal Flash   ");
	assert_int_equal(dfuse_layout_count_segments(l), 1);
	assert_int_equal(s.address, 0x08000000);
	assert_int_equal(s.sector_size, 128 * 1024);
	assert_int_equal(s.sector_count, 16);
	assert_true(s.readable);
	assert_true(s.erasable);
	assert_true(s.writable);
	assert_int_equal(s.type, 'g');
	dfuse_layout_free(l);
}

static void test_memlayout__h7_option_bytes(void **state)
{
	dfuse_layout *l = parse_ok("@Option Bytes   /0x5200201C/01*128 e");
	const dfuse_layout_segment s = seg(l, 0);

	(void)state;
	assert_string_equal(dfuse_layout_get_name(l), "Option Bytes   ");
	assert_int_equal(dfuse_layout_count_segments(l), 1);
	assert_int_equal(s.address, 0x5200201C);
	assert_int_equal(s.sector_size, 128);
	assert_int_equal(s.sector_count, 1);
	assert_true(s.readable);
	assert_false(s.erasable);
	assert_true(s.writable);
	assert_int_equal(s.type, 'e');
	dfuse_layout_free(l);
}

static void test_memlayout__h7a3_otp_and_feature(void **state)
{
	dfuse_layout *l = parse_ok("@OTP Memory /0x08FFF000/01*1024 e");

	(void)state;
	assert_string_equal(dfuse_layout_get_name(l), "OTP Memory ");
	assert_seg(l, 0, 0x08FFF000, 1, 1024, 'e');
	dfuse_layout_free(l);

	l = parse_ok("@Device Feature/0xFFFF0000/01*004 e");
	assert_string_equal(dfuse_layout_get_name(l), "Device Feature");
	assert_seg(l, 0, 0xFFFF0000, 1, 4, 'e');
	dfuse_layout_free(l);
}

static void test_memlayout__f4_groups(void **state)
{
	dfuse_layout *l = parse_ok(
		"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");

	(void)state;
	assert_string_equal(dfuse_layout_get_name(l), "Internal Flash  ");
	assert_int_equal(dfuse_layout_count_segments(l), 3);
	assert_seg(l, 0, 0x08000000, 4, 16 * 1024, 'g');
	assert_seg(l, 1, 0x08010000, 1, 64 * 1024, 'g');
	assert_seg(l, 2, 0x08020000, 7, 128 * 1024, 'g');
	/* the last byte of the 1 MiB: 0x080FFFFF */
	assert_int_equal(dfuse_layout_find(l, 0x080FFFFF), 2);
	assert_int_equal(dfuse_layout_find(l, 0x08100000), DFUSE_ENOTFOUND);
	dfuse_layout_free(l);
}

static void test_memlayout__blocks(void **state)
{
	dfuse_layout *l =
		parse_ok("@Flash/0x08000000/02*016Ka/0x1FFF0000/01*030Ka");
	const dfuse_layout_segment s = seg(l, 0);

	(void)state;
	assert_string_equal(dfuse_layout_get_name(l), "Flash");
	assert_int_equal(dfuse_layout_count_segments(l), 2);
	assert_seg(l, 0, 0x08000000, 2, 16 * 1024, 'a');
	assert_seg(l, 1, 0x1FFF0000, 1, 30 * 1024, 'a');
	assert_true(s.readable);
	assert_false(s.erasable);
	assert_false(s.writable);
	dfuse_layout_free(l);
}

/* Blocks out of address order keep the string's order; find() works. */
static void test_memlayout__blocks_out_of_order(void **state)
{
	dfuse_layout *l = parse_ok("@x/0x20000000/1*4Kg/0x10000000/2*1Kg,"
				   "1*2Kg/0x18000000/1*1Ba");

	(void)state;
	assert_int_equal(dfuse_layout_count_segments(l), 4);
	assert_seg(l, 0, 0x20000000, 1, 4096, 'g');
	assert_seg(l, 1, 0x10000000, 2, 1024, 'g');
	assert_seg(l, 2, 0x10000800, 1, 2048, 'g');
	assert_seg(l, 3, 0x18000000, 1, 1, 'a');
	assert_int_equal(dfuse_layout_find(l, 0x20000FFF), 0);
	assert_int_equal(dfuse_layout_find(l, 0x100007FF), 1);
	assert_int_equal(dfuse_layout_find(l, 0x10000800), 2);
	assert_int_equal(dfuse_layout_find(l, 0x18000000), 3);
	assert_int_equal(dfuse_layout_find(l, 0x18000001), DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_layout_find(l, 0x0FFFFFFF), DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_layout_find(l, 0x10001000), DFUSE_ENOTFOUND);
	dfuse_layout_free(l);
}

/* ======== Syntax variants ======== */

static void test_memlayout__type_letters(void **state)
{
	static const struct {
		char type;
		int r, e, w;
	} t[] = {
		{'a', 1, 0, 0}, {'b', 0, 1, 0}, {'c', 1, 1, 0}, {'d', 0, 0, 1},
		{'e', 1, 0, 1}, {'f', 0, 1, 1}, {'g', 1, 1, 1},
	};
	char str[] = "@M/0x0/1*1K?";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		dfuse_layout *l;
		dfuse_layout_segment s;

		str[sizeof(str) - 2] = t[i].type;
		l = parse_ok(str);
		s = seg(l, 0);
		assert_int_equal(s.type, t[i].type);
		assert_int_equal(s.readable, t[i].r);
		assert_int_equal(s.erasable, t[i].e);
		assert_int_equal(s.writable, t[i].w);
		dfuse_layout_free(l);
	}
}

static void test_memlayout__multipliers(void **state)
{
	dfuse_layout *l = parse_ok("@m/0x0/2*3Mg,1*5Bg,1*7 g,1*9g,1*1K"
				   "g/0X10000000/1*1a");

	(void)state;
	assert_int_equal(dfuse_layout_count_segments(l), 6);
	assert_seg(l, 0, 0, 2, 3 * 1024 * 1024, 'g');
	assert_seg(l, 1, 6 * 1024 * 1024, 1, 5, 'g');
	assert_seg(l, 2, 6 * 1024 * 1024 + 5, 1, 7, 'g');
	/* a type letter straight after the size: bytes (as dfu-util) */
	assert_seg(l, 3, 6 * 1024 * 1024 + 12, 1, 9, 'g');
	assert_seg(l, 4, 6 * 1024 * 1024 + 21, 1, 1024, 'g');
	assert_seg(l, 5, 0x10000000, 1, 1, 'a');
	dfuse_layout_free(l);
}

static void test_memlayout__name_variants(void **state)
{
	dfuse_layout *l = parse_ok("/0x08000000/1*1Kg"); /* no '@' */

	(void)state;
	assert_string_equal(dfuse_layout_get_name(l), "");
	dfuse_layout_free(l);
	l = parse_ok("@/0x08000000/1*1Kg");
	assert_string_equal(dfuse_layout_get_name(l), "");
	dfuse_layout_free(l);
	l = parse_ok("@SPI Flash : M25P64/0x00000000/64*064Kg");
	assert_string_equal(dfuse_layout_get_name(l), "SPI Flash : M25P64");
	assert_seg(l, 0, 0, 64, 64 * 1024, 'g');
	dfuse_layout_free(l);
	l = parse_ok("Internal Flash/0x08000000/1*1Kg");
	assert_string_equal(dfuse_layout_get_name(l), "Internal Flash");
	dfuse_layout_free(l);
	/* only the first '@' is the marker */
	l = parse_ok("@@x/0x0/1*1Kg");
	assert_string_equal(dfuse_layout_get_name(l), "@x");
	dfuse_layout_free(l);
}

/* Hex in both cases, leading zeros, the whole 32-bit range. */
static void test_memlayout__numbers(void **state)
{
	dfuse_layout *l = parse_ok("@n/0xfffFFffe/00001*0002 g");

	(void)state;
	assert_seg(l, 0, 0xFFFFFFFE, 1, 2, 'g');
	/* ends exactly at 4 GiB */
	assert_int_equal(dfuse_layout_find(l, 0xFFFFFFFF), 0);
	dfuse_layout_free(l);
	l = parse_ok("@n/0x000000000000000000000001/4294967295*1 a");
	assert_seg(l, 0, 1, 4294967295u, 1, 'a');
	dfuse_layout_free(l);
	l = parse_ok("@n/0x0/1*4294967295 a,1*1a");
	assert_seg(l, 0, 0, 1, 4294967295u, 'a');
	assert_seg(l, 1, 0xFFFFFFFF, 1, 1, 'a');
	dfuse_layout_free(l);
	l = parse_ok("@n/0x0/1*4095Md");
	assert_seg(l, 0, 0, 1, 4095u * 1024 * 1024, 'd');
	dfuse_layout_free(l);
	l = parse_ok("@n/0x0/4096*1Md"); /* all of the 4 GiB */
	assert_int_equal(dfuse_layout_find(l, 0), 0);
	assert_int_equal(dfuse_layout_find(l, 0xFFFFFFFF), 0);
	dfuse_layout_free(l);
}

/* The C string ends at the first NUL; what follows is not looked at. */
static void test_memlayout__embedded_nul(void **state)
{
	static const char ok[] = "@F/0x08000000/02*016Ka\0,junk";
	static const char cut[] = "@F/0x08000000/02*016K\0a";
	dfuse_layout *l = parse_ok(ok);

	(void)state;
	assert_int_equal(dfuse_layout_count_segments(l), 1);
	dfuse_layout_free(l);
	parse_fails(cut, DFUSE_EFORMAT,
		    "column 22: expected a memory type a..g after the "
		    "multiplier 'K', found end of string");
}

/* Touching blocks are fine; only overlaps are refused. */
static void test_memlayout__adjacent_blocks(void **state)
{
	dfuse_layout *l = parse_ok("@x/0x1000/1*4Kg/0x0/1*4Kg/0x2000/1*1Kg");

	(void)state;
	assert_int_equal(dfuse_layout_find(l, 0x0FFF), 1);
	assert_int_equal(dfuse_layout_find(l, 0x1000), 0);
	assert_int_equal(dfuse_layout_find(l, 0x1FFF), 0);
	assert_int_equal(dfuse_layout_find(l, 0x2000), 2);
	assert_int_equal(dfuse_layout_find(l, 0x23FF), 2);
	assert_int_equal(dfuse_layout_find(l, 0x2400), DFUSE_ENOTFOUND);
	dfuse_layout_free(l);
}

/* ======== find() ======== */

static void test_memlayout__find_edges(void **state)
{
	dfuse_layout *l = parse_ok("@Internal Flash   /0x08000000/16*128Kg");

	(void)state;
	assert_int_equal(dfuse_layout_find(l, 0x08000000), 0);
	assert_int_equal(dfuse_layout_find(l, 0x081FFFFF), 0);
	assert_int_equal(dfuse_layout_find(l, 0x08200000), DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_layout_find(l, 0x07FFFFFF), DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_layout_find(l, 0), DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_layout_find(l, 0xFFFFFFFF), DFUSE_ENOTFOUND);
	dfuse_layout_free(l);

	l = parse_ok("@F/0x08000000/04*016Kg,01*064Kg");
	assert_int_equal(dfuse_layout_find(l, 0x0800FFFF), 0);
	assert_int_equal(dfuse_layout_find(l, 0x08010000), 1);
	assert_int_equal(dfuse_layout_find(l, 0x0801FFFF), 1);
	assert_int_equal(dfuse_layout_find(l, 0x08020000), DFUSE_ENOTFOUND);
	dfuse_layout_free(l);
}

static void test_memlayout__accessors(void **state)
{
	dfuse_layout *l = parse_ok("@a/0x0/1*1a");
	dfuse_layout_segment s;

	(void)state;
	assert_int_equal(dfuse_layout_get_segment(&s, l, 1), DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "no segment 1"));
	assert_int_equal(dfuse_layout_get_segment(NULL, l, 0), DFUSE_EINVAL);
	assert_int_equal(dfuse_layout_find(NULL, 0), DFUSE_EINVAL);
	assert_int_equal(dfuse_layout_count_segments(NULL), 0);
	assert_string_equal(dfuse_layout_get_name(NULL), "");
	dfuse_layout_free(l);
	dfuse_layout_free(NULL);
	assert_int_equal(dfuse_layout_parse(NULL, "@a/0x0/1*1a"), DFUSE_EINVAL);
	l = (dfuse_layout *)&l;
	assert_int_equal(dfuse_layout_parse(&l, NULL), DFUSE_EINVAL);
	assert_null(l);
}

/* ======== Errors ======== */

static void test_memlayout__empty(void **state)
{
	(void)state;
	parse_fails("", DFUSE_EFORMAT,
		    "column 1: expected '/' after the name, found end of "
		    "string");
	parse_fails("@", DFUSE_EFORMAT,
		    "column 2: expected '/' after the "
		    "name, found end of string");
	parse_fails("@Internal Flash", DFUSE_EFORMAT, "column 16:");
}

static void test_memlayout__bad_address(void **state)
{
	(void)state;
	parse_fails("@F/08000000/1*1Kg", DFUSE_EFORMAT,
		    "column 5: expected '0x' and a start address after '/', "
		    "found '8'");
	parse_fails("@F/x08000000/1*1Kg", DFUSE_EFORMAT,
		    "column 4: expected '0x' and a start address after '/', "
		    "found 'x'");
	parse_fails("@F/0x/1*1Kg", DFUSE_EFORMAT,
		    "column 6: expected a hex digit after '0x', found '/'");
	parse_fails("@F/0x0800g000/1*1Kg", DFUSE_EFORMAT,
		    "column 10: expected '/' after the address 0x00000800, "
		    "found 'g'");
	parse_fails("@F/0x123456789/1*1Kg", DFUSE_ERANGE,
		    "column 4: address 0x123456789 is over 0xFFFFFFFF");
	parse_fails("@F/0x0000123456789abcdef0123/1*1Kg", DFUSE_ERANGE,
		    "column 4: address 0x0000123456789abcdef0... is over "
		    "0xFFFFFFFF");
	/* leading zeros do not count against the 32 bits */
	parse_fails("@F/0x000000000100000000/1*1Kg", DFUSE_ERANGE,
		    "address 0x000000000100000000 is over");
	parse_fails("@F/ 0x0/1*1Kg", DFUSE_EFORMAT, "column 4:");
	parse_fails("@F/0x0", DFUSE_EFORMAT,
		    "column 7: expected '/' after the address 0x00000000, "
		    "found end of string");
}

static void test_memlayout__bad_group(void **state)
{
	(void)state;
	parse_fails("@F/0x08000000/16x128Kg", DFUSE_EFORMAT,
		    "column 17: expected '*' after the sector count 16, found "
		    "'x'");
	parse_fails("@F/0x08000000/*128Kg", DFUSE_EFORMAT,
		    "column 15: expected a decimal sector count after the "
		    "address, found '*'");
	parse_fails("@F/0x08000000/16*Kg", DFUSE_EFORMAT,
		    "column 18: expected a decimal sector size after '*', "
		    "found 'K'");
	parse_fails("@F/0x08000000/", DFUSE_EFORMAT,
		    "column 15: expected a decimal sector count after the "
		    "address, found end of string");
	parse_fails("@F/0x08000000/ 16*128Kg", DFUSE_EFORMAT,
		    "column 15: expected a decimal sector count after the "
		    "address, found ' '");
	parse_fails("@F/0x08000000/16 *128Kg", DFUSE_EFORMAT,
		    "column 17: expected '*' after the sector count 16, found "
		    "' '");
	parse_fails("@F/0x0/1*1\tg", DFUSE_EFORMAT,
		    "column 11: expected a multiplier (B, K, M or a space) or "
		    "a memory type a..g after the sector size 1, found byte "
		    "0x09");
}

static void test_memlayout__zero(void **state)
{
	(void)state;
	parse_fails("@F/0x08000000/00*128Kg", DFUSE_EFORMAT,
		    "column 15: sector count is 0, expected at least 1");
	parse_fails("@F/0x08000000/1*0Kg", DFUSE_EFORMAT,
		    "column 17: sector size is 0, expected at least 1");
}

static void test_memlayout__overflow(void **state)
{
	(void)state;
	/* 16 * 128 KiB = 2 MiB from 0xFFF00000 */
	parse_fails("@F/0xFFF00000/16*128Kg", DFUSE_ERANGE,
		    "column 15: 16 sectors of 131072 bytes at 0xFFF00000 end "
		    "at 0x1000FFFFF, past 4 GiB");
	/* each group fits, the second one ends past 4 GiB */
	parse_fails("@F/0xFFFFFF00/1*255 g,1*2 g", DFUSE_ERANGE,
		    "column 23: 1 sectors of 2 bytes at 0xFFFFFFFF end at "
		    "0x100000000");
	/* a group that starts at 4 GiB */
	parse_fails("@F/0x0/4096*1Mg,1*1a", DFUSE_ERANGE,
		    "at 0x100000000 end at 0x100000000");
	parse_fails("@F/0x0/1*4096Mg", DFUSE_ERANGE,
		    "column 8: sector size 4096M is 4294967296 bytes, over "
		    "4294967295");
	parse_fails("@F/0x0/1*4194304Kg", DFUSE_ERANGE,
		    "sector size 4194304K is 4294967296 bytes");
	parse_fails("@F/0x0/4294967296*1a", DFUSE_ERANGE,
		    "column 8: sector count 4294967296 is over 4294967295");
	parse_fails("@F/0x0/1*99999999999999999999999999999a", DFUSE_ERANGE,
		    "column 10: sector size 99999999999999999999... is over");
	/* 65536 * 65536 bytes wraps a 32-bit product to 0; from 0 it would
	 * just fit */
	parse_fails("@F/0x1/65536*65536 a", DFUSE_ERANGE, "past 4 GiB");
}

static void test_memlayout__bad_type(void **state)
{
	(void)state;
	parse_fails("@F/0x0/1*1Kh", DFUSE_EFORMAT,
		    "column 12: expected a memory type a..g after the "
		    "multiplier 'K', found 'h'");
	parse_fails("@F/0x0/1*1KG", DFUSE_EFORMAT,
		    "expected a memory type a..g after the multiplier 'K', "
		    "found 'G'");
	parse_fails("@F/0x0/1*1K", DFUSE_EFORMAT,
		    "column 12: expected a memory type a..g after the "
		    "multiplier 'K', found end of string");
	parse_fails("@F/0x0/1*1B", DFUSE_EFORMAT, "multiplier 'B'");
	parse_fails("@F/0x0/1*128 ", DFUSE_EFORMAT,
		    "column 14: expected a memory type a..g after the "
		    "multiplier ' ', found end of string");
	parse_fails("@F/0x0/1*128  e", DFUSE_EFORMAT,
		    "column 14: expected a memory type a..g after the "
		    "multiplier ' ', found ' '");
	parse_fails("@F/0x0/1*1kg", DFUSE_EFORMAT,
		    "column 11: expected a multiplier (B, K, M or a space) or "
		    "a memory type a..g after the sector size 1, found 'k'");
	parse_fails("@F/0x0/1*1", DFUSE_EFORMAT, "found end of string");
}

static void test_memlayout__trailing_junk(void **state)
{
	(void)state;
	parse_fails("@F/0x0/1*1Kgx", DFUSE_EFORMAT,
		    "column 13: expected ',', '/' or the end after the memory "
		    "type 'g', found 'x'");
	parse_fails("@F/0x0/1*1Kg ", DFUSE_EFORMAT,
		    "column 13: expected ',', '/' or the end after the memory "
		    "type 'g', found ' '");
	/* "128bg": 'b' is a type letter, not a multiplier */
	parse_fails("@F/0x0/1*128bg", DFUSE_EFORMAT,
		    "column 14: expected ',', '/' or the end after the memory "
		    "type 'b', found 'g'");
	parse_fails("@F/0x0/1*1Kg,", DFUSE_EFORMAT,
		    "column 14: expected a decimal sector count after ',', "
		    "found end of string");
	parse_fails("@F/0x0/1*1Kg/", DFUSE_EFORMAT,
		    "column 14: expected '0x' and a start address after '/', "
		    "found end of string");
	parse_fails("@F/0x0/1*1Kg\xc3\xa9", DFUSE_EFORMAT,
		    "column 13: expected ',', '/' or the end after the memory "
		    "type 'g', found byte 0xc3");
}

static void test_memlayout__overlap(void **state)
{
	(void)state;
	parse_fails("@F/0x08000000/16*128Kg/0x08100000/1*1Kg", DFUSE_EOVERLAP,
		    "column 35: 0x08100000-0x081003FF overlaps segment 0 "
		    "(0x08000000-0x081FFFFF)");
	/* the later block lies below and reaches into the earlier one */
	parse_fails("@F/0x1000/1*4Kg/0x0/1*4Kg,1*1a", DFUSE_EOVERLAP,
		    "column 27: 0x00001000-0x00001000 overlaps segment 0");
	/* the same block twice */
	parse_fails("@F/0x0/1*4Kg/0x0/1*4Kg", DFUSE_EOVERLAP,
		    "column 18: 0x00000000-0x00000FFF overlaps segment 0");
	/* inside a larger earlier one */
	parse_fails("@F/0x0/1*1Mg/0x1000/1*4Kg", DFUSE_EOVERLAP,
		    "overlaps segment 0 (0x00000000-0x000FFFFF)");
	/* a larger one around earlier ones */
	parse_fails("@F/0x1000/1*4Kg/0x3000/1*1Kg/0x0/1*1Mg", DFUSE_EOVERLAP,
		    "overlaps segment 0 (0x00001000-0x00001FFF)");
}

static void test_memlayout__too_many(void **state)
{
	/* "1*1a," is 5 characters; 1025 groups */
	static char str[8 + 1025 * 5];
	dfuse_layout *l;
	size_t i, k;

	(void)state;
	memcpy(str, "@M/0x0/", 7);
	k = 7;
	for (i = 0; i < 1025; i++) {
		memcpy(str + k, "1*1a,", 5);
		k += 5;
	}
	str[k - 1] = '\0';
	parse_fails(str, DFUSE_ETOOBIG, "more than 1024 segments");
	assert_non_null(strstr(dfuse_error_last()->message, "column 5128:"));

	str[k - 6] = '\0'; /* 1024 groups: the limit itself is fine */
	l = parse_ok(str);
	assert_int_equal(dfuse_layout_count_segments(l), 1024);
	assert_seg(l, 1023, 1023, 1, 1, 'a');
	assert_int_equal(dfuse_layout_find(l, 1023), 1023);
	assert_int_equal(dfuse_layout_find(l, 1024), DFUSE_ENOTFOUND);
	dfuse_layout_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memlayout__h7_flash),
		cmocka_unit_test(test_memlayout__h7_option_bytes),
		cmocka_unit_test(test_memlayout__h7a3_otp_and_feature),
		cmocka_unit_test(test_memlayout__f4_groups),
		cmocka_unit_test(test_memlayout__blocks),
		cmocka_unit_test(test_memlayout__blocks_out_of_order),
		cmocka_unit_test(test_memlayout__type_letters),
		cmocka_unit_test(test_memlayout__multipliers),
		cmocka_unit_test(test_memlayout__name_variants),
		cmocka_unit_test(test_memlayout__numbers),
		cmocka_unit_test(test_memlayout__embedded_nul),
		cmocka_unit_test(test_memlayout__adjacent_blocks),
		cmocka_unit_test(test_memlayout__find_edges),
		cmocka_unit_test(test_memlayout__accessors),
		cmocka_unit_test(test_memlayout__empty),
		cmocka_unit_test(test_memlayout__bad_address),
		cmocka_unit_test(test_memlayout__bad_group),
		cmocka_unit_test(test_memlayout__zero),
		cmocka_unit_test(test_memlayout__overflow),
		cmocka_unit_test(test_memlayout__bad_type),
		cmocka_unit_test(test_memlayout__trailing_junk),
		cmocka_unit_test(test_memlayout__overlap),
		cmocka_unit_test(test_memlayout__too_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
