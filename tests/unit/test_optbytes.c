/*
 * test_optbytes.c - the STM32H745 option-byte block (optbytes.c), from
 * hand-built register images: RM0399's factory values (Table 20, and the
 * OPTSR a real NUCLEO-H755 reads, which differ in reserved bits 28:26),
 * then one change at a time: BCM4, RDP, the bank swap, write protection,
 * boot addresses, PCROP and secure areas, staged _PRG words, flags; every
 * length rule; and every reserved bit set, which must change no decoded
 * field.  The blocks are written word by word below, not produced by the
 * decoder or by any other code of ours.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dfuse.h"

/* One 32-bit register, little-endian, as the ROM sends it. */
#define W(v)                                                                   \
	(uint8_t)((v)&0xFF), (uint8_t)(((v) >> 8) & 0xFF),                     \
		(uint8_t)(((v) >> 16) & 0xFF), (uint8_t)(((v) >> 24) & 0xFF)
#define Z2 W(0), W(0)
#define Z4 Z2, Z2
#define Z8 Z4, Z4

/*
 * 128 bytes from 0x5200201C with RM0399 Table 20's factory values, the
 * block the H745 ROM's alt-1 descriptor ("01*128 e") announces.  OPTSR's
 * bits 31:16 as Table 20 lists them are 0001 0111 1100 0110: reserved
 * bits 28:26 = 101.
 */
static const uint8_t FACTORY_128[] = {
	W(0x17C6AAF0), /* 0x000 OPTSR_CUR: RDP 0xAA, BCM7 BCM4 1, NRST 1,
			  IWDG SW, FZ 1, BOR 0, reserved 28:26 = 101 */
	W(0x17C6AAF0), /* 0x004 OPTSR_PRG: the same */
	W(0x00000000), /* 0x008 OPTCCR: write-only, reads 0 */
	W(0x000000FF), /* 0x00C PRAR_CUR1: START 0x0FF > END 0: no PCROP */
	W(0x000000FF), /* 0x010 PRAR_PRG1 */
	W(0x000000FF), /* 0x014 SCAR_CUR1: no secure area */
	W(0x000000FF), /* 0x018 SCAR_PRG1 */
	W(0x000000FF), /* 0x01C WPSN_CUR1: nWRP 0xFF, nothing protected */
	W(0x000000FF), /* 0x020 WPSN_PRG1 */
	W(0x1FF00800), /* 0x024 BOOT7_CUR: ADD1 0x1FF0 (ROM), ADD0 0x0800 */
	W(0x1FF00800), /* 0x028 BOOT7_PRG */
	W(0x10000810), /* 0x02C BOOT4_CUR: ADD1 0x1000 (D2 SRAM), ADD0 0x0810 */
	W(0x10000810), /* 0x030 BOOT4_PRG */
	W(0x00000000), /* 0x034 CRCCR1 (not an option) */
	W(0x00000000), /* 0x038 CRCSADD1 */
	W(0x00000000), /* 0x03C CRCEADD1 */
	W(0x00000000), /* 0x040 CRCDATA */
	W(0x00000000), /* 0x044 ECC_FA1 */
	Z8,
	Z4,
	Z2, /* 0x048-0x07C: 14 reserved words */
};

/*
 * 308 bytes, what CubeProgrammer reads: the same registers with the OPTSR
 * a factory-fresh NUCLEO-H755ZI-Q reads (0x1BC6AAF0: reserved 28:26 =
 * 110), then the bank-2 side and the aliases at register + 0x100.
 */
static const uint8_t FACTORY_308[] = {
	W(0x1BC6AAF0), /* 0x000 OPTSR_CUR: as read on a NUCLEO-H755 */
	W(0x1BC6AAF0), /* 0x004 OPTSR_PRG */
	W(0x00000000), /* 0x008 OPTCCR */
	W(0x000000FF), /* 0x00C PRAR_CUR1: no PCROP */
	W(0x000000FF), /* 0x010 PRAR_PRG1 */
	W(0x000000FF), /* 0x014 SCAR_CUR1: no secure area */
	W(0x000000FF), /* 0x018 SCAR_PRG1 */
	W(0x000000FF), /* 0x01C WPSN_CUR1: nothing protected */
	W(0x000000FF), /* 0x020 WPSN_PRG1 */
	W(0x1FF00800), /* 0x024 BOOT7_CUR */
	W(0x1FF00800), /* 0x028 BOOT7_PRG */
	W(0x10000810), /* 0x02C BOOT4_CUR */
	W(0x10000810), /* 0x030 BOOT4_PRG */
	W(0x00000000), /* 0x034 CRCCR1 */
	W(0x00000000), /* 0x038 CRCSADD1 */
	W(0x00000000), /* 0x03C CRCEADD1 */
	W(0x00000000), /* 0x040 CRCDATA */
	W(0x00000000), /* 0x044 ECC_FA1 */
	Z8,
	Z8,
	Z8,
	Z8,
	Z4,
	Z2,
	W(0),	       /* 0x048-0x0E0: 39 reserved words */
	W(0x00000037), /* 0x0E4 ACR alias (not decoded) */
	W(0x00000000), /* 0x0E8 KEYR2: write-only */
	W(0x00000000), /* 0x0EC OPTKEYR alias: write-only */
	W(0x00000031), /* 0x0F0 CR2 (not decoded) */
	W(0x00000000), /* 0x0F4 SR2 */
	W(0x00000000), /* 0x0F8 CCR2 */
	W(0x00000001), /* 0x0FC OPTCR alias: SWAP_BANK 0, OPTLOCK 1 */
	W(0x1BC6AAF0), /* 0x100 OPTSR_CUR alias */
	W(0x1BC6AAF0), /* 0x104 OPTSR_PRG alias */
	W(0x00000000), /* 0x108 OPTCCR alias */
	W(0x000000FF), /* 0x10C PRAR_CUR2: no PCROP in the bank at 0x08100000 */
	W(0x000000FF), /* 0x110 PRAR_PRG2 */
	W(0x000000FF), /* 0x114 SCAR_CUR2 */
	W(0x000000FF), /* 0x118 SCAR_PRG2 */
	W(0x000000FF), /* 0x11C WPSN_CUR2: nothing protected */
	W(0x000000FF), /* 0x120 WPSN_PRG2 */
	W(0x1FF00800), /* 0x124 BOOT7_CUR alias */
	W(0x1FF00800), /* 0x128 BOOT7_PRG alias */
	W(0x10000810), /* 0x12C BOOT4_CUR alias */
	W(0x10000810), /* 0x130 BOOT4_PRG alias */
};

