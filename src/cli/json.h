/*
 * json.h - a small streaming JSON writer (pretty-printed, 2 spaces).
 * Numbers are written as integers.  Strings: valid UTF-8 is written as it
 * is; '"', '\\' and control bytes are escaped (\n, \r, \t, else \u00XX,
 * DEL too); a byte that is not part of valid UTF-8 (0xff, a lone 0x80, an
 * overlong form, an encoded surrogate) becomes \udcXX, the surrogate
 * escape of Python's os.fsdecode(): a file name or a garbage target name
 * stays valid JSON, and os.fsencode() gives back the exact bytes.
 *
 * The writer remembers which containers are open, so that an answer cut
 * short by a failure can still be closed (msg.c's answer_* functions).
 */
#ifndef DFUSETOOL_JSON_H
#define DFUSETOOL_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH 16

struct json {
	FILE *f;
	int depth;
	int first[JSON_DEPTH]; /* nothing written yet at this level */
	char kind[JSON_DEPTH]; /* '{' or '[' for each open level */
	int after_key;
	unsigned long values; /* values and keys written so far */
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);

/* key + value shorthands */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, int64_t v);
void json_kuint(struct json *j, const char *key, uint64_t v);
void json_kbool(struct json *j, const char *key, int v);
void json_knull(struct json *j, const char *key);
/* "key": "s", or "key": null when s is NULL */
void json_kstr_or_null(struct json *j, const char *key, const char *s);

/* Open containers (0: none, or the top-level value is complete). */
int json_depth(const struct json *j);
/* 1 if the innermost open container is an object. */
int json_in_object(const struct json *j);
/* Closes containers until `depth` are left open; a key left without its
 * value gets null, so the output stays valid JSON. */
void json_close_to(struct json *j, int depth);

#endif /* DFUSETOOL_JSON_H */
