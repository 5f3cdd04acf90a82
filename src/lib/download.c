/*
 * download.c - the download engine (see download.h).
 *
 * Order of work, and why:
 *  1. Check, with no transfer at all (doc/sources.md, Architecture "Download
 *     checks first and fails closed"): dfuse_check() against the profile and
 *     the device's own layout; any error-level finding refuses the download.
 *     Then the engine's own rules: only alt 0, every element has data, no two
 *     elements overlap, every byte lies in a writable segment of alt 0's
 *     layout (or, without a layout, in a flash bank of the profile), and a
 *     segment read back (VERIFY, INCREMENTAL) is readable.
 *  2. Plan: the erase sectors the image touches, each once, by sector base
 *     (from the layout's sector sizes, else the profile's banks; AN3156 Erase;
 *     the sector base, as CubeProgrammer sends it), the contiguous runs to
 *     write and an estimated time (below).  DRY_RUN returns here: it sends
 *     nothing at all, not even GETSTATUS, so a dry run cannot disturb the
 *     device.
 *  3. dfuse__dfu_enter_idle().
 *  4. INCREMENTAL: each touched sector is read whole and compared with what
 *     a full download leaves there: the image's bytes where it writes and
 *     0xFF (erased) everywhere else.  An equal sector is skipped (no erase,
 *     no write).  Comparing only the bytes the image writes would leave
 *     stale bytes that a full download erases, so the result of an
 *     incremental download would depend on the flash's history.
 *  5. Erase each sector not skipped (or one mass erase).  On dual-bank H7
 *     profiles with bank 2 at 0x08100000, the stuck-erase recovery (erase.c)
 *     is on from bank 2's base (AN2606 Table 136, V9.1: the ROM stays
 *     dfuDNBUSY, CLRSTATUS twice gives dfuIDLE); a recovered sector must then
 *     read back all 0xFF, and one log line says what happened.
 *  6. Write the runs: one SET_ADDRESS per run, blocks of wTransferSize
 *     (dfuse__dfu_write()).
 *  7. VERIFY: read every run back and compare; the first difference is
 *     DFUSE_EDEVICE naming the address and both bytes.
 *  8. LEAVE, only after all of the above succeeded: SET_ADDRESS to the leave
 *     address, a zero-length DNLOAD; the disconnect (or stall) that follows
 *     is success (dfuse__dfu_leave()).  The ROM jumps the CM7 alone
 *     (AN3156, "Leave DFU"): a CM4 image starts after a board reset, and a log
 *     line says so.
 *     A leave the device does not confirm (still in DFU mode) is
 *     DFUSE_EDEVICE with left_how DFUSE_LEFT_UNCONFIRMED: the image is
 *     written, the board needs a reset; "left DFU mode" only when it left.
 * The board (its option bytes as read, or why not) goes to step 1's
 * dfuse_check(), so every refusal it causes comes before any erase or write.
 * dfuse__verify() runs steps 1-3 and the sector comparison of step 4
 * (compare_sector(), shared with INCREMENTAL), erasing and writing
 * nothing.
 * Any failure returns at once, with the phase prefixed to dfu_proto's
 * message (which names the request and address); the device is never told
 * to leave after a failure.
 *
 * The time estimate uses the profile's flash timing (profiles.c, DS12110):
 *  - erase, per profile sector (scaled by the device's sector size):
 *    erase_typ_ms / erase_max_ms (H745: 1100 / 4000 ms per 128 KiB); a
 *    mass erase counts every sector of every bank;
 *  - program, per flash word (profile flash_word, 32 bytes on H7):
 *    word_typ_us / word_max_us (H745: 130 / 580 us);
 *  - USB: per wTransferSize block written 2 ms (DNLOAD + GETSTATUS polls at
 *    full speed), per block read 1 ms (VERIFY and INCREMENTAL reads).
 */
#include "download.h"
#include "erase.h"
#include "image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "flatten.h"
#include "profile.h"

#define EST_BLOCK_WRITE_MS 2u
#define EST_BLOCK_READ_MS 1u
#define VERIFY_CHUNK 0x10000u /* bytes read back per dfuse__dfu_read() */

struct el {
	uint32_t address;
	uint32_t size;
	const uint8_t *data;
	size_t target, element; /* where it is in the image, for messages */
};

struct sector {
	uint32_t base;
	uint32_t size;
	int skip; /* INCREMENTAL: already equal */
};

struct run {
	uint32_t address;
	size_t len;
	const uint8_t *data;
};

struct eng {
	struct dfuse__dfu d;
	const dfuse_download_options *o;
	dfuse_download_result *res;
	const dfuse_layout *layout; /* the device's alt 0, or NULL */
	const dfuse_board *board;   /* the board as read, or NULL */
	const dfuse_profile *p;
	const dfuse_image *img;
	struct el *el;
	size_t nel;
	struct sector *sec;
	size_t nsec, capsec;
	struct run *run;
	size_t nrun;
	int phase;	     /* DFUSE_PHASE_* under way */
	uint64_t phase_done; /* bytes done before the current call */
	uint64_t phase_total;
};

