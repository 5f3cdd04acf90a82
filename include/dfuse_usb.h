/*
 * dfuse_usb.h - DFU-mode devices over USB: listing them and downloading an
 * image to one.  No libusb type appears here (doc/sources.md, Architecture); a
 * library built without USB (WITH_USB=0) answers every call with DFUSE_ENOTSUP.
 *
 * Downloads check first and fail closed: the whole image is checked
 * against the device profile and the device's own layout string before
 * the first erase, and a refusal sends nothing.
 */
#ifndef DFUSE_PUBLIC_USB_H
#define DFUSE_PUBLIC_USB_H

#include "dfuse.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A USB session with the DFU-mode devices found when it was opened. */
typedef struct dfuse_usb dfuse_usb;

/** Opens a session and scans for devices in DFU mode.
 *  @param[out] out caller owns; dfuse_usb_free() */
DFUSE_EXTERN(int) dfuse_usb_new(dfuse_usb **out);
DFUSE_EXTERN(void) dfuse_usb_free(dfuse_usb *u);
/** @return the DFU-mode interfaces found (one per device and interface). */
DFUSE_EXTERN(size_t) dfuse_usb_count_devices(const dfuse_usb *u);

typedef struct {
	uint16_t vid, pid;
	uint16_t bcd_device; /* the ROM bootloader's version (0x0200) */
	const char *serial;  /* borrowed; "" when none */
	const char *path;    /* "BUS-PORT.PORT", borrowed */
	uint8_t bus, address;
	uint8_t interface;
	int has_functional;	 /* the DFU functional descriptor was found */
	uint8_t attributes;	 /* bmAttributes */
	uint16_t detach_timeout; /* wDetachTimeout, ms */
	uint16_t transfer_size;	 /* wTransferSize */
	uint16_t dfu_version;	 /* bcdDFUVersion (0x011A for DfuSe) */
	size_t alt_count;
} dfuse_usb_device_info;

/** @param[out] out borrowed strings valid until dfuse_usb_free() */
DFUSE_EXTERN(int)
dfuse_usb_get_device(dfuse_usb_device_info *out, const dfuse_usb *u, size_t i);
/** The a-th alternate setting of device i: its number and its interface
 *  string (a UM0424 layout on ST devices); borrowed. */
DFUSE_EXTERN(int)
dfuse_usb_get_alt(uint8_t *alt, const char **name, const dfuse_usb *u, size_t i,
		  size_t a);

/* Which device: NULL fields and has_id 0 match anything; the first match
 * is used. */
typedef struct {
	unsigned int version;
	int has_id;
	uint16_t vid, pid;
	const char *serial;
	const char *path;
} dfuse_usb_match;
#define DFUSE_USB_MATCH_VERSION 1
#define DFUSE_USB_MATCH_INIT                                                   \
	{                                                                      \
		DFUSE_USB_MATCH_VERSION, 0, 0, 0, NULL, NULL                   \
	}

/**
 * The one device `m` picks (NULL: any), by the rule every call below uses:
 * exactly one device in DFU mode must match.
 * @param[out] index its index for dfuse_usb_get_device()
 * @return 0; DFUSE_ENOTFOUND (none matches: the message says what was
 *   looked for among how many); DFUSE_EAMBIGUOUS (several: the message
 *   lists each one's VID:PID, serial and path)
 */
DFUSE_EXTERN(int)
dfuse_usb_find_device(size_t *index, const dfuse_usb *u,
		      const dfuse_usb_match *m);

#define DFUSE_DOWNLOAD_VERIFY 0x01u	 /* read back and compare */
#define DFUSE_DOWNLOAD_INCREMENTAL 0x02u /* skip sectors already equal */
#define DFUSE_DOWNLOAD_MASS_ERASE 0x04u	 /* one mass erase */
#define DFUSE_DOWNLOAD_LEAVE 0x08u	 /* leave DFU mode after success */
#define DFUSE_DOWNLOAD_DRY_RUN 0x10u	 /* check and plan; send nothing */
#define DFUSE_DOWNLOAD_FORCE_ID                                                \
	0x20u /* ignore a file VID:PID that does                               \
		 not match the device */
#define DFUSE_DOWNLOAD_ALT0_ONLY                                               \
	0x40u /* download the alt-0 targets and                                \
		 leave the others (e.g. option                                 \
		 bytes) alone; without it, an                                  \
		 image with another target is                                  \
		 refused (DFUSE_ENOTSUP) */

enum {
	DFUSE_PHASE_ERASE = 1,	/* done/total count sectors */
	DFUSE_PHASE_WRITE = 2,	/* bytes */
	DFUSE_PHASE_VERIFY = 3, /* bytes */
	DFUSE_PHASE_READ = 4	/* bytes compared for INCREMENTAL */
};

