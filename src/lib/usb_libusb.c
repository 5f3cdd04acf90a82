/*
 * usb_libusb.c - the libusb-1.0 backend of usb.h; the only file of the
 * tree that includes <libusb.h> (doc/sources.md, Architecture).
 *
 * A session owns a private libusb context (never the default one, so that
 * a host program's own libusb use is untouched), the list of DFU-mode
 * interfaces of its last scan, and a reference on each listed device.
 * An opened interface is a struct dfuse__transport whose control
 * transfers are class requests on endpoint 0 (bmRequestType 0x21 / 0xA1,
 * wIndex = bInterfaceNumber); libusb results become enum
 * dfuse__xfer_result, and libusb_error_name() is kept for last_error().
 * The transport also selects alternate settings (SET_INTERFACE) and resets
 * the port (libusb_reset_device(), for a device left in
 * dfuMANIFEST-WAIT-RESET).
 */
#if DFUSE_WITH_USB

#include "usb.h"

#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"

/* Bytes of one string descriptor read as ASCII (USB 2.0: at most 126
 * UTF-16 characters). */
#define STRING_MAX 256
/* Timeout of the descriptor reads of a scan, ms. */
#define DESC_TIMEOUT_MS 1000
/* USB 3.0 allows 7 tiers of hubs below the root. */
#define MAX_PORTS 7
/* OUT data stages up to this size are copied on the stack (DfuSe blocks
 * are wTransferSize: 1024 on the H7 ROM, 2048 on some others). */
#define OUT_STACK_MAX 4096

struct entry {
	struct dfuse__usb_info info;
	libusb_device *dev; /* one reference held */
	char serial[DFUSE__USB_SERIAL_MAX];
	char path[DFUSE__USB_PATH_MAX];
	struct dfuse__usb_alt *alts; /* alt_count of them */
	char **names;		     /* alt_count strings */
};

struct dfuse__usb {
	libusb_context *ctx;
	struct entry *entries;
	size_t count;
	size_t open_count; /* opened devices not yet closed */
};

struct dfuse__usb_dev {
	struct dfuse__usb *s;
	const struct entry *e;
	libusb_device_handle *h;
	struct dfuse__transport t;
	const char *last_error; /* libusb_error_name() of the last failure */
};

/* ======== Session and scan ======== */

static void entry_clear(struct entry *e)
{
	size_t i;

	for (i = 0; i < e->info.alt_count; i++)
		free(e->names[i]);
	free(e->names);
	free(e->alts);
	if (e->dev != NULL)
		libusb_unref_device(e->dev);
	memset(e, 0, sizeof(*e));
}

static void entries_clear(struct dfuse__usb *s)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		entry_clear(&s->entries[i]);
	free(s->entries);
	s->entries = NULL;
	s->count = 0;
}

int dfuse__usb_supported(void)
{
	return 0;
}

int dfuse__usb_session_new(struct dfuse__usb **out)
{
	struct dfuse__usb *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return dfuse__oom();
	rc = libusb_init(&s->ctx);
	if (rc != LIBUSB_SUCCESS) {
		free(s);
		return dfuse__error(DFUSE_EUSB, "cannot start libusb: %s",
				    libusb_error_name(rc));
	}
	*out = s;
	return 0;
}

void dfuse__usb_session_free(struct dfuse__usb *s)
{
	if (s == NULL)
		return;
	entries_clear(s);
	libusb_exit(s->ctx);
	free(s);
}

/* A string descriptor as ASCII into buf ("" on any failure: a listing
 * shows what it can). */
static void read_string(char *buf, size_t size, libusb_device_handle *h,
			uint8_t index)
{
	unsigned char tmp[STRING_MAX];
	int n;

	buf[0] = '\0';
	if (h == NULL || index == 0 || size == 0)
		return;
	n = libusb_get_string_descriptor_ascii(h, index, tmp, sizeof(tmp));
	if (n <= 0)
		return;
	if ((size_t)n >= size)
		n = (int)size - 1;
	memcpy(buf, tmp, (size_t)n);
	buf[n] = '\0';
}

/* "BUS-P.P.P" from libusb_get_port_numbers(); "BUS" for a root hub. */
static void make_path(char *buf, size_t size, libusb_device *dev)
{
	uint8_t ports[MAX_PORTS];
	int n = libusb_get_port_numbers(dev, ports, MAX_PORTS);
	size_t used;
	int i;

	snprintf(buf, size, "%u", (unsigned)libusb_get_bus_number(dev));
	for (i = 0; i < n; i++) {
		used = strlen(buf);
		snprintf(buf + used, size - used, "%c%u", i == 0 ? '-' : '.',
			 (unsigned)ports[i]);
	}
}

