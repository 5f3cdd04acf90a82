/*
 * dfuse_read.c - DfuSe (.dfu) bytes -> image model, plus a report of every
 * problem found on the way (UM0391 §2, the DfuSe file format; the suffix
 * of the DFU 1.1 specification, appendix B).
 *
 * ======== The container ========
 *
 * All integers are little-endian.  UM0391's text says "Big Endian", but
 * every implementation (dfu-util, fwupd, dfuse-pack, ST's own files) writes
 * little-endian.
 *
 *   Prefix: 11 bytes at offset 0
 *     +0     5  szSignature        "DfuSe"
 *     +5     1  bVersion           0x01
 *     +6     4  DFUImageSize       file size - 16 (fwupd, hex2dfu, ...);
 *                                  dfu-util's dfuse-pack writes the file
 *                                  size; dfu-util never checks it
 *     +10    1  bTargets           number of targets that follow
 *
 *   Target: a 274-byte target prefix, then its elements; bTargets times
 *     +0     6  szSignature        "Target"
 *     +6     1  bAlternateSetting  DFU alternate setting of the target
 *     +7     4  bTargetNamed       boolean; tools write 1
 *     +11  255  szTargetName       NUL-padded name ("ST..." from dfuse-pack)
 *     +266   4  dwTargetSize       sum over its elements of 8 + dwElementSize
 *     +270   4  dwNbElements       number of elements that follow
 *
 *   Element: an 8-byte header, then the data; dwNbElements times
 *     +0     4  dwElementAddress   where the data goes
 *     +4     4  dwElementSize      bytes of data
 *     +8     dwElementSize bytes of data
 *
 *   Suffix: the last 16 bytes of the file (DFU 1.1 suffix, bcdDFU DfuSe)
 *     +0     2  bcdDevice          firmware version; 0xFFFF: any
 *     +2     2  idProduct          0xFFFF: any
 *     +4     2  idVendor           0xFFFF: any
 *     +6     2  bcdDFU             0x011A for DfuSe
 *     +8     3  ucDfuSignature     'U' 'F' 'D'
 *     +11    1  bLength            16
 *     +12    4  dwCRC              ~crc32 (zlib) of every byte before it
 *
 * There is no padding between targets or elements.
 *
 * ======== How the reader lays the bytes out ========
 *
 *  - The prefix is bytes [0, 11) when the file has at least 11 bytes.
 *  - The suffix is the last 16 bytes whenever the file has at least 16
 *    bytes, whatever they hold: target data lies in [11, size - 16).  In a
 *    file of 16 to 26 bytes the two overlap, and no target fits.
 *  - A file that does not start with "DfuSe" (or with its first bytes,
 *    when shorter) and has no "Target" at offset 11 is not DfuSe at all:
 *    it gets one "not-dfuse" error that names what it is (a plain DFU
 *    1.x file with a valid suffix, found by dfuse__find_dfu_suffix(); ELF,
 *    Intel HEX or S-record by dfuse_format_detect(); else its first 16
 *    bytes), and nothing else is read.
 *  - Targets and elements follow each other from offset 11.  dwNbElements
 *    says how many elements a target has (as in dfu-util and fwupd);
 *    dwTargetSize is only compared with what was found.  The exception: a
 *    dwNbElements that the bytes left cannot hold (each element takes at
 *    least 8) is certainly wrong, and then, when dwTargetSize fits in the
 *    bytes left, it marks where the target ends, so that the next target
 *    can still be read.  In every case elements are read only while bytes
 *    remain, so a count of 0xFFFFFFFF costs nothing.
 *  - dwNbElements too big: an element header is never read from a target
 *    prefix ("Target" and 274 bytes; as an element it would be at
 *    0x67726154, in no known memory) nor from the suffix: the elements end
 *    there, and element-count-mismatch says by how much the count is
 *    probably too big.
 *  - Every byte in [11, suffix) must belong to a target prefix or an
 *    element.  Bytes that do not are an error ("trailing-bytes"), since
 *    their data would be dropped.  Their diagnosis, in the message: when
 *    they start with a run of plausible element headers (an address in a
 *    memory region of any built-in device profile, a non-zero size that
 *    fits the bytes left), "they hold an element for 0x08100000 (1212
 *    bytes) ...: dwNbElements of target 0 is probably N too small", and
 *    whether the target's dwTargetSize agrees with the larger count;
 *    otherwise, when dwTargetSize covers them, that it does.  When a
 *    target prefix follows them (after the run of headers, or where the
 *    previous target's dwTargetSize ends), reading goes on there; else,
 *    before the last declared target, bad-target-signature (or
 *    truncated) carries the diagnosis.
 *  - After bTargets targets, bytes that start with "Target" are more
 *    targets than bTargets declares: they are read and counted (up to the
 *    255 a file can hold).
 *  - A target whose signature is wrong, or whose prefix does not fit,
 *    ends the reading of targets: where the next one would start is
 *    unknown.  So does an element that does not fit, unless the target's
 *    dwTargetSize points at bytes that start with "Target": reading
 *    resumes there.  The bytes skipped are covered by that error.  The
 *    suffix is always checked.
 *
 * ======== Findings ========
 *
 *   code                        severity  offset
 *   not-dfuse                   error     0     not DfuSe at all (alone)
 *   bad-prefix-signature        error     0
 *   unsupported-version         error     5     bVersion != 1
 *   image-size-includes-suffix  note      6     DFUImageSize == file size
 *   image-size-mismatch         warning   6     any other != file size - 16
 *   target-count-mismatch       error     10    bTargets != targets found
 *   no-targets                  warning   10    bTargets 0, none found
 *   truncated                   error     start of the structure cut short
 *   bad-target-signature        error     target prefix
 *   name-garbage                warning   non-printable byte in the name
 *                               note      bytes after its NUL, or
 *                                         bTargetNamed not 0 or 1
 *   element-count-mismatch      error     dwNbElements
 *   target-size-mismatch        warning   dwTargetSize (every byte owned;
 *                                         else an error comes with it)
 *   element-past-end            error     element data
 *   element-empty               warning   element header
 *   element-wraps               error     element header: address + size
 *                                         passes 0xFFFFFFFF
 *   element-overlap             error     header of the later element
 *   too-many-elements           error     the first header past
 *                                         DFUSE_MAX_ELEMENTS(max_size):
 *                                         reading stops there
 *   trailing-bytes              error     first byte belonging to nothing
 *   id-product-zero             note      idProduct
 *   bad-bcddfu                  error     bcdDFU
 *   bad-suffix-signature        error     ucDfuSignature
 *   bad-suffix-length           error     bLength
 *   crc-mismatch                error     dwCRC
 *
 * The report (report.c) counts every finding and keeps every error; past
 * 100 notes or warnings of one code, a too-many-findings note says how
 * many more there were.
 *
 * Every problem becomes a finding {severity, code, offset, target,
 * element, message}; lenient reads never stop at the first one.  A strict
 * read fails with the first error-level finding (else the first warning):
 * DFUSE_ECRC for "crc-mismatch", DFUSE_EFORMAT for the rest.  Structural
 * errors are the reader's business; policy (flash ranges, alignment, ...)
 * belongs to check.c, which this file does not call (doc/sources.md,
 * Architecture).
 *
 * Cost: one pass over the headers, one copy of each element's data, one
 * zlib CRC over the whole buffer, one sort per target for the overlap
 * check.  Nothing is allocated from a declared size before it has been
 * checked against the bytes present, and no byte of the file is copied
 * twice.  The model costs one record per element (no allocation: the
 * bytes stay in the blob), reserved once per target from the headers that
 * fit; an input gives at most DFUSE_MAX_ELEMENTS(max_size) of them, so
 * the records cost at most a fixed fraction of the byte limit (48 bytes
 * per element: 3 MiB at the default 64 MiB) whatever the file's shape.
 */
