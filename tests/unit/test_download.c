/*
 * test_download.c - the download engine (src/lib/download.c) against the H7
 * ROM model (h7model.c) in virtual time: a merged CM7 + CM4 image through
 * the bank-2 erase bug, refusals that send nothing (never.c), incremental,
 * faults and re-runs, dry run, verify.
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
#include "profile.h"
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

#define CM7_SIZE 0x4b000u /* 300 KiB: sectors 0-2 */
#define CM4_SIZE 0x23000u /* 140 KiB: sectors 8-9 */

static uint8_t pat(uint32_t a)
{
	return (uint8_t)(a * 7 + (a >> 8) * 13 + 1);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A program of len bytes at address with a vector table (sp, reset). */
static void add_program(dfuse_image *img, uint32_t address, size_t len,
			uint32_t sp, uint32_t reset, int core)
{
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	uint8_t *p = malloc(len);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = pat(address + (uint32_t)i);
	put32(p, sp);
	put32(p + 4, reset);
	o.core = core;
	o.source = core == DFUSE_CORE_CM4 ? "cm4.bin" : "cm7.bin";
	assert_int_equal(dfuse_image_add_data(img, 0, address, p, len, &o), 0);
	free(p);
}

/* The merged CM7 + CM4 image, normalized with the default profile. */
static dfuse_image *merged(void)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	add_program(img, 0x08000000, CM7_SIZE, 0x2001fff0, 0x08000201,
		    DFUSE_CORE_CM7);
	add_program(img, 0x08100000, CM4_SIZE, 0x10047ff0, 0x08100201,
		    DFUSE_CORE_CM4);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	return img;
}

/* Does the model's flash hold every byte of alt 0? */
static void assert_flash_has_image(struct h7model *m, const dfuse_image *img)
{
	const uint8_t *flash = h7model_flash(m);
	dfuse_target_info ti;
	size_t t, i;

	for (t = 0; t < dfuse_image_count_targets(img); t++) {
		assert_int_equal(dfuse_image_get_target(&ti, img, t), 0);
		if (ti.alt != 0)
			continue;
		for (i = 0; i < ti.element_count; i++) {
			dfuse_element_info ei;

			assert_int_equal(
				dfuse_image_get_element(&ei, img, t, i), 0);
			assert_memory_equal(
				flash + (ei.address - H7MODEL_FLASH_BASE),
				ei.data, ei.size);
		}
	}
}

/* The one payload of the callbacks (dfuse_download_options.payload):
 * where each of them records what it saw. */
struct cb {
	struct logcap *log;
	struct prog *prog;
	void *checked;
};

/* Log lines. */
struct logcap {
	char line[16][256];
	size_t n;
};

static void log_line(void *payload, const char *line)
{
	struct logcap *c = ((struct cb *)payload)->log;

	if (c->n < 16)
		snprintf(c->line[c->n], sizeof(c->line[0]), "%s", line);
	c->n++;
}

static size_t log_count(const struct logcap *c, const char *frag)
{
	size_t i, k = 0;

	for (i = 0; i < c->n && i < 16; i++)
		k += strstr(c->line[i], frag) != NULL;
	return k;
}

/* Progress: the last value per phase. */
struct prog {
	uint64_t done[5], total[5];
	size_t calls;
};

static void on_progress(void *payload, int phase, uint64_t done, uint64_t total)
{
	struct prog *p = ((struct cb *)payload)->prog;

	assert_true(phase >= 1 && phase <= 4);
	assert_true(done <= total);
	p->done[phase] = done;
	p->total[phase] = total;
	p->calls++;
}

/*
 * A model, a transport that may interpose on it (corrupt the flash at the
 * first data UPLOAD, or after the second CLRSTATUS), and a session.
 */
struct rig {
	struct h7model *m;
	struct dfuse__transport inner;
	struct dfuse__transport t;
	struct dfuse__dfu d;
	dfuse_layout *layout;
	dfuse_download_options o;
	struct logcap log;
	struct prog prog;
	struct cb cb;
	uint32_t corrupt_upload; /* flash address, 0: off */
};

static void corrupt(struct rig *r, uint32_t *address)
{
	h7model_flash(r->m)[*address - H7MODEL_FLASH_BASE] ^= 0xa5;
	*address = 0;
}

static int wrap_out(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		    const uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	struct rig *r = ctx;
	const int rc = r->inner.ops->control_out(r->inner.ctx, request, value,
						 index, data, len, timeout_ms);

	return rc;
}

static int wrap_in(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		   uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	struct rig *r = ctx;

	if (request == DFUSE__DFU_UPLOAD && value >= 2 &&
	    r->corrupt_upload != 0)
		corrupt(r, &r->corrupt_upload);
	return r->inner.ops->control_in(r->inner.ctx, request, value, index,
					data, len, timeout_ms);
}

static void wrap_sleep(void *ctx, unsigned ms)
{
	struct rig *r = ctx;

	r->inner.ops->sleep_ms(r->inner.ctx, ms);
}

static uint64_t wrap_now(void *ctx)
{
	struct rig *r = ctx;

	return r->inner.ops->now_ms(r->inner.ctx);
}

static const struct dfuse__transport_ops wrap_ops = {
	wrap_out, wrap_in, wrap_sleep, wrap_now, NULL, NULL, NULL,
};

/* stuck: the bank-2 bug on. */
/* The model's config for the next rig_open() beyond its arguments. */
static size_t next_stuck_unerased;

