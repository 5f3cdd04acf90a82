/*
 * cmd_split.c - dfusetool split: a DfuSe file (or any image input) into
 * one file per core, target or element, all written or none.
 *
 * The names come from the library (dfuse_split(): core, alternate
 * setting, address, a target name only sanitised) and never hold '/', so
 * every file lands in DIR.  The files go through one dfuse_fileset:
 * temporary files first, then all moved into place; a failure anywhere
 * leaves DIR as it was (a DIR this command created is removed again).
 */
#include "cmd.h"
#include "devopts.h"
#include "json.h"
#include "msg.h"
#include "output.h"
#include "opt.h"
#include "sources.h"

#include <dfuse.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	O_OUT = 'o',
	O_FORCE = 'f',
	O_BY = 0x100,
	O_FORMAT,
	O_JSON,
};

static const struct opt opts[] = {
	{O_OUT, "output", 'o', OPT_ARG, "DIR",
	 "write the files in DIR (default: the current directory); made if "
	 "missing"},
	{O_BY, "by", 0, OPT_ARG, "WHAT", "core (default), target or element"},
	{O_FORMAT, "format", 0, OPT_ARG, "FMT",
	 "dfu (default), hex, srec or bin (one file per run)"},
	{O_FORCE, "force", 'f', OPT_NOARG, NULL, "replace existing files"},
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "list the files written as JSON on stdout"},
	DEVOPTS_TABLE,
	MAX_INPUT_OPT,
};

static const struct cmd_help help = {
	"split",
	"IN[@ADDR] [-o DIR] [--by core|target|element] "
	"[--format dfu|hex|srec|bin]",
	"Split a DfuSe file into one file per core (cm7.dfu, cm4.dfu, and "
	"alt1.dfu for\nthe option bytes), per target or per element, named "
	"from the core, the\nalternate setting and the address; a target's "
	"own name only after sanitising,\nso no file lands outside DIR.  "
	"DfuSe parts keep the suffix IDs, target names\nand element order, "
	"so that 'dfusetool merge' puts the file back together.\nWith "
	"--format bin, one file per contiguous run, its address in the name\n"
	"(cm4@0x08100000.bin).  Existing files are not replaced without "
	"--force.  All\nfiles are written or none.",
	"  dfusetool split release.dfu -o parts\n"
	"  dfusetool split release.dfu --by element --format bin -o bins\n",
};

struct split {
	const char *in, *dir;
	int by, format, force, json;
	size_t max_input;
	struct devopts dev;
};

/* DIR/NAME, without a doubled '/'; NAME alone for ".". */
static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir), len = n + strlen(name) + 2;
	char *p = malloc(len);

	if (p == NULL)
		return NULL;
	if (strcmp(dir, ".") == 0)
		snprintf(p, len, "%s", name);
	else
		snprintf(p, len, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/",
			 name);
	return p;
}

/* Makes DIR if it is missing; *made says so.  0 or EXIT_FAIL. */
static int make_dir(const char *dir, int *made)
{
	struct stat st;

	*made = 0;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errorf("'%s' is not a directory", dir);
		return EXIT_FAIL;
	}
	if (mkdir(dir, 0777) != 0) {
		errorf("cannot make directory '%s': %s", dir, strerror(errno));
		return EXIT_FAIL;
	}
	*made = 1;
	return 0;
}

static void list(const struct split *s, const dfuse_parts *ps, char **paths)
{
	struct json *j = answer_json();
	size_t i;

	if (s->json) {
		json_begin_object(j);
		json_kstr(j, "input", s->in);
		json_kstr(j, "directory", s->dir);
		json_kstr(j, "format", dfuse_format_name(s->format));
		json_key(j, "files");
		json_begin_array(j);
	}
	for (i = 0; i < dfuse_parts_count(ps); i++) {
		dfuse_part p;
		struct span sp;

		if (dfuse_parts_get(&p, ps, i) < 0)
			continue;
		image_span(&sp, p.image, -1);
		if (s->json) {
			json_begin_object(j);
			json_kstr(j, "path", paths[i]);
			json_kstr(j, "name", p.name);
			if (p.core != DFUSE_CORE_NONE)
				json_kstr(j, "core", dfuse_core_name(p.core));
			else
				json_knull(j, "core");
			json_kint(j, "alt", p.alt);
			json_kuint(j, "targets", sp.targets);
			json_kuint(j, "elements", sp.elements);
			json_kuint(j, "bytes", sp.bytes);
			json_kuint(j, "address", sp.address);
			json_kuint(j, "end", sp.end);
			json_end_object(j);
			continue;
		}
		infof("wrote %s: %zu target%s, %zu element%s, %llu bytes",
		      paths[i], sp.targets, sp.targets == 1 ? "" : "s",
		      sp.elements, sp.elements == 1 ? "" : "s",
		      (unsigned long long)sp.bytes);
		if (sp.bytes > 0)
			infof(" at 0x%08x-0x%08llx", (unsigned)sp.address,
			      (unsigned long long)(sp.end - 1));
		infof("\n");
	}
	if (s->json) {
		json_end_array(j);
		json_end_object(j);
	}
}