/* Block offsets of the words the tests change. */
enum {
	OPTSR_CUR = 0x000,
	OPTSR_PRG = 0x004,
	PRAR_CUR1 = 0x00C,
	PRAR_PRG1 = 0x010,
	SCAR_CUR1 = 0x014,
	SCAR_PRG1 = 0x018,
	WPSN_CUR1 = 0x01C,
	WPSN_PRG1 = 0x020,
	BOOT7_CUR = 0x024,
	BOOT7_PRG = 0x028,
	BOOT4_CUR = 0x02C,
	BOOT4_PRG = 0x030,
	OPTCR_ALIAS = 0x0FC,
	OPTSR_CUR_ALIAS = 0x100,
	OPTSR_PRG_ALIAS = 0x104,
	PRAR_CUR2 = 0x10C,
	PRAR_PRG2 = 0x110,
	SCAR_CUR2 = 0x114,
	SCAR_PRG2 = 0x118,
	WPSN_CUR2 = 0x11C,
	WPSN_PRG2 = 0x120,
	BOOT7_CUR_ALIAS = 0x124,
	BOOT7_PRG_ALIAS = 0x128,
	BOOT4_CUR_ALIAS = 0x12C,
	BOOT4_PRG_ALIAS = 0x130,
};

static uint8_t blk[1024];

/* A copy of a factory block to change. */
static uint8_t *from(const uint8_t *base, size_t len)
{
	memset(blk, 0, sizeof(blk));
	memcpy(blk, base, len);
	return blk;
}

static void put(uint8_t *b, size_t off, uint32_t v)
{
	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
	b[off + 2] = (uint8_t)(v >> 16);
	b[off + 3] = (uint8_t)(v >> 24);
}

/* A _CUR word and its _PRG twin (and, in 308 bytes, the aliases). */
static void put_both(uint8_t *b, size_t cur, uint32_t v, int aliases)
{
	put(b, cur, v);
	put(b, cur + 4, v);
	if (aliases &&
	    (cur == OPTSR_CUR || cur == BOOT7_CUR || cur == BOOT4_CUR)) {
		put(b, cur + 0x100, v);
		put(b, cur + 0x104, v);
	}
}

static dfuse_option_bytes ob_a, ob_b; /* 20 KB each: not on the stack */

static dfuse_option_bytes *decode(dfuse_option_bytes *ob, const uint8_t *b,
				  size_t len)
{
	const dfuse_option_bytes init = DFUSE_OPTION_BYTES_INIT;
	int rc;
	size_t i;

	*ob = init;
	rc = dfuse_option_bytes_decode(ob, b, len);
	if (rc != 0)
		print_error("decode %zu bytes: %s\n", len,
			    dfuse_error_last()->message);
	assert_int_equal(rc, 0);
	assert_int_equal(ob->length, len);
	assert_true(ob->field_count > 0);
	assert_true(ob->field_count <= DFUSE_OPTION_BYTES_MAX_FIELDS);
	for (i = 0; i < ob->field_count; i++) {
		const dfuse_option_field *f = &ob->fields[i];

		assert_non_null(f->name);
		/* no sentence was cut to fit its buffer */
		assert_true(strlen(f->text) + 1 < sizeof(f->text));
		assert_true(strlen(f->text) > 10);
		if (!f->known)
			assert_non_null(strstr(f->text, "unknown"));
		if (f->severity == DFUSE_OPTION_PLAIN)
			continue;
		assert_true(f->severity == DFUSE_SEV_NOTE ||
			    f->severity == DFUSE_SEV_WARNING);
	}
	return ob;
}

static const dfuse_option_field *field(const dfuse_option_bytes *ob,
				       const char *name)
{
	const int i = dfuse_option_bytes_find_field(ob, name);

	if (i < 0)
		print_error("no field %s\n", name);
	assert_true(i >= 0);
	return &ob->fields[i];
}

static void assert_text(const dfuse_option_field *f, const char *fragment)
{
	if (strstr(f->text, fragment) == NULL)
		print_error("%s: '%s' lacks '%s'\n", f->name, f->text,
			    fragment);
	assert_non_null(strstr(f->text, fragment));
}

/* How many fields carry a severity of at least NOTE. */
static size_t marked(const dfuse_option_bytes *ob)
{
	size_t i, n = 0;

	for (i = 0; i < ob->field_count; i++)
		n += ob->fields[i].severity != DFUSE_OPTION_PLAIN;
	return n;
}

/* ======== Factory values ======== */

static void assert_factory_values(const dfuse_option_bytes *ob)
{
	assert_int_equal(ob->rdp, 0xAA);
	assert_int_equal(ob->rdp_level, 0);
	assert_int_equal(ob->bcm7, 1);
	assert_int_equal(ob->bcm4, 1);
	assert_int_equal(ob->boot_cm7_add0, 0x08000000);
	assert_int_equal(ob->boot_cm7_add1, 0x1FF00000);
	assert_int_equal(ob->boot_cm4_add0, 0x08100000);
	assert_int_equal(ob->boot_cm4_add1, 0x10000000);
	assert_int_equal(ob->swap_bank_opt, 0);
	assert_int_equal(ob->iwdg1_sw, 1);
	assert_int_equal(ob->iwdg2_sw, 1);
	assert_int_equal(ob->fz_iwdg_stop, 1);
	assert_int_equal(ob->fz_iwdg_sdby, 1);
	assert_int_equal(ob->nrst_stop_d1, 1);
	assert_int_equal(ob->nrst_stby_d1, 1);
	assert_int_equal(ob->nrst_stop_d2, 1);
	assert_int_equal(ob->nrst_stby_d2, 1);
	assert_int_equal(ob->bor_level, 0);
	assert_int_equal(ob->io_hslv, 0);
	assert_int_equal(ob->security, 0);
	assert_int_equal(ob->st_ram_kib, 2);
	assert_int_equal(ob->opt_busy, 0);
	assert_int_equal(ob->optchangeerr, 0);
	assert_int_equal(ob->staged, 0);
	assert_int_equal(ob->factory, 1);
	assert_int_equal(ob->wrp_known[0], 1);
	assert_int_equal(ob->wrp_sectors[0], 0);
	assert_int_equal(ob->pcrop[0].known, 1);
	assert_int_equal(ob->pcrop[0].active, 0);
	assert_int_equal(ob->secure[0].active, 0);
	assert_text(field(ob, "FACTORY"), "factory default");
	assert_text(field(ob, "RDP"), "RDP level 0 (0xAA)");
	assert_text(field(ob, "BOOT_CM7_ADD1"),
		    "BOOT0 high starts the ROM bootloader on the CM7 only");
	assert_text(field(ob, "BOOT_CM7_ADD0"),
		    "BOOT0 low starts the CM7 from 0x08000000");
	assert_text(field(ob, "BOOT_CM4_ADD0"),
		    "BOOT0 low starts the CM4 from 0x08100000");
	assert_int_equal(field(ob, "BOOT_CM4_ADD0")->raw, 0x0810);
	assert_int_equal(field(ob, "BOOT_CM7_ADD1")->raw, 0x1FF0);
	assert_text(field(ob, "nWRP1"), "no sector of the bank at 0x08000000");
}