static struct rig *rig_open(int stuck, size_t stall_at, size_t disconnect_at)
{
	struct h7model_config cfg;
	struct rig *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	h7model_config_default(&cfg);
	cfg.stuck_erase = stuck;
	cfg.stall_at = stall_at;
	cfg.disconnect_at = disconnect_at;
	cfg.stuck_unerased = next_stuck_unerased;
	next_stuck_unerased = 0;
	r->m = h7model_new(&cfg);
	assert_non_null(r->m);
	h7model_transport(&r->inner, r->m);
	r->t.ops = &wrap_ops;
	r->t.ctx = r;
	r->t.interface = 0;
	dfuse__dfu_init(&r->d, &r->t, H7MODEL_TRANSFER_SIZE);
	dfuse__erase_timing(&r->d, NULL); /* as usb_api.c does */
	assert_int_equal(dfuse_layout_parse(&r->layout, H7MODEL_LAYOUT), 0);
	r->o.version = DFUSE_DOWNLOAD_OPTIONS_VERSION;
	r->cb.log = &r->log;
	r->cb.prog = &r->prog;
	r->o.log = log_line;
	r->o.progress = on_progress;
	r->o.payload = &r->cb;
	return r;
}

static void rig_close(struct rig *r)
{
	dfuse_layout_free(r->layout);
	h7model_free(r->m);
	free(r);
}

/* Data DNLOADs (wBlockNum >= 2) in the model's log. */
static size_t data_blocks(const struct h7model *m)
{
	size_t i, k = 0;

	for (i = 0; i < h7model_log_count(m); i++) {
		const struct h7model_xfer *x = h7model_log_entry(m, i);

		k += !x->in && x->request == DFUSE__DFU_DNLOAD &&
		     x->value >= 2 && x->length > 0;
	}
	return k;
}

/* The 1-based transfer number of the first transfer matching. */
static size_t first_xfer(const struct h7model *m, int request, int command,
			 int data)
{
	size_t i;

	for (i = 0; i < h7model_log_count(m); i++) {
		const struct h7model_xfer *x = h7model_log_entry(m, i);

		if (x->request != request)
			continue;
		if (command >= 0 && x->command != command)
			continue;
		if (data && x->value < 2)
			continue;
		return i + 1;
	}
	fail_msg("no such transfer");
	return 0;
}

/* ======== The user's report: merged image, bank-2 bug ======== */

static void test_download__merged_image_through_bank2_bug(void **state)
{
	struct rig *r = rig_open(1, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_report *rep = NULL;
	uint32_t to = 0;

	(void)state;
	r->o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_LEAVE;
	assert_int_equal(
		dfuse__download(&res, &rep, &r->d, img, &r->o, r->layout, NULL),
		0);
	assert_non_null(rep);
	assert_int_equal(dfuse_report_count_at_least(rep, DFUSE_SEV_ERROR), 0);
	assert_flash_has_image(r->m, img);
	assert_int_equal(res.sectors, 5);
	assert_int_equal(res.sectors_erased, 5);
	assert_int_equal(res.sectors_recovered, 2); /* 0x08100000, 0x08120000 */
	assert_int_equal(res.runs, 2);
	assert_int_equal(res.bytes, CM7_SIZE + CM4_SIZE);
	assert_int_equal(res.bytes_written, CM7_SIZE + CM4_SIZE);
	assert_int_equal(res.bytes_verified, CM7_SIZE + CM4_SIZE);
	assert_true(res.cm4_image);
	/* One erase per sector, by sector base. */
	assert_int_equal(h7model_count_erases(r->m), 5);
	assert_int_equal(h7model_count(r->m, DFUSE__DFU_CLRSTATUS, -1), 4);
	/* Left, to the CM7 boot address. */
	assert_true(res.left);
	assert_int_equal(res.leave_address, 0x08000000);
	assert_true(h7model_left(r->m, &to));
	assert_int_equal(to, 0x08000000);
	assert_int_equal(log_count(&r->log, "0x08100000: the ROM stayed busy "
					    "after the erase (H7 bank-2 "
					    "bug); cleared with DFU_CLRSTATUS "
					    "twice, the sector reads back "
					    "blank"),
			 1);
	assert_int_equal(log_count(&r->log, "H7 bank-2 bug"), 2);
	assert_int_equal(log_count(&r->log, "the CM4 starts only after a "
					    "board reset"),
			 1);
	/* Progress reached the end of every phase. */
	assert_int_equal(r->prog.done[DFUSE_PHASE_ERASE], 5);
	assert_int_equal(r->prog.done[DFUSE_PHASE_WRITE], CM7_SIZE + CM4_SIZE);
	assert_int_equal(r->prog.done[DFUSE_PHASE_VERIFY], CM7_SIZE + CM4_SIZE);
	dfuse_report_free(rep);
	dfuse_image_free(img);
	rig_close(r);
}

/* The findings reach the caller once, before the first transfer, also
 * when they refuse the download. */
struct checked_cap {
	const struct h7model *m;
	size_t calls, findings, xfers_before;
};

static void on_checked(void *payload, const dfuse_report *findings)
{
	struct checked_cap *c = ((struct cb *)payload)->checked;

	c->calls++;
	c->findings = dfuse_report_count(findings);
	c->xfers_before = h7model_log_count(c->m);
}

static void test_download__findings_told_before_any_transfer(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	struct checked_cap c = {NULL, 0, 0, 99};
	uint8_t junk[4] = {1, 2, 3, 4};

	(void)state;
	c.m = r->m;
	r->o.checked = on_checked;
	r->cb.checked = &c;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.xfers_before, 0);
	/* refused: data in the ROM's system memory is a check error */
	assert_int_equal(dfuse_image_add_data(img, 0, 0x1FF00000, junk,
					      sizeof(junk), NULL),
			 0);
	h7model_log_clear(r->m);
	c.calls = 0;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		DFUSE_EINVAL);
	assert_int_equal(c.calls, 1);
	assert_true(c.findings >= 1);
	assert_int_equal(h7model_log_count(r->m), 0);
	dfuse_image_free(img);
	rig_close(r);
}

