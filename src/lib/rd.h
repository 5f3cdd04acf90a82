/*
 * rd.h - bounded little-endian cursor over untrusted bytes (doc/sources.md,
 * Architecture). Each read either succeeds fully or fails without moving.
 */
#ifndef DFUSE_RD_H
#define DFUSE_RD_H

#include "common.h"

#include <string.h>

struct rd {
	const uint8_t *p; /* next byte */
	size_t left;	  /* bytes left */
	size_t off;	  /* offset of p from the start of the buffer */
};

static inline void rd_init(struct rd *r, const void *buf, size_t len)
{
	r->p = (const uint8_t *)buf;
	r->left = len;
	r->off = 0;
}

static inline int rd_skip(struct rd *r, size_t n)
{
	if (n > r->left)
		return -1;
	r->p += n;
	r->left -= n;
	r->off += n;
	return 0;
}

static inline int rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (n > r->left)
		return -1;
	memcpy(dst, r->p, n);
	return rd_skip(r, n);
}

static inline int rd_u8(struct rd *r, uint8_t *v)
{
	if (r->left < 1)
		return -1;
	*v = r->p[0];
	return rd_skip(r, 1);
}

static inline int rd_le16(struct rd *r, uint16_t *v)
{
	if (r->left < 2)
		return -1;
	*v = dfuse__get_le16(r->p);
	return rd_skip(r, 2);
}

static inline int rd_le32(struct rd *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = dfuse__get_le32(r->p);
	return rd_skip(r, 4);
}

#endif /* DFUSE_RD_H */
