/*
 * sink.h - where the writers put their bytes: a growing memory buffer or a
 * file descriptor (buffered).  One emitter per output format streams into
 * a sink, so that the memory and file outputs share every byte of logic
 * and the file output never holds a second copy of the image.
 *
 * Every emitter checks everything it can refuse (overlaps, gaps, sizes)
 * before its first byte, so that a refusal writes nothing even when the
 * output is a pipe or a device that cannot be written atomically.
 */
#ifndef DFUSE_SINK_H
#define DFUSE_SINK_H

#include "common.h"

struct dfuse__sink {
	int (*write)(struct dfuse__sink *s, const void *p, size_t n);
	uint8_t *mem; /* memory: the output; file: the pending bytes */
	size_t used, cap;
	int fd;		  /* file sink */
	const char *path; /* file sink: for messages */
};

/* Writes n bytes (no-op for n == 0). */
static inline int dfuse__sink_put(struct dfuse__sink *s, const void *p,
				  size_t n)
{
	return n == 0 ? 0 : s->write(s, p, n);
}

/* An emitter: checks, then writes `img` in one output format. */
typedef int (*dfuse__emit_fn)(struct dfuse__sink *s, const dfuse_image *img,
			      const dfuse_write_options *opts);

/* The emitters (dfuse_write.c, out_ihex.c, out_srec.c, out_bin.c). */
int dfuse__dfuse_emit(struct dfuse__sink *s, const dfuse_image *img,
		      const dfuse_write_options *opts);
int dfuse__ihex_emit(struct dfuse__sink *s, const dfuse_image *img,
		     const dfuse_write_options *opts);
int dfuse__srec_emit(struct dfuse__sink *s, const dfuse_image *img,
		     const dfuse_write_options *opts);
int dfuse__bin_emit(struct dfuse__sink *s, const dfuse_image *img,
		    const dfuse_write_options *opts);

/* Upper-case hex digits of a byte into out[0..1]. */
static inline void dfuse__hex_byte(char *out, unsigned v)
{
	static const char digits[] = "0123456789ABCDEF";

	out[0] = digits[(v >> 4) & 0xFu];
	out[1] = digits[v & 0xFu];
}

#endif /* DFUSE_SINK_H */