static void test_optbytes__factory_128(void **state)
{
	static const uint32_t optsr[] = {0x17C6AAF0, 0x1BC6AAF0};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(FACTORY_128), 128);
	for (i = 0; i < 2; i++) {
		uint8_t *b = from(FACTORY_128, 128);
		const dfuse_option_bytes *ob;

		put_both(b, OPTSR_CUR, optsr[i], 0);
		ob = decode(&ob_a, b, 128);
		assert_factory_values(ob);
		assert_int_equal(ob->decoded, 128);
		/* bank 2 and the swap in effect are not in 128 bytes */
		assert_int_equal(ob->swap_bank, -1);
		assert_int_equal(ob->wrp_known[1], 0);
		assert_int_equal(ob->pcrop[1].known, 0);
		assert_int_equal(ob->secure[1].known, 0);
		assert_int_equal(field(ob, "nWRP2")->known, 0);
		assert_int_equal(field(ob, "PROT_AREA2")->known, 0);
		assert_int_equal(field(ob, "SEC_AREA2")->known, 0);
		assert_int_equal(field(ob, "SWAP_BANK")->known, 0);
		assert_null(strstr(field(ob, "nWRP2")->text, "no sector"));
		assert_text(field(ob, "FACTORY"),
			    "the bank-2 words are not in the block");
		/* only the unknown bank-2 protections are marked */
		assert_int_equal(marked(ob), 3);
		assert_int_equal(dfuse_option_bytes_find_field(ob, "ALIAS"),
				 DFUSE_ENOTFOUND);
		assert_int_equal(field(ob, "RESERVED")->raw,
				 optsr[i] & 0x1C000000u);
	}
}

static void test_optbytes__factory_308(void **state)
{
	static const uint32_t optsr[] = {0x1BC6AAF0, 0x17C6AAF0};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(FACTORY_308), 308);
	for (i = 0; i < 2; i++) {
		uint8_t *b = from(FACTORY_308, 308);
		const dfuse_option_bytes *ob;

		put_both(b, OPTSR_CUR, optsr[i], 1);
		ob = decode(&ob_a, b, 308);
		assert_factory_values(ob);
		assert_int_equal(ob->decoded, 308);
		assert_int_equal(ob->swap_bank, 0);
		assert_int_equal(ob->wrp_known[1], 1);
		assert_int_equal(ob->wrp_sectors[1], 0);
		assert_int_equal(ob->pcrop[1].known, 1);
		assert_int_equal(ob->pcrop[1].active, 0);
		assert_int_equal(ob->pcrop[1].bank, 0x08100000);
		assert_text(field(ob, "nWRP2"),
			    "no sector of the bank at 0x08100000");
		assert_text(field(ob, "FACTORY"), "factory default");
		assert_null(strstr(field(ob, "FACTORY")->text, "bank-2"));
		assert_int_equal(marked(ob), 0); /* nothing to warn about */
		assert_int_equal(field(ob, "ALIAS")->severity,
				 DFUSE_OPTION_PLAIN);
		assert_int_equal(ob->words[0x130 / 4], 0x10000810);
	}
}

/* ======== One change at a time ======== */

static void test_optbytes__bcm4_off(void **state)
{
	uint8_t *b = from(FACTORY_128, 128);
	const dfuse_option_bytes *ob;
	const dfuse_option_field *f;

	(void)state;
	put_both(b, OPTSR_CUR, 0x17C6AAF0 & ~(1u << 22), 0); /* BCM4 = 0 */
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->bcm4, 0);
	assert_int_equal(ob->bcm7, 1);
	f = field(ob, "BCM4");
	assert_int_equal(f->raw, 0);
	assert_int_equal(f->severity, DFUSE_SEV_WARNING);
	assert_true(f->affects & DFUSE_OPTION_AFFECTS_BOOT);
	assert_string_equal(f->text, "CM4 boot disabled (BCM4=0): the CM4 "
				     "waits until the CM7 releases it");
	assert_int_equal(field(ob, "BCM7")->severity, DFUSE_OPTION_PLAIN);
	assert_int_equal(ob->factory, 0);
	assert_text(field(ob, "FACTORY"), "not the factory values");
	assert_text(field(ob, "FACTORY"), "BCM4");
	assert_null(strstr(field(ob, "FACTORY")->text, "BCM7"));

	/* BCM7 = 0 with BCM4 = 1: the CM7 (and the ROM) gated */
	put_both(b, OPTSR_CUR, 0x17C6AAF0 & ~(1u << 23), 0);
	ob = decode(&ob_a, b, 128);
	f = field(ob, "BCM7");
	assert_int_equal(f->severity, DFUSE_SEV_WARNING);
	assert_text(f, "CM7 boot disabled (BCM7=0)");
	assert_text(f, "ROM bootloader");
	/* both 0: the CM7 boots anyway */
	put_both(b, OPTSR_CUR, 0x17C6AAF0 & ~(3u << 22), 0);
	ob = decode(&ob_a, b, 128);
	assert_int_equal(field(ob, "BCM7")->severity, DFUSE_SEV_NOTE);
	assert_text(field(ob, "BCM7"), "boots anyway");
	assert_int_equal(field(ob, "BCM4")->severity, DFUSE_SEV_WARNING);
}

static void test_optbytes__rdp(void **state)
{
	uint8_t *b = from(FACTORY_128, 128);
	const dfuse_option_bytes *ob;
	const dfuse_option_field *f;

	(void)state;
	put_both(b, OPTSR_CUR, 0x17C6BBF0, 0); /* RDP 0xBB */
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->rdp, 0xBB);
	assert_int_equal(ob->rdp_level, 1);
	f = field(ob, "RDP");
	assert_int_equal(f->raw, 0xBB);
	assert_int_equal(f->severity, DFUSE_SEV_WARNING);
	assert_true(f->affects & DFUSE_OPTION_AFFECTS_READ);
	assert_text(f, "RDP level 1 (0xBB): flash and option bytes cannot be "
		       "read through the ROM");
	assert_text(f, "removing it (level 0) mass-erases the chip");
	assert_text(field(ob, "FACTORY"), "RDP");

	put_both(b, OPTSR_CUR, 0x17C600F0, 0); /* 0x00: OpenOCD's level 1 */
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->rdp_level, 1);

	put_both(b, OPTSR_CUR, 0x17C6CCF0, 0); /* RDP 0xCC */
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->rdp_level, 2);
	f = field(ob, "RDP");
	assert_int_equal(f->severity, DFUSE_SEV_WARNING);
	assert_text(f, "RDP level 2 (0xCC): permanent");
}

