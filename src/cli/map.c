/*
 * map.c - the map model (map.h): an image's elements in address order
 * with their cores, and how much of a memory range they cover.  Both
 * writers of 'dfusetool map' read it: the terminal and JSON ones in
 * cmd_map.c, the SVG and HTML one in svg.c.
 */
#include "map.h"
#include "cmd.h"
#include "msg.h"

#include <stdlib.h>

uint64_t map_used(const struct map *m, uint32_t base, uint64_t size,
		  unsigned int *cores)
{
	const uint64_t end = (uint64_t)base + size;
	uint64_t used = 0, reach = base;
	size_t i;

	*cores = 0;
	for (i = 0; i < m->nels; i++) {
		const struct map_el *e = &m->els[i];
		uint64_t lo = e->address, hi = e->end;

		if (lo >= end)
			break; /* sorted by address */
		if (hi <= base || hi == lo)
			continue;
		*cores |= DFUSE_CORE_BIT(e->core);
		if (lo < reach)
			lo = reach;
		if (hi > end)
			hi = end;
		if (hi > lo) {
			used += hi - lo;
			reach = hi;
		}
	}
	return used;
}

uint64_t map_bytes(const struct map *m)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < m->nels; i++)
		n += m->els[i].end - m->els[i].address;
	return n;
}

static int cmp_el(const void *a, const void *b)
{
	const struct map_el *x = a, *y = b;

	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Every element of every target, sorted, with its core. */
int map_collect(struct map_el **out, size_t *n, const dfuse_image *img,
		   const dfuse_check_options *co)
{
	size_t t, e, k = 0, total = 0;
	struct map_el *v;

	for (t = 0; t < dfuse_image_target_count(img); t++) {
		dfuse_target_info ti;

		if (dfuse_image_target_info(&ti, img, t) == 0)
			total += ti.element_count;
	}
	v = calloc(total ? total : 1, sizeof(*v));
	if (v == NULL) {
		errorf("out of memory");
		return EXIT_FAIL;
	}
	for (t = 0; t < dfuse_image_target_count(img); t++) {
		dfuse_target_info ti;

		if (dfuse_image_target_info(&ti, img, t) < 0)
			continue;
		for (e = 0; e < ti.element_count && k < total; e++) {
			dfuse_element_info ei;
			int core;

			if (dfuse_image_element_info(&ei, img, t, e) < 0)
				continue;
			core = dfuse_element_core(img, t, e, co);
			v[k].address = ei.address;
			v[k].end = (uint64_t)ei.address + ei.size;
			v[k].core = core > 0 && core < MAP_CORES ? core : 0;
			v[k].target = t;
			v[k].element = e;
			v[k].source = ei.source;
			k++;
		}
	}
	qsort(v, k, sizeof(*v), cmp_el);
	*out = v;
	*n = k;
	return 0;
}

