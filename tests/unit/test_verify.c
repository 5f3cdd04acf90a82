/*
 * test_verify.c - dfuse__verify() (src/lib/download.c) against the H7 ROM
 * model in virtual time: an image downloaded and then compared sector by
 * sector (the plan and the read-and-compare that INCREMENTAL uses); a
 * flipped byte in the last block of bank 2, a stale byte outside the
 * image, the counts of data UPLOADs against the model's own log, and
 * nothing erased or written.
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
#include "download.h"
#include "dfuse.h"
#include "h7model.h"
#include "transport.h"

#define SECTOR 0x20000u

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void add_program(dfuse_image *img, uint32_t address, size_t len,
			uint32_t sp, int core)
{
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	uint8_t *p = malloc(len);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)((address + i) * 5 + 3);
	put32(p, sp);
	put32(p + 4, address + 0x201u);
	o.core = core;
	assert_int_equal(dfuse_image_add_data(img, 0, address, p, len, &o), 0);
	free(p);
}

/*
 * CM7: 0x08000000 + 0x30000 (sectors 0-1, half of 1 left 0xFF);
 * CM4: 0x08100000 to the very end of bank 2 (0x081FFFFF): sectors 8-15.
 * 10 sectors in all.
 */
static dfuse_image *image(void)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	add_program(img, 0x08000000, 0x30000, 0x2001fff0, DFUSE_CORE_CM7);
	add_program(img, 0x08100000, 0x100000, 0x10047ff0, DFUSE_CORE_CM4);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	return img;
}

struct rig {
	struct h7model *m;
	struct dfuse__transport t;
	struct dfuse__dfu d;
	dfuse_layout *layout;
	dfuse_verify_sector got[16];
	size_t n;
	uint64_t read_done, read_total;
};

static struct rig *rig_open(const dfuse_image *img)
{
	struct rig *r = calloc(1, sizeof(*r));
	dfuse_download_options o = DFUSE_DOWNLOAD_OPTIONS_INIT;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;

	assert_non_null(r);
	r->m = h7model_new(NULL);
	assert_non_null(r->m);
	h7model_transport(&r->t, r->m);
	dfuse__dfu_init(&r->d, &r->t, H7MODEL_TRANSFER_SIZE);
	dfuse__erase_timing(&r->d, NULL);
	assert_int_equal(dfuse_layout_parse(&r->layout, H7MODEL_LAYOUT), 0);
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &o, r->layout, NULL),
		0);
	h7model_log_clear(r->m);
	return r;
}

static void rig_close(struct rig *r)
{
	dfuse_layout_free(r->layout);
	h7model_free(r->m);
	free(r);
}

static void on_sector(void *payload, const dfuse_verify_sector *s)
{
	struct rig *r = payload;

	if (r->n < 16)
		r->got[r->n] = *s;
	r->n++;
}

static void on_progress(void *payload, int phase, uint64_t done, uint64_t total)
{
	struct rig *r = payload;

	assert_int_equal(phase, DFUSE_PHASE_READ);
	assert_true(done <= total);
	r->read_done = done;
	r->read_total = total;
}

static int run(struct rig *r, const dfuse_image *img, dfuse_usb_result *res)
{
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;

	o.progress = on_progress;
	o.payload = r;
	return dfuse__verify(res, &r->d, img, &o, r->layout, on_sector);
}

/* Data UPLOADs (wBlockNum >= 2) in the model's log: the oracle for
 * res.transfers. */
static size_t uploads(const struct h7model *m)
{
	size_t i, k = 0;

	for (i = 0; i < h7model_log_count(m); i++) {
		const struct h7model_xfer *x = h7model_log_entry(m, i);

		k += x->in && x->request == DFUSE__DFU_UPLOAD && x->value >= 2;
	}
	return k;
}

/* Data DNLOADs (wBlockNum >= 2). */
static size_t writes(const struct h7model *m)
{
	size_t i, k = 0;

	for (i = 0; i < h7model_log_count(m); i++) {
		const struct h7model_xfer *x = h7model_log_entry(m, i);

		k += !x->in && x->request == DFUSE__DFU_DNLOAD && x->value >= 2;
	}
	return k;
}

static void test_verify__equal_board(void **state)
{
	dfuse_image *img = image();
	struct rig *r = rig_open(img);
	dfuse_usb_result res = DFUSE_USB_RESULT_INIT;
	size_t i;

	(void)state;
	assert_int_equal(run(r, img, &res), 0);
	assert_int_equal(res.sectors, 10);
	assert_int_equal(res.sectors_equal, 10);
	assert_int_equal(res.bytes_read, 10u * SECTOR);
	/* 128 KiB / 1024 = 128 UPLOADs per sector */
	assert_int_equal(res.transfers, 10u * 128u);
	assert_int_equal(uploads(r->m), res.transfers);
	assert_int_equal(h7model_count_erases(r->m), 0);
	assert_int_equal(writes(r->m), 0);
	assert_int_equal(r->n, 10);
	assert_int_equal(r->got[0].address, 0x08000000u);
	assert_int_equal(r->got[2].address, 0x08100000u);
	for (i = 0; i < 10; i++) {
		assert_true(r->got[i].equal);
		assert_int_equal(r->got[i].size, SECTOR);
		assert_int_equal(r->got[i].differing_bytes, 0);
	}
	assert_int_equal(r->read_done, 10u * SECTOR);
	assert_int_equal(r->read_total, 10u * SECTOR);
	assert_int_equal(res.read_protected, 0);
	rig_close(r);
	dfuse_image_free(img);
}