/* Every profile has sane flash timing, and the session deadlines follow
 * it: erase 2 x worst case, stuck recovery after the worst case and only
 * where the profile has a bank at the stuck address. */
static void test_download__timing_from_every_profile(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < dfuse_profile_count_builtin(); i++) {
		const dfuse_profile *p = dfuse_profile_get_builtin(i);
		struct dfuse__dfu d;
		int bank = 0;

		assert_true(p->erase_typ_ms > 0);
		assert_true(p->erase_max_ms >= p->erase_typ_ms);
		assert_true(p->word_typ_us > 0);
		assert_true(p->word_max_us >= p->word_typ_us);
		for (k = 1; k < p->nbanks; k++)
			bank |= p->banks[k].base == p->stuck_erase_from;
		assert_true(p->stuck_erase_from == 0 || bank);
		dfuse__dfu_init(&d, NULL, 1024);
		dfuse__erase_timing(&d, p);
		assert_int_equal(d.erase_deadline_ms, 2 * p->erase_max_ms);
		assert_int_equal(d.stuck_deadline_ms, p->erase_max_ms);
		assert_int_equal(d.stuck_recovery, p->stuck_erase_from != 0);
		assert_int_equal(d.stuck_from, p->stuck_erase_from);
		assert_true(d.mass_erase_deadline_ms >= 2 * p->erase_max_ms);
	}
	/* The H745: 4 s worst case per 128 KiB sector (DS12110), bank 2. */
	{
		struct dfuse__dfu d;

		dfuse__dfu_init(&d, NULL, 1024);
		dfuse__erase_timing(&d, NULL);
		assert_int_equal(d.stuck_deadline_ms, 4000);
		assert_int_equal(d.erase_deadline_ms, 8000);
		assert_int_equal(d.stuck_from, 0x08100000);
	}
}

/* Virtual ms from the first erase at or above 0x08100000 to the first
 * CLRSTATUS after it: how long the engine waited on the stuck erase. */
static uint64_t stuck_wait_ms(const struct h7model *m)
{
	uint64_t from = 0;
	int seen = 0;
	size_t i;

	for (i = 0; i < h7model_log_count(m); i++) {
		const struct h7model_xfer *x = h7model_log_entry(m, i);

		if (x->request == DFUSE__DFU_DNLOAD && x->command == 0x41 &&
		    x->length == 5 && !seen) {
			/* the log keeps no payload: bank 2 is erased after
			 * bank 1, so take the last erase before the first
			 * CLRSTATUS */
			from = x->at_ms;
		} else if (x->request == DFUSE__DFU_CLRSTATUS) {
			seen = 1;
			return x->at_ms - from;
		}
	}
	fail_msg("no CLRSTATUS in the log");
	return 0;
}

/* The recovery starts after the profile's worst-case erase time (4 s on
 * the H745) plus the device's bwPollTimeout (10 ms in the model), and not
 * much later: the erase deadline (8 s) is for erases that cannot stick. */
static void test_download__stuck_erase_waits_worst_case_only(void **state)
{
	struct rig *r = rig_open(1, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	uint64_t waited;

	(void)state;
	r->o.flags = 0;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	waited = stuck_wait_ms(r->m);
	assert_true(waited >= 4000 + 10);
	assert_true(waited < 4000 + 10 + 100);
	dfuse_image_free(img);
	rig_close(r);
}

/* A stuck erase whose sector is not blank after the recovery is sent
 * again (a slow erase cut short), and the download completes. */
static void test_download__stuck_erase_not_blank_is_erased_again(void **state)
{
	struct rig *r;
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;

	(void)state;
	next_stuck_unerased = 1;
	r = rig_open(1, 0, 0);
	memset(h7model_flash(r->m) + 0x100000, 0x00, 64); /* old CM4 code */
	r->o.flags = DFUSE_DOWNLOAD_VERIFY;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	assert_int_equal(h7model_count_erases(r->m), 6); /* 5 + 1 again */
	assert_int_equal(res.sectors_erased, 5);
	assert_int_equal(res.sectors_recovered, 2);
	assert_int_equal(log_count(&r->log, "not blank after DFU_CLRSTATUS "
					    "twice (0x08100000 reads 0x00); "
					    "erasing it again"),
			 1);
	assert_flash_has_image(r->m, img);
	dfuse_image_free(img);
	rig_close(r);
}

/* ... and when it is still not blank, the download fails before any
 * write, without leaving. */
static void test_download__stuck_erase_never_blank_fails(void **state)
{
	struct rig *r;
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;

	(void)state;
	next_stuck_unerased = 2;
	r = rig_open(1, 0, 0);
	memset(h7model_flash(r->m) + 0x100000, 0x00, 64);
	r->o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_LEAVE;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		DFUSE_EDEVICE);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "erase: 0x08100000: the ROM stayed busy after "
			       "the erase (H7 bank-2 bug) and after "
			       "DFU_CLRSTATUS twice the sector is not blank, "
			       "twice: 0x08100000 reads 0x00"));
	assert_int_equal(data_blocks(r->m), 0);
	assert_false(h7model_left(r->m, NULL));
	assert_false(res.left);
	dfuse_image_free(img);
	rig_close(r);
}

/* Ctrl-C: the cancel callback stops the work mid-write, with DFU_ABORT
 * sent, no leave; running again finishes the job. */
static size_t cancel_calls;
static size_t cancel_after;

static int cancel_cb(void *payload)
{
	(void)payload;
	return ++cancel_calls > cancel_after;
}

