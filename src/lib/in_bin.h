/*
 * in_bin.h - what the loader needs of the raw-binary reader (in_bin.c)
 * beyond dfuse_parse_bin().
 */
#ifndef DFUSE_IN_BIN_H
#define DFUSE_IN_BIN_H

#include "common.h"

/* A plain DFU file's payload: *len cut to the bytes before its suffix.
 * DFUSE_EFORMAT when there is no valid suffix or nothing before it. */
int dfuse__dfu_payload(const void *buf, size_t *len);

#endif /* DFUSE_IN_BIN_H */
