/*
 * findings.h - printing dfuse_check() findings, compiler style:
 *   release.dfu: 0x08000000-0x0800037f: warning: cm7: ... [sp-near-ram-end]
 * and as JSON objects.
 */
#ifndef DFUSETOOL_FINDINGS_H
#define DFUSETOOL_FINDINGS_H

#include "json.h"

#include <dfuse.h>
#include <stdio.h>

/* Prints every finding to f, each line led by "SUBJECT: " (or an
 * indent for NULL); returns the number of errors and, through
 * *warnings, of warnings. */
size_t findings_print(FILE *f, const char *subject, const dfuse_report *r,
		      size_t *warnings);
/* The same for findings at `min` severity or worse only (-q shows the
 * errors). */
size_t findings_print_min(FILE *f, const char *subject,
			  const dfuse_report *r, size_t *warnings, int min);
/* An array of {"severity", "code", "address", "end", "core", "target",
 * "element", "offset", "message"}; absent values are null. */
void findings_json(struct json *j, const dfuse_report *r);
/* "key": that array, or null for a NULL report. */
void findings_kjson(struct json *j, const char *key, const dfuse_report *r);

#endif /* DFUSETOOL_FINDINGS_H */
