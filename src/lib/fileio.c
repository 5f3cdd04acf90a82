/*
 * fileio.c - reading input files under a size limit; writing output files
 * atomically (git_filebuf_commit(): temporary file, fsync, rename).
 *
 * Every file output of the library (DfuSe, HEX, S-record, binary, the
 * data files of dfuse_write_data_file(), each file of a file set) goes
 * through dfuse__out_open() .. dfuse__out_place() below, so the rules
 * live in one place: a regular destination is replaced by rename from a
 * temporary file created beside it with O_EXCL|O_NOFOLLOW; a device or a
 * FIFO is written through the one descriptor that was opened and
 * checked; a descriptor name (/dev/stdout, /dev/fd/N) is that descriptor.
 * Live temporary files are listed for dfuse_temp_files_remove().
 */
#include "fileio.h"
#include "err.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
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

int dfuse__read_file(uint8_t **out, size_t *len, const char *path, size_t max)
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

/* ======== Output: the one writer every file output goes through ======== */

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

/*
 * The live temporary files, for dfuse_temp_files_remove() in a signal
 * handler.  A list that only grows: a slot is claimed with a
 * compare-and-swap (FREE -> BUSY), filled, then published (LIVE); giving
 * it back is one store (FREE).  The handler only loads pointers and
 * states and calls unlink(2), so it never sees a name being rewritten and
 * never takes a lock (both would be unsafe in a handler).  Slots are
 * never freed: their number is the most temporary files ever open at
 * once (a file set's size).
 */
enum { SLOT_FREE = 0, SLOT_BUSY, SLOT_LIVE };

struct dfuse__tempslot {
	struct dfuse__tempslot *next;
	int state;
	size_t cap;
	char *name;
};

static struct dfuse__tempslot *live_head;

static struct dfuse__tempslot *slot_claim(const char *name)
{
	struct dfuse__tempslot *s;
	size_t n = strlen(name) + 1;

	for (s = __atomic_load_n(&live_head, __ATOMIC_ACQUIRE); s != NULL;
	     s = s->next) {
		int want = SLOT_FREE;

		if (__atomic_compare_exchange_n(&s->state, &want, SLOT_BUSY, 0,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			break;
	}
	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return NULL;
		s->state = SLOT_BUSY;
		s->next = __atomic_load_n(&live_head, __ATOMIC_ACQUIRE);
		while (!__atomic_compare_exchange_n(&live_head, &s->next, s, 0,
						    __ATOMIC_ACQ_REL,
						    __ATOMIC_ACQUIRE))
			;
	}
	if (s->cap < n) {
		char *m = realloc(s->name, n);

		if (m == NULL) {
			__atomic_store_n(&s->state, SLOT_FREE,
					 __ATOMIC_RELEASE);
			return NULL;
		}
		s->name = m;
		s->cap = n;
	}
	memcpy(s->name, name, n);
	__atomic_store_n(&s->state, SLOT_LIVE, __ATOMIC_RELEASE);
	return s;
}

static void slot_release(struct dfuse__tempslot *s)
{
	if (s != NULL)
		__atomic_store_n(&s->state, SLOT_FREE, __ATOMIC_RELEASE);
}

void dfuse_temp_files_remove(void)
{
	const struct dfuse__tempslot *s;

	for (s = __atomic_load_n(&live_head, __ATOMIC_ACQUIRE); s != NULL;
	     s = s->next)
		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SLOT_LIVE)
			(void)unlink(s->name);
}

/*
 * A name that means an open descriptor: /dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N.  Written through that descriptor, never
 * renamed over (as root, renaming over /dev/stdout would replace the
 * symlink itself).  @return the descriptor, or -1.
 */
