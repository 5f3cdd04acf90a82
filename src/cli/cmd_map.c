/*
 * cmd_map.c - dfusetool map: an image laid over the device's memory.
 *
 * Without -o, the flash is drawn in the terminal: one row per bank (16
 * sectors per line), one cell per sector saying whose data it holds and
 * how full it is, then the sectors in use, data outside the flash, the
 * vector tables and every finding.  With -o, svg.c draws the same model
 * to scale as an SVG picture or an HTML page, written atomically.  The
 * model both draw is map.c's.
 *
 *   release.dfu on stm32h745xi: 2 elements, 1792 bytes
 *   bank 1  0x08000000-0x080fffff  8 x 128 KiB, cm7 boots here
 *     0x08000000  7:1  .    .    .    .    .    .    .
 *
 * A cell is CORE:FILL.  CORE is 7 (cm7), 4 (cm4), * (both: an error) or ?
 * (data of no core); FILL is the used share in tenths, rounded up (1 is up
 * to 10%), # when full; "." is an empty sector.  On a terminal (and not
 * with NO_COLOR) cells are coloured by core as in the picture.
 */
#include "cmd.h"
#include "devopts.h"
#include "findings.h"
#include "inbuf.h"
#include "inputs.h"
#include "json.h"
#include "map.h"
#include "msg.h"
#include "output.h"
#include "num.h"
#include "opt.h"

#include <dfuse.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
	O_OUT = 'o',
	O_JSON = 0x100,
};

static const struct opt opts[] = {
	{O_OUT, "output", 'o', OPT_ARG, "OUT.svg|OUT.html",
	 "draw the picture to scale into this file (atomically)"},
	INPUTS_TABLE,
	DEVOPTS_TABLE,
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print the map as JSON: sectors, elements, vector tables, findings"},
	MAX_INPUT_OPT,
};

static const struct cmd_help help = {
	"map",
	"[--device NAME] [-o OUT.svg|OUT.html] [--json] "
	"(FILE | --cm7 FILE --cm4 FILE)",
	"Show where an image lies in the device's memory.  Without -o, the "
	"flash is\ndrawn here: one row per bank, one cell per sector, each "
	"cell CORE:FILL\n(7 cm7, 4 cm4, * both, ? no core; FILL the used "
	"share in tenths, # full).\nWith -o, a self-contained SVG or HTML "
	"picture: banks, sectors and RAM\nregions to scale, each element at "
	"its address in its core's colour, the\nvector tables and initial "
	"SPs, and every 'dfusetool check' finding where it\nis; hover for "
	"address ranges.  FILE is a .dfu, or image inputs as for check.",
	"  dfusetool map release.dfu\n"
	"  dfusetool map -o release.svg release.dfu\n"
	"  dfusetool map --device stm32h745xg --cm7 cm7.elf --cm4 cm4.elf\n",
};

#define CELLS_PER_LINE 16

/* ======== Terminal ======== */

static const char *cores_text(unsigned int mask)
{
	const unsigned int c7 = DFUSE_CORE_BIT(DFUSE_CORE_CM7),
			   c4 = DFUSE_CORE_BIT(DFUSE_CORE_CM4),
			   none = DFUSE_CORE_BIT(DFUSE_CORE_NONE);

	if (mask == c7)
		return "cm7";
	if (mask == c4)
		return "cm4";
	if (mask == (c7 | c4))
		return "cm7+cm4";
	if (mask == none)
		return "no core";
	return "mixed";
}

/* 256-colour backgrounds matching svg.c: blue, orange, red, grey. */
static const char *cell_color(unsigned int mask)
{
	if (mask == DFUSE_CORE_BIT(DFUSE_CORE_CM7))
		return "\033[48;5;26;97m";
	if (mask == DFUSE_CORE_BIT(DFUSE_CORE_CM4))
		return "\033[48;5;202;97m";
	if (mask == DFUSE_CORE_BIT(DFUSE_CORE_NONE))
		return "\033[48;5;244;97m";
	return "\033[48;5;160;97m";
}

