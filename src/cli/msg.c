/*
 * msg.c - error, warning and progress messages for dfusetool.
 */
#include "msg.h"
#include "cmd.h"

#include <dfuse.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *msg_prog = "dfusetool";
static int verbosity;

void msg_set_verbosity(int level)
{
	verbosity = level;
}

int msg_verbosity(void)
{
	return verbosity;
}

static void vmsg(FILE *f, const char *kind, const char *fmt, va_list ap)
	MSG_PRINTF(3, 0);

static void vmsg(FILE *f, const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(f, "%s: %s", msg_prog, kind);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(stderr, "error: ", fmt, ap);
	va_end(ap);
}

void warnf(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg(stderr, "warning: ", fmt, ap);
	va_end(ap);
}

void notef(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg(stderr, "note: ", fmt, ap);
	va_end(ap);
}

void infof(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
}

void verbosef(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 1)
		return;
	va_start(ap, fmt);
	vmsg(stderr, "", fmt, ap);
	va_end(ap);
}

void error_lib(const char *subject)
{
	errorf("'%s': %s", subject, dfuse_error_last()->message);
}

int msg_color(FILE *f)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (no != NULL && no[0] != '\0')
		return 0;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

int msg_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno;

		fprintf(stderr, "%s: error: cannot write standard output: %s\n",
			msg_prog, strerror(e ? e : EIO));
		return EXIT_FAIL;
	}
	return status;
}
