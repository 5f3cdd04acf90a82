/*
 * cmd_download.c - dfusetool download: an image onto a DfuSe device (the
 * STM32H7 ROM bootloader first), checked whole before the first erase,
 * against the profile, the device's layout and the board's own option
 * bytes (read by the library); and after it, only what really happened
 * on leaving DFU mode.
 */
#include "cmd.h"
#include "devboard.h"
#include "devimage.h"
#include "devopts.h"
#include "findings.h"
#include "inputs.h"
#include "json.h"
#include "interrupt.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "usbopts.h"

#include <dfuse.h>
#include <dfuse_usb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	O_ALT = 'a',
	O_VERIFY = 0x100,
	O_INCREMENTAL,
	O_MASS_ERASE,
	O_LEAVE,
	O_DRY_RUN,
	O_FORCE,
	O_JSON,
};

static const struct opt opts[] = {
	USBOPTS_TABLE,
	{O_ALT, "alt", 'a', OPT_ARG, "N",
	 "download only the alt-0 targets (the internal flash) and leave "
	 "the others, such as option bytes"},
	{O_VERIFY, "verify", 0, OPT_NOARG, NULL,
	 "read back what was written and compare"},
	{O_INCREMENTAL, "incremental", 0, OPT_NOARG, NULL,
	 "skip sectors that already hold the image"},
	{O_MASS_ERASE, "mass-erase", 0, OPT_NOARG, NULL,
	 "erase the whole flash instead of the touched sectors"},
	{O_LEAVE, "leave", 0, OPT_OPTARG, "ADDR",
	 "after success, start the CM7 at ADDR (default: its boot address)"},
	{O_DRY_RUN, "dry-run", 0, OPT_NOARG, NULL,
	 "check and print the plan; send nothing"},
	{O_FORCE, "force", 0, OPT_NOARG, NULL,
	 "accept a file whose VID:PID does not match the device, and a "
	 "dual-core image on a board with its banks swapped (as --allow "
	 "swap-bank)"},
	INPUTS_TABLE,
	{O_DEVICE, "device", 0, OPT_ARG, "NAME",
	 "device profile (default stm32h745xi)"},
	{O_LAYOUT, "layout", 0, OPT_ARG, "STRING",
	 "the flash layout (UM0424 string) for the check and a --dry-run "
	 "plan"},
	{O_BOOT_CM7, "boot-cm7", 0, OPT_ARG, "ADDR",
	 "the CM7's boot address, if not the default"},
	{O_BOOT_CM4, "boot-cm4", 0, OPT_ARG, "ADDR",
	 "the CM4's boot address, if not the default"},
	{O_ALLOW, "allow", 0, OPT_ARG, "CODE",
	 "report check findings with CODE as notes (repeatable)"},
	MAX_INPUT_OPT,
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print the result (or the plan) as JSON, failures too"},
};

static const struct cmd_help help = {
	"download",
	"[-d VID:PID] [-S SERIAL] [--path BUS-PORTS] [-a 0] [--verify] "
	"[--incremental] [--mass-erase] [--leave[=ADDR]] [--dry-run] [--json] "
	"(FILE.dfu | --cm7 FILE --cm4 FILE | FILE@ADDR ...)",
	"Write an image to a device in DFU mode.  The whole image is checked "
	"against the\ndevice profile and the layout the device reports before "
	"the first erase; a\nrefusal sends nothing.  Each touched sector is "
	"erased once (the H7 ROM's\nstuck bank-2 erase is recovered and the "
	"sector read back blank), then the\ndata is written, verified with "
	"--verify, and with --leave the CM7 is started\n(the CM4 starts after "
	"a board reset).",
	"  dfusetool download --verify --leave release.dfu\n"
	"  dfusetool download --dry-run --cm7 cm7.elf --cm4 cm4.elf\n",
};

struct progress_state {
	int tty;
	int phase;
	struct timespec start; /* of the current phase */
	const char *what;      /* the input, for the findings */
	int json;	       /* --json: the findings go in the result */
	int told;	       /* the findings were printed */
};

