/*
 * mkelf.h - builds ELF fixtures at run time with libelf's write API
 * (doc/sources.md, Architecture): ELF32 / EM_ARM executables by default, and
 * deliberately wrong ones (ELFCLASS64, big-endian, another machine, ET_REL,
 * segments that lie about their place in the file, no section headers...).
 *
 * Usage:
 *	static const uint8_t text[] = { ... };
 *	const struct mkelf_segment seg[] = {
 *		{ .type = PT_LOAD, .vaddr = 0x08000000, .paddr = 0x08000000,
 *		  .data = text, .size = sizeof(text) },
 *	};
 *	struct mkelf_spec spec;
 *	uint8_t *elf;
 *	size_t len;
 *
 *	mkelf_spec_init(&spec);
 *	spec.seg = seg;
 *	spec.nseg = 1;
 *	if (mkelf_build(&elf, &len, &spec) != 0)
 *		... (the reason is on stderr)
 *	free(elf);
 *
 * Each segment's bytes go into a section of their own (libelf writes file
 * bytes only through sections), placed by hand (ELF_F_LAYOUT) right after
 * the program header table, 4-byte aligned, in spec order.  Neither file
 * needs a cross compiler, and both are deterministic.
 */
#ifndef MKELF_H
#define MKELF_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

/* mkelf_segment.lie: which program header fields are written as given in
 * the *_lie members instead of the truth. */
#define MKELF_LIE_OFFSET 0x1u /* p_offset = offset_lie */
#define MKELF_LIE_FILESZ 0x2u /* p_filesz = filesz_lie */
#define MKELF_LIE_MEMSZ 0x4u  /* p_memsz = memsz_lie */

struct mkelf_segment {
	uint32_t type;	     /* p_type: PT_LOAD, PT_NOTE, ... */
	uint32_t flags;	     /* p_flags; 0: PF_R | PF_W | PF_X */
	uint64_t vaddr;	     /* p_vaddr (VMA) */
	uint64_t paddr;	     /* p_paddr (LMA) */
	const void *data;    /* bytes stored in the file; NULL: zeros */
	size_t size;	     /* number of bytes stored: p_filesz */
	uint64_t memsz;	     /* p_memsz; 0: size (size 0, memsz > 0: bss) */
	const char *name;    /* section name; NULL: ".seg<index>" */
	unsigned int lie;    /* MKELF_LIE_* */
	uint64_t offset_lie; /* p_offset with MKELF_LIE_OFFSET */
	uint64_t filesz_lie; /* p_filesz with MKELF_LIE_FILESZ */
	uint64_t memsz_lie;  /* p_memsz with MKELF_LIE_MEMSZ */
};

struct mkelf_spec {
	unsigned char elfclass; /* e_ident[EI_CLASS]: ELFCLASS32 */
	unsigned char elfdata;	/* e_ident[EI_DATA]: ELFDATA2LSB */
	uint16_t type;		/* e_type: ET_EXEC */
	uint16_t machine;	/* e_machine: EM_ARM */
	uint32_t flags;		/* e_flags: EF_ARM_EABI_VER5 */
	uint64_t entry;		/* e_entry: 0 */
	int sections;		/* 1: section headers; 0: none, e_shoff,
				   e_shnum and e_shstrndx are 0 */
	int symtab;		/* 1: a .symtab/.strtab, as an unstripped
				   file has; 0: stripped */
	const struct mkelf_segment *seg; /* program headers, in order */
	size_t nseg;
};

/* Defaults as above: a stripped ELF32 LE EM_ARM ET_EXEC with sections and
 * no segments. */
void mkelf_spec_init(struct mkelf_spec *spec);

/*
 * Builds the file in a temporary file (elf_begin(ELF_C_WRITE) needs a
 * descriptor) and reads it back.
 * @param[out] out malloc'd file bytes; free() them
 * @return 0, or -1 with the reason on stderr
 */
int mkelf_build(uint8_t **out, size_t *len, const struct mkelf_spec *spec);

/* mkelf_build() into a file at `path`. @return 0 or -1 (stderr) */
int mkelf_write(const char *path, const struct mkelf_spec *spec);

/* Offsets of ELF32 header fields, for tests that patch a built file. */
#define MKELF32_E_ENTRY 24
#define MKELF32_E_PHOFF 28
#define MKELF32_E_SHOFF 32
#define MKELF32_E_PHENTSIZE 42
#define MKELF32_E_PHNUM 44
#define MKELF32_E_SHNUM 48
#define MKELF32_E_SHSTRNDX 50

#endif /* MKELF_H */
