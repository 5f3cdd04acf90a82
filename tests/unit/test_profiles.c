/*
 * test_profiles.c - the built-in device profiles: the invariants every
 * profile must keep (sorted, disjoint regions; banks inside flash regions;
 * boot addresses inside banks; unique lower-case names), then per-family
 * values from RM0399 §2 and §4.4, ST's CMSIS headers and the
 * observed ROM (doc/sources.md), written out here by hand rather than read back
 * from the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "dfuse.h"

#define CM7 DFUSE_CORE_BIT(DFUSE_CORE_CM7)
#define CM4 DFUSE_CORE_BIT(DFUSE_CORE_CM4)

static const dfuse_profile *get(const char *name)
{
	const dfuse_profile *p = dfuse_profile_find(name);

	if (p == NULL)
		fail_msg("no built-in profile '%s'", name);
	return p;
}

/* The region holding `address`; fails the test if there is none. */
static dfuse_region_info region_at(const dfuse_profile *p, uint32_t address)
{
	dfuse_region_info r;
	int i = dfuse_profile_find_region(p, address);

	if (i < 0)
		fail_msg("no region at 0x%08x", (unsigned)address);
	assert_int_equal(dfuse_profile_get_region(&r, p, (size_t)i), 0);
	return r;
}

static void test_profiles__h745_banks(void **state)
{
	const dfuse_profile *p = dfuse_profile_find("STM32H745XI");
	dfuse_profile_info info;
	dfuse_bank_info b;

	(void)state;
	assert_non_null(p);
	assert_ptr_equal(p, dfuse_profile_default());
	dfuse_profile_get_info(&info, p);
	assert_string_equal(info.name, "stm32h745xi");
	assert_int_equal(info.flash_word, 32);
	assert_int_equal(info.bank_count, 2);
	assert_int_equal(info.dual_core, 1);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 0), 0);
	assert_int_equal(b.number, 1);
	assert_int_equal(b.base, 0x08000000);
	assert_int_equal(b.sector_size, 128 * 1024);
	assert_int_equal(b.sector_count, 8);
	assert_int_equal(b.core, DFUSE_CORE_CM7);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 1), 0);
	assert_int_equal(b.base, 0x08100000);
	assert_int_equal(b.core, DFUSE_CORE_CM4);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 2), DFUSE_EINVAL);
	assert_int_equal(dfuse_profile_get_boot_address(p, DFUSE_CORE_CM7),
			 0x08000000);
	assert_int_equal(dfuse_profile_get_boot_address(p, DFUSE_CORE_CM4),
			 0x08100000);
	assert_null(dfuse_profile_find("stm32f405"));
	assert_null(dfuse_profile_find(NULL));
}

/* A range's banks and sectors: one span per bank touched, the sectors it
 * touches there; the count says how many banks even past `max`. */
static void test_profiles__locate_range(void **state)
{
	const dfuse_profile *p = dfuse_profile_default();
	dfuse_flash_span s[2];

	(void)state;
	assert_int_equal(dfuse_profile_locate_range(s, 2, p, 0x08000000, 1), 1);
	assert_int_equal(s[0].bank, 1);
	assert_int_equal(s[0].first, 0);
	assert_int_equal(s[0].last, 0);
	assert_int_equal(s[0].core, DFUSE_CORE_CM7);
	/* size 0 is one byte */
	assert_int_equal(dfuse_profile_locate_range(s, 2, p, 0x08020000, 0), 1);
	assert_int_equal(s[0].first, 1);
	assert_int_equal(s[0].last, 1);
	/* the last sector of bank 1 and the first two of bank 2 */
	assert_int_equal(
		dfuse_profile_locate_range(s, 2, p, 0x080E0000, 0x60000), 2);
	assert_int_equal(s[0].bank, 1);
	assert_int_equal(s[0].first, 7);
	assert_int_equal(s[0].last, 7);
	assert_int_equal(s[1].bank, 2);
	assert_int_equal(s[1].first, 0);
	assert_int_equal(s[1].last, 1);
	assert_int_equal(s[1].core, DFUSE_CORE_CM4);
	/* counted past max, nothing written past it */
	assert_int_equal(dfuse_profile_locate_range(NULL, 0, p, 0x080FFFFF, 2),
			 2);
	/* from below the flash into it: only the part in flash */
	assert_int_equal(dfuse_profile_locate_range(s, 2, p, 0x07FFFF00, 0x200),
			 1);
	assert_int_equal(s[0].bank, 1);
	assert_int_equal(s[0].last, 0);
	/* outside the flash */
	assert_int_equal(dfuse_profile_locate_range(s, 2, p, 0x24000000, 0x100),
			 0);
	assert_int_equal(
		dfuse_profile_locate_range(s, 2, p, 0xFFFFFFFF, 0xFFFFFFFF), 0);
}

