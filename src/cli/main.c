/*
 * main.c - dfusetool: the command table and dispatch (libgit2 src/cli,
 * git's commands[]).  Each command lives in cmd_<name>.c and sees only the
 * public headers of libdfuse.
 */
#include "cmd.h"
#include "msg.h"
#include "opt.h"

#include <dfuse.h>

#include <stdio.h>
#include <string.h>

static const struct cmd cmds[] = {
	{"build", cmd_build,
	 "make a .dfu from ELF, HEX, S-record or binary "
	 "inputs"},
	{"check", cmd_check,
	 "check images against the device: memory, "
	 "banks, cores, vectors"},
	{"convert", cmd_convert,
	 "convert between DfuSe, HEX, S-record and "
	 "raw binary"},
	{"download", cmd_download,
	 "write an image to a device in DFU mode, "
	 "checked first"},
	{"dump", cmd_dump,
	 "show a .dfu file's structure and every problem "
	 "in it"},
	{"erase", cmd_erase,
	 "erase flash sectors of a device in DFU mode, in an explicit "
	 "scope"},
	{"info", cmd_info,
	 "describe the attached device: USB, layouts, bootloader, option "
	 "bytes"},
	{"leave", cmd_leave,
	 "leave DFU mode and start the application on the "
	 "CM7"},
	{"list", cmd_list,
	 "list the devices in DFU mode and their memory "
	 "layouts"},
	{"map", cmd_map,
	 "show where an image lies in the device's memory "
	 "(terminal, SVG, HTML)"},
	{"merge", cmd_merge,
	 "merge .dfu files and image inputs into one "
	 ".dfu"},
	{"profiles", cmd_profiles, "list the built-in device profiles"},
	{"split", cmd_split,
	 "split a .dfu into one file per core, target "
	 "or element"},
	{"upload", cmd_upload,
	 "read a board's flash into a .dfu, HEX, S-record or binary "
	 "file"},
	{"verify", cmd_verify,
	 "compare a board with an image, sector by sector; write "
	 "nothing"},
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: %s [--version [--verbose]] [--help] COMMAND [ARGS]\n\n"
		"Build, inspect and check ST DfuSe (.dfu) firmware files "
		"for the STM32H7\n(dual-core STM32H745 first).\n\n"
		"commands:\n",
		msg_prog);
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f,
		"\n'%s COMMAND --help' shows a command's options; "
		"man dfusetool-COMMAND has more.\n",
		msg_prog);
}

/* "'biuld' is not a dfusetool command", and the nearest one if any. */
static void unknown(const char *name)
{
	const char *names[NCMDS];
	const char *near;
	size_t i;

	for (i = 0; i < NCMDS; i++)
		names[i] = cmds[i].name;
	near = opt_nearest(name, strlen(name), names, NCMDS);
	if (near != NULL)
		errorf("'%s' is not a dfusetool command; did you mean '%s'?",
		       name, near);
	else
		errorf("'%s' is not a dfusetool command; see '%s --help'", name,
		       msg_prog);
}

/* --version --verbose: how the library in use was built (its own
 * answer, so a shared libdfuse of another build shows as it is). */
static void version_verbose(void)
{
	size_t i, n = dfuse_build_count_dependencies();

	printf("libdfuse build: USB %s\n",
	       dfuse_build_has_usb() ? "on (download, upload, verify, erase, "
				       "info, leave, list, check --live)"
				     : "off (the device commands fail)");
	for (i = 0; i < n; i++) {
		dfuse_build_dependency d;

		if (dfuse_build_get_dependency(&d, i) < 0)
			continue;
		printf("  %-11s %s\n", d.name,
		       !d.used		      ? "not used"
		       : d.version[0] != '\0' ? d.version
					      : "version not recorded");
	}
	printf("(the versions pkg-config gave when libdfuse was built)\n");
}

static const struct cmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		/* the headers it was built with, the library it runs with:
		 * a mismatch (a shared libdfuse of another release) shows */
		printf("dfusetool %s (libdfuse %s at run time, headers %s at "
		       "build time)\n",
		       DFUSE_VERSION_STRING, dfuse_version_string(),
		       DFUSE_VERSION_STRING);
		if (dfuse_version_number() != DFUSE_VERSION_NUMBER)
			warnf("built with libdfuse %s headers but running with "
			      "libdfuse %s: rebuild dfusetool against it",
			      DFUSE_VERSION_STRING, dfuse_version_string());
		if (argc > 2 && (strcmp(argv[2], "--verbose") == 0 ||
				 strcmp(argv[2], "-v") == 0))
			version_verbose();
		else if (argc > 2) {
			errorf("--version takes only --verbose, not '%s'",
			       argv[2]);
			return msg_finish(EXIT_USAGE);
		}
		return msg_finish(EXIT_OK);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return msg_finish(EXIT_OK);
	}
	if (strcmp(argv[1], "help") == 0) {
		char *help_argv[3];

		if (argc < 3) {
			usage(stdout);
			return msg_finish(EXIT_OK);
		}
		c = find(argv[2]);
		if (c == NULL) {
			unknown(argv[2]);
			return msg_finish(EXIT_USAGE);
		}
		help_argv[0] = argv[2];
		help_argv[1] = (char *)(uintptr_t) "--help";
		help_argv[2] = NULL;
		return msg_finish(c->fn(2, help_argv));
	}
	c = find(argv[1]);
	if (c == NULL) {
		unknown(argv[1]);
		return msg_finish(EXIT_USAGE);
	}
	return msg_finish(c->fn(argc - 1, argv + 1));
}