static void test_optbytes__swap_bank(void **state)
{
	uint8_t *b = from(FACTORY_308, 308);
	const dfuse_option_bytes *ob;
	const dfuse_option_field *f;

	(void)state;
	/* SWAP_BANK_OPT = 1 with BCM4 = 1, swap in effect (OPTCR bit 31) */
	put_both(b, OPTSR_CUR, 0x9BC6AAF0, 1);
	put(b, OPTCR_ALIAS, 0x80000001);
	ob = decode(&ob_a, b, 308);
	assert_int_equal(ob->swap_bank_opt, 1);
	assert_int_equal(ob->swap_bank, 1);
	f = field(ob, "SWAP_BANK_OPT");
	assert_int_equal(f->severity, DFUSE_SEV_WARNING);
	assert_true(f->affects & DFUSE_OPTION_AFFECTS_BOOT);
	assert_text(f, "0x08000000 is physical bank 2");
	assert_text(f, "points at physical bank 1, where the CM7's image was");
	assert_int_equal(field(ob, "SWAP_BANK")->severity, DFUSE_OPTION_PLAIN);
	/* the windows are labelled by address, the physical bank added */
	assert_text(field(ob, "nWRP1"), "(physical bank 2)");
	assert_text(field(ob, "nWRP2"), "(physical bank 1)");

	/* not in effect yet: pending after reset */
	put(b, OPTCR_ALIAS, 0x00000001);
	ob = decode(&ob_a, b, 308);
	assert_int_equal(ob->swap_bank, 0);
	f = field(ob, "SWAP_BANK");
	assert_int_equal(f->severity, DFUSE_SEV_NOTE);
	assert_text(f, "pending after reset");
	assert_null(strstr(field(ob, "nWRP1")->text, "physical"));

	/* with the CM4 gated it is a note */
	put_both(b, OPTSR_CUR, 0x9B86AAF0, 1);
	ob = decode(&ob_a, b, 308);
	assert_int_equal(field(ob, "SWAP_BANK_OPT")->severity, DFUSE_SEV_NOTE);

	/* 128 bytes: the swap in effect is unknown */
	b = from(FACTORY_128, 128);
	put_both(b, OPTSR_CUR, 0x97C6AAF0, 0);
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->swap_bank, -1);
	assert_int_equal(field(ob, "SWAP_BANK_OPT")->severity,
			 DFUSE_SEV_WARNING);
	assert_int_equal(field(ob, "SWAP_BANK")->known, 0);
}

static void test_optbytes__write_protection(void **state)
{
	uint8_t *b = from(FACTORY_308, 308);
	const dfuse_option_bytes *ob;
	const dfuse_option_field *f;
	int i;

	(void)state;
	put_both(b, WPSN_CUR1, 0x000000F7, 0); /* sector 3 of bank 1 */
	put_both(b, WPSN_CUR2, 0x000000FE, 0); /* sector 0 of bank 2 */
	ob = decode(&ob_a, b, 308);
	assert_int_equal(ob->wrp_sectors[0], 0x08);
	assert_int_equal(ob->wrp_sectors[1], 0x01);
	i = dfuse_option_bytes_find_field(ob, "nWRP1");
	assert_true(i >= 0);
	f = &ob->fields[i];
	assert_string_equal(f->text,
			    "sector 3 of the bank at 0x08000000 "
			    "(0x08060000-0x0807FFFF) is write-protected: an "
			    "erase of it fails");
	assert_int_equal(f->sector, 3);
	assert_int_equal(f->severity, DFUSE_SEV_WARNING);
	assert_true(f->affects & DFUSE_OPTION_AFFECTS_WRITE);
	assert_int_equal(f->has_range, 1);
	assert_int_equal(f->address, 0x08060000);
	assert_int_equal(f->end, 0x08080000);
	assert_int_equal(f->raw, 0xF7);
	/* one field per protected sector: only one here */
	assert_string_not_equal(ob->fields[i + 1].name, "nWRP1");
	f = field(ob, "nWRP2");
	assert_int_equal(f->sector, 0);
	assert_int_equal(f->address, 0x08100000);
	assert_int_equal(f->end, 0x08120000);
	assert_text(f, "sector 0 of the bank at 0x08100000 (0x08100000-"
		       "0x0811FFFF)");
	assert_text(field(ob, "FACTORY"), "nWRP1");
	assert_text(field(ob, "FACTORY"), "nWRP2");

	/* 128 bytes: bank 1 decoded, bank 2 unknown, not unprotected */
	b = from(FACTORY_128, 128);
	put_both(b, WPSN_CUR1, 0x0000007E, 0); /* sectors 0 and 7 */
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->wrp_known[0], 1);
	assert_int_equal(ob->wrp_sectors[0], 0x81);
	assert_int_equal(ob->wrp_known[1], 0);
	i = dfuse_option_bytes_find_field(ob, "nWRP1");
	assert_int_equal(ob->fields[i].sector, 0);
	assert_int_equal(ob->fields[i + 1].sector, 7);
	assert_string_equal(ob->fields[i + 1].name, "nWRP1");
	assert_int_equal(ob->fields[i + 1].address, 0x080E0000);
	f = field(ob, "nWRP2");
	assert_int_equal(f->known, 0);
	assert_int_equal(f->severity, DFUSE_SEV_NOTE);
	assert_text(f, "write protection of the bank at 0x08100000 unknown");
	assert_int_equal(f->offset, WPSN_CUR2);
}