static void test_download__cancel_then_rerun(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_report *rep = NULL;
	size_t aborts;

	(void)state;
	r->o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_LEAVE;
	r->o.cancel = cancel_cb;
	cancel_calls = 0;
	cancel_after = 10; /* a few erases and blocks in */
	assert_int_equal(
		dfuse__download(&res, &rep, &r->d, img, &r->o, r->layout, NULL),
		DFUSE_ECANCELED);
	assert_non_null(strstr(msg(), "DFU_ABORT sent"));
	assert_false(res.left);
	assert_false(h7model_left(r->m, NULL));
	aborts = h7model_count(r->m, DFUSE__DFU_ABORT, -1);
	assert_true(aborts >= 1);
	dfuse_report_free(rep);
	rep = NULL;
	/* the same device, as the interruption left it */
	r->o.cancel = NULL;
	assert_int_equal(
		dfuse__download(&res, &rep, &r->d, img, &r->o, r->layout, NULL),
		0);
	assert_flash_has_image(r->m, img);
	assert_true(res.left);
	dfuse_report_free(rep);
	dfuse_image_free(img);
	rig_close(r);
}

static void test_download__mass_erase(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;

	(void)state;
	r->o.flags = DFUSE_DOWNLOAD_MASS_ERASE | DFUSE_DOWNLOAD_VERIFY;
	memset(h7model_flash(r->m) + 0x1e0000, 0x00, 16);
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	assert_true(res.mass_erased);
	assert_int_equal(res.sectors_erased, 0);
	assert_int_equal(h7model_count_erases(r->m), 1);
	assert_true(h7model_blank(r->m, 0x081e0000, 16));
	assert_flash_has_image(r->m, img);
	assert_false(h7model_left(r->m, NULL));
	dfuse_image_free(img);
	rig_close(r);
}

/* ======== Refusals send nothing ======== */

static void refused(dfuse_image *img, int code, const char *frag,
		    int want_report_error)
{
	const struct dfuse__transport t = {&never_ops, NULL, 0};
	struct dfuse__dfu d;
	dfuse_download_options o;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_layout *layout = NULL;
	dfuse_report *rep = NULL;

	memset(&o, 0, sizeof(o));
	assert_int_equal(dfuse_layout_parse(&layout, H7MODEL_LAYOUT), 0);
	o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_LEAVE;
	dfuse__dfu_init(&d, &t, H7MODEL_TRANSFER_SIZE);
	assert_int_equal(dfuse__download(&res, &rep, &d, img, &o, layout, NULL),
			 code);
	assert_msg_has(frag);
	if (want_report_error)
		assert_true(dfuse_report_count_at_least(rep, DFUSE_SEV_ERROR) >
			    0);
	assert_int_equal(res.bytes_written, 0);
	assert_false(res.left);
	dfuse_report_free(rep);
	dfuse_layout_free(layout);
}

/* The merged image written as a DfuSe file, then its dwNbElements (at
 * 11 + 270: prefix, then the target prefix's count field) set to 1 and
 * the CRC made right again: read leniently, the CM4 element is bytes that
 * belong to nothing.  The engine refuses the image with nothing sent;
 * flashing the CM7 element alone is what other tools do. */
static void test_download__broken_file_refused(void **state)
{
	dfuse_image *img = merged(), *back = NULL;
	dfuse_report *diag = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	uint32_t crc;

	(void)state;
	assert_int_equal(dfuse_write((void **)&buf, &len, img), 0);
	assert_int_equal(buf[11 + 270], 2); /* two elements */
	buf[11 + 270] = 1;
	crc = dfuse_crc(buf, len - 4);
	buf[len - 4] = (uint8_t)crc;
	buf[len - 3] = (uint8_t)(crc >> 8);
	buf[len - 2] = (uint8_t)(crc >> 16);
	buf[len - 1] = (uint8_t)(crc >> 24);
	assert_int_equal(dfuse_read(&back, &diag, buf, len, NULL), 0);
	assert_true(dfuse_report_count_at_least(diag, DFUSE_SEV_ERROR) > 0);
	refused(back, DFUSE_EFORMAT,
		"read from a DfuSe file with 1 error "
		"(the first: trailing-bytes at offset",
		0);
	dfuse_report_free(diag);
	dfuse_image_free(back);
	dfuse_free(buf);
	dfuse_image_free(img);
}

static void test_download__system_memory_refused(void **state)
{
	dfuse_image *img = merged();
	static const uint8_t junk[64] = {1, 2, 3};

	(void)state;
	assert_int_equal(dfuse_image_add_data(img, 0, 0x1ff00000, junk,
					      sizeof(junk), NULL),
			 0);
	refused(img, DFUSE_EINVAL,
		"refused before any erase or write: the image "
		"fails",
		1);
	dfuse_image_free(img);
}

static void test_download__cm4_image_in_bank1_refused(void **state)
{
	dfuse_image *img = NULL;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	add_program(img, 0x08000000, 0x1000, 0x10047ff0, 0x08000201,
		    DFUSE_CORE_CM4);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	refused(img, DFUSE_EINVAL, "refused before any erase or write", 1);
	dfuse_image_free(img);
}

static void test_download__other_alt_refused(void **state)
{
	dfuse_image *img = merged();
	static const uint8_t ob[32] = {0};

	(void)state;
	assert_int_equal(dfuse_image_add_target(img, 1, "Option Bytes"), 1);
	assert_int_equal(
		dfuse_image_add_data(img, 1, 0x5200201c, ob, sizeof(ob), NULL),
		0);
	refused(img, DFUSE_ENOTSUP,
		"target 1 (\"Option Bytes\") is for "
		"alternate setting 1; only alt 0 "
		"(internal flash) is downloaded",
		0);
	dfuse_image_free(img);
}

