/*
 * test_h7model.c - the H7 ROM model's alternate setting 1 (the option-byte
 * block at 0x5200201C), its RDP level 1 refusals, its write protection,
 * the bootloader ID byte in system memory, USB reset and the ways of
 * leaving,
 * driven through the library's protocol layer (dfu_proto.h) and raw
 * transport calls, and checked against RM0399 Table 20's factory values
 * (written out here, not taken from the model) and the library's decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dfu_proto.h"
#include "dfuse.h"
#include "h7model.h"
#include "transport.h"

/* ======== Helpers ======== */

static const char *msg(void)
{
	return dfuse_error_last()->message;
}

#define assert_msg_has(frag)                                                   \
	do {                                                                   \
		if (strstr(msg(), (frag)) == NULL)                             \
			fail_msg("message '%s' lacks '%s'", msg(), (frag));    \
	} while (0)

struct rig {
	struct h7model *m;
	struct dfuse__transport t;
	struct dfuse__dfu d;
};

static void rig_open_cfg(struct rig *r, const struct h7model_config *cfg)
{
	r->m = h7model_new(cfg);
	assert_non_null(r->m);
	h7model_transport(&r->t, r->m);
	dfuse__dfu_init(&r->d, &r->t, H7MODEL_TRANSFER_SIZE);
}

static void rig_open(struct rig *r, uint16_t ob_size)
{
	struct h7model_config cfg;

	h7model_config_default(&cfg);
	if (ob_size != 0)
		cfg.ob_size = ob_size;
	rig_open_cfg(r, &cfg);
}

