# A mistyped command is a usage error (exit 2, usage-unknown-command.exit)
# with a "did you mean" on stderr and nothing on stdout, exactly.
dfusetool bulid --cm7 x.elf -o x.dfu
