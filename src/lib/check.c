/*
 * check.c - an image against the device it is for: the memory map, the
 * flash banks and sectors, which core each element belongs to, the cores'
 * boot addresses and their vector tables.  Every finding comes in one pass
 * and says what to do; nothing here changes the image.
 *
 * Sources, in our words:
 *   RM0399 (H745/H755 reference manual): the memory map and which core
 *        reaches which RAM (TCMs are the CM7's; the 0x10000000 D2 alias
 *        is taken as the CM4's); the boot option bytes BOOT_CMx_ADD0
 *        hold address bits 31:16, so a boot address is 64 KiB-aligned.
 *   AN2606 (system memory boot mode): RAM the H74x/75x ROM cannot write
 *        (SRAM1-3, ITCM) or keeps for itself; its jump to the application
 *        needs an SP below RAM end - 16.
 *   ARMv7-M Architecture Reference Manual, exception model: word 0 of a
 *        vector table is the initial SP, word 1 the reset vector with
 *        bit 0 set (Thumb); VTOR needs the table aligned to its size
 *        rounded up to a power of two (0x400 for the H7's 166 vectors).
 *
 * Which core an element belongs to: its input's --cm7/--cm4 tag when it
 * was built; otherwise the core whose boot address lies in the element's
 * flash bank (bank 1 for the CM7, bank 2 for the CM4 on the H745).  An
 * element outside flash belongs to no core unless it was tagged.
 *
 * The vector-table rules apply only where there is a vector table
 * (vector_table_at): at a core's boot address when the core's part of the
 * image covers it; else at the start of a program an input marked (an
 * ELF's run holding its entry point, recorded per input by in_elf.c);
 * else at the start of the core's lowest flash element whose first words
 * read as a table.  An image with none (a data block, a configuration
 * sector) gets the memory, bank and sector rules and a no-vector-table
 * note.  An SP in RAM only the other core reaches names the image as that
 * core's, in the one sp-not-in-core-ram finding.
 *
 * Cores, banks and vector tables concern alternate setting 0, where the
 * STM32 ROM bootloaders expose the internal flash; other targets (alt 1 is
 * the option bytes on the H7) get the memory rules only.  (An element a
 * vendor put in flash under another alt is not taken for a core's code.)
 *
 * The check options' allow list turns an error or warning with a listed
 * code into a note marked `allowed` (dfuse__report_set_allow, as they are
 * added, so counts stay exact); an unknown code is DFUSE_EINVAL.  Notes fail
 * nothing.
 *
 *   code                     severity
 *   outside-memory           error    not inside any memory of the device
 *   not-writable             error    system memory, read-only layout part
 *   bootloader-cannot-write  error    RAM the ROM DFU bootloader can't reach
 *   ram-element              warning  RAM: lost at reset
 *   crosses-bank             error on dual-core parts, else warning
 *   core-overlap             error    the two cores' images overlap
 *   shared-sector            error    both cores in one erase sector
 *   wrong-bank               error    (dual-core) a core's image in the
 *                                     bank the other core boots from
 *   not-at-boot-address      warning  a core's vector table is elsewhere
 *                                     (only with a vector table)
 *   missing-core-image       warning  (dual-core) only one core's program
 *                                     (a vector table); data alone: none
 *   no-vector-table          note     a core's flash data holds no table
 *   vector-table-misaligned  error    not 0x400-aligned, or at a boot
 *                                     address not 64 KiB-aligned
 *   sp-not-in-core-ram       error    initial SP not in RAM the core
 *                                     reaches (names the other core when
 *                                     its RAM holds the SP)
 *   sp-near-ram-end          note, warning with DFUSE_CHECK_LEAVE: CM7 SP
 *                                     above RAM end - 16 (the ROM's jump)
 *   cm7-stack-in-d2-sram     warning  CM7 SP in SRAM1-3 (clock off at reset)
 *   reset-not-thumb          error    reset vector even
 *   reset-outside-image      error, or warning into RAM/ITCM
 *   flash-word-unaligned     warning  element not on flash-word boundaries
 *   vid-pid-mismatch         warning  suffix VID:PID neither the ROM's nor
 *                                     the 0xFFFF wildcard (nor 0x0000,
 *                                     which DFU File Manager writes)
 *   duplicate-bytes          note     two inputs gave the same bytes
 *                                     (image.c records them, bounded)
 *
 * With a live board (dfuse_check_options.board, its option bytes read:
 * RM0399 §4.4) the boot addresses are the board's BOOT_CMx_ADD0, and:
 *   boot-address-conflict    error    a caller's boot address is not the
 *                                     board's
 *   board-boot-address       error    a core's program the board will not
 *                                     start (linked for the default boot
 *                                     address, or its boot sector erased)
 *   boot-to-bootloader       warning  BOOT_CM7_ADD0 in system memory
 *   core-boot-disabled       warning  BCM4 = 0, or BCM7 = 0 with BCM4 = 1,
 *                                     and a program for that core
 *   write-protected          error    sectors to erase are protected
 *   write-protection-unknown note     a bank's WPSN word not in the block
 *   protected-area           error    sectors to erase hold a PCROP or
 *                                     secure-only area
 *   swap-bank                error for data of both cores, else warning
 *   read-protected           error with DFUSE_CHECK_READBACK (and at
 *                                     level 2), else warning
 *   board-not-read           note     no alt, refused or failed read
 */
#include "err.h"
#include "flatten.h"
#include "image.h"
#include "profile.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E DFUSE_SEV_ERROR
#define W DFUSE_SEV_WARNING
#define CORES 3 /* indexed by dfuse_core */

struct el {
	uint32_t address;
	uint64_t end;	     /* exclusive, may be 2^32 or more for a wrap */
	const uint8_t *data; /* may be NULL for an empty element */
	int core;
	int target, element;
	int in_flash;
	int alt0; /* in a target with alternate setting 0 */
};

struct ctx {
	const dfuse_image *img;
	const dfuse_profile *p; /* NULL when only a layout is known */
	const dfuse_layout *layout;
	dfuse_report *r;
	uint32_t boot[CORES];	  /* by dfuse_core; 0 = none */
	unsigned flags;		  /* DFUSE_CHECK_* */
	const char *const *allow; /* codes that become notes */
	size_t allow_count;
	struct el *els;
	size_t n;
	/* each core's vector table (vector_table_at), found before the
	 * rules run: 0 = none */
	uint32_t vt[CORES];
	int vt_how[CORES];
	/* the live board (dfuse_check_options.board): `live` as given,
	 * `board` only when its block was read (state DFUSE_BOARD_READ) */
	const dfuse_board *live;
	const dfuse_board *board;
	uint32_t dflt[CORES];  /* board read: the profile's boot addresses */
	uint32_t given[CORES]; /* boot addresses the caller gave, 0: none */
	int boot_said[CORES];  /* a board rule named this core's boot */
};

/* How a vector table was found (see vector_table_at). */
enum { VT_NONE, VT_BOOT, VT_PROGRAM, VT_LOOKS };

static const char *cname(int core)
{
	return core == DFUSE_CORE_CM7	? "CM7"
	       : core == DFUSE_CORE_CM4 ? "CM4"
					: "no core";
}

/* ======== Memory map ======== */

static const struct region *region_at(const dfuse_profile *p, uint32_t a)
{
	int i = dfuse_profile_find_region(p, a);

	return i < 0 ? NULL : &p->regions[i];
}

/* Start of the first region above `a`, or 2^32. */
static uint64_t next_region(const dfuse_profile *p, uint32_t a)
{
	size_t i;

	for (i = 0; i < p->nregions; i++)
		if (p->regions[i].base > a)
			return p->regions[i].base;
	return UINT64_C(0x100000000);
}

static uint64_t region_end(const struct region *r)
{
	return (uint64_t)r->base + r->size;
}

/* One past the last flash byte. */
static uint64_t flash_end(const dfuse_profile *p)
{
	const struct bank *b = &p->banks[p->nbanks - 1];

	return (uint64_t)b->base + (uint64_t)b->sector_size * b->sector_count;
}

static const struct bank *bank_at(const dfuse_profile *p, uint32_t a,
				  unsigned *number)
{
	size_t i;

	for (i = 0; p != NULL && i < p->nbanks; i++) {
		const struct bank *b = &p->banks[i];
		uint64_t end = (uint64_t)b->base +
			       (uint64_t)b->sector_size * b->sector_count;

		if (a >= b->base && a < end) {
			if (number != NULL)
				*number = (unsigned)(i + 1);
			return b;
		}
	}
	return NULL;
}

