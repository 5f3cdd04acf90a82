/*
 * optbytes.c - the STM32H745/H755 option-byte block that the ROM DFU
 * bootloader shows on alternate setting 1, decoded into values and into
 * words that say what each value means for the board.
 *
 * dfusetool never writes option bytes, and this file offers no encoder:
 * a wrong RDP value (level 2 is permanent) or a wrong boot address can
 * leave a board that no longer reaches the ROM bootloader, and the ROM
 * version 0x90 silently ignores writes of the CM4 boot address (AN2606,
 * its known-limitations table for the STM32H74x/75x bootloader).
 *
 * The block is a raw image of the FLASH registers from OPTSR_CUR on
 * (FLASH_R_BASE 0x52002000 + 0x1C, CMSIS stm32h745xx.h FLASH_TypeDef),
 * 32-bit little-endian words.  ST's CubeProgrammer database addresses every
 * field of it by register address, which is why it is read as one.  Block
 * offset = register offset - 0x1C:
 *
 *     block  register  name            in 128  in 308
 *     0x000  0x01C     OPTSR_CUR       yes     yes   user options, RDP, flags
 *     0x004  0x020     OPTSR_PRG       yes     yes   the values to program
 *     0x008  0x024     OPTCCR          yes     yes   write-only
 *     0x00C  0x028     PRAR_CUR1       yes     yes   PCROP, bank at 0x08000000
 *     0x010  0x02C     PRAR_PRG1       yes     yes
 *     0x014  0x030     SCAR_CUR1       yes     yes   secure-only area
 *     0x018  0x034     SCAR_PRG1       yes     yes
 *     0x01C  0x038     WPSN_CUR1       yes     yes   nWRP, sectors 0-7
 *     0x020  0x03C     WPSN_PRG1       yes     yes
 *     0x024  0x040     BOOT7_CUR       yes     yes   CM7 ADD1 31:16, ADD0 15:0
 *     0x028  0x044     BOOT7_PRG       yes     yes
 *     0x02C  0x048     BOOT4_CUR       yes     yes   CM4 ADD1 31:16, ADD0 15:0
 *     0x030  0x04C     BOOT4_PRG       yes     yes   (the last word needed)
 *     0x034  0x050..   CRC and ECC registers of bank 1, then reserved space
 *     0x0FC  0x118     OPTCR alias     -       yes   SWAP_BANK in effect, bit
 * 31 0x100  0x11C     OPTSR_CUR alias -       yes   (and _PRG, OPTCCR after it)
 *     0x10C  0x128     PRAR_CUR2       -       yes   PCROP, bank at 0x08100000
 *     0x110  0x12C     PRAR_PRG2       -       yes
 *     0x114  0x130     SCAR_CUR2       -       yes
 *     0x118  0x134     SCAR_PRG2       -       yes
 *     0x11C  0x138     WPSN_CUR2       -       yes
 *     0x120  0x13C     WPSN_PRG2       -       yes
 *     0x124  0x140     BOOT7/BOOT4 CUR/PRG aliases, up to 0x130
 *
 * The aliases at register offset + 0x100 are RM0399's (Table 19: the
 * registers of neither bank answer at both addresses); CMSIS calls those
 * slots RESERVED.  Bit fields are the CMSIS FLASH_OPTSR_*, FLASH_PRAR_*,
 * FLASH_SCAR_*, FLASH_WPSN_*, FLASH_BOOT7_* and FLASH_BOOT4_* defines (not
 * ST's SVD, which has the single-core layout for this block); meanings are
 * RM0399 §4.9.7-4.9.20 and the factory values RM0399 Table 20.
 *
 * Decisions where the sources leave a gap:
 *  - Length.  The H745 ROM descriptor says 128; CubeProgrammer reads 308
 *    over SWD and over DFU; AN3156 only says "the option byte block size".
 *    Which one the ROM enforces is not documented, so any length that is
 *    a multiple of 4 is decoded as far as it goes, and a word not in the
 *    block is "unknown" (never "unprotected").  The minimum is 52 bytes,
 *    the end of BOOT4_PRG (register offset 0x50, so 0x50 - 0x1C = 0x34
 *    bytes of block): both boot words and every bank-1 option word.
 *    Sister ROMs show other sizes (88 on an H723, 297 on an H7A3), so a
 *    length that is not a multiple of 4 is refused rather than guessed.
 *  - Bank windows.  With SWAP_BANK the "1" registers (PRAR/SCAR/WPSN)
 *    follow the bank mapped at 0x08000000 (RM0399 Table 19), so each is
 *    labelled by its address window and "(physical bank N)" is added when
 *    the banks are swapped.  The swap in effect is OPTCR.SWAP_BANK when
 *    the block holds it, else SWAP_BANK_OPT (in a session entered by a
 *    reset the two agree: INFERRED).
 *  - Sectors.  Eight 128 KiB sectors per bank, as on the 2 MB parts; on
 *    a 1 MB part (4 sectors per bank, INFERRED from the sizes) nWRP bits
 *    4-7 name sectors that do not exist.
 *  - PCROP and secure areas.  END < START is no area (the factory value,
 *    START 0x0FF, END 0).  START == END is a conflict in RM0399: its
 *    register text says the whole bank, its size formula one 256-byte
 *    block (and its minimum area is 512 bytes); both readings are given
 *    and the area is flagged ambiguous.  That a PCROP area cannot be read
 *    back and blocks the erase of its sectors follows from RM0399's
 *    execute-only wording (INFERRED for the ROM's behaviour).  A secure
 *    area belongs to secure access mode, which SECURITY=1 turns on
 *    (INFERRED that it is not enforced with SECURITY=0), so it is a
 *    warning with SECURITY=1 and a note otherwise.
 *  - Reserved bits (OPTSR 28:26, 16, 1; PRAR/SCAR 30:28 and 15:12; WPSN
 *    31:8) are kept in words[] and the RESERVED field, and masked from
 *    every decision, the factory comparison and the CUR/PRG comparison.
 *    OPTSR bits 28:26 read 101 in RM0399 Table 20 but 110 and 010 on real
 *    chips: what they encode is not documented (ST's SVD guesses RSS1,
 *    RSS2, PERSO_OK), so they are never a deviation.
 *  - Boot addresses are field << 16 (ST's HAL does the same).  The regions
 *    judged are the H745's memory map: flash, the CM7-only ITCM, DTCM and
 *    system memory (0x1FF00000 is the ROM bootloader, AN2606 pattern 10),
 *    the CM4's D2 SRAM alias at 0x10000000 (its factory BOOT0-high
 *    address), other RAM.  RAM holds no program after power-up, so a
 *    reset vector there is a warning; above 0x3FFF0000 is not a boot
 *    address at all (ST's HAL refuses it, IS_BOOT_ADDRESS).  What the
 *    chip does with such a value is not documented in the sources read.
 *  - RDP 0xCC is decoded (level 2), though a DFU read can never show it:
 *    at level 2 the chip no longer boots the ROM bootloader (RM0399
 *    Table 23).  Any byte but 0xAA and 0xCC is level 1, as in ST's HAL.
 *
 * The decoder reads only the words that lie wholly inside `len`, one
 * little-endian load at a time; it allocates nothing.
 */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

