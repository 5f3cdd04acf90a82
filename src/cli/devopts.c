/*
 * devopts.c - --device, --layout, --boot-cm7, --boot-cm4, --allow.
 * --layout gives the geometry everywhere (devopts_finish()), and the
 * check its layout rules.
 */
#include "devopts.h"
#include "inputs.h"
#include "num.h"

#include <stdlib.h>
#include <string.h>

static int boot_arg(uint32_t *out, const struct optstate *st, const char *opt,
		    const char *arg)
{
	char why[160];

	if (num_u32(out, arg, UINT32_MAX) < 0)
		return opt_usage(st, "%s '%s' is not an address: %s", opt, arg,
				 num_why(why, sizeof(why), arg));
	if (*out == 0)
		return opt_usage(st,
				 "%s 0: address 0 is not a flash address; the "
				 "boot address names the flash where the "
				 "core's vector table lies (the default is "
				 "0x08000000 for the CM7, 0x08100000 for the "
				 "CM4)",
				 opt);
	if (*out % 0x10000 != 0)
		return opt_usage(st,
				 "%s 0x%08x is not 64 KiB-aligned: the boot "
				 "option bytes hold address bits 31:16",
				 opt, (unsigned)*out);
	return 1;
}

/*
 * --allow CODE: appends a known check code to *list (*n codes; the array
 * is the caller's to free) and returns 1; an unknown code is a usage
 * error listing the known ones (OPT_USAGE).
 */
static int allow_arg(const char ***list, size_t *n, const struct optstate *st,
		     const char *code)
{
	const char **v;
	size_t i;

	if (!dfuse_check_has_code(code)) {
		char codes[1024];
		size_t used = 0;
		const char *k;

		codes[0] = '\0';
		for (i = 0; (k = dfuse_check_get_code(i)) != NULL; i++)
			if (used < sizeof(codes))
				used += (size_t)snprintf(codes + used,
							 sizeof(codes) - used,
							 " %s", k);
		return opt_usage(st,
				 "--allow: unknown check code '%s'; the codes "
				 "are:%s",
				 code, codes);
	}
	v = realloc(*list, (*n + 1) * sizeof(*v));
	if (v == NULL)
		return opt_usage(st, "out of memory");
	v[(*n)++] = code;
	*list = v;
	return 1;
}

int devopts_handle(struct devopts *d, struct inputs *in, size_t *max,
		   const struct optstate *st, int id, const char *arg)
{
	switch (id) {
	case OPT_HELP:
	case OPT_USAGE:
		return id;
	case O_DEVICE:
		d->profile = profile_from_arg(st->help->name, arg);
		return d->profile ? 1 : OPT_USAGE;
	case O_LAYOUT:
		dfuse_layout_free(d->layout);
		d->layout = NULL;
		if (dfuse_layout_parse(&d->layout, arg) < 0)
			return opt_usage(st, "--layout: %s",
					 dfuse_error_last()->message);
		return 1;
	case O_BOOT_CM7:
		return boot_arg(&d->boot_cm7, st, "--boot-cm7", arg);
	case O_BOOT_CM4:
		return boot_arg(&d->boot_cm4, st, "--boot-cm4", arg);
	case O_ALLOW:
		return allow_arg(&d->allow, &d->nallow, st, arg);
	default:
		return inputs_opt(in, max, st, id, arg);
	}
}

int devopts_finish(struct devopts *d, const struct optstate *st)
{
	dfuse_profile_free(d->derived);
	d->derived = NULL;
	if (d->layout == NULL)
		return 0;
	if (dfuse_profile_new_with_layout(&d->derived, d->profile, d->layout) <
	    0)
		return opt_usage(st, "--layout: %s",
				 dfuse_error_last()->message);
	return 0;
}

const dfuse_profile *devopts_profile(const struct devopts *d)
{
	if (d->derived != NULL)
		return d->derived;
	if (d->profile != NULL)
		return d->profile;
	return d->layout != NULL ? NULL : dfuse_profile_default();
}

const dfuse_profile *devopts_profile_or_default(const struct devopts *d)
{
	if (d->derived != NULL)
		return d->derived;
	return d->profile ? d->profile : dfuse_profile_default();
}

void devopts_check_options(const struct devopts *d, dfuse_check_options *o)
{
	dfuse_check_options init = DFUSE_CHECK_OPTIONS_INIT;

	*o = init;
	o->profile = d->profile == NULL && d->layout != NULL
			     ? NULL
			     : devopts_profile(d);
	o->layout = d->layout;
	o->boot_cm7 = d->boot_cm7;
	o->boot_cm4 = d->boot_cm4;
	o->allow = d->allow;
	o->allow_count = d->nallow;
}

const char *devopts_device_name(const struct devopts *d)
{
	const dfuse_profile *p = d->profile;
	dfuse_profile_info info;

	if (p == NULL && d->layout != NULL)
		return dfuse_layout_get_name(d->layout);
	if (p == NULL)
		p = dfuse_profile_default();
	dfuse_profile_get_info(&info, p);
	return info.name;
}

void devopts_free(struct devopts *d)
{
	dfuse_profile_free(d->derived);
	dfuse_layout_free(d->layout);
	free(d->allow);
	memset(d, 0, sizeof(*d));
}
