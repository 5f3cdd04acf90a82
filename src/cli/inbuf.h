/*
 * inbuf.h - a whole input file in memory for the commands that only read
 * it: mapped read-only when it is a regular file (no copy, so a dump's
 * memory stays at about the file's size), read into a buffer otherwise.
 */
#ifndef DFUSETOOL_INBUF_H
#define DFUSETOOL_INBUF_H

#include <stddef.h>

struct inbuf {
	const unsigned char *p;
	size_t len;
	void *map;   /* mmap'd region, or NULL */
	void *heap;  /* malloc'd copy, or NULL */
};

/* Returns 0, or EXIT_FAIL after printing an error naming the file. */
int inbuf_open(struct inbuf *b, const char *path, size_t max);
void inbuf_close(struct inbuf *b);
/* The format of a file's content (a dfuse_format), or -1 after printing
 * why it cannot be read. */
int inbuf_format(const char *path, size_t max);

#endif /* DFUSETOOL_INBUF_H */
