/*
 * usb_api.c - the public dfuse_usb_* API (include/dfuse_usb.h) on top of
 * the USB backend (usb.h: libusb or none), the DFU request layer, the
 * download engine (download.h) and the board sessions (board.h): listing,
 * picking one device (one function for every call), opening it ready for
 * requests (a device left in dfuMANIFEST-WAIT-RESET by an unconfirmed
 * leave gets a USB reset first), download, read_board, upload, verify,
 * erase, leave and wait.  No libusb here: usb_libusb.c is the only file
 * that includes it.
 */
#include "dfuse_usb.h"
#include "board.h"
#include "download.h"
#include "err.h"
#include "usb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct dfuse_usb {
	struct dfuse__usb *s;
};

int dfuse_usb_new(dfuse_usb **out)
{
	dfuse_usb *u;
	int rc;

	if (out == NULL)
		return dfuse__error(DFUSE_EINVAL, "out is NULL");
	*out = NULL;
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return dfuse__oom();
	rc = dfuse__usb_session_new(&u->s);
	if (rc == 0)
		rc = dfuse__usb_scan(u->s);
	if (rc < 0) {
		dfuse_usb_free(u);
		return rc;
	}
	*out = u;
	return 0;
}

void dfuse_usb_free(dfuse_usb *u)
{
	if (u == NULL)
		return;
	dfuse__usb_session_free(u->s);
	free(u);
}

size_t dfuse_usb_count_devices(const dfuse_usb *u)
{
	return u ? dfuse__usb_count(u->s) : 0;
}

static const struct dfuse__usb_info *info_at(const dfuse_usb *u, size_t i)
{
	const struct dfuse__usb_info *d = u ? dfuse__usb_get(u->s, i) : NULL;

	if (d == NULL)
		dfuse__error(DFUSE_EINVAL, "no DFU device %zu (%zu found)", i,
			     dfuse_usb_count_devices(u));
	return d;
}

int dfuse_usb_get_device(dfuse_usb_device_info *out, const dfuse_usb *u,
			 size_t i)
{
	const struct dfuse__usb_info *d = info_at(u, i);

	if (d == NULL)
		return DFUSE_EINVAL;
	memset(out, 0, sizeof(*out));
	out->vid = d->vid;
	out->pid = d->pid;
	out->bcd_device = d->bcd_device;
	out->serial = d->serial ? d->serial : "";
	out->path = d->path ? d->path : "";
	out->bus = d->bus;
	out->address = d->address;
	out->interface = d->interface;
	out->has_functional = d->has_functional;
	if (d->has_functional) {
		out->attributes = d->functional.attributes;
		out->detach_timeout = d->functional.detach_timeout;
		out->transfer_size = d->functional.transfer_size;
		out->dfu_version = d->functional.dfu_version;
	}
	out->alt_count = d->alt_count;
	return 0;
}

int dfuse_usb_get_alt(uint8_t *alt, const char **name, const dfuse_usb *u,
		      size_t i, size_t a)
{
	const struct dfuse__usb_info *d = info_at(u, i);

	if (d == NULL)
		return DFUSE_EINVAL;
	if (a >= d->alt_count)
		return dfuse__error(DFUSE_EINVAL,
				    "device %zu has no alternate setting index "
				    "%zu (%zu)",
				    i, a, d->alt_count);
	*alt = d->alts[a].alt;
	*name = d->alts[a].name ? d->alts[a].name : "";
	return 0;
}

/* ======== Download ======== */

static int matches(const struct dfuse__usb_info *d, const dfuse_usb_match *m)
{
	if (m == NULL)
		return 1;
	if (m->has_id && (d->vid != m->vid || d->pid != m->pid))
		return 0;
	if (m->serial != NULL && strcmp(m->serial, d->serial ? d->serial : ""))
		return 0;
	if (m->path != NULL && strcmp(m->path, d->path ? d->path : ""))
		return 0;
	return 1;
}

