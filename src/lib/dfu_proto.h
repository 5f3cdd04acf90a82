/*
 * dfu_proto.h - the DFU 1.1 / DfuSe request layer over struct
 * dfuse__transport (internal; the public dfuse_usb.h is built on it).
 *
 * Every function returns 0 (or a documented count) on success and a
 * negative dfuse_error_code on failure, with dfuse_error_last() naming the
 * request, the address and what the device said:
 *   DFUSE_EUSB      the transport failed (stall, disconnect, short reply);
 *   DFUSE_ETIMEOUT  a control transfer got no answer in time, or the device
 *                   stayed busy past the operation's deadline;
 *   DFUSE_EDEVICE   the device reported an error status (dfuERROR), or a
 *                   state the request cannot proceed from;
 *   DFUSE_EPROTECTED the device reported errVENDOR, which is how the DfuSe
 *                   ROM refuses reads, writes and erases under read
 *                   protection (AN3156), whatever the request;
 *   DFUSE_EINVAL    a bad argument (zero transfer size, range overflow).
 * Nothing here prints; progress goes through an optional callback.
 */
#ifndef DFUSE_DFU_PROTO_H
#define DFUSE_DFU_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "transport.h"

#include <dfuse_usb.h>

/* ======== Protocol numbers (DFU 1.1, AN3156) ======== */

enum dfuse__dfu_request {
	DFUSE__DFU_DETACH = 0x00,
	DFUSE__DFU_DNLOAD = 0x01,
	DFUSE__DFU_UPLOAD = 0x02,
	DFUSE__DFU_GETSTATUS = 0x03,
	DFUSE__DFU_CLRSTATUS = 0x04,
	DFUSE__DFU_GETSTATE = 0x05,
	DFUSE__DFU_ABORT = 0x06
};

/* bState */
enum dfuse__dfu_state {
	DFUSE__DFU_APP_IDLE = 0,
	DFUSE__DFU_APP_DETACH = 1,
	DFUSE__DFU_IDLE = 2,
	DFUSE__DFU_DNLOAD_SYNC = 3,
	DFUSE__DFU_DNBUSY = 4,
	DFUSE__DFU_DNLOAD_IDLE = 5,
	DFUSE__DFU_MANIFEST_SYNC = 6,
	DFUSE__DFU_MANIFEST = 7,
	DFUSE__DFU_MANIFEST_WAIT_RESET = 8,
	DFUSE__DFU_UPLOAD_IDLE = 9,
	DFUSE__DFU_ERROR = 10
};

/* bStatus */
enum dfuse__dfu_status_code {
	DFUSE__DFU_OK = 0x00,
	DFUSE__DFU_ERR_TARGET = 0x01,
	DFUSE__DFU_ERR_FILE = 0x02,
	DFUSE__DFU_ERR_WRITE = 0x03,
	DFUSE__DFU_ERR_ERASE = 0x04,
	DFUSE__DFU_ERR_CHECK_ERASED = 0x05,
	DFUSE__DFU_ERR_PROG = 0x06,
	DFUSE__DFU_ERR_VERIFY = 0x07,
	DFUSE__DFU_ERR_ADDRESS = 0x08,
	DFUSE__DFU_ERR_NOTDONE = 0x09,
	DFUSE__DFU_ERR_FIRMWARE = 0x0a,
	DFUSE__DFU_ERR_VENDOR = 0x0b,
	DFUSE__DFU_ERR_USBR = 0x0c,
	DFUSE__DFU_ERR_POR = 0x0d,
	DFUSE__DFU_ERR_UNKNOWN = 0x0e,
	DFUSE__DFU_ERR_STALLEDPKT = 0x0f
};

/* DfuSe commands: the first byte of a DNLOAD with wValue 0 (AN3156). */
enum dfuse__dfuse_command {
	DFUSE__DFUSE_GET = 0x00,
	DFUSE__DFUSE_SET_ADDRESS = 0x21,
	DFUSE__DFUSE_ERASE = 0x41,
	DFUSE__DFUSE_READ_UNPROTECT = 0x92
};

#define DFUSE__DFU_STATUS_SIZE 6       /* GETSTATUS reply */
#define DFUSE__DFU_FUNC_DESC_TYPE 0x21 /* DFU functional descriptor */
#define DFUSE__DFU_FIRST_BLOCK 2       /* DfuSe data blocks: wBlockNum >= 2 */

