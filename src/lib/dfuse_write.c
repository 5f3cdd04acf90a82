/*
 * dfuse_write.c - image -> DfuSe bytes, in memory or atomically to a file.
 *
 * Layout written (facts 5, all little-endian; dfuse_read.c has the map):
 *   prefix   "DfuSe" | bVersion 0x01 | DFUImageSize | bTargets
 *   target   "Target" | bAlternateSetting | bTargetNamed (u32) |
 *            szTargetName[255] | dwTargetSize | dwNbElements
 *   element  dwElementAddress | dwElementSize | data
 *   suffix   bcdDevice | idProduct | idVendor | bcdDFU 0x011A | "UFD" |
 *            bLength 16 | dwCRC
 *
 * DFUImageSize is the file size minus the 16-byte suffix: fwupd rejects
 * anything else and most writers agree (facts 5.1).  dwCRC is ~crc32 of
 * every byte before it (facts 5.5).
 *
 * Both outputs stream through one serialiser with a running CRC, so the
 * file writer never holds a second copy of the image in memory.
 */
#include "common.h"
#include "err.h"
#include "image.h"
#include "suffix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ======== Sizes ======== */

/* Checks the image fits the format; returns the file size in *total. */
static int layout(uint64_t *total, const dfuse_image *img)
{
	uint64_t sum = DFUSE__PREFIX_LEN + DFUSE__SUFFIX_LEN;
	size_t i, j;

	if (img->n > DFUSE__MAX_TARGETS)
		return dfuse__error(DFUSE_ETOOBIG,
				    "%zu targets, a DfuSe file holds at most "
				    "%d",
				    img->n, DFUSE__MAX_TARGETS);
	for (i = 0; i < img->n; i++) {
		const struct target *t = &img->t[i];
		uint64_t tsize = 0;

		if (t->n > UINT32_MAX)
			return dfuse__error(DFUSE_ETOOBIG,
					    "target %zu has %zu elements, more "
					    "than dwNbElements holds",
					    i, t->n);
		for (j = 0; j < t->n; j++) {
			if (t->el[j].data == NULL && t->el[j].size > 0)
				return dfuse__error(
					DFUSE_EINVAL,
					"target %zu element %zu was read "
					"without its data (DFUSE_READ_NO_DATA)",
					i, j);
			tsize += DFUSE__ELEMENT_HEADER_LEN +
				 (uint64_t)t->el[j].size;
		}
		if (tsize > UINT32_MAX)
			return dfuse__error(DFUSE_ETOOBIG,
					    "target %zu holds %llu bytes, more "
					    "than dwTargetSize holds",
					    i, (unsigned long long)tsize);
		sum += DFUSE__TARGET_PREFIX_LEN + tsize;
	}
	if (sum - DFUSE__SUFFIX_LEN > UINT32_MAX)
		return dfuse__error(DFUSE_ETOOBIG,
				    "the image would be %llu bytes, more than "
				    "DFUImageSize holds",
				    (unsigned long long)sum);
	*total = sum;
	return 0;
}

/* ======== Serialiser ======== */

#define SINK_BUF 65536

struct sink {
	int (*write)(struct sink *s, const void *p, size_t n);
	uint32_t crc; /* running zlib state over everything written */
	uint8_t *mem; /* memory sink: the output; file sink: small pieces */
	size_t used;
	int fd; /* file sink */
	const char *path;
};

static int put(struct sink *s, const void *p, size_t n)
{
	s->crc = dfuse__crc_update(s->crc, p, n);
	return s->write(s, p, n);
}

