/*
 * output.h - the one home of "-o" for every command that writes a file
 * (build, map, merge, split, convert, and any later one): an output is
 * never one of the inputs, "-" is standard output, and a catchable signal
 * removes the temporary files being written.
 */
#ifndef DFUSETOOL_OUTPUT_H
#define DFUSETOOL_OUTPUT_H

#include <stddef.h>

/*
 * Call before the first byte of `out` is written (after the inputs are
 * known).  Refuses an output that is the same file as one of `inputs`
 * (same device and inode: by name, through a symlink or a hard link;
 * "-" as an input is standard input), with one message for every
 * command.  Then installs the signal cleanup (output_signals()) and sets
 * *name to what the library is to write: `out` itself, or for "-" and
 * /dev/stdout the name of a copy of standard output ("/dev/fd/N"); the
 * command's own standard output (its summary, its --json answer) goes to
 * standard error from then on, so the written bytes are alone on stdout.
 * Returns 0, or EXIT_FAIL after printing why.
 */
int output_prepare(const char **name, const char *out,
		   const char *const *inputs, size_t n);

/* 1 if `out` is "-" or /dev/stdout. */
int output_is_stdout(const char *out);

/*
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE (unless ignored when we started,
 * as nohup does) remove the library's live temporary files
 * (dfuse_temp_files_remove()) and exit: 130 for SIGINT, as shells report
 * an interrupted command, 1 for the others (dfusetool(1), SIGNALS).
 * Idempotent.
 */
void output_signals(void);

#endif /* DFUSETOOL_OUTPUT_H */
