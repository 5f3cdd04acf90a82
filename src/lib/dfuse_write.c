/*
 * dfuse_write.c - image -> DfuSe bytes, in memory or atomically to a file.
 *
 * Layout written (UM0391 §2, all little-endian; dfuse_read.c has the map):
 *   prefix   "DfuSe" | bVersion 0x01 | DFUImageSize | bTargets
 *   target   "Target" | bAlternateSetting | bTargetNamed (u32) |
 *            szTargetName[255] | dwTargetSize | dwNbElements
 *   element  dwElementAddress | dwElementSize | data
 *   suffix   bcdDevice | idProduct | idVendor | bcdDFU 0x011A | "UFD" |
 *            bLength 16 | dwCRC
 *
 * DFUImageSize is the file size minus the 16-byte suffix: fwupd rejects
 * anything else and most writers agree (UM0391 §2.1).  dwCRC is ~crc32 of
 * every byte before it (DFU 1.1 Appendix B).
 *
 * Both outputs stream through one serialiser with a running CRC, so the
 * file writer never holds a second copy of the image in memory.  The same
 * sinks (sink.h) carry the other formats (out_ihex.c, out_srec.c,
 * out_bin.c).  The file outputs and the file set at the end of this file
 * write through fileio.c's one writer (dfuse__out_*), which decides how a
 * destination is opened, replaced and cleaned up.
 */
#include "common.h"
#include "err.h"
#include "fileio.h"
#include "image.h"
#include "sink.h"
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

/* ======== DfuSe serialiser ======== */

struct crc_put {
	struct dfuse__sink *s;
	uint32_t crc; /* running zlib state over everything written */
};

static int put(struct crc_put *c, const void *p, size_t n)
{
	c->crc = dfuse__crc_update(c->crc, p, n);
	return dfuse__sink_put(c->s, p, n);
}

int dfuse__dfuse_emit(struct dfuse__sink *s, const dfuse_image *img,
		      const dfuse_write_options *opts)
{
	uint8_t hdr[DFUSE__TARGET_PREFIX_LEN];
	struct crc_put c = {s, 0};
	uint64_t total;
	size_t i, j;

	(void)opts;
	DFUSE__TRY(layout(&total, img));

	/* Prefix */
	memcpy(hdr, "DfuSe", 5);
	hdr[5] = 0x01; /* bVersion */
	dfuse__put_le32(hdr + 6, (uint32_t)(total - DFUSE__SUFFIX_LEN));
	hdr[10] = (uint8_t)img->n; /* bTargets */
	DFUSE__TRY(put(&c, hdr, DFUSE__PREFIX_LEN));

	for (i = 0; i < img->n; i++) {
		const struct target *t = &img->t[i];
		uint64_t tsize = 0;

		for (j = 0; j < t->n; j++)
			tsize += DFUSE__ELEMENT_HEADER_LEN +
				 (uint64_t)t->el[j].size;
		/* Target prefix */
		memcpy(hdr, "Target", 6);
		hdr[6] = t->alt;		    /* bAlternateSetting */
		dfuse__put_le32(hdr + 7, t->named); /* bTargetNamed */
		memcpy(hdr + 11, t->name_raw,
		       DFUSE__NAME_LEN);		     /* szTargetName */
		dfuse__put_le32(hdr + 266, (uint32_t)tsize); /* dwTargetSize */
		dfuse__put_le32(hdr + 270, (uint32_t)t->n);  /* dwNbElements */
		DFUSE__TRY(put(&c, hdr, DFUSE__TARGET_PREFIX_LEN));

		for (j = 0; j < t->n; j++) {
			const struct element *e = &t->el[j];

			dfuse__put_le32(hdr, e->address);
			dfuse__put_le32(hdr + 4, e->size);
			DFUSE__TRY(put(&c, hdr, DFUSE__ELEMENT_HEADER_LEN));
			if (e->size > 0)
				DFUSE__TRY(put(&c, e->data, e->size));
		}
	}

	/* Suffix; the CRC covers its first 12 bytes too */
	dfuse__put_le16(hdr, img->ids.bcd_device);
	dfuse__put_le16(hdr + 2, img->ids.id_product);
	dfuse__put_le16(hdr + 4, img->ids.id_vendor);
	dfuse__put_le16(hdr + 6, 0x011A); /* bcdDFU: DfuSe */
	memcpy(hdr + 8, "UFD", 3);
	hdr[11] = DFUSE__SUFFIX_LEN; /* bLength */
	DFUSE__TRY(put(&c, hdr, 12));
	dfuse__put_le32(hdr + 12, ~c.crc);
	return dfuse__sink_put(s, hdr + 12, 4);
}

