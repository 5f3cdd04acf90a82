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
 */
#include "erase.h"
#include "err.h"
#include "profile.h"

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