/* Block offsets of the words decoded. */
enum {
	OFF_OPTSR_CUR = 0x000,
	OFF_OPTSR_PRG = 0x004,
	OFF_PRAR_CUR1 = 0x00C,
	OFF_PRAR_PRG1 = 0x010,
	OFF_SCAR_CUR1 = 0x014,
	OFF_SCAR_PRG1 = 0x018,
	OFF_WPSN_CUR1 = 0x01C,
	OFF_WPSN_PRG1 = 0x020,
	OFF_BOOT7_CUR = 0x024,
	OFF_BOOT7_PRG = 0x028,
	OFF_BOOT4_CUR = 0x02C,
	OFF_BOOT4_PRG = 0x030,
	OFF_OPTCR_ALIAS = 0x0FC,
	OFF_BANK2 = 0x100, /* bank-2 word = bank-1 word + 0x100 */
	OFF_END = 0x134
};

/* OPTSR (CMSIS FLASH_OPTSR_*). */
#define OPTSR_SWAP_BANK_OPT (1u << 31)
#define OPTSR_OPTCHANGEERR (1u << 30) /* CUR only */
#define OPTSR_IO_HSLV (1u << 29)
#define OPTSR_RESERVED 0x1C010002u /* 28:26, 16, 1 */
#define OPTSR_NRST_STBY_D2 (1u << 25)
#define OPTSR_NRST_STOP_D2 (1u << 24)
#define OPTSR_BCM7 (1u << 23)
#define OPTSR_BCM4 (1u << 22)
#define OPTSR_SECURITY (1u << 21)
#define OPTSR_ST_RAM_SIZE_POS 19
#define OPTSR_FZ_IWDG_SDBY (1u << 18)
#define OPTSR_FZ_IWDG_STOP (1u << 17)
#define OPTSR_RDP_POS 8
#define OPTSR_NRST_STBY_D1 (1u << 7)
#define OPTSR_NRST_STOP_D1 (1u << 6)
#define OPTSR_IWDG2_SW (1u << 5)
#define OPTSR_IWDG1_SW (1u << 4)
#define OPTSR_BOR_LEV_POS 2
#define OPTSR_OPT_BUSY (1u << 0) /* CUR only */
/* PRAR / SCAR (FLASH_PRAR_*, FLASH_SCAR_*). */
#define AREA_DME (1u << 31)	  /* DMEP / DMES */
#define AREA_RESERVED 0x7000F000u /* 30:28, 15:12 */
#define AREA_END_POS 16
#define AREA_FIELD 0xFFFu
/* WPSN (FLASH_WPSN_WRPSN). */
#define WPSN_NWRP 0xFFu
#define WPSN_RESERVED 0xFFFFFF00u

/* RM0399 Table 20 (reserved bits masked: see the top comment). */
#define FACTORY_OPTSR 0x03C6AAF0u
#define FACTORY_BOOT7 0x1FF00800u
#define FACTORY_BOOT4 0x10000810u
#define FACTORY_AREA 0x000000FFu
#define FACTORY_NWRP 0xFFu

#define BANK1 0x08000000u
#define BANK2 0x08100000u
#define BANK_SIZE 0x100000u
#define SECTOR_SIZE 0x20000u
#define ROM_BOOT 0x1FF00000u

/* The register at each block offset, for messages. */
static const char *word_name(size_t off)
{
	static const char *const low[] = {
		"OPTSR_CUR", "OPTSR_PRG", "OPTCCR",    "PRAR_CUR1", "PRAR_PRG1",
		"SCAR_CUR1", "SCAR_PRG1", "WPSN_CUR1", "WPSN_PRG1", "BOOT7_CUR",
		"BOOT7_PRG", "BOOT4_CUR", "BOOT4_PRG", "CRCCR1",    "CRCSADD1",
		"CRCEADD1",  "CRCDATA",	  "ECC_FA1",
	};
	static const char *const high[] = {
		"ACR alias",
		"KEYR2",
		"OPTKEYR alias",
		"CR2",
		"SR2",
		"CCR2",
		"OPTCR alias",
		"OPTSR_CUR alias",
		"OPTSR_PRG alias",
		"OPTCCR alias",
		"PRAR_CUR2",
		"PRAR_PRG2",
		"SCAR_CUR2",
		"SCAR_PRG2",
		"WPSN_CUR2",
		"WPSN_PRG2",
		"BOOT7_CUR alias",
		"BOOT7_PRG alias",
		"BOOT4_CUR alias",
		"BOOT4_PRG alias",
	};
	const size_t w = off / 4;

	if (w < sizeof(low) / sizeof(low[0]))
		return low[w];
	if (off < 0x0E4)
		return "a reserved register";
	if (off < OFF_END)
		return high[(off - 0x0E4) / 4];
	return "past the option registers";
}

/* ======== Building the field list ======== */

static int have(const dfuse_option_bytes *ob, size_t off)
{
	return off + 4 <= ob->decoded;
}

static uint32_t word(const dfuse_option_bytes *ob, size_t off)
{
	return have(ob, off) ? ob->words[off / 4] : 0;
}

static dfuse_option_field *add(dfuse_option_bytes *ob, const char *name,
			       size_t off, uint32_t raw, int severity,
			       unsigned int affects, const char *fmt, ...)
	DFUSE__PRINTF(7, 8);

/* Appends a field (its word present), or returns NULL when the list is
 * full, which the fixed set of fields below never makes it. */
static dfuse_option_field *add(dfuse_option_bytes *ob, const char *name,
			       size_t off, uint32_t raw, int severity,
			       unsigned int affects, const char *fmt, ...)
{
	dfuse_option_field *f;
	va_list ap;

	if (ob->field_count >= DFUSE_OPTION_BYTES_MAX_FIELDS)
		return NULL;
	f = &ob->fields[ob->field_count++];
	f->name = name;
	f->raw = raw;
	f->severity = severity;
	f->affects = affects;
	f->known = 1;
	f->offset = (uint32_t)off;
	f->sector = -1;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	return f;
}

static void set_range(dfuse_option_field *f, uint32_t address, uint64_t end)
{
	if (f == NULL)
		return;
	f->has_range = 1;
	f->address = address;
	f->end = end;
}

/* A field whose word is not in the block. */
static void add_unknown(dfuse_option_bytes *ob, const char *name, size_t off,
			int severity, unsigned int affects, const char *what)
{
	dfuse_option_field *f = add(
		ob, name, off, 0, severity, affects,
		"%s unknown: %s (block offset 0x%03zX) is not in a block of "
		"%zu bytes; a read of %u bytes holds it",
		what, word_name(off), off, ob->length,
		DFUSE_OPTION_BYTES_FULL_SIZE);

	if (f != NULL)
		f->known = 0;
}

