/*
 * flash.c - address ranges against a profile's banks and sectors.
 */
#include "flash.h"

#include <stdio.h>

size_t flash_spans(struct flash_span *out, size_t max, const dfuse_profile *p,
		   uint32_t address, uint32_t size)
{
	dfuse_profile_info info;
	uint64_t lo = address, hi = (uint64_t)address + (size ? size : 1);
	size_t i, n = 0;

	dfuse_profile_get_info(&info, p);
	for (i = 0; i < info.bank_count; i++) {
		dfuse_bank_info b;
		uint64_t blo, bhi, a, z;

		if (dfuse_profile_get_bank(&b, p, i) < 0)
			continue;
		blo = b.base;
		bhi = blo + (uint64_t)b.sector_size * b.sector_count;
		a = lo > blo ? lo : blo;
		z = hi < bhi ? hi : bhi;
		if (a >= z)
			continue;
		if (n < max) {
			out[n].bank = b.number;
			out[n].first = (uint32_t)((a - blo) / b.sector_size);
			out[n].last = (uint32_t)((z - 1 - blo) / b.sector_size);
			out[n].core = b.core;
		}
		n++;
	}
	return n;
}

char *flash_describe(char *buf, size_t n, const dfuse_profile *p,
		     uint32_t address, uint32_t size)
{
	struct flash_span s[4];
	size_t k, count = flash_spans(s, 4, p, address, size);
	size_t used = 0;

	buf[0] = '\0';
	if (count == 0) {
		snprintf(buf, n, "not in flash");
		return buf;
	}
	for (k = 0; k < count && k < 4 && used < n; k++) {
		int w;

		if (s[k].first == s[k].last)
			w = snprintf(buf + used, n - used, "%sbank %u sector %u",
				     k ? ", " : "", s[k].bank,
				     (unsigned)s[k].first);
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
