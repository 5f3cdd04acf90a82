/*
 * cmd_info.c - dfusetool info: what the attached device says about itself,
 * changing nothing: USB identity, the DFU functional descriptor, each
 * alternate setting's layout parsed, the ROM bootloader's ID byte, and the
 * option bytes read from their alternate setting and decoded.
 */
#include "cmd.h"
#include "devboard.h"
#include "devread.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "obprint.h"
#include "opt.h"
#include "usbopts.h"

#include <dfuse.h>
#include <dfuse_usb.h>

#include <stdio.h>
#include <string.h>

enum { O_JSON = 0x100 };

static const struct opt opts[] = {
	USBOPTS_TABLE,
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print what was found as JSON (dfusetool-info(1) gives the schema)"},
};

static const struct cmd_help help = {
	"info",
	"[-d VID:PID] [-S SERIAL] [--path BUS-PORTS] [--json]",
	"Describe the attached device in DFU mode, changing nothing: its USB "
	"identity\nand bcdDevice, the DFU functional descriptor, each "
	"alternate setting with its\nmemory layout parsed, the ROM "
	"bootloader's version (its ID byte, AN2606), and\nthe option bytes "
	"read from their alternate setting and decoded field by\nfield.  "
	"dfusetool never writes option bytes.",
	"  dfusetool info\n"
	"  dfusetool info --json\n",
};

/* DFU 1.1 §4.1.3, Table 4.2: bmAttributes bits 0-3. */
static void attributes_text(char *buf, size_t n, unsigned a)
{
	snprintf(buf, n, "%s, %s, %s, %s",
		 a & 0x1u ? "can download" : "cannot download",
		 a & 0x2u ? "can upload" : "cannot upload",
		 a & 0x4u ? "manifestation tolerant (it stays on the bus "
			    "after a download)"
			  : "not manifestation tolerant",
		 a & 0x8u ? "will detach (it leaves on its own)"
			  : "will not detach (it needs a USB reset)");
}

/* The ID byte (AN2606): 0x92 is V9.2, a nibble each. */
static void bl_version(char *buf, size_t n, int id)
{
	snprintf(buf, n, "%u.%u", ((unsigned)id >> 4) & 0xFu,
		 (unsigned)id & 0xFu);
}

static void text_device(const struct devread *d)
{
	const dfuse_usb_device_info *x = &d->info;

	infof("device %04x:%04x, serial \"%s\", path %s, interface %u\n",
	      x->vid, x->pid, x->serial, x->path, x->interface);
	/* AN3156 §4.1: the bootloader version is the high byte of
	 * bcdDevice, in BCD (0x20 would be 2.0) */
	infof("  bcdDevice 0x%04x: AN3156 gives the bootloader version in "
	      "its high byte, 0x%02x here (%x.%x); the ID byte below is "
	      "the ROM's own version\n",
	      x->bcd_device, x->bcd_device >> 8, (x->bcd_device >> 12) & 0xFu,
	      (x->bcd_device >> 8) & 0xFu);
	if (!x->has_functional) {
		infof("  no DFU functional descriptor (DFU 1.1 §4.1.3): the "
		      "transfer size is not known\n");
		return;
	}
	{
		char attr[200];

		attributes_text(attr, sizeof(attr), x->attributes);
		infof("  DFU functional descriptor: bcdDFUVersion 0x%04x%s, "
		      "wTransferSize %u, wDetachTimeout %u ms\n",
		      x->dfu_version,
		      x->dfu_version == 0x011A ? " (DfuSe, UM0424)" : "",
		      x->transfer_size, x->detach_timeout);
		infof("  bmAttributes 0x%02x: %s\n", x->attributes, attr);
	}
}

static void access_text(char *buf, size_t n, const dfuse_layout_segment *s)
{
	snprintf(buf, n, "%s, %s, %s",
		 s->readable ? "readable" : "not readable",
		 s->erasable ? "erasable" : "not erasable",
		 s->writable ? "writable" : "not writable");
}

static void text_alt(uint8_t alt, const char *name)
{
	dfuse_layout *l = NULL;
	size_t k;

	infof("alt %u: \"%s\"\n", alt, name);
	if (dfuse_layout_parse(&l, name) < 0) {
		infof("  not a memory layout (UM0424): %s\n",
		      dfuse_error_last()->message);
		return;
	}
	for (k = 0; k < dfuse_layout_count_segments(l); k++) {
		dfuse_layout_segment s;
		char size[32], acc[64];

		if (dfuse_layout_get_segment(&s, l, k) < 0)
			continue;
		num_size_text(size, sizeof(size), s.sector_size);
		access_text(acc, sizeof(acc), &s);
		infof("  0x%08x  %u x %s  %s\n", (unsigned)s.address,
		      (unsigned)s.sector_count, size, acc);
	}
	dfuse_layout_free(l);
}

