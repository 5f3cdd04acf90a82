# scripts/deps.sh, behind `make demo` and `make check`: as a user it prints
# the exact apt-get command and stops; as root it runs apt-get itself.
# dpkg-query, id and apt-get are stubs here, so nothing is installed.
. "$LIB"
mkdir stub
cat > stub/dpkg-query <<'SH'
#!/bin/sh
# every package is missing except make and gcc
for a; do pkg=$a; done
case "$pkg" in make|gcc) echo "install ok installed" ;; *) echo "unknown ok not-installed" ;; esac
SH
cat > stub/id <<'SH'
#!/bin/sh
echo "${FAKE_UID:-1000}"
SH
cat > stub/apt-get <<'SH'
#!/bin/sh
echo "apt-get $*" >> "$APT_LOG"
SH
chmod +x stub/*
export APT_LOG=$PWD/apt.log
PATH="$PWD/stub:$PATH" FAKE_UID=1000 run 1 sh "$ROOT/scripts/deps.sh" build
has err "sudo apt-get update && sudo apt-get install -y pkg-config zlib1g-dev libelf-dev nettle-dev libcmocka-dev libusb-1.0-0-dev"
[ ! -e apt.log ] || fail "apt-get ran as a user"
PATH="$PWD/stub:$PATH" FAKE_UID=0 run 0 sh "$ROOT/scripts/deps.sh" test
has apt.log "apt-get update"
has apt.log "install -y -qq --no-install-recommends pkg-config zlib1g-dev libelf-dev nettle-dev libcmocka-dev libusb-1.0-0-dev dfu-util srecord binutils-arm-none-eabi mandoc g++ python3 umockdev libumockdev-dev libxml2-utils bash-completion"
has apt.log "install -y -qq fwupd"
has apt.log "install -y -qq chromium"
