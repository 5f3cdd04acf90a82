/*
 * msg.c - error, warning and progress messages for dfusetool, and the
 * --json answer that no failure can leave empty or cut short (msg.h).
 *
 * Terminal safety lives here and only here: every string argument (%s)
 * of a message or of stdout text is passed through msg_escape_append(),
 * so a path, an option value, a serial number or a target name holding
 * ESC, BEL, a newline or any other control byte prints as a visible
 * \xNN escape and cannot move the cursor, retitle the terminal or forge
 * a line.  The format strings themselves (our own text) are trusted.
 */
#include "msg.h"
#include "cmd.h"

#include <dfuse.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *msg_prog = "dfusetool";
static int verbosity;

struct answer_failure {
	char *code, *message, *file;
	int64_t offset;	    /* -1: unknown */
	unsigned long line; /* 0: unknown */
};

static struct {
	int on;
	struct json j;
	struct answer_failure *pending; /* the first failure not answered */
	const char *unit_file;		/* the file answer_unit_begin() named */
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

/* ======== Escaping ======== */

struct sbuf {
	char *p;
	size_t n, cap;
	int failed;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->cap - b->n <= n) {
		size_t cap = b->cap ? b->cap : 128;
		char *q;

		while (cap - b->n <= n) {
			if (cap > SIZE_MAX / 2) {
				b->failed = 1;
				return;
			}
			cap *= 2;
		}
		q = realloc(b->p, cap);
		if (q == NULL) {
			b->failed = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes) that is
 * not a C1 control (U+0080..U+009F, which some terminals obey), or 0. */
static size_t utf8_ok(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp <= 0x9f)
		return 0;
	return len;
}

static void escape_append(struct sbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		size_t run = i, k;

		while (run < n && s[run] >= 0x20 && s[run] < 0x7f)
			run++;
		sb_put(b, str + i, run - i);
		i = run;
		if (i == n)
			break;
		if (s[i] >= 0x80 && (k = utf8_ok(s + i, n - i)) > 0) {
			sb_put(b, str + i, k);
			i += k;
		} else {
			char x[5];

			snprintf(x, sizeof(x), "\\x%02x", s[i]);
			sb_put(b, x, 4);
			i++;
		}
	}
}