static void rig_close(struct rig *r)
{
	h7model_free(r->m);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Reads the block through the protocol layer and decodes it. */
static void read_decode(struct rig *r, dfuse_option_bytes *ob, uint8_t *buf,
			size_t len)
{
	assert_int_equal(
		dfuse__dfu_read(buf, &r->d, DFUSE_OPTION_BYTES_ADDRESS, len),
		0);
	ob->version = DFUSE_OPTION_BYTES_VERSION;
	assert_int_equal(dfuse_option_bytes_decode(ob, buf, len), 0);
}

/* A raw UPLOAD of `len` bytes at the pointer (after Set Address Pointer
 * and ABORT); returns the transport's result. */
static int raw_upload(struct rig *r, uint32_t address, uint8_t *buf,
		      uint16_t len)
{
	assert_int_equal(dfuse__dfu_set_address(&r->d, address), 0);
	assert_int_equal(dfuse__dfu_abort(&r->d), 0);
	return r->t.ops->control_in(r->t.ctx, DFUSE__DFU_UPLOAD,
				    DFUSE__DFU_FIRST_BLOCK, 0, buf, len,
				    DFUSE__DFU_CTRL_TIMEOUT_MS);
}

static void fill(struct rig *r, uint32_t address, size_t len, uint8_t v)
{
	memset(h7model_flash(r->m) + (address - H7MODEL_FLASH_BASE), v, len);
}

static int all_are(struct rig *r, uint32_t address, size_t len, uint8_t v)
{
	const uint8_t *p = h7model_flash(r->m) + (address - H7MODEL_FLASH_BASE);
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* After a refused operation the library has cleared the error: the
 * device is in dfuIDLE, or gets there. */
static void assert_idle_again(struct rig *r)
{
	assert_int_equal(dfuse__dfu_enter_idle(NULL, &r->d), 0);
	assert_int_equal(h7model_state(r->m), DFUSE__DFU_IDLE);
}

/* ======== The factory block ======== */

/* RM0399 Table 20, byte for byte, as the ROM's 128-byte answer: words at
 * register offset - 0x1C, little-endian; everything else 0. */
static void factory_128(uint8_t *out)
{
	static const struct {
		uint32_t off, value;
	} w[] = {
		{0x000, 0x17C6AAF0}, {0x004, 0x17C6AAF0}, /* OPTSR CUR/PRG */
		{0x00C, 0x000000FF}, {0x010, 0x000000FF}, /* PRAR1 */
		{0x014, 0x000000FF}, {0x018, 0x000000FF}, /* SCAR1 */
		{0x01C, 0x000000FF}, {0x020, 0x000000FF}, /* WPSN1 */
		{0x024, 0x1FF00800}, {0x028, 0x1FF00800}, /* BOOT7 */
		{0x02C, 0x10000810}, {0x030, 0x10000810}, /* BOOT4 */
	};
	size_t i;

	memset(out, 0, 128);
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		out[w[i].off] = (uint8_t)(w[i].value & 0xff);
		out[w[i].off + 1] = (uint8_t)((w[i].value >> 8) & 0xff);
		out[w[i].off + 2] = (uint8_t)((w[i].value >> 16) & 0xff);
		out[w[i].off + 3] = (uint8_t)((w[i].value >> 24) & 0xff);
	}
}

static void test_h7model__factory_block_read_and_decoded(void **state)
{
	struct rig r;
	uint8_t buf[128], want[128];
	dfuse_option_bytes ob = DFUSE_OPTION_BYTES_INIT;

	(void)state;
	rig_open(&r, 0);
	read_decode(&r, &ob, buf, sizeof(buf));
	factory_128(want);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(ob.factory, 1);
	assert_int_equal(ob.rdp, 0xAA);
	assert_int_equal(ob.rdp_level, 0);
	assert_int_equal(ob.bcm7, 1);
	assert_int_equal(ob.bcm4, 1);
	assert_int_equal(ob.boot_cm7_add0, 0x08000000);
	assert_int_equal(ob.boot_cm7_add1, 0x1FF00000);
	assert_int_equal(ob.boot_cm4_add0, 0x08100000);
	assert_int_equal(ob.boot_cm4_add1, 0x10000000);
	assert_int_equal(ob.swap_bank, -1); /* not in 128 bytes */
	assert_int_equal(ob.wrp_known[0], 1);
	assert_int_equal(ob.wrp_known[1], 0);
	assert_int_equal(ob.staged, 0);
	/* the read ends in dfuIDLE (dfuse__dfu_read's ABORT) */
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	rig_close(&r);
}

/* The descriptor string the model offers for alt 1. */
static void test_h7model__alt1_layout_parses(void **state)
{
	dfuse_layout *l = NULL;
	dfuse_layout_segment s;

	(void)state;
	assert_int_equal(dfuse_layout_parse(&l, H7MODEL_OB_LAYOUT), 0);
	assert_int_equal(dfuse_layout_count_segments(l), 1);
	assert_int_equal(dfuse_layout_get_segment(&s, l, 0), 0);
	assert_int_equal(s.address, H7MODEL_OB_ADDRESS);
	assert_int_equal(s.sector_size * s.sector_count, H7MODEL_OB_SIZE);
	dfuse_layout_free(l);
}

/* ======== 128 or 308 bytes ======== */

/* The default ROM answers a 308-byte request with its 128 bytes. */
static void test_h7model__default_answers_128(void **state)
{
	struct rig r;
	uint8_t buf[308];

	(void)state;
	rig_open(&r, 0);
	assert_int_equal(raw_upload(&r, H7MODEL_OB_ADDRESS, buf, sizeof(buf)),
			 128);
	assert_int_equal(le32(buf), 0x17C6AAF0);
	/* ... so the library's read of 308 is a short block */
	assert_int_equal(dfuse__dfu_abort(&r.d), 0);
	assert_int_equal(dfuse__dfu_read(buf, &r.d, H7MODEL_OB_ADDRESS, 308),
			 DFUSE_EUSB);
	assert_int_equal(dfuse__dfu_enter_idle(NULL, &r.d), 0);
	/* and a pointer past the 128 bytes is outside the block */
	assert_int_equal(dfuse__dfu_set_address(&r.d, H7MODEL_OB_ADDRESS + 128),
			 DFUSE_EDEVICE);
	assert_msg_has("errTARGET");
	rig_close(&r);
}

static void test_h7model__long_block_308_decoded(void **state)
{
	struct rig r;
	uint8_t buf[308];
	dfuse_option_bytes ob = DFUSE_OPTION_BYTES_INIT;

	(void)state;
	rig_open(&r, 308);
	read_decode(&r, &ob, buf, sizeof(buf));
	assert_int_equal(ob.decoded, 308);
	assert_int_equal(ob.factory, 1);
	assert_int_equal(ob.swap_bank, 0);
	assert_int_equal(ob.wrp_known[1], 1);
	assert_int_equal(ob.wrp_sectors[1], 0);
	/* the bank-2 words and the aliases, by RM0399's offsets */
	assert_int_equal(le32(buf + 0x100), 0x17C6AAF0); /* OPTSR_CUR alias */
	assert_int_equal(le32(buf + 0x104), 0x17C6AAF0); /* OPTSR_PRG alias */
	assert_int_equal(le32(buf + 0x10C), 0x000000FF); /* PRAR_CUR2 */
	assert_int_equal(le32(buf + 0x114), 0x000000FF); /* SCAR_CUR2 */
	assert_int_equal(le32(buf + 0x11C), 0x000000FF); /* WPSN_CUR2 */
	assert_int_equal(le32(buf + 0x120), 0x000000FF); /* WPSN_PRG2 */
	assert_int_equal(le32(buf + 0x124), 0x1FF00800); /* BOOT7_CUR alias */
	assert_int_equal(le32(buf + 0x130), 0x10000810); /* BOOT4_PRG alias */
	assert_int_equal(le32(buf + 0x0FC) >> 31, 0);	 /* OPTCR.SWAP_BANK */
	/* a shorter request gets what it asked for */
	assert_int_equal(dfuse__dfu_abort(&r.d), 0);
	assert_int_equal(raw_upload(&r, H7MODEL_OB_ADDRESS, buf, 128), 128);
	rig_close(&r);
}

/* ======== RDP level 1 ======== */

static void test_h7model__rdp1_refuses_reads_and_erases(void **state)
{
	struct rig r;
	uint8_t buf[1024];
	static const uint8_t one[32] = {0x5a};
	const uint32_t sector = 0x08020000;
	dfuse_option_bytes ob = DFUSE_OPTION_BYTES_INIT;
	int n;

	(void)state;
	rig_open(&r, 0);
	h7model_set_rdp(r.m, 0xBB);
	fill(&r, sector, H7MODEL_SECTOR_SIZE, 0x11);

	/* Set Address Pointer still works */
	assert_int_equal(dfuse__dfu_set_address(&r.d, sector), 0);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_DNLOAD_IDLE);
	assert_int_equal(dfuse__dfu_abort(&r.d), 0);

	/* a flash read: errVENDOR */
	assert_int_equal(dfuse__dfu_read(buf, &r.d, sector, sizeof(buf)),
			 DFUSE_EPROTECTED);
	assert_msg_has("errVENDOR");
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);

	/* the option bytes too ("whatever the target") */
	assert_int_equal(dfuse__dfu_read(buf, &r.d, H7MODEL_OB_ADDRESS, 128),
			 DFUSE_EPROTECTED);
	assert_msg_has("errVENDOR");

	/* an erase: errVENDOR, the sector as it was */
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, sector),
			 DFUSE_EPROTECTED);
	assert_msg_has("errVENDOR");
	assert_true(all_are(&r, sector, H7MODEL_SECTOR_SIZE, 0x11));
	assert_idle_again(&r);

	/* a mass erase and a write: errVENDOR, nothing changed */
	assert_int_equal(dfuse__dfu_mass_erase(&r.d), DFUSE_EPROTECTED);
	assert_msg_has("errVENDOR");
	assert_idle_again(&r);
	assert_int_equal(dfuse__dfu_write(&r.d, 0x08040000, one, sizeof(one)),
			 DFUSE_EPROTECTED);
	assert_msg_has("errVENDOR");
	assert_true(h7model_blank(r.m, 0x08040000, sizeof(one)));
	assert_true(all_are(&r, sector, H7MODEL_SECTOR_SIZE, 0x11));
	assert_idle_again(&r);

	/* the Get command still answers */
	n = r.t.ops->control_in(r.t.ctx, DFUSE__DFU_UPLOAD, 0, 0, buf, 16,
				DFUSE__DFU_CTRL_TIMEOUT_MS);
	assert_int_equal(n, 4);
	assert_int_equal(buf[0], DFUSE__DFUSE_GET);
	assert_int_equal(dfuse__dfu_abort(&r.d), 0);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);

	/* the image the ROM would not show decodes as level 1 */
	ob.version = DFUSE_OPTION_BYTES_VERSION;
	assert_int_equal(
		dfuse_option_bytes_decode(&ob, h7model_option_bytes(r.m), 128),
		0);
	assert_int_equal(ob.rdp, 0xBB);
	assert_int_equal(ob.rdp_level, 1);

	/* back to level 0, reads work again */
	h7model_set_rdp(r.m, 0xAA);
	assert_int_equal(dfuse__dfu_read(buf, &r.d, sector, sizeof(buf)), 0);
	assert_int_equal(buf[0], 0x11);
	rig_close(&r);
}