/* ======== Formats ======== */

static int emitter(dfuse__emit_fn *out, const dfuse_image *img,
		   const dfuse_write_options *opts)
{
	if (img == NULL)
		return dfuse__error(DFUSE_EINVAL, "image is NULL");
	if (img->read_errors > 0)
		return dfuse__image_check_data(img);
	if (opts != NULL)
		DFUSE__TRY(dfuse__check_version("dfuse_write_options",
						opts->version,
						DFUSE_WRITE_OPTIONS_VERSION));
	switch (opts ? opts->format : DFUSE_FORMAT_DFUSE) {
	case DFUSE_FORMAT_DFUSE:
		*out = dfuse__dfuse_emit;
		return 0;
	case DFUSE_FORMAT_IHEX:
		*out = dfuse__ihex_emit;
		break;
	case DFUSE_FORMAT_SREC:
		*out = dfuse__srec_emit;
		break;
	case DFUSE_FORMAT_BIN:
		*out = dfuse__bin_emit;
		break;
	case DFUSE_FORMAT_ELF:
	case DFUSE_FORMAT_UNKNOWN:
	default:
		return dfuse__error(DFUSE_EINVAL,
				    "cannot write format %d (%s): the output "
				    "formats are dfuse, ihex, srec and bin",
				    opts->format,
				    dfuse_format_name(opts->format));
	}
	return dfuse__image_check_target(img, opts->target);
}

/* ======== Memory output ======== */

static int mem_write(struct dfuse__sink *s, const void *p, size_t n)
{
	if (s->cap - s->used < n) {
		size_t cap = s->cap ? s->cap : 4096;
		uint8_t *m;

		while (cap - s->used < n)
			if (dfuse__mul_size(&cap, cap, 2))
				return dfuse__oom();
		m = realloc(s->mem, cap);
		if (m == NULL)
			return dfuse__oom();
		s->mem = m;
		s->cap = cap;
	}
	memcpy(s->mem + s->used, p, n);
	s->used += n;
	return 0;
}

int dfuse_write_as(void **out, size_t *out_len, const dfuse_image *img,
		   const dfuse_write_options *opts)
{
	struct dfuse__sink s;
	dfuse__emit_fn emit;
	uint64_t total;
	int rc;

	if (out == NULL || out_len == NULL)
		return dfuse__error(DFUSE_EINVAL, "dfuse_write: NULL argument");
	*out = NULL;
	*out_len = 0;
	DFUSE__TRY(emitter(&emit, img, opts));
	memset(&s, 0, sizeof(s));
	s.write = mem_write;
	if (emit == dfuse__dfuse_emit) {
		/* the exact size is known: one allocation */
		DFUSE__TRY(layout(&total, img));
		if (total > SIZE_MAX)
			return dfuse__error(DFUSE_ETOOBIG, "image too large");
		s.mem = malloc((size_t)total);
		if (s.mem == NULL)
			return dfuse__oom();
		s.cap = (size_t)total;
	}
	rc = emit(&s, img, opts);
	if (rc < 0) {
		free(s.mem);
		return rc;
	}
	if (s.mem == NULL)
		s.mem = malloc(1); /* an empty output is still a buffer */
	if (s.mem == NULL)
		return dfuse__oom();
	*out = s.mem;
	*out_len = s.used;
	return 0;
}

int dfuse_write(void **out, size_t *out_len, const dfuse_image *img)
{
	return dfuse_write_as(out, out_len, img, NULL);
}

/* ======== File output ======== */

#define SINK_BUF 65536

static int flush(struct dfuse__sink *s)
{
	int rc = dfuse__write_all(s->fd, s->mem, s->used, s->path);

	s->used = 0;
	return rc;
}

/* Small pieces gather in a buffer; large ones go straight to the file. */
static int file_write(struct dfuse__sink *s, const void *p, size_t n)
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

/* Emits into an open file descriptor; the caller closes it. */
static int write_fd(dfuse__emit_fn emit, const dfuse_image *img,
		    const dfuse_write_options *opts, int fd, const char *path)
{
	struct dfuse__sink s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.write = file_write;
	s.fd = fd;
	s.path = path;
	s.mem = malloc(SINK_BUF);
	if (s.mem == NULL)
		return dfuse__oom();
	rc = emit(&s, img, opts);
	if (rc == 0)
		rc = flush(&s);
	free(s.mem);
	return rc;
}

static unsigned out_flags(const dfuse_write_options *opts)
{
	return opts != NULL && (opts->flags & DFUSE_WRITE_NO_CLOBBER)
		       ? DFUSE__OUT_NO_CLOBBER
		       : 0;
}