/*
 * A bounded list of names: an item goes in whole or not at all, and `cap`
 * (at most the buffer) leaves room for the sentence around it, so that
 * no field's text is ever cut short.
 */
struct list {
	char buf[DFUSE_OPTION_TEXT_MAX];
	size_t len, cap;
	unsigned int n, cut;
};

static void list_init(struct list *l, size_t cap)
{
	memset(l, 0, sizeof(*l));
	l->cap = cap < sizeof(l->buf) ? cap : sizeof(l->buf);
}

static void list_add(struct list *l, const char *item)
{
	const size_t need = strlen(item) + (l->n > 0 ? 2 : 0);

	if (l->cut > 0 || l->len + need + 1 > l->cap) {
		l->cut++;
		return;
	}
	snprintf(l->buf + l->len, sizeof(l->buf) - l->len, "%s%s",
		 l->n > 0 ? ", " : "", item);
	l->len += need;
	l->n++;
}

/* ", and 3 more" when items did not fit. */
static const char *list_more(const struct list *l, char *tmp, size_t cap)
{
	if (l->cut == 0)
		return "";
	snprintf(tmp, cap, ", and %u more", l->cut);
	return tmp;
}

/* ======== Bank windows ======== */

static uint32_t window_base(int w)
{
	return w == 0 ? BANK1 : BANK2;
}

/* " (physical bank 2)" for a window when the banks are swapped. */
static const char *physical(const dfuse_option_bytes *ob, int w)
{
	const int swapped =
		ob->swap_bank >= 0 ? ob->swap_bank : ob->swap_bank_opt;

	if (!swapped)
		return "";
	return w == 0 ? " (physical bank 2)" : " (physical bank 1)";
}

/* ", physical bank 2" inside a parenthesis, for the same reason. */
static const char *swapped_note(const dfuse_option_bytes *ob, int w)
{
	const char *p = physical(ob, w);

	return p[0] == '\0' ? ""
	       : w == 0	    ? ", physical bank 2"
			    : ", physical bank 1";
}

/* ======== Boot addresses ======== */

enum region {
	R_FLASH,
	R_ITCM,
	R_ROM,	  /* 0x1FF00000: the ROM bootloader */
	R_SYSMEM, /* the rest of system memory */
	R_DTCM,
	R_D2ALIAS, /* D2 SRAM seen at 0x10000000 (the CM4's default RAM) */
	R_RAM,	   /* AXI SRAM, SRAM1-3, SRAM4, backup SRAM */
	R_NONE,
	R_INVALID /* above 0x3FFF0000 */
};

static enum region classify(uint32_t a)
{
	if (a > 0x3FFF0000u)
		return R_INVALID;
	if (a < 0x00010000u)
		return R_ITCM;
	if (a >= BANK1 && a < BANK2 + BANK_SIZE)
		return R_FLASH;
	if (a == ROM_BOOT)
		return R_ROM;
	if (a > ROM_BOOT && a < 0x1FF20000u)
		return R_SYSMEM;
	if (a >= 0x20000000u && a < 0x20020000u)
		return R_DTCM;
	if (a >= 0x10000000u && a < 0x10048000u)
		return R_D2ALIAS;
	if ((a >= 0x24000000u && a < 0x24080000u) ||
	    (a >= 0x30000000u && a < 0x30048000u) ||
	    (a >= 0x38000000u && a < 0x38010000u) ||
	    (a >= 0x38800000u && a < 0x38801000u))
		return R_RAM;
	return R_NONE;
}

static const char *region_words(enum region r, uint32_t a)
{
	switch (r) {
	case R_FLASH:
		return a < BANK2 ? "flash, the bank at 0x08000000"
				 : "flash, the bank at 0x08100000";
	case R_ITCM:
		return "ITCM RAM";
	case R_ROM:
		return "system memory, the ROM bootloader";
	case R_SYSMEM:
		return "system memory, not the bootloader's start";
	case R_DTCM:
		return "DTCM RAM";
	case R_D2ALIAS:
		return "D2 SRAM";
	case R_RAM:
		return "RAM";
	case R_NONE:
		return "no memory there";
	case R_INVALID:
		return "above 0x3FFF0000, not a valid boot address";
	}
	return "?";
}

/*
 * One boot-address field.  core7: the CM7 (else the CM4); high: the
 * BOOT0-high address (ADD1).  The ROM runs on the CM7 only, and the CM4
 * cannot reach ITCM, DTCM or system memory.
 */
static void boot_field(dfuse_option_bytes *ob, const char *name, size_t off,
		       int core7, int high, uint32_t addr, uint32_t factory)
{
	const char *core = core7 ? "CM7" : "CM4";
	const char *pin = high ? "high" : "low";
	const enum region r = classify(addr);
	const char *where = region_words(r, addr);
	const uint32_t raw = addr >> 16;
	const unsigned int B = DFUSE_OPTION_AFFECTS_BOOT;
	char pre[96] = "";
	char flash[80];
	const char *then = "";
	int sev = DFUSE_SEV_WARNING;

	if (core7 && high) {
		if (addr == ROM_BOOT) {
			add(ob, name, off, raw, DFUSE_OPTION_PLAIN, B,
			    "BOOT0 high starts the ROM bootloader on the CM7 "
			    "only (0x%08X)",
			    (unsigned)addr);
			return;
		}
		snprintf(pre, sizeof(pre),
			 "BOOT_CM7_ADD1 is not 0x%08X: BOOT0 no longer reaches "
			 "the ROM bootloader; ",
			 (unsigned)ROM_BOOT);
	}
	if (addr == factory && pre[0] == '\0') {
		sev = DFUSE_OPTION_PLAIN;
		if (!core7 && high)
			then = ": the factory value; the CM4 has no ROM "
			       "bootloader";
	} else if (r == R_FLASH) {
		sev = pre[0] != '\0' ? DFUSE_SEV_WARNING : DFUSE_SEV_NOTE;
		snprintf(flash, sizeof(flash), ", not the factory 0x%08X%s%s%s",
			 (unsigned)factory, high ? "" : ": the ",
			 high ? "" : core,
			 high ? "" : "'s image must start there");
		then = flash;
	} else if (r == R_INVALID || r == R_NONE) {
		then = ": nothing can run there";
	} else if (core7 && r == R_ROM) {
		then = ": the CM7 never runs an application from flash";
	} else if (core7 && r == R_ITCM) {
		sev = DFUSE_SEV_NOTE;
		then = ": ITCM holds no program after power-up";
	} else if (core7) {
		then = ": outside the flash, ITCM and system memory, so "
		       "nothing runs there after power-up";
	} else if (r == R_ITCM || r == R_DTCM || r == R_ROM || r == R_SYSMEM) {
		then = ": the CM4 cannot reach it";
	} else if (high) { /* the CM4 in RAM with BOOT0 high, as from
			      the factory */
		sev = DFUSE_SEV_NOTE;
		then = ": RAM holds no program after power-up";
	} else {
		then = ": outside the flash, so nothing runs there after "
		       "power-up";
	}
	add(ob, name, off, raw, sev, B,
	    "%sBOOT0 %s starts the %s from 0x%08X "
	    "(%s)%s",
	    pre, pin, core, (unsigned)addr, where, then);
}

