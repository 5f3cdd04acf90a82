/*
 * fuzz_dfu_status.c - what a hostile or broken DFU device can send
 * (libFuzzer target; regression_driver.c replays
 * tests/fuzz/corpus/dfu_status/).
 *
 * 1. The whole input goes to dfuse__dfu_parse_status() (a GETSTATUS reply)
 *    and dfuse__dfu_parse_functional() (the descriptors after an interface
 *    descriptor), each from an exact-size copy.  Checked:
 *     - a status parses iff it has 6 bytes or more, and its fields are the
 *       bytes; else DFUSE_EUSB naming the byte count;
 *     - a functional descriptor found has wTransferSize > 0; a failure is
 *       DFUSE_EFORMAT or DFUSE_ENOTFOUND with the message's promised start.
 * 2. The input is then a device: a transport whose every reply is taken
 *    from the input (a result byte, then the data), in virtual time, and
 *    dfu_proto.c runs enter-idle, erase (with the bank-2 recovery on),
 *    write, read and leave against it.  Whatever the device says, each call
 *    must end (short deadlines), return 0 or a dfuse_error_code equal to
 *    the last error's, and never touch memory it does not own.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfu_proto.h"
#include "dfuse.h"
#include "transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

/* ======== Parsers ======== */

static void fuzz_parsers(const uint8_t *data, size_t size)
{
	uint8_t *copy = calloc(size > 0 ? size : 1, 1);
	struct dfuse__dfu_status st;
	struct dfuse__dfu_functional f;
	char want[64];
	int rc;

	check(copy != NULL);
	if (size > 0)
		memcpy(copy, data, size);
	rc = dfuse__dfu_parse_status(&st, copy, size);
	if (size >= 6) {
		check(rc == 0);
		check(st.status == copy[0] && st.state == copy[4] &&
		      st.string == copy[5]);
		check(st.poll_ms ==
		      ((uint32_t)copy[1] | (uint32_t)copy[2] << 8 |
		       (uint32_t)copy[3] << 16));
		check(dfuse__dfu_state_name(st.state) != NULL);
		check(dfuse__dfu_status_name(st.status) != NULL);
		check(dfuse__dfu_status_text(st.status) != NULL);
	} else {
		check(rc == DFUSE_EUSB && dfuse_error_last()->code == rc);
		snprintf(want, sizeof(want), "short reply of %zu bytes", size);
		check(strstr(dfuse_error_last()->message, want) != NULL);
	}

	rc = dfuse__dfu_parse_functional(&f, copy, size);
	if (rc == 0) {
		check(f.transfer_size > 0);
	} else {
		const char *m = dfuse_error_last()->message;

		check(dfuse_error_last()->code == rc);
		check((rc == DFUSE_EFORMAT &&
		       (strncmp(m, "descriptor at offset ", 21) == 0 ||
			strncmp(m, "DFU functional descriptor at offset ",
				36) == 0)) ||
		      (rc == DFUSE_ENOTFOUND &&
		       strncmp(m, "no DFU functional descriptor", 28) == 0));
	}
	free(copy);
}

/* ======== A device made of the input ======== */

struct dev {
	const uint8_t *p;
	size_t left;
	uint64_t now;
};

static int take(struct dev *v, uint8_t *b)
{
	if (v->left == 0)
		return 0;
	*b = *v->p++;
	v->left--;
	return 1;
}

/* A result byte: 0xfc..0xff are the four transport failures. */
static int result(struct dev *v)
{
	uint8_t b;

	if (!take(v, &b))
		return DFUSE__XFER_GONE;
	return b >= 0xfc ? -(int)(0x100 - b) : 0;
}

static int dev_out(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		   const uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	struct dev *v = ctx;
	volatile uint8_t sink = 0;
	uint16_t i;

	(void)request;
	(void)value;
	(void)index;
	(void)timeout_ms;
	for (i = 0; i < len; i++) /* the caller's bytes must be readable */
		sink ^= data[i];
	(void)sink;
	return result(v);
}

static int dev_in(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		  uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	struct dev *v = ctx;
	const int rc = result(v);
	uint8_t n = 0;
	uint16_t i, got;

	(void)request;
	(void)value;
	(void)index;
	(void)timeout_ms;
	if (rc < 0)
		return rc;
	if (!take(v, &n))
		return DFUSE__XFER_GONE;
	/* A reply of up to 255 bytes, never more than asked for. */
	got = n < len ? n : len;
	for (i = 0; i < got; i++)
		if (!take(v, &data[i]))
			data[i] = 0;
	return got;
}

static void dev_sleep(void *ctx, unsigned ms)
{
	struct dev *v = ctx;

	v->now += ms;
}

static uint64_t dev_now(void *ctx)
{
	struct dev *v = ctx;

	return v->now;
}

static const struct dfuse__transport_ops dev_ops = {
	dev_out, dev_in, dev_sleep, dev_now, NULL, NULL, NULL,
};

static void ok_or_error(int rc)
{
	check(rc <= 0);
	if (rc < 0)
		check(dfuse_error_last()->code == rc);
}

static void fuzz_device(const uint8_t *data, size_t size)
{
	struct dev v = {data, size, 0};
	const struct dfuse__transport t = {&dev_ops, &v, 0};
	struct dfuse__dfu d;
	struct dfuse__dfu_status found;
	uint8_t img[300], back[300];
	unsigned flags = 0;
	int how = 0;
	size_t i;

	for (i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)i;
	dfuse__dfu_init(&d, &t, 128);
	d.erase_deadline_ms = 40;
	d.mass_erase_deadline_ms = 40;
	d.block_deadline_ms = 20;
	d.command_deadline_ms = 20;
	d.stuck_recovery = 1;
	d.stuck_from = 0x08100000;
	ok_or_error(dfuse__dfu_enter_idle(&found, &d));
	ok_or_error(dfuse__dfu_erase(&flags, &d, 0x08100000));
	check((flags & ~DFUSE__DFU_RECOVERED) == 0);
	ok_or_error(dfuse__dfu_write(&d, 0x08100000, img, sizeof(img)));
	ok_or_error(dfuse__dfu_read(back, &d, 0x08100000, sizeof(back)));
	ok_or_error(dfuse__dfu_leave(&how, &d, 1, 0x08000000));
	check(how >= 0 && how <= DFUSE__DFU_LEFT_STALL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parsers(data, size);
	fuzz_device(data, size);
	return 0;
}
