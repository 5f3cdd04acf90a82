/*
 * report.c - a list of findings: {severity, code, offset, target, element,
 * message}.  Used by the DfuSe reader for diagnostics, by checks and by
 * merges.
 *
 * A verdict must not depend on how much is kept, so:
 *  - counts[] tallies every finding added, by severity, and
 *    dfuse_report_count_at_least() answers from it alone;
 *  - every error is kept (a file can only hold so many: the reader finds
 *    at most a few per element, so memory stays proportional to the
 *    input);
 *  - notes and warnings are kept up to DFUSE__REPORT_PER_CODE for each
 *    (code, severity) and DFUSE__REPORT_MAX in all.  The first one left
 *    out of a code adds a "too-many-findings" note at that place, whose
 *    message keeps saying how many of that code were left out ("and 2900
 *    more element-empty warnings").  Summary notes are not findings of the
 *    input and are not counted.
 * A finding left out costs no formatting and no memory.
 */
#include "report.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUMMARY_LEN 128 /* bytes of a summary note's message buffer */
#define NONE SIZE_MAX

struct item {
	dfuse_finding f;
	char *message; /* owned */
};

/* Notes or warnings of one code: how many were added, kept, and the
 * summary note that counts the others. */
struct tally {
	const char *code;
	int severity;
	size_t added, kept;
	size_t summary; /* index in items, or NONE */
};

struct dfuse_report {
	struct item *items;
	size_t n, cap;
	size_t counts[3];  /* every finding added, by severity */
	size_t minor_kept; /* notes and warnings kept */
	struct tally *tally;
	size_t ntally, tally_cap, last; /* last: the tally used last */
	const char *const *allow;	/* codes lowered to notes (borrowed) */
	size_t nallow;
};

int dfuse__report_new(dfuse_report **out)
{
	dfuse_report *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (r == NULL)
		return dfuse__oom();
	*out = r;
	return 0;
}

static int sev_index(int severity)
{
	if (severity <= DFUSE_SEV_NOTE)
		return DFUSE_SEV_NOTE;
	return severity >= DFUSE_SEV_ERROR ? DFUSE_SEV_ERROR : severity;
}

static int push(dfuse_report *r, const dfuse_finding *f, char *message)
{
	struct item *it;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8, bytes;
		struct item *items;

		if (dfuse__mul_size(&bytes, cap, sizeof(*items))) {
			free(message);
			return dfuse__oom();
		}
		items = realloc(r->items, bytes);
		if (items == NULL) {
			free(message);
			return dfuse__oom();
		}
		r->items = items;
		r->cap = cap;
	}
	it = &r->items[r->n++];
	it->f = *f;
	it->f.message = message;
	it->message = message;
	return 0;
}

static struct tally *find_tally(dfuse_report *r, const char *code, int severity)
{
	struct tally *t;
	size_t i;

	if (r->last < r->ntally) {
		t = &r->tally[r->last];
		if (t->severity == severity &&
		    (t->code == code || strcmp(t->code, code) == 0))
			return t;
	}
	for (i = 0; i < r->ntally; i++) {
		t = &r->tally[i];
		if (t->severity == severity &&
		    (t->code == code || strcmp(t->code, code) == 0)) {
			r->last = i;
			return t;
		}
	}
	if (r->ntally == r->tally_cap) {
		size_t cap = r->tally_cap ? r->tally_cap * 2 : 8;
		struct tally *n = realloc(r->tally, cap * sizeof(*n));

		if (n == NULL)
			return NULL;
		r->tally = n;
		r->tally_cap = cap;
	}
	t = &r->tally[r->ntally];
	memset(t, 0, sizeof(*t));
	t->code = code;
	t->severity = severity;
	t->summary = NONE;
	r->last = r->ntally++;
	return t;
}

/* A note or warning left out: the summary note of its code says so. */
static int left_out(dfuse_report *r, struct tally *t)
{
	const size_t more = t->added - t->kept;
	struct item *it;

	if (t->summary == NONE) {
		dfuse_finding s;
		char *message = malloc(SUMMARY_LEN);

		if (message == NULL)
			return dfuse__oom();
		memset(&s, 0, sizeof(s));
		s.severity = DFUSE_SEV_NOTE;
		s.code = "too-many-findings";
		s.offset = -1;
		s.target = -1;
		s.element = -1;
		s.core = DFUSE_CORE_NONE;
		DFUSE__TRY(push(r, &s, message));
		t->summary = r->n - 1;
	}
	it = &r->items[t->summary];
	snprintf(it->message, SUMMARY_LEN,
		 "and %zu more %s %s%s, not listed (%zu listed)", more, t->code,
		 dfuse_severity_name(t->severity), more == 1 ? "" : "s",
		 t->kept);
	return 0;
}

