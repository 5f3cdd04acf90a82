/*
 * image.c - the image model: targets holding elements.
 *
 * Built images keep each target's elements sorted by address and never let
 * two elements cover the same byte: dfuse_image_add_data() merges identical
 * overlaps and refuses different ones, naming both inputs.  Images read
 * from a file keep the file's order (dfuse__image_push_element), overlaps
 * and all, so that dump can show a broken file as it is.
 *
 * dfuse_image_normalize() prepares a built image for the flash: elements
 * in flash are padded with 0xFF to whole flash words and coalesced, so that
 * no two elements ever program the same flash word (RM0399 §4: the H7
 * programs 256-bit words with ECC; that a word can be written only once per
 * erase is INFERRED, doc/sources.md).
 */
#include "image.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

/* ======== Construction and destruction ======== */

int dfuse_image_new(dfuse_image **out)
{
	dfuse_image *img;

	if (out == NULL)
		return dfuse__error(DFUSE_EINVAL, "out is NULL");
	*out = NULL;
	img = calloc(1, sizeof(*img));
	if (img == NULL)
		return dfuse__oom();
	img->ids.bcd_device = DFUSE_ID_ANY;
	img->ids.id_product = 0xDF11; /* ST's ROM PID, doc/sources.md */
	img->ids.id_vendor = 0x0483;  /* STMicroelectronics */
	img->ids.bcd_dfu = 0x011A;    /* DfuSe, UM0391 §2.2 */
	*out = img;
	return 0;
}

struct dfuse__blob *dfuse__blob_new(size_t cap)
{
	struct dfuse__blob *b = malloc(sizeof(*b));

	if (b == NULL) {
		dfuse__oom();
		return NULL;
	}
	b->bytes = malloc(cap ? cap : 1);
	if (b->bytes == NULL) {
		free(b);
		dfuse__oom();
		return NULL;
	}
	b->refs = 1;
	return b;
}

