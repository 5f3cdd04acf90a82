/*
 * usbopts.c - picking a device and waiting for it (usbopts.h).
 */
#include "usbopts.h"
#include "cmd.h"
#include "msg.h"
#include "num.h"

#include <dfuse.h>

#include <stdint.h>
#include <string.h>

void usbopts_init(struct usbopts *u)
{
	const dfuse_usb_match init = DFUSE_USB_MATCH_INIT;

	memset(u, 0, sizeof(*u));
	u->m = init;
}

static int devid(struct usbopts *u, const struct optstate *st, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char vid[8];

	if (colon == NULL || colon - arg > 6)
		return opt_usage(st, "-d '%s' is not VID:PID", arg);
	memcpy(vid, arg, (size_t)(colon - arg));
	vid[colon - arg] = '\0';
	if (num_hex16(&u->m.vid, vid) < 0 ||
	    num_hex16(&u->m.pid, colon + 1) < 0)
		return opt_usage(st, "-d '%s' is not VID:PID (hex)", arg);
	u->m.has_id = 1;
	return 1;
}

/* --wait=SECONDS: a whole number of seconds, at most a day. */
static int wait_arg(struct usbopts *u, const struct optstate *st,
		    const char *arg)
{
	uint32_t s;

	u->wait = 1;
	u->wait_ms = 0;
	if (arg == NULL)
		return 1;
	if (num_u32(&s, arg, 86400) < 0 || s == 0) {
		char why[160];

		return opt_usage(st,
				 "--wait='%s' is not a number of seconds from "
				 "1 to 86400: %s",
				 arg,
				 s == 0 ? "0 would not wait"
					: num_why(why, sizeof(why), arg));
	}
	u->wait_ms = s * 1000u;
	return 1;
}

int usbopts_handle(struct usbopts *u, const struct optstate *st, int id,
		   const char *arg)
{
	switch (id) {
	case O_USB_DEVID:
		return devid(u, st, arg);
	case O_USB_SERIAL:
		u->m.serial = arg;
		return 1;
	case O_USB_PATH:
		u->m.path = arg;
		return 1;
	case O_USB_WAIT:
		return wait_arg(u, st, arg);
	default:
		return 0;
	}
}

const dfuse_usb_match *usbopts_match(const struct usbopts *u)
{
	return u->m.has_id || u->m.serial || u->m.path ? &u->m : NULL;
}

static int stop_waiting(void *payload)
{
	const struct usbopts *u = payload;

	return u->stop != NULL && *u->stop != 0;
}

int usbopts_open(dfuse_usb **out, struct usbopts *u)
{
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;
	int rc;

	*out = NULL;
	if (dfuse_usb_new(out) < 0) {
		error_code(dfuse_error_name(dfuse_error_last()->code), NULL,
			   "cannot open USB: %s", dfuse_error_last()->message);
		return EXIT_FAIL;
	}
	if (!u->wait)
		return 0;
	o.cancel = stop_waiting;
	o.payload = u;
	if (u->wait_ms)
		verbosef("waiting up to %u s for a device in DFU mode",
			 (unsigned)(u->wait_ms / 1000u));
	else
		verbosef("waiting for a device in DFU mode");
	rc = dfuse_usb_wait(*out, usbopts_match(u), u->wait_ms, &o);
	if (rc < 0) {
		error_lib(NULL);
		dfuse_usb_free(*out);
		*out = NULL;
		return EXIT_FAIL;
	}
	return 0;
}

void usbopts_hint(int rc, const dfuse_usb *u)
{
	if (rc == DFUSE_EAMBIGUOUS)
		notef("pick one with -d VID:PID, -S SERIAL or --path "
		      "BUS-PORTS (see 'dfusetool list')");
	else if (rc == DFUSE_ENOTFOUND && u != NULL &&
		 dfuse_usb_count_devices(u) > 0)
		notef("see 'dfusetool list' for the devices in DFU mode");
	else if (rc == DFUSE_ENOTFOUND)
		notef("--wait waits for a device to appear");
	else if (rc == DFUSE_EPROTECTED)
		notef("read protection (RDP level 1) is on: the ROM "
		      "bootloader refuses every read of the flash and of the "
		      "option bytes.  Only removing it (RDP 1 -> 0) lifts "
		      "that, and removing it mass-erases the whole flash; "
		      "dfusetool never does it (STM32CubeProgrammer can: "
		      "-ob RDP=0xAA)");
}
