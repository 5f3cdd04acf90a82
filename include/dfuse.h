/*
 * dfuse.h - libdfuse: build, read, check and write ST DfuSe (.dfu) files.
 *
 * Conventions (see libdfuse(3)):
 *  - Every fallible function returns int: >= 0 on success (sometimes an
 *    index or a count, where documented), a negative dfuse_error_code on
 *    failure.  The human message for the last failure on this thread is
 *    dfuse_error_last()->message.
 *  - Out-parameters come first.  Anything returned through `**out` belongs
 *    to the caller; pointers inside *_info structs are borrowed from their
 *    parent and valid until the parent changes or is freed.
 *  - Every *_free() accepts NULL.
 *  - Options structs start with a version and have an *_INIT macro.
 *  - The library never prints and never exits.
 *
 * This header is C89/C99 and C++ clean (tests/headertest.c).
 */
#ifndef DFUSE_H
#define DFUSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ======== Version: the Makefile reads these three lines ======== */
#define DFUSE_VERSION_MAJOR 0
#define DFUSE_VERSION_MINOR 2
#define DFUSE_VERSION_PATCH 0
#define DFUSE__VERSION_STR2(x) #x
#define DFUSE__VERSION_STR(x) DFUSE__VERSION_STR2(x)
/** "MAJOR.MINOR.PATCH" of these headers (dfuse_version_string() gives the
 * library's, which differs when a program runs with another build). */
#define DFUSE_VERSION_STRING                                                   \
	DFUSE__VERSION_STR(DFUSE_VERSION_MAJOR)                                \
	"." DFUSE__VERSION_STR(DFUSE_VERSION_MINOR) "." DFUSE__VERSION_STR(    \
		DFUSE_VERSION_PATCH)
#define DFUSE_VERSION_NUMBER                                                   \
	(DFUSE_VERSION_MAJOR * 10000 + DFUSE_VERSION_MINOR * 100 +             \
	 DFUSE_VERSION_PATCH)

#if defined(__GNUC__) && __GNUC__ >= 4 && !defined(DFUSE_STATIC)
#define DFUSE_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define DFUSE_EXTERN(type) extern type
#endif

/** @return the library version as "MAJOR.MINOR.PATCH" (static string). */
DFUSE_EXTERN(const char *) dfuse_version_string(void);
/** @return DFUSE_VERSION_NUMBER of the library actually linked. */
DFUSE_EXTERN(int) dfuse_version_number(void);

/* How this library was built: one external dependency (or build option)
 * and the version its development files gave at build time. */
typedef struct {
	const char *name;    /* "libusb-1.0", "zlib", "libelf", "nettle" */
	const char *version; /* pkg-config --modversion at build time, or
				"" when the build did not record it */
	int used;	     /* 0: built without it (USB off) */
} dfuse_build_dependency;
/** @return 1 when the library was built with USB support (libusb-1.0),
 *  0 when its USB calls answer DFUSE_ENOTSUP. */
DFUSE_EXTERN(int) dfuse_build_has_usb(void);
/** @return the dependencies dfuse_build_get_dependency() describes. */
DFUSE_EXTERN(size_t) dfuse_build_count_dependencies(void);
/** The i-th dependency (static strings).
 *  @return 0, or DFUSE_EINVAL past the last one */
DFUSE_EXTERN(int)
dfuse_build_get_dependency(dfuse_build_dependency *out, size_t i);

/* ======== Errors: values are ABI; never renumber, never reuse ======== */
typedef enum {
	DFUSE_OK = 0,
	DFUSE_ERROR = -1,      /* unspecified; see dfuse_error_last() */
	DFUSE_ENOMEM = -2,     /* out of memory */
	DFUSE_EIO = -3,	       /* OS I/O error; message ends in strerror */
	DFUSE_EINVAL = -4,     /* caller passed a bad argument */
	DFUSE_EFORMAT = -5,    /* malformed .dfu / .hex / .srec / ELF input */
	DFUSE_ECRC = -6,       /* DFU suffix CRC or record checksum */
	DFUSE_ERANGE = -7,     /* address/size overflow or out of range */
	DFUSE_EOVERLAP = -8,   /* two inputs cover the same bytes differently */
	DFUSE_ETOOBIG = -9,    /* over a configured limit */
	DFUSE_ENOTSUP = -10,   /* feature not built in or not supported */
	DFUSE_ENOTFOUND = -11, /* device, alt setting, profile or target */
	DFUSE_EUSB = -12,      /* transport failure; message names it */
	DFUSE_ETIMEOUT = -13,  /* an operation did not finish in time */
	DFUSE_EDEVICE = -14,   /* device answered dfuERROR / bad bStatus */
	DFUSE_ECANCELED = -15, /* the caller's cancel callback said stop */
	DFUSE_ECONFLICT = -16, /* inputs disagree (suffix IDs) */
	DFUSE_EAMBIGUOUS = -17, /* several devices match where one must */
	DFUSE_EPROTECTED = -18	/* the device refused: read protection
				   (RDP level 1) is active */
} dfuse_error_code;

typedef struct {
	int code;	     /* a dfuse_error_code */
	const char *message; /* owned by the library; valid until the next
				call that fails on this thread */
	/* Where in the input the error is, when a parser knows (else -1 and
	 * 0): a byte offset (DfuSe, ELF, raw binary) or a 1-based line
	 * (Intel HEX, S-record). */
	int64_t offset;
	unsigned long line;
} dfuse_error;

/** @return the last error set on this thread (never NULL). */
DFUSE_EXTERN(const dfuse_error *) dfuse_error_last(void);
/** Resets the last error to DFUSE_OK / "". */
DFUSE_EXTERN(void) dfuse_error_clear(void);
/** @return a short human description, e.g. "malformed input". */
DFUSE_EXTERN(const char *) dfuse_strerror(int code);
/** @return the enumerator's name, e.g. "DFUSE_EFORMAT". */
DFUSE_EXTERN(const char *) dfuse_error_name(int code);

/** Frees a buffer returned by the library (dfuse_write()). NULL is a no-op. */
DFUSE_EXTERN(void) dfuse_free(void *p);

/* ======== Cores ======== */
typedef enum {
	DFUSE_CORE_NONE = 0, /* not attributed to a core */
	DFUSE_CORE_CM7 = 1,  /* Cortex-M7 */
	DFUSE_CORE_CM4 = 2   /* Cortex-M4 */
} dfuse_core;

/** @return "cm7", "cm4" or "none". */
DFUSE_EXTERN(const char *) dfuse_core_name(int core);

/* ======== Input formats ======== */
typedef enum {
	DFUSE_FORMAT_UNKNOWN = 0,
	DFUSE_FORMAT_DFUSE = 1, /* "DfuSe" prefix */
	DFUSE_FORMAT_ELF = 2,	/* "\x7fELF" */
	DFUSE_FORMAT_IHEX = 3,	/* ':' record */
	DFUSE_FORMAT_SREC = 4,	/* 'S' record */
	DFUSE_FORMAT_BIN = 5,	/* anything else: raw bytes */
	DFUSE_FORMAT_DFU = 6	/* a plain DFU 1.x file: raw bytes ending in
				   a valid DFU suffix (signature and CRC
				   right), with no DfuSe prefix */
} dfuse_format;

/**
 * Guesses the format from the content, never from a file name: "DfuSe",
 * ELF magic, an Intel HEX ':' record or an 'S0'..'S9' record (leading
 * whitespace and a UTF-8 BOM are skipped); anything else is raw binary.
 * @return a dfuse_format (DFUSE_FORMAT_BIN for an empty buffer too).
 */
DFUSE_EXTERN(int) dfuse_format_detect(const void *buf, size_t len);
/** @return "dfuse", "elf", "ihex", "srec", "bin", "dfu" or "unknown". */
DFUSE_EXTERN(const char *) dfuse_format_name(int format);

/* ======== Image model ======== */

/*
 * A DfuSe image: up to 255 targets (alternate setting + name), each holding
 * elements (address + bytes).  Images built with dfuse_image_add_data() keep
 * each target's elements sorted by address; images read from a file keep
 * the file's order, so that a broken file can be shown as it is.
 */
typedef struct dfuse_image dfuse_image;

