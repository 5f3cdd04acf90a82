/*
 * cmd_upload.c - dfusetool upload: reads a board's flash (alt 0) into a
 * DfuSe, Intel HEX, S-record or raw binary file, through the atomic writer
 * every output uses; --trim leaves out the erased flash words.
 */
#include "cmd.h"
#include "devopts.h"
#include "devread.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "output.h"
#include "sources.h"
#include "usbopts.h"

#include <dfuse.h>
#include <dfuse_usb.h>

#include <stdlib.h>
#include <string.h>

enum {
	O_OUT = 'o',
	O_RANGE = 0x100,
	O_CM7,
	O_CM4,
	O_ALL,
	O_FORMAT,
	O_TRIM,
	O_JSON,
};

#define MAX_RANGES 16

static const struct opt opts[] = {
	USBOPTS_TABLE,
	{O_OUT, "output", 'o', OPT_ARG, "OUT",
	 "write here (atomically; the format from the extension)"},
	{O_RANGE, "range", 0, OPT_ARG, "A:B",
	 "read from A up to, not including, B (repeatable)"},
	{O_CM7, "cm7", 0, OPT_NOARG, NULL,
	 "read the CM7's flash bank (the profile's)"},
	{O_CM4, "cm4", 0, OPT_NOARG, NULL,
	 "read the CM4's flash bank (the profile's)"},
	{O_ALL, "all", 0, OPT_NOARG, NULL,
	 "read every readable segment of alt 0 (the default)"},
	{O_FORMAT, "format", 0, OPT_ARG, "FMT",
	 "dfu, hex, srec or bin (default: from OUT's extension)"},
	{O_TRIM, "trim", 0, OPT_NOARG, NULL,
	 "leave out the erased (all 0xFF) flash words"},
	{O_DEVICE, "device", 0, OPT_ARG, "NAME",
	 "device profile for --cm7/--cm4 and the flash word (default "
	 "stm32h745xi)"},
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "say what was read and written as JSON, failures too"},
};

static const struct cmd_help help = {
	"upload",
	"-o OUT [--range A:B | --cm7 | --cm4 | --all] [--format "
	"dfu|hex|srec|bin] [--trim] [--json] [-d VID:PID] [-S SERIAL] "
	"[--path BUS-PORTS]",
	"Read a board's flash (alternate setting 0) into OUT.  The scope is "
	"--range A:B\n(from A up to, not including, B), --cm7 or --cm4 (that "
	"core's bank), or\n--all, the default: every readable segment of the "
	"device's layout.  OUT's\nformat comes from --format or its extension "
	"(.dfu .hex .srec .s19 .mot .bin);\na .dfu holds one alt-0 target "
	"named as the device names alt 0, and the\ndevice's VID:PID and "
	"bcdDevice.  --trim leaves out every flash word that\nis all 0xFF, so "
	"that what is written is what a download would write.  A raw\nbinary "
	"has one start address: it must be one run.  Nothing is written when\n"
	"the read fails.",
	"  dfusetool upload -o backup.dfu\n"
	"  dfusetool upload --cm4 --trim -o cm4.hex\n",
};

struct upload {
	struct usbopts uo;
	struct devopts dev;
	const char *out;
	int format, trim, json, all, cm7, cm4;
	size_t nranges;
	uint32_t lo[MAX_RANGES];
	uint64_t hi[MAX_RANGES];
};

/* What was read and written, for the text and the JSON answer. */
struct done {
	size_t transfers;
	uint64_t bytes, trimmed, kept;
	size_t runs;
	int written;
};

static int add_range(struct upload *u, const struct optstate *st, uint32_t lo,
		     uint64_t hi)
{
	if (u->nranges == MAX_RANGES)
		return opt_usage(st, "at most %d ranges", MAX_RANGES);
	u->lo[u->nranges] = lo;
	u->hi[u->nranges] = hi;
	u->nranges++;
	return 0;
}