static void test_profiles__locate(void **state)
{
	const dfuse_profile *p = dfuse_profile_default();
	dfuse_flash_location l;

	(void)state;
	assert_int_equal(dfuse_profile_locate(&l, p, 0x08000000), 0);
	assert_int_equal(l.bank, 1);
	assert_int_equal(l.sector, 0);
	assert_int_equal(l.core, DFUSE_CORE_CM7);
	assert_int_equal(dfuse_profile_locate(&l, p, 0x080FFFFF), 0);
	assert_int_equal(l.bank, 1);
	assert_int_equal(l.sector, 7);
	assert_int_equal(l.sector_base, 0x080E0000);
	assert_int_equal(dfuse_profile_locate(&l, p, 0x08120000), 0);
	assert_int_equal(l.bank, 2);
	assert_int_equal(l.sector, 1);
	assert_int_equal(l.core, DFUSE_CORE_CM4);
	assert_int_equal(dfuse_profile_locate(&l, p, 0x08200000),
			 DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_profile_locate(&l, p, 0x07FFFFFF),
			 DFUSE_ENOTFOUND);
	assert_string_equal(dfuse_core_name(DFUSE_CORE_CM4), "cm4");
	assert_string_equal(dfuse_core_name(99), "none");
}

/* ======== Invariants, for every profile ======== */

