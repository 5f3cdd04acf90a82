/*
 * fileio.c - reading input files under a size limit; writing output files
 * atomically (git_filebuf_commit(): temporary file, fsync, rename).
 */
#include "fileio.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int dfuse__too_big(unsigned long long have, size_t max)
{
	return dfuse__error(DFUSE_ETOOBIG,
			    "input is %llu bytes, over the input limit of "
			    "%zu bytes (max_size)",
			    have, max);
}

int dfuse__open_input(int *fd, size_t *size, const char *path, size_t max)
{
	struct stat st;
	int rc;

	*fd = -1;
	*size = 0;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return dfuse__error_os(DFUSE_EIO, "cannot open");
	if (fstat(*fd, &st) != 0) {
		rc = dfuse__error_os(DFUSE_EIO, "cannot stat");
	} else if (S_ISDIR(st.st_mode)) {
		rc = dfuse__error(DFUSE_EIO, "is a directory");
	} else if (S_ISREG(st.st_mode) &&
		   (unsigned long long)st.st_size > max) {
		rc = dfuse__too_big((unsigned long long)st.st_size, max);
	} else {
		if (S_ISREG(st.st_mode))
			*size = (size_t)st.st_size;
		return 0;
	}
	close(*fd);
	*fd = -1;
	return rc;
}

int dfuse__read_more(int fd, uint8_t **buf, size_t *len, size_t *cap,
		     size_t until, size_t max)
{
	for (;;) {
		size_t room;
		ssize_t n;

		if (*len >= until)
			return 0;
		if (*len == *cap) {
			size_t ncap = *cap ? *cap * 2 : 65536;
			uint8_t *nbuf;

			if (*cap > max)
				return dfuse__too_big((unsigned long long)*len,
						      max);
			if (max < SIZE_MAX && ncap > max + 1)
				ncap = max + 1; /* one more shows the excess */
			nbuf = realloc(*buf, ncap);
			if (nbuf == NULL)
				return dfuse__oom();
			*buf = nbuf;
			*cap = ncap;
		}
		room = *cap - *len;
		if (until - *len < room)
			room = until - *len;
		n = read(fd, *buf + *len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dfuse__error_os(DFUSE_EIO, "cannot read");
		if (n == 0)
			return 1;
		*len += (size_t)n;
		if (*len > max)
			return dfuse__too_big((unsigned long long)*len, max);
	}
}

int dfuse__read_file(uint8_t **out, size_t *len, const char *path,
		     size_t max)
{
	uint8_t *buf = NULL;
	size_t size, cap = 0, used = 0;
	int fd, rc;

	*out = NULL;
	*len = 0;
	DFUSE__TRY(dfuse__open_input(&fd, &size, path, max));
	if (size > 0) {
		/* one byte more than the size sees a file that grows */
		cap = size + 1;
		buf = malloc(cap);
		if (buf == NULL) {
			close(fd);
			return dfuse__oom();
		}
	}
	rc = dfuse__read_more(fd, &buf, &used, &cap, SIZE_MAX, max);
	close(fd);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = used;
	return 0;
}

/* ======== Atomic output ======== */

int dfuse__write_all(int fd, const void *p, size_t n, const char *path)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return dfuse__error_os(DFUSE_EIO, "cannot write '%s'",
					       path);
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static mode_t current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

int dfuse__temp_create(char **tmp_out, const char *path)
{
	/* <path>.XXXXXX in the same directory, so rename() is atomic. */
	const size_t len = strlen(path) + 8;
	char *tmp = malloc(len);
	int fd, rc;

	*tmp_out = NULL;
	if (tmp == NULL)
		return dfuse__oom();
	snprintf(tmp, len, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = dfuse__error_os(DFUSE_EIO,
				     "cannot create a temporary file for '%s'",
				     path);
		free(tmp);
		return rc;
	}
	(void)fchmod(fd, 0666 & ~current_umask());
	*tmp_out = tmp;
	return fd;
}

int dfuse__write_atomic(const char *path, int (*fill)(int fd, void *ctx),
			void *ctx)
{
	struct stat st;
	char *tmp;
	int fd, rc;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device, a pipe, /dev/stdout: nothing to rename over. */
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return dfuse__error_os(DFUSE_EIO, "cannot open '%s'",
					       path);
		rc = fill(fd, ctx);
		if (close(fd) != 0 && rc == 0)
			rc = dfuse__error_os(DFUSE_EIO, "cannot write '%s'",
					     path);
		return rc;
	}

	fd = dfuse__temp_create(&tmp, path);
	if (fd < 0)
		return fd;
	rc = fill(fd, ctx);
	/* fsync before rename: after a crash the name holds the old file or
	 * the whole new one, never an empty or partial one */
	if (rc == 0 && fsync(fd) != 0)
		rc = dfuse__error_os(DFUSE_EIO, "cannot write '%s'", path);
	if (close(fd) != 0 && rc == 0)
		rc = dfuse__error_os(DFUSE_EIO, "cannot write '%s'", path);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = dfuse__error_os(DFUSE_EIO, "cannot rename '%s' to '%s'",
				     tmp, path);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

struct data_src {
	const void *p;
	size_t n;
	const char *path;
};

static int fill_data(int fd, void *ctx)
{
	const struct data_src *d = ctx;

	return dfuse__write_all(fd, d->p, d->n, d->path);
}

int dfuse_write_data_file(const void *data, size_t len, const char *path)
{
	struct data_src d;

	if ((data == NULL && len > 0) || path == NULL || path[0] == '\0')
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_write_data_file: no data or path");
	d.p = data;
	d.n = len;
	d.path = path;
	return dfuse__write_atomic(path, fill_data, &d);
}