/* ======== Write protection ======== */

static void test_h7model__protected_sector_erase_fails(void **state)
{
	struct rig r;
	const uint32_t s3 = H7MODEL_FLASH_BASE + 3 * H7MODEL_SECTOR_SIZE;
	const uint32_t s4 = s3 + H7MODEL_SECTOR_SIZE;
	const uint32_t s9 = H7MODEL_BANK2 + H7MODEL_SECTOR_SIZE;

	(void)state;
	rig_open(&r, 0);
	h7model_protect_sector(r.m, 3);
	h7model_protect_sector(r.m, 9); /* bank 2, its sector 1 */
	/* nWRP1 bit 3 and nWRP2 bit 1 cleared, in CUR and PRG */
	assert_int_equal(le32(h7model_option_bytes(r.m) + 0x1C), 0xF7);
	assert_int_equal(le32(h7model_option_bytes(r.m) + 0x20), 0xF7);
	assert_int_equal(le32(h7model_option_bytes(r.m) + 0x11C), 0xFD);
	fill(&r, s3, 2 * H7MODEL_SECTOR_SIZE, 0x22);
	fill(&r, s9, H7MODEL_SECTOR_SIZE, 0x33);

	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, s3), DFUSE_EDEVICE);
	assert_msg_has("erase of the sector at 0x08060000");
	assert_msg_has("errERASE");
	assert_true(all_are(&r, s3, H7MODEL_SECTOR_SIZE, 0x22));
	assert_idle_again(&r);

	/* the neighbour erases */
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, s4), 0);
	assert_true(h7model_blank(r.m, s4, H7MODEL_SECTOR_SIZE));
	assert_true(all_are(&r, s3, H7MODEL_SECTOR_SIZE, 0x22));

	/* bank 2 by its own word */
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, s9), DFUSE_EDEVICE);
	assert_msg_has("errERASE");
	assert_true(all_are(&r, s9, H7MODEL_SECTOR_SIZE, 0x33));
	assert_idle_again(&r);
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, H7MODEL_BANK2), 0);

	/* a mass erase erases nothing */
	assert_int_equal(dfuse__dfu_mass_erase(&r.d), DFUSE_EDEVICE);
	assert_msg_has("errERASE");
	assert_true(all_are(&r, s3, H7MODEL_SECTOR_SIZE, 0x22));
	assert_idle_again(&r);
	rig_close(&r);
}