/* ======== Callbacks ======== */

static void say(const struct eng *e, const char *fmt, ...) DFUSE__PRINTF(2, 3);

static void say(const struct eng *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dfuse__vlogf(e->o->log, e->o->payload, fmt, ap);
	va_end(ap);
}

static void report(const struct eng *e, int phase, uint64_t done,
		   uint64_t total)
{
	if (e->o->progress != NULL)
		e->o->progress(e->o->payload, phase, done, total);
}

/* dfu_proto's per-call progress, turned into the engine's per-phase one. */
static void proto_progress(void *payload, int phase, size_t done, size_t total)
{
	const struct eng *e = payload;

	(void)phase;
	(void)total;
	if (e->phase == DFUSE_PHASE_ERASE)
		return; /* read-back of a recovered sector: counted as one */
	report(e, e->phase, e->phase_done + done, e->phase_total);
}

static void phase_begin(struct eng *e, int phase, uint64_t total)
{
	e->phase = phase;
	e->phase_done = 0;
	e->phase_total = total;
}

/* ======== 1. Checks ======== */

static void check_options(dfuse_check_options *co, const struct eng *e)
{
	const dfuse_check_options init = DFUSE_CHECK_OPTIONS_INIT;

	*co = init;
	co->profile = e->p;
	co->layout = e->layout;
	co->boot_cm7 = e->o->boot_cm7;
	co->boot_cm4 = e->o->boot_cm4;
	co->allow = e->o->allow;
	co->allow_count = e->o->allow_count;
	/* the board as read: its boot addresses, write protection, bank swap
	 * and read protection are checked before any erase or write */
	co->board = e->board;
	if (e->o->flags & (DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_INCREMENTAL))
		co->flags |= DFUSE_CHECK_READBACK;
	if (e->o->flags & DFUSE_DOWNLOAD_MASS_ERASE)
		co->flags |= DFUSE_CHECK_MASS_ERASE;
	/* leaving hands the image to the ROM's jump: its stack limit then
	 * matters (sp-near-ram-end becomes a warning) */
	if (e->o->flags & DFUSE_DOWNLOAD_LEAVE)
		co->flags |= DFUSE_CHECK_LEAVE;
}

/* Is target t one this download leaves alone (ALT0_ONLY, alt != 0)? */
static int skipped_target(const struct eng *e, int t)
{
	dfuse_target_info ti;

	return (e->o->flags & DFUSE_DOWNLOAD_ALT0_ONLY) && t >= 0 &&
	       dfuse_image_get_target(&ti, e->img, (size_t)t) == 0 &&
	       ti.alt != 0;
}

static int run_check(struct eng *e, const dfuse_check_options *co,
		     dfuse_report **report_out)
{
	dfuse_report *rep = NULL;
	dfuse_finding first;
	size_t n, i;
	int rc = 0;

	DFUSE__TRY(dfuse_check(&rep, e->img, co));
	/* the errors of the targets to be written (not of skipped ones) */
	for (n = 0, i = 0; i < dfuse_report_count(rep); i++) {
		dfuse_finding f;

		if (dfuse_report_get(&f, rep, i) < 0 ||
		    f.severity < DFUSE_SEV_ERROR || skipped_target(e, f.target))
			continue;
		if (n++ == 0)
			first = f;
	}
	if (n > 0)
		rc = dfuse__error(
			DFUSE_EINVAL,
			"refused before any erase or write: the image "
			"fails %zu check%s; first: %s: %s",
			n, n == 1 ? "" : "s", first.code, first.message);
	if (e->o->checked != NULL)
		e->o->checked(e->o->payload, rep);
	if (report_out != NULL)
		*report_out = rep;
	else
		dfuse_report_free(rep);
	return rc;
}

/*
 * Only alt 0 (the internal flash) is downloaded.  Another target is
 * refused before the checks, unless ALT0_ONLY says to leave it.  The
 * option bytes (alt 1 on the H7 ROM) are not written at all: their block
 * layout on this ROM is unverified (the alt string says 128 bytes,
 * CubeProgrammer reads 308; doc/sources.md, Observed), the ROM erases all
 * options before writing them and resets, a wrong RDP byte can lock the part
 * for good, and the ROM cannot program CM4_BOOT_ADD on dual-core parts (AN2606
 * BL V9.0).  That is STM32CubeProgrammer's option-byte editor's job.
 */
