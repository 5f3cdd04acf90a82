/*
 * svg.c - the memory map as a picture: a standalone SVG, or an HTML page
 * with the same SVG inline and tables of the elements and findings.
 *
 * ======== Scale ========
 *
 * Memory is drawn as rows, like a hex dump: every row is ROW_W pixels wide
 * and holds row_bytes bytes, the same number in every block, so every byte
 * has the same width everywhere in the picture.  row_bytes is the largest
 * sector size, raised (in whole sectors) until no bank needs more than 16
 * rows: 128 KiB on the H745, one sector per row, 128 bytes per pixel.
 *
 * Blocks: each flash bank (its sectors outlined), then each other region
 * of the profile (RAM tinted by the cores that reach it; system memory,
 * option bytes).  An address a in a block based at B lies at
 *     row = (a - B) / row_bytes,  x = X0 + ((a - B) % row_bytes) * scale,
 *     y = Y0 + row * ROW_PITCH
 * where (X0, Y0) is the block's first row, recorded with the base in the
 * block's data-x, data-y and data-base attributes; the root <svg> records
 * data-row-bytes and data-row-width.  The tests render the picture in a
 * browser and find each core's colour where that formula puts it.
 *
 * A row is a band (ROW_BAND high: sectors, regions, elements), then a lane
 * (ROW_LANE: findings, coloured by severity).  Vector tables are dark
 * triangles on the band's top edge; each core's initial SP is a dark bar
 * in the RAM it points into.  Every shape has a <title>: browsers show its
 * address range on hover.  What has no place in a block (findings without
 * an address, data outside every memory) is listed under the picture.
 */
#include "findings.h"
#include "flash.h"
#include "map.h"
#include "num.h"

#include <dfuse.h>

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define ROW_W 1024 /* pixels per row */
#define LEFT 120   /* row labels */
#define RIGHT 230  /* usage labels */
#define WIDTH (LEFT + ROW_W + RIGHT)
#define TOP 78	/* title and legend */
#define HEAD 26 /* block title */
#define ROW_BAND 20
#define ROW_LANE 6
#define ROW_PITCH 34
#define BLOCK_GAP 14
#define LINE 17	    /* text lines below the picture */
#define MAX_ROWS 16 /* per bank */

/* Colours (the terminal uses the nearest 256-colour ones). */
static const char *const core_fill[MAP_CORES] = {
	"#6e7781", /* no core: grey */
	"#1f6feb", /* cm7: blue */
	"#e8590c", /* cm4: orange */
};
#define SEV_NOTE "#8250df"
#define SEV_WARNING "#bf8700"
#define SEV_ERROR "#cf222e"
#define SECTOR_FILL "#f6f8fa"
#define SECTOR_LINE "#8c959f"
#define MARK "#24292f"

/*
 * Bounds, so that the picture stays a picture whatever the file holds (a
 * 64 MiB file can hold 7 million elements, each with findings): past
 * MAX_SHAPES elements, the elements of one core in one sector (one row
 * outside flash) are drawn as one shape, and the picture says so; past
 * MAX_SHAPES findings, the rest are counted and not drawn; notes under the
 * picture and the HTML tables list MAX_LIST lines of each kind, then how
 * many more.  `dfusetool dump` and `check` list everything.
 */
#define MAX_SHAPES 2000
#define MAX_LIST 200

struct block {
	uint32_t base;
	uint64_t size;
	int flash;
	uint32_t sector_size; /* flash only */
	unsigned int bank;    /* flash only */
	int core;	      /* flash: the bank's core */
	dfuse_region_info r;  /* other regions */
	int y;		      /* first row */
};

struct pic {
	FILE *f;
	const struct map *m;
	uint64_t row_bytes;
	double scale; /* pixels per byte */
	struct block *blocks;
	size_t nblocks;
	int height;
};