/* A name from a file reaches the message escaped (no terminal control). */
static void test_download__other_alt_name_escaped(void **state)
{
	dfuse_image *img = merged();
	static const uint8_t ob[32] = {0};

	(void)state;
	assert_int_equal(dfuse_image_add_target(img, 2, "\x1b[2J\"x\\"), 1);
	assert_int_equal(
		dfuse_image_add_data(img, 1, 0x5200201c, ob, sizeof(ob), NULL),
		0);
	refused(img, DFUSE_ENOTSUP,
		"target 1 (\"\\x1b[2J\\x22x\\x5c\") is for "
		"alternate setting 2",
		0);
	dfuse_image_free(img);
}

/* ALT0_ONLY: the flash is written, the option-bytes target is left alone
 * (no transfer names its address) and that is told. */
static void test_download__alt0_only_leaves_option_bytes(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = merged();
	static const uint8_t ob[32] = {0};
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;

	(void)state;
	assert_int_equal(dfuse_image_add_target(img, 1, "Option Bytes"), 1);
	assert_int_equal(
		dfuse_image_add_data(img, 1, 0x5200201c, ob, sizeof(ob), NULL),
		0);
	r->o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_ALT0_ONLY;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	assert_int_equal(res.bytes_written, CM7_SIZE + CM4_SIZE);
	assert_flash_has_image(r->m, img);
	assert_int_equal(log_count(&r->log, "target 1 (\"Option Bytes\", "
					    "alt 1, 1 element) is left alone: "
					    "only alt 0 is downloaded"),
			 1);
	dfuse_image_free(img);
	rig_close(r);
}

/* Files from other tools may hold the flash in several alt-0 targets:
 * every one is written (none silently dropped)... */
static void test_download__every_alt0_target_written(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *one = merged(), *img = NULL;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	size_t i;

	(void)state;
	/* the merged image's two elements, each in its own alt-0 target,
	 * the CM4 first */
	assert_int_equal(dfuse_image_new(&img), 0);
	for (i = 0; i < 2; i++) {
		dfuse_element_info ei;

		assert_int_equal(dfuse_image_get_element(&ei, one, 0, 1 - i),
				 0);
		assert_int_equal(dfuse_image_add_target(img, 0, NULL), (int)i);
		assert_int_equal(dfuse_image_add_data(img, i, ei.address,
						      ei.data, ei.size, NULL),
				 0);
	}
	r->o.flags = DFUSE_DOWNLOAD_VERIFY;
	if (dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL) !=
	    0)
		fail_msg("%s", dfuse_error_last()->message);
	assert_int_equal(res.bytes_written, CM7_SIZE + CM4_SIZE);
	assert_int_equal(res.runs, 2);
	assert_flash_has_image(r->m, img);
	dfuse_image_free(one);
	dfuse_image_free(img);
	rig_close(r);
}

/* ... and two of them that overlap are refused, naming both. */
static void test_download__overlapping_alt0_targets_refused(void **state)
{
	dfuse_image *img = merged();
	static const uint8_t junk[16] = {1};

	(void)state;
	assert_int_equal(dfuse_image_add_target(img, 0, "again"), 1);
	assert_int_equal(dfuse_image_add_data(img, 1, 0x08000100, junk,
					      sizeof(junk), NULL),
			 0);
	refused(img, DFUSE_EOVERLAP, "overlap", 0);
	assert_msg_has("target 1 element 0 at 0x08000100");
	dfuse_image_free(img);
}

static void test_download__outside_layout_refused(void **state)
{
	const struct dfuse__transport t = {&never_ops, NULL, 0};
	struct dfuse__dfu d;
	dfuse_download_options o;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_layout *layout = NULL;
	dfuse_image *img = merged();

	(void)state;
	memset(&o, 0, sizeof(o));
	/* A device that reports only bank 1, read-only. */
	assert_int_equal(dfuse_layout_parse(&layout, "@Internal Flash   "
						     "/0x08000000/8*128Ka"),
			 0);
	dfuse__dfu_init(&d, &t, H7MODEL_TRANSFER_SIZE);
	assert_int_equal(dfuse__download(&res, NULL, &d, img, &o, layout, NULL),
			 DFUSE_EINVAL);
	assert_msg_has("refused before any erase or write");
	dfuse_layout_free(layout);
	dfuse_image_free(img);
}

/* ======== Dry run ======== */

static void test_download__dry_run_sends_nothing(void **state)
{
	const struct dfuse__transport t = {&never_ops, NULL, 0};
	struct dfuse__dfu d;
	dfuse_download_options o;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_layout *layout = NULL;
	dfuse_image *img = merged();
	struct logcap log;
	struct cb cb = {NULL, NULL, NULL};

	(void)state;
	memset(&o, 0, sizeof(o));
	memset(&log, 0, sizeof(log));
	assert_int_equal(dfuse_layout_parse(&layout, H7MODEL_LAYOUT), 0);
	o.flags = DFUSE_DOWNLOAD_DRY_RUN | DFUSE_DOWNLOAD_VERIFY |
		  DFUSE_DOWNLOAD_LEAVE | DFUSE_DOWNLOAD_INCREMENTAL;
	o.log = log_line;
	cb.log = &log;
	o.payload = &cb;
	dfuse__dfu_init(&d, &t, H7MODEL_TRANSFER_SIZE);
	assert_int_equal(dfuse__download(&res, NULL, &d, img, &o, layout, NULL),
			 0);
	assert_int_equal(res.sectors, 5);
	assert_int_equal(res.runs, 2);
	assert_int_equal(res.bytes, CM7_SIZE + CM4_SIZE);
	assert_int_equal(res.sectors_erased, 0);
	assert_int_equal(res.bytes_written, 0);
	assert_false(res.left);
	/* download.c's model: erase 5 x 1100 ms (at most 4000 ms), program
	 * 14080 flash words x 130 us (580 us), 440 blocks written x 2 ms, 440
	 * read back x 1 ms. */
	assert_int_equal(res.estimate_ms, 5500 + 1830 + 880 + 440);
	assert_int_equal(res.estimate_max_ms, 20000 + 8166 + 880 + 440);
	assert_int_equal(log_count(&log, "plan: 5 sectors to erase, 450560 "
					 "bytes in 2 runs"),
			 1);
	dfuse_layout_free(layout);
	dfuse_image_free(img);
}

