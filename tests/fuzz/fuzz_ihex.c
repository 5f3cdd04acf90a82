/*
 * fuzz_ihex.c - libFuzzer target for dfuse_parse_ihex() (in_ihex.c,
 * textfmt.c, segs.c).
 * Replayed over tests/fuzz/corpus/ihex by `make fuzz-regress`.  The checks
 * are in fuzz_text.h, shared with the other text format.
 */
#define PARSE dfuse_parse_ihex
#include "fuzz_text.h"
