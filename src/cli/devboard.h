/*
 * devboard.h - what the device commands (leave, download, check --live, info)
 * share about the attached board: the JSON names of how a device left DFU
 * mode and of what is known of the board (dfuse_board_state).
 */
#ifndef DFUSETOOL_DEVBOARD_H
#define DFUSETOOL_DEVBOARD_H

#include <dfuse.h>
#include <dfuse_usb.h>

/* "manifest", "disconnect", "stall", "unconfirmed", or NULL (not told to
 * leave) for a dfuse_left_how: the JSON "left_how". */
const char *devboard_left_how_name(int how);
/* "read", "no-alt", "protected", "failed" or "unknown": the JSON
 * "board". */
const char *devboard_state_name(int state);

#endif /* DFUSETOOL_DEVBOARD_H */
