/*
 * merge.c - images in, images out: dfuse_merge() and dfuse_split().
 *
 * ======== Merge ========
 *
 * The inputs are taken as they are; the result is a new image.
 *
 *  1. Targets.  The inputs' target lists are merged by alternate setting,
 *     each list in its own order (a k-way merge: the next target is the
 *     one with the lowest alternate setting among the inputs' next ones,
 *     the earlier input on a tie).  A target whose alternate setting is
 *     already in the result joins that target.
 *  2. Elements.  In each result target, the element lists of the targets
 *     that joined it are merged by address the same way.  This order is
 *     what makes split -> merge exact: one input keeps its order whatever
 *     it is, and inputs in address order (every part a split of an image
 *     in address order makes) come back in address order, whichever order
 *     the parts are given in.
 *  3. Overlaps.  A sweep in address order gathers the elements into
 *     groups of bytes: an element that starts inside the group before it
 *     must match its bytes (else DFUSE_EOVERLAP, naming both inputs), and
 *     joins it.  Groups are then disjoint and sorted.
 *  4. Flash words (with a profile).  Neighbouring groups that share a
 *     flash word join, the bytes between them 0xFF.  Groups holding data
 *     of a built image (not read from a file) are padded to whole flash
 *     words, as dfuse_image_normalize() pads what build makes; bytes read
 *     from a DfuSe file (or split from one, or merged) are never padded,
 *     so a file merges back to itself.
 *  5. Output.  Each group becomes one element, at the place in the merge
 *     order of its first element.  An element that met no other keeps its
 *     bytes, address and place: nothing is re-sorted or joined for its own
 *     sake (two touching elements stay two).  Its bytes are not copied
 *     either when they sit in a shared blob (image.h, a file read by
 *     dfuse_read): the result refers to them, and a group copies only
 *     when it must change (a join, a pad).  Split parts share the same
 *     way.  So merge, split and convert of a file hold its data once.
 *
 * ======== Split ========
 *
 * Parts are new images, each with a file name made here (see dfuse.h),
 * from the core, the alternate setting, the address and, by target, the
 * target's name sanitised to [A-Za-z0-9._-].  Nothing is written here;
 * dfusetool writes the parts with a dfuse_fileset, all or nothing.
 */
#include "err.h"
#include "image.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======== Merge: state ======== */

struct contrib {
	size_t input, target; /* a target of an input, joining a result one */
};

struct otarget {
	uint8_t alt;
	struct contrib *c;
	size_t n, cap;
};

/*
 * The working arrays hold one record per input element, so they are kept
 * small (a file of many tiny elements is the worst case: each 1-byte
 * element costs these records, not its byte): indices are 32-bit, which
 * merge_order() checks, and a group names the element whose bytes it
 * shares instead of pointing to it.
 */
struct mel {                    /* an input element, in merge order */
	const struct element *e;
	uint32_t input, target, element;
	uint32_t group;         /* the group it joined */
};

struct group {
	uint64_t lo, hi;        /* bytes [lo, hi) */
	uint8_t *data;          /* hi - lo bytes, `cap` allocated; NULL
				   while `shared` */
	uint32_t cap;
	uint32_t first;         /* merge position of its first element */
	uint32_t far;           /* the element that reaches hi: it holds
				   every byte from its start on, and so
				   any byte an element joining later meets */
	uint32_t origin;        /* the element that began the group */
	uint32_t into;          /* the group it joined over a shared flash
				   word (join_words), itself if none */
	int8_t core;            /* the elements' common core, or NONE */
	uint8_t pad;            /* holds bytes of a built image */
	uint8_t placed;         /* handed to the output image */
	uint8_t shared;         /* its bytes are those of element `origin`,
				   in a blob, until the group needs a copy
				   to change (group_own) */
};

struct mctx {
	const dfuse_image *const *in;
	size_t n;
	const dfuse_merge_options *o;
	dfuse_report *r;
	const dfuse_profile *p; /* NULL: no flash-word rules */
	uint32_t word;          /* flash word in bytes (1 without profile) */
	size_t ot;              /* result target being built */
};