/* ======== Protections ======== */

static void wrp_fields(dfuse_option_bytes *ob, int w)
{
	const char *name = w == 0 ? "nWRP1" : "nWRP2";
	const size_t off = OFF_WPSN_CUR1 + (w ? OFF_BANK2 : 0);
	const uint32_t base = window_base(w);
	uint8_t nwrp;
	unsigned int s;

	if (!have(ob, off)) {
		add_unknown(
			ob, name, off, DFUSE_SEV_NOTE,
			DFUSE_OPTION_AFFECTS_WRITE,
			w == 0 ? "write protection of the bank at 0x08000000"
			       : "write protection of the bank at "
				 "0x08100000");
		return;
	}
	nwrp = (uint8_t)(word(ob, off) & WPSN_NWRP);
	ob->wrp_known[w] = 1;
	ob->wrp_sectors[w] = (uint8_t)~nwrp;
	if (nwrp == 0xFF) {
		add(ob, name, off, nwrp, DFUSE_OPTION_PLAIN, 0,
		    "no sector of the bank at 0x%08X%s is write-protected "
		    "(%s=0xFF)",
		    (unsigned)base, physical(ob, w), name);
		return;
	}
	for (s = 0; s < 8; s++) {
		const uint32_t a = base + s * SECTOR_SIZE;
		dfuse_option_field *f;

		if (nwrp & (1u << s))
			continue;
		f = add(ob, name, off, nwrp, DFUSE_SEV_WARNING,
			DFUSE_OPTION_AFFECTS_WRITE,
			"sector %u of the bank at 0x%08X (0x%08X-0x%08X%s) is "
			"write-protected: an erase of it fails",
			s, (unsigned)base, (unsigned)a,
			(unsigned)(a + SECTOR_SIZE - 1), swapped_note(ob, w));
		if (f != NULL)
			f->sector = (int)s;
		set_range(f, a, (uint64_t)a + SECTOR_SIZE);
	}
}

/* A PCROP (pcrop 1) or secure-only (0) area of window w. */
static void area_field(dfuse_option_bytes *ob, int pcrop, int w)
{
	static const char *const names[2][2] = {
		{"SEC_AREA1", "SEC_AREA2"},
		{"PROT_AREA1", "PROT_AREA2"},
	};
	const char *name = names[pcrop][w];
	const char *what = pcrop ? "PCROP area" : "secure-only area";
	const char *dme = pcrop ? "DMEP" : "DMES";
	const size_t off =
		(pcrop ? OFF_PRAR_CUR1 : OFF_SCAR_CUR1) + (w ? OFF_BANK2 : 0);
	dfuse_option_area *a = pcrop ? &ob->pcrop[w] : &ob->secure[w];
	const uint32_t base = window_base(w);
	const unsigned int aff =
		DFUSE_OPTION_AFFECTS_READ | DFUSE_OPTION_AFFECTS_WRITE;
	/* PCROP is always enforced; a secure area only with SECURITY=1. */
	const int sev =
		pcrop || ob->security ? DFUSE_SEV_WARNING : DFUSE_SEV_NOTE;
	const char *effect =
		pcrop ? "execute-only: it cannot be read back, and an erase of "
			"a sector holding it fails"
		: ob->security ? "only secure code reaches it"
			       : "enforced only with SECURITY=1 (now 0)";
	dfuse_option_field *f;
	uint32_t v;
	char label[48];

	a->bank = base;
	snprintf(label, sizeof(label), "the bank at 0x%08X%s", (unsigned)base,
		 physical(ob, w));
	if (!have(ob, off)) {
		char tmp[80];

		snprintf(tmp, sizeof(tmp), "%s of %s", what, label);
		add_unknown(ob, name, off, DFUSE_SEV_NOTE, aff, tmp);
		return;
	}
	v = word(ob, off) & ~AREA_RESERVED;
	a->known = 1;
	a->start = v & AREA_FIELD;
	a->last = (v >> AREA_END_POS) & AREA_FIELD;
	a->erase_on_regression = (v & AREA_DME) != 0;
	if (a->last < a->start) {
		add(ob, name, off, v, DFUSE_OPTION_PLAIN, 0,
		    "no %s in %s (START 0x%03X > END 0x%03X)", what, label,
		    (unsigned)a->start, (unsigned)a->last);
		return;
	}
	a->active = 1;
	a->address = base + a->start * 256u;
	a->end = (uint64_t)base + ((uint64_t)a->last + 1) * 256u;
	if (a->last == a->start) {
		a->ambiguous = 1;
		f = add(ob, name, off, v, DFUSE_SEV_WARNING, aff,
			"%s of %s: START == END (0x%03X): RM0399's register "
			"text reads this as the whole bank (0x%08X-0x%08X), "
			"its size formula as 0x%08X-0x%08X; take the whole "
			"bank as protected",
			what, label, (unsigned)a->start, (unsigned)base,
			(unsigned)(base + BANK_SIZE - 1), (unsigned)a->address,
			(unsigned)(a->end - 1));
		set_range(f, base, (uint64_t)base + BANK_SIZE);
		return;
	}
	f = add(ob, name, off, v, sev, aff,
		"%s 0x%08X-0x%08X in %s: %s; %s=%d: %s on an RDP level 1 to 0 "
		"regression",
		what, (unsigned)a->address, (unsigned)(a->end - 1), label,
		effect, dme, a->erase_on_regression,
		a->erase_on_regression ? "erased" : "kept");
	set_range(f, a->address, a->end);
}

/* ======== OPTSR fields ======== */

static int bit(uint32_t v, uint32_t mask)
{
	return (v & mask) != 0;
}

static void rdp_field(dfuse_option_bytes *ob)
{
	const unsigned int rw =
		DFUSE_OPTION_AFFECTS_READ | DFUSE_OPTION_AFFECTS_WRITE;
	const unsigned int v = ob->rdp;

	if (v == 0xAA) {
		ob->rdp_level = 0;
		add(ob, "RDP", OFF_OPTSR_CUR, v, DFUSE_OPTION_PLAIN, 0,
		    "RDP level 0 (0xAA): no read protection");
	} else if (v == 0xCC) {
		ob->rdp_level = 2;
		add(ob, "RDP", OFF_OPTSR_CUR, v, DFUSE_SEV_WARNING,
		    rw | DFUSE_OPTION_AFFECTS_BOOT,
		    "RDP level 2 (0xCC): permanent; the chip no longer boots "
		    "the ROM bootloader and its option bytes can never "
		    "change again");
	} else {
		ob->rdp_level = 1;
		add(ob, "RDP", OFF_OPTSR_CUR, v, DFUSE_SEV_WARNING, rw,
		    "RDP level 1 (0x%02X): flash and option bytes cannot be "
		    "read through the ROM, nor the flash erased or written; "
		    "removing it (level 0) mass-erases the chip",
		    v);
	}
}

