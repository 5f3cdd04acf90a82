/*
 * board.c - what the board says about itself, and reading its memory, over
 * a DFU session (board.h): the option-byte block and the bootloader ID
 * (dfuse_usb_read_board()), a memory upload (dfuse_usb_upload()), and the
 * areas of the alt-0 layout that uploads and erases are checked against.
 *
 * The option bytes (AN3156 §6: UPLOAD after Set Address Pointer; UM0424 for
 * the layout string): the ROM shows them on the alternate setting whose
 * layout starts at 0x5200201C (alt 1 on the H745: "01*128 e").  AN3156 says
 * their read size "must be equal to the option byte block size", so the
 * first read is exactly that size.  STM32CubeProgrammer reads 308 bytes
 * (through the BOOT4_PRG alias, RM0399 §4.9) on the H743 ROM: that second
 * read is tried once, and when the device answers with more, the bank-2
 * words are decoded too; a stall or the same length keeps the first block
 * (INFERRED that a longer read is harmless: a refusal is cleared with
 * CLRSTATUS and nothing is written).  Sister ROMs give sizes such as 88 or
 * 297 bytes: a size that is not whole 32-bit registers, or too short to
 * hold OPTSR through BOOT4, is not read.
 *
 * Read protection (RM0399 §4.5.3; AN3156 "protection enabled"): the ROM
 * refuses reads with (errVENDOR, dfuERROR).  AN3156 says Set Address
 * Pointer still works, but Betaflight saw it fail with errVENDOR too, so a
 * refusal at either request means RDP level 1.
 *
 * The bootloader ID (AN2606 Table 3): one byte at 0x1FF1E7FE in system
 * memory.  INFERRED that the ROM lets a 2-byte UPLOAD read it; a refusal
 * leaves the ID unknown, with what the device said.
 *
 * Nothing here writes to the device (the option bytes are never written:
 * RDP and boot-address mistakes can brick a board).
 */
#include "board.h"
#include "err.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======== Areas of the alt-0 layout ======== */

int dfuse__area_at(struct dfuse__area *out, const dfuse_layout *layout,
		   const dfuse_profile *p, uint32_t a)
{
	dfuse_layout_segment seg;
	dfuse_flash_location loc;
	dfuse_bank_info bank;
	int i;

	memset(out, 0, sizeof(*out));
	if (layout != NULL) {
		i = dfuse_layout_find(layout, a);
		if (i < 0 ||
		    dfuse_layout_get_segment(&seg, layout, (size_t)i) < 0)
			return DFUSE_ENOTFOUND;
		out->base = seg.address;
		out->sector_size = seg.sector_size;
		out->end = (uint64_t)seg.address +
			   (uint64_t)seg.sector_size * seg.sector_count;
		out->readable = seg.readable;
		out->erasable = seg.erasable;
		out->type = seg.type;
		return 0;
	}
	if (p == NULL)
		p = dfuse_profile_default();
	if (dfuse_profile_locate(&loc, p, a) < 0 ||
	    dfuse_profile_get_bank(&bank, p, loc.bank - 1) < 0)
		return DFUSE_ENOTFOUND;
	out->base = bank.base;
	out->sector_size = bank.sector_size;
	out->end = (uint64_t)bank.base +
		   (uint64_t)bank.sector_size * bank.sector_count;
	out->readable = out->erasable = 1;
	return 0;
}