/** Default limit on the bytes of one input (file or buffer): 64 MiB. */
#define DFUSE_DEFAULT_MAX_INPUT ((size_t)64 * 1024 * 1024)

/**
 * The most elements one input may give (a DfuSe file's elements in all
 * its targets, an Intel HEX or S-record file's separate runs of data):
 * one per KiB of the input's byte limit, and at least 1024.  At the
 * default limit that is 65,536.  Each element costs a fixed record beside
 * its bytes, so this keeps that bookkeeping a bounded fraction of the
 * limit: a file of many tiny elements cannot make a reader's memory a
 * multiple of the file.  A larger byte limit raises it.
 */
#define DFUSE_MAX_ELEMENTS(max_size)                                           \
	((size_t)(max_size) / 1024 > 1024 ? (size_t)(max_size) / 1024          \
					  : (size_t)1024)

/** The 0xFFFF "any" value of the suffix IDs. */
#define DFUSE_ID_ANY 0xFFFFu

typedef struct {
	uint16_t bcd_device; /* bcdDevice; default 0xFFFF (any) */
	uint16_t id_product; /* idProduct; default 0xDF11 */
	uint16_t id_vendor;  /* idVendor; default 0x0483 */
	uint16_t bcd_dfu;    /* bcdDFU; always 0x011A when written */
} dfuse_ids;

/** @param[out] out new empty image, default IDs; free with dfuse_image_free */
DFUSE_EXTERN(int) dfuse_image_new(dfuse_image **out);
DFUSE_EXTERN(void) dfuse_image_free(dfuse_image *img);

/** Reads the suffix IDs (as read from a file, or as set). */
DFUSE_EXTERN(void) dfuse_image_get_ids(dfuse_ids *out, const dfuse_image *img);
DFUSE_EXTERN(void) dfuse_image_set_ids(dfuse_image *img, const dfuse_ids *ids);

/**
 * Adds a target.
 * @param name NUL-terminated, at most 254 bytes (szTargetName is 255 with
 *        its NUL); NULL or "" makes an unnamed target (bTargetNamed = 0).
 * @return the new target's index, or a negative error (DFUSE_ETOOBIG past
 *         255 targets, DFUSE_EINVAL for a name that does not fit).
 */
DFUSE_EXTERN(int)
dfuse_image_add_target(dfuse_image *img, uint8_t alt, const char *name);

/**
 * Renames a target: bTargetNamed becomes 1 and szTargetName holds `name`
 * padded with NULs (NULL or "": unnamed, bTargetNamed 0, all NULs).
 * @return 0, or DFUSE_EINVAL (no such target, a name over 254 bytes).
 */
DFUSE_EXTERN(int)
dfuse_image_set_target_name(dfuse_image *img, size_t target, const char *name);

/** @return the index of the first target with this alternate setting, or
 *  DFUSE_ENOTFOUND (no message is set for that). */
DFUSE_EXTERN(int) dfuse_image_find_target(const dfuse_image *img, uint8_t alt);

DFUSE_EXTERN(size_t) dfuse_image_count_targets(const dfuse_image *img);

typedef struct {
	uint8_t alt;		 /* bAlternateSetting */
	uint32_t named;		 /* bTargetNamed as stored (1 when built) */
	const char *name;	 /* printable view: up to the first NUL */
	const uint8_t *name_raw; /* the 255 szTargetName bytes as stored */
	size_t element_count;	 /* elements held */
	uint64_t size;		 /* sum of (8 + element size): dwTargetSize */
	/* Only for images read from a file (else -1 / 0): */
	int64_t offset;		    /* byte offset of the "Target" prefix */
	uint32_t declared_size;	    /* dwTargetSize as stored */
	uint32_t declared_elements; /* dwNbElements as stored */
} dfuse_target_info;

/** @param[out] out borrowed pointers valid until img changes */
DFUSE_EXTERN(int)
dfuse_image_get_target(dfuse_target_info *out, const dfuse_image *img,
		       size_t target);

typedef struct {
	uint32_t address;    /* dwElementAddress */
	uint32_t size;	     /* dwElementSize */
	const uint8_t *data; /* borrowed: the image owns its bytes */
	int64_t offset;	     /* file offset of the data; -1 if not read */
	int core;	     /* dfuse_core the input was given for */
	const char *source;  /* input name it came from; may be NULL */
} dfuse_element_info;

/** @param[out] out borrowed pointers valid until img changes */
DFUSE_EXTERN(int)
dfuse_image_get_element(dfuse_element_info *out, const dfuse_image *img,
			size_t target, size_t element);

/** Options for everything that adds data to an image. */
typedef struct {
	unsigned int version;
	const char *source; /* input name for messages; NULL: "<input>" */
	int core;	    /* dfuse_core to tag elements with */
	size_t max_size;    /* input byte limit; 0: DFUSE_DEFAULT_MAX_INPUT;
			       it bounds the elements too (DFUSE_MAX_ELEMENTS) */
	uint32_t address;   /* raw binary: load address (see flags) */
	unsigned int flags; /* DFUSE_INPUT_* */
} dfuse_input_options;
#define DFUSE_INPUT_OPTIONS_VERSION 1
#define DFUSE_INPUT_OPTIONS_INIT                                               \
	{                                                                      \
		DFUSE_INPUT_OPTIONS_VERSION, NULL, DFUSE_CORE_NONE, 0, 0, 0    \
	}

/* `address` was given for this input (FILE@ADDR): dfuse_load_file()
 * refuses it for formats that carry their own addresses. */
#define DFUSE_INPUT_ADDRESS 0x1u
/* `address` is only a default for raw binaries (a core's boot address);
 * other formats ignore it. */
#define DFUSE_INPUT_DEFAULT_ADDRESS 0x2u

/**
 * Adds `len` bytes at `address` to a target, keeping elements sorted.
 * The bytes are copied.  Data that overlaps bytes already present is
 * merged when identical; otherwise DFUSE_EOVERLAP, whose message names
 * both sources and the overlapping range.  `address + len` must not pass
 * 4 GiB (DFUSE_ERANGE).  `opts` may be NULL.
 */
DFUSE_EXTERN(int)
dfuse_image_add_data(dfuse_image *img, size_t target, uint32_t address,
		     const void *data, size_t len,
		     const dfuse_input_options *opts);

/** Entry point (HEX 05, S-record S7..S9, ELF e_entry), if an input had
 *  one. @return 1 and sets *out if present, 0 if not. */
DFUSE_EXTERN(int) dfuse_image_get_entry(uint32_t *out, const dfuse_image *img);
DFUSE_EXTERN(void) dfuse_image_set_entry(dfuse_image *img, uint32_t entry);

/**
 * Crops every target to the addresses [lo, hi): elements outside go, and
 * elements across an edge keep their bytes inside it.  Element order is
 * kept.  hi may be 2^32.
 * @return 0, or DFUSE_EINVAL (lo >= hi).
 */
DFUSE_EXTERN(int) dfuse_image_crop(dfuse_image *img, uint32_t lo, uint64_t hi);

/* ======== Device profiles ======== */
typedef struct dfuse_profile dfuse_profile;

typedef struct {
	const char *name;	 /* "stm32h745xi" */
	const char *description; /* one line */
	uint32_t flash_word;	 /* program unit in bytes (32 on the H745) */
	size_t bank_count;
	int dual_core;	     /* 1 if CM7 + CM4 */
	unsigned int cores;  /* DFUSE_CORE_BIT(core) for each core */
	size_t region_count; /* memory regions (dfuse_profile_get_region) */
	uint16_t usb_vid;    /* the ROM DFU bootloader's VID (0x0483) */
	uint16_t usb_pid;    /* and PID (0xDF11) */
} dfuse_profile_info;

/* Bit for a core in a cores mask: DFUSE_CORE_BIT(DFUSE_CORE_CM4). */
#define DFUSE_CORE_BIT(core) (1u << (unsigned)(core))

typedef enum {
	DFUSE_MEM_FLASH = 1,  /* programmable flash (banks) */
	DFUSE_MEM_RAM = 2,    /* SRAM, TCM: written, lost at reset */
	DFUSE_MEM_SYSTEM = 3, /* system memory (ROM bootloader): read-only */
	DFUSE_MEM_OPTION = 4, /* option bytes (written through their alt) */
	DFUSE_MEM_OTP = 5     /* one-time-programmable area */
} dfuse_mem_kind;