static void check_name(size_t i, const dfuse_profile_info *info)
{
	const char *c;
	size_t j;

	assert_true(strlen(info->name) > 0);
	for (c = info->name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			fail_msg("profile %zu: name '%s' is not lower-case "
				 "[a-z0-9]",
				 i, info->name);
	for (j = 0; j < i; j++) {
		dfuse_profile_info other;

		dfuse_profile_get_info(&other, dfuse_profile_get_builtin(j));
		if (strcasecmp(other.name, info->name) == 0)
			fail_msg("profiles %zu and %zu are both '%s'", j, i,
				 info->name);
	}
	assert_true(strlen(info->description) > 0);
	assert_null(strchr(info->description, '\n'));
}

static void check_regions(const dfuse_profile *p,
			  const dfuse_profile_info *info)
{
	uint64_t prev_end = 0;
	size_t i;

	assert_true(info->region_count > 0);
	for (i = 0; i < info->region_count; i++) {
		dfuse_region_info r;
		uint64_t end;

		assert_int_equal(dfuse_profile_get_region(&r, p, i), 0);
		end = (uint64_t)r.base + r.size;
		if (r.size == 0 || end > UINT64_C(0x100000000))
			fail_msg("%s: region '%s' is empty or wraps",
				 info->name, r.name);
		if (i > 0 && r.base < prev_end)
			fail_msg("%s: region '%s' at 0x%08x overlaps or is "
				 "out of order (previous ends at 0x%08llx)",
				 info->name, r.name, (unsigned)r.base,
				 (unsigned long long)prev_end);
		prev_end = end;
		assert_true(strlen(r.name) > 0);
		assert_true(r.kind >= DFUSE_MEM_FLASH &&
			    r.kind <= DFUSE_MEM_OTP);
		/* reached by some core, and only by the part's cores */
		assert_int_not_equal(r.cores, 0);
		assert_int_equal(r.cores & ~info->cores, 0);
		assert_int_equal(r.writable, r.kind != DFUSE_MEM_SYSTEM);
		if (r.bootloader_writable)
			assert_true(r.writable);
		/* RM0399 §2: the CM4 cannot reach system memory */
		if (r.kind == DFUSE_MEM_SYSTEM)
			assert_int_equal(r.cores, CM7);
		/* find_region at both ends and just outside */
		assert_int_equal(dfuse_profile_find_region(p, r.base), (int)i);
		assert_int_equal(
			dfuse_profile_find_region(p, (uint32_t)(end - 1)),
			(int)i);
		if (r.base > 0)
			assert_int_not_equal(
				dfuse_profile_find_region(p, r.base - 1),
				(int)i);
		if (end < UINT64_C(0x100000000))
			assert_int_not_equal(
				dfuse_profile_find_region(p, (uint32_t)end),
				(int)i);
		/* every flash region lies inside one bank */
		if (r.kind == DFUSE_MEM_FLASH) {
			dfuse_flash_location a, z;

			assert_int_equal(dfuse_profile_locate(&a, p, r.base),
					 0);
			assert_int_equal(dfuse_profile_locate(
						 &z, p, (uint32_t)(end - 1)),
					 0);
			assert_int_equal(a.bank, z.bank);
		}
	}
	{
		dfuse_region_info past;

		assert_int_equal(
			dfuse_profile_get_region(&past, p, info->region_count),
			DFUSE_EINVAL);
	}
}

static void check_banks(const dfuse_profile *p, const dfuse_profile_info *info)
{
	uint64_t prev_end = 0;
	size_t i;

	assert_true(info->bank_count >= 1 && info->bank_count <= 2);
	assert_true(info->flash_word >= 4);
	assert_int_equal(info->flash_word & (info->flash_word - 1), 0);
	for (i = 0; i < info->bank_count; i++) {
		dfuse_bank_info b;
		dfuse_region_info r;
		uint64_t end;
		int ri;

		assert_int_equal(dfuse_profile_get_bank(&b, p, i), 0);
		assert_int_equal(b.number, i + 1);
		assert_true(b.sector_size > 0 && b.sector_count > 0);
		if (b.sector_size % info->flash_word != 0)
			fail_msg("%s: the flash word (%u) does not divide bank "
				 "%u's sector size (%u)",
				 info->name, (unsigned)info->flash_word,
				 b.number, (unsigned)b.sector_size);
		end = (uint64_t)b.base +
		      (uint64_t)b.sector_size * b.sector_count;
		assert_true(end <= UINT64_C(0x100000000));
		assert_true(b.base >= prev_end);
		prev_end = end;
		/* the whole bank lies inside one flash region */
		ri = dfuse_profile_find_region(p, b.base);
		if (ri < 0)
			fail_msg("%s: bank %u at 0x%08x is in no region",
				 info->name, b.number, (unsigned)b.base);
		assert_int_equal(dfuse_profile_get_region(&r, p, (size_t)ri),
				 0);
		assert_int_equal(r.kind, DFUSE_MEM_FLASH);
		if (end > (uint64_t)r.base + r.size)
			fail_msg("%s: bank %u ends past region '%s'",
				 info->name, b.number, r.name);
	}
	{
		dfuse_bank_info past;

		assert_int_equal(
			dfuse_profile_get_bank(&past, p, info->bank_count),
			DFUSE_EINVAL);
	}
}

/* A core's boot address lies in a bank, and that bank is the core's. */
static void check_boot(const dfuse_profile *p, const dfuse_profile_info *info,
		       int core)
{
	uint32_t a = dfuse_profile_get_boot_address(p, core);
	dfuse_flash_location l;

	if (a == 0)
		fail_msg("%s: no boot address for %s", info->name,
			 dfuse_core_name(core));
	/* BOOT_CMx_ADDx hold address bits [31:16], RM0399 §4.4 */
	assert_int_equal(a & 0xFFFF, 0);
	if (dfuse_profile_locate(&l, p, a) != 0)
		fail_msg("%s: %s boot address 0x%08x is not in a flash bank",
			 info->name, dfuse_core_name(core), (unsigned)a);
	assert_int_equal(l.core, core);
}

static void test_profiles__invariants(void **state)
{
	size_t i, n = dfuse_profile_count_builtin();

	(void)state;
	assert_true(n >= 13);
	assert_null(dfuse_profile_get_builtin(n));
	for (i = 0; i < n; i++) {
		const dfuse_profile *p = dfuse_profile_get_builtin(i);
		dfuse_profile_info info;
		char upper[64];
		size_t k;

		assert_non_null(p);
		dfuse_profile_get_info(&info, p);
		check_name(i, &info);
		assert_ptr_equal(dfuse_profile_find(info.name), p);
		assert_true(strlen(info.name) < sizeof(upper));
		for (k = 0; info.name[k] != '\0'; k++) {
			const char c = info.name[k];

			upper[k] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A')
							: c;
		}
		upper[k] = '\0';
		assert_ptr_equal(dfuse_profile_find(upper), p);
		/* cores: CM7 always; CM4 exactly on the dual-core parts */
		assert_true(info.cores & CM7);
		assert_int_equal(info.cores & ~(CM7 | CM4), 0);
		assert_int_equal(info.dual_core, (info.cores & CM4) != 0);
		assert_int_equal(info.usb_vid, 0x0483);
		assert_int_equal(info.usb_pid, 0xDF11);
		check_banks(p, &info);
		check_regions(p, &info);
		check_boot(p, &info, DFUSE_CORE_CM7);
		assert_int_equal(
			dfuse_profile_get_boot_address(p, DFUSE_CORE_CM7),
			0x08000000);
		if (info.dual_core) {
			check_boot(p, &info, DFUSE_CORE_CM4);
			assert_int_equal(dfuse_profile_get_boot_address(
						 p, DFUSE_CORE_CM4),
					 0x08100000);
		} else {
			assert_int_equal(dfuse_profile_get_boot_address(
						 p, DFUSE_CORE_CM4),
					 0);
		}
		assert_int_equal(
			dfuse_profile_get_boot_address(p, DFUSE_CORE_NONE), 0);
	}
}

/* ======== The list itself ======== */

static void test_profiles__list(void **state)
{
	static const char *const names[] = {
		"stm32h745xi", "stm32h745xg", "stm32h755xi", "stm32h747xi",
		"stm32h757xi", "stm32h743xi", "stm32h743xg", "stm32h753xi",
		"stm32h750xb", "stm32h7a3xi", "stm32h7b3xi", "stm32h723xg",
		"stm32h733xg",
	};
	static const char *const dual[] = {
		"stm32h745xi", "stm32h745xg", "stm32h755xi",
		"stm32h747xi", "stm32h757xi",
	};
	dfuse_profile_info info;
	size_t i;

	(void)state;
	assert_int_equal(dfuse_profile_count_builtin(),
			 sizeof(names) / sizeof(names[0]));
	dfuse_profile_get_info(&info, dfuse_profile_get_builtin(0));
	assert_string_equal(info.name, "stm32h745xi");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k;
		int want = 0;

		dfuse_profile_get_info(&info, get(names[i]));
		for (k = 0; k < sizeof(dual) / sizeof(dual[0]); k++)
			if (strcmp(dual[k], names[i]) == 0)
				want = 1;
		if (info.dual_core != want)
			fail_msg("%s: dual_core %d, expected %d", names[i],
				 info.dual_core, want);
	}
}