/* The file's suffix IDs against the device. */
static int check_ids(const dfuse_image *img, const struct dfuse__usb_info *d,
		     const dfuse_download_options *opts)
{
	const unsigned flags = opts != NULL ? opts->flags : 0;
	dfuse_ids ids;

	dfuse_image_get_ids(&ids, img);
	if (dfuse__ids_match(&ids, d->vid, d->pid)) {
		if ((ids.id_vendor == 0 || ids.id_product == 0) &&
		    opts != NULL && opts->log != NULL) {
			char line[160];

			snprintf(line, sizeof(line),
				 "the file's IDs %04x:%04x are not compared "
				 "where they are 0000 (unset, as ST's DFU File "
				 "Manager writes them)",
				 ids.id_vendor, ids.id_product);
			opts->log(opts->payload, line);
		}
		return 0;
	}
	if (flags & DFUSE_DOWNLOAD_FORCE_ID)
		return 0;
	return dfuse__error(DFUSE_EINVAL,
			    "refused before any transfer: the file is for "
			    "%04x:%04x, the device is %04x:%04x (force to "
			    "ignore the file's IDs)",
			    ids.id_vendor, ids.id_product, d->vid, d->pid);
}

static const char *alt0_layout(const struct dfuse__usb_info *d)
{
	size_t a;

	for (a = 0; a < d->alt_count; a++)
		if (d->alts[a].alt == 0)
			return d->alts[a].name;
	return NULL;
}

/* A NULL `opts` means the defaults. */
static const dfuse_download_options *
options_or_default(const dfuse_download_options *opts)
{
	static const dfuse_download_options defaults =
		DFUSE_DOWNLOAD_OPTIONS_INIT;

	return opts != NULL ? opts : &defaults;
}

/* "VID:PID 0483:df11, serial \"X\", path 1-2" for a match (escaped). */
static void describe_match(char *buf, size_t n, const dfuse_usb_match *m)
{
	char ser[4 * 40 + 1], path[4 * 24 + 1];
	size_t used = 0;
	int w;

	buf[0] = '\0';
	if (m == NULL) {
		snprintf(buf, n, "any device");
		return;
	}
	if (m->has_id) {
		w = snprintf(buf, n, "VID:PID %04x:%04x", m->vid, m->pid);
		used = w > 0 && (size_t)w < n ? (size_t)w : 0;
	}
	if (m->serial != NULL && used < n) {
		dfuse__escape(ser, sizeof(ser), (const uint8_t *)m->serial,
			      strlen(m->serial));
		w = snprintf(buf + used, n - used, "%sserial \"%s\"",
			     used ? ", " : "", ser);
		used = w > 0 && (size_t)w < n - used ? used + (size_t)w : used;
	}
	if (m->path != NULL && used < n) {
		dfuse__escape(path, sizeof(path), (const uint8_t *)m->path,
			      strlen(m->path));
		snprintf(buf + used, n - used, "%spath %s", used ? ", " : "",
			 path);
	}
}

/* The one device `m` picks (NULL: any).  Several that match are refused
 * and listed, so that a download never goes to a board picked by the
 * order of the bus scan. */
