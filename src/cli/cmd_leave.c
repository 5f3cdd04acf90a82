/*
 * cmd_leave.c - dfusetool leave: tells a device in DFU mode to start the
 * application (the DfuSe leave request, dfuse_usb_leave()), and says only
 * what happened: success only when the device really left.
 */
#include "cmd.h"
#include "devboard.h"
#include "inputs.h"
#include "interrupt.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "usbopts.h"

#include <dfuse.h>
#include <dfuse_usb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	O_ADDRESS = 0x100,
	O_PROFILE,
	O_JSON,
};

static const struct opt opts[] = {
	USBOPTS_TABLE,
	{O_ADDRESS, "address", 0, OPT_ARG, "ADDR",
	 "start the CM7 from the vector table at ADDR (default: its boot "
	 "address)"},
	{O_PROFILE, "device", 0, OPT_ARG, "NAME",
	 "device profile, for the default boot address (default "
	 "stm32h745xi)"},
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print the result as JSON, failures too"},
};

static const struct cmd_help help = {
	"leave",
	"[-d VID:PID] [-S SERIAL] [--path BUS-PORTS] [--wait[=SECONDS]] "
	"[--address ADDR] [--json]",
	"Leave DFU mode: the ROM bootloader is told to start the CM7 from the "
	"vector\ntable at ADDR (by default the CM7's boot address, "
	"BOOT_CM7_ADD0 as the board's\noption bytes give it, else the "
	"profile's).  The CM4 starts only after a board\nreset.  Exits 0 only "
	"when the device left; a leave request the device did not\nact on is "
	"an error, and the board then needs a reset.",
	"  dfusetool leave\n"
	"  dfusetool leave --address 0x08000000\n",
};

static void on_log(void *payload, const char *line)
{
	(void)payload;
	notef("%s", line);
}

/* Without --address: BOOT_CM7_ADD0 when the board's option bytes can be
 * read (the address the CM7 itself boots from, RM0399 §4.4), else the
 * profile's.  `*from` says which. */
static uint32_t cm7_boot(const char **from, dfuse_usb *u,
			 const dfuse_usb_match *m, const dfuse_usb_options *o,
			 const dfuse_profile *p)
{
	dfuse_board b;

	dfuse_board_init(&b);
	if (dfuse_usb_read_board(&b, u, m, o) == 0 &&
	    b.state == DFUSE_BOARD_READ && b.ob.boot_cm7_add0 != 0) {
		*from = "its boot address, BOOT_CM7_ADD0";
		return b.ob.boot_cm7_add0;
	}
	if (b.state != DFUSE_BOARD_UNKNOWN && b.why[0] != '\0')
		verbosef("the option bytes were not read: %s", b.why);
	*from = "the profile's CM7 boot address";
	return dfuse_profile_get_boot_address(p, DFUSE_CORE_CM7);
}

static void json_result(int ok, int how, int has_address, uint32_t address)
{
	struct json *j = answer_json();

	json_begin_object(j);
	json_kbool(j, "ok", ok);
	answer_kerror(j);
	json_kbool(j, "left", ok);
	json_kstr_or_null(j, "left_how", devboard_left_how_name(how));
	if (has_address)
		json_kuint(j, "address", address);
	else
		json_knull(j, "address");
	json_end_object(j);
}

int cmd_leave(int argc, char **argv)
{
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;
	struct usbopts uo;
	struct optstate st;
	const dfuse_profile *profile = dfuse_profile_default();
	dfuse_usb *u = NULL;
	const char *arg, *from = "--address";
	uint32_t address = 0;
	int c, rc, how = DFUSE_LEFT_NONE, status = EXIT_USAGE, as_json = 0;
	int has_address = 0;

	usbopts_init(&uo);
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		rc = usbopts_handle(&uo, &st, c, arg);
		if (opt_stop(rc < 0 ? rc : c, &status))
			goto out;
		if (rc == 1)
			continue;
		switch (c) {
		case O_ADDRESS:
			if (num_u32(&address, arg, UINT32_MAX) < 0) {
				char why[160];

				opt_usage(&st,
					  "--address '%s' is not an "
					  "address: %s",
					  arg, num_why(why, sizeof(why), arg));
				goto out;
			}
			has_address = 1;
			break;
		case O_PROFILE:
			profile = profile_from_arg(help.name, arg);
			if (profile == NULL)
				goto out;
			break;
		case O_JSON:
			as_json = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	if (st.optind < argc) {
		opt_usage(&st, "unexpected argument '%s'", argv[st.optind]);
		goto out;
	}
	status = EXIT_FAIL;
	interrupt_install();
	uo.stop = &interrupt_flag;
	if (usbopts_open(&u, &uo) != 0) {
		if (as_json)
			json_result(0, how, 0, 0);
		goto out;
	}
	o.profile = profile;
	o.log = on_log;
	o.cancel = interrupt_cancel;
	if (!has_address) {
		address = cm7_boot(&from, u, usbopts_match(&uo), &o, profile);
		has_address = address != 0;
	}
	rc = dfuse_usb_leave(&how, u, usbopts_match(&uo), has_address, address,
			     &o);
	if (rc < 0) {
		error_lib(NULL);
		if (as_json)
			json_result(0, how, has_address, address);
		if (how == DFUSE_LEFT_UNCONFIRMED &&
		    strstr(dfuse_error_last()->message, "reset the board") ==
			    NULL)
			notef("reset the board (its reset button or power) to "
			      "start the application");
		usbopts_hint(rc, u);
		goto out;
	}
	if (as_json) {
		json_result(1, how, has_address, address);
	} else {
		infof("left DFU mode (%s): the CM7 was told to start at "
		      "0x%08X (%s)\n",
		      devboard_left_how_name(how), (unsigned)address, from);
		infof("the CM4 starts only after a board reset\n");
	}
	status = EXIT_OK;
out:
	dfuse_usb_free(u);
	return status;
}