typedef struct {
	const char *name;   /* "AXI SRAM", "DTCM", "Flash bank 1" */
	uint32_t base;	    /* first address */
	uint32_t size;	    /* bytes */
	int kind;	    /* dfuse_mem_kind */
	unsigned int cores; /* DFUSE_CORE_BIT mask of cores that reach it */
	int bootloader_writable; /* the ROM DFU bootloader can write it */
	int writable;		 /* it can be programmed at all */
} dfuse_region_info;

/** @param[out] out the i-th memory region, in address order. */
DFUSE_EXTERN(int)
dfuse_profile_get_region(dfuse_region_info *out, const dfuse_profile *p,
			 size_t i);
/** Finds the region holding `address`.
 *  @return its index, or DFUSE_ENOTFOUND (no message). */
DFUSE_EXTERN(int)
dfuse_profile_find_region(const dfuse_profile *p, uint32_t address);

typedef struct {
	unsigned int number;  /* 1-based bank number */
	uint32_t base;	      /* first address */
	uint32_t sector_size; /* bytes */
	uint32_t sector_count;
	int core; /* dfuse_core whose default boot address
		     lies in this bank, or DFUSE_CORE_NONE */
} dfuse_bank_info;

/** @return the default profile (stm32h745xi); never NULL. */
DFUSE_EXTERN(const dfuse_profile *) dfuse_profile_default(void);
/** @return a built-in profile by name (case-insensitive), or NULL. */
DFUSE_EXTERN(const dfuse_profile *) dfuse_profile_find(const char *name);
DFUSE_EXTERN(size_t) dfuse_profile_count_builtin(void);
/** @return the i-th built-in profile, or NULL past the end. */
DFUSE_EXTERN(const dfuse_profile *) dfuse_profile_get_builtin(size_t i);
DFUSE_EXTERN(void)
dfuse_profile_get_info(dfuse_profile_info *out, const dfuse_profile *p);
DFUSE_EXTERN(int)
dfuse_profile_get_bank(dfuse_bank_info *out, const dfuse_profile *p, size_t i);
/** @return the default boot address of a core, or 0 if the part lacks it. */
DFUSE_EXTERN(uint32_t)
dfuse_profile_get_boot_address(const dfuse_profile *p, int core);

typedef struct {
	unsigned int bank; /* 1-based bank number */
	uint32_t sector;   /* sector index within the bank */
	uint32_t sector_base;
	int core; /* the bank's core (dfuse_bank_info.core) */
} dfuse_flash_location;

/** Finds the bank and sector holding `address`.
 *  @return 0, or DFUSE_ENOTFOUND (no message) outside the flash. */
DFUSE_EXTERN(int)
dfuse_profile_locate(dfuse_flash_location *out, const dfuse_profile *p,
		     uint32_t address);

/* ======== Flash spans of an address range ======== */

typedef struct {
	unsigned int bank; /* 1-based bank number */
	uint32_t first;	   /* first sector index in the bank */
	uint32_t last;	   /* last sector index in the bank */
	int core;	   /* the bank's core (dfuse_bank_info.core) */
} dfuse_flash_span;

/**
 * Where [address, address + size) lies in the profile's flash: one span
 * per bank it touches, in bank order, each the sectors it touches there
 * (a range that crosses a bank boundary gets two).  A size of 0 is taken
 * as one byte.
 * @param[out] out up to `max` spans (may be NULL when max is 0)
 * @return the number of banks touched, which may exceed `max`; 0 when the
 *   range touches no flash (no message)
 */
DFUSE_EXTERN(size_t)
dfuse_profile_locate_range(dfuse_flash_span *out, size_t max,
			   const dfuse_profile *p, uint32_t address,
			   uint32_t size);

/**
 * A profile whose flash geometry comes from a device's layout string
 * (UM0424 4.3.2), for a part whose layout differs from a built-in profile
 * or that has none.  The layout's segments that are both erasable and
 * writable are the flash: address-contiguous segments with the same sector
 * size form a run, and a run is cut where a bank of `base` starts or ends
 * on one of its sector boundaries (so the H745 ROM's "16*128Kg" gives
 * banks 1 and 2 at 0x08000000 and 0x08100000, as the built-in profile
 * does).  Each run is a bank, numbered in address order, and a flash
 * region ("Flash bank N").  Everything else comes from `base`: cores, boot
 * addresses, flash word, timing, USB IDs, and its regions other than
 * flash (those the layout's flash overlaps are dropped).  Segments the
 * layout does not say are erasable and writable are not in the profile
 * (dfuse_check() judges them with the layout itself).
 * @param base the part, or NULL for a neutral one: no cores, no boot
 *        addresses, flash word 1 (no padding), no memory but the flash,
 *        ST's DFU IDs (0483:DF11) and the slowest erase timing known
 * @param[out] out caller owns; dfuse_profile_free()
 * @return 0; DFUSE_ENOTSUP (two segments with different sector sizes
 *   meet: a bank with mixed sector sizes cannot be modelled; the message
 *   gives the address), DFUSE_ENOTFOUND (no erasable and writable
 *   segment), DFUSE_ETOOBIG (more than 8 banks), DFUSE_EINVAL, DFUSE_ENOMEM
 */
struct dfuse_layout; /* dfuse_layout, below */
DFUSE_EXTERN(int)
dfuse_profile_new_with_layout(dfuse_profile **out, const dfuse_profile *base,
			      const struct dfuse_layout *layout);
/** Frees a profile made by dfuse_profile_new_with_layout(); NULL and the
 *  built-in profiles are a no-op. */
DFUSE_EXTERN(void) dfuse_profile_free(dfuse_profile *p);

/**
 * Prepares a built image for writing: in every target, elements that lie
 * in the profile's flash are padded with 0xFF out to whole flash words, and
 * elements that then touch or share a flash word are coalesced into one,
 * so that no two elements ever program the same flash word.  Elements
 * outside flash are only coalesced when they touch.  Elements are sorted.
 * @param p profile; NULL: no padding, only sort and coalesce.
 */
DFUSE_EXTERN(int)
dfuse_image_normalize(dfuse_image *img, const dfuse_profile *p);

/* ======== Input parsers: buffer entry points and a file loader ======== */

/** Intel HEX (records 00-05). Text need not be NUL-terminated. */
DFUSE_EXTERN(int)
dfuse_parse_ihex(dfuse_image *img, size_t target, const char *text, size_t len,
		 const dfuse_input_options *opts);
/** Motorola S-record (S0-S3, S5-S9). */
DFUSE_EXTERN(int)
dfuse_parse_srec(dfuse_image *img, size_t target, const char *text, size_t len,
		 const dfuse_input_options *opts);
/** ELF32 little-endian EM_ARM: PT_LOAD segments with p_filesz > 0 at
 *  p_paddr. */
DFUSE_EXTERN(int)
dfuse_parse_elf(dfuse_image *img, size_t target, const void *buf, size_t len,
		const dfuse_input_options *opts);
/** Raw bytes at opts->address (opts is required). */
DFUSE_EXTERN(int)
dfuse_parse_bin(dfuse_image *img, size_t target, const void *buf, size_t len,
		const dfuse_input_options *opts);

/**
 * Reads a file (refusing more than opts->max_size bytes) and adds its
 * content to a target with the parser for `format`; DFUSE_FORMAT_UNKNOWN
 * detects it from the content.  A DfuSe file is refused (DFUSE_ENOTSUP):
 * use dfuse_read_file().  A raw binary needs an address (flags
 * DFUSE_INPUT_ADDRESS or DFUSE_INPUT_DEFAULT_ADDRESS, else DFUSE_EINVAL);
 * an explicit address on an ELF, HEX or S-record input is DFUSE_EINVAL.
 * @return the format that was loaded (> 0), or a negative error.
 */
DFUSE_EXTERN(int)
dfuse_load_file(dfuse_image *img, size_t target, const char *path, int format,
		const dfuse_input_options *opts);