struct emit_job {
	dfuse__emit_fn emit;
	const dfuse_image *img;
	const dfuse_write_options *opts;
	const char *path;
};

static int fill_emit(int fd, void *ctx)
{
	const struct emit_job *j = ctx;

	return write_fd(j->emit, j->img, j->opts, fd, j->path);
}

int dfuse_write_file_as(const dfuse_image *img, const char *path,
			const dfuse_write_options *opts)
{
	struct emit_job j;

	if (path == NULL || path[0] == '\0')
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_write_file: no image or path");
	DFUSE__TRY(emitter(&j.emit, img, opts));
	if (j.emit == dfuse__dfuse_emit) {
		uint64_t total;

		/* refuse before creating anything */
		DFUSE__TRY(layout(&total, img));
	}
	/* fileio.c's writer: a device or a pipe is written directly, which
	 * is safe because the emitters check everything before their first
	 * byte */
	j.img = img;
	j.opts = opts;
	j.path = path;
	return dfuse__write_atomic(path, out_flags(opts), fill_emit, &j);
}

int dfuse_write_file(const dfuse_image *img, const char *path)
{
	return dfuse_write_file_as(img, path, NULL);
}

/* ======== File sets: all or nothing ======== */

struct fs_entry {
	char *path;
	struct dfuse__out out; /* its temporary file until placed */
	unsigned flags;	       /* DFUSE__OUT_* */
	int placed;
};

struct dfuse_fileset {
	struct fs_entry *v;
	size_t n, cap;
	int state; /* OPEN, COMMITTED, or FAILED (by a failed commit) */
};

enum { OPEN = 0, COMMITTED, FAILED };

int dfuse_fileset_new(dfuse_fileset **out)
{
	if (out == NULL)
		return dfuse__error(DFUSE_EINVAL, "out is NULL");
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : dfuse__oom();
}

int dfuse_fileset_add(dfuse_fileset *fs, const dfuse_image *img,
		      const char *path, const dfuse_write_options *opts)
{
	struct fs_entry *e;
	dfuse__emit_fn emit;
	size_t i;
	int rc;

	if (fs == NULL || path == NULL || path[0] == '\0')
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_fileset_add: no set or path");
	if (fs->state != OPEN)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_fileset_add: the set was committed");
	DFUSE__TRY(emitter(&emit, img, opts));
	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].path, path) == 0)
			return dfuse__error(DFUSE_EINVAL,
					    "'%s' is written twice", path);
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		struct fs_entry *v = realloc(fs->v, cap * sizeof(*v));

		if (v == NULL)
			return dfuse__oom();
		fs->v = v;
		fs->cap = cap;
	}
	e = &fs->v[fs->n];
	memset(e, 0, sizeof(*e));
	e->path = strdup(path);
	if (e->path == NULL)
		return dfuse__oom();
	e->flags = out_flags(opts) | DFUSE__OUT_FILE_ONLY;
	rc = dfuse__out_open(&e->out, e->path, e->flags);
	if (rc == 0) {
		rc = write_fd(emit, img, opts, e->out.fd, e->path);
		if (rc < 0)
			dfuse__out_discard(&e->out);
		else
			rc = dfuse__out_close(&e->out);
	}
	if (rc < 0) {
		free(e->path);
		return rc;
	}
	fs->n++;
	return 0;
}

int dfuse_fileset_commit(dfuse_fileset *fs)
{
	size_t i;
	int rc = 0;

	if (fs == NULL)
		return dfuse__error(DFUSE_EINVAL, "dfuse_fileset_commit: NULL");
	if (fs->state != OPEN)
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_fileset_commit: the set was "
				    "committed");
	for (i = 0; i < fs->n && rc == 0; i++) {
		rc = dfuse__out_place(&fs->v[i].out, fs->v[i].flags);
		if (rc == 0)
			fs->v[i].placed = 1;
	}
	if (rc < 0) {
		/* all or nothing: take back what was placed, and drop the
		 * temporary files not placed yet */
		for (i = 0; i < fs->n; i++) {
			if (fs->v[i].placed) {
				unlink(fs->v[i].path);
				fs->v[i].placed = 0;
			}
			dfuse__out_discard(&fs->v[i].out);
		}
		fs->state = FAILED;
		return rc;
	}
	fs->state = COMMITTED;
	return 0;
}

void dfuse_fileset_free(dfuse_fileset *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->n; i++) {
		dfuse__out_discard(&fs->v[i].out);
		free(fs->v[i].path);
	}
	free(fs->v);
	free(fs);
}
