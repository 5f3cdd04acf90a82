/*
 * never.c - a transport that fails the test on any call (see never.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "never.h"

static int never_out(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		     const uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	(void)ctx;
	(void)value;
	(void)index;
	(void)data;
	(void)len;
	(void)timeout_ms;
	fail_msg("unexpected OUT request 0x%02x", request);
	return DFUSE__XFER_ERROR;
}

static int never_in(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		    uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	(void)ctx;
	(void)value;
	(void)index;
	(void)data;
	(void)len;
	(void)timeout_ms;
	fail_msg("unexpected IN request 0x%02x", request);
	return DFUSE__XFER_ERROR;
}

static void never_sleep(void *ctx, unsigned ms)
{
	(void)ctx;
	fail_msg("unexpected sleep of %u ms", ms);
}

static uint64_t never_now(void *ctx)
{
	(void)ctx;
	fail_msg("unexpected clock read");
	return 0;
}

const struct dfuse__transport_ops never_ops = {
	never_out, never_in, never_sleep, never_now, NULL, NULL, NULL,
};
