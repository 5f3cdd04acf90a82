/*
 * detect.h - what the loader needs of format detection (detect.c) beyond
 * dfuse_format_detect().
 */
#ifndef DFUSE_DETECT_H
#define DFUSE_DETECT_H

#include "common.h"

/* DFUSE_FORMAT_DFU when buf ends in a valid plain DFU suffix, else
 * DFUSE_FORMAT_BIN: what content that is no other format is.  The loader
 * asks again once it holds the whole file, since the suffix is at its
 * end. */
int dfuse__bin_or_dfu(const void *buf, size_t len);

#endif /* DFUSE_DETECT_H */