static int only_alt0(struct eng *e)
{
	const size_t nt = dfuse_image_count_targets(e->img);
	dfuse_target_info ti;
	size_t i;

	for (i = 0; i < nt; i++) {
		char name[64];

		DFUSE__TRY(dfuse_image_get_target(&ti, e->img, i));
		if (ti.alt == 0)
			continue;
		dfuse__escape(name, sizeof(name), (const uint8_t *)ti.name,
			      strlen(ti.name));
		if (!(e->o->flags & DFUSE_DOWNLOAD_ALT0_ONLY))
			return dfuse__error(
				DFUSE_ENOTSUP,
				"refused before any erase or write: target %zu "
				"(\"%s\") is for alternate setting %u; only "
				"alt 0 (internal flash) is downloaded, and "
				"the other targets are left alone only when "
				"asked",
				i, name, (unsigned)ti.alt);
		say(e,
		    "target %zu (\"%s\", alt %u, %zu element%s) is left "
		    "alone: only alt 0 is downloaded",
		    i, name, (unsigned)ti.alt, ti.element_count,
		    ti.element_count == 1 ? "" : "s");
	}
	return 0;
}

/* The elements of one alt-0 target that hold bytes: refused when one
 * runs past 4 GiB, in image order. */
static int check_target(struct eng *e, const dfuse_check_options *co, size_t t)
{
	dfuse_target_info ti;
	size_t i;

	DFUSE__TRY(dfuse_image_get_target(&ti, e->img, t));
	for (i = 0; i < ti.element_count; i++) {
		dfuse_element_info ei;

		DFUSE__TRY(dfuse_image_get_element(&ei, e->img, t, i));
		if (ei.size == 0)
			continue;
		if (dfuse__range_overflows(ei.address, ei.size))
			return dfuse__error(DFUSE_ERANGE,
					    "refused: target %zu element %zu "
					    "at 0x%08X runs past 4 GiB",
					    t, i, (unsigned)ei.address);
		if (dfuse_image_get_element_core(e->img, t, i, co) ==
		    DFUSE_CORE_CM4)
			e->res->cm4_image = 1;
	}
	return 0;
}

/*
 * The data to write: the elements of every alt-0 target (files from other
 * tools may split the flash over several), sorted by address
 * (dfuse__flatten).  Elements that overlap are refused: which bytes would
 * win is not for a download to guess (dfusetool merge decides that, with
 * a message).
 */
static int collect(struct eng *e, const dfuse_check_options *co)
{
	const size_t nt = dfuse_image_count_targets(e->img);
	struct dfuse__span *s;
	dfuse_target_info ti;
	size_t t, i, n;
	int found = 0;

	for (t = 0; t < nt; t++) {
		DFUSE__TRY(dfuse_image_get_target(&ti, e->img, t));
		if (ti.alt == 0) {
			found = 1;
			DFUSE__TRY(check_target(e, co, t));
		}
	}
	if (!found)
		return dfuse__error(DFUSE_EINVAL,
				    "refused: the image has no target for "
				    "alternate setting 0");
	DFUSE__TRY(dfuse__flatten(&s, &n, e->img,
				  DFUSE__FLAT_ALT0 | DFUSE__FLAT_NO_EMPTY |
					  DFUSE__FLAT_BY_ADDRESS));
	e->el = calloc(n ? n : 1, sizeof(*e->el));
	if (e->el == NULL) {
		free(s);
		return dfuse__oom();
	}
	for (i = 0; i < n; i++) {
		e->el[i].address = s[i].address;
		e->el[i].size = (uint32_t)(s[i].end - s[i].address);
		e->el[i].data = s[i].el->data;
		e->el[i].target = s[i].target;
		e->el[i].element = s[i].element;
	}
	free(s);
	e->nel = n;
	for (i = 1; i < e->nel; i++) {
		const struct el *a = &e->el[i - 1];
		const struct el *b = &e->el[i];

		if ((uint64_t)a->address + a->size > b->address)
			return dfuse__error(
				DFUSE_EOVERLAP,
				"refused: target %zu element %zu "
				"[0x%08X, 0x%08llX) and target %zu element "
				"%zu at 0x%08X overlap",
				a->target, a->element, (unsigned)a->address,
				(unsigned long long)a->address + a->size,
				b->target, b->element, (unsigned)b->address);
	}
	return 0;
}

/* ======== 2. Plan ======== */

static int add_sector(struct eng *e, uint32_t base, uint32_t size)
{
	if (e->nsec > 0 && e->sec[e->nsec - 1].base == base)
		return 0; /* elements are sorted: duplicates are adjacent */
	if (e->nsec == e->capsec) {
		const size_t cap = e->capsec ? e->capsec * 2 : 16;
		struct sector *s = realloc(e->sec, cap * sizeof(*s));

		if (s == NULL)
			return dfuse__oom();
		e->sec = s;
		e->capsec = cap;
	}
	e->sec[e->nsec].base = base;
	e->sec[e->nsec].size = size;
	e->sec[e->nsec].skip = 0;
	e->nsec++;
	return 0;
}

/* The sectors of [a, end) within one area of `size`-byte sectors from
 * `first`. */
static int add_sectors(struct eng *e, uint32_t first, uint32_t size, uint64_t a,
		       uint64_t end)
{
	uint64_t s = first + (a - first) / size * size;

	for (; s < end; s += size)
		DFUSE__TRY(add_sector(e, (uint32_t)s, size));
	return 0;
}

