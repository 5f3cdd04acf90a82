/*
 * devimage.h - the image a device command works with (download, verify):
 * one FILE.dfu, or image inputs (--cm7/--cm4/FILE@ADDR) placed as build
 * places them; read before any transfer, refused whole when it has errors.
 */
#ifndef DFUSETOOL_DEVIMAGE_H
#define DFUSETOOL_DEVIMAGE_H

#include "devopts.h"
#include "inputs.h"
#include "opt.h"

#include <dfuse.h>

struct devimage {
	int ndfu;	  /* .dfu files among the positionals */
	const char *dfu;  /* the one .dfu file, or NULL */
	const char *what; /* the .dfu file's name, or "inputs" */
};

/*
 * Takes the positionals from st->optind on into `in` (a FILE.dfu, or
 * FILE[@ADDR] inputs); `verb` names the job in the usage error ("nothing
 * to download").  Returns 0, or the exit status after an error was
 * printed (2 for usage errors).
 */
int devimage_positionals(struct devimage *di, struct inputs *in,
			 struct optstate *st, int argc, char **argv, size_t max,
			 const char *verb);
/*
 * Reads the image: the .dfu file as dump reads it (a structural error or
 * a bad CRC refuses it: "refused before any transfer"), or the inputs.
 * Returns 0 or EXIT_FAIL after the error was printed.
 */
int devimage_load(dfuse_image **img, const struct devimage *di,
		  const struct inputs *in, const struct devopts *dev,
		  size_t max);

#endif /* DFUSETOOL_DEVIMAGE_H */
