/*
 * cmd_dump.c - dfusetool dump: a DfuSe file's prefix, targets, elements and
 * suffix as found, with every problem the lenient reader recorded.
 *
 * The file is read once into memory and handed to the reader, whose
 * elements point into it (dfuse_read_owned): memory stays at about the
 * file's size however large it is.
 */
#include "cmd.h"
#include "devopts.h"
#include "findings.h"
#include "flash.h"
#include "inbuf.h"
#include "inputs.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "opt.h"

#include <dfuse.h>

#include <stdio.h>
#include <string.h>

enum {
	O_JSON = 0x100,
	O_DATA,
};

static const struct opt opts[] = {
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print JSON: one object per file, an array for several"},
	{O_DATA, "data", 0, OPT_NOARG, NULL, "add a hex dump of each element"},
	DEVOPTS_TABLE,
	MAX_INPUT_OPT,
};

static const struct cmd_help help = {
	"dump",
	"[--json] [--data] FILE...",
	"Show the structure of DfuSe files as they are: the prefix, each "
	"target and\nelement (address range, size, the flash bank and "
	"sectors it covers, whose\ncore's flash that is, the SHA-256 of its "
	"data), the suffix with the CRC\nstatus, then every problem found, "
	"then what 'dfusetool check' finds.\nBroken files are read as far as "
	"their bytes allow.  Exits 1 if the file\nitself has an error (check "
	"findings do not change the status; 'check' does).",
	"  dfusetool dump release.dfu\n"
	"  dfusetool dump --json release.dfu other.dfu\n"
	"  dfusetool dump --data small.dfu\n",
};

struct dump_ctx {
	struct devopts dev;
	dfuse_check_options co;
	const dfuse_profile *profile;
	int json, data;
	struct json *j;
};

static void hex_sha(char out[65], const unsigned char *p, size_t n)
{
	uint8_t md[32];
	size_t i;

	dfuse_sha256(md, p, n);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void hexdump(const unsigned char *p, uint32_t size, uint32_t address)
{
	uint32_t i, k;

	for (i = 0; i < size; i += 16) {
		infof("      %08x ", (unsigned)(address + i));
		for (k = 0; k < 16; k++) {
			if (i + k < size)
				infof(" %02x", p[i + k]);
			else
				infof("   ");
		}
		infof("  |");
		for (k = 0; k < 16 && i + k < size; k++)
			infof("%c", p[i + k] >= 0x20 && p[i + k] < 0x7f
					    ? p[i + k]
					    : '.');
		infof("|\n");
	}
}

static void printable_name(char *out, size_t n, const char *name)
{
	size_t i, k = 0;

	for (i = 0; name[i] != '\0' && k + 5 < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
			out[k++] = (char)c;
		} else {
			snprintf(out + k, n - k, "\\x%02x", c);
			k += 4;
		}
	}
	out[k] = '\0';
}

/* ======== Human output ======== */

static void text_element(struct dump_ctx *d, int core, size_t ei,
			 const dfuse_element_info *e)
{
	const unsigned char *bytes = e->data;
	char where[96], sha[65];

	infof("    element %zu: 0x%08x-0x%08x %8u bytes at offset 0x%llx\n", ei,
	      (unsigned)e->address,
	      (unsigned)(e->address + (e->size ? e->size - 1 : 0)),
	      (unsigned)e->size, (unsigned long long)e->offset);
	infof("      %s, %s flash\n",
	      flash_describe(where, sizeof(where), d->profile, e->address,
			     e->size),
	      core == DFUSE_CORE_NONE ? "no core's" : dfuse_core_name(core));
	if (bytes != NULL) {
		hex_sha(sha, bytes, e->size);
		infof("      sha256 %s\n", sha);
		if (d->data)
			hexdump(bytes, e->size, e->address);
	}
}

/* One finding line of the reader's diagnostics. */
static void text_finding(const dfuse_finding *f)
{
	if (f->offset >= 0)
		infof("    %-7s %s at offset 0x%llx: %s\n",
		      dfuse_severity_name(f->severity), f->code,
		      (unsigned long long)f->offset, f->message);
	else
		infof("    %-7s %s: %s\n", dfuse_severity_name(f->severity),
		      f->code, f->message);
	if (findings_cli_hint(f->code) != NULL)
		infof("            %s\n", findings_cli_hint(f->code));
}