/**
 * dfuse_load_file() on an input already in memory (`len` bytes, at most
 * opts->max_size): the same detection, rules and errors.  For a caller
 * that reads each input once (a pipe, a FIFO, standard input) and looks
 * at the bytes before loading them.  The bytes are copied.
 * @return the format that was loaded (> 0), or a negative error.
 */
DFUSE_EXTERN(int)
dfuse_load(dfuse_image *img, size_t target, const void *buf, size_t len,
	   int format, const dfuse_input_options *opts);

/* ======== Reports: diagnostics of the reader, findings of checks ======== */
typedef enum {
	DFUSE_SEV_NOTE = 0,
	DFUSE_SEV_WARNING = 1,
	DFUSE_SEV_ERROR = 2
} dfuse_severity;

/** @return "note", "warning" or "error". */
DFUSE_EXTERN(const char *) dfuse_severity_name(int severity);

typedef struct dfuse_report dfuse_report;

typedef struct {
	int severity;	     /* dfuse_severity */
	const char *code;    /* stable, e.g. "crc-mismatch"; static string */
	int64_t offset;	     /* byte offset in the file, or -1 */
	int target;	     /* target index, or -1 */
	int element;	     /* element index, or -1 */
	const char *message; /* borrowed from the report */
	int has_range;	     /* address and end are meaningful */
	uint32_t address;    /* first address concerned */
	uint64_t end;	     /* one past the last (up to 2^32) */
	int core;	     /* dfuse_core concerned, or DFUSE_CORE_NONE */
	int allowed;	     /* 1: the check options' allow list named this
				code, and an error or warning became a note
				(severity is then DFUSE_SEV_NOTE) */
	unsigned int flags;  /* DFUSE_FINDING_* properties */
} dfuse_finding;

/* A reader error after which the file's bytes are in doubt (a count that
 * drops or invents data, bytes that belong to nothing, a bad CRC...): the
 * image can be shown, never turned into data (dfuse_file_info.data_errors
 * counts them).  Not set for element-overlap, which dfuse_merge()
 * resolves and every other consumer refuses by itself. */
#define DFUSE_FINDING_DATA_UNUSABLE 0x1u

/**
 * @return the number of findings listed (reachable by dfuse_report_get()).
 * Every error is listed.  Past 100 notes or warnings of one code (1000 in
 * all) the rest are not listed; one "too-many-findings" note per code,
 * where the first was left out, says how many.  Such notes are not
 * counted by dfuse_report_count_at_least().
 */
DFUSE_EXTERN(size_t) dfuse_report_count(const dfuse_report *r);
/** @return the number of findings at `severity` or worse, every finding
 *  counted, listed or not (verdicts come from this). */
DFUSE_EXTERN(size_t)
dfuse_report_count_at_least(const dfuse_report *r, int severity);
/** @param[out] out borrowed pointers valid until the report is freed */
DFUSE_EXTERN(int)
dfuse_report_get(dfuse_finding *out, const dfuse_report *r, size_t i);
DFUSE_EXTERN(void) dfuse_report_free(dfuse_report *r);

/* ======== Memory layout strings (UM0424 4.3.2) ======== */

/*
 * What a DfuSe device reports in its interface string, e.g.
 *   "@Internal Flash   /0x08000000/16*128Kg"
 *   "@Flash /0x08000000/04*016Kg,01*064Kg,07*128Kg/0x1FFF0000/01*030Ka"
 * A name (up to the first '/', trailing spaces kept), then one or more
 * "/0xADDRESS/" blocks, each a comma-separated list of N*SIZE[mult][type]
 * groups that follow each other from the address.  mult is B, K, M or a
 * space (bytes), or left out before the type letter (bytes); type is a
 * letter a..g whose low three bits say readable (1), erasable (2),
 * writable (4).
 */
typedef struct dfuse_layout dfuse_layout;

typedef struct {
	uint32_t address;     /* first sector's address */
	uint32_t sector_size; /* bytes */
	uint32_t sector_count;
	int readable, erasable, writable;
	char type; /* the letter as written ('g') */
} dfuse_layout_segment;

/**
 * Parses a layout string (a leading '@' is optional).
 * @param[out] out caller owns; free with dfuse_layout_free()
 * @return 0; DFUSE_EFORMAT (syntax, count or size 0), DFUSE_ERANGE (a
 *   number or a segment past 32 bits / 4 GiB), DFUSE_EOVERLAP (a block
 *   inside an earlier one), DFUSE_ETOOBIG (over 1024 segments): the
 *   message starts "column N: "; or DFUSE_ENOMEM, DFUSE_EINVAL (NULL).
 */
DFUSE_EXTERN(int) dfuse_layout_parse(dfuse_layout **out, const char *str);
DFUSE_EXTERN(void) dfuse_layout_free(dfuse_layout *l);
/** @return the name as written (trailing spaces kept); borrowed. */
DFUSE_EXTERN(const char *) dfuse_layout_get_name(const dfuse_layout *l);
DFUSE_EXTERN(size_t) dfuse_layout_count_segments(const dfuse_layout *l);
DFUSE_EXTERN(int)
dfuse_layout_get_segment(dfuse_layout_segment *out, const dfuse_layout *l,
			 size_t i);
/** Finds the segment holding `address`.
 *  @return its index, or DFUSE_ENOTFOUND (no message). */
DFUSE_EXTERN(int) dfuse_layout_find(const dfuse_layout *l, uint32_t address);

/* ======== Option bytes ======== */

/*
 * The STM32H745/H755 option-byte block, as the ROM DFU bootloader shows it
 * on alternate setting 1 ("@Option Bytes /0x5200201C/01*128 e"): a raw
 * image of the FLASH registers from OPTSR_CUR (0x5200201C) on, 32-bit
 * little-endian words.  128 bytes is what the ROM's descriptor says; 308
 * (0x134) is what ST's STM32CubeProgrammer reads, and only that longer
 * read holds the protections of the bank at 0x08100000 and the bank swap
 * in effect.  The library decodes the block; it never writes one (RDP and
 * boot-address mistakes can brick a board).
 */
#define DFUSE_OPTION_BYTES_ADDRESS 0x5200201Cu
#define DFUSE_OPTION_BYTES_SIZE 128u	  /* the H745 ROM descriptor's size */
#define DFUSE_OPTION_BYTES_FULL_SIZE 308u /* through the BOOT4_PRG alias */
#define DFUSE_OPTION_BYTES_MIN_SIZE 52u	  /* OPTSR_CUR through BOOT4_PRG */
#define DFUSE_OPTION_BYTES_WORDS 77	  /* FULL_SIZE / 4 */
#define DFUSE_OPTION_BYTES_MAX_FIELDS 64
#define DFUSE_OPTION_TEXT_MAX 256

/* dfuse_option_field.severity of a field that only informs (the others
 * are DFUSE_SEV_NOTE or DFUSE_SEV_WARNING). */
#define DFUSE_OPTION_PLAIN (-1)
/* dfuse_option_field.affects: what the value changes on this board. */
#define DFUSE_OPTION_AFFECTS_BOOT 0x1u	/* what runs after a reset */
#define DFUSE_OPTION_AFFECTS_WRITE 0x2u /* what can be erased or written */
#define DFUSE_OPTION_AFFECTS_READ 0x4u	/* what can be read back */

/* One decoded field, in words. */
typedef struct {
	const char *name;     /* stable: "RDP", "BCM4", "BOOT_CM7_ADD0",
				 "nWRP1", ... (static string); nWRP1/nWRP2
				 come once per protected sector */
	uint32_t raw;	      /* the field's bits as read, shifted down */
	int severity;	      /* DFUSE_OPTION_PLAIN, or DFUSE_SEV_NOTE /
				 DFUSE_SEV_WARNING when the value changes
				 what boots or what can be flashed */
	unsigned int affects; /* DFUSE_OPTION_AFFECTS_* */
	int known;	      /* 0: its word is not in the block (the text
				 then says "unknown"; raw is 0) */
	uint32_t offset;      /* block offset of its word (the register is
				 at DFUSE_OPTION_BYTES_ADDRESS + offset) */
	int sector;	      /* nWRP1/nWRP2: the protected sector, else -1 */
	int has_range;	      /* address and end are meaningful */
	uint32_t address;     /* first byte concerned */
	uint64_t end;	      /* one past the last */
	char text[DFUSE_OPTION_TEXT_MAX]; /* what it means for the board */
} dfuse_option_field;

