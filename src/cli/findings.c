/*
 * findings.c - check findings as text and JSON.
 */
#include "findings.h"

size_t findings_print(FILE *f, const char *subject, const dfuse_report *r,
		      size_t *warnings)
{
	return findings_print_min(f, subject, r, warnings, DFUSE_SEV_NOTE);
}

size_t findings_print_min(FILE *f, const char *subject,
			  const dfuse_report *r, size_t *warnings, int min)
{
	size_t i, errors = 0, warns = 0;

	for (i = 0; i < dfuse_report_count(r); i++) {
		dfuse_finding x;

		if (dfuse_report_get(&x, r, i) < 0)
			continue;
		if (x.severity == DFUSE_SEV_ERROR)
			errors++;
		else if (x.severity == DFUSE_SEV_WARNING)
			warns++;
		if (x.severity < min)
			continue;
		if (subject != NULL)
			fprintf(f, "%s: ", subject);
		else
			fputs("    ", f);
		if (x.has_range)
			fprintf(f, "0x%08x-0x%08llx: ", (unsigned)x.address,
				(unsigned long long)(x.end > x.address
							     ? x.end - 1
							     : x.end));
		else if (x.offset >= 0)
			fprintf(f, "offset 0x%llx: ",
				(unsigned long long)x.offset);
		fprintf(f, "%s: ", dfuse_severity_name(x.severity));
		if (x.core != DFUSE_CORE_NONE)
			fprintf(f, "%s: ", dfuse_core_name(x.core));
		fprintf(f, "%s [%s]\n", x.message, x.code);
	}
	if (warnings != NULL)
		*warnings = warns;
	return errors;
}

void findings_json(struct json *j, const dfuse_report *r)
{
	size_t i;

	json_begin_array(j);
	for (i = 0; i < dfuse_report_count(r); i++) {
		dfuse_finding x;

		if (dfuse_report_get(&x, r, i) < 0)
			continue;
		json_begin_object(j);
		json_kstr(j, "severity", dfuse_severity_name(x.severity));
		json_kstr(j, "code", x.code);
		if (x.has_range) {
			json_kuint(j, "address", x.address);
			json_kuint(j, "end", x.end);
		} else {
			json_knull(j, "address");
			json_knull(j, "end");
		}
		if (x.core != DFUSE_CORE_NONE)
			json_kstr(j, "core", dfuse_core_name(x.core));
		else
			json_knull(j, "core");
		if (x.target >= 0)
			json_kint(j, "target", x.target);
		else
			json_knull(j, "target");
		if (x.element >= 0)
			json_kint(j, "element", x.element);
		else
			json_knull(j, "element");
		if (x.offset >= 0)
			json_kint(j, "offset", x.offset);
		else
			json_knull(j, "offset");
		json_kstr(j, "message", x.message);
		json_end_object(j);
	}
	json_end_array(j);
}

void findings_kjson(struct json *j, const char *key, const dfuse_report *r)
{
	json_key(j, key);
	if (r != NULL)
		findings_json(j, r);
	else
		json_null(j);
}
