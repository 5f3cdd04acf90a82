/*
 * download.h - the download engine (internal): check, plan, erase, write,
 * verify and leave, over a DFU session (dfu_proto.h).  The public
 * dfuse_usb.h is built on it; nothing here prints (lines go to a log
 * callback) and nothing here knows about libusb.
 *
 * It downloads the targets with alternate setting 0 (the internal flash)
 * only.  An image with any other target is refused before any transfer
 * (DFUSE_ENOTSUP) unless DFUSE__DL_ALT0_ONLY says to leave them alone;
 * download.c tells why the option bytes (alt 1) are not written.
 */
#ifndef DFUSE_DOWNLOAD_H
#define DFUSE_DOWNLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "dfu_proto.h"

/* Flags of struct dfuse__download_options. */
#define DFUSE__DL_VERIFY 0x01u      /* read back every run and compare */
#define DFUSE__DL_INCREMENTAL 0x02u /* skip sectors that already hold what
				       a full download would leave there */
#define DFUSE__DL_MASS_ERASE 0x04u  /* one mass erase instead of sectors */
#define DFUSE__DL_LEAVE 0x08u       /* leave DFU mode after full success */
#define DFUSE__DL_DRY_RUN 0x10u     /* check and plan only: no transfer */
#define DFUSE__DL_ALT0_ONLY 0x40u   /* leave targets of other alternate
				       settings alone instead of refusing */

/* Phases reported to the progress callback. */
enum dfuse__dl_phase {
	DFUSE__DL_PHASE_ERASE = 1,  /* done/total: sectors */
	DFUSE__DL_PHASE_WRITE = 2,  /* bytes */
	DFUSE__DL_PHASE_VERIFY = 3, /* bytes */
	DFUSE__DL_PHASE_READ = 4    /* bytes read for --incremental */
};

typedef void (*dfuse__dl_progress_fn)(void *payload, int phase,
				      uint64_t done, uint64_t total);
/* One line for the user, without a newline; borrowed for the call. */
typedef void (*dfuse__dl_log_fn)(void *payload, const char *line);

struct dfuse__download_options {
	unsigned flags;               /* DFUSE__DL_* */
	const dfuse_profile *profile; /* NULL: dfuse_profile_default() */
	const dfuse_layout *layout;   /* alt 0's layout as the device reports
					 it; NULL: the profile's banks */
	uint32_t boot_cm7;            /* 0: the profile's default */
	uint32_t boot_cm4;            /* 0: the profile's default */
	uint32_t leave_address;       /* 0: the CM7 boot address (boot_cm7,
					 else the profile's; on a part
					 without a CM7 the first element) */
	dfuse__dl_progress_fn progress; /* optional */
	void *progress_payload;
	dfuse__dl_log_fn log;           /* optional */
	void *log_payload;
	/* optional: nonzero stops the work at the next sector or block,
	 * with DFU_ABORT sent and DFUSE_ECANCELED; never leaves */
	int (*cancel)(void *payload);
	void *cancel_payload;
	/* optional: the check's findings, before any transfer (borrowed) */
	void (*checked)(void *payload, const dfuse_report *findings);
	void *checked_payload;
	/* check codes lowered to notes (dfuse_check_options.allow) */
	const char *const *allow;
	size_t allow_count;
};

/* What was planned and done.  Filled as far as the engine got, also on
 * failure. */
struct dfuse__download_result {
	/* The plan */
	size_t sectors;          /* erase sectors the image touches */
	size_t runs;             /* contiguous runs (one SET_ADDRESS each) */
	uint64_t bytes;          /* bytes the image writes */
	uint64_t estimate_ms;    /* typical duration (see download.c) */
	uint64_t estimate_max_ms; /* datasheet worst case */
	/* The work */
	size_t sectors_erased;
	size_t sectors_skipped;  /* INCREMENTAL: already equal */
	size_t sectors_recovered; /* H7 bank-2 bug: CLRSTATUS x2 + blank */
	int mass_erased;
	uint64_t bytes_written;
	uint64_t bytes_verified;
	uint64_t bytes_compared; /* INCREMENTAL: bytes read before erase */
	int left;                /* 1: leave was sent and succeeded */
	int left_how;            /* enum dfuse__dfu_left when left */
	uint32_t leave_address;  /* where the ROM was told to jump */
	int cm4_image;           /* the image holds a CM4 image */
};

/*
 * Sets the session's deadlines and the stuck-erase recovery from a device
 * profile's flash timing (NULL: the default profile): a sector erase may
 * take twice the datasheet worst case, the recovery of a stuck erase
 * starts after the worst case, a mass erase may take twice the worst case
 * of every sector.  Callers may adjust the fields afterwards.
 */
void dfuse__download_timing(struct dfuse__dfu *d, const dfuse_profile *p);

/*
 * Downloads the alt-0 target of `img` through session `d` (copied; its
 * progress and cancel fields are set by the engine; set its timing with
 * dfuse__download_timing() first), in this
 * order: check (no transfer), plan, [DRY_RUN stops here], enter dfuIDLE,
 * [INCREMENTAL compare], erase, write, [VERIFY], [LEAVE].
 *
 * @param[out] out         the plan and counts (required)
 * @param[out] report_out  optional: the dfuse_check() findings (caller
 *                         frees), also when they refused the download
 * @return 0; before any transfer DFUSE_EINVAL (check errors, data the
 *   device cannot write, elements without data, no alt-0 target),
 *   DFUSE_ENOTSUP (a target other than alt 0), DFUSE_EOVERLAP; after it
 *   the protocol errors of dfu_proto.h, prefixed with the phase, and
 *   DFUSE_EDEVICE for a sector not blank after the bank-2 recovery or a
 *   verify mismatch (naming the address and both bytes).  On any failure
 *   the device is never told to leave.
 */
int dfuse__download(struct dfuse__download_result *out,
		    dfuse_report **report_out, const struct dfuse__dfu *d,
		    const dfuse_image *img,
		    const struct dfuse__download_options *opts);

#endif /* DFUSE_DOWNLOAD_H */
