/*
 * cmd_merge.c - dfusetool merge: DfuSe files and image inputs -> one
 * DfuSe file (dfuse_merge()), checked against the device as build checks.
 *
 * DfuSe inputs are taken as they are: their elements keep their bytes and
 * order, so that the parts of a split merge back to the same file.  Image
 * inputs are loaded as build loads them into one target (--alt, default
 * 0) and padded to flash words after the merge.
 */
#include "cmd.h"
#include "devopts.h"
#include "findings.h"
#include "dfuopts.h"
#include "inbuf.h"
#include "inputs.h"
#include "msg.h"
#include "output.h"
#include "opt.h"
#include "sources.h"

#include <dfuse.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
	O_OUT = 'o',
	O_FORCE = 'f',
};

static const struct opt opts[] = {
	{O_OUT, "output", 'o', OPT_ARG, "OUT.dfu",
	 "write the DfuSe file here (atomically)"},
	INPUTS_TABLE,
	DEVOPTS_TABLE,
	{O_FORCE, "force", 'f', OPT_NOARG, NULL,
	 "write the file even when the checks find errors"},
	DFUOPTS_TARGET("alternate setting the image inputs go to (default 0)",
		       "name of that target, instead of the inputs' names"),
	DFUOPTS_IDS("suffix idVendor (default: what the inputs agree on)",
		    "suffix idProduct (default: what the inputs agree on)",
		    "suffix bcdDevice (default: what the inputs agree on)"),
	MAX_INPUT_OPT,
};

static const struct cmd_help help = {
	"merge",
	"-o OUT.dfu IN[@ADDR]... [--cm7 FILE[@ADDR]]... [--cm4 FILE[@ADDR]]... "
	"[options]",
	"Merge DfuSe files and image inputs (ELF, Intel HEX, S-record, raw "
	"binary\nwith @ADDR) into one DfuSe file.  Targets with the same "
	"alternate setting\nbecome one; elements keep their bytes and each "
	"input's order, interleaved\nby address.  Overlapping bytes must be "
	"equal (then kept once); elements that\nshare a flash word become "
	"one.  Suffix IDs must agree or be 0xFFFF, unless\n--vid/--pid/--bcd "
	"decide; of the target names the first is kept.  The result\nis "
	"checked as 'dfusetool check' does, and not written when that finds "
	"an\nerror (unless --force).",
	"  dfusetool merge -o release.dfu cm7.dfu cm4.dfu\n"
	"  dfusetool merge -o release.dfu parts/*.dfu\n"
	"  dfusetool merge -o all.dfu app.dfu --cm4 cm4.elf --vid 0483\n",
};

struct merge {
	const char *out;
	int force;
	size_t max_input;
	struct devopts dev;
	struct dfuopts o;  /* o.in: the image inputs, in one target */
	const char **dfus; /* DfuSe inputs, in the order given */
	size_t ndfu;
};

/* Sorts one positional into the DfuSe or the image inputs. */
static int add_positional(struct merge *m, const char *spec)
{
	struct inputs one = {NULL, 0, 0};
	size_t max = m->max_input ? m->max_input : DFUSE_DEFAULT_MAX_INPUT;
	int fmt, status = 0;

	status = inputs_add(&one, spec, DFUSE_CORE_NONE);
	if (status < 0) {
		inputs_free(&one);
		return inputs_status(status);
	}
	fmt = inbuf_format(one.v[0].path, max);
	if (fmt < 0) {
		status = EXIT_FAIL;
	} else if (fmt == DFUSE_FORMAT_DFUSE && one.v[0].has_address) {
		errorf("'%s' is a DfuSe file: @ADDR applies to raw binaries "
		       "only",
		       one.v[0].path);
		status = EXIT_USAGE;
	} else if (fmt == DFUSE_FORMAT_DFUSE) {
		m->dfus[m->ndfu++] = spec;
	} else if ((status = inputs_add(&m->o.in, spec, DFUSE_CORE_NONE)) < 0) {
		status = inputs_status(status);
	}
	inputs_free(&one);
	return status;
}

/* Every input file, for the never-over-an-input check. */
static const char **all_paths(const struct merge *m, size_t *n)
{
	const char **v = calloc(m->ndfu + m->o.in.n + 1, sizeof(*v));
	size_t i;

	*n = 0;
	if (v == NULL)
		return NULL;
	for (i = 0; i < m->ndfu; i++)
		v[(*n)++] = m->dfus[i];
	for (i = 0; i < m->o.in.n; i++)
		v[(*n)++] = m->o.in.v[i].path;
	return v;
}

