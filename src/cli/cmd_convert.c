/*
 * cmd_convert.c - dfusetool convert: any input (DfuSe, ELF, Intel HEX,
 * S-record, raw binary) to any output (DfuSe, Intel HEX, S-record, raw
 * binary).  Only the format changes: no padding, no device checks.
 */
#include "cmd.h"
#include "json.h"
#include "msg.h"
#include "output.h"
#include "num.h"
#include "opt.h"
#include "sources.h"

#include <dfuse.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum {
	O_OUT = 'o',
	O_FORMAT = 0x100,
	O_FILL,
	O_RANGE,
	O_ALT,
	O_JSON,
	O_MAX_INPUT,
};

static const struct opt opts[] = {
	{O_OUT, "output", 'o', OPT_ARG, "OUT",
	 "write here (atomically; '-' is not special)"},
	{O_FORMAT, "format", 0, OPT_ARG, "FMT",
	 "dfu, hex, srec or bin (default: from OUT's extension)"},
	{O_FILL, "fill", 0, OPT_ARG, "BYTE",
	 "bin: fill the gaps with BYTE instead of refusing them"},
	{O_RANGE, "range", 0, OPT_ARG, "A:B",
	 "keep only the addresses from A up to (not including) B"},
	{O_ALT, "alt", 0, OPT_ARG, "N",
	 "DfuSe input with several alternate settings: the one to write"},
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "say what was written as JSON on stdout"},
	{O_MAX_INPUT, "max-input-size", 0, OPT_ARG, "SIZE",
	 "largest input file accepted (default 64M)"},
};

static const struct cmd_help help = {
	"convert",
	"IN[@ADDR] -o OUT [--format dfu|hex|srec|bin] [--fill BYTE] "
	"[--range A:B]",
	"Convert a DfuSe file, ELF, Intel HEX, S-record or raw binary "
	"(IN@ADDR) to a\nDfuSe file, Intel HEX, S-record or raw binary.  The "
	"input format comes from\nits content, the output format from "
	"--format or OUT's extension.  The bytes\nand addresses are kept "
	"exactly (no padding, no device checks: use build for\na release); "
	"so is the start address of ELF, HEX and S-record inputs.  A raw\n"
	"binary cannot hold a gap: one is refused with its size, unless "
	"--fill.\nA DfuSe file written from an image input has one target, "
	"alt 0, named\n\"Internal Flash\".",
	"  dfusetool convert app.hex -o app.srec\n"
	"  dfusetool convert release.dfu --alt 0 -o release.hex\n"
	"  dfusetool convert app.elf --range 0x08100000:0x08200000 -o cm4.bin\n"
	"  dfusetool convert app.bin@0x08000000 -o app.dfu\n",
};

struct convert {
	const char *in, *out;
	int format, fill_set, json, alt_set;
	uint8_t fill;
	uint32_t alt, lo;
	uint64_t hi;
	int range;
	size_t max_input;
};

/* The target a text or binary output writes: the only alternate
 * setting, or --alt.  Returns its index, or -1 after saying why. */
static int pick_target(const struct convert *c, const dfuse_image *img)
{
	size_t n = dfuse_image_count_targets(img), i;
	char alts[256];
	size_t used = 0;
	int t;

	if (c->alt_set) {
		t = dfuse_image_find_target(img, (uint8_t)c->alt);
		if (t >= 0)
			return t;
		errorf("'%s' has no target with alternate setting %u", c->in,
		       (unsigned)c->alt);
		return -1;
	}
	if (n == 1)
		return 0;
	if (n == 0) {
		errorf("'%s' has no target: nothing to write", c->in);
		return -1;
	}
	alts[0] = '\0';
	for (i = 0; i < n && used + 8 < sizeof(alts); i++) {
		dfuse_target_info ti;
		int w;

		dfuse_image_get_target(&ti, img, i);
		w = snprintf(alts + used, sizeof(alts) - used, "%s%u",
			     i ? ", " : "", (unsigned)ti.alt);
		if (w > 0)
			used += (size_t)w;
	}
	errorf("'%s' holds alternate settings %s, and %s holds one address "
	       "space: choose one with --alt N (or split the file: "
	       "dfusetool split --by target)",
	       c->in, alts, format_title(c->format));
	return -1;
}

