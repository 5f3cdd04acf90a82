/*
 * download.h - the download engine (internal): check, plan, erase, write,
 * verify and leave, over a DFU session (dfu_proto.h).  The public
 * dfuse_usb.h is built on it; nothing here prints (lines go to a log
 * callback) and nothing here knows about libusb.
 *
 * It downloads the targets with alternate setting 0 (the internal flash)
 * only.  An image with any other target is refused before any transfer
 * (DFUSE_ENOTSUP) unless DFUSE_DOWNLOAD_ALT0_ONLY says to leave them alone;
 * download.c tells why the option bytes (alt 1) are not written.
 */
#ifndef DFUSE_DOWNLOAD_H
#define DFUSE_DOWNLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "dfu_proto.h"
#include "erase.h"

#include <dfuse_usb.h>

/*
 * The engine takes the public dfuse_download_options and fills the public
 * dfuse_download_result (dfuse_usb.h): one set of options, not a mirror.
 * Its flags are DFUSE_DOWNLOAD_* (FORCE_ID is the USB layer's: the engine
 * never sees the device's IDs) and its phases DFUSE_PHASE_*.  The one
 * thing the engine needs that a caller cannot give is the device's own
 * alt-0 layout, which the USB layer reads: a parameter of its own.
 */

/*
 * Downloads the alt-0 target of `img` through session `d` (copied; its
 * progress and cancel fields are set by the engine; set its timing with
 * dfuse__erase_timing() (erase.h) first), with `layout` the device's alt-0
 * layout (NULL: the profile's banks), in this
 * order: check (no transfer), plan, [DRY_RUN stops here], enter dfuIDLE,
 * [INCREMENTAL compare], erase, write, [VERIFY], [LEAVE].
 *
 * @param[out] out         the plan and counts (required)
 * @param[out] report_out  optional: the dfuse_check() findings (caller
 *                         frees), also when they refused the download
 * @return 0; before any transfer DFUSE_EINVAL (check errors, data the
 *   device cannot write, no alt-0 target),
 *   DFUSE_ENOTSUP (a target other than alt 0), DFUSE_EOVERLAP; after it
 *   the protocol errors of dfu_proto.h, prefixed with the phase, and
 *   DFUSE_EDEVICE for a sector not blank after the bank-2 recovery or a
 *   verify mismatch (naming the address and both bytes).  On any failure
 *   the device is never told to leave.
 */
int dfuse__download(dfuse_download_result *out, dfuse_report **report_out,
		    const struct dfuse__dfu *d, const dfuse_image *img,
		    const dfuse_download_options *opts,
		    const dfuse_layout *layout, const dfuse_board *board);

/*
 * `board` (may be NULL: not read) goes to dfuse_check() as
 * dfuse_check_options.board, with DFUSE_CHECK_READBACK when VERIFY or
 * INCREMENTAL is asked and DFUSE_CHECK_MASS_ERASE with MASS_ERASE, so its
 * refusals come before any transfer; out->board_state is board->state.
 */

/*
 * Compares the device with the alt-0 targets of `img` (dfuse_usb_verify()):
 * the same refusals and the same sector plan as dfuse__download() (with
 * `layout` the device's alt 0, NULL: the profile's banks), then dfuIDLE,
 * then each sector read whole and compared with what a download leaves
 * there (the image's bytes, 0xFF elsewhere): the code that INCREMENTAL
 * uses.  `sector` (may be NULL) gets each sector's verdict.
 * @return 0 when every sector was compared (equal or not), else the
 *   refusal or the protocol error; a read refused with errVENDOR is
 *   DFUSE_EPROTECTED with out->read_protected set
 */
int dfuse__verify(dfuse_usb_result *out, const struct dfuse__dfu *d,
		  const dfuse_image *img, const dfuse_usb_options *opts,
		  const dfuse_layout *layout,
		  void (*sector)(void *payload, const dfuse_verify_sector *s));

#endif /* DFUSE_DOWNLOAD_H */
