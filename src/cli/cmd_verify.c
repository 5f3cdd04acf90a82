/*
 * cmd_verify.c - dfusetool verify: compares a board with an image (a .dfu,
 * or image inputs placed as download places them), sector by sector, and
 * writes nothing.  Exit 0 when every sector the image touches holds what
 * a download of it would leave there, 1 otherwise.
 */
#include "cmd.h"
#include "devimage.h"
#include "devopts.h"
#include "devread.h"
#include "inputs.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "usbopts.h"

#include <dfuse.h>
#include <dfuse_usb.h>

#include <stdlib.h>
#include <string.h>

enum { O_JSON = 0x100 };

static const struct opt opts[] = {
	USBOPTS_TABLE,
	INPUTS_TABLE,
	{O_DEVICE, "device", 0, OPT_ARG, "NAME",
	 "device profile (default stm32h745xi)"},
	{O_BOOT_CM7, "boot-cm7", 0, OPT_ARG, "ADDR",
	 "where a raw --cm7 binary goes, if not the CM7's boot address"},
	{O_BOOT_CM4, "boot-cm4", 0, OPT_ARG, "ADDR",
	 "where a raw --cm4 binary goes, if not the CM4's boot address"},
	MAX_INPUT_OPT,
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print each sector and the verdict as JSON, failures too"},
};

static const struct cmd_help help = {
	"verify",
	"[-d VID:PID] [-S SERIAL] [--path BUS-PORTS] [--json] "
	"(FILE.dfu | --cm7 FILE --cm4 FILE | FILE@ADDR ...)",
	"Compare a board with an image and write nothing.  Each erase sector "
	"the image\ntouches is read once and compared with what a download of "
	"the image leaves\nthere: the image's bytes, and 0xFF (erased) where "
	"it writes nothing.  One\nline per sector says whether it is equal, "
	"or where it first differs.  Exit 0\nwhen every sector is equal, 1 "
	"when one differs or on an error.",
	"  dfusetool verify release.dfu\n"
	"  dfusetool verify --json --cm7 cm7.elf --cm4 cm4.elf\n",
};

/* The library's payload for both callbacks: the progress first (it is
 * devread's payload), then the sectors. */
struct verify_state {
	struct devread_progress pr;
	int json;
	size_t n, cap;
	dfuse_verify_sector *v; /* for --json, in address order */
};

static void sector_line(const dfuse_verify_sector *s)
{
	char size[32];

	num_size_text(size, sizeof(size), s->size);
	if (s->equal) {
		infof("0x%08x %s  equal\n", (unsigned)s->address, size);
		return;
	}
	if (s->in_image)
		infof("0x%08x %s  differs at 0x%08X: the board has 0x%02X, the "
		      "image 0x%02X\n",
		      (unsigned)s->address, size, (unsigned)s->first_difference,
		      s->device_byte, s->expected_byte);
	else
		infof("0x%08x %s  differs at 0x%08X: the board has 0x%02X "
		      "where "
		      "the image writes nothing (a download leaves 0xFF)\n",
		      (unsigned)s->address, size, (unsigned)s->first_difference,
		      s->device_byte);
}

static void on_sector(void *payload, const dfuse_verify_sector *s)
{
	struct verify_state *vs = payload;

	if (!vs->json) {
		sector_line(s);
		return;
	}
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? 2 * vs->cap : 16;
		dfuse_verify_sector *v = realloc(vs->v, cap * sizeof(*v));

		if (v == NULL)
			return; /* the count still says it; "sectors" is short
				 */
		vs->v = v;
		vs->cap = cap;
	}
	vs->v[vs->n++] = *s;
}

