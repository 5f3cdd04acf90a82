# ELF files for other machines, classes or byte orders are refused with a
# message that says what was found and what is expected.
. "$LIB"
need as ld arm-none-eabi-as arm-none-eabi-ld
printf '\t.text\n_start: nop\n\t.globl _start\n' > x.s
# 64-bit x86
as --64 x.s -o x64.o && ld -m elf_x86_64 -o x64.elf x64.o
run 1 dfusetool build --cm7 x64.elf -o out.dfu
has err "'x64.elf': "
has err "ELFCLASS64"
# 32-bit x86
as --32 x.s -o x32.o && ld -m elf_i386 -o x32.elf x32.o
run 1 dfusetool build --cm7 x32.elf -o out.dfu
has err "'x32.elf': "
has err "EM_ARM"
# big-endian ARM
arm-none-eabi-as -EB x.s -o be.o && arm-none-eabi-ld -EB -o be.elf be.o
run 1 dfusetool build --cm7 be.elf -o out.dfu
has err "'be.elf': "
has err "big-endian"
# an unlinked ARM object has no loadable segment
arm-none-eabi-as x.s -o arm.o
run 1 dfusetool build --cm7 arm.o -o out.dfu
has err "'arm.o': "
[ ! -e out.dfu ] || fail "a refused build left out.dfu"
ls -a | grep -q 'out.dfu.' && fail "a refused build left a temporary file"
exit 0