static void report(const struct convert *c, const dfuse_image *img, int target)
{
	struct span s;
	struct stat sb;
	uint32_t entry = 0;
	int has_entry = dfuse_image_get_entry(&entry, img);
	unsigned long long size = 0;

	image_span(&s, img, target);
	if (stat(c->out, &sb) == 0 && S_ISREG(sb.st_mode))
		size = (unsigned long long)sb.st_size;
	if (c->format == DFUSE_FORMAT_DFUSE || c->format == DFUSE_FORMAT_BIN)
		has_entry = 0; /* these formats have no place for it */
	if (c->json) {
		struct json *j = answer_json();

		json_begin_object(j);
		json_kstr(j, "input", c->in);
		json_kstr(j, "output", c->out);
		json_kstr(j, "format", dfuse_format_name(c->format));
		json_kuint(j, "size", size);
		json_kuint(j, "targets", s.targets);
		json_kuint(j, "elements", s.elements);
		json_kuint(j, "bytes", s.bytes);
		json_kuint(j, "address", s.address);
		json_kuint(j, "end", s.end);
		if (has_entry)
			json_kuint(j, "entry", entry);
		else
			json_knull(j, "entry");
		json_end_object(j);
		return;
	}
	if (c->format == DFUSE_FORMAT_BIN) {
		infof("wrote %s: raw binary, %llu bytes for 0x%08x-0x%08llx "
		      "(the address is not in the file)\n",
		      c->out, size, (unsigned)s.address,
		      (unsigned long long)(s.end ? s.end - 1 : 0));
		return;
	}
	infof("wrote %s: %s, %llu bytes; %zu target%s, %zu element%s, %llu "
	      "bytes of data",
	      c->out, format_title(c->format), size, s.targets,
	      s.targets == 1 ? "" : "s", s.elements, s.elements == 1 ? "" : "s",
	      (unsigned long long)s.bytes);
	if (s.bytes > 0)
		infof(" at 0x%08x-0x%08llx", (unsigned)s.address,
		      (unsigned long long)(s.end - 1));
	if (has_entry)
		infof(", entry 0x%08x", (unsigned)entry);
	infof("\n");
}

static int run(const struct convert *c)
{
	dfuse_write_options wo = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_image *img = NULL, *flat = NULL;
	struct inputs one = {NULL, 0, 0};
	const char *oname;
	int is_dfu = 0, status, target = 0;

	/* never over the input, even by another name */
	status = inputs_add(&one, c->in, DFUSE_CORE_NONE);
	if (status < 0) {
		inputs_free(&one);
		return inputs_status(status);
	}
	status = output_prepare(&oname, c->out, &one.v[0].path, 1);
	inputs_free(&one);
	if (status)
		return status;
	status = sources_open(&img, &is_dfu, c->in, "Internal Flash",
			      dfuse_profile_default(), c->max_input);
	if (status != 0)
		return status;
	status = EXIT_FAIL;
	if (c->range && dfuse_image_crop(img, c->lo, c->hi) < 0) {
		error_lib(c->in);
		goto out;
	}
	if (is_dfu && c->format != DFUSE_FORMAT_DFUSE) {
		/* one target per alternate setting, overlaps resolved */
		if (dfuse_merge(&flat, NULL, (const dfuse_image *const *)&img,
				1, NULL) < 0) {
			error_lib(c->in);
			goto out;
		}
		dfuse_image_free(img);
		img = flat;
		target = pick_target(c, img);
		if (target < 0)
			goto out;
	}
	if (c->format != DFUSE_FORMAT_DFUSE) {
		struct span s;

		image_span(&s, img, target);
		if (s.bytes == 0) {
			errorf("'%s': no data%s: nothing to write to '%s'",
			       c->in, c->range ? " in --range" : "", c->out);
			goto out;
		}
	}
	wo.format = c->format;
	wo.target = (size_t)target;
	if (c->fill_set) {
		wo.flags |= DFUSE_WRITE_FILL;
		wo.fill = c->fill;
	}
	if (dfuse_write_file_as(img, oname, &wo) < 0) {
		error_lib(c->in);
		if (c->format == DFUSE_FORMAT_BIN &&
		    dfuse_error_last()->code == DFUSE_ERANGE)
			notef("--fill BYTE writes the gaps as BYTE; dfusetool "
			      "split --format bin writes one file per run");
		goto out;
	}
	report(c, img, c->format == DFUSE_FORMAT_DFUSE ? -1 : target);
	status = EXIT_OK;
out:
	dfuse_image_free(img);
	return status;
}

