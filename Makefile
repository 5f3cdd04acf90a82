# dfusetool / libdfuse - one non-recursive GNU Makefile (doc/sources.md,
# Architecture).
#
#   make            build/libdfuse.a, build/libdfuse.so.*, build/dfusetool
#   make check      every test suite (installs missing Debian packages)
#   make asan       the suite under AddressSanitizer + UBSan
#   make demo       build, then make and dump build/h745-blinky.dfu
#   make samples    rebuild samples/h745-blinky with arm-none-eabi-gcc
#   make fuzz       libFuzzer binaries in build/fuzz (clang)
#   make bench      benchmarks against the peer tools (bench/)
#   make bench-amp  peak RSS of convert/merge/split against srec_cat, objcopy
#   make install / uninstall   honour PREFIX and DESTDIR
#
# Sources are found by wildcard: src/lib/*.c is the library, src/cli/*.c the
# tool, tests/unit/test_*.c one cmocka binary each, tests/fuzz/fuzz_*.c one
# fuzz target each.

# ---- version: the single source of truth is include/dfuse.h ----
vpart   = $(shell sed -n 's/^\#define DFUSE_VERSION_$(1) *\([0-9][0-9]*\).*/\1/p' include/dfuse.h)
VMAJOR  := $(call vpart,MAJOR)
VMINOR  := $(call vpart,MINOR)
VERSION := $(VMAJOR).$(VMINOR).$(call vpart,PATCH)
# The ABI: before 1.0 any minor release may break it (0.2 did: see NEWS),
# so the soname carries the minor too (libdfuse.so.0.2); from 1.0 on only
# a new major breaks it, and the soname is libdfuse.so.MAJOR.
SOVER   := $(if $(filter 0,$(VMAJOR)),$(VMAJOR).$(VMINOR),$(VMAJOR))
SONAME  := libdfuse.so.$(SOVER)

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# bash-completion loads completions/<command> on first use from every
# $XDG_DATA_DIRS entry (default /usr/local/share:/usr/share) and from
# <the command's bin>/../share.
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
# zsh's compinit finds _dfusetool on $fpath (Debian's has
# /usr/local/share/zsh/site-functions and /usr/share/zsh/vendor-completions);
# fish loads vendor_completions.d/dfusetool.fish from every $XDG_DATA_DIRS entry.
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
# udev reads rules from /usr/lib/udev/rules.d (the distribution's) and
# /etc/udev/rules.d (the administrator's), not from an arbitrary PREFIX:
# with PREFIX=/usr the rule goes with the package, otherwise to /etc, so
# that PREFIX=/usr/local works on every udev.  UDEVDIR= skips it.
UDEVDIR    ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/udev/rules.d,/etc/udev/rules.d)
# the CMake package (find_package(dfusetool), cmake/)
CMAKEDIR   ?= $(LIBDIR)/cmake/dfusetool
PKG_CONFIG ?= pkg-config
INSTALL    ?= install

B ?= build

# make V=1 shows the commands
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
say = $(if $(filter 1,$(V)),,@printf '  %-6s %s\n' $(1) $(2);)

CC ?= cc
CXX ?= c++
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wcast-qual -Wcast-align -Wpointer-arith -Wvla -Wformat=2 \
       -Wwrite-strings -Wundef -Wswitch-enum -Wredundant-decls \
       -Wimplicit-fallthrough \
       -Werror=implicit-function-declaration -Werror=format-security
CFLAGS ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) $(if $(WERROR),-Werror)
DEPFLAGS = -MMD -MP
LIB_CFLAGS = -fPIC -fvisibility=hidden

