/*
 * devboard.h - what the device commands (erase, leave, download, check
 * --live) share about the attached board: the alt-0 layout of the one
 * device a match picks, and the words and JSON names of how a device left
 * DFU mode and of what is known of the board (dfuse_board_state).
 */
#ifndef DFUSETOOL_DEVBOARD_H
#define DFUSETOOL_DEVBOARD_H

#include <dfuse.h>
#include <dfuse_usb.h>

/*
 * The alt-0 layout of the one device `m` (NULL: any) picks in the session
 * (the match of dfuse_usb_match: VID:PID, serial and path compared
 * exactly).  Returns 1 and *out (caller frees with dfuse_layout_free());
 * 0 when the session does not show exactly one such device (the library
 * call that follows then says why); -1 after recording why it cannot be
 * used (no alt 0, a layout that does not parse).  `why_needed` ends that
 * message ("whose sectors --sector counts").
 */
int devboard_alt0_layout(dfuse_layout **out, const dfuse_usb *u,
			 const dfuse_usb_match *m, const char *why_needed);

/* "manifest", "disconnect", "stall", "unconfirmed", or NULL (not told to
 * leave) for a dfuse_left_how: the JSON "left_how". */
const char *devboard_left_how_name(int how);
/* "read", "no-alt", "protected", "failed" or "unknown": the JSON
 * "board". */
const char *devboard_state_name(int state);

#endif /* DFUSETOOL_DEVBOARD_H */