static int run(struct split *s)
{
	dfuse_split_options so = DFUSE_SPLIT_OPTIONS_INIT;
	dfuse_write_options wo = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_check_options co;
	struct inputs one = {NULL, 0, 0};
	dfuse_image *img = NULL;
	dfuse_parts *ps = NULL;
	dfuse_fileset *fs = NULL;
	char **paths = NULL;
	const char *oname;
	size_t i, n = 0;
	int is_dfu, made = 0, status;

	status =
		sources_open(&img, &is_dfu, s->in, "Internal Flash",
			     devopts_profile_or_default(&s->dev), s->max_input);
	if (status != 0)
		return status;
	status = EXIT_FAIL;
	devopts_check_options(&s->dev, &co);
	so.by = s->by;
	so.format = s->format;
	so.check = &co;
	if (dfuse_split(&ps, img, &so) < 0) {
		error_lib(s->in);
		goto out;
	}
	n = dfuse_parts_count(ps);
	paths = calloc(n, sizeof(*paths));
	if (paths == NULL) {
		errorf("out of memory");
		goto out;
	}
	if (inputs_add(&one, s->in, DFUSE_CORE_NONE) < 0)
		goto out; /* it said why */
	if (make_dir(s->dir, &made) != 0)
		goto out;
	if (dfuse_fileset_new(&fs) < 0) {
		error_lib(s->in);
		goto out;
	}
	wo.format = s->format;
	wo.flags = s->force ? 0 : DFUSE_WRITE_NO_CLOBBER;
	for (i = 0; i < n; i++) {
		dfuse_part p;

		dfuse_parts_get(&p, ps, i);
		paths[i] = join(s->dir, p.name);
		if (paths[i] == NULL) {
			errorf("out of memory");
			goto out;
		}
		if (output_prepare(&oname, paths[i], &one.v[0].path, 1))
			goto out;
		if (dfuse_fileset_add(fs, p.image, paths[i], &wo) < 0) {
			errorf("%s", dfuse_error_last()->message);
			if (dfuse_error_last()->code == DFUSE_EIO &&
			    !s->force && access(paths[i], F_OK) == 0)
				notef("nothing was written; --force replaces "
				      "existing files");
			goto out;
		}
	}
	if (dfuse_fileset_commit(fs) < 0) {
		errorf("%s; nothing was written", dfuse_error_last()->message);
		goto out;
	}
	list(s, ps, paths);
	status = EXIT_OK;
out:
	dfuse_fileset_free(fs); /* deletes what was not committed */
	if (status != EXIT_OK && made)
		rmdir(s->dir);
	for (i = 0; paths != NULL && i < n; i++)
		free(paths[i]);
	free(paths);
	inputs_free(&one);
	dfuse_parts_free(ps);
	dfuse_image_free(img);
	return status;
}

int cmd_split(int argc, char **argv)
{
	struct optstate st;
	struct split s;
	const char *arg;
	int k, status = EXIT_USAGE;

	memset(&s, 0, sizeof(s));
	s.dir = ".";
	s.by = DFUSE_SPLIT_CORE;
	s.format = DFUSE_FORMAT_DFUSE;
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((k = opt_next(&st, &arg)) != OPT_END) {
		int d = devopts_handle(&s.dev, NULL, &s.max_input, &st, k, arg);

		if (opt_stop(d, &status))
			goto out;
		if (d == 1)
			continue;
		switch (k) {
		case O_OUT:
			s.dir = arg;
			break;
		case O_BY:
			if (strcmp(arg, "core") == 0) {
				s.by = DFUSE_SPLIT_CORE;
			} else if (strcmp(arg, "target") == 0) {
				s.by = DFUSE_SPLIT_TARGET;
			} else if (strcmp(arg, "element") == 0) {
				s.by = DFUSE_SPLIT_ELEMENT;
			} else {
				opt_usage(&st,
					  "--by '%s': core, target or element",
					  arg);
				goto out;
			}
			break;
		case O_FORMAT:
			s.format = format_from_name(arg);
			if (s.format < 0) {
				opt_usage(&st,
					  "--format '%s': the formats are dfu, "
					  "hex, srec and bin",
					  arg);
				goto out;
			}
			break;
		case O_FORCE:
			s.force = 1;
			break;
		case O_JSON:
			s.json = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	if (devopts_finish(&s.dev, &st) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	if (st.optind >= argc) {
		opt_usage(&st, "no input: give IN.dfu");
		goto out;
	}
	if (st.optind + 1 < argc) {
		opt_usage(&st, "one input at a time ('%s' is a second one)",
			  argv[st.optind + 1]);
		goto out;
	}
	if (s.dir[0] == '\0') {
		opt_usage(&st, "-o '': give a directory");
		goto out;
	}
	s.in = argv[st.optind];
	status = run(&s);
out:
	devopts_free(&s.dev);
	return status;
}
