/*
 * fileio.c - reading input files under a size limit.
 */
#include "fileio.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
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