static void test_optbytes__boot_addresses(void **state)
{
	static const struct {
		size_t off;	  /* BOOT7_CUR or BOOT4_CUR */
		uint32_t word;	  /* ADD1 << 16 | ADD0 */
		const char *name; /* the field judged */
		int severity;
		const char *fragment;
	} cases[] = {
		{BOOT7_CUR, 0x1FF00802, "BOOT_CM7_ADD0", DFUSE_SEV_NOTE,
		 "from 0x08020000 (flash, the bank at 0x08000000), not the "
		 "factory 0x08000000: the CM7's image must start there"},
		{BOOT7_CUR, 0x08000800, "BOOT_CM7_ADD1", DFUSE_SEV_WARNING,
		 "BOOT_CM7_ADD1 is not 0x1FF00000: BOOT0 no longer reaches "
		 "the ROM bootloader"},
		{BOOT7_CUR, 0x1FF01FF0, "BOOT_CM7_ADD0", DFUSE_SEV_WARNING,
		 "never runs an application"},
		{BOOT7_CUR, 0x1FF00000, "BOOT_CM7_ADD0", DFUSE_SEV_NOTE,
		 "ITCM"},
		{BOOT7_CUR, 0x1FF02400, "BOOT_CM7_ADD0", DFUSE_SEV_WARNING,
		 "outside the flash, ITCM and system memory"},
		{BOOT7_CUR, 0x1FF04000, "BOOT_CM7_ADD0", DFUSE_SEV_WARNING,
		 "not a valid boot address"},
		{BOOT4_CUR, 0x10000818, "BOOT_CM4_ADD0", DFUSE_SEV_NOTE,
		 "BOOT0 low starts the CM4 from 0x08180000"},
		{BOOT4_CUR, 0x10002000, "BOOT_CM4_ADD0", DFUSE_SEV_WARNING,
		 "the CM4 cannot reach it"},
		{BOOT4_CUR, 0x10001FF0, "BOOT_CM4_ADD0", DFUSE_SEV_WARNING,
		 "the CM4 cannot reach it"},
		{BOOT4_CUR, 0x10002400, "BOOT_CM4_ADD0", DFUSE_SEV_WARNING,
		 "outside the flash"},
		{BOOT4_CUR, 0x08100810, "BOOT_CM4_ADD1", DFUSE_SEV_NOTE,
		 "BOOT0 high starts the CM4 from 0x08100000"},
		{BOOT4_CUR, 0x50000810, "BOOT_CM4_ADD1", DFUSE_SEV_WARNING,
		 "not a valid boot address"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t *b = from(FACTORY_128, 128);
		const dfuse_option_bytes *ob;
		const dfuse_option_field *f;

		put_both(b, cases[i].off, cases[i].word, 0);
		ob = decode(&ob_a, b, 128);
		f = field(ob, cases[i].name);
		if (f->severity != cases[i].severity)
			print_error("case %zu: severity %d: %s\n", i,
				    f->severity, f->text);
		assert_int_equal(f->severity, cases[i].severity);
		assert_true(f->affects & DFUSE_OPTION_AFFECTS_BOOT);
		assert_text(f, cases[i].fragment);
		assert_int_equal(ob->factory, 0);
		assert_text(field(ob, "FACTORY"), cases[i].name);
	}
	/* the addresses themselves */
	{
		uint8_t *b = from(FACTORY_128, 128);
		const dfuse_option_bytes *ob;

		put_both(b, BOOT7_CUR, 0x24000802, 0);
		put_both(b, BOOT4_CUR, 0x08100818, 0);
		ob = decode(&ob_a, b, 128);
		assert_int_equal(ob->boot_cm7_add0, 0x08020000);
		assert_int_equal(ob->boot_cm7_add1, 0x24000000);
		assert_int_equal(ob->boot_cm4_add0, 0x08180000);
		assert_int_equal(ob->boot_cm4_add1, 0x08100000);
		assert_int_equal(field(ob, "BOOT_CM4_ADD0")->raw, 0x0818);
	}
}

static void test_optbytes__pcrop_and_secure(void **state)
{
	uint8_t *b = from(FACTORY_308, 308);
	const dfuse_option_bytes *ob;
	const dfuse_option_field *f;

	(void)state;
	/* PRAR1: START 0x010, END 0x01F, DMEP 1: 0x08001000-0x08001FFF */
	put_both(b, PRAR_CUR1, 0x801F0010, 0);
	/* PRAR2: START == END == 0x020 */
	put_both(b, PRAR_CUR2, 0x00200020, 0);
	/* SCAR1: START 0x000, END 0x0FF, DMES 0 */
	put_both(b, SCAR_CUR1, 0x00FF0000, 0);
	ob = decode(&ob_a, b, 308);

	assert_int_equal(ob->pcrop[0].active, 1);
	assert_int_equal(ob->pcrop[0].ambiguous, 0);
	assert_int_equal(ob->pcrop[0].start, 0x010);
	assert_int_equal(ob->pcrop[0].last, 0x01F);
	assert_int_equal(ob->pcrop[0].address, 0x08001000);
	assert_int_equal(ob->pcrop[0].end, 0x08002000);
	assert_int_equal(ob->pcrop[0].erase_on_regression, 1);
	f = field(ob, "PROT_AREA1");
	assert_int_equal(f->severity, DFUSE_SEV_WARNING);
	assert_int_equal(f->has_range, 1);
	assert_int_equal(f->address, 0x08001000);
	assert_int_equal(f->end, 0x08002000);
	assert_text(f, "PCROP area 0x08001000-0x08001FFF in the bank at "
		       "0x08000000");
	assert_text(f, "DMEP=1: erased");

	assert_int_equal(ob->pcrop[1].active, 1);
	assert_int_equal(ob->pcrop[1].ambiguous, 1);
	assert_int_equal(ob->pcrop[1].address, 0x08102000);
	assert_int_equal(ob->pcrop[1].end, 0x08102100);
	f = field(ob, "PROT_AREA2");
	assert_int_equal(f->severity, DFUSE_SEV_WARNING);
	assert_text(f, "START == END");
	assert_text(f, "0x08100000-0x081FFFFF"); /* the whole-bank reading */
	assert_text(f, "0x08102000-0x081020FF"); /* the size formula's */
	assert_int_equal(f->address, 0x08100000);
	assert_int_equal(f->end, 0x08200000);

	/* a secure area is enforced only with SECURITY=1 */
	assert_int_equal(ob->secure[0].active, 1);
	f = field(ob, "SEC_AREA1");
	assert_int_equal(f->severity, DFUSE_SEV_NOTE);
	assert_text(f, "secure-only area 0x08000000-0x0800FFFF");
	assert_text(f, "DMES=0: kept");
	assert_text(field(ob, "SEC_AREA2"), "no secure-only area");
	assert_text(field(ob, "PROT_AREA1"), "0x08001000"); /* not none */
	put_both(b, OPTSR_CUR, 0x1BE6AAF0, 1);		    /* SECURITY = 1 */
	ob = decode(&ob_a, b, 308);
	assert_int_equal(ob->security, 1);
	assert_int_equal(field(ob, "SEC_AREA1")->severity, DFUSE_SEV_WARNING);
	assert_int_equal(field(ob, "SECURITY")->severity, DFUSE_SEV_NOTE);

	/* none: END < START, whatever DMEP says */
	put_both(b, PRAR_CUR1, 0x80000001, 0);
	ob = decode(&ob_a, b, 308);
	assert_int_equal(ob->pcrop[0].active, 0);
	assert_int_equal(field(ob, "PROT_AREA1")->severity, DFUSE_OPTION_PLAIN);
	assert_text(field(ob, "PROT_AREA1"), "no PCROP area");
}

static void test_optbytes__staged(void **state)
{
	uint8_t *b = from(FACTORY_128, 128);
	const dfuse_option_bytes *ob;
	const dfuse_option_field *f;

	(void)state;
	put(b, OPTSR_PRG, 0x1786AAF0); /* BCM4 = 0 staged, not applied */
	put(b, BOOT4_PRG, 0x10000818);
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->staged, 1);
	assert_int_equal(ob->bcm4, 1); /* the _CUR value is decoded */
	f = field(ob, "STAGED");
	assert_int_equal(f->severity, DFUSE_SEV_NOTE);
	assert_text(f, "an unapplied option change is staged");
	assert_text(f, "OPTSR_PRG");
	assert_text(f, "BOOT4_PRG");
	assert_null(strstr(f->text, "BOOT7_PRG"));

	/* the CUR-only flags and reserved bits do not count */
	b = from(FACTORY_128, 128);
	put(b, OPTSR_CUR, 0x17C6AAF0 | 1u << 30 | 1u << 0);
	put(b, OPTSR_PRG, 0x03C6AAF0 | 1u << 16);
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->staged, 0);
	assert_int_equal(field(ob, "STAGED")->severity, DFUSE_OPTION_PLAIN);
	assert_int_equal(ob->opt_busy, 1);
	assert_int_equal(ob->optchangeerr, 1);
	assert_int_equal(field(ob, "OPT_BUSY")->severity, DFUSE_SEV_NOTE);
	assert_text(field(ob, "OPTCHANGEERR"), "the last option change "
					       "failed");
	assert_int_equal(ob->factory, 1); /* flags are not options */

	/* a bank-2 word, in 308 bytes */
	b = from(FACTORY_308, 308);
	put(b, WPSN_PRG2, 0x000000FD);
	ob = decode(&ob_a, b, 308);
	assert_int_equal(ob->staged, 1);
	assert_text(field(ob, "STAGED"), "WPSN_PRG2");
	assert_int_equal(ob->wrp_sectors[1], 0); /* not applied */
}