static double since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static const char *phase_name(int phase)
{
	switch (phase) {
	case DFUSE_PHASE_ERASE:
		return "erase";
	case DFUSE_PHASE_WRITE:
		return "write";
	case DFUSE_PHASE_VERIFY:
		return "verify";
	case DFUSE_PHASE_READ:
		return "compare";
	default:
		return "work";
	}
}

static void on_progress(void *payload, int phase, uint64_t done, uint64_t total)
{
	struct progress_state *p = payload;

	double secs, rate;

	if (msg_verbosity() < 0)
		return;
	if (phase != p->phase) {
		clock_gettime(CLOCK_MONOTONIC, &p->start);
		p->phase = phase;
	}
	secs = since(&p->start);
	rate = secs > 0 ? (double)done / secs : 0;
	if (p->tty) {
		unsigned pct = total ? (unsigned)(done * 100 / total) : 100;
		unsigned bar = pct / 5, k;

		/* \r to the start, ESC [ K (erase to the end of the line,
		 * ECMA-48 EL) after: no tail of a longer line is left */
		fprintf(stderr, "\r%-7s [", phase_name(phase));
		for (k = 0; k < 20; k++)
			fputc(k < bar ? '#' : ' ', stderr);
		fprintf(stderr, "] %3u%% %llu/%llu %s", pct,
			(unsigned long long)done, (unsigned long long)total,
			phase == DFUSE_PHASE_ERASE ? "sectors" : "bytes");
		if (rate > 0 && phase != DFUSE_PHASE_ERASE)
			fprintf(stderr, "  %.0f KiB/s", rate / 1024);
		if (rate > 0 && done < total)
			fprintf(stderr, "  ETA %.0f s",
				(double)(total - done) / rate);
		if (done >= total)
			fprintf(stderr, "  %.1f s", secs);
		fputs("\033[K", stderr);
		if (done >= total)
			fputc('\n', stderr);
	} else if (done >= total) {
		fprintf(stderr, "%s: %llu %s in %.1f s\n", phase_name(phase),
			(unsigned long long)total,
			phase == DFUSE_PHASE_ERASE ? "sectors" : "bytes", secs);
	}
}

/* The findings to stderr; with -q only the errors that refuse. */
static void findings_tell(struct progress_state *p,
			  const dfuse_report *findings)
{
	findings_print_min(stderr, p->what, findings, NULL,
			   msg_verbosity() < 0 ? DFUSE_SEV_ERROR
					       : DFUSE_SEV_NOTE);
	p->told = 1;
}

/* The check's findings, before the first erase (with --json they are in
 * the result instead). */
static void on_checked(void *payload, const dfuse_report *findings)
{
	struct progress_state *p = payload;

	if (!p->json)
		findings_tell(p, findings);
}

static void on_log(void *payload, const char *line)
{
	(void)payload;
	notef("%s", line);
}

/* The plan and what was done, also after a failure (then "error" is the
 * failure recorded by error_lib()/errorf(), else null). */
static void json_result(const dfuse_download_result *r, unsigned int flags,
			const dfuse_profile *p, const char *what,
			const dfuse_report *findings, int failed)
{
	dfuse_profile_info pi;
	struct json *j = answer_json();

	dfuse_profile_get_info(&pi, p);
	json_begin_object(j);
	json_kstr(j, "file", what);
	json_kstr(j, "device", pi.name);
	json_kbool(j, "dry_run", (flags & DFUSE_DOWNLOAD_DRY_RUN) != 0);
	json_kbool(j, "ok", !failed);
	answer_kerror(j);
	json_key(j, "plan");
	json_begin_object(j);
	json_kuint(j, "sectors", r->sectors);
	json_kuint(j, "runs", r->runs);
	json_kuint(j, "bytes", r->bytes);
	json_kuint(j, "estimate_ms", r->estimate_ms);
	json_kuint(j, "estimate_max_ms", r->estimate_max_ms);
	json_end_object(j);
	json_kuint(j, "sectors_erased", r->sectors_erased);
	json_kuint(j, "sectors_skipped", r->sectors_skipped);
	json_kuint(j, "sectors_recovered", r->sectors_recovered);
	json_kbool(j, "mass_erased", r->mass_erased);
	json_kuint(j, "bytes_written", r->bytes_written);
	json_kuint(j, "bytes_verified", r->bytes_verified);
	json_kbool(j, "verified",
		   (flags & DFUSE_DOWNLOAD_VERIFY) && !failed &&
			   !(flags & DFUSE_DOWNLOAD_DRY_RUN));
	json_kbool(j, "left", r->left);
	json_kstr_or_null(j, "left_how", devboard_left_how_name(r->left_how));
	json_kstr(j, "board", devboard_state_name(r->board_state));
	if (r->left)
		json_kuint(j, "leave_address", r->leave_address);
	else
		json_knull(j, "leave_address");
	json_kbool(j, "cm4_image", r->cm4_image);
	findings_kjson(j, "findings", findings);
	json_end_object(j);
}