/*
 * A file the reader found not to be DfuSe at all ("not-dfuse"): its one
 * diagnostic and how to use it instead, and no structure or checks (there
 * is none to show).  Returns 1 if it was such a file.
 */
static int text_not_dfuse(const char *path, int format,
			  const dfuse_file_info *fi, const dfuse_report *rep)
{
	dfuse_finding f;

	if (!fi->not_dfuse || dfuse_report_get(&f, rep, 0) < 0)
		return 0;
	infof("  not a DfuSe file\n  diagnostics:\n");
	text_finding(&f);
	/* ELF, HEX and S-record inputs got their hint on stderr already. */
	if (format == DFUSE_FORMAT_DFU)
		infof("  hint: give it to 'dfusetool build' as %s@ADDR, ADDR "
		      "being where its data goes\n",
		      path);
	return 1;
}

static void text_file(struct dump_ctx *d, const char *path, int format,
		      const dfuse_image *img, const dfuse_report *rep,
		      const dfuse_report *chk)
{
	dfuse_file_info fi;
	size_t t, n = dfuse_image_count_targets(img), i;

	dfuse_image_get_file(&fi, img);
	infof("%s: %llu bytes\n", path, (unsigned long long)fi.file_size);
	if (text_not_dfuse(path, format, &fi, rep))
		return;
	if (fi.has_prefix) {
		char sig[32];

		printable_name(sig, sizeof(sig), fi.signature);
		infof("  prefix: signature \"%s\", version %u, DFUImageSize "
		      "%u, %u target%s\n",
		      sig, fi.version, (unsigned)fi.image_size, fi.targets,
		      fi.targets == 1 ? "" : "s");
	} else {
		infof("  prefix: missing\n");
	}
	for (t = 0; t < n; t++) {
		dfuse_target_info ti;
		char name[1100];

		dfuse_image_get_target(&ti, img, t);
		printable_name(name, sizeof(name), ti.name);
		infof("  target %zu: alt %u, %s \"%s\", dwTargetSize %u, "
		      "%u element%s declared, %zu read, at offset 0x%llx\n",
		      t, ti.alt, ti.named ? "named" : "unnamed", name,
		      (unsigned)ti.declared_size,
		      (unsigned)ti.declared_elements,
		      ti.declared_elements == 1 ? "" : "s", ti.element_count,
		      (unsigned long long)ti.offset);
		for (i = 0; i < ti.element_count; i++) {
			dfuse_element_info e;

			if (dfuse_image_get_element(&e, img, t, i) == 0)
				text_element(d,
					     dfuse_image_get_element_core(
						     img, t, i, &d->co),
					     i, &e);
		}
	}
	if (fi.has_suffix) {
		char sig[32];

		printable_name(sig, sizeof(sig), fi.suffix_signature);
		infof("  suffix: bcdDevice 0x%04x, idProduct 0x%04x, "
		      "idVendor 0x%04x, bcdDFU 0x%04x, signature \"%s\", "
		      "bLength %u\n",
		      fi.ids.bcd_device, fi.ids.id_product, fi.ids.id_vendor,
		      fi.ids.bcd_dfu, sig, fi.suffix_length);
		infof("  crc: 0x%08x stored, 0x%08x computed (%s)\n",
		      (unsigned)fi.crc_stored, (unsigned)fi.crc_computed,
		      fi.crc_stored == fi.crc_computed ? "ok" : "MISMATCH");
	} else {
		infof("  suffix: missing\n");
	}
	if (dfuse_report_count(rep) == 0)
		infof("  diagnostics: none\n");
	else
		infof("  diagnostics:\n");
	for (i = 0; i < dfuse_report_count(rep); i++) {
		dfuse_finding f;

		if (dfuse_report_get(&f, rep, i) == 0)
			text_finding(&f);
	}
	if (chk == NULL)
		return;
	infof("  check (%s):%s\n", devopts_device_name(&d->dev),
	      dfuse_report_count(chk) ? "" : " nothing found");
	if (msg_verbosity() >= 0 && dfuse_report_count(chk) > 0)
		findings_print(stdout, NULL, chk, NULL);
}

/* ======== JSON output ======== */