static const char *input_name(const struct mctx *c, size_t i, char *buf,
			      size_t len)
{
	if (c->o != NULL && c->o->names != NULL && c->o->names[i] != NULL)
		return c->o->names[i];
	snprintf(buf, len, "input %zu", i + 1);
	return buf;
}

/* The name an element's bytes came from: its input file or source. */
static const char *source_of(const struct mctx *c, const struct mel *m,
			     char *buf, size_t len)
{
	if (!c->in[m->input]->has_file && m->e->source != NULL)
		return m->e->source;
	return input_name(c, m->input, buf, len);
}

/* "'a.dfu' target 0 element 2 (0x08000000-0x080003ff)" */
static const char *describe(const struct mctx *c, const struct mel *m,
			    char *out, size_t len)
{
	char nb[32], range[48];
	const char *name = source_of(c, m, nb, sizeof(nb));

	if (m->e->size == 0)
		snprintf(range, sizeof(range), "(empty, at 0x%08x)",
			 (unsigned)m->e->address);
	else
		snprintf(range, sizeof(range), "(0x%08x-0x%08llx)",
			 (unsigned)m->e->address,
			 (unsigned long long)m->e->address + m->e->size - 1);
	if (c->in[m->input]->has_file)
		snprintf(out, len, "'%s' target %u element %u %s", name,
			 (unsigned)m->target, (unsigned)m->element, range);
	else
		snprintf(out, len, "'%s' %s", name, range);
	return out;
}

/* ======== Merge: targets ======== */

static int add_contrib(struct otarget *t, size_t input, size_t target)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;
		struct contrib *v = realloc(t->c, cap * sizeof(*v));

		if (v == NULL)
			return dfuse__oom();
		t->c = v;
		t->cap = cap;
	}
	t->c[t->n].input = input;
	t->c[t->n].target = target;
	t->n++;
	return 0;
}

/* Step 1: the result's targets and what joins each. */
static int plan_targets(struct otarget **out, size_t *nout,
			const struct mctx *c)
{
	struct otarget *ts = NULL;
	size_t *pos, nt = 0, i;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	pos = calloc(c->n, sizeof(*pos));
	ts = calloc(DFUSE__MAX_TARGETS, sizeof(*ts));
	if (pos == NULL || ts == NULL) {
		free(pos);
		free(ts);
		return dfuse__oom();
	}
	for (;;) {
		size_t best = c->n, k;
		uint8_t alt = 0;

		for (i = 0; i < c->n; i++) {
			const dfuse_image *img = c->in[i];

			if (pos[i] < img->n &&
			    (best == c->n || img->t[pos[i]].alt < alt)) {
				best = i;
				alt = img->t[pos[i]].alt;
			}
		}
		if (best == c->n)
			break;
		for (k = 0; k < nt && ts[k].alt != alt; k++)
			;
		if (k == nt) {
			if (nt == DFUSE__MAX_TARGETS) {
				rc = dfuse__error(DFUSE_ETOOBIG,
						  "the inputs have more than "
						  "%d alternate settings, the "
						  "most a DfuSe file holds",
						  DFUSE__MAX_TARGETS);
				break;
			}
			ts[nt++].alt = alt;
		}
		rc = add_contrib(&ts[k], best, pos[best]);
		if (rc < 0)
			break;
		pos[best]++;
	}
	free(pos);
	if (rc < 0) {
		for (i = 0; i < nt; i++)
			free(ts[i].c);
		free(ts);
		return rc;
	}
	*out = ts;
	*nout = nt;
	return 0;
}

/* ======== Merge: elements ======== */

/*
 * Step 2: the k-way merge of the joining targets' element lists.  A binary
 * heap holds each list's next element, keyed by (address, list), so that a
 * tie goes to the earlier list and the cost is O(n log k).
 */
struct head {
	uint32_t address;
	size_t list;
};

