/*
 * cmd_build.c - dfusetool build: ELF, Intel HEX, S-record and raw binary
 * inputs for each core -> one DfuSe file.
 */
#include "cmd.h"
#include "devopts.h"
#include "dfuopts.h"
#include "findings.h"
#include "flash.h"
#include "inputs.h"
#include "json.h"
#include "msg.h"
#include "output.h"
#include "opt.h"

#include <dfuse.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
	O_OUT = 'o',
	O_FORCE = 'f',
	O_JSON = 0x100,
};

static const struct opt opts[] = {
	{O_OUT, "output", 'o', OPT_ARG, "OUT.dfu",
	 "write the DfuSe file here (atomically)"},
	INPUTS_TABLE,
	DEVOPTS_TABLE,
	{O_FORCE, "force", 'f', OPT_NOARG, NULL,
	 "write the file even when the checks find errors"},
	DFUOPTS_TARGET("alternate setting of the target (default 0)",
		       "target name (default \"Internal Flash\")"),
	DFUOPTS_IDS("suffix idVendor (default 0483)",
		    "suffix idProduct (default df11)",
		    "suffix bcdDevice (default ffff: any)"),
	MAX_INPUT_OPT,
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print what was (or was not) written as JSON"},
};

static const struct cmd_help help = {
	"build",
	"-o OUT.dfu [--cm7 FILE[@ADDR]]... [--cm4 FILE[@ADDR]]... "
	"[FILE[@ADDR]]... [options]",
	"Make one DfuSe file with one target from ELF, Intel HEX, S-record "
	"and raw\nbinary inputs.  The format comes from each file's content. "
	"ELF files are\nplaced by their load addresses (p_paddr), so .data "
	"lands in flash.  A raw\nbinary needs @ADDR, except with --cm7/--cm4, "
	"where it goes to that core's boot\naddress.  Data is padded with "
	"0xFF to whole flash words (32 bytes on the\nH745); inputs that "
	"overlap with different bytes are refused.  The result is checked\n"
	"against the device as 'dfusetool check' does, and not written when "
	"that\nfinds an error (unless --force).",
	"  dfusetool build --cm7 cm7.elf --cm4 cm4.elf -o release.dfu\n"
	"  dfusetool build --cm4 cm4.bin -o cm4.dfu\n"
	"  dfusetool build app.hex boot.bin@0x08000000 -o all.dfu\n",
};

/* Prints one line per element: range, size, core, flash location; or
 * (json) an array of {"address", "end", "size", "core", "flash",
 * "source"}. */
static void report_elements(const dfuse_image *img, const dfuse_profile *p,
			    const struct devopts *dev, struct json *j)
{
	dfuse_check_options o;
	dfuse_target_info ti;
	size_t i;

	devopts_check_options(dev, &o);
	if (j != NULL)
		json_begin_array(j);
	if (dfuse_image_get_target(&ti, img, 0) < 0)
		ti.element_count = 0;
	for (i = 0; i < ti.element_count; i++) {
		dfuse_element_info e;
		char where[96];
		int core;

		if (dfuse_image_get_element(&e, img, 0, i) < 0)
			continue;
		core = dfuse_image_get_element_core(img, 0, i, &o);
		flash_describe(where, sizeof(where), p, e.address, e.size);
		if (j != NULL) {
			json_begin_object(j);
			json_kuint(j, "address", e.address);
			json_kuint(j, "end", (uint64_t)e.address + e.size);
			json_kuint(j, "size", e.size);
			json_kstr_or_null(j, "core",
					  core > DFUSE_CORE_NONE
						  ? dfuse_core_name(core)
						  : NULL);
			json_kstr(j, "flash", where);
			json_kstr_or_null(j, "source", e.source);
			json_end_object(j);
			continue;
		}
		infof("  0x%08x-0x%08x %8u bytes  %-4s  %s%s%s%s\n",
		      (unsigned)e.address, (unsigned)(e.address + e.size - 1),
		      (unsigned)e.size,
		      core <= DFUSE_CORE_NONE ? "-" : dfuse_core_name(core),
		      where, e.source ? "  (" : "", e.source ? e.source : "",
		      e.source ? ")" : "");
	}
	if (j != NULL)
		json_end_array(j);
}

/*
 * The check rules run on what is about to be written; errors stop the
 * write unless --force.  Findings go to stderr, as a compiler's do (with
 * -q only the errors; with --json into the JSON instead).  *rep gets the
 * findings.
 */
