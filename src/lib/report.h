/*
 * report.h - building a dfuse_report (findings of the reader and of
 * checks).  The number of findings is capped; past the cap one last
 * "too-many-findings" note is kept and the rest dropped.
 */
#ifndef DFUSE_REPORT_H
#define DFUSE_REPORT_H

#include "common.h"

#define DFUSE__REPORT_MAX 1000

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

/* Every error or warning whose code is one of codes[0..n) becomes a note
 * with `allowed` set (dfuse_check_options.allow). */
void dfuse__report_allow(dfuse_report *r, const char *const *codes, size_t n);

#endif /* DFUSE_REPORT_H */