static void term_cell(int color, uint64_t used, uint64_t size,
		      unsigned int cores)
{
	char core, fill;

	if (used == 0) {
		infof(" . ");
		return;
	}
	if (cores == DFUSE_CORE_BIT(DFUSE_CORE_CM7))
		core = '7';
	else if (cores == DFUSE_CORE_BIT(DFUSE_CORE_CM4))
		core = '4';
	else if (cores == DFUSE_CORE_BIT(DFUSE_CORE_NONE))
		core = '?';
	else
		core = '*';
	if (used >= size) {
		fill = '#';
	} else {
		uint64_t d = (used * 10 + size - 1) / size;

		fill = (char)('0' + (d > 9 ? 9 : d));
	}
	/* our own SGR sequences: msg_raw(), as infof() escapes its %s */
	if (color)
		msg_raw(cell_color(cores));
	infof("%c:%c", core, fill);
	if (color)
		msg_raw("\033[0m");
}

static int in_flash(const dfuse_profile *p, uint32_t a, uint64_t end)
{
	dfuse_flash_location lo, hi;

	return end > a && end - 1 <= UINT32_MAX &&
	       dfuse_profile_locate(&lo, p, a) == 0 &&
	       dfuse_profile_locate(&hi, p, (uint32_t)(end - 1)) == 0;
}

static const char *region_name(const dfuse_profile *p, uint32_t a)
{
	dfuse_region_info r;
	int i = dfuse_profile_find_region(p, a);

	if (i < 0 || dfuse_profile_get_region(&r, p, (size_t)i) < 0)
		return NULL;
	return r.name;
}

static void term_vectors(const struct map *m)
{
	int k;

	for (k = DFUSE_CORE_CM7; k < MAP_CORES; k++) {
		const dfuse_vector_info *v = &m->vt[k];

		if (v->address == 0)
			continue;
		infof("%s vector table at 0x%08x (%s)", dfuse_core_name(k),
		      (unsigned)v->address,
		      v->at_boot ? "its boot address"
				 : "its lowest flash element");
		if (v->has_words)
			infof(": initial SP 0x%08x, reset 0x%08x",
			      (unsigned)v->sp, (unsigned)v->reset);
		infof("\n");
	}
}

static void term_map(const struct map *m)
{
	const int color = msg_color(stdout);
	dfuse_profile_info pi;
	size_t b, i, shown = 0;
	char sz[32];

	dfuse_profile_get_info(&pi, m->profile);
	infof("%s on %s: %zu element%s, %llu bytes\n", m->subject, m->device,
	      m->nels, m->nels == 1 ? "" : "s",
	      (unsigned long long)map_bytes(m));
	for (b = 0; b < pi.bank_count; b++) {
		dfuse_bank_info bk;
		uint32_t s;

		if (dfuse_profile_get_bank(&bk, m->profile, b) < 0)
			continue;
		infof("bank %u  0x%08x-0x%08llx  %u x %s%s%s%s\n", bk.number,
		      (unsigned)bk.base,
		      (unsigned long long)bk.base +
			      (uint64_t)bk.sector_size * bk.sector_count - 1,
		      (unsigned)bk.sector_count,
		      num_size_text(sz, sizeof(sz), bk.sector_size),
		      bk.core != DFUSE_CORE_NONE ? ", " : "",
		      bk.core != DFUSE_CORE_NONE ? dfuse_core_name(bk.core)
						 : "",
		      bk.core != DFUSE_CORE_NONE ? " boots here" : "");
		for (s = 0; s < bk.sector_count; s++) {
			const uint32_t base = bk.base + s * bk.sector_size;
			unsigned int cores;
			uint64_t used =
				map_used(m, base, bk.sector_size, &cores);

			if (s % CELLS_PER_LINE == 0)
				infof("  0x%08x ", (unsigned)base);
			infof(" ");
			term_cell(color, used, bk.sector_size, cores);
			if (s % CELLS_PER_LINE == CELLS_PER_LINE - 1 ||
			    s + 1 == bk.sector_count)
				infof("\n");
		}
	}
	infof("cells: core (7 cm7, 4 cm4, * both, ? none) : fill in tenths "
	      "(1 up to 10%%, # full)\n\n");

	for (b = 0; b < pi.bank_count; b++) {
		dfuse_bank_info bk;
		uint32_t s;

		if (dfuse_profile_get_bank(&bk, m->profile, b) < 0)
			continue;
		for (s = 0; s < bk.sector_count; s++) {
			const uint32_t base = bk.base + s * bk.sector_size;
			unsigned int cores;
			uint64_t used =
				map_used(m, base, bk.sector_size, &cores);

			if (used == 0)
				continue;
			infof("bank %u sector %-3u 0x%08x-0x%08x  %-7s %8llu "
			      "bytes %5.1f%%\n",
			      bk.number, (unsigned)s, (unsigned)base,
			      (unsigned)(base + bk.sector_size - 1),
			      cores_text(cores), (unsigned long long)used,
			      100.0 * (double)used / bk.sector_size);
			shown++;
		}
	}
	for (i = 0; i < m->nels; i++) {
		const struct map_el *e = &m->els[i];
		const char *where;

		if (e->end == e->address ||
		    in_flash(m->profile, e->address, e->end))
			continue;
		where = region_name(m->profile, e->address);
		infof("outside flash: 0x%08x-0x%08llx  %-7s %8llu bytes  "
		      "%s%s\n",
		      (unsigned)e->address, (unsigned long long)(e->end - 1),
		      e->core ? dfuse_core_name(e->core) : "no core",
		      (unsigned long long)(e->end - e->address),
		      where ? "in " : "in no memory of the device",
		      where ? where : "");
		shown++;
	}
	if (shown == 0)
		infof("no data\n");
	term_vectors(m);
}