/* The core whose boot address lies in bank b. */
static int bank_core(const struct ctx *c, const struct bank *b)
{
	uint64_t end =
		(uint64_t)b->base + (uint64_t)b->sector_size * b->sector_count;
	int k;

	for (k = DFUSE_CORE_CM7; k < CORES; k++)
		if (c->boot[k] != 0 && c->boot[k] >= b->base &&
		    c->boot[k] < end)
			return k;
	/* a board that boots a core from elsewhere (RAM, system memory,
	 * the other bank) leaves the bank to the core the profile gives it:
	 * the image was built for that, and the board rules say the rest */
	for (k = DFUSE_CORE_CM7; k < CORES; k++)
		if (c->dflt[k] != 0 && c->dflt[k] >= b->base &&
		    c->dflt[k] < end)
			return k;
	return DFUSE_CORE_NONE;
}

/* Rules for the piece [a, z) of element x that lies in region g. */
static int region_piece(struct ctx *c, const struct el *x,
			const struct region *g, uint32_t a, uint64_t z)
{
	switch (g->kind) {
	case DFUSE_MEM_SYSTEM:
		return dfuse__report_add_range(
			c->r, E, "not-writable", x->target, x->element, a, z,
			x->core,
			"0x%08x-0x%08llx is %s, which cannot be programmed; "
			"remove this data or relink it into flash",
			(unsigned)a, (unsigned long long)(z - 1), g->name);
	case DFUSE_MEM_RAM:
		if (!g->bl_write)
			return dfuse__report_add_range(
				c->r, E, "bootloader-cannot-write", x->target,
				x->element, a, z, x->core,
				"0x%08x-0x%08llx is in %s, which the ROM DFU "
				"bootloader cannot write (AN2606); load it "
				"from flash in the startup code instead",
				(unsigned)a, (unsigned long long)(z - 1),
				g->name);
		return dfuse__report_add_range(
			c->r, W, "ram-element", x->target, x->element, a, z,
			x->core,
			"0x%08x-0x%08llx is in %s: it is written, but lost at "
			"the next reset; put initialised data in flash (its "
			"load address) unless this is deliberate",
			(unsigned)a, (unsigned long long)(z - 1), g->name);
	case DFUSE_MEM_FLASH:
	case DFUSE_MEM_OPTION:
	case DFUSE_MEM_OTP:
	default:
		return 0;
	}
}

/* Walks [x->address, x->end) through the profile's regions. */
static int memory_rules(struct ctx *c, const struct el *x)
{
	uint64_t a = x->address, end = x->end;

	if (end > UINT64_C(0x100000000)) {
		DFUSE__TRY(dfuse__report_add_range(
			c->r, E, "outside-memory", x->target, x->element,
			x->address, end, x->core,
			"element at 0x%08x with %llu bytes wraps past "
			"0xffffffff; its size or address is wrong",
			(unsigned)x->address,
			(unsigned long long)(end - x->address)));
		end = UINT64_C(0x100000000);
	}
	while (c->p != NULL && a < end) {
		const struct region *g = region_at(c->p, (uint32_t)a);
		uint64_t z;

		if (g == NULL) {
			z = next_region(c->p, (uint32_t)a);
			if (z > end)
				z = end;
			DFUSE__TRY(dfuse__report_add_range(
				c->r, E, "outside-memory", x->target,
				x->element, (uint32_t)a, z, x->core,
				"0x%08x-0x%08llx is not in any memory of the "
				"%s; check the link address (its flash is "
				"0x%08x-0x%08llx)",
				(unsigned)a, (unsigned long long)(z - 1),
				c->p->name, (unsigned)c->p->banks[0].base,
				(unsigned long long)(flash_end(c->p) - 1)));
		} else {
			z = region_end(g) < end ? region_end(g) : end;
			DFUSE__TRY(region_piece(c, x, g, (uint32_t)a, z));
		}
		a = z;
	}
	return 0;
}

/* The device's own layout: every byte in a writable segment. */
static int layout_rules(struct ctx *c, const struct el *x)
{
	uint64_t a = x->address, end = x->end;

	if (end > UINT64_C(0x100000000))
		end = UINT64_C(0x100000000);
	while (a < end) {
		dfuse_layout_segment s;
		int i = dfuse_layout_find(c->layout, (uint32_t)a);
		uint64_t z;

		if (i < 0) {
			/* up to the next segment, or the end */
			size_t k, n = dfuse_layout_count_segments(c->layout);

			z = end;
			for (k = 0; k < n; k++) {
				if (dfuse_layout_get_segment(&s, c->layout,
							     k) == 0 &&
				    s.address > a && s.address < z)
					z = s.address;
			}
			DFUSE__TRY(dfuse__report_add_range(
				c->r, E, "outside-memory", x->target,
				x->element, (uint32_t)a, z, x->core,
				"0x%08x-0x%08llx is outside the device's "
				"memory layout \"%s\"",
				(unsigned)a, (unsigned long long)(z - 1),
				dfuse_layout_get_name(c->layout)));
			a = z;
			continue;
		}
		DFUSE__TRY(dfuse_layout_get_segment(&s, c->layout, (size_t)i));
		z = (uint64_t)s.address +
		    (uint64_t)s.sector_size * s.sector_count;
		if (z > end)
			z = end;
		if (!s.writable)
			DFUSE__TRY(dfuse__report_add_range(
				c->r, E, "not-writable", x->target, x->element,
				(uint32_t)a, z, x->core,
				"0x%08x-0x%08llx is in a read-only part of "
				"\"%s\" (type '%c'); the device will refuse "
				"to write it",
				(unsigned)a, (unsigned long long)(z - 1),
				dfuse_layout_get_name(c->layout), s.type));
		a = z;
	}
	return 0;
}

static int bank_rules(struct ctx *c, const struct el *x)
{
	const struct bank *b0, *b1;
	unsigned n0 = 0, n1 = 0;
	uint32_t fw = c->p->flash_word;
	uint64_t last = x->end > 0 ? x->end - 1 : 0;

	if (last > UINT32_MAX)
		last = UINT32_MAX;
	b0 = bank_at(c->p, x->address, &n0);
	b1 = bank_at(c->p, (uint32_t)last, &n1);
	if (b0 != NULL && b1 != NULL && b0 != b1)
		DFUSE__TRY(dfuse__report_add_range(
			c->r, dfuse__profile_dual(c->p) ? E : W, "crosses-bank",
			x->target, x->element, x->address, x->end, x->core,
			"0x%08x-0x%08llx crosses from flash bank %u into bank "
			"%u%s; split it at 0x%08x",
			(unsigned)x->address, (unsigned long long)last, n0, n1,
			dfuse__profile_dual(c->p)
				? ", and each bank belongs to one core"
				: "",
			(unsigned)c->p->banks[n1 - 1].base));
	if (b0 != NULL && fw > 1 && (x->address % fw != 0 || x->end % fw != 0))
		DFUSE__TRY(dfuse__report_add_range(
			c->r, W, "flash-word-unaligned", x->target, x->element,
			x->address, x->end, x->core,
			"0x%08x-0x%08llx does not start and end on %u-byte "
			"flash words; the last partial word is programmed "
			"once, so data added to it later cannot be written "
			"(pad the element with 0xFF to whole flash words)",
			(unsigned)x->address, (unsigned long long)last,
			(unsigned)fw));
	return 0;
}

/* ======== Cores ======== */

static int core_of(const struct ctx *c, const struct element *e)
{
	const struct bank *b;

	if (e->core != DFUSE_CORE_NONE)
		return e->core;
	b = bank_at(c->p, e->address, NULL);
	return b != NULL ? bank_core(c, b) : DFUSE_CORE_NONE;
}

/*
 * The two cores' images overlapping.  One sweep in address order keeps,
 * per core, the element that reaches furthest; an element that starts
 * before the other core's reach overlaps that element.  So each element
 * is reported at most once, against the other core's furthest-reaching
 * element before it: O(n) after the sort, and never more findings than
 * elements (a pairwise scan is quadratic in both time and findings on a
 * file of stacked elements).
 */
static int overlap_rules(struct ctx *c)
{
	uint64_t reach[CORES] = {0};
	size_t far[CORES] = {0}, i;

	for (i = 0; i < c->n; i++) {
		const struct el *y = &c->els[i];
		int o;

		if (y->core == DFUSE_CORE_NONE || y->end == y->address)
			continue;
		o = y->core == DFUSE_CORE_CM7 ? DFUSE_CORE_CM4 : DFUSE_CORE_CM7;
		if (reach[o] > y->address) {
			const struct el *x = &c->els[far[o]];
			uint64_t z = x->end < y->end ? x->end : y->end;

			DFUSE__TRY(dfuse__report_add_range(
				c->r, E, "core-overlap", y->target, y->element,
				y->address, z, y->core,
				"the %s and %s images overlap at "
				"0x%08x-0x%08llx; relink one of them",
				cname(x->core), cname(y->core),
				(unsigned)y->address,
				(unsigned long long)(z - 1)));
		}
		if (y->end > reach[y->core]) {
			reach[y->core] = y->end;
			far[y->core] = i;
		}
	}
	return 0;
}