static int serialise(struct sink *s, const dfuse_image *img, uint64_t total)
{
	uint8_t hdr[DFUSE__TARGET_PREFIX_LEN];
	size_t i, j;

	/* Prefix */
	memcpy(hdr, "DfuSe", 5);
	hdr[5] = 0x01; /* bVersion */
	dfuse__put_le32(hdr + 6, (uint32_t)(total - DFUSE__SUFFIX_LEN));
	hdr[10] = (uint8_t)img->n; /* bTargets */
	DFUSE__TRY(put(s, hdr, DFUSE__PREFIX_LEN));

	for (i = 0; i < img->n; i++) {
		const struct target *t = &img->t[i];
		uint64_t tsize = 0;

		for (j = 0; j < t->n; j++)
			tsize += DFUSE__ELEMENT_HEADER_LEN +
				 (uint64_t)t->el[j].size;
		/* Target prefix */
		memcpy(hdr, "Target", 6);
		hdr[6] = t->alt;                          /* bAlternateSetting */
		dfuse__put_le32(hdr + 7, t->named);       /* bTargetNamed */
		memcpy(hdr + 11, t->name_raw, DFUSE__NAME_LEN); /* szTargetName */
		dfuse__put_le32(hdr + 266, (uint32_t)tsize);  /* dwTargetSize */
		dfuse__put_le32(hdr + 270, (uint32_t)t->n);   /* dwNbElements */
		DFUSE__TRY(put(s, hdr, DFUSE__TARGET_PREFIX_LEN));

		for (j = 0; j < t->n; j++) {
			const struct element *e = &t->el[j];

			dfuse__put_le32(hdr, e->address);
			dfuse__put_le32(hdr + 4, e->size);
			DFUSE__TRY(put(s, hdr, DFUSE__ELEMENT_HEADER_LEN));
			if (e->size > 0)
				DFUSE__TRY(put(s, e->data, e->size));
		}
	}

	/* Suffix; the CRC covers its first 12 bytes too */
	dfuse__put_le16(hdr, img->ids.bcd_device);
	dfuse__put_le16(hdr + 2, img->ids.id_product);
	dfuse__put_le16(hdr + 4, img->ids.id_vendor);
	dfuse__put_le16(hdr + 6, 0x011A); /* bcdDFU: DfuSe */
	memcpy(hdr + 8, "UFD", 3);
	hdr[11] = DFUSE__SUFFIX_LEN; /* bLength */
	DFUSE__TRY(put(s, hdr, 12));
	dfuse__put_le32(hdr + 12, ~s->crc);
	return s->write(s, hdr + 12, 4);
}

/* ======== Memory output ======== */

static int mem_write(struct sink *s, const void *p, size_t n)
{
	memcpy(s->mem + s->used, p, n);
	s->used += n;
	return 0;
}

int dfuse_write(void **out, size_t *out_len, const dfuse_image *img)
{
	struct sink s;
	uint64_t total;
	int rc;

	if (out == NULL || out_len == NULL || img == NULL)
		return dfuse__error(DFUSE_EINVAL, "dfuse_write: NULL argument");
	*out = NULL;
	*out_len = 0;
	DFUSE__TRY(layout(&total, img));
	if (total > SIZE_MAX)
		return dfuse__error(DFUSE_ETOOBIG, "image too large");
	memset(&s, 0, sizeof(s));
	s.write = mem_write;
	s.mem = malloc((size_t)total);
	if (s.mem == NULL)
		return dfuse__oom();
	rc = serialise(&s, img, total);
	if (rc < 0) {
		free(s.mem);
		return rc;
	}
	*out = s.mem;
	*out_len = s.used;
	return 0;
}

/* ======== Atomic file output ======== */

static int write_all(struct sink *s, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(s->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return dfuse__error_os(DFUSE_EIO, "cannot write '%s'",
					       s->path);
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush(struct sink *s)
{
	int rc = write_all(s, s->mem, s->used);

	s->used = 0;
	return rc;
}

/* Headers gather in a buffer; element data goes straight to the file. */
static int file_write(struct sink *s, const void *p, size_t n)
{
	if (s->used + n <= SINK_BUF) {
		memcpy(s->mem + s->used, p, n);
		s->used += n;
		return 0;
	}
	DFUSE__TRY(flush(s));
	if (n < SINK_BUF / 2) {
		memcpy(s->mem, p, n);
		s->used = n;
		return 0;
	}
	return write_all(s, p, n);
}

/* Serialises into an open file descriptor; the caller closes it. */
static int write_fd(const dfuse_image *img, int fd, const char *path,
		    uint64_t total, int sync)
{
	struct sink s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.write = file_write;
	s.fd = fd;
	s.path = path;
	s.mem = malloc(SINK_BUF);
	if (s.mem == NULL)
		return dfuse__oom();
	rc = serialise(&s, img, total);
	if (rc == 0)
		rc = flush(&s);
	if (rc == 0 && sync && fsync(fd) != 0)
		rc = dfuse__error_os(DFUSE_EIO, "cannot write '%s'", path);
	free(s.mem);
	return rc;
}

static mode_t current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

int dfuse_write_file(const dfuse_image *img, const char *path)
{
	struct stat st;
	uint64_t total;
	char *tmp;
	size_t len;
	int fd, rc;

	if (img == NULL || path == NULL || path[0] == '\0')
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_write_file: no image or path");
	DFUSE__TRY(layout(&total, img));
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device, a pipe, /dev/stdout: nothing to rename over. */
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return dfuse__error_os(DFUSE_EIO, "cannot open '%s'",
					       path);
		rc = write_fd(img, fd, path, total, 0);
		if (close(fd) != 0 && rc == 0)
			rc = dfuse__error_os(DFUSE_EIO, "cannot write '%s'",
					     path);
		return rc;
	}

	/* <path>.XXXXXX in the same directory, so rename() is atomic. */
	len = strlen(path) + 8;
	tmp = malloc(len);
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
	/* fsync before rename: after a crash the name holds the old file or
	 * the whole new one, never an empty or partial one */
	rc = write_fd(img, fd, path, total, 1);
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