/* Leaving hands the image to the ROM's jump, whose stack limit (AN2606:
 * SP below RAM end - 16) then matters: the engine checks with
 * DFUSE_CHECK_LEAVE, and sp-near-ram-end is a warning, not a note. */
static void on_checked_sp(void *payload, const dfuse_report *findings)
{
	int *sev = ((struct cb *)payload)->checked;
	size_t i;

	*sev = -1;
	for (i = 0; i < dfuse_report_count(findings); i++) {
		dfuse_finding f;

		assert_int_equal(dfuse_report_get(&f, findings, i), 0);
		if (strcmp(f.code, "sp-near-ram-end") == 0)
			*sev = f.severity;
	}
}

static void test_download__leave_checks_the_rom_jump(void **state)
{
	const struct dfuse__transport t = {&never_ops, NULL, 0};
	struct dfuse__dfu d;
	dfuse_download_options o;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_image *img = NULL;
	int sev = 99;
	struct cb cb = {NULL, NULL, NULL};

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	/* ST's templates: the stack top at the very end of DTCM */
	add_program(img, 0x08000000, CM7_SIZE, 0x20020000, 0x08000201,
		    DFUSE_CORE_CM7);
	add_program(img, 0x08100000, CM4_SIZE, 0x10047ff0, 0x08100201,
		    DFUSE_CORE_CM4);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	memset(&o, 0, sizeof(o));
	o.flags = DFUSE_DOWNLOAD_DRY_RUN | DFUSE_DOWNLOAD_VERIFY;
	o.checked = on_checked_sp;
	cb.checked = &sev;
	o.payload = &cb;
	dfuse__dfu_init(&d, &t, H7MODEL_TRANSFER_SIZE);
	assert_int_equal(dfuse__download(&res, NULL, &d, img, &o, NULL, NULL),
			 0);
	assert_int_equal(sev, DFUSE_SEV_NOTE);
	o.flags |= DFUSE_DOWNLOAD_LEAVE;
	sev = 99;
	assert_int_equal(dfuse__download(&res, NULL, &d, img, &o, NULL, NULL),
			 0);
	assert_int_equal(sev, DFUSE_SEV_WARNING);
	dfuse_image_free(img);
}

/*
 * Every options and result struct carries a version, and the public entry
 * point checks each before anything else: a caller built against other
 * headers is refused by name, never misread.
 */
static void test_download__versions_checked(void **state)
{
	dfuse_download_options o = DFUSE_DOWNLOAD_OPTIONS_INIT;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_usb_match m = DFUSE_USB_MATCH_INIT;
	dfuse_image *img = merged();

	(void)state;
	o.flags = DFUSE_DOWNLOAD_DRY_RUN;
	/* all current: the dry run plans without a device */
	assert_int_equal(dfuse_usb_download(&res, NULL, NULL, &m, img, &o), 0);
	assert_int_equal(res.version, DFUSE_DOWNLOAD_RESULT_VERSION);
	assert_int_equal(res.sectors, 5);
	res.version = 0;
	assert_int_equal(dfuse_usb_download(&res, NULL, NULL, &m, img, &o),
			 DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message,
			    "dfuse_download_result version 0 is not supported "
			    "(expected 2)");
	res.version = DFUSE_DOWNLOAD_RESULT_VERSION;
	o.version = 1; /* the options before the allow list */
	assert_int_equal(dfuse_usb_download(&res, NULL, NULL, &m, img, &o),
			 DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message,
			    "dfuse_download_options version 1 is not "
			    "supported (expected 2)");
	o.version = DFUSE_DOWNLOAD_OPTIONS_VERSION;
	m.version = 7;
	assert_int_equal(dfuse_usb_download(&res, NULL, NULL, &m, img, &o),
			 DFUSE_EINVAL);
	assert_string_equal(dfuse_error_last()->message,
			    "dfuse_usb_match version 7 is not supported "
			    "(expected 1)");
	dfuse_image_free(img);
}

/* Without a layout the profile's banks give the sectors. */
static void test_download__plan_from_profile_banks(void **state)
{
	const struct dfuse__transport t = {&never_ops, NULL, 0};
	struct dfuse__dfu d;
	dfuse_download_options o;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_image *img = merged();

	(void)state;
	memset(&o, 0, sizeof(o));
	o.flags = DFUSE_DOWNLOAD_DRY_RUN;
	dfuse__dfu_init(&d, &t, H7MODEL_TRANSFER_SIZE);
	assert_int_equal(dfuse__download(&res, NULL, &d, img, &o, NULL, NULL),
			 0);
	assert_int_equal(res.sectors, 5);
	assert_int_equal(res.runs, 2);
	dfuse_image_free(img);
}

/* ======== Incremental ======== */