/* One element against the device's layout. */
static int plan_layout(struct eng *e, const struct el *x)
{
	const unsigned readback = e->o->flags & (DFUSE_DOWNLOAD_VERIFY |
						 DFUSE_DOWNLOAD_INCREMENTAL);
	const uint64_t end = (uint64_t)x->address + x->size;
	uint64_t a = x->address;

	while (a < end) {
		dfuse_layout_segment sg;
		uint64_t sg_end, to;
		const int i = dfuse_layout_find(e->layout, (uint32_t)a);

		if (i < 0)
			return dfuse__error(
				DFUSE_EINVAL,
				"refused before any erase or write: "
				"0x%08X is outside alt 0's "
				"memory layout",
				(unsigned)a);
		DFUSE__TRY(dfuse_layout_get_segment(&sg, e->layout, (size_t)i));
		if (!sg.writable)
			return dfuse__error(
				DFUSE_EINVAL,
				"refused before any erase or write: 0x%08X "
				"lies in "
				"a segment the device reports not writable "
				"(type '%c')",
				(unsigned)a, sg.type);
		if (readback && !sg.readable)
			return dfuse__error(
				DFUSE_EINVAL,
				"refused before any erase or write: 0x%08X "
				"lies in "
				"a segment the device reports not readable "
				"(type '%c'): no verify or incremental",
				(unsigned)a, sg.type);
		sg_end = (uint64_t)sg.address +
			 (uint64_t)sg.sector_size * sg.sector_count;
		to = end < sg_end ? end : sg_end;
		if (sg.erasable)
			DFUSE__TRY(add_sectors(e, sg.address, sg.sector_size, a,
					       to));
		a = to;
	}
	return 0;
}

/* One element against the profile's flash banks (no layout given). */
static int plan_banks(struct eng *e, const struct el *x)
{
	const uint64_t end = (uint64_t)x->address + x->size;
	uint64_t a = x->address;

	while (a < end) {
		const struct bank *b = NULL;
		uint64_t b_end = 0, to;
		size_t i;

		for (i = 0; i < e->p->nbanks; i++) {
			const struct bank *c = &e->p->banks[i];
			const uint64_t c_end =
				(uint64_t)c->base +
				(uint64_t)c->sector_size * c->sector_count;

			if (a >= c->base && a < c_end) {
				b = c;
				b_end = c_end;
			}
		}
		if (b == NULL)
			return dfuse__error(
				DFUSE_EINVAL,
				"refused before any erase or write: 0x%08X is "
				"outside the flash banks of %s (give the "
				"device's layout to write other memory)",
				(unsigned)a, e->p->name);
		to = end < b_end ? end : b_end;
		DFUSE__TRY(add_sectors(e, b->base, b->sector_size, a, to));
		a = to;
	}
	return 0;
}

static int find_sector(const struct eng *e, uint32_t a)
{
	size_t lo = 0, hi = e->nsec;

	while (lo < hi) {
		const size_t mid = lo + (hi - lo) / 2;
		const struct sector *s = &e->sec[mid];

		if (a < s->base)
			hi = mid;
		else if ((uint64_t)a >= (uint64_t)s->base + s->size)
			lo = mid + 1;
		else
			return (int)mid;
	}
	return -1;
}

static int push_run(struct eng *e, size_t *cap, const struct el *x,
		    uint64_t start, uint64_t stop)
{
	if (e->nrun == *cap) {
		const size_t c = *cap ? *cap * 2 : 16;
		struct run *r = realloc(e->run, c * sizeof(*r));

		if (r == NULL)
			return dfuse__oom();
		e->run = r;
		*cap = c;
	}
	e->run[e->nrun].address = (uint32_t)start;
	e->run[e->nrun].len = (size_t)(stop - start);
	e->run[e->nrun].data = x->data + (start - x->address);
	e->nrun++;
	return 0;
}

/* The runs to write: elements, cut where a skipped sector lies. */
static int plan_runs(struct eng *e)
{
	size_t i, cap = 0;

	free(e->run);
	e->run = NULL;
	e->nrun = 0;
	for (i = 0; i < e->nel; i++) {
		const struct el *x = &e->el[i];
		const uint64_t end = (uint64_t)x->address + x->size;
		uint64_t a = x->address, start = a;
		int open = 0;

		while (a < end) {
			const int s = find_sector(e, (uint32_t)a);
			uint64_t to = end;
			int skip = 0;

			if (s >= 0) {
				const uint64_t s_end =
					(uint64_t)e->sec[s].base +
					e->sec[s].size;

				to = s_end < end ? s_end : end;
				skip = e->sec[s].skip;
			}
			if (skip && open) {
				DFUSE__TRY(push_run(e, &cap, x, start, a));
				open = 0;
			} else if (!skip && !open) {
				start = a;
				open = 1;
			}
			a = to;
		}
		if (open)
			DFUSE__TRY(push_run(e, &cap, x, start, end));
	}
	return 0;
}