static int head_less(const struct head *a, const struct head *b)
{
	return a->address != b->address ? a->address < b->address
					: a->list < b->list;
}

static void sift_down(struct head *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, best = i;
		struct head tmp;

		if (l < n && head_less(&h[l], &h[best]))
			best = l;
		if (r < n && head_less(&h[r], &h[best]))
			best = r;
		if (best == i)
			return;
		tmp = h[i];
		h[i] = h[best];
		h[best] = tmp;
		i = best;
	}
}

static const struct target *list_at(const struct mctx *c,
				    const struct otarget *t, size_t k)
{
	return &c->in[t->c[k].input]->t[t->c[k].target];
}

static int merge_order(struct mel **out, size_t *nout, const struct mctx *c,
		       const struct otarget *t)
{
	struct mel *m;
	struct head *h;
	size_t *pos, total = 0, k, n = 0, nh = 0;

	*out = NULL;
	*nout = 0;
	for (k = 0; k < t->n; k++)
		total += list_at(c, t, k)->n;
	if (total >= UINT32_MAX || c->n > UINT32_MAX)
		return dfuse__error(DFUSE_ETOOBIG,
				    "%zu elements to merge in one alternate "
				    "setting, more than %u",
				    total, (unsigned)UINT32_MAX - 1);
	m = calloc(total ? total : 1, sizeof(*m));
	pos = calloc(t->n, sizeof(*pos));
	h = calloc(t->n, sizeof(*h));
	if (m == NULL || pos == NULL || h == NULL) {
		free(m);
		free(pos);
		free(h);
		return dfuse__oom();
	}
	for (k = 0; k < t->n; k++) {
		if (list_at(c, t, k)->n == 0)
			continue;
		h[nh].address = list_at(c, t, k)->el[0].address;
		h[nh].list = k;
		nh++;
	}
	for (k = nh; k-- > 0;)
		sift_down(h, nh, k);
	while (nh > 0) {
		const size_t best = h[0].list;
		const struct target *tt = list_at(c, t, best);

		m[n].input = (uint32_t)t->c[best].input;
		m[n].target = (uint32_t)t->c[best].target;
		m[n].element = (uint32_t)pos[best];
		m[n].e = &tt->el[pos[best]];
		m[n].group = UINT32_MAX; /* none yet */
		n++;
		if (++pos[best] < tt->n)
			h[0].address = tt->el[pos[best]].address;
		else
			h[0] = h[--nh];
		sift_down(h, nh, 0);
	}
	free(pos);
	free(h);
	*out = m;
	*nout = n;
	return 0;
}

static int reserve(struct group *g, uint64_t size)
{
	uint64_t wide;
	size_t cap;
	uint8_t *d;

	if (size > UINT32_MAX)
		return dfuse__error(DFUSE_ERANGE,
				    "merged element at 0x%08llx would be %llu "
				    "bytes, over the 4 GiB dwElementSize",
				    (unsigned long long)g->lo,
				    (unsigned long long)size);
	if (size <= g->cap)
		return 0;
	wide = g->cap ? g->cap : size; /* exact for one element */
	while (wide < size)
		wide *= 2;
	if (wide > UINT32_MAX)
		wide = UINT32_MAX; /* still >= size */
	cap = (size_t)wide;
	d = realloc(g->data, cap);
	if (d == NULL)
		return dfuse__oom();
	g->data = d;
	g->cap = (uint32_t)cap;
	return 0;
}

/* A group's bytes, its own or the input element's it shares. */
static const uint8_t *group_bytes(const struct group *g, const struct mel *m)
{
	return g->shared ? m[g->origin].e->data : g->data;
}

/* Before a group's bytes change: a copy of its own of shared bytes. */
static int group_own(struct group *g, const struct mel *m)
{
	const struct element *e = m[g->origin].e;

	if (!g->shared)
		return 0;
	DFUSE__TRY(reserve(g, e->size));
	memcpy(g->data, e->data, e->size);
	g->shared = 0;
	return 0;
}