/* The ranges in address order, touching or overlapping ones joined. */
static void join_ranges(struct upload *u)
{
	size_t i, j, n = 0;

	for (i = 1; i < u->nranges; i++) /* insertion sort: a handful */
		for (j = i; j > 0 && u->lo[j] < u->lo[j - 1]; j--) {
			uint32_t l = u->lo[j];
			uint64_t h = u->hi[j];

			u->lo[j] = u->lo[j - 1];
			u->hi[j] = u->hi[j - 1];
			u->lo[j - 1] = l;
			u->hi[j - 1] = h;
		}
	for (i = 0; i < u->nranges; i++) {
		if (n > 0 && u->lo[i] <= u->hi[n - 1]) {
			if (u->hi[i] > u->hi[n - 1])
				u->hi[n - 1] = u->hi[i];
			continue;
		}
		u->lo[n] = u->lo[i];
		u->hi[n] = u->hi[i];
		n++;
	}
	u->nranges = n;
}

/* --cm7 / --cm4: the bank whose core is `core` in the profile. */
static int core_bank(struct upload *u, int core, const char *opt)
{
	const dfuse_profile *p = devopts_profile_or_default(&u->dev);
	dfuse_profile_info pi;
	dfuse_bank_info b;
	size_t i;

	dfuse_profile_get_info(&pi, p);
	for (i = 0; i < pi.bank_count; i++) {
		if (dfuse_profile_get_bank(&b, p, i) == 0 && b.core == core) {
			uint64_t end = (uint64_t)b.base +
				       (uint64_t)b.sector_size * b.sector_count;

			u->lo[u->nranges] = b.base;
			u->hi[u->nranges] = end;
			u->nranges++;
			return 0;
		}
	}
	errorf("%s: the profile %s has no flash bank for that core", opt,
	       pi.name);
	return EXIT_USAGE;
}

/* --all: the readable segments of alt 0, one range per contiguous run.
 * Returns 0, or EXIT_FAIL (said) for a layout of more runs than fit. */
static int all_ranges(struct upload *u, const struct devread *d)
{
	size_t k;

	u->nranges = 0;
	for (k = 0; k < dfuse_layout_count_segments(d->layout); k++) {
		dfuse_layout_segment s;
		uint64_t end;

		if (dfuse_layout_get_segment(&s, d->layout, k) < 0 ||
		    !s.readable)
			continue;
		end = (uint64_t)s.address +
		      (uint64_t)s.sector_size * s.sector_count;
		if (u->nranges > 0 && u->hi[u->nranges - 1] == s.address) {
			u->hi[u->nranges - 1] = end;
			continue;
		}
		if (u->nranges == MAX_RANGES) {
			error_code("DFUSE_ETOOBIG", NULL,
				   "alt 0 (\"%s\") has more than %d separate "
				   "readable runs: read them with --range",
				   d->alt0, MAX_RANGES);
			return EXIT_FAIL;
		}
		u->lo[u->nranges] = s.address;
		u->hi[u->nranges] = end;
		u->nranges++;
	}
	if (u->nranges == 0) {
		error_code("DFUSE_ENOTFOUND", NULL,
			   "alt 0 (\"%s\") has no readable segment", d->alt0);
		return EXIT_FAIL;
	}
	return 0;
}

/* Every byte of [lo, hi) in a readable segment of alt 0: else 0 and the
 * first address that is not, in *bad. */
static int readable(uint64_t *bad, const dfuse_layout *l, uint64_t lo,
		    uint64_t hi)
{
	while (lo < hi) {
		dfuse_layout_segment s;
		int k = lo <= UINT32_MAX ? dfuse_layout_find(l, (uint32_t)lo)
					 : -1;

		if (k < 0 || dfuse_layout_get_segment(&s, l, (size_t)k) < 0 ||
		    !s.readable) {
			*bad = lo;
			return 0;
		}
		lo = (uint64_t)s.address +
		     (uint64_t)s.sector_size * s.sector_count;
	}
	return 1;
}