static void test_download__incremental_unchanged_sends_no_write(void **state)
{
	struct rig *r = rig_open(1, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;

	(void)state;
	r->o.flags = DFUSE_DOWNLOAD_VERIFY;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	h7model_log_clear(r->m);
	r->o.flags = DFUSE_DOWNLOAD_INCREMENTAL | DFUSE_DOWNLOAD_VERIFY;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	assert_int_equal(res.sectors_skipped, 5);
	assert_int_equal(res.sectors_erased, 0);
	assert_int_equal(res.bytes_written, 0);
	assert_int_equal(res.bytes_compared, 5 * H7MODEL_SECTOR_SIZE);
	assert_int_equal(h7model_count_erases(r->m), 0);
	assert_int_equal(data_blocks(r->m), 0);
	assert_int_equal(log_count(&r->log, "incremental: 5 of 5 sectors "
					    "already equal the image"),
			 1);
	assert_flash_has_image(r->m, img);
	dfuse_image_free(img);
	rig_close(r);
}

/* A stale byte where the image does not write still needs the erase. */
static void test_download__incremental_rewrites_changed_sector(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;

	(void)state;
	r->o.flags = 0;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	h7model_flash(r->m)[0x50000] = 0x00; /* sector 2, past the CM7 image */
	h7model_log_clear(r->m);
	r->o.flags = DFUSE_DOWNLOAD_INCREMENTAL | DFUSE_DOWNLOAD_VERIFY;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	assert_int_equal(res.sectors_skipped, 4);
	assert_int_equal(res.sectors_erased, 1);
	assert_int_equal(res.bytes_written, CM7_SIZE - 0x40000);
	assert_int_equal(res.bytes_verified, CM7_SIZE - 0x40000);
	assert_int_equal(h7model_count_erases(r->m), 1);
	assert_true(h7model_blank(r->m, 0x08050000, 1));
	assert_flash_has_image(r->m, img);
	dfuse_image_free(img);
	rig_close(r);
}

/* ======== Faults ======== */

static void test_download__disconnect_mid_write_then_rerun(void **state)
{
	struct rig *r = rig_open(1, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	size_t n;
	uint8_t left_state;

	(void)state;
	/* Find a transfer in the middle of the write phase. */
	r->o.flags = 0;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	n = first_xfer(r->m, DFUSE__DFU_DNLOAD, -1, 1) + 301;
	rig_close(r);

	r = rig_open(1, 0, n);
	r->o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_LEAVE;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		DFUSE_EUSB);
	assert_msg_has("write: DNLOAD block");
	assert_msg_has("disconnected");
	assert_false(res.left);
	assert_false(h7model_left(r->m, NULL));
	assert_int_equal(res.sectors_erased, 5);
	assert_true(res.bytes_written < CM7_SIZE);
	left_state = h7model_state(r->m);

	/* Replug: a new device with the flash as the fault left it. */
	{
		struct rig *r2 = rig_open(1, 0, 0);

		memcpy(h7model_flash(r2->m), h7model_flash(r->m),
		       H7MODEL_FLASH_SIZE);
		h7model_set_state(r2->m, left_state, DFUSE__DFU_OK);
		r2->o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_LEAVE;
		assert_int_equal(dfuse__download(&res, NULL, &r2->d, img,
						 &r2->o, r2->layout, NULL),
				 0);
		assert_flash_has_image(r2->m, img);
		assert_true(res.left);
		rig_close(r2);
	}
	dfuse_image_free(img);
	rig_close(r);
}

static void test_download__stall_at_first_erase(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	size_t n;

	(void)state;
	r->o.flags = 0;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		0);
	n = first_xfer(r->m, DFUSE__DFU_DNLOAD, DFUSE__DFUSE_ERASE, 0);
	rig_close(r);

	r = rig_open(0, n, 0);
	r->o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_LEAVE;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		DFUSE_EUSB);
	assert_msg_has("erase: ");
	assert_msg_has("0x08000000");
	assert_msg_has("stalled");
	assert_int_equal(res.sectors_erased, 0);
	assert_int_equal(data_blocks(r->m), 0);
	assert_false(res.left);
	assert_false(h7model_left(r->m, NULL));
	dfuse_image_free(img);
	rig_close(r);
}

static void test_download__verify_catches_corrupt_byte(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	char want[80];
	const uint8_t good = pat(0x08000405);

	(void)state;
	r->o.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_LEAVE;
	r->corrupt_upload = 0x08000405;
	assert_int_equal(
		dfuse__download(&res, NULL, &r->d, img, &r->o, r->layout, NULL),
		DFUSE_EDEVICE);
	snprintf(want, sizeof(want),
		 "verify: 0x08000405 reads 0x%02X, the image has 0x%02X",
		 (unsigned)(good ^ 0xa5u), (unsigned)good);
	assert_msg_has(want);
	assert_int_equal(res.bytes_written, CM7_SIZE + CM4_SIZE);
	assert_int_equal(res.bytes_verified, 0);
	assert_false(res.left);
	assert_false(h7model_left(r->m, NULL));
	dfuse_image_free(img);
	rig_close(r);
}

/* ======== Against the board's option bytes ======== */

/* The board as a read of the model's alt 1 gives it: its 308 bytes,
 * decoded (the model's image, not our encoder). */
static void board_from_model(dfuse_board *bd, const struct h7model *m)
{
	dfuse_board_init(bd);
	assert_int_equal(dfuse_option_bytes_decode(&bd->ob,
						   h7model_option_bytes(m),
						   H7MODEL_OB_IMAGE_SIZE),
			 0);
	bd->state = DFUSE_BOARD_READ;
}

enum { V_CM4_BOOT, V_WRP, V_SWAP, V_RDP_VERIFY, V_WRP_MASS, V_COUNT };