static void out(struct pic *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out(struct pic *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
}

/* Text for XML: markup characters as entities, valid UTF-8 as it is,
 * other bytes and control characters as U+FFFD. */
/* What the command line can do about a finding, as "; HINT", or "". */
static const char *hint_tail(char *buf, size_t n, const dfuse_finding *f)
{
	const char *h = findings_cli_hint(f->code);

	buf[0] = '\0';
	if (h != NULL)
		snprintf(buf, n, "; %s", h);
	return buf;
}

static void text(struct pic *p, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		size_t n = 0, k;

		if (*u == '&')
			fputs("&amp;", p->f);
		else if (*u == '<')
			fputs("&lt;", p->f);
		else if (*u == '>')
			fputs("&gt;", p->f);
		else if (*u == '"')
			fputs("&quot;", p->f);
		else if (*u < 0x20 && *u != '\t' && *u != '\n')
			fputs("\xef\xbf\xbd", p->f);
		else if (*u < 0x80)
			fputc(*u, p->f);
		else {
			if (*u >= 0xc2 && *u <= 0xdf)
				n = 2;
			else if (*u >= 0xe0 && *u <= 0xef)
				n = 3;
			else if (*u >= 0xf0 && *u <= 0xf4)
				n = 4;
			for (k = 1; k < n; k++)
				if ((u[k] & 0xc0) != 0x80)
					n = 0;
			if (n == 0) {
				fputs("\xef\xbf\xbd", p->f);
			} else {
				fwrite(u, 1, n, p->f);
				u += n;
				continue;
			}
		}
		u++;
	}
}

