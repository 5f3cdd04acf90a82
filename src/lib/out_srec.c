/*
 * out_srec.c - one target -> Motorola S-record text (dfuse_write_as()).
 *
 * in_srec.c has the record layout.  What is written, in this order:
 *
 *   S0030000FC         header with no text (readers ignore its content)
 *   S1/S2/S3 records   data, up to 16 bytes each, elements in address
 *                      order; the type is the shortest whose address holds
 *                      the last byte written and the entry point: S1 up to
 *                      0xFFFF, S2 up to 0xFFFFFF, S3 beyond (as srec_cat
 *                      and objcopy choose)
 *   S5 / S6            the number of data records (S5 up to 65535, S6 up
 *                      to 16777215; beyond that none, as the count is
 *                      optional)
 *   S9 / S8 / S7       the terminator, matching the data type, carrying
 *                      the entry point, and only if the image has one:
 *                      srec_cat omits it too, because a terminator at 0
 *                      reads back as an entry point at 0
 *
 * Upper-case digits, LF line ends.
 */
#include "err.h"
#include "image.h"
#include "sink.h"

#include <stdlib.h>

#define PER_RECORD 16

/* Writes 'S' type, count, `alen` address bytes, data, checksum, '\n'. */
static int record(struct dfuse__sink *s, char type, uint32_t address,
		  unsigned alen, const uint8_t *data, size_t n)
{
	char line[2 + 2 * (1 + 4 + PER_RECORD + 1) + 1];
	unsigned count = alen + (unsigned)n + 1, sum = count;
	size_t k = 0, i;

	line[k++] = 'S';
	line[k++] = type;
	dfuse__hex_byte(line + k, count);
	k += 2;
	for (i = alen; i > 0; i--) {
		unsigned b = (address >> (8 * (i - 1))) & 0xFFu;

		dfuse__hex_byte(line + k, b);
		sum += b;
		k += 2;
	}
	for (i = 0; i < n; i++) {
		dfuse__hex_byte(line + k, data[i]);
		sum += data[i];
		k += 2;
	}
	/* the one's complement of the low byte of the sum */
	dfuse__hex_byte(line + k, ~sum & 0xFFu);
	k += 2;
	line[k++] = '\n';
	return dfuse__sink_put(s, line, k);
}

int dfuse__srec_emit(struct dfuse__sink *s, const dfuse_image *img,
		     const dfuse_write_options *opts)
{
	const struct target *t;
	size_t *order = NULL, n, k;
	uint64_t last = 0, records = 0;
	uint32_t entry = 0;
	unsigned alen;
	char data_type, end_type;
	int has_entry = dfuse_image_get_entry(&entry, img);
	int rc;

	DFUSE__TRY(dfuse__target_in_order(&order, &n, img, opts->target));
	t = &img->t[opts->target];
	for (k = 0; k < n; k++) {
		const struct element *e = &t->el[order[k]];

		if (e->size > 0 && e->address + (uint64_t)e->size - 1 > last)
			last = e->address + (uint64_t)e->size - 1;
	}
	if (has_entry && entry > last)
		last = entry;
	if (last <= 0xFFFFu) {
		alen = 2;
		data_type = '1';
		end_type = '9';
	} else if (last <= 0xFFFFFFu) {
		alen = 3;
		data_type = '2';
		end_type = '8';
	} else {
		alen = 4;
		data_type = '3';
		end_type = '7';
	}

	rc = record(s, '0', 0, 2, NULL, 0);
	for (k = 0; k < n && rc == 0; k++) {
		const struct element *e = &t->el[order[k]];
		size_t done = 0;

		while (done < e->size && rc == 0) {
			size_t chunk = e->size - done;

			if (chunk > PER_RECORD)
				chunk = PER_RECORD;
			rc = record(s, data_type, e->address + (uint32_t)done,
				    alen, e->data + done, chunk);
			done += chunk;
			records++;
		}
	}
	free(order);
	if (rc < 0)
		return rc;
	if (records <= 0xFFFFu)
		DFUSE__TRY(record(s, '5', (uint32_t)records, 2, NULL, 0));
	else if (records <= 0xFFFFFFu)
		DFUSE__TRY(record(s, '6', (uint32_t)records, 3, NULL, 0));
	if (has_entry)
		DFUSE__TRY(record(s, end_type, entry, alen, NULL, 0));
	return 0;
}