static int check_ranges(const struct upload *u, const struct devread *d,
			uint64_t *total)
{
	size_t i;

	*total = 0;
	for (i = 0; i < u->nranges; i++) {
		uint64_t bad;

		if (!readable(&bad, d->layout, u->lo[i], u->hi[i])) {
			error_code("DFUSE_ERANGE", NULL,
				   "0x%08x:0x%08llx: 0x%08llx is not in a "
				   "readable segment of alt 0 (\"%s\"): "
				   "nothing was read",
				   (unsigned)u->lo[i],
				   (unsigned long long)u->hi[i],
				   (unsigned long long)bad, d->alt0);
			return EXIT_FAIL;
		}
		*total += u->hi[i] - u->lo[i];
	}
	if (*total > DFUSE_DEFAULT_MAX_INPUT) {
		error_code("DFUSE_ETOOBIG", NULL,
			   "%llu bytes to read is more than the %u MiB an "
			   "image may hold: read it in parts with --range",
			   (unsigned long long)*total,
			   (unsigned)(DFUSE_DEFAULT_MAX_INPUT >> 20));
		return EXIT_FAIL;
	}
	return 0;
}

/*
 * Adds [address, address + len) of `buf` to the image: whole, or with
 * --trim only the flash words (aligned on `word` bytes from address 0, as
 * the flash programs them: RM0399 §4.3) that hold a byte other than 0xFF,
 * one element per run of kept words.
 */
static int add_bytes(dfuse_image *img, struct done *dn, const uint8_t *buf,
		     uint32_t address, size_t len, int trim, uint32_t word)
{
	size_t at = 0, run = 0, k;
	int in_run = 0;

	if (!trim) {
		dn->kept += len;
		dn->runs++;
		return dfuse_image_add_data(img, 0, address, buf, len, NULL);
	}
	while (at < len) {
		/* this word's end: the next multiple of `word`, or the end */
		size_t step = word - (size_t)((address + at) % word);
		int erased = 1;

		if (step > len - at)
			step = len - at;
		for (k = 0; k < step && erased; k++)
			erased = buf[at + k] == 0xFF;
		if (erased) {
			if (in_run && dfuse_image_add_data(
					      img, 0, address + (uint32_t)run,
					      buf + run, at - run, NULL) < 0)
				return -1;
			if (in_run) {
				dn->kept += at - run;
				dn->runs++;
			}
			in_run = 0;
			dn->trimmed += step;
		} else if (!in_run) {
			in_run = 1;
			run = at;
		}
		at += step;
	}
	if (in_run) {
		dn->kept += len - run;
		dn->runs++;
		return dfuse_image_add_data(img, 0, address + (uint32_t)run,
					    buf + run, len - run, NULL);
	}
	return 0;
}

static void json_answer(const struct upload *u, const struct devread *d,
			const struct done *dn, int failed)
{
	struct json *j = answer_json();
	size_t i;

	json_begin_object(j);
	json_kbool(j, "ok", !failed);
	answer_kerror(j);
	devread_kjson(j, d);
	json_key(j, "ranges");
	json_begin_array(j);
	for (i = 0; i < u->nranges; i++) {
		json_begin_object(j);
		json_kuint(j, "address", u->lo[i]);
		json_kuint(j, "size", u->hi[i] - u->lo[i]);
		json_end_object(j);
	}
	json_end_array(j);
	json_kuint(j, "bytes", dn->bytes);
	json_kuint(j, "transfers", dn->transfers);
	json_kstr(j, "output", u->out);
	json_kstr(j, "format", dfuse_format_name(u->format));
	json_kbool(j, "trim", u->trim);
	json_kuint(j, "trimmed_bytes", dn->trimmed);
	json_kuint(j, "bytes_written", dn->written ? dn->kept : 0);
	json_kuint(j, "runs", dn->runs);
	json_kbool(j, "written", dn->written);
	json_end_object(j);
}