/* A PCROP (PRAR) or secure-only (SCAR) area of one bank window. */
typedef struct {
	int known;	  /* 0: the word is not in the block */
	uint32_t bank;	  /* the window: 0x08000000 or 0x08100000 */
	uint32_t start;	  /* PROT/SEC_AREA_START: 256-byte blocks from bank */
	uint32_t last;	  /* PROT/SEC_AREA_END: the last block */
	int active;	  /* END >= START: there is an area */
	int ambiguous;	  /* END == START: RM0399's register text says the
			     whole bank, its size formula one 256-byte block
			     (address..end); a cautious caller takes the
			     whole bank, bank .. bank + 0x100000 */
	uint32_t address; /* active: bank + START * 256 */
	uint64_t end;	  /* active: bank + (END + 1) * 256 */
	int erase_on_regression; /* DMEP / DMES: erased when RDP goes 1 -> 0 */
} dfuse_option_area;

/*
 * The decoded block.  Set `version` (DFUSE_OPTION_BYTES_INIT) before the
 * call; everything else is filled by it.  Index [0] of the per-bank arrays
 * is the bank at 0x08000000, [1] the bank at 0x08100000 (by address: with
 * the banks swapped these are physical banks 2 and 1).
 */
typedef struct {
	unsigned int version;
	size_t length;	/* bytes given */
	size_t decoded; /* bytes decoded: length, at most FULL_SIZE */
	uint32_t words[DFUSE_OPTION_BYTES_WORDS]; /* as read (reserved bits
						     included); 0 past
						     `decoded` */
	uint8_t rdp;				  /* OPTSR_CUR bits 15:8 */
	int rdp_level;			       /* 0 (0xAA), 2 (0xCC), else 1 */
	int bcm7, bcm4;			       /* core boot enabled at reset */
	uint32_t boot_cm7_add0, boot_cm7_add1; /* addresses (field << 16) */
	uint32_t boot_cm4_add0, boot_cm4_add1; /* ADD0: BOOT0 low; ADD1: high */
	int swap_bank_opt; /* OPTSR_CUR bit 31: swap after the next reset */
	int swap_bank;	   /* OPTCR.SWAP_BANK in effect, -1 unknown (only a
			      block of 256 bytes or more holds it) */
	int wrp_known[2];  /* 0: unknown, never "unprotected" */
	uint8_t wrp_sectors[2]; /* bit n set: sector n is write-protected */
	dfuse_option_area pcrop[2];
	dfuse_option_area secure[2];
	int iwdg1_sw, iwdg2_sw;		/* 1: software-started watchdog */
	int fz_iwdg_stop, fz_iwdg_sdby; /* 1: watchdogs run in Stop/Standby */
	int nrst_stop_d1, nrst_stby_d1; /* active low, as read: 1 = no reset */
	int nrst_stop_d2, nrst_stby_d2;
	unsigned int bor_level; /* 0..3 */
	int io_hslv, security;
	unsigned int st_ram_kib;    /* 2, 4, 8 or 16 */
	int opt_busy, optchangeerr; /* flags of OPTSR_CUR */
	int staged;		    /* a _PRG word differs from its _CUR word */
	int factory; /* every option compared equals RM0399's factory value */
	size_t field_count;
	dfuse_option_field fields[DFUSE_OPTION_BYTES_MAX_FIELDS];
} dfuse_option_bytes;
#define DFUSE_OPTION_BYTES_VERSION 1
#define DFUSE__OPTION_AREA_ZERO                                                \
	{                                                                      \
		{                                                              \
			0, 0, 0, 0, 0, 0, 0, 0, 0                              \
		}                                                              \
	}
#define DFUSE_OPTION_BYTES_INIT                                                \
	{                                                                      \
		DFUSE_OPTION_BYTES_VERSION, 0, 0, {0}, 0, 0, 0, 0, 0, 0, 0, 0, \
			0, 0, {0}, {0}, DFUSE__OPTION_AREA_ZERO,               \
			DFUSE__OPTION_AREA_ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \
			0, 0, 0, 0, 0, 0, 0,                                   \
		{                                                              \
			{                                                      \
				0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                  \
				{                                              \
					0                                      \
				}                                              \
			}                                                      \
		}                                                              \
	}

/**
 * Decodes an option-byte block read from DFU alt 1 at
 * DFUSE_OPTION_BYTES_ADDRESS: every whole word present, the rest
 * "unknown"; bytes past FULL_SIZE are not option registers and are not
 * decoded.  Reserved bits are kept raw (words[]) and never interpreted.
 * @param[out] out set out->version first; filled completely (cleared on
 *        failure); holds no pointer but static strings, nothing to free
 * @param block the bytes as read (may be NULL when len is 0)
 * @param len   their count
 * @return 0; DFUSE_EFORMAT (fewer than DFUSE_OPTION_BYTES_MIN_SIZE bytes,
 *   naming the missing words, or a length that is not a multiple of 4:
 *   the message gives the byte offset and the register there),
 *   DFUSE_EINVAL (NULL arguments, a version that is not
 *   DFUSE_OPTION_BYTES_VERSION)
 */
DFUSE_EXTERN(int)
dfuse_option_bytes_decode(dfuse_option_bytes *out, const uint8_t *block,
			  size_t len);

/** Finds the first decoded field with this name (case-sensitive).
 *  @return its index in out->fields, or DFUSE_ENOTFOUND (no message). */
DFUSE_EXTERN(int)
dfuse_option_bytes_find_field(const dfuse_option_bytes *ob, const char *name);

/* ======== Checks against the device ======== */

/* What is known about the attached board itself (dfuse_board.state). */
typedef enum {
	DFUSE_BOARD_UNKNOWN = 0,   /* nothing read (no device, a dry run, or
				      not asked) */
	DFUSE_BOARD_READ = 1,	   /* the option bytes were read: `ob` */
	DFUSE_BOARD_NO_ALT = 2,	   /* the device shows no option-byte
				      alternate setting */
	DFUSE_BOARD_PROTECTED = 3, /* the ROM refused the read with errVENDOR:
				      read protection (RDP level 1) */
	DFUSE_BOARD_FAILED = 4	   /* the read failed otherwise (`why`) */
} dfuse_board_state;

/*
 * A board's own configuration, read from the device (dfuse_usb_read_board())
 * or decoded from a saved block (dfuse_option_bytes_decode() into `ob`, with
 * state DFUSE_BOARD_READ).  dfuse_check() checks an image against it when
 * dfuse_check_options.board is set: the boot addresses become the board's,
 * and core boot enables, write protection, the bank swap and read
 * protection are checked.  Set `version` (DFUSE_BOARD_INIT) first.
 */
typedef struct {
	unsigned int version;
	int state;		  /* dfuse_board_state */
	dfuse_option_bytes ob;	  /* state DFUSE_BOARD_READ */
	uint8_t alt;		  /* the alternate setting read */
	char why[256];		  /* NO_ALT, PROTECTED, FAILED: what happened,
				     in words ("" otherwise) */
	int bootloader_id;	  /* the ID byte at DFUSE_BOOTLOADER_ID_ADDRESS
				     (0x92: V9.2), -1 when it could not be
				     read */
	char bootloader_why[160]; /* bootloader_id -1: why, in words */
} dfuse_board;
#define DFUSE_BOARD_VERSION 1
#define DFUSE_BOOTLOADER_ID_ADDRESS 0x1FF1E7FEu /* AN2606, STM32H74x/75x */
/** Clears `b` and sets its version and that of the embedded `ob`, and
 *  bootloader_id to -1: call it before anything fills a dfuse_board. */
DFUSE_EXTERN(void) dfuse_board_init(dfuse_board *b);