static void estimate(struct eng *e)
{
	dfuse_download_result *r = e->res;
	const uint32_t word = e->p->flash_word ? e->p->flash_word : 32;
	const uint64_t ts = e->d.transfer_size ? e->d.transfer_size : 1024;
	/* the profile's sector: what its erase times are for */
	const uint64_t ref = e->p->nbanks > 0 && e->p->banks[0].sector_size
				     ? e->p->banks[0].sector_size
				     : 0x20000u;
	uint64_t erase_bytes = 0, words, blocks = 0, reads = 0;
	size_t i;

	if (e->o->flags & DFUSE_DOWNLOAD_MASS_ERASE) {
		for (i = 0; i < e->p->nbanks; i++)
			erase_bytes += (uint64_t)e->p->banks[i].sector_size *
				       e->p->banks[i].sector_count;
	} else {
		for (i = 0; i < e->nsec; i++)
			erase_bytes += e->sec[i].size;
	}
	for (i = 0; i < e->nrun; i++)
		blocks += (e->run[i].len + ts - 1) / ts;
	if (e->o->flags & DFUSE_DOWNLOAD_VERIFY)
		reads += blocks;
	words = (r->bytes + word - 1) / word;
	r->estimate_ms = erase_bytes * e->p->erase_typ_ms / ref +
			 words * e->p->word_typ_us / 1000 +
			 blocks * EST_BLOCK_WRITE_MS +
			 reads * EST_BLOCK_READ_MS;
	r->estimate_max_ms = erase_bytes * e->p->erase_max_ms / ref +
			     words * e->p->word_max_us / 1000 +
			     blocks * EST_BLOCK_WRITE_MS +
			     reads * EST_BLOCK_READ_MS;
}

static int plan(struct eng *e)
{
	size_t i;

	for (i = 0; i < e->nel; i++) {
		if (e->layout != NULL)
			DFUSE__TRY(plan_layout(e, &e->el[i]));
		else
			DFUSE__TRY(plan_banks(e, &e->el[i]));
		e->res->bytes += e->el[i].size;
	}
	DFUSE__TRY(plan_runs(e));
	e->res->sectors = e->nsec;
	e->res->runs = e->nrun;
	estimate(e);
	return 0;
}

/* ======== 4. Incremental ======== */

static int stop_requested(struct eng *e, uint32_t at);

/* What a full download leaves in sector s: 0xFF plus the image. */
static void expected(const struct eng *e, const struct sector *s, uint8_t *buf)
{
	const uint64_t s_end = (uint64_t)s->base + s->size;
	size_t i;

	memset(buf, 0xff, s->size);
	for (i = 0; i < e->nel; i++) {
		const struct el *x = &e->el[i];
		const uint64_t x_end = (uint64_t)x->address + x->size;
		const uint64_t lo = x->address > s->base ? x->address : s->base;
		const uint64_t hi = x_end < s_end ? x_end : s_end;

		if (lo < hi)
			memcpy(buf + (lo - s->base),
			       x->data + (lo - x->address), (size_t)(hi - lo));
	}
}

/* Does the image write byte a? */
static int in_image(const struct eng *e, uint32_t a)
{
	size_t i;

	for (i = 0; i < e->nel; i++)
		if (e->el[i].address <= a &&
		    (uint64_t)a < (uint64_t)e->el[i].address + e->el[i].size)
			return 1;
	return 0;
}

/*
 * Reads sector s whole and compares it with what a full download leaves
 * there (expected()): the one comparison of INCREMENTAL and of
 * dfuse__verify().  One sector's memory at a time, never the flash's.
 * `what` prefixes a read error ("incremental read: ").
 */
static int compare_sector(struct eng *e, const struct sector *s,
			  dfuse_verify_sector *v, const char *what)
{
	uint8_t *want = malloc(s->size ? s->size : 1);
	uint8_t *have = malloc(s->size ? s->size : 1);
	int rc = 0;

	memset(v, 0, sizeof(*v));
	v->address = s->base;
	v->size = s->size;
	if (want == NULL || have == NULL) {
		rc = dfuse__oom();
	} else {
		expected(e, s, want);
		rc = dfuse__dfu_read(have, &e->d, s->base, s->size);
		if (rc < 0)
			rc = dfuse__error_prefix("%s", what);
	}
	if (rc == 0) {
		size_t k, first = s->size;

		for (k = 0; k < s->size; k++)
			if (want[k] != have[k]) {
				if (first == s->size)
					first = k;
				v->differing_bytes++;
			}
		v->equal = first == s->size;
		if (!v->equal) {
			v->first_difference = s->base + (uint32_t)first;
			v->device_byte = have[first];
			v->expected_byte = want[first];
			v->in_image = in_image(e, v->first_difference);
		}
		e->phase_done += s->size;
	}
	free(want);
	free(have);
	return rc;
}

static uint64_t sectors_total(const struct eng *e)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < e->nsec; i++)
		total += e->sec[i].size;
	return total;
}