static int is_dfu_mode(const struct libusb_interface_descriptor *a)
{
	return a->bInterfaceClass == DFUSE__USB_CLASS_APP &&
	       a->bInterfaceSubClass == DFUSE__USB_SUBCLASS_DFU &&
	       a->bInterfaceProtocol == DFUSE__USB_PROTOCOL_DFU_MODE;
}

/* Appends one entry for interface `itf` (with at least one DFU-mode alt)
 * of dev; the functional descriptor may also sit in the configuration's
 * extra bytes. */
static int add_entry(struct dfuse__usb *s, libusb_device *dev,
		     const struct libusb_device_descriptor *dd,
		     const struct libusb_config_descriptor *cfg,
		     const struct libusb_interface *itf,
		     libusb_device_handle *h)
{
	const unsigned char *cfg_extra = cfg->extra;
	const int cfg_extra_len = cfg->extra_length;
	struct entry *grown, *e;
	size_t n = 0;
	int i;

	grown = realloc(s->entries, (s->count + 1) * sizeof(*grown));
	if (grown == NULL)
		return dfuse__oom();
	s->entries = grown;
	/* the entries moved: their info points at their own strings */
	for (i = 0; (size_t)i < s->count; i++) {
		grown[i].info.serial = grown[i].serial;
		grown[i].info.path = grown[i].path;
	}
	e = &s->entries[s->count];
	memset(e, 0, sizeof(*e));
	e->alts = calloc((size_t)itf->num_altsetting, sizeof(*e->alts));
	e->names = calloc((size_t)itf->num_altsetting, sizeof(*e->names));
	if (e->alts == NULL || e->names == NULL) {
		free(e->alts);
		free(e->names);
		return dfuse__oom();
	}
	for (i = 0; i < itf->num_altsetting; i++) {
		const struct libusb_interface_descriptor *a =
			&itf->altsetting[i];
		char name[STRING_MAX];

		if (!is_dfu_mode(a))
			continue;
		if (n == 0)
			e->info.interface = a->bInterfaceNumber;
		/* ST's stacks put the functional descriptor after the last
		 * alternate setting: libusb hands it to that one. */
		if (!e->info.has_functional && a->extra != NULL &&
		    a->extra_length > 0)
			e->info.has_functional =
				dfuse__dfu_parse_functional(
					&e->info.functional, a->extra,
					(size_t)a->extra_length) == 0;
		read_string(name, sizeof(name), h, a->iInterface);
		e->names[n] = strdup(name);
		if (e->names[n] == NULL) {
			e->info.alt_count = n;
			entry_clear(e);
			return dfuse__oom();
		}
		e->alts[n].alt = a->bAlternateSetting;
		e->alts[n].name = e->names[n];
		n++;
	}
	if (!e->info.has_functional && cfg_extra != NULL && cfg_extra_len > 0)
		e->info.has_functional = dfuse__dfu_parse_functional(
						 &e->info.functional, cfg_extra,
						 (size_t)cfg_extra_len) == 0;
	e->info.alt_count = n;
	e->info.alts = e->alts;
	e->info.vid = dd->idVendor;
	e->info.pid = dd->idProduct;
	e->info.bcd_device = dd->bcdDevice;
	e->info.bus = libusb_get_bus_number(dev);
	e->info.address = libusb_get_device_address(dev);
	read_string(e->serial, sizeof(e->serial), h, dd->iSerialNumber);
	make_path(e->path, sizeof(e->path), dev);
	e->info.serial = e->serial;
	e->info.path = e->path;
	e->dev = libusb_ref_device(dev);
	s->count++;
	return 0;
}

static int has_dfu_alt(const struct libusb_interface *itf)
{
	int i;

	for (i = 0; i < itf->num_altsetting; i++)
		if (is_dfu_mode(&itf->altsetting[i]))
			return 1;
	return 0;
}