static int run(struct merge *m)
{
	dfuse_merge_options mo = DFUSE_MERGE_OPTIONS_INIT;
	const dfuse_image **in = NULL;
	const char **names = NULL, **paths = NULL, *oname = m->out;
	dfuse_image **owned = NULL, *img = NULL;
	dfuse_report *rep = NULL;
	size_t n = 0, i, npaths;
	int status = EXIT_FAIL;

	paths = all_paths(m, &npaths);
	in = calloc(m->ndfu + 1, sizeof(*in));
	names = calloc(m->ndfu + 1, sizeof(*names));
	owned = calloc(m->ndfu + 1, sizeof(*owned));
	if (paths == NULL || in == NULL || names == NULL || owned == NULL) {
		errorf("out of memory");
		goto out;
	}
	status = output_prepare(&oname, m->out, paths, npaths);
	if (status != 0)
		goto out;
	for (i = 0; i < m->ndfu; i++) {
		status = sources_read_dfu(&owned[n], m->dfus[i], m->max_input);
		if (status != 0)
			goto out;
		names[n++] = m->dfus[i];
	}
	if (m->o.in.n > 0) {
		status = sources_load_images(
			&owned[n], &m->o.in, (uint8_t)m->o.alt, NULL,
			devopts_profile_or_default(&m->dev), m->max_input);
		if (status != 0)
			goto out;
		names[n++] = m->o.in.v[0].path;
	}
	status = EXIT_FAIL;
	for (i = 0; i < n; i++)
		in[i] = owned[i];
	mo.profile = devopts_profile(&m->dev);
	mo.names = names;
	mo.flags = m->o.ids_set;
	mo.ids = m->o.ids;
	mo.name = m->o.name;
	mo.name_alt = (uint8_t)m->o.alt;
	if (dfuse_merge(&img, &rep, in, n, &mo) < 0) {
		error_lib(m->out);
		if (dfuse_error_last()->code == DFUSE_ECONFLICT)
			notef("--vid, --pid and --bcd choose the suffix IDs");
		goto out;
	}
	/* The result shares the inputs' bytes and names by reference: the
	 * inputs' own element records can go now, before the check and the
	 * write, which for a file of many small elements is most of what
	 * the inputs cost. */
	for (i = 0; i < n; i++) {
		dfuse_image_free(owned[i]);
		owned[i] = NULL;
		in[i] = NULL;
	}
	findings_print_min(stderr, m->out, rep, NULL,
			   msg_verbosity() > 0	 ? DFUSE_SEV_NOTE
			   : msg_verbosity() < 0 ? DFUSE_SEV_ERROR
						 : DFUSE_SEV_WARNING);
	if (m->o.in.n > 0 && m->o.name == NULL) {
		/* image inputs carry no name: build's default, unless a DfuSe
		 * input named that target */
		int t = dfuse_image_find_target(img, (uint8_t)m->o.alt);
		dfuse_target_info ti;

		if (t >= 0 &&
		    dfuse_image_get_target(&ti, img, (size_t)t) == 0 &&
		    ti.name[0] == '\0')
			dfuse_image_set_target_name(img, (size_t)t,
						    "Internal Flash");
	}
	print_elements(img, &m->dev, 1);
	if (check_before_writing(img, &m->dev, m->out, m->force) != 0)
		goto out;
	if (dfuse_write_file(img, oname) < 0) {
		error_lib(m->out);
		goto out;
	}
	{
		struct span s;
		struct stat sb;

		image_span(&s, img, -1);
		if (stat(m->out, &sb) == 0 && S_ISREG(sb.st_mode))
			infof("wrote %s: %llu bytes, %zu target%s, %zu "
			      "element%s\n",
			      m->out, (unsigned long long)sb.st_size, s.targets,
			      s.targets == 1 ? "" : "s", s.elements,
			      s.elements == 1 ? "" : "s");
	}
	status = EXIT_OK;
out:
	for (i = 0; owned != NULL && i < n; i++)
		dfuse_image_free(owned[i]);
	free(owned);
	free(in);
	free(names);
	free(paths);
	dfuse_report_free(rep);
	dfuse_image_free(img);
	return status;
}

int cmd_merge(int argc, char **argv)
{
	struct optstate st;
	struct merge m;
	const char *arg;
	int c, status = EXIT_USAGE, i;

	memset(&m, 0, sizeof(m));
	m.dfus = calloc((size_t)argc + 1, sizeof(*m.dfus));
	if (m.dfus == NULL) {
		errorf("out of memory");
		return EXIT_FAIL;
	}
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		int d = devopts_handle(&m.dev, &m.o.in, &m.max_input, &st, c,
				       arg);

		if (d == 0)
			d = dfuopts_handle(&m.o, &st, c, arg);
		if (opt_stop(d, &status))
			goto out;
		if (d == 1)
			continue;
		switch (c) {
		case O_OUT:
			m.out = arg;
			break;
		case O_FORCE:
			m.force = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	if (devopts_finish(&m.dev, &st) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	if (m.out == NULL) {
		opt_usage(&st, "no output file: give -o OUT.dfu");
		goto out;
	}
	if (st.optind >= argc && m.o.in.n == 0) {
		opt_usage(&st, "no inputs: give IN.dfu, FILE[@ADDR], --cm7 "
			       "FILE or --cm4 FILE");
		goto out;
	}
	for (i = st.optind; i < argc; i++) {
		status = add_positional(&m, argv[i]);
		if (status != 0)
			goto out;
	}
	status = run(&m);
out:
	dfuopts_free(&m.o);
	devopts_free(&m.dev);
	free(m.dfus);
	return status;
}
