# ELF input against arm-none-eabi-objcopy and readelf, oracles we did not
# write.  The ELF is made here with arm-none-eabi-as/ld: a vector table,
# .text after a gap, .rodata sharing a flash word with .text, .data in AXI
# RAM with its load image in flash, .bss, and a segment in another sector
# at an odd address.  Every byte of every PT_LOAD segment (readelf) must be
# in an element and equal `objcopy -O binary` at its load address; every
# other element byte is 0xFF padding to a 32-byte flash word.
. "$LIB"
need arm-none-eabi-as arm-none-eabi-ld arm-none-eabi-objcopy arm-none-eabi-readelf dfuse-pack python3
cat > fw.s <<'ASM'
	.syntax unified
	.thumb
	.section .isr_vector,"a"
	.word 0x24080000, reset + 1
	.fill 14, 4, 0x08000201
	.text
	.thumb_func
reset:	ldr r0, =counter
	ldr r1, [r0]
	adds r1, #1
	str r1, [r0]
	b reset
	.ltorg
	.byte 0x11, 0x22, 0x33
	.section .rodata,"a"
	.ascii "rodata shares a flash word with .text"
	.data
counter: .word 0x12345678, 0xcafef00d, 0x0badc0de
	.bss
scratch: .space 64
	.section .extra,"a"
	.ascii "another sector, odd address"
ASM
cat > fw.ld <<'LD'
MEMORY {
	FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 1024K
	RAM (rwx) : ORIGIN = 0x24000000, LENGTH = 512K
}
PHDRS {
	vec PT_LOAD; code PT_LOAD; data PT_LOAD; bss PT_LOAD; extra PT_LOAD;
}
SECTIONS {
	.isr_vector 0x08000000 : { KEEP(*(.isr_vector)) } > FLASH :vec
	.text 0x08000200 : { *(.text*) } > FLASH :code
	.rodata : { *(.rodata*) } > FLASH :code
	.data : { *(.data*) } > RAM AT > FLASH :data
	.bss (NOLOAD) : { *(.bss*) } > RAM :bss
	.extra 0x08020013 : { KEEP(*(.extra)) } > FLASH :extra
}
LD
arm-none-eabi-as -mcpu=cortex-m7 fw.s -o fw.o
arm-none-eabi-ld -T fw.ld fw.o -o fw.elf
# the fixture really has .data with p_paddr != p_vaddr and a bss segment
arm-none-eabi-readelf -lW fw.elf > phdrs
has phdrs "0x24000000 0x08"
arm-none-eabi-objcopy -O binary fw.elf fw.bin
arm-none-eabi-strip -o fw-stripped.elf fw.elf
run 0 dfusetool build --cm7 fw.elf -o fw.dfu
run 0 dfusetool build --cm7 fw-stripped.elf -o stripped.dfu
cmp fw.dfu stripped.dfu || fail "stripping the ELF changed the output"
run 0 dfuse-pack -d fw.dfu
python3 - <<'PY'
import re
base = 0x08000000
ref = open('fw.bin', 'rb').read()
segs = [(int(p, 16), int(n, 16)) for p, n in
        re.findall(r'LOAD +0x[0-9a-f]+ 0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+)', open('phdrs').read())]
segs = [(p, n) for p, n in segs if n > 0]
assert len(segs) == 4, segs
dump = open('out').read()
els = [(int(a, 16), int(s)) for a, s in re.findall(r'address: 0x([0-9a-f]+), size: (\d+)', dump)]
covered = set()
for i, (a, s) in enumerate(els):
    data = open('fw.dfu.target0.image%d.bin' % i, 'rb').read()
    assert len(data) == s and a % 32 == 0 and s % 32 == 0, (hex(a), s)
    for k in range(s):
        x = a + k
        if any(p <= x < p + n for p, n in segs):
            want = ref[x - base]
            covered.add(x)
        else:
            want = 0xFF
        assert data[k] == want, 'element %d at 0x%08x: 0x%02x, expected 0x%02x' % (i, x, data[k], want)
for p, n in segs:
    for x in range(p, p + n):
        assert x in covered, 'segment byte 0x%08x is in no element' % x
# the vectors stand alone (a gap follows); .data's load image shares a
# flash word with .rodata and joins .text's element; .extra is apart
assert [a for a, s in els] == [base, base + 0x200, 0x08020000], els
assert els[0][1] == 64, els
print('elements', [(hex(a), s) for a, s in els])
PY
