/*
 * devread.h - what the commands that read a board (upload, verify, info)
 * share: the device that the -d/-S/--path options pick, with its USB
 * identity and its alt-0 layout (UM0424) parsed; a progress line for
 * reads on a terminal; and Ctrl-C turned into the library's cancel
 * (DFU_ABORT sent at the next block).
 */
#ifndef DFUSETOOL_DEVREAD_H
#define DFUSETOOL_DEVREAD_H

#include "json.h"
#include "usbopts.h"

#include <dfuse.h>
#include <dfuse_usb.h>

#include <stdint.h>

struct devread {
	dfuse_usb_device_info info; /* borrowed strings: valid while the
				       session is */
	size_t index;		    /* in the session's device list */
	const char *alt0;	    /* alt 0's interface string, or NULL */
	dfuse_layout *layout;	    /* alt 0's layout parsed, or NULL */
	char name[64];		    /* the layout's name, trailing spaces cut
				       ("Internal Flash") */
};

/*
 * Finds the one device that `uo` picks in the open session `u`: exactly
 * one must match (the library's rule too).  With need_layout, alt 0 must
 * carry a layout string that parses.  On failure the error is recorded
 * (errorf/error_code, for --json), the usbopts hint is given, and
 * EXIT_FAIL is returned; 0 on success.  devread_free() in both cases.
 */
int devread_pick(struct devread *d, dfuse_usb *u, const struct usbopts *uo,
		 int need_layout);
void devread_free(struct devread *d);

/* "device": {vid, pid, bcdDevice, serial, path, bus, address, interface}
 * of the picked device, or
 * null when none was picked (info.vid 0 and path NULL). */
void devread_kjson(struct json *j, const struct devread *d);

/*
 * Progress of one or more reads that make one job of `total` bytes:
 * devread_progress_begin() before the first, devread_progress_next()
 * after each read of `len` bytes.  opts->progress/cancel/payload are set
 * for
 * the library (a caller whose callbacks need more state puts `p` first
 * in its own payload struct); on a terminal a bar is drawn on stderr ("read
 * [####  ] 42% ..."), elsewhere one line at the end (not with -q).  Installs
 * the SIGINT/SIGTERM handler of interrupt.h, whose flag opts->cancel
 * polls: the work stops at the next block.
 */
struct devread_progress {
	int tty;
	uint64_t base, total; /* bytes done by earlier reads; all (0: each
				 read's own total, for a job of one read) */
	uint64_t last;	      /* the last read's total */
	const char *verb;     /* "read", "compare" */
	double t0;	      /* start, seconds */
	int ended;
};
void devread_progress_begin(struct devread_progress *p, dfuse_usb_options *o,
			    const char *verb, uint64_t total);
void devread_progress_next(struct devread_progress *p, uint64_t len);
/* Ends the bar's line (a read that stopped before the end). */
void devread_progress_end(struct devread_progress *p);
/* 1 once Ctrl-C (or SIGTERM) was seen. */
int devread_interrupted(void);

#endif /* DFUSETOOL_DEVREAD_H */
