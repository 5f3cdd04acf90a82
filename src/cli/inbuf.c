/*
 * inbuf.c - map or read an input file.
 */
#include "inbuf.h"
#include "cmd.h"
#include "msg.h"

#include <dfuse.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int too_big(const char *path, unsigned long long have, size_t max)
{
	error_code("DFUSE_ETOOBIG", path,
		   "'%s': file is %llu bytes, over the input limit of %zu "
		   "bytes",
		   path, have, max);
	notef("raise the input limit with --max-input-size SIZE");
	return EXIT_FAIL;
}

int inbuf_open(struct inbuf *b, const char *path, size_t max)
{
	struct stat st;
	size_t cap = 65536;
	unsigned char *buf = NULL;
	int fd;

	memset(b, 0, sizeof(*b));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error_code("DFUSE_EIO", path, "cannot open '%s': %s", path,
			   strerror(errno));
		return EXIT_FAIL;
	}
	if (fstat(fd, &st) != 0) {
		error_code("DFUSE_EIO", path, "cannot stat '%s': %s", path,
			   strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	if (S_ISDIR(st.st_mode)) {
		error_code("DFUSE_EIO", path, "'%s' is a directory", path);
		close(fd);
		return EXIT_FAIL;
	}
	if (S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size > max) {
			close(fd);
			return too_big(path, (unsigned long long)st.st_size,
				       max);
		}
		b->len = (size_t)st.st_size;
		if (b->len == 0) {
			b->p = (const unsigned char *)"";
			close(fd);
			return 0;
		}
		b->map = mmap(NULL, b->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (b->map != MAP_FAILED) {
			b->p = b->map;
			close(fd);
			return 0;
		}
		b->map = NULL;
		cap = b->len + 1;
		b->len = 0;
	}
	/* A pipe or a device: read it, up to the limit. */
	for (;;) {
		ssize_t n;

		if (buf == NULL || b->len == cap) {
			unsigned char *nb;

			if (buf != NULL)
				cap *= 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				error_code("DFUSE_ENOMEM", path, "'%s': out of memory",
				   path);
				free(buf);
				close(fd);
				return EXIT_FAIL;
			}
			buf = nb;
		}
		n = read(fd, buf + b->len, cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_code("DFUSE_EIO", path, "cannot read '%s': %s",
				   path, strerror(errno));
			free(buf);
			close(fd);
			return EXIT_FAIL;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > max) {
			free(buf);
			close(fd);
			return too_big(path, (unsigned long long)b->len, max);
		}
	}
	close(fd);
	b->heap = buf;
	b->p = buf;
	return 0;
}

void inbuf_close(struct inbuf *b)
{
	if (b->map != NULL)
		munmap(b->map, b->len);
	free(b->heap);
	memset(b, 0, sizeof(*b));
}

int inbuf_format(const char *path, size_t max)
{
	struct inbuf b;
	int fmt;

	if (inbuf_open(&b, path, max) != 0)
		return -1;
	fmt = dfuse_detect_format(b.p, b.len);
	inbuf_close(&b);
	return fmt;
}
