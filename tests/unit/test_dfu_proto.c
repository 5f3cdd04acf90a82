/*
 * test_dfu_proto.c - the DFU/DfuSe request layer (src/lib/dfu_proto.c)
 * against the H7 ROM model (h7model.c) in virtual time, plus a scripted
 * cmocka transport for replies the model never gives and a transport that
 * fails the test on any call (never.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dfu_proto.h"
#include "dfuse.h"
#include "h7model.h"
#include "never.h"
#include "transport.h"

/* ======== Helpers ======== */

static const char *msg(void)
{
	return dfuse_error_last()->message;
}

#define assert_msg_has(frag)                                                   \
	do {                                                                   \
		if (strstr(msg(), (frag)) == NULL)                             \
			fail_msg("message '%s' lacks '%s'", msg(), (frag));    \
	} while (0)

/* A model, its transport and a session on it. */
struct rig {
	struct h7model *m;
	struct dfuse__transport t;
	struct dfuse__dfu d;
};

static void rig_open(struct rig *r, const struct h7model_config *cfg)
{
	r->m = h7model_new(cfg);
	assert_non_null(r->m);
	h7model_transport(&r->t, r->m);
	dfuse__dfu_init(&r->d, &r->t, H7MODEL_TRANSFER_SIZE);
}

static void rig_close(struct rig *r)
{
	h7model_free(r->m);
}

static uint8_t pat(uint32_t a)
{
	return (uint8_t)(a * 7 + (a >> 8) * 13 + 1);
}

static uint8_t *pattern(uint32_t address, size_t len)
{
	uint8_t *p = malloc(len);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = pat(address + (uint32_t)i);
	return p;
}

static size_t count(const struct rig *r, int request)
{
	return h7model_count(r->m, request, -1);
}

/* ======== A scripted transport (cmocka) ======== */

static int mock_out(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		    const uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	(void)ctx;
	(void)index;
	(void)data;
	(void)timeout_ms;
	check_expected(request);
	check_expected(value);
	check_expected(len);
	return mock_type(int);
}

static int mock_in(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		   uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	const uint8_t *reply;
	int n;

	(void)ctx;
	(void)index;
	(void)timeout_ms;
	check_expected(request);
	check_expected(value);
	reply = mock_ptr_type(const uint8_t *);
	n = mock_type(int);
	if (n > 0)
		memcpy(data, reply, (size_t)n < len ? (size_t)n : len);
	return n;
}

static uint64_t mock_clock;

static void mock_sleep(void *ctx, unsigned ms)
{
	(void)ctx;
	mock_clock += ms;
}

static uint64_t mock_now(void *ctx)
{
	(void)ctx;
	return mock_clock;
}

static const struct dfuse__transport_ops mock_ops = {
	mock_out, mock_in, mock_sleep, mock_now, NULL, NULL, NULL,
};

/* ======== Parsers and names ======== */

static void test_dfu_proto__get_status_short_reply(void **state)
{
	static const uint8_t reply[6] = {0, 0, 0, 0, 2, 0};
	const struct dfuse__transport t = {&mock_ops, NULL, 0};
	struct dfuse__dfu d;
	struct dfuse__dfu_status st;

	(void)state;
	dfuse__dfu_init(&d, &t, 1024);
	expect_value(mock_in, request, DFUSE__DFU_GETSTATUS);
	expect_value(mock_in, value, 0);
	will_return(mock_in, reply);
	will_return(mock_in, 5); /* one byte short */
	assert_int_equal(dfuse__dfu_get_status(&st, &d), DFUSE_EUSB);
	assert_msg_has("GETSTATUS: short reply of 5 bytes, expected 6");
}

