/*
 * split.c - one image in, images out: dfuse_split() and the part list
 * (dfuse_parts_*), with the parts' file names and their set of names.
 *
 * Parts are new images, each with a file name made here (see dfuse.h),
 * from the core, the alternate setting, the address and, by target, the
 * target's name sanitised to [A-Za-z0-9._-].  Nothing is written here;
 * dfusetool writes the parts with a dfuse_fileset, all or nothing.
 */
#include "err.h"
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======== Split ======== */

struct part {
	char name[96];
	dfuse_image *img;
	int core, alt;
};

/* More parts than any sane split makes (by element of a file of empty
 * elements, a 64 MiB input could otherwise ask for eight million files). */
#define MAX_PARTS 65536

struct dfuse_parts {
	struct part *v;
	size_t n, cap;
	size_t *slots; /* name hash set: part index + 1, 0 = empty */
	size_t nslots; /* a power of two, over twice the parts named */
};

static int new_part(struct dfuse_parts *ps, const dfuse_image *src, int core,
		    int alt)
{
	struct part *p;

	if (ps->n >= MAX_PARTS)
		return dfuse__error(DFUSE_ETOOBIG,
				    "the split would make more than %d files",
				    MAX_PARTS);
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 8;
		struct part *v = realloc(ps->v, cap * sizeof(*v));

		if (v == NULL)
			return dfuse__oom();
		ps->v = v;
		ps->cap = cap;
	}
	p = &ps->v[ps->n];
	memset(p, 0, sizeof(*p));
	DFUSE__TRY(dfuse_image_new(&p->img));
	p->img->ids = src->ids;
	p->img->ids_set = src->has_file || src->ids_set;
	p->img->keep = src->keep;
	p->core = core;
	p->alt = alt;
	ps->n++;
	return 0;
}

/* Adds a copy of target t's header (alternate setting, stored name). */
static int copy_target(dfuse_image *dst, const struct target *t)
{
	return dfuse__image_add_target_raw(dst, t->alt, t->named, t->name_raw);
}

static int copy_element(dfuse_image *dst, size_t ti, const struct element *e,
			int core)
{
	struct element *d;
	uint8_t *data = NULL;

	if (e->blob != NULL) {
		/* the part shares the bytes: no copy */
		DFUSE__TRY(dfuse__image_push_shared(
			dst, ti, e->address, e->size, e->blob, e->data, -1));
	} else if (e->size > 0) {
		data = malloc(e->size);
		if (data == NULL)
			return dfuse__oom();
		memcpy(data, e->data, e->size);
	}
	if (e->blob == NULL)
		DFUSE__TRY(dfuse__image_push_element(dst, ti, e->address,
						     e->size, data, -1));
	d = &dst->t[ti].el[dst->t[ti].n - 1];
	d->core = core;
	d->source = dfuse__name_ref(e->source); /* shared, not copied */
	return 0;
}

/* Letters, digits, '.', '_', '-'; any other run one '_'; no leading or
 * trailing punctuation; at most 32 bytes.  "" if nothing is left. */
static void sanitise(char *out, const char *name)
{
	size_t k = 0;
	int sep = 0;

	for (; *name != '\0'; name++) {
		const unsigned char ch = (unsigned char)*name;
		const int alnum = (ch >= 'a' && ch <= 'z') ||
				  (ch >= 'A' && ch <= 'Z') ||
				  (ch >= '0' && ch <= '9');
		const int punct = ch == '.' || ch == '_' || ch == '-';

		if (!alnum && !punct) {
			sep = k > 0; /* never a leading '_' */
			continue;
		}
		if (k == 0 && punct)
			continue;
		if (k + (sep ? 2 : 1) > 32)
			break;
		if (sep)
			out[k++] = '_';
		sep = 0;
		out[k++] = (char)ch;
	}
	while (k > 0 &&
	       (out[k - 1] == '.' || out[k - 1] == '_' || out[k - 1] == '-'))
		k--;
	out[k] = '\0';
}

static const char *extension(int format)
{
	switch (format) {
	case DFUSE_FORMAT_IHEX:
		return ".hex";
	case DFUSE_FORMAT_SREC:
		return ".srec";
	case DFUSE_FORMAT_BIN:
		return ".bin";
	default:
		return ".dfu";
	}
}

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y || x == 0)
			return x - y;
	}
}

/* FNV-1a of the name with ASCII case folded. */
static size_t name_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s != '\0'; s++) {
		int c = (unsigned char)*s;

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		h = (h ^ (uint64_t)c) * UINT64_C(1099511628211);
	}
	return (size_t)h;
}