/* The DFU-mode interfaces of one device (none is not an error). */
static int scan_device(struct dfuse__usb *s, libusb_device *dev)
{
	struct libusb_device_descriptor dd;
	struct libusb_config_descriptor *cfg = NULL;
	libusb_device_handle *h = NULL;
	int rc, i, found = 0;

	if (libusb_get_device_descriptor(dev, &dd) != LIBUSB_SUCCESS)
		return 0;
	if (libusb_get_active_config_descriptor(dev, &cfg) != LIBUSB_SUCCESS) {
		if (libusb_get_config_descriptor(dev, 0, &cfg) !=
		    LIBUSB_SUCCESS)
			return 0;
	}
	for (i = 0; i < cfg->bNumInterfaces; i++)
		found |= has_dfu_alt(&cfg->interface[i]);
	rc = 0;
	if (found) {
		/* Strings need the device open; without permission it is
		 * still listed. */
		if (libusb_open(dev, &h) != LIBUSB_SUCCESS)
			h = NULL;
		for (i = 0; i < cfg->bNumInterfaces && rc == 0; i++)
			if (has_dfu_alt(&cfg->interface[i]))
				rc = add_entry(s, dev, &dd, cfg,
					       &cfg->interface[i], h);
		if (h != NULL)
			libusb_close(h);
	}
	libusb_free_config_descriptor(cfg);
	return rc;
}

int dfuse__usb_scan(struct dfuse__usb *s)
{
	libusb_device **list = NULL;
	ssize_t n, i;
	int rc = 0;

	if (s->open_count > 0)
		return dfuse__error(DFUSE_EINVAL,
				    "cannot rescan USB while "
				    "%zu device(s) are open",
				    s->open_count);
	entries_clear(s);
	n = libusb_get_device_list(s->ctx, &list);
	if (n < 0)
		return dfuse__error(DFUSE_EUSB, "cannot list USB devices: %s",
				    libusb_error_name((int)n));
	for (i = 0; i < n && rc == 0; i++)
		rc = scan_device(s, list[i]);
	libusb_free_device_list(list, 1);
	if (rc < 0) {
		entries_clear(s);
		return rc;
	}
	return (int)s->count;
}

size_t dfuse__usb_count(const struct dfuse__usb *s)
{
	return s->count;
}

const struct dfuse__usb_info *dfuse__usb_get(const struct dfuse__usb *s,
					     size_t i)
{
	return i < s->count ? &s->entries[i].info : NULL;
}

/* ======== The transport ======== */

static int map_result(struct dfuse__usb_dev *d, int rc)
{
	d->last_error = libusb_error_name(rc);
	switch (rc) {
	case LIBUSB_ERROR_NO_DEVICE:
		return DFUSE__XFER_GONE;
	case LIBUSB_ERROR_PIPE:
		return DFUSE__XFER_STALL;
	case LIBUSB_ERROR_TIMEOUT:
		return DFUSE__XFER_TIMEOUT;
	default:
		return DFUSE__XFER_ERROR;
	}
}

static int usb_control_out(void *ctx, uint8_t request, uint16_t value,
			   uint16_t index, const uint8_t *data, uint16_t len,
			   unsigned timeout_ms)
{
	struct dfuse__usb_dev *d = ctx;
	unsigned char small[OUT_STACK_MAX];
	unsigned char *buf = small;
	int rc;

	/* libusb wants a non-const buffer for both directions. */
	if (len > sizeof(small)) {
		buf = malloc(len);
		if (buf == NULL) {
			d->last_error = "out of memory";
			return DFUSE__XFER_ERROR;
		}
	}
	if (len > 0)
		memcpy(buf, data, len);
	rc = libusb_control_transfer(
		d->h,
		LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS |
			LIBUSB_RECIPIENT_INTERFACE,
		request, value, index, len > 0 ? buf : NULL, len, timeout_ms);
	if (buf != small)
		free(buf);
	if (rc < 0)
		return map_result(d, rc);
	if (rc != (int)len) {
		d->last_error = "short OUT transfer";
		return DFUSE__XFER_ERROR;
	}
	return 0;
}

static int usb_control_in(void *ctx, uint8_t request, uint16_t value,
			  uint16_t index, uint8_t *data, uint16_t len,
			  unsigned timeout_ms)
{
	struct dfuse__usb_dev *d = ctx;
	int rc;

	rc = libusb_control_transfer(
		d->h,
		LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_CLASS |
			LIBUSB_RECIPIENT_INTERFACE,
		request, value, index, data, len, timeout_ms);
	if (rc < 0)
		return map_result(d, rc);
	return rc;
}

static void usb_sleep_ms(void *ctx, unsigned ms)
{
	struct timespec ts;

	(void)ctx;
	ts.tv_sec = (time_t)(ms / 1000u);
	ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		continue;
}