#include "err.h"
#include "fileio.h"
#include "image.h"
#include "rd.h"
#include "report.h"
#include "suffix.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PREFIX_LEN DFUSE__PREFIX_LEN		     /* 11 */
#define TARGET_PREFIX_LEN DFUSE__TARGET_PREFIX_LEN   /* 274 */
#define ELEMENT_HEADER_LEN DFUSE__ELEMENT_HEADER_LEN /* 8 */
#define SUFFIX_LEN DFUSE__SUFFIX_LEN		     /* 16 */

#define NONE SIZE_MAX /* no target / element index in a finding */

static const uint8_t prefix_sig[5] = {'D', 'f', 'u', 'S', 'e'};
static const uint8_t target_sig[6] = {'T', 'a', 'r', 'g', 'e', 't'};
static const uint8_t suffix_sig[3] = {'U', 'F', 'D'};

struct ctx {
	const uint8_t *buf; /* the whole file */
	size_t len;	    /* its size */
	size_t end;	    /* end of the target area: suffix start */
	unsigned int flags; /* DFUSE_READ_* */
	dfuse_image *img;
	dfuse_report *rep;
	struct dfuse__blob *blob; /* the elements' bytes, one copy of each */
	size_t used;		  /* bytes of `blob` handed out */
	int in_place;		  /* blob's bytes are buf: point, no copy */
	size_t max_size;	  /* the input byte limit */
	size_t max_elements;	  /* DFUSE_MAX_ELEMENTS(max_size) */
	size_t elements;	  /* elements read so far, all targets */
	int limited;		  /* stopped at max_elements: the rest of
				     the file is not read, nor counted */
};

/* How reading the targets goes on after one of them. */
enum { GOING = 0, STOPPED = 1 };

/* ======== Findings ======== */

static int as_index(size_t i)
{
	if (i == NONE)
		return -1;
	return i > (size_t)INT_MAX ? INT_MAX : (int)i;
}

static int vadd(struct ctx *c, unsigned int flags, int severity,
		const char *code, size_t offset, size_t target, size_t element,
		const char *fmt, va_list ap) DFUSE__PRINTF(8, 0);

static int vadd(struct ctx *c, unsigned int flags, int severity,
		const char *code, size_t offset, size_t target, size_t element,
		const char *fmt, va_list ap)
{
	dfuse_finding f;

	/* Every finding is counted; the report decides what it keeps and
	 * formats only that. */
	memset(&f, 0, sizeof(f));
	f.severity = severity;
	f.code = code;
	f.offset = (int64_t)offset;
	f.target = as_index(target);
	f.element = as_index(element);
	f.core = DFUSE_CORE_NONE;
	f.flags = flags;
	return dfuse__report_vadd_finding(c->rep, &f, fmt, ap);
}

/* A finding; an error leaves the file's data in doubt
 * (DFUSE_FINDING_DATA_UNUSABLE). */
static int add(struct ctx *c, int severity, const char *code, size_t offset,
	       size_t target, size_t element, const char *fmt, ...)
	DFUSE__PRINTF(7, 8);

static int add(struct ctx *c, int severity, const char *code, size_t offset,
	       size_t target, size_t element, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vadd(c,
		  severity == DFUSE_SEV_ERROR ? DFUSE_FINDING_DATA_UNUSABLE : 0,
		  severity, code, offset, target, element, fmt, ap);
	va_end(ap);
	return rc;
}

/* An error whose bytes are all accounted for, which a merge resolves:
 * the data stays usable. */
static int add_resolvable(struct ctx *c, const char *code, size_t offset,
			  size_t target, size_t element, const char *fmt, ...)
	DFUSE__PRINTF(6, 7);

static int add_resolvable(struct ctx *c, const char *code, size_t offset,
			  size_t target, size_t element, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vadd(c, 0, DFUSE_SEV_ERROR, code, offset, target, element, fmt,
		  ap);
	va_end(ap);
	return rc;
}

static int printable(uint8_t b)
{
	return b >= 0x20 && b < 0x7f;
}

/* "before the suffix", or "in the file" when the file has none. */
static const char *limit_name(const struct ctx *c)
{
	return c->len >= SUFFIX_LEN ? "before the suffix" : "in the file";
}

/* ======== Prefix ======== */

static int read_prefix(struct ctx *c, uint8_t *targets)
{
	dfuse_file_info *f = &c->img->file;
	uint8_t sig[5], version, count;
	uint32_t image_size;
	char shown[4 * sizeof(sig) + 1];
	struct rd r;

	*targets = 0;
	memcpy(f->signature, c->buf, c->len < 5 ? c->len : 5);
	if (c->len < PREFIX_LEN)
		return add(c, DFUSE_SEV_ERROR, "truncated", 0, NONE, NONE,
			   "prefix: needs %d bytes, only %zu left at offset "
			   "0x0",
			   PREFIX_LEN, c->len);
	rd_init(&r, c->buf, c->len);
	if (rd_bytes(&r, sig, sizeof(sig)) < 0 || rd_u8(&r, &version) < 0 ||
	    rd_le32(&r, &image_size) < 0 || rd_u8(&r, &count) < 0)
		return dfuse__error(DFUSE_ERROR, "prefix: internal error");
	f->has_prefix = 1;
	f->version = version;
	f->image_size = image_size;
	f->targets = count;
	*targets = count;

	if (memcmp(sig, prefix_sig, sizeof(sig)) != 0) {
		dfuse__escape(shown, sizeof(shown), sig, sizeof(sig));
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "bad-prefix-signature", 0,
			       NONE, NONE,
			       "szSignature is \"%s\" at offset 0x0, expected "
			       "\"DfuSe\"",
			       shown));
	}
	if (version != 1)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "unsupported-version", 5,
			       NONE, NONE,
			       "bVersion is %u at offset 0x5, expected 1",
			       (unsigned)version));

	/* UM0391: the file size minus the suffix; the file size is what
	 * dfuse-pack writes; dfu-util checks neither. */
	if (c->len < SUFFIX_LEN || image_size == c->len - SUFFIX_LEN)
		return 0;
	if (image_size == c->len)
		return add(c, DFUSE_SEV_NOTE, "image-size-includes-suffix", 6,
			   NONE, NONE,
			   "DFUImageSize is %" PRIu32 " at offset 0x6, the "
			   "whole file size including the 16-byte suffix, as "
			   "dfu-util's dfuse-pack writes it; most tools write "
			   "%zu (the file size minus the suffix)",
			   image_size, c->len - SUFFIX_LEN);
	return add(c, DFUSE_SEV_WARNING, "image-size-mismatch", 6, NONE, NONE,
		   "DFUImageSize is %" PRIu32 " at offset 0x6, expected %zu "
		   "(the file size %zu minus the 16-byte suffix)",
		   image_size, c->len - SUFFIX_LEN, c->len);
}

