/*
 * common.h - internal umbrella for libdfuse sources: the public API plus
 * attributes and checked arithmetic.  Never included by src/cli.
 */
#ifndef DFUSE_COMMON_H
#define DFUSE_COMMON_H

#include "dfuse.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define DFUSE__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define DFUSE__UNUSED __attribute__((unused))
#else
#define DFUSE__PRINTF(fmt, args)
#define DFUSE__UNUSED
#endif

/*
 * A suffix VID or PID that says nothing: the 0xFFFF wildcard, or 0x0000,
 * which ST's DFU File Manager writes when no ID was entered (its files in
 * the real-world corpus are 0483:0000; the corpus's expected handling: "a
 * 0x0000 or 0xFFFF product ID is reported, not fatal").  check, download
 * and merge all judge IDs by it.
 */
static inline int dfuse__id_unset(uint16_t id)
{
	return id == DFUSE_ID_ANY || id == 0;
}

/* Do a file's suffix IDs allow a device with this VID:PID? */
static inline int dfuse__ids_match(const dfuse_ids *ids, uint16_t vid,
				   uint16_t pid)
{
	return (dfuse__id_unset(ids->id_vendor) || ids->id_vendor == vid) &&
	       (dfuse__id_unset(ids->id_product) || ids->id_product == pid);
}

/* Checked arithmetic: return 1 on overflow, else store the result. */
static inline int dfuse__add_size(size_t *out, size_t a, size_t b)
{
	return __builtin_add_overflow(a, b, out);
}

static inline int dfuse__mul_size(size_t *out, size_t a, size_t b)
{
	return __builtin_mul_overflow(a, b, out);
}

/*
 * An address range [address, address + len) must stay inside the 32-bit
 * address space: address + len <= 2^32.  Returns 1 if it does not.
 */
static inline int dfuse__range_overflows(uint32_t address, uint64_t len)
{
	return (uint64_t)address + len > UINT64_C(0x100000000);
}

/* Little-endian stores (the DfuSe container is little-endian, UM0391 §2). */
static inline void dfuse__put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v & 0xffu);
	p[1] = (uint8_t)(v >> 8);
}

static inline void dfuse__put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v & 0xffu);
	p[1] = (uint8_t)((v >> 8) & 0xffu);
	p[2] = (uint8_t)((v >> 16) & 0xffu);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint16_t dfuse__get_le16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

static inline uint32_t dfuse__get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

#endif /* DFUSE_COMMON_H */