static void title(struct pic *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void title(struct pic *p, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out(p, "<title>");
	text(p, buf);
	out(p, "</title>");
}

/* ======== Layout ======== */

static uint64_t rows_of(const struct pic *p, uint64_t size)
{
	return size == 0 ? 1 : (size + p->row_bytes - 1) / p->row_bytes;
}

static void choose_scale(struct pic *p)
{
	dfuse_profile_info pi;
	uint64_t rb = 0;
	size_t b;

	dfuse_profile_get_info(&pi, p->m->profile);
	for (b = 0; b < pi.bank_count; b++) {
		dfuse_bank_info bk;
		uint64_t size, want;

		if (dfuse_profile_get_bank(&bk, p->m->profile, b) < 0 ||
		    bk.sector_size == 0)
			continue;
		size = (uint64_t)bk.sector_size * bk.sector_count;
		want = (size + MAX_ROWS - 1) / MAX_ROWS;
		want = (want + bk.sector_size - 1) / bk.sector_size *
		       bk.sector_size;
		if (want < bk.sector_size)
			want = bk.sector_size;
		if (want > rb)
			rb = want;
	}
	p->row_bytes = rb ? rb : 128 * 1024;
	p->scale = (double)ROW_W / (double)p->row_bytes;
}

static int layout(struct pic *p)
{
	dfuse_profile_info pi;
	size_t b, i, n = 0;
	int y = TOP;

	dfuse_profile_get_info(&pi, p->m->profile);
	p->blocks =
		calloc(pi.bank_count + pi.region_count + 1, sizeof(*p->blocks));
	if (p->blocks == NULL)
		return -1;
	for (b = 0; b < pi.bank_count; b++) {
		dfuse_bank_info bk;
		struct block *k = &p->blocks[n];

		if (dfuse_profile_get_bank(&bk, p->m->profile, b) < 0)
			continue;
		k->base = bk.base;
		k->size = (uint64_t)bk.sector_size * bk.sector_count;
		k->flash = 1;
		k->sector_size = bk.sector_size;
		k->bank = bk.number;
		k->core = bk.core;
		n++;
	}
	for (i = 0; i < pi.region_count; i++) {
		struct block *k = &p->blocks[n];

		if (dfuse_profile_get_region(&k->r, p->m->profile, i) < 0 ||
		    k->r.kind == DFUSE_MEM_FLASH || k->r.size == 0)
			continue;
		k->base = k->r.base;
		k->size = k->r.size;
		n++;
	}
	p->nblocks = n;
	for (b = 0; b < n; b++) {
		p->blocks[b].y = y + HEAD;
		y += HEAD + (int)rows_of(p, p->blocks[b].size) * ROW_PITCH +
		     BLOCK_GAP;
	}
	p->height = y;
	return 0;
}

static const struct block *block_at(const struct pic *p, uint64_t a)
{
	size_t i;

	for (i = 0; i < p->nblocks; i++)
		if (a >= p->blocks[i].base &&
		    a < p->blocks[i].base + p->blocks[i].size)
			return &p->blocks[i];
	return NULL;
}

/*
 * Calls draw(x, width, row_y) for each row piece of [lo, hi) inside block
 * k (clipped to it); pieces narrower than `min` pixels are widened.
 */
static void span(struct pic *p, const struct block *k, uint64_t lo, uint64_t hi,
		 double min,
		 void (*draw)(struct pic *, double, double, int, void *),
		 void *ctx)
{
	const uint64_t end = k->base + k->size;

	if (lo < k->base)
		lo = k->base;
	if (hi > end)
		hi = end;
	while (lo < hi) {
		const uint64_t off = lo - k->base, row = off / p->row_bytes;
		const uint64_t row_end = k->base + (row + 1) * p->row_bytes;
		const uint64_t piece = (hi < row_end ? hi : row_end) - lo;
		double x = LEFT + (double)(off % p->row_bytes) * p->scale;
		double w = (double)piece * p->scale;

		if (w < min) {
			w = min;
			if (x + w > LEFT + ROW_W)
				x = LEFT + ROW_W - w;
		}
		draw(p, x, w, k->y + (int)row * ROW_PITCH, ctx);
		lo += piece;
	}
}

/* ======== Shapes ======== */

struct shape {
	const char *fill;
	int lane;	 /* in the findings lane instead of the band */
	const char *tip; /* <title> */
};

static void draw_rect(struct pic *p, double x, double w, int y, void *ctx)
{
	const struct shape *s = ctx;

	out(p,
	    "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
	    "fill=\"%s\">",
	    x, s->lane ? y + ROW_BAND + 1 : y, w, s->lane ? ROW_LANE : ROW_BAND,
	    s->fill);
	title(p, "%s", s->tip);
	out(p, "</rect>\n");
}

static const char *sev_color(int severity)
{
	if (severity == DFUSE_SEV_ERROR)
		return SEV_ERROR;
	if (severity == DFUSE_SEV_WARNING)
		return SEV_WARNING;
	return SEV_NOTE;
}

static const char *region_fill(const dfuse_region_info *r)
{
	const unsigned int c7 = DFUSE_CORE_BIT(DFUSE_CORE_CM7),
			   c4 = DFUSE_CORE_BIT(DFUSE_CORE_CM4);

	if (r->kind != DFUSE_MEM_RAM)
		return "#eaeef2";
	if ((r->cores & (c7 | c4)) == c7)
		return "#ddf4ff"; /* the CM7 alone: light blue */
	if ((r->cores & (c7 | c4)) == c4)
		return "#fff1e5"; /* the CM4 alone: light orange */
	return "#f0f0f4";
}

static void cores_of(char *buf, size_t n, unsigned int mask)
{
	snprintf(buf, n, "%s%s%s",
		 mask & DFUSE_CORE_BIT(DFUSE_CORE_CM7) ? "cm7" : "",
		 (mask & DFUSE_CORE_BIT(DFUSE_CORE_CM7)) &&
				 (mask & DFUSE_CORE_BIT(DFUSE_CORE_CM4))
			 ? "+"
			 : "",
		 mask & DFUSE_CORE_BIT(DFUSE_CORE_CM4) ? "cm4" : "");
	if (buf[0] == '\0')
		snprintf(buf, n, "no core");
}

static void draw_block(struct pic *p, const struct block *k)
{
	const uint64_t rows = rows_of(p, k->size);
	char sz[32], cores[16], tip[256];
	uint64_t r;

	out(p,
	    "<g class=\"block\" data-kind=\"%s\" data-base=\"0x%08x\" "
	    "data-size=\"%llu\" data-x=\"%d\" data-y=\"%d\">\n",
	    k->flash ? "flash" : flash_kind_name(k->r.kind), (unsigned)k->base,
	    (unsigned long long)k->size, LEFT, k->y);
	out(p,
	    "<text x=\"%d\" y=\"%d\" font-size=\"14\" "
	    "font-weight=\"bold\">",
	    LEFT, k->y - 8);
	if (k->flash) {
		char ssz[32];

		snprintf(tip, sizeof(tip),
			 "Flash bank %u  0x%08x-0x%08llx  %s in %llu x %s "
			 "sectors%s%s%s",
			 k->bank, (unsigned)k->base,
			 (unsigned long long)(k->base + k->size - 1),
			 num_size_text(sz, sizeof(sz), k->size),
			 (unsigned long long)(k->size / k->sector_size),
			 num_size_text(ssz, sizeof(ssz), k->sector_size),
			 k->core ? ", " : "",
			 k->core ? dfuse_core_name(k->core) : "",
			 k->core ? " boots here" : "");
	} else {
		cores_of(cores, sizeof(cores), k->r.cores);
		snprintf(tip, sizeof(tip), "%s  0x%08x-0x%08llx  %s %s, %s%s",
			 k->r.name, (unsigned)k->base,
			 (unsigned long long)(k->base + k->size - 1),
			 num_size_text(sz, sizeof(sz), k->size),
			 flash_kind_name(k->r.kind), cores,
			 k->r.bootloader_writable
				 ? ", the ROM DFU bootloader writes it"
				 : "");
	}
	text(p, tip);
	out(p, "</text>\n");

	for (r = 0; r < rows; r++) {
		const uint64_t a = k->base + r * p->row_bytes;
		const int y = k->y + (int)r * ROW_PITCH;
		const uint64_t n = k->base + k->size - a < p->row_bytes
					   ? k->base + k->size - a
					   : p->row_bytes;
		unsigned int used_cores;
		const uint64_t used =
			map_used(p->m, (uint32_t)a, n, &used_cores);

		out(p,
		    "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
		    "text-anchor=\"end\" font-family=\"monospace\">"
		    "0x%08llx</text>\n",
		    LEFT - 8, y + 14, (unsigned long long)a);
		if (!k->flash) {
			struct shape s;

			s.fill = region_fill(&k->r);
			s.lane = 0;
			s.tip = tip;
			span(p, k, a, a + n, 1, draw_rect, &s);
		}
		if (used > 0) {
			cores_of(cores, sizeof(cores), used_cores);
			out(p,
			    "<text x=\"%d\" y=\"%d\" font-size=\"12\">"
			    "%s %llu B (%.1f%%)</text>\n",
			    LEFT + ROW_W + 8, y + 14, cores,
			    (unsigned long long)used,
			    100.0 * (double)used / (double)n);
		}
	}
	if (k->flash) {
		uint64_t s;

		for (s = 0; s < k->size / k->sector_size; s++) {
			const uint64_t a = k->base + s * k->sector_size;
			unsigned int used_cores;
			const uint64_t used = map_used(
				p->m, (uint32_t)a, k->sector_size, &used_cores);
			char sect[256];
			struct shape sh;

			cores_of(cores, sizeof(cores), used_cores);
			snprintf(sect, sizeof(sect),
				 "bank %u sector %llu: 0x%08llx-0x%08llx, %llu "
				 "of %u bytes used%s%s",
				 k->bank, (unsigned long long)s,
				 (unsigned long long)a,
				 (unsigned long long)(a + k->sector_size - 1),
				 (unsigned long long)used,
				 (unsigned)k->sector_size, used ? " by " : "",
				 used ? cores : "");
			sh.fill = SECTOR_FILL;
			sh.lane = 0;
			sh.tip = sect;
			span(p, k, a, a + k->sector_size, 1, draw_rect, &sh);
		}
	}
	out(p, "</g>\n");
}

/* Sector outlines on top of the elements, so that boundaries show. */
static void outline(struct pic *p, double x, double w, int y, void *ctx)
{
	(void)ctx;
	out(p,
	    "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
	    "fill=\"none\" stroke=\"" SECTOR_LINE "\" stroke-width=\"1\" "
	    "pointer-events=\"none\"/>\n",
	    x + 0.5, y, w - 1, ROW_BAND);
}

static void draw_outlines(struct pic *p, const struct block *k)
{
	uint64_t s;

	if (!k->flash)
		return;
	for (s = 0; s < k->size / k->sector_size; s++) {
		const uint64_t a = k->base + s * k->sector_size;

		span(p, k, a, a + k->sector_size, 1, outline, NULL);
	}
}

/* A label right of an element's first row piece when the row has room
 * for it before the next element: "cm7 0x08000000-0x0800037f, 896 B". */
static void label_element(struct pic *p, size_t i)
{
	const struct map_el *e = &p->m->els[i];
	const struct block *k = block_at(p, e->address);
	uint64_t row_start, row_end, first_end, stop;
	char txt[96];

	if (k == NULL)
		return;
	row_start =
		k->base + (e->address - k->base) / p->row_bytes * p->row_bytes;
	row_end = row_start + p->row_bytes;
	if (row_end > k->base + k->size)
		row_end = k->base + k->size;
	first_end = e->end < row_end ? e->end : row_end;
	stop = row_end;
	if (i + 1 < p->m->nels && p->m->els[i + 1].address < stop)
		stop = p->m->els[i + 1].address;
	snprintf(txt, sizeof(txt), "%s 0x%08x-0x%08llx, %llu B",
		 e->core ? dfuse_core_name(e->core) : "no core",
		 (unsigned)e->address, (unsigned long long)(e->end - 1),
		 (unsigned long long)(e->end - e->address));
	/* about 6.5 pixels a character at font-size 11 */
	if (stop <= first_end ||
	    (double)(stop - first_end) * p->scale < 6.5 * strlen(txt) + 12)
		return;
	out(p,
	    "<text x=\"%.2f\" y=\"%d\" font-size=\"11\" fill=\"" MARK
	    "\">%s</text>\n",
	    LEFT + (double)(first_end - row_start) * p->scale + 5,
	    k->y + (int)((e->address - k->base) / p->row_bytes) * ROW_PITCH +
		    14,
	    txt);
}

static void draw_one(struct pic *p, size_t i)
{
	const struct map_el *e = &p->m->els[i];
	char tip[512];
	struct shape s;
	size_t b;

	snprintf(tip, sizeof(tip),
		 "%s: target %zu element %zu, 0x%08x-0x%08llx, %llu bytes%s%s",
		 e->core ? dfuse_core_name(e->core) : "no core", e->target,
		 e->element, (unsigned)e->address,
		 (unsigned long long)(e->end - 1),
		 (unsigned long long)(e->end - e->address),
		 e->source ? ", from " : "", e->source ? e->source : "");
	s.fill = core_fill[e->core];
	s.lane = 0;
	s.tip = tip;
	for (b = 0; b < p->nblocks; b++)
		span(p, &p->blocks[b], e->address, e->end, 1, draw_rect, &s);
	label_element(p, i);
}

/* One core's elements in one cell, drawn as one shape. */
struct group {
	uint64_t lo, hi, bytes;
	size_t count;
};

/* The cell of an address, for grouping: its block and its sector (flash)
 * or row (elsewhere); elements outside every block share one cell. */
static uint64_t cell_of(const struct pic *p, uint64_t a)
{
	const struct block *k = block_at(p, a);
	const uint64_t unit = k == NULL	 ? 0
			      : k->flash ? k->sector_size
					 : p->row_bytes;

	if (k == NULL)
		return UINT64_MAX;
	return ((uint64_t)(k - p->blocks) << 40) | ((a - k->base) / unit);
}

static void flush_groups(struct pic *p, struct group *g)
{
	int core;

	for (core = 0; core < MAP_CORES; core++) {
		char tip[256];
		struct shape s;
		size_t b;

		if (g[core].count == 0)
			continue;
		snprintf(tip, sizeof(tip),
			 "%s: %zu element%s grouped, 0x%08llx-0x%08llx, %llu "
			 "bytes of data (over %d elements: one shape per core "
			 "and sector; 'dfusetool dump' lists each)",
			 core ? dfuse_core_name(core) : "no core",
			 g[core].count, g[core].count == 1 ? "" : "s",
			 (unsigned long long)g[core].lo,
			 (unsigned long long)(g[core].hi - 1),
			 (unsigned long long)g[core].bytes, MAX_SHAPES);
		s.fill = core_fill[core];
		s.lane = 0;
		s.tip = tip;
		for (b = 0; b < p->nblocks; b++)
			span(p, &p->blocks[b], g[core].lo, g[core].hi, 1,
			     draw_rect, &s);
		memset(&g[core], 0, sizeof(g[core]));
	}
}

static void draw_elements(struct pic *p)
{
	struct group g[MAP_CORES];
	uint64_t cell = 0;
	size_t i;

	if (p->m->nels <= MAX_SHAPES) {
		for (i = 0; i < p->m->nels; i++)
			if (p->m->els[i].end > p->m->els[i].address)
				draw_one(p, i);
		return;
	}
	memset(g, 0, sizeof(g));
	for (i = 0; i < p->m->nels; i++) {
		const struct map_el *e = &p->m->els[i];
		const uint64_t c = cell_of(p, e->address);
		struct group *x;

		if (e->end == e->address || c == UINT64_MAX)
			continue;
		if (c != cell)
			flush_groups(p, g);
		cell = c;
		x = &g[e->core < MAP_CORES ? e->core : 0];
		if (x->count == 0 || e->address < x->lo)
			x->lo = e->address;
		if (x->count == 0 || e->end > x->hi)
			x->hi = e->end;
		x->bytes += e->end - e->address;
		x->count++;
	}
	flush_groups(p, g);
}

/* Notes first, errors last: where findings overlap, the worst shows. */
static void draw_findings(struct pic *p)
{
	size_t i, b, n = dfuse_report_count(p->m->findings);
	int sev;

	size_t drawn = 0;

	for (sev = DFUSE_SEV_NOTE; sev <= DFUSE_SEV_ERROR; sev++)
		for (i = 0; i < n; i++) {
			dfuse_finding f;
			char hint[256];
			char tip[1024];
			struct shape s;

			if (dfuse_report_get(&f, p->m->findings, i) < 0 ||
			    !f.has_range || f.severity != sev)
				continue;
			/* the worst are drawn last: keep the last MAX_SHAPES */
			if (n > MAX_SHAPES && drawn++ < n - MAX_SHAPES)
				continue;
			snprintf(tip, sizeof(tip),
				 "%s [%s] 0x%08x-0x%08llx: %s%s",
				 dfuse_severity_name(f.severity), f.code,
				 (unsigned)f.address,
				 (unsigned long long)(f.end > f.address
							      ? f.end - 1
							      : f.end),
				 f.message, hint_tail(hint, sizeof(hint), &f));
			s.fill = sev_color(f.severity);
			s.lane = 1;
			s.tip = tip;
			for (b = 0; b < p->nblocks; b++)
				span(p, &p->blocks[b], f.address,
				     f.end > f.address ? f.end
						       : f.address + 1ull,
				     3, draw_rect, &s);
		}
}

/* The position of an address: in the block holding it, else at the end
 * of the block it is one past (a stack pointer at the end of its RAM). */
static int where(const struct pic *p, uint64_t a, double *x, int *y)
{
	const struct block *k = block_at(p, a);
	size_t i;

	for (i = 0; k == NULL && a > 0 && i < p->nblocks; i++)
		if (a == p->blocks[i].base + p->blocks[i].size)
			k = &p->blocks[i];
	if (k != NULL) {
		const uint64_t off = a - k->base;

		if (off == k->size && off > 0 && off % p->row_bytes == 0) {
			/* the end of a full row: its right edge */
			*x = LEFT + ROW_W;
			*y = k->y + (int)(off / p->row_bytes - 1) * ROW_PITCH;
		} else {
			*x = LEFT + (double)(off % p->row_bytes) * p->scale;
			*y = k->y + (int)(off / p->row_bytes) * ROW_PITCH;
		}
		return 1;
	}
	return 0;
}

static void draw_vectors(struct pic *p)
{
	int k;

	for (k = DFUSE_CORE_CM7; k < MAP_CORES; k++) {
		const dfuse_vector_info *v = &p->m->vt[k];
		double x;
		int y;

		if (v->address == 0 || !where(p, v->address, &x, &y))
			continue;
		out(p, "<path d=\"M%.2f %d l-5 -7 h10 z\" fill=\"" MARK "\">",
		    x, y + 2);
		if (v->has_words)
			title(p,
			      "%s vector table at 0x%08x (%s): initial SP "
			      "0x%08x, reset 0x%08x",
			      dfuse_core_name(k), (unsigned)v->address,
			      v->at_boot ? "its boot address"
					 : "its lowest flash element",
			      (unsigned)v->sp, (unsigned)v->reset);
		else
			title(p, "%s vector table at 0x%08x",
			      dfuse_core_name(k), (unsigned)v->address);
		out(p, "</path>\n");
		/* the initial SP: the stack grows down from it */
		if (!v->has_words || v->sp == 0 || !where(p, v->sp, &x, &y) ||
		    block_at(p, v->sp - 1) == NULL)
			continue;
		out(p,
		    "<rect x=\"%.2f\" y=\"%d\" width=\"3\" height=\"%d\" "
		    "fill=\"" MARK "\">",
		    x - 3, y - 3, ROW_BAND + 6);
		title(p,
		      "%s initial SP 0x%08x (the stack grows down from "
		      "here)",
		      dfuse_core_name(k), (unsigned)v->sp);
		out(p,
		    "</rect>\n<text x=\"%.2f\" y=\"%d\" font-size=\"11\" "
		    "text-anchor=\"end\">%s SP</text>\n",
		    x - 6, y + 14, dfuse_core_name(k));
	}
}

static void legend(struct pic *p)
{
	static const struct {
		const char *color, *name;
	} keys[] = {
		{"#1f6feb", "cm7 data"},     {"#e8590c", "cm4 data"},
		{"#6e7781", "no core"},	     {SECTOR_FILL, "empty sector"},
		{"#ddf4ff", "cm7-only RAM"}, {"#fff1e5", "cm4-only RAM"},
		{SEV_ERROR, "error"},	     {SEV_WARNING, "warning"},
		{SEV_NOTE, "note"},	     {MARK, "vector table, SP"},
	};
	size_t i;
	int x = LEFT;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		out(p,
		    "<rect x=\"%d\" y=\"46\" width=\"14\" height=\"14\" "
		    "fill=\"%s\" stroke=\"" SECTOR_LINE "\"/>"
		    "<text x=\"%d\" y=\"58\" font-size=\"12\">%s</text>\n",
		    x, keys[i].color, x + 18, keys[i].name);
		x += 18 + 8 * (int)strlen(keys[i].name) + 14;
	}
}