/* ======== Files that are not DfuSe ======== */

/*
 * A file is read as DfuSe, however broken, when it starts with "DfuSe"
 * (or with the first bytes of it, when shorter), or when a target prefix
 * stands at offset 11 (a DfuSe file whose signature is damaged).
 */
static int looks_dfuse(const struct ctx *c)
{
	const size_t n =
		c->len < sizeof(prefix_sig) ? c->len : sizeof(prefix_sig);

	if (memcmp(c->buf, prefix_sig, n) == 0)
		return 1;
	return c->len >= PREFIX_LEN + sizeof(target_sig) &&
	       memcmp(c->buf + PREFIX_LEN, target_sig, sizeof(target_sig)) == 0;
}

/* Anything else gets one error, "not-dfuse" at offset 0, naming what it
 * is, and no other finding: its bytes mean nothing as DfuSe fields. */
static int not_dfuse(struct ctx *c)
{
	struct dfuse__dfu_suffix sx;
	const size_t n = c->len < 16 ? c->len : 16;
	char hex[16 * 3 + 1], shown[4 * 16 + 1];
	size_t i;

	if (dfuse__find_dfu_suffix(&sx, c->buf, c->len))
		return add(c, DFUSE_SEV_ERROR, "not-dfuse", 0, NONE, NONE,
			   "a plain DFU file (bcdDFU 0x%04x), not DfuSe: %zu "
			   "bytes of data for VID:PID %04x:%04x (bcdDevice "
			   "0x%04x), then a %u-byte DFU suffix with a right "
			   "CRC, and no DfuSe prefix; the data carries no "
			   "address: it can be loaded as a raw binary at the "
			   "address it was built for",
			   (unsigned)sx.bcd_dfu, sx.payload,
			   (unsigned)sx.id_vendor, (unsigned)sx.id_product,
			   (unsigned)sx.bcd_device, (unsigned)sx.length);
	switch (dfuse_format_detect(c->buf, c->len)) {
	case DFUSE_FORMAT_ELF:
		return add(c, DFUSE_SEV_ERROR, "not-dfuse", 0, NONE, NONE,
			   "an ELF file (it starts with \"\\x7fELF\"), not "
			   "DfuSe (\"DfuSe\" expected at offset 0x0)");
	case DFUSE_FORMAT_IHEX:
		return add(c, DFUSE_SEV_ERROR, "not-dfuse", 0, NONE, NONE,
			   "Intel HEX text (a ':' record), not DfuSe "
			   "(\"DfuSe\" expected at offset 0x0)");
	case DFUSE_FORMAT_SREC:
		return add(c, DFUSE_SEV_ERROR, "not-dfuse", 0, NONE, NONE,
			   "Motorola S-record text (an 'S' record), not "
			   "DfuSe (\"DfuSe\" expected at offset 0x0)");
	default:
		break;
	}
	hex[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(hex + (i ? 3 * i - 1 : 0),
			 sizeof(hex) - (i ? 3 * i - 1 : 0), "%s%02x",
			 i ? " " : "", c->buf[i]);
	dfuse__escape(shown, sizeof(shown), c->buf, n);
	return add(c, DFUSE_SEV_ERROR, "not-dfuse", 0, NONE, NONE,
		   "not a DfuSe file, nor a plain DFU file with a valid "
		   "suffix: the %zu bytes start with %s (\"%s\"), where "
		   "\"DfuSe\" was expected",
		   c->len, hex, shown);
}

/* ======== Target name ======== */

static int check_name(struct ctx *c, size_t ti, size_t toff, uint32_t named,
		      const uint8_t name[DFUSE__NAME_LEN])
{
	const uint8_t *nul = memchr(name, 0, DFUSE__NAME_LEN);
	const size_t len = nul ? (size_t)(nul - name) : DFUSE__NAME_LEN;
	const size_t name_off = toff + 11;
	size_t k, first = 0, dirty = 0;

	if (named > 1)
		DFUSE__TRY(add(c, DFUSE_SEV_NOTE, "name-garbage", toff + 7, ti,
			       NONE,
			       "target %zu: bTargetNamed is %" PRIu32
			       " at offset 0x%zx, expected 0 or 1",
			       ti, named, toff + 7));
	for (k = 0; named != 0 && k < len; k++) {
		if (printable(name[k]))
			continue;
		DFUSE__TRY(add(c, DFUSE_SEV_WARNING, "name-garbage",
			       name_off + k, ti, NONE,
			       "target %zu: szTargetName has the non-printable "
			       "byte 0x%02x at offset 0x%zx (name byte %zu)",
			       ti, name[k], name_off + k, k));
		break;
	}
	/* ST's DFU File Manager leaves uninitialised bytes after the NUL. */
	for (k = len + 1; k < DFUSE__NAME_LEN; k++) {
		if (name[k] == 0)
			continue;
		if (dirty++ == 0)
			first = k;
	}
	if (dirty > 0)
		DFUSE__TRY(add(c, DFUSE_SEV_NOTE, "name-garbage",
			       name_off + first, ti, NONE,
			       "target %zu: szTargetName has %zu non-zero "
			       "byte%s after its NUL terminator, the first at "
			       "offset 0x%zx (name byte %zu)",
			       ti, dirty, dirty == 1 ? "" : "s",
			       name_off + first, first));
	return 0;
}

/* ======== Overlapping elements ======== */

struct span {
	uint32_t address;
	uint32_t size;
	size_t index; /* element index in the target */
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return 0;
}

/*
 * Sorts a copy of (address, size, index) and sweeps it, keeping the
 * element that reaches furthest: every element that starts before that
 * reach overlaps it.  O(n log n) for files with thousands of elements.
 */
static int check_overlap(struct ctx *c, size_t ti)
{
	const struct target *t = &c->img->t[ti];
	struct span *s;
	size_t n = 0, k, far = 0, bytes;
	int rc = 0;

	if (t->n < 2)
		return 0;
	if (dfuse__mul_size(&bytes, t->n, sizeof(*s)))
		return dfuse__oom();
	s = malloc(bytes);
	if (s == NULL)
		return dfuse__oom();
	for (k = 0; k < t->n; k++) {
		if (t->el[k].size == 0)
			continue; /* covers no address */
		s[n].address = t->el[k].address;
		s[n].size = t->el[k].size;
		s[n].index = k;
		n++;
	}
	qsort(s, n, sizeof(*s), cmp_span);
	for (k = 1; k < n && rc == 0; k++) {
		const uint64_t reach = (uint64_t)s[far].address + s[far].size;
		const uint64_t end = (uint64_t)s[k].address + s[k].size;
		const size_t a = s[far].index, b = s[k].index;

		if (s[k].address < reach) {
			const uint64_t hi = end < reach ? end : reach;
			const size_t lo_i = a < b ? a : b, hi_i = a < b ? b : a;
			const size_t hoff =
				(size_t)t->el[hi_i].offset - ELEMENT_HEADER_LEN;

			rc = add_resolvable(
				c, "element-overlap", hoff, ti, hi_i,
				"target %zu: elements %zu and %zu overlap at "
				"0x%08" PRIx32 "-0x%08llx (element %zu at "
				"offset 0x%zx)",
				ti, lo_i, hi_i, s[k].address,
				(unsigned long long)(hi - 1), hi_i, hoff);
		}
		if (end > reach)
			far = k;
	}
	free(s);
	return rc;
}

/* ======== What unowned bytes probably are ======== */

/* An address inside a memory region of any built-in device profile. */
static int known_memory(uint32_t address)
{
	const size_t n = dfuse_profile_count_builtin();
	size_t i;

	for (i = 0; i < n; i++) {
		const dfuse_profile *p = dfuse_profile_get_builtin(i);

		if (p != NULL && dfuse_profile_find_region(p, address) >= 0)
			return 1;
	}
	return 0;
}

/*
 * A target prefix at `off`: "Target" and all 274 bytes before the suffix.
 * Read as an element header it would be the address 0x67726154, which is
 * in no known memory, so the two readings never compete.
 */
static int target_at(const struct ctx *c, size_t off)
{
	return off <= c->end && c->end - off >= TARGET_PREFIX_LEN &&
	       memcmp(c->buf + off, target_sig, sizeof(target_sig)) == 0 &&
	       !known_memory(dfuse__get_le32(c->buf + off));
}

/* A run of plausible element headers: an address in a known memory, a
 * non-zero size that fits the bytes left and does not pass 4 GiB. */
struct chain {
	size_t count;		/* headers in a row */
	size_t end;		/* where the last one's data ends */
	uint32_t address, size; /* the first */
};

static void walk_chain(const struct ctx *c, size_t from, size_t limit,
		       struct chain *ch)
{
	size_t p = from;

	memset(ch, 0, sizeof(*ch));
	ch->end = from;
	while (p <= limit && limit - p >= ELEMENT_HEADER_LEN &&
	       !target_at(c, p)) {
		const uint32_t a = dfuse__get_le32(c->buf + p);
		const uint32_t z = dfuse__get_le32(c->buf + p + 4);

		if (z == 0 || z > limit - p - ELEMENT_HEADER_LEN ||
		    (uint64_t)a + z > (uint64_t)UINT32_MAX + 1 ||
		    !known_memory(a))
			break;
		if (ch->count == 0) {
			ch->address = a;
			ch->size = z;
		}
		ch->count++;
		p += ELEMENT_HEADER_LEN + (size_t)z;
		ch->end = p;
	}
}

/* Where target ti's dwTargetSize says its elements end (maybe past 4 GiB
 * or the file). */
static uint64_t declared_end(const struct ctx *c, size_t ti)
{
	const struct target *t = &c->img->t[ti];

	return (uint64_t)t->offset + TARGET_PREFIX_LEN + t->declared_size;
}

/*
 * Writes into out (": ..." or "") what the bytes at `from`, which belong
 * to nothing, probably are, given target `prev` read just before them
 * (NONE: none), and the run of element headers *ch found there.
 */
static void explain(const struct ctx *c, size_t from, size_t prev,
		    const struct chain *ch, char *out, size_t cap)
{
	size_t k = 0;

	out[0] = '\0';
	if (ch->count > 0) {
		k += (size_t)snprintf(out, cap,
				      ": they hold an element for 0x%08" PRIx32
				      " (%" PRIu32 " bytes)",
				      ch->address, ch->size);
		if (ch->count > 1 && k < cap)
			k += (size_t)snprintf(out + k, cap - k,
					      " and %zu more after it",
					      ch->count - 1);
		if (prev == NONE || k >= cap)
			return;
		k += (size_t)snprintf(out + k, cap - k,
				      ": dwNbElements of target %zu is "
				      "probably %zu too small",
				      prev, ch->count);
		if (k < cap && declared_end(c, prev) == ch->end)
			snprintf(out + k, cap - k,
				 " (its dwTargetSize, %" PRIu32
				 ", agrees with %zu elements)",
				 c->img->t[prev].declared_size,
				 c->img->t[prev].n + ch->count);
		return;
	}
	if (prev != NONE && declared_end(c, prev) > from &&
	    declared_end(c, prev) <= c->end)
		snprintf(out, cap,
			 ": dwTargetSize of target %zu (%" PRIu32
			 ") says its elements end at 0x%llx, so a "
			 "dwElementSize or its dwNbElements is probably too "
			 "small",
			 prev, c->img->t[prev].declared_size,
			 (unsigned long long)declared_end(c, prev));
}

/* ======== Elements ======== */

/*
 * An element's bytes go into the file's one blob: no allocation per
 * element, and merge and split share them instead of copying.  Every
 * element's bytes are a distinct stretch of the file, so `len` bytes
 * hold them all; a copy of its own is the fallback all the same.
 */
static int keep_bytes(struct ctx *c, size_t ti, uint32_t address, uint32_t size,
		      const uint8_t *p, int64_t off)
{
	uint8_t *data;

	if (c->in_place)
		return dfuse__image_push_shared(
			c->img, ti, address, size, c->blob,
			c->blob->bytes + (size_t)(p - c->buf), off);
	if (c->blob == NULL) {
		c->blob = dfuse__blob_new(c->len);
		if (c->blob == NULL)
			return DFUSE_ENOMEM;
	}
	if (size <= c->len - c->used) {
		data = c->blob->bytes + c->used;
		memcpy(data, p, size);
		c->used += size;
		return dfuse__image_push_shared(c->img, ti, address, size,
						c->blob, data, off);
	}
	data = malloc(size > 0 ? size : 1);
	if (data == NULL)
		return dfuse__oom();
	memcpy(data, p, size);
	return dfuse__image_push_element(c->img, ti, address, size, data, off);
}

/*
 * Reads a target's elements; *used_end is where the last one read ends.
 * An element that does not fit sets *state to STOPPED.  An element header
 * that would be read from a target prefix, or from the suffix, means that
 * dwNbElements is too big: the elements end there.
 */
static int read_elements(struct ctx *c, struct rd *r, size_t ti, size_t toff,
			 uint32_t declared_size, uint32_t declared_count,
			 size_t *used_end, int *state)
{
	const size_t start = r->off;
	size_t frame_end = SIZE_MAX, found, stop = SIZE_MAX;
	const char *stop_what = NULL;
	uint64_t sum = 0;
	uint32_t ei;
	int cut = 0;

	*used_end = start;
	if (declared_count > r->left / ELEMENT_HEADER_LEN &&
	    declared_size <= r->left)
		frame_end = start + declared_size;
	/* One exact reservation: no more records than headers that fit,
	 * nor than the element limit leaves (no growth slack per file). */
	{
		size_t want = r->left / ELEMENT_HEADER_LEN;

		if (want > declared_count)
			want = declared_count;
		if (want > c->max_elements - c->elements)
			want = c->max_elements - c->elements + 1;
		if (want > 0)
			DFUSE__TRY(dfuse__image_reserve(c->img, ti, want));
	}

	for (ei = 0; ei < declared_count; ei++) {
		const size_t hoff = r->off;
		uint32_t address, size;

		if (r->left == 0) {
			stop = hoff;
			stop_what = c->len >= SUFFIX_LEN
					    ? "before the suffix at"
					    : "in the file, which ends at";
			break;
		}
		if (hoff >= frame_end) {
			stop = hoff;
			stop_what = "before the end its dwTargetSize gives,";
			break;
		}
		if (target_at(c, hoff)) {
			stop = hoff;
			stop_what = "before the target prefix at";
			break;
		}
		if (c->elements >= c->max_elements) {
			c->limited = 1;
			*state = STOPPED;
			DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "too-many-elements",
				       hoff, ti, ei,
				       "target %zu element %" PRIu32
				       " at offset 0x%zx: the file has more "
				       "than %zu elements, the most an input "
				       "of at most %zu bytes may give (one "
				       "per KiB of the limit, max_size); the "
				       "rest of the file is not read",
				       ti, ei, hoff, c->max_elements,
				       c->max_size));
			break;
		}
		if (r->left < ELEMENT_HEADER_LEN) {
			cut = 1;
			DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "truncated", hoff,
				       ti, ei,
				       "target %zu element %" PRIu32
				       " header: needs %d bytes, only %zu "
				       "left %s at offset 0x%zx",
				       ti, ei, ELEMENT_HEADER_LEN, r->left,
				       limit_name(c), hoff));
			break;
		}
		if (rd_le32(r, &address) < 0 || rd_le32(r, &size) < 0)
			return dfuse__error(DFUSE_ERROR, "element: internal "
							 "error");
		if (size > r->left) {
			cut = 1;
			DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "element-past-end",
				       r->off, ti, ei,
				       "target %zu element %" PRIu32
				       ": dwElementSize %" PRIu32
				       " exceeds the %zu bytes left %s at "
				       "offset 0x%zx",
				       ti, ei, size, r->left, limit_name(c),
				       r->off));
			break;
		}
		DFUSE__TRY(keep_bytes(c, ti, address, size, r->p,
				      (int64_t)r->off));
		if (rd_skip(r, size) < 0)
			return dfuse__error(DFUSE_ERROR, "element: internal "
							 "error");
		c->elements++;
		sum += ELEMENT_HEADER_LEN + (uint64_t)size;
		*used_end = r->off;
		if (size == 0)
			DFUSE__TRY(add(c, DFUSE_SEV_WARNING, "element-empty",
				       hoff, ti, ei,
				       "target %zu element %" PRIu32
				       ": dwElementSize is 0 at offset 0x%zx "
				       "(an empty element at 0x%08" PRIx32 ")",
				       ti, ei, hoff + 4, address));
		if ((uint64_t)address + size > (uint64_t)UINT32_MAX + 1)
			DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "element-wraps",
				       hoff, ti, ei,
				       "target %zu element %" PRIu32
				       ": dwElementAddress 0x%08" PRIx32
				       " at offset 0x%zx plus dwElementSize "
				       "%" PRIu32 " passes 0xFFFFFFFF (it "
				       "would end at 0x%llx)",
				       ti, ei, address, hoff, size,
				       (unsigned long long)((uint64_t)address +
							    size - 1)));
	}

	found = c->img->t[ti].n;
	if (c->limited) /* the rest was not read: nothing to count */
		return check_overlap(c, ti);
	if (found != declared_count && stop_what != NULL)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "element-count-mismatch",
			       toff + 270, ti, NONE,
			       "target %zu: dwNbElements is %" PRIu32
			       " at offset 0x%zx but only %zu element%s "
			       "fit%s %s 0x%zx: dwNbElements is probably "
			       "%llu too big",
			       ti, declared_count, toff + 270, found,
			       found == 1 ? "" : "s", found == 1 ? "s" : "",
			       stop_what, stop,
			       (unsigned long long)(declared_count - found)));
	else if (found != declared_count)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "element-count-mismatch",
			       toff + 270, ti, NONE,
			       "target %zu: dwNbElements is %" PRIu32
			       " at offset 0x%zx but %zu element%s found",
			       ti, declared_count, toff + 270, found,
			       found == 1 ? " was" : "s were"));
	if (!cut && sum != declared_size)
		DFUSE__TRY(add(c, DFUSE_SEV_WARNING, "target-size-mismatch",
			       toff + 266, ti, NONE,
			       "target %zu: dwTargetSize is %" PRIu32
			       " at offset 0x%zx but its elements take %llu "
			       "bytes (8 + dwElementSize each)",
			       ti, declared_size, toff + 266,
			       (unsigned long long)sum));
	if (cut)
		*state = STOPPED;
	return check_overlap(c, ti);
}

