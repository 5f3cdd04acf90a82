/*
 * msg.h - messages in git/curl style:
 *     dfusetool: error: 'fw.dfu': target 1: ...
 * Lower case, no full stop, subject in quotes.  Verbosity is a process
 * setting of the tool (the library has no global state).
 */
#ifndef DFUSETOOL_MSG_H
#define DFUSETOOL_MSG_H

#include "json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__) || defined(__clang__)
#define MSG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MSG_PRINTF(f, a)
#endif

extern const char *msg_prog; /* "dfusetool" */

/*
 * Terminal safety: every message and every line of text output goes
 * through the functions below, which print each %s argument escaped: a
 * byte below 0x20, 0x7f, a C1 control or a byte of malformed UTF-8
 * becomes "\xNN" (well-formed UTF-8 text is kept).  So a path, option
 * value, serial number or name can never send a control sequence to the
 * terminal.  The format string is ours and printed as is.  The --json
 * answer keeps the raw text (the JSON writer escapes it).
 */
/* fprintf with escaped %s arguments, for text not sent through the
 * functions below (usage errors, findings lists, help). */
void msg_fprintf(FILE *f, const char *fmt, ...) MSG_PRINTF(2, 3);
void msg_vfprintf(FILE *f, const char *fmt, va_list ap) MSG_PRINTF(2, 0);
/* A malloc'd escaped copy of s (NULL when out of memory). */
char *msg_escape(const char *s);
/* Our own control sequences (map's colours) on stdout, unless --quiet:
 * never for text that came from outside. */
void msg_raw(const char *s);

/* -1 quiet (errors only), 0 normal, 1+ verbose */
void msg_set_verbosity(int level);
int msg_verbosity(void);

void errorf(const char *fmt, ...) MSG_PRINTF(1, 2);
void warnf(const char *fmt, ...) MSG_PRINTF(1, 2);
void notef(const char *fmt, ...) MSG_PRINTF(1, 2);
/* Normal output on stdout unless --quiet. */
void infof(const char *fmt, ...) MSG_PRINTF(1, 2);
/* Only with -v. */
void verbosef(const char *fmt, ...) MSG_PRINTF(1, 2);

/* errorf("'%s': %s", subject, dfuse_error_last()->message) (subject
 * NULL: the message alone, for a device's errors); the JSON
 * answer gets the library's error name as its code, `subject` as its
 * file, and the error's offset or line. */
void error_lib(const char *subject);
/* errorf() with a code and the file concerned (NULL: none) for the JSON
 * answer, e.g. error_code("DFUSE_EIO", path, "cannot open '%s': ...") */
void error_code(const char *code, const char *file, const char *fmt, ...)
	MSG_PRINTF(3, 4);
/* Records a failure for the JSON answer without printing it (for code
 * that prints its own message, like a usage error). */
void msg_record(const char *code, const char *file, const char *fmt, ...)
	MSG_PRINTF(3, 4);

/*
 * The --json answer: whatever happens once a command has seen --json,
 * stdout gets valid JSON (dfusetool(1), JSON OUTPUT).
 *
 *  - errorf(), error_code() and error_lib() record the first failure
 *    since the last one that was answered: its code, message, file and
 *    offset or line.
 *  - answer_start() is called when --json is parsed; answer_json() is the
 *    writer on stdout every JSON output goes through.
 *  - A command that answers per file wraps each one in answer_unit_begin()
 *    and answer_unit_end(): a failed file with no entry gets
 *    {"file": ..., "error": {...}}; an entry cut short is closed with an
 *    "error" member.
 *  - msg_finish() completes the answer: an answer cut short is closed
 *    (with the failure), and a failure with no answer at all becomes
 *    {"error": {...}}.
 */
void answer_start(void);
int answer_on(void);
struct json *answer_json(void);
struct answer_unit {
	unsigned long values;
	int depth;
};
void answer_unit_begin(struct answer_unit *u, const char *file);
void answer_unit_end(const struct answer_unit *u, int status);
/* "error": the recorded failure as an object (then forgotten), or null. */
void answer_kerror(struct json *j);
/* Replaces the recorded failure's code (a finding code, say), if any. */
void answer_set_code(const char *code);
/* A saved failure, to answer later in its file's place; NULL if none. */
struct answer_failure;
struct answer_failure *answer_take(void);
/* Writes {"file": file, "error": {...}} for f (NULL: a generic one) and
 * frees it. */
void answer_put(struct answer_failure *f, const char *file);
void answer_failure_free(struct answer_failure *f);

/*
 * Whether to colour what goes to `f`: only a terminal, never when NO_COLOR
 * is set to anything but "" (no-color.org), never for TERM=dumb.
 */
int msg_color(FILE *f);

/*
 * Completes the JSON answer (see above), flushes stdout and reports a
 * write error (a full disk, a closed pipe): returns EXIT_FAIL then, else
 * `status`.  Called once before exiting.
 */
int msg_finish(int status);

#endif /* DFUSETOOL_MSG_H */
