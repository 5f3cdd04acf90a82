/*
 * erase.c - erasing flash through the H7 ROM, bank-2 recovery included:
 * the deadlines from a device profile's flash timing, and one sector's
 * erase that a stuck ROM cannot turn into a silent failure.  download.c
 * (and every command that erases) uses it, so there is one recovery.
 *
 * The bug: on dual-bank H7 parts the ROM bootloader stays dfuDNBUSY after
 * the erase of a bank-2 sector, past any sane deadline (AN2606 Table 136:
 * fixed in bootloader V9.1; doc/sources.md, Observed: CLRSTATUS twice gives
 * dfuIDLE).  dfu_proto.c does the protocol part: past the worst-case erase
 * time (the stuck deadline) it sends DFU_CLRSTATUS until dfuIDLE, at most
 * twice, and flags the erase DFUSE__DFU_RECOVERED.  This file does the
 * rest: a recovered sector must read back all 0xFF; if it does not, the
 * CLRSTATUS may have cut a slow erase short, so the erase is sent once
 * more, and a second failure is DFUSE_EDEVICE naming the address and the
 * byte found.  One log line says what happened either way.
 *
 * dfuse__erase() (board.h) is dfuse_usb_erase() over a session: the sectors
 * of the alt-0 layout meeting the ranges, planned before anything is sent;
 * the board read first (read protection refuses, write-protected sectors
 * in scope refuse unless asked), then each sector erased as above.
 */
#include "erase.h"
#include "board.h"
#include "err.h"
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>

void dfuse__erase_timing(struct dfuse__dfu *d, const dfuse_profile *p)
{
	uint64_t sectors = 0, mass;
	size_t i;

	if (p == NULL)
		p = dfuse_profile_default();
	for (i = 0; i < p->nbanks; i++)
		sectors += p->banks[i].sector_count;
	/* A failure deadline: twice the worst case.  Where the stuck bug
	 * may strike, the recovery starts after the worst case itself
	 * (INFERRED, doc/sources.md; wait_busy adds the device's
	 * bwPollTimeout). */
	d->erase_deadline_ms = 2 * p->erase_max_ms;
	d->stuck_deadline_ms = p->erase_max_ms;
	mass = 2 * sectors * p->erase_max_ms;
	d->mass_erase_deadline_ms =
		mass > DFUSE__DFU_MASS_ERASE_DEADLINE_MS
			? (uint32_t)(mass < UINT32_MAX ? mass : UINT32_MAX)
			: DFUSE__DFU_MASS_ERASE_DEADLINE_MS;
	d->stuck_recovery = p->stuck_erase_from != 0;
	d->stuck_from = p->stuck_erase_from;
}

/*
 * After the bank-2 recovery: the sector must read back blank.
 * @return 0 when blank, 1 when not (*at and *byte say where and what), or
 *         a transfer error.
 */
static int read_blank(const struct dfuse__dfu *d, uint32_t base, uint32_t size,
		      uint32_t *at, unsigned *byte)
{
	uint8_t *buf = malloc(size);
	size_t i;
	int rc;

	if (buf == NULL)
		return dfuse__oom();
	rc = dfuse__dfu_read(buf, d, base, size);
	if (rc < 0) {
		free(buf);
		return dfuse__error_prefix("erase: reading back the sector at "
					   "0x%08X after the bank-2 "
					   "recovery: ",
					   (unsigned)base);
	}
	for (i = 0; i < size; i++)
		if (buf[i] != 0xff)
			break;
	rc = i < size;
	if (rc) {
		*at = (uint32_t)(base + i);
		*byte = buf[i];
	}
	free(buf);
	return rc;
}

/*
 * One sector.  A stuck erase the recovery ended must read back blank.  If
 * it does not, the CLRSTATUS may have cut a slow erase short (the
 * recovery deadline is the datasheet worst case, and a ROM is free to be
 * slower): the erase is sent once more before giving up.
 */
