/*
 * board.h - the board side of a DFU session (internal): what the board
 * says about itself (the option bytes and the bootloader ID, board.c), a
 * memory upload (board.c) and an erase of chosen sectors (erase.c), each
 * over a struct dfuse__dfu so that it runs against the test model in
 * virtual time.  The public dfuse_usb_* calls (usb_api.c) open the device
 * and call these.  Nothing here prints; lines go to opts->log.
 *
 * `alts` is the device's list of alternate settings and their layout
 * strings (usb.h, struct dfuse__usb_alt; n of them); the sessions parse
 * what they need from it.
 */
#ifndef DFUSE_BOARD_H
#define DFUSE_BOARD_H

#include "common.h"
#include "dfu_proto.h"
#include "usb.h"

#include <dfuse_usb.h>

/*
 * Reads the option-byte block and, with `with_id`, the bootloader ID
 * (dfuse_usb_read_board() says what and how; a download needs only the
 * block), writing nothing, and leaves the device in dfuIDLE on alternate
 * setting 0.  What was found is out->state and out->why.
 * @return 0; a transport error only when the device could not be brought
 *   back to dfuIDLE on alternate setting 0 afterwards (`out` still says
 *   what was read)
 */
int dfuse__read_board(dfuse_board *out, const struct dfuse__dfu *d,
		      const struct dfuse__usb_alt *alts, size_t n, int with_id);

/*
 * The alt-0 layout of `alts` (NULL when there is none or it is empty).
 * @param[out] out caller frees with dfuse_layout_free()
 * @return 0; the parse error, prefixed with the string
 */
int dfuse__alt0_layout(dfuse_layout **out, const struct dfuse__usb_alt *alts,
		       size_t n);

/*
 * dfuse_usb_upload() over a session (copied; its progress and cancel are
 * set here): [address, address + len) must lie in readable segments of
 * the alt-0 layout (the profile's flash banks when the device gives
 * none), else DFUSE_ERANGE with nothing sent.  opts may be NULL.
 */
int dfuse__upload(dfuse_usb_result *out, uint8_t *buf,
		  const struct dfuse__dfu *d, const struct dfuse__usb_alt *alts,
		  size_t n, uint32_t address, size_t len,
		  const dfuse_usb_options *opts);

/*
 * dfuse_usb_erase() over a session (copied; its timing is set from
 * opts->profile here, erase.c).  opts may be NULL.
 */
int dfuse__erase(dfuse_usb_result *out, const struct dfuse__dfu *d,
		 const struct dfuse__usb_alt *alts, size_t n,
		 const uint32_t *start, const uint64_t *end, size_t count,
		 const dfuse_usb_options *opts,
		 void (*planned)(void *payload, uint32_t base, uint32_t size));

/* One stretch of same-sized sectors: a layout segment, or a profile bank
 * when the device gives no layout (readable and erasable). */
struct dfuse__area {
	uint32_t base, sector_size;
	uint64_t end; /* one past the last byte */
	int readable, erasable;
	char type; /* the layout's letter, 0 for a bank */
};

/*
 * Checks that [start, end) lies whole in areas of alt-0 `layout` (NULL:
 * the profile's banks; NULL profile: the default) that are readable
 * (need_erase 0) or erasable (need_erase 1).  `what` names the work
 * ("upload", "erase").
 * @return 0; DFUSE_ERANGE "refused before any transfer: ..." naming the
 *   first address outside and the segment it is in, if any
 */
int dfuse__check_areas(const dfuse_layout *layout, const dfuse_profile *p,
		       uint32_t start, uint64_t end, int need_erase,
		       const char *what);
/* The area holding `a`: 0, or DFUSE_ENOTFOUND (no message). */
int dfuse__area_at(struct dfuse__area *out, const dfuse_layout *layout,
		   const dfuse_profile *p, uint32_t a);

#endif /* DFUSE_BOARD_H */
