/*
 * fuzz_srec.c - libFuzzer target for dfuse_parse_srec() (in_srec.c,
 * textfmt.c, segs.c).
 * Replayed over tests/fuzz/corpus/srec by `make fuzz-regress`.  The checks
 * are in fuzz_text.h, shared with the other text format.
 */
#define PARSE dfuse_parse_srec
#include "fuzz_text.h"