typedef struct {
	unsigned int version;
	const dfuse_profile *profile; /* NULL: the default (stm32h745xi), or
					 none when only a layout is given */
	const dfuse_layout *layout;   /* the device's layout string, or NULL */
	uint32_t boot_cm7;	      /* 0: the profile's default */
	uint32_t boot_cm4;	      /* 0: the profile's default */
	unsigned int flags;	      /* DFUSE_CHECK_* */
	/* Finding codes that become notes, or NULL. */
	const char *const *allow;
	size_t allow_count;
	/* Version 3: the live board, or NULL (the profile's defaults).  With
	 * state DFUSE_BOARD_READ its boot addresses (BOOT_CMx_ADD0, BOOT0
	 * low) replace the profile's, and a boot_cm7/boot_cm4 above that
	 * differs from them is an error; other states add one note saying
	 * the checks fall back to the profile. */
	const dfuse_board *board;
} dfuse_check_options;
#define DFUSE_CHECK_OPTIONS_VERSION 3
#define DFUSE_CHECK_OPTIONS_INIT                                               \
	{                                                                      \
		DFUSE_CHECK_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, NULL, 0,     \
			NULL                                                   \
	}
/* flags: the ROM bootloader will jump to the image on DFU leave
 * (AN2606's stack limit then matters: sp-near-ram-end is a warning). */
#define DFUSE_CHECK_LEAVE 0x1u
/* flags: the work reads the flash back (verify, incremental): read
 * protection on the board is then an error before the first erase. */
#define DFUSE_CHECK_READBACK 0x2u
/* flags: the work is one mass erase (every sector, write-protected ones
 * included, not just the touched ones). */
#define DFUSE_CHECK_MASS_ERASE 0x4u

/** @return 1 if dfuse_check() can report `code`, else 0. */
DFUSE_EXTERN(int) dfuse_check_has_code(const char *code);
/** @return the i-th code dfuse_check() can report (static string), or
 *  NULL past the last one. */
DFUSE_EXTERN(const char *) dfuse_check_get_code(size_t i);

/**
 * Checks an image against the device: every rule in one pass (see
 * dfusetool-check(1) for the codes).  Each finding has a severity, a code,
 * the address range, the core and a message that says what to do.
 * @param[out] out the findings; caller owns; dfuse_report_free()
 * @return 0 when the checks ran (whatever they found), or a negative error
 */
DFUSE_EXTERN(int)
dfuse_check(dfuse_report **out, const dfuse_image *img,
	    const dfuse_check_options *opts);

/**
 * The core an element belongs to: the core its input was given for
 * (dfuse_input_options.core), else the core whose boot address lies in the
 * element's flash bank.
 */
DFUSE_EXTERN(int)
dfuse_image_get_element_core(const dfuse_image *img, size_t target,
			     size_t element, const dfuse_check_options *opts);

/* ======== An image flattened into address order ======== */

/** One element as a span of the flattened image. */
typedef struct {
	uint32_t address;
	uint64_t end; /* exclusive; past 4 GiB in a broken file */
	int core;     /* dfuse_image_get_element_core() under the options */
	size_t target, element; /* where it is in the image */
	const uint8_t *data;	/* borrowed from the image */
	const char *source;	/* the input's name, borrowed; may be NULL */
} dfuse_span;

/**
 * Every element of every target as one list in address order (then by
 * end, then by target and element index), each with its core, as
 * dfuse_check() sees the image.  Overlapping elements are all listed,
 * shorter first at the same address: what an overlap means is the
 * caller's to decide.
 * @param opts as for dfuse_image_get_element_core() (NULL: the default profile)
 * @param[out] out *count spans; caller owns; dfuse_free(); the spans'
 *   pointers are borrowed from the image
 * @return 0, DFUSE_EINVAL, DFUSE_ENOMEM
 */
DFUSE_EXTERN(int)
dfuse_image_flatten(dfuse_span **out, size_t *count, const dfuse_image *img,
		    const dfuse_check_options *opts);

/** Where a core's vector table is, as dfuse_check() reads it. */
typedef struct {
	uint32_t address; /* first word of the table */
	int at_boot;	  /* 1: at the core's boot address; 0: at the start
			     of a program an input marked, or of the
			     core's lowest flash element that reads as a
			     vector table */
	int has_words;	  /* sp and reset could be read from the data */
	uint32_t sp;	  /* word 0: the initial stack pointer */
	uint32_t reset;	  /* word 1: the reset vector (Thumb bit included) */
} dfuse_vector_info;

/**
 * Finds a core's vector table in an image: at the core's boot address
 * when the image covers it, else at the start of a program an ELF input
 * marked (its entry point's run), else at the start of that core's lowest
 * flash element whose first words read as a table (alternate setting 0);
 * none for a data block.  The SP and reset words are read from the
 * element data.
 * @return 1 and fills *out when the image holds code for that core, 0
 *         when not (or the profile lacks the core), or a negative error
 */
DFUSE_EXTERN(int)
dfuse_image_get_vector_table(dfuse_vector_info *out, const dfuse_image *img,
			     int core, const dfuse_check_options *opts);

/* ======== DfuSe container ======== */

#define DFUSE_READ_STRICT 0x1u /* any warning or error fails the read */

typedef struct {
	unsigned int version;
	unsigned int flags; /* DFUSE_READ_* */
	size_t max_size;    /* 0: DFUSE_DEFAULT_MAX_INPUT; elements past
			       DFUSE_MAX_ELEMENTS(max_size) are an error,
			       "too-many-elements", and are not read */
} dfuse_read_options;
#define DFUSE_READ_OPTIONS_VERSION 1
#define DFUSE_READ_OPTIONS_INIT                                                \
	{                                                                      \
		DFUSE_READ_OPTIONS_VERSION, 0, 0                               \
	}

/** What the file itself said, as found (for images read from a file). */
typedef struct {
	uint64_t file_size;
	int has_prefix;		  /* the 11 prefix bytes were there */
	char signature[6];	  /* szSignature as found, NUL-terminated */
	uint8_t version;	  /* bVersion */
	uint32_t image_size;	  /* DFUSE imagesize field (DFUImageSize) */
	uint8_t targets;	  /* bTargets */
	int has_suffix;		  /* the file is at least 16 bytes long */
	int not_dfuse;		  /* not DfuSe at all (ELF, HEX, a plain DFU
				     file...): the one not-dfuse finding, no
				     structure */
	dfuse_ids ids;		  /* bcdDevice, idProduct, idVendor, bcdDFU */
	char suffix_signature[4]; /* ucDfuSignature as found ("UFD") */
	uint8_t suffix_length;	  /* bLength */
	uint32_t crc_stored;	  /* dwCRC */
	uint32_t crc_computed;	  /* ~crc32 over all but the last 4 bytes */
	/* The reader's errors that leave the data in doubt (every error but
	 * element-overlap): when not 0, the writers, merge, split, crop and
	 * download refuse the image (DFUSE_EFORMAT). */
	size_t data_errors;
} dfuse_file_info;

/**
 * Parses a DfuSe file held in memory.
 *
 * Lenient (default): reads as far as the bytes allow and records every
 * problem as a finding in *report_out; returns 0 with whatever model could
 * be built.  DFUSE_READ_STRICT: returns DFUSE_EFORMAT (or DFUSE_ECRC) for
 * the first warning or error, with its message.  Either way the caller
 * owns *out and *report_out (report_out may be NULL).  Any byte that
 * belongs to no element or target prefix, and any count that would drop
 * or invent data, is an error (dfuse(5) lists the codes).  A buffer that
 * is not DfuSe at all (no "DfuSe" at 0, no "Target" at 11) gets one
 * "not-dfuse" error naming what it is, and an empty model.
 * A model read with errors (any but element-overlap) can be inspected but
 * never turned into data: dfuse_write*(), dfuse_fileset_add(),
 * dfuse_merge(), dfuse_split(), dfuse_image_crop() and
 * dfuse_usb_download() refuse it with DFUSE_EFORMAT, naming the first.
 * @return 0, or a negative error (then *out and *report_out are NULL).
 */
DFUSE_EXTERN(int)
dfuse_read(dfuse_image **out, dfuse_report **report_out, const void *buf,
	   size_t len, const dfuse_read_options *opts);
/**
 * dfuse_read() on a buffer whose ownership passes to the library, so that
 * the file's bytes are held once: `buf` must come from malloc() (NULL
 * with len 0); the image's elements point into it, and it is freed with
 * the last of them, or at once on failure.  The caller must not touch buf
 * after the call, whatever it returns.
 */