static void test_dfu_proto__get_status_fields(void **state)
{
	/* bStatus errPROG, bwPollTimeout 0x012345, dfuERROR, iString 7 */
	static const uint8_t reply[6] = {6, 0x45, 0x23, 0x01, 10, 7};
	const struct dfuse__transport t = {&mock_ops, NULL, 0};
	struct dfuse__dfu d;
	struct dfuse__dfu_status st;

	(void)state;
	dfuse__dfu_init(&d, &t, 1024);
	expect_value(mock_in, request, DFUSE__DFU_GETSTATUS);
	expect_value(mock_in, value, 0);
	will_return(mock_in, reply);
	will_return(mock_in, 6);
	assert_int_equal(dfuse__dfu_get_status(&st, &d), 0);
	assert_int_equal(st.status, 6);
	assert_int_equal(st.poll_ms, 0x012345);
	assert_int_equal(st.state, 10);
	assert_int_equal(st.string, 7);
}

static void test_dfu_proto__status_words(void **state)
{
	unsigned s;

	(void)state;
	assert_string_equal(dfuse__dfu_status_name(1), "errTARGET");
	assert_string_equal(dfuse__dfu_status_name(6), "errPROG");
	assert_string_equal(dfuse__dfu_status_name(15), "errSTALLEDPKT");
	assert_string_equal(dfuse__dfu_status_name(16), "unknown status");
	assert_string_equal(dfuse__dfu_state_name(4), "dfuDNBUSY");
	assert_string_equal(dfuse__dfu_state_name(10), "dfuERROR");
	assert_string_equal(dfuse__dfu_state_name(11), "unknown state");
	for (s = 1; s <= 15; s++) {
		assert_true(strncmp(dfuse__dfu_status_name(s), "err", 3) == 0);
		assert_true(strlen(dfuse__dfu_status_text(s)) > 8);
	}
}

static void test_dfu_proto__functional_descriptor(void **state)
{
	/* An interface descriptor's extra bytes: some other descriptor
	 * (type 0x24, 3 bytes), then the DFU functional descriptor as the
	 * F4 ROM reports it but with the H7's wTransferSize 1024 and
	 * bcdDFUVersion 0x011A (doc/sources.md, Observed). */
	static const uint8_t extra[] = {
		0x03, 0x24, 0x00, /* unrelated */
		0x09, 0x21, 0x0b, /* bLength, type, bmAttributes */
		0xff, 0x00,	  /* wDetachTimeOut 255 */
		0x00, 0x04,	  /* wTransferSize 1024 */
		0x1a, 0x01,	  /* bcdDFUVersion 1.1a */
	};
	static const uint8_t zero_len[] = {0x03, 0x24, 0x00, 0x00, 0x21};
	static const uint8_t too_long[] = {0x09, 0x21, 0x0b, 0xff};
	static const uint8_t zero_ts[] = {0x07, 0x21, 0x0b, 0xff,
					  0x00, 0x00, 0x00};
	struct dfuse__dfu_functional f;

	(void)state;
	assert_int_equal(dfuse__dfu_parse_functional(&f, extra, sizeof(extra)),
			 0);
	assert_int_equal(f.attributes, 0x0b);
	assert_int_equal(f.detach_timeout, 255);
	assert_int_equal(f.transfer_size, 1024);
	assert_int_equal(f.dfu_version, 0x011a);

	assert_int_equal(
		dfuse__dfu_parse_functional(&f, zero_len, sizeof(zero_len)),
		DFUSE_EFORMAT);
	assert_msg_has("offset 3: bLength 0 is too short");
	assert_int_equal(
		dfuse__dfu_parse_functional(&f, too_long, sizeof(too_long)),
		DFUSE_EFORMAT);
	assert_msg_has("bLength 9 runs past the 4 bytes left");
	assert_int_equal(
		dfuse__dfu_parse_functional(&f, zero_ts, sizeof(zero_ts)),
		DFUSE_EFORMAT);
	assert_msg_has("wTransferSize is 0");
	assert_int_equal(dfuse__dfu_parse_functional(&f, extra, 3),
			 DFUSE_ENOTFOUND);
	assert_msg_has("no DFU functional descriptor");
}

/* ======== Polling ======== */