static void core_fields(dfuse_option_bytes *ob)
{
	const unsigned int B = DFUSE_OPTION_AFFECTS_BOOT;

	if (ob->bcm7)
		add(ob, "BCM7", OFF_OPTSR_CUR, 1, DFUSE_OPTION_PLAIN, B,
		    "CM7 boot enabled (BCM7=1): the CM7 starts at reset");
	else if (ob->bcm4)
		add(ob, "BCM7", OFF_OPTSR_CUR, 0, DFUSE_SEV_WARNING, B,
		    "CM7 boot disabled (BCM7=0): the CM7 waits until the CM4 "
		    "releases it, and BOOT0 cannot reach the ROM bootloader, "
		    "which runs on the CM7 only");
	else
		add(ob, "BCM7", OFF_OPTSR_CUR, 0, DFUSE_SEV_NOTE, B,
		    "CM7 boot bit cleared (BCM7=0), but with BCM4=0 too the "
		    "CM7 boots anyway (RM0399's boot table)");
	if (ob->bcm4)
		add(ob, "BCM4", OFF_OPTSR_CUR, 1, DFUSE_OPTION_PLAIN, B,
		    "CM4 boot enabled (BCM4=1): the CM4 starts at reset");
	else
		add(ob, "BCM4", OFF_OPTSR_CUR, 0, DFUSE_SEV_WARNING, B,
		    "CM4 boot disabled (BCM4=0): the CM4 waits until the CM7 "
		    "releases it");
}

static void swap_fields(dfuse_option_bytes *ob)
{
	const unsigned int BW =
		DFUSE_OPTION_AFFECTS_BOOT | DFUSE_OPTION_AFFECTS_WRITE;

	if (!ob->swap_bank_opt)
		add(ob, "SWAP_BANK_OPT", OFF_OPTSR_CUR, 0, DFUSE_OPTION_PLAIN,
		    0,
		    "banks not swapped (SWAP_BANK_OPT=0): 0x08000000 is bank "
		    "1, 0x08100000 bank 2");
	else if (ob->bcm4)
		add(ob, "SWAP_BANK_OPT", OFF_OPTSR_CUR, 1, DFUSE_SEV_WARNING,
		    BW,
		    "banks swapped (SWAP_BANK_OPT=1) with the CM4 booting: "
		    "0x08000000 is physical bank 2 and 0x08100000 physical "
		    "bank 1, so BOOT_CM4_ADD0 0x%08X %s",
		    (unsigned)ob->boot_cm4_add0,
		    classify(ob->boot_cm4_add0) != R_FLASH
			    ? "is not in flash either"
		    : ob->boot_cm4_add0 >= BANK2
			    ? "points at physical bank 1, where the CM7's "
			      "image was"
			    : "points at physical bank 2, where the CM4's "
			      "image was");
	else
		add(ob, "SWAP_BANK_OPT", OFF_OPTSR_CUR, 1, DFUSE_SEV_NOTE, BW,
		    "banks swapped (SWAP_BANK_OPT=1): 0x08000000 is physical "
		    "bank 2 and 0x08100000 physical bank 1; writes go by "
		    "address");
	if (ob->swap_bank < 0)
		add_unknown(ob, "SWAP_BANK", OFF_OPTCR_ALIAS,
			    DFUSE_OPTION_PLAIN, 0, "bank swap in effect");
	else if (ob->swap_bank == ob->swap_bank_opt)
		add(ob, "SWAP_BANK", OFF_OPTCR_ALIAS, (uint32_t)ob->swap_bank,
		    DFUSE_OPTION_PLAIN, 0,
		    "bank swap in effect (OPTCR SWAP_BANK=%d) as SWAP_BANK_OPT "
		    "says",
		    ob->swap_bank);
	else
		add(ob, "SWAP_BANK", OFF_OPTCR_ALIAS, (uint32_t)ob->swap_bank,
		    DFUSE_SEV_NOTE, BW,
		    "bank swap in effect (OPTCR SWAP_BANK=%d) differs from "
		    "SWAP_BANK_OPT=%d: pending after reset; until then "
		    "0x08000000 is physical bank %d",
		    ob->swap_bank, ob->swap_bank_opt, ob->swap_bank ? 2 : 1);
}