static int compare_sectors(struct eng *e)
{
	size_t i;

	phase_begin(e, DFUSE_PHASE_READ, sectors_total(e));
	for (i = 0; i < e->nsec; i++) {
		struct sector *s = &e->sec[i];
		dfuse_verify_sector v;

		DFUSE__TRY(stop_requested(e, s->base));
		DFUSE__TRY(compare_sector(e, s, &v, "incremental read: "));
		s->skip = v.equal;
		e->res->sectors_skipped += (size_t)s->skip;
		e->res->bytes_compared += s->size;
	}
	return 0;
}

/* ======== 5. Erase ======== */

/* One sector, with the bank-2 recovery (erase.c). */
static int erase_sector(struct eng *e, const struct sector *s)
{
	int recovered = 0;

	DFUSE__TRY(dfuse__erase_sector(&recovered, &e->d, s->base, s->size,
				       e->o->log, e->o->payload));
	if (recovered)
		e->res->sectors_recovered++;
	return 0;
}

/* The caller's cancel callback, as the request layer sees it. */
static int engine_cancel(void *payload)
{
	const struct eng *e = payload;

	return e->o->cancel != NULL && e->o->cancel(e->o->payload);
}

/* Between sectors and runs: stop cleanly when asked (Ctrl-C). */
static int stop_requested(struct eng *e, uint32_t at)
{
	if (!engine_cancel(e))
		return 0;
	(void)dfuse__dfu_abort(&e->d);
	return dfuse__error(DFUSE_ECANCELED,
			    "interrupted before 0x%08X; DFU_ABORT sent, the "
			    "device is idle: run the download again to finish",
			    (unsigned)at);
}
static int erase(struct eng *e)
{
	size_t i, n = 0, done = 0;

	if (e->o->flags & DFUSE_DOWNLOAD_MASS_ERASE) {
		phase_begin(e, DFUSE_PHASE_ERASE, 1);
		if (dfuse__dfu_mass_erase(&e->d) < 0)
			return dfuse__error_prefix("mass erase: ");
		e->res->mass_erased = 1;
		report(e, DFUSE_PHASE_ERASE, 1, 1);
		return 0;
	}
	for (i = 0; i < e->nsec; i++)
		n += !e->sec[i].skip;
	phase_begin(e, DFUSE_PHASE_ERASE, n);
	for (i = 0; i < e->nsec; i++) {
		const struct sector *s = &e->sec[i];

		if (s->skip)
			continue;
		DFUSE__TRY(stop_requested(e, s->base));
		DFUSE__TRY(erase_sector(e, s));
		e->res->sectors_erased++;
		report(e, DFUSE_PHASE_ERASE, ++done, n);
	}
	return 0;
}

/* ======== 6. Write, 7. Verify ======== */

static int write_runs(struct eng *e)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < e->nrun; i++)
		total += e->run[i].len;
	phase_begin(e, DFUSE_PHASE_WRITE, total);
	for (i = 0; i < e->nrun; i++) {
		const struct run *r = &e->run[i];

		DFUSE__TRY(stop_requested(e, r->address));
		if (dfuse__dfu_write(&e->d, r->address, r->data, r->len) < 0)
			return dfuse__error_prefix("write: ");
		e->res->bytes_written += r->len;
		e->phase_done += r->len;
	}
	return 0;
}

static int verify_runs(struct eng *e)
{
	uint64_t total = 0;
	uint8_t *buf = malloc(VERIFY_CHUNK);
	size_t i;
	int rc = 0;

	if (buf == NULL)
		return dfuse__oom();
	for (i = 0; i < e->nrun; i++)
		total += e->run[i].len;
	phase_begin(e, DFUSE_PHASE_VERIFY, total);
	for (i = 0; i < e->nrun && rc == 0; i++) {
		const struct run *r = &e->run[i];
		size_t off = 0;

		while (off < r->len && rc == 0) {
			const size_t left = r->len - off;
			const size_t n =
				left < VERIFY_CHUNK ? left : VERIFY_CHUNK;
			const uint32_t a = r->address + (uint32_t)off;
			size_t k;

			if (dfuse__dfu_read(buf, &e->d, a, n) < 0) {
				rc = dfuse__error_prefix("verify: ");
				break;
			}
			for (k = 0; k < n; k++)
				if (buf[k] != r->data[off + k])
					break;
			if (k < n) {
				rc = dfuse__error(
					DFUSE_EDEVICE,
					"verify: 0x%08X reads 0x%02X, the "
					"image has 0x%02X",
					(unsigned)(a + k), (unsigned)buf[k],
					(unsigned)r->data[off + k]);
				break;
			}
			off += n;
			e->res->bytes_verified += n;
			e->phase_done += n;
		}
	}
	free(buf);
	return rc;
}

/* ======== 8. Leave ======== */

