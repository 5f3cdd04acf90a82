/*
 * opt.c - option tables -> getopt_long + --help; the options every command
 * has (--help, -q, -v, the JSON answer of --json) and the loop's stop rule.
 */
#include "opt.h"
#include "cmd.h"
#include "msg.h"
#include "num.h"

#include <stdarg.h>
#include <string.h>

#define ID_HELP 0x10001
#define ID_QUIET 0x10002
#define ID_VERBOSE 0x10003

static const struct opt common[] = {
	{ID_QUIET, "quiet", 'q', OPT_NOARG, NULL, "print only errors"},
	{ID_VERBOSE, "verbose", 'v', OPT_NOARG, NULL,
	 "say more (repeat for more)"},
	{ID_HELP, "help", 'h', OPT_NOARG, NULL, "show this help and exit"},
};

#define NCOMMON (sizeof(common) / sizeof(common[0]))

static const struct opt *opt_at(const struct optstate *st, size_t i)
{
	return i < st->nopts ? &st->opts[i] : &common[i - st->nopts];
}

void opt_init(struct optstate *st, const struct opt *opts, size_t nopts,
	      const struct cmd_help *help, int argc, char **argv)
{
	size_t i, n = 0, s = 0;

	memset(st, 0, sizeof(*st));
	st->opts = opts;
	st->nopts = nopts > OPT_MAX ? OPT_MAX : nopts;
	st->help = help;
	st->argc = argc;
	st->argv = argv;
	st->shortopts[s++] = ':'; /* report missing arguments as ':' */
	for (i = 0; i < st->nopts + NCOMMON; i++) {
		const struct opt *o = opt_at(st, i);

		if (o->lname) {
			st->longopts[n].name = o->lname;
			st->longopts[n].has_arg = o->arg;
			st->longopts[n].flag = NULL;
			st->longopts[n].val = o->id;
			n++;
		}
		if (o->sname) {
			st->shortopts[s++] = (char)o->sname;
			if (o->arg == OPT_ARG)
				st->shortopts[s++] = ':';
			else if (o->arg == OPT_OPTARG) {
				st->shortopts[s++] = ':';
				st->shortopts[s++] = ':';
			}
		}
	}
	st->shortopts[s] = '\0';
	optind = 0; /* full reset of GNU getopt */
	opterr = 0;
	/* A command that takes --json answers in JSON from the start, so
	 * that a usage error before or after the option (an unknown option,
	 * a bad value) is answered too, not only what follows its parsing. */
	for (i = 0; i < st->nopts; i++)
		if (opts[i].lname != NULL && strcmp(opts[i].lname, "json") == 0)
			break;
	if (i < st->nopts) {
		int k;

		for (k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
			if (strcmp(argv[k], "--json") == 0) {
				answer_start();
				break;
			}
	}
}

int opt_usage(const struct optstate *st, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s %s: ", msg_prog, st->help->name);
	va_start(ap, fmt);
	msg_vfprintf(stderr, fmt, ap);
	va_end(ap);
	{
		char m[1024];

		va_start(ap, fmt);
		vsnprintf(m, sizeof(m), fmt, ap);
		va_end(ap);
		msg_record("usage", NULL, "%s %s: %s", msg_prog, st->help->name,
			   m);
	}
	fprintf(stderr, "\nTry '%s %s --help' for more information.\n",
		msg_prog, st->help->name);
	return OPT_USAGE;
}

/* Levenshtein distance of a and b (b up to 63 bytes), at most 99. */
static size_t distance(const char *a, size_t na, const char *b)
{
	size_t nb = strlen(b), row[64], i, j;

	if (nb >= 64 || na >= 64)
		return 99;
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t up = row[j],
			       best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

const char *opt_nearest(const char *word, size_t n, const char *const *names,
			size_t count)
{
	const char *best = NULL;
	size_t i, d, bestd = 99;

	for (i = 0; i < count; i++) {
		if (names[i] == NULL)
			continue;
		d = distance(word, n, names[i]);
		/* a prefix ("--verif") is near too */
		if (n >= 3 && strncmp(word, names[i], n) == 0)
			d = 1;
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	/* one edit for short words, two from 5 letters on */
	return best != NULL && bestd <= (n >= 5 ? 2u : 1u) ? best : NULL;
}

/* The long option nearest to "--word[=value]", or NULL. */
static const char *nearest_long(const struct optstate *st, const char *word)
{
	const char *names[OPT_MAX + 8];
	size_t i, k = 0, n;

	if (strncmp(word, "--", 2) != 0)
		return NULL;
	word += 2;
	n = strcspn(word, "=");
	for (i = 0; i < st->nopts + NCOMMON && k < OPT_MAX + 8; i++)
		if (opt_at(st, i)->lname)
			names[k++] = opt_at(st, i)->lname;
	return opt_nearest(word, n, names, k);
}

int opt_next(struct optstate *st, const char **arg)
{
	for (;;) {
		int prev = optind ? optind : 1;
		int c = getopt_long(st->argc, st->argv, st->shortopts,
				    st->longopts, NULL);
		size_t i;

		*arg = optarg;
		if (c == -1) {
			st->optind = optind;
			return OPT_END;
		}
		if (c == '?' || c == ':') {
			const char *word =
				prev < st->argc ? st->argv[prev] : "";

			if (optopt && optopt < 0x100)
				return opt_usage(
					st,
					c == ':' ? "option '-%c' needs an "
						   "argument"
						 : "unknown option '-%c'",
					optopt);
			if (c == '?' && nearest_long(st, word) != NULL)
				return opt_usage(st,
						 "unknown option '%s'; did "
						 "you mean '--%s'?",
						 word, nearest_long(st, word));
			return opt_usage(
				st,
				c == ':' ? "option '%s' needs an argument"
					 : "unknown option '%s'",
				word);
		}
		for (i = 0; i < st->nopts + NCOMMON; i++) {
			const struct opt *o = opt_at(st, i);

			if (o->sname == c && o->sname)
				c = o->id;
		}
		switch (c) {
		case ID_HELP:
			opt_print_help(stdout, st);
			return OPT_HELP;
		case ID_QUIET:
			msg_set_verbosity(-1);
			continue;
		case ID_VERBOSE:
			msg_set_verbosity(
				msg_verbosity() < 0 ? 1 : msg_verbosity() + 1);
			continue;
		default:
			/* --json (or a prefix of it getopt took for it) starts
			 * the JSON answer here, for every command that has it
			 */
			for (i = 0; i < st->nopts; i++)
				if (st->opts[i].id == c && st->opts[i].lname &&
				    strcmp(st->opts[i].lname, "json") == 0)
					answer_start();
			return c;
		}
	}
}

int opt_stop(int rc, int *status)
{
	if (rc >= 0)
		return 0;
	*status = rc == OPT_HELP    ? EXIT_OK
		  : rc == OPT_USAGE ? EXIT_USAGE
				    : EXIT_FAIL;
	return 1;
}

void opt_print_help(FILE *f, const struct optstate *st)
{
	size_t i;

	fprintf(f, "usage: %s %s %s\n\n%s\n\noptions:\n", msg_prog,
		st->help->name, st->help->synopsis, st->help->about);
	for (i = 0; i < st->nopts + NCOMMON; i++) {
		const struct opt *o = opt_at(st, i);
		char left[64];
		int n = 0;

		if (o->sname)
			n = snprintf(left, sizeof(left), "-%c%s", o->sname,
				     o->lname ? ", " : "");
		else
			n = snprintf(left, sizeof(left), "    ");
		if (o->lname)
			n += snprintf(left + n, sizeof(left) - (size_t)n,
				      "--%s", o->lname);
		if (o->argname && n < (int)sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n,
				 o->arg == OPT_OPTARG ? "[=%s]" : " %s",
				 o->argname);
		fprintf(f, "  %-26s %s\n", left, o->help);
	}
	if (st->help->examples)
		fprintf(f, "\nexamples:\n%s", st->help->examples);
}

int opt_size(const struct optstate *st, const char *arg, size_t *out)
{
	if (num_size(out, arg) < 0 || *out == 0)
		return opt_usage(st,
				 "--max-input-size '%s' is not a size "
				 "(e.g. 128M)",
				 arg);
	return 0;
}