static void json_answer(const struct verify_state *vs, const struct devread *d,
			const dfuse_usb_result *r, const char *what, int ran)
{
	struct json *j = answer_json();
	size_t i;

	json_begin_object(j);
	json_kstr(j, "file", what);
	json_kbool(j, "ok", ran);
	answer_kerror(j);
	devread_kjson(j, d);
	if (ran)
		json_kbool(j, "equal", r->sectors_equal == r->sectors);
	else
		json_knull(j, "equal");
	json_kuint(j, "sectors_compared", r->sectors);
	json_kuint(j, "sectors_equal", r->sectors_equal);
	json_kuint(j, "bytes_read", r->bytes_read);
	json_kuint(j, "transfers", r->transfers);
	json_key(j, "sectors");
	json_begin_array(j);
	for (i = 0; i < vs->n; i++) {
		const dfuse_verify_sector *s = &vs->v[i];

		json_begin_object(j);
		json_kuint(j, "address", s->address);
		json_kuint(j, "size", s->size);
		json_kbool(j, "equal", s->equal);
		if (!s->equal) {
			json_kuint(j, "first_difference", s->first_difference);
			json_kuint(j, "board_byte", s->device_byte);
			json_kuint(j, "image_byte", s->expected_byte);
			json_kbool(j, "in_image", s->in_image);
			json_kuint(j, "differing_bytes", s->differing_bytes);
		}
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static int run(const dfuse_image *img, const struct devopts *dev,
	       struct usbopts *uo, const char *what, int as_json)
{
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;
	dfuse_usb_result r = DFUSE_USB_RESULT_INIT;
	struct verify_state vs;
	struct devread d;
	dfuse_usb *u = NULL;
	int rc, status = EXIT_FAIL, ran = 0;

	memset(&vs, 0, sizeof(vs));
	memset(&d, 0, sizeof(d));
	if (usbopts_open(&u, uo) != 0 || devread_pick(&d, u, uo, 0) != 0)
		goto out;
	o.profile = devopts_profile_or_default(dev);
	/* one read job: the bar's total is the library's (whole sectors) */
	devread_progress_begin(&vs.pr, &o, "compare", 0);
	vs.json = as_json;
	rc = dfuse_usb_verify(&r, u, usbopts_match(uo), img, &o, on_sector);
	vs.pr.base = r.bytes_read;
	devread_progress_end(&vs.pr);
	if (rc < 0) {
		error_lib(what);
		usbopts_hint(rc, u);
		goto out;
	}
	ran = 1;
	if (r.sectors_equal == r.sectors) {
		if (!as_json)
			infof("the board holds '%s': %zu sector%s equal\n",
			      what, r.sectors, r.sectors == 1 ? "" : "s");
		status = EXIT_OK;
	} else {
		errorf("'%s': %zu of %zu sector%s differ%s from the board",
		       what, r.sectors - r.sectors_equal, r.sectors,
		       r.sectors == 1 ? "" : "s",
		       r.sectors - r.sectors_equal == 1 ? "s" : "");
	}
out:
	if (as_json)
		json_answer(&vs, &d, &r, what, ran);
	free(vs.v);
	devread_free(&d);
	dfuse_usb_free(u);
	return status;
}

int cmd_verify(int argc, char **argv)
{
	struct optstate st;
	struct usbopts uo;
	struct devopts dev;
	struct inputs in = {NULL, 0, 0};
	struct devimage di;
	dfuse_image *img = NULL;
	const char *arg;
	size_t max_input = 0;
	int c, rc, status = EXIT_USAGE, as_json = 0;

	memset(&dev, 0, sizeof(dev));
	usbopts_init(&uo);
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		rc = devopts_handle(&dev, &in, &max_input, &st, c, arg);
		if (rc == 0)
			rc = usbopts_handle(&uo, &st, c, arg);
		if (opt_stop(rc, &status))
			goto out;
		if (rc == 1)
			continue;
		if (c != O_JSON) {
			opt_usage(&st, "unhandled option");
			goto out;
		}
		as_json = 1;
	}
	if (devopts_finish(&dev, &st) < 0)
		goto out;
	status = devimage_positionals(&di, &in, &st, argc, argv, max_input,
				      "nothing to verify");
	if (status != 0)
		goto out;
	status = devimage_load(&img, &di, &in, &dev, max_input);
	if (status != 0)
		goto out;
	status = run(img, &dev, &uo, di.what, as_json);
out:
	dfuse_image_free(img);
	inputs_free(&in);
	devopts_free(&dev);
	return status;
}
