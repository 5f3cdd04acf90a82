/*
 * msg.c - error, warning and progress messages for dfusetool, and the
 * --json answer that no failure can leave empty or cut short (msg.h).
 */
#include "msg.h"
#include "cmd.h"

#include <dfuse.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *msg_prog = "dfusetool";
static int verbosity;

struct answer_failure {
	char *code, *message, *file;
	int64_t offset;      /* -1: unknown */
	unsigned long line;  /* 0: unknown */
};

static struct {
	int on;
	struct json j;
	struct answer_failure *pending; /* the first failure not answered */
	const char *unit_file;          /* the file answer_unit_begin() named */
} answer;

void answer_failure_free(struct answer_failure *f)
{
	if (f == NULL)
		return;
	free(f->code);
	free(f->message);
	free(f->file);
	free(f);
}

static char *vformat(const char *fmt, va_list ap) MSG_PRINTF(1, 0);

static char *vformat(const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s != NULL)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void vrecord(const char *code, const char *file, int64_t offset,
		    unsigned long line, const char *fmt, va_list ap)
	MSG_PRINTF(5, 0);

/* Keeps the first failure: later ones are usually its consequences. */
static void vrecord(const char *code, const char *file, int64_t offset,
		    unsigned long line, const char *fmt, va_list ap)
{
	struct answer_failure *f;

	if (answer.pending != NULL)
		return;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return;
	f->code = strdup(code);
	f->file = file != NULL ? strdup(file) : NULL;
	f->message = vformat(fmt, ap);
	f->offset = offset;
	f->line = line;
	if (f->code == NULL || f->message == NULL ||
	    (file != NULL && f->file == NULL)) {
		answer_failure_free(f);
		return;
	}
	answer.pending = f;
}

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
	va_start(ap, fmt);
	vrecord("error", NULL, -1, 0, fmt, ap);
	va_end(ap);
}

void error_code(const char *code, const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(stderr, "error: ", fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vrecord(code, file, -1, 0, fmt, ap);
	va_end(ap);
}

void msg_record(const char *code, const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(code, file, -1, 0, fmt, ap);
	va_end(ap);
}

static void record_lib(const char *file, const char *fmt, ...)
	MSG_PRINTF(2, 3);

static void record_lib(const char *file, const char *fmt, ...)
{
	const dfuse_error *e = dfuse_error_last();
	va_list ap;

	va_start(ap, fmt);
	vrecord(dfuse_error_name(e->code), file, e->offset, e->line, fmt, ap);
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
	const char *m = dfuse_error_last()->message;

	fflush(stdout);
	fprintf(stderr, "%s: error: '%s': %s\n", msg_prog, subject, m);
	record_lib(subject, "'%s': %s", subject, m);
}

/* ======== The --json answer ======== */

void answer_start(void)
{
	if (answer.on)
		return;
	answer.on = 1;
	json_init(&answer.j, stdout);
}

int answer_on(void)
{
	return answer.on;
}

struct json *answer_json(void)
{
	if (!answer.on)
		json_init(&answer.j, stdout);
	return &answer.j;
}

static void put_failure(struct json *j, const struct answer_failure *f)
{
	const char *file = f && f->file ? f->file : answer.unit_file;

	json_begin_object(j);
	json_kstr(j, "code", f ? f->code : "error");
	json_kstr(j, "message", f ? f->message : "the command failed");
	json_kstr_or_null(j, "file", file);
	if (f != NULL && f->offset >= 0)
		json_kint(j, "offset", f->offset);
	else
		json_knull(j, "offset");
	if (f != NULL && f->line > 0)
		json_kuint(j, "line", f->line);
	else
		json_knull(j, "line");
	json_end_object(j);
}

void answer_kerror(struct json *j)
{
	json_key(j, "error");
	if (answer.pending == NULL) {
		json_null(j);
		return;
	}
	put_failure(j, answer.pending);
	answer_failure_free(answer.pending);
	answer.pending = NULL;
}

/* "error": the recorded failure, or a generic one: something failed. */
static void kfailure(struct json *j)
{
	json_key(j, "error");
	put_failure(j, answer.pending);
	answer_failure_free(answer.pending);
	answer.pending = NULL;
}

void answer_set_code(const char *code)
{
	char *c;

	if (answer.pending == NULL || (c = strdup(code)) == NULL)
		return;
	free(answer.pending->code);
	answer.pending->code = c;
}

struct answer_failure *answer_take(void)
{
	struct answer_failure *f = answer.pending;

	answer.pending = NULL;
	return f;
}

void answer_put(struct answer_failure *f, const char *file)
{
	struct json *j = answer_json();
	const char *saved = answer.unit_file;

	if (file != NULL)
		answer.unit_file = file;
	json_begin_object(j);
	json_kstr_or_null(j, "file", f && f->file ? f->file : answer.unit_file);
	json_key(j, "error");
	put_failure(j, f);
	json_end_object(j);
	answer.unit_file = saved;
	answer_failure_free(f);
}

void answer_unit_begin(struct answer_unit *u, const char *file)
{
	struct json *j = answer_json();

	answer_failure_free(answer.pending);
	answer.pending = NULL;
	answer.unit_file = file;
	u->values = j->values;
	u->depth = json_depth(j);
}

void answer_unit_end(const struct answer_unit *u, int status)
{
	struct json *j = answer_json();

	if (answer.on && status != EXIT_OK) {
		if (j->values == u->values) {
			answer_put(answer_take(), NULL);
		} else if (json_depth(j) > u->depth) {
			/* an entry cut short: close it with the failure */
			json_close_to(j, u->depth + 1);
			if (json_in_object(j))
				kfailure(j);
			json_close_to(j, u->depth);
		}
	}
	answer_failure_free(answer.pending);
	answer.pending = NULL;
	answer.unit_file = NULL;
}

/* Whatever the command left: a failure without an answer, or an answer
 * cut short, still gives valid JSON. */
static void answer_complete(int status)
{
	struct json *j = &answer.j;
	int failed = status != EXIT_OK || answer.pending != NULL;

	if (json_depth(j) > 0) {
		json_close_to(j, j->depth); /* a dangling key gets null */
		if (failed) {
			if (json_in_object(j))
				kfailure(j);
			else
				answer_put(answer_take(), NULL);
		}
		json_close_to(j, 0);
	} else if (j->values == 0 && failed) {
		json_begin_object(j);
		kfailure(j);
		json_end_object(j);
	}
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
	if (answer.on)
		answer_complete(status);
	answer_failure_free(answer.pending);
	answer.pending = NULL;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno;

		fprintf(stderr, "%s: error: cannot write standard output: %s\n",
			msg_prog, strerror(e ? e : EIO));
		return EXIT_FAIL;
	}
	return status;
}
