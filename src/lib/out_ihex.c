/*
 * out_ihex.c - one target -> Intel HEX text (dfuse_write_as()).
 *
 * in_ihex.c has the record layout.  What is written, in this order:
 *
 *   :02000004UUUUCC    extended linear address: the upper 16 bits of the
 *                      addresses that follow; before the first data record
 *                      and whenever the data reaches another 64 KiB
 *                      segment (a boundary crossed inside an element, or a
 *                      jump to an element in another segment)
 *   :LLAAAA00DD..CC    data, up to 16 bytes per record (as objcopy and
 *                      most toolchains write), elements in address order;
 *                      a record never crosses a 64 KiB boundary, because
 *                      readers wrap its offset inside the segment
 *   :04000005EEEEEEEECC  start linear address, only if the image has an
 *                      entry point (HEX 05, S-record S7, ELF e_entry)
 *   :00000001FF        end of file
 *
 * Upper-case digits and LF line ends (srec_cat's choice; objcopy writes
 * CRLF, and every reader takes both).
 */
#include "err.h"
#include "image.h"
#include "sink.h"

#include <stdlib.h>

#define PER_RECORD 16

/* Writes one record: ':' LL AAAA TT data CC '\n'. */
static int record(struct dfuse__sink *s, unsigned type, unsigned offset,
		  const uint8_t *data, size_t n)
{
	char line[1 + 2 * (4 + PER_RECORD + 1) + 1];
	unsigned sum = (unsigned)n + (offset >> 8) + (offset & 0xFFu) + type;
	size_t k = 0, i;

	line[k++] = ':';
	dfuse__hex_byte(line + k, (unsigned)n);
	dfuse__hex_byte(line + k + 2, offset >> 8);
	dfuse__hex_byte(line + k + 4, offset & 0xFFu);
	dfuse__hex_byte(line + k + 6, type);
	k += 8;
	for (i = 0; i < n; i++) {
		dfuse__hex_byte(line + k, data[i]);
		sum += data[i];
		k += 2;
	}
	/* the checksum makes the sum of every byte 0 (mod 256) */
	dfuse__hex_byte(line + k, (0x100u - (sum & 0xFFu)) & 0xFFu);
	k += 2;
	line[k++] = '\n';
	return dfuse__sink_put(s, line, k);
}

static int ext_linear(struct dfuse__sink *s, uint32_t upper)
{
	const uint8_t v[2] = {(uint8_t)(upper >> 8), (uint8_t)upper};

	return record(s, 0x04, 0, v, 2);
}

int dfuse__ihex_emit(struct dfuse__sink *s, const dfuse_image *img,
		     const dfuse_write_options *opts)
{
	const struct target *t;
	size_t *order = NULL, n, k;
	uint64_t segment = UINT64_MAX; /* upper 16 bits in force; none yet */
	uint32_t entry;
	int rc = 0;

	DFUSE__TRY(dfuse__target_in_order(&order, &n, img, opts->target));
	t = &img->t[opts->target];
	for (k = 0; k < n && rc == 0; k++) {
		const struct element *e = &t->el[order[k]];
		uint64_t a = e->address;
		size_t done = 0;

		while (done < e->size && rc == 0) {
			size_t chunk = e->size - done;
			size_t room = 0x10000u - (size_t)(a & 0xFFFFu);

			if (a >> 16 != segment) {
				segment = a >> 16;
				rc = ext_linear(s, (uint32_t)segment);
				if (rc < 0)
					break;
			}
			if (chunk > PER_RECORD)
				chunk = PER_RECORD;
			if (chunk > room)
				chunk = room;
			rc = record(s, 0x00, (unsigned)(a & 0xFFFFu),
				    e->data + done, chunk);
			done += chunk;
			a += chunk;
		}
	}
	free(order);
	if (rc < 0)
		return rc;
	if (dfuse_image_get_entry(&entry, img)) {
		const uint8_t v[4] = {(uint8_t)(entry >> 24),
				      (uint8_t)(entry >> 16),
				      (uint8_t)(entry >> 8), (uint8_t)entry};

		DFUSE__TRY(record(s, 0x05, 0, v, 4));
	}
	return record(s, 0x01, 0, NULL, 0);
}