/* ======== Target prefix ======== */

/*
 * After an element that does not fit, the target's dwTargetSize may still
 * say where the next target starts: reading resumes there when the bytes
 * there say "Target".  The broken element's bytes are skipped.  The next
 * target may start inside what the broken element claimed, never before
 * the end of the last element read: no byte is read twice as element
 * data, so a hostile file cannot multiply the memory it costs.
 */
static void resync(const struct ctx *c, struct rd *r, size_t start,
		   uint32_t declared_size, size_t used_end, int *state)
{
	size_t next;

	if (start > c->end || declared_size > c->end - start)
		return;
	next = start + declared_size;
	if (next < used_end || c->end - next < sizeof(target_sig) ||
	    memcmp(c->buf + next, target_sig, sizeof(target_sig)) != 0)
		return;
	rd_init(r, c->buf, c->end);
	if (rd_skip(r, next) == 0)
		*state = GOING;
}

/* `why` (": ..." or "") explains the bytes where the prefix was expected. */
static int read_target(struct ctx *c, struct rd *r, size_t ti, int *state,
		       const char *why)
{
	const size_t toff = r->off;
	uint8_t sig[6], alt, name[DFUSE__NAME_LEN];
	uint32_t named, declared_size, declared_count;
	char shown[4 * sizeof(sig) + 1];
	size_t used_end;
	struct target *t;
	int idx;

	if (r->left < TARGET_PREFIX_LEN) {
		*state = STOPPED;
		return add(c, DFUSE_SEV_ERROR, "truncated", toff, ti, NONE,
			   "target %zu prefix: needs %d bytes, only %zu left "
			   "%s at offset 0x%zx%s",
			   ti, TARGET_PREFIX_LEN, r->left, limit_name(c), toff,
			   why);
	}
	if (memcmp(r->p, target_sig, sizeof(target_sig)) != 0) {
		*state = STOPPED;
		dfuse__escape(shown, sizeof(shown), r->p, sizeof(sig));
		return add(c, DFUSE_SEV_ERROR, "bad-target-signature", toff, ti,
			   NONE,
			   "target %zu: szSignature is \"%s\" at offset "
			   "0x%zx, expected \"Target\"%s",
			   ti, shown, toff, why);
	}
	if (rd_bytes(r, sig, sizeof(sig)) < 0 || rd_u8(r, &alt) < 0 ||
	    rd_le32(r, &named) < 0 || rd_bytes(r, name, sizeof(name)) < 0 ||
	    rd_le32(r, &declared_size) < 0 || rd_le32(r, &declared_count) < 0)
		return dfuse__error(DFUSE_ERROR, "target prefix: internal "
						 "error");
	idx = dfuse__image_add_target_raw(c->img, alt, named, name);
	if (idx < 0)
		return idx;
	t = &c->img->t[idx];
	t->offset = (int64_t)toff;
	t->declared_size = declared_size;
	t->declared_elements = declared_count;
	DFUSE__TRY(check_name(c, ti, toff, named, name));
	DFUSE__TRY(read_elements(c, r, ti, toff, declared_size, declared_count,
				 &used_end, state));
	if (*state == STOPPED && !c->limited)
		resync(c, r, toff + TARGET_PREFIX_LEN, declared_size, used_end,
		       state);
	return 0;
}