typedef struct {
	unsigned int version;
	unsigned int flags;	      /* DFUSE_DOWNLOAD_* */
	const dfuse_profile *profile; /* NULL: the default */
	uint32_t boot_cm7, boot_cm4;  /* 0: the profile's */
	uint32_t leave_address;	      /* 0: the CM7's boot address */
	void (*progress)(void *payload, int phase, uint64_t done,
			 uint64_t total);
	void (*log)(void *payload, const char *line); /* one-line news */
	void *payload;
	/* Polled between sectors and blocks; nonzero stops the download
	 * with DFU_ABORT sent and DFUSE_ECANCELED, never leaving (Ctrl-C). */
	int (*cancel)(void *payload);
	/* Optional: called once with the dfuse_check() findings (borrowed
	 * for the call), after the check and before the first transfer that
	 * changes the device, whether or not they refuse the download; so
	 * that warnings are told before the work, not after it. */
	void (*checked)(void *payload, const dfuse_report *findings);
	/* Version 2: check codes whose findings become notes (as
	 * dfuse_check_options.allow), or NULL. */
	const char *const *allow;
	size_t allow_count;
} dfuse_download_options;
#define DFUSE_DOWNLOAD_OPTIONS_VERSION 2
#define DFUSE_DOWNLOAD_OPTIONS_INIT                                            \
	{                                                                      \
		DFUSE_DOWNLOAD_OPTIONS_VERSION, 0, NULL, 0, 0, 0, NULL, NULL,  \
			NULL, NULL, NULL, NULL, 0                              \
	}

/* How the device left DFU mode (dfuse_download_result.left_how). */
typedef enum {
	DFUSE_LEFT_NONE = 0,	   /* it was not told to leave */
	DFUSE_LEFT_MANIFEST = 1,   /* GETSTATUS said dfuMANIFEST* */
	DFUSE_LEFT_DISCONNECT = 2, /* it went away at once (a reset) */
	DFUSE_LEFT_STALL = 3,	   /* the final GETSTATUS stalled and the
				      device was gone at the next request */
	DFUSE_LEFT_UNCONFIRMED = 4 /* the leave request was sent but the
				      device is still there (e.g. in
				      dfuMANIFEST-SYNC): it did not start the
				      application; reset the board */
} dfuse_left_how;

/* What was planned and done: filled as far as the download got, also on
 * failure.  Set `version` (DFUSE_DOWNLOAD_RESULT_INIT) before the call. */
typedef struct {
	unsigned int version;
	/* the plan */
	size_t sectors;		  /* erase sectors the image touches */
	size_t runs;		  /* contiguous runs */
	uint64_t bytes;		  /* bytes to write */
	uint64_t estimate_ms;	  /* typical time */
	uint64_t estimate_max_ms; /* datasheet worst case */
	/* the work */
	size_t sectors_erased;
	size_t sectors_skipped;	  /* INCREMENTAL */
	size_t sectors_recovered; /* the H7 bank-2 erase bug, recovered */
	int mass_erased;
	uint64_t bytes_written;
	uint64_t bytes_verified;
	uint64_t bytes_compared; /* INCREMENTAL: read before the erase */
	int left;		 /* leave was sent and the device went */
	int left_how;		 /* dfuse_left_how */
	uint32_t leave_address;	 /* where the ROM was told to jump */
	int cm4_image;		 /* the CM4 starts only after a reset */
	/* Version 2: what the board said before the first erase (state
	 * DFUSE_BOARD_UNKNOWN on a dry run and without a device). */
	int board_state; /* dfuse_board_state */
} dfuse_download_result;
#define DFUSE_DOWNLOAD_RESULT_VERSION 2
#define DFUSE_DOWNLOAD_RESULT_INIT                                             \
	{                                                                      \
		DFUSE_DOWNLOAD_RESULT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   \
			0, 0, 0, 0, 0, 0, 0                                    \
	}

/**
 * Downloads target alt 0 of `img` to the first device matching `m`, in
 * this order: check (profile, the device's layout string, the file's
 * VID:PID) and refuse with nothing sent; plan; erase each touched sector
 * once; write; verify; leave.  `*findings` (may be NULL) receives the
 * check findings, also when they caused the refusal; the caller owns it.
 * `*out` is filled as far as the work went, also on failure.
 *
 * When several devices match `m` (NULL matches all), nothing is sent:
 * DFUSE_EINVAL, and the message lists each one's VID:PID, serial and path.
 * With DFUSE_DOWNLOAD_DRY_RUN and no device in DFU mode at all (or `u`
 * NULL, when USB could not be opened), the check and the plan come from
 * opts->profile alone; with a device, from the device's own layout too.
 */
