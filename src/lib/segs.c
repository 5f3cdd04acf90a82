/*
 * segs.c - the run builder behind the text formats (see segs.h).
 *
 * Structure.  Runs live in one growable array; runs[0] is the nil node of
 * an AA tree (Andersson 1993) keyed by start address, whose nodes are the
 * other array slots, linked by 32-bit indices.  Runs are never removed
 * before commit, so the tree only needs insertion (skew + split) and two
 * searches: the last run starting at or before an address, and the first
 * run starting at or after one.  A sorted array would do the searches as
 * well, but inserting into it moves O(n) entries, and a file whose records
 * come in descending order would cost O(n^2); the tree keeps every write
 * at O(log n) and commit at O(n).
 *
 * Fast paths.  `last` is the run written last and `last_limit` the start
 * of the run after it (2^32 if none).  A record that starts where `last`
 * ends and stops at or before `last_limit` is appended with one memcpy:
 * no search, no tree change.  That is every record of a sorted file.  A
 * record that lies in the gap between `last` and `last_limit` without
 * touching `last` overlaps nothing, so it becomes a new run without a
 * search (a sorted but sparse file).
 *
 * Slow path (any other write), in two passes so that a failed write
 * changes nothing:
 *  1. walk the runs that the record overlaps, comparing the shared bytes
 *     (a different byte is DFUSE_EOVERLAP) and counting the new bytes in
 *     the gaps between them (the limit is checked on that count);
 *  2. store each gap: appended to the run that ends exactly where the gap
 *     starts, if any, else as a new run.
 * A gap that ends exactly where a run starts is not prepended to it (that
 * would move the run's bytes); touching runs are joined at commit instead.
 *
 * Overlap message.  The builder only knows the line that started each run,
 * so it asks the parser (dfuse__segs_find_fn) for the first record that
 * wrote the byte; the parser re-reads its text, once, on the error path.
 * Without a finder the message names "the run starting at line N".
 *
 * Memory.  A run's buffer grows by doubling (capped at the limit) and is
 * trimmed to size at commit, when it is handed to the image without a
 * copy; a sorted 16 MiB HEX file is one run and one buffer.  The limit
 * counts data bytes held, not the address span.  On Linux a big buffer is
 * mapped a megabyte ahead of the appends (run_prefault()).
 */
#include "segs.h"
#include "err.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

#define SPAN_END UINT64_C(0x100000000) /* one past the last 32-bit address */
/* An AA tree of level L has at most 2L nodes on a path and at least
 * 2^L - 1 nodes; with fewer than 2^32 runs a path has at most 64. */
#define WALK_DEPTH 66
/* Buffers at least this big are mapped ahead of the appends, this much at
 * a time (run_prefault()). */
#define PREFAULT_STEP ((size_t)1 << 20)

static struct dfuse__run *run_at(const struct dfuse__segs *s, uint32_t i)
{
	return &s->runs[i];
}

static uint64_t run_end(const struct dfuse__run *r)
{
	return (uint64_t)r->address + r->len;
}

void dfuse__segs_init(struct dfuse__segs *s, size_t limit,
		      dfuse__segs_find_fn find, void *find_ctx)
{
	memset(s, 0, sizeof(*s));
	s->limit = limit;
	s->max_runs = DFUSE_MAX_ELEMENTS(limit);
	s->last_limit = SPAN_END;
	s->find = find;
	s->find_ctx = find_ctx;
}

void dfuse__segs_free(struct dfuse__segs *s)
{
	size_t i;

	for (i = 1; i < s->n; i++)
		if (s->runs[i].data != NULL)
			free(s->runs[i].data - s->runs[i].head);
	free(s->runs);
	s->runs = NULL;
	s->n = s->cap = 0;
	s->root = s->last = 0;
	s->last_limit = SPAN_END;
	s->total = 0;
}

size_t dfuse__segs_count(const struct dfuse__segs *s)
{
	return s->n > 0 ? s->n - 1 : 0;
}

/* ======== AA tree ======== */

