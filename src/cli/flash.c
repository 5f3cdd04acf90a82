/*
 * flash.c - words for where an address range lies in a device's flash
 * (the spans come from dfuse_profile_locate_range()) and for memory
 * kinds.
 */
#include "flash.h"

#include <stdio.h>

char *flash_describe(char *buf, size_t n, const dfuse_profile *p,
		     uint32_t address, uint32_t size)
{
	dfuse_flash_span s[4];
	size_t k, count = dfuse_profile_locate_range(s, 4, p, address, size);
	size_t used = 0;

	buf[0] = '\0';
	if (count == 0) {
		snprintf(buf, n, "not in flash");
		return buf;
	}
	for (k = 0; k < count && k < 4 && used < n; k++) {
		int w;

		if (s[k].first == s[k].last)
			w = snprintf(buf + used, n - used,
				     "%sbank %u sector %u", k ? ", " : "",
				     s[k].bank, (unsigned)s[k].first);
		else
			w = snprintf(buf + used, n - used,
				     "%sbank %u sectors %u-%u", k ? ", " : "",
				     s[k].bank, (unsigned)s[k].first,
				     (unsigned)s[k].last);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

const char *flash_kind_name(int kind)
{
	switch (kind) {
	case DFUSE_MEM_FLASH:
		return "flash";
	case DFUSE_MEM_RAM:
		return "ram";
	case DFUSE_MEM_SYSTEM:
		return "system";
	case DFUSE_MEM_OPTION:
		return "option";
	case DFUSE_MEM_OTP:
		return "otp";
	default:
		return "unknown";
	}
}
