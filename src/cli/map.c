/*
 * map.c - the map model (map.h): an image's elements in address order
 * with their cores (the library's dfuse_image_flatten()), and how much of
 * a memory range they cover.  Both
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

/* Every element of every target, sorted, with its core. */
int map_collect(struct map_el **out, size_t *n, const dfuse_image *img,
		const dfuse_check_options *co)
{
	dfuse_span *s;
	struct map_el *v;
	size_t i, k;

	*out = NULL;
	*n = 0;
	if (dfuse_image_flatten(&s, &k, img, co) < 0)
		return EXIT_FAIL;
	v = calloc(k ? k : 1, sizeof(*v));
	if (v == NULL) {
		dfuse_free(s);
		errorf("out of memory");
		return EXIT_FAIL;
	}
	for (i = 0; i < k; i++) {
		v[i].address = s[i].address;
		v[i].end = s[i].end;
		v[i].core =
			s[i].core > 0 && s[i].core < MAP_CORES ? s[i].core : 0;
		v[i].target = s[i].target;
		v[i].element = s[i].element;
		v[i].source = s[i].source;
	}
	dfuse_free(s);
	*out = v;
	*n = k;
	return 0;
}