/* Words for the numbers above; never NULL ("unknown state" and "unknown
 * status" for values outside the tables). */
const char *dfuse__dfu_state_name(unsigned state);   /* "dfuDNBUSY" */
const char *dfuse__dfu_status_name(unsigned status); /* "errPROG" */
const char *dfuse__dfu_status_text(unsigned status); /* DFU 1.1 table 6.1 */

/* ======== Parsers (device bytes are untrusted; fuzzed) ======== */

/* A GETSTATUS reply. */
struct dfuse__dfu_status {
	uint8_t status;	  /* bStatus, enum dfuse__dfu_status_code */
	uint32_t poll_ms; /* bwPollTimeout, 24-bit, milliseconds */
	uint8_t state;	  /* bState, enum dfuse__dfu_state */
	uint8_t string;	  /* iString */
};

/*
 * Parses a GETSTATUS reply of `len` bytes.  Fewer than 6 bytes is
 * DFUSE_EUSB naming the count; bytes past the sixth are ignored.
 */
int dfuse__dfu_parse_status(struct dfuse__dfu_status *out, const uint8_t *buf,
			    size_t len);

/* The DFU functional descriptor (DFU 1.1 section 4.1.3). */
struct dfuse__dfu_functional {
	uint8_t attributes;	 /* bmAttributes: bit0 download, bit1 upload,
				    bit2 manifestation tolerant, bit3 will
				    detach */
	uint16_t detach_timeout; /* wDetachTimeOut, milliseconds */
	uint16_t transfer_size;	 /* wTransferSize, bytes, > 0 */
	uint16_t dfu_version;	 /* bcdDFUVersion; 0x0100 when bLength is 7 */
};

/*
 * Finds the DFU functional descriptor in `len` bytes of descriptors (the
 * "extra" bytes of an interface or configuration descriptor: a chain of
 * bLength, bDescriptorType, ...).  A bLength of 0 or 1 or one running past
 * the end is DFUSE_EFORMAT naming the offset; no such descriptor is
 * DFUSE_ENOTFOUND; a wTransferSize of 0 is DFUSE_EFORMAT.
 */
int dfuse__dfu_parse_functional(struct dfuse__dfu_functional *out,
				const uint8_t *buf, size_t len);

/* ======== A session with one DFU interface ======== */

enum dfuse__dfu_phase {
	DFUSE__DFU_PHASE_ERASE = 1,
	DFUSE__DFU_PHASE_WRITE = 2,
	DFUSE__DFU_PHASE_READ = 3
};

/* Called after each block with the bytes done so far out of total. */
typedef void (*dfuse__dfu_progress_fn)(void *payload, int phase, size_t done,
				       size_t total);

/* Default deadlines, milliseconds (DS12110: a 128 KiB sector takes up to
 * 4 s at x8; a bank of 8 sectors up to 32 s). */
#define DFUSE__DFU_CTRL_TIMEOUT_MS 2000u   /* one control transfer */
#define DFUSE__DFU_ERASE_DEADLINE_MS 8000u /* 2 x 4 s per sector */
#define DFUSE__DFU_STUCK_DEADLINE_MS                                           \
	4000u					  /* INFERRED, doc/sources.md: \
						     the worst case, then the  \
						     recovery */
#define DFUSE__DFU_MASS_ERASE_DEADLINE_MS 128000u /* 2 x 2 banks x 32 s */
#define DFUSE__DFU_BLOCK_DEADLINE_MS                                           \
	1000u				     /* program one block;             \
						1 KiB is 32 flash words,       \
						580 us each at most */
#define DFUSE__DFU_COMMAND_DEADLINE_MS 1000u /* set address pointer */

/* Flags reported by dfuse__dfu_erase(). */
#define DFUSE__DFU_RECOVERED                                                   \
	0x1u /* stuck dfuDNBUSY cleared by CLRSTATUS x2:                       \
		the caller must read the sector back and                       \
		check that it is blank */

