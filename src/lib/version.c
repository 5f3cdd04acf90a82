/*
 * version.c - the version of the library actually linked, and how it was
 * built: the Makefile passes each dependency's version as pkg-config gave
 * it at build time (DFUSE_BUILD_VERSION_*; this file includes none of the
 * dependencies' headers, which stay each in its own file).
 */
#include "common.h"
#include "err.h"

#ifndef DFUSE_BUILD_VERSION_ZLIB
#define DFUSE_BUILD_VERSION_ZLIB ""
#endif
#ifndef DFUSE_BUILD_VERSION_LIBELF
#define DFUSE_BUILD_VERSION_LIBELF ""
#endif
#ifndef DFUSE_BUILD_VERSION_NETTLE
#define DFUSE_BUILD_VERSION_NETTLE ""
#endif
#ifndef DFUSE_BUILD_VERSION_LIBUSB
#define DFUSE_BUILD_VERSION_LIBUSB ""
#endif

const char *dfuse_version_string(void)
{
	return DFUSE_VERSION_STRING; /* the headers this library was built with
				      */
}

int dfuse_version_number(void)
{
	return DFUSE_VERSION_NUMBER;
}

int dfuse_build_has_usb(void)
{
	return DFUSE_WITH_USB != 0;
}

static const dfuse_build_dependency deps[] = {
	{"libusb-1.0", DFUSE_BUILD_VERSION_LIBUSB, DFUSE_WITH_USB != 0},
	{"zlib", DFUSE_BUILD_VERSION_ZLIB, 1},
	{"libelf", DFUSE_BUILD_VERSION_LIBELF, 1},
	{"nettle", DFUSE_BUILD_VERSION_NETTLE, 1},
};

size_t dfuse_build_count_dependencies(void)
{
	return sizeof(deps) / sizeof(deps[0]);
}

int dfuse_build_get_dependency(dfuse_build_dependency *out, size_t i)
{
	if (out == NULL || i >= dfuse_build_count_dependencies())
		return dfuse__error(DFUSE_EINVAL,
				    "no build dependency %zu (%zu)", i,
				    dfuse_build_count_dependencies());
	*out = deps[i];
	return 0;
}