/*
 * Bytes at r->off belong to no element and are not a target prefix.  If a
 * target prefix follows them (after a run of element headers, or where
 * the previous target's dwTargetSize ends), they are reported and skipped
 * and 1 is returned.  Else `why` gets what they probably are and 0 is
 * returned: the caller reports them.
 */
static int skip_unowned(struct ctx *c, struct rd *r, char *why, size_t cap)
{
	const size_t from = r->off;
	const size_t prev = c->img->n > 0 ? c->img->n - 1 : NONE;
	size_t next = SIZE_MAX, limit = c->end;
	struct chain ch;

	/* A target where the previous one's dwTargetSize ends bounds the
	 * walk, so that no byte is walked twice: the cost stays linear. */
	if (prev != NONE && declared_end(c, prev) > from &&
	    declared_end(c, prev) <= c->end &&
	    target_at(c, (size_t)declared_end(c, prev)))
		next = limit = (size_t)declared_end(c, prev);
	walk_chain(c, from, limit, &ch);
	explain(c, from, prev, &ch, why, cap);
	if (ch.count > 0 && target_at(c, ch.end))
		next = ch.end;
	if (next == SIZE_MAX)
		return 0;
	DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "trailing-bytes", from, NONE, NONE,
		       "%zu byte%s at offset 0x%zx belong%s to no element or "
		       "target (target %zu starts at 0x%zx, after them)%s",
		       next - from, next - from == 1 ? "" : "s", from,
		       next - from == 1 ? "s" : "", c->img->n, next, why));
	rd_init(r, c->buf, c->end);
	if (rd_skip(r, next) < 0)
		return dfuse__error(DFUSE_ERROR, "targets: internal error");
	return 1;
}