/* ======== Families (RM0399 §2, §4; CMSIS headers) ======== */

/* H745/H755/H747/H757 xI: RM0399 §2, §4 */
static void test_profiles__h74x_dual_core_map(void **state)
{
	static const char *const names[] = {
		"stm32h745xi", "stm32h755xi", "stm32h747xi",
		"stm32h757xi", "stm32h745xg",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const dfuse_profile *p = get(names[i]);
		dfuse_region_info r;

		/* TCMs are CM7-only, RM0399 §2 */
		r = region_at(p, 0x00000000);
		assert_string_equal(r.name, "ITCM");
		assert_int_equal(r.cores, CM7);
		r = region_at(p, 0x2001FFFF);
		assert_int_equal(r.cores & CM4, 0);
		r = region_at(p, 0x20000000);
		assert_int_equal(r.cores & CM4, 0);
		/* the D2 alias is CM4-only (INFERRED, doc/sources.md,
		 * RM0399) */
		r = region_at(p, 0x10047FFF);
		assert_int_equal(r.cores, CM4);
		assert_int_equal(dfuse_profile_find_region(p, 0x10048000),
				 DFUSE_ENOTFOUND);
		/* AXI SRAM and SRAM4 are shared */
		r = region_at(p, 0x2407FFFF);
		assert_int_equal(r.cores, CM7 | CM4);
		r = region_at(p, 0x38000000);
		assert_int_equal(r.cores, CM7 | CM4);
		/* system memory 0x1FF00000-0x1FF1E7FF, CM7 only (1.2, 4.1) */
		r = region_at(p, 0x1FF1E7FF);
		assert_int_equal(r.kind, DFUSE_MEM_SYSTEM);
		assert_int_equal(r.cores, CM7);
		assert_false(r.writable);
		assert_int_equal(dfuse_profile_find_region(p, 0x1FF1E800),
				 DFUSE_ENOTFOUND);
	}
}

/* Boundaries of the bootloader's RAM split and the option bytes. */
static void test_profiles__find_region_boundaries(void **state)
{
	const dfuse_profile *p = get("stm32h745xi");
	dfuse_region_info r;

	(void)state;
	/* AN2606 Table 226: commands may use 0x20004100-0x2001FFFF */
	r = region_at(p, 0x200040FF);
	assert_false(r.bootloader_writable);
	assert_true(r.writable);
	r = region_at(p, 0x20004100);
	assert_true(r.bootloader_writable);
	assert_string_equal(r.name, "DTCM");
	assert_int_equal(dfuse_profile_find_region(p, 0x20020000),
			 DFUSE_ENOTFOUND);
	/* ... and 0x24005000-0x2407FFFF */
	r = region_at(p, 0x24004FFF);
	assert_false(r.bootloader_writable);
	r = region_at(p, 0x24005000);
	assert_true(r.bootloader_writable);
	assert_int_equal(dfuse_profile_find_region(p, 0x24080000),
			 DFUSE_ENOTFOUND);
	/* SRAM1-3 are out of the ROM's reach (AN2606 Table 136) */
	r = region_at(p, 0x30000000);
	assert_false(r.bootloader_writable);
	/* option bytes: 0x5200201C, 128 bytes (doc/sources.md, Observed) */
	assert_int_equal(dfuse_profile_find_region(p, 0x5200201B),
			 DFUSE_ENOTFOUND);
	r = region_at(p, 0x5200201C);
	assert_int_equal(r.kind, DFUSE_MEM_OPTION);
	assert_int_equal(r.size, 128);
	assert_true(r.bootloader_writable);
	region_at(p, 0x5200209B);
	assert_int_equal(dfuse_profile_find_region(p, 0x5200209C),
			 DFUSE_ENOTFOUND);
	/* the gap between the banks of an xI does not exist; of an xG it
	   does */
	r = region_at(p, 0x080FFFFF);
	assert_string_equal(r.name, "Flash bank 1");
	r = region_at(p, 0x08100000);
	assert_string_equal(r.name, "Flash bank 2");
	assert_int_equal(dfuse_profile_find_region(p, 0x07FFFFFF),
			 DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_profile_find_region(p, 0xFFFFFFFF),
			 DFUSE_ENOTFOUND);
}