/* Erase sectors holding data of both cores, bank by bank. */
static int sector_rules(struct ctx *c)
{
	size_t bi, i;

	for (bi = 0; bi < c->p->nbanks; bi++) {
		const struct bank *b = &c->p->banks[bi];
		uint32_t s;

		for (s = 0; s < b->sector_count; s++) {
			uint64_t lo = (uint64_t)b->base +
				      (uint64_t)s * b->sector_size;
			uint64_t hi = lo + b->sector_size;
			unsigned mask = 0;

			for (i = 0; i < c->n; i++)
				if (c->els[i].address < hi &&
				    c->els[i].end > lo &&
				    c->els[i].core != DFUSE_CORE_NONE)
					mask |= DFUSE_CORE_BIT(c->els[i].core);
			if (mask != (DFUSE_CORE_BIT(DFUSE_CORE_CM7) |
				     DFUSE_CORE_BIT(DFUSE_CORE_CM4)))
				continue;
			DFUSE__TRY(dfuse__report_add_range(
				c->r, E, "shared-sector", -1, -1, (uint32_t)lo,
				hi, DFUSE_CORE_NONE,
				"bank %zu sector %u (0x%08x-0x%08llx) holds "
				"data of both cores: erasing it for one "
				"destroys the other; keep each core's image in "
				"its own sectors",
				bi + 1, (unsigned)s, (unsigned)lo,
				(unsigned long long)(hi - 1)));
		}
	}
	return 0;
}

static int covers(const struct ctx *c, int core, uint32_t a)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if ((core == DFUSE_CORE_NONE || c->els[i].core == core) &&
		    c->els[i].address <= a && a < c->els[i].end)
			return 1;
	return 0;
}

static int placement_rules(struct ctx *c)
{
	int k, with_image = 0, only = DFUSE_CORE_NONE;
	size_t i;

	for (k = DFUSE_CORE_CM7; k < CORES; k++) {
		int has = 0;

		if (!(c->p->cores & DFUSE_CORE_BIT(k)))
			continue;
		for (i = 0; i < c->n; i++) {
			const struct el *x = &c->els[i];
			const struct bank *b;
			int owner;

			if (x->core != k || !x->in_flash)
				continue;
			has = 1;
			b = bank_at(c->p, x->address, NULL);
			owner = b ? bank_core(c, b) : DFUSE_CORE_NONE;
			if (dfuse__profile_dual(c->p) &&
			    owner != DFUSE_CORE_NONE && owner != k)
				DFUSE__TRY(dfuse__report_add_range(
					c->r, E, "wrong-bank", x->target,
					x->element, x->address, x->end, k,
					"the %s image at 0x%08x is in the bank "
					"the %s boots from (0x%08x); link the "
					"%s image at 0x%08x",
					cname(k), (unsigned)x->address,
					cname(owner), (unsigned)c->boot[owner],
					cname(k), (unsigned)c->boot[k]));
		}
		if (!has)
			continue;
		with_image++;
		only = k;
		/*
		 * A program away from the boot address does not start by
		 * itself at reset: a warning, as only a bootloader already
		 * in flash (or other boot option bytes) makes it run.
		 * Without a vector table there is no program to start, the
		 * core keeps booting what it boots now, and the
		 * no-vector-table note says so: a second finding about the
		 * same fact would only make --strict fail for nothing.
		 */
		if (c->boot[k] != 0 && c->vt_how[k] != VT_NONE &&
		    c->vt_how[k] != VT_BOOT && !c->boot_said[k])
			DFUSE__TRY(dfuse__report_add_range(
				c->r, W, "not-at-boot-address", -1, -1,
				c->boot[k], (uint64_t)c->boot[k] + 1, k,
				"the %s program at 0x%08x does not cover its "
				"boot address 0x%08x: fine behind a bootloader "
				"that starts it, otherwise the %s boots "
				"whatever is already there (unless the boot "
				"option bytes point at 0x%08x)",
				cname(k), (unsigned)c->vt[k],
				(unsigned)c->boot[k], cname(k),
				(unsigned)c->vt[k]));
	}
	/*
	 * A release of one core's program on a dual-core part.  The premise
	 * is a program: a data block or a configuration sector for one core
	 * (no vector table) updates that core's bank and leaves the other
	 * alone by design, so it gets no warning here.
	 */
	if (dfuse__profile_dual(c->p) && with_image == 1 &&
	    c->vt_how[only] != VT_NONE)
		DFUSE__TRY(dfuse__report_add_range(
			c->r, W, "missing-core-image", -1, -1,
			c->boot[only == DFUSE_CORE_CM7 ? DFUSE_CORE_CM4
						       : DFUSE_CORE_CM7],
			(uint64_t)c->boot[only == DFUSE_CORE_CM7
						  ? DFUSE_CORE_CM4
						  : DFUSE_CORE_CM7] +
				1,
			only == DFUSE_CORE_CM7 ? DFUSE_CORE_CM4
					       : DFUSE_CORE_CM7,
			"%s has two cores but the file holds only the %s "
			"image; the %s keeps what its bank holds now",
			c->p->name, cname(only),
			cname(only == DFUSE_CORE_CM7 ? DFUSE_CORE_CM4
						     : DFUSE_CORE_CM7)));
	return 0;
}

/* ======== Vector tables ======== */

static int read_word(const struct ctx *c, uint32_t a, uint32_t *out)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct el *x = &c->els[i];

		if (x->data != NULL && x->address <= a &&
		    (uint64_t)a + 4 <= x->end) {
			*out = dfuse__get_le32(x->data + (a - x->address));
			return 1;
		}
	}
	return 0;
}

/* RAM the core reaches with lo < sp <= end, over adjacent regions. */
static int ram_for_sp(const struct ctx *c, int core, uint32_t sp, uint64_t *end,
		      const char **name)
{
	const struct region *g;
	size_t i;

	if (sp == 0)
		return 0;
	g = region_at(c->p, sp - 1);
	if (g == NULL || g->kind != DFUSE_MEM_RAM ||
	    !(g->cores & DFUSE_CORE_BIT(core)))
		return 0;
	*name = g->name;
	*end = region_end(g);
	/* regions split only for the bootloader's use continue the RAM */
	for (i = 0; i < c->p->nregions; i++) {
		const struct region *h = &c->p->regions[i];

		if (h->base == *end && h->kind == DFUSE_MEM_RAM &&
		    (h->cores & DFUSE_CORE_BIT(core)))
			*end = region_end(h);
	}
	return 1;
}

/* The lowest flash element of `core` in alternate setting 0 covering a. */
static int covers_flash(const struct ctx *c, int core, uint32_t a)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->els[i].core == core && c->els[i].in_flash &&
		    c->els[i].address <= a && a < c->els[i].end)
			return 1;
	return 0;
}

/*
 * Whether an element's first two words read as an ARMv7-M vector table
 * (ARMv7-M ARM B1.5.3: word 0 the initial SP, word 1 the reset vector
 * with bit 0 set for Thumb): an SP in RAM that a core of the part
 * reaches (lo < SP <= end) and an odd reset vector into the part's flash.
 * Calibration records, configuration sectors and other data rarely meet
 * both; when they do, they are checked as the table they look like.
 */
static int looks_like_table(const struct ctx *c, const struct el *x)
{
	const struct region *g;
	uint32_t sp, reset;

	if (x->data == NULL || x->end - x->address < 8)
		return 0;
	sp = dfuse__get_le32(x->data);
	reset = dfuse__get_le32(x->data + 4);
	if (sp == 0 || (reset & 1u) == 0)
		return 0;
	g = region_at(c->p, sp - 1);
	if (g == NULL || g->kind != DFUSE_MEM_RAM || !(g->cores & c->p->cores))
		return 0;
	return bank_at(c->p, reset & ~1u, NULL) != NULL;
}

/*
 * Where a core's vector table is, the first that applies:
 *   VT_BOOT     its boot address, when the core's part of the image
 *               covers it (the core fetches its SP and reset vector
 *               there at reset, RM0399 boot configuration);
 *   VT_PROGRAM  else the lowest start of a program an input marked (an
 *               ELF's run holding its entry point) in the core's flash;
 *   VT_LOOKS    else the start of the core's lowest flash element whose
 *               first words read as a table (looks_like_table).
 * A data block, a configuration sector or an update of one sector has
 * none of these (VT_NONE): it gets the memory, bank and sector rules
 * only, and a no-vector-table note.
 */
