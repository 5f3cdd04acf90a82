/*
 * inputs.c - FILE[@ADDR] image inputs.  A plain DFU 1.x file (raw bytes
 * with a DFU suffix, no DfuSe prefix) loads as its payload; a note names
 * the file, the suffix's VID:PID and that the suffix was left out.
 */
#include "inputs.h"
#include "cmd.h"
#include "inbuf.h"
#include "msg.h"
#include "num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int inputs_add(struct inputs *in, const char *spec, int core)
{
	struct input *it;
	const char *at = strrchr(spec, '@');
	uint32_t address;

	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 8;
		struct input *v = realloc(in->v, cap * sizeof(*v));

		if (v == NULL) {
			errorf("out of memory");
			return -1;
		}
		in->v = v;
		in->cap = cap;
	}
	it = &in->v[in->n];
	memset(it, 0, sizeof(*it));
	it->path = spec;
	it->core = core;
	if (at != NULL && at != spec &&
	    num_u32(&address, at + 1, UINT32_MAX) < 0 &&
	    access(spec, F_OK) != 0) {
		/* not FILE@ADDR, and no file of that whole name either: the
		 * '@' asked for an address (never "cannot open" for this) */
		char why[160];

		error_code("usage", NULL, "'%s': '%s' is not an address: %s",
			   spec, at + 1, num_why(why, sizeof(why), at + 1));
		return INPUTS_USAGE;
	}
	if (at != NULL && at != spec &&
	    num_u32(&address, at + 1, UINT32_MAX) == 0) {
		it->spec_copy = strdup(spec);
		if (it->spec_copy == NULL) {
			errorf("out of memory");
			return -1;
		}
		it->spec_copy[at - spec] = '\0';
		it->path = it->spec_copy;
		it->has_address = 1;
		it->address = address;
	}
	in->n++;
	return 0;
}

int inputs_opt(struct inputs *in, size_t *max, const struct optstate *st,
	       int id, const char *arg)
{
	switch (id) {
	case O_IN_CM7:
	case O_IN_CM4:
		if (in == NULL)
			return 0;
		if (inputs_add(in, arg,
			       id == O_IN_CM7 ? DFUSE_CORE_CM7
					      : DFUSE_CORE_CM4) < 0)
			return OPT_USAGE;
		return 1;
	case O_IN_MAX:
		if (max == NULL)
			return 0;
		return opt_size(st, arg, max) != 0 ? OPT_USAGE : 1;
	default:
		return 0;
	}
}

int inputs_add_positional(struct inputs *in, const char *spec, size_t max)
{
	const struct input *it;
	int fmt, rc = inputs_add(in, spec, DFUSE_CORE_NONE);

	if (rc < 0)
		return rc;
	it = &in->v[in->n - 1];
	fmt = inbuf_format(it->path, max ? max : DFUSE_DEFAULT_MAX_INPUT);
	if (fmt >= 0 && (fmt != DFUSE_FORMAT_DFUSE || it->has_address))
		return 0;
	/* unreadable, or a DfuSe file: not an image input */
	in->n--;
	free(in->v[in->n].spec_copy);
	return fmt < 0 ? -1 : 1;
}

void inputs_free(struct inputs *in)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		free(in->v[i].spec_copy);
	free(in->v);
	in->v = NULL;
	in->n = in->cap = 0;
}

/* The note for a plain DFU input: its suffix (DFU 1.1 appendix B, the
 * file's last 16 bytes: bcdDevice, idProduct, idVendor, bcdDFU, "UFD",
 * bLength, dwCRC) is not firmware. */
static void note_dfu_suffix(const char *path, const struct inbuf *b)
{
	const unsigned char *s = b->len >= 16 ? b->p + b->len - 16 : NULL;

	if (s == NULL) {
		notef("'%s': a plain DFU file: its DFU suffix was left out",
		      path);
		return;
	}
	notef("'%s': a plain DFU file (suffix VID:PID %02x%02x:%02x%02x, "
	      "bcdDFU %02x%02x): its %u-byte DFU suffix was left out, the "
	      "bytes before it are the firmware",
	      path, s[5], s[4], s[3], s[2], s[7], s[6], (unsigned)s[11]);
}

/*
 * What the command line can do about a load the library refused, from
 * what the command knows (the format the bytes have, whether an address
 * was given), never from the message's words.
 */
