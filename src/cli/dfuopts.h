/*
 * dfuopts.h - the options of the commands that write a DfuSe file from
 * image inputs (merge): the target's --alt N and --name NAME, and the
 * suffix IDs --vid HEX, --pid HEX, --bcd HEX.  Its `in` receives --cm7 and
 * --cm4 through devopts_handle() (inputs.h).
 */
#ifndef DFUSETOOL_DFUOPTS_H
#define DFUSETOOL_DFUOPTS_H

#include "inputs.h"
#include "opt.h"

#include <dfuse.h>

enum {
	O_VID = 0x400, /* after inputs.h (0x300) */
	O_PID,
	O_BCD,
	O_ALT,
	O_NAME,
};

/* The help lines, e.g. "suffix idVendor (default 0483)". */
#define DFUOPTS_IDS(vid_help, pid_help, bcd_help)                              \
	{O_VID, "vid", 0, OPT_ARG, "HEX", vid_help},                           \
		{O_PID, "pid", 0, OPT_ARG, "HEX", pid_help},                   \
	{                                                                      \
		O_BCD, "bcd", 0, OPT_ARG, "HEX", bcd_help                      \
	}
#define DFUOPTS_TARGET(alt_help, name_help)                                    \
	{O_ALT, "alt", 0, OPT_ARG, "N", alt_help},                             \
	{                                                                      \
		O_NAME, "name", 0, OPT_ARG, "NAME", name_help                  \
	}

struct dfuopts {
	unsigned int ids_set; /* DFUSE_MERGE_VID | _PID | _BCD: given */
	dfuse_ids ids;	      /* the values given */
	struct inputs in; /* --cm7 / --cm4 inputs, given to devopts_handle */
	uint32_t alt;	  /* --alt, default 0 */
	const char *name; /* --name, or NULL */
};

/* Returns 1 if `id` was one of these options (handled), 0 if not, or
 * OPT_USAGE after printing a usage error, or -1 after printing another
 * error (out of memory). */
int dfuopts_handle(struct dfuopts *d, const struct optstate *st, int id,
		   const char *arg);
/* Sets the given suffix IDs in the image. */
void dfuopts_apply_ids(const struct dfuopts *d, dfuse_image *img);
void dfuopts_free(struct dfuopts *d);

#endif /* DFUSETOOL_DFUOPTS_H */