static int named_fd(const char *path)
{
	const char *p = NULL;
	char *end;
	long v;

	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		p = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		p = path + 14;
	if (p == NULL || *p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtol(p, &end, 10);
	if (errno != 0 || *end != '\0' || v > 1000000)
		return -1;
	return (int)v;
}

/*
 * Creates the temporary file for a regular destination: ".NAME.XXXXXX.tmp"
 * in the destination's directory (so that rename(2) is atomic and a
 * leftover is found beside the output, hidden, and recognisable), with
 * O_CREAT|O_EXCL|O_NOFOLLOW: a name that exists, even as a symlink, is
 * never opened.  Mode 0666 less the umask (open applies it), or `keep`'s
 * permission bits when an existing file is replaced.
 */
static int temp_create(struct dfuse__out *o, const char *path, int keep_mode,
		       mode_t keep)
{
	static unsigned long counter;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dirlen = (size_t)(base - path), blen = strlen(base), len;
	unsigned long x;
	int tries, fd = -1, blocked;
	sigset_t all, old;
	char *tmp;

	/* ".", ".XXXXXX", ".tmp": the name stays within NAME_MAX (255) */
	if (blen > 255 - 12)
		blen = 255 - 12;
	len = dirlen + 1 + blen + 12 + 1;
	tmp = malloc(len);
	if (tmp == NULL)
		return dfuse__oom();
	x = (unsigned long)getpid() * 2654435761u ^ (unsigned long)time(NULL) ^
	    (unsigned long)(uintptr_t)&tries;
	/*
	 * Signals wait while the file is created and registered, so that a
	 * handler calling dfuse_temp_files_remove() sees either no file or a
	 * registered one: never one created and not yet listed (it would
	 * be left behind), and never a name listed before it is ours (it
	 * could remove someone else's file).  The caller's mask comes back
	 * at once; a signal sent meanwhile is delivered then.
	 */
	sigfillset(&all);
	blocked = pthread_sigmask(SIG_BLOCK, &all, &old) == 0;
	for (tries = 0; tries < 100; tries++) {
		static const char digits[] =
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789";
		char rnd[7];
		unsigned long r;
		int i;

		x = x * 6364136223846793005u + 1442695040888963407u +
		    __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
		for (i = 0, r = x >> 8; i < 6; i++, r /= 62)
			rnd[i] = digits[r % 62];
		rnd[6] = '\0';
		snprintf(tmp, len, "%.*s.%.*s.%s.tmp", (int)dirlen, path,
			 (int)blen, base, rnd);
		fd = open(tmp,
			  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int rc = dfuse__error_os(DFUSE_EIO,
					 "cannot create a temporary file for "
					 "'%s'",
					 path);

		if (blocked)
			pthread_sigmask(SIG_SETMASK, &old, NULL);
		free(tmp);
		return rc;
	}
	o->slot = slot_claim(tmp);
	if (blocked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (o->slot == NULL) {
		close(fd);
		unlink(tmp);
		free(tmp);
		return dfuse__oom();
	}
	/* the replaced file's permissions, as install -C keeps them; never
	 * its set-id bits */
	if (keep_mode)
		(void)fchmod(fd, keep & 0777);
	o->fd = fd;
	o->tmp = tmp;
	return 0;
}

int dfuse__out_open(struct dfuse__out *o, const char *path, unsigned flags)
{
	struct stat st;
	int fd, keep_mode = 0, nfd;

	memset(o, 0, sizeof(*o));
	memset(&st, 0, sizeof(st));
	o->fd = -1;
	o->path = path;
	nfd = named_fd(path);
	if (nfd >= 0) {
		if (flags & DFUSE__OUT_FILE_ONLY)
			return dfuse__error(DFUSE_EINVAL,
					    "'%s' is a descriptor, not a file",
					    path);
		o->fd = fcntl(nfd, F_DUPFD_CLOEXEC, 3);
		if (o->fd < 0)
			return dfuse__error_os(DFUSE_EIO, "cannot write '%s'",
					       path);
		o->direct = 1;
		return 0;
	}
	/*
	 * Opened once, without O_CREAT or O_TRUNC, to learn what the name is
	 * right now: a device or a FIFO is written through this descriptor
	 * (no stat-then-open by name to race with); anything else is left
	 * as it is and replaced by rename.  O_NOFOLLOW, except under /dev/
	 * where names are symlinks to devices (/dev/null, /dev/tty...): a
	 * symlink elsewhere is replaced, never written through.  A regular
	 * file found through a /dev/ symlink is replaced by name too.
	 */
	fd = open(path,
		  O_WRONLY | O_NOCTTY | O_CLOEXEC |
			  (strncmp(path, "/dev/", 5) == 0 ? 0 : O_NOFOLLOW) |
			  /* a file set never waits for a FIFO's reader */
			  (flags & DFUSE__OUT_FILE_ONLY ? O_NONBLOCK : 0));
	if (fd < 0 && errno == ENXIO && (flags & DFUSE__OUT_FILE_ONLY))
		return dfuse__error(DFUSE_EINVAL,
				    "'%s' exists and is not a regular file",
				    path);
	if (fd < 0 && errno == EISDIR)
		return dfuse__error(DFUSE_EINVAL,
				    "'%s' is a directory, not a regular file",
				    path);
	if (fd >= 0) {
		if (fstat(fd, &st) != 0) {
			int rc = dfuse__error_os(DFUSE_EIO, "cannot stat '%s'",
						 path);

			close(fd);
			return rc;
		}
		if (flags & DFUSE__OUT_NO_CLOBBER) {
			close(fd);
			errno = EEXIST;
			return dfuse__error_os(DFUSE_EIO,
					       "'%s' is not replaced", path);
		}
		if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ||
		    S_ISSOCK(st.st_mode)) {
			if (flags & DFUSE__OUT_FILE_ONLY) {
				close(fd);
				return dfuse__error(DFUSE_EINVAL,
						    "'%s' exists and is not a "
						    "regular file",
						    path);
			}
			o->fd = fd;
			o->direct = 1;
			return 0;
		}
		close(fd);
		if (!S_ISREG(st.st_mode))
			return dfuse__error(DFUSE_EINVAL,
					    "'%s' is not a regular file, a "
					    "character device or a FIFO",
					    path);
		keep_mode = 1;
	} else if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		keep_mode = 1; /* not writable by us, but replaceable */
	}
	if ((flags & DFUSE__OUT_NO_CLOBBER) && lstat(path, &st) == 0) {
		errno = EEXIST;
		return dfuse__error_os(DFUSE_EIO, "'%s' is not replaced", path);
	}
	return temp_create(o, path, keep_mode, st.st_mode);
}

int dfuse__out_close(struct dfuse__out *o)
{
	int rc = 0;

	if (o->fd < 0)
		return 0;
	/* fsync before rename: after a crash the name holds the old file or
	 * the whole new one, never an empty or partial one */
	if (!o->direct && fsync(o->fd) != 0)
		rc = dfuse__error_os(DFUSE_EIO, "cannot write '%s'", o->path);
	if (close(o->fd) != 0 && rc == 0)
		rc = dfuse__error_os(DFUSE_EIO, "cannot write '%s'", o->path);
	o->fd = -1;
	if (rc < 0)
		dfuse__out_discard(o);
	return rc;
}

/*
 * No clobber: link(2) fails if the name exists, so the check and the move
 * are one step; where the file system has no hard links, the existence
 * is checked just before a rename.
 */
int dfuse__out_place(struct dfuse__out *o, unsigned flags)
{
	struct stat st;
	int rc = 0;

	if (o->tmp == NULL)
		return 0; /* written directly */
	if (!(flags & DFUSE__OUT_NO_CLOBBER)) {
		if (rename(o->tmp, o->path) != 0)
			rc = dfuse__error_os(DFUSE_EIO,
					     "cannot rename '%s' to '%s'",
					     o->tmp, o->path);
	} else if (link(o->tmp, o->path) == 0) {
		unlink(o->tmp);
	} else if (errno == EEXIST || lstat(o->path, &st) == 0) {
		errno = EEXIST;
		rc = dfuse__error_os(DFUSE_EIO, "'%s' is not replaced",
				     o->path);
	} else if (rename(o->tmp, o->path) != 0) {
		rc = dfuse__error_os(DFUSE_EIO, "cannot rename '%s' to '%s'",
				     o->tmp, o->path);
	}
	if (rc < 0) {
		dfuse__out_discard(o);
		return rc;
	}
	slot_release(o->slot);
	o->slot = NULL;
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

void dfuse__out_discard(struct dfuse__out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp != NULL)
		unlink(o->tmp);
	slot_release(o->slot);
	o->slot = NULL;
	free(o->tmp);
	o->tmp = NULL;
}

int dfuse__write_atomic(const char *path, unsigned flags,
			int (*fill)(int fd, void *ctx), void *ctx)
{
	struct dfuse__out o;
	int rc;

	DFUSE__TRY(dfuse__out_open(&o, path, flags));
	rc = fill(o.fd, ctx);
	if (rc < 0) {
		dfuse__out_discard(&o);
		return rc;
	}
	DFUSE__TRY(dfuse__out_close(&o));
	return dfuse__out_place(&o, flags);
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
	return dfuse__write_atomic(path, 0, fill_data, &d);
}