DFUSE_EXTERN(int)
dfuse_usb_download(dfuse_download_result *out, dfuse_report **findings,
		   dfuse_usb *u, const dfuse_usb_match *m,
		   const dfuse_image *img, const dfuse_download_options *opts);

/*
 * Before the first erase, dfuse_usb_download() reads the board's option
 * bytes (dfuse_usb_read_board(): the alt-1 block, never written) unless
 * DRY_RUN, and checks the image against them (dfuse_check_options.board):
 * the boot addresses become BOOT_CM7_ADD0/BOOT_CM4_ADD0, write-protected
 * sectors the image touches refuse the download with nothing erased, a
 * dual-core image on a board with the banks swapped is refused (allow
 * "swap-bank" to accept it), BCM7/BCM4 = 0 are warnings, and read
 * protection refuses VERIFY and INCREMENTAL.  When the device has no
 * option-byte alternate setting or refuses the read, one log line says so
 * and the checks use the profile.
 */

/* ======== Reading and erasing the board (the same picking as download) ==
 */

/* The common options of upload, verify, erase, leave and read_board. */
typedef struct {
	unsigned int version;
	const dfuse_profile *profile; /* NULL: the default (timing, banks) */
	/* phase DFUSE_PHASE_READ (bytes), DFUSE_PHASE_ERASE (sectors) */
	void (*progress)(void *payload, int phase, uint64_t done,
			 uint64_t total);
	void (*log)(void *payload, const char *line); /* one-line news */
	/* Polled between blocks and sectors: nonzero stops the work with
	 * DFU_ABORT sent and DFUSE_ECANCELED. */
	int (*cancel)(void *payload);
	void *payload;
	unsigned int flags; /* DFUSE_USB_* below */
} dfuse_usb_options;
#define DFUSE_USB_OPTIONS_VERSION 1
#define DFUSE_USB_OPTIONS_INIT                                                 \
	{                                                                      \
		DFUSE_USB_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0     \
	}
/* flags of dfuse_usb_erase(): check and plan, send nothing */
#define DFUSE_USB_DRY_RUN 0x1u
/* flags of dfuse_usb_erase(): erase write-protected sectors too (the ROM
 * does not report them: AN3156 says such an erase gives no error); without
 * it they are refused before any erase when the board's option bytes say
 * so */
#define DFUSE_USB_ERASE_PROTECTED 0x2u

/**
 * Reads what the board says about itself, changing nothing: the option-byte
 * block from the alternate setting whose layout starts at
 * DFUSE_OPTION_BYTES_ADDRESS (alt 1 on the H7 ROM), decoded; and the
 * bootloader ID byte at DFUSE_BOOTLOADER_ID_ADDRESS where the ROM lets it
 * be read.  The block is read at the size the alternate setting's layout
 * gives (128 bytes on the H745 ROM); then one read of
 * DFUSE_OPTION_BYTES_FULL_SIZE is tried, and when the device answers with
 * more, the bank-2 words are decoded too.
 * @param[out] out dfuse_board_init() is called on it; `state` says what
 *        was found: a missing alt, a refusal (errVENDOR: read protection)
 *        or a failed read is 0 with the state and `why` set, not an error
 * @return 0; DFUSE_ENOTFOUND / DFUSE_EAMBIGUOUS (no or several devices
 *   match), DFUSE_EUSB when the device cannot be opened
 */
DFUSE_EXTERN(int)
dfuse_usb_read_board(dfuse_board *out, dfuse_usb *u, const dfuse_usb_match *m,
		     const dfuse_usb_options *opts);

/* What an upload, verify or erase did (filled as far as it went). */
typedef struct {
	unsigned int version;
	uint64_t bytes_read;	  /* UPLOAD data bytes */
	size_t transfers;	  /* UPLOAD data transfers (wBlockNum >= 2) */
	size_t sectors;		  /* verify: sectors compared; erase: planned */
	size_t sectors_equal;	  /* verify */
	size_t sectors_erased;	  /* erase */
	size_t sectors_recovered; /* erase: the H7 bank-2 bug, recovered */
	int read_protected;	  /* the ROM refused with errVENDOR (RDP) */
} dfuse_usb_result;
#define DFUSE_USB_RESULT_VERSION 1
#define DFUSE_USB_RESULT_INIT                                                  \
	{                                                                      \
		DFUSE_USB_RESULT_VERSION, 0, 0, 0, 0, 0, 0, 0                  \
	}

/**
 * Reads `len` bytes of memory from `address` on alternate setting 0 into
 * `buf` (the caller's, `len` bytes): one Set Address Pointer and
 * ceil(len / wTransferSize) UPLOAD transfers per 64 KiB chunk.  The range
 * must lie in readable segments of the device's alt-0 layout (refused with
 * nothing sent otherwise).
 * @return 0; DFUSE_EPROTECTED when the ROM refuses the read (errVENDOR:
 *   read protection; out->read_protected is 1); the protocol errors of
 *   the request layer (DFUSE_EUSB, DFUSE_ETIMEOUT, DFUSE_EDEVICE)
 */
