/*
 * inbuf.c - read an input once, into memory (see inbuf.h).
 */
#include "inbuf.h"
#include "cmd.h"
#include "msg.h"

#include <dfuse.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Inputs probed by inbuf_format() and not opened yet. */
struct kept {
	struct kept *next;
	char *path;
	unsigned char *p;
	size_t len;
};

static struct kept *kept;

static int too_big(const char *path, unsigned long long have, size_t max)
{
	error_code("DFUSE_ETOOBIG", path,
		   "'%s': file is %llu bytes, over the input limit of %zu "
		   "bytes",
		   path, have, max);
	notef("raise the input limit with --max-input-size SIZE");
	return EXIT_FAIL;
}

static int fail_io(const char *path, const char *what, int fd, void *buf)
{
	error_code("DFUSE_EIO", path, "cannot %s '%s': %s", what, path,
		   strerror(errno));
	free(buf);
	if (fd > 0)
		close(fd);
	return EXIT_FAIL;
}

/* Reads everything through one descriptor, up to `max` bytes. */
static int read_whole(unsigned char **out, size_t *len, const char *path,
		      size_t max)
{
	int std = strcmp(path, "-") == 0;
	int fd = std ? 0 : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	size_t cap = 65536, n = 0;
	unsigned char *buf = NULL;
	struct stat st;

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return fail_io(path, "open", fd, NULL);
	if (fstat(fd, &st) != 0)
		return fail_io(path, "stat", std ? -1 : fd, NULL);
	if (S_ISDIR(st.st_mode)) {
		error_code("DFUSE_EIO", path, "'%s' is a directory", path);
		if (!std)
			close(fd);
		return EXIT_FAIL;
	}
	if (S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size > max) {
			if (!std)
				close(fd);
			return too_big(path, (unsigned long long)st.st_size,
				       max);
		}
		/* one byte more than the size sees a file that grows */
		cap = (size_t)st.st_size + 1;
	}
	for (;;) {
		ssize_t r;

		if (buf == NULL || n == cap) {
			unsigned char *nb;

			if (buf != NULL)
				cap = cap > max / 2 ? max + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				error_code("DFUSE_ENOMEM", path,
					   "'%s': out of memory", path);
				free(buf);
				if (!std)
					close(fd);
				return EXIT_FAIL;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail_io(path, "read", std ? -1 : fd, buf);
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(buf);
			if (!std)
				close(fd);
			return too_big(path, (unsigned long long)n, max);
		}
	}
	if (!std)
		close(fd);
	if (n == 0) {
		free(buf);
		buf = NULL;
	}
	*out = buf;
	*len = n;
	return 0;
}

int inbuf_open(struct inbuf *b, const char *path, size_t max)
{
	struct kept **k;
	unsigned char *p;
	size_t len;

	memset(b, 0, sizeof(*b));
	for (k = &kept; *k != NULL; k = &(*k)->next) {
		if (strcmp((*k)->path, path) == 0) {
			struct kept *x = *k;

			*k = x->next;
			if (x->len > max) {
				len = x->len;
				free(x->p);
				free(x->path);
				free(x);
				return too_big(path, (unsigned long long)len,
					       max);
			}
			b->heap = x->p;
			b->len = x->len;
			free(x->path);
			free(x);
			b->p = b->heap ? b->heap : (const unsigned char *)"";
			return 0;
		}
	}
	if (read_whole(&p, &len, path, max) != 0)
		return EXIT_FAIL;
	b->heap = p;
	b->len = len;
	b->p = p ? p : (const unsigned char *)"";
	return 0;
}

void *inbuf_take(struct inbuf *b)
{
	void *p = b->heap;

	memset(b, 0, sizeof(*b));
	return p;
}

void inbuf_close(struct inbuf *b)
{
	free(b->heap);
	memset(b, 0, sizeof(*b));
}

int inbuf_format(const char *path, size_t max)
{
	struct kept *k;

	for (k = kept; k != NULL; k = k->next)
		if (strcmp(k->path, path) == 0)
			return dfuse_format_detect(
				k->p ? k->p : (const unsigned char *)"",
				k->len);
	k = calloc(1, sizeof(*k));
	if (k == NULL || (k->path = strdup(path)) == NULL) {
		free(k);
		error_code("DFUSE_ENOMEM", path, "'%s': out of memory", path);
		return -1;
	}
	if (read_whole(&k->p, &k->len, path, max) != 0) {
		free(k->path);
		free(k);
		return -1;
	}
	k->next = kept;
	kept = k;
	return dfuse_format_detect(k->p ? k->p : (const unsigned char *)"",
				   k->len);
}