static uint32_t vector_table_at(const struct ctx *c, int core, int *how)
{
	uint32_t best = 0;
	int found = 0;
	size_t i;

	*how = VT_BOOT;
	if (c->boot[core] != 0 && covers(c, core, c->boot[core]))
		return c->boot[core];
	*how = VT_PROGRAM;
	for (i = 0; i < c->img->nprograms; i++) {
		const struct dfuse__program *g = &c->img->programs[i];

		if (g->target < c->img->n && c->img->t[g->target].alt == 0 &&
		    covers_flash(c, core, g->address) &&
		    (!found || g->address < best)) {
			best = g->address;
			found = 1;
		}
	}
	if (found)
		return best;
	*how = VT_LOOKS;
	for (i = 0; i < c->n; i++)
		if (c->els[i].core == core && c->els[i].in_flash &&
		    looks_like_table(c, &c->els[i]))
			return c->els[i].address;
	*how = VT_NONE;
	return 0;
}

/* The other core of a dual-core part whose RAM holds sp, when `core`
 * cannot reach it (the SP names the core an image was linked for). */
static int sp_core(const struct ctx *c, int core, uint32_t sp, const char **ram)
{
	int other = core == DFUSE_CORE_CM7 ? DFUSE_CORE_CM4 : DFUSE_CORE_CM7;
	uint64_t end;

	if (!dfuse__profile_dual(c->p) || !ram_for_sp(c, other, sp, &end, ram))
		return DFUSE_CORE_NONE;
	return other;
}

static int vector_rules(struct ctx *c, int core)
{
	uint32_t vt = c->vt[core], sp, reset, target;
	const struct region *g;
	uint64_t ram_end = 0;
	const char *ram = NULL, *oram = NULL;
	int other;

	if (c->vt_how[core] == VT_NONE)
		return 0;
	if (vt % 0x400 != 0 ||
	    (c->vt_how[core] == VT_BOOT && vt % 0x10000 != 0))
		DFUSE__TRY(dfuse__report_add_range(
			c->r, E, "vector-table-misaligned", -1, -1, vt,
			(uint64_t)vt + 8, core,
			"the %s vector table at 0x%08x is not %s-aligned; "
			"%s",
			cname(core), (unsigned)vt,
			vt % 0x400 != 0 ? "0x400" : "64 KiB",
			vt % 0x400 != 0
				? "VTOR needs 0x400 for the H7's 166 vectors"
				: "a boot address holds address bits 31:16"));
	if (!read_word(c, vt, &sp) || !read_word(c, vt + 4, &reset))
		return 0;

	if (!ram_for_sp(c, core, sp, &ram_end, &ram)) {
		other = sp_core(c, core, sp, &oram);
		if (other != DFUSE_CORE_NONE)
			DFUSE__TRY(dfuse__report_add_range(
				c->r, E, "sp-not-in-core-ram", -1, -1, vt,
				(uint64_t)vt + 4, core,
				"the %s's initial SP 0x%08x (first word at "
				"0x%08x) is not in RAM the %s can reach: this "
				"looks like a %s image (its SP is in %s); the "
				"%s boots from 0x%08x, link the %s image at "
				"0x%08x",
				cname(core), (unsigned)sp, (unsigned)vt,
				cname(core), cname(other), oram, cname(core),
				(unsigned)c->boot[core], cname(other),
				(unsigned)c->boot[other]));
		else
			DFUSE__TRY(dfuse__report_add_range(
				c->r, E, "sp-not-in-core-ram", -1, -1, vt,
				(uint64_t)vt + 4, core,
				"the %s's initial SP 0x%08x (first word at "
				"0x%08x) is not in RAM the %s can reach; set "
				"the stack top to the end of its RAM",
				cname(core), (unsigned)sp, (unsigned)vt,
				cname(core)));
	} else if (core == DFUSE_CORE_CM7 && (uint64_t)sp > ram_end - 16) {
		/* AN2606 (H74x/75x bootloader limitations): the ROM's jump
		 * to the application needs an SP below RAM end - 16.  Only
		 * that jump cares; a reset boots such an image fine. */
		DFUSE__TRY(dfuse__report_add_range(
			c->r,
			(c->flags & DFUSE_CHECK_LEAVE) ? W : DFUSE_SEV_NOTE,
			"sp-near-ram-end", -1, -1, vt, (uint64_t)vt + 4, core,
			"the CM7's initial SP 0x%08x is within 16 bytes of the "
			"end of %s (0x%08llx): the ROM bootloader's jump on "
			"DFU leave may fail (AN2606); a reset starts it fine, "
			"or lower the stack top by 16",
			(unsigned)sp, ram, (unsigned long long)ram_end));
	}
	if (core == DFUSE_CORE_CM7 && sp > 0x30000000u && sp <= 0x30048000u &&
	    ram != NULL)
		DFUSE__TRY(dfuse__report_add_range(
			c->r, W, "cm7-stack-in-d2-sram", -1, -1, vt,
			(uint64_t)vt + 4, core,
			"the CM7's initial SP 0x%08x is in SRAM1-3, whose "
			"clock is off at reset for the CM7%s; put the stack in "
			"DTCM or AXI SRAM",
			(unsigned)sp,
			dfuse__profile_dual(c->p)
				? " (this looks like a CM4 image: its SP is "
				  "in D2 SRAM, and the CM7 boots from here)"
				: ""));

	if ((reset & 1u) == 0) {
		DFUSE__TRY(dfuse__report_add_range(
			c->r, E, "reset-not-thumb", -1, -1, vt + 4,
			(uint64_t)vt + 8, core,
			"the %s's reset vector 0x%08x is even: Cortex-M "
			"vectors must have bit 0 set (Thumb); is this really "
			"a vector table?",
			cname(core), (unsigned)reset));
		return 0;
	}
	target = reset & ~1u;
	if (covers(c, core, target))
		return 0;
	g = region_at(c->p, target);
	if (g != NULL && g->kind == DFUSE_MEM_RAM &&
	    (g->cores & DFUSE_CORE_BIT(core)))
		return dfuse__report_add_range(
			c->r, W, "reset-outside-image", -1, -1, vt + 4,
			(uint64_t)vt + 8, core,
			"the %s's reset handler 0x%08x is in %s, which this "
			"file does not fill; fine if the image copies itself "
			"there first",
			cname(core), (unsigned)target, g->name);
	return dfuse__report_add_range(
		c->r, E, "reset-outside-image", -1, -1, vt + 4,
		(uint64_t)vt + 8, core,
		"the %s's reset handler 0x%08x is not inside its image; the "
		"core would jump into whatever is there",
		cname(core), (unsigned)target);
}

/* A core with flash data but no vector table: a data update. */
static int no_table_rule(struct ctx *c, int core)
{
	size_t i;

	if (c->vt_how[core] != VT_NONE)
		return 0;
	for (i = 0; i < c->n; i++)
		if (c->els[i].core == core && c->els[i].in_flash)
			break;
	if (i == c->n)
		return 0;
	return dfuse__report_add_range(
		c->r, DFUSE_SEV_NOTE, "no-vector-table", -1, -1,
		c->els[i].address, c->els[i].end, core,
		"no vector table in this image for the %s (nothing at its "
		"boot address 0x%08x, no program entry, no element that "
		"starts like one): checked for memory, banks and sectors "
		"only; the %s boots what is already in flash",
		cname(core), (unsigned)c->boot[core], cname(core));
}

/* Bytes that two inputs gave alike (kept once by the image). */
static int dup_rules(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->img->ndups; i++) {
		const struct dfuse__dup *d = &c->img->dups[i];
		const char *a = d->first ? d->first : "<input>";
		const char *b = d->second ? d->second : "<input>";

		if (strcmp(a, b) == 0)
			DFUSE__TRY(dfuse__report_add_range(
				c->r, DFUSE_SEV_NOTE, "duplicate-bytes",
				(int)d->target, -1, d->address, d->end,
				DFUSE_CORE_NONE,
				"0x%08x-0x%08llx is given twice with the same "
				"bytes by '%s': written once",
				(unsigned)d->address,
				(unsigned long long)(d->end - 1), a));
		else
			DFUSE__TRY(dfuse__report_add_range(
				c->r, DFUSE_SEV_NOTE, "duplicate-bytes",
				(int)d->target, -1, d->address, d->end,
				DFUSE_CORE_NONE,
				"0x%08x-0x%08llx is given twice with the same "
				"bytes, by '%s' and by '%s': written once",
				(unsigned)d->address,
				(unsigned long long)(d->end - 1), a, b));
	}
	if (c->img->dups_more > 0)
		DFUSE__TRY(dfuse__report_add(
			c->r, DFUSE_SEV_NOTE, "duplicate-bytes", -1, -1, -1,
			"%zu more runs of bytes given twice with the same "
			"content, not listed",
			c->img->dups_more));
	return 0;
}

