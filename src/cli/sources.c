/*
 * sources.c - DfuSe files and image inputs for merge, split and convert.
 */
#include "sources.h"
#include "cmd.h"
#include "findings.h"
#include "inbuf.h"
#include "msg.h"

#include <string.h>

int sources_read_dfu(dfuse_image **out, const char *path, size_t max)
{
	dfuse_read_options ro = DFUSE_READ_OPTIONS_INIT;
	dfuse_report *rep = NULL;
	dfuse_file_info fi;
	size_t errors = 0, warnings;
	struct inbuf b;
	int rc;

	*out = NULL;
	ro.max_size = max;
	/* the bytes the format probe read, if it ran: read once */
	if (inbuf_open(&b, path, max ? max : DFUSE_DEFAULT_MAX_INPUT) != 0)
		return EXIT_FAIL;
	/* the bytes go to the image: held once */
	{
		const size_t len = b.len;

		rc = dfuse_read_owned(out, &rep, inbuf_take(&b), len, &ro);
	}
	if (rc < 0) {
		error_lib(path);
		return EXIT_FAIL;
	}
	findings_print_min(stderr, path, rep, &warnings,
			   msg_verbosity() > 0	 ? DFUSE_SEV_NOTE
			   : msg_verbosity() < 0 ? DFUSE_SEV_ERROR
						 : DFUSE_SEV_WARNING);
	/* the library's rule for what makes a file's data unusable (every
	 * error but element-overlap, which merge resolves) */
	if (dfuse_image_get_file(&fi, *out) == 0)
		errors = fi.data_errors;
	dfuse_report_free(rep);
	if (errors == 0)
		return 0;
	errorf("'%s': the file has %zu error%s (see above): it is not taken "
	       "as an input; 'dfusetool dump' shows what it holds",
	       path, errors, errors == 1 ? "" : "s");
	dfuse_image_free(*out);
	*out = NULL;
	return EXIT_FAIL;
}

int sources_load_images(dfuse_image **out, const struct inputs *in, uint8_t alt,
			const char *name, const dfuse_profile *profile,
			size_t max)
{
	int rc;

	*out = NULL;
	if (dfuse_image_new(out) < 0 ||
	    dfuse_image_add_target(*out, alt, name) < 0) {
		error_lib(name ? name : "image inputs");
		dfuse_image_free(*out);
		*out = NULL;
		return EXIT_FAIL;
	}
	rc = inputs_load(*out, 0, in, profile, max);
	if (rc != 0) {
		dfuse_image_free(*out);
		*out = NULL;
	}
	return rc;
}

int sources_open(dfuse_image **out, int *is_dfu, const char *spec,
		 const char *name, const dfuse_profile *profile, size_t max)
{
	struct inputs in = {NULL, 0, 0};
	int rc, fmt;

	*out = NULL;
	*is_dfu = 0;
	rc = inputs_add(&in, spec, DFUSE_CORE_NONE);
	if (rc < 0) {
		inputs_free(&in);
		return inputs_status(rc);
	}
	fmt = inbuf_format(in.v[0].path, max ? max : DFUSE_DEFAULT_MAX_INPUT);
	if (fmt < 0) {
		rc = EXIT_FAIL;
	} else if (fmt == DFUSE_FORMAT_DFUSE) {
		*is_dfu = 1;
		if (in.v[0].has_address) {
			errorf("'%s' is a DfuSe file: @ADDR applies to raw "
			       "binaries only",
			       in.v[0].path);
			rc = EXIT_USAGE;
		} else {
			rc = sources_read_dfu(out, in.v[0].path, max);
		}
	} else {
		rc = sources_load_images(out, &in, 0, name, profile, max);
	}
	inputs_free(&in);
	return rc;
}

static int ascii_ieq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return *a == *b;
}

int format_from_name(const char *s)
{
	static const struct {
		const char *name;
		int format;
	} names[] = {
		{"dfu", DFUSE_FORMAT_DFUSE}, {"dfuse", DFUSE_FORMAT_DFUSE},
		{"hex", DFUSE_FORMAT_IHEX},  {"ihex", DFUSE_FORMAT_IHEX},
		{"ihx", DFUSE_FORMAT_IHEX},  {"srec", DFUSE_FORMAT_SREC},
		{"s19", DFUSE_FORMAT_SREC},  {"s28", DFUSE_FORMAT_SREC},
		{"s37", DFUSE_FORMAT_SREC},  {"mot", DFUSE_FORMAT_SREC},
		{"bin", DFUSE_FORMAT_BIN},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ascii_ieq(s, names[i].name))
			return names[i].format;
	return -1;
}

int format_from_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');

	if (dot == NULL || (slash != NULL && dot < slash))
		return -1;
	return format_from_name(dot + 1);
}

const char *format_title(int format)
{
	switch (format) {
	case DFUSE_FORMAT_DFUSE:
		return "DfuSe";
	case DFUSE_FORMAT_IHEX:
		return "Intel HEX";
	case DFUSE_FORMAT_SREC:
		return "S-record";
	case DFUSE_FORMAT_BIN:
		return "raw binary";
	default:
		return dfuse_format_name(format);
	}
}

void image_span(struct span *out, const dfuse_image *img, int target)
{
	size_t t, e, nt = dfuse_image_count_targets(img);
	int any = 0;

	memset(out, 0, sizeof(*out));
	for (t = 0; t < nt; t++) {
		dfuse_target_info ti;

		if ((target >= 0 && (size_t)target != t) ||
		    dfuse_image_get_target(&ti, img, t) < 0)
			continue;
		out->targets++;
		out->elements += ti.element_count;
		for (e = 0; e < ti.element_count; e++) {
			dfuse_element_info x;
			uint64_t end;

			if (dfuse_image_get_element(&x, img, t, e) < 0 ||
			    x.size == 0)
				continue;
			end = (uint64_t)x.address + x.size;
			out->bytes += x.size;
			if (!any || x.address < out->address)
				out->address = x.address;
			if (!any || end > out->end)
				out->end = end;
			any = 1;
		}
	}
}