static void test_dfu_proto__polling_honours_poll_timeout(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	uint8_t block[H7MODEL_TRANSFER_SIZE];
	uint64_t t0;
	const struct h7model_xfer *x;
	size_t i, n0, sleeps_at = 0;

	(void)state;
	h7model_config_default(&cfg);
	cfg.poll_ms = 50;
	cfg.program_ms = 200;
	rig_open(&r, &cfg);
	memset(block, 0x5a, sizeof(block));
	assert_int_equal(dfuse__dfu_set_address(&r.d, 0x08000000), 0);
	t0 = h7model_now(r.m);
	n0 = h7model_log_count(r.m);
	assert_int_equal(
		dfuse__dfu_write(&r.d, 0x08000000, block, sizeof(block)), 0);
	/* SET_ADDRESS again (one per run), then block 2: GETSTATUS at
	 * 0, 50, 100, 150 (dfuDNBUSY) and 200 ms (dfuDNLOAD-IDLE). */
	assert_int_equal(h7model_now(r.m) - t0, 50 + 200);
	for (i = n0; i < h7model_log_count(r.m); i++) {
		x = h7model_log_entry(r.m, i);
		if (x->request == DFUSE__DFU_DNLOAD && x->value == 2)
			sleeps_at = i;
	}
	assert_int_not_equal(sleeps_at, 0);
	assert_int_equal(h7model_log_count(r.m) - sleeps_at - 1, 5);
	x = h7model_log_entry(r.m, h7model_log_count(r.m) - 1);
	assert_int_equal(x->request, DFUSE__DFU_GETSTATUS);
	assert_int_equal(x->at_ms - h7model_log_entry(r.m, sleeps_at)->at_ms,
			 200);
	assert_int_equal(h7model_flash(r.m)[0], 0x5a);
	rig_close(&r);
}

static void test_dfu_proto__held_status_covered_by_deadline(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	unsigned flags = 99;

	(void)state;
	h7model_config_default(&cfg);
	cfg.hold_status = 1; /* the ROM answers after the erase */
	cfg.erase_ms = 3500; /* longer than one control timeout */
	rig_open(&r, &cfg);
	assert_true(r.d.ctrl_timeout_ms < cfg.erase_ms);
	assert_int_equal(dfuse__dfu_erase(&flags, &r.d, 0x08020000), 0);
	assert_int_equal(flags, 0);
	assert_true(h7model_now(r.m) >= 3500);
	rig_close(&r);
}

/* ======== Erase, write, read ======== */

static void test_dfu_proto__erase_write_read_run(void **state)
{
	const uint32_t at = 0x0801f800; /* crosses sectors 0 and 1 */
	const size_t len = 3000;	/* blocks of 1024, 1024, 952 */
	struct rig r;
	uint8_t *data = pattern(at, len);
	uint8_t *back = malloc(len);
	uint8_t *flash;
	size_t i, blocks = 0;

	(void)state;
	assert_non_null(back);
	rig_open(&r, NULL);
	flash = h7model_flash(r.m);
	memset(flash, 0x00, 0x40000); /* sectors 0 and 1 programmed */
	assert_int_equal(dfuse__dfu_enter_idle(NULL, &r.d), 0);
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, 0x08000000), 0);
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, 0x08020000), 0);
	assert_true(h7model_blank(r.m, 0x08000000, 0x40000));
	assert_int_equal(h7model_count_erases(r.m), 2);

	h7model_log_clear(r.m);
	assert_int_equal(dfuse__dfu_write(&r.d, at, data, len), 0);
	assert_memory_equal(flash + (at - 0x08000000), data, len);
	assert_int_equal(flash[at - 0x08000000 - 1], 0xff);
	assert_int_equal(flash[at - 0x08000000 + len], 0xff);
	assert_int_equal(
		h7model_count(r.m, DFUSE__DFU_DNLOAD, DFUSE__DFUSE_SET_ADDRESS),
		1);
	for (i = 0; i < h7model_log_count(r.m); i++) {
		const struct h7model_xfer *x = h7model_log_entry(r.m, i);

		if (x->request != DFUSE__DFU_DNLOAD || x->value < 2)
			continue;
		assert_int_equal(x->value, 2 + blocks);
		assert_int_equal(x->length, blocks < 2 ? 1024 : 952);
		blocks++;
	}
	assert_int_equal(blocks, 3);

	assert_int_equal(dfuse__dfu_read(back, &r.d, at, len), 0);
	assert_memory_equal(back, data, len);
	assert_int_equal(count(&r, DFUSE__DFU_UPLOAD), 3);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	free(back);
	free(data);
	rig_close(&r);
}

