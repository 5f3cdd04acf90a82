/*
 * usbopts.h - the options every command that talks to a device shares:
 * which device (-d VID:PID, -S SERIAL, --path BUS-PORTS) and --wait[=SECONDS]
 * for a device to appear (flashing rigs in CI); and opening the USB
 * session with them.  One home, so that download, upload, verify, erase,
 * info, leave and check --live pick a device the same way.
 */
#ifndef DFUSETOOL_USBOPTS_H
#define DFUSETOOL_USBOPTS_H

#include "opt.h"

#include <dfuse_usb.h>

#include <signal.h>
#include <stdint.h>

enum {
	O_USB_DEVID = 'd',
	O_USB_SERIAL = 'S',
	O_USB_PATH = 0x500, /* after dfuopts.h (0x400) */
	O_USB_WAIT,
};

/* --wait alone (list: it lists every device, so it takes no match). */
#define USBOPTS_WAIT                                                           \
	{                                                                      \
		O_USB_WAIT, "wait", 0, OPT_OPTARG, "SECONDS",                  \
			"wait for the device to appear (default: no limit)"    \
	}
#define USBOPTS_TABLE                                                          \
	{                                                                      \
		O_USB_DEVID,                                                   \
		"device-id",                                                   \
		'd',                                                           \
		OPT_ARG,                                                       \
		"VID:PID",                                                     \
		"the device to use (default: the only one in DFU mode)"},      \
		{O_USB_SERIAL, "serial", 'S',                                  \
		 OPT_ARG,      "SERIAL", "match the serial"},                  \
		{O_USB_PATH, "path",	  0,                                   \
		 OPT_ARG,    "BUS-PORTS", "match the bus path"},               \
		USBOPTS_WAIT

struct usbopts {
	dfuse_usb_match m;
	int wait;		     /* --wait given */
	uint32_t wait_ms;	     /* 0: no limit */
	volatile sig_atomic_t *stop; /* optional: set by a signal handler;
				polled while waiting */
};

void usbopts_init(struct usbopts *u);
/*
 * For each opt_next() result: 1 if `id` was one of the options above, 0
 * if not, OPT_USAGE after a usage error was printed.
 */
int usbopts_handle(struct usbopts *u, const struct optstate *st, int id,
		   const char *arg);
/* The match to hand to the library: NULL when no option narrowed it. */
const dfuse_usb_match *usbopts_match(const struct usbopts *u);
/*
 * Opens the USB session and, with --wait, waits for a matching device.
 * On failure the error is recorded (errorf/error_code, so --json reports
 * it) and EXIT_FAIL is returned; 0 on success.
 */
int usbopts_open(dfuse_usb **out, struct usbopts *u);
/*
 * After a library call that picked a device failed: the CLI's hint for
 * DFUSE_EAMBIGUOUS and DFUSE_ENOTFOUND (a note naming the options), and
 * for DFUSE_EPROTECTED the words on read protection.
 */
void usbopts_hint(int rc, const dfuse_usb *u);

#endif /* DFUSETOOL_USBOPTS_H */
