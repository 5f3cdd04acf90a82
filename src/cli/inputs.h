/*
 * inputs.h - FILE[@ADDR] image inputs, shared by every command that reads
 * image files: the --cm7/--cm4 and --max-input-size options, positional
 * inputs, loading them into an image, and the --device profile lookup.
 */
#ifndef DFUSETOOL_INPUTS_H
#define DFUSETOOL_INPUTS_H

#include "opt.h"

#include <dfuse.h>

#include <stddef.h>
#include <stdint.h>

struct input {
	const char *path; /* points into argv or into spec_copy */
	char *spec_copy;  /* owned when an @ADDR was split off */
	int core;	  /* dfuse_core from --cm7/--cm4 */
	int has_address;
	uint32_t address;
};

struct inputs {
	struct input *v;
	size_t n, cap;
};

/* --cm7, --cm4 and --max-input-size, for every command that reads image
 * inputs: INPUTS_TABLE and MAX_INPUT_OPT in its option table, and
 * inputs_opt() in its option loop. */
enum {
	O_IN_CM7 = 0x300,
	O_IN_CM4,
	O_IN_MAX,
};

#define INPUTS_TABLE                                                           \
	{O_IN_CM7,                                                             \
	 "cm7",                                                                \
	 0,                                                                    \
	 OPT_ARG,                                                              \
	 "FILE[@ADDR]",                                                        \
	 "an image input for the Cortex-M7 (repeatable)"},                     \
	{                                                                      \
		O_IN_CM4, "cm4", 0, OPT_ARG, "FILE[@ADDR]",                    \
			"an image input for the Cortex-M4 (repeatable)"        \
	}
#define MAX_INPUT_OPT                                                          \
	{                                                                      \
		O_IN_MAX, "max-input-size", 0, OPT_ARG, "SIZE",                \
			"largest input file accepted (default 64M)"            \
	}

/* Returns 1 if `id` was one of them (handled), 0 if not, or OPT_USAGE
 * after printing a usage error (or running out of memory: exit 2 too).
 * `in` or `max` may be NULL for a command without those options. */
int inputs_opt(struct inputs *in, size_t *max, const struct optstate *st,
	       int id, const char *arg);

/*
 * Adds "FILE" or "FILE@ADDR".  The part after the last '@' is an address
 * if it parses as a number (0x-hex or decimal, num_u32()).  If it does
 * not, the '@' belongs to the name when a file of the whole name exists;
 * otherwise the error says the part is not an address and why.  Returns
 * 0, or -1 after printing that or an out-of-memory error.
 */
int inputs_add(struct inputs *in, const char *spec, int core);
/* What inputs_add() and inputs_add_positional() return for a usage error
 * (an @ADDR that is not an address); inputs_status() is the exit status
 * for any of their failures (EXIT_USAGE for that one, else EXIT_FAIL). */
#define INPUTS_USAGE (-2)
static inline int inputs_status(int rc)
{
	return rc == INPUTS_USAGE ? 2 : 1;
}

/*
 * A positional FILE[@ADDR] of check, map or download: the content decides.
 * Returns 1 for a DfuSe file without @ADDR (not added: the caller reads
 * it), 0 after adding an image input, -1 after printing why it cannot be
 * read.
 */
int inputs_add_positional(struct inputs *in, const char *spec, size_t max);
void inputs_free(struct inputs *in);

/*
 * Loads every input into `target` of `img`.  A raw binary without @ADDR
 * goes to its core's boot address from the profile.  Prints the error
 * and returns EXIT_FAIL / EXIT_USAGE, or 0.
 */
int inputs_load(dfuse_image *img, size_t target, const struct inputs *in,
		const dfuse_profile *profile, size_t max_size);

/*
 * A new image with one target (alt 0, "Internal Flash") holding every
 * input, placed as build places them (raw binaries at `place`'s boot
 * addresses) and normalised for `pad` (NULL: sorted only).  Errors are
 * printed naming `subject`; returns 0, or EXIT_FAIL / EXIT_USAGE.
 */
int inputs_image(dfuse_image **out, const struct inputs *in,
		 const dfuse_profile *place, const dfuse_profile *pad,
		 size_t max_size, const char *subject);

/* "a.elf + b.hex" (cut short to fit): the inputs' names for messages. */
char *inputs_subject(char *buf, size_t n, const struct inputs *in);

/* "--device NAME": the profile, or NULL after printing a usage error. */
const dfuse_profile *profile_from_arg(const char *cmd, const char *name);

#endif /* DFUSETOOL_INPUTS_H */
