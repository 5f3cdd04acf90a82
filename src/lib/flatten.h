/*
 * flatten.h - an image's elements in address order (flatten.c), for the
 * checks, the download engine and dfuse_image_flatten().
 */
#ifndef DFUSE_FLATTEN_H
#define DFUSE_FLATTEN_H

#include "common.h"

struct element;

struct dfuse__span {
	uint32_t address;
	uint64_t end;		  /* exclusive; past 4 GiB for a wrap */
	const struct element *el; /* borrowed from the image */
	size_t target, element;	  /* where it is in the image */
	int alt0;		  /* its target has alternate setting 0 */
};

#define DFUSE__FLAT_ALT0 1u	/* the targets of alt 0 only */
#define DFUSE__FLAT_NO_EMPTY 2u /* leave out elements of no bytes */
#define DFUSE__FLAT_BY_ADDRESS                                                 \
	4u /* ties on address in image order,                                  \
	      not shorter first */

/* Every element of the image (as flags say), sorted: *out (caller frees)
 * gets *n spans.  Returns 0 or DFUSE_ENOMEM. */
int dfuse__flatten(struct dfuse__span **out, size_t *n, const dfuse_image *img,
		   unsigned flags);

#endif /* DFUSE_FLATTEN_H */