static int pick(const struct dfuse__usb_info **d, size_t *at,
		const dfuse_usb *u, const dfuse_usb_match *m)
{
	size_t i, n = 0, count = dfuse__usb_count(u->s);
	char list[600];
	size_t used = 0;

	*d = NULL;
	for (i = 0; i < count; i++) {
		const struct dfuse__usb_info *x = dfuse__usb_get(u->s, i);

		if (!matches(x, m))
			continue;
		if (n++ == 0) {
			*d = x;
			*at = i;
		}
	}
	if (n == 0) {
		char want[200];

		describe_match(want, sizeof(want), m);
		return dfuse__error(DFUSE_ENOTFOUND,
				    "none of the %zu devices in DFU mode "
				    "matches %s",
				    count, want);
	}
	if (n == 1)
		return 0;
	list[0] = '\0';
	for (i = 0; i < count && used + 1 < sizeof(list); i++) {
		const struct dfuse__usb_info *x = dfuse__usb_get(u->s, i);
		const char *sr = x->serial ? x->serial : "";
		const char *pa = x->path ? x->path : "";
		char ser[4 * 40 + 1], path[4 * 24 + 1];
		int w;

		if (!matches(x, m))
			continue;
		dfuse__escape(ser, sizeof(ser), (const uint8_t *)sr,
			      strlen(sr));
		dfuse__escape(path, sizeof(path), (const uint8_t *)pa,
			      strlen(pa));
		w = snprintf(list + used, sizeof(list) - used,
			     "%s%04x:%04x serial \"%s\" path %s",
			     used ? "; " : "", x->vid, x->pid, ser, path);
		if (w < 0 || (size_t)w >= sizeof(list) - used) {
			list[used] = '\0';
			break;
		}
		used += (size_t)w;
	}
	return dfuse__error(DFUSE_EAMBIGUOUS,
			    "%zu devices in DFU mode match, refusing to pick "
			    "one: %s; name one by its VID:PID, serial or path",
			    n, list);
}

static int no_device(void)
{
	return dfuse__error(DFUSE_ENOTFOUND,
			    "no device in DFU mode found (on the H7: BOOT0 "
			    "high, then reset)");
}

int dfuse_usb_find_device(size_t *index, const dfuse_usb *u,
			  const dfuse_usb_match *m)
{
	const struct dfuse__usb_info *d;
	size_t at = 0;

	if (index == NULL || u == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_usb_find_device: NULL argument");
	if (m != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_usb_match", m->version,
						DFUSE_USB_MATCH_VERSION));
	if (dfuse__usb_count(u->s) == 0)
		return no_device();
	DFUSE__TRY(pick(&d, &at, u, m));
	*index = at;
	return 0;
}

/* ======== Opening the picked device ======== */

/* An opened device on alternate setting 0, ready for requests. */
struct opened {
	const struct dfuse__usb_info *info; /* valid until the next scan */
	struct dfuse__usb_dev *dev;
	struct dfuse__dfu dfu;
};

static uint16_t transfer_size(const struct dfuse__usb_info *d)
{
	/* 1024 is the H7 ROM's wTransferSize */
	return d->has_functional && d->functional.transfer_size
		       ? d->functional.transfer_size
		       : 1024;
}

static void opened_close(struct opened *o)
{
	dfuse__usb_close(o->dev);
	o->dev = NULL;
}

static int open_index(struct opened *o, dfuse_usb *u, size_t i)
{
	o->info = dfuse__usb_get(u->s, i);
	DFUSE__TRY(dfuse__usb_open(&o->dev, u->s, i, 0));
	dfuse__dfu_init(&o->dfu, dfuse__usb_transport(o->dev),
			transfer_size(o->info));
	return 0;
}

static int wait_usb(dfuse_usb *u, const dfuse_usb_match *m, uint32_t timeout_ms,
		    const dfuse_usb_options *opts);

/* How long a device reset over USB may take to enumerate again. */
#define REOPEN_WAIT_MS 5000u

/* After a USB reset that made the device enumerate again: find it (the
 * same match) and open it. */
static int reopen(struct opened *o, dfuse_usb *u, const dfuse_usb_match *m,
		  const char *was)
{
	const struct timespec settle = {0, 200L * 1000000L};
	const struct dfuse__usb_info *d;
	size_t i = 0;
	int rc;

	opened_close(o);
	nanosleep(&settle, NULL);
	rc = dfuse__usb_scan(u->s);
	if (rc >= 0)
		rc = wait_usb(u, m, REOPEN_WAIT_MS, NULL);
	if (rc == DFUSE_ETIMEOUT)
		return dfuse__error(DFUSE_EDEVICE,
				    "the device was in %s, after a leave "
				    "request that was not confirmed; after a "
				    "USB reset no device in DFU mode came back "
				    "within %u s (it may have started the "
				    "application): reset the board (BOOT0 "
				    "high, then reset, to come back to the ROM "
				    "bootloader)",
				    was, REOPEN_WAIT_MS / 1000u);
	DFUSE__TRY(rc);
	DFUSE__TRY(pick(&d, &i, u, m));
	DFUSE__TRY(open_index(o, u, i));
	return dfuse__dfu_unstick(NULL, &o->dfu, 0);
}

