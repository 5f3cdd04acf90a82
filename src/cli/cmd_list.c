/*
 * cmd_list.c - dfusetool list: every device in DFU mode, its IDs, serial,
 * bus path, bootloader version, DFU functional descriptor, and each
 * alternate setting with its memory layout parsed.
 */
#include "cmd.h"
#include "json.h"
#include "msg.h"
#include "opt.h"
#include "usbopts.h"

#include <dfuse.h>
#include <dfuse_usb.h>

#include <stdio.h>
#include <string.h>

enum { O_JSON = 0x100 };

static const struct opt opts[] = {
	{O_JSON, "json", 0, OPT_NOARG, NULL, "print a JSON array"},
	USBOPTS_WAIT,
};

static const struct cmd_help help = {
	"list",
	"[--wait[=SECONDS]] [--json]",
	"List every USB device in DFU mode: VID:PID, serial, bus path, "
	"bcdDevice (the\nROM bootloader's version), the DFU functional "
	"descriptor, and each alternate\nsetting with its name and its "
	"memory layout (segments, sector size and\ncount, readable/erasable/"
	"writable).",
	"  dfusetool list\n"
	"  dfusetool list --json\n"
	"  dfusetool list --wait=10\n",
};

static void text_layout(const char *name)
{
	dfuse_layout *l = NULL;
	size_t k;

	if (dfuse_layout_parse(&l, name) < 0) {
		infof("        (not a memory layout: %s)\n",
		      dfuse_error_last()->message);
		return;
	}
	for (k = 0; k < dfuse_layout_count_segments(l); k++) {
		dfuse_layout_segment s;

		if (dfuse_layout_get_segment(&s, l, k) < 0)
			continue;
		infof("        0x%08x-0x%08llx  %u sector%s of %u bytes  "
		      "%s%s%s\n",
		      (unsigned)s.address,
		      (unsigned long long)((uint64_t)s.address +
					   (uint64_t)s.sector_size *
						   s.sector_count -
					   1),
		      (unsigned)s.sector_count, s.sector_count == 1 ? "" : "s",
		      (unsigned)s.sector_size, s.readable ? "r" : "-",
		      s.erasable ? "e" : "-", s.writable ? "w" : "-");
	}
	dfuse_layout_free(l);
}

static void json_layout(struct json *j, const char *name)
{
	dfuse_layout *l = NULL;
	size_t k;

	if (dfuse_layout_parse(&l, name) < 0) {
		json_knull(j, "layout");
		return;
	}
	json_key(j, "layout");
	json_begin_object(j);
	json_kstr(j, "name", dfuse_layout_get_name(l));
	json_key(j, "segments");
	json_begin_array(j);
	for (k = 0; k < dfuse_layout_count_segments(l); k++) {
		dfuse_layout_segment s;

		if (dfuse_layout_get_segment(&s, l, k) < 0)
			continue;
		json_begin_object(j);
		json_kuint(j, "address", s.address);
		json_kuint(j, "sector_size", s.sector_size);
		json_kuint(j, "sector_count", s.sector_count);
		json_kbool(j, "readable", s.readable);
		json_kbool(j, "erasable", s.erasable);
		json_kbool(j, "writable", s.writable);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
	dfuse_layout_free(l);
}

int cmd_list(int argc, char **argv)
{
	struct optstate st;
	struct usbopts uo;
	struct json *j = answer_json();
	dfuse_usb *u = NULL;
	const char *arg;
	int c, as_json = 0, status;
	size_t i, a, n;

	usbopts_init(&uo);
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		int rc;

		if (opt_stop(c, &status))
			return status;
		rc = usbopts_handle(&uo, &st, c, arg);
		if (opt_stop(rc, &status))
			return status;
		if (c == O_JSON)
			as_json = 1;
	}
	if (st.optind < argc) {
		opt_usage(&st, "unexpected argument '%s'", argv[st.optind]);
		return EXIT_USAGE;
	}
	if (uo.wait) {
		/* with --wait, a device must come (or the wait fails) */
		if (usbopts_open(&u, &uo) != 0)
			return EXIT_FAIL;
	} else if (dfuse_usb_new(&u) < 0) {
		errorf("cannot list USB devices: %s",
		       dfuse_error_last()->message);
		return EXIT_FAIL;
	}
	n = dfuse_usb_count_devices(u);
	verbosef("%zu interface%s in DFU mode", n, n == 1 ? "" : "s");
	if (as_json)
		json_begin_array(j);
	else if (n == 0)
		infof("no device in DFU mode found\n");
	for (i = 0; i < n; i++) {
		dfuse_usb_device_info d;

		if (dfuse_usb_get_device(&d, u, i) < 0)
			continue;
		if (as_json) {
			json_begin_object(j);
			json_kuint(j, "vid", d.vid);
			json_kuint(j, "pid", d.pid);
			json_kuint(j, "bcdDevice", d.bcd_device);
			json_kstr(j, "serial", d.serial);
			json_kstr(j, "path", d.path);
			json_kuint(j, "bus", d.bus);
			json_kuint(j, "address", d.address);
			json_kuint(j, "interface", d.interface);
			if (d.has_functional) {
				json_kuint(j, "transfer_size", d.transfer_size);
				json_kuint(j, "dfu_version", d.dfu_version);
				json_kuint(j, "attributes", d.attributes);
				json_kuint(j, "detach_timeout",
					   d.detach_timeout);
			} else {
				json_knull(j, "transfer_size");
			}
			json_key(j, "alts");
			json_begin_array(j);
		} else {
			infof("[%04x:%04x] ver=%04x, path=%s, serial=\"%s\", "
			      "interface %u",
			      d.vid, d.pid, d.bcd_device, d.path, d.serial,
			      d.interface);
			if (d.has_functional)
				infof(", DFU %x.%02x, transfer size %u",
				      d.dfu_version >> 8, d.dfu_version & 0xffu,
				      d.transfer_size);
			infof("\n");
		}
		for (a = 0; a < d.alt_count; a++) {
			const char *name = "";
			uint8_t alt = 0;

			if (dfuse_usb_get_alt(&alt, &name, u, i, a) < 0)
				continue;
			if (as_json) {
				json_begin_object(j);
				json_kuint(j, "alt", alt);
				json_kstr(j, "name", name);
				json_layout(j, name);
				json_end_object(j);
			} else {
				infof("    alt %u: \"%s\"\n", alt, name);
				text_layout(name);
			}
		}
		if (as_json) {
			json_end_array(j);
			json_end_object(j);
		}
	}
	if (as_json)
		json_end_array(j);
	dfuse_usb_free(u);
	return EXIT_OK;
}