static uint32_t leave_address(const struct eng *e)
{
	uint32_t a = e->o->leave_address;

	if (a == 0)
		a = e->o->boot_cm7;
	/* the board's own CM7 boot address, when it is in flash (one in
	 * system memory would jump the ROM into itself) */
	if (a == 0 && e->board != NULL && e->board->state == DFUSE_BOARD_READ &&
	    (e->p->cores & DFUSE_CORE_BIT(DFUSE_CORE_CM7))) {
		const int g = dfuse_profile_find_region(
			e->p, e->board->ob.boot_cm7_add0);

		if (g >= 0 && e->p->regions[g].kind == DFUSE_MEM_FLASH)
			a = e->board->ob.boot_cm7_add0;
	}
	if (a == 0)
		a = dfuse_profile_get_boot_address(e->p, DFUSE_CORE_CM7);
	if (a == 0)
		a = e->el[0].address;
	return a;
}

/*
 * The leave request, and what it did.  A leave the device did not
 * confirm (dfu_proto gives how = DFUSE_LEFT_UNCONFIRMED with the error:
 * it is still there, e.g. in dfuMANIFEST-SYNC) is a failure whose
 * message says what is done and what is not: the image is written (and
 * verified) but does not run until the board is reset.  "left DFU mode"
 * is said only when it did leave.
 */
static int leave(struct eng *e)
{
	int how = DFUSE_LEFT_NONE;

	e->res->leave_address = leave_address(e);
	if (dfuse__dfu_leave(&how, &e->d, 1, e->res->leave_address) < 0) {
		char why[384];

		if (how != DFUSE_LEFT_UNCONFIRMED)
			return dfuse__error_prefix("leave: ");
		snprintf(why, sizeof(why), "%s", dfuse_error_last()->message);
		e->res->left = 0;
		e->res->left_how = DFUSE_LEFT_UNCONFIRMED;
		return dfuse__error(
			DFUSE_EDEVICE,
			"leave: the image is written%s, but the leave request "
			"(to 0x%08X) was not confirmed: the device is still in "
			"DFU mode and has not started the image; reset the "
			"board (%s)",
			(e->o->flags & DFUSE_DOWNLOAD_VERIFY) ? " and verified"
							      : "",
			(unsigned)e->res->leave_address, why);
	}
	e->res->left = 1;
	e->res->left_how = how;
	say(e, "left DFU mode: the CM7 starts at 0x%08X",
	    (unsigned)e->res->leave_address);
	if (e->res->cm4_image)
		say(e, "the CM4 starts only after a board reset: the ROM "
		       "jumps the CM7 alone");
	return 0;
}

/* ======== The engine ======== */

static int work(struct eng *e, dfuse_report **report_out)
{
	const unsigned f = e->o->flags;
	dfuse_check_options co;

	check_options(&co, e);
	DFUSE__TRY(only_alt0(e));
	DFUSE__TRY(run_check(e, &co, report_out));
	if ((f & DFUSE_DOWNLOAD_INCREMENTAL) && (f & DFUSE_DOWNLOAD_MASS_ERASE))
		return dfuse__error(DFUSE_EINVAL,
				    "refused: incremental and mass erase "
				    "exclude each other");
	DFUSE__TRY(collect(e, &co));
	if (e->nel == 0)
		return dfuse__error(DFUSE_EINVAL,
				    "refused: alt 0 holds no data");
	DFUSE__TRY(plan(e));
	if (f & DFUSE_DOWNLOAD_DRY_RUN) {
		say(e,
		    "plan: %zu sector%s to erase, %llu bytes in %zu run%s, "
		    "about %llu ms (at most %llu ms)",
		    e->nsec, e->nsec == 1 ? "" : "s",
		    (unsigned long long)e->res->bytes, e->nrun,
		    e->nrun == 1 ? "" : "s",
		    (unsigned long long)e->res->estimate_ms,
		    (unsigned long long)e->res->estimate_max_ms);
		return 0;
	}
	if (dfuse__dfu_enter_idle(NULL, &e->d) < 0)
		return dfuse__error_prefix("enter dfuIDLE: ");
	if (f & DFUSE_DOWNLOAD_INCREMENTAL) {
		DFUSE__TRY(compare_sectors(e));
		DFUSE__TRY(plan_runs(e));
		if (e->res->sectors_skipped > 0)
			say(e,
			    "incremental: %zu of %zu sector%s already "
			    "equal the image, skipped",
			    e->res->sectors_skipped, e->nsec,
			    e->nsec == 1 ? "" : "s");
	}
	DFUSE__TRY(erase(e));
	DFUSE__TRY(write_runs(e));
	if (f & DFUSE_DOWNLOAD_VERIFY)
		DFUSE__TRY(verify_runs(e));
	if (f & DFUSE_DOWNLOAD_LEAVE)
		DFUSE__TRY(leave(e));
	return 0;
}