static uint32_t skew(struct dfuse__segs *s, uint32_t t)
{
	uint32_t l = run_at(s, t)->left;

	if (l != 0 && run_at(s, l)->level == run_at(s, t)->level) {
		run_at(s, t)->left = run_at(s, l)->right;
		run_at(s, l)->right = t;
		return l;
	}
	return t;
}

static uint32_t split(struct dfuse__segs *s, uint32_t t)
{
	uint32_t r = run_at(s, t)->right;

	if (r != 0 && run_at(s, r)->right != 0 &&
	    run_at(s, run_at(s, r)->right)->level == run_at(s, t)->level) {
		run_at(s, t)->right = run_at(s, r)->left;
		run_at(s, r)->left = t;
		run_at(s, r)->level++;
		return r;
	}
	return t;
}

/* Inserts node x under t; returns the new subtree root.  The recursion is
 * as deep as the tree: at most WALK_DEPTH. */
static uint32_t tree_insert(struct dfuse__segs *s, uint32_t t, uint32_t x)
{
	if (t == 0)
		return x;
	if (run_at(s, x)->address < run_at(s, t)->address)
		run_at(s, t)->left = tree_insert(s, run_at(s, t)->left, x);
	else
		run_at(s, t)->right = tree_insert(s, run_at(s, t)->right, x);
	return split(s, skew(s, t));
}

/* The run with the greatest start <= address, or 0. */
static uint32_t find_le(const struct dfuse__segs *s, uint64_t address)
{
	uint32_t t = s->root, best = 0;

	while (t != 0) {
		if (run_at(s, t)->address <= address) {
			best = t;
			t = run_at(s, t)->right;
		} else {
			t = run_at(s, t)->left;
		}
	}
	return best;
}

/* The run with the smallest start >= address, or 0. */
static uint32_t find_ge(const struct dfuse__segs *s, uint64_t address)
{
	uint32_t t = s->root, best = 0;

	while (t != 0) {
		if (run_at(s, t)->address >= address) {
			best = t;
			t = run_at(s, t)->left;
		} else {
			t = run_at(s, t)->right;
		}
	}
	return best;
}

/* In-order iteration without recursion. */
struct walk {
	uint32_t stack[WALK_DEPTH];
	size_t sp;
	uint32_t t;
};

static void walk_init(struct walk *w, const struct dfuse__segs *s)
{
	w->sp = 0;
	w->t = s->root;
}

/* Returns the next run in address order, or 0 at the end. */
static uint32_t walk_next(struct walk *w, const struct dfuse__segs *s)
{
	uint32_t t;

	while (w->t != 0 && w->sp < WALK_DEPTH) {
		w->stack[w->sp++] = w->t;
		w->t = run_at(s, w->t)->left;
	}
	if (w->sp == 0)
		return 0;
	t = w->stack[--w->sp];
	w->t = run_at(s, t)->right;
	return t;
}

/* ======== Storage ======== */

/* Makes room for `extra` more bytes in run i: doubling, capped at the
 * limit (the caller has checked that the bytes fit under it). */
static int run_reserve(struct dfuse__segs *s, uint32_t i, size_t extra)
{
	struct dfuse__run *r = run_at(s, i);
	size_t need, cap;
	uint8_t *p;

	if (dfuse__add_size(&need, r->len, extra))
		return dfuse__oom();
	if (need <= r->cap)
		return 0;
	if (dfuse__mul_size(&cap, r->cap, 2) || cap > s->limit)
		cap = s->limit;
	if (cap < need)
		cap = need;
	p = realloc(r->data - r->head, r->head + cap);
	if (p == NULL)
		return dfuse__oom();
	r->data = p + r->head;
	r->cap = cap;
	return 0;
}

/*
 * Puts data[0..len) just before run i, which starts where the data ends:
 * a record written before the one after it (a file written backwards)
 * grows that run downwards instead of starting a run of its own.  The
 * room below is doubled as it runs out (capped at what the limit still
 * allows), so a file written backwards costs one run and amortised
 * constant time per record.  The run's key in the tree moves down into
 * the gap it fills, so the order of the tree holds.
 */