static void json_element(struct dump_ctx *d, int core, size_t ei,
			 const dfuse_element_info *e)
{
	struct json *j = d->j;
	const unsigned char *bytes = e->data;
	dfuse_flash_span s[4];
	size_t ns, k;
	uint32_t x;
	char sha[65];

	json_begin_object(j);
	json_kuint(j, "index", ei);
	json_kuint(j, "address", e->address);
	json_kuint(j, "size", e->size);
	json_kint(j, "offset", e->offset);
	if (bytes != NULL) {
		hex_sha(sha, bytes, e->size);
		json_kstr(j, "sha256", sha);
	} else {
		json_knull(j, "sha256");
	}
	ns = dfuse_profile_locate_range(s, 4, d->profile, e->address, e->size);
	if (ns == 0) {
		json_knull(j, "bank");
		json_key(j, "sectors");
		json_begin_array(j);
		json_end_array(j);
	} else {
		json_kuint(j, "bank", s[0].bank);
		json_key(j, "sectors");
		json_begin_array(j);
		for (x = s[0].first; x <= s[0].last; x++)
			json_uint(j, x);
		json_end_array(j);
	}
	if (core > DFUSE_CORE_NONE)
		json_kstr(j, "core", dfuse_core_name(core));
	else
		json_knull(j, "core");
	/* Every bank the element touches (more than one if it crosses). */
	json_key(j, "flash");
	json_begin_array(j);
	for (k = 0; k < ns && k < 4; k++) {
		json_begin_object(j);
		json_kuint(j, "bank", s[k].bank);
		json_kuint(j, "first_sector", s[k].first);
		json_kuint(j, "last_sector", s[k].last);
		json_end_object(j);
	}
	json_end_array(j);
	if (d->data && bytes != NULL) {
		static const char hx[] = "0123456789abcdef";
		uint32_t i;

		json_key(j, "data");
		fputc('"', stdout);
		for (i = 0; i < e->size; i++) {
			fputc(hx[bytes[i] >> 4], stdout);
			fputc(hx[bytes[i] & 15], stdout);
		}
		fputc('"', stdout);
		j->after_key = 0;
	}
	json_end_object(j);
}