static void json_alt(struct json *j, uint8_t alt, const char *name)
{
	dfuse_layout *l = NULL;
	size_t k;

	json_begin_object(j);
	json_kuint(j, "alt", alt);
	json_kstr(j, "name", name);
	json_key(j, "segments");
	if (dfuse_layout_parse(&l, name) < 0) {
		json_null(j);
		json_kstr(j, "layout_error", dfuse_error_last()->message);
		json_end_object(j);
		return;
	}
	json_begin_array(j);
	for (k = 0; k < dfuse_layout_count_segments(l); k++) {
		dfuse_layout_segment s;
		char type[2] = {0, 0};

		if (dfuse_layout_get_segment(&s, l, k) < 0)
			continue;
		type[0] = s.type;
		json_begin_object(j);
		json_kuint(j, "address", s.address);
		json_kuint(j, "end",
			   (uint64_t)s.address +
				   (uint64_t)s.sector_size * s.sector_count);
		json_kuint(j, "count", s.sector_count);
		json_kuint(j, "size", s.sector_size);
		json_kstr(j, "type", type);
		json_kbool(j, "readable", s.readable);
		json_kbool(j, "erasable", s.erasable);
		json_kbool(j, "writable", s.writable);
		json_end_object(j);
	}
	json_end_array(j);
	json_knull(j, "layout_error");
	json_end_object(j);
	dfuse_layout_free(l);
}

static void text_bootloader(const dfuse_board *b)
{
	char v[8];

	if (b->bootloader_id < 0) {
		infof("bootloader: unknown: %s\n",
		      b->bootloader_why[0] ? b->bootloader_why
					   : "the ID byte was not read");
		return;
	}
	bl_version(v, sizeof(v), b->bootloader_id);
	infof("bootloader: V%s (ID byte 0x%02X at 0x%08X, AN2606)\n", v,
	      (unsigned)b->bootloader_id, DFUSE_BOOTLOADER_ID_ADDRESS);
}

static void text_option_bytes(const dfuse_board *b, const dfuse_usb *u)
{
	const dfuse_option_bytes *ob = &b->ob;

	switch (b->state) {
	case DFUSE_BOARD_READ:
		infof("option bytes: %zu bytes from alt %u at 0x%08X, RDP "
		      "level "
		      "%d%s\n",
		      ob->length, b->alt, DFUSE_OPTION_BYTES_ADDRESS,
		      ob->rdp_level,
		      ob->factory ? ", RM0399's factory values" : "");
		if (ob->length < DFUSE_OPTION_BYTES_FULL_SIZE)
			infof("  (the device gave %zu of the %u bytes: the "
			      "words it did not give are unknown, never taken "
			      "for unprotected)\n",
			      ob->length, DFUSE_OPTION_BYTES_FULL_SIZE);
		if (msg_verbosity() >= 0)
			obprint_text(stdout, ob, 2);
		break;
	case DFUSE_BOARD_NO_ALT:
		infof("option bytes: not read: %s\n",
		      b->why[0] ? b->why
				: "the device shows no option-byte "
				  "alternate setting");
		break;
	case DFUSE_BOARD_PROTECTED:
		infof("option bytes: not read: %s\n",
		      b->why[0] ? b->why : "the ROM refused the read");
		usbopts_hint(DFUSE_EPROTECTED, u);
		break;
	default:
		infof("option bytes: not read: %s\n",
		      b->why[0] ? b->why : "the read failed");
		break;
	}
	infof("%s.\n", obprint_never_written);
}

/* The WRP sectors of one bank window, or null when unknown. */
static void json_wrp(struct json *j, const dfuse_option_bytes *ob, int w)
{
	unsigned k;

	if (!ob->wrp_known[w]) {
		json_null(j);
		return;
	}
	json_begin_array(j);
	for (k = 0; k < 8; k++)
		if (ob->wrp_sectors[w] & (1u << k))
			json_uint(j, k);
	json_end_array(j);
}

static void json_option_bytes(struct json *j, const dfuse_board *b)
{
	const dfuse_option_bytes *ob = &b->ob;
	size_t i;

	json_key(j, "option_bytes");
	json_begin_object(j);
	json_kstr(j, "state", devboard_state_name(b->state));
	json_kstr_or_null(j, "why", b->why[0] ? b->why : NULL);
	if (b->state != DFUSE_BOARD_READ) {
		json_end_object(j);
		return;
	}
	json_kuint(j, "alt", b->alt);
	json_kuint(j, "address", DFUSE_OPTION_BYTES_ADDRESS);
	json_kuint(j, "length", ob->length);
	json_kuint(j, "decoded", ob->decoded);
	json_kuint(j, "rdp", ob->rdp);
	json_kint(j, "rdp_level", ob->rdp_level);
	json_kbool(j, "bcm7", ob->bcm7);
	json_kbool(j, "bcm4", ob->bcm4);
	json_kuint(j, "boot_cm7_add0", ob->boot_cm7_add0);
	json_kuint(j, "boot_cm7_add1", ob->boot_cm7_add1);
	json_kuint(j, "boot_cm4_add0", ob->boot_cm4_add0);
	json_kuint(j, "boot_cm4_add1", ob->boot_cm4_add1);
	json_kbool(j, "swap_bank_opt", ob->swap_bank_opt);
	if (ob->swap_bank < 0)
		json_knull(j, "swap_bank");
	else
		json_kbool(j, "swap_bank", ob->swap_bank);
	json_key(j, "write_protected");
	json_begin_object(j);
	json_key(j, "0x08000000");
	json_wrp(j, ob, 0);
	json_key(j, "0x08100000");
	json_wrp(j, ob, 1);
	json_end_object(j);
	json_kbool(j, "factory", ob->factory);
	json_kbool(j, "staged", ob->staged);
	json_key(j, "words");
	json_begin_array(j);
	for (i = 0; i < ob->decoded / 4; i++)
		json_uint(j, ob->words[i]);
	json_end_array(j);
	obprint_kjson_fields(j, "fields", ob);
	json_end_object(j);
}

