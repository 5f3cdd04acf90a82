/*
 * inbuf.h - every input of every command, read once, into memory, through
 * one descriptor: a regular file, a FIFO, a pipe, a device, or standard
 * input ("-"; /dev/stdin works too).  Never mapped: a file truncated or
 * rewritten while it is read gives a short or mixed buffer, which the
 * parsers refuse with a message, never a SIGBUS.  The input limit is
 * applied while reading (a pipe has no size to check first).
 *
 * The format probe and the reader share the bytes: inbuf_format() keeps
 * what it read for the next inbuf_open() of the same name, so a FIFO or
 * a pipe is read once, not opened a second time (which waits forever for
 * a writer that is gone).
 */
#ifndef DFUSETOOL_INBUF_H
#define DFUSETOOL_INBUF_H

#include <stddef.h>

struct inbuf {
	const unsigned char *p;
	size_t len;
	void *heap; /* malloc'd bytes (NULL for an empty input) */
};

/* The whole input `path` ("-": standard input), at most `max` bytes: the
 * bytes kept by an earlier inbuf_format() of that name, or read now.
 * Returns 0, or EXIT_FAIL after printing an error naming the file. */
int inbuf_open(struct inbuf *b, const char *path, size_t max);
void inbuf_close(struct inbuf *b);
/* The malloc'd bytes, handed to the caller (to dfuse_read_owned(), say),
 * and `b` emptied; NULL for an empty input. */
void *inbuf_take(struct inbuf *b);
/* The format of an input's content (a dfuse_format), or -1 after printing
 * why it cannot be read.  The bytes stay for the next inbuf_open(). */
int inbuf_format(const char *path, size_t max);

#endif /* DFUSETOOL_INBUF_H */