/* AN3156: "no error is returned" for an erase of a protected sector. */
static void test_h7model__protected_sector_erase_silent(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	const uint32_t s3 = H7MODEL_FLASH_BASE + 3 * H7MODEL_SECTOR_SIZE;
	const uint32_t s4 = s3 + H7MODEL_SECTOR_SIZE;

	(void)state;
	h7model_config_default(&cfg);
	cfg.wrp_erase_silent = 1;
	rig_open_cfg(&r, &cfg);
	h7model_protect_sector(r.m, 3);
	fill(&r, s3, 2 * H7MODEL_SECTOR_SIZE, 0x22);
	/* OK, and the sector as it was */
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, s3), 0);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_DNLOAD_IDLE);
	assert_true(all_are(&r, s3, H7MODEL_SECTOR_SIZE, 0x22));
	/* the neighbour erases */
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, s4), 0);
	assert_true(h7model_blank(r.m, s4, H7MODEL_SECTOR_SIZE));
	/* a mass erase: OK, nothing erased */
	fill(&r, s4, 16, 0x44);
	assert_int_equal(dfuse__dfu_mass_erase(&r.d), 0);
	assert_true(all_are(&r, s3, H7MODEL_SECTOR_SIZE, 0x22));
	assert_true(all_are(&r, s4, 16, 0x44));
	rig_close(&r);
}

static void test_h7model__protected_sector_write_fails(void **state)
{
	struct rig r;
	static const uint8_t data[64] = {1, 2, 3};
	const uint32_t s5 = H7MODEL_FLASH_BASE + 5 * H7MODEL_SECTOR_SIZE;

	(void)state;
	rig_open(&r, 0);
	h7model_set_nwrp(r.m, 0, (uint8_t) ~(1u << 5));
	assert_true(h7model_sector_protected(r.m, 5));
	assert_false(h7model_sector_protected(r.m, 4));
	/* a write ending in sector 5 from sector 4 */
	assert_int_equal(dfuse__dfu_write(&r.d, s5 - 32, data, sizeof(data)),
			 DFUSE_EDEVICE);
	assert_msg_has("errWRITE");
	assert_true(h7model_blank(r.m, s5 - 32, sizeof(data)));
	assert_idle_again(&r);
	/* below it, fine */
	assert_int_equal(dfuse__dfu_write(&r.d, s5 - 64, data, sizeof(data)),
			 0);
	assert_memory_equal(h7model_flash(r.m) + (s5 - 64 - H7MODEL_FLASH_BASE),
			    data, sizeof(data));
	rig_close(&r);
}

/* The 308-byte read names the protected sectors of both banks. */
static void test_h7model__protection_decoded(void **state)
{
	struct rig r;
	uint8_t buf[308];
	dfuse_option_bytes ob = DFUSE_OPTION_BYTES_INIT;

	(void)state;
	rig_open(&r, 308);
	h7model_protect_sector(r.m, 0);
	h7model_protect_sector(r.m, 15);
	read_decode(&r, &ob, buf, sizeof(buf));
	assert_int_equal(ob.wrp_sectors[0], 0x01);
	assert_int_equal(ob.wrp_sectors[1], 0x80);
	assert_int_equal(ob.factory, 0);
	assert_true(dfuse_option_bytes_find_field(&ob, "nWRP2") >= 0);
	rig_close(&r);
}

/* ======== Boot configuration ======== */

static void test_h7model__bcm4_off_and_cm4_boot_address(void **state)
{
	struct rig r;
	uint8_t buf[128];
	dfuse_option_bytes ob = DFUSE_OPTION_BYTES_INIT;
	int i;

	(void)state;
	rig_open(&r, 0);
	h7model_set_bcm(r.m, 1, 0);
	h7model_set_boot_cm4(r.m, 0x08180000, 0x10000000);
	read_decode(&r, &ob, buf, sizeof(buf));
	assert_int_equal(le32(buf), 0x17C6AAF0 & ~(1u << 22));
	assert_int_equal(le32(buf + 0x2C), 0x10000818);
	assert_int_equal(le32(buf + 0x30), 0x10000818);
	assert_int_equal(ob.bcm7, 1);
	assert_int_equal(ob.bcm4, 0);
	assert_int_equal(ob.boot_cm4_add0, 0x08180000);
	assert_int_equal(ob.boot_cm4_add1, 0x10000000);
	assert_int_equal(ob.boot_cm7_add0, 0x08000000);
	assert_int_equal(ob.staged, 0);
	assert_int_equal(ob.factory, 0);
	i = dfuse_option_bytes_find_field(&ob, "BCM4");
	assert_true(i >= 0);
	assert_int_equal(ob.fields[i].raw, 0);
	/* the aliases follow (a 308-byte image) */
	assert_int_equal(le32(h7model_option_bytes(r.m) + 0x12C), 0x10000818);
	assert_int_equal(le32(h7model_option_bytes(r.m) + 0x100) >> 22 & 1, 0);
	rig_close(&r);
}

static void test_h7model__cm7_boot_and_swap_bank(void **state)
{
	struct rig r;
	uint8_t buf[308];
	dfuse_option_bytes ob = DFUSE_OPTION_BYTES_INIT;

	(void)state;
	rig_open(&r, 308);
	h7model_set_boot_cm7(r.m, 0x08020000, 0x1FF00000);
	h7model_set_swap_bank(r.m, 1);
	read_decode(&r, &ob, buf, sizeof(buf));
	assert_int_equal(ob.boot_cm7_add0, 0x08020000);
	assert_int_equal(ob.boot_cm7_add1, 0x1FF00000);
	assert_int_equal(ob.swap_bank_opt, 1);
	assert_int_equal(ob.swap_bank, 1);
	assert_int_equal(le32(buf + 0x0FC), 0x80000001u);
	/* the simple case: flash stays addressed by window */
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, 0x08000000), 0);
	rig_close(&r);
}