static void test_dfu_proto__mass_erase(void **state)
{
	struct rig r;

	(void)state;
	rig_open(&r, NULL);
	memset(h7model_flash(r.m), 0x12, H7MODEL_FLASH_SIZE);
	assert_int_equal(dfuse__dfu_mass_erase(&r.d), 0);
	assert_true(h7model_blank(r.m, H7MODEL_FLASH_BASE, H7MODEL_FLASH_SIZE));
	assert_int_equal(
		h7model_count(r.m, DFUSE__DFU_DNLOAD, DFUSE__DFUSE_ERASE), 1);
	assert_int_equal(h7model_log_entry(r.m, 0)->length, 1);
	rig_close(&r);
}

/* ======== The H7 bank-2 erase bug ======== */

static void test_dfu_proto__bank2_stuck_erase_recovered(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	unsigned flags = 0;

	(void)state;
	h7model_config_default(&cfg);
	cfg.stuck_erase = 1;
	rig_open(&r, &cfg);
	r.d.stuck_recovery = 1;
	r.d.stuck_from = 0x08100000;
	memset(h7model_flash(r.m) + 0x100000, 0x00, H7MODEL_SECTOR_SIZE);
	assert_int_equal(dfuse__dfu_erase(&flags, &r.d, 0x08100000), 0);
	assert_int_equal(flags, DFUSE__DFU_RECOVERED);
	assert_int_equal(count(&r, DFUSE__DFU_CLRSTATUS), 2);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	assert_true(h7model_blank(r.m, 0x08100000, H7MODEL_SECTOR_SIZE));
	/* It waited for the worst case plus bwPollTimeout before
	 * recovering, not for the erase deadline. */
	assert_true(h7model_now(r.m) >= r.d.stuck_deadline_ms + 10);
	assert_true(h7model_now(r.m) < r.d.erase_deadline_ms);
	/* And the device goes on: write then read back in bank 2. */
	{
		uint8_t *data = pattern(0x08100000, 2048);
		uint8_t back[2048];

		assert_int_equal(dfuse__dfu_write(&r.d, 0x08100000, data, 2048),
				 0);
		assert_int_equal(dfuse__dfu_read(back, &r.d, 0x08100000, 2048),
				 0);
		assert_memory_equal(back, data, 2048);
		free(data);
	}
	rig_close(&r);
}

static void test_dfu_proto__stuck_erase_below_threshold_times_out(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	unsigned flags = 99;

	(void)state;
	h7model_config_default(&cfg);
	cfg.stuck_erase = 1;
	cfg.stuck_from = 0x08000000; /* this device sticks everywhere */
	rig_open(&r, &cfg);
	r.d.stuck_recovery = 1;
	r.d.stuck_from = 0x08100000;
	assert_int_equal(dfuse__dfu_erase(&flags, &r.d, 0x08020000),
			 DFUSE_ETIMEOUT);
	assert_msg_has("erase of the sector at 0x08020000");
	assert_msg_has("still dfuDNBUSY after 8010 ms (deadline 8000 ms + "
		       "bwPollTimeout 10 ms)");
	assert_int_equal(flags, 0);
	assert_int_equal(count(&r, DFUSE__DFU_CLRSTATUS), 0);
	rig_close(&r);
}