DFUSE_EXTERN(int)
dfuse_usb_upload(dfuse_usb_result *out, uint8_t *buf, dfuse_usb *u,
		 const dfuse_usb_match *m, uint32_t address, size_t len,
		 const dfuse_usb_options *opts);

/* One sector compared by dfuse_usb_verify(). */
typedef struct {
	uint32_t address, size; /* the erase sector */
	int equal;
	/* !equal: the first differing byte, and what the image would leave
	 * there: its own byte, or 0xFF (erased) where it writes nothing */
	uint32_t first_difference;
	uint8_t device_byte, expected_byte;
	int in_image; /* the first difference is a byte the image writes */
	size_t differing_bytes;
} dfuse_verify_sector;

/**
 * Compares the board with an image, changing nothing: reads each erase
 * sector the image's alt-0 targets touch (the plan of a download, shared
 * with DFUSE_DOWNLOAD_INCREMENTAL) and compares it with what a download
 * leaves there: the image's bytes, 0xFF elsewhere in the sector.
 * `sector` (may be NULL) is called once per sector, in address order.
 * @return 0 when the checks ran (out->sectors_equal == out->sectors means
 *   equal); the image refusals of a download (before any transfer);
 *   DFUSE_EPROTECTED; the protocol errors
 */
DFUSE_EXTERN(int)
dfuse_usb_verify(dfuse_usb_result *out, dfuse_usb *u, const dfuse_usb_match *m,
		 const dfuse_image *img, const dfuse_usb_options *opts,
		 void (*sector)(void *payload, const dfuse_verify_sector *s));

/**
 * Erases every sector of alt 0's layout that meets one of the `count`
 * ranges [start[i], end[i]) (end exclusive), each once, in address order,
 * with the H7 bank-2 recovery and the profile's deadlines, as a download
 * erases.  Ranges outside the layout are refused with nothing sent.
 * Before the first erase the board is read (dfuse_usb_read_board()):
 * write-protected sectors in scope are refused, naming them, unless
 * DFUSE_USB_ERASE_PROTECTED; read protection is DFUSE_EPROTECTED.
 * `planned` (may be NULL) gets each sector's base and size once, before
 * any erase (also with DFUSE_USB_DRY_RUN, which sends nothing).
 */
DFUSE_EXTERN(int)
dfuse_usb_erase(dfuse_usb_result *out, dfuse_usb *u, const dfuse_usb_match *m,
		const uint32_t *start, const uint64_t *end, size_t count,
		const dfuse_usb_options *opts,
		void (*planned)(void *payload, uint32_t base, uint32_t size));

/**
 * Leaves DFU mode: Set Address Pointer to `address` when has_address
 * (else the ROM's pointer, 0x08000000 after reset), a zero-length DNLOAD
 * and GETSTATUS; then whether the device really went is checked.
 * @param[out] how dfuse_left_how: MANIFEST, DISCONNECT or STALL mean it
 *   left; UNCONFIRMED (returned with DFUSE_EDEVICE) means it is still there
 * @return 0 when it left; DFUSE_EDEVICE when not
 */
DFUSE_EXTERN(int)
dfuse_usb_leave(int *how, dfuse_usb *u, const dfuse_usb_match *m,
		int has_address, uint32_t address,
		const dfuse_usb_options *opts);

/**
 * Rescans the bus until a device in DFU mode matching `m` (NULL: any)
 * appears, every 200 ms, for at most timeout_ms (0: no limit).  The
 * session then lists the devices found.
 * @return 0; DFUSE_ETIMEOUT naming the time waited; DFUSE_ECANCELED
 *   (opts->cancel); the scan's errors
 */
DFUSE_EXTERN(int)
dfuse_usb_wait(dfuse_usb *u, const dfuse_usb_match *m, uint32_t timeout_ms,
	       const dfuse_usb_options *opts);

/*
 * A device found in dfuMANIFEST-SYNC, dfuMANIFEST or dfuMANIFEST-WAIT-RESET
 * (an earlier leave that was not confirmed) cannot take requests: every
 * call above that opens a device looks at its state first and sends it a
 * USB reset (finding and opening it again when it enumerates anew); when
 * that brings it out of the manifestation state the call goes on, with one
 * log line saying what was found and done; otherwise it fails with
 * DFUSE_EDEVICE saying the device is in that state after a leave that was
 * not confirmed and that the board must be reset (BOOT0 high, then reset,
 * to come back to the ROM bootloader).
 */

#ifdef __cplusplus
}
#endif
#endif /* DFUSE_PUBLIC_USB_H */