static uint64_t usb_now_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static const char *usb_last_error(void *ctx)
{
	const struct dfuse__usb_dev *d = ctx;

	return d->last_error;
}

static int usb_set_alt(void *ctx, uint8_t alt)
{
	struct dfuse__usb_dev *d = ctx;
	const int rc = libusb_set_interface_alt_setting(
		d->h, d->e->info.interface, alt);

	return rc == LIBUSB_SUCCESS ? 0 : map_result(d, rc);
}

/* libusb_reset_device(): LIBUSB_ERROR_NOT_FOUND means the device came back
 * as a new one (its handle is dead: rescan and open it again). */
static int usb_reset(void *ctx)
{
	struct dfuse__usb_dev *d = ctx;
	const int rc = libusb_reset_device(d->h);

	if (rc == LIBUSB_SUCCESS)
		return 0;
	if (rc == LIBUSB_ERROR_NOT_FOUND) {
		d->last_error = libusb_error_name(rc);
		return DFUSE__XFER_GONE;
	}
	return map_result(d, rc);
}

static const struct dfuse__transport_ops usb_ops = {
	usb_control_out, usb_control_in, usb_sleep_ms, usb_now_ms,
	usb_last_error,	 usb_set_alt,	 usb_reset};

/* ======== Open and close ======== */

static int has_alt(const struct entry *e, uint8_t alt)
{
	size_t i;

	for (i = 0; i < e->info.alt_count; i++)
		if (e->alts[i].alt == alt)
			return 1;
	return 0;
}

int dfuse__usb_open(struct dfuse__usb_dev **out, struct dfuse__usb *s,
		    size_t index, uint8_t alt)
{
	const struct entry *e;
	struct dfuse__usb_dev *d;
	int rc;

	*out = NULL;
	if (index >= s->count)
		return dfuse__error(DFUSE_ENOTFOUND,
				    "no DFU-mode device %zu "
				    "(%zu found)",
				    index, s->count);
	e = &s->entries[index];
	if (!has_alt(e, alt))
		return dfuse__error(DFUSE_ENOTFOUND,
				    "%04x:%04x at %s: no "
				    "alternate setting %u (it has %zu)",
				    e->info.vid, e->info.pid, e->path,
				    (unsigned)alt, e->info.alt_count);
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return dfuse__oom();
	d->s = s;
	d->e = e;
	rc = libusb_open(e->dev, &d->h);
	if (rc != LIBUSB_SUCCESS) {
		free(d);
		return dfuse__error(DFUSE_EUSB,
				    "%04x:%04x at %s: cannot "
				    "open: %s",
				    e->info.vid, e->info.pid, e->path,
				    libusb_error_name(rc));
	}
	/* Not supported on every platform; claiming says what matters. */
	(void)libusb_set_auto_detach_kernel_driver(d->h, 1);
	rc = libusb_claim_interface(d->h, e->info.interface);
	if (rc != LIBUSB_SUCCESS) {
		libusb_close(d->h);
		free(d);
		return dfuse__error(DFUSE_EUSB,
				    "%04x:%04x at %s: cannot "
				    "claim interface %u: %s",
				    e->info.vid, e->info.pid, e->path,
				    (unsigned)e->info.interface,
				    libusb_error_name(rc));
	}
	rc = libusb_set_interface_alt_setting(d->h, e->info.interface, alt);
	if (rc != LIBUSB_SUCCESS) {
		libusb_release_interface(d->h, e->info.interface);
		libusb_close(d->h);
		free(d);
		return dfuse__error(DFUSE_EUSB,
				    "%04x:%04x at %s: cannot "
				    "select alternate setting %u: %s",
				    e->info.vid, e->info.pid, e->path,
				    (unsigned)alt, libusb_error_name(rc));
	}
	d->t.ops = &usb_ops;
	d->t.ctx = d;
	d->t.interface = e->info.interface;
	d->last_error = "no error";
	s->open_count++;
	*out = d;
	return 0;
}

const struct dfuse__transport *
dfuse__usb_transport(const struct dfuse__usb_dev *d)
{
	return &d->t;
}

void dfuse__usb_close(struct dfuse__usb_dev *d)
{
	if (d == NULL)
		return;
	/* After leave the device is gone: both calls fail harmlessly. */
	(void)libusb_release_interface(d->h, d->e->info.interface);
	libusb_close(d->h);
	d->s->open_count--;
	free(d);
}

#endif /* DFUSE_WITH_USB */
