/*
 * test_textfmt.c - the text formats' helpers (src/lib/textfmt.c): the hex
 * digit table and decoder and the line walker, tested directly through
 * the internal API.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_textfmt__hex_table),
		cmocka_unit_test(test_textfmt__hex_decode),
		cmocka_unit_test(test_textfmt__text_lines),
		cmocka_unit_test(test_textfmt__text_char),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
