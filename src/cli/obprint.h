/*
 * obprint.h - a decoded option-byte block (dfuse_option_bytes) in text and
 * in JSON, for info and for any command that shows a board's option bytes
 * (check --live).  The words are the library's (dfuse_option_field.text);
 * this file only groups and lays them out.
 */
#ifndef DFUSETOOL_OBPRINT_H
#define DFUSETOOL_OBPRINT_H

#include "json.h"

#include <dfuse.h>

#include <stdio.h>

/* The groups the fields are shown in, in this order. */
enum {
	OB_GROUP_PROTECTION, /* RDP, SECURITY */
	OB_GROUP_BOOT,	     /* BCM7/BCM4, BOOT_CMx_ADDy, bank swap */
	OB_GROUP_WRP,	     /* nWRP1, nWRP2 */
	OB_GROUP_AREAS,	     /* PCROP (PROT_AREAx), secure (SEC_AREAx) */
	OB_GROUP_WATCHDOG,   /* IWDG, NRST_*, BOR_LEV */
	OB_GROUP_OTHER,	     /* everything else, reserved bits included */
	OB_GROUPS
};

/* The group of a field name (OB_GROUP_OTHER for a name not known here). */
int obprint_group(const char *name);
/* "protection", "boot", "write protection", "PCROP and secure areas",
 * "watchdogs, reset and BOR", "other". */
const char *obprint_group_title(int group);

/*
 * Every field, grouped, one line each on `f`:
 *     "  NAME           raw         text"
 * with "warning: " or "note: " before the text of a field whose value
 * changes what boots or what can be flashed.  Reserved bits come raw
 * (the RESERVED field's text is the library's).  Each group starts with
 * its title line, `indent` spaces in.
 */
void obprint_text(FILE *f, const dfuse_option_bytes *ob, int indent);

/* The fields as a JSON array under `key`: [{name, group, raw, known,
 * severity ("plain", "note", "warning"), affects: ["boot", "write",
 * "read"], text, offset, sector (or null), address/end (or null)}]. */
void obprint_kjson_fields(struct json *j, const char *key,
			  const dfuse_option_bytes *ob);

/* The sentence on why dfusetool never writes option bytes. */
extern const char obprint_never_written[];

#endif /* DFUSETOOL_OBPRINT_H */
