/*
 * merge.c - images in, one image out: dfuse_merge().
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
struct mel { /* an input element, in merge order */
	const struct element *e;
	uint32_t input, target, element;
	uint32_t group; /* the group it joined */
};

struct group {
	uint64_t lo, hi; /* bytes [lo, hi) */
	uint8_t *data;	 /* hi - lo bytes, `cap` allocated; NULL
			    while `shared` */
	uint32_t cap;
	uint32_t first;	 /* merge position of its first element */
	uint32_t far;	 /* the element that reaches hi: it holds
			    every byte from its start on, and so
			    any byte an element joining later meets */
	uint32_t origin; /* the element that began the group */
	uint32_t into;	 /* the group it joined over a shared flash
			    word (join_words), itself if none */
	int8_t core;	 /* the elements' common core, or NONE */
	uint8_t pad;	 /* holds bytes of a built image */
	uint8_t placed;	 /* handed to the output image */
	uint8_t shared;	 /* its bytes are those of element `origin`,
			    in a blob, until the group needs a copy
			    to change (group_own) */
};

struct mctx {
	const dfuse_image *const *in;
	size_t n;
	const dfuse_merge_options *o;
	dfuse_report *r;
	const dfuse_profile *p; /* NULL: no flash-word rules */
	uint32_t word;		/* flash word in bytes (1 without profile) */
	size_t ot;		/* result target being built */
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
			c->r, DFUSE_SEV_NOTE, "overlap-identical", (int)c->ot,
			-1, (uint32_t)a, hi, DFUSE_CORE_NONE,
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
static int pad_group(const struct mctx *c, struct group *g, const struct mel *m)
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
	memset(g->data + before + (g->hi - g->lo), 0xFF, (size_t)(hi - g->hi));
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

			rc = dfuse__image_push_shared(out, c->ot,
						      (uint32_t)x->lo,
						      (uint32_t)(x->hi - x->lo),
						      s->blob, s->data, -1);
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
		const struct target *in =
			&c->in[t->c[k].input]->t[t->c[k].target];
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

static const char *const id_field[3] = {"idVendor", "idProduct", "bcdDevice"};
static const unsigned int id_flag[3] = {DFUSE_MERGE_VID, DFUSE_MERGE_PID,
					DFUSE_MERGE_BCD};

static uint16_t *id_at(dfuse_ids *ids, int f)
{
	return f == 0	? &ids->id_vendor
	       : f == 1 ? &ids->id_product
			: &ids->bcd_device;
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
	if (opts != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_merge_options",
						opts->version,
						DFUSE_MERGE_OPTIONS_VERSION));
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