/* Diagnostics and findings, check-style; returns the error count. */
static size_t term_findings(const struct map *m)
{
	size_t derr = 0, dwarn = 0, errors, warnings;

	if (msg_verbosity() < 0)
		return dfuse_report_count_at_least(m->diag, DFUSE_SEV_ERROR);
	infof("\n");
	if (m->diag != NULL)
		derr = findings_print(stdout, m->subject, m->diag, &dwarn);
	errors = findings_print(stdout, m->subject, m->findings, &warnings);
	infof("%s: %zu error%s, %zu warning%s (%s)\n", m->subject,
	      errors + derr, errors + derr == 1 ? "" : "s", warnings + dwarn,
	      warnings + dwarn == 1 ? "" : "s", m->device);
	return derr;
}

/* ======== JSON ======== */

static void json_map(const struct map *m)
{
	dfuse_profile_info pi;
	struct json *j = answer_json();
	size_t b, i;
	int k;

	dfuse_profile_get_info(&pi, m->profile);
	json_begin_object(j);
	json_kstr(j, "file", m->subject);
	json_kstr(j, "device", m->device);
	json_key(j, "banks");
	json_begin_array(j);
	for (b = 0; b < pi.bank_count; b++) {
		dfuse_bank_info bk;
		uint32_t s;

		if (dfuse_profile_get_bank(&bk, m->profile, b) < 0)
			continue;
		json_begin_object(j);
		json_kuint(j, "number", bk.number);
		json_kuint(j, "base", bk.base);
		json_kuint(j, "sector_size", bk.sector_size);
		json_kstr_or_null(j, "core",
				  bk.core != DFUSE_CORE_NONE
					  ? dfuse_core_name(bk.core)
					  : NULL);
		json_key(j, "sectors");
		json_begin_array(j);
		for (s = 0; s < bk.sector_count; s++) {
			const uint32_t base = bk.base + s * bk.sector_size;
			unsigned int cores;
			uint64_t used =
				map_used(m, base, bk.sector_size, &cores);

			json_begin_object(j);
			json_kuint(j, "index", s);
			json_kuint(j, "base", base);
			json_kuint(j, "used", used);
			json_key(j, "cores");
			json_begin_array(j);
			for (k = 0; k < MAP_CORES; k++)
				if (used && (cores & DFUSE_CORE_BIT(k)))
					json_str(j, dfuse_core_name(k));
			json_end_array(j);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "elements");
	json_begin_array(j);
	for (i = 0; i < m->nels; i++) {
		const struct map_el *e = &m->els[i];
		const char *where = region_name(m->profile, e->address);

		json_begin_object(j);
		json_kuint(j, "target", e->target);
		json_kuint(j, "element", e->element);
		json_kuint(j, "address", e->address);
		json_kuint(j, "end", e->end);
		json_kstr_or_null(j, "core",
				  e->core != DFUSE_CORE_NONE
					  ? dfuse_core_name(e->core)
					  : NULL);
		json_kstr_or_null(j, "region", where);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "vector_tables");
	json_begin_array(j);
	for (k = DFUSE_CORE_CM7; k < MAP_CORES; k++) {
		const dfuse_vector_info *v = &m->vt[k];

		if (v->address == 0)
			continue;
		json_begin_object(j);
		json_kstr(j, "core", dfuse_core_name(k));
		json_kuint(j, "address", v->address);
		json_kbool(j, "at_boot", v->at_boot);
		if (v->has_words) {
			json_kuint(j, "sp", v->sp);
			json_kuint(j, "reset", v->reset);
		} else {
			json_knull(j, "sp");
			json_knull(j, "reset");
		}
		json_end_object(j);
	}
	json_end_array(j);
	findings_kjson(j, "diagnostics", m->diag);
	findings_kjson(j, "findings", m->findings);
	json_end_object(j);
}

/* ======== Picture ======== */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

static int write_picture(const struct map *m, const char *out,
			 const char *oname, int html)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (f == NULL) {
		errorf("'%s': out of memory", out);
		return EXIT_FAIL;
	}
	rc = svg_write(f, m, html);
	if (fclose(f) != 0 || rc < 0) {
		errorf("'%s': out of memory", out);
		free(buf);
		return EXIT_FAIL;
	}
	if (dfuse_write_data_file(buf, len, oname) < 0) {
		errorf("%s", dfuse_error_last()->message);
		free(buf);
		return EXIT_FAIL;
	}
	free(buf);
	infof("wrote %s: %s, %zu element%s, %zu finding%s, %zu bytes\n", out,
	      html ? "HTML" : "SVG", m->nels, m->nels == 1 ? "" : "s",
	      dfuse_report_count(m->findings),
	      dfuse_report_count(m->findings) == 1 ? "" : "s", len);
	return 0;
}

