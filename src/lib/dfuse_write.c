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
#include "fileio.h"
#include "image.h"
#include "suffix.h"

#include <stdlib.h>
#include <string.h>

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

static int flush(struct sink *s)
{
	int rc = dfuse__write_all(s->fd, s->mem, s->used, s->path);

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
	return dfuse__write_all(s->fd, p, n, s->path);
}

struct file_job {
	const dfuse_image *img;
	const char *path;
	uint64_t total;
};

/* Serialises into an open file descriptor (dfuse__write_atomic's fill). */
static int write_fd(int fd, void *ctx)
{
	const struct file_job *job = ctx;
	struct sink s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.write = file_write;
	s.fd = fd;
	s.path = job->path;
	s.mem = malloc(SINK_BUF);
	if (s.mem == NULL)
		return dfuse__oom();
	rc = serialise(&s, job->img, job->total);
	if (rc == 0)
		rc = flush(&s);
	free(s.mem);
	return rc;
}

int dfuse_write_file(const dfuse_image *img, const char *path)
{
	struct file_job job;

	if (img == NULL || path == NULL || path[0] == '\0')
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_write_file: no image or path");
	DFUSE__TRY(layout(&job.total, img));
	job.img = img;
	job.path = path;
	return dfuse__write_atomic(path, write_fd, &job);
}