static int id_rules(struct ctx *c)
{
	/* 0xFFFF and 0x0000 say nothing (dfuse__id_unset; the reader notes
	 * a zero PID) */
	const dfuse_ids *ids = &c->img->ids;

	if (dfuse__ids_match(ids, c->p->usb_vid, c->p->usb_pid))
		return 0;
	return dfuse__report_add(
		c->r, W, "vid-pid-mismatch", -1, -1, -1,
		"the suffix says %04x:%04x, neither the %s ROM bootloader's "
		"%04x:%04x nor the ffff wildcard; a download to the ROM "
		"refuses such a file unless forced (set the suffix IDs to "
		"the ROM's)",
		ids->id_vendor, ids->id_product, c->p->name, c->p->usb_vid,
		c->p->usb_pid);
}

/* ======== The live board (dfuse_check_options.board) ======== */

/*
 * The option bytes as read from the board (RM0399 §4.4; decoded by
 * optbytes.c).  These rules run only with a board whose block was read
 * (state DFUSE_BOARD_READ) and a profile; each one only where its
 * premise holds.  A board that was not read (no option-byte alt, a
 * refused or failed read) gets one board-not-read note and the profile's
 * addresses; no board at all changes nothing.  dfusetool never writes
 * option bytes (RDP and boot-address mistakes can brick a board; AN2606
 * V9.0 cannot write the CM4 boot address), so each finding says to use
 * STM32CubeProgrammer for that.
 */

#define SYSMEM_BASE 0x1FF00000u /* RM0399 memory map: system memory */
#define SYSMEM_END 0x1FF20000u
#define WINDOWS 2 /* the WRP words: the banks at 0x08000000, 0x08100000 */
static const uint32_t window_base[WINDOWS] = {0x08000000u, 0x08100000u};

static const char *boot_option(int core)
{
	return core == DFUSE_CORE_CM7 ? "BOOT_CM7_ADD0" : "BOOT_CM4_ADD0";
}

/* Does an alt-0 element with bytes meet [lo, hi)? */
static int touches(const struct ctx *c, uint64_t lo, uint64_t hi)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->els[i].alt0 && c->els[i].end > c->els[i].address &&
		    c->els[i].address < hi && c->els[i].end > lo)
			return 1;
	return 0;
}

/* The erase sector of the profile's banks holding a: [*lo, *hi). */
static int sector_of(const struct ctx *c, uint32_t a, uint64_t *lo,
		     uint64_t *hi)
{
	const struct bank *b = bank_at(c->p, a, NULL);

	if (b == NULL)
		return 0;
	*lo = b->base +
	      (uint64_t)(a - b->base) / b->sector_size * b->sector_size;
	*hi = *lo + b->sector_size;
	return 1;
}

/* A caller's boot address against the board's. */
static int conflict_rules(struct ctx *c)
{
	int k;

	for (k = DFUSE_CORE_CM7; k < CORES; k++) {
		if (c->given[k] == 0 || c->given[k] == c->boot[k])
			continue;
		DFUSE__TRY(dfuse__report_add_range(
			c->r, E, "boot-address-conflict", -1, -1, c->given[k],
			(uint64_t)c->given[k] + 1, k,
			"the %s boot address given, 0x%08x, is not the "
			"board's: its option bytes say %s = 0x%08x, and that "
			"is where the %s starts after a reset; give 0x%08x or "
			"none, or change the option byte with "
			"STM32CubeProgrammer (dfusetool does not write option "
			"bytes)",
			cname(k), (unsigned)c->given[k], boot_option(k),
			(unsigned)c->boot[k], cname(k), (unsigned)c->boot[k]));
	}
	return 0;
}

/*
 * A core's program that the board will not start at reset (the core
 * fetches its SP and reset vector at BOOT_CMx_ADD0 with BOOT0 low,
 * RM0399 §4.4): an error when the image was linked for the profile's
 * default boot address and the board boots elsewhere (a), or when the
 * download erases the sector of the board's boot address without
 * writing it (b: 0xFF where the core starts).  A program whose table is
 * at the board's address is VT_BOOT and passes.  System memory for the
 * CM7 is boot-to-bootloader's.  Otherwise not-at-boot-address warns, as
 * without a board.
 */
static int boot_rules(struct ctx *c, int k)
{
	const uint32_t b = c->boot[k];
	uint64_t lo = 0, hi = 0;
	int at_default, erased;

	if (c->vt_how[k] == VT_NONE || c->vt_how[k] == VT_BOOT || b == 0)
		return 0;
	if (k == DFUSE_CORE_CM7 && b >= SYSMEM_BASE && b < SYSMEM_END)
		return 0;
	at_default =
		c->dflt[k] != 0 && c->vt[k] == c->dflt[k] && b != c->dflt[k];
	erased = sector_of(c, b, &lo, &hi) && touches(c, lo, hi);
	if (!at_default && !erased)
		return 0;
	c->boot_said[k] = 1;
	if (erased)
		return dfuse__report_add_range(
			c->r, E, "board-boot-address", -1, -1, b,
			(uint64_t)b + 1, k,
			"the board starts the %s at %s = 0x%08x, in the sector "
			"0x%08x-0x%08llx that this image erases without "
			"writing 0x%08x: after a reset the %s would start "
			"from erased flash (0xFF); the %s program's vector "
			"table is at 0x%08x%s; link the %s program at "
			"0x%08x, or set %s to 0x%08x with "
			"STM32CubeProgrammer (dfusetool does not write option "
			"bytes)",
			cname(k), boot_option(k), (unsigned)b, (unsigned)lo,
			(unsigned long long)(hi - 1), (unsigned)b, cname(k),
			cname(k), (unsigned)c->vt[k],
			at_default ? ", the profile's default boot address"
				   : "",
			cname(k), (unsigned)b, boot_option(k),
			(unsigned)c->vt[k]);
	return dfuse__report_add_range(
		c->r, E, "board-boot-address", -1, -1, b, (uint64_t)b + 1, k,
		"the board starts the %s at %s = 0x%08x, but this image's %s "
		"program has its vector table at 0x%08x, the default boot "
		"address it was built for: after a reset the %s would not "
		"start it; link the %s program at 0x%08x, or set %s to "
		"0x%08x with STM32CubeProgrammer (dfusetool does not write "
		"option bytes)",
		cname(k), boot_option(k), (unsigned)b, cname(k),
		(unsigned)c->vt[k], cname(k), cname(k), (unsigned)b,
		boot_option(k), (unsigned)c->vt[k]);
}

/* BOOT_CM7_ADD0 in system memory: the ROM at every reset (AN2606 boot
 * pattern 10: an active boot address of 0x1FF0 starts the bootloader). */
static int bootloader_rule(struct ctx *c)
{
	const uint32_t b = c->boot[DFUSE_CORE_CM7];

	if (b < SYSMEM_BASE || b >= SYSMEM_END ||
	    c->vt_how[DFUSE_CORE_CM7] == VT_NONE)
		return 0;
	c->boot_said[DFUSE_CORE_CM7] = 1;
	return dfuse__report_add_range(
		c->r, W, "boot-to-bootloader", -1, -1, b, (uint64_t)b + 1,
		DFUSE_CORE_CM7,
		"the board's BOOT_CM7_ADD0 = 0x%08x is system memory: the CM7 "
		"starts the ROM bootloader at every reset (AN2606), not this "
		"image's CM7 program at 0x%08x, which runs only when the ROM "
		"is told to leave DFU mode; to start it at reset, set "
		"BOOT_CM7_ADD0 to 0x%08x with STM32CubeProgrammer (dfusetool "
		"does not write option bytes)",
		(unsigned)b, (unsigned)c->vt[DFUSE_CORE_CM7],
		(unsigned)c->vt[DFUSE_CORE_CM7]);
}

/*
 * BCM7/BCM4 (RM0399's BOOT_CM7/BOOT_CM4, OPTSR bits 23/22): which core
 * starts at reset.  RM0399's boot table (read second-hand): BCM4 = 0
 * gates the CM4 until the CM7 sets RCC_GCR BOOT_C2; BCM7 = 0 with
 * BCM4 = 1 gates the CM7 until the CM4 sets BOOT_C1; both 0 boots the
 * CM7 alone (so BCM7 = 0 then says nothing about the CM7).  The ROM
 * bootloader runs on the CM7 (AN2606: its RAM is the CM7's DTCM).
 * Warnings: a program that releases the other core is a valid design.
 */