/* xG: 2 x 4 x 128 KiB, bank 1 ends at 0x0807FFFF, bank 2 at 0x08100000 */
static void test_profiles__xg_banks(void **state)
{
	static const char *const names[] = {"stm32h745xg", "stm32h743xg"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		const dfuse_profile *p = get(names[i]);
		dfuse_flash_location l;
		dfuse_bank_info b;

		assert_int_equal(dfuse_profile_get_bank(&b, p, 0), 0);
		assert_int_equal(b.base, 0x08000000);
		assert_int_equal(b.sector_size, 0x20000);
		assert_int_equal(b.sector_count, 4);
		assert_int_equal(dfuse_profile_get_bank(&b, p, 1), 0);
		assert_int_equal(b.base, 0x08100000);
		assert_int_equal(b.sector_count, 4);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x0807FFFF), 0);
		assert_int_equal(l.bank, 1);
		assert_int_equal(l.sector, 3);
		assert_int_equal(l.sector_base, 0x08060000);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x08080000),
				 DFUSE_ENOTFOUND);
		assert_int_equal(dfuse_profile_find_region(p, 0x08080000),
				 DFUSE_ENOTFOUND);
		assert_int_equal(dfuse_profile_find_region(p, 0x080FFFFF),
				 DFUSE_ENOTFOUND);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x08100000), 0);
		assert_int_equal(l.bank, 2);
		assert_int_equal(l.sector, 0);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x0817FFFF), 0);
		assert_int_equal(l.sector, 3);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x08180000),
				 DFUSE_ENOTFOUND);
		assert_int_equal(dfuse_profile_find_region(p, 0x08180000),
				 DFUSE_ENOTFOUND);
	}
}

/* Single-core parts: a bank holds no core's boot address -> no core. */
static void test_profiles__single_core_banks(void **state)
{
	static const char *const names[] = {
		"stm32h743xi", "stm32h743xg", "stm32h753xi",
		"stm32h7a3xi", "stm32h7b3xi",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const dfuse_profile *p = get(names[i]);
		dfuse_profile_info info;
		dfuse_flash_location l;
		dfuse_bank_info b;

		dfuse_profile_get_info(&info, p);
		assert_int_equal(info.dual_core, 0);
		assert_int_equal(info.cores, CM7);
		assert_int_equal(dfuse_profile_get_bank(&b, p, 0), 0);
		assert_int_equal(b.core, DFUSE_CORE_CM7);
		assert_int_equal(dfuse_profile_get_bank(&b, p, 1), 0);
		assert_int_equal(b.base, 0x08100000);
		assert_int_equal(b.core, DFUSE_CORE_NONE);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x08100000), 0);
		assert_int_equal(l.bank, 2);
		assert_int_equal(l.core, DFUSE_CORE_NONE);
		/* no CM4, so no CM4 alias of D2 SRAM */
		assert_int_equal(dfuse_profile_find_region(p, 0x10000000),
				 DFUSE_ENOTFOUND);
	}
}

/* H743/H753: the H745 map without the CM4 (RM0399 §2) */
static void test_profiles__h743_map(void **state)
{
	const dfuse_profile *p = get("stm32h743xi");
	const dfuse_profile *h745 = get("stm32h745xi");
	dfuse_profile_info info, i745;
	size_t i, k = 0;

	(void)state;
	dfuse_profile_get_info(&info, p);
	dfuse_profile_get_info(&i745, h745);
	/* every H745 region but the CM4-only alias, same place and size */
	assert_int_equal(info.region_count + 1, i745.region_count);
	for (i = 0; i < i745.region_count; i++) {
		dfuse_region_info a, b;

		assert_int_equal(dfuse_profile_get_region(&a, h745, i), 0);
		if (a.cores == CM4)
			continue;
		assert_int_equal(dfuse_profile_get_region(&b, p, k++), 0);
		assert_string_equal(a.name, b.name);
		assert_int_equal(a.base, b.base);
		assert_int_equal(a.size, b.size);
		assert_int_equal(a.kind, b.kind);
		assert_int_equal(a.bootloader_writable, b.bootloader_writable);
		assert_int_equal(b.cores, CM7);
	}
}

/* H750xB: one bank of one 128 KiB sector, FLASH_END 0x0801FFFF */
static void test_profiles__h750(void **state)
{
	const dfuse_profile *p = get("stm32h750xb");
	dfuse_profile_info info;
	dfuse_flash_location l;
	dfuse_bank_info b;
	dfuse_region_info r;

	(void)state;
	dfuse_profile_get_info(&info, p);
	assert_int_equal(info.bank_count, 1);
	assert_int_equal(info.flash_word, 32);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 0), 0);
	assert_int_equal(b.base, 0x08000000);
	assert_int_equal(b.sector_size, 128 * 1024);
	assert_int_equal(b.sector_count, 1);
	assert_int_equal(b.core, DFUSE_CORE_CM7);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 1), DFUSE_EINVAL);
	assert_int_equal(dfuse_profile_locate(&l, p, 0x0801FFFF), 0);
	assert_int_equal(l.sector, 0);
	r = region_at(p, 0x0801FFFF);
	assert_int_equal(r.kind, DFUSE_MEM_FLASH);
	assert_true(r.bootloader_writable);
	assert_int_equal(dfuse_profile_locate(&l, p, 0x08020000),
			 DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_profile_find_region(p, 0x08020000),
			 DFUSE_ENOTFOUND);
	assert_int_equal(dfuse_profile_find_region(p, 0x08100000),
			 DFUSE_ENOTFOUND);
	/* RAM like the H743 (CMSIS) */
	r = region_at(p, 0x24005000);
	assert_true(r.bootloader_writable);
}