/* Reads every range into the image's target 0. */
static int read_all(dfuse_image *img, struct done *dn, const struct upload *up,
		    dfuse_usb *u, uint64_t total)
{
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;
	struct devread_progress pr;
	dfuse_profile_info pi;
	size_t i;
	int rc = 0;

	o.profile = devopts_profile_or_default(&up->dev);
	dfuse_profile_get_info(&pi, o.profile);
	devread_progress_begin(&pr, &o, "read", total);
	for (i = 0; i < up->nranges && rc == 0; i++) {
		dfuse_usb_result r = DFUSE_USB_RESULT_INIT;
		size_t len = (size_t)(up->hi[i] - up->lo[i]);
		uint8_t *buf = malloc(len ? len : 1);

		if (buf == NULL) {
			errorf("out of memory for %zu bytes", len);
			return DFUSE_ENOMEM;
		}
		rc = dfuse_usb_upload(&r, buf, u, usbopts_match(&up->uo),
				      up->lo[i], len, &o);
		dn->transfers += r.transfers;
		dn->bytes += r.bytes_read;
		if (rc == 0) {
			devread_progress_next(&pr, len);
			rc = add_bytes(img, dn, buf, up->lo[i], len, up->trim,
				       pi.flash_word ? pi.flash_word : 1);
			if (rc < 0)
				error_lib(up->out);
		} else {
			devread_progress_end(&pr);
			error_lib(NULL);
		}
		free(buf);
	}
	return rc;
}

static int run(struct upload *up)
{
	dfuse_write_options wo = DFUSE_WRITE_OPTIONS_INIT;
	dfuse_image *img = NULL;
	dfuse_usb *u = NULL;
	struct devread d;
	struct done dn;
	const char *oname;
	uint64_t total = 0;
	int status = EXIT_FAIL, rc, t;

	memset(&dn, 0, sizeof(dn));
	memset(&d, 0, sizeof(d));
	if (usbopts_open(&u, &up->uo) != 0)
		goto out;
	if (devread_pick(&d, u, &up->uo, 1) != 0)
		goto out;
	if (up->all && all_ranges(up, &d) != 0)
		goto out;
	if (check_ranges(up, &d, &total) != 0)
		goto out;
	if (dfuse_image_new(&img) < 0 ||
	    (t = dfuse_image_add_target(img, 0, d.name)) < 0) {
		error_lib(NULL);
		goto out;
	}
	{
		dfuse_ids ids;

		dfuse_image_get_ids(&ids, img);
		ids.id_vendor = d.info.vid;
		ids.id_product = d.info.pid;
		ids.bcd_device = d.info.bcd_device;
		dfuse_image_set_ids(img, &ids);
	}
	rc = read_all(img, &dn, up, u, total);
	if (rc < 0) {
		usbopts_hint(rc, u);
		goto out;
	}
	if (up->format == DFUSE_FORMAT_BIN && dn.runs > 1) {
		/* known only now that the erased words are known */
		errorf("'%s': a raw binary has one start address, and the "
		       "data kept is %zu runs apart: write .dfu, .hex or "
		       ".srec, or read one run with --range; nothing was "
		       "written",
		       up->out, dn.runs);
		status = EXIT_USAGE;
		goto out;
	}
	if (up->format == DFUSE_FORMAT_BIN && dn.kept == 0) {
		errorf("'%s': every byte read is erased (0xFF): a raw binary "
		       "of nothing has no address; nothing was written",
		       up->out);
		goto out;
	}
	if (output_prepare(&oname, up->out, NULL, 0) != 0)
		goto out;
	wo.format = up->format;
	if (dfuse_write_file_as(img, oname, &wo) < 0) {
		error_lib(up->out);
		goto out;
	}
	dn.written = 1;
	status = EXIT_OK;
	if (!up->json) {
		infof("read %llu bytes in %zu transfer%s; wrote %s: %s, "
		      "%llu bytes in %zu run%s",
		      (unsigned long long)dn.bytes, dn.transfers,
		      dn.transfers == 1 ? "" : "s", up->out,
		      format_title(up->format), (unsigned long long)dn.kept,
		      dn.runs, dn.runs == 1 ? "" : "s");
		if (up->trim)
			infof(" (%llu erased bytes left out)",
			      (unsigned long long)dn.trimmed);
		infof("\n");
	}
out:
	if (up->json)
		json_answer(up, &d, &dn, status != EXIT_OK);
	dfuse_image_free(img);
	devread_free(&d);
	dfuse_usb_free(u);
	return status;
}