static void json_file(struct dump_ctx *d, const char *path,
		      const dfuse_image *img, const dfuse_report *rep,
		      const dfuse_report *chk)
{
	struct json *j = d->j;
	dfuse_file_info fi;
	size_t t, n = dfuse_image_count_targets(img), i;

	dfuse_image_get_file(&fi, img);
	json_begin_object(j);
	json_kstr(j, "file", path);
	json_kuint(j, "size", fi.file_size);
	if (fi.has_prefix) {
		json_key(j, "prefix");
		json_begin_object(j);
		json_kstr(j, "signature", fi.signature);
		json_kuint(j, "version", fi.version);
		json_kuint(j, "image_size", fi.image_size);
		json_kuint(j, "targets", fi.targets);
		json_end_object(j);
	} else {
		json_knull(j, "prefix");
	}
	json_key(j, "targets");
	json_begin_array(j);
	for (t = 0; t < n; t++) {
		dfuse_target_info ti;

		dfuse_image_get_target(&ti, img, t);
		json_begin_object(j);
		json_kuint(j, "index", t);
		json_kuint(j, "alt", ti.alt);
		json_kbool(j, "named", ti.named != 0);
		json_kstr(j, "name", ti.name);
		json_kuint(j, "size", ti.declared_size);
		json_kuint(j, "elements_declared", ti.declared_elements);
		json_kint(j, "offset", ti.offset);
		json_key(j, "elements");
		json_begin_array(j);
		for (i = 0; i < ti.element_count; i++) {
			dfuse_element_info e;

			if (dfuse_image_get_element(&e, img, t, i) == 0)
				json_element(d,
					     dfuse_image_get_element_core(
						     img, t, i, &d->co),
					     i, &e);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
	if (fi.has_suffix) {
		json_key(j, "suffix");
		json_begin_object(j);
		json_kuint(j, "bcdDevice", fi.ids.bcd_device);
		json_kuint(j, "idProduct", fi.ids.id_product);
		json_kuint(j, "idVendor", fi.ids.id_vendor);
		json_kuint(j, "bcdDFU", fi.ids.bcd_dfu);
		json_kstr(j, "signature", fi.suffix_signature);
		json_kuint(j, "length", fi.suffix_length);
		json_kuint(j, "crc", fi.crc_stored);
		json_kuint(j, "crc_computed", fi.crc_computed);
		json_kbool(j, "crc_ok", fi.crc_stored == fi.crc_computed);
		json_end_object(j);
	} else {
		json_knull(j, "suffix");
	}
	json_key(j, "diagnostics");
	findings_json(j, rep);
	json_kstr(j, "device", devopts_device_name(&d->dev));
	findings_kjson(j, "findings", chk);
	json_end_object(j);
}

/* ======== One file ======== */

static int dump_file(struct dump_ctx *d, const char *path, size_t max_input)
{
	dfuse_read_options ro = DFUSE_READ_OPTIONS_INIT;
	dfuse_image *img = NULL;
	dfuse_report *rep = NULL, *chk = NULL;
	struct inbuf b;
	size_t errors, warnings, len;
	int status, format;

	status = inbuf_open(&b, path,
			    max_input ? max_input : DFUSE_DEFAULT_MAX_INPUT);
	if (status != 0)
		return status;
	/* a plain DFU file gets its own hint (text_not_dfuse) */
	format = dfuse_format_detect(b.p, b.len);
	if (b.len > 0 && format != DFUSE_FORMAT_DFUSE &&
	    format != DFUSE_FORMAT_BIN && format != DFUSE_FORMAT_DFU)
		notef("'%s' looks like %s input, not a DfuSe file; "
		      "'dfusetool build' reads it",
		      path, dfuse_format_name(format));
	len = b.len;
	ro.max_size = len > DFUSE_DEFAULT_MAX_INPUT ? len : 0;
	/* the bytes go to the image, whose elements point into them */
	if (dfuse_read_owned(&img, &rep, inbuf_take(&b), len, &ro) < 0) {
		error_lib(path);
		return EXIT_FAIL;
	}
	if (dfuse_check(&chk, img, &d->co) < 0) {
		warnf("'%s': checks not run: %s", path,
		      dfuse_error_last()->message);
		chk = NULL;
	}
	verbosef("'%s': %zu bytes, %zu target%s, %zu diagnostic%s, %zu check "
		 "finding%s against %s",
		 path, len, dfuse_image_count_targets(img),
		 dfuse_image_count_targets(img) == 1 ? "" : "s",
		 dfuse_report_count(rep),
		 dfuse_report_count(rep) == 1 ? "" : "s",
		 dfuse_report_count(chk),
		 dfuse_report_count(chk) == 1 ? "" : "s",
		 devopts_device_name(&d->dev));
	if (d->json)
		json_file(d, path, img, rep, chk);
	else
		text_file(d, path, format, img, rep, chk);
	dfuse_report_free(chk);
	errors = dfuse_report_count_at_least(rep, DFUSE_SEV_ERROR);
	warnings = dfuse_report_count_at_least(rep, DFUSE_SEV_WARNING) - errors;
	status = EXIT_OK;
	if (errors > 0) {
		errorf("'%s': %zu error%s, %zu warning%s (see the "
		       "diagnostics)",
		       path, errors, errors == 1 ? "" : "s", warnings,
		       warnings == 1 ? "" : "s");
		status = EXIT_FAIL;
	}
	dfuse_report_free(rep);
	dfuse_image_free(img);
	return status;
}

int cmd_dump(int argc, char **argv)
{
	struct optstate st;
	struct dump_ctx d;
	const char *arg;
	size_t max_input = 0;
	int c, rc, status = EXIT_OK, i, nfiles;

	memset(&d, 0, sizeof(d));
	OPT_INIT(&st, opts, &help, argc, argv);
	status = EXIT_USAGE;
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		rc = devopts_handle(&d.dev, NULL, &max_input, &st, c, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		switch (c) {
		case O_JSON:
			d.json = 1;
			break;
		case O_DATA:
			d.data = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	if (devopts_finish(&d.dev, &st) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	d.profile = devopts_profile_or_default(&d.dev);
	devopts_check_options(&d.dev, &d.co);
	nfiles = argc - st.optind;
	if (nfiles <= 0) {
		opt_usage(&st, "no file to dump");
		goto out;
	}
	status = EXIT_OK;
	d.j = answer_json();
	if (d.json && nfiles > 1)
		json_begin_array(d.j);
	for (i = st.optind; i < argc; i++) {
		struct answer_unit u;

		if (!d.json && i > st.optind)
			infof("\n");
		/* a file that fails has its entry all the same */
		answer_unit_begin(&u, argv[i]);
		rc = dump_file(&d, argv[i], max_input);
		answer_unit_end(&u, rc);
		if (rc > status)
			status = rc;
	}
	if (d.json && nfiles > 1)
		json_end_array(d.j);
out:
	devopts_free(&d.dev);
	return status;
}
