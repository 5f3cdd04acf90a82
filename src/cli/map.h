/*
 * map.h - an image laid over a device's memory: the model that
 * 'dfusetool map' draws in the terminal (cmd_map.c) and as an SVG or HTML
 * picture (svg.c); map.c builds and measures it.  Everything in it comes
 * from the public API: banks and regions from the profile, cores from
 * dfuse_image_get_element_core(), findings from dfuse_check(), vector tables
 * from dfuse_image_get_vector_table().
 */
#ifndef DFUSETOOL_MAP_H
#define DFUSETOOL_MAP_H

#include <dfuse.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MAP_CORES 3 /* indexed by dfuse_core */

struct map_el {
	uint32_t address;
	uint64_t end; /* exclusive; may pass 4 GiB in a broken file */
	int core;     /* dfuse_core */
	size_t target, element;
	const char *source; /* input name, borrowed; may be NULL */
};

struct map {
	const char *subject;	      /* the file (or inputs) shown */
	const char *device;	      /* profile name for titles */
	const dfuse_profile *profile; /* banks and regions */
	const struct map_el *els;     /* sorted by address */
	size_t nels;
	const dfuse_report *diag;	 /* reader diagnostics, or NULL */
	const dfuse_report *findings;	 /* dfuse_check() */
	dfuse_vector_info vt[MAP_CORES]; /* by core; address 0: none */
};

/*
 * The bytes of [base, base + size) that elements cover, overlaps counted
 * once; *cores gets DFUSE_CORE_BIT() of every core with data there
 * (DFUSE_CORE_BIT(DFUSE_CORE_NONE) for data of no core).
 */
uint64_t map_used(const struct map *m, uint32_t base, uint64_t size,
		  unsigned int *cores);

/* "a.dfu: 2 elements, 1792 bytes" style totals. */
uint64_t map_bytes(const struct map *m);

/* Every element of every target in address order, with its core, from
 * dfuse_image_flatten() under co: *out (caller frees) gets *n of them.
 * Returns 0, or EXIT_FAIL (the library's error is dfuse_error_last()). */
int map_collect(struct map_el **out, size_t *n, const dfuse_image *img,
		const dfuse_check_options *co);

/*
 * Writes the picture to f: a standalone SVG, or (html) an HTML page with
 * the same SVG inline plus tables of the elements and findings.  Returns 0,
 * or -1 if f reports a write error.
 */
int svg_write(FILE *f, const struct map *m, int html);

#endif /* DFUSETOOL_MAP_H */
