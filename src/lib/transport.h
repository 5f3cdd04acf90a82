/*
 * transport.h - the control-transfer transport under the DFU protocol layer
 * (doc/sources.md, Architecture: libusb's usbi_os_backend at one tenth the
 * size).
 *
 * dfu_proto.c talks to a device only through these operations, so the whole
 * DfuSe state machine runs against tests/unit/h7model.c in virtual time.
 * usb_libusb.c implements them over libusb (it is the only file that
 * includes <libusb.h>) and hands them out through usb.h; a build without
 * libusb (usb_none.c) has no transport, because no device ever opens.
 * Nothing here prints.
 *
 * Requests are class requests to the DFU interface on endpoint 0:
 * bmRequestType 0x21 (host to device) or 0xA1 (device to host), wIndex =
 * the interface number (DFU 1.1 §3).
 */
#ifndef DFUSE_TRANSPORT_H
#define DFUSE_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

/*
 * What a transfer returns when it fails.  These are transport results, not
 * dfuse_error_codes: dfu_proto.c turns them into DFUSE_EUSB or
 * DFUSE_ETIMEOUT with a message naming the request, because after the leave
 * request a disconnect (and a stall) is the expected outcome, not an error.
 * A backend maps "no such device" (LIBUSB_ERROR_NO_DEVICE) to
 * DFUSE__XFER_GONE, a STALL handshake (LIBUSB_ERROR_PIPE) to
 * DFUSE__XFER_STALL, a transfer timeout to DFUSE__XFER_TIMEOUT and anything
 * else to DFUSE__XFER_ERROR (and may describe it through last_error()).
 */
enum dfuse__xfer_result {
	DFUSE__XFER_ERROR = -1,	 /* any other transport failure */
	DFUSE__XFER_STALL = -2,	 /* the device answered with a STALL */
	DFUSE__XFER_GONE = -3,	 /* the device is gone (disconnected) */
	DFUSE__XFER_TIMEOUT = -4 /* no answer within timeout_ms */
};

struct dfuse__transport_ops {
	/*
	 * A class OUT request with an optional data stage of `len` bytes
	 * (data may be NULL when len is 0).
	 * @return 0, or a negative enum dfuse__xfer_result.
	 */
	int (*control_out)(void *ctx, uint8_t request, uint16_t value,
			   uint16_t index, const uint8_t *data, uint16_t len,
			   unsigned timeout_ms);
	/*
	 * A class IN request reading at most `len` bytes into data.
	 * @return the number of bytes received (0..len), or a negative enum
	 *         dfuse__xfer_result.
	 */
	int (*control_in)(void *ctx, uint8_t request, uint16_t value,
			  uint16_t index, uint8_t *data, uint16_t len,
			  unsigned timeout_ms);
	/* Sleeps `ms` milliseconds (tests: advances a virtual clock). */
	void (*sleep_ms)(void *ctx, unsigned ms);
	/* A monotonic clock in milliseconds (tests: the virtual clock). */
	uint64_t (*now_ms)(void *ctx);
	/*
	 * Optional (may be NULL): words for the last DFUSE__XFER_ERROR, e.g.
	 * libusb_error_name(); borrowed, valid until the next transfer.
	 */
	const char *(*last_error)(void *ctx);
	/*
	 * Optional (may be NULL; kept last, so that positional initialisers
	 * of the ops above stay valid): SET_INTERFACE to alternate setting
	 * `alt` of the DFU interface (USB 2.0 §9.4.10; DfuSe shows one
	 * memory per alternate setting, UM0424).
	 * @return 0, or a negative enum dfuse__xfer_result.
	 */
	int (*set_alt)(void *ctx, uint8_t alt);
	/*
	 * Optional (may be NULL): a USB port reset (libusb_reset_device()).
	 * @return 0 when the handle is still valid afterwards (the alternate
	 *   setting should be selected again); DFUSE__XFER_GONE when the
	 *   device re-enumerated (libusb: LIBUSB_ERROR_NOT_FOUND), so the
	 *   handle is dead and the device must be found and opened again; any
	 *   other negative enum dfuse__xfer_result.
	 */
	int (*reset)(void *ctx);
};

struct dfuse__transport {
	const struct dfuse__transport_ops *ops;
	void *ctx;	    /* passed to every operation */
	uint16_t interface; /* wIndex: the DFU interface number */
};

#endif /* DFUSE_TRANSPORT_H */
