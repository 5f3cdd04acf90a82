/*
 * findings.h - printing dfuse_check() findings, compiler style:
 *   release.dfu: 0x08000000-0x0800037f: warning: cm7: ... [sp-near-ram-end]
 * and as JSON objects.
 */
#ifndef DFUSETOOL_FINDINGS_H
#define DFUSETOOL_FINDINGS_H

#include "devopts.h"
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
size_t findings_print_min(FILE *f, const char *subject, const dfuse_report *r,
			  size_t *warnings, int min);

/* What the command line can do about a finding with this code (a line
 * naming the option), or NULL. */
const char *findings_cli_hint(const char *code);

/* One line per element on stdout: range, size, core, flash location,
 * source; with `headers`, a line per target first. */
void print_elements(const dfuse_image *img, const struct devopts *dev,
		    int headers);

/*
 * The check rules on an image about to be written to `out` (build,
 * merge): findings on stderr, as a compiler's; errors stop the write
 * unless `force`.  Returns 0 to write, else EXIT_FAIL after saying why.
 */
/*
 * The --force refusal of a command about to write `out` (build, merge):
 * no error in rep, or force: 0 (with force, a warning counts the errors);
 * else EXIT_FAIL after saying why, `see` telling where the findings are
 * ("see above"), and the first error's code becomes the JSON answer's.
 */
int findings_refuse(const dfuse_report *rep, const char *out, int force,
		    const char *see);
int check_before_writing(const dfuse_image *img, const struct devopts *dev,
			 const char *out, int force);
/* An array of {"severity", "code", "address", "end", "core", "target",
 * "element", "offset", "message", "allowed"}; absent values are null;
 * "allowed" is true when --allow lowered the finding to a note. */
void findings_json(struct json *j, const dfuse_report *r);
/* "key": that array, or null for a NULL report. */
void findings_kjson(struct json *j, const char *key, const dfuse_report *r);

#endif /* DFUSETOOL_FINDINGS_H */