static int enable_rules(struct ctx *c)
{
	const dfuse_option_bytes *ob = &c->board->ob;

	if (!dfuse__profile_dual(c->p))
		return 0;
	if (!ob->bcm4 && c->vt_how[DFUSE_CORE_CM4] != VT_NONE)
		DFUSE__TRY(dfuse__report_add_range(
			c->r, W, "core-boot-disabled", -1, -1,
			c->vt[DFUSE_CORE_CM4],
			(uint64_t)c->vt[DFUSE_CORE_CM4] + 1, DFUSE_CORE_CM4,
			"the board's option bytes say BCM4 = 0: the CM4 does "
			"not start at reset: it waits until the CM7 program "
			"releases it (RCC_GCR BOOT_C2, RM0399); only the CM7 "
			"starts, and this image's CM4 program at 0x%08x runs "
			"only if the CM7 program does that (set BCM4 = 1 with "
			"STM32CubeProgrammer for both cores to start at reset)",
			(unsigned)c->vt[DFUSE_CORE_CM4]));
	if (!ob->bcm7 && ob->bcm4 && c->vt_how[DFUSE_CORE_CM7] != VT_NONE)
		DFUSE__TRY(dfuse__report_add_range(
			c->r, W, "core-boot-disabled", -1, -1,
			c->vt[DFUSE_CORE_CM7],
			(uint64_t)c->vt[DFUSE_CORE_CM7] + 1, DFUSE_CORE_CM7,
			"the board's option bytes say BCM7 = 0 (BCM4 = 1): "
			"the CM7 does not start at reset: only the CM4 starts, "
			"and the CM7 waits until the CM4 program releases it "
			"(RCC_GCR BOOT_C1, RM0399); this image's CM7 program "
			"at 0x%08x runs only then, and the ROM bootloader, "
			"which runs on the CM7 (AN2606), is reached only after "
			"that release too (set BCM7 = 1 with "
			"STM32CubeProgrammer for the CM7 to start at reset)",
			(unsigned)c->vt[DFUSE_CORE_CM7]));
	return 0;
}

/* The sectors of window w: size and count from the profile's bank at
 * that base, else from the device's layout.  WPSN holds one bit per
 * sector, 8 of them (RM0399 FLASH_WPSN); a bank of other sectors is
 * not mapped onto those bits (INFERRED: left unchecked). */
static int window_sectors(const struct ctx *c, uint32_t w, uint32_t *size,
			  uint32_t *count)
{
	size_t i;

	for (i = 0; i < c->p->nbanks; i++)
		if (c->p->banks[i].base == w) {
			*size = c->p->banks[i].sector_size;
			*count = c->p->banks[i].sector_count;
			return *count <= 8 && *size > 0;
		}
	if (c->layout != NULL) {
		dfuse_layout_segment s;
		int k = dfuse_layout_find(c->layout, w);

		if (k >= 0 &&
		    dfuse_layout_get_segment(&s, c->layout, (size_t)k) == 0 &&
		    s.sector_size > 0) {
			uint64_t left =
				(uint64_t)s.address +
				(uint64_t)s.sector_size * s.sector_count - w;

			*size = s.sector_size;
			*count = (uint32_t)(left / s.sector_size);
			if (*count > 8)
				*count = 8;
			return (w - s.address) % s.sector_size == 0 &&
			       *count > 0;
		}
	}
	return 0;
}

/* Appends to buf (bounded) the protected sectors of one window. */
static void list_window(char *buf, size_t cap, uint32_t w, uint32_t size,
			unsigned mask)
{
	size_t len = strlen(buf);
	unsigned n, count = 0, seen = 0;
	char *p;

	for (n = 0; n < 8; n++)
		count += (mask >> n) & 1u;
	p = buf + len;
	snprintf(p, cap - len, "%s%s ", len ? "; " : "",
		 count == 1 ? "sector" : "sectors");
	for (n = 0; n < 8; n++) {
		if (!((mask >> n) & 1u))
			continue;
		len = strlen(buf);
		seen++;
		snprintf(buf + len, cap - len, "%s%u",
			 seen == 1	 ? ""
			 : seen == count ? " and "
					 : ", ",
			 n);
	}
	len = strlen(buf);
	snprintf(buf + len, cap - len, " of the bank at 0x%08x (", (unsigned)w);
	for (n = 0, seen = 0; n < 8; n++) {
		unsigned last = n;

		if (!((mask >> n) & 1u))
			continue;
		while (last + 1 < 8 && ((mask >> (last + 1)) & 1u))
			last++;
		len = strlen(buf);
		snprintf(buf + len, cap - len, "%s0x%08x-0x%08llx",
			 seen++ ? ", " : "", (unsigned)(w + n * size),
			 (unsigned long long)((uint64_t)w +
					      (uint64_t)(last + 1) * size - 1));
		n = last;
	}
	len = strlen(buf);
	snprintf(buf + len, cap - len, ")");
}

/*
 * Write protection (nWRP in FLASH_WPSN, RM0399 §4.5: bit n clear =
 * sector n of that bank window protected; the decoder gives set bits
 * for protected sectors): the sectors the download erases (all of them
 * for a mass erase).  AN3156 says the ROM reports no error for an erase
 * of a protected sector and leaves it as it was, so the download would
 * go on and fail at its first write there (or, if the ROM let it, program
 * over the old bytes), with other sectors already erased: an error before
 * the first erase.  A block too short for a
 * window's WPSN word is a note, never "unprotected".
 */
static int protection_rules(struct ctx *c)
{
	const dfuse_option_bytes *ob = &c->board->ob;
	const int mass = (c->flags & DFUSE_CHECK_MASS_ERASE) != 0;
	char list[640] = "";
	uint64_t first = 0, last = 0;
	unsigned total = 0;
	int i;

	for (i = 0; i < WINDOWS; i++) {
		const uint32_t w = window_base[i];
		uint32_t size = 0, count = 0, n;
		unsigned mask = 0;

		if (!window_sectors(c, w, &size, &count))
			continue;
		if (!mass &&
		    !touches(c, w, (uint64_t)w + (uint64_t)size * count))
			continue;
		if (!ob->wrp_known[i]) {
			DFUSE__TRY(dfuse__report_add_range(
				c->r, DFUSE_SEV_NOTE,
				"write-protection-unknown", -1, -1, w,
				(uint64_t)w + (uint64_t)size * count,
				DFUSE_CORE_NONE,
				"the write protection of the bank at 0x%08x "
				"is unknown: the option-byte block read "
				"(%zu bytes) ends before its WPSN word; a "
				"protected sector there would stay as it is "
				"(the ROM reports no error for its erase) and "
				"the download would fail at its write, halfway",
				(unsigned)w, ob->decoded));
			continue;
		}
		for (n = 0; n < count; n++) {
			const uint64_t lo = (uint64_t)w + (uint64_t)n * size;

			if (((ob->wrp_sectors[i] >> n) & 1u) &&
			    (mass || touches(c, lo, lo + size))) {
				mask |= 1u << n;
				total++;
				if (first == 0)
					first = lo;
				last = lo + size;
			}
		}
		if (mask != 0)
			list_window(list, sizeof(list), w, size, mask);
	}
	if (first == 0)
		return 0;
	return dfuse__report_add_range(
		c->r, E, "write-protected", -1, -1, (uint32_t)first, last,
		DFUSE_CORE_NONE,
		"%s %s write-protected on this board (nWRP, RM0399), and %s: "
		"the ROM reports no error for an erase of a protected sector "
		"and leaves it as it was (AN3156), so the download would fail "
		"halfway, at its first write there; "
		"remove the protection with STM32CubeProgrammer (dfusetool "
		"does not write option bytes)",
		list, total > 1 ? "are" : "is",
		mass ? "a mass erase erases every sector"
		     : "the download erases them");
}

/* Does the image hold flash data of core k (alt 0)? */
static int has_flash_of(const struct ctx *c, int k)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->els[i].in_flash && c->els[i].end > c->els[i].address &&
		    (k == DFUSE_CORE_NONE || c->els[i].core == k))
			return 1;
	return 0;
}

/*
 * SWAP_BANK (RM0399 §4.3.13): with it set, 0x08000000-0x080FFFFF is
 * physical bank 2 and 0x08100000-0x081FFFFF physical bank 1, for the
 * ROM's writes and the cores' fetches alike; SWAP_BANK_OPT is copied to
 * OPTCR.SWAP_BANK only at reset, so when they differ a swap is pending.
 * What a swapped dual-core H745 does with the two cores' programs is not
 * documented (INFERRED: each physical bank holds the other core's
 * program as soon as the swap changes, and BOOT_CM4_ADD0 names an
 * address, not a physical bank): an error for an image with data of both
 * cores, a warning for one core's.
 */
