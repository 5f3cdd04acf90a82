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
int dfuse__read_file(uint8_t **out, size_t *len, const char *path, size_t max);

/* DFUSE_ETOOBIG: "input is N bytes, over the input limit of M bytes". */
int dfuse__too_big(unsigned long long have, size_t max);

/* write(2) until all `n` bytes are out (EINTR retried); DFUSE_EIO
 * "cannot write 'PATH'" with strerror. */
int dfuse__write_all(int fd, const void *p, size_t n, const char *path);

/* ---- The one file writer (see fileio.c) ---- */

/* dfuse__out_open() flags */
#define DFUSE__OUT_NO_CLOBBER 0x1u /* an existing name is never replaced */
#define DFUSE__OUT_FILE_ONLY                                                   \
	0x2u /* a regular file or nothing: no device,                          \
		FIFO or descriptor (file sets) */

struct dfuse__tempslot;

/* An output being written: write to fd, then close and place it. */
struct dfuse__out {
	int fd;			      /* where the bytes go */
	int direct;		      /* fd is the destination itself */
	char *tmp;		      /* regular destination: temp name */
	const char *path;	      /* the destination (borrowed) */
	struct dfuse__tempslot *slot; /* tmp in the live list */
};

/*
 * Opens `path` for writing: a descriptor name (/dev/stdout, /dev/stderr,
 * /dev/fd/N) is a dup of that descriptor; a character device, FIFO or
 * socket is opened once (O_NOFOLLOW unless the name is under /dev/) and
 * written directly; anything else gets a new temporary file
 * ".NAME.XXXXXX.tmp" in its directory (O_CREAT|O_EXCL|O_NOFOLLOW, the
 * replaced file's permission bits or 0666 & ~umask), listed for
 * dfuse_temp_files_remove() until placed or discarded.  A directory or a
 * block device is DFUSE_EINVAL.  On failure nothing is left.
 */
int dfuse__out_open(struct dfuse__out *o, const char *path, unsigned flags);
/* fsync (a temporary file) and close.  On failure the output is
 * discarded. */
int dfuse__out_close(struct dfuse__out *o);
/* Renames a closed temporary file to its path (NO_CLOBBER: link(2), which
 * refuses an existing name atomically); no-op for a direct output.  On
 * failure the temporary file is removed. */
int dfuse__out_place(struct dfuse__out *o, unsigned flags);
/* Closes and removes the temporary file, if any.  Safe to call twice. */
void dfuse__out_discard(struct dfuse__out *o);

/*
 * open, fill(fd, ctx), close, place: the name holds the old file or the
 * whole new one, never a partial one.  On failure the temporary file is
 * removed and an existing `path` is untouched.
 */
int dfuse__write_atomic(const char *path, unsigned flags,
			int (*fill)(int fd, void *ctx), void *ctx);

#endif /* DFUSE_FILEIO_H */