static void test_optbytes__user_bits(void **state)
{
	uint8_t *b = from(FACTORY_128, 128);
	const dfuse_option_bytes *ob;

	(void)state;
	/* IWDG1 hardware, NRST_STOP_D1 and NRST_STBY_D2 0 (reset on entry),
	 * FZ_IWDG_STOP 0, BOR level 2, IO_HSLV 1, ST_RAM_SIZE 3 */
	put_both(b, OPTSR_CUR,
		 (0x17C6AAF0 & ~(1u << 4 | 1u << 6 | 1u << 25 | 1u << 17)) |
			 2u << 2 | 1u << 29 | 3u << 19,
		 0);
	ob = decode(&ob_a, b, 128);
	assert_int_equal(ob->iwdg1_sw, 0);
	assert_int_equal(ob->iwdg2_sw, 1);
	assert_int_equal(ob->nrst_stop_d1, 0);
	assert_int_equal(ob->nrst_stby_d1, 1);
	assert_int_equal(ob->nrst_stby_d2, 0);
	assert_int_equal(ob->fz_iwdg_stop, 0);
	assert_int_equal(ob->bor_level, 2);
	assert_int_equal(ob->io_hslv, 1);
	assert_int_equal(ob->st_ram_kib, 16);
	assert_text(field(ob, "IWDG1_SW"), "hardware mode");
	assert_int_equal(field(ob, "IWDG1_SW")->severity, DFUSE_SEV_NOTE);
	assert_text(field(ob, "IWDG2_SW"), "software-started");
	assert_text(field(ob, "NRST_STOP_D1"), "entering Stop resets");
	assert_text(field(ob, "NRST_STBY_D1"), "no reset when D1");
	assert_text(field(ob, "NRST_STBY_D2"), "entering Standby resets");
	assert_text(field(ob, "FZ_IWDG_STOP"), "frozen in Stop");
	assert_text(field(ob, "BOR_LEV"), "level 2");
	assert_int_equal(field(ob, "BOR_LEV")->raw, 2);
	assert_int_equal(field(ob, "ST_RAM_SIZE")->raw, 3);
	assert_text(field(ob, "ST_RAM_SIZE"), "16 KiB");
	assert_text(field(ob, "FACTORY"), "IWDG1_SW");
	assert_text(field(ob, "FACTORY"), "BOR_LEV");
	assert_null(strstr(field(ob, "FACTORY")->text, "IWDG2_SW"));
}

static void test_optbytes__alias_mismatch(void **state)
{
	uint8_t *b = from(FACTORY_308, 308);
	const dfuse_option_bytes *ob;
	const dfuse_option_field *f;

	(void)state;
	put(b, BOOT4_CUR_ALIAS, 0x10000818);
	ob = decode(&ob_a, b, 308);
	f = field(ob, "ALIAS");
	assert_int_equal(f->severity, DFUSE_SEV_NOTE);
	assert_int_equal(f->offset, BOOT4_CUR_ALIAS);
	assert_text(f, "BOOT4_CUR alias");
	assert_int_equal(ob->boot_cm4_add0, 0x08100000); /* the register */
}

/* ======== Lengths ======== */

static void decode_fails(size_t len, const char *fragment, int64_t offset)
{
	dfuse_option_bytes *ob = &ob_a;
	int rc;

	memset(ob, 0x5A, sizeof(*ob));
	ob->version = DFUSE_OPTION_BYTES_VERSION;
	rc = dfuse_option_bytes_decode(ob, from(FACTORY_308, 308), len);
	if (rc != DFUSE_EFORMAT ||
	    strstr(dfuse_error_last()->message, fragment) == NULL)
		print_error("%zu bytes: rc %d '%s', want '%s'\n", len, rc,
			    dfuse_error_last()->message, fragment);
	assert_int_equal(rc, DFUSE_EFORMAT);
	assert_int_equal(dfuse_error_last()->code, DFUSE_EFORMAT);
	assert_non_null(strstr(dfuse_error_last()->message, fragment));
	assert_int_equal(dfuse_error_last()->offset, offset);
	/* the struct is cleared, not left half-filled */
	assert_int_equal(ob->field_count, 0);
	assert_int_equal(ob->rdp, 0);
	assert_int_equal(ob->version, DFUSE_OPTION_BYTES_VERSION);
}