/* The slot of `name` in the set: a part with that name, or an empty one. */
static size_t *name_slot(const struct dfuse_parts *ps, const char *name)
{
	size_t i = name_hash(name) & (ps->nslots - 1);

	while (ps->slots[i] != 0 &&
	       ascii_casecmp(ps->v[ps->slots[i] - 1].name, name) != 0)
		i = (i + 1) & (ps->nslots - 1);
	return &ps->slots[i];
}

/* Keeps the set over twice the size of what it holds. */
static int grow_names(struct dfuse_parts *ps, size_t named)
{
	size_t n = ps->nslots ? ps->nslots : 64, k;
	size_t *old = ps->slots, oldn = ps->nslots;

	if (2 * (named + 1) < ps->nslots)
		return 0;
	while (n <= 2 * (named + 1))
		n *= 2;
	ps->slots = calloc(n, sizeof(*ps->slots));
	if (ps->slots == NULL) {
		ps->slots = old;
		return dfuse__oom();
	}
	ps->nslots = n;
	for (k = 0; k < oldn; k++)
		if (old[k] != 0)
			*name_slot(ps, ps->v[old[k] - 1].name) = old[k];
	free(old);
	return 0;
}

/* label + ext, made unique among the parts named so far, ignoring case
 * ("-2", "-3" ... before the extension). */
static int set_name(struct dfuse_parts *ps, size_t i, const char *label,
		    const char *ext)
{
	char *name = ps->v[i].name;
	const size_t len = sizeof(ps->v[i].name);
	unsigned int k = 1;
	size_t *slot;

	DFUSE__TRY(grow_names(ps, i));
	snprintf(name, len, "%s%s", label, ext);
	for (;;) {
		slot = name_slot(ps, name);
		if (*slot == 0)
			break;
		snprintf(name, len, "%s-%u%s", label, ++k, ext);
	}
	*slot = i + 1;
	return 0;
}

/* "cm7" for a core's element at alt 0, else "alt<N>". */
static void base_label(char *out, size_t len, int alt, int core)
{
	if (alt == 0 && core > DFUSE_CORE_NONE)
		snprintf(out, len, "%s", dfuse_core_name(core));
	else
		snprintf(out, len, "alt%d", alt);
}

struct sctx {
	const dfuse_image *img;
	const dfuse_split_options *o;
	int **cores; /* cores[t][e] for alternate setting 0 */
};

static int element_cores(struct sctx *c)
{
	size_t t, e;

	c->cores = calloc(c->img->n ? c->img->n : 1, sizeof(*c->cores));
	if (c->cores == NULL)
		return dfuse__oom();
	for (t = 0; t < c->img->n; t++) {
		const struct target *tt = &c->img->t[t];

		c->cores[t] = calloc(tt->n ? tt->n : 1, sizeof(int));
		if (c->cores[t] == NULL)
			return dfuse__oom();
		for (e = 0; e < tt->n && tt->alt == 0; e++) {
			int core = dfuse_image_get_element_core(c->img, t, e,
								c->o->check);

			if (core < 0)
				return core;
			c->cores[t][e] = core;
		}
	}
	return 0;
}

static int by_core(struct dfuse_parts *ps, const struct sctx *c)
{
	static const int cores[3] = {DFUSE_CORE_CM7, DFUSE_CORE_CM4,
				     DFUSE_CORE_NONE};
	const dfuse_image *img = c->img;
	size_t t, e, k;
	unsigned alt;

	for (k = 0; k < 3; k++) {
		dfuse_image *p = NULL;

		for (t = 0; t < img->n; t++) {
			const struct target *tt = &img->t[t];
			size_t hits = 0;
			int ti;

			for (e = 0; e < tt->n && tt->alt == 0; e++)
				hits += c->cores[t][e] == cores[k];
			if (hits == 0)
				continue;
			if (p == NULL) {
				DFUSE__TRY(new_part(ps, img, cores[k], 0));
				p = ps->v[ps->n - 1].img;
			}
			ti = copy_target(p, tt);
			if (ti < 0)
				return ti;
			for (e = 0; e < tt->n; e++)
				if (c->cores[t][e] == cores[k])
					DFUSE__TRY(copy_element(p, (size_t)ti,
								&tt->el[e],
								cores[k]));
		}
	}
	for (alt = 1; alt <= 255; alt++) {
		dfuse_image *p = NULL;

		for (t = 0; t < img->n; t++) {
			const struct target *tt = &img->t[t];
			int ti;

			if (tt->alt != alt)
				continue;
			if (p == NULL) {
				DFUSE__TRY(new_part(ps, img, DFUSE_CORE_NONE,
						    (int)alt));
				p = ps->v[ps->n - 1].img;
			}
			ti = copy_target(p, tt);
			if (ti < 0)
				return ti;
			for (e = 0; e < tt->n; e++)
				DFUSE__TRY(copy_element(p, (size_t)ti,
							&tt->el[e],
							DFUSE_CORE_NONE));
		}
	}
	return 0;
}