static void test_dfu_proto__stuck_erase_without_recovery_times_out(void **state)
{
	struct h7model_config cfg;
	struct rig r;

	(void)state;
	h7model_config_default(&cfg);
	cfg.stuck_erase = 1;
	rig_open(&r, &cfg);
	r.d.erase_deadline_ms = 5000;
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, 0x08120000),
			 DFUSE_ETIMEOUT);
	assert_msg_has("0x08120000");
	assert_msg_has("deadline 5000 ms + bwPollTimeout 10 ms");
	assert_int_equal(count(&r, DFUSE__DFU_CLRSTATUS), 0);
	/* A re-run with recovery on finds it stuck and clears it. */
	r.d.stuck_recovery = 1;
	r.d.stuck_from = 0x08100000;
	assert_int_equal(dfuse__dfu_enter_idle(NULL, &r.d), 0);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	rig_close(&r);
}

/* ======== Device errors and known states ======== */

static void test_dfu_proto__errprog_names_status_and_address(void **state)
{
	struct rig r;
	uint8_t *data = pattern(0x08000000, 2048);

	(void)state;
	rig_open(&r, NULL);
	h7model_flash(r.m)[0x500] = 0x00; /* in block 3, not erased */
	assert_int_equal(dfuse__dfu_write(&r.d, 0x08000000, data, 2048),
			 DFUSE_EDEVICE);
	assert_msg_has("DNLOAD block 3 at 0x08000400");
	assert_msg_has("errPROG (programming the memory failed)");
	assert_msg_has("state dfuERROR");
	assert_int_equal(count(&r, DFUSE__DFU_CLRSTATUS), 1);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	free(data);
	rig_close(&r);
}

static void test_dfu_proto__erase_outside_flash_is_errtarget(void **state)
{
	struct rig r;

	(void)state;
	rig_open(&r, NULL);
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, 0x08200000),
			 DFUSE_EDEVICE);
	assert_msg_has("erase of the sector at 0x08200000");
	assert_msg_has("errTARGET");
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	rig_close(&r);
}

static void test_dfu_proto__read_outside_flash_names_address(void **state)
{
	struct rig r;
	uint8_t back[2048];

	(void)state;
	rig_open(&r, NULL);
	assert_int_equal(dfuse__dfu_read(back, &r.d, 0x081ffc00, 2048),
			 DFUSE_EDEVICE);
	assert_msg_has("UPLOAD block 3 at 0x08200000");
	assert_msg_has("errADDRESS");
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	rig_close(&r);
}

static void test_dfu_proto__enter_idle_from_error_clears(void **state)
{
	struct rig r;
	struct dfuse__dfu_status found;

	(void)state;
	rig_open(&r, NULL);
	h7model_set_state(r.m, DFUSE__DFU_ERROR, DFUSE__DFU_ERR_PROG);
	assert_int_equal(dfuse__dfu_enter_idle(&found, &r.d), 0);
	assert_int_equal(found.state, DFUSE__DFU_ERROR);
	assert_int_equal(found.status, DFUSE__DFU_ERR_PROG);
	assert_int_equal(count(&r, DFUSE__DFU_CLRSTATUS), 1);
	assert_int_equal(count(&r, DFUSE__DFU_ABORT), 0);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	rig_close(&r);
}

static void test_dfu_proto__enter_idle_from_dnload_idle_aborts(void **state)
{
	struct rig r;
	struct dfuse__dfu_status found;

	(void)state;
	rig_open(&r, NULL);
	h7model_set_state(r.m, DFUSE__DFU_DNLOAD_IDLE, DFUSE__DFU_OK);
	assert_int_equal(dfuse__dfu_enter_idle(&found, &r.d), 0);
	assert_int_equal(found.state, DFUSE__DFU_DNLOAD_IDLE);
	assert_int_equal(count(&r, DFUSE__DFU_ABORT), 1);
	assert_int_equal(count(&r, DFUSE__DFU_CLRSTATUS), 0);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	/* Likewise from dfuUPLOAD-IDLE. */
	h7model_set_state(r.m, DFUSE__DFU_UPLOAD_IDLE, DFUSE__DFU_OK);
	assert_int_equal(dfuse__dfu_enter_idle(NULL, &r.d), 0);
	assert_int_equal(count(&r, DFUSE__DFU_ABORT), 2);
	rig_close(&r);
}