void dfuse__report_set_allow(dfuse_report *r, const char *const *codes,
			     size_t n)
{
	r->allow = codes;
	r->nallow = codes != NULL ? n : 0;
}

static int allowed(const dfuse_report *r, const char *code)
{
	size_t k;

	for (k = 0; k < r->nallow; k++)
		if (r->allow[k] != NULL && strcmp(r->allow[k], code) == 0)
			return 1;
	return 0;
}

/* Counts the finding, then keeps it (formatting its message) or not. */
static int vadd(dfuse_report *r, const dfuse_finding *f, const char *fmt,
		va_list ap) DFUSE__PRINTF(3, 0);

static int vadd(dfuse_report *r, const dfuse_finding *in, const char *fmt,
		va_list ap)
{
	dfuse_finding low;
	const dfuse_finding *f = in;
	int sev = sev_index(in->severity);
	char tmp[1024];
	char *message;

	if (sev > DFUSE_SEV_NOTE && r->nallow > 0 && allowed(r, in->code)) {
		low = *in;
		low.severity = DFUSE_SEV_NOTE;
		low.allowed = 1;
		f = &low;
		sev = DFUSE_SEV_NOTE;
	}

	r->counts[sev]++;
	if (sev != DFUSE_SEV_ERROR) {
		struct tally *t = find_tally(r, f->code, sev);

		if (t == NULL)
			return dfuse__oom();
		t->added++;
		if (t->kept >= DFUSE__REPORT_PER_CODE ||
		    r->minor_kept >= DFUSE__REPORT_MAX)
			return left_out(r, t);
		t->kept++;
		r->minor_kept++;
	}
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	message = strdup(tmp);
	if (message == NULL)
		return dfuse__oom();
	return push(r, f, message);
}

int dfuse__report_vadd_finding(dfuse_report *r, const dfuse_finding *f,
			       const char *fmt, va_list ap)
{
	return vadd(r, f, fmt, ap);
}

int dfuse__report_add_finding(dfuse_report *r, const dfuse_finding *f,
			      const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vadd(r, f, fmt, ap);
	va_end(ap);
	return rc;
}

int dfuse__report_add(dfuse_report *r, int severity, const char *code,
		      int64_t offset, int target, int element, const char *fmt,
		      ...)
{
	dfuse_finding f;
	va_list ap;
	int rc;

	memset(&f, 0, sizeof(f));
	f.severity = severity;
	f.code = code;
	f.offset = offset;
	f.target = target;
	f.element = element;
	va_start(ap, fmt);
	rc = vadd(r, &f, fmt, ap);
	va_end(ap);
	return rc;
}

int dfuse__report_add_range(dfuse_report *r, int severity, const char *code,
			    int target, int element, uint32_t address,
			    uint64_t end, int core, const char *fmt, ...)
{
	dfuse_finding f;
	va_list ap;
	int rc;

	memset(&f, 0, sizeof(f));
	f.severity = severity;
	f.code = code;
	f.offset = -1;
	f.target = target;
	f.element = element;
	f.has_range = 1;
	f.address = address;
	f.end = end;
	f.core = core;
	va_start(ap, fmt);
	rc = vadd(r, &f, fmt, ap);
	va_end(ap);
	return rc;
}

size_t dfuse_report_count(const dfuse_report *r)
{
	return r ? r->n : 0;
}

size_t dfuse_report_count_at_least(const dfuse_report *r, int severity)
{
	size_t n = 0;
	int s;

	if (r == NULL)
		return 0;
	for (s = DFUSE_SEV_NOTE; s <= DFUSE_SEV_ERROR; s++)
		if (s >= severity)
			n += r->counts[s];
	return n;
}

int dfuse_report_get(dfuse_finding *out, const dfuse_report *r, size_t i)
{
	if (out == NULL || r == NULL || i >= r->n)
		return dfuse__error(DFUSE_EINVAL,
				    "finding %zu does not exist (%zu findings)",
				    i, r ? r->n : 0);
	*out = r->items[i].f;
	return 0;
}

void dfuse_report_free(dfuse_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		free(r->items[i].message);
	free(r->items);
	free(r->tally);
	free(r);
}

const char *dfuse_severity_name(int severity)
{
	switch (severity) {
	case DFUSE_SEV_NOTE:
		return "note";
	case DFUSE_SEV_WARNING:
		return "warning";
	case DFUSE_SEV_ERROR:
		return "error";
	default:
		return "unknown";
	}
}
