/*
 * report.h - building a dfuse_report (findings of the reader, of checks
 * and of merges).
 *
 * No finding is lost from the counts: dfuse_report_count_at_least() counts
 * every finding ever added, whatever is kept.  Every error is kept.  Notes
 * and warnings are kept up to DFUSE__REPORT_PER_CODE per (code, severity)
 * and DFUSE__REPORT_MAX in all; past that, one "too-many-findings" note per
 * code, placed where its first finding was left out, says how many more
 * there were.  Those summary notes are reachable by dfuse_report_get() but
 * are not counted as findings.
 */
#ifndef DFUSE_REPORT_H
#define DFUSE_REPORT_H

#include "common.h"

#include <stdarg.h>

#define DFUSE__REPORT_MAX 1000	   /* notes and warnings kept, in all */
#define DFUSE__REPORT_PER_CODE 100 /* notes or warnings kept per code */

int dfuse__report_new(dfuse_report **out);
/* Adds a finding; the message is formatted and copied.  Returns 0 or
 * DFUSE_ENOMEM. */
int dfuse__report_add(dfuse_report *r, int severity, const char *code,
		      int64_t offset, int target, int element, const char *fmt,
		      ...) DFUSE__PRINTF(7, 8);

/* A finding about an address range [address, end) of a core. */
int dfuse__report_add_range(dfuse_report *r, int severity, const char *code,
			    int target, int element, uint32_t address,
			    uint64_t end, int core, const char *fmt, ...)
	DFUSE__PRINTF(9, 10);

/* Any finding: every field of *f is copied (f->message is ignored; the
 * message is formatted from fmt). */
int dfuse__report_add_finding(dfuse_report *r, const dfuse_finding *f,
			      const char *fmt, ...) DFUSE__PRINTF(3, 4);

/* The same with a va_list (for callers with their own varargs). */
int dfuse__report_vadd_finding(dfuse_report *r, const dfuse_finding *f,
			       const char *fmt, va_list ap) DFUSE__PRINTF(3, 0);

/* From now on, every error or warning added whose code is one of
 * codes[0..n) (borrowed, must outlive the adding) is counted and kept as
 * a note with `allowed` set (dfuse_check_options.allow).  Lowering at
 * the time of adding keeps the counts exact. */
void dfuse__report_set_allow(dfuse_report *r, const char *const *codes,
			     size_t n);

#endif /* DFUSE_REPORT_H */