int dfuse__erase_sector(int *recovered, const struct dfuse__dfu *d,
			uint32_t base, uint32_t size,
			void (*log)(void *payload, const char *line),
			void *payload)
{
	uint32_t at = 0;
	unsigned flags = 0, byte = 0;
	int attempt, rc = 0;

	*recovered = 0;
	for (attempt = 1; attempt <= 2; attempt++) {
		if (dfuse__dfu_erase(&flags, d, base) < 0)
			return dfuse__error_prefix("erase: ");
		if (!(flags & DFUSE__DFU_RECOVERED))
			return 0;
		rc = read_blank(d, base, size, &at, &byte);
		if (rc <= 0)
			break;
		dfuse__logf(log, payload,
			    "0x%08X: the ROM stayed busy after the erase (H7 "
			    "bank-2 bug) and the sector is not blank after "
			    "DFU_CLRSTATUS twice (0x%08X reads 0x%02X)%s",
			    (unsigned)base, (unsigned)at, byte,
			    attempt == 1 ? "; erasing it again" : "");
	}
	if (rc < 0)
		return rc;
	if (rc > 0)
		return dfuse__error(
			DFUSE_EDEVICE,
			"erase: 0x%08X: the ROM stayed busy after the erase "
			"(H7 bank-2 bug) and after DFU_CLRSTATUS twice the "
			"sector is not blank, twice: 0x%08X reads 0x%02X",
			(unsigned)base, (unsigned)at, byte);
	*recovered = 1;
	dfuse__logf(
		log, payload,
		"0x%08X: the ROM stayed busy after the erase (H7 bank-2 bug); "
		"cleared with DFU_CLRSTATUS twice, the sector reads back blank",
		(unsigned)base);
	return 0;
}

/* ======== Erasing chosen sectors (dfuse_usb_erase()) ======== */

struct sector {
	uint32_t base, size;
};

