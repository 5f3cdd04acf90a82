/*
 * cmd_profiles.c - dfusetool profiles: the built-in device profiles, their
 * cores, flash word, banks and (with -v or --json) memory regions.  Uses
 * the public profile API only, so what it prints is what every other
 * command and the library see.
 */
#include "cmd.h"
#include "flash.h"
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
};

static const struct opt opts[] = {
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print JSON: an array of profiles, regions included"},
};

static const struct cmd_help help = {
	"profiles",
	"[--json] [-v] [NAME...]",
	"List the built-in device profiles: each part's cores, flash word, "
	"flash banks\n(base, sectors, and the core whose default boot "
	"address lies in the bank),\nand with -v its memory regions: "
	"address range, kind, the cores that reach\nit, and whether the "
	"ROM DFU bootloader can write it.  NAME limits the list\nto those "
	"profiles (any case).  --json always includes the regions.",
	"  dfusetool profiles\n"
	"  dfusetool profiles -v stm32h745xi\n"
	"  dfusetool profiles --json stm32h745xi\n",
};

/* The cores in a mask, CM7 first. */
static const int core_order[] = {DFUSE_CORE_CM7, DFUSE_CORE_CM4};

#define NCORES (sizeof(core_order) / sizeof(core_order[0]))

/* "cm7,cm4" (sep ",") or "cm7 + cm4" (sep " + "); "none" if empty. */
static char *cores_text(char *buf, size_t n, unsigned int mask, const char *sep)
{
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < NCORES; i++) {
		if (!(mask & DFUSE_CORE_BIT(core_order[i])))
			continue;
		k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? sep : "",
				      dfuse_core_name(core_order[i]));
		if (k >= n)
			break;
	}
	if (buf[0] == '\0')
		snprintf(buf, n, "none");
	return buf;
}

/* Last address of [base, base + size), for ranges that fit in 32 bits. */
static unsigned last_address(uint32_t base, uint64_t size)
{
	return (unsigned)(size ? base + size - 1 : base);
}

/* ======== Human output ======== */

static void text_profile(const dfuse_profile *p, int regions)
{
	dfuse_profile_info info;
	char cores[32];
	size_t i;

	dfuse_profile_get_info(&info, p);
	infof("%s%s\n", info.name,
	      p == dfuse_profile_default() ? " (default)" : "");
	infof("  %s\n", info.description);
	infof("  cores %s, flash word %u bytes, ROM DFU %04x:%04x\n",
	      cores_text(cores, sizeof(cores), info.cores, " + "),
	      (unsigned)info.flash_word, info.usb_vid, info.usb_pid);
	for (i = 0; i < info.bank_count; i++) {
		dfuse_bank_info b;
		char sz[32];

		if (dfuse_profile_get_bank(&b, p, i) < 0)
			continue;
		infof("  bank %u  0x%08x-0x%08x  %u x %s  %s's bank\n",
		      b.number, (unsigned)b.base,
		      last_address(b.base,
				   (uint64_t)b.sector_size * b.sector_count),
		      (unsigned)b.sector_count,
		      num_size_text(sz, sizeof(sz), b.sector_size),
		      b.core == DFUSE_CORE_NONE ? "no core"
						: dfuse_core_name(b.core));
	}
	if (!regions)
		return;
	infof("  regions:\n    %-21s %9s  %-6s  %-7s  %-8s  %s\n", "range",
	      "size", "kind", "cores", "writable", "name");
	for (i = 0; i < info.region_count; i++) {
		dfuse_region_info r;
		char sz[32];

		if (dfuse_profile_get_region(&r, p, i) < 0)
			continue;
		infof("    0x%08x-0x%08x %9s  %-6s  %-7s  %-8s  %s\n",
		      (unsigned)r.base, last_address(r.base, r.size),
		      num_size_text(sz, sizeof(sz), r.size),
		      flash_kind_name(r.kind),
		      cores_text(cores, sizeof(cores), r.cores, ","),
		      r.bootloader_writable ? "rom-dfu"
		      : r.writable	    ? "yes"
					    : "no",
		      r.name);
	}
}

/* ======== JSON output ======== */

static void json_cores(struct json *j, unsigned int mask)
{
	size_t i;

	json_begin_array(j);
	for (i = 0; i < NCORES; i++)
		if (mask & DFUSE_CORE_BIT(core_order[i]))
			json_str(j, dfuse_core_name(core_order[i]));
	json_end_array(j);
}

static void json_profile(struct json *j, const dfuse_profile *p)
{
	dfuse_profile_info info;
	size_t i;

	dfuse_profile_get_info(&info, p);
	json_begin_object(j);
	json_kstr(j, "name", info.name);
	json_kstr(j, "description", info.description);
	json_kbool(j, "dual_core", info.dual_core);
	json_key(j, "cores");
	json_cores(j, info.cores);
	json_kuint(j, "flash_word", info.flash_word);
	json_key(j, "usb");
	json_begin_object(j);
	json_kuint(j, "vid", info.usb_vid);
	json_kuint(j, "pid", info.usb_pid);
	json_end_object(j);
	json_key(j, "banks");
	json_begin_array(j);
	for (i = 0; i < info.bank_count; i++) {
		dfuse_bank_info b;

		if (dfuse_profile_get_bank(&b, p, i) < 0)
			continue;
		json_begin_object(j);
		json_kuint(j, "number", b.number);
		json_kuint(j, "base", b.base);
		json_kuint(j, "sector_size", b.sector_size);
		json_kuint(j, "sector_count", b.sector_count);
		if (b.core == DFUSE_CORE_NONE)
			json_knull(j, "core");
		else
			json_kstr(j, "core", dfuse_core_name(b.core));
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "regions");
	json_begin_array(j);
	for (i = 0; i < info.region_count; i++) {
		dfuse_region_info r;

		if (dfuse_profile_get_region(&r, p, i) < 0)
			continue;
		json_begin_object(j);
		json_kstr(j, "name", r.name);
		json_kuint(j, "base", r.base);
		json_kuint(j, "size", r.size);
		json_kstr(j, "kind", flash_kind_name(r.kind));
		json_key(j, "cores");
		json_cores(j, r.cores);
		json_kbool(j, "bootloader_writable", r.bootloader_writable);
		json_kbool(j, "writable", r.writable);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

/* ======== Command ======== */

/* The i-th profile to show: argv's NAMEs if any, else every profile. */
static const dfuse_profile *nth(int argc, char **argv, int first, size_t i)
{
	if (first < argc)
		return dfuse_profile_find(argv[first + (int)i]);
	return dfuse_profile_get_builtin(i);
}

int cmd_profiles(int argc, char **argv)
{
	struct optstate st;
	struct json *j = answer_json();
	const char *arg;
	size_t i, n;
	int c, as_json = 0, k, status;

	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		if (opt_stop(c, &status))
			return status;
		switch (c) {
		case O_JSON:
			as_json = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			return EXIT_USAGE;
		}
	}
	/* Every NAME is checked before anything is printed. */
	for (k = st.optind; k < argc; k++)
		if (profile_from_arg(help.name, argv[k]) == NULL)
			return EXIT_USAGE;
	n = st.optind < argc ? (size_t)(argc - st.optind)
			     : dfuse_profile_count_builtin();
	if (as_json) {
		json_begin_array(j);
		for (i = 0; i < n; i++)
			json_profile(j, nth(argc, argv, st.optind, i));
		json_end_array(j);
		return EXIT_OK;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			infof("\n");
		text_profile(nth(argc, argv, st.optind, i),
			     msg_verbosity() > 0);
	}
	return EXIT_OK;
}