/*
 * Opens scanned device i (picked with `m`) on alternate setting 0 and looks
 * at its state first: one left in a manifestation state by a leave that
 * was not confirmed gets a USB reset, and one log line says what was found
 * and done.
 */
static int open_ready(struct opened *o, dfuse_usb *u, const dfuse_usb_match *m,
		      size_t i, dfuse__log_fn log, void *payload)
{
	uint8_t found = 0;
	int rc;

	o->dev = NULL;
	DFUSE__TRY(open_index(o, u, i));
	rc = dfuse__dfu_unstick(&found, &o->dfu, 1);
	if (rc == DFUSE__DFU_REOPEN) {
		rc = reopen(o, u, m, dfuse__dfu_state_name(found));
		if (rc >= 0)
			rc = DFUSE__DFU_WAS_RESET;
	}
	if (rc == DFUSE__DFU_WAS_RESET)
		dfuse__logf(log, payload,
			    "the device was in %s, left by a leave request "
			    "that was not confirmed; a USB reset brought it "
			    "out of it",
			    dfuse__dfu_state_name(found));
	if (rc < 0) {
		opened_close(o);
		return rc;
	}
	return 0;
}

/* The checks every board call starts with; *opts becomes the defaults
 * when NULL. */
static int begin(dfuse_usb *u, const dfuse_usb_match *m,
		 const dfuse_usb_options **opts, const char *fn)
{
	static const dfuse_usb_options defaults = DFUSE_USB_OPTIONS_INIT;

	if (u == NULL) {
		DFUSE__TRY(dfuse__usb_supported());
		return dfuse__error(DFUSE_EINVAL, "%s: NULL session", fn);
	}
	if (m != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_usb_match", m->version,
						DFUSE_USB_MATCH_VERSION));
	if (*opts != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_usb_options",
						(*opts)->version,
						DFUSE_USB_OPTIONS_VERSION));
	else
		*opts = &defaults;
	return 0;
}

/* begin(), pick and open_ready(). */
static int open_device(struct opened *o, dfuse_usb *u, const dfuse_usb_match *m,
		       const dfuse_usb_options *opts)
{
	const struct dfuse__usb_info *d;
	size_t i = 0;

	o->dev = NULL;
	if (dfuse__usb_count(u->s) == 0)
		return no_device();
	DFUSE__TRY(pick(&d, &i, u, m));
	return open_ready(o, u, m, i, opts->log, opts->payload);
}

/* DRY_RUN with no device: the check and the plan from the profile alone
 * (its geometry, or the layout the caller derived it from).  The device's
 * own layout string and the file's VID:PID against the device cannot be
 * checked; the log says so. */
static int plan_without_device(dfuse_download_result *out,
			       dfuse_report **findings, const dfuse_image *img,
			       const dfuse_download_options *opts)
{
	struct dfuse__dfu dfu;

	dfuse__logf(opts->log, opts->payload,
		    "no device in DFU mode: the plan comes from the profile "
		    "alone; the device's own layout and IDs are not checked");
	/* no transport: the engine returns after the plan, before any
	 * request; 1024 is the H7 ROM's wTransferSize */
	dfuse__dfu_init(&dfu, NULL, 1024);
	dfuse__erase_timing(&dfu, opts->profile);
	return dfuse__download(out, findings, &dfu, img, opts, NULL, NULL);
}

