/*
 * cmd.h - the subcommand table entry, exit statuses and cmd_* entry points.
 */
#ifndef DFUSETOOL_CMD_H
#define DFUSETOOL_CMD_H

/* Exit statuses (dfusetool(1) EXIT STATUS; cmp-style, doc/sources.md,
 * Architecture). */
#define EXIT_OK 0    /* success */
#define EXIT_FAIL 1  /* the operation failed or the input is bad */
#define EXIT_USAGE 2 /* usage error */

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_download(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_erase(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_leave(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_split(int argc, char **argv);
int cmd_upload(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#endif /* DFUSETOOL_CMD_H */