static void user_fields(dfuse_option_bytes *ob, uint32_t optsr)
{
	static const char *const bor_volts[4] = {"1.6", "2.1", "2.4", "2.7"};
	const unsigned int B = DFUSE_OPTION_AFFECTS_BOOT;
	const int P = DFUSE_OPTION_PLAIN;
	const size_t o = OFF_OPTSR_CUR;

	if (ob->iwdg1_sw)
		add(ob, "IWDG1_SW", o, 1, P, 0,
		    "IWDG1 (the CM7's watchdog): software-started");
	else
		add(ob, "IWDG1_SW", o, 0, DFUSE_SEV_NOTE, B,
		    "IWDG1 (the CM7's watchdog): hardware mode: it runs from "
		    "power-up and resets the chip unless refreshed");
	if (ob->iwdg2_sw)
		add(ob, "IWDG2_SW", o, 1, P, 0,
		    "IWDG2 (the CM4's watchdog): software-started");
	else
		add(ob, "IWDG2_SW", o, 0, DFUSE_SEV_NOTE, B,
		    "IWDG2 (the CM4's watchdog): hardware mode: it runs from "
		    "power-up and resets the chip unless refreshed");
	add(ob, "FZ_IWDG_STOP", o, (uint32_t)ob->fz_iwdg_stop, P, 0,
	    ob->fz_iwdg_stop ? "IWDG1/IWDG2 keep counting in Stop mode"
			     : "IWDG1/IWDG2 are frozen in Stop mode");
	add(ob, "FZ_IWDG_SDBY", o, (uint32_t)ob->fz_iwdg_sdby, P, 0,
	    ob->fz_iwdg_sdby ? "IWDG1/IWDG2 keep counting in Standby mode"
			     : "IWDG1/IWDG2 are frozen in Standby mode");
	/* Active low: 1 = no reset. */
	add(ob, "NRST_STOP_D1", o, (uint32_t)ob->nrst_stop_d1, P, 0,
	    ob->nrst_stop_d1 ? "no reset when D1 (the CM7's domain) enters "
			       "Stop"
			     : "D1 (the CM7's domain) entering Stop resets the "
			       "chip");
	add(ob, "NRST_STBY_D1", o, (uint32_t)ob->nrst_stby_d1, P, 0,
	    ob->nrst_stby_d1 ? "no reset when D1 (the CM7's domain) enters "
			       "Standby"
			     : "D1 (the CM7's domain) entering Standby resets "
			       "the chip");
	add(ob, "NRST_STOP_D2", o, (uint32_t)ob->nrst_stop_d2, P, 0,
	    ob->nrst_stop_d2 ? "no reset when D2 (the CM4's domain) enters "
			       "Stop"
			     : "D2 (the CM4's domain) entering Stop resets the "
			       "chip");
	add(ob, "NRST_STBY_D2", o, (uint32_t)ob->nrst_stby_d2, P, 0,
	    ob->nrst_stby_d2 ? "no reset when D2 (the CM4's domain) enters "
			       "Standby"
			     : "D2 (the CM4's domain) entering Standby resets "
			       "the chip");
	add(ob, "BOR_LEV", o, ob->bor_level, P, 0,
	    "brown-out reset level %u (VBOR%u, about %s V in ST's HAL; the "
	    "datasheet has the thresholds)",
	    ob->bor_level, ob->bor_level, bor_volts[ob->bor_level & 3]);
	if (ob->io_hslv)
		add(ob, "IO_HSLV", o, 1, DFUSE_SEV_NOTE, 0,
		    "I/O high speed at low voltage on (IO_HSLV=1): only for a "
		    "VDD below 2.7 V (RM0399; ST's programmer says 2.5 V)");
	else
		add(ob, "IO_HSLV", o, 0, P, 0,
		    "I/O high speed at low voltage off (IO_HSLV=0)");
	if (ob->security)
		add(ob, "SECURITY", o, 1, DFUSE_SEV_NOTE,
		    B | DFUSE_OPTION_AFFECTS_READ,
		    "secure access mode on (SECURITY=1): ST's secure code runs "
		    "first at reset and the secure-only areas are enforced");
	else
		add(ob, "SECURITY", o, 0, P, 0,
		    "secure access mode off (SECURITY=0)");
	add(ob, "ST_RAM_SIZE", o, (optsr >> OPTSR_ST_RAM_SIZE_POS) & 3u, P, 0,
	    "%u KiB of DTCM reserved for ST's secure code (used only with "
	    "SECURITY=1)",
	    ob->st_ram_kib);
	if (ob->opt_busy)
		add(ob, "OPT_BUSY", o, 1, DFUSE_SEV_NOTE, 0,
		    "an option change was running while the block was read "
		    "(OPT_BUSY=1): the values may be half-applied; read again");
	else
		add(ob, "OPT_BUSY", o, 0, P, 0,
		    "no option change running (OPT_BUSY=0)");
	if (ob->optchangeerr)
		add(ob, "OPTCHANGEERR", o, 1, DFUSE_SEV_NOTE, 0,
		    "the last option change failed (OPTCHANGEERR=1): its _PRG "
		    "values were not applied");
	else
		add(ob, "OPTCHANGEERR", o, 0, P, 0,
		    "no failed option change (OPTCHANGEERR=0)");
}

/* ======== Comparisons ======== */

/* Each _CUR word, its _PRG word 4 bytes on, and the bits that hold
 * options (no flag, no reserved bit). */
static const struct {
	size_t cur;
	uint32_t mask;
} pairs[] = {
	{OFF_OPTSR_CUR,
	 ~(OPTSR_RESERVED | OPTSR_OPTCHANGEERR | OPTSR_OPT_BUSY)},
	{OFF_PRAR_CUR1, ~AREA_RESERVED},
	{OFF_SCAR_CUR1, ~AREA_RESERVED},
	{OFF_WPSN_CUR1, WPSN_NWRP},
	{OFF_BOOT7_CUR, 0xFFFFFFFFu},
	{OFF_BOOT4_CUR, 0xFFFFFFFFu},
	{OFF_PRAR_CUR1 + OFF_BANK2, ~AREA_RESERVED},
	{OFF_SCAR_CUR1 + OFF_BANK2, ~AREA_RESERVED},
	{OFF_WPSN_CUR1 + OFF_BANK2, WPSN_NWRP},
};

static void staged_field(dfuse_option_bytes *ob)
{
	struct list l;
	char more[32];
	uint32_t which = 0;
	size_t i;

	list_init(&l, 140);
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const size_t c = pairs[i].cur, p = c + 4;

		if (!have(ob, p))
			continue;
		if (((word(ob, c) ^ word(ob, p)) & pairs[i].mask) == 0)
			continue;
		which |= 1u << i;
		list_add(&l, word_name(p));
	}
	ob->staged = which != 0;
	if (!ob->staged)
		add(ob, "STAGED", OFF_OPTSR_PRG, 0, DFUSE_OPTION_PLAIN, 0,
		    "no unapplied option change: each _PRG word equals its "
		    "_CUR word");
	else
		add(ob, "STAGED", OFF_OPTSR_PRG, which, DFUSE_SEV_NOTE,
		    DFUSE_OPTION_AFFECTS_BOOT,
		    "an unapplied option change is staged (%s%s differ from "
		    "_CUR): the board runs with the _CUR values",
		    l.buf, list_more(&l, more, sizeof(more)));
}

/* The 308-byte block repeats OPTSR and BOOT words at +0x100. */
static void alias_field(dfuse_option_bytes *ob)
{
	static const size_t regs[] = {OFF_OPTSR_CUR, OFF_OPTSR_PRG,
				      OFF_BOOT7_CUR, OFF_BOOT7_PRG,
				      OFF_BOOT4_CUR, OFF_BOOT4_PRG};
	size_t i, n = 0, seen = 0, first = 0;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		const size_t a = regs[i] + OFF_BANK2;

		if (!have(ob, a))
			continue;
		seen++;
		if (word(ob, a) != word(ob, regs[i]) && n++ == 0)
			first = regs[i];
	}
	if (seen == 0)
		return;
	if (n == 0)
		add(ob, "ALIAS", OFF_BANK2, 0, DFUSE_OPTION_PLAIN, 0,
		    "the alias words at block offset 0x100 on equal their "
		    "registers");
	else
		add(ob, "ALIAS", first + OFF_BANK2, (uint32_t)n, DFUSE_SEV_NOTE,
		    0,
		    "%s (block offset 0x%03zX) reads 0x%08X but %s reads "
		    "0x%08X (%zu alias%s differ): the block may not be one "
		    "register image; the registers are decoded",
		    word_name(first + OFF_BANK2), first + OFF_BANK2,
		    (unsigned)word(ob, first + OFF_BANK2), word_name(first),
		    (unsigned)word(ob, first), n, n == 1 ? "" : "es");
}