struct dfuse__dfu {
	const struct dfuse__transport *t;
	uint16_t transfer_size;	    /* wTransferSize, bytes */
	unsigned ctrl_timeout_ms;   /* a control transfer without an
				       operation behind it */
	uint32_t erase_deadline_ms; /* a sector erase, from its first
				       GETSTATUS to not busy */
	uint32_t stuck_deadline_ms; /* ... where stuck_recovery applies:
				       past it, the recovery runs */
	uint32_t mass_erase_deadline_ms;
	uint32_t block_deadline_ms;   /* one data block */
	uint32_t command_deadline_ms; /* set address pointer */
	/*
	 * The H7 bank-2 erase bug (AN2606 Table 136, V9.1): when stuck_recovery
	 * is set, an erase at or above stuck_from that is still dfuDNBUSY past
	 * stuck_deadline_ms is ended with CLRSTATUS twice
	 * (STM32CubeProgrammer's recovery).  H745: 0x08100000.  Off after
	 * dfuse__dfu_init(); dfuse__erase_timing() sets it from a profile.
	 */
	int stuck_recovery;
	uint32_t stuck_from;
	dfuse__dfu_progress_fn progress; /* optional */
	void *payload;			 /* passed to progress and cancel */
	/* optional: nonzero stops a write or read after the current block
	 * with DFU_ABORT sent and DFUSE_ECANCELED (Ctrl-C) */
	int (*cancel)(void *payload);
};

/* Fills `d` with the defaults above for transport `t` (borrowed: it must
 * outlive `d`) and a wTransferSize. */
void dfuse__dfu_init(struct dfuse__dfu *d, const struct dfuse__transport *t,
		     uint16_t transfer_size);

/* ======== DFU 1.1 requests ======== */

/* GETSTATUS; a reply shorter than 6 bytes is DFUSE_EUSB naming the count. */
int dfuse__dfu_get_status(struct dfuse__dfu_status *out,
			  const struct dfuse__dfu *d);
int dfuse__dfu_clear_status(const struct dfuse__dfu *d);
int dfuse__dfu_abort(const struct dfuse__dfu *d);

/*
 * Polls GETSTATUS, sleeping bwPollTimeout (at least 1 ms) after every busy
 * reply (dfuDNLOAD-SYNC, dfuDNBUSY, dfuMANIFEST-SYNC), until the state is
 * not busy or the deadline has passed: deadline_ms after the call plus the
 * first busy reply's bwPollTimeout (the device asked for that much before
 * the worst case even starts to count).  Each GETSTATUS may
 * take until the deadline (plus ctrl_timeout_ms) to answer, because ROMs
 * hold the reply while the flash is busy.
 * @param[out] out  the last status; valid on 0 and on the deadline's
 *                  DFUSE_ETIMEOUT (not on a transport error)
 * @return 0 when not busy (out says which state), DFUSE_ETIMEOUT when still
 *         busy at the deadline, or a transport error.
 */
int dfuse__dfu_wait(struct dfuse__dfu_status *out, const struct dfuse__dfu *d,
		    uint32_t deadline_ms);

/*
 * Brings the device to dfuIDLE: dfuERROR gets CLRSTATUS, dfuDNLOAD-IDLE and
 * dfuUPLOAD-IDLE get ABORT, a busy device is waited for (command
 * deadline).  appIDLE/appDETACH (run-time mode) and the manifestation
 * states are DFUSE_EDEVICE.
 * @param[out] found_out  optional: the status as found, before any action
 */
int dfuse__dfu_enter_idle(struct dfuse__dfu_status *found_out,
			  const struct dfuse__dfu *d);

/* ======== DfuSe commands (AN3156) ======== */

/* Set Address Pointer: 0x21 + LE32, then the status until dfuDNLOAD-IDLE. */
int dfuse__dfu_set_address(const struct dfuse__dfu *d, uint32_t address);

/*
 * Erase: 0x41 + LE32 sector base (the caller passes the base), then the
 * status until dfuDNLOAD-IDLE within erase_deadline_ms.  See stuck_recovery
 * for the H7 bank-2 bug; when it happened, *flags_out gets
 * DFUSE__DFU_RECOVERED and the device is in dfuIDLE.
 * @param[out] flags_out  optional
 */
int dfuse__dfu_erase(unsigned *flags_out, const struct dfuse__dfu *d,
		     uint32_t address);
/* Mass erase: 0x41 alone, within mass_erase_deadline_ms. */
int dfuse__dfu_mass_erase(const struct dfuse__dfu *d);

/*
 * Writes a contiguous run: Set Address Pointer once, then DNLOAD blocks 2,
 * 3, ... of transfer_size bytes (the last one shorter), each followed by
 * status polling (block_deadline_ms).  A run longer than wBlockNum allows
 * gets a new Set Address Pointer every 65534 blocks.  The device must be in
 * dfuIDLE or dfuDNLOAD-IDLE and is left in dfuDNLOAD-IDLE.
 */
