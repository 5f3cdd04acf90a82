/*
 * segs.h - the run builder behind the text formats (Intel HEX, S-record).
 *
 * Records arrive as small pieces (16-32 bytes).  The builder keeps them in
 * runs of contiguous bytes, each a malloc'd buffer that grows at its end;
 * the runs never overlap and are indexed by start address in a balanced
 * tree (an AA tree), so that any write finds its neighbours in O(log n)
 * and a record that continues the run written last is an O(1) amortised
 * append.  Only real data is held: a sparse address span costs nothing.
 *
 * Overlap: bytes written twice with the same value are accepted; a
 * different value fails with DFUSE_EOVERLAP naming both lines.  Runs that
 * merely touch are joined at commit, when each run is handed to the image
 * without a copy (dfuse__image_add_owned()).
 *
 * Usage:
 *     struct dfuse__segs s;
 *     dfuse__segs_init(&s, dfuse__max_input(opts), find, ctx);
 *     rc = dfuse__segs_write(&s, addr, bytes, n, line);   per data record
 *     rc = dfuse__segs_commit(&s, img, target, opts);
 *     dfuse__segs_free(&s);                               always
 *
 * The text formats' line walker, hex decoder and driver are in textfmt.h.
 */
#ifndef DFUSE_SEGS_H
#define DFUSE_SEGS_H

#include "common.h"

/*
 * Finds the first data record, on a line before `before`, that wrote the
 * byte at `address`; stores its line and the record's start address.
 * The parsers implement it by re-reading their text, which costs nothing
 * on the normal path: it is called only to word an error message.
 * Returns 1 if found, else 0.
 */
typedef int (*dfuse__segs_find_fn)(void *ctx, uint32_t address, size_t before,
				   size_t *line, uint32_t *record);

struct dfuse__run {
	uint32_t address; /* first byte */
	uint32_t left;	  /* AA tree: index of the left child, 0 = none */
	uint32_t right;	  /* AA tree: index of the right child, 0 = none */
	uint32_t level;	  /* AA tree level; 1 for a leaf */
	size_t len;	  /* bytes held */
	size_t cap;	  /* bytes allocated at data */
	size_t head;	  /* bytes allocated before data: room to grow
			     downwards (records written backwards) */
	size_t faulted;	  /* bytes of data mapped ahead (a speed hint only) */
	uint8_t *data;	  /* malloc'd at data - head; NULL once handed
			     to the image */
	size_t line;	  /* line of the record that started the run */
};

struct dfuse__segs {
	struct dfuse__run *runs; /* runs[0] is the tree's nil node */
	size_t n;		 /* runs used, counting runs[0] */
	size_t cap;		 /* runs allocated */
	uint32_t root;		 /* tree root, 0 when empty */
	uint32_t last;		 /* run written last, 0 = none */
	uint64_t last_limit;	 /* start of the run after `last`, or 2^32 */
	size_t total;		 /* data bytes held */
	size_t limit;		 /* most data bytes allowed (max_size) */
	size_t max_runs;	 /* DFUSE_MAX_ELEMENTS(limit) */
	dfuse__segs_find_fn find;
	void *find_ctx;
};

/* `limit` is the most data bytes the runs may hold; `find` may be NULL
 * (messages then name the line that started the earlier run). */
void dfuse__segs_init(struct dfuse__segs *s, size_t limit,
		      dfuse__segs_find_fn find, void *find_ctx);

/*
 * Writes `len` bytes that a record on line `line` places at `address`.
 * Errors: DFUSE_ERANGE past 4 GiB, DFUSE_EOVERLAP for a byte already
 * written with another value, DFUSE_ETOOBIG over the limit, DFUSE_ENOMEM.
 * On error the message starts with "line N: ".
 */
int dfuse__segs_write(struct dfuse__segs *s, uint32_t address,
		      const uint8_t *data, size_t len, size_t line);

/* Number of runs held (touching runs count separately until commit). */
size_t dfuse__segs_count(const struct dfuse__segs *s);

/*
 * Hands every run to a target of `img` in address order, joining runs that
 * touch, each as one element (dfuse__image_add_owned(): no copy).  Data
 * that differs from bytes the target already holds fails with
 * DFUSE_EOVERLAP before anything is added, provided the target's elements
 * are sorted (always true of built images).  On success the runs are
 * empty; dfuse__segs_free() is still needed.
 */
int dfuse__segs_commit(struct dfuse__segs *s, dfuse_image *img, size_t target,
		       const dfuse_input_options *opts);

/* Frees everything the builder holds.  Safe after init, twice, or after a
 * failed write or commit. */
void dfuse__segs_free(struct dfuse__segs *s);

#endif /* DFUSE_SEGS_H */