int cmd_convert(int argc, char **argv)
{
	struct optstate st;
	struct convert c;
	const char *arg, *format = NULL;
	int k, status;

	memset(&c, 0, sizeof(c));
	c.format = -1;
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((k = opt_next(&st, &arg)) != OPT_END) {
		uint32_t v;

		if (opt_stop(k, &status))
			return status;
		switch (k) {
		case O_OUT:
			c.out = arg;
			break;
		case O_FORMAT:
			format = arg;
			c.format = format_from_name(arg);
			if (c.format < 0) {
				opt_usage(&st,
					  "--format '%s': the "
					  "formats are dfu, hex, "
					  "srec and bin",
					  arg);
				return EXIT_USAGE;
			}
			break;
		case O_FILL:
			if (num_u32(&v, arg, 0xFF) < 0) {
				opt_usage(&st,
					  "--fill '%s' is not a "
					  "byte (0 to 0xff)",
					  arg);
				return EXIT_USAGE;
			}
			c.fill = (uint8_t)v;
			c.fill_set = 1;
			break;
		case O_RANGE:
			if (num_range(&c.lo, &c.hi, arg) < 0) {
				opt_usage(&st,
					  "--range '%s' is not "
					  "A:B with A < B <= "
					  "0x100000000",
					  arg);
				return EXIT_USAGE;
			}
			c.range = 1;
			break;
		case O_ALT:
			if (num_u32(&c.alt, arg, 255) < 0) {
				opt_usage(&st,
					  "--alt '%s' is not a "
					  "number from 0 to 255",
					  arg);
				return EXIT_USAGE;
			}
			c.alt_set = 1;
			break;
		case O_JSON:
			c.json = 1;
			break;
		case O_MAX_INPUT:
			if (opt_size(&st, arg, &c.max_input) != 0)
				return EXIT_USAGE;
			break;
		default:
			opt_usage(&st, "unhandled option");
			return EXIT_USAGE;
		}
	}
	if (st.optind >= argc) {
		opt_usage(&st, "no input: give IN[@ADDR]");
		return EXIT_USAGE;
	}
	if (st.optind + 1 < argc) {
		opt_usage(&st,
			  "one input at a time ('%s' is a second one); "
			  "merge takes several",
			  argv[st.optind + 1]);
		return EXIT_USAGE;
	}
	c.in = argv[st.optind];
	if (c.out == NULL) {
		opt_usage(&st, "no output file: give -o OUT");
		return EXIT_USAGE;
	}
	if (format == NULL) {
		c.format = format_from_path(c.out);
		if (c.format < 0) {
			opt_usage(&st,
				  "'%s': the extension does not say the "
				  "format: give --format dfu, hex, srec "
				  "or bin",
				  c.out);
			return EXIT_USAGE;
		}
	}
	if (c.fill_set && c.format != DFUSE_FORMAT_BIN) {
		opt_usage(&st, "--fill applies to raw binary output only");
		return EXIT_USAGE;
	}
	return run(&c);
}