static void join_core(struct group *g, int core)
{
	if (g->core != core)
		g->core = (int8_t)DFUSE_CORE_NONE;
}

/* An element starting inside group g: equal bytes join, others fail. */
static int join_overlap(const struct mctx *c, struct group *g, size_t gi,
			struct mel *m, uint32_t k)
{
	const struct element *e = m[k].e;
	const uint64_t a = e->address, z = a + e->size;
	const uint64_t hi = z < g->hi ? z : g->hi;
	char d1[320], d2[320];
	uint64_t x;

	for (x = a; x < hi; x++) {
		uint8_t was = group_bytes(g, m)[x - g->lo];
		uint8_t now = e->data[x - a];

		if (was == now)
			continue;
		return dfuse__error(
			DFUSE_EOVERLAP,
			"%s and %s overlap at 0x%08llx-0x%08llx with "
			"different bytes (first at 0x%08llx: 0x%02x, then "
			"0x%02x)",
			describe(c, &m[g->far], d1, sizeof(d1)),
			describe(c, &m[k], d2, sizeof(d2)),
			(unsigned long long)a, (unsigned long long)(hi - 1),
			(unsigned long long)x, was, now);
	}
	if (hi > a)
		DFUSE__TRY(dfuse__report_add_range(
			c->r, DFUSE_SEV_NOTE, "overlap-identical",
			(int)c->ot, -1, (uint32_t)a, hi, DFUSE_CORE_NONE,
			"%s and %s hold the same bytes at 0x%08llx-0x%08llx: "
			"kept once",
			describe(c, &m[g->far], d1, sizeof(d1)),
			describe(c, &m[k], d2, sizeof(d2)),
			(unsigned long long)a, (unsigned long long)(hi - 1)));
	if (z > g->hi) {
		DFUSE__TRY(group_own(g, m));
		DFUSE__TRY(reserve(g, z - g->lo));
		memcpy(g->data + (g->hi - g->lo), e->data + (g->hi - a),
		       (size_t)(z - g->hi));
		g->hi = z;
		g->far = k;
	}
	m[k].group = (uint32_t)gi;
	if (k < g->first)
		g->first = k; /* m is in merge order: k is the position */
	g->pad |= !c->in[m[k].input]->keep;
	join_core(g, e->core);
	return 0;
}

/* m[i] before m[j] in dfuse__order_cmp()'s order (i < j breaks a tie). */
static int in_order(const struct mel *m, size_t i, size_t j)
{
	const struct element *x = m[i].e, *y = m[j].e;

	return x->address != y->address ? x->address < y->address
					: x->size >= y->size;
}

/* Step 3: groups of equal bytes, disjoint and in address order.  The
 * merge order is often the address order already (one input in address
 * order, as every file dfusetool writes): then no sort key is made. */
static int sweep(struct group **out, size_t *nout, const struct mctx *c,
		 struct mel *m, size_t n)
{
	struct group *g;
	struct dfuse__order *key = NULL;
	size_t k, ng = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	for (k = 1; k < n && in_order(m, k - 1, k); k++)
		;
	if (k < n) {
		key = malloc(n * sizeof(*key));
		if (key == NULL)
			return dfuse__oom();
		for (k = 0; k < n; k++) {
			key[k].address = m[k].e->address;
			key[k].size = m[k].e->size;
			key[k].index = k; /* merge order breaks ties */
		}
		qsort(key, n, sizeof(*key), dfuse__order_cmp);
	}
	g = calloc(n ? n : 1, sizeof(*g));
	if (g == NULL) {
		free(key);
		return dfuse__oom();
	}
	for (k = 0; k < n && rc == 0; k++) {
		const uint32_t i = (uint32_t)(key != NULL ? key[k].index : k);
		const struct element *e = m[i].e;
		struct group *last = ng ? &g[ng - 1] : NULL;
		char d1[320];

		if (dfuse__range_overflows(e->address, e->size)) {
			rc = dfuse__error(DFUSE_ERANGE,
					  "%s runs past the end of the 32-bit "
					  "address space",
					  describe(c, &m[i], d1, sizeof(d1)));
			break;
		}

		if (last != NULL && e->address < last->hi) {
			rc = join_overlap(c, last, ng - 1, m, i);
			continue;
		}
		/* a new group */
		last = &g[ng];
		last->lo = e->address;
		last->hi = last->lo;
		last->first = i;
		last->far = i;
		last->origin = i;
		last->into = (uint32_t)ng;
		last->core = (int8_t)e->core;
		last->pad = !c->in[m[i].input]->keep;
		m[i].group = (uint32_t)ng++;
		if (e->blob != NULL && e->size > 0) {
			/* shared until it must change: no copy */
			last->shared = 1;
			last->hi = last->lo + e->size;
			continue;
		}
		rc = reserve(last, e->size);
		if (rc == 0 && e->size > 0) {
			memcpy(last->data, e->data, e->size);
			last->hi = last->lo + e->size;
		}
	}
	free(key);
	*out = g;
	*nout = ng;
	return rc;
}