int dfuse_usb_download(dfuse_download_result *out, dfuse_report **findings,
		       dfuse_usb *u, const dfuse_usb_match *m,
		       const dfuse_image *img,
		       const dfuse_download_options *opts)
{
	const struct dfuse__usb_info *d = NULL;
	struct opened o = {NULL, NULL, {0}};
	dfuse_board *board = NULL;
	dfuse_layout *layout = NULL;
	const char *ls;
	size_t i = 0;
	int rc;

	if (findings != NULL)
		*findings = NULL;
	if (out == NULL || img == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_usb_download: NULL argument");
	DFUSE__TRY(dfuse__check_version("dfuse_download_result", out->version,
					DFUSE_DOWNLOAD_RESULT_VERSION));
	if (opts != NULL)
		DFUSE__TRY(dfuse__check_version(
			"dfuse_download_options", opts->version,
			DFUSE_DOWNLOAD_OPTIONS_VERSION));
	if (m != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_usb_match", m->version,
						DFUSE_USB_MATCH_VERSION));
	opts = options_or_default(opts);
	memset(out, 0, sizeof(*out));
	out->version = DFUSE_DOWNLOAD_RESULT_VERSION;
	if (u == NULL || dfuse__usb_count(u->s) == 0) {
		if (opts->flags & DFUSE_DOWNLOAD_DRY_RUN)
			return plan_without_device(out, findings, img, opts);
		return dfuse__error(DFUSE_ENOTFOUND,
				    "no device in DFU mode found (on the H7: "
				    "BOOT0 high, then reset)");
	}
	DFUSE__TRY(pick(&d, &i, u, m));
	DFUSE__TRY(check_ids(img, d, opts));
	/* The device's own layout is part of the check: fail closed when it
	 * cannot be read. */
	ls = alt0_layout(d);
	if (ls != NULL && ls[0] != '\0' && dfuse_layout_parse(&layout, ls) < 0)
		return dfuse__error_prefix("the device's alt 0 layout \"%s\": ",
					   ls);

	/* A dry run sends nothing: not even the look at the state. */
	if (opts->flags & DFUSE_DOWNLOAD_DRY_RUN)
		rc = open_index(&o, u, i);
	else
		rc = open_ready(&o, u, m, i, opts->log, opts->payload);
	if (rc < 0)
		goto out;
	if (!(opts->flags & DFUSE_DOWNLOAD_DRY_RUN)) {
		/* The board's own configuration, before the first erase. */
		board = malloc(sizeof(*board));
		if (board == NULL) {
			rc = dfuse__oom();
			goto out;
		}
		rc = dfuse__read_board(board, &o.dfu, o.info->alts,
				       o.info->alt_count, 0);
		if (rc < 0) {
			dfuse__error_prefix("reading the board: ");
			goto out;
		}
		/* a board not read is told once, by the check's
		 * board-not-read note (with board->why) */
	}
	dfuse__erase_timing(&o.dfu, opts->profile);
	rc = dfuse__download(out, findings, &o.dfu, img, opts, layout, board);
out:
	opened_close(&o);
	free(board);
	dfuse_layout_free(layout);
	return rc;
}

/* ======== Reading, erasing and leaving ======== */

