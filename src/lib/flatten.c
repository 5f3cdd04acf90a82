/*
 * flatten.c - an image's elements as one list in address order: the
 * spans [address, end) of every element of every target (or of the
 * alt-0 targets only), each with its element, target and index.  The
 * checks (check.c), the download engine (download.c) and
 * dfuse_image_flatten() for the map all read an image this way; what
 * each does about overlaps (report them, refuse them, draw them) is its
 * own.
 *
 * The order is by address, then (unless DFUSE__FLAT_BY_ADDRESS) by end,
 * then by target and element index: a total order, so the list is the
 * same whatever sort the C library has.
 */
#include "err.h"
#include "flatten.h"
#include "image.h"

#include <stdlib.h>

static int cmp_span(const struct dfuse__span *x, const struct dfuse__span *y,
		    int by_end)
{
	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	if (by_end && x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return x->element < y->element ? -1 : x->element > y->element;
}

static int cmp_by_end(const void *a, const void *b)
{
	return cmp_span(a, b, 1);
}

static int cmp_by_address(const void *a, const void *b)
{
	return cmp_span(a, b, 0);
}

int dfuse__flatten(struct dfuse__span **out, size_t *n, const dfuse_image *img,
		   unsigned flags)
{
	struct dfuse__span *v;
	size_t t, e, k = 0, total = 0, bytes;

	*out = NULL;
	*n = 0;
	for (t = 0; t < img->n; t++)
		if (!(flags & DFUSE__FLAT_ALT0) || img->t[t].alt == 0)
			total += img->t[t].n;
	if (dfuse__mul_size(&bytes, total ? total : 1, sizeof(*v)))
		return dfuse__oom();
	v = calloc(1, bytes);
	if (v == NULL)
		return dfuse__oom();
	for (t = 0; t < img->n; t++) {
		const struct target *tg = &img->t[t];

		if ((flags & DFUSE__FLAT_ALT0) && tg->alt != 0)
			continue;
		for (e = 0; e < tg->n; e++) {
			const struct element *el = &tg->el[e];

			if ((flags & DFUSE__FLAT_NO_EMPTY) && el->size == 0)
				continue;
			v[k].address = el->address;
			v[k].end = (uint64_t)el->address + el->size;
			v[k].el = el;
			v[k].target = t;
			v[k].element = e;
			v[k].alt0 = tg->alt == 0;
			k++;
		}
	}
	if (k > 1)
		qsort(v, k, sizeof(*v),
		      (flags & DFUSE__FLAT_BY_ADDRESS) ? cmp_by_address
						       : cmp_by_end);
	*out = v;
	*n = k;
	return 0;
}

int dfuse_image_flatten(dfuse_span **out, size_t *count, const dfuse_image *img,
			const dfuse_check_options *opts)
{
	struct dfuse__span *s;
	dfuse_span *v;
	size_t n, i;

	if (out == NULL || count == NULL || img == NULL)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_image_flatten: NULL argument");
	*out = NULL;
	*count = 0;
	DFUSE__TRY(dfuse__flatten(&s, &n, img, 0));
	v = calloc(n ? n : 1, sizeof(*v));
	if (v == NULL) {
		free(s);
		return dfuse__oom();
	}
	for (i = 0; i < n; i++) {
		const int core = dfuse_image_get_element_core(
			img, s[i].target, s[i].element, opts);

		if (core < 0) {
			free(s);
			free(v);
			return core;
		}
		v[i].address = s[i].address;
		v[i].end = s[i].end;
		v[i].core = core;
		v[i].target = s[i].target;
		v[i].element = s[i].element;
		v[i].data = s[i].el->data;
		v[i].source = s[i].el->source;
	}
	free(s);
	*out = v;
	*count = n;
	return 0;
}