/* ======== Command ======== */

struct map_run {
	struct devopts dev;
	dfuse_check_options co;
	struct inputs in;
	size_t max_input;
	const char *out, *oname; /* -o as given; what is written */
	int html, json;
	/* what was loaded */
	char subject[512];
	struct inbuf b; /* handed to the image once read */
	dfuse_image *img;
	dfuse_report *diag, *findings;
	struct map_el *els;
};

static int load(struct map_run *r, const char *dfu)
{
	dfuse_read_options ro = DFUSE_READ_OPTIONS_INIT;
	const size_t max =
		r->max_input ? r->max_input : DFUSE_DEFAULT_MAX_INPUT;
	int rc;

	devopts_check_options(&r->dev, &r->co);
	if (dfu == NULL) {
		inputs_subject(r->subject, sizeof(r->subject), &r->in);
		return inputs_image(
			&r->img, &r->in, devopts_profile_or_default(&r->dev),
			devopts_profile(&r->dev), r->max_input, r->subject);
	}
	snprintf(r->subject, sizeof(r->subject), "%s", dfu);
	rc = inbuf_open(&r->b, dfu, max);
	if (rc != 0)
		return rc;
	ro.max_size = r->b.len > DFUSE_DEFAULT_MAX_INPUT ? r->b.len : 0;
	/* the bytes go to the image, whose elements point into them */
	{
		const size_t len = r->b.len;

		if (dfuse_read_owned(&r->img, &r->diag, inbuf_take(&r->b), len,
				     &ro) < 0) {
			error_lib(dfu);
			return EXIT_FAIL;
		}
	}
	return 0;
}