char *msg_escape(const char *s)
{
	struct sbuf b = {NULL, 0, 0, 0};

	sb_put(&b, "", 0);
	escape_append(&b, s, strlen(s));
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* One conversion of the format, printed with snprintf into b. */
static void sb_printf(struct sbuf *b, const char *spec, ...) MSG_PRINTF(2, 3);

static void sb_printf(struct sbuf *b, const char *spec, ...)
{
	va_list ap;
	char small[128], *big;
	int n;

	va_start(ap, spec);
	n = vsnprintf(small, sizeof(small), spec, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		sb_put(b, small, (size_t)n);
		return;
	}
	big = malloc((size_t)n + 1);
	if (big == NULL) {
		b->failed = 1;
		return;
	}
	va_start(ap, spec);
	vsnprintf(big, (size_t)n + 1, spec, ap);
	va_end(ap);
	sb_put(b, big, (size_t)n);
	free(big);
}

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
/*
 * vsnprintf, except that each %s argument goes through escape_append().
 * The compiler has checked fmt against the arguments (MSG_PRINTF), so
 * each conversion is taken from the list with its own type and printed
 * by snprintf with its flags, width and precision.  Returns a malloc'd
 * string, or NULL when out of memory.
 */
static char *vformat_escaped(const char *fmt, va_list ap)
{
	struct sbuf b = {NULL, 0, 0, 0};
	const char *p = fmt;

	sb_put(&b, "", 0);
	while (*p != '\0' && !b.failed) {
		const char *pct = strchr(p, '%');
		char spec[64], len[3] = "";
		size_t k = 0;
		int width = 0, star = 0, prec = -1;
		char conv;

		if (pct == NULL) {
			sb_put(&b, p, strlen(p));
			break;
		}
		sb_put(&b, p, (size_t)(pct - p));
		p = pct + 1;
		spec[k++] = '%';
		while (*p != '\0' && strchr("-+ #0'", *p) != NULL && k < 8)
			spec[k++] = *p++;
		if (*p == '*') {
			width = va_arg(ap, int);
			star = 1;
			p++;
		} else {
			while (*p >= '0' && *p <= '9' && k < 16)
				spec[k++] = *p++;
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				prec = 0;
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
			if (prec < 0)
				prec = -1;
		}
		if (star) {
			/* a negative '*' width means '-' and its size */
			if (width < -1000000 || width > 1000000)
				width = 0;
			k += (size_t)snprintf(spec + k, sizeof(spec) - k,
					      "%s%d", width < 0 ? "-" : "",
					      width < 0 ? -width : width);
		}
		{
			size_t l = 0;

			while (l < 2 && *p != '\0' && strchr("hlLqjzt", *p))
				len[l++] = *p++;
			len[l] = '\0';
		}
		conv = *p;
		if (conv == '\0')
			break;
		p++;
		if (conv == 's') {
			const char *s = va_arg(ap, const char *);
			size_t n;
			char *e;
			struct sbuf t = {NULL, 0, 0, 0};

			if (s == NULL)
				s = "(null)";
			n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			sb_put(&t, "", 0);
			escape_append(&t, s, n);
			e = t.p;
			if (t.failed) {
				b.failed = 1;
				free(e);
				break;
			}
			spec[k++] = 's';
			spec[k] = '\0';
			sb_printf(&b, spec, e);
			free(e);
			continue;
		}
		if (prec >= 0)
			k += (size_t)snprintf(spec + k, sizeof(spec) - k, ".%d",
					      prec);
		k += (size_t)snprintf(spec + k, sizeof(spec) - k, "%s%c", len,
				      conv);
		switch (conv) {
		case '%':
			sb_put(&b, "%", 1);
			break;
		case 'c':
			sb_printf(&b, spec, va_arg(ap, int));
			break;
		case 'p':
			sb_printf(&b, spec, va_arg(ap, void *));
			break;
		case 'd':
		case 'i':
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			if (strcmp(len, "ll") == 0 || strcmp(len, "q") == 0)
				sb_printf(&b, spec, va_arg(ap, long long));
			else if (strcmp(len, "l") == 0)
				sb_printf(&b, spec, va_arg(ap, long));
			else if (strcmp(len, "z") == 0)
				sb_printf(&b, spec, va_arg(ap, size_t));
			else if (strcmp(len, "j") == 0)
				sb_printf(&b, spec, va_arg(ap, intmax_t));
			else if (strcmp(len, "t") == 0)
				sb_printf(&b, spec, va_arg(ap, ptrdiff_t));
			else
				sb_printf(&b, spec, va_arg(ap, int));
			break;
		case 'e':
		case 'E':
		case 'f':
		case 'F':
		case 'g':
		case 'G':
		case 'a':
		case 'A':
			if (strcmp(len, "L") == 0)
				sb_printf(&b, spec, va_arg(ap, long double));
			else
				sb_printf(&b, spec, va_arg(ap, double));
			break;
		default: /* %n and the unknown: never used, never obeyed */
			b.failed = 1;
			break;
		}
	}
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

void msg_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	char *s = vformat_escaped(fmt, ap);

	if (s == NULL) {
		fputs("(out of memory)", f);
		return;
	}
	fputs(s, f);
	free(s);
}

void msg_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vfprintf(f, fmt, ap);
	va_end(ap);
}

void msg_raw(const char *s)
{
	if (verbosity >= 0)
		fputs(s, stdout);
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
	msg_vfprintf(f, fmt, ap);
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

static void record_lib(const char *file, const char *fmt, ...) MSG_PRINTF(2, 3);

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
	msg_vfprintf(stdout, fmt, ap);
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
	if (subject == NULL) { /* a device, not a file: no subject */
		msg_fprintf(stderr, "%s: error: %s\n", msg_prog, m);
		record_lib(NULL, "%s", m);
		return;
	}
	msg_fprintf(stderr, "%s: error: '%s': %s\n", msg_prog, subject, m);
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
