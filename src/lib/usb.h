/*
 * usb.h - the internal USB backend (doc/sources.md, Architecture): a session,
 * the DFU-mode interfaces it found, and an opened interface exposed as a
 * struct dfuse__transport for dfu_proto.c.
 *
 * Two files implement it: usb_libusb.c (DFUSE_WITH_USB=1; the only file
 * that includes <libusb.h>) and usb_none.c (DFUSE_WITH_USB=0: every call
 * fails with DFUSE_ENOTSUP and says so).  The public include/dfuse_usb.h
 * is built on top of this; nothing here prints.
 *
 * Ownership: everything a session hands out (infos, alt names, opened
 * devices' transports) is owned by it and valid until the next
 * dfuse__usb_scan() or dfuse__usb_session_free().  An opened device must
 * be closed before its session is freed.
 */
#ifndef DFUSE_USB_H
#define DFUSE_USB_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "dfu_proto.h"
#include "transport.h"

/* A DFU-mode interface: bInterfaceClass 0xFE, subclass 0x01, protocol
 * 0x02 (DFU 1.1 section 4.2.3). */
#define DFUSE__USB_CLASS_APP 0xfeu
#define DFUSE__USB_SUBCLASS_DFU 0x01u
#define DFUSE__USB_PROTOCOL_DFU_MODE 0x02u

#define DFUSE__USB_SERIAL_MAX 128 /* bytes with the terminator */
#define DFUSE__USB_PATH_MAX 32	  /* "BUS-P.P.P..." (7 port levels) */

/* One alternate setting of a DFU interface. */
struct dfuse__usb_alt {
	uint8_t alt;	  /* bAlternateSetting */
	const char *name; /* iInterface string ("" when none or unreadable):
			     the DfuSe memory layout "@Internal Flash..." */
};

/* One DFU-mode interface of one device. */
struct dfuse__usb_info {
	uint16_t vid;	     /* idVendor */
	uint16_t pid;	     /* idProduct */
	uint16_t bcd_device; /* bcdDevice: the ROM bootloader version */
	uint8_t bus;	     /* libusb_get_bus_number() */
	uint8_t address;     /* libusb_get_device_address() */
	uint8_t interface;   /* bInterfaceNumber (wIndex of every request) */
	const char *serial;  /* iSerialNumber string, "" when none */
	const char *path;    /* "1-2.3": bus, then the port numbers */
	/* The DFU functional descriptor (type 0x21) from the interface's
	 * extra bytes; has_functional 0 when missing or malformed. */
	int has_functional;
	struct dfuse__dfu_functional functional;
	size_t alt_count;
	const struct dfuse__usb_alt *alts; /* in descriptor order */
};

struct dfuse__usb;     /* a session (libusb: its own private context) */
struct dfuse__usb_dev; /* an opened, claimed interface */

/*
 * Starts a session (a private libusb context, never the default one).
 * @return 0; DFUSE_ENOTSUP without USB support; DFUSE_EUSB when libusb
 *   cannot start (the message ends in libusb_error_name()); DFUSE_ENOMEM.
 */
int dfuse__usb_session_new(struct dfuse__usb **out);
/* 0 when this build has a USB backend; else DFUSE_ENOTSUP saying so. */
int dfuse__usb_supported(void);
/* Frees the session and everything it handed out.  NULL is a no-op. */
void dfuse__usb_session_free(struct dfuse__usb *s);

/*
 * (Re)enumerates the DFU-mode interfaces.  Devices that cannot be opened
 * for their strings are still listed, with empty strings.
 * @return the number found (>= 0), or DFUSE_EUSB / DFUSE_ENOMEM, or
 *   DFUSE_EINVAL while a device of the session is open (its info would
 *   go away).
 */
int dfuse__usb_scan(struct dfuse__usb *s);
size_t dfuse__usb_count(const struct dfuse__usb *s);
/* The i-th interface found by the last scan; NULL past the end. */
const struct dfuse__usb_info *dfuse__usb_get(const struct dfuse__usb *s,
					     size_t i);

/*
 * Opens the index-th scanned interface (dfuse__usb_get() tells which is
 * which; the public API matches VID:PID, serial and path there), claims
 * it and selects alternate setting `alt`.
 * @return 0; DFUSE_ENOTFOUND (no such index, or no such alt: the message
 *   lists what exists); DFUSE_EUSB naming the step and libusb_error_name().
 */
int dfuse__usb_open(struct dfuse__usb_dev **out, struct dfuse__usb *s,
		    size_t index, uint8_t alt);
/* The transport of an opened device (borrowed: valid until close). */
const struct dfuse__transport *
dfuse__usb_transport(const struct dfuse__usb_dev *d);
/* Releases the interface and closes the device.  Tolerates a device that
 * is gone (after leave).  NULL is a no-op. */
void dfuse__usb_close(struct dfuse__usb_dev *d);

#endif /* DFUSE_USB_H */
