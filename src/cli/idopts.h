/*
 * idopts.h - the suffix ID options of the commands that write a DfuSe
 * file: --vid HEX, --pid HEX, --bcd HEX.
 */
#ifndef DFUSETOOL_IDOPTS_H
#define DFUSETOOL_IDOPTS_H

#include "opt.h"

#include <dfuse.h>

enum {
	O_VID = 0x300,
	O_PID,
	O_BCD,
};

/* The three help lines, e.g. "suffix idVendor (default 0483)". */
#define IDOPTS_TABLE(vid_help, pid_help, bcd_help)                             \
	{ O_VID, "vid", 0, OPT_ARG, "HEX", vid_help },                         \
	{ O_PID, "pid", 0, OPT_ARG, "HEX", pid_help },                         \
	{ O_BCD, "bcd", 0, OPT_ARG, "HEX", bcd_help }

struct idopts {
	unsigned int set; /* DFUSE_MERGE_VID | _PID | _BCD: given */
	dfuse_ids ids;    /* the values given */
};

/* Returns 1 if `id` was an ID option (handled), 0 if not, or OPT_USAGE
 * after printing a usage error. */
int idopts_handle(struct idopts *d, const struct optstate *st, int id,
		  const char *arg);
/* Sets the given fields in the image's suffix IDs. */
void idopts_apply(const struct idopts *d, dfuse_image *img);

#endif /* DFUSETOOL_IDOPTS_H */