int cmd_download(int argc, char **argv)
{
	dfuse_download_options o = DFUSE_DOWNLOAD_OPTIONS_INIT;
	struct usbopts uo;
	dfuse_download_result r = DFUSE_DOWNLOAD_RESULT_INIT;
	struct progress_state ps;
	struct optstate st;
	struct devopts dev;
	struct inputs in = {NULL, 0, 0};
	dfuse_image *img = NULL;
	dfuse_report *findings = NULL;
	dfuse_usb *u = NULL;
	struct devimage di;
	const char *arg, *what;
	size_t max_input = 0;
	const char **allow = NULL;
	int c, status = EXIT_USAGE, rc, as_json = 0, force = 0;

	memset(&dev, 0, sizeof(dev));
	usbopts_init(&uo);
	memset(&ps, 0, sizeof(ps));
	ps.phase = -1;
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		rc = devopts_handle(&dev, &in, &max_input, &st, c, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		rc = usbopts_handle(&uo, &st, c, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		switch (c) {
		case O_ALT:
			if (strcmp(arg, "0") != 0) {
				opt_usage(&st, "only alternate setting 0 (the "
					       "internal flash) is supported; "
					       "the option bytes (alt 1) are "
					       "not written");
				goto out;
			}
			o.flags |= DFUSE_DOWNLOAD_ALT0_ONLY;
			break;
		case O_VERIFY:
			o.flags |= DFUSE_DOWNLOAD_VERIFY;
			break;
		case O_INCREMENTAL:
			o.flags |= DFUSE_DOWNLOAD_INCREMENTAL;
			break;
		case O_MASS_ERASE:
			o.flags |= DFUSE_DOWNLOAD_MASS_ERASE;
			break;
		case O_LEAVE:
			o.flags |= DFUSE_DOWNLOAD_LEAVE;
			if (arg != NULL &&
			    num_u32(&o.leave_address, arg, UINT32_MAX) < 0) {
				char why[160];

				opt_usage(&st,
					  "--leave='%s' is not an address: %s",
					  arg, num_why(why, sizeof(why), arg));
				goto out;
			}
			break;
		case O_DRY_RUN:
			o.flags |= DFUSE_DOWNLOAD_DRY_RUN;
			break;
		case O_FORCE:
			o.flags |= DFUSE_DOWNLOAD_FORCE_ID;
			force = 1;
			break;
		case O_JSON:
			as_json = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	if (devopts_finish(&dev, &st) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	status = devimage_positionals(&di, &in, &st, argc, argv, max_input,
				      "nothing to download");
	if (status != 0)
		goto out;
	status = devimage_load(&img, &di, &in, &dev, max_input);
	if (status != 0)
		goto out;
	status = EXIT_FAIL;
	what = di.what;
	o.profile = devopts_profile_or_default(&dev);
	uo.stop = &interrupt_flag;
	if (uo.wait) {
		/* a device must come: waiting is not planning without one */
		if (usbopts_open(&u, &uo) != 0) {
			if (as_json)
				json_result(&r, o.flags, o.profile, what, NULL,
					    1);
			goto out;
		}
	} else if (dfuse_usb_new(&u) < 0) {
		if (o.flags & DFUSE_DOWNLOAD_DRY_RUN) {
			/* a plan needs no device: from the profile alone */
			verbosef("cannot open USB: %s",
				 dfuse_error_last()->message);
			u = NULL;
		} else {
			error_code(dfuse_error_name(dfuse_error_last()->code),
				   NULL, "cannot open USB: %s",
				   dfuse_error_last()->message);
			if (as_json)
				json_result(&r, o.flags, o.profile, what, NULL,
					    1);
			goto out;
		}
	}
	o.boot_cm7 = dev.boot_cm7;
	o.boot_cm4 = dev.boot_cm4;
	/* --force also accepts a dual-core image on a board whose banks are
	 * swapped (SWAP_BANK=1): the check's "swap-bank" code, allowed */
	if (force) {
		allow = calloc(dev.nallow + 1, sizeof(*allow));
		if (allow == NULL) {
			errorf("out of memory");
			goto out;
		}
		if (dev.nallow > 0)
			memcpy(allow, dev.allow, dev.nallow * sizeof(*allow));
		allow[dev.nallow] = "swap-bank";
		o.allow = allow;
		o.allow_count = dev.nallow + 1;
	} else {
		o.allow = dev.allow;
		o.allow_count = dev.nallow;
	}
	o.progress = on_progress;
	o.log = on_log;
	o.cancel = interrupt_cancel;
	o.checked = on_checked;
	interrupt_install();
	ps.tty = isatty(2); /* a bar, not colour: NO_COLOR does not apply */
	ps.what = what;
	ps.json = as_json;
	o.payload = &ps;
	rc = dfuse_usb_download(&r, &findings, u, usbopts_match(&uo), img, &o);
	if (rc < 0)
		error_lib(what);
	if (as_json)
		json_result(&r, o.flags, o.profile, what, findings, rc < 0);
	else if (!ps.told && findings != NULL)
		findings_tell(&ps, findings);
	if (rc < 0) {
		usbopts_hint(rc, u);
		if (rc == DFUSE_ENOTSUP)
			notef("-a 0 downloads the internal flash (alt 0) and "
			      "leaves the other targets alone");
		if (r.left_how == DFUSE_LEFT_UNCONFIRMED &&
		    strstr(dfuse_error_last()->message, "reset the board") ==
			    NULL)
			notef("the application did not start: reset the "
			      "board");
		goto out;
	}
	verbosef("'%s': %s %zu sector%s, %llu bytes in %zu run%s", what,
		 o.flags & DFUSE_DOWNLOAD_DRY_RUN ? "would erase" : "erased",
		 r.sectors, r.sectors == 1 ? "" : "s",
		 (unsigned long long)r.bytes, r.runs, r.runs == 1 ? "" : "s");
	if (as_json) {
		status = EXIT_OK;
		goto out;
	}
	if (o.flags & DFUSE_DOWNLOAD_DRY_RUN) {
		infof("plan: erase %zu sector%s, write %llu bytes in %zu "
		      "run%s; "
		      "about %.1f s (at most %.1f s); nothing was sent\n",
		      r.sectors, r.sectors == 1 ? "" : "s",
		      (unsigned long long)r.bytes, r.runs,
		      r.runs == 1 ? "" : "s", (double)r.estimate_ms / 1000.0,
		      (double)r.estimate_max_ms / 1000.0);
	} else {
		infof("erased %zu sector%s (%zu skipped as unchanged, %zu "
		      "recovered from the bank-2 bug), wrote %llu bytes",
		      r.sectors_erased, r.sectors_erased == 1 ? "" : "s",
		      r.sectors_skipped, r.sectors_recovered,
		      (unsigned long long)r.bytes_written);
		if (o.flags & DFUSE_DOWNLOAD_VERIFY)
			infof(", verified %llu bytes",
			      (unsigned long long)r.bytes_verified);
		/* said only when the device left (the library's news lines
		 * say where the CM7 starts and that the CM4 waits) */
		if (r.left)
			infof("; left DFU mode (%s)",
			      devboard_left_how_name(r.left_how));
		infof("\n");
	}
	status = EXIT_OK;
out:
	free(allow);
	dfuse_report_free(findings);
	dfuse_usb_free(u);
	dfuse_image_free(img);
	inputs_free(&in);
	devopts_free(&dev);
	return status;
}
