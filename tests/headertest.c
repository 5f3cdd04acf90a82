/*
 * headertest.c - the public headers compile alone, as C99 -pedantic and as
 * C++11 (libgit2 tests/headertest).
 */
#include <dfuse.h>
#include <dfuse_usb.h>

int dfuse_headertest_dummy(void);
int dfuse_headertest_dummy(void)
{
	dfuse_input_options io = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_read_options ro = DFUSE_READ_OPTIONS_INIT;

	return (int)(io.version + ro.version) + DFUSE_VERSION_NUMBER;
}