static void test_optbytes__lengths(void **state)
{
	const dfuse_option_bytes *ob;

	(void)state;
	decode_fails(0, "the block is empty", 0);
	decode_fails(0, "BOOT4_PRG", 0);
	decode_fails(44, "the words from BOOT4_CUR (block offset 0x02C", 44);
	decode_fails(48,
		     "BOOT4_PRG (block offset 0x030, 0x5200204C) is "
		     "missing",
		     48);
	decode_fails(126, "not a whole number of 32-bit words", 124);
	decode_fails(126, "byte offset 124", 124);
	decode_fails(126, "holds 2 of its 4 bytes", 124);
	decode_fails(127, "holds 3 of its 4 bytes", 124);
	decode_fails(297, "BOOT7_PRG alias, 0x52002144",
		     296); /* the H7A3 ROM's size */

	/* 52: the least that holds every bank-1 and boot word */
	ob = decode(&ob_a, from(FACTORY_128, 128), 52);
	assert_int_equal(ob->decoded, 52);
	assert_int_equal(ob->boot_cm4_add0, 0x08100000);
	assert_int_equal(ob->factory, 1);
	/* 80 bytes: decoded as far as it goes, bank 2 unknown */
	ob = decode(&ob_a, from(FACTORY_128, 128), 80);
	assert_int_equal(ob->decoded, 80);
	assert_int_equal(ob->wrp_known[1], 0);
	assert_int_equal(ob->swap_bank, -1);
	assert_int_equal(ob->factory, 1);
	/* 128 */
	ob = decode(&ob_a, from(FACTORY_128, 128), 128);
	assert_int_equal(ob->decoded, 128);
	assert_text(field(ob, "BLOCK"), "a block of 128 bytes");
	/* 256 bytes: the swap in effect is there, bank 2's words are not */
	ob = decode(&ob_a, from(FACTORY_308, 308), 256);
	assert_int_equal(ob->swap_bank, 0);
	assert_int_equal(ob->wrp_known[1], 0);
	assert_int_equal(ob->pcrop[1].known, 0);
	/* 272 (0x110): PRAR_CUR2 in, PRAR_PRG2 not: nothing to compare */
	ob = decode(&ob_a, from(FACTORY_308, 308), 272);
	assert_int_equal(ob->pcrop[1].known, 1);
	assert_int_equal(ob->staged, 0);
	/* 276 (0x114): PRAR_CUR2 and _PRG2 in, SCAR_CUR2 not */
	ob = decode(&ob_a, from(FACTORY_308, 308), 276);
	assert_int_equal(ob->pcrop[1].known, 1);
	assert_int_equal(ob->secure[1].known, 0);
	/* 308 */
	ob = decode(&ob_a, from(FACTORY_308, 308), 308);
	assert_int_equal(ob->decoded, 308);
	assert_int_equal(ob->wrp_known[1], 1);
	assert_text(field(ob, "BLOCK"), "every option register");
	/* 1024: the first 308 decoded, the rest named and left alone */
	memset(blk, 0, sizeof(blk));
	memcpy(blk, FACTORY_308, 308);
	memset(blk + 308, 0x00, sizeof(blk) - 308);
	put(blk, 0x1FC, 0xFFFFFFFF);
	ob = decode(&ob_a, blk, 1024);
	assert_int_equal(ob->decoded, 308);
	assert_int_equal(ob->factory, 1);
	assert_int_equal(marked(ob), 0);
	assert_text(field(ob, "BLOCK"), "the 716 after them are not option "
					"registers");
}

static void test_optbytes__bad_arguments(void **state)
{
	dfuse_option_bytes *ob = &ob_a;
	const dfuse_option_bytes init = DFUSE_OPTION_BYTES_INIT;

	(void)state;
	assert_int_equal(dfuse_option_bytes_decode(NULL, FACTORY_128, 128),
			 DFUSE_EINVAL);
	*ob = init;
	assert_int_equal(dfuse_option_bytes_decode(ob, NULL, 128),
			 DFUSE_EINVAL);
	assert_int_equal(dfuse_option_bytes_decode(ob, NULL, 0), DFUSE_EFORMAT);
	ob->version = 2;
	assert_int_equal(dfuse_option_bytes_decode(ob, FACTORY_128, 128),
			 DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "dfuse_option_bytes version 2 is not "
			       "supported (expected 1)"));
	assert_int_equal(dfuse_option_bytes_find_field(NULL, "RDP"),
			 DFUSE_ENOTFOUND);
	*ob = init;
	assert_int_equal(dfuse_option_bytes_find_field(ob, "RDP"),
			 DFUSE_ENOTFOUND);
	decode(ob, FACTORY_128, 128);
	assert_int_equal(dfuse_option_bytes_find_field(ob, "rdp"),
			 DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_option_bytes_find_field(ob, NULL),
			 DFUSE_ENOTFOUND);
	assert_true(dfuse_option_bytes_find_field(ob, "RDP") >= 0);
}

/* ======== Reserved bits ======== */

static void assert_same_decode(const dfuse_option_bytes *a,
			       const dfuse_option_bytes *b)
{
	size_t i;

	/* every decoded value but the raw words */
	assert_int_equal(a->rdp, b->rdp);
	assert_int_equal(a->rdp_level, b->rdp_level);
	assert_int_equal(a->bcm7, b->bcm7);
	assert_int_equal(a->bcm4, b->bcm4);
	assert_int_equal(a->boot_cm7_add0, b->boot_cm7_add0);
	assert_int_equal(a->boot_cm7_add1, b->boot_cm7_add1);
	assert_int_equal(a->boot_cm4_add0, b->boot_cm4_add0);
	assert_int_equal(a->boot_cm4_add1, b->boot_cm4_add1);
	assert_int_equal(a->swap_bank_opt, b->swap_bank_opt);
	assert_int_equal(a->swap_bank, b->swap_bank);
	assert_memory_equal(a->wrp_known, b->wrp_known, sizeof(a->wrp_known));
	assert_memory_equal(a->wrp_sectors, b->wrp_sectors,
			    sizeof(a->wrp_sectors));
	assert_memory_equal(a->pcrop, b->pcrop, sizeof(a->pcrop));
	assert_memory_equal(a->secure, b->secure, sizeof(a->secure));
	assert_int_equal(a->iwdg1_sw, b->iwdg1_sw);
	assert_int_equal(a->iwdg2_sw, b->iwdg2_sw);
	assert_int_equal(a->fz_iwdg_stop, b->fz_iwdg_stop);
	assert_int_equal(a->fz_iwdg_sdby, b->fz_iwdg_sdby);
	assert_int_equal(a->nrst_stop_d1, b->nrst_stop_d1);
	assert_int_equal(a->nrst_stby_d1, b->nrst_stby_d1);
	assert_int_equal(a->nrst_stop_d2, b->nrst_stop_d2);
	assert_int_equal(a->nrst_stby_d2, b->nrst_stby_d2);
	assert_int_equal(a->bor_level, b->bor_level);
	assert_int_equal(a->io_hslv, b->io_hslv);
	assert_int_equal(a->security, b->security);
	assert_int_equal(a->st_ram_kib, b->st_ram_kib);
	assert_int_equal(a->opt_busy, b->opt_busy);
	assert_int_equal(a->optchangeerr, b->optchangeerr);
	assert_int_equal(a->staged, b->staged);
	assert_int_equal(a->factory, b->factory);
	/* every field but RESERVED, which shows them raw */
	assert_int_equal(a->field_count, b->field_count);
	for (i = 0; i < a->field_count; i++) {
		const dfuse_option_field *x = &a->fields[i], *y = &b->fields[i];

		assert_string_equal(x->name, y->name);
		if (strcmp(x->name, "RESERVED") == 0)
			continue;
		if (strcmp(x->text, y->text) != 0)
			print_error("%s: '%s' became '%s'\n", x->name, x->text,
				    y->text);
		assert_string_equal(x->text, y->text);
		assert_int_equal(x->raw, y->raw);
		assert_int_equal(x->severity, y->severity);
		assert_int_equal(x->affects, y->affects);
		assert_int_equal(x->known, y->known);
		assert_int_equal(x->sector, y->sector);
		assert_int_equal(x->has_range, y->has_range);
		assert_int_equal(x->address, y->address);
		assert_int_equal(x->end, y->end);
	}
}