/* Lines under the picture: what has no place in a block. */
static int notes(struct pic *p, int y, int emit)
{
	size_t i;
	int n = 0;

#define NOTE(...)                                                              \
	do {                                                                   \
		if (emit) {                                                    \
			char line_[1200];                                      \
			snprintf(line_, sizeof(line_), __VA_ARGS__);           \
			out(p, "<text x=\"%d\" y=\"%d\" font-size=\"12\">",    \
			    LEFT, y + n * LINE);                               \
			text(p, line_);                                        \
			out(p, "</text>\n");                                   \
		}                                                              \
		n++;                                                           \
	} while (0)

	size_t k = 0, more = 0;

	/* each list: MAX_LIST lines, then how many more */
#define LIST(...)                                                              \
	do {                                                                   \
		if (k++ < MAX_LIST)                                            \
			NOTE(__VA_ARGS__);                                     \
		else                                                           \
			more++;                                                \
	} while (0)
#define MORE(what)                                                             \
	do {                                                                   \
		if (more > 0)                                                  \
			NOTE("and %zu more %s, not listed here", more, what);  \
		k = more = 0;                                                  \
	} while (0)

	if (p->m->nels > MAX_SHAPES)
		NOTE("%zu elements: those of one core in one sector (one row "
		     "outside flash) are drawn as one shape; 'dfusetool dump' "
		     "lists each",
		     p->m->nels);
	if (dfuse_report_count(p->m->findings) > MAX_SHAPES)
		NOTE("%zu findings: the %d worst are drawn; 'dfusetool check' "
		     "lists each",
		     dfuse_report_count(p->m->findings), MAX_SHAPES);
	for (i = 0; i < p->m->nels; i++) {
		const struct map_el *e = &p->m->els[i];

		if (e->end > e->address && block_at(p, e->address) == NULL)
			LIST("outside every memory of %s: %s data at "
			     "0x%08x-0x%08llx (%llu bytes)",
			     p->m->device,
			     e->core ? dfuse_core_name(e->core) : "no core's",
			     (unsigned)e->address,
			     (unsigned long long)(e->end - 1),
			     (unsigned long long)(e->end - e->address));
	}
	MORE("elements outside every memory");
	for (i = 0; i < dfuse_report_count(p->m->findings); i++) {
		dfuse_finding f;
		char hint[256];

		if (dfuse_report_get(&f, p->m->findings, i) < 0)
			continue;
		if (f.has_range && block_at(p, f.address) != NULL)
			continue;
		LIST("%s [%s]: %s%s", dfuse_severity_name(f.severity), f.code,
		     f.message, hint_tail(hint, sizeof(hint), &f));
	}
	MORE("findings");
	for (i = 0; i < dfuse_report_count(p->m->diag); i++) {
		dfuse_finding f;
		char hint[256];

		if (dfuse_report_get(&f, p->m->diag, i) < 0)
			continue;
		LIST("file: %s [%s] at offset 0x%llx: %s%s",
		     dfuse_severity_name(f.severity), f.code,
		     (unsigned long long)(f.offset >= 0 ? f.offset : 0),
		     f.message, hint_tail(hint, sizeof(hint), &f));
	}
	MORE("file diagnostics");
#undef MORE
#undef LIST
#undef NOTE
	return n;
}