static int run_prepend(struct dfuse__segs *s, uint32_t i, const uint8_t *data,
		       size_t len)
{
	struct dfuse__run *r = run_at(s, i);

	if (r->head < len) {
		size_t room = r->len + len, left = s->limit - s->total, size;
		uint8_t *p;

		if (room > left)
			room = left;
		if (room < len)
			room = len;
		if (dfuse__add_size(&size, room, r->cap))
			return dfuse__oom();
		p = malloc(size);
		if (p == NULL)
			return dfuse__oom();
		memcpy(p + room, r->data, r->len);
		free(r->data - r->head);
		r->data = p + room;
		r->head = room;
		r->faulted = r->len;
	}
	r->data -= len;
	r->head -= len;
	r->cap += len;
	r->len += len;
	r->faulted += len;
	r->address -= (uint32_t)len;
	memcpy(r->data, data, len);
	return 0;
}

/* Moves run i's bytes to the start of its allocation (no room below). */
static void run_unhead(struct dfuse__run *r)
{
	if (r->head == 0)
		return;
	memmove(r->data - r->head, r->data, r->len);
	r->data -= r->head;
	r->cap += r->head;
	r->head = 0;
}

/* The run that starts exactly at `end` (the one after [.., end)), or 0. */
static uint32_t starts_at(const struct dfuse__segs *s, uint64_t end)
{
	uint32_t i = end < SPAN_END ? find_ge(s, end) : 0;

	return i != 0 && run_at(s, i)->address == end ? i : 0;
}

/* Creates a run holding a copy of data[0..len) at address; returns its
 * index through *out. */
static int run_new(struct dfuse__segs *s, uint32_t *out, uint32_t address,
		   const uint8_t *data, size_t len, size_t line)
{
	struct dfuse__run *r;
	uint8_t *buf;

	if (s->n == 0)
		s->n = 1; /* runs[0] is the nil node */
	/*
	 * A run starts only where a record touches no run written before it
	 * (one that continues a run, or ends where one starts, joins it), so
	 * the runs of a file in any order of a few pieces are few.  Each
	 * costs a record beside its bytes: at most DFUSE_MAX_ELEMENTS of
	 * them keep that a bounded fraction of the limit.
	 */
	if (s->n - 1 >= s->max_runs)
		return dfuse__error_at(
			DFUSE_ETOOBIG, -1, (unsigned long)(line),
			"line %zu: more than %zu separate runs of "
			"data (records that touch no data written "
			"before them), the most an input of at "
			"most %zu bytes may give (one per KiB of "
			"the limit, max_size)",
			line, s->max_runs, s->limit);
	if (s->n >= s->cap) {
		size_t cap = s->cap ? s->cap : 16, bytes;
		struct dfuse__run *runs;

		if (s->cap != 0 && dfuse__mul_size(&cap, s->cap, 2))
			return dfuse__oom();
		if (dfuse__mul_size(&bytes, cap, sizeof(*runs)))
			return dfuse__oom();
		runs = realloc(s->runs, bytes);
		if (runs == NULL)
			return dfuse__oom();
		if (s->cap == 0)
			memset(&runs[0], 0, sizeof(runs[0]));
		s->runs = runs;
		s->cap = cap;
	}
	buf = malloc(len);
	if (buf == NULL)
		return dfuse__oom();
	memcpy(buf, data, len);
	r = &s->runs[s->n];
	r->address = address;
	r->left = r->right = 0;
	r->level = 1;
	r->len = r->cap = r->faulted = len;
	r->head = 0;
	r->data = buf;
	r->line = line;
	*out = (uint32_t)s->n++;
	s->root = tree_insert(s, s->root, *out);
	return 0;
}

/*
 * Maps the next PREFAULT_STEP bytes of a big run's buffer in one call
 * (MADV_POPULATE_WRITE, Linux 5.14) rather than taking one page fault per
 * page as the appends reach them: on the virtual machines this project is
 * measured on a fault costs about 10 us, and for a large sorted file the
 * faults were a third of the parse.  Advisory: an error, an older kernel
 * or another system changes nothing but the speed.  The resident size
 * stays within one step of the data.
 */