/* The raw setter changes one word and nothing else. */
static void test_h7model__set_option_word_is_one_word(void **state)
{
	struct rig r;
	uint8_t before[H7MODEL_OB_IMAGE_SIZE];
	size_t i;

	(void)state;
	rig_open(&r, 0);
	memcpy(before, h7model_option_bytes(r.m), sizeof(before));
	h7model_set_option_word(r.m, H7MODEL_OB_OPTSR_CUR, 0x0B86AAF1);
	h7model_set_option_word(r.m, 2, 0xdeadbeef);   /* not aligned */
	h7model_set_option_word(r.m, 308, 0xdeadbeef); /* past the end */
	assert_int_equal(h7model_option_word(r.m, 0), 0x0B86AAF1);
	for (i = 4; i < sizeof(before); i++)
		assert_int_equal(h7model_option_bytes(r.m)[i], before[i]);
	rig_close(&r);
}

static void test_h7model__set_option_bytes_is_raw(void **state)
{
	struct rig r;
	uint8_t img[6] = {0xf0, 0xbb, 0x86, 0x17, 0x01, 0x02};
	uint8_t buf[H7MODEL_OB_IMAGE_SIZE + 4];

	(void)state;
	rig_open(&r, 0);
	h7model_set_option_bytes(r.m, img, sizeof(img));
	/* the RDP byte 0xBB: level 1 from the raw image alone */
	assert_true(h7model_rdp1(r.m));
	assert_int_equal(h7model_option_word(r.m, 0), 0x1786BBF0);
	/* byte 4-5 replaced, 6-7 of OPTSR_PRG kept (0xC6 0x17) */
	assert_int_equal(h7model_option_word(r.m, 4), 0x17C60201);
	/* more than the image: cut at 308 */
	memset(buf, 0x33, sizeof(buf));
	h7model_set_option_bytes(r.m, buf, sizeof(buf));
	assert_int_equal(h7model_option_word(r.m, 304), 0x33333333);
	rig_close(&r);
}

/* ======== The bootloader ID in system memory ======== */

static void test_h7model__bootloader_id_read(void **state)
{
	struct rig r;
	uint8_t buf[16];

	(void)state;
	rig_open(&r, 0);
	/* the 16 bytes before 0x1FF1E800: filler = low address byte, the
	 * ID 0x92 (AN2606 Table 3, V9.2) at 0x1FF1E7FE */
	assert_int_equal(dfuse__dfu_read(buf, &r.d, 0x1FF1E7F0, sizeof(buf)),
			 0);
	assert_int_equal(buf[0], 0xF0);
	assert_int_equal(buf[13], 0xFD);
	assert_int_equal(buf[14], 0x92);
	assert_int_equal(buf[15], 0xFF);
	/* the two bytes at the ID, the start of system memory */
	assert_int_equal(dfuse__dfu_read(buf, &r.d, 0x1FF1E7FE, 2), 0);
	assert_int_equal(buf[0], 0x92);
	assert_int_equal(dfuse__dfu_read(buf, &r.d, 0x1FF00000, 2), 0);
	assert_int_equal(buf[0], 0x00);
	assert_int_equal(buf[1], 0x01);
	/* a read past 0x1FF1E7FF: errADDRESS */
	assert_int_equal(dfuse__dfu_read(buf, &r.d, 0x1FF1E7FC, 8),
			 DFUSE_EDEVICE);
	assert_msg_has("errADDRESS");
	assert_idle_again(&r);
	/* just past system memory: not a target */
	assert_int_equal(dfuse__dfu_set_address(&r.d, 0x1FF1E800),
			 DFUSE_EDEVICE);
	assert_msg_has("errTARGET");
	assert_idle_again(&r);
	/* and nothing can be written or erased there */
	assert_int_equal(dfuse__dfu_erase(NULL, &r.d, 0x1FF00000),
			 DFUSE_EDEVICE);
	assert_msg_has("errTARGET");
	assert_idle_again(&r);
	rig_close(&r);

	/* another ROM's ID */
	{
		struct h7model_config cfg;

		h7model_config_default(&cfg);
		assert_int_equal(cfg.bootloader_id, 0x92);
		assert_int_equal(cfg.bootloader_id_readable, 1);
		cfg.bootloader_id = 0x90;
		rig_open_cfg(&r, &cfg);
		assert_int_equal(dfuse__dfu_read(buf, &r.d,
						 H7MODEL_BOOTLOADER_ID_ADDRESS,
						 2),
				 0);
		assert_int_equal(buf[0], 0x90);
		rig_close(&r);
	}
}

static void test_h7model__bootloader_id_unreadable(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	uint8_t buf[2];

	(void)state;
	h7model_config_default(&cfg);
	cfg.bootloader_id_readable = 0;
	rig_open_cfg(&r, &cfg);
	assert_int_equal(
		dfuse__dfu_set_address(&r.d, H7MODEL_BOOTLOADER_ID_ADDRESS),
		DFUSE_EDEVICE);
	assert_msg_has("errTARGET");
	assert_idle_again(&r);
	assert_int_equal(
		dfuse__dfu_read(buf, &r.d, H7MODEL_BOOTLOADER_ID_ADDRESS, 2),
		DFUSE_EDEVICE);
	assert_msg_has("errTARGET");
	rig_close(&r);
}