static void test_verify__flipped_byte_in_last_block(void **state)
{
	const uint32_t a = 0x081FFF7Au; /* in the last 1 KiB of bank 2 */
	dfuse_image *img = image();
	struct rig *r = rig_open(img);
	dfuse_usb_result res = DFUSE_USB_RESULT_INIT;
	uint8_t *flash = h7model_flash(r->m);
	const uint8_t was = flash[a - H7MODEL_FLASH_BASE];

	(void)state;
	flash[a - H7MODEL_FLASH_BASE] ^= 0x10;
	assert_int_equal(run(r, img, &res), 0);
	assert_int_equal(res.sectors, 10);
	assert_int_equal(res.sectors_equal, 9);
	assert_int_equal(r->n, 10);
	assert_false(r->got[9].equal);
	assert_int_equal(r->got[9].address, 0x081E0000u);
	assert_int_equal(r->got[9].first_difference, a);
	assert_int_equal(r->got[9].device_byte, was ^ 0x10);
	assert_int_equal(r->got[9].expected_byte, was);
	assert_true(r->got[9].in_image);
	assert_int_equal(r->got[9].differing_bytes, 1);
	assert_true(r->got[8].equal);
	rig_close(r);
	dfuse_image_free(img);
}

static void test_verify__stale_byte_outside_image(void **state)
{
	/* sector 1 (0x08020000) is written up to 0x0802FFFF: the rest of
	 * it is 0xFF after a download */
	const uint32_t a = 0x08031234u;
	dfuse_image *img = image();
	struct rig *r = rig_open(img);
	dfuse_usb_result res = DFUSE_USB_RESULT_INIT;

	(void)state;
	h7model_flash(r->m)[a - H7MODEL_FLASH_BASE] = 0x00;
	h7model_flash(r->m)[a + 1 - H7MODEL_FLASH_BASE] = 0x12;
	assert_int_equal(run(r, img, &res), 0);
	assert_int_equal(res.sectors_equal, 9);
	assert_false(r->got[1].equal);
	assert_int_equal(r->got[1].first_difference, a);
	assert_int_equal(r->got[1].device_byte, 0x00);
	assert_int_equal(r->got[1].expected_byte, 0xFF);
	assert_false(r->got[1].in_image);
	assert_int_equal(r->got[1].differing_bytes, 2);
	rig_close(r);
	dfuse_image_free(img);
}

static void test_verify__read_protected(void **state)
{
	dfuse_image *img = image();
	struct rig *r = rig_open(img);
	dfuse_usb_result res = DFUSE_USB_RESULT_INIT;
	int rc;

	(void)state;
	h7model_set_rdp(r->m, 0xBB);
	rc = run(r, img, &res);
	/* the ROM's errVENDOR is DFUSE_EPROTECTED (dfu_proto.c) and the
	 * result says read protection */
	assert_int_equal(rc, DFUSE_EPROTECTED);
	assert_int_equal(res.read_protected, 1);
	assert_int_equal(res.sectors_equal, 0);
	assert_int_equal(r->n, 0);
	assert_non_null(strstr(dfuse_error_last()->message, "verify read: "));
	assert_int_equal(h7model_count_erases(r->m), 0);
	assert_int_equal(writes(r->m), 0);
	rig_close(r);
	dfuse_image_free(img);
}

static void test_verify__refusals_send_nothing(void **state)
{
	dfuse_image *img = image();
	struct rig *r = rig_open(img);
	dfuse_usb_result res = DFUSE_USB_RESULT_INIT;
	dfuse_image *bad = NULL;
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;

	(void)state;
	/* system memory: refused by the checks, nothing sent */
	assert_int_equal(dfuse_image_new(&bad), 0);
	assert_int_equal(dfuse_image_add_target(bad, 0, "Internal Flash"), 0);
	add_program(bad, 0x1FF00000, 0x400, 0x2001fff0, DFUSE_CORE_CM7);
	assert_int_equal(dfuse__verify(&res, &r->d, bad, &o, r->layout, NULL),
			 DFUSE_EINVAL);
	assert_int_equal(h7model_log_count(r->m), 0);
	o.version = 99;
	assert_int_equal(dfuse__verify(&res, &r->d, img, &o, r->layout, NULL),
			 DFUSE_EINVAL);
	assert_int_equal(h7model_log_count(r->m), 0);
	dfuse_image_free(bad);
	rig_close(r);
	dfuse_image_free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify__equal_board),
		cmocka_unit_test(test_verify__flipped_byte_in_last_block),
		cmocka_unit_test(test_verify__stale_byte_outside_image),
		cmocka_unit_test(test_verify__read_protected),
		cmocka_unit_test(test_verify__refusals_send_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