int dfuse__check_areas(const dfuse_layout *layout, const dfuse_profile *p,
		       uint32_t start, uint64_t end, int need_erase,
		       const char *what)
{
	const char *where = layout != NULL ? "the device's alt-0 layout"
					   : "the profile's flash banks";
	struct dfuse__area area;
	uint64_t a = start;

	if (end <= start || end > (uint64_t)UINT32_MAX + 1)
		return dfuse__error(DFUSE_ERANGE,
				    "%s: refused before any transfer: the "
				    "range 0x%08" PRIX32 "..0x%08" PRIX64
				    " is empty or runs past 4 GiB",
				    what, start, end);
	while (a < end) {
		if (dfuse__area_at(&area, layout, p, (uint32_t)a) < 0)
			return dfuse__error(
				DFUSE_ERANGE,
				"%s: refused before any transfer: 0x%08" PRIX64
				" (in 0x%08" PRIX32 "..0x%08" PRIX64
				") is not in %s",
				what, a, start, end, where);
		if (need_erase ? !area.erasable : !area.readable)
			return dfuse__error(
				DFUSE_ERANGE,
				"%s: refused before any transfer: 0x%08" PRIX64
				" lies in the segment 0x%08" PRIX32
				"..0x%08" PRIX64
				" of %s, type '%c', which is not %s",
				what, a, area.base, area.end, where,
				area.type ? area.type : '?',
				need_erase ? "erasable" : "readable");
		a = area.end;
	}
	return 0;
}

int dfuse__alt0_layout(dfuse_layout **out, const struct dfuse__usb_alt *alts,
		       size_t n)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < n; i++) {
		const char *s = alts[i].name;

		if (alts[i].alt != 0 || s == NULL || s[0] == '\0')
			continue;
		if (dfuse_layout_parse(out, s) < 0)
			return dfuse__error_prefix(
				"the device's alt 0 layout \"%s\": ", s);
		return 0;
	}
	return 0;
}

/* ======== The option bytes ======== */

/* The alternate setting whose layout starts at the option bytes, and the
 * block's size there (its first segment's bytes).  0 when none. */
static int find_ob_alt(uint8_t *alt, uint64_t *size, const char **name,
		       const struct dfuse__usb_alt *alts, size_t n)
{
	dfuse_layout_segment seg;
	dfuse_layout *l;
	size_t i;
	int found;

	for (i = 0; i < n; i++) {
		if (alts[i].name == NULL || alts[i].name[0] == '\0')
			continue;
		if (dfuse_layout_parse(&l, alts[i].name) < 0)
			continue;
		found = dfuse_layout_count_segments(l) > 0 &&
			dfuse_layout_get_segment(&seg, l, 0) == 0 &&
			seg.address == DFUSE_OPTION_BYTES_ADDRESS;
		dfuse_layout_free(l);
		if (found) {
			*alt = alts[i].alt;
			*size = (uint64_t)seg.sector_size * seg.sector_count;
			*name = alts[i].name;
			return 1;
		}
	}
	return 0;
}

static void set_why(char *why, size_t n, const char *prefix)
{
	snprintf(why, n, "%s%s", prefix, dfuse_error_last()->message);
}

/* A refusal with errVENDOR: read protection. */
static void protected_board(dfuse_board *out)
{
	out->state = DFUSE_BOARD_PROTECTED;
	out->ob.rdp_level = 1;
	snprintf(out->why, sizeof(out->why),
		 "the ROM refused to read the option bytes with errVENDOR: "
		 "read protection (RDP level 1) is active; the ROM refuses "
		 "every read, write and erase while it is, and the other "
		 "option bytes cannot be known");
}

/*
 * The longer read must be a register image, not padding: RM0399 Table 19
 * aliases OPTSR_CUR, BOOT7_CUR and BOOT4_CUR in the bank-2 register set,
 * 0x100 further on, so each alias the answer holds must equal its word at
 * the start.  A device that pads a short block (with 0x00, say) would
 * otherwise show every bank-2 sector as write-protected and refuse every
 * download there (INFERRED defence: no ROM is known to pad).
 */
static int aliases_agree(const uint8_t *b, size_t len)
{
	static const uint32_t word[] = {0x000, 0x024, 0x02C};
	size_t i;

	for (i = 0; i < sizeof(word) / sizeof(word[0]); i++)
		if (word[i] + 0x100 + 4 <= len &&
		    memcmp(b + word[i], b + word[i] + 0x100, 4) != 0)
			return 0;
	return 1;
}

