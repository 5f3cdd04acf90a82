/*
 * fileio.h - reading a whole input file under a size limit.
 */
#ifndef DFUSE_FILEIO_H
#define DFUSE_FILEIO_H

#include "common.h"

/*
 * Reads `path` into a new malloc'd buffer (*out, *len; caller frees).
 * Refuses a file larger than `max` bytes with DFUSE_ETOOBIG before
 * reading it (pipes: after max + 1 bytes).  Errors: DFUSE_EIO with
 * strerror, DFUSE_ENOMEM.
 */
int dfuse__read_file(uint8_t **out, size_t *len, const char *path,
		     size_t max);

#endif /* DFUSE_FILEIO_H */