static int run(struct map_run *r, const char *dfu)
{
	struct map m;
	size_t nels = 0, derr;
	int k, status;

	status = load(r, dfu);
	if (status != 0)
		return status;
	if (dfuse_check(&r->findings, r->img, &r->co) < 0 ||
	    map_collect(&r->els, &nels, r->img, &r->co) != 0) {
		error_lib(r->subject);
		return EXIT_FAIL;
	}
	memset(&m, 0, sizeof(m));
	m.subject = r->subject;
	m.device = devopts_device_name(&r->dev);
	m.profile = devopts_profile_or_default(&r->dev);
	m.els = r->els;
	m.nels = nels;
	m.diag = r->diag;
	m.findings = r->findings;
	for (k = DFUSE_CORE_CM7; k < MAP_CORES; k++)
		if (dfuse_image_get_vector_table(&m.vt[k], r->img, k, &r->co) <
		    0) {
			error_lib(r->subject);
			return EXIT_FAIL;
		}
	verbosef("'%s': %zu element%s on %s, %zu finding%s", r->subject, nels,
		 nels == 1 ? "" : "s", m.device,
		 dfuse_report_count(r->findings),
		 dfuse_report_count(r->findings) == 1 ? "" : "s");

	derr = dfuse_report_count_at_least(r->diag, DFUSE_SEV_ERROR);
	if (r->out != NULL) {
		status = write_picture(&m, r->out, r->oname, r->html);
		if (status != 0)
			return status;
	} else if (r->json) {
		json_map(&m);
	} else {
		term_map(&m);
		term_findings(&m);
	}
	if (derr > 0) {
		errorf("'%s': %zu error%s in the file itself (see 'dfusetool "
		       "dump')",
		       r->subject, derr, derr == 1 ? "" : "s");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_map(int argc, char **argv)
{
	struct optstate st;
	struct map_run r;
	const char *arg, *dfu = NULL;
	int c, status = EXIT_USAGE, i, rc;

	memset(&r, 0, sizeof(r));
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		rc = devopts_handle(&r.dev, &r.in, &r.max_input, &st, c, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		switch (c) {
		case O_OUT:
			r.out = arg;
			break;
		case O_JSON:
			r.json = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	if (devopts_finish(&r.dev, &st) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	if (r.out != NULL) {
		if (ends_with(r.out, ".html") || ends_with(r.out, ".htm")) {
			r.html = 1;
		} else if (!ends_with(r.out, ".svg") &&
			   !output_is_stdout(r.out)) {
			opt_usage(&st,
				  "-o '%s': the picture is SVG or HTML; "
				  "name it .svg or .html",
				  r.out);
			goto out;
		}
		if (r.json) {
			opt_usage(&st, "--json prints the map; -o draws it: "
				       "give one of them");
			goto out;
		}
	}
	if (st.optind >= argc && r.in.n == 0) {
		opt_usage(&st, "nothing to map: give FILE.dfu or --cm7/--cm4 "
			       "inputs");
		goto out;
	}
	/* One DfuSe file, or image inputs placed as build places them. */
	for (i = st.optind; i < argc; i++) {
		rc = inputs_add_positional(&r.in, argv[i], r.max_input);
		if (rc < 0) {
			status = inputs_status(rc);
			goto out;
		}
		if (rc == 1 && dfu != NULL) {
			opt_usage(&st,
				  "one picture, one DfuSe file: '%s' and "
				  "'%s'",
				  dfu, argv[i]);
			goto out;
		}
		if (rc == 1)
			dfu = argv[i];
	}
	if (dfu != NULL && r.in.n > 0) {
		opt_usage(&st, "give one FILE.dfu, or image inputs "
			       "(--cm7/--cm4/FILE@ADDR), not both");
		goto out;
	}
	if (r.out != NULL) {
		const char **paths = calloc(r.in.n + 1, sizeof(*paths));

		if (paths == NULL) {
			errorf("out of memory");
			status = EXIT_FAIL;
			goto out;
		}
		for (i = 0; i < (int)r.in.n; i++)
			paths[i] = r.in.v[i].path;
		if (dfu != NULL)
			paths[i++] = dfu;
		status = output_prepare(&r.oname, r.out, paths, (size_t)i);
		free(paths);
		if (status != 0)
			goto out;
	}
	status = run(&r, dfu);
out:
	free(r.els);
	dfuse_report_free(r.findings);
	dfuse_report_free(r.diag);
	dfuse_image_free(r.img);
	inbuf_close(&r.b); /* a no-op once taken */
	inputs_free(&r.in);
	devopts_free(&r.dev);
	return status;
}
