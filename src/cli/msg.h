/*
 * msg.h - messages in git/curl style:
 *     dfusetool: error: 'fw.dfu': target 1: ...
 * Lower case, no full stop, subject in quotes.  Verbosity is a process
 * setting of the tool (the library has no global state).
 */
#ifndef DFUSETOOL_MSG_H
#define DFUSETOOL_MSG_H

#include <stdio.h>

#if defined(__GNUC__) || defined(__clang__)
#define MSG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MSG_PRINTF(f, a)
#endif

extern const char *msg_prog; /* "dfusetool" */

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

/* errorf("'%s': %s", subject, dfuse_error_last()->message) */
void error_lib(const char *subject);

/*
 * Whether to colour what goes to `f`: only a terminal, never when NO_COLOR
 * is set to anything but "" (no-color.org), never for TERM=dumb.
 */
int msg_color(FILE *f);

/*
 * Flushes stdout and reports a write error (a full disk, a closed pipe):
 * returns EXIT_FAIL then, else `status`.  Called once before exiting.
 */
int msg_finish(int status);

#endif /* DFUSETOOL_MSG_H */
