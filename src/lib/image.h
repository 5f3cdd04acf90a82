/*
 * image.h - internal layout of the image model (image.c) and the hooks
 * the DfuSe reader uses to record a file exactly as it is.
 */
#ifndef DFUSE_IMAGE_H
#define DFUSE_IMAGE_H

#include "common.h"

#define DFUSE__NAME_LEN 255    /* szTargetName */
#define DFUSE__MAX_TARGETS 255 /* bTargets is one byte */

/*
 * Bytes several elements (and images) share, freed with the last
 * reference: the DfuSe reader copies a file's element data into one blob
 * (no allocation per element), and merge and split hand an element's
 * bytes on by reference instead of copying them, so that convert, merge
 * and split hold one copy of a file's data, not three.  The count is
 * atomic: images that share bytes may be used and freed in different
 * threads, as images that share nothing can.
 */
struct dfuse__blob {
	size_t refs;
	uint8_t *bytes;
};

struct element {
	uint32_t address; /* dwElementAddress */
	uint32_t size;	  /* dwElementSize */
	uint8_t *data;	  /* owned (blob NULL) or inside `blob`; may be NULL
			     for an empty element; read-only if shared */
	struct dfuse__blob *blob; /* a reference, or NULL */
	int64_t offset;		  /* file offset of the data, -1 if built */
	int core;		  /* dfuse_core */
	char *source; /* a counted name (dfuse__name_new), or NULL */
};

struct target {
	uint8_t alt;			   /* bAlternateSetting */
	uint32_t named;			   /* bTargetNamed */
	uint8_t name_raw[DFUSE__NAME_LEN]; /* szTargetName as stored */
	char name[DFUSE__NAME_LEN + 1];	   /* up to the first NUL */
	struct element *el;
	size_t n, cap;
	int unsorted;		    /* pushed out of address order */
	int64_t offset;		    /* file offset of the prefix, -1 */
	uint32_t declared_size;	    /* dwTargetSize as read */
	uint32_t declared_elements; /* dwNbElements as read */
};

/*
 * Where an input says a program starts: the first address of the run
 * that holds an ELF's entry point (its vector table, ARMv7-M B1.5.3), in
 * the target it went to.  Kept per input, apart from the elements, so
 * that merging and coalescing elements loses none.
 */
struct dfuse__program {
	size_t target;
	uint32_t address;
	int core; /* the input's dfuse_core tag */
};

/*
 * Bytes two inputs gave alike (dfuse_image_add_data() keeps them once):
 * [address, end) in a target, the earlier and the later input's names.
 * Touching runs of the same two inputs are coalesced; past
 * DFUSE__MAX_DUPS records only `dups_more` counts them.
 */
struct dfuse__dup {
	size_t target;
	uint32_t address;
	uint64_t end;
	char *first, *second; /* owned; NULL for an unnamed input */
};
#define DFUSE__MAX_DUPS 64
#define DFUSE__MAX_PROGRAMS 1024

struct dfuse_image {
	struct target *t;
	size_t n, cap;
	dfuse_ids ids;
	int ids_set; /* ids were set (dfuse_image_set_ids), not
			the defaults */
	int has_entry;
	uint32_t entry;
	int has_file; /* read from a file: `file` is valid */
	int keep;     /* elements are final, dfuse_merge() pads
			 none: read from a file, a part of such an
			 image, or a merged image */
	dfuse_file_info file;
	/* The DfuSe reader's errors that leave the data in doubt (every
	 * error but element-overlap, which merge resolves and the other
	 * consumers refuse by themselves): a count that drops or invents
	 * bytes, bytes that belong to nothing, a bad CRC...  Such an image
	 * can be shown, never turned into data: dfuse__image_check_data()
	 * refuses it for the writers, merge, split, crop and download. */
	size_t read_errors;
	char read_error[96];		 /* the first: "CODE at offset 0xN" */
	struct dfuse__program *programs; /* in input order */
	size_t nprograms;
	struct dfuse__dup *dups;
	size_t ndups;
	size_t dups_more; /* runs past DFUSE__MAX_DUPS, not recorded */
};

