# The top-level --help and the help of split, convert and profiles, whole
# (help-text.stdout): the command list, each option table and the
# examples come out exactly as written.
dfusetool --help
dfusetool help split
dfusetool convert --help
dfusetool profiles -h
