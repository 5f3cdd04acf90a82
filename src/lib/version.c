/*
 * version.c - the version of the library actually linked.
 */
#include "common.h"

const char *dfuse_version_string(void)
{
	return DFUSE_VERSION_STRING; /* the headers this library was built with
				      */
}

int dfuse_version_number(void)
{
	return DFUSE_VERSION_NUMBER;
}