static int in_flash(const struct mctx *c, uint64_t address)
{
	dfuse_flash_location loc;

	return c->p != NULL && address <= UINT32_MAX &&
	       dfuse_profile_locate(&loc, c->p, (uint32_t)address) == 0;
}

/* Step 4a: neighbours that share a flash word become one.  g[k].into is
 * the group that g[k] joined (itself if none). */
static int join_words(const struct mctx *c, struct group *g, size_t ng,
		      const struct mel *m)
{
	const uint64_t w = c->word;
	size_t k, prev = 0;

	if (w <= 1)
		return 0;
	for (k = 1; k < ng; k++) {
		struct group *a = &g[prev], *b = &g[k];
		uint64_t gap;

		if (a->hi == a->lo || b->hi == b->lo ||
		    (a->hi - 1) / w != b->lo / w || !in_flash(c, b->lo)) {
			prev = k;
			continue;
		}
		gap = b->lo - a->hi;
		DFUSE__TRY(dfuse__report_add_range(
			c->r, DFUSE_SEV_NOTE, "flash-word-shared", (int)c->ot,
			-1, (uint32_t)a->lo, b->hi, DFUSE_CORE_NONE,
			"0x%08llx-0x%08llx and 0x%08llx-0x%08llx share the "
			"flash word at 0x%08llx: one element now, the %llu "
			"byte%s between them 0xFF",
			(unsigned long long)a->lo,
			(unsigned long long)(a->hi - 1),
			(unsigned long long)b->lo,
			(unsigned long long)(b->hi - 1),
			(unsigned long long)(b->lo - b->lo % w),
			(unsigned long long)gap, gap == 1 ? "" : "s"));
		DFUSE__TRY(group_own(a, m));
		DFUSE__TRY(reserve(a, b->hi - a->lo));
		memset(a->data + (a->hi - a->lo), 0xFF, (size_t)gap);
		memcpy(a->data + (b->lo - a->lo), group_bytes(b, m),
		       (size_t)(b->hi - b->lo));
		a->hi = b->hi;
		if (b->first < a->first)
			a->first = b->first;
		a->pad |= b->pad;
		join_core(a, b->core);
		free(b->data);
		b->data = NULL;
		b->shared = 0;
		b->cap = 0;
		b->into = (uint32_t)prev;
	}
	return 0;
}

/* Step 4b: a built image's bytes padded with 0xFF to whole words. */
static int pad_group(const struct mctx *c, struct group *g,
		     const struct mel *m)
{
	const uint64_t w = c->word;
	uint64_t lo = g->lo, hi = g->hi;
	size_t before;

	if (!g->pad || w <= 1 || hi == lo)
		return 0;
	if (in_flash(c, lo))
		lo -= lo % w;
	if (in_flash(c, hi - 1))
		hi += (w - hi % w) % w;
	if (lo == g->lo && hi == g->hi)
		return 0;
	before = (size_t)(g->lo - lo);
	DFUSE__TRY(group_own(g, m));
	DFUSE__TRY(reserve(g, hi - lo));
	memmove(g->data + before, g->data, (size_t)(g->hi - g->lo));
	memset(g->data, 0xFF, before);
	memset(g->data + before + (g->hi - g->lo), 0xFF,
	       (size_t)(hi - g->hi));
	g->lo = lo;
	g->hi = hi;
	return 0;
}