static int read_targets(struct ctx *c, uint8_t declared)
{
	int state = GOING, at_suffix = 0;
	size_t found;
	char why[400];
	struct rd r;

	/* Target data lies in [11, end); empty if the suffix overlaps. */
	rd_init(&r, c->buf, c->end > PREFIX_LEN ? c->end : PREFIX_LEN);
	if (rd_skip(&r, PREFIX_LEN) < 0)
		return dfuse__error(DFUSE_ERROR, "targets: internal error");
	if (c->len >= SUFFIX_LEN && c->end < PREFIX_LEN)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "truncated", c->end, NONE,
			       NONE,
			       "the file is %zu bytes: its 16-byte suffix at "
			       "offset 0x%zx overlaps the 11-byte prefix (a "
			       "DfuSe file has at least 27 bytes)",
			       c->len, c->end));

	/*
	 * bTargets targets, then any more that start with "Target" (up to
	 * the 255 a file can hold).  Bytes that belong to nothing are an
	 * error; reading goes on after them when a target follows.
	 */
	while (state == GOING && c->img->n < DFUSE__MAX_TARGETS) {
		const size_t ti = c->img->n;
		int rc;

		if (r.left == 0) {
			if (ti < declared) {
				at_suffix = 1;
				DFUSE__TRY(read_target(c, &r, ti, &state, ""));
			}
			break;
		}
		if (r.left >= sizeof(target_sig) &&
		    memcmp(r.p, target_sig, sizeof(target_sig)) == 0) {
			DFUSE__TRY(read_target(c, &r, ti, &state, ""));
			continue;
		}
		rc = skip_unowned(c, &r, why, sizeof(why));
		if (rc < 0)
			return rc;
		if (rc == 1)
			continue;
		if (ti < declared) {
			DFUSE__TRY(read_target(c, &r, ti, &state, why));
			break;
		}
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "trailing-bytes", r.off,
			       NONE, NONE,
			       "%zu byte%s at offset 0x%zx after the last "
			       "target belong%s to no element or target (the "
			       "suffix starts at 0x%zx)%s",
			       r.left, r.left == 1 ? "" : "s", r.off,
			       r.left == 1 ? "s" : "", c->end, why));
		break;
	}
	if (state == GOING && r.left > 0 && c->img->n >= DFUSE__MAX_TARGETS)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "trailing-bytes", r.off,
			       NONE, NONE,
			       "%zu byte%s at offset 0x%zx after target %d "
			       "belong%s to no element or target (a file "
			       "holds at most %d targets)",
			       r.left, r.left == 1 ? "" : "s", r.off,
			       DFUSE__MAX_TARGETS - 1, r.left == 1 ? "s" : "",
			       DFUSE__MAX_TARGETS));

	found = c->img->n;
	if (c->limited)
		return 0; /* the rest was not read: nothing to count */
	if (found < declared)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "target-count-mismatch", 10,
			       NONE, NONE,
			       "bTargets is %u at offset 0xa but only %zu "
			       "target%s found%s",
			       (unsigned)declared, found,
			       found == 1 ? " was" : "s were",
			       at_suffix ? ": nothing is left before the "
					   "suffix, so bTargets is probably "
					   "too big"
					 : ""));
	if (found > declared)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "target-count-mismatch", 10,
			       NONE, NONE,
			       "bTargets is %u at offset 0xa but %zu targets "
			       "were found: target %u at offset 0x%llx is not "
			       "counted, so bTargets is probably %zu too small",
			       (unsigned)declared, found, (unsigned)declared,
			       (unsigned long long)c->img->t[declared].offset,
			       found - declared));
	if (declared == 0 && found == 0)
		DFUSE__TRY(add(c, DFUSE_SEV_WARNING, "no-targets", 10, NONE,
			       NONE,
			       "bTargets is 0 at offset 0xa: the file holds "
			       "no target"));
	return 0;
}

