/*
 * findings.c - check findings as text and JSON, the --allow codes, the
 * option hints of finding codes, and the --force refusal of build and
 * merge.
 */
#include "findings.h"
#include "cmd.h"
#include "flash.h"
#include "msg.h"

#include <stdlib.h>
#include <string.h>

/*
 * What the command line can do about a finding whose message names a
 * library setting (the library never names an option): one line for the
 * codes that have one, else NULL.
 */
const char *findings_cli_hint(const char *code)
{
	static const struct {
		const char *code, *hint;
	} hints[] = {
		{"flash-word-unaligned", "dfusetool build pads with 0xFF"},
		{"too-many-elements",
		 "a larger --max-input-size SIZE raises the element limit "
		 "(one element per KiB of the input limit)"},
		/* the board's option bytes (the live checks) */
		{"swap-bank",
		 "download --force (or --allow swap-bank) writes it anyway"},
		{"boot-address-conflict",
		 "drop --boot-cm7/--boot-cm4 (the board's option bytes give "
		 "the boot addresses) or make it agree with the board"},
		{"write-protected",
		 "dfusetool never changes option bytes; STM32CubeProgrammer's "
		 "option-byte editor removes write protection"},
	};
	size_t i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(code, hints[i].code) == 0)
			return hints[i].hint;
	return NULL;
}

size_t findings_print(FILE *f, const char *subject, const dfuse_report *r,
		      size_t *warnings)
{
	return findings_print_min(f, subject, r, warnings, DFUSE_SEV_NOTE);
}

size_t findings_print_min(FILE *f, const char *subject, const dfuse_report *r,
			  size_t *warnings, int min)
{
	size_t i, errors = 0, warns = 0;

	for (i = 0; i < dfuse_report_count(r); i++) {
		dfuse_finding x;

		if (dfuse_report_get(&x, r, i) < 0)
			continue;
		if (x.severity < min)
			continue;
		if (subject != NULL)
			msg_fprintf(f, "%s: ", subject);
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
		msg_fprintf(f, "%s [%s%s]\n", x.message, x.code,
			    x.allowed ? ", allowed" : "");
		if (findings_cli_hint(x.code) != NULL && subject != NULL)
			msg_fprintf(f, "%s: note: %s\n", subject,
				    findings_cli_hint(x.code));
		else if (findings_cli_hint(x.code) != NULL)
			fprintf(f, "    note: %s\n", findings_cli_hint(x.code));
	}
	/* from every finding, not the ones a long run summarises */
	errors = dfuse_report_count_at_least(r, DFUSE_SEV_ERROR);
	warns = dfuse_report_count_at_least(r, DFUSE_SEV_WARNING) - errors;
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
		json_kbool(j, "allowed", x.allowed != 0);
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

int findings_refuse(const dfuse_report *rep, const char *out, int force,
		    const char *see)
{
	const size_t errors = dfuse_report_count_at_least(rep, DFUSE_SEV_ERROR);
	dfuse_finding x;
	size_t i;

	if (errors == 0)
		return 0;
	if (force) {
		warnf("'%s': written with %zu check error%s (--force)", out,
		      errors, errors == 1 ? "" : "s");
		return 0;
	}
	errorf("'%s': not written: the checks found %zu error%s (%s; "
	       "--force writes it anyway)",
	       out, errors, errors == 1 ? "" : "s", see);
	/* a JSON answer's code: the first error's finding code */
	for (i = 0; i < dfuse_report_count(rep); i++)
		if (dfuse_report_get(&x, rep, i) == 0 &&
		    x.severity == DFUSE_SEV_ERROR) {
			answer_set_code(x.code);
			break;
		}
	return EXIT_FAIL;
}

int check_before_writing(const dfuse_image *img, const struct devopts *dev,
			 const char *out, int force)
{
	dfuse_check_options o;
	dfuse_report *rep = NULL;
	int status;

	devopts_check_options(dev, &o);
	if (dfuse_check(&rep, img, &o) < 0) {
		error_lib(out);
		return EXIT_FAIL;
	}
	if (msg_verbosity() >= 0 ||
	    dfuse_report_count_at_least(rep, DFUSE_SEV_ERROR) > 0)
		findings_print(stderr, out, rep, NULL);
	status = findings_refuse(rep, out, force, "see above");
	dfuse_report_free(rep);
	return status;
}

void print_elements(const dfuse_image *img, const struct devopts *dev,
		    int headers)
{
	const dfuse_profile *p = devopts_profile_or_default(dev);
	dfuse_check_options o;
	size_t t, i;

	devopts_check_options(dev, &o);
	for (t = 0; t < dfuse_image_count_targets(img); t++) {
		dfuse_target_info ti;

		if (dfuse_image_get_target(&ti, img, t) < 0)
			continue;
		if (headers)
			infof("  target %zu: alt %u, '%s', %zu element%s\n", t,
			      (unsigned)ti.alt, ti.name, ti.element_count,
			      ti.element_count == 1 ? "" : "s");
		for (i = 0; i < ti.element_count; i++) {
			dfuse_element_info e;
			char where[96];
			int core;

			if (dfuse_image_get_element(&e, img, t, i) < 0)
				continue;
			core = dfuse_image_get_element_core(img, t, i, &o);
			infof("  %s0x%08x-0x%08x %8u bytes  %-4s  %s%s%s%s\n",
			      headers ? "  " : "", (unsigned)e.address,
			      (unsigned)(e.address + (e.size ? e.size - 1 : 0)),
			      (unsigned)e.size,
			      core <= DFUSE_CORE_NONE ? "-"
						      : dfuse_core_name(core),
			      flash_describe(where, sizeof(where), p, e.address,
					     e.size),
			      e.source ? "  (" : "", e.source ? e.source : "",
			      e.source ? ")" : "");
		}
		if (!headers)
			break; /* build: one target */
	}
}
