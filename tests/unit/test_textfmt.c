/*
 * test_textfmt.c - the text formats' helpers (src/lib/textfmt.c): the hex
 * digit table and decoder, the line walker and the fast path's line
 * reader, tested directly through the internal API.  The record loop is
 * tested through the formats (test_ihex.c, test_srec.c).
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
#include "textfmt.h"

/* ======== Text helpers ======== */

static void test_textfmt__hex_table(void **state)
{
	unsigned c;

	(void)state;
	for (c = 0; c < 256; c++) {
		unsigned want = DFUSE__HEX_BAD;

		if (c >= '0' && c <= '9')
			want = c - '0';
		else if (c >= 'a' && c <= 'f')
			want = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			want = c - 'A' + 10;
		if (dfuse__hex[c] != want)
			fail_msg(
				"dfuse__hex[0x%02x] is 0x%02x, expected 0x%02x",
				c, dfuse__hex[c], want);
	}
}

static void test_textfmt__hex_decode(void **state)
{
	uint8_t out[4];
	unsigned sum = 1;

	(void)state;
	assert_int_equal(dfuse__hex_decode(out, "00fFa51C", 4, &sum), 0);
	assert_memory_equal(out, "\x00\xFF\xA5\x1C", 4);
	assert_int_equal(sum, 1 + 0xFF + 0xA5 + 0x1C);
	assert_int_not_equal(dfuse__hex_decode(out, "0g", 1, &sum), 0);
	assert_int_not_equal(dfuse__hex_decode(out, "\0000", 1, &sum), 0);
	assert_int_equal(dfuse__hex_span("12ab:x", 6), 4);
	assert_int_equal(dfuse__hex_span("12ab", 4), 4);
}

static void test_textfmt__text_lines(void **state)
{
	static const char text[] = "\xEF\xBB\xBF :A \r\n"
				   "\n"
				   "\t\r\n"
				   "B\rC\n"
				   "D";
	struct dfuse__text t;
	const char *s;
	size_t n;

	(void)state;
	dfuse__text_init(&t, text, sizeof(text) - 1);
	assert_int_equal(dfuse__text_next(&t, &s, &n), 1);
	assert_int_equal(t.line, 1);
	assert_int_equal(n, 2);
	assert_memory_equal(s, ":A", 2);
	assert_int_equal(dfuse__text_next(&t, &s, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(dfuse__text_next(&t, &s, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(t.line, 3);
	assert_int_equal(dfuse__text_next(&t, &s, &n), 1);
	assert_int_equal(n, 3); /* a lone CR inside a line stays */
	assert_memory_equal(s, "B\rC", 3);
	assert_int_equal(dfuse__text_next(&t, &s, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(t.line, 5);
	assert_int_equal(dfuse__text_next(&t, &s, &n), 0);
	assert_int_equal(t.line, 5);
}

static void test_textfmt__text_char(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(dfuse__text_char(buf, 'G'), "'G'");
	assert_string_equal(dfuse__text_char(buf, 0), "byte 0x00");
	assert_string_equal(dfuse__text_char(buf, '\''), "byte 0x27");
	assert_string_equal(dfuse__text_char(buf, 0xFF), "byte 0xff");
}

static void test_textfmt__fast_line(void **state)
{
	/* ":" lead, count 02, then 2 + 5 bytes: LL AAAA TT DD DD CC */
	static const char text[] = ":02000000AB1241\r\n"
				   ":0100000001\n"
				   ":00000001FF";
	struct dfuse__text t;
	uint8_t raw[260];
	unsigned sum = 0;

	(void)state;
	dfuse__text_init(&t, text, sizeof(text) - 1);
	assert_int_equal(dfuse__text_fast(&t, 1, 5, raw, &sum), 7);
	assert_memory_equal(raw, "\x02\x00\x00\x00\xAB\x12", 6);
	assert_int_equal(t.line, 1);
	assert_ptr_equal(t.p, text + 17); /* past the CRLF */
	assert_int_equal(dfuse__text_fast(&t, 1, 4, raw, &sum), 5);
	assert_int_equal(t.line, 2);
	assert_int_equal(dfuse__text_fast(&t, 1, 5, raw, &sum), 5);
	assert_int_equal(t.line, 3); /* the end of the text ends a line */
	assert_ptr_equal(t.p, t.end);
}

static void test_textfmt__fast_line_declines(void **state)
{
	static const char *const lines[] = {
		":0100000001 \n", /* not LF right after the digits */
		":01000000\n",	  /* shorter than its count says */
		":0G000000\n",	  /* a count that is not hex */
		":010000000G\n",  /* a data digit that is not hex */
		":0100000001\r\r\n",
	};
	struct dfuse__text t;
	uint8_t raw[260];
	unsigned sum = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		dfuse__text_init(&t, lines[i], strlen(lines[i]));
		if (dfuse__text_fast(&t, 1, 4, raw, &sum) != 0)
			fail_msg("line %zu was taken", i);
		assert_ptr_equal(t.p, lines[i]);
		assert_int_equal(t.line, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_textfmt__hex_table),
		cmocka_unit_test(test_textfmt__hex_decode),
		cmocka_unit_test(test_textfmt__text_lines),
		cmocka_unit_test(test_textfmt__text_char),
		cmocka_unit_test(test_textfmt__fast_line),
		cmocka_unit_test(test_textfmt__fast_line_declines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
