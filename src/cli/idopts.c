/*
 * idopts.c - --vid, --pid, --bcd.
 */
#include "idopts.h"
#include "num.h"

int idopts_handle(struct idopts *d, const struct optstate *st, int id,
		  const char *arg)
{
	uint16_t v;

	if (id != O_VID && id != O_PID && id != O_BCD)
		return 0;
	if (num_hex16(&v, arg) < 0)
		return opt_usage(st, "'%s' is not a 16-bit hex value (e.g. "
				     "0483)",
				 arg);
	if (id == O_VID) {
		d->ids.id_vendor = v;
		d->set |= DFUSE_MERGE_VID;
	} else if (id == O_PID) {
		d->ids.id_product = v;
		d->set |= DFUSE_MERGE_PID;
	} else {
		d->ids.bcd_device = v;
		d->set |= DFUSE_MERGE_BCD;
	}
	return 1;
}

void idopts_apply(const struct idopts *d, dfuse_image *img)
{
	dfuse_ids ids;

	if (d->set == 0)
		return;
	dfuse_image_get_ids(&ids, img);
	if (d->set & DFUSE_MERGE_VID)
		ids.id_vendor = d->ids.id_vendor;
	if (d->set & DFUSE_MERGE_PID)
		ids.id_product = d->ids.id_product;
	if (d->set & DFUSE_MERGE_BCD)
		ids.bcd_device = d->ids.bcd_device;
	dfuse_image_set_ids(img, &ids);
}
