/*
 * json.h - a small streaming JSON writer (pretty-printed, 2 spaces).
 * Numbers are written as integers; strings are escaped (control bytes as
 * \u00XX, bytes >= 0x80 as \u00XX too, so the output is always valid
 * ASCII JSON even for garbage target names).
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
	int after_key;
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

#endif /* DFUSETOOL_JSON_H */