static void test_h7model__bootloader_id_refused_under_rdp1(void **state)
{
	struct rig r;
	uint8_t buf[2];

	(void)state;
	rig_open(&r, 0);
	h7model_set_rdp(r.m, 0xBB);
	/* the pointer is accepted, the read refused (AN3156) */
	assert_int_equal(
		dfuse__dfu_set_address(&r.d, H7MODEL_BOOTLOADER_ID_ADDRESS), 0);
	assert_int_equal(dfuse__dfu_abort(&r.d), 0);
	assert_int_equal(
		dfuse__dfu_read(buf, &r.d, H7MODEL_BOOTLOADER_ID_ADDRESS, 2),
		DFUSE_EPROTECTED);
	assert_msg_has("errVENDOR");
	assert_int_equal(h7model_count_data_uploads(r.m), 1);
	rig_close(&r);
}

/* ======== USB reset and the ways of leaving ======== */

static int xfer_out(struct rig *r, uint8_t request, uint16_t value,
		    const uint8_t *data, uint16_t len)
{
	return r->t.ops->control_out(r->t.ctx, request, value, 0, data, len,
				     DFUSE__DFU_CTRL_TIMEOUT_MS);
}

static int xfer_in(struct rig *r, uint8_t request, uint16_t value,
		   uint8_t *data, uint16_t len)
{
	return r->t.ops->control_in(r->t.ctx, request, value, 0, data, len,
				    DFUSE__DFU_CTRL_TIMEOUT_MS);
}

/* A raw GETSTATUS: the transport's result; *status and *st the reply. */
static int raw_status(struct rig *r, uint8_t *status, uint8_t *st)
{
	uint8_t b[DFUSE__DFU_STATUS_SIZE] = {0xee, 0, 0, 0, 0xee, 0};
	const int rc = xfer_in(r, DFUSE__DFU_GETSTATUS, 0, b, sizeof(b));

	*status = b[0];
	*st = b[4];
	return rc;
}

/* The zero-length DNLOAD of the leave request (wBlockNum 2, as dfu-util
 * and the library send it). */
static int leave_dnload(struct rig *r)
{
	return xfer_out(r, DFUSE__DFU_DNLOAD, DFUSE__DFU_FIRST_BLOCK, NULL, 0);
}

static void test_h7model__reset_leaves_wait_reset(void **state)
{
	struct rig r;
	uint8_t buf[16], status, st;

	(void)state;
	rig_open(&r, 0);
	fill(&r, H7MODEL_FLASH_BASE, 16, 0x11);
	fill(&r, 0x08020000, 16, 0x22);
	assert_int_equal(dfuse__dfu_set_address(&r.d, 0x08020000), 0);
	h7model_set_state(r.m, DFUSE__DFU_MANIFEST_WAIT_RESET, DFUSE__DFU_OK);

	/* waiting for a reset: the status requests answer, the rest stall
	 * and the state stays */
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(status, DFUSE__DFU_OK);
	assert_int_equal(st, DFUSE__DFU_MANIFEST_WAIT_RESET);
	assert_int_equal(xfer_in(&r, DFUSE__DFU_GETSTATE, 0, buf, 1), 1);
	assert_int_equal(buf[0], DFUSE__DFU_MANIFEST_WAIT_RESET);
	assert_int_equal(xfer_out(&r, DFUSE__DFU_CLRSTATUS, 0, NULL, 0),
			 DFUSE__XFER_STALL);
	assert_int_equal(xfer_out(&r, DFUSE__DFU_ABORT, 0, NULL, 0),
			 DFUSE__XFER_STALL);
	assert_int_equal(xfer_in(&r, DFUSE__DFU_UPLOAD, 2, buf, 16),
			 DFUSE__XFER_STALL);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_MANIFEST_WAIT_RESET);
	assert_int_equal(dfuse__dfu_enter_idle(NULL, &r.d), DFUSE_EDEVICE);
	assert_msg_has("dfuMANIFEST-WAIT-RESET");

	/* the reset: dfuIDLE, status OK, the pointer at 0x08000000 */
	assert_int_equal(h7model_resets(r.m), 0);
	assert_int_equal(h7model_usb_reset(r.m), 0);
	assert_int_equal(h7model_resets(r.m), 1);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_IDLE);
	assert_int_equal(h7model_status(r.m), DFUSE__DFU_OK);
	assert_int_equal(h7model_left(r.m, NULL), 0);
	assert_int_equal(xfer_in(&r, DFUSE__DFU_UPLOAD, 2, buf, 16), 16);
	assert_int_equal(buf[0], 0x11);
	assert_true(all_are(&r, 0x08020000, 16, 0x22));
	rig_close(&r);
}