static int by_base(const void *a, const void *b)
{
	const struct sector *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/* At most this many sectors in one erase (the H745 has 16). */
#define MAX_SECTORS 65536u

/*
 * The sectors meeting the ranges, each once, in address order.
 * @param[out] out caller frees
 */
static int plan(struct sector **out, size_t *count, const dfuse_layout *layout,
		const dfuse_profile *p, const uint32_t *start,
		const uint64_t *end, size_t nranges)
{
	struct sector *list = NULL;
	size_t i, n = 0, cap = 0, k;

	*out = NULL;
	*count = 0;
	for (i = 0; i < nranges; i++)
		DFUSE__TRY(dfuse__check_areas(layout, p, start[i], end[i], 1,
					      "erase"));
	for (i = 0; i < nranges; i++) {
		uint64_t a = start[i];

		while (a < end[i]) {
			struct dfuse__area area;
			uint64_t base;

			if (dfuse__area_at(&area, layout, p, (uint32_t)a) < 0 ||
			    area.sector_size == 0)
				break; /* not reached: checked above */
			base = area.base + (a - area.base) / area.sector_size *
						   area.sector_size;
			if (n == cap) {
				struct sector *grown;

				if (cap >= MAX_SECTORS) {
					free(list);
					return dfuse__error(
						DFUSE_ETOOBIG,
						"erase: refused before any "
						"transfer: over %u sectors",
						MAX_SECTORS);
				}
				cap = cap ? 2 * cap : 16;
				grown = realloc(list, cap * sizeof(*list));
				if (grown == NULL) {
					free(list);
					return dfuse__oom();
				}
				list = grown;
			}
			list[n].base = (uint32_t)base;
			list[n].size = area.sector_size;
			n++;
			a = base + area.sector_size;
		}
	}
	if (n > 0)
		qsort(list, n, sizeof(*list), by_base);
	for (i = k = 0; i < n; i++)
		if (k == 0 || list[i].base != list[k - 1].base)
			list[k++] = list[i];
	*out = list;
	*count = k;
	return 0;
}

/*
 * Write protection (RM0399 FLASH_WPSN_CUR1R/CUR2R: one bit per 128 KiB
 * sector of each bank window) against the plan.  AN3156: the ROM reports
 * no error when it erases a protected sector, so such an erase would look
 * done while nothing changed: refused before any erase, naming them.  A
 * window whose protection the block does not hold (a 128-byte read has no
 * bank-2 words) is said in one log line, never taken as unprotected.
 */
static int check_protection(const struct sector *list, size_t n,
			    const dfuse_board *board, const dfuse_profile *p,
			    const dfuse_usb_options *opts)
{
	char names[512];
	size_t i, used = 0, hit = 0;
	int said[2] = {0, 0};

	names[0] = '\0';
	for (i = 0; i < n; i++) {
		dfuse_flash_location loc;
		unsigned win;
		int wrote;

		if (dfuse_profile_locate(&loc, p, list[i].base) < 0 ||
		    loc.bank < 1 || loc.bank > 2 || loc.sector >= 8)
			continue;
		win = loc.bank - 1;
		if (!board->ob.wrp_known[win]) {
			if (!said[win])
				dfuse__logf(
					opts->log, opts->payload,
					"the write protection of bank %u is "
					"not known (the option bytes read "
					"hold %zu bytes); an erase of a "
					"protected sector there would report "
					"no error",
					win + 1, board->ob.decoded);
			said[win] = 1;
			continue;
		}
		if (!(board->ob.wrp_sectors[win] & (1u << loc.sector)))
			continue;
		hit++;
		wrote = snprintf(names + used, sizeof(names) - used,
				 "%ssector %u at 0x%08X", hit > 1 ? ", " : "",
				 (unsigned)loc.sector, (unsigned)list[i].base);
		if (wrote > 0 && (size_t)wrote < sizeof(names) - used)
			used += (size_t)wrote;
	}
	if (hit == 0 || (opts->flags & DFUSE_USB_ERASE_PROTECTED))
		return 0;
	return dfuse__error(DFUSE_EINVAL,
			    "erase: refused before any erase: %zu write-"
			    "protected sector%s in scope (%s); the ROM reports "
			    "no error when it erases a protected sector, so "
			    "the erase would look done while nothing changed",
			    hit, hit == 1 ? "" : "s", names);
}

int dfuse__erase(dfuse_usb_result *out, const struct dfuse__dfu *d,
		 const struct dfuse__usb_alt *alts, size_t n,
		 const uint32_t *start, const uint64_t *end, size_t count,
		 const dfuse_usb_options *opts,
		 void (*planned)(void *payload, uint32_t base, uint32_t size))
{
	static const dfuse_usb_options none = DFUSE_USB_OPTIONS_INIT;
	const dfuse_profile *p;
	struct dfuse__dfu s = *d;
	dfuse_layout *layout = NULL;
	dfuse_board *board = NULL;
	struct sector *list = NULL;
	size_t nsec = 0, i;
	int rc, recovered;

	if (opts == NULL)
		opts = &none;
	p = opts->profile != NULL ? opts->profile : dfuse_profile_default();
	if (count == 0 || start == NULL || end == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "erase: refused: no range to erase");
	DFUSE__TRY(dfuse__alt0_layout(&layout, alts, n));
	rc = plan(&list, &nsec, layout, p, start, end, count);
	dfuse_layout_free(layout);
	if (rc < 0)
		return rc;
	out->sectors = nsec;
	for (i = 0; i < nsec && planned != NULL; i++)
		planned(opts->payload, list[i].base, list[i].size);
	if (opts->flags & DFUSE_USB_DRY_RUN)
		goto done;
	board = malloc(sizeof(*board));
	if (board == NULL) {
		rc = dfuse__oom();
		goto done;
	}
	rc = dfuse__read_board(board, &s, alts, n, 0);
	if (rc < 0)
		goto done;
	if (board->state == DFUSE_BOARD_PROTECTED) {
		out->read_protected = 1;
		rc = dfuse__error(DFUSE_EPROTECTED,
				  "erase: refused before any erase: %s",
				  board->why);
		goto done;
	}
	if (board->state == DFUSE_BOARD_READ)
		rc = check_protection(list, nsec, board, p, opts);
	else
		dfuse__logf(opts->log, opts->payload,
			    "the option bytes were not read (%s): write "
			    "protection is not checked",
			    board->why);
	if (rc < 0)
		goto done;
	dfuse__erase_timing(&s, p);
	for (i = 0; i < nsec; i++) {
		if (opts->cancel != NULL && opts->cancel(opts->payload)) {
			(void)dfuse__dfu_abort(&s);
			rc = dfuse__error(
				DFUSE_ECANCELED,
				"erase: interrupted before the sector "
				"at 0x%08X; DFU_ABORT sent, %zu of "
				"%zu sectors erased",
				(unsigned)list[i].base, i, nsec);
			goto done;
		}
		rc = dfuse__erase_sector(&recovered, &s, list[i].base,
					 list[i].size, opts->log,
					 opts->payload);
		if (rc < 0)
			goto done;
		out->sectors_erased++;
		out->sectors_recovered += (size_t)recovered;
		if (opts->progress != NULL)
			opts->progress(opts->payload, DFUSE_PHASE_ERASE, i + 1,
				       nsec);
	}
	rc = dfuse__dfu_enter_idle(NULL, &s);
done:
	free(board);
	free(list);
	return rc;
}