int dfuse_usb_read_board(dfuse_board *out, dfuse_usb *u,
			 const dfuse_usb_match *m,
			 const dfuse_usb_options *opts)
{
	struct opened o;
	int rc;

	if (out == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_usb_read_board: NULL argument");
	dfuse_board_init(out);
	DFUSE__TRY(begin(u, m, &opts, "dfuse_usb_read_board"));
	DFUSE__TRY(open_device(&o, u, m, opts));
	rc = dfuse__read_board(out, &o.dfu, o.info->alts, o.info->alt_count, 1);
	opened_close(&o);
	return rc;
}

/* A result: its version checked, the rest cleared. */
static int result_start(dfuse_usb_result *out, const char *fn)
{
	if (out == NULL)
		return dfuse__error(DFUSE_EINVAL, "%s: NULL result", fn);
	DFUSE__TRY(dfuse__check_version("dfuse_usb_result", out->version,
					DFUSE_USB_RESULT_VERSION));
	memset(out, 0, sizeof(*out));
	out->version = DFUSE_USB_RESULT_VERSION;
	return 0;
}

int dfuse_usb_upload(dfuse_usb_result *out, uint8_t *buf, dfuse_usb *u,
		     const dfuse_usb_match *m, uint32_t address, size_t len,
		     const dfuse_usb_options *opts)
{
	const struct dfuse__usb_info *d;
	dfuse_layout *layout = NULL;
	struct opened o;
	size_t i = 0;
	int rc;

	DFUSE__TRY(result_start(out, "dfuse_usb_upload"));
	if (buf == NULL && len > 0)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_usb_upload: NULL buffer");
	DFUSE__TRY(begin(u, m, &opts, "dfuse_usb_upload"));
	if (dfuse__usb_count(u->s) == 0)
		return no_device();
	DFUSE__TRY(pick(&d, &i, u, m));
	/* The range first, with nothing sent. */
	DFUSE__TRY(dfuse__alt0_layout(&layout, d->alts, d->alt_count));
	rc = len == 0
		     ? 0
		     : dfuse__check_areas(layout, opts->profile, address,
					  (uint64_t)address + len, 0, "upload");
	dfuse_layout_free(layout);
	DFUSE__TRY(rc);
	DFUSE__TRY(open_ready(&o, u, m, i, opts->log, opts->payload));
	rc = dfuse__upload(out, buf, &o.dfu, o.info->alts, o.info->alt_count,
			   address, len, opts);
	opened_close(&o);
	return rc;
}

int dfuse_usb_erase(dfuse_usb_result *out, dfuse_usb *u,
		    const dfuse_usb_match *m, const uint32_t *start,
		    const uint64_t *end, size_t count,
		    const dfuse_usb_options *opts,
		    void (*planned)(void *payload, uint32_t base,
				    uint32_t size))
{
	const struct dfuse__usb_info *d;
	struct opened o;
	dfuse_usb_options dry;
	size_t i = 0;
	int rc;

	DFUSE__TRY(result_start(out, "dfuse_usb_erase"));
	DFUSE__TRY(begin(u, m, &opts, "dfuse_usb_erase"));
	if (dfuse__usb_count(u->s) == 0 && !(opts->flags & DFUSE_USB_DRY_RUN))
		return no_device();
	if (dfuse__usb_count(u->s) > 0)
		DFUSE__TRY(pick(&d, &i, u, m));
	else
		d = NULL;
	/* The plan, with nothing sent: a dry run stops there, a refusal
	 * of the ranges comes before the device is opened. */
	dry = *opts;
	dry.flags |= DFUSE_USB_DRY_RUN;
	dfuse__dfu_init(&o.dfu, NULL, d != NULL ? transfer_size(d) : 1024);
	rc = dfuse__erase(out, &o.dfu, d != NULL ? d->alts : NULL,
			  d != NULL ? d->alt_count : 0, start, end, count, &dry,
			  (opts->flags & DFUSE_USB_DRY_RUN) ? planned : NULL);
	if (rc < 0 || (opts->flags & DFUSE_USB_DRY_RUN))
		return rc;
	DFUSE__TRY(open_ready(&o, u, m, i, opts->log, opts->payload));
	rc = dfuse__erase(out, &o.dfu, o.info->alts, o.info->alt_count, start,
			  end, count, opts, planned);
	opened_close(&o);
	return rc;
}

int dfuse_usb_verify(dfuse_usb_result *out, dfuse_usb *u,
		     const dfuse_usb_match *m, const dfuse_image *img,
		     const dfuse_usb_options *opts,
		     void (*sector)(void *payload,
				    const dfuse_verify_sector *s))
{
	const struct dfuse__usb_info *d;
	dfuse_layout *layout = NULL;
	struct opened o;
	size_t i = 0;
	int rc;

	DFUSE__TRY(result_start(out, "dfuse_usb_verify"));
	if (img == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_usb_verify: NULL image");
	DFUSE__TRY(begin(u, m, &opts, "dfuse_usb_verify"));
	if (dfuse__usb_count(u->s) == 0)
		return no_device();
	DFUSE__TRY(pick(&d, &i, u, m));
	DFUSE__TRY(dfuse__alt0_layout(&layout, d->alts, d->alt_count));
	rc = open_ready(&o, u, m, i, opts->log, opts->payload);
	if (rc == 0) {
		rc = dfuse__verify(out, &o.dfu, img, opts, layout, sector);
		opened_close(&o);
	}
	dfuse_layout_free(layout);
	return rc;
}

int dfuse_usb_leave(int *how, dfuse_usb *u, const dfuse_usb_match *m,
		    int has_address, uint32_t address,
		    const dfuse_usb_options *opts)
{
	struct opened o;
	int h = DFUSE_LEFT_NONE, rc;

	if (how != NULL)
		*how = DFUSE_LEFT_NONE;
	DFUSE__TRY(begin(u, m, &opts, "dfuse_usb_leave"));
	DFUSE__TRY(open_device(&o, u, m, opts));
	rc = dfuse__dfu_enter_idle(NULL, &o.dfu);
	if (rc == 0)
		rc = dfuse__dfu_leave(&h, &o.dfu, has_address, address);
	opened_close(&o);
	if (how != NULL)
		*how = h;
	return rc;
}

/* ======== Waiting for a device ======== */

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static size_t count_matching(const dfuse_usb *u, const dfuse_usb_match *m)
{
	size_t i, n = 0, count = dfuse__usb_count(u->s);

	for (i = 0; i < count; i++)
		n += (size_t)matches(dfuse__usb_get(u->s, i), m);
	return n;
}

#define WAIT_POLL_MS 200u

int dfuse_usb_wait(dfuse_usb *u, const dfuse_usb_match *m, uint32_t timeout_ms,
		   const dfuse_usb_options *opts)
{
	return wait_usb(u, m, timeout_ms, opts);
}

static int wait_usb(dfuse_usb *u, const dfuse_usb_match *m, uint32_t timeout_ms,
		    const dfuse_usb_options *opts)
{
	const uint64_t t0 = monotonic_ms();
	char want[200];

	if (u == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_usb_wait: NULL session");
	if (m != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_usb_match", m->version,
						DFUSE_USB_MATCH_VERSION));
	if (opts != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_usb_options",
						opts->version,
						DFUSE_USB_OPTIONS_VERSION));
	for (;;) {
		const struct timespec poll = {0, (long)WAIT_POLL_MS * 1000000L};
		uint64_t waited;
		int rc;

		if (count_matching(u, m) > 0)
			return 0;
		waited = monotonic_ms() - t0;
		if (timeout_ms != 0 && waited >= timeout_ms)
			break;
		if (opts != NULL && opts->cancel != NULL &&
		    opts->cancel(opts->payload))
			return dfuse__error(DFUSE_ECANCELED,
					    "stopped waiting for a device "
					    "after %.1f s",
					    (double)waited / 1000.0);
		nanosleep(&poll, NULL);
		rc = dfuse__usb_scan(u->s);
		if (rc < 0)
			return rc;
	}
	if (m == NULL)
		return dfuse__error(DFUSE_ETIMEOUT,
				    "no device in DFU mode appeared within "
				    "%.1f s",
				    (double)timeout_ms / 1000.0);
	describe_match(want, sizeof(want), m);
	return dfuse__error(DFUSE_ETIMEOUT,
			    "no device in DFU mode matching %s appeared within "
			    "%.1f s (%zu in DFU mode now)",
			    want, (double)timeout_ms / 1000.0,
			    dfuse__usb_count(u->s));
}
