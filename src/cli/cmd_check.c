/*
 * cmd_check.c - dfusetool check: every rule of dfuse_check() on .dfu files
 * and on image inputs, against a device profile, a device's layout string
 * or both.
 */
#include "cmd.h"
#include "devopts.h"
#include "findings.h"
#include "inbuf.h"
#include "inputs.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "opt.h"

#include <dfuse.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	O_JSON = 0x100,
	O_STRICT,
};

static const struct opt opts[] = {
	INPUTS_TABLE,
	DEVOPTS_TABLE,
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print JSON: one object per file, an array for several"},
	{O_STRICT, "strict", 0, OPT_NOARG, NULL, "fail on warnings too"},
	MAX_INPUT_OPT,
};

static const struct cmd_help help = {
	"check",
	"[--device NAME | --layout STRING] [--boot-cm7 ADDR] "
	"[--boot-cm4 ADDR] [--json] [--strict] [--cm7 FILE] [--cm4 FILE] "
	"[FILE[@ADDR]]...",
	"Check images against the device before they reach a board: the "
	"memory map,\nwhat the ROM DFU bootloader can write, flash banks and "
	"sectors, which core\neach image belongs to, the cores' boot addresses "
	"and vector tables.  Each\n.dfu FILE is checked on its own; image "
	"inputs (ELF, HEX, S-record, binary,\nwith --cm7/--cm4) are checked "
	"together, as build would place them.\nExits 1 on any error (with "
	"--strict, on any warning too).",
	"  dfusetool check release.dfu\n"
	"  dfusetool check --cm7 cm7.elf --cm4 cm4.elf\n"
	"  dfusetool check --device stm32h743xi --json app.dfu\n",
};

struct check_ctx {
	struct devopts dev;
	int json, strict, units;
	size_t max_input;
	struct json *j;
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

int cmd_check(int argc, char **argv)
{
	struct optstate st;
	struct check_ctx c;
	struct inputs in = {NULL, 0, 0};
	const char *arg;
	int k, status = EXIT_USAGE, rc, i, ndfu = 0, nfail = 0, multi;
	struct answer_failure **fails = NULL;
	char *failed = NULL;

	memset(&c, 0, sizeof(c));
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((k = opt_next(&st, &arg)) != OPT_END) {
		rc = devopts_handle(&c.dev, &in, &c.max_input, &st, k, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		switch (k) {
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
	inputs_free(&in);
	return status;
}
