/*
 * output.c - "-o" for every command that writes: input == output refusal,
 * "-" as standard output, signal cleanup of temporary files.
 *
 * The atomic writing itself is the library's (one writer, fileio.c); the
 * library never installs signal handlers, so the CLI does, here, and asks
 * the library to remove what it is writing (dfuse_temp_files_remove() is
 * async-signal-safe).
 */
#include "output.h"
#include "cmd.h"
#include "msg.h"

#include <dfuse.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int output_is_stdout(const char *out)
{
	return strcmp(out, "-") == 0 || strcmp(out, "/dev/stdout") == 0;
}

/* (dev, ino) of a regular file named `path` ("-": standard input),
 * following symlinks; 0 if it is no regular file. */
static int file_id(struct stat *st, const char *path)
{
	int rc = strcmp(path, "-") == 0 ? fstat(0, st) : stat(path, st);

	return rc == 0 && S_ISREG(st->st_mode);
}

static void on_signal(int sig)
{
	const char *m = sig == SIGINT	 ? "dfusetool: error: interrupted "
					   "(SIGINT)\n"
			: sig == SIGTERM ? "dfusetool: error: terminated "
					   "(SIGTERM)\n"
			: sig == SIGHUP	 ? "dfusetool: error: hung up "
					   "(SIGHUP)\n"
					 : "dfusetool: error: the reader of "
					   "the output went away (SIGPIPE)\n";

	/* only async-signal-safe calls: unlink(2) inside, write(2), _exit */
	dfuse_temp_files_remove();
	(void)!write(2, m, strlen(m));
	_exit(sig == SIGINT ? 130 : EXIT_FAIL);
}

void output_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
	static int done;
	struct sigaction sa, old;
	size_t i;

	if (done)
		return;
	done = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]); /* one handler at a time */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue; /* nohup: stays ignored */
		sigaction(sigs[i], &sa, NULL);
	}
}

int output_prepare(const char **name, const char *out,
		   const char *const *inputs, size_t n)
{
	static char fdname[32];
	struct stat o, in;
	size_t i;
	int fd;

	*name = out;
	if (!output_is_stdout(out) && file_id(&o, out)) {
		for (i = 0; i < n; i++) {
			if (file_id(&in, inputs[i]) && o.st_dev == in.st_dev &&
			    o.st_ino == in.st_ino) {
				errorf("'%s' is the input '%s' (the same "
				       "file): an output never replaces an "
				       "input",
				       out, inputs[i]);
				return EXIT_FAIL;
			}
		}
	}
	output_signals();
	if (!output_is_stdout(out))
		return 0;
	fflush(stdout);
	fd = fcntl(1, F_DUPFD_CLOEXEC, 3);
	if (fd < 0 || dup2(2, 1) < 0) {
		errorf("cannot use standard output for '%s'", out);
		return EXIT_FAIL;
	}
	snprintf(fdname, sizeof(fdname), "/dev/fd/%d", fd);
	*name = fdname;
	return 0;
}
