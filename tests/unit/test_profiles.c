/*
 * test_profiles.c - the STM32H745xI profile against facts 1.1 and 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dfuse.h"

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
	assert_int_equal(dfuse_profile_bank(&b, p, 0), 0);
	assert_int_equal(b.number, 1);
	assert_int_equal(b.base, 0x08000000);
	assert_int_equal(b.sector_size, 128 * 1024);
	assert_int_equal(b.sector_count, 8);
	assert_int_equal(b.core, DFUSE_CORE_CM7);
	assert_int_equal(dfuse_profile_bank(&b, p, 1), 0);
	assert_int_equal(b.base, 0x08100000);
	assert_int_equal(b.core, DFUSE_CORE_CM4);
	assert_int_equal(dfuse_profile_bank(&b, p, 2), DFUSE_EINVAL);
	assert_int_equal(dfuse_profile_boot_address(p, DFUSE_CORE_CM7),
			 0x08000000);
	assert_int_equal(dfuse_profile_boot_address(p, DFUSE_CORE_CM4),
			 0x08100000);
	assert_null(dfuse_profile_find("stm32f405"));
	assert_null(dfuse_profile_find(NULL));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles__h745_banks),
		cmocka_unit_test(test_profiles__locate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
