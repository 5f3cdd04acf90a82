/*
 * usb_none.c - the usb.h backend of a build without libusb
 * (DFUSE_WITH_USB=0, like libusb's os/null_usb.c): every call that would
 * touch a device fails with DFUSE_ENOTSUP and says how to get USB.
 */
#if !DFUSE_WITH_USB

#include "usb.h"

#include "err.h"

static int no_usb(void)
{
	return dfuse__error(DFUSE_ENOTSUP,
			    "this libdfuse was built without "
			    "USB support (WITH_USB=0; rebuild with "
			    "libusb-1.0 installed)");
}

int dfuse__usb_supported(void)
{
	return no_usb();
}

int dfuse__usb_session_new(struct dfuse__usb **out)
{
	*out = NULL;
	return no_usb();
}

void dfuse__usb_session_free(struct dfuse__usb *s)
{
	(void)s;
}

int dfuse__usb_scan(struct dfuse__usb *s)
{
	(void)s;
	return no_usb();
}

size_t dfuse__usb_count(const struct dfuse__usb *s)
{
	(void)s;
	return 0;
}

const struct dfuse__usb_info *dfuse__usb_get(const struct dfuse__usb *s,
					     size_t i)
{
	(void)s;
	(void)i;
	return NULL;
}

int dfuse__usb_open(struct dfuse__usb_dev **out, struct dfuse__usb *s,
		    size_t index, uint8_t alt)
{
	(void)s;
	(void)index;
	(void)alt;
	*out = NULL;
	return no_usb();
}

const struct dfuse__transport *
dfuse__usb_transport(const struct dfuse__usb_dev *d)
{
	(void)d;
	return NULL;
}

void dfuse__usb_close(struct dfuse__usb_dev *d)
{
	(void)d;
}

#endif /* !DFUSE_WITH_USB */