/* H7A3/H7B3: 2 x 128 x 8 KiB, flash word 16, OTP (CMSIS headers) */
static void test_profiles__h7a3(void **state)
{
	static const char *const names[] = {"stm32h7a3xi", "stm32h7b3xi"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		const dfuse_profile *p = get(names[i]);
		dfuse_profile_info info;
		dfuse_flash_location l;
		dfuse_bank_info b;
		dfuse_region_info r;

		dfuse_profile_get_info(&info, p);
		assert_int_equal(info.flash_word, 16);
		assert_int_equal(info.bank_count, 2);
		assert_int_equal(dfuse_profile_get_bank(&b, p, 0), 0);
		assert_int_equal(b.sector_size, 8 * 1024);
		assert_int_equal(b.sector_count, 128);
		assert_int_equal(dfuse_profile_get_bank(&b, p, 1), 0);
		assert_int_equal(b.base, 0x08100000);
		assert_int_equal(b.sector_size, 8 * 1024);
		assert_int_equal(b.sector_count, 128);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x080FFFFF), 0);
		assert_int_equal(l.bank, 1);
		assert_int_equal(l.sector, 127);
		assert_int_equal(l.sector_base, 0x080FE000);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x08102001), 0);
		assert_int_equal(l.bank, 2);
		assert_int_equal(l.sector, 1);
		assert_int_equal(l.sector_base, 0x08102000);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x08200000),
				 DFUSE_ENOTFOUND);
		/* OTP 0x08FFF000-0x08FFF3FF, not a bank */
		r = region_at(p, 0x08FFF000);
		assert_int_equal(r.kind, DFUSE_MEM_OTP);
		assert_int_equal(r.size, 1024);
		assert_true(r.writable);
		assert_true(r.bootloader_writable);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x08FFF000),
				 DFUSE_ENOTFOUND);
		assert_int_equal(dfuse_profile_find_region(p, 0x08FFF400),
				 DFUSE_ENOTFOUND);
		/* AXI SRAM1-3 and AHB SRAM1-2 (CMSIS) */
		r = region_at(p, 0x24000000);
		assert_int_equal(r.size, 256 * 1024);
		r = region_at(p, 0x24040000);
		assert_int_equal(r.size, 384 * 1024);
		r = region_at(p, 0x240FFFFF);
		assert_int_equal(r.base, 0x240A0000);
		assert_int_equal(dfuse_profile_find_region(p, 0x24100000),
				 DFUSE_ENOTFOUND);
		r = region_at(p, 0x3001FFFF);
		assert_int_equal(r.base, 0x30010000);
		r = region_at(p, 0x38007FFF);
		assert_int_equal(r.base, 0x38000000);
		assert_int_equal(dfuse_profile_find_region(p, 0x38008000),
				 DFUSE_ENOTFOUND);
		/* RAM: not bootloader-writable (INFERRED, defensive) */
		r = region_at(p, 0x24000000);
		assert_false(r.bootloader_writable);
	}
	/* no OTP on the H74x/75x (CMSIS stm32h745xx.h) */
	assert_int_equal(
		dfuse_profile_find_region(get("stm32h745xi"), 0x08FFF000),
		DFUSE_ENOTFOUND);
}

/* H723/H733: 1 bank x 8 x 128 KiB ending at 0x080FFFFF (CMSIS) */
static void test_profiles__h723(void **state)
{
	static const char *const names[] = {"stm32h723xg", "stm32h733xg"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		const dfuse_profile *p = get(names[i]);
		dfuse_profile_info info;
		dfuse_flash_location l;
		dfuse_bank_info b;
		dfuse_region_info r;

		dfuse_profile_get_info(&info, p);
		assert_int_equal(info.flash_word, 32);
		assert_int_equal(info.bank_count, 1);
		assert_int_equal(info.dual_core, 0);
		assert_int_equal(dfuse_profile_get_bank(&b, p, 0), 0);
		assert_int_equal(b.base, 0x08000000);
		assert_int_equal(b.sector_size, 128 * 1024);
		assert_int_equal(b.sector_count, 8);
		assert_int_equal(b.core, DFUSE_CORE_CM7);
		assert_int_equal(dfuse_profile_get_bank(&b, p, 1),
				 DFUSE_EINVAL);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x080FFFFF), 0);
		assert_int_equal(l.bank, 1);
		assert_int_equal(l.sector, 7);
		assert_int_equal(dfuse_profile_locate(&l, p, 0x08100000),
				 DFUSE_ENOTFOUND);
		assert_int_equal(dfuse_profile_find_region(p, 0x08100000),
				 DFUSE_ENOTFOUND);
		/* D2 SRAM2: the CMSIS address, not Zephyr's (they disagree) */
		r = region_at(p, 0x30004000);
		assert_int_equal(r.size, 16 * 1024);
		assert_int_equal(dfuse_profile_find_region(p, 0x30040000),
				 DFUSE_ENOTFOUND);
		/* AXI SRAM1 128K + SRAM2 up to 192K */
		r = region_at(p, 0x2404FFFF);
		assert_int_equal(r.base, 0x24020000);
		assert_int_equal(dfuse_profile_find_region(p, 0x24050000),
				 DFUSE_ENOTFOUND);
		r = region_at(p, 0x38003FFF);
		assert_int_equal(r.base, 0x38000000);
		assert_int_equal(dfuse_profile_find_region(p, 0x38004000),
				 DFUSE_ENOTFOUND);
		assert_int_equal(dfuse_profile_find_region(p, 0x08FFF000),
				 DFUSE_ENOTFOUND);
	}
}