/* ======== Suffix ======== */

static int read_suffix(struct ctx *c)
{
	dfuse_file_info *f = &c->img->file;
	const size_t s = c->len - SUFFIX_LEN;
	char shown[4 * sizeof(suffix_sig) + 1];
	uint8_t sig[3];
	dfuse_ids ids;
	struct rd r;

	if (c->len < SUFFIX_LEN)
		return add(c, DFUSE_SEV_ERROR, "truncated", 0, NONE, NONE,
			   "suffix: needs %d bytes, the file has only %zu",
			   SUFFIX_LEN, c->len);
	rd_init(&r, c->buf + s, SUFFIX_LEN);
	if (rd_le16(&r, &ids.bcd_device) < 0 ||
	    rd_le16(&r, &ids.id_product) < 0 ||
	    rd_le16(&r, &ids.id_vendor) < 0 || rd_le16(&r, &ids.bcd_dfu) < 0 ||
	    rd_bytes(&r, sig, sizeof(sig)) < 0 ||
	    rd_u8(&r, &f->suffix_length) < 0 || rd_le32(&r, &f->crc_stored) < 0)
		return dfuse__error(DFUSE_ERROR, "suffix: internal error");
	f->has_suffix = 1;
	f->ids = ids;
	c->img->ids = ids;
	memcpy(f->suffix_signature, sig, sizeof(sig));
	f->crc_computed = dfuse_crc(c->buf, c->len - 4);

	if (ids.id_product == 0)
		DFUSE__TRY(add(c, DFUSE_SEV_NOTE, "id-product-zero", s + 2,
			       NONE, NONE,
			       "idProduct is 0x0000 at offset 0x%zx: no "
			       "device has it (ST's DFU File Manager writes "
			       "it; 0xFFFF means any)",
			       s + 2));
	if (ids.bcd_dfu != 0x011A)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "bad-bcddfu", s + 6, NONE,
			       NONE,
			       "bcdDFU is 0x%04x at offset 0x%zx, expected "
			       "0x011a (DfuSe)",
			       (unsigned)ids.bcd_dfu, s + 6));
	if (memcmp(sig, suffix_sig, sizeof(sig)) != 0) {
		dfuse__escape(shown, sizeof(shown), sig, sizeof(sig));
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "bad-suffix-signature",
			       s + 8, NONE, NONE,
			       "ucDfuSignature is \"%s\" at offset 0x%zx, "
			       "expected \"UFD\"",
			       shown, s + 8));
	}
	if (f->suffix_length != SUFFIX_LEN)
		DFUSE__TRY(add(c, DFUSE_SEV_ERROR, "bad-suffix-length", s + 11,
			       NONE, NONE,
			       "bLength is %u at offset 0x%zx, expected 16",
			       (unsigned)f->suffix_length, s + 11));
	if (f->crc_stored != f->crc_computed)
		DFUSE__TRY(add(
			c, DFUSE_SEV_ERROR, "crc-mismatch", s + 12, NONE, NONE,
			"dwCRC is 0x%08" PRIx32 " at offset 0x%zx but "
			"the CRC of the first %zu bytes is 0x%08" PRIx32,
			f->crc_stored, s + 12, c->len - 4, f->crc_computed));
	return 0;
}

/* ======== Entry points ======== */

/*
 * Records in the image the errors that leave its data in doubt, so that
 * no writer, merge, split or download turns a broken file into data
 * (dfuse__image_check_data).  Every error is kept by the report, so the
 * walk sees them all: the ones marked DFUSE_FINDING_DATA_UNUSABLE as
 * they were added (add()).  element-overlap is not (add_resolvable()): the
 * bytes are all there, dfuse_merge() resolves equal overlaps, and the
 * writers and the download engine refuse different ones themselves.
 */
static void mark_untrusted(dfuse_image *img, const dfuse_report *rep)
{
	dfuse_finding f;
	size_t i;

	for (i = 0; i < dfuse_report_count(rep); i++) {
		if (dfuse_report_get(&f, rep, i) < 0 ||
		    !(f.flags & DFUSE_FINDING_DATA_UNUSABLE))
			continue;
		if (img->read_errors++ == 0)
			snprintf(img->read_error, sizeof(img->read_error),
				 "%s at offset 0x%llx", f.code,
				 (unsigned long long)(f.offset < 0 ? 0
								   : f.offset));
	}
}

/* The first error-level finding, else the first warning, fails a strict
 * read with that finding's message. */
