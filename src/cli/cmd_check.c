/*
 * cmd_check.c - dfusetool check: every rule of dfuse_check() on .dfu files
 * and on image inputs, against a device profile, a device's layout string
 * or both; with --live, also against an attached board's own layout and
 * option bytes (read, never written: dfuse_usb_read_board()).
 */
#include "cmd.h"
#include "devboard.h"
#include "devopts.h"
#include "devread.h"
#include "findings.h"
#include "inbuf.h"
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
	O_JSON = 0x100,
	O_STRICT,
	O_LIVE,
	O_LIVE_VERIFY,
	O_LIVE_INCREMENTAL,
	O_LIVE_MASS_ERASE,
	O_LIVE_LEAVE,
};

static const struct opt opts[] = {
	INPUTS_TABLE,
	DEVOPTS_TABLE,
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print JSON: one object per file, an array for several"},
	{O_STRICT, "strict", 0, OPT_NOARG, NULL, "fail on warnings too"},
	MAX_INPUT_OPT,
	{O_LIVE, "live", 0, OPT_NOARG, NULL,
	 "also check against the attached board's layout and option bytes "
	 "(writes nothing)"},
	USBOPTS_TABLE,
	{O_LIVE_VERIFY, "verify", 0, OPT_NOARG, NULL,
	 "with --live: as for a download with --verify (read protection "
	 "refuses it)"},
	{O_LIVE_INCREMENTAL, "incremental", 0, OPT_NOARG, NULL,
	 "with --live: as for a download with --incremental"},
	{O_LIVE_MASS_ERASE, "mass-erase", 0, OPT_NOARG, NULL,
	 "with --live: as for a download with --mass-erase"},
	{O_LIVE_LEAVE, "leave", 0, OPT_NOARG, NULL,
	 "with --live: as for a download with --leave"},
};

static const struct cmd_help help = {
	"check",
	"[--device NAME | --layout STRING] [--boot-cm7 ADDR] "
	"[--boot-cm4 ADDR] [--json] [--strict] [--live [-d VID:PID] "
	"[-S SERIAL] [--path BUS-PORTS] [--wait[=SECONDS]] [--verify] "
	"[--incremental] [--mass-erase] [--leave]] [--cm7 FILE] [--cm4 FILE] "
	"[FILE[@ADDR]]...",
	"Check images against the device before they reach a board: the "
	"memory map,\nwhat the ROM DFU bootloader can write, flash banks and "
	"sectors, which core\neach image belongs to, the cores' boot addresses "
	"and vector tables.  Each\n.dfu FILE is checked on its own; image "
	"inputs (ELF, HEX, S-record, binary,\nwith --cm7/--cm4) are checked "
	"together, as build would place them.\nWith --live, the attached "
	"board's layout and option bytes (boot addresses,\ncore boot enables, "
	"write protection, bank swap, read protection) are checked\ntoo; "
	"nothing is written to it.  Exits 1 on any error (with --strict, on "
	"any\nwarning too).",
	"  dfusetool check release.dfu\n"
	"  dfusetool check --cm7 cm7.elf --cm4 cm4.elf\n"
	"  dfusetool check --device stm32h743xi --json app.dfu\n"
	"  dfusetool check --live --verify release.dfu\n",
};

struct check_ctx {
	struct devopts dev;
	int json, strict, units;
	size_t max_input;
	struct json *j;
	/* --live */
	int live;
	unsigned int live_flags; /* DFUSE_CHECK_* of the download asked */
	struct usbopts uo;
	dfuse_board board;
	struct devread picked;		   /* the device, with alt 0's layout */
	const dfuse_layout *device_layout; /* alt 0's, when --layout is not
					      given */
};