static int swap_rule(struct ctx *c)
{
	const dfuse_option_bytes *ob = &c->board->ob;
	const int dual = dfuse__profile_dual(c->p) &&
			 has_flash_of(c, DFUSE_CORE_CM7) &&
			 has_flash_of(c, DFUSE_CORE_CM4);
	const int pending =
		ob->swap_bank >= 0 && ob->swap_bank != ob->swap_bank_opt;
	char state[200];

	if ((ob->swap_bank_opt != 1 && ob->swap_bank != 1) ||
	    !has_flash_of(c, DFUSE_CORE_NONE))
		return 0;
	if (pending)
		snprintf(state, sizeof(state),
			 "a bank swap change is pending (SWAP_BANK_OPT = %d, "
			 "OPTCR.SWAP_BANK = %d): it takes effect at the next "
			 "reset, after the download, so the banks change under "
			 "the addresses once the board restarts",
			 ob->swap_bank_opt, ob->swap_bank);
	else
		snprintf(state, sizeof(state),
			 "the flash banks are swapped (SWAP_BANK_OPT = 1%s)",
			 ob->swap_bank < 0 ? ", OPTCR.SWAP_BANK not in the "
					     "block read"
					   : ", OPTCR.SWAP_BANK = 1");
	return dfuse__report_add_range(
		c->r, dual ? E : W, "swap-bank", -1, -1, 0x08000000u,
		UINT64_C(0x08200000), DFUSE_CORE_NONE,
		"%s (RM0399 §4.3.13): with the swap, 0x08000000 is physical "
		"bank 2 and 0x08100000 physical bank 1, so what this image "
		"puts at 0x08000000 (the CM7's part) lands in the bank the "
		"CM4 runs from without the swap, and its part at 0x08100000 "
		"in the CM7's; BOOT_CM4_ADD0 = 0x%08x then points at the "
		"other physical bank, and each change of the swap exchanges "
		"the two cores' programs%s; clear SWAP_BANK_OPT with "
		"STM32CubeProgrammer (dfusetool does not write option bytes), "
		"or allow this code when the swap is intended",
		state, (unsigned)c->boot[DFUSE_CORE_CM4],
		dual ? ""
		     : " (this image updates one core: the other core "
		       "then runs whatever the other physical bank "
		       "holds)");
}

/*
 * PCROP (PRAR) and secure-only (SCAR) areas (RM0399 §4.5.4, §4.5.5): a
 * sector holding part of one cannot be erased sector by sector (the erase
 * is refused with a write-protection error; a board owner's report of a
 * PCROP area that kept sector 0 from being erased, second-hand, agrees),
 * and the area cannot be programmed: a download that erases such a sector
 * fails halfway.  An error before the first erase, naming the area and the
 * sectors.  START == END is ambiguous in RM0399 (one 256-byte block, or
 * the whole bank): the whole bank is taken, the cautious reading.  A
 * window whose word is not in the block read says nothing here (the
 * write-protection-unknown note covers that bank).
 */
static int area_rule(struct ctx *c, const dfuse_option_area *a,
		     const char *what, const char *field, uint32_t w)
{
	const int mass = (c->flags & DFUSE_CHECK_MASS_ERASE) != 0;
	uint32_t size = 0, count = 0, n;
	uint64_t lo, hi, first = 0, last = 0;
	unsigned mask = 0;
	char list[160] = "";

	if (!a->known || !a->active || !window_sectors(c, w, &size, &count))
		return 0;
	lo = a->ambiguous ? w : a->address;
	hi = a->ambiguous ? (uint64_t)w + (uint64_t)size * count : a->end;
	for (n = 0; n < count; n++) {
		const uint64_t s0 = (uint64_t)w + (uint64_t)n * size;
		const uint64_t s1 = s0 + size;

		if (s0 < hi && s1 > lo && (mass || touches(c, s0, s1))) {
			mask |= 1u << n;
			if (first == 0)
				first = s0;
			last = s1;
		}
	}
	if (mask == 0)
		return 0;
	list_window(list, sizeof(list), w, size, mask);
	return dfuse__report_add_range(
		c->r, E, "protected-area", -1, -1, (uint32_t)first, last,
		DFUSE_CORE_NONE,
		"the board has a %s area (%s) at 0x%08llx-0x%08llx%s, and %s "
		"%s: a sector that holds part of such an area cannot be erased "
		"sector by sector and the area cannot be written (RM0399), so "
		"the download would fail halfway; remove the area with "
		"STM32CubeProgrammer (dfusetool does not write option bytes)",
		what, field, (unsigned long long)lo,
		(unsigned long long)(hi - 1),
		a->ambiguous ? " (START == END: RM0399 can be read as the "
			       "whole bank, taken here)"
			     : "",
		mass ? "a mass erase erases every sector, among them"
		     : "the download erases",
		list);
}

static int area_rules(struct ctx *c)
{
	const dfuse_option_bytes *ob = &c->board->ob;
	int i;

	for (i = 0; i < WINDOWS; i++) {
		DFUSE__TRY(area_rule(c, &ob->pcrop[i], "PCROP (execute-only)",
				     i ? "PRAR_CUR2" : "PRAR_CUR1",
				     window_base[i]));
		DFUSE__TRY(area_rule(c, &ob->secure[i], "secure access",
				     i ? "SCAR_CUR2" : "SCAR_CUR1",
				     window_base[i]));
	}
	return 0;
}

/*
 * Read protection (RDP level 1, RM0399 §4.5.3; AN3156: the ROM refuses
 * reads, erases and writes with errVENDOR): a board that says so, by
 * its RDP byte or by refusing the option-byte read.  An error when the
 * work reads the flash back (verify, incremental compare), else a
 * warning.  Level 2 cannot be reached through the ROM at all (RM0399:
 * no boot from system memory), so a block saying so is an error.
 */
static int rdp_rule(struct ctx *c, const dfuse_board *b)
{
	const int readback = (c->flags & DFUSE_CHECK_READBACK) != 0;
	char what[64];

	if (b->state == DFUSE_BOARD_READ && b->ob.rdp_level == 2)
		return dfuse__report_add(
			c->r, E, "read-protected", -1, -1, -1,
			"the board's option bytes say RDP level 2 (0xCC): the "
			"chip is locked for good, and the ROM bootloader "
			"cannot run on it (RM0399), so nothing can be written "
			"or read through DFU");
	if (b->state == DFUSE_BOARD_READ && b->ob.rdp_level != 1)
		return 0;
	if (b->state != DFUSE_BOARD_READ && b->state != DFUSE_BOARD_PROTECTED)
		return 0;
	if (b->state == DFUSE_BOARD_READ)
		snprintf(what, sizeof(what), "RDP = 0x%02X, level 1",
			 (unsigned)b->ob.rdp);
	else
		snprintf(what, sizeof(what),
			 "the ROM refused the "
			 "option-byte read with errVENDOR");
	return dfuse__report_add(
		c->r, readback ? E : W, "read-protected", -1, -1, -1,
		"the board is read-protected (%s): the ROM bootloader "
		"refuses every read of the flash, so %s, and AN3156 (Table 4) "
		"says it refuses erase and write too; removing RDP level 1 "
		"mass-erases the whole flash (RM0399 §4.5.3), which dfusetool "
		"does not do (STM32CubeProgrammer can, if the board may be "
		"erased)",
		what,
		readback ? "verifying or comparing the flash is impossible"
			 : "nothing on the board can be read back");
}

static int board_rules(struct ctx *c)
{
	const dfuse_board *b = c->live;
	int k;

	if (b == NULL || b->state == DFUSE_BOARD_UNKNOWN || c->p == NULL)
		return 0;
	DFUSE__TRY(rdp_rule(c, b));
	if (b->state != DFUSE_BOARD_READ)
		return dfuse__report_add(
			c->r, DFUSE_SEV_NOTE, "board-not-read", -1, -1, -1,
			"the board's option bytes were not read (%s): the "
			"checks use the %s profile's boot addresses and "
			"cannot see the board's core boot enables, write "
			"protection or bank swap",
			b->why[0] ? b->why : "no reason given", c->p->name);
	DFUSE__TRY(conflict_rules(c));
	DFUSE__TRY(bootloader_rule(c));
	for (k = DFUSE_CORE_CM7; k < CORES; k++)
		if (c->p->cores & DFUSE_CORE_BIT(k))
			DFUSE__TRY(boot_rules(c, k));
	DFUSE__TRY(enable_rules(c));
	DFUSE__TRY(protection_rules(c));
	DFUSE__TRY(area_rules(c));
	return swap_rule(c);
}

/* ======== Codes ======== */

/* Every code this file reports (the table at the top of the file). */
static const char *const codes[] = {
	"outside-memory",
	"not-writable",
	"bootloader-cannot-write",
	"ram-element",
	"crosses-bank",
	"core-overlap",
	"shared-sector",
	"wrong-bank",
	"not-at-boot-address",
	"missing-core-image",
	"vector-table-misaligned",
	"sp-not-in-core-ram",
	"sp-near-ram-end",
	"cm7-stack-in-d2-sram",
	"reset-not-thumb",
	"reset-outside-image",
	"flash-word-unaligned",
	"vid-pid-mismatch",
	"no-vector-table",
	"duplicate-bytes",
	"boot-address-conflict",
	"board-boot-address",
	"boot-to-bootloader",
	"core-boot-disabled",
	"write-protected",
	"write-protection-unknown",
	"protected-area",
	"swap-bank",
	"read-protected",
	"board-not-read",
};