static void reserved_field(dfuse_option_bytes *ob)
{
	static const struct {
		size_t off;
		uint32_t mask;
	} res[] = {
		{OFF_OPTSR_PRG, OPTSR_RESERVED},
		{OFF_PRAR_CUR1, AREA_RESERVED},
		{OFF_PRAR_PRG1, AREA_RESERVED},
		{OFF_SCAR_CUR1, AREA_RESERVED},
		{OFF_SCAR_PRG1, AREA_RESERVED},
		{OFF_WPSN_CUR1, WPSN_RESERVED},
		{OFF_WPSN_PRG1, WPSN_RESERVED},
		{OFF_PRAR_CUR1 + OFF_BANK2, AREA_RESERVED},
		{OFF_PRAR_PRG1 + OFF_BANK2, AREA_RESERVED},
		{OFF_SCAR_CUR1 + OFF_BANK2, AREA_RESERVED},
		{OFF_SCAR_PRG1 + OFF_BANK2, AREA_RESERVED},
		{OFF_WPSN_CUR1 + OFF_BANK2, WPSN_RESERVED},
		{OFF_WPSN_PRG1 + OFF_BANK2, WPSN_RESERVED},
	};
	const uint32_t r = word(ob, OFF_OPTSR_CUR) & OPTSR_RESERVED;
	struct list l;
	char more[32];
	size_t i;

	list_init(&l, 150); /* 13 names of 9 characters: 141 */
	for (i = 0; i < sizeof(res) / sizeof(res[0]); i++)
		if (word(ob, res[i].off) & res[i].mask)
			list_add(&l, word_name(res[i].off));
	add(ob, "RESERVED", OFF_OPTSR_CUR, r, DFUSE_OPTION_PLAIN, 0,
	    "reserved bits, as read and not interpreted: OPTSR_CUR "
	    "0x%08X; also set in %s%s",
	    (unsigned)r, l.n > 0 ? l.buf : "no other word",
	    list_more(&l, more, sizeof(more)));
}

/* RM0399 Table 20, option by option. */
static void factory_field(dfuse_option_bytes *ob)
{
	const uint32_t optsr = word(ob, OFF_OPTSR_CUR);
	static const struct {
		const char *name;
		uint32_t mask;
	} bits[] = {
		{"RDP", 0xFFu << OPTSR_RDP_POS},
		{"BCM7", OPTSR_BCM7},
		{"BCM4", OPTSR_BCM4},
		{"SWAP_BANK_OPT", OPTSR_SWAP_BANK_OPT},
		{"IWDG1_SW", OPTSR_IWDG1_SW},
		{"IWDG2_SW", OPTSR_IWDG2_SW},
		{"FZ_IWDG_STOP", OPTSR_FZ_IWDG_STOP},
		{"FZ_IWDG_SDBY", OPTSR_FZ_IWDG_SDBY},
		{"NRST_STOP_D1", OPTSR_NRST_STOP_D1},
		{"NRST_STBY_D1", OPTSR_NRST_STBY_D1},
		{"NRST_STOP_D2", OPTSR_NRST_STOP_D2},
		{"NRST_STBY_D2", OPTSR_NRST_STBY_D2},
		{"BOR_LEV", 3u << OPTSR_BOR_LEV_POS},
		{"IO_HSLV", OPTSR_IO_HSLV},
		{"SECURITY", OPTSR_SECURITY},
		{"ST_RAM_SIZE", 3u << OPTSR_ST_RAM_SIZE_POS},
	};
	struct list l;
	char more[32];
	size_t i;
	int w, unknown = 0;

	list_init(&l, 150);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if ((optsr ^ FACTORY_OPTSR) & bits[i].mask)
			list_add(&l, bits[i].name);
	if (ob->boot_cm7_add0 != (FACTORY_BOOT7 & 0xFFFFu) << 16)
		list_add(&l, "BOOT_CM7_ADD0");
	if (ob->boot_cm7_add1 != (FACTORY_BOOT7 & 0xFFFF0000u))
		list_add(&l, "BOOT_CM7_ADD1");
	if (ob->boot_cm4_add0 != (FACTORY_BOOT4 & 0xFFFFu) << 16)
		list_add(&l, "BOOT_CM4_ADD0");
	if (ob->boot_cm4_add1 != (FACTORY_BOOT4 & 0xFFFF0000u))
		list_add(&l, "BOOT_CM4_ADD1");
	for (w = 0; w < 2; w++) {
		static const char *const n[3][2] = {
			{"PROT_AREA1", "PROT_AREA2"},
			{"SEC_AREA1", "SEC_AREA2"},
			{"nWRP1", "nWRP2"},
		};
		const size_t b = w ? OFF_BANK2 : 0;

		if (!have(ob, OFF_WPSN_CUR1 + b))
			unknown = 1;
		if (have(ob, OFF_PRAR_CUR1 + b) &&
		    (word(ob, OFF_PRAR_CUR1 + b) & ~AREA_RESERVED) !=
			    FACTORY_AREA)
			list_add(&l, n[0][w]);
		if (have(ob, OFF_SCAR_CUR1 + b) &&
		    (word(ob, OFF_SCAR_CUR1 + b) & ~AREA_RESERVED) !=
			    FACTORY_AREA)
			list_add(&l, n[1][w]);
		if (have(ob, OFF_WPSN_CUR1 + b) &&
		    (word(ob, OFF_WPSN_CUR1 + b) & WPSN_NWRP) != FACTORY_NWRP)
			list_add(&l, n[2][w]);
	}
	ob->factory = l.n == 0 && l.cut == 0;
	if (ob->factory)
		add(ob, "FACTORY", OFF_OPTSR_CUR, 0, DFUSE_OPTION_PLAIN, 0,
		    "factory default (RM0399 Table 20; reserved bits not "
		    "compared)%s",
		    unknown ? "; the bank-2 words are not in the block" : "");
	else
		add(ob, "FACTORY", OFF_OPTSR_CUR, l.n + l.cut,
		    DFUSE_OPTION_PLAIN, 0,
		    "not the factory values (RM0399 Table 20): %s%s differ%s",
		    l.buf, list_more(&l, more, sizeof(more)),
		    unknown ? "; the bank-2 words are not in the block" : "");
}

/* ======== Entry points ======== */

static int length_error(size_t len)
{
	const size_t have_words = len / 4;
	const size_t first = have_words * 4;

	if (len == 0)
		return dfuse__error_at(
			DFUSE_EFORMAT, 0, 0,
			"option bytes: the block is empty: at least %u bytes "
			"expected, OPTSR_CUR (block offset 0x000) through "
			"BOOT4_PRG (0x030)",
			DFUSE_OPTION_BYTES_MIN_SIZE);
	if (first == OFF_BOOT4_PRG)
		return dfuse__error_at(
			DFUSE_EFORMAT, (int64_t)first, 0,
			"option bytes: a block of %zu bytes ends at byte "
			"offset %zu: BOOT4_PRG (block offset 0x030, "
			"0x5200204C) is missing; at least %u bytes expected",
			len, len, DFUSE_OPTION_BYTES_MIN_SIZE);
	return dfuse__error_at(
		DFUSE_EFORMAT, (int64_t)first, 0,
		"option bytes: a block of %zu bytes ends at byte offset %zu: "
		"the words from %s (block offset 0x%03zX, 0x%08X) through "
		"BOOT4_PRG (0x030) are missing; at least %u bytes expected",
		len, len, word_name(first), first,
		(unsigned)(DFUSE_OPTION_BYTES_ADDRESS + first),
		DFUSE_OPTION_BYTES_MIN_SIZE);
}