static void json_answer(const struct devread *d, const dfuse_usb *u,
			const dfuse_board *b, int failed)
{
	struct json *j = answer_json();
	const dfuse_usb_device_info *x = &d->info;
	size_t a;

	json_begin_object(j);
	json_kbool(j, "ok", !failed);
	answer_kerror(j);
	devread_kjson(j, d);
	if (d->info.path == NULL) {
		json_end_object(j);
		return;
	}
	json_key(j, "functional");
	if (x->has_functional) {
		char attr[200];

		attributes_text(attr, sizeof(attr), x->attributes);
		json_begin_object(j);
		json_kuint(j, "dfu_version", x->dfu_version);
		json_kuint(j, "transfer_size", x->transfer_size);
		json_kuint(j, "detach_timeout", x->detach_timeout);
		json_kuint(j, "attributes", x->attributes);
		json_kstr(j, "attributes_text", attr);
		json_end_object(j);
	} else {
		json_null(j);
	}
	json_key(j, "alts");
	json_begin_array(j);
	for (a = 0; a < x->alt_count; a++) {
		const char *name = "";
		uint8_t alt = 0;

		if (dfuse_usb_get_alt(&alt, &name, u, d->index, a) == 0)
			json_alt(j, alt, name);
	}
	json_end_array(j);
	json_key(j, "bootloader");
	json_begin_object(j);
	if (b->bootloader_id >= 0) {
		char v[8];

		bl_version(v, sizeof(v), b->bootloader_id);
		json_kuint(j, "id", (uint64_t)b->bootloader_id);
		json_kstr(j, "version", v);
		json_knull(j, "why");
	} else {
		json_knull(j, "id");
		json_knull(j, "version");
		json_kstr(j, "why",
			  b->bootloader_why[0] ? b->bootloader_why
					       : "the ID byte was not read");
	}
	json_end_object(j);
	json_option_bytes(j, b);
	json_kstr(j, "option_bytes_written", obprint_never_written);
	json_end_object(j);
}

static int run(struct usbopts *uo, int as_json)
{
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;
	dfuse_usb *u = NULL;
	struct devread d;
	dfuse_board b;
	size_t a;
	int rc, status = EXIT_FAIL;

	memset(&d, 0, sizeof(d));
	dfuse_board_init(&b);
	if (usbopts_open(&u, uo) != 0 || devread_pick(&d, u, uo, 0) != 0)
		goto out;
	rc = dfuse_usb_read_board(&b, u, usbopts_match(uo), &o);
	if (rc < 0) {
		error_lib(NULL);
		usbopts_hint(rc, u);
		goto out;
	}
	status = EXIT_OK;
	if (as_json)
		goto out;
	text_device(&d);
	for (a = 0; a < d.info.alt_count; a++) {
		const char *name = "";
		uint8_t alt = 0;

		if (dfuse_usb_get_alt(&alt, &name, u, d.index, a) == 0)
			text_alt(alt, name);
	}
	text_bootloader(&b);
	text_option_bytes(&b, u);
out:
	if (as_json)
		json_answer(&d, u, &b, status != EXIT_OK);
	devread_free(&d);
	dfuse_usb_free(u);
	return status;
}

int cmd_info(int argc, char **argv)
{
	struct optstate st;
	struct usbopts uo;
	const char *arg;
	int c, rc, status = EXIT_USAGE, as_json = 0;

	usbopts_init(&uo);
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		rc = usbopts_handle(&uo, &st, c, arg);
		if (opt_stop(c < 0 ? c : rc, &status))
			return status;
		if (rc == 1)
			continue;
		if (c != O_JSON) {
			opt_usage(&st, "unhandled option");
			return EXIT_USAGE;
		}
		as_json = 1;
	}
	if (st.optind < argc) {
		opt_usage(&st, "unexpected argument '%s'", argv[st.optind]);
		return EXIT_USAGE;
	}
	return run(&uo, as_json);
}