/* The block itself, on the selected alternate setting. */
static void read_block(dfuse_board *out, const struct dfuse__dfu *d,
		       uint16_t size)
{
	uint8_t block[DFUSE_OPTION_BYTES_FULL_SIZE];
	uint8_t *buf;
	size_t got;
	int rc, more;

	buf = malloc(size > sizeof(block) ? size : sizeof(block));
	if (buf == NULL) {
		dfuse__oom();
		set_why(out->why, sizeof(out->why), "");
		out->state = DFUSE_BOARD_FAILED;
		return;
	}
	rc = dfuse__dfu_enter_idle(NULL, d);
	if (rc >= 0)
		rc = dfuse__dfu_upload_once(buf, d, DFUSE_OPTION_BYTES_ADDRESS,
					    size);
	if (rc == DFUSE_EPROTECTED) {
		protected_board(out);
		goto done;
	}
	if (rc < 0) {
		out->state = DFUSE_BOARD_FAILED;
		set_why(out->why, sizeof(out->why),
			"reading the option bytes: ");
		goto done;
	}
	if (rc != size) {
		out->state = DFUSE_BOARD_FAILED;
		snprintf(out->why, sizeof(out->why),
			 "reading the option bytes: the device answered %d "
			 "bytes at 0x%08X, its layout says %u",
			 rc, DFUSE_OPTION_BYTES_ADDRESS, (unsigned)size);
		goto done;
	}
	got = size;
	if (size < DFUSE_OPTION_BYTES_FULL_SIZE) {
		/* The longer read (STM32CubeProgrammer's); its first bytes
		 * must be the block again, else it is not trusted. */
		rc = dfuse__dfu_upload_once(block, d,
					    DFUSE_OPTION_BYTES_ADDRESS,
					    DFUSE_OPTION_BYTES_FULL_SIZE);
		more = rc > (int)size && memcmp(block, buf, size) == 0 &&
		       aliases_agree(block, (size_t)rc);
		if (more) {
			got = (size_t)rc & ~(size_t)3;
			memcpy(buf, block, got);
		} else if (rc < 0) {
			(void)dfuse__dfu_enter_idle(NULL, d);
		}
	}
	rc = dfuse_option_bytes_decode(&out->ob, buf, got);
	if (rc < 0) {
		out->state = DFUSE_BOARD_FAILED;
		set_why(out->why, sizeof(out->why),
			"decoding the option bytes: ");
		goto done;
	}
	out->state = DFUSE_BOARD_READ;
done:
	free(buf);
}

static void read_option_bytes(dfuse_board *out, const struct dfuse__dfu *d,
			      const struct dfuse__usb_alt *alts, size_t n)
{
	char esc[4 * 64 + 1];
	const char *name = "";
	uint64_t size = 0;
	uint8_t alt = 0;
	const char *bad = NULL;

	if (!find_ob_alt(&alt, &size, &name, alts, n)) {
		out->state = DFUSE_BOARD_NO_ALT;
		snprintf(out->why, sizeof(out->why),
			 "the device shows no alternate setting whose layout "
			 "starts at 0x%08X (the option bytes) among its %zu",
			 DFUSE_OPTION_BYTES_ADDRESS, n);
		return;
	}
	out->alt = alt;
	if (size % 4 != 0)
		bad = "not a whole number of 32-bit registers";
	else if (size < DFUSE_OPTION_BYTES_MIN_SIZE)
		bad = "too short to hold OPTSR_CUR through BOOT4_PRG";
	else if (size > d->transfer_size)
		bad = "longer than one transfer (wTransferSize)";
	if (bad != NULL) {
		dfuse__escape(esc, sizeof(esc), (const uint8_t *)name,
			      strlen(name));
		out->state = DFUSE_BOARD_FAILED;
		snprintf(out->why, sizeof(out->why),
			 "alternate setting %u (\"%.80s\") gives an "
			 "option-byte block of %" PRIu64 " bytes, %s; not read",
			 (unsigned)alt, esc, size, bad);
		return;
	}
	if (dfuse__dfu_select_alt(d, alt) < 0) {
		out->state = DFUSE_BOARD_FAILED;
		set_why(out->why, sizeof(out->why), "");
		return;
	}
	read_block(out, d, (uint16_t)size);
}