static void test_download__board_refusals_erase_nothing(void **state)
{
	static const char *const code[V_COUNT] = {
		"board-boot-address", "write-protected", "swap-bank",
		"read-protected", "write-protected"};
	int v;

	(void)state;
	for (v = 0; v < V_COUNT; v++) {
		struct rig *r = rig_open(0, 0, 0);
		dfuse_image *img = merged();
		dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
		dfuse_report *rep = NULL;
		dfuse_board bd;

		switch (v) {
		case V_CM4_BOOT:
			h7model_set_boot_cm4(r->m, 0x08180000u, 0x10000000u);
			break;
		case V_WRP:
			h7model_protect_sector(r->m, 9); /* 0x08120000 */
			break;
		case V_SWAP:
			h7model_set_swap_bank(r->m, 1);
			break;
		case V_RDP_VERIFY:
			h7model_set_rdp(r->m, 0xBB);
			r->o.flags = DFUSE_DOWNLOAD_VERIFY;
			break;
		default:
			h7model_protect_sector(r->m, 14); /* untouched */
			r->o.flags = DFUSE_DOWNLOAD_MASS_ERASE;
			break;
		}
		board_from_model(&bd, r->m);
		assert_int_equal(dfuse__download(&res, &rep, &r->d, img, &r->o,
						 r->layout, &bd),
				 DFUSE_EINVAL);
		assert_msg_has("refused before any erase or write");
		assert_msg_has(code[v]);
		assert_int_equal(h7model_count_erases(r->m), 0);
		assert_int_equal(h7model_log_count(r->m), 0);
		assert_int_equal(res.board_state, DFUSE_BOARD_READ);
		dfuse_report_free(rep);
		dfuse_image_free(img);
		rig_close(r);
	}
}

static void test_download__board_non_default_boot_passes(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = NULL;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_report *rep = NULL;
	dfuse_board bd;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	add_program(img, 0x08000000, CM7_SIZE, 0x2001fff0, 0x08000201,
		    DFUSE_CORE_CM7);
	add_program(img, 0x08180000, CM4_SIZE, 0x10047ff0, 0x08180201,
		    DFUSE_CORE_CM4);
	assert_int_equal(dfuse_image_normalize(img, dfuse_profile_default()),
			 0);
	h7model_set_boot_cm4(r->m, 0x08180000u, 0x10000000u);
	h7model_set_bcm(r->m, 1, 0); /* a warning, never a refusal */
	board_from_model(&bd, r->m);
	r->o.flags = DFUSE_DOWNLOAD_VERIFY;
	assert_int_equal(
		dfuse__download(&res, &rep, &r->d, img, &r->o, r->layout, &bd),
		0);
	assert_int_equal(dfuse_report_count_at_least(rep, DFUSE_SEV_ERROR), 0);
	assert_int_equal(dfuse_report_count_at_least(rep, DFUSE_SEV_WARNING),
			 1); /* core-boot-disabled */
	assert_flash_has_image(r->m, img);
	assert_int_equal(res.board_state, DFUSE_BOARD_READ);
	assert_int_equal(res.bytes_verified, CM7_SIZE + CM4_SIZE);
	dfuse_report_free(rep);
	dfuse_image_free(img);
	rig_close(r);
}

static void test_download__board_not_read_falls_back(void **state)
{
	struct rig *r = rig_open(0, 0, 0);
	dfuse_image *img = merged();
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	dfuse_report *rep = NULL;
	dfuse_board bd;

	(void)state;
	dfuse_board_init(&bd);
	bd.state = DFUSE_BOARD_NO_ALT;
	assert_int_equal(
		dfuse__download(&res, &rep, &r->d, img, &r->o, r->layout, &bd),
		0);
	assert_int_equal(res.board_state, DFUSE_BOARD_NO_ALT);
	assert_int_equal(dfuse_report_count_at_least(rep, DFUSE_SEV_WARNING),
			 0);
	assert_flash_has_image(r->m, img);
	dfuse_report_free(rep);
	dfuse_image_free(img);
	rig_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_download__merged_image_through_bank2_bug),
		cmocka_unit_test(test_download__timing_from_every_profile),
		cmocka_unit_test(
			test_download__findings_told_before_any_transfer),
		cmocka_unit_test(
			test_download__stuck_erase_waits_worst_case_only),
		cmocka_unit_test(
			test_download__stuck_erase_not_blank_is_erased_again),
		cmocka_unit_test(test_download__stuck_erase_never_blank_fails),
		cmocka_unit_test(test_download__cancel_then_rerun),
		cmocka_unit_test(test_download__mass_erase),
		cmocka_unit_test(test_download__broken_file_refused),
		cmocka_unit_test(test_download__system_memory_refused),
		cmocka_unit_test(test_download__cm4_image_in_bank1_refused),
		cmocka_unit_test(test_download__other_alt_refused),
		cmocka_unit_test(test_download__other_alt_name_escaped),
		cmocka_unit_test(test_download__alt0_only_leaves_option_bytes),
		cmocka_unit_test(test_download__every_alt0_target_written),
		cmocka_unit_test(
			test_download__overlapping_alt0_targets_refused),
		cmocka_unit_test(test_download__outside_layout_refused),
		cmocka_unit_test(test_download__dry_run_sends_nothing),
		cmocka_unit_test(test_download__leave_checks_the_rom_jump),
		cmocka_unit_test(test_download__plan_from_profile_banks),
		cmocka_unit_test(test_download__versions_checked),
		cmocka_unit_test(
			test_download__incremental_unchanged_sends_no_write),
		cmocka_unit_test(
			test_download__incremental_rewrites_changed_sector),
		cmocka_unit_test(
			test_download__disconnect_mid_write_then_rerun),
		cmocka_unit_test(test_download__stall_at_first_erase),
		cmocka_unit_test(test_download__verify_catches_corrupt_byte),
		cmocka_unit_test(test_download__board_refusals_erase_nothing),
		cmocka_unit_test(test_download__board_non_default_boot_passes),
		cmocka_unit_test(test_download__board_not_read_falls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