static void test_h7model__reset_clears_error_and_stuck_erase(void **state)
{
	/* DfuSe Erase (0x41) of 0x08100000, little-endian (AN3156) */
	static const uint8_t erase[5] = {0x41, 0x00, 0x00, 0x10, 0x08};
	struct h7model_config cfg;
	struct rig r;
	uint8_t status, st;

	(void)state;
	h7model_config_default(&cfg);
	cfg.stuck_erase = 1;
	rig_open_cfg(&r, &cfg);
	/* a stuck bank-2 erase: dfuDNBUSY until CLRSTATUS, or a reset */
	assert_int_equal(xfer_out(&r, DFUSE__DFU_DNLOAD, 0, erase, 5), 0);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(st, DFUSE__DFU_DNBUSY);
	assert_int_equal(h7model_usb_reset(r.m), 0);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(st, DFUSE__DFU_IDLE);
	/* an error state too */
	h7model_set_state(r.m, DFUSE__DFU_ERROR, DFUSE__DFU_ERR_TARGET);
	assert_int_equal(h7model_usb_reset(r.m), 0);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(status, DFUSE__DFU_OK);
	assert_int_equal(st, DFUSE__DFU_IDLE);
	assert_int_equal(h7model_resets(r.m), 2);
	rig_close(&r);
}

static void test_h7model__reset_ignored(void **state)
{
	struct h7model_config cfg;
	struct rig r;
	uint8_t status, st;

	(void)state;
	h7model_config_default(&cfg);
	cfg.reset_ignored = 1;
	rig_open_cfg(&r, &cfg);
	h7model_set_state(r.m, DFUSE__DFU_MANIFEST_WAIT_RESET, DFUSE__DFU_OK);
	assert_int_equal(h7model_usb_reset(r.m), 0);
	assert_int_equal(h7model_usb_reset(r.m), 0);
	assert_int_equal(h7model_resets(r.m), 2);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(st, DFUSE__DFU_MANIFEST_WAIT_RESET);
	assert_int_equal(xfer_out(&r, DFUSE__DFU_ABORT, 0, NULL, 0),
			 DFUSE__XFER_STALL);
	rig_close(&r);
}

static void test_h7model__reset_of_a_gone_device_fails(void **state)
{
	struct rig r;
	uint8_t status, st;

	(void)state;
	rig_open(&r, 0);
	assert_int_equal(leave_dnload(&r), 0);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(st, DFUSE__DFU_MANIFEST);
	assert_int_equal(h7model_usb_reset(r.m), DFUSE__XFER_GONE);
	assert_int_equal(h7model_resets(r.m), 1);
	assert_int_equal(h7model_left(r.m, NULL), 1);
	rig_close(&r);
}

/* A model leaving in `mode`, its address pointer at 0x08040000. */
static void leave_rig(struct rig *r, enum h7model_leave mode)
{
	struct h7model_config cfg;

	h7model_config_default(&cfg);
	cfg.leave_mode = mode;
	rig_open_cfg(r, &cfg);
	assert_int_equal(dfuse__dfu_set_address(&r->d, 0x08040000), 0);
	assert_int_equal(dfuse__dfu_abort(&r->d), 0);
}

static void test_h7model__leave_manifest(void **state)
{
	struct rig r;
	uint8_t status, st;
	uint32_t to = 0;

	(void)state;
	leave_rig(&r, H7MODEL_LEAVE_MANIFEST);
	assert_int_equal(leave_dnload(&r), 0);
	assert_int_equal(h7model_left(r.m, NULL), 0);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(status, DFUSE__DFU_OK);
	assert_int_equal(st, DFUSE__DFU_MANIFEST);
	assert_int_equal(h7model_left(r.m, &to), 1);
	assert_int_equal(to, 0x08040000);
	assert_int_equal(raw_status(&r, &status, &st), DFUSE__XFER_GONE);
	rig_close(&r);
}

static void test_h7model__leave_stall_gone(void **state)
{
	struct rig r;
	uint8_t status, st;
	uint32_t to = 0;
	int how = -1;

	(void)state;
	leave_rig(&r, H7MODEL_LEAVE_STALL_GONE);
	assert_int_equal(leave_dnload(&r), 0);
	assert_int_equal(raw_status(&r, &status, &st), DFUSE__XFER_STALL);
	assert_int_equal(h7model_left(r.m, &to), 1);
	assert_int_equal(to, 0x08040000);
	assert_int_equal(raw_status(&r, &status, &st), DFUSE__XFER_GONE);
	assert_int_equal(xfer_out(&r, DFUSE__DFU_ABORT, 0, NULL, 0),
			 DFUSE__XFER_GONE);
	rig_close(&r);

	/* as the library's leave sees it */
	leave_rig(&r, H7MODEL_LEAVE_STALL_GONE);
	assert_int_equal(dfuse__dfu_leave(&how, &r.d, 0, 0), 0);
	assert_int_equal(how, DFUSE__DFU_LEFT_STALL);
	assert_int_equal(h7model_left(r.m, NULL), 1);
	rig_close(&r);
}

