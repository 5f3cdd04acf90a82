/*
 * devboard.c - the attached board as the device commands see it
 * (devboard.h): the picked device's alt-0 layout, and names for how it
 * left DFU mode and for what is known of its option bytes.
 */
#include "devboard.h"
#include "msg.h"

#include <string.h>

static int picks(const dfuse_usb_device_info *d, const dfuse_usb_match *m)
{
	if (m == NULL)
		return 1;
	if (m->has_id && (d->vid != m->vid || d->pid != m->pid))
		return 0;
	if (m->serial != NULL && strcmp(m->serial, d->serial) != 0)
		return 0;
	return m->path == NULL || strcmp(m->path, d->path) == 0;
}

int devboard_alt0_layout(dfuse_layout **out, const dfuse_usb *u,
			 const dfuse_usb_match *m, const char *why_needed)
{
	dfuse_usb_device_info d;
	size_t i, a, found = 0, pick = 0;

	*out = NULL;
	for (i = 0; i < dfuse_usb_count_devices(u); i++)
		if (dfuse_usb_get_device(&d, u, i) == 0 && picks(&d, m)) {
			found++;
			pick = i;
		}
	if (found != 1 || dfuse_usb_get_device(&d, u, pick) < 0)
		return 0;
	for (a = 0; a < d.alt_count; a++) {
		uint8_t alt;
		const char *name;

		if (dfuse_usb_get_alt(&alt, &name, u, pick, a) != 0 || alt != 0)
			continue;
		if (dfuse_layout_parse(out, name) < 0) {
			error_lib("alt 0's layout");
			return -1;
		}
		return 1;
	}
	error_code("DFUSE_ENOTFOUND", NULL,
		   "the device shows no alternate setting 0 (its flash), %s",
		   why_needed);
	return -1;
}

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