static int by_target_or_element(struct dfuse_parts *ps, const struct sctx *c,
				int per_element)
{
	const dfuse_image *img = c->img;
	size_t t, e;

	for (t = 0; t < img->n; t++) {
		const struct target *tt = &img->t[t];

		for (e = 0; e < (per_element ? tt->n : 1); e++) {
			const size_t first = per_element ? e : 0;
			const size_t last = per_element ? e + 1 : tt->n;
			const int core = per_element && tt->alt == 0
						 ? c->cores[t][e]
						 : DFUSE_CORE_NONE;
			dfuse_image *p;
			size_t k;

			DFUSE__TRY(new_part(ps, img, core, tt->alt));
			p = ps->v[ps->n - 1].img;
			DFUSE__TRY(copy_target(p, tt));
			for (k = first; k < last; k++)
				DFUSE__TRY(copy_element(
					p, 0, &tt->el[k],
					tt->alt == 0 ? c->cores[t][k]
						     : DFUSE_CORE_NONE));
		}
	}
	return 0;
}

/* The label of part i before the format's runs and extension. */
static void part_label(char *out, size_t len, const struct dfuse_parts *ps,
		       size_t i, int by)
{
	const struct part *p = &ps->v[i];
	char base[16], clean[40];

	base_label(base, sizeof(base), p->alt, p->core);
	if (by == DFUSE_SPLIT_ELEMENT) {
		const struct target *t = &p->img->t[0];

		snprintf(out, len, "%s@0x%08x", base,
			 t->n ? (unsigned)t->el[0].address : 0u);
		return;
	}
	if (by == DFUSE_SPLIT_TARGET) {
		sanitise(clean, p->img->t[0].name);
		snprintf(out, len, "%s%s%s", base, clean[0] ? "-" : "", clean);
		return;
	}
	snprintf(out, len, "%s", base);
}

/* One alternate setting's elements as one target, overlaps resolved. */
static int flatten(dfuse_image **out, const dfuse_image *img)
{
	dfuse_merge_options o = DFUSE_MERGE_OPTIONS_INIT;

	return dfuse_merge(out, NULL, &img, 1, &o);
}

/* Raw binaries: one part per run of touching elements, one element each. */
static int runs(struct dfuse_parts *out, const struct part *p,
		const char *label, int by)
{
	const struct target *t = &p->img->t[0];
	size_t *order = NULL, n, k = 0, j;
	int rc;

	rc = dfuse__target_in_order(&order, &n, p->img, 0);
	while (rc == 0 && k < n) {
		const uint32_t lo = t->el[order[k]].address;
		uint64_t end = lo;
		char full[96];
		uint8_t *data;
		const struct element *shared;
		struct part *q = NULL;

		if (t->el[order[k]].size == 0) {
			k++;
			continue;
		}
		for (j = k; j < n && t->el[order[j]].address == end; j++)
			end += t->el[order[j]].size;
		if (end - lo > UINT32_MAX) {
			rc = dfuse__error(DFUSE_ERANGE,
					  "the run at 0x%08x is %llu bytes, "
					  "over what one file here holds",
					  (unsigned)lo,
					  (unsigned long long)(end - lo));
			break;
		}
		shared = j == k + 1 ? &t->el[order[k]] : NULL;
		if (shared != NULL && shared->blob == NULL)
			shared = NULL;
		data = shared != NULL ? shared->data
				      : malloc((size_t)(end - lo));
		if (data == NULL) {
			rc = dfuse__oom();
			break;
		}
		for (; shared == NULL && k < j; k++)
			if (t->el[order[k]].size > 0)
				memcpy(data + (t->el[order[k]].address - lo),
				       t->el[order[k]].data,
				       t->el[order[k]].size);
		rc = new_part(out, p->img, p->core, p->alt);
		if (rc == 0) {
			q = &out->v[out->n - 1];
			rc = copy_target(q->img, t);
		}
		if (rc < 0) {
			if (shared == NULL)
				free(data);
			break;
		}
		if (shared != NULL) {
			k = j;
			rc = dfuse__image_push_shared(q->img, 0, lo,
						      (uint32_t)(end - lo),
						      shared->blob, data, -1);
		} else {
			rc = dfuse__image_push_element(
				q->img, 0, lo, (uint32_t)(end - lo), data, -1);
		}
		if (rc < 0)
			break;
		q->img->t[0].el[0].core = p->core;
		if (by == DFUSE_SPLIT_ELEMENT)
			snprintf(full, sizeof(full), "%s", label);
		else
			snprintf(full, sizeof(full), "%s@0x%08x", label,
				 (unsigned)lo);
		rc = set_name(out, out->n - 1, full, ".bin");
	}
	free(order);
	return rc;
}