/* ======== Profiles derived from a layout string ======== */

static dfuse_layout *layout(const char *str)
{
	dfuse_layout *l = NULL;

	assert_int_equal(dfuse_layout_parse(&l, str), 0);
	return l;
}

/* Banks and regions of two profiles, field by field. */
static void same_geometry(const dfuse_profile *a, const dfuse_profile *b)
{
	dfuse_profile_info ia, ib;
	size_t i;

	dfuse_profile_get_info(&ia, a);
	dfuse_profile_get_info(&ib, b);
	assert_int_equal(ia.bank_count, ib.bank_count);
	assert_int_equal(ia.region_count, ib.region_count);
	assert_int_equal(ia.flash_word, ib.flash_word);
	assert_int_equal(ia.cores, ib.cores);
	for (i = 0; i < ia.bank_count; i++) {
		dfuse_bank_info x, y;

		assert_int_equal(dfuse_profile_get_bank(&x, a, i), 0);
		assert_int_equal(dfuse_profile_get_bank(&y, b, i), 0);
		assert_int_equal(x.number, y.number);
		assert_int_equal(x.base, y.base);
		assert_int_equal(x.sector_size, y.sector_size);
		assert_int_equal(x.sector_count, y.sector_count);
		assert_int_equal(x.core, y.core);
	}
	for (i = 0; i < ia.region_count; i++) {
		dfuse_region_info x, y;

		assert_int_equal(dfuse_profile_get_region(&x, a, i), 0);
		assert_int_equal(dfuse_profile_get_region(&y, b, i), 0);
		assert_string_equal(x.name, y.name);
		assert_int_equal(x.base, y.base);
		assert_int_equal(x.size, y.size);
		assert_int_equal(x.kind, y.kind);
		assert_int_equal(x.cores, y.cores);
		assert_int_equal(x.bootloader_writable, y.bootloader_writable);
	}
}

/* The H745 ROM's own alt 0 string (one run of 16 x 128 KiB, both banks
 * contiguous in the DFU view) gives the built-in H745 back: the run is cut
 * at bank 2's base, 0x08100000. */
static void test_profiles__layout_rom_string_is_h745(void **state)
{
	dfuse_layout *l = layout("@Internal Flash   /0x08000000/16*128Kg");
	dfuse_profile *p = NULL;
	dfuse_flash_location loc;

	(void)state;
	assert_int_equal(
		dfuse_profile_new_with_layout(&p, get("stm32h745xi"), l), 0);
	same_geometry(p, get("stm32h745xi"));
	assert_int_equal(dfuse_profile_locate(&loc, p, 0x08100000), 0);
	assert_int_equal(loc.bank, 2);
	assert_int_equal(loc.sector, 0);
	assert_int_equal(loc.core, DFUSE_CORE_CM4);
	assert_int_equal(dfuse_profile_get_boot_address(p, DFUSE_CORE_CM4),
			 0x08100000);
	dfuse_profile_free(p);
	dfuse_layout_free(l);
}

/* 8 KiB sectors in one block, no --device: one bank, no cores, only the
 * flash; the H745 over the same layout keeps its RAM and its two banks,
 * now of 128 x 8 KiB. */
static void test_profiles__layout_8k_sectors(void **state)
{
	dfuse_layout *l = layout("@Flash /0x08000000/256*8Kg");
	dfuse_profile *p = NULL;
	dfuse_profile_info info;
	dfuse_bank_info b;
	dfuse_region_info r;
	dfuse_flash_location loc;

	(void)state;
	assert_int_equal(dfuse_profile_new_with_layout(&p, NULL, l), 0);
	dfuse_profile_get_info(&info, p);
	assert_string_equal(info.name, "Flash ");
	assert_int_equal(info.bank_count, 1);
	assert_int_equal(info.cores, 0);
	assert_int_equal(info.flash_word, 1);
	assert_int_equal(info.region_count, 1);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 0), 0);
	assert_int_equal(b.base, 0x08000000);
	assert_int_equal(b.sector_size, 8192);
	assert_int_equal(b.sector_count, 256);
	assert_int_equal(b.core, DFUSE_CORE_NONE);
	assert_int_equal(dfuse_profile_get_region(&r, p, 0), 0);
	assert_string_equal(r.name, "Flash bank 1");
	assert_int_equal(r.size, 2 * 1024 * 1024);
	assert_int_equal(r.kind, DFUSE_MEM_FLASH);
	assert_int_equal(dfuse_profile_locate(&loc, p, 0x08100000), 0);
	assert_int_equal(loc.bank, 1);
	assert_int_equal(loc.sector, 128);
	assert_int_equal(dfuse_profile_get_boot_address(p, DFUSE_CORE_CM7), 0);
	assert_int_equal(dfuse_profile_find_region(p, 0x24005000),
			 DFUSE_ENOTFOUND);
	dfuse_profile_free(p);

	assert_int_equal(
		dfuse_profile_new_with_layout(&p, get("stm32h745xi"), l), 0);
	dfuse_profile_get_info(&info, p);
	assert_string_equal(info.name, "stm32h745xi");
	assert_int_equal(info.bank_count, 2);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 1), 0);
	assert_int_equal(b.base, 0x08100000);
	assert_int_equal(b.sector_size, 8192);
	assert_int_equal(b.sector_count, 128);
	assert_int_equal(b.core, DFUSE_CORE_CM4);
	assert_int_equal(dfuse_profile_locate(&loc, p, 0x08102000), 0);
	assert_int_equal(loc.sector, 1);
	assert_true(dfuse_profile_find_region(p, 0x24005000) >= 0);
	/* the invariants of the built-in profiles hold */
	check_banks(p, &info);
	check_regions(p, &info);
	check_boot(p, &info, DFUSE_CORE_CM7);
	check_boot(p, &info, DFUSE_CORE_CM4);
	dfuse_profile_free(p);
	dfuse_layout_free(l);
}

