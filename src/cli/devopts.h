/*
 * devopts.h - the device options every command that takes images shares:
 * --device NAME, --layout STRING, --boot-cm7 ADDR, --boot-cm4 ADDR; and
 * one call for its option loop that also takes --cm7, --cm4 and
 * --max-input-size (inputs.h), --help and usage errors.  --allow CODE
 * (repeatable) lowers check findings with that code to notes.
 */
#ifndef DFUSETOOL_DEVOPTS_H
#define DFUSETOOL_DEVOPTS_H

#include "inputs.h"
#include "opt.h"

#include <dfuse.h>

enum {
	O_DEVICE = 0x200,
	O_LAYOUT,
	O_BOOT_CM7,
	O_BOOT_CM4,
	O_ALLOW = 0x280,
};

#define DEVOPTS_TABLE                                                          \
	{O_DEVICE,                                                             \
	 "device",                                                             \
	 0,                                                                    \
	 OPT_ARG,                                                              \
	 "NAME",                                                               \
	 "device profile (default stm32h745xi; 'dfusetool profiles')"},        \
		{O_LAYOUT,                                                     \
		 "layout",                                                     \
		 0,                                                            \
		 OPT_ARG,                                                      \
		 "STRING",                                                     \
		 "the device's UM0424 layout, for a part without a profile"},  \
		{O_BOOT_CM7, "boot-cm7",                                       \
		 0,	     OPT_ARG,                                          \
		 "ADDR",     "the CM7's boot address, if not the default"},    \
		{O_BOOT_CM4, "boot-cm4",                                       \
		 0,	     OPT_ARG,                                          \
		 "ADDR",     "the CM4's boot address, if not the default"},    \
	{                                                                      \
		O_ALLOW, "allow", 0, OPT_ARG, "CODE",                          \
			"report check findings with CODE as notes "            \
			"(repeatable)"                                         \
	}

struct devopts {
	const dfuse_profile *profile; /* --device, or NULL */
	dfuse_layout *layout;	      /* --layout, or NULL */
	dfuse_profile *derived;	      /* devopts_finish(): the profile (or a
					 neutral one) with the layout's flash */
	uint32_t boot_cm7, boot_cm4;  /* 0: the profile's */
	const char **allow;	      /* --allow codes (into argv), owned
					 array */
	size_t nallow;
};

/*
 * For each opt_next() result: handles the device options, --cm7/--cm4
 * into `in` and --max-input-size into `max` (either may be NULL for a
 * command without them).  Returns 1 if `id` was one of them, 0 if it is
 * the command's own; or, when the loop must end, OPT_HELP (--help was
 * printed: exit 0) or OPT_USAGE (a usage error was: exit 2).
 */
int devopts_handle(struct devopts *d, struct inputs *in, size_t *max,
		   const struct optstate *st, int id, const char *arg);
/*
 * After the option loop of a command that uses the flash geometry: with
 * --layout, makes the profile whose banks and sectors are the layout's
 * (dfuse_profile_new_with_layout(), on --device's profile or a neutral one).
 * Returns 0, or OPT_USAGE after saying why the layout cannot be modelled.
 */
int devopts_finish(struct devopts *d, const struct optstate *st);
/* The profile that gives banks and cores: the derived one, --device, else
 * the default unless only a layout was given (then NULL). */
const dfuse_profile *devopts_profile(const struct devopts *d);
/* The profile for the geometry (dump's columns, map, merge, split, build,
 * download): the derived one, --device, or the default; never NULL. */
const dfuse_profile *devopts_profile_or_default(const struct devopts *d);
/* The check options: the derived profile when --device and --layout are
 * both given; with --layout alone none (the layout's own rules, as
 * dfusetool-check(1) says). */
void devopts_check_options(const struct devopts *d, dfuse_check_options *o);
/* "stm32h745xi", or "layout \"...\"" */
const char *devopts_device_name(const struct devopts *d);
void devopts_free(struct devopts *d);

#endif /* DFUSETOOL_DEVOPTS_H */