/* Prints one unit's results; returns its exit status. */
static int report_unit(struct check_ctx *c, const char *subject,
		       const dfuse_report *diag, const dfuse_report *rep)
{
	size_t errors, warnings, derr = 0, dwarn = 0;
	FILE *out = stdout;

	if (c->json) {
		errors = dfuse_report_count_at_least(rep, DFUSE_SEV_ERROR) +
			 dfuse_report_count_at_least(diag, DFUSE_SEV_ERROR);
		warnings =
			dfuse_report_count_at_least(rep, DFUSE_SEV_WARNING) +
			dfuse_report_count_at_least(diag, DFUSE_SEV_WARNING) -
			errors;
		json_begin_object(c->j);
		json_kstr(c->j, "file", subject);
		json_kstr(c->j, "device", devopts_device_name(&c->dev));
		if (c->live) {
			json_kstr(c->j, "board",
				  devboard_state_name(c->board.state));
			json_kstr_or_null(c->j, "board_why",
					  c->board.state == DFUSE_BOARD_READ
						  ? NULL
						  : c->board.why);
		}
		json_key(c->j, "findings");
		findings_json(c->j, rep);
		if (diag != NULL) {
			json_key(c->j, "diagnostics");
			findings_json(c->j, diag);
		}
		json_kuint(c->j, "errors", errors);
		json_kuint(c->j, "warnings", warnings);
		json_end_object(c->j);
	} else {
		/* -q: only what fails the check, on stderr */
		int min = DFUSE_SEV_NOTE;

		if (msg_verbosity() < 0) {
			out = stderr;
			min = c->strict ? DFUSE_SEV_WARNING : DFUSE_SEV_ERROR;
		}
		if (diag != NULL)
			derr = findings_print_min(out, subject, diag, &dwarn,
						  min);
		errors = findings_print_min(out, subject, rep, &warnings, min) +
			 derr;
		warnings += dwarn;
		infof("%s: %zu error%s, %zu warning%s (%s)\n", subject, errors,
		      errors == 1 ? "" : "s", warnings,
		      warnings == 1 ? "" : "s", devopts_device_name(&c->dev));
	}
	if (errors > 0 || (c->strict && warnings > 0))
		return EXIT_FAIL;
	return EXIT_OK;
}

static int check_image(struct check_ctx *c, const char *subject,
		       const dfuse_image *img, const dfuse_report *diag)
{
	dfuse_check_options o;
	dfuse_report *rep = NULL;
	int status;

	devopts_check_options(&c->dev, &o);
	if (c->live) {
		/* as a download checks: the profile and the device's own
		 * layout, and the board */
		if (o.layout == NULL) {
			o.profile = devopts_profile_or_default(&c->dev);
			o.layout = c->device_layout;
		}
		o.board = &c->board;
		o.flags |= c->live_flags;
	}
	if (dfuse_check(&rep, img, &o) < 0) {
		error_lib(subject);
		return EXIT_FAIL;
	}
	verbosef("'%s': %zu finding%s against %s", subject,
		 dfuse_report_count(rep),
		 dfuse_report_count(rep) == 1 ? "" : "s",
		 devopts_device_name(&c->dev));
	status = report_unit(c, subject, diag, rep);
	dfuse_report_free(rep);
	c->units++;
	return status;
}

static int check_dfu(struct check_ctx *c, const char *path, struct inbuf *b)
{
	dfuse_read_options ro = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *img = NULL;
	dfuse_report *diag = NULL;
	const size_t len = b->len;
	int status;

	ro.max_size = len > DFUSE_DEFAULT_MAX_INPUT ? len : 0;
	/* the bytes go to the image, whose elements point into them */
	if (dfuse_read_owned(&img, &diag, inbuf_take(b), len, &ro) < 0) {
		error_lib(path);
		return EXIT_FAIL;
	}
	status = check_image(c, path, img, diag);
	dfuse_report_free(diag);
	dfuse_image_free(img);
	return status;
}

/* Image inputs together, placed and padded as build does. */
static int check_inputs(struct check_ctx *c, const struct inputs *in)
{
	char subject[512];
	dfuse_image *img = NULL;
	int status;

	inputs_subject(subject, sizeof(subject), in);
	status = inputs_image(&img, in, devopts_profile_or_default(&c->dev),
			      devopts_profile(&c->dev), c->max_input, subject);
	if (status == 0)
		status = check_image(c, subject, img, NULL);
	dfuse_image_free(img);
	return status;
}

/* --live: the board read once, before the checks; 0, else EXIT_FAIL after
 * saying why.  Nothing is written to the device. */
static int read_live(struct check_ctx *c)
{
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;
	dfuse_usb *u = NULL;
	int rc, status = EXIT_FAIL;

	interrupt_install();
	c->uo.stop = &interrupt_flag;
	if (usbopts_open(&u, &c->uo) != 0)
		return EXIT_FAIL;
	o.profile = devopts_profile_or_default(&c->dev);
	o.cancel = interrupt_cancel;
	dfuse_board_init(&c->board);
	rc = dfuse_usb_read_board(&c->board, u, usbopts_match(&c->uo), &o);
	if (rc < 0) {
		error_lib(NULL);
		usbopts_hint(rc, u);
		goto out;
	}
	/* alt 0's layout, as a download checks it, unless --layout */
	if (c->dev.layout == NULL) {
		if (devread_pick(&c->picked, u, &c->uo, 1) != 0)
			goto out;
		c->device_layout = c->picked.layout;
	}
	/* a board not read is said by the check itself, in each unit's
	 * findings (board-not-read, with the why) */
	if (c->board.state == DFUSE_BOARD_READ)
		verbosef("the board's option bytes were read from alt %u",
			 (unsigned)c->board.alt);
	status = 0;
out:
	dfuse_usb_free(u);
	return status;
}

