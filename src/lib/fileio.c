/*
 * fileio.c - reading a whole input file under a size limit.
 */
#include "fileio.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int too_big(unsigned long long have, size_t max)
{
	return dfuse__error(DFUSE_ETOOBIG,
			    "input is %llu bytes, over the input limit of "
			    "%zu bytes (max_size)",
			    have, max);
}

int dfuse__read_file(uint8_t **out, size_t *len, const char *path,
		     size_t max)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t cap, used = 0;
	int fd, rc = 0;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dfuse__error_os(DFUSE_EIO, "cannot open");
	if (fstat(fd, &st) != 0) {
		rc = dfuse__error_os(DFUSE_EIO, "cannot stat");
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = dfuse__error(DFUSE_EIO, "is a directory");
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size > max) {
			rc = too_big((unsigned long long)st.st_size, max);
			goto out;
		}
		cap = (size_t)st.st_size + 1; /* +1 sees growth while read */
	} else {
		cap = 65536;
	}
	buf = malloc(cap);
	if (buf == NULL) {
		rc = dfuse__oom();
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (used == cap) {
			size_t ncap;
			uint8_t *nbuf;

			if (cap > max) {
				rc = too_big((unsigned long long)used, max);
				goto out;
			}
			ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nbuf = realloc(buf, ncap);
			if (nbuf == NULL) {
				rc = dfuse__oom();
				goto out;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = dfuse__error_os(DFUSE_EIO, "cannot read");
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (used > max) {
		rc = too_big((unsigned long long)used, max);
		goto out;
	}
	*out = buf;
	*len = used;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}