static void test_dfu_proto__enter_idle_refuses_app_mode(void **state)
{
	struct rig r;

	(void)state;
	rig_open(&r, NULL);
	h7model_set_state(r.m, DFUSE__DFU_APP_IDLE, DFUSE__DFU_OK);
	assert_int_equal(dfuse__dfu_enter_idle(NULL, &r.d), DFUSE_EDEVICE);
	assert_msg_has("appIDLE: run-time mode");
	rig_close(&r);
}

/* ======== Transport faults ======== */

/* Transfers of a write at 0x08000000 with the default model: 1 DNLOAD
 * (set address), 2 GETSTATUS (dfuDNBUSY), 3 GETSTATUS (done), 4 DNLOAD
 * block 2, 5 GETSTATUS, ... */
static void test_dfu_proto__stall_at_transfer_n(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	uint8_t *data = pattern(0x08000000, 4096);

	(void)state;
	h7model_config_default(&cfg);
	cfg.stall_at = 4;
	rig_open(&r, &cfg);
	assert_int_equal(dfuse__dfu_write(&r.d, 0x08000000, data, 4096),
			 DFUSE_EUSB);
	assert_msg_has("DNLOAD block 2 at 0x08000000: the device stalled "
		       "the request");
	/* The stall left dfuERROR; it was asked why and cleared. */
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	assert_true(h7model_blank(r.m, 0x08000000, 4096));
	free(data);
	rig_close(&r);
}

static void test_dfu_proto__disconnect_at_transfer_n(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	uint8_t *data = pattern(0x08000000, 4096);

	(void)state;
	h7model_config_default(&cfg);
	cfg.disconnect_at = 5;
	rig_open(&r, &cfg);
	assert_int_equal(dfuse__dfu_write(&r.d, 0x08000000, data, 4096),
			 DFUSE_EUSB);
	assert_msg_has("DNLOAD block 2 at 0x08000000: GETSTATUS: the device "
		       "disconnected");
	assert_int_equal(h7model_log_count(r.m), 5);
	free(data);
	rig_close(&r);
}

static void test_dfu_proto__transfer_timeout(void **state)
{
	struct h7model_config cfg;
	struct rig r;

	(void)state;
	h7model_config_default(&cfg);
	cfg.hold_status = 1;
	cfg.erase_ms = 60000; /* the ROM holds GETSTATUS past any deadline */
	rig_open(&r, &cfg);
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, 0x08000000),
			 DFUSE_ETIMEOUT);
	assert_msg_has("erase of the sector at 0x08000000: GETSTATUS: no "
		       "answer within 10000 ms");
	rig_close(&r);
}

/* ======== Leave ======== */

static void test_dfu_proto__leave_manifest(void **state)
{
	struct rig r;
	uint32_t to = 0;
	int how = 0;
	const struct h7model_xfer *x;

	(void)state;
	rig_open(&r, NULL);
	assert_int_equal(dfuse__dfu_leave(&how, &r.d, 1, 0x08000000), 0);
	assert_int_equal(how, DFUSE__DFU_LEFT_MANIFEST);
	assert_true(h7model_left(r.m, &to));
	assert_int_equal(to, 0x08000000);
	/* ... DNLOAD of 0 bytes, then GETSTATUS. */
	x = h7model_log_entry(r.m, h7model_log_count(r.m) - 2);
	assert_int_equal(x->request, DFUSE__DFU_DNLOAD);
	assert_int_equal(x->length, 0);
	x = h7model_log_entry(r.m, h7model_log_count(r.m) - 1);
	assert_int_equal(x->request, DFUSE__DFU_GETSTATUS);
	rig_close(&r);
}