/*
 * Step 5: each group an element, in merge order of its first element.
 * The element array is made once, at its size, and the source names are
 * shared (image.h): an input element's own name gains a reference, and
 * an input's file name is made once for all the elements it gives.
 */
static int emit(const struct mctx *c, dfuse_image *out, struct group *g,
		size_t ng, const struct mel *m, size_t n)
{
	struct target *t = &out->t[c->ot];
	char *made = NULL; /* the last name made here, one reference held */
	size_t k, live = 0;
	int rc = 0;

	for (k = 0; k < ng; k++)
		live += g[k].into == k;
	rc = dfuse__image_reserve(out, c->ot, live);
	for (k = 0; k < n && rc == 0; k++) {
		struct group *x = &g[g[m[k].group].into];
		const struct mel *f;
		struct element *e;
		char nb[32];
		const char *src;

		if (x->placed)
			continue;
		x->placed = 1;
		if (x->shared) {
			const struct element *s = m[x->origin].e;

			rc = dfuse__image_push_shared(
				out, c->ot, (uint32_t)x->lo,
				(uint32_t)(x->hi - x->lo), s->blob, s->data,
				-1);
		} else {
			rc = dfuse__image_push_element(
				out, c->ot, (uint32_t)x->lo,
				(uint32_t)(x->hi - x->lo), x->data, -1);
		}
		x->data = NULL; /* the image owns it now */
		if (rc < 0)
			break;
		e = &t->el[t->n - 1];
		e->core = x->core;
		f = &m[x->first];
		src = source_of(c, f, nb, sizeof(nb));
		if (src == f->e->source) {
			e->source = dfuse__name_ref(f->e->source);
			continue;
		}
		if (made == NULL || strcmp(made, src) != 0) {
			dfuse__name_unref(made);
			made = dfuse__name_new(src);
			if (made == NULL) {
				rc = DFUSE_ENOMEM;
				break;
			}
		}
		e->source = dfuse__name_ref(made);
	}
	dfuse__name_unref(made);
	return rc;
}

static int merge_elements(const struct mctx *c, dfuse_image *out,
			  const struct otarget *t)
{
	struct mel *m = NULL;
	struct group *g = NULL;
	size_t n = 0, ng = 0, k;
	int rc;

	rc = merge_order(&m, &n, c, t);
	if (rc == 0)
		rc = sweep(&g, &ng, c, m, n);
	if (rc == 0)
		rc = join_words(c, g, ng, m);
	for (k = 0; k < ng && rc == 0; k++)
		if (g[k].into == k)
			rc = pad_group(c, &g[k], m);
	if (rc == 0)
		rc = emit(c, out, g, ng, m, n);
	for (k = 0; k < ng; k++)
		free(g[k].data);
	free(g);
	free(m);
	return rc;
}

/* ======== Merge: names and IDs ======== */