static int check_build(dfuse_report **rep, const dfuse_image *img,
		       const struct devopts *dev, const char *out, int force,
		       int json)
{
	dfuse_check_options o;

	devopts_check_options(dev, &o);
	if (dfuse_check(rep, img, &o) < 0) {
		error_lib(out);
		return EXIT_FAIL;
	}
	if (!json)
		findings_print_min(stderr, out, *rep, NULL,
				   msg_verbosity() < 0 ? DFUSE_SEV_ERROR
						       : DFUSE_SEV_NOTE);
	return findings_refuse(*rep, out, force,
			       json ? "see \"findings\"" : "see above");
}

static void json_build(const dfuse_image *img, const dfuse_profile *p,
		       const struct devopts *dev, const char *out, int written,
		       unsigned long long size, const dfuse_report *rep)
{
	struct json *j = answer_json();

	json_begin_object(j);
	json_kstr(j, "output", out);
	json_kbool(j, "written", written);
	if (written)
		json_kuint(j, "size", size);
	else
		json_knull(j, "size");
	json_kstr(j, "device", devopts_device_name(dev));
	json_key(j, "elements");
	report_elements(img, p, dev, j);
	findings_kjson(j, "findings", rep);
	answer_kerror(j); /* why it was not written, or null */
	json_end_object(j);
}

int cmd_build(int argc, char **argv)
{
	struct optstate st;
	struct dfuopts o;
	const dfuse_profile *profile;
	struct devopts dev;
	dfuse_image *img = NULL;
	const char *out = NULL, *oname = NULL, *name, *arg;
	const char **paths = NULL;
	size_t max_input = 0;
	int c, rc, status = EXIT_USAGE, t;
	int force = 0, as_json = 0;
	dfuse_report *rep = NULL;

	memset(&dev, 0, sizeof(dev));
	memset(&o, 0, sizeof(o));
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		rc = devopts_handle(&dev, &o.in, &max_input, &st, c, arg);
		if (rc == 0)
			rc = dfuopts_handle(&o, &st, c, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		switch (c) {
		case O_OUT:
			out = arg;
			break;
		case O_FORCE:
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
	for (; st.optind < argc; st.optind++) {
		rc = inputs_add(&o.in, argv[st.optind], DFUSE_CORE_NONE);
		if (rc < 0) {
			status = inputs_status(rc);
			goto out;
		}
	}
	if (out == NULL) {
		opt_usage(&st, "no output file: give -o OUT.dfu");
		goto out;
	}
	if (o.in.n == 0) {
		opt_usage(&st, "no inputs: give --cm7 FILE, --cm4 FILE or "
			       "FILE[@ADDR]");
		goto out;
	}

	status = EXIT_FAIL;
	paths = calloc(o.in.n, sizeof(*paths));
	if (paths == NULL) {
		errorf("out of memory");
		goto out;
	}
	for (t = 0; t < (int)o.in.n; t++)
		paths[t] = o.in.v[t].path;
	if (output_prepare(&oname, out, paths, o.in.n) != 0)
		goto out;
	profile = devopts_profile_or_default(&dev);
	if (dfuse_image_new(&img) < 0) {
		error_lib("build");
		goto out;
	}
	name = o.name ? o.name : "Internal Flash";
	t = dfuse_image_add_target(img, (uint8_t)o.alt, name);
	if (t < 0) {
		error_lib(name);
		goto out;
	}
	c = inputs_load(img, (size_t)t, &o.in, profile, max_input);
	if (c != 0) {
		status = c;
		goto out;
	}
	if (dfuse_image_normalize(img, devopts_profile(&dev)) < 0) {
		error_lib(out);
		goto out;
	}
	dfuopts_apply_ids(&o, img);
	if (!as_json)
		report_elements(img, profile, &dev, NULL);
	if (check_build(&rep, img, &dev, out, force, as_json) != 0) {
		if (as_json && rep != NULL)
			json_build(img, profile, &dev, out, 0, 0, rep);
		goto out;
	}
	if (dfuse_write_file(img, oname) < 0) {
		error_lib(out);
		goto out;
	}
	{
		dfuse_target_info ti;
		struct stat sb;
		unsigned long long size = 0;

		dfuse_image_get_target(&ti, img, 0);
		if (stat(out, &sb) == 0 && S_ISREG(sb.st_mode))
			size = (unsigned long long)sb.st_size;
		if (as_json)
			json_build(img, profile, &dev, out, 1, size, rep);
		else if (size > 0)
			infof("wrote %s: %llu bytes, 1 target, %zu "
			      "element%s\n",
			      out, size, ti.element_count,
			      ti.element_count == 1 ? "" : "s");
		verbosef("'%s': %zu element%s checked against %s", out,
			 ti.element_count, ti.element_count == 1 ? "" : "s",
			 devopts_device_name(&dev));
	}
	status = EXIT_OK;
out:
	free(paths);
	dfuse_report_free(rep);
	dfuse_image_free(img);
	dfuopts_free(&o);
	devopts_free(&dev);
	return status;
}