static void test_dfu_proto__leave_disconnect_is_success(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	int how = 0;

	(void)state;
	h7model_config_default(&cfg);
	cfg.disconnect_at = 2; /* the GETSTATUS after the DNLOAD */
	rig_open(&r, &cfg);
	assert_int_equal(dfuse__dfu_leave(&how, &r.d, 0, 0), 0);
	assert_int_equal(how, DFUSE__DFU_LEFT_DISCONNECT);
	assert_int_equal(h7model_log_entry(r.m, 0)->length, 0);
	rig_close(&r);
}

static void test_dfu_proto__leave_stall_is_success(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	int how = 0;

	(void)state;
	h7model_config_default(&cfg);
	cfg.stall_at = 2;      /* the GETSTATUS after the DNLOAD stalls */
	cfg.disconnect_at = 3; /* and the device is gone at the next one */
	rig_open(&r, &cfg);
	assert_int_equal(dfuse__dfu_leave(&how, &r.d, 0, 0), 0);
	assert_int_equal(how, DFUSE__DFU_LEFT_STALL);
	assert_int_equal(h7model_log_count(r.m), 3);
	rig_close(&r);
}

/* The stall, and the device still there: not "left". */
static void test_dfu_proto__leave_stall_still_there_unconfirmed(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	int how = 0;

	(void)state;
	h7model_config_default(&cfg);
	cfg.stall_at = 2;
	rig_open(&r, &cfg);
	assert_int_equal(dfuse__dfu_leave(&how, &r.d, 0, 0), DFUSE_EDEVICE);
	assert_int_equal(how, DFUSE_LEFT_UNCONFIRMED);
	assert_msg_has("the leave request was not confirmed");
	assert_msg_has("still in dfuERROR (errSTALLEDPKT)");
	assert_msg_has("did not start the application");
	assert_false(h7model_left(r.m, NULL));
	rig_close(&r);
}

/* A stall that repeats: still there. */
static void test_dfu_proto__leave_stall_twice_unconfirmed(void **state)
{
	static const uint8_t none[1] = {0};
	const struct dfuse__transport t = {&mock_ops, NULL, 0};
	struct dfuse__dfu d;
	int how = 0;

	(void)state;
	dfuse__dfu_init(&d, &t, 1024);
	expect_value(mock_out, request, DFUSE__DFU_DNLOAD);
	expect_value(mock_out, value, 2);
	expect_value(mock_out, len, 0);
	will_return(mock_out, 0);
	expect_value_count(mock_in, request, DFUSE__DFU_GETSTATUS, 2);
	expect_value_count(mock_in, value, 0, 2);
	will_return(mock_in, none);
	will_return(mock_in, DFUSE__XFER_STALL);
	will_return(mock_in, none);
	will_return(mock_in, DFUSE__XFER_STALL);
	assert_int_equal(dfuse__dfu_leave(&how, &d, 0, 0), DFUSE_EDEVICE);
	assert_int_equal(how, DFUSE_LEFT_UNCONFIRMED);
	assert_msg_has("stalled the next GETSTATUS too");
}

/* errVENDOR is read protection, for any request. */
static void test_dfu_proto__errvendor_is_protected(void **state)
{
	struct rig r;
	uint8_t back[16];

	(void)state;
	rig_open(&r, NULL);
	h7model_set_rdp(r.m, 0xBB);
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, 0x08000000),
			 DFUSE_EPROTECTED);
	assert_msg_has("erase of the sector at 0x08000000");
	assert_msg_has("errVENDOR");
	assert_msg_has("read protection (RDP level 1) is active");
	assert_int_equal(dfuse__dfu_read(back, &r.d, 0x08000000, 16),
			 DFUSE_EPROTECTED);
	assert_msg_has("UPLOAD block 2 at 0x08000000");
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	rig_close(&r);
}

