/*
 * report.c - a list of findings: {severity, code, offset, target, element,
 * message}.  Used by the DfuSe reader for diagnostics and by checks.
 */
#include "report.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item {
	dfuse_finding f;
	char *message; /* owned */
};

struct dfuse_report {
	struct item *items;
	size_t n, cap;
	int truncated;
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

static int push(dfuse_report *r, const dfuse_finding *f, char *message)
{
	struct item *it;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct item *items = realloc(r->items, cap * sizeof(*items));

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

/* Formats the message and adds the finding, minding the cap. */
static int add(dfuse_report *r, const dfuse_finding *f, const char *fmt,
	       va_list ap) DFUSE__PRINTF(3, 0);

static int add(dfuse_report *r, const dfuse_finding *f, const char *fmt,
	       va_list ap)
{
	dfuse_finding cap;
	char tmp[1024];
	char *message;

	if (r->truncated)
		return 0;
	if (r->n >= DFUSE__REPORT_MAX) {
		r->truncated = 1;
		memset(&cap, 0, sizeof(cap));
		cap.severity = DFUSE_SEV_NOTE;
		cap.code = "too-many-findings";
		cap.offset = -1;
		cap.target = -1;
		cap.element = -1;
		message = strdup("too many findings; the rest are not shown");
		if (message == NULL)
			return dfuse__oom();
		return push(r, &cap, message);
	}
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	message = strdup(tmp);
	if (message == NULL)
		return dfuse__oom();
	return push(r, f, message);
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
	rc = add(r, &f, fmt, ap);
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
	rc = add(r, &f, fmt, ap);
	va_end(ap);
	return rc;
}

void dfuse__report_allow(dfuse_report *r, const char *const *codes, size_t n)
{
	size_t i, k;

	for (i = 0; r != NULL && i < r->n; i++) {
		dfuse_finding *f = &r->items[i].f;

		if (f->severity <= DFUSE_SEV_NOTE)
			continue;
		for (k = 0; k < n; k++)
			if (codes[k] != NULL && strcmp(codes[k], f->code) == 0) {
				f->severity = DFUSE_SEV_NOTE;
				f->allowed = 1;
				break;
			}
	}
}

size_t dfuse_report_count(const dfuse_report *r)
{
	return r ? r->n : 0;
}

size_t dfuse_report_count_at_least(const dfuse_report *r, int severity)
{
	size_t i, n = 0;

	if (r == NULL)
		return 0;
	for (i = 0; i < r->n; i++)
		if (r->items[i].f.severity >= severity)
			n++;
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