static int name_target(const struct mctx *c, dfuse_image *out,
		       const struct otarget *t)
{
	struct target *o = &out->t[c->ot];
	size_t k, chosen = 0;
	char n1[32], n2[32];

	if (c->o != NULL && c->o->name != NULL && c->o->name_alt == t->alt)
		return dfuse_image_set_target_name(out, c->ot, c->o->name);
	for (k = 0; k < t->n; k++) {
		const struct target *in = &c->in[t->c[k].input]->t[t->c[k].target];
		const struct target *was =
			&c->in[t->c[chosen].input]->t[t->c[chosen].target];

		if (in->name[0] == '\0' || k == chosen)
			continue;
		if (was->name[0] == '\0') {
			chosen = k;
			continue;
		}
		if (strcmp(in->name, was->name) == 0)
			continue;
		DFUSE__TRY(dfuse__report_add(
			c->r, DFUSE_SEV_WARNING, "target-name-conflict", -1,
			(int)c->ot, -1,
			"alternate setting %u: target %zu of '%s' is named "
			"'%s', target %zu of '%s' '%s': the first is kept",
			(unsigned)t->alt, t->c[chosen].target,
			input_name(c, t->c[chosen].input, n1, sizeof(n1)),
			was->name, t->c[k].target,
			input_name(c, t->c[k].input, n2, sizeof(n2)),
			in->name));
	}
	{
		const struct target *src =
			&c->in[t->c[chosen].input]->t[t->c[chosen].target];

		o->named = src->named;
		memcpy(o->name_raw, src->name_raw, DFUSE__NAME_LEN);
		memcpy(o->name, src->name, sizeof(o->name));
	}
	return 0;
}

static const char *const id_field[3] = { "idVendor", "idProduct",
					 "bcdDevice" };
static const unsigned int id_flag[3] = { DFUSE_MERGE_VID, DFUSE_MERGE_PID,
					 DFUSE_MERGE_BCD };

static uint16_t *id_at(dfuse_ids *ids, int f)
{
	return f == 0 ? &ids->id_vendor
		      : f == 1 ? &ids->id_product : &ids->bcd_device;
}

static int merge_ids(const struct mctx *c, dfuse_image *out)
{
	dfuse_ids ids = out->ids, opt_ids = out->ids;
	int f, voted = 0;
	size_t i;

	if (c->o != NULL)
		opt_ids = c->o->ids;
	for (i = 0; i < c->n; i++)
		voted |= c->in[i]->has_file || c->in[i]->ids_set;
	for (f = 0; f < 3; f++) {
		size_t from = c->n;
		uint16_t v = DFUSE_ID_ANY;
		int zero = 0;
		char n1[32], n2[32];

		if (c->o != NULL && (c->o->flags & id_flag[f])) {
			*id_at(&ids, f) = *id_at(&opt_ids, f);
			continue;
		}
		for (i = 0; i < c->n; i++) {
			dfuse_ids in = c->in[i]->ids;
			uint16_t x = *id_at(&in, f);

			if (!(c->in[i]->has_file || c->in[i]->ids_set) ||
			    x == DFUSE_ID_ANY)
				continue;
			/* A VID or PID of 0 is unset too (dfuse__id_unset),
			 * and kept only when no input says more; a
			 * bcdDevice of 0 is a version. */
			if (f < 2 && dfuse__id_unset(x)) {
				zero = 1;
				continue;
			}
			if (from == c->n) {
				from = i;
				v = x;
			} else if (x != v) {
				return dfuse__error(
					DFUSE_ECONFLICT,
					"suffix %s: 0x%04x in '%s', 0x%04x "
					"in '%s' (neither is the 0xFFFF "
					"wildcard): choose one",
					id_field[f], (unsigned)v,
					input_name(c, from, n1, sizeof(n1)),
					(unsigned)x,
					input_name(c, i, n2, sizeof(n2)));
			}
		}
		if (voted)
			*id_at(&ids, f) = from == c->n && zero ? 0 : v;
	}
	out->ids = ids;
	out->ids_set = voted || (c->o != NULL && c->o->flags != 0);
	return 0;
}

/* ======== Merge ======== */