static void test_dfu_proto__leave_from_error_fails(void **state)
{
	struct rig r;

	(void)state;
	rig_open(&r, NULL);
	h7model_set_state(r.m, DFUSE__DFU_ERROR, DFUSE__DFU_ERR_VENDOR);
	assert_int_equal(dfuse__dfu_leave(NULL, &r.d, 0, 0), DFUSE_EUSB);
	assert_msg_has("leave: zero-length DNLOAD: the device stalled");
	assert_false(h7model_left(r.m, NULL));
	rig_close(&r);
}

/* ======== Nothing sent ======== */

static void test_dfu_proto__bad_runs_send_nothing(void **state)
{
	const struct dfuse__transport t = {&never_ops, NULL, 0};
	struct dfuse__dfu d;
	uint8_t buf[16] = {0};

	(void)state;
	dfuse__dfu_init(&d, &t, 1024);
	assert_int_equal(dfuse__dfu_write(&d, 0x08000000, buf, 0), 0);
	assert_int_equal(dfuse__dfu_read(buf, &d, 0x08000000, 0), 0);
	assert_int_equal(dfuse__dfu_write(&d, 0xfffffff8, buf, 16),
			 DFUSE_ERANGE);
	assert_msg_has("write of 16 bytes at 0xFFFFFFF8 runs past 4 GiB");
	d.transfer_size = 0;
	assert_int_equal(dfuse__dfu_read(buf, &d, 0x08000000, 16),
			 DFUSE_EINVAL);
	assert_msg_has("wTransferSize is 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dfu_proto__get_status_short_reply),
		cmocka_unit_test(test_dfu_proto__get_status_fields),
		cmocka_unit_test(test_dfu_proto__status_words),
		cmocka_unit_test(test_dfu_proto__functional_descriptor),
		cmocka_unit_test(test_dfu_proto__polling_honours_poll_timeout),
		cmocka_unit_test(
			test_dfu_proto__held_status_covered_by_deadline),
		cmocka_unit_test(test_dfu_proto__erase_write_read_run),
		cmocka_unit_test(test_dfu_proto__mass_erase),
		cmocka_unit_test(test_dfu_proto__bank2_stuck_erase_recovered),
		cmocka_unit_test(
			test_dfu_proto__stuck_erase_below_threshold_times_out),
		cmocka_unit_test(
			test_dfu_proto__stuck_erase_without_recovery_times_out),
		cmocka_unit_test(
			test_dfu_proto__errprog_names_status_and_address),
		cmocka_unit_test(
			test_dfu_proto__erase_outside_flash_is_errtarget),
		cmocka_unit_test(
			test_dfu_proto__read_outside_flash_names_address),
		cmocka_unit_test(test_dfu_proto__enter_idle_from_error_clears),
		cmocka_unit_test(
			test_dfu_proto__enter_idle_from_dnload_idle_aborts),
		cmocka_unit_test(test_dfu_proto__enter_idle_refuses_app_mode),
		cmocka_unit_test(test_dfu_proto__stall_at_transfer_n),
		cmocka_unit_test(test_dfu_proto__disconnect_at_transfer_n),
		cmocka_unit_test(test_dfu_proto__transfer_timeout),
		cmocka_unit_test(test_dfu_proto__leave_manifest),
		cmocka_unit_test(test_dfu_proto__leave_disconnect_is_success),
		cmocka_unit_test(test_dfu_proto__leave_stall_is_success),
		cmocka_unit_test(
			test_dfu_proto__leave_stall_still_there_unconfirmed),
		cmocka_unit_test(test_dfu_proto__leave_stall_twice_unconfirmed),
		cmocka_unit_test(test_dfu_proto__errvendor_is_protected),
		cmocka_unit_test(test_dfu_proto__leave_from_error_fails),
		cmocka_unit_test(test_dfu_proto__bad_runs_send_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