const char *dfuse_check_get_code(size_t i)
{
	return i < sizeof(codes) / sizeof(codes[0]) ? codes[i] : NULL;
}

int dfuse_check_has_code(const char *code)
{
	size_t i;

	if (code == NULL)
		return 0;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i], code) == 0)
			return 1;
	return 0;
}

/* ======== Driver ======== */

static void boot_addresses(struct ctx *c, const dfuse_check_options *o)
{
	memset(c->boot, 0, sizeof(c->boot));
	if (c->p == NULL)
		return;
	c->boot[DFUSE_CORE_CM7] = c->p->boot_cm7;
	c->boot[DFUSE_CORE_CM4] = c->p->boot_cm4;
	if (o != NULL && o->boot_cm7 &&
	    (c->p->cores & DFUSE_CORE_BIT(DFUSE_CORE_CM7)))
		c->boot[DFUSE_CORE_CM7] = o->boot_cm7;
	if (o != NULL && o->boot_cm4 &&
	    (c->p->cores & DFUSE_CORE_BIT(DFUSE_CORE_CM4)))
		c->boot[DFUSE_CORE_CM4] = o->boot_cm4;
	if (o == NULL || o->board == NULL ||
	    o->board->state != DFUSE_BOARD_READ)
		return;
	/* the board's BOOT_CMx_ADD0 (BOOT0 low, RM0399 §4.4) is what runs
	 * after a reset: it replaces the profile's and the caller's (a
	 * caller's that differs is boot-address-conflict) */
	c->board = o->board;
	c->given[DFUSE_CORE_CM7] = o->boot_cm7;
	c->given[DFUSE_CORE_CM4] = o->boot_cm4;
	if (c->p->cores & DFUSE_CORE_BIT(DFUSE_CORE_CM7)) {
		c->dflt[DFUSE_CORE_CM7] = c->p->boot_cm7;
		c->boot[DFUSE_CORE_CM7] = o->board->ob.boot_cm7_add0;
	} else {
		c->given[DFUSE_CORE_CM7] = 0;
	}
	if (c->p->cores & DFUSE_CORE_BIT(DFUSE_CORE_CM4)) {
		c->dflt[DFUSE_CORE_CM4] = c->p->boot_cm4;
		c->boot[DFUSE_CORE_CM4] = o->board->ob.boot_cm4_add0;
	} else {
		c->given[DFUSE_CORE_CM4] = 0;
	}
}

static const dfuse_profile *pick_profile(const dfuse_check_options *o)
{
	if (o != NULL && o->profile != NULL)
		return o->profile;
	if (o != NULL && o->layout != NULL)
		return NULL; /* a part without a profile */
	return dfuse_profile_default();
}

/* The options checked and the context every entry point starts from. */
static int begin(struct ctx *c, const dfuse_image *img,
		 const dfuse_check_options *opts)
{
	if (opts != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_check_options",
						opts->version,
						DFUSE_CHECK_OPTIONS_VERSION));
	memset(c, 0, sizeof(*c));
	c->img = img;
	c->p = pick_profile(opts);
	c->layout = opts ? opts->layout : NULL;
	c->flags = opts ? opts->flags : 0;
	c->live = opts ? opts->board : NULL;
	if (opts != NULL) {
		size_t i;

		if (opts->allow == NULL && opts->allow_count > 0)
			return dfuse__error(DFUSE_EINVAL,
					    "allow list is NULL with %zu codes",
					    opts->allow_count);
		for (i = 0; i < opts->allow_count; i++)
			if (!dfuse_check_has_code(opts->allow[i]))
				return dfuse__error(
					DFUSE_EINVAL,
					"allow list: '%s' is not a check code",
					opts->allow[i] ? opts->allow[i]
						       : "(null)");
		c->allow = opts->allow;
		c->allow_count = opts->allow_count;
	}
	boot_addresses(c, opts);
	return 0;
}

int dfuse_image_get_element_core(const dfuse_image *img, size_t target,
				 size_t element,
				 const dfuse_check_options *opts)
{
	struct ctx c;

	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (element >= img->t[target].n)
		return dfuse__error(DFUSE_EINVAL,
				    "target %zu has no element %zu", target,
				    element);
	DFUSE__TRY(begin(&c, img, opts));
	return core_of(&c, &img->t[target].el[element]);
}

static int collect(struct ctx *c)
{
	struct dfuse__span *s;
	size_t i, n;

	DFUSE__TRY(dfuse__flatten(&s, &n, c->img, 0));
	c->els = calloc(n ? n : 1, sizeof(*c->els));
	if (c->els == NULL) {
		free(s);
		return dfuse__oom();
	}
	for (i = 0; i < n; i++) {
		const struct element *src = s[i].el;
		struct el *x = &c->els[c->n++];

		x->address = s[i].address;
		x->end = s[i].end;
		x->data = src->data;
		x->alt0 = s[i].alt0;
		x->core = c->p && x->alt0 ? core_of(c, src) : src->core;
		x->target = (int)s[i].target;
		x->element = (int)s[i].element;
		x->in_flash =
			x->alt0 && bank_at(c->p, src->address, NULL) != NULL;
	}
	free(s);
	return 0;
}

static int run(struct ctx *c)
{
	size_t i;
	int k;

	for (i = 0; i < c->n; i++) {
		const struct el *x = &c->els[i];

		if (x->end == x->address)
			continue; /* the reader reports empty elements */
		DFUSE__TRY(memory_rules(c, x));
		if (c->layout != NULL)
			DFUSE__TRY(layout_rules(c, x));
		if (c->p != NULL)
			DFUSE__TRY(bank_rules(c, x));
	}
	DFUSE__TRY(dup_rules(c));
	if (c->p == NULL)
		return 0;
	DFUSE__TRY(overlap_rules(c));
	if (dfuse__profile_dual(c->p))
		DFUSE__TRY(sector_rules(c));
	for (k = DFUSE_CORE_CM7; k < CORES; k++)
		if (c->p->cores & DFUSE_CORE_BIT(k))
			c->vt[k] = vector_table_at(c, k, &c->vt_how[k]);
	DFUSE__TRY(board_rules(c));
	DFUSE__TRY(placement_rules(c));
	for (k = DFUSE_CORE_CM7; k < CORES; k++) {
		if (!(c->p->cores & DFUSE_CORE_BIT(k)))
			continue;
		DFUSE__TRY(vector_rules(c, k));
		DFUSE__TRY(no_table_rule(c, k));
	}
	return id_rules(c);
}

int dfuse_check(dfuse_report **out, const dfuse_image *img,
		const dfuse_check_options *opts)
{
	struct ctx c;
	int rc;

	if (out == NULL || img == NULL)
		return dfuse__error(DFUSE_EINVAL, "dfuse_check: NULL argument");
	*out = NULL;
	DFUSE__TRY(begin(&c, img, opts));
	if (c.p != NULL) {
		int k;

		for (k = DFUSE_CORE_CM7; k < CORES; k++)
			if (c.boot[k] != 0 && c.boot[k] % 0x10000 != 0)
				return dfuse__error(
					DFUSE_EINVAL,
					"boot address 0x%08x of the %s is not "
					"64 KiB-aligned: BOOT_CM%c_ADD holds "
					"address bits 31:16",
					(unsigned)c.boot[k], cname(k),
					k == DFUSE_CORE_CM7 ? '7' : '4');
	}
	DFUSE__TRY(dfuse__report_new(&c.r));
	dfuse__report_set_allow(c.r, c.allow, c.allow_count);
	rc = collect(&c);
	if (rc == 0)
		rc = run(&c);
	dfuse__report_set_allow(c.r, NULL, 0); /* the options are borrowed */
	free(c.els);
	if (rc < 0) {
		dfuse_report_free(c.r);
		return rc;
	}
	*out = c.r;
	return 0;
}

int dfuse_image_get_vector_table(dfuse_vector_info *out, const dfuse_image *img,
				 int core, const dfuse_check_options *opts)
{
	struct ctx c;
	int rc, how = VT_NONE;
	uint32_t vt;

	if (out == NULL || img == NULL)
		return dfuse__error(
			DFUSE_EINVAL,
			"dfuse_image_get_vector_table: NULL argument");
	memset(out, 0, sizeof(*out));
	DFUSE__TRY(begin(&c, img, opts));
	if (c.p == NULL || core <= DFUSE_CORE_NONE || core >= CORES ||
	    !(c.p->cores & DFUSE_CORE_BIT(core)))
		return 0;
	DFUSE__TRY(collect(&c));
	vt = vector_table_at(&c, core, &how);
	rc = 0;
	if (how != VT_NONE) {
		out->address = vt;
		out->at_boot = how == VT_BOOT;
		out->has_words = read_word(&c, vt, &out->sp) &&
				 read_word(&c, vt + 4, &out->reset);
		rc = 1;
	}
	free(c.els);
	return rc;
}