# Each dependency lives in one file of src/lib (doc/sources.md, Architecture):
# zlib in suffix.c, libelf in in_elf.c, nettle in sha256.c, libusb-1.0 in
# usb_libusb.c (WITH_USB=1, the default when pkg-config finds it; with
# WITH_USB=0, usb_none.c answers every USB call with DFUSE_ENOTSUP).
WITH_USB ?= $(shell $(PKG_CONFIG) --exists libusb-1.0 2>/dev/null && echo 1 || echo 0)
LIB_PKGS := zlib libelf nettle $(if $(filter 1,$(WITH_USB)),libusb-1.0)
override CPPFLAGS += -DDFUSE_WITH_USB=$(if $(filter 1,$(WITH_USB)),1,0)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(LIB_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(LIB_PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

LIB_SRC  := $(sort $(wildcard src/lib/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:src/lib/%.c=$(B)/lib/%.o)
CLI_OBJ  := $(CLI_SRC:src/cli/%.c=$(B)/cli/%.o)

UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
UNIT_HELPER := $(filter-out $(UNIT_SRC),$(sort $(wildcard tests/unit/*.c)))
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
UNIT_HOBJ   := $(UNIT_HELPER:tests/unit/%.c=$(B)/tests/%.o)

FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REG := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(B)/fuzz/regress_%)

STATIC_LIB := $(B)/libdfuse.a
SHARED_LIB := $(B)/libdfuse.so.$(VERSION)
TOOL       := $(B)/dfusetool

.PHONY: all lib tool check asan ubsan demo samples fuzz fuzz-run bench \
	bench-download bench-amp \
	install uninstall clean deps deps-build headertest unit cli-tests \
	fuzz-regress check-banned check-man valgrind usb-tests format format-check

.SECONDARY:

all: $(STATIC_LIB) $(SHARED_LIB) $(B)/libdfuse.so $(TOOL) $(B)/libdfuse.pc

# ---- library ----
$(B)/lib/%.o: src/lib/%.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) $(DEPFLAGS) -Iinclude -Isrc/lib $(PKG_CFLAGS) -c $< -o $@

# The dependencies' versions as their development files give them at build
# time, for `dfusetool --version --verbose` (version.c; "" when pkg-config
# does not know one).
modversion = $(shell $(PKG_CONFIG) --modversion $(1) 2>/dev/null)
$(B)/lib/version.o: override CPPFLAGS += \
	-DDFUSE_BUILD_VERSION_ZLIB='"$(call modversion,zlib)"' \
	-DDFUSE_BUILD_VERSION_LIBELF='"$(call modversion,libelf)"' \
	-DDFUSE_BUILD_VERSION_NETTLE='"$(call modversion,nettle)"' \
	-DDFUSE_BUILD_VERSION_LIBUSB='"$(if $(filter 1,$(WITH_USB)),$(call modversion,libusb-1.0))"'

$(STATIC_LIB): $(LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

$(SHARED_LIB): $(LIB_OBJ)
	$(call say,LD,$@)$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(PKG_LIBS)

$(B)/$(SONAME): $(SHARED_LIB)
	$(Q)ln -sf $(notdir $<) $@

$(B)/libdfuse.so: $(B)/$(SONAME)
	$(Q)ln -sf $(notdir $<) $@

# libdfuse.pc from its template (zstd); install regenerates it so that a
# PREFIX given to `make install` is the one recorded.
pcgen = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@REQUIRES_PRIVATE@|$(LIB_PKGS)|' src/lib/libdfuse.pc.in

$(B)/libdfuse.pc: src/lib/libdfuse.pc.in include/dfuse.h Makefile
	@mkdir -p $(@D)
	$(Q)$(pcgen) > $@

# The CMake package's files from their templates, at install time: paths
# relative to CMAKEDIR (so a DESTDIR stage or a moved tree works), the
# version from include/dfuse.h as for the soname.
relpath = $(shell realpath -m --relative-to='$(CMAKEDIR)' '$(1)')
cmakegen = sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@VMAJOR@|$(VMAJOR)|g' \
	    -e 's|@VMINOR@|$(VMINOR)|g' -e 's|@SONAME@|$(SONAME)|g' \
	    -e 's|@REL_LIBDIR@|$(call relpath,$(LIBDIR))|g' \
	    -e 's|@REL_INCLUDEDIR@|$(call relpath,$(INCLUDEDIR))|g' \
	    -e 's|@REL_BINDIR@|$(call relpath,$(BINDIR))|g' \
	    -e 's|@REQUIRES_PRIVATE@|$(LIB_PKGS)|g' \
	    -e 's|@PKG_CFLAGS@|$(strip $(PKG_CFLAGS))|g' -e 's|@PKG_LIBS@|$(strip $(PKG_LIBS))|g'

# ---- tool: public headers only (doc/sources.md, Architecture) ----
$(B)/cli/%.o: src/cli/%.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Iinclude -Isrc/cli -DDFUSE_STATIC -c $< -o $@

$(TOOL): $(CLI_OBJ) $(STATIC_LIB)
	$(call say,LD,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(STATIC_LIB) $(PKG_LIBS)

# ---- unit tests: internals reachable (doc/sources.md, Architecture) ----
$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Wno-missing-prototypes -Iinclude -Isrc/lib -Itests/unit $(PKG_CFLAGS) $(CMOCKA_CFLAGS) -c $< -o $@

$(B)/tests/test_%: $(B)/tests/test_%.o $(UNIT_HOBJ) $(STATIC_LIB)
	$(call say,LD,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_HOBJ) $(STATIC_LIB) $(PKG_LIBS) $(CMOCKA_LIBS)

# ---- fuzz targets: a plain driver replays the corpus under `make check` ----
$(B)/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Wno-missing-prototypes -Iinclude -Isrc/lib $(PKG_CFLAGS) -c $< -o $@

$(B)/fuzz/regress_%: $(B)/fuzz/fuzz_%.o $(B)/fuzz/regression_driver.o $(STATIC_LIB)
	$(call say,LD,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/fuzz/regression_driver.o $(STATIC_LIB) $(PKG_LIBS)

FUZZ_CC ?= clang
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
fuzz:
	$(MAKE) B=build-fuzz CC=$(FUZZ_CC) CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" build-fuzz/libdfuse.a
	@mkdir -p build-fuzz/fuzz
	set -e; for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  $(FUZZ_CC) $(FUZZ_FLAGS) -std=c11 -D_GNU_SOURCE -Iinclude -Isrc/lib $$f build-fuzz/libdfuse.a $(PKG_LIBS) -o build-fuzz/fuzz/$$n; done

# make fuzz-run T=dfuse_read SECS=60: grows tests/fuzz/corpus/T
T ?= dfuse_read
SECS ?= 60
fuzz-run: fuzz
	build-fuzz/fuzz/fuzz_$(T) -max_total_time=$(SECS) -max_len=65536 tests/fuzz/corpus/$(T)

# ---- checks ----
deps:
	@sh scripts/deps.sh test

deps-build:
	@sh scripts/deps.sh build

headertest: $(B)/headertest-c $(B)/headertest-cxx
$(B)/headertest-c: tests/headertest.c include/dfuse.h include/dfuse_usb.h
	@mkdir -p $(@D)
	$(call say,TEST,$@)$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude -c $< -o $@.o && touch $@
$(B)/headertest-cxx: tests/headertest.c include/dfuse.h include/dfuse_usb.h
	@mkdir -p $(@D)
	$(call say,TEST,$@)$(CXX) -x c++ -std=c++11 -pedantic -Wall -Wextra -Werror -Iinclude -c $< -o $@.o && touch $@

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(B) $(UNIT_BIN)

cli-tests: $(TOOL) $(SHARED_LIB) $(B)/libdfuse.so
	@CC="$(CC)" TEST_CFLAGS="$(CFLAGS)" TEST_LDFLAGS="$(LDFLAGS)" sh tests/cli/run.sh $(B)

fuzz-regress: $(FUZZ_REG)
	@sh tests/fuzz/run-regress.sh $(B) $(FUZZ_REG)

# The H7 model behind real libusb through umockdev (tests/usb); built only
# with USB support and umockdev-1.0, else run.sh says "skipped".
UMOCKDEV_OK := $(if $(filter 1,$(WITH_USB)),$(shell $(PKG_CONFIG) --exists umockdev-1.0 2>/dev/null && echo 1))
USB_TEST := $(if $(UMOCKDEV_OK),$(B)/tests/usbtest)

$(B)/tests/usbtest: tests/usb/usbtest.c tests/unit/h7model.c tests/unit/h7model.h $(STATIC_LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Wno-missing-prototypes -Iinclude -Isrc/lib -Itests/unit $(PKG_CFLAGS) $$($(PKG_CONFIG) --cflags umockdev-1.0) -o $@ tests/usb/usbtest.c tests/unit/h7model.c $(STATIC_LIB) $(PKG_LIBS) $$($(PKG_CONFIG) --libs umockdev-1.0)

usb-tests: $(USB_TEST)
	@sh tests/usb/run.sh $(B)

# The library never prints, exits or aborts: scripts/check-banned.py reads
# src/lib as C tokens (comments and literals dropped, continuations and
# #define bodies read) and names FILE:LINE of each output or exit call;
# `nm -u` of the library objects must not list one either.
# tests/cli/general/check-banned.sh plants each banned form to show it fails.
NM ?= nm
check-banned: $(LIB_OBJ)
	@python3 scripts/check-banned.py --nm $(NM) --objects $(LIB_OBJ) -- src/lib

check-man: $(TOOL) $(STATIC_LIB)
	@B=$(B) CC="$(CC)" TEST_CFLAGS="$(CFLAGS)" TEST_LDFLAGS="$(LDFLAGS)" LIBS="$(PKG_LIBS)" sh tests/check-man.sh

# Every suite runs even when an earlier one fails; the last line adds up.
check: deps
	@mkdir -p $(B) && rm -f $(B)/check-counts $(B)/check-skips
	@$(MAKE) --no-print-directory all headertest
	@st=0; \
	for t in format-check check-banned unit fuzz-regress cli-tests usb-tests check-man; do \
		$(MAKE) --no-print-directory $$t || st=1; \
	done; \
	sh tests/summary.sh $(B) || st=1; \
	exit $$st

# The C style is .clang-format's (clang-format 14, Debian 12): `make
# format` applies it, `make format-check` (in `make check`) fails on any
# file it would change and names them.  The firmware samples are left out:
# their committed ELFs carry line numbers.
CLANG_FORMAT ?= clang-format
FORMAT_SRC = $(shell git ls-files 'src/*.[ch]' 'include/*.h' 'tests/*.[ch]' 2>/dev/null || \
	       ls src/*/*.[ch] include/*.h tests/*.c tests/*/*.[ch])
format:
	@$(CLANG_FORMAT) -i $(FORMAT_SRC)
format-check:
	@bad=""; for f in $(FORMAT_SRC); do \
		$(CLANG_FORMAT) "$$f" | cmp -s - "$$f" || bad="$$bad $$f"; \
	done; \
	if [ -n "$$bad" ]; then echo "format-check: not in .clang-format's style (make format):$$bad"; exit 1; \
	else echo "format-check: clean"; fi

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan:
	$(MAKE) B=build-asan CC=$${ASAN_CC:-$$(command -v clang >/dev/null && echo clang || echo gcc)} \
	  CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check
ubsan: asan

valgrind: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do valgrind -q --error-exitcode=1 --leak-check=full $$t >/dev/null; done; echo "valgrind: clean"

demo: deps-build
	@$(MAKE) --no-print-directory all
	$(TOOL) build --cm7 samples/h745-blinky/cm7.elf --cm4 samples/h745-blinky/cm4.elf -o $(B)/h745-blinky.dfu
	$(TOOL) dump $(B)/h745-blinky.dfu

bench: all
	@sh bench/run.sh $(B)

# peak RSS / data of convert, merge, split against srec_cat and objcopy
bench-amp: all
	@sh bench/amp.sh $(B)

# download against dfu-util on the emulated H7 ROM (needs umockdev)
bench-download: all $(USB_TEST)
	@python3 bench/download/bench.py $(B)

-include samples/samples.mk

# ---- install ----
# Everything under $(DESTDIR); the shared library with its soname links;
# ldconfig (as root, installing for real) so programs find it at once.
MAN_PAGES := $(wildcard man/*.[1-9])
install: deps-build all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 755 $(TOOL) $(DESTDIR)$(BINDIR)/dfusetool
	$(INSTALL) -m 644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/libdfuse.a
	$(INSTALL) -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/libdfuse.so.$(VERSION)
	ln -sf libdfuse.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libdfuse.so
	$(INSTALL) -m 644 include/dfuse*.h $(DESTDIR)$(INCLUDEDIR)/
	$(pcgen) > $(DESTDIR)$(PKGCONFIGDIR)/libdfuse.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/libdfuse.pc
	@set -e; for s in $(sort $(suffix $(MAN_PAGES))); do \
	  n=$${s#.}; echo "$(INSTALL) -m 644 man/*.$$n $(DESTDIR)$(MANDIR)/man$$n/"; \
	  $(INSTALL) -d $(DESTDIR)$(MANDIR)/man$$n; $(INSTALL) -m 644 man/*.$$n $(DESTDIR)$(MANDIR)/man$$n/; done
	$(INSTALL) -d $(DESTDIR)$(CMAKEDIR)
	$(cmakegen) cmake/dfusetoolConfig.cmake.in > $(DESTDIR)$(CMAKEDIR)/dfusetoolConfig.cmake
	$(cmakegen) cmake/dfusetoolConfigVersion.cmake.in > $(DESTDIR)$(CMAKEDIR)/dfusetoolConfigVersion.cmake
	$(INSTALL) -m 644 cmake/dfusetool.cmake $(DESTDIR)$(CMAKEDIR)/dfusetool.cmake
	chmod 644 $(DESTDIR)$(CMAKEDIR)/dfusetoolConfig.cmake $(DESTDIR)$(CMAKEDIR)/dfusetoolConfigVersion.cmake
	$(INSTALL) -d $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 644 completion/dfusetool.bash $(DESTDIR)$(BASHCOMPDIR)/dfusetool
	$(INSTALL) -d $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(INSTALL) -m 644 completion/_dfusetool $(DESTDIR)$(ZSHCOMPDIR)/_dfusetool
	$(INSTALL) -m 644 completion/dfusetool.fish $(DESTDIR)$(FISHCOMPDIR)/dfusetool.fish
	@if [ -n "$(UDEVDIR)" ]; then \
	  echo "$(INSTALL) -m 644 udev/70-dfusetool.rules $(DESTDIR)$(UDEVDIR)/"; \
	  $(INSTALL) -d $(DESTDIR)$(UDEVDIR) && \
	  $(INSTALL) -m 644 udev/70-dfusetool.rules $(DESTDIR)$(UDEVDIR)/70-dfusetool.rules; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null 2>&1; then \
	  echo ldconfig; ldconfig; fi
	@if [ -z "$(DESTDIR)" ] && [ -n "$(UDEVDIR)" ]; then \
	  echo "udev: the rule for 0483:df11 is in $(UDEVDIR); it applies to devices plugged in from now on"; \
	  echo "      (or now: udevadm control --reload && udevadm trigger --subsystem-match=usb)"; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dfusetool
	rm -f $(DESTDIR)$(LIBDIR)/libdfuse.a $(DESTDIR)$(LIBDIR)/libdfuse.so.$(VERSION)
	rm -f $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libdfuse.so
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/,$(notdir $(wildcard include/dfuse*.h)))
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/libdfuse.pc
	rm -f $(foreach p,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/dfusetool
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_dfusetool $(DESTDIR)$(FISHCOMPDIR)/dfusetool.fish
	rm -f $(addprefix $(DESTDIR)$(CMAKEDIR)/,dfusetoolConfig.cmake dfusetoolConfigVersion.cmake dfusetool.cmake)
	@rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null || true
	$(if $(UDEVDIR),rm -f $(DESTDIR)$(UDEVDIR)/70-dfusetool.rules)
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null 2>&1; then \
	  echo ldconfig; ldconfig; fi

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:%=%.d) $(UNIT_HOBJ:.o=.d) \
	$(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%.d)