static void load_hint(const struct input *it, int rc, int format,
		      size_t max_size)
{
	const int raw =
		format == DFUSE_FORMAT_BIN || format == DFUSE_FORMAT_DFU;

	if (rc == DFUSE_ENOTSUP && format == DFUSE_FORMAT_DFUSE)
		notef("build makes a DfuSe file from images; to combine "
		      "DfuSe files (with images too), use 'dfusetool merge'");
	else if (rc == DFUSE_ETOOBIG)
		notef("raise the input limit with --max-input-size SIZE (now "
		      "%zu bytes)",
		      max_size ? max_size : DFUSE_DEFAULT_MAX_INPUT);
	else if (rc == DFUSE_EINVAL && raw && !it->has_address &&
		 it->core == DFUSE_CORE_NONE)
		notef("give it as FILE@ADDR, e.g. '%s@0x08000000'", it->path);
	else if (rc == DFUSE_EINVAL && !raw && format != DFUSE_FORMAT_DFUSE &&
		 it->has_address)
		notef("give it without @ADDR: the file says where its bytes "
		      "go");
}

int inputs_load(dfuse_image *img, size_t target, const struct inputs *in,
		const dfuse_profile *profile, size_t max_size)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		const struct input *it = &in->v[i];
		dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
		struct inbuf b;
		int rc;

		o.source = it->path;
		o.core = it->core;
		o.max_size = max_size;
		if (it->has_address) {
			o.address = it->address;
			o.flags = DFUSE_INPUT_ADDRESS;
		} else if (it->core != DFUSE_CORE_NONE) {
			o.address = dfuse_profile_get_boot_address(profile,
								   it->core);
			o.flags = DFUSE_INPUT_DEFAULT_ADDRESS;
		}
		/* read once (the probe's bytes if it ran): a FIFO or a pipe
		 * is never opened twice */
		if (inbuf_open(&b, it->path,
			       max_size ? max_size : DFUSE_DEFAULT_MAX_INPUT) !=
		    0)
			return EXIT_FAIL;
		rc = dfuse_load(img, target, b.p, b.len, DFUSE_FORMAT_UNKNOWN,
				&o);
		if (rc == DFUSE_FORMAT_DFU)
			note_dfu_suffix(it->path, &b);
		if (rc < 0) {
			error_lib(it->path);
			load_hint(it, rc, dfuse_format_detect(b.p, b.len),
				  max_size);
			inbuf_close(&b);
			return EXIT_FAIL;
		}
		inbuf_close(&b);
		verbosef("'%s': read as %s", it->path, dfuse_format_name(rc));
	}
	return 0;
}

int inputs_image(dfuse_image **out, const struct inputs *in,
		 const dfuse_profile *place, const dfuse_profile *pad,
		 size_t max_size, const char *subject)
{
	dfuse_image *img = NULL;
	int rc;

	*out = NULL;
	if (dfuse_image_new(&img) < 0 ||
	    dfuse_image_add_target(img, 0, "Internal Flash") < 0) {
		error_lib(subject);
		dfuse_image_free(img);
		return EXIT_FAIL;
	}
	rc = inputs_load(img, 0, in, place, max_size);
	if (rc == 0 && dfuse_image_normalize(img, pad) < 0) {
		error_lib(subject);
		rc = EXIT_FAIL;
	}
	if (rc != 0) {
		dfuse_image_free(img);
		return rc;
	}
	*out = img;
	return 0;
}

char *inputs_subject(char *buf, size_t n, const struct inputs *in)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < in->n && used + 2 < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? " + " : "",
				 in->v[i].path);

		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* "0483:df11", dfu-util's spelling of a device: hex, ':', hex. */
static int looks_like_vid_pid(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t a, b;

	if (colon == NULL)
		return 0;
	a = strspn(s, "0123456789abcdefABCDEF");
	b = strspn(colon + 1, "0123456789abcdefABCDEF");
	return s + a == colon && a >= 1 && a <= 4 && b >= 1 && b <= 4 &&
	       colon[1 + b] == '\0';
}

const dfuse_profile *profile_from_arg(const char *cmd, const char *name)
{
	const dfuse_profile *p = dfuse_profile_find(name);
	size_t i;

	if (p != NULL)
		return p;
	msg_fprintf(stderr,
		    "%s %s: unknown device '%s'; known devices:", msg_prog, cmd,
		    name);
	for (i = 0; i < dfuse_profile_count_builtin(); i++) {
		dfuse_profile_info info;

		dfuse_profile_get_info(&info, dfuse_profile_get_builtin(i));
		fprintf(stderr, " %s", info.name);
	}
	fputc('\n', stderr);
	if (looks_like_vid_pid(name))
		msg_fprintf(stderr,
			    "%s: note: '%s' looks like a USB VID:PID: "
			    "--device names a profile; %s\n",
			    msg_prog, name,
			    strcmp(cmd, "download") == 0
				    ? "pick the USB device with -d VID:PID"
				    : "only 'download' picks a USB device "
				      "(-d VID:PID)");
	msg_record("usage", NULL, "%s %s: unknown device '%s'", msg_prog, cmd,
		   name);
	return NULL;
}