/* Records that an input's program (vector table) starts at `address`. */
int dfuse__image_add_program(dfuse_image *img, size_t target, uint32_t address,
			     int core);

/* Reader hooks: a target with its raw 255-byte name. */
int dfuse__image_add_target_raw(dfuse_image *img, uint8_t alt, uint32_t named,
				const uint8_t name_raw[DFUSE__NAME_LEN]);
/* Appends an element in file order, taking ownership of `data` (which may
 * be NULL); no sorting, no overlap check.  On failure `data` is freed. */
int dfuse__image_push_element(dfuse_image *img, size_t target, uint32_t address,
			      uint32_t size, uint8_t *data, int64_t offset);

/* A blob of `cap` bytes with one reference (NULL: out of memory, set). */
struct dfuse__blob *dfuse__blob_new(size_t cap);
void dfuse__blob_unref(struct dfuse__blob *b);
/* Appends an element like dfuse__image_push_element(), its `size` bytes
 * at `data` inside blob `b`, which gains a reference (none on failure). */
int dfuse__image_push_shared(dfuse_image *img, size_t target, uint32_t address,
			     uint32_t size, struct dfuse__blob *b,
			     uint8_t *data, int64_t offset);
/* Gives element e a private copy of shared bytes, so that they can be
 * changed or reallocated; nothing to do for owned bytes. */
int dfuse__element_own(struct element *e);

/*
 * The name of the input an element came from, shared by every element
 * that names it (the elements one input added, a merge result's, a split
 * part's) instead of a copy each: a counted string, freed with the last
 * reference, its count atomic like a blob's.  The pointer is the string
 * itself, so that readers of element.source see a plain C string.
 */
char *dfuse__name_new(const char *s); /* one reference; NULL: oom set */
char *dfuse__name_ref(char *s);	      /* s (may be NULL) gains one */
void dfuse__name_unref(char *s);      /* NULL-safe */
/* Reserves room for `extra` more elements in a target, so that a caller
 * that knows the count allocates the element array once, exactly. */
int dfuse__image_reserve(dfuse_image *img, size_t target, size_t extra);

/* DFUSE_EINVAL unless img is non-NULL and has that target. */
int dfuse__image_check_target(const dfuse_image *img, size_t target);

/* The effective input limit of opts (DFUSE_DEFAULT_MAX_INPUT for 0). */
size_t dfuse__max_input(const dfuse_input_options *opts);
/* 0 for NULL or current options, else the version error: every public
 * function that takes dfuse_input_options calls it first. */
int dfuse__check_input_options(const dfuse_input_options *opts);

/*
 * Adds a run of bytes whose ownership passes to the image (no copy):
 * `data` must come from malloc/realloc and holds `len` bytes.  Same rules
 * as dfuse_image_add_data(); on failure `data` is freed.  Parsers that
 * assemble large runs use this to avoid a second copy.
 */
int dfuse__image_add_owned(dfuse_image *img, size_t target, uint32_t address,
			   uint8_t *data, size_t len,
			   const dfuse_input_options *opts);

/*
 * The target a text or binary writer writes, as an index array in address
 * order (caller frees *out; *n elements).  Fails with DFUSE_EINVAL for a
 * missing target, DFUSE_ERANGE for
 * one that runs past 4 GiB, and DFUSE_EOVERLAP when two elements share a
 * byte (a file read as it is may hold such; dfuse_merge() resolves them).
 */
int dfuse__target_in_order(size_t **out, size_t *n, const dfuse_image *img,
			   size_t target);

/* An element's place for sorting: qsort with dfuse__order_cmp() orders
 * by address, then the larger size first, then index. */
struct dfuse__order {
	uint32_t address;
	uint32_t size;
	size_t index;
};
int dfuse__order_cmp(const void *a, const void *b);

/* DFUSE_EFORMAT if the image was read from a file with errors
 * (read_errors).  Every function that makes data of an image (writers,
 * merge, split, crop, download) calls it first. */
int dfuse__image_check_data(const dfuse_image *img);

#endif /* DFUSE_IMAGE_H */
