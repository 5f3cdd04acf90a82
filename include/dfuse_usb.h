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
	DFUSE_LEFT_STALL = 3	   /* the final GETSTATUS stalled */
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
} dfuse_download_result;
#define DFUSE_DOWNLOAD_RESULT_VERSION 1
#define DFUSE_DOWNLOAD_RESULT_INIT                                             \
	{                                                                      \
		DFUSE_DOWNLOAD_RESULT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   \
			0, 0, 0, 0, 0, 0                                       \
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

#ifdef __cplusplus
}
#endif
#endif /* DFUSE_PUBLIC_USB_H */