void dfuse__blob_unref(struct dfuse__blob *b)
{
	if (b == NULL || __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	free(b->bytes);
	free(b);
}

struct name {
	size_t refs;
	char s[];
};

static struct name *name_of(char *s)
{
	return (struct name *)(void *)(s - offsetof(struct name, s));
}

char *dfuse__name_new(const char *s)
{
	const size_t len = strlen(s);
	struct name *n = malloc(sizeof(*n) + len + 1);

	if (n == NULL) {
		dfuse__oom();
		return NULL;
	}
	n->refs = 1;
	memcpy(n->s, s, len + 1);
	return n->s;
}

char *dfuse__name_ref(char *s)
{
	if (s != NULL)
		__atomic_add_fetch(&name_of(s)->refs, 1, __ATOMIC_RELAXED);
	return s;
}

void dfuse__name_unref(char *s)
{
	if (s == NULL ||
	    __atomic_sub_fetch(&name_of(s)->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	free(name_of(s));
}

/* Drops an element's bytes, owned or shared. */
static void release_data(struct element *e)
{
	if (e->blob != NULL)
		dfuse__blob_unref(e->blob);
	else
		free(e->data);
	e->blob = NULL;
	e->data = NULL;
}

int dfuse__element_own(struct element *e)
{
	uint8_t *copy;

	if (e->blob == NULL)
		return 0;
	copy = malloc(e->size ? e->size : 1);
	if (copy == NULL)
		return dfuse__oom();
	if (e->size > 0)
		memcpy(copy, e->data, e->size);
	release_data(e);
	e->data = copy;
	return 0;
}

static void element_free(struct element *e)
{
	release_data(e);
	dfuse__name_unref(e->source);
}

void dfuse_image_free(dfuse_image *img)
{
	size_t i, j;

	if (img == NULL)
		return;
	for (i = 0; i < img->n; i++) {
		for (j = 0; j < img->t[i].n; j++)
			element_free(&img->t[i].el[j]);
		free(img->t[i].el);
	}
	free(img->t);
	for (i = 0; i < img->ndups; i++) {
		free(img->dups[i].first);
		free(img->dups[i].second);
	}
	free(img->dups);
	free(img->programs);
	free(img);
}

void dfuse_image_get_ids(dfuse_ids *out, const dfuse_image *img)
{
	*out = img->ids;
}

void dfuse_image_set_ids(dfuse_image *img, const dfuse_ids *ids)
{
	img->ids = *ids;
	img->ids_set = 1;
}

int dfuse_image_get_entry(uint32_t *out, const dfuse_image *img)
{
	if (!img->has_entry)
		return 0;
	*out = img->entry;
	return 1;
}

void dfuse_image_set_entry(dfuse_image *img, uint32_t entry)
{
	img->has_entry = 1;
	img->entry = entry;
}

/* ======== Targets ======== */

static int grow_targets(dfuse_image *img)
{
	struct target *t;
	size_t cap;

	if (img->n >= DFUSE__MAX_TARGETS)
		return dfuse__error(DFUSE_ETOOBIG,
				    "too many targets: a DfuSe file holds at "
				    "most %d (bTargets is one byte)",
				    DFUSE__MAX_TARGETS);
	if (img->n < img->cap)
		return 0;
	cap = img->cap ? img->cap * 2 : 4;
	t = realloc(img->t, cap * sizeof(*t));
	if (t == NULL)
		return dfuse__oom();
	img->t = t;
	img->cap = cap;
	return 0;
}

static struct target *new_target(dfuse_image *img, uint8_t alt)
{
	struct target *t = &img->t[img->n];

	memset(t, 0, sizeof(*t));
	t->alt = alt;
	t->offset = -1;
	return t;
}

/* The printable view of a stored name stops at the first NUL. */
static void set_view(struct target *t)
{
	size_t k;

	for (k = 0; k < DFUSE__NAME_LEN && t->name_raw[k] != 0; k++)
		t->name[k] = (char)t->name_raw[k];
	t->name[k] = '\0';
}

int dfuse_image_add_target(dfuse_image *img, uint8_t alt, const char *name)
{
	struct target *t;
	size_t len = name ? strlen(name) : 0;

	if (len > DFUSE__NAME_LEN - 1)
		return dfuse__error(DFUSE_EINVAL,
				    "target name is %zu bytes, longer than the "
				    "%d that szTargetName holds with its NUL",
				    len, DFUSE__NAME_LEN - 1);
	DFUSE__TRY(grow_targets(img));
	t = new_target(img, alt);
	t->named = len > 0;
	if (len > 0)
		memcpy(t->name_raw, name, len);
	set_view(t);
	return (int)img->n++;
}

int dfuse_image_set_target_name(dfuse_image *img, size_t target,
				const char *name)
{
	struct target *t;
	size_t len = name ? strlen(name) : 0;

	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (len > DFUSE__NAME_LEN - 1)
		return dfuse__error(DFUSE_EINVAL,
				    "target name is %zu bytes, longer than the "
				    "%d that szTargetName holds with its NUL",
				    len, DFUSE__NAME_LEN - 1);
	t = &img->t[target];
	memset(t->name_raw, 0, sizeof(t->name_raw));
	if (len > 0)
		memcpy(t->name_raw, name, len);
	t->named = len > 0;
	set_view(t);
	return 0;
}

int dfuse__image_add_target_raw(dfuse_image *img, uint8_t alt, uint32_t named,
				const uint8_t name_raw[DFUSE__NAME_LEN])
{
	struct target *t;

	DFUSE__TRY(grow_targets(img));
	t = new_target(img, alt);
	t->named = named;
	memcpy(t->name_raw, name_raw, DFUSE__NAME_LEN);
	set_view(t);
	return (int)img->n++;
}

int dfuse_image_find_target(const dfuse_image *img, uint8_t alt)
{
	size_t i;

	for (i = 0; i < img->n; i++)
		if (img->t[i].alt == alt)
			return (int)i;
	return DFUSE_ENOTFOUND;
}

size_t dfuse_image_count_targets(const dfuse_image *img)
{
	return img->n;
}

static uint64_t target_size(const struct target *t)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < t->n; i++)
		sum += 8 + (uint64_t)t->el[i].size;
	return sum;
}

int dfuse__image_check_target(const dfuse_image *img, size_t target)
{
	if (img == NULL)
		return dfuse__error(DFUSE_EINVAL, "image is NULL");
	if (target >= img->n)
		return dfuse__error(DFUSE_EINVAL,
				    "target %zu does not exist (%zu targets)",
				    target, img->n);
	return 0;
}

int dfuse_image_get_target(dfuse_target_info *out, const dfuse_image *img,
			   size_t target)
{
	const struct target *t;

	DFUSE__TRY(dfuse__image_check_target(img, target));
	t = &img->t[target];
	out->alt = t->alt;
	out->named = t->named;
	out->name = t->name;
	out->name_raw = t->name_raw;
	out->element_count = t->n;
	out->size = target_size(t);
	out->offset = t->offset;
	out->declared_size = t->declared_size;
	out->declared_elements = t->declared_elements;
	return 0;
}

int dfuse_image_get_element(dfuse_element_info *out, const dfuse_image *img,
			    size_t target, size_t element)
{
	const struct element *e;

	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (element >= img->t[target].n)
		return dfuse__error(DFUSE_EINVAL,
				    "target %zu has no element %zu (%zu "
				    "elements)",
				    target, element, img->t[target].n);
	e = &img->t[target].el[element];
	out->address = e->address;
	out->size = e->size;
	out->data = e->data;
	out->offset = e->offset;
	out->core = e->core;
	out->source = e->source;
	return 0;
}

/* ======== Elements ======== */

size_t dfuse__max_input(const dfuse_input_options *opts)
{
	return opts && opts->max_size ? opts->max_size
				      : DFUSE_DEFAULT_MAX_INPUT;
}

int dfuse__check_input_options(const dfuse_input_options *opts)
{
	if (opts == NULL)
		return 0;
	return dfuse__check_version("dfuse_input_options", opts->version,
				    DFUSE_INPUT_OPTIONS_VERSION);
}

static int reserve_elements(struct target *t, size_t extra)
{
	struct element *el;
	size_t cap;

	if (t->cap - t->n >= extra)
		return 0;
	cap = t->cap ? t->cap : 4;
	while (cap - t->n < extra) {
		if (dfuse__mul_size(&cap, cap, 2))
			return dfuse__oom();
	}
	el = realloc(t->el, cap * sizeof(*el));
	if (el == NULL)
		return dfuse__oom();
	t->el = el;
	t->cap = cap;
	return 0;
}

int dfuse__image_reserve(dfuse_image *img, size_t target, size_t extra)
{
	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (img->t[target].cap == 0 && extra > 0) {
		/* the first reservation is exact, not a power of two */
		struct element *el = extra <= SIZE_MAX / sizeof(*el)
					     ? malloc(extra * sizeof(*el))
					     : NULL;

		if (el == NULL)
			return dfuse__oom();
		img->t[target].el = el;
		img->t[target].cap = extra;
		return 0;
	}
	return reserve_elements(&img->t[target], extra);
}

/* Appends an element; `blob` (may be NULL) gains no reference here. */
static int push(dfuse_image *img, size_t target, uint32_t address,
		uint32_t size, uint8_t *data, struct dfuse__blob *blob,
		int64_t offset)
{
	struct target *t;
	struct element *e;

	DFUSE__TRY(dfuse__image_check_target(img, target));
	DFUSE__TRY(reserve_elements(&img->t[target], 1));
	t = &img->t[target];
	if (t->n > 0 && t->el[t->n - 1].address > address)
		t->unsorted = 1;
	e = &t->el[t->n++];
	memset(e, 0, sizeof(*e));
	e->address = address;
	e->size = size;
	e->data = data;
	e->blob = blob;
	e->offset = offset;
	e->core = DFUSE_CORE_NONE;
	return 0;
}

int dfuse__image_push_element(dfuse_image *img, size_t target, uint32_t address,
			      uint32_t size, uint8_t *data, int64_t offset)
{
	int rc = push(img, target, address, size, data, NULL, offset);

	if (rc < 0)
		free(data);
	return rc;
}

int dfuse__image_push_shared(dfuse_image *img, size_t target, uint32_t address,
			     uint32_t size, struct dfuse__blob *b,
			     uint8_t *data, int64_t offset)
{
	DFUSE__TRY(push(img, target, address, size, data, b, offset));
	/* atomic: two threads may share one const image's bytes */
	__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
	return 0;
}

static uint64_t el_end(const struct element *e)
{
	return (uint64_t)e->address + e->size;
}

/* First index whose address is greater than `address`. */
static size_t upper_bound(const struct target *t, uint32_t address)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->el[mid].address <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Compares the bytes two ranges share.  Returns 0 if identical, else
 * reports the first difference as DFUSE_EOVERLAP naming both sources.
 */
static int compare_overlap(const struct element *old, uint32_t address,
			   const uint8_t *data, size_t len,
			   const dfuse_input_options *opts)
{
	uint64_t lo = old->address > address ? old->address : address;
	uint64_t hi_old = el_end(old), hi_new = (uint64_t)address + len;
	uint64_t hi = hi_old < hi_new ? hi_old : hi_new;
	uint64_t a;

	for (a = lo; a < hi; a++) {
		uint8_t was = old->data[a - old->address];
		uint8_t now = data[a - address];

		if (was != now)
			return dfuse__error(
				DFUSE_EOVERLAP,
				"0x%08llx-0x%08llx overlaps data from '%s' "
				"with different bytes (first at 0x%08llx: "
				"0x%02x here, 0x%02x in '%s')",
				(unsigned long long)lo,
				(unsigned long long)(hi - 1),
				old->source ? old->source : "<input>",
				(unsigned long long)a, now, was,
				old->source ? old->source : "<input>");
	}
	(void)opts;
	return 0;
}

static int sort_elements(struct target *t);

static int same_name(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/*
 * Records that [lo, hi) of target t came from both `first` and `second`
 * with the same bytes.  A run touching the last record of the same two
 * inputs extends it; beyond DFUSE__MAX_DUPS records runs are only
 * counted, so that memory stays bounded whatever the inputs hold.
 */
static int record_dup(dfuse_image *img, size_t t, uint64_t lo, uint64_t hi,
		      const char *first, const char *second)
{
	struct dfuse__dup *d;
	size_t i;

	for (i = img->ndups; i-- > 0;) {
		d = &img->dups[i];
		if (d->target == t && same_name(d->first, first) &&
		    same_name(d->second, second) && lo <= d->end &&
		    hi >= d->address) {
			if (lo < d->address)
				d->address = (uint32_t)lo;
			if (hi > d->end)
				d->end = hi;
			return 0;
		}
	}
	if (img->ndups >= DFUSE__MAX_DUPS) {
		img->dups_more++;
		return 0;
	}
	if (img->dups == NULL) {
		img->dups = calloc(DFUSE__MAX_DUPS, sizeof(*img->dups));
		if (img->dups == NULL)
			return dfuse__oom();
	}
	d = &img->dups[img->ndups];
	memset(d, 0, sizeof(*d));
	d->target = t;
	d->address = (uint32_t)lo;
	d->end = hi;
	if ((first != NULL && (d->first = strdup(first)) == NULL) ||
	    (second != NULL && (d->second = strdup(second)) == NULL)) {
		free(d->first);
		d->first = NULL;
		return dfuse__oom();
	}
	img->ndups++;
	return 0;
}

int dfuse__image_add_program(dfuse_image *img, size_t target, uint32_t address,
			     int core)
{
	struct dfuse__program *p;

	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (img->nprograms >= DFUSE__MAX_PROGRAMS)
		return 0; /* a vector table per input; more say nothing new */
	p = realloc(img->programs, (img->nprograms + 1) * sizeof(*p));
	if (p == NULL)
		return dfuse__oom();
	img->programs = p;
	p = &p[img->nprograms++];
	p->target = target;
	p->address = address;
	p->core = core;
	return 0;
}

int dfuse__image_add_owned(dfuse_image *img, size_t target, uint32_t address,
			   uint8_t *data, size_t len,
			   const dfuse_input_options *opts)
{
	struct target *t;
	struct element *e;
	size_t idx, first, last, k;
	uint64_t lo, hi;
	char *source = NULL;
	uint8_t *merged;
	int rc;

	rc = dfuse__image_check_target(img, target);
	if (rc < 0)
		goto fail;
	if (len == 0) {
		free(data);
		return 0;
	}
	if (len > UINT32_MAX || dfuse__range_overflows(address, len)) {
		rc = dfuse__error(DFUSE_ERANGE,
				  "%zu bytes at 0x%08x run past the end of "
				  "the 32-bit address space",
				  len, (unsigned)address);
		goto fail;
	}
	t = &img->t[target];
	rc = sort_elements(t);
	if (rc < 0)
		goto fail;

	/* The overlapping neighbours form the run [first, last). */
	idx = upper_bound(t, address);
	first = idx;
	if (idx > 0 && el_end(&t->el[idx - 1]) > address)
		first = idx - 1;
	last = idx;
	while (last < t->n && t->el[last].address < (uint64_t)address + len)
		last++;
	for (k = first; k < last; k++) {
		rc = compare_overlap(&t->el[k], address, data, len, opts);
		if (rc < 0)
			goto fail;
	}
	/* The same bytes given twice: kept once, and said (duplicate-bytes) */
	for (k = first; k < last; k++) {
		const struct element *o = &t->el[k];
		uint64_t a = o->address > address ? o->address : address;
		uint64_t z = el_end(o) < (uint64_t)address + len
				     ? el_end(o)
				     : (uint64_t)address + len;

		rc = record_dup(img, target, a, z, o->source,
				opts ? opts->source : NULL);
		if (rc < 0)
			goto fail;
	}
	/* Identical bytes inside one element: nothing to add. */
	if (last == first + 1 && t->el[first].address <= address &&
	    (uint64_t)address + len <= el_end(&t->el[first])) {
		free(data);
		return 0;
	}

	if (opts && opts->source) {
		/* an input adds its runs one by one, side by side: its
		 * neighbour usually holds the same name already */
		if (idx > 0 && t->el[idx - 1].source != NULL &&
		    strcmp(t->el[idx - 1].source, opts->source) == 0)
			source = dfuse__name_ref(t->el[idx - 1].source);
		else if (idx < t->n && t->el[idx].source != NULL &&
			 strcmp(t->el[idx].source, opts->source) == 0)
			source = dfuse__name_ref(t->el[idx].source);
		else
			source = dfuse__name_new(opts->source);
		if (source == NULL) {
			rc = DFUSE_ENOMEM;
			goto fail;
		}
	}

	if (first == last) {
		rc = reserve_elements(t, 1);
		if (rc < 0)
			goto fail;
		memmove(&t->el[idx + 1], &t->el[idx],
			(t->n - idx) * sizeof(t->el[0]));
		e = &t->el[idx];
		e->address = address;
		e->size = (uint32_t)len;
		e->data = data;
		e->blob = NULL;
		e->offset = -1;
		e->core = opts ? opts->core : DFUSE_CORE_NONE;
		e->source = source;
		t->n++;
		return 0;
	}

	/* Identical overlap: one element covers the union. */
	lo = t->el[first].address < address ? t->el[first].address : address;
	hi = (uint64_t)address + len;
	if (el_end(&t->el[last - 1]) > hi)
		hi = el_end(&t->el[last - 1]);
	merged = malloc((size_t)(hi - lo));
	if (merged == NULL) {
		rc = dfuse__oom();
		goto fail;
	}
	memcpy(merged + (address - lo), data, len);
	for (k = first; k < last; k++)
		memcpy(merged + (t->el[k].address - lo), t->el[k].data,
		       t->el[k].size);
	free(data);
	dfuse__name_unref(source);
	e = &t->el[first];
	release_data(e);
	e->data = merged;
	e->address = (uint32_t)lo;
	e->size = (uint32_t)(hi - lo);
	for (k = first + 1; k < last; k++)
		element_free(&t->el[k]);
	memmove(&t->el[first + 1], &t->el[last],
		(t->n - last) * sizeof(t->el[0]));
	t->n -= last - first - 1;
	return 0;

fail:
	free(data);
	dfuse__name_unref(source);
	return rc;
}

int dfuse_image_add_data(dfuse_image *img, size_t target, uint32_t address,
			 const void *data, size_t len,
			 const dfuse_input_options *opts)
{
	uint8_t *copy;

	DFUSE__TRY(dfuse__check_input_options(opts));
	if (len == 0)
		return dfuse__image_check_target(img, target);
	if (data == NULL)
		return dfuse__error(DFUSE_EINVAL, "data is NULL");
	copy = malloc(len);
	if (copy == NULL)
		return dfuse__oom();
	memcpy(copy, data, len);
	return dfuse__image_add_owned(img, target, address, copy, len, opts);
}

/* ======== Cropping ======== */

/* Keeps [lo, hi) of one element; returns 0 to keep it, 1 to drop it. */
static int crop_element(struct element *e, uint32_t lo, uint64_t hi)
{
	uint64_t a = e->address, z = el_end(e);
	uint64_t keep_lo = a > lo ? a : lo, keep_hi = z < hi ? z : hi;

	if (e->size == 0)
		return !(a >= lo && a < hi);
	if (keep_lo >= keep_hi)
		return 1;
	if (keep_lo == a && keep_hi == z)
		return 0;
	if (e->blob != NULL) /* shared bytes stay put: point past the cut */
		e->data += keep_lo - a;
	else
		memmove(e->data, e->data + (keep_lo - a),
			(size_t)(keep_hi - keep_lo));
	e->address = (uint32_t)keep_lo;
	e->size = (uint32_t)(keep_hi - keep_lo);
	e->offset = -1;
	return 0;
}

int dfuse_image_crop(dfuse_image *img, uint32_t lo, uint64_t hi)
{
	size_t i, j, k;

	if (img == NULL)
		return dfuse__error(DFUSE_EINVAL, "image is NULL");
	if (lo >= hi || hi > UINT64_C(0x100000000))
		return dfuse__error(DFUSE_EINVAL,
				    "crop range 0x%08x-0x%llx is empty or "
				    "past 4 GiB",
				    (unsigned)lo, (unsigned long long)hi);
	DFUSE__TRY(dfuse__image_check_data(img));
	for (i = 0; i < img->n; i++) {
		struct target *t = &img->t[i];

		for (j = 0, k = 0; j < t->n; j++) {
			if (crop_element(&t->el[j], lo, hi)) {
				element_free(&t->el[j]);
				continue;
			}
			t->el[k++] = t->el[j];
		}
		t->n = k;
		for (j = 1; j < t->n; j++)
			if (t->el[j - 1].address > t->el[j].address)
				t->unsorted = 1;
	}
	return 0;
}

/* ======== Sorting and normalising ======== */

static int cmp_element(const void *a, const void *b)
{
	const struct element *x = a, *y = b;

	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return 0;
}

/* Sorts a target read in file order; built targets are kept sorted. */
static int sort_elements(struct target *t)
{
	if (t->unsorted) {
		qsort(t->el, t->n, sizeof(t->el[0]), cmp_element);
		t->unsorted = 0;
	}
	return 0;
}

/* The range an element occupies once padded to flash words. */
static void padded_range(uint64_t *lo, uint64_t *hi, const struct element *e,
			 const dfuse_profile *p, uint32_t word)
{
	dfuse_flash_location loc;

	*lo = e->address;
	*hi = el_end(e);
	if (p == NULL || word <= 1)
		return;
	if (dfuse_profile_locate(&loc, p, e->address) < 0)
		return;
	*lo -= *lo % word;
	*hi += (word - *hi % word) % word;
}

/*
 * Whether two touching elements may become one: not across a flash bank
 * boundary (the CM7's bank 1 and the CM4's bank 2 stay apart even when
 * bank 1 is full) and not between inputs given for different cores.
 */
static int same_region(const struct element *a, const struct element *b,
		       const dfuse_profile *p)
{
	dfuse_flash_location la, lb;
	int ina, inb;

	if (a->core != b->core)
		return 0;
	if (p == NULL)
		return 1;
	ina = dfuse_profile_locate(&la, p, a->address) == 0;
	inb = dfuse_profile_locate(&lb, p, b->address) == 0;
	if (ina != inb)
		return 0;
	return !ina || la.bank == lb.bank;
}

/* Merges elements [first, last) into el[first], spanning [lo, hi). */
static int coalesce(struct target *t, size_t first, size_t last, uint64_t lo,
		    uint64_t hi)
{
	struct element *e = &t->el[first];
	size_t size = (size_t)(hi - lo), k;
	size_t before = (size_t)(e->address - lo);
	uint8_t *buf;
	int core = e->core;

	if (hi - lo > UINT32_MAX)
		return dfuse__error(DFUSE_ERANGE,
				    "coalesced element at 0x%08llx would be "
				    "%llu bytes, over the 4 GiB dwElementSize",
				    (unsigned long long)lo,
				    (unsigned long long)(hi - lo));
	/* Grow the first buffer in place: no second copy of large runs. */
	DFUSE__TRY(dfuse__element_own(e));
	buf = realloc(e->data, size);
	if (buf == NULL)
		return dfuse__oom();
	if (before > 0) {
		memmove(buf + before, buf, e->size);
		memset(buf, 0xFF, before);
	}
	memset(buf + before + e->size, 0xFF, size - before - e->size);
	for (k = first + 1; k < last; k++) {
		struct element *o = &t->el[k];

		memcpy(buf + (o->address - lo), o->data, o->size);
		if (o->core != core)
			core = DFUSE_CORE_NONE;
		element_free(o);
	}
	e->data = buf;
	e->address = (uint32_t)lo;
	e->size = (uint32_t)size;
	e->core = core;
	memmove(&t->el[first + 1], &t->el[last],
		(t->n - last) * sizeof(t->el[0]));
	t->n -= last - first - 1;
	return 0;
}

static int normalize_target(struct target *t, const dfuse_profile *p,
			    uint32_t word)
{
	size_t i = 0;

	DFUSE__TRY(sort_elements(t));
	for (i = 1; i < t->n; i++)
		if (el_end(&t->el[i - 1]) > t->el[i].address)
			return dfuse__error(DFUSE_EOVERLAP,
					    "elements at 0x%08x and 0x%08x "
					    "overlap",
					    (unsigned)t->el[i - 1].address,
					    (unsigned)t->el[i].address);
	i = 0;
	while (i < t->n) {
		uint64_t lo, hi, nlo, nhi;
		size_t j = i + 1;

		padded_range(&lo, &hi, &t->el[i], p, word);
		while (j < t->n) {
			padded_range(&nlo, &nhi, &t->el[j], p, word);
			/* Sharing a flash word forces one element; merely
			 * touching joins only within one bank and core. */
			if (nlo > hi ||
			    (nlo == hi &&
			     !same_region(&t->el[j - 1], &t->el[j], p)))
				break;
			if (nhi > hi)
				hi = nhi;
			j++;
		}
		if (j > i + 1 || lo != t->el[i].address ||
		    hi != el_end(&t->el[i]))
			DFUSE__TRY(coalesce(t, i, j, lo, hi));
		i++;
	}
	return 0;
}

int dfuse_image_normalize(dfuse_image *img, const dfuse_profile *p)
{
	dfuse_profile_info info;
	uint32_t word = 1;
	size_t i;

	if (img == NULL)
		return dfuse__error(DFUSE_EINVAL, "image is NULL");
	if (p != NULL) {
		dfuse_profile_get_info(&info, p);
		word = info.flash_word;
	}
	for (i = 0; i < img->n; i++) {
		int rc = normalize_target(&img->t[i], p, word);

		if (rc < 0)
			return dfuse__error_prefix("target %zu (alt %u): ", i,
						   (unsigned)img->t[i].alt);
	}
	return 0;
}

/* ======== Address order for the writers ======== */

int dfuse__order_cmp(const void *a, const void *b)
{
	const struct dfuse__order *x = a, *y = b;

	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int dfuse__image_check_data(const dfuse_image *img)
{
	if (img->read_errors > 0)
		return dfuse__error(DFUSE_EFORMAT,
				    "the image was read from a DfuSe file with "
				    "%zu error%s (the first: %s): its data is "
				    "not what the file declares, so it is "
				    "neither written nor sent",
				    img->read_errors,
				    img->read_errors == 1 ? "" : "s",
				    img->read_error);
	return 0;
}

int dfuse__target_in_order(size_t **out, size_t *n, const dfuse_image *img,
			   size_t target)
{
	const struct target *t;
	struct dfuse__order *o;
	size_t *idx, k, bytes;
	uint64_t reach = 0;
	size_t far = 0;

	*out = NULL;
	*n = 0;
	DFUSE__TRY(dfuse__image_check_target(img, target));
	t = &img->t[target];
	if (dfuse__mul_size(&bytes, t->n + 1, sizeof(*o)))
		return dfuse__oom();
	o = malloc(bytes);
	idx = malloc((t->n + 1) * sizeof(*idx));
	if (o == NULL || idx == NULL) {
		free(o);
		free(idx);
		return dfuse__oom();
	}
	for (k = 0; k < t->n; k++) {
		if (dfuse__range_overflows(t->el[k].address, t->el[k].size)) {
			free(o);
			free(idx);
			return dfuse__error(DFUSE_ERANGE,
					    "target %zu element %zu: %u bytes "
					    "at 0x%08x run past the end of the "
					    "32-bit address space",
					    target, k, (unsigned)t->el[k].size,
					    (unsigned)t->el[k].address);
		}
		o[k].address = t->el[k].address;
		o[k].size = t->el[k].size;
		o[k].index = k;
	}
	if (t->n > 1)
		qsort(o, t->n, sizeof(*o), dfuse__order_cmp);
	for (k = 0; k < t->n; k++) {
		if (o[k].size > 0 && o[k].address < reach) {
			const uint64_t end = (uint64_t)o[k].address + o[k].size;
			const uint64_t hi = end < reach ? end : reach;
			const size_t i1 = o[far].index, i2 = o[k].index;
			const uint32_t at = o[k].address;

			free(o);
			free(idx);
			return dfuse__error(DFUSE_EOVERLAP,
					    "target %zu: elements %zu and %zu "
					    "overlap at 0x%08x-0x%08llx",
					    target, i1 < i2 ? i1 : i2,
					    i1 < i2 ? i2 : i1, (unsigned)at,
					    (unsigned long long)(hi - 1));
		}
		if ((uint64_t)o[k].address + o[k].size > reach) {
			reach = (uint64_t)o[k].address + o[k].size;
			far = k;
		}
		idx[k] = o[k].index;
	}
	free(o);
	*out = idx;
	*n = t->n;
	return 0;
}