int dfuse__download(dfuse_download_result *out, dfuse_report **report_out,
		    const struct dfuse__dfu *d, const dfuse_image *img,
		    const dfuse_download_options *opts,
		    const dfuse_layout *layout, const dfuse_board *board)
{
	struct eng e;
	int rc;

	if (report_out != NULL)
		*report_out = NULL;
	if (out == NULL || d == NULL || img == NULL || opts == NULL)
		return dfuse__error(DFUSE_EINVAL, "download: NULL argument");
	{
		const unsigned int version = out->version;

		memset(out, 0, sizeof(*out));
		out->version = version;
	}
	out->board_state = board != NULL ? board->state : DFUSE_BOARD_UNKNOWN;
	/* a file whose counts, bytes or CRC do not add up: nothing sent */
	if (img->read_errors > 0)
		return dfuse__image_check_data(img);
	memset(&e, 0, sizeof(e));
	e.d = *d;
	e.d.progress = proto_progress;
	e.d.payload = &e;
	e.d.cancel = opts->cancel != NULL ? engine_cancel : NULL;
	e.o = opts;
	e.res = out;
	e.layout = layout;
	e.board = board;
	e.img = img;
	e.p = opts->profile != NULL ? opts->profile : dfuse_profile_default();
	rc = work(&e, report_out);
	free(e.el);
	free(e.sec);
	free(e.run);
	return rc < 0 ? rc : 0;
}

/* ======== Verify (dfuse__verify) ======== */

/*
 * The same refusals and plan as a download, with nothing erased or
 * written: alt 0 only (other targets are left alone), the checks (with
 * DFUSE_CHECK_READBACK: VERIFY makes the plan refuse unreadable
 * segments), collect, plan; then dfuIDLE and each sector through
 * compare_sector(), the code INCREMENTAL uses.  Data UPLOADs per sector:
 * ceil(size / wTransferSize) (dfu_proto reads a run in blocks of
 * wTransferSize).
 */
static int verify_work(struct eng *e, dfuse_usb_result *out,
		       void (*sector)(void *payload,
				      const dfuse_verify_sector *s),
		       void *payload)
{
	const uint64_t ts = e->d.transfer_size ? e->d.transfer_size : 1;
	dfuse_check_options co;
	size_t i;

	check_options(&co, e);
	DFUSE__TRY(only_alt0(e));
	DFUSE__TRY(run_check(e, &co, NULL));
	DFUSE__TRY(collect(e, &co));
	if (e->nel == 0)
		return dfuse__error(DFUSE_EINVAL,
				    "refused: alt 0 holds no data");
	DFUSE__TRY(plan(e));
	out->sectors = e->nsec;
	if (dfuse__dfu_enter_idle(NULL, &e->d) < 0)
		return dfuse__error_prefix("enter dfuIDLE: ");
	phase_begin(e, DFUSE_PHASE_READ, sectors_total(e));
	for (i = 0; i < e->nsec; i++) {
		const struct sector *s = &e->sec[i];
		dfuse_verify_sector v;
		int rc;

		DFUSE__TRY(stop_requested(e, s->base));
		rc = compare_sector(e, s, &v, "verify read: ");
		if (rc == DFUSE_EPROTECTED)
			out->read_protected = 1;
		if (rc < 0)
			return rc;
		out->bytes_read += s->size;
		out->transfers += (size_t)((s->size + ts - 1) / ts);
		out->sectors_equal += (size_t)v.equal;
		if (sector != NULL)
			sector(payload, &v);
	}
	return 0;
}

int dfuse__verify(dfuse_usb_result *out, const struct dfuse__dfu *d,
		  const dfuse_image *img, const dfuse_usb_options *opts,
		  const dfuse_layout *layout,
		  void (*sector)(void *payload, const dfuse_verify_sector *s))
{
	dfuse_download_options dl = DFUSE_DOWNLOAD_OPTIONS_INIT;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
	struct eng e;
	int rc;

	if (out == NULL || d == NULL || img == NULL || opts == NULL)
		return dfuse__error(DFUSE_EINVAL, "verify: NULL argument");
	DFUSE__TRY(dfuse__check_version("dfuse_usb_options", opts->version,
					DFUSE_USB_OPTIONS_VERSION));
	{
		const unsigned int version = out->version;

		memset(out, 0, sizeof(*out));
		out->version = version;
	}
	if (img->read_errors > 0)
		return dfuse__image_check_data(img);
	/* the download options the shared steps read */
	dl.flags = DFUSE_DOWNLOAD_VERIFY | DFUSE_DOWNLOAD_ALT0_ONLY;
	dl.profile = opts->profile;
	dl.progress = opts->progress;
	dl.log = opts->log;
	dl.payload = opts->payload;
	dl.cancel = opts->cancel;
	memset(&e, 0, sizeof(e));
	e.d = *d;
	e.d.progress = proto_progress;
	e.d.payload = &e;
	e.d.cancel = opts->cancel != NULL ? engine_cancel : NULL;
	e.o = &dl;
	e.res = &res;
	e.layout = layout;
	e.img = img;
	e.p = opts->profile != NULL ? opts->profile : dfuse_profile_default();
	rc = verify_work(&e, out, sector, opts->payload);
	free(e.el);
	free(e.sec);
	free(e.run);
	return rc < 0 ? rc : 0;
}