int dfuse_option_bytes_decode(dfuse_option_bytes *out, const uint8_t *block,
			      size_t len)
{
	unsigned int version;
	uint32_t optsr, boot7, boot4;
	size_t i;
	int w;

	if (out == NULL || (block == NULL && len > 0))
		return dfuse__error(DFUSE_EINVAL,
				    "dfuse_option_bytes_decode: NULL %s",
				    out == NULL ? "out" : "block");
	DFUSE__TRY(dfuse__check_version("dfuse_option_bytes", out->version,
					DFUSE_OPTION_BYTES_VERSION));
	version = out->version;
	memset(out, 0, sizeof(*out));
	out->version = version;
	out->length = len;
	if (len < DFUSE_OPTION_BYTES_MIN_SIZE)
		return length_error(len);
	if (len % 4 != 0) {
		const size_t at = len - len % 4;

		return dfuse__error_at(
			DFUSE_EFORMAT, (int64_t)at, 0,
			"option bytes: a block of %zu bytes is not a whole "
			"number of 32-bit words: byte offset %zu (%s, "
			"0x%08X) holds %zu of its 4 bytes; expected a "
			"multiple of 4, such as %u or %u",
			len, at, word_name(at),
			(unsigned)(DFUSE_OPTION_BYTES_ADDRESS + at), len % 4,
			DFUSE_OPTION_BYTES_SIZE, DFUSE_OPTION_BYTES_FULL_SIZE);
	}
	out->decoded = len < OFF_END ? len : OFF_END;
	for (i = 0; i + 4 <= out->decoded; i += 4)
		out->words[i / 4] = dfuse__get_le32(block + i);

	optsr = word(out, OFF_OPTSR_CUR);
	boot7 = word(out, OFF_BOOT7_CUR);
	boot4 = word(out, OFF_BOOT4_CUR);
	out->rdp = (uint8_t)(optsr >> OPTSR_RDP_POS);
	out->bcm7 = bit(optsr, OPTSR_BCM7);
	out->bcm4 = bit(optsr, OPTSR_BCM4);
	out->boot_cm7_add0 = (boot7 & 0xFFFFu) << 16;
	out->boot_cm7_add1 = boot7 & 0xFFFF0000u;
	out->boot_cm4_add0 = (boot4 & 0xFFFFu) << 16;
	out->boot_cm4_add1 = boot4 & 0xFFFF0000u;
	out->swap_bank_opt = bit(optsr, OPTSR_SWAP_BANK_OPT);
	out->swap_bank = have(out, OFF_OPTCR_ALIAS)
				 ? bit(word(out, OFF_OPTCR_ALIAS), 1u << 31)
				 : -1;
	out->iwdg1_sw = bit(optsr, OPTSR_IWDG1_SW);
	out->iwdg2_sw = bit(optsr, OPTSR_IWDG2_SW);
	out->fz_iwdg_stop = bit(optsr, OPTSR_FZ_IWDG_STOP);
	out->fz_iwdg_sdby = bit(optsr, OPTSR_FZ_IWDG_SDBY);
	out->nrst_stop_d1 = bit(optsr, OPTSR_NRST_STOP_D1);
	out->nrst_stby_d1 = bit(optsr, OPTSR_NRST_STBY_D1);
	out->nrst_stop_d2 = bit(optsr, OPTSR_NRST_STOP_D2);
	out->nrst_stby_d2 = bit(optsr, OPTSR_NRST_STBY_D2);
	out->bor_level = (optsr >> OPTSR_BOR_LEV_POS) & 3u;
	out->io_hslv = bit(optsr, OPTSR_IO_HSLV);
	out->security = bit(optsr, OPTSR_SECURITY);
	out->st_ram_kib = 2u << ((optsr >> OPTSR_ST_RAM_SIZE_POS) & 3u);
	out->opt_busy = bit(optsr, OPTSR_OPT_BUSY);
	out->optchangeerr = bit(optsr, OPTSR_OPTCHANGEERR);

	if (len > OFF_END)
		add(out, "BLOCK", 0,
		    (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len),
		    DFUSE_OPTION_PLAIN, 0,
		    "a block of %zu bytes: the first %u decoded; the %zu after "
		    "them are not option registers",
		    len, DFUSE_OPTION_BYTES_FULL_SIZE, len - OFF_END);
	else
		add(out, "BLOCK", 0, (uint32_t)len, DFUSE_OPTION_PLAIN, 0,
		    "a block of %zu bytes from 0x%08X%s", len,
		    DFUSE_OPTION_BYTES_ADDRESS,
		    len == OFF_END ? ": every option register"
		    : have(out, OFF_WPSN_PRG1 + OFF_BANK2)
			    ? ""
			    : ": the bank at 0x08100000's protections are "
			      "not in it");
	rdp_field(out);
	core_fields(out);
	boot_field(out, "BOOT_CM7_ADD0", OFF_BOOT7_CUR, 1, 0,
		   out->boot_cm7_add0, BANK1);
	boot_field(out, "BOOT_CM7_ADD1", OFF_BOOT7_CUR, 1, 1,
		   out->boot_cm7_add1, ROM_BOOT);
	boot_field(out, "BOOT_CM4_ADD0", OFF_BOOT4_CUR, 0, 0,
		   out->boot_cm4_add0, BANK2);
	boot_field(out, "BOOT_CM4_ADD1", OFF_BOOT4_CUR, 0, 1,
		   out->boot_cm4_add1, 0x10000000u);
	swap_fields(out);
	for (w = 0; w < 2; w++)
		wrp_fields(out, w);
	for (w = 0; w < 2; w++)
		area_field(out, 1, w);
	for (w = 0; w < 2; w++)
		area_field(out, 0, w);
	user_fields(out, optsr);
	staged_field(out);
	alias_field(out);
	reserved_field(out);
	factory_field(out);
	return 0;
}

int dfuse_option_bytes_find_field(const dfuse_option_bytes *ob,
				  const char *name)
{
	size_t i, n;

	if (ob == NULL || name == NULL)
		return DFUSE_ENOTFOUND;
	n = ob->field_count < DFUSE_OPTION_BYTES_MAX_FIELDS
		    ? ob->field_count
		    : DFUSE_OPTION_BYTES_MAX_FIELDS;
	for (i = 0; i < n; i++)
		if (ob->fields[i].name != NULL &&
		    strcmp(ob->fields[i].name, name) == 0)
			return (int)i;
	return DFUSE_ENOTFOUND;
}

void dfuse_board_init(dfuse_board *b)
{
	if (b == NULL)
		return;
	memset(b, 0, sizeof(*b));
	b->version = DFUSE_BOARD_VERSION;
	b->ob.version = DFUSE_OPTION_BYTES_VERSION;
	b->bootloader_id = -1;
}