int dfuse__dfu_write(const struct dfuse__dfu *d, uint32_t address,
		     const uint8_t *data, size_t len);

/*
 * Reads a run: Set Address Pointer, ABORT (UPLOAD needs dfuIDLE), then
 * UPLOAD blocks 2, 3, ... (address = (wBlockNum - 2) x wTransferSize +
 * pointer, AN3156), then ABORT.  A short block is DFUSE_EUSB.
 */
int dfuse__dfu_read(uint8_t *out, const struct dfuse__dfu *d, uint32_t address,
		    size_t len);

/*
 * One UPLOAD of at most `len` bytes (len > 0): Set Address Pointer, ABORT,
 * UPLOAD block 2 with wLength `len`, ABORT.  A short answer is not an
 * error here (the option-byte block is as long as the device says).
 * @return the bytes received (0..len), or the errors of the requests (a
 *   stall is cleared with CLRSTATUS; errVENDOR is DFUSE_EPROTECTED)
 */
int dfuse__dfu_upload_once(uint8_t *out, const struct dfuse__dfu *d,
			   uint32_t address, uint16_t len);

/* How dfuse__dfu_leave() saw the device go. */
/* The public dfuse_left_how values (dfuse_usb.h): one set, not a copy. */
enum dfuse__dfu_left {
	DFUSE__DFU_LEFT_MANIFEST = DFUSE_LEFT_MANIFEST,
	DFUSE__DFU_LEFT_DISCONNECT = DFUSE_LEFT_DISCONNECT,
	DFUSE__DFU_LEFT_STALL = DFUSE_LEFT_STALL,
	DFUSE__DFU_LEFT_UNCONFIRMED = DFUSE_LEFT_UNCONFIRMED
};

/*
 * Leaves DFU mode: Set Address Pointer to `address` when has_address, then
 * a zero-length DNLOAD (wBlockNum 2, as dfu-util) and GETSTATUS.  A
 * disconnect or a dfuMANIFEST* answer is success: the ROM jumps to the
 * application.  A stall of that GETSTATUS is success only when the device
 * is gone at one more GETSTATUS (DFUSE_LEFT_STALL); when it still answers
 * (or stalls again) the leave is DFUSE_LEFT_UNCONFIRMED, returned as
 * DFUSE_EDEVICE ("the leave request was not confirmed: ... the device is
 * still in STATE").  dfuERROR after it is DFUSE_EDEVICE.
 * @param[out] how_out  optional: enum dfuse__dfu_left, also set (to
 *                      DFUSE_LEFT_UNCONFIRMED) on that error
 */
int dfuse__dfu_leave(int *how_out, const struct dfuse__dfu *d, int has_address,
		     uint32_t address);

/*
 * SET_INTERFACE to alternate setting `alt` through the transport's set_alt
 * (a transport without one has a single address space, as the test model:
 * 0 and nothing sent).
 * @return 0; DFUSE_EUSB naming the alternate setting
 */
int dfuse__dfu_select_alt(const struct dfuse__dfu *d, uint8_t alt);

/* Positive results of dfuse__dfu_unstick(). */
#define DFUSE__DFU_WAS_RESET 1 /* it was stuck; after a USB reset it is not */
#define DFUSE__DFU_REOPEN                                                      \
	2 /* the USB reset made the device enumerate                           \
	     again: its handle is dead; find it and                            \
	     open it again, then call again with                               \
	     may_reset 0 */

/*
 * Looks at GETSTATUS before a command's work: a device in dfuMANIFEST-SYNC,
 * dfuMANIFEST or dfuMANIFEST-WAIT-RESET is left over from a leave that was
 * not confirmed and takes no requests.  With may_reset, it gets a USB reset
 * (the transport's reset), alternate setting 0 again, and one more look.
 * @param[out] found_out optional: the state found at the first look
 * @return 0 (not stuck), DFUSE__DFU_WAS_RESET, DFUSE__DFU_REOPEN; or
 *   DFUSE_EDEVICE "the device is in STATE ..., after a leave request that
 *   was not confirmed ...; reset the board (BOOT0 high, then reset, ...)"
 *   when still stuck, without may_reset, or with no reset op; the
 *   transport's errors
 */
int dfuse__dfu_unstick(uint8_t *found_out, const struct dfuse__dfu *d,
		       int may_reset);

#endif /* DFUSE_DFU_PROTO_H */
