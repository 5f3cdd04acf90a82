/*
 * devboard.c - names for how a device left DFU mode and for what is known
 * of a board's option bytes (devboard.h).
 */
#include "devboard.h"

const char *devboard_left_how_name(int how)
{
	switch (how) {
	case DFUSE_LEFT_MANIFEST:
		return "manifest";
	case DFUSE_LEFT_DISCONNECT:
		return "disconnect";
	case DFUSE_LEFT_STALL:
		return "stall";
	case DFUSE_LEFT_UNCONFIRMED:
		return "unconfirmed";
	default:
		return NULL;
	}
}

const char *devboard_state_name(int state)
{
	switch (state) {
	case DFUSE_BOARD_READ:
		return "read";
	case DFUSE_BOARD_NO_ALT:
		return "no-alt";
	case DFUSE_BOARD_PROTECTED:
		return "protected";
	case DFUSE_BOARD_FAILED:
		return "failed";
	default:
		return "unknown";
	}
}