/* The ID byte, on alternate setting 0 (already selected). */
static void read_bootloader_id(dfuse_board *out, const struct dfuse__dfu *d)
{
	uint8_t id[2];
	int rc;

	if (out->state == DFUSE_BOARD_PROTECTED) {
		snprintf(out->bootloader_why, sizeof(out->bootloader_why),
			 "not read: read protection (RDP level 1) makes the "
			 "ROM refuse every read");
		return;
	}
	rc = dfuse__dfu_upload_once(id, d, DFUSE_BOOTLOADER_ID_ADDRESS,
				    sizeof(id));
	if (rc == (int)sizeof(id)) {
		out->bootloader_id = id[0];
		return;
	}
	if (rc >= 0)
		snprintf(out->bootloader_why, sizeof(out->bootloader_why),
			 "the ROM answered %d bytes of 2 at 0x%08X", rc,
			 DFUSE_BOOTLOADER_ID_ADDRESS);
	else
		set_why(out->bootloader_why, sizeof(out->bootloader_why), "");
}

int dfuse__read_board(dfuse_board *out, const struct dfuse__dfu *d,
		      const struct dfuse__usb_alt *alts, size_t n, int with_id)
{
	dfuse_board_init(out);
	read_option_bytes(out, d, alts, n);
	/* Back to the flash's alternate setting, whatever happened. */
	DFUSE__TRY(dfuse__dfu_select_alt(d, 0));
	if (!with_id)
		snprintf(out->bootloader_why, sizeof(out->bootloader_why),
			 "not read");
	else if (dfuse__dfu_enter_idle(NULL, d) == 0)
		read_bootloader_id(out, d);
	return dfuse__dfu_enter_idle(NULL, d);
}

/* ======== Upload ======== */

struct upload_progress {
	dfuse_usb_result *out;
	const dfuse_usb_options *opts;
};

/* One data block read (dfuse__dfu_read() calls it after each one). */
static void upload_block(void *payload, int phase, size_t done, size_t total)
{
	struct upload_progress *p = payload;

	(void)phase;
	p->out->transfers++;
	p->out->bytes_read = done;
	if (p->opts->progress != NULL)
		p->opts->progress(p->opts->payload, DFUSE_PHASE_READ, done,
				  total);
}

static int upload_cancel(void *payload)
{
	const struct upload_progress *p = payload;

	return p->opts->cancel != NULL && p->opts->cancel(p->opts->payload);
}

int dfuse__upload(dfuse_usb_result *out, uint8_t *buf,
		  const struct dfuse__dfu *d, const struct dfuse__usb_alt *alts,
		  size_t n, uint32_t address, size_t len,
		  const dfuse_usb_options *opts)
{
	static const dfuse_usb_options none = DFUSE_USB_OPTIONS_INIT;
	struct upload_progress p;
	struct dfuse__dfu s = *d;
	dfuse_layout *layout = NULL;
	int rc;

	if (opts == NULL)
		opts = &none;
	if (len == 0)
		return 0;
	DFUSE__TRY(dfuse__alt0_layout(&layout, alts, n));
	rc = dfuse__check_areas(layout, opts->profile, address,
				(uint64_t)address + len, 0, "upload");
	dfuse_layout_free(layout);
	DFUSE__TRY(rc);
	p.out = out;
	p.opts = opts;
	s.progress = upload_block;
	s.cancel = upload_cancel;
	s.payload = &p;
	rc = dfuse__dfu_enter_idle(NULL, &s);
	if (rc == 0)
		rc = dfuse__dfu_read(buf, &s, address, len);
	if (rc == DFUSE_EPROTECTED)
		out->read_protected = 1;
	if (rc < 0)
		return dfuse__error_prefix("upload: ");
	return 0;
}
