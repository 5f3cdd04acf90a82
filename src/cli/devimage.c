/*
 * devimage.c - the image of a device command (devimage.h): the positionals
 * and the read, shared by download and verify.
 */
#include "devimage.h"
#include "cmd.h"
#include "findings.h"
#include "inbuf.h"
#include "msg.h"

#include <dfuse.h>

#include <stdio.h>

int devimage_positionals(struct devimage *di, struct inputs *in,
			 struct optstate *st, int argc, char **argv, size_t max,
			 const char *verb)
{
	int rc;

	di->ndfu = 0;
	di->dfu = NULL;
	di->what = "inputs";
	for (; st->optind < argc; st->optind++) {
		/* FILE[@ADDR]: the format of FILE decides what it is */
		rc = inputs_add_positional(in, argv[st->optind], max);
		if (rc < 0)
			return inputs_status(rc);
		if (rc == 1) {
			di->ndfu++;
			di->dfu = argv[st->optind];
		}
	}
	if (di->ndfu == 0 && in->n == 0) {
		opt_usage(st,
			  "%s: give FILE.dfu, or --cm7/--cm4/FILE@ADDR "
			  "inputs",
			  verb);
		return EXIT_USAGE;
	}
	if (di->ndfu > 1 || (di->ndfu == 1 && in->n > 0)) {
		opt_usage(st, "give one FILE.dfu, or image inputs "
			      "(--cm7/--cm4/FILE@ADDR), not both");
		return EXIT_USAGE;
	}
	if (di->dfu != NULL)
		di->what = di->dfu;
	return 0;
}

/* The image: one .dfu file, or image inputs placed as build does. */
int devimage_load(dfuse_image **img, const struct devimage *di,
		  const struct inputs *in, const struct devopts *dev,
		  size_t max)
{
	dfuse_read_options ro = DFUSE_READ_OPTIONS_INIT;
	dfuse_report *diag = NULL;
	const char *dfu = di->dfu;

	if (di->ndfu) {
		size_t nerr;

		/* Read as dump reads: a convention other tools differ on
		 * (DFUImageSize one short, as 32blit's files are) is told, not
		 * fatal; a structural error or a bad CRC refuses the file
		 * before any transfer. */
		struct inbuf b;
		int rc;

		ro.max_size = max;
		/* the probe's bytes: read once (a FIFO is not reopened) */
		if (inbuf_open(&b, dfu, max ? max : DFUSE_DEFAULT_MAX_INPUT))
			return EXIT_FAIL;
		{
			const size_t len =
				b.len; /* the bytes go to the image */

			rc = dfuse_read_owned(img, &diag, inbuf_take(&b), len,
					      &ro);
		}
		if (rc < 0) {
			error_lib(dfu);
			return EXIT_FAIL;
		}
		findings_print_min(stderr, dfu, diag, NULL,
				   msg_verbosity() < 0 ? DFUSE_SEV_ERROR
						       : DFUSE_SEV_NOTE);
		nerr = dfuse_report_count_at_least(diag, DFUSE_SEV_ERROR);
		dfuse_report_free(diag);
		if (nerr > 0) {
			errorf("'%s': refused before any transfer: the file "
			       "has "
			       "%zu error%s (above)",
			       dfu, nerr, nerr == 1 ? "" : "s");
			return EXIT_FAIL;
		}
		return 0;
	}
	return inputs_image(img, in, devopts_profile_or_default(dev),
			    devopts_profile_or_default(dev), max, "inputs");
}
