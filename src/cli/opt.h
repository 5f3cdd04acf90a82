/*
 * opt.h - one option table per command gives both getopt_long's tables and
 * the --help text, so the two cannot drift.  -h/--help, -q/--quiet and
 * -v/--verbose are added to every command and handled here, and so is the
 * start of the JSON answer for a command's --json.  The prologue of every
 * command's option loop (OPT_INIT, opt_stop) is written here once.
 */
#ifndef DFUSETOOL_OPT_H
#define DFUSETOOL_OPT_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

enum { OPT_NOARG = 0, OPT_ARG = 1, OPT_OPTARG = 2 };

/* opt_next() results besides option ids */
#define OPT_END (-1)   /* no more options; positionals from st->optind */
#define OPT_HELP (-2)  /* --help was printed: exit 0 */
#define OPT_USAGE (-3) /* a usage error was printed: exit 2 */

struct opt {
	int id;		     /* > 0: returned by opt_next() */
	const char *lname;   /* long name, or NULL */
	int sname;	     /* short letter, or 0 */
	int arg;	     /* OPT_NOARG / OPT_ARG / OPT_OPTARG */
	const char *argname; /* "FILE" for the help text */
	const char *help;    /* one line */
};

struct cmd_help {
	const char *name;     /* "build" */
	const char *synopsis; /* "-o OUT.dfu [options] INPUT..." */
	const char *about;    /* a paragraph */
	const char *examples; /* lines, or NULL */
};

#define OPT_MAX 48

struct optstate {
	const struct opt *opts;
	size_t nopts;
	const struct cmd_help *help;
	int argc;
	char **argv;
	struct option longopts[OPT_MAX + 4];
	char shortopts[3 * OPT_MAX + 8];
	int optind; /* first positional once OPT_END is returned */
};

void opt_init(struct optstate *st, const struct opt *opts, size_t nopts,
	      const struct cmd_help *help, int argc, char **argv);
/* Returns an option id (its argument in *arg), or an OPT_* result. */
int opt_next(struct optstate *st, const char **arg);
void opt_print_help(FILE *f, const struct optstate *st);
/* Prints "dfusetool CMD: <msg>" and the --help hint; returns OPT_USAGE. */
int opt_usage(const struct optstate *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- the option loop's prologue, the same in every command ----
 *
 *	OPT_INIT(&st, opts, &help, argc, argv);
 *	while ((c = opt_next(&st, &arg)) != OPT_END) {
 *		rc = devopts_handle(..., c, arg);   (options shared by
 *		if (opt_stop(rc, &status))           commands, if any; else
 *			goto out;                    opt_stop(c, &status))
 *		if (rc == 1)
 *			continue;
 *		switch (c) { the command's own options;
 *		default: opt_usage(&st, "unhandled option"); ... }
 *	}
 *
 * opt_next() has already printed the help or the usage error, handled
 * -q and -v, and started the JSON answer for --json. */
#define OPT_INIT(st, opts, help, argc, argv)                                   \
	opt_init((st), (opts), sizeof(opts) / sizeof((opts)[0]), (help),       \
		 (argc), (argv))

/* For an OPT_* result (rc < 0) of opt_next() or of a shared option
 * handler: sets *status to the command's exit status (EXIT_OK after
 * --help, EXIT_USAGE after a usage error, EXIT_FAIL for any other
 * failure) and returns 1, the command stops.  Otherwise returns 0 and
 * leaves *status alone. */
int opt_stop(int rc, int *status);

/* "Did you mean": the name in names[] nearest to the first n bytes of
 * word (edit distance 1, or 2 from 5 letters; a prefix of 3 or more),
 * or NULL.  For mistyped commands (main.c) and options (opt_next). */
const char *opt_nearest(const char *word, size_t n, const char *const *names,
			size_t count);

/* --max-input-size SIZE: 0 or OPT_USAGE after printing why. */
int opt_size(const struct optstate *st, const char *arg, size_t *out);

#endif /* DFUSETOOL_OPT_H */