static int strict_verdict(const dfuse_report *rep)
{
	const size_t n = dfuse_report_count(rep);
	dfuse_finding f, pick;
	int have = 0;
	size_t i;

	memset(&pick, 0, sizeof(pick));
	for (i = 0; i < n; i++) {
		if (dfuse_report_get(&f, rep, i) < 0)
			return dfuse_error_last()->code;
		if (f.severity == DFUSE_SEV_ERROR) {
			pick = f;
			have = 1;
			break;
		}
		if (f.severity == DFUSE_SEV_WARNING && !have) {
			pick = f;
			have = 1;
		}
	}
	if (!have)
		return 0;
	return dfuse__error(strcmp(pick.code, "crc-mismatch") == 0
				    ? DFUSE_ECRC
				    : DFUSE_EFORMAT,
			    "%s", pick.message);
}

static int read_limit(size_t *max, const dfuse_read_options *opts)
{
	const unsigned int known = DFUSE_READ_STRICT;

	*max = DFUSE_DEFAULT_MAX_INPUT;
	if (opts == NULL)
		return 0;
	DFUSE__TRY(dfuse__check_version("dfuse_read_options", opts->version,
					DFUSE_READ_OPTIONS_VERSION));
	if ((opts->flags & ~known) != 0)
		return dfuse__error(DFUSE_EINVAL,
				    "unknown dfuse_read flags 0x%x",
				    opts->flags & ~known);
	if (opts->max_size != 0)
		*max = opts->max_size;
	return 0;
}

/* `own`: buf is that blob's bytes, which the elements then point into
 * (dfuse_read_file's buffer: no copy at all); NULL: a copy is kept. */
static int read_buffer(dfuse_image **out, dfuse_report **report_out,
		       const void *buf, size_t len,
		       const dfuse_read_options *opts, struct dfuse__blob *own)
{
	static const uint8_t empty[1];
	struct ctx c;
	uint8_t targets;
	size_t max;
	int rc;

	if (out == NULL)
		return dfuse__error(DFUSE_EINVAL, "out is NULL");
	*out = NULL;
	if (report_out != NULL)
		*report_out = NULL;
	if (buf == NULL && len > 0)
		return dfuse__error(DFUSE_EINVAL, "buf is NULL");
	DFUSE__TRY(read_limit(&max, opts));
	if (len > max)
		return dfuse__error(DFUSE_ETOOBIG,
				    "the input is %zu bytes, over the limit of "
				    "%zu bytes",
				    len, max);

	memset(&c, 0, sizeof(c));
	c.buf = buf != NULL ? buf : empty;
	c.len = len;
	c.end = len >= SUFFIX_LEN ? len - SUFFIX_LEN : len;
	c.flags = opts != NULL ? opts->flags : 0;
	c.in_place = own != NULL;
	c.max_size = max;
	c.max_elements = DFUSE_MAX_ELEMENTS(max);
	DFUSE__TRY(dfuse_image_new(&c.img));
	rc = dfuse__report_new(&c.rep);
	if (rc < 0) {
		dfuse_image_free(c.img);
		return rc;
	}
	if (own != NULL) {
		c.blob = own;
		own->refs++; /* dropped at `done` as a blob of our own is */
	}
	c.img->has_file = 1;
	c.img->keep = 1;
	c.img->file.file_size = len;

	if (len == 0) {
		/* one finding, not a truncated prefix and a truncated suffix */
		rc = add(&c, DFUSE_SEV_ERROR, "truncated", 0, NONE, NONE,
			 "the file is empty (0 bytes): a DfuSe file has at "
			 "least 27 (an 11-byte prefix and a 16-byte suffix)");
		goto done;
	}
	if (!looks_dfuse(&c)) {
		memcpy(c.img->file.signature, c.buf, len < 5 ? len : 5);
		c.img->file.not_dfuse = 1;
		rc = not_dfuse(&c);
		goto done;
	}
	rc = read_prefix(&c, &targets);
	if (rc == 0 && c.img->file.has_prefix)
		rc = read_targets(&c, targets);
	if (rc == 0)
		rc = read_suffix(&c);
done:
	dfuse__blob_unref(c.blob); /* the elements hold their references */
	if (rc == 0)
		mark_untrusted(c.img, c.rep);
	if (rc == 0 && (c.flags & DFUSE_READ_STRICT) != 0)
		rc = strict_verdict(c.rep);
	if (rc < 0) {
		dfuse_image_free(c.img);
		dfuse_report_free(c.rep);
		return rc;
	}
	*out = c.img;
	if (report_out != NULL)
		*report_out = c.rep;
	else
		dfuse_report_free(c.rep);
	return 0;
}

int dfuse_read(dfuse_image **out, dfuse_report **report_out, const void *buf,
	       size_t len, const dfuse_read_options *opts)
{
	return read_buffer(out, report_out, buf, len, opts, NULL);
}

int dfuse_image_get_file(dfuse_file_info *out, const dfuse_image *img)
{
	if (out == NULL || img == NULL)
		return dfuse__error(DFUSE_EINVAL, "NULL argument");
	if (!img->has_file)
		return DFUSE_ENOTFOUND;
	*out = img->file;
	out->data_errors = img->read_errors;
	return 0;
}

/* ======== Files ======== */

/*
 * The file is read whole (fileio.c refuses one over the limit before
 * reading it).  Messages do not repeat the path: as with every input of
 * the library, the caller names the file it passed.
 */
int dfuse_read_owned(dfuse_image **out, dfuse_report **report_out, void *buf,
		     size_t len, const dfuse_read_options *opts)
{
	struct dfuse__blob *own;
	int rc;

	if (out == NULL || (buf == NULL && len > 0)) {
		free(buf);
		return dfuse__error(DFUSE_EINVAL, "NULL argument");
	}
	/* The elements point into the buffer: one copy of the file. */
	own = malloc(sizeof(*own));
	if (own == NULL) {
		free(buf);
		*out = NULL;
		if (report_out != NULL)
			*report_out = NULL;
		return dfuse__oom();
	}
	own->bytes = buf;
	own->refs = 1;
	rc = read_buffer(out, report_out, buf, len, opts, own);
	dfuse__blob_unref(own); /* frees buf unless elements hold it */
	return rc;
}

/*
 * The file is read whole (fileio.c refuses one over the limit while
 * reading it).  Messages do not repeat the path: as with every input of
 * the library, the caller names the file it passed.
 */
int dfuse_read_file(dfuse_image **out, dfuse_report **report_out,
		    const char *path, const dfuse_read_options *opts)
{
	uint8_t *buf = NULL;
	size_t len = 0, max;

	if (out == NULL || path == NULL)
		return dfuse__error(DFUSE_EINVAL, "NULL argument");
	*out = NULL;
	if (report_out != NULL)
		*report_out = NULL;
	DFUSE__TRY(read_limit(&max, opts));
	DFUSE__TRY(dfuse__read_file(&buf, &len, path, max));
	return dfuse_read_owned(out, report_out, buf, len, opts);
}
