/*
 * fuzz_optbytes.c - libFuzzer target for dfuse_option_bytes_decode()
 * (optbytes.c): the input is the block a device answered on DFU alt 1,
 * from an exact-size copy.  regression_driver.c replays
 * tests/fuzz/corpus/optbytes/ under `make check`.
 *
 * Checked, whatever the bytes:
 *  - the decode succeeds iff the length is at least
 *    DFUSE_OPTION_BYTES_MIN_SIZE and a multiple of 4; else DFUSE_EFORMAT
 *    with the last error equal to it, a message that starts "option
 *    bytes: " and an error offset inside the block;
 *  - words[] are the input's little-endian words, as far as `decoded`;
 *  - every field has a name, a severity, a sentence that fits its buffer
 *    uncut, "unknown" when its word is missing, a range inside the flash
 *    when it has one, and find_field() finds its name at or before it;
 *  - bank-2 words are known exactly when the block reaches them;
 *  - setting every reserved bit changes no field but RESERVED and ALIAS
 *    (which show raw words) and no decoded value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dfuse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static dfuse_option_bytes a, b; /* 20 KB each */

static int decode(dfuse_option_bytes *ob, const uint8_t *p, size_t n)
{
	memset(ob, 0xA5, sizeof(*ob)); /* the call must fill every byte
					  it leaves meaningful */
	ob->version = DFUSE_OPTION_BYTES_VERSION;
	return dfuse_option_bytes_decode(ob, p, n);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void check_fields(const dfuse_option_bytes *ob)
{
	size_t i;

	check(ob->field_count > 0 &&
	      ob->field_count <= DFUSE_OPTION_BYTES_MAX_FIELDS);
	for (i = 0; i < ob->field_count; i++) {
		const dfuse_option_field *f = &ob->fields[i];
		const size_t n = strnlen(f->text, sizeof(f->text));
		const int at = dfuse_option_bytes_find_field(ob, f->name);

		check(f->name != NULL);
		check(n + 1 < sizeof(f->text)); /* NUL-terminated, not cut */
		check(n > 0);
		check(f->severity == DFUSE_OPTION_PLAIN ||
		      f->severity == DFUSE_SEV_NOTE ||
		      f->severity == DFUSE_SEV_WARNING);
		check((f->affects & ~7u) == 0);
		check(f->offset < DFUSE_OPTION_BYTES_FULL_SIZE);
		check(f->known == 0 || f->known == 1);
		if (!f->known)
			check(strstr(f->text, "unknown") != NULL);
		if (f->has_range) {
			check(f->address >= 0x08000000u);
			check(f->end > f->address && f->end <= 0x08200000u);
		}
		if (f->sector >= 0)
			check(f->sector < 8 && f->has_range);
		check(at >= 0 && (size_t)at <= i &&
		      strcmp(ob->fields[at].name, f->name) == 0);
	}
}

static void check_values(const dfuse_option_bytes *ob, const uint8_t *p,
			 size_t n)
{
	size_t i;
	int w;

	check(ob->length == n);
	check(ob->decoded == (n < DFUSE_OPTION_BYTES_FULL_SIZE
				      ? n
				      : DFUSE_OPTION_BYTES_FULL_SIZE));
	for (i = 0; i < DFUSE_OPTION_BYTES_WORDS; i++)
		check(ob->words[i] ==
		      (i * 4 + 4 <= ob->decoded ? le32(p + i * 4) : 0));
	check(ob->rdp == p[1]);
	check(ob->rdp_level == (p[1] == 0xAA ? 0 : p[1] == 0xCC ? 2 : 1));
	check(ob->swap_bank == (ob->decoded >= 0x100 ? (p[0xFF] >> 7) : -1));
	check(ob->wrp_known[0] == 1);
	check(ob->wrp_known[1] == (ob->decoded >= 0x120));
	check((unsigned)ob->wrp_sectors[0] == (~(unsigned)p[0x1C] & 0xFFu));
	for (w = 0; w < 2; w++) {
		const dfuse_option_area *ar[2] = {&ob->pcrop[w],
						  &ob->secure[w]};
		int k;

		for (k = 0; k < 2; k++) {
			const dfuse_option_area *x = ar[k];

			if (!x->known || !x->active)
				continue;
			check(x->last >= x->start);
			check(x->ambiguous == (x->last == x->start));
			check(x->address >= x->bank && x->end > x->address &&
			      x->end <= (uint64_t)x->bank + 0x100000u);
		}
	}
	check(ob->boot_cm7_add1 == (le32(p + 0x24) & 0xFFFF0000u));
	check(ob->boot_cm4_add0 == (le32(p + 0x2C) & 0xFFFFu) << 16);
	check(ob->st_ram_kib == 2 || ob->st_ram_kib == 4 ||
	      ob->st_ram_kib == 8 || ob->st_ram_kib == 16);
	check(ob->factory == 0 || ob->factory == 1);
}

/* Every reserved bit of the decoded words set. */
static void set_reserved(uint8_t *p, size_t n)
{
	static const struct {
		size_t off;
		uint32_t bits;
	} res[] = {
		{0x000, 0x1C010002}, {0x004, 0x1C010002}, {0x00C, 0x7000F000},
		{0x010, 0x7000F000}, {0x014, 0x7000F000}, {0x018, 0x7000F000},
		{0x01C, 0xFFFFFF00}, {0x020, 0xFFFFFF00}, {0x10C, 0x7000F000},
		{0x110, 0x7000F000}, {0x114, 0x7000F000}, {0x118, 0x7000F000},
		{0x11C, 0xFFFFFF00}, {0x120, 0xFFFFFF00},
	};
	size_t i;

	for (i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		size_t k;

		if (res[i].off + 4 > n)
			continue;
		for (k = 0; k < 4; k++)
			p[res[i].off + k] |= (uint8_t)(res[i].bits >> (8 * k));
	}
}

static void check_same(const dfuse_option_bytes *x, const dfuse_option_bytes *y)
{
	size_t i;

	/* the decoded values: everything from rdp up to the field list */
	check(memcmp(&x->rdp, &y->rdp,
		     offsetof(dfuse_option_bytes, field_count) -
			     offsetof(dfuse_option_bytes, rdp)) == 0);
	check(x->field_count == y->field_count);
	for (i = 0; i < x->field_count; i++) {
		const dfuse_option_field *f = &x->fields[i], *g = &y->fields[i];

		check(strcmp(f->name, g->name) == 0);
		if (strcmp(f->name, "RESERVED") == 0 ||
		    strcmp(f->name, "ALIAS") == 0)
			continue;
		check(f->raw == g->raw && f->severity == g->severity &&
		      f->affects == g->affects && f->known == g->known &&
		      f->sector == g->sector && f->has_range == g->has_range &&
		      f->address == g->address && f->end == g->end);
		check(strcmp(f->text, g->text) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = calloc(size > 0 ? size : 1, 1);
	int rc;

	check(copy != NULL);
	if (size > 0)
		memcpy(copy, data, size);
	rc = decode(&a, copy, size);
	if (size < DFUSE_OPTION_BYTES_MIN_SIZE || size % 4 != 0) {
		const dfuse_error *e = dfuse_error_last();

		check(rc == DFUSE_EFORMAT && e->code == rc);
		check(strncmp(e->message, "option bytes: ", 14) == 0);
		check(e->offset >= 0 && (size_t)e->offset <= size);
		check(a.field_count == 0);
		free(copy);
		return 0;
	}
	check(rc == 0);
	check_fields(&a);
	check_values(&a, copy, size);

	set_reserved(copy, size);
	check(decode(&b, copy, size) == 0);
	check_fields(&b);
	check_same(&a, &b);
	free(copy);
	return 0;
}