int dfuse_merge(dfuse_image **out, dfuse_report **report_out,
		const dfuse_image *const *in, size_t n,
		const dfuse_merge_options *opts)
{
	struct mctx c;
	struct otarget *ts = NULL;
	dfuse_image *img = NULL;
	size_t nt = 0, i;
	int rc;

	if (out == NULL)
		return dfuse__error(DFUSE_EINVAL, "out is NULL");
	*out = NULL;
	if (report_out != NULL)
		*report_out = NULL;
	if (opts != NULL && opts->version != DFUSE_MERGE_OPTIONS_VERSION)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_merge_options version %u, this "
				    "library knows %u",
				    opts->version, DFUSE_MERGE_OPTIONS_VERSION);
	if (in == NULL || n == 0)
		return dfuse__error(DFUSE_EINVAL, "nothing to merge");
	for (i = 0; i < n; i++) {
		if (in[i] == NULL)
			return dfuse__error(DFUSE_EINVAL, "input %zu is NULL",
					    i + 1);
		if (dfuse__image_check_data(in[i]) < 0)
			return dfuse__error_prefix("input %zu: ", i + 1);
	}
	memset(&c, 0, sizeof(c));
	c.in = in;
	c.n = n;
	c.o = opts;
	c.p = opts ? opts->profile : NULL;
	c.word = 1;
	if (c.p != NULL) {
		dfuse_profile_info info;

		dfuse_profile_get_info(&info, c.p);
		c.word = info.flash_word ? info.flash_word : 1;
	}
	rc = dfuse__report_new(&c.r);
	if (rc == 0)
		rc = dfuse_image_new(&img);
	if (rc == 0)
		rc = plan_targets(&ts, &nt, &c);
	for (i = 0; i < nt && rc == 0; i++) {
		static const uint8_t none[DFUSE__NAME_LEN];

		c.ot = i;
		rc = dfuse__image_add_target_raw(img, ts[i].alt, 0, none);
		if (rc >= 0)
			rc = merge_elements(&c, img, &ts[i]);
		if (rc >= 0)
			rc = name_target(&c, img, &ts[i]);
		if (rc < 0)
			rc = dfuse__error_prefix("alternate setting %u: ",
						 (unsigned)ts[i].alt);
	}
	if (rc >= 0)
		rc = merge_ids(&c, img);
	img->keep = 1; /* padded where the rules say: final */
	for (i = 0; i < n && rc >= 0; i++) {
		uint32_t entry;

		if (dfuse_image_get_entry(&entry, in[i])) {
			dfuse_image_set_entry(img, entry);
			break;
		}
	}
	for (i = 0; i < nt; i++)
		free(ts[i].c);
	free(ts);
	if (rc < 0) {
		dfuse_image_free(img);
		dfuse_report_free(c.r);
		return rc;
	}
	*out = img;
	if (report_out != NULL)
		*report_out = c.r;
	else
		dfuse_report_free(c.r);
	return 0;
}

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
	size_t *slots;  /* name hash set: part index + 1, 0 = empty */
	size_t nslots;  /* a power of two, over twice the parts named */
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

	if (e->size > 0 && e->data == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "an element was read without its "
				    "data (DFUSE_READ_NO_DATA)");
	if (e->blob != NULL) {
		/* the part shares the bytes: no copy */
		DFUSE__TRY(dfuse__image_push_shared(dst, ti, e->address,
						    e->size, e->blob, e->data,
						    -1));
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
	while (k > 0 && (out[k - 1] == '.' || out[k - 1] == '_' ||
			 out[k - 1] == '-'))
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
			int core = dfuse_image_get_element_core(c->img, t, e, c->o->check);

			if (core < 0)
				return core;
			c->cores[t][e] = core;
		}
	}
	return 0;
}

static int by_core(struct dfuse_parts *ps, const struct sctx *c)
{
	static const int cores[3] = { DFUSE_CORE_CM7, DFUSE_CORE_CM4,
				      DFUSE_CORE_NONE };
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
					DFUSE__TRY(copy_element(
						p, (size_t)ti, &tt->el[e],
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
		data = shared != NULL ? shared->data : malloc((size_t)(end - lo));
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
	if (opts->version != DFUSE_SPLIT_OPTIONS_VERSION)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_split_options version %u, this "
				    "library knows %u",
				    opts->version, DFUSE_SPLIT_OPTIONS_VERSION);
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
				    opts->format, dfuse_format_name(opts->format));
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