/* Turns DfuSe parts into the chosen format's parts. */
static int to_format(struct dfuse_parts *ps, int format, int by)
{
	struct dfuse_parts out;
	size_t i;
	int rc = 0;

	memset(&out, 0, sizeof(out));
	for (i = 0; i < ps->n && rc == 0; i++) {
		struct part *p = &ps->v[i];
		dfuse_image *flat = NULL;
		char label[64];

		part_label(label, sizeof(label), ps, i, by);
		if (format == DFUSE_FORMAT_DFUSE) {
			rc = set_name(ps, i, label, ".dfu");
			continue;
		}
		rc = flatten(&flat, p->img);
		if (rc < 0)
			break;
		dfuse_image_free(p->img);
		p->img = flat;
		if (format == DFUSE_FORMAT_BIN) {
			rc = runs(&out, p, label, by);
			continue;
		}
		rc = new_part(&out, p->img, p->core, p->alt);
		if (rc < 0)
			break;
		dfuse_image_free(out.v[out.n - 1].img);
		out.v[out.n - 1].img = p->img;
		p->img = NULL;
		rc = set_name(&out, out.n - 1, label, extension(format));
	}
	if (format != DFUSE_FORMAT_DFUSE) {
		struct dfuse_parts old = *ps;

		*ps = out;
		out = old;
	}
	for (i = 0; i < out.n; i++)
		dfuse_image_free(out.v[i].img);
	free(out.v);
	free(out.slots);
	return rc;
}

void dfuse_parts_free(dfuse_parts *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->n; i++)
		dfuse_image_free(ps->v[i].img);
	free(ps->v);
	free(ps->slots);
	free(ps);
}

int dfuse_split(dfuse_parts **out, const dfuse_image *img,
		const dfuse_split_options *opts)
{
	dfuse_split_options defaults = DFUSE_SPLIT_OPTIONS_INIT;
	struct dfuse_parts *ps;
	struct sctx c;
	size_t t;
	int rc;

	if (out == NULL || img == NULL)
		return dfuse__error(DFUSE_EINVAL, "dfuse_split: NULL argument");
	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	DFUSE__TRY(dfuse__check_version("dfuse_split_options", opts->version,
					DFUSE_SPLIT_OPTIONS_VERSION));
	if (opts->by < DFUSE_SPLIT_CORE || opts->by > DFUSE_SPLIT_ELEMENT)
		return dfuse__error(DFUSE_EINVAL, "unknown split mode %d",
				    opts->by);
	if (opts->format != DFUSE_FORMAT_DFUSE &&
	    opts->format != DFUSE_FORMAT_IHEX &&
	    opts->format != DFUSE_FORMAT_SREC &&
	    opts->format != DFUSE_FORMAT_BIN)
		return dfuse__error(DFUSE_EINVAL,
				    "cannot write format %d (%s): the output "
				    "formats are dfuse, ihex, srec and bin",
				    opts->format,
				    dfuse_format_name(opts->format));
	DFUSE__TRY(dfuse__image_check_data(img));
	ps = calloc(1, sizeof(*ps));
	if (ps == NULL)
		return dfuse__oom();
	memset(&c, 0, sizeof(c));
	c.img = img;
	c.o = opts;
	rc = element_cores(&c);
	if (rc == 0 && opts->by == DFUSE_SPLIT_CORE)
		rc = by_core(ps, &c);
	else if (rc == 0)
		rc = by_target_or_element(ps, &c,
					  opts->by == DFUSE_SPLIT_ELEMENT);
	if (rc == 0)
		rc = to_format(ps, opts->format, opts->by);
	if (rc == 0 && ps->n == 0)
		rc = dfuse__error(DFUSE_ENOTFOUND,
				  "nothing to split: the image holds %s",
				  img->n ? "no data" : "no target");
	for (t = 0; c.cores != NULL && t < img->n; t++)
		free(c.cores[t]);
	free(c.cores);
	if (rc < 0) {
		dfuse_parts_free(ps);
		return rc;
	}
	*out = ps;
	return 0;
}

size_t dfuse_parts_count(const dfuse_parts *ps)
{
	return ps ? ps->n : 0;
}

int dfuse_parts_get(dfuse_part *out, const dfuse_parts *ps, size_t i)
{
	const struct part *p;

	if (out == NULL || ps == NULL || i >= ps->n)
		return dfuse__error(DFUSE_EINVAL, "no part %zu (%zu parts)", i,
				    ps ? ps->n : 0);
	p = &ps->v[i];
	memset(out, 0, sizeof(*out));
	out->name = p->name;
	out->image = p->img;
	out->core = p->core;
	out->alt = p->alt;
	return 0;
}