DFUSE_EXTERN(int)
dfuse_read_owned(dfuse_image **out, dfuse_report **report_out, void *buf,
		 size_t len, const dfuse_read_options *opts);
/** dfuse_read() on a file's content. */
DFUSE_EXTERN(int)
dfuse_read_file(dfuse_image **out, dfuse_report **report_out, const char *path,
		const dfuse_read_options *opts);
/** @return 0 and the file facts, or DFUSE_ENOTFOUND for a built image. */
DFUSE_EXTERN(int)
dfuse_image_get_file(dfuse_file_info *out, const dfuse_image *img);

/**
 * Serialises an image: prefix, targets (bTargetNamed = 1 and a NUL-padded
 * name for named ones), elements in stored order, then the suffix.
 * DFUImageSize is the file size minus 16; dwCRC is ~crc32 of all bytes
 * but the last four.  Deterministic.
 * @param[out] out buffer owned by the caller; free with dfuse_free()
 */
DFUSE_EXTERN(int)
dfuse_write(void **out, size_t *out_len, const dfuse_image *img);
/**
 * Writes atomically (every file writer of the library does it this way):
 *  - a regular destination, or none yet: a temporary file
 *    ".NAME.XXXXXX.tmp" in the destination's directory, created with
 *    O_CREAT|O_EXCL|O_NOFOLLOW, fsync'd and renamed over `path`.  The
 *    replaced file's permission bits are kept (0666 & ~umask for a new
 *    one).  A symlink at `path` is replaced, never written through.
 *  - a character device or a FIFO: opened once (O_NOFOLLOW, except for
 *    names under /dev/) and written through that descriptor.
 *  - /dev/stdout, /dev/stderr, /dev/fd/N: written to that descriptor.
 * A directory or a block device is DFUSE_EINVAL.  On failure nothing is
 * left behind and an existing `path` is untouched.  A process killed
 * meanwhile (SIGKILL) can leave its ".NAME.XXXXXX.tmp" beside `path`; for
 * catchable signals see dfuse_temp_files_remove().
 */
DFUSE_EXTERN(int) dfuse_write_file(const dfuse_image *img, const char *path);

/**
 * Removes every temporary file the library's writers hold open right now
 * (dfuse_write_file*(), dfuse_write_data_file(), file sets not yet
 * committed).  Async-signal-safe (unlink(2) and atomic loads only): meant
 * for the caller's own SIGINT/SIGTERM/SIGHUP/SIGPIPE handler, which then
 * exits; the library itself never installs a signal handler.  A writer
 * running meanwhile then fails.
 */
DFUSE_EXTERN(void) dfuse_temp_files_remove(void);

/**
 * Writes `len` bytes to `path` the way dfuse_write_file() writes an image
 * (same rules for regular files, devices, FIFOs and descriptor names).  For
 * tools that write other outputs (a map, a converted image) with the same
 * guarantee.
 * @return 0, or DFUSE_EIO (the message names the path and ends in
 *         strerror), DFUSE_EINVAL, DFUSE_ENOMEM
 */
DFUSE_EXTERN(int)
dfuse_write_data_file(const void *data, size_t len, const char *path);

/* ======== Output formats: DfuSe, Intel HEX, S-record, raw binary ======== */

/* A raw binary (DFUSE_FORMAT_BIN) fills the gaps between elements with
 * `fill` instead of refusing them. */
#define DFUSE_WRITE_FILL 0x1u
/* Files: refuse to replace a file that exists (EEXIST); the check is
 * atomic (link(2)), so a file that appears meanwhile is not replaced. */
#define DFUSE_WRITE_NO_CLOBBER 0x2u

typedef struct {
	unsigned int version;
	int format;	    /* DFUSE_FORMAT_DFUSE, _IHEX, _SREC or _BIN */
	size_t target;	    /* _IHEX, _SREC, _BIN: the target written */
	unsigned int flags; /* DFUSE_WRITE_* */
	uint8_t fill;	    /* _BIN with DFUSE_WRITE_FILL: the gap byte */
} dfuse_write_options;
#define DFUSE_WRITE_OPTIONS_VERSION 1
#define DFUSE_WRITE_OPTIONS_INIT                                               \
	{                                                                      \
		DFUSE_WRITE_OPTIONS_VERSION, DFUSE_FORMAT_DFUSE, 0, 0, 0xFF    \
	}

/**
 * Serialises an image in any output format.  DFUSE_FORMAT_DFUSE is
 * dfuse_write().  The others write one target (opts->target), its
 * elements in address order; they hold addresses and bytes only (no
 * alternate setting, no name, no suffix IDs):
 *
 *  - Intel HEX: an extended linear address record (04) before the first
 *    data record and at every 64 KiB boundary the data crosses; data
 *    records of up to 16 bytes that never cross one; a start linear
 *    address record (05) if the image has an entry point; the end-of-file
 *    record (01).  Upper-case digits, LF line ends.
 *  - S-record: an empty S0 header; S1, S2 or S3 data records of up to 16
 *    bytes, the shortest address that holds every address written (and
 *    the entry point); an S5 (S6 past 65535) record count; a terminator
 *    (S9, S8 or S7) only if the image has an entry point, which it
 *    carries (srec_cat does the same: a terminator at 0 would read back
 *    as an entry point at 0).
 *  - Raw binary: the bytes from the lowest address to the highest.  A gap
 *    between elements is DFUSE_ERANGE (the message gives the gap and the
 *    size the file would have), unless DFUSE_WRITE_FILL fills it.
 *
 * Errors before any byte is produced: DFUSE_EINVAL (no such target, a
 * format that cannot be written),
 * DFUSE_EOVERLAP (two elements share a byte: a file read as it is may;
 * dfuse_merge() resolves that), DFUSE_ERANGE (a gap in a raw binary, an
 * element that runs past 4 GiB).
 * @param[out] out buffer owned by the caller; free with dfuse_free()
 */
DFUSE_EXTERN(int)
dfuse_write_as(void **out, size_t *out_len, const dfuse_image *img,
	       const dfuse_write_options *opts);

/**
 * dfuse_write_as() to a file the way dfuse_write_file() writes (with
 * DFUSE_WRITE_NO_CLOBBER: link, so an existing file is never replaced,
 * and anything that exists at `path` is refused).  On failure nothing is
 * left behind and an existing `path` is untouched.  A device, a FIFO or
 * a descriptor name is written directly, after every check has passed.
 */
DFUSE_EXTERN(int)
dfuse_write_file_as(const dfuse_image *img, const char *path,
		    const dfuse_write_options *opts);

/*
 * A set of files written all or nothing (dfusetool split):
 *
 *     dfuse_fileset *fs = NULL;
 *     rc = dfuse_fileset_new(&fs);
 *     rc = dfuse_fileset_add(fs, part1, "out/cm7.dfu", &wo);   each file
 *     rc = dfuse_fileset_commit(fs);                           all at once
 *     dfuse_fileset_free(fs);                                  always
 *
 * add() writes and fsyncs a temporary file ".NAME.XXXXXX.tmp" beside the
 * path (created as dfuse_write_file() creates it); nothing shows
 * at the path yet.  commit() moves them all into place; if one fails, the
 * ones already moved are removed again (a file they replaced is lost: use
 * DFUSE_WRITE_NO_CLOBBER to never replace one), and every temporary file
 * is deleted.  free() deletes the temporary files of an uncommitted set.
 */
typedef struct dfuse_fileset dfuse_fileset;

/** @param[out] out new empty set; caller owns; dfuse_fileset_free() */
DFUSE_EXTERN(int) dfuse_fileset_new(dfuse_fileset **out);
/**
 * Writes `img` as `opts` say (NULL: DfuSe) to a temporary file for `path`.
 * Refuses a path already in the set (DFUSE_EINVAL), one that exists with
 * DFUSE_WRITE_NO_CLOBBER (DFUSE_EIO, EEXIST), and one that exists and is
 * not a regular file (DFUSE_EINVAL).  A failed add leaves no file and the
 * set as it was.
 */
DFUSE_EXTERN(int)
dfuse_fileset_add(dfuse_fileset *fs, const dfuse_image *img, const char *path,
		  const dfuse_write_options *opts);
