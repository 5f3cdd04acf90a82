/*
 * sha256.c - SHA-256 from nettle; the only file that includes nettle.
 */
#include "common.h"
#include "err.h"

#include <nettle/sha2.h>

int dfuse_sha256(uint8_t out[32], const void *data, size_t len)
{
	struct sha256_ctx ctx;

	if (out == NULL || (data == NULL && len > 0))
		return dfuse__error(DFUSE_EINVAL, "sha256: NULL argument");
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
	return 0;
}