static void run_prefault(struct dfuse__run *r, size_t need)
{
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
	long ps = sysconf(_SC_PAGESIZE);
	size_t want = r->faulted + PREFAULT_STEP;
	uintptr_t lo, hi, mask;

	if (want < need)
		want = need;
	if (want > r->cap)
		want = r->cap;
	if (ps > 0) {
		mask = (uintptr_t)ps - 1;
		lo = ((uintptr_t)r->data + r->faulted + mask) & ~mask;
		hi = ((uintptr_t)r->data + want) & ~mask;
		if (hi > lo)
			(void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
	}
	r->faulted = want;
#else
	r->faulted = need;
#endif
}

/* Appends data[0..len) to run i, which ends where the data starts. */
static int run_append(struct dfuse__segs *s, uint32_t i, const uint8_t *data,
		      size_t len)
{
	struct dfuse__run *r;

	DFUSE__TRY(run_reserve(s, i, len));
	r = run_at(s, i);
	if (r->len + len > r->faulted && r->cap >= PREFAULT_STEP)
		run_prefault(r, r->len + len);
	memcpy(r->data + r->len, data, len);
	r->len += len;
	return 0;
}

/* Makes run i the fast path's target. */
static void set_last(struct dfuse__segs *s, uint32_t i)
{
	uint32_t next = find_ge(s, run_end(run_at(s, i)));

	s->last = i;
	s->last_limit = next ? run_at(s, next)->address : SPAN_END;
}

/* ======== Writing ======== */

static int too_big(const struct dfuse__segs *s, size_t line)
{
	return dfuse__error_at(DFUSE_ETOOBIG, -1, (unsigned long)(line),
			       "line %zu: the data would exceed %zu bytes, the "
			       "input limit (max_size)",
			       line, s->limit);
}

/*
 * Compares the bytes that run i shares with the record [address, end).
 * Returns 0 if they agree, else DFUSE_EOVERLAP naming both lines.
 */
static int compare_run(const struct dfuse__segs *s, uint32_t i,
		       uint32_t address, uint64_t end, const uint8_t *data,
		       size_t line)
{
	const struct dfuse__run *r = run_at(s, i);
	uint64_t lo = r->address > address ? r->address : address;
	uint64_t hi = run_end(r) < end ? run_end(r) : end;
	uint64_t a;
	size_t first;
	uint32_t rec;

	for (a = lo; a < hi; a++) {
		uint8_t was = r->data[a - r->address];
		uint8_t now = data[a - address];

		if (was == now)
			continue;
		if (s->find != NULL &&
		    s->find(s->find_ctx, (uint32_t)a, line, &first, &rec))
			return dfuse__error_at(
				DFUSE_EOVERLAP, -1, (unsigned long)(line),
				"line %zu: record at 0x%08x writes 0x%02x at "
				"0x%08x, but line %zu already wrote 0x%02x "
				"there",
				line, (unsigned)address, now, (unsigned)a,
				first, was);
		return dfuse__error_at(
			DFUSE_EOVERLAP, -1, (unsigned long)(line),
			"line %zu: record at 0x%08x writes 0x%02x "
			"at 0x%08x, but the run starting at line "
			"%zu already holds 0x%02x there",
			line, (unsigned)address, now, (unsigned)a, r->line,
			was);
	}
	return 0;
}

/* Pass 1: checks the shared bytes and counts the new ones. */
static int write_check(const struct dfuse__segs *s, uint32_t address,
		       uint64_t end, const uint8_t *data, size_t line,
		       size_t *added)
{
	uint64_t pos = address;
	uint32_t i = find_le(s, address);

	*added = 0;
	if (i != 0 && run_end(run_at(s, i)) > address) {
		DFUSE__TRY(compare_run(s, i, address, end, data, line));
		pos = run_end(run_at(s, i)) < end ? run_end(run_at(s, i)) : end;
	}
	while (pos < end) {
		uint64_t gap_end = end;

		i = find_ge(s, pos);
		if (i != 0 && run_at(s, i)->address < end)
			gap_end = run_at(s, i)->address;
		*added += (size_t)(gap_end - pos);
		if (gap_end == end)
			break;
		DFUSE__TRY(compare_run(s, i, address, end, data, line));
		pos = run_end(run_at(s, i)) < end ? run_end(run_at(s, i)) : end;
	}
	return 0;
}

/* Pass 2: stores the gaps; every shared byte is known to agree. */
static int write_gaps(struct dfuse__segs *s, uint32_t address, uint64_t end,
		      const uint8_t *data, size_t line)
{
	uint64_t pos = address;
	uint32_t i = find_le(s, address), prev = 0;

	if (i != 0 && run_end(run_at(s, i)) >= address) {
		prev = i;
		if (run_end(run_at(s, i)) > pos)
			pos = run_end(run_at(s, i)) < end
				      ? run_end(run_at(s, i))
				      : end;
	}
	while (pos < end) {
		uint64_t gap_end = end;

		i = find_ge(s, pos);
		if (i != 0 && run_at(s, i)->address < end)
			gap_end = run_at(s, i)->address;
		if (gap_end > pos) {
			const uint8_t *src = data + (pos - address);
			size_t n = (size_t)(gap_end - pos);

			uint32_t after = starts_at(s, gap_end);

			if (prev != 0 && run_end(run_at(s, prev)) == pos) {
				DFUSE__TRY(run_append(s, prev, src, n));
			} else if (after != 0) {
				DFUSE__TRY(run_prepend(s, after, src, n));
				prev = after;
			} else {
				/* i keeps its index: slots never move */
				DFUSE__TRY(run_new(s, &prev, (uint32_t)pos, src,
						   n, line));
			}
			s->total += n;
		}
		if (gap_end == end)
			break;
		prev = i;
		pos = run_end(run_at(s, i)) < end ? run_end(run_at(s, i)) : end;
	}
	if (prev != 0)
		set_last(s, prev);
	return 0;
}

int dfuse__segs_write(struct dfuse__segs *s, uint32_t address,
		      const uint8_t *data, size_t len, size_t line)
{
	uint64_t end = (uint64_t)address + len;
	size_t added;

	if (len == 0)
		return 0;
	if (dfuse__range_overflows(address, len))
		return dfuse__error_at(DFUSE_ERANGE, -1, (unsigned long)(line),
				       "line %zu: %zu bytes at 0x%08x run past "
				       "the end of the 32-bit address space",
				       line, len, (unsigned)address);

	/* Fast path: the record continues the run written last. */
	if (s->last != 0 && run_end(run_at(s, s->last)) == address &&
	    end <= s->last_limit) {
		if (len > s->limit - s->total)
			return too_big(s, line);
		DFUSE__TRY(run_append(s, s->last, data, len));
		s->total += len;
		return 0;
	}
	/* Next fastest: a new run in the gap after it (sparse, ascending). */
	if (s->last != 0 && run_end(run_at(s, s->last)) < address &&
	    end < s->last_limit) {
		uint32_t i;

		if (len > s->limit - s->total)
			return too_big(s, line);
		DFUSE__TRY(run_new(s, &i, address, data, len, line));
		s->total += len;
		s->last = i; /* the run after it is still at last_limit */
		return 0;
	}

	DFUSE__TRY(write_check(s, address, end, data, line, &added));
	if (added > s->limit - s->total)
		return too_big(s, line);
	return write_gaps(s, address, end, data, line);
}

/* ======== Commit ======== */

/* Elements of a target sorted by address and disjoint: the precondition
 * of the pre-check below. */
static int target_sorted(const struct target *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (i > 0 &&
		    (uint64_t)t->el[i - 1].address + t->el[i - 1].size >
			    t->el[i].address)
			return 0;
	}
	return 1;
}

