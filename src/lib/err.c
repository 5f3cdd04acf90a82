/*
 * err.c - thread-local last error, error names and descriptions.
 */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_MAX 1024

static _Thread_local char msg_buf[MSG_MAX];
static _Thread_local dfuse_error last = {DFUSE_OK, "", -1, 0};

static void set_message(int code, const char *fmt, va_list ap)
	DFUSE__PRINTF(2, 0);

static void set_message(int code, const char *fmt, va_list ap)
{
	vsnprintf(msg_buf, sizeof(msg_buf), fmt, ap);
	last.code = code;
	last.message = msg_buf;
	last.offset = -1;
	last.line = 0;
}

int dfuse__error_at(int code, int64_t offset, unsigned long line,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(code, fmt, ap);
	va_end(ap);
	last.offset = offset;
	last.line = line;
	return code;
}

int dfuse__error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(code, fmt, ap);
	va_end(ap);
	return code;
}

int dfuse__error_os(int code, const char *fmt, ...)
{
	int saved = errno;
	size_t used;
	va_list ap;

	va_start(ap, fmt);
	set_message(code, fmt, ap);
	va_end(ap);
	used = strlen(msg_buf);
	if (used < sizeof(msg_buf))
		snprintf(msg_buf + used, sizeof(msg_buf) - used, ": %s",
			 strerror(saved));
	return code;
}

int dfuse__error_prefix(const char *fmt, ...)
{
	char old[MSG_MAX];
	size_t used;
	va_list ap;

	memcpy(old, msg_buf, sizeof(old));
	old[sizeof(old) - 1] = '\0';
	va_start(ap, fmt);
	vsnprintf(msg_buf, sizeof(msg_buf), fmt, ap);
	va_end(ap);
	used = strlen(msg_buf);
	if (used < sizeof(msg_buf))
		snprintf(msg_buf + used, sizeof(msg_buf) - used, "%s", old);
	last.message = msg_buf;
	return last.code;
}

int dfuse__oom(void)
{
	return dfuse__error(DFUSE_ENOMEM, "out of memory");
}

const dfuse_error *dfuse_error_last(void)
{
	return &last;
}

void dfuse_error_clear(void)
{
	msg_buf[0] = '\0';
	last.code = DFUSE_OK;
	last.message = msg_buf;
	last.offset = -1;
	last.line = 0;
}

struct code_text {
	int code;
	const char *name;
	const char *text;
};

static const struct code_text codes[] = {
	{DFUSE_OK, "DFUSE_OK", "success"},
	{DFUSE_ERROR, "DFUSE_ERROR", "error"},
	{DFUSE_ENOMEM, "DFUSE_ENOMEM", "out of memory"},
	{DFUSE_EIO, "DFUSE_EIO", "input/output error"},
	{DFUSE_EINVAL, "DFUSE_EINVAL", "invalid argument"},
	{DFUSE_EFORMAT, "DFUSE_EFORMAT", "malformed input"},
	{DFUSE_ECRC, "DFUSE_ECRC", "checksum mismatch"},
	{DFUSE_ERANGE, "DFUSE_ERANGE", "address or size out of range"},
	{DFUSE_EOVERLAP, "DFUSE_EOVERLAP", "overlapping data"},
	{DFUSE_ETOOBIG, "DFUSE_ETOOBIG", "over a size limit"},
	{DFUSE_ENOTSUP, "DFUSE_ENOTSUP", "not supported"},
	{DFUSE_ENOTFOUND, "DFUSE_ENOTFOUND", "not found"},
	{DFUSE_EUSB, "DFUSE_EUSB", "USB transport error"},
	{DFUSE_ETIMEOUT, "DFUSE_ETIMEOUT", "timed out"},
	{DFUSE_EDEVICE, "DFUSE_EDEVICE", "device reported an error"},
	{DFUSE_ECANCELED, "DFUSE_ECANCELED", "interrupted"},
	{DFUSE_ECONFLICT, "DFUSE_ECONFLICT", "inputs disagree"},
	{DFUSE_EAMBIGUOUS, "DFUSE_EAMBIGUOUS", "several devices match"},
	{DFUSE_EPROTECTED, "DFUSE_EPROTECTED",
	 "the device refused: read protection is active"},
};

static const struct code_text *lookup(int code)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return &codes[i];
	return NULL;
}

const char *dfuse_strerror(int code)
{
	const struct code_text *c = lookup(code);

	return c ? c->text : "unknown error";
}

const char *dfuse_error_name(int code)
{
	const struct code_text *c = lookup(code);

	return c ? c->name : "DFUSE_UNKNOWN";
}

void dfuse_free(void *p)
{
	free(p);
}

void dfuse__escape(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 <= cap; i++) {
		if (src[i] >= 0x20 && src[i] < 0x7f && src[i] != '"' &&
		    src[i] != '\\') {
			dst[o++] = (char)src[i];
		} else {
			snprintf(dst + o, cap - o, "\\x%02x", src[i]);
			o += 4;
		}
	}
	dst[o] = '\0';
}

int dfuse__check_version(const char *name, unsigned int got, unsigned int want)
{
	if (got == want)
		return 0;
	return dfuse__error(DFUSE_EINVAL,
			    "%s version %u is not supported (expected %u)",
			    name, got, want);
}

void dfuse__vlogf(dfuse__log_fn log, void *payload, const char *fmt, va_list ap)
{
	char line[256];

	if (log == NULL)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	log(payload, line);
}

void dfuse__logf(dfuse__log_fn log, void *payload, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dfuse__vlogf(log, payload, fmt, ap);
	va_end(ap);
}
