/*
 * fileio.h - reading input files under a size limit; writing output files
 * atomically.
 */
#ifndef DFUSE_FILEIO_H
#define DFUSE_FILEIO_H

#include "common.h"

/*
 * Opens an input for reading.  A directory is refused, and so is a regular
 * file larger than `max` (DFUSE_ETOOBIG, before reading it).  *size is the
 * file's size for a regular file, 0 for a pipe or a device.
 * Errors: DFUSE_EIO with strerror.  Messages do not name the path: the
 * caller does.
 */
int dfuse__open_input(int *fd, size_t *size, const char *path, size_t max);

/*
 * Appends to *buf (malloc'd, *cap bytes allocated, *len used) until EOF or
 * until *len reaches `until`; more than `max` bytes in all is
 * DFUSE_ETOOBIG.  *buf may start NULL.  Returns 1 at EOF, else 0.
 */
int dfuse__read_more(int fd, uint8_t **buf, size_t *len, size_t *cap,
		     size_t until, size_t max);

/* Reads a whole file into a new malloc'd buffer (*out, *len; caller frees)
 * with the rules above. */
int dfuse__read_file(uint8_t **out, size_t *len, const char *path,
		     size_t max);

/* DFUSE_ETOOBIG: "input is N bytes, over the input limit of M bytes". */
int dfuse__too_big(unsigned long long have, size_t max);

/* write(2) until all `n` bytes are out (EINTR retried); DFUSE_EIO
 * "cannot write 'PATH'" with strerror. */
int dfuse__write_all(int fd, const void *p, size_t n, const char *path);

/* Creates <path>.XXXXXX beside `path` (mode 0666 & ~umask) for an atomic
 * write; *tmp_out is its malloc'd name.  @return the open fd, or an error
 * (nothing is left then). */
int dfuse__temp_create(char **tmp_out, const char *path);

/*
 * Writes `path` atomically: fill(fd, ctx) writes the content into a
 * temporary file beside `path` (mode 0666 & ~umask), which is fsync'd and
 * renamed over `path`, so the name holds the old file or the whole new one,
 * never a partial one.  When `path` exists and is not a regular file (a
 * device, a pipe, /dev/stdout) fill writes to it directly.  On failure
 * the temporary file is removed and an existing `path` is untouched.
 */
int dfuse__write_atomic(const char *path, int (*fill)(int fd, void *ctx),
			void *ctx);

#endif /* DFUSE_FILEIO_H */
