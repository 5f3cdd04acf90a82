/*
 * num.h - strict number parsing for the command line: "0x08000000",
 * "134217728", "64K", "2M".  No sign, no trailing junk, no overflow.
 */
#ifndef DFUSETOOL_NUM_H
#define DFUSETOOL_NUM_H

#include <stddef.h>
#include <stdint.h>

/* Decimal or 0x-hex; returns 0 and *out, or -1.  A decimal with a
 * leading zero ("08000000") is refused: hex without 0x? octal? */
int num_u64(uint64_t *out, const char *s);
/* Why num_u64/num_u32 refused `s` (they did): "a leading zero is
 * ambiguous ...: write 0x08000000 for hex, ..." and so on, in buf. */
const char *num_why(char *buf, size_t n, const char *s);
/* As num_u64, limited to `max`. */
int num_u32(uint32_t *out, const char *s, uint32_t max);
/* Hex with or without 0x (for --vid/--pid/--bcd), 0..0xFFFF. */
int num_hex16(uint16_t *out, const char *s);
/* A size with an optional K/M/G suffix (powers of 1024). */
int num_size(size_t *out, const char *s);

/* "2 MiB", "128 KiB" or "16640 B": exact, never rounded; returns buf. */
char *num_size_text(char *buf, size_t n, uint64_t size);
/* "A:B", the addresses [A, B): A < B <= 0x100000000; 0 or -1. */
int num_range(uint32_t *lo, uint64_t *hi, const char *s);

#endif /* DFUSETOOL_NUM_H */
