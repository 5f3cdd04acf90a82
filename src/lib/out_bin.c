/*
 * out_bin.c - one target -> raw binary (dfuse_write_as()).
 *
 * A raw binary is the bytes from the target's lowest address to its
 * highest, with neither an address nor a hole: the address is the
 * caller's to remember (dfusetool puts it in the file name), and a gap
 * between elements is refused with what it would cost, unless
 * DFUSE_WRITE_FILL fills it.  The fill is streamed, never allocated, so a
 * sparse image costs disk, not memory.
 */
#include "err.h"
#include "image.h"
#include "sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Describes the first gap and the size a filled file would have. */
static int refuse_gap(const struct target *t, const size_t *order, size_t n,
		      size_t target)
{
	uint64_t lo = 0, hi = 0, prev_end = 0, gap_lo = 0, gap_hi = 0;
	size_t k, gaps = 0, first = 1;
	char more[48];

	for (k = 0; k < n; k++) {
		const struct element *e = &t->el[order[k]];
		uint64_t end = (uint64_t)e->address + e->size;

		if (e->size == 0)
			continue;
		if (first) {
			lo = e->address;
			first = 0;
		} else if (e->address > prev_end) {
			if (gaps++ == 0) {
				gap_lo = prev_end;
				gap_hi = e->address;
			}
		}
		if (end > prev_end)
			prev_end = end;
		hi = prev_end;
	}
	if (gaps == 0)
		return 0;
	more[0] = '\0';
	if (gaps > 1)
		snprintf(more, sizeof(more), " and %zu more gap%s", gaps - 1,
			 gaps > 2 ? "s" : "");
	return dfuse__error(
		DFUSE_ERANGE,
		"target %zu has a gap at 0x%08llx-0x%08llx (%llu bytes)%s, "
		"which a raw binary cannot hold; filled, the file would be "
		"%llu bytes (0x%08llx-0x%08llx)",
		target, (unsigned long long)gap_lo,
		(unsigned long long)(gap_hi - 1),
		(unsigned long long)(gap_hi - gap_lo), more,
		(unsigned long long)(hi - lo), (unsigned long long)lo,
		(unsigned long long)(hi - 1));
}

static int fill(struct dfuse__sink *s, uint8_t byte, uint64_t n)
{
	uint8_t buf[4096];

	memset(buf, byte, sizeof(buf));
	while (n > 0) {
		size_t chunk = n < sizeof(buf) ? (size_t)n : sizeof(buf);

		DFUSE__TRY(dfuse__sink_put(s, buf, chunk));
		n -= chunk;
	}
	return 0;
}

int dfuse__bin_emit(struct dfuse__sink *s, const dfuse_image *img,
		    const dfuse_write_options *opts)
{
	const struct target *t;
	size_t *order = NULL, n, k;
	uint64_t at = 0;
	int rc = 0, started = 0;

	DFUSE__TRY(dfuse__target_in_order(&order, &n, img, opts->target));
	t = &img->t[opts->target];
	if (!(opts->flags & DFUSE_WRITE_FILL))
		rc = refuse_gap(t, order, n, opts->target);
	for (k = 0; k < n && rc == 0; k++) {
		const struct element *e = &t->el[order[k]];

		if (e->size == 0)
			continue;
		if (started && e->address > at)
			rc = fill(s, opts->fill, e->address - at);
		if (rc == 0)
			rc = dfuse__sink_put(s, e->data, e->size);
		at = (uint64_t)e->address + e->size;
		started = 1;
	}
	free(order);
	return rc;
}