static void svg(struct pic *p)
{
	const size_t nf = dfuse_report_count(p->m->findings);
	char head[1024];
	size_t b;
	int extra = notes(p, 0, 0);
	const int height = p->height + (extra ? 10 + extra * LINE : 0) + 10;

	out(p,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"sans-serif\" data-row-bytes=\"%llu\" "
	    "data-row-width=\"%d\" data-row-pitch=\"%d\" "
	    "data-row-band=\"%d\">\n",
	    WIDTH, height, WIDTH, height, (unsigned long long)p->row_bytes,
	    ROW_W, ROW_PITCH, ROW_BAND);
	snprintf(head, sizeof(head), "dfusetool map: %s on %s", p->m->subject,
		 p->m->device);
	out(p, "<title>");
	text(p, head);
	out(p,
	    "</title>\n<rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"#ffffff\"/>\n<text x=\"%d\" y=\"24\" font-size=\"18\" "
	    "font-weight=\"bold\">",
	    LEFT);
	text(p, head);
	out(p, "</text>\n<text x=\"%d\" y=\"40\" font-size=\"12\">", LEFT);
	{
		char sz[32];

		snprintf(head, sizeof(head),
			 "%zu element%s, %llu bytes; %zu finding%s.  One row "
			 "is %s (%.0f bytes per pixel); hover for addresses.",
			 p->m->nels, p->m->nels == 1 ? "" : "s",
			 (unsigned long long)map_bytes(p->m), nf,
			 nf == 1 ? "" : "s",
			 num_size_text(sz, sizeof(sz), p->row_bytes),
			 1.0 / p->scale);
	}
	text(p, head);
	out(p, "</text>\n");
	legend(p);
	for (b = 0; b < p->nblocks; b++)
		draw_block(p, &p->blocks[b]);
	draw_elements(p);
	for (b = 0; b < p->nblocks; b++)
		draw_outlines(p, &p->blocks[b]);
	draw_findings(p);
	draw_vectors(p);
	if (extra)
		notes(p, p->height + 10, 1);
	out(p, "</svg>\n");
}