/* Sets every reserved bit of the decoded words: OPTSR 28:26, 16, 1
 * (CUR, PRG and their aliases), PRAR/SCAR 30:28 and 15:12, WPSN 31:8. */
static void set_reserved(uint8_t *b, size_t len, int prg_too)
{
	static const struct {
		size_t off;
		uint32_t bits;
		int prg;
	} res[] = {
		{OPTSR_CUR, 0x1C010002, 0},
		{OPTSR_PRG, 0x1C010002, 1},
		{PRAR_CUR1, 0x7000F000, 0},
		{PRAR_PRG1, 0x7000F000, 1},
		{SCAR_CUR1, 0x7000F000, 0},
		{SCAR_PRG1, 0x7000F000, 1},
		{WPSN_CUR1, 0xFFFFFF00, 0},
		{WPSN_PRG1, 0xFFFFFF00, 1},
		{OPTSR_CUR_ALIAS, 0x1C010002, 0},
		{OPTSR_PRG_ALIAS, 0x1C010002, 1},
		{PRAR_CUR2, 0x7000F000, 0},
		{PRAR_PRG2, 0x7000F000, 1},
		{SCAR_CUR2, 0x7000F000, 0},
		{SCAR_PRG2, 0x7000F000, 1},
		{WPSN_CUR2, 0xFFFFFF00, 0},
		{WPSN_PRG2, 0xFFFFFF00, 1},
	};
	size_t i;

	for (i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		uint32_t v;

		if (res[i].off + 4 > len || (res[i].prg && !prg_too))
			continue;
		v = (uint32_t)b[res[i].off] | (uint32_t)b[res[i].off + 1] << 8 |
		    (uint32_t)b[res[i].off + 2] << 16 |
		    (uint32_t)b[res[i].off + 3] << 24;
		put(b, res[i].off, v | res[i].bits);
	}
}

static void reserved_case(const uint8_t *base, size_t len, int prg_too,
			  void (*change)(uint8_t *))
{
	static uint8_t plain[308];
	uint8_t *b;

	memcpy(plain, base, len);
	if (change != NULL)
		change(plain);
	decode(&ob_a, plain, len);
	b = from(plain, len);
	set_reserved(b, len, prg_too);
	decode(&ob_b, b, len);
	assert_same_decode(&ob_a, &ob_b);
	/* the bits are there, raw */
	assert_int_equal(field(&ob_b, "RESERVED")->raw, 0x1C010002);
	assert_int_equal(ob_b.words[0] & 0x1C010002, 0x1C010002);
	assert_text(field(&ob_b, "RESERVED"), "PRAR_CUR1");
}

/* Swap, BCM4 0, RDP 1, OPT_BUSY, PCROP with DMEP, a START == END secure
 * area, four protected sectors, boot addresses in RAM and off the
 * factory flash address (aliases kept equal). */
static void protected_variant(uint8_t *b)
{
	put_both(b, OPTSR_CUR, 0x9B86BBF1, 1);
	put(b, OPTSR_PRG, 0x9B86BBF0);
	put(b, OPTSR_PRG_ALIAS, 0x9B86BBF0);
	put_both(b, PRAR_CUR1, 0x80200010, 0);
	put_both(b, SCAR_CUR1, 0x00100010, 0);
	put_both(b, WPSN_CUR1, 0x0000005A, 0);
	put_both(b, BOOT7_CUR, 0x24000802, 1);
}

static void test_optbytes__reserved_bits(void **state)
{
	uint8_t *b;

	(void)state;
	/* a reserved bit just above nWRP is listed, and changes nothing */
	b = from(FACTORY_308, 308);
	put(b, WPSN_CUR2, 0x000001FF);
	decode(&ob_a, b, 308);
	assert_text(field(&ob_a, "RESERVED"), "OPTSR_PRG, WPSN_CUR2");
	assert_int_equal(ob_a.wrp_sectors[1], 0);
	assert_int_equal(ob_a.factory, 1);
	assert_int_equal(ob_a.staged, 0);
	assert_text(field(&ob_a, "nWRP2"), "no sector");

	reserved_case(FACTORY_128, 128, 1, NULL);
	reserved_case(FACTORY_308, 308, 1, NULL);
	reserved_case(FACTORY_308, 308, 0, NULL); /* CUR only: not staged */
	reserved_case(FACTORY_128, 128, 1, protected_variant);
	reserved_case(FACTORY_308, 308, 0, protected_variant);
	/* and the factory verdict ignores them */
	assert_int_equal(ob_a.factory, 0);
	reserved_case(FACTORY_308, 308, 1, NULL);
	assert_int_equal(ob_b.factory, 1);
	assert_int_equal(ob_b.staged, 0);
	assert_int_equal(marked(&ob_b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_optbytes__factory_128),
		cmocka_unit_test(test_optbytes__factory_308),
		cmocka_unit_test(test_optbytes__bcm4_off),
		cmocka_unit_test(test_optbytes__rdp),
		cmocka_unit_test(test_optbytes__swap_bank),
		cmocka_unit_test(test_optbytes__write_protection),
		cmocka_unit_test(test_optbytes__boot_addresses),
		cmocka_unit_test(test_optbytes__pcrop_and_secure),
		cmocka_unit_test(test_optbytes__staged),
		cmocka_unit_test(test_optbytes__user_bits),
		cmocka_unit_test(test_optbytes__alias_mismatch),
		cmocka_unit_test(test_optbytes__lengths),
		cmocka_unit_test(test_optbytes__bad_arguments),
		cmocka_unit_test(test_optbytes__reserved_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