int cmd_check(int argc, char **argv)
{
	struct optstate st;
	struct check_ctx c;
	struct inputs in = {NULL, 0, 0};
	const char *arg;
	int k, status = EXIT_USAGE, rc, i, ndfu = 0, nfail = 0, multi;
	const char *live_only = NULL; /* an option that needs --live */
	struct answer_failure **fails = NULL;
	char *failed = NULL;

	memset(&c, 0, sizeof(c));
	usbopts_init(&c.uo);
	dfuse_board_init(&c.board);
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((k = opt_next(&st, &arg)) != OPT_END) {
		rc = devopts_handle(&c.dev, &in, &c.max_input, &st, k, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		rc = usbopts_handle(&c.uo, &st, k, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1) {
			live_only = "-d, -S, --path and --wait";
			continue;
		}
		switch (k) {
		case O_LIVE:
			c.live = 1;
			break;
		case O_LIVE_VERIFY:
		case O_LIVE_INCREMENTAL:
			c.live_flags |= DFUSE_CHECK_READBACK;
			live_only = "--verify and --incremental";
			break;
		case O_LIVE_MASS_ERASE:
			c.live_flags |= DFUSE_CHECK_MASS_ERASE;
			live_only = "--mass-erase";
			break;
		case O_LIVE_LEAVE:
			c.live_flags |= DFUSE_CHECK_LEAVE;
			live_only = "--leave";
			break;
		case O_JSON:
			c.json = 1;
			break;
		case O_STRICT:
			c.strict = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	/* with --device, --layout gives the profile's geometry; alone, the
	 * check has the layout's own rules (dfusetool-check(1)) */
	if (c.dev.profile != NULL && devopts_finish(&c.dev, &st) < 0)
		goto out;
	if (st.optind >= argc && in.n == 0) {
		opt_usage(&st, "nothing to check: give FILE.dfu or --cm7/--cm4 "
			       "inputs");
		goto out;
	}
	if (live_only != NULL && !c.live) {
		opt_usage(&st,
			  "%s: only with --live (a check against the "
			  "attached board)",
			  live_only);
		goto out;
	}
	if (c.live && read_live(&c) != 0) {
		status = EXIT_FAIL;
		goto out;
	}

	/* Which positionals are DfuSe files: each is a unit of its own;
	 * the rest join the image inputs, one unit together.  A file that
	 * cannot be read is a unit too: its failure is answered in its
	 * place. */
	status = EXIT_OK;
	fails = calloc((size_t)argc, sizeof(*fails));
	failed = calloc((size_t)argc, 1);
	if (fails == NULL || failed == NULL) {
		errorf("out of memory");
		status = EXIT_FAIL;
		goto out;
	}
	for (i = st.optind; i < argc; i++) {
		rc = inputs_add_positional(&in, argv[i], c.max_input);
		if (rc < 0) {
			if (status != EXIT_USAGE)
				status = inputs_status(rc);
			fails[i] = answer_take();
			failed[i] = 1;
			nfail++;
		}
		if (rc == 1)
			ndfu++;
		else if (rc == 0)
			argv[i] = NULL;
	}
	c.j = answer_json();
	multi = c.json && ndfu + nfail + (in.n > 0) > 1;
	if (multi)
		json_begin_array(c.j);
	for (i = st.optind; i < argc; i++) {
		struct answer_unit u;
		struct inbuf b;

		if (argv[i] == NULL)
			continue;
		if (failed[i]) {
			if (c.json)
				answer_put(fails[i], argv[i]);
			else
				answer_failure_free(fails[i]);
			fails[i] = NULL;
			continue;
		}
		answer_unit_begin(&u, argv[i]);
		rc = inbuf_open(&b, argv[i],
				c.max_input ? c.max_input
					    : DFUSE_DEFAULT_MAX_INPUT);
		if (rc == 0) {
			rc = check_dfu(&c, argv[i], &b);
			inbuf_close(&b);
		}
		answer_unit_end(&u, rc);
		if (rc > status)
			status = rc;
	}
	if (in.n > 0) {
		struct answer_unit u;

		answer_unit_begin(&u, NULL);
		rc = check_inputs(&c, &in);
		answer_unit_end(&u, rc);
		if (rc > status)
			status = rc;
	}
	if (multi)
		json_end_array(c.j);
out:
	for (i = 0; fails != NULL && i < argc; i++)
		answer_failure_free(fails[i]);
	free(fails);
	free(failed);
	devopts_free(&c.dev);
	devread_free(&c.picked);
	inputs_free(&in);
	return status;
}