static int image_conflict(const struct dfuse__segs *s,
			  const struct dfuse__run *r, uint64_t a, uint8_t now,
			  const struct element *e)
{
	uint8_t was = e->data[a - e->address];
	const char *src = e->source ? e->source : "<input>";
	size_t line;
	uint32_t rec;

	if (s->find != NULL &&
	    s->find(s->find_ctx, (uint32_t)a, SIZE_MAX, &line, &rec))
		return dfuse__error_at(
			DFUSE_EOVERLAP, -1, (unsigned long)(line),
			"line %zu: record at 0x%08x writes 0x%02x "
			"at 0x%08x, but '%s' already has 0x%02x "
			"there",
			line, (unsigned)rec, now, (unsigned)a, src, was);
	return dfuse__error_at(DFUSE_EOVERLAP, -1, (unsigned long)(r->line),
			       "line %zu: the run starting there writes 0x%02x "
			       "at 0x%08x, but '%s' already has 0x%02x there",
			       r->line, now, (unsigned)a, src, was);
}

/*
 * Compares every run with the elements the target already holds, so that
 * a conflict fails before anything is added.  Runs and elements are both
 * sorted and disjoint: one merge-like sweep.
 */
static int precheck(const struct dfuse__segs *s, const struct target *t)
{
	struct walk w;
	size_t j = 0;
	uint32_t i;

	walk_init(&w, s);
	for (i = walk_next(&w, s); i != 0; i = walk_next(&w, s)) {
		const struct dfuse__run *r = run_at(s, i);

		while (j < t->n &&
		       (uint64_t)t->el[j].address + t->el[j].size <= r->address)
			j++;
		for (; j < t->n && t->el[j].address < run_end(r); j++) {
			const struct element *e = &t->el[j];
			uint64_t lo = e->address > r->address ? e->address
							      : r->address;
			uint64_t e_end = (uint64_t)e->address + e->size;
			uint64_t hi = e_end < run_end(r) ? e_end : run_end(r);
			uint64_t a;

			for (a = lo; a < hi; a++) {
				uint8_t now = r->data[a - r->address];

				if (e->data[a - e->address] != now)
					return image_conflict(s, r, a, now, e);
			}
			if (e_end > run_end(r))
				break; /* the element may reach the next run */
		}
	}
	return 0;
}

