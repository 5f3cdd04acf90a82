/*
 * version.c - the version of the library actually linked.
 */
#include "common.h"

#define STR2(x) #x
#define STR(x) STR2(x)

const char *dfuse_version_string(void)
{
	return STR(DFUSE_VERSION_MAJOR) "." STR(DFUSE_VERSION_MINOR) "." STR(
		DFUSE_VERSION_PATCH);
}

int dfuse_version_number(void)
{
	return DFUSE_VERSION_NUMBER;
}
