/*
 * dfuopts.c - --cm7, --cm4, --alt, --name, --vid, --pid, --bcd.
 */
#include "dfuopts.h"
#include "num.h"

#include <string.h>

static int id_option(struct dfuopts *d, const struct optstate *st, int id,
		     const char *arg)
{
	uint16_t v;

	if (num_hex16(&v, arg) < 0)
		return opt_usage(st,
				 "'%s' is not a 16-bit hex value (e.g. "
				 "0483)",
				 arg);
	if (id == O_VID) {
		d->ids.id_vendor = v;
		d->ids_set |= DFUSE_MERGE_VID;
	} else if (id == O_PID) {
		d->ids.id_product = v;
		d->ids_set |= DFUSE_MERGE_PID;
	} else {
		d->ids.bcd_device = v;
		d->ids_set |= DFUSE_MERGE_BCD;
	}
	return 1;
}

int dfuopts_handle(struct dfuopts *d, const struct optstate *st, int id,
		   const char *arg)
{
	switch (id) {
	case O_VID:
	case O_PID:
	case O_BCD:
		return id_option(d, st, id, arg);
	case O_ALT:
		if (num_u32(&d->alt, arg, 255) < 0)
			return opt_usage(st,
					 "--alt '%s' is not a number from "
					 "0 to 255",
					 arg);
		return 1;
	case O_NAME:
		if (strlen(arg) > 254)
			return opt_usage(st,
					 "--name is %zu bytes; a DfuSe "
					 "target name holds at most 254",
					 strlen(arg));
		d->name = arg;
		return 1;
	default:
		return 0;
	}
}

void dfuopts_apply_ids(const struct dfuopts *d, dfuse_image *img)
{
	dfuse_ids ids;

	if (d->ids_set == 0)
		return;
	dfuse_image_get_ids(&ids, img);
	if (d->ids_set & DFUSE_MERGE_VID)
		ids.id_vendor = d->ids.id_vendor;
	if (d->ids_set & DFUSE_MERGE_PID)
		ids.id_product = d->ids.id_product;
	if (d->ids_set & DFUSE_MERGE_BCD)
		ids.bcd_device = d->ids.bcd_device;
	dfuse_image_set_ids(img, &ids);
}

void dfuopts_free(struct dfuopts *d)
{
	inputs_free(&d->in);
	memset(d, 0, sizeof(*d));
}
