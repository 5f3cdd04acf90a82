/*
 * cmd_build.c - dfusetool build: ELF, Intel HEX, S-record and raw binary
 * inputs for each core -> one DfuSe file.
 */
#include "cmd.h"
#include "devopts.h"
#include "findings.h"
#include "dfuopts.h"
#include "inputs.h"
#include "msg.h"
#include "opt.h"

#include <dfuse.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum {
	O_OUT = 'o',
	O_FORCE = 'f',
	O_MAX_INPUT = 0x100,
};

static const struct opt opts[] = {
	{ O_OUT, "output", 'o', OPT_ARG, "OUT.dfu",
	  "write the DfuSe file here (atomically)" },
	DFUOPTS_CORES("an input for the Cortex-M7 (repeatable)",
		      "an input for the Cortex-M4 (repeatable)"),
	DEVOPTS_TABLE,
	{ O_FORCE, "force", 'f', OPT_NOARG, NULL,
	  "write the file even when the checks find errors" },
	DFUOPTS_TARGET("alternate setting of the target (default 0)",
		       "target name (default \"Internal Flash\")"),
	DFUOPTS_IDS("suffix idVendor (default 0483)",
		     "suffix idProduct (default df11)",
		     "suffix bcdDevice (default ffff: any)"),
	{ O_MAX_INPUT, "max-input-size", 0, OPT_ARG, "SIZE",
	  "largest input file accepted (default 64M)" },
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

int cmd_build(int argc, char **argv)
{
	struct optstate st;
	const dfuse_profile *profile;
	struct devopts dev;
	struct dfuopts o;
	dfuse_image *img = NULL;
	const char *out = NULL, *name, *arg;
	size_t max_input = 0;
	int c, status = EXIT_USAGE, t;
	int force = 0;

	memset(&dev, 0, sizeof(dev));
	memset(&o, 0, sizeof(o));
	opt_init(&st, opts, sizeof(opts) / sizeof(opts[0]), &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		int d = devopts_handle(&dev, &st, c, arg);

		if (d == 0)
			d = dfuopts_handle(&o, &st, c, arg);
		if (d < 0) {
			status = d == OPT_USAGE ? EXIT_USAGE : EXIT_FAIL;
			goto out;
		}
		if (d == 1)
			continue;
		switch (c) {
		case OPT_HELP:
			status = EXIT_OK;
			goto out;
		case OPT_USAGE:
			goto out;
		case O_OUT:
			out = arg;
			break;
		case O_FORCE:
			force = 1;
			break;
		case O_MAX_INPUT:
			if (opt_size(&st, arg, &max_input) != 0)
				goto out;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	for (; st.optind < argc; st.optind++) {
		if (inputs_add(&o.in, argv[st.optind], DFUSE_CORE_NONE) < 0) {
			status = EXIT_FAIL;
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
	print_elements(img, &dev, 0);
	if (check_before_writing(img, &dev, out, force) != 0)
		goto out;
	if (dfuse_write_file(img, out) < 0) {
		error_lib(out);
		goto out;
	}
	{
		dfuse_target_info ti;
		struct stat sb;

		dfuse_image_target_info(&ti, img, 0);
		if (stat(out, &sb) == 0 && S_ISREG(sb.st_mode))
			infof("wrote %s: %llu bytes, 1 target, %zu "
			      "element%s\n",
			      out, (unsigned long long)sb.st_size,
			      ti.element_count,
			      ti.element_count == 1 ? "" : "s");
	}
	status = EXIT_OK;
out:
	dfuse_image_free(img);
	dfuopts_free(&o);
	devopts_free(&dev);
	return status;
}