/* Joins the runs after run i that touch it into run i's buffer, trimmed to
 * size; *w is left at the first run that does not touch. */
static int join_chain(struct dfuse__segs *s, uint32_t i, struct walk *w,
		      uint32_t *next)
{
	struct dfuse__run *r = run_at(s, i);
	struct walk ahead = *w;
	size_t total = r->len;
	uint32_t k;
	uint8_t *p;

	run_unhead(r);
	k = walk_next(&ahead, s);
	while (k != 0 &&
	       run_at(s, k)->address == (uint64_t)r->address + total) {
		total += run_at(s, k)->len; /* runs are disjoint: no overflow */
		k = walk_next(&ahead, s);
	}
	if (total != r->cap) {
		p = realloc(r->data, total);
		if (p == NULL)
			return dfuse__oom();
		r->data = p;
		r->cap = total;
	}
	k = walk_next(w, s);
	while (k != 0 && r->len < total) {
		struct dfuse__run *o = run_at(s, k);

		memcpy(r->data + r->len, o->data, o->len);
		r->len += o->len;
		free(o->data - o->head);
		o->data = NULL;
		o->head = 0;
		k = walk_next(w, s);
	}
	*next = k;
	return 0;
}

int dfuse__segs_commit(struct dfuse__segs *s, dfuse_image *img, size_t target,
		       const dfuse_input_options *opts)
{
	struct walk w;
	uint32_t i, next = 0;

	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (img->t[target].n > 0 && target_sorted(&img->t[target]))
		DFUSE__TRY(precheck(s, &img->t[target]));

	walk_init(&w, s);
	i = walk_next(&w, s);
	while (i != 0) {
		struct dfuse__run *r;
		uint8_t *data;
		size_t len;

		DFUSE__TRY(join_chain(s, i, &w, &next));
		r = run_at(s, i);
		data = r->data;
		len = r->len;
		r->data =
			NULL; /* owned by the image from here, even on error */
		r->len = r->cap = 0;
		s->total -= len;
		DFUSE__TRY(dfuse__image_add_owned(img, target, r->address, data,
						  len, opts));
		i = next;
	}
	return 0;
}
