/*
 * err.h - the thread-local last error (libgit2 style).
 *
 * One call sets the code and a context-rich message and returns the code:
 *     return dfuse__error(DFUSE_EFORMAT, "line %zu: checksum is 0x%02x, "
 *                         "expected 0x%02x", line, found, want);
 */
#ifndef DFUSE_ERR_H
#define DFUSE_ERR_H

#include "common.h"

#include <stdarg.h>

/* Sets the last error; returns `code`. */
int dfuse__error(int code, const char *fmt, ...) DFUSE__PRINTF(2, 3);
/* As dfuse__error(), and records where in the input: a byte offset (or
 * -1) and a 1-based line (or 0), for dfuse_error.offset and .line. */
int dfuse__error_at(int code, int64_t offset, unsigned long line,
		    const char *fmt, ...) DFUSE__PRINTF(4, 5);
/* As dfuse__error() with ": " strerror(errno) appended (errno is read on
 * entry). */
int dfuse__error_os(int code, const char *fmt, ...) DFUSE__PRINTF(2, 3);
/* Prepends context ("element 3: ") to the current message; returns the
 * current code. */
int dfuse__error_prefix(const char *fmt, ...) DFUSE__PRINTF(1, 2);
/* Every options and result struct starts with `unsigned int version`,
 * which its INIT macro sets: anything but `want` is DFUSE_EINVAL, "NAME
 * version N is not supported (expected M)".  Returns 0 or the error. */
int dfuse__check_version(const char *name, unsigned int got, unsigned int want);
/* A caller's log callback (one line for the user, no newline; may be
 * NULL: nothing happens): the line formatted, at most 255 bytes. */
typedef void (*dfuse__log_fn)(void *payload, const char *line);
void dfuse__vlogf(dfuse__log_fn log, void *payload, const char *fmt, va_list ap)
	DFUSE__PRINTF(3, 0);
void dfuse__logf(dfuse__log_fn log, void *payload, const char *fmt, ...)
	DFUSE__PRINTF(3, 4);
/* DFUSE_ENOMEM with "out of memory". */
int dfuse__oom(void);

/* Untrusted bytes (names from a file) for a message: printable ASCII as
 * is, '"', '\\' and the rest as \xNN; cut short to fit cap (>= 1). */
void dfuse__escape(char *dst, size_t cap, const uint8_t *src, size_t n);

/* Propagate an error from a function that has nothing to clean up. */
#define DFUSE__TRY(expr)                                                       \
	do {                                                                   \
		int dfuse__try_rc = (expr);                                    \
		if (dfuse__try_rc < 0)                                         \
			return dfuse__try_rc;                                  \
	} while (0)

#endif /* DFUSE_ERR_H */