/* The scope options and the format, once the loop is done. */
static int finish(struct upload *up, const struct optstate *st,
		  const char *format)
{
	if (up->out == NULL)
		return opt_usage(st, "no output file: give -o OUT");
	if (up->all && (up->nranges || up->cm7 || up->cm4))
		return opt_usage(st, "--all reads everything: give it alone, "
				     "or --range/--cm7/--cm4 without it");
	if (up->cm7 && core_bank(up, DFUSE_CORE_CM7, "--cm7") != 0)
		return OPT_USAGE;
	if (up->cm4 && core_bank(up, DFUSE_CORE_CM4, "--cm4") != 0)
		return OPT_USAGE;
	up->all = up->nranges == 0;
	join_ranges(up);
	/* as convert decides: --format, else OUT's extension */
	up->format =
		format ? format_from_name(format) : format_from_path(up->out);
	if (up->format < 0 && format != NULL)
		return opt_usage(st,
				 "--format '%s': the formats are dfu, hex, "
				 "srec and bin",
				 format);
	if (up->format < 0)
		return opt_usage(st,
				 "'%s': the extension does not say the format: "
				 "give --format dfu, hex, srec or bin",
				 up->out);
	if (up->format == DFUSE_FORMAT_BIN && up->nranges > 1)
		return opt_usage(st, "a raw binary has one start address, and "
				     "the ranges are apart: write .dfu, .hex "
				     "or .srec, or one range at a time");
	return 0;
}

int cmd_upload(int argc, char **argv)
{
	struct upload up;
	struct optstate st;
	const char *arg, *format = NULL;
	int c, rc, status = EXIT_USAGE;

	memset(&up, 0, sizeof(up));
	usbopts_init(&up.uo);
	up.format = -1;
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		uint32_t lo;
		uint64_t hi;

		rc = devopts_handle(&up.dev, NULL, NULL, &st, c, arg);
		if (rc == 0)
			rc = usbopts_handle(&up.uo, &st, c, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		switch (c) {
		case O_OUT:
			up.out = arg;
			break;
		case O_RANGE:
			if (num_range(&lo, &hi, arg) < 0) {
				opt_usage(&st,
					  "--range '%s' is not A:B with A < B "
					  "<= 0x100000000 (B is not read)",
					  arg);
				goto out;
			}
			if (add_range(&up, &st, lo, hi) < 0)
				goto out;
			break;
		case O_CM7:
			up.cm7 = 1;
			break;
		case O_CM4:
			up.cm4 = 1;
			break;
		case O_ALL:
			up.all = 1;
			break;
		case O_FORMAT:
			format = arg; /* checked with OUT's name, after */
			break;
		case O_TRIM:
			up.trim = 1;
			break;
		case O_JSON:
			up.json = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	if (st.optind < argc) {
		opt_usage(&st, "unexpected argument '%s'", argv[st.optind]);
		goto out;
	}
	if (devopts_finish(&up.dev, &st) < 0 || finish(&up, &st, format) < 0)
		goto out;
	status = run(&up);
out:
	devopts_free(&up.dev);
	return status;
}