static void test_h7model__leave_stall_stay(void **state)
{
	struct rig r;
	uint8_t buf[4], status, st;

	(void)state;
	leave_rig(&r, H7MODEL_LEAVE_STALL_STAY);
	assert_int_equal(leave_dnload(&r), 0);
	/* the GETSTATUS that should say dfuMANIFEST stalls; the device is
	 * still there, in dfuMANIFEST-SYNC, refusing all but the status */
	assert_int_equal(raw_status(&r, &status, &st), DFUSE__XFER_STALL);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_MANIFEST_SYNC);
	assert_int_equal(h7model_left(r.m, NULL), 0);
	assert_int_equal(xfer_out(&r, DFUSE__DFU_ABORT, 0, NULL, 0),
			 DFUSE__XFER_STALL);
	assert_int_equal(xfer_out(&r, DFUSE__DFU_CLRSTATUS, 0, NULL, 0),
			 DFUSE__XFER_STALL);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_MANIFEST_SYNC);
	/* the next GETSTATUS: (OK, dfuMANIFEST-WAIT-RESET), and there it
	 * stays */
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(status, DFUSE__DFU_OK);
	assert_int_equal(st, DFUSE__DFU_MANIFEST_WAIT_RESET);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(st, DFUSE__DFU_MANIFEST_WAIT_RESET);
	assert_int_equal(xfer_in(&r, DFUSE__DFU_UPLOAD, 0, buf, 4),
			 DFUSE__XFER_STALL);
	assert_int_equal(leave_dnload(&r), DFUSE__XFER_STALL);
	assert_int_equal(h7model_state(r.m), DFUSE__DFU_MANIFEST_WAIT_RESET);
	assert_int_equal(h7model_left(r.m, NULL), 0);
	/* until a USB reset */
	assert_int_equal(h7model_usb_reset(r.m), 0);
	assert_int_equal(raw_status(&r, &status, &st), 6);
	assert_int_equal(st, DFUSE__DFU_IDLE);
	assert_int_equal(dfuse__dfu_read(buf, &r.d, H7MODEL_FLASH_BASE, 4), 0);
	assert_int_equal(h7model_left(r.m, NULL), 0);
	rig_close(&r);
}

static void test_h7model__leave_gone_at_dnload(void **state)
{
	struct rig r;
	uint8_t status, st;
	uint32_t to = 0;
	int how = -1;

	(void)state;
	leave_rig(&r, H7MODEL_LEAVE_GONE);
	assert_int_equal(leave_dnload(&r), DFUSE__XFER_GONE);
	assert_int_equal(h7model_left(r.m, &to), 1);
	assert_int_equal(to, 0x08040000);
	assert_int_equal(raw_status(&r, &status, &st), DFUSE__XFER_GONE);
	rig_close(&r);

	leave_rig(&r, H7MODEL_LEAVE_GONE);
	assert_int_equal(dfuse__dfu_leave(&how, &r.d, 0, 0), 0);
	assert_int_equal(how, DFUSE__DFU_LEFT_DISCONNECT);
	rig_close(&r);
}

/* uploads= counts the Get command too; data uploads only wValue >= 2. */
static void test_h7model__data_uploads_counted_apart(void **state)
{
	struct rig r;
	uint8_t buf[H7MODEL_TRANSFER_SIZE];

	(void)state;
	rig_open(&r, 0);
	assert_int_equal(xfer_in(&r, DFUSE__DFU_UPLOAD, 0, buf, 16), 4);
	assert_int_equal(dfuse__dfu_abort(&r.d), 0);
	/* two reads of one data block each */
	assert_int_equal(dfuse__dfu_read(buf, &r.d, H7MODEL_FLASH_BASE, 1000),
			 0);
	assert_int_equal(dfuse__dfu_read(buf, &r.d, H7MODEL_FLASH_BASE, 500),
			 0);
	assert_int_equal(h7model_count(r.m, DFUSE__DFU_UPLOAD, -1), 3);
	assert_int_equal(h7model_count_data_uploads(r.m), 2);
	rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h7model__factory_block_read_and_decoded),
		cmocka_unit_test(test_h7model__alt1_layout_parses),
		cmocka_unit_test(test_h7model__default_answers_128),
		cmocka_unit_test(test_h7model__long_block_308_decoded),
		cmocka_unit_test(test_h7model__rdp1_refuses_reads_and_erases),
		cmocka_unit_test(test_h7model__protected_sector_erase_fails),
		cmocka_unit_test(test_h7model__protected_sector_erase_silent),
		cmocka_unit_test(test_h7model__protected_sector_write_fails),
		cmocka_unit_test(test_h7model__protection_decoded),
		cmocka_unit_test(test_h7model__bcm4_off_and_cm4_boot_address),
		cmocka_unit_test(test_h7model__cm7_boot_and_swap_bank),
		cmocka_unit_test(test_h7model__set_option_word_is_one_word),
		cmocka_unit_test(test_h7model__set_option_bytes_is_raw),
		cmocka_unit_test(test_h7model__bootloader_id_read),
		cmocka_unit_test(test_h7model__bootloader_id_unreadable),
		cmocka_unit_test(
			test_h7model__bootloader_id_refused_under_rdp1),
		cmocka_unit_test(test_h7model__reset_leaves_wait_reset),
		cmocka_unit_test(
			test_h7model__reset_clears_error_and_stuck_erase),
		cmocka_unit_test(test_h7model__reset_ignored),
		cmocka_unit_test(test_h7model__reset_of_a_gone_device_fails),
		cmocka_unit_test(test_h7model__leave_manifest),
		cmocka_unit_test(test_h7model__leave_stall_gone),
		cmocka_unit_test(test_h7model__leave_stall_stay),
		cmocka_unit_test(test_h7model__leave_gone_at_dnload),
		cmocka_unit_test(test_h7model__data_uploads_counted_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