/** Moves every file into place, in the order added (see above). */
DFUSE_EXTERN(int) dfuse_fileset_commit(dfuse_fileset *fs);
/** Deletes uncommitted temporary files and frees the set; NULL is a
 *  no-op. */
DFUSE_EXTERN(void) dfuse_fileset_free(dfuse_fileset *fs);

/** DFU suffix CRC: ~crc32 (zlib) of `len` bytes. */
DFUSE_EXTERN(uint32_t) dfuse_crc(const void *data, size_t len);

/** SHA-256 of `len` bytes into out[32]. */
DFUSE_EXTERN(int) dfuse_sha256(uint8_t out[32], const void *data, size_t len);

/* ======== Merge and split ======== */

/* dfuse_merge_options.flags: use opts->ids for that suffix field whatever
 * the inputs say (and say nothing when they disagree). */
#define DFUSE_MERGE_VID 0x1u
#define DFUSE_MERGE_PID 0x2u
#define DFUSE_MERGE_BCD 0x4u

typedef struct {
	unsigned int version;
	const dfuse_profile *profile; /* flash word and banks; NULL: no
					 flash-word rules (no coalescing, no
					 padding) */
	const char *const *names;     /* names[i] names input i in messages;
					 NULL: "input 1", "input 2", ... */
	unsigned int flags;	      /* DFUSE_MERGE_* */
	dfuse_ids ids;		      /* the values DFUSE_MERGE_* select */
	const char *name; /* non-NULL: the name of the target with the
			     alternate setting name_alt, instead of the
			     inputs' (no conflict warning for it) */
	uint8_t name_alt;
} dfuse_merge_options;
#define DFUSE_MERGE_OPTIONS_VERSION 1
#define DFUSE_MERGE_OPTIONS_INIT                                               \
	{                                                                      \
		DFUSE_MERGE_OPTIONS_VERSION, NULL, NULL, 0,                    \
			{0xFFFF, 0xDF11, 0x0483, 0x011A}, NULL, 0              \
	}

/**
 * Merges images (DfuSe files read with dfuse_read(), images built from
 * other inputs) into a new one.
 *
 *  - Targets: one per alternate setting; targets with the same one (in one
 *    input or several) become one.  The order: the inputs' target lists
 *    merged by alternate setting, each list kept in its own order.
 *  - Elements: each target's element lists merged by address, each kept in
 *    its own order, so that a single input keeps its order exactly and
 *    inputs in address order give a result in address order.  Nothing is
 *    sorted, cut or joined beyond the three rules that follow.
 *  - Overlap: bytes covered twice must be equal, else DFUSE_EOVERLAP
 *    naming both inputs (and target and element, for DfuSe inputs), the
 *    overlapping range and the first byte that differs.  Equal bytes are
 *    kept once (the two elements become one covering both; a note).
 *  - Flash words (with a profile): elements that share a flash word
 *    become one element, the bytes between them 0xFF (a note), because a
 *    flash word can be programmed once per erase.
 *  - Padding (with a profile): elements of built images are padded with
 *    0xFF to whole flash words, as dfuse_image_normalize() does; elements
 *    of images read from DfuSe files, of the parts dfuse_split() makes of
 *    them and of merged images are kept as they are, so that a split file
 *    merges back to itself.
 *  - Suffix IDs (idVendor, idProduct, bcdDevice), field by field: the
 *    value the inputs that carry IDs (read from a file, or set with
 *    dfuse_image_set_ids()) agree on, 0xFFFF ("any") counting as no
 *    opinion; 0xFFFF if they all say so; the dfuse_image_new() default
 *    if none carries IDs.  Two different values: DFUSE_ECONFLICT, naming
 *    both inputs, unless the field's DFUSE_MERGE_* flag is set.
 *  - Target names: the first non-empty one, with its 255 bytes and
 *    bTargetNamed as stored; a later different one is a warning
 *    ("target-name-conflict").
 *  - Entry point: the first input's that has one.
 *
 * @param[out] out the merged image; caller owns
 * @param[out] report_out notes and warnings (may be NULL); caller owns
 * @param in   n images (borrowed, unchanged)
 * @return 0; DFUSE_EOVERLAP, DFUSE_ECONFLICT, DFUSE_ETOOBIG (over 255
 *   targets), DFUSE_ERANGE (an element past 4 GiB, as a broken file may
 *   hold, or one that would be 4 GiB), DFUSE_EINVAL (no
 *   input), DFUSE_ENOMEM.
 */
DFUSE_EXTERN(int)
dfuse_merge(dfuse_image **out, dfuse_report **report_out,
	    const dfuse_image *const *in, size_t n,
	    const dfuse_merge_options *opts);

typedef enum {
	DFUSE_SPLIT_CORE = 1,	/* a part per core, and one per other
				   alternate setting */
	DFUSE_SPLIT_TARGET = 2, /* a part per target */
	DFUSE_SPLIT_ELEMENT = 3 /* a part per element */
} dfuse_split_by;

typedef struct {
	unsigned int version;
	int by;	    /* dfuse_split_by */
	int format; /* the parts' file format: DFUSE_FORMAT_DFUSE, _IHEX,
		       _SREC or _BIN (which also splits at every gap) */
	const dfuse_check_options *check; /* which core an element belongs
					     to; NULL: the defaults */
} dfuse_split_options;
#define DFUSE_SPLIT_OPTIONS_VERSION 1
#define DFUSE_SPLIT_OPTIONS_INIT                                               \
	{                                                                      \
		DFUSE_SPLIT_OPTIONS_VERSION, DFUSE_SPLIT_CORE,                 \
			DFUSE_FORMAT_DFUSE, NULL                               \
	}

/*
 * The parts of a split image, each with a file name.  A name is made of
 * the core ("cm7", "cm4") or the alternate setting ("alt1"), with
 * DFUSE_SPLIT_TARGET the target's name sanitised (letters, digits, '.',
 * '_' and '-' only; any other run of bytes becomes one '_'; at most 32
 * bytes), with DFUSE_SPLIT_ELEMENT and raw binaries "@0x" and the address,
 * then the format's extension (.dfu, .hex, .srec, .bin).  Names never
 * hold '/' nor start with '.', and are unique in a split even on a file
 * system that ignores case ("-2", "-3" ... before the extension).
 *
 * DfuSe parts keep the suffix IDs, each target's alternate setting and
 * stored name, and the elements in file order.  The other formats hold
 * one alternate setting's elements, overlaps resolved as dfuse_merge()
 * does without a profile.
 */
typedef struct dfuse_parts dfuse_parts;

typedef struct {
	const char *name;	  /* file name (see above); borrowed */
	const dfuse_image *image; /* the part; borrowed */
	int core;		  /* dfuse_core, or DFUSE_CORE_NONE */
	int alt;		  /* alternate setting */
} dfuse_part;

/**
 * Splits an image into parts (nothing is written: see dfuse_fileset).
 * By core: alternate setting 0's elements by dfuse_image_get_element_core():
 * "cm7", "cm4", and "alt0" for those of no core; every other alternate setting
 * whole ("alt1": the option bytes on the STM32H7).  By target: one part a
 * target.  By element: one part an element.
 * @param[out] out the parts; caller owns; dfuse_parts_free()
 * @return 0; DFUSE_ENOTFOUND (nothing to split: no element, and no target
 *   but empty ones at alternate setting 0), DFUSE_EOVERLAP (a text or
 *   binary part with different bytes at one address), DFUSE_ERANGE (bytes
 *   past 4 GiB in such a part), DFUSE_ETOOBIG (over 65536 parts),
 *   DFUSE_EINVAL, DFUSE_ENOMEM.
 */
DFUSE_EXTERN(int)
dfuse_split(dfuse_parts **out, const dfuse_image *img,
	    const dfuse_split_options *opts);
DFUSE_EXTERN(size_t) dfuse_parts_count(const dfuse_parts *p);
/** @param[out] out borrowed pointers valid until the parts are freed */
DFUSE_EXTERN(int)
dfuse_parts_get(dfuse_part *out, const dfuse_parts *p, size_t i);
DFUSE_EXTERN(void) dfuse_parts_free(dfuse_parts *p);

#ifdef __cplusplus
}
#endif
#endif /* DFUSE_H */