/* ======== HTML ======== */

static void html_tables(struct pic *p)
{
	size_t i;

	out(p, "<h2>Elements</h2>\n<table>\n<tr><th>core</th><th>range</th>"
	       "<th>bytes</th><th>target</th><th>element</th><th>from</th>"
	       "</tr>\n");
	for (i = 0; i < p->m->nels && i < MAX_LIST; i++) {
		const struct map_el *e = &p->m->els[i];

		out(p,
		    "<tr><td>%s</td><td class=\"mono\">0x%08x-0x%08llx"
		    "</td><td>%llu</td><td>%zu</td><td>%zu</td><td>",
		    e->core ? dfuse_core_name(e->core) : "none",
		    (unsigned)e->address,
		    (unsigned long long)(e->end > e->address ? e->end - 1
							     : e->end),
		    (unsigned long long)(e->end - e->address), e->target,
		    e->element);
		text(p, e->source ? e->source : "");
		out(p, "</td></tr>\n");
	}
	if (p->m->nels > MAX_LIST)
		out(p,
		    "<tr><td colspan=\"6\">and %zu more elements "
		    "('dfusetool dump' lists each)</td></tr>\n",
		    p->m->nels - MAX_LIST);
	out(p, "</table>\n<h2>Findings</h2>\n");
	if (dfuse_report_count(p->m->findings) == 0) {
		out(p, "<p>none</p>\n");
		return;
	}
	out(p, "<table>\n<tr><th>severity</th><th>code</th><th>range</th>"
	       "<th>core</th><th>message</th></tr>\n");
	for (i = 0; i < dfuse_report_count(p->m->findings) && i < MAX_LIST;
	     i++) {
		dfuse_finding f;
		char hint[256];

		if (dfuse_report_get(&f, p->m->findings, i) < 0)
			continue;
		out(p,
		    "<tr><td style=\"color:%s\">%s</td><td>%s</td>"
		    "<td class=\"mono\">",
		    sev_color(f.severity), dfuse_severity_name(f.severity),
		    f.code);
		if (f.has_range)
			out(p, "0x%08x-0x%08llx", (unsigned)f.address,
			    (unsigned long long)(f.end > f.address ? f.end - 1
								   : f.end));
		out(p, "</td><td>%s</td><td>",
		    f.core ? dfuse_core_name(f.core) : "");
		text(p, f.message);
		text(p, hint_tail(hint, sizeof(hint), &f));
		out(p, "</td></tr>\n");
	}
	if (dfuse_report_count(p->m->findings) > MAX_LIST)
		out(p,
		    "<tr><td colspan=\"5\">and %zu more findings "
		    "('dfusetool check' lists each)</td></tr>\n",
		    dfuse_report_count(p->m->findings) - MAX_LIST);
	out(p, "</table>\n");
}

int svg_write(FILE *f, const struct map *m, int html)
{
	struct pic p;

	memset(&p, 0, sizeof(p));
	p.f = f;
	p.m = m;
	choose_scale(&p);
	if (layout(&p) < 0)
		return -1;
	if (html) {
		out(&p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			"<meta charset=\"utf-8\">\n<title>dfusetool map: ");
		text(&p, m->subject);
		out(&p, "</title>\n<style>\nbody { font-family: sans-serif; "
			"margin: 16px; color: #24292f; }\ntable { "
			"border-collapse: collapse; }\ntd, th { border: 1px "
			"solid #d0d7de; padding: 2px 8px; text-align: left; }"
			"\n.mono { font-family: monospace; }\n"
			"svg { display: block; }\n</style>\n"
			"</head>\n<body>\n");
	} else {
		out(&p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	}
	svg(&p);
	if (html) {
		html_tables(&p);
		out(&p, "</body>\n</html>\n");
	}
	free(p.blocks);
	return ferror(f) ? -1 : 0;
}