/* Two blocks, read-only and option segments left out, blocks given out
 * of address order. */
static void test_profiles__layout_blocks(void **state)
{
	dfuse_layout *l = layout("@Flash /0x08100000/4*64Kg/0x1FF00000/"
				 "01*030Ka/0x08000000/2*16Kg");
	dfuse_profile *p = NULL;
	dfuse_profile_info info;
	dfuse_bank_info b;

	(void)state;
	assert_int_equal(dfuse_profile_new_with_layout(&p, NULL, l), 0);
	dfuse_profile_get_info(&info, p);
	assert_int_equal(info.bank_count, 2);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 0), 0);
	assert_int_equal(b.base, 0x08000000);
	assert_int_equal(b.sector_size, 16384);
	assert_int_equal(b.sector_count, 2);
	assert_int_equal(dfuse_profile_get_bank(&b, p, 1), 0);
	assert_int_equal(b.number, 2);
	assert_int_equal(b.base, 0x08100000);
	assert_int_equal(b.sector_size, 65536);
	assert_int_equal(info.region_count, 2); /* not the read-only one */
	assert_int_equal(dfuse_profile_find_region(p, 0x1FF00000),
			 DFUSE_ENOTFOUND);
	dfuse_profile_free(p);
	dfuse_layout_free(l);
}

static void test_profiles__layout_refused(void **state)
{
	dfuse_layout *l;
	dfuse_profile *p = (dfuse_profile *)(uintptr_t)1;

	(void)state;
	/* an F4-style bank of 16, 64 and 128 KiB sectors */
	l = layout("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
	assert_int_equal(dfuse_profile_new_with_layout(&p, NULL, l),
			 DFUSE_ENOTSUP);
	assert_null(p);
	assert_non_null(strstr(dfuse_error_last()->message,
			       "sectors of 16384 and 65536 bytes meet at "
			       "0x08010000"));
	dfuse_layout_free(l);
	/* nothing erasable and writable */
	l = layout("@Flash /0x08000000/16*128Ka");
	assert_int_equal(dfuse_profile_new_with_layout(&p, NULL, l),
			 DFUSE_ENOTFOUND);
	dfuse_layout_free(l);
	/* nine separate blocks: more banks than the model holds */
	l = layout("@F /0x08000000/1*1Kg/0x08010000/1*1Kg/0x08020000/1*1Kg"
		   "/0x08030000/1*1Kg/0x08040000/1*1Kg/0x08050000/1*1Kg"
		   "/0x08060000/1*1Kg/0x08070000/1*1Kg/0x08080000/1*1Kg");
	assert_int_equal(dfuse_profile_new_with_layout(&p, NULL, l),
			 DFUSE_ETOOBIG);
	dfuse_layout_free(l);
	assert_int_equal(dfuse_profile_new_with_layout(&p, NULL, NULL),
			 DFUSE_EINVAL);
	/* free: NULL and the built-in profiles are no-ops */
	dfuse_profile_free(NULL);
	dfuse_profile_free((dfuse_profile *)(uintptr_t)get("stm32h745xi"));
	assert_non_null(dfuse_profile_find("stm32h745xi"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles__h745_banks),
		cmocka_unit_test(test_profiles__locate),
		cmocka_unit_test(test_profiles__locate_range),
		cmocka_unit_test(test_profiles__invariants),
		cmocka_unit_test(test_profiles__list),
		cmocka_unit_test(test_profiles__h74x_dual_core_map),
		cmocka_unit_test(test_profiles__find_region_boundaries),
		cmocka_unit_test(test_profiles__xg_banks),
		cmocka_unit_test(test_profiles__single_core_banks),
		cmocka_unit_test(test_profiles__h743_map),
		cmocka_unit_test(test_profiles__h750),
		cmocka_unit_test(test_profiles__h7a3),
		cmocka_unit_test(test_profiles__h723),
		cmocka_unit_test(test_profiles__layout_rom_string_is_h745),
		cmocka_unit_test(test_profiles__layout_8k_sectors),
		cmocka_unit_test(test_profiles__layout_blocks),
		cmocka_unit_test(test_profiles__layout_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
