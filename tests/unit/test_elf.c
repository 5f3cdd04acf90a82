/*
 * test_elf.c - dfuse_parse_elf() on fixtures built at run time by mkelf,
 * and on the committed sample firmware against its objcopy -O binary
 * output (an independent oracle: binutils, not us).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "mkelf.h"

/* ======== Helpers ======== */

/* Recognisable bytes: .text counts up from `seed`. */
static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static dfuse_image *new_image(void)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	return img;
}

static void build(uint8_t **elf, size_t *len, const struct mkelf_spec *spec)
{
	assert_int_equal(mkelf_build(elf, len, spec), 0);
	assert_non_null(*elf);
}

/* Builds `spec`, parses it into target 0 of `img`, returns the code. */
static int parse_spec(dfuse_image *img, const struct mkelf_spec *spec,
		      const dfuse_input_options *opts)
{
	uint8_t *elf;
	size_t len;
	int rc;

	build(&elf, &len, spec);
	rc = dfuse_parse_elf(img, 0, elf, len, opts);
	free(elf);
	return rc;
}

static void assert_message(const char *fragment)
{
	const char *m = dfuse_error_last()->message;

	if (strstr(m, fragment) == NULL) {
		print_error("message '%s'\n   lacks '%s'\n", m, fragment);
		fail();
	}
}

/* Expects `rc` to be `code` with every fragment in the message. */
static void assert_error(int rc, int code, const char *f1, const char *f2)
{
	if (rc != code)
		print_error("rc %s, expected %s; message '%s'\n",
			    dfuse_error_name(rc), dfuse_error_name(code),
			    dfuse_error_last()->message);
	assert_int_equal(rc, code);
	assert_int_equal(dfuse_error_last()->code, code);
	if (f1 != NULL)
		assert_message(f1);
	if (f2 != NULL)
		assert_message(f2);
}

static void assert_element(const dfuse_image *img, size_t i, uint32_t address,
			   const void *data, size_t size)
{
	dfuse_element_info e;

	assert_int_equal(dfuse_image_get_element(&e, img, 0, i), 0);
	assert_int_equal(e.address, address);
	assert_int_equal(e.size, size);
	assert_non_null(e.data);
	assert_memory_equal(e.data, data, size);
}

static size_t element_count(const dfuse_image *img)
{
	dfuse_target_info t;

	assert_int_equal(dfuse_image_get_target(&t, img, 0), 0);
	return t.element_count;
}

/*
 * The typical Cortex-M layout: .text in flash, .data running in AXI SRAM
 * (0x24000000) with its initial values stored in flash (0x08000400),
 * .bss in SRAM with no file bytes.
 */
static uint8_t text[64];
static uint8_t data[16];

static const struct mkelf_segment good_seg[] = {
	{.type = PT_LOAD,
	 .flags = PF_R | PF_X,
	 .vaddr = 0x08000000,
	 .paddr = 0x08000000,
	 .data = text,
	 .size = sizeof(text),
	 .name = ".text"},
	{.type = PT_LOAD,
	 .flags = PF_R | PF_W,
	 .vaddr = 0x24000000,
	 .paddr = 0x08000400,
	 .data = data,
	 .size = sizeof(data),
	 .memsz = 0x100,
	 .name = ".data"},
	{.type = PT_LOAD,
	 .flags = PF_R | PF_W,
	 .vaddr = 0x24000100,
	 .paddr = 0x24000100,
	 .memsz = 0x200,
	 .name = ".bss"},
};

static void good_spec(struct mkelf_spec *spec)
{
	fill(text, sizeof(text), 0x10);
	fill(data, sizeof(data), 0xA0);
	mkelf_spec_init(spec);
	spec->seg = good_seg;
	spec->nseg = sizeof(good_seg) / sizeof(good_seg[0]);
	spec->entry = 0x08000011;
}

static void assert_good_elements(const dfuse_image *img)
{
	assert_int_equal(element_count(img), 2);
	assert_element(img, 0, 0x08000000, text, sizeof(text));
	assert_element(img, 1, 0x08000400, data, sizeof(data));
}

/* ======== Loading ======== */

static void test_elf__segments_land_at_their_lma(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	good_spec(&spec);
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	/* .data at 0x08000400 (p_paddr), not 0x24000000 (p_vaddr); .bss
	 * added nothing */
	assert_good_elements(img);
	dfuse_image_free(img);
}

static void test_elf__bss_only_segment_adds_nothing(void **state)
{
	static const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0x24000000,
		 .paddr = 0x24000000,
		 .memsz = 0x1000,
		 .name = ".bss"},
		{.type = PT_LOAD,
		 .vaddr = 0x08000000,
		 .paddr = 0x08000000,
		 .data = text,
		 .size = sizeof(text)},
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	fill(text, sizeof(text), 1);
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 2;
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	assert_int_equal(element_count(img), 1);
	assert_element(img, 0, 0x08000000, text, sizeof(text));
	dfuse_image_free(img);
}

static void test_elf__only_bss_is_refused(void **state)
{
	static const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0x24000000,
		 .paddr = 0x24000000,
		 .memsz = 0x1000,
		 .name = ".bss"},
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 1;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "no loadable segment with file data",
		     "(1 program header, 1 PT_LOAD)");
	assert_int_equal(element_count(img), 0);
	dfuse_image_free(img);
}

static void test_elf__no_section_headers(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len;

	(void)state;
	good_spec(&spec);
	spec.sections = 0;
	build(&elf, &len, &spec);
	/* the fixture really has none */
	assert_int_equal(dfuse__get_le32(elf + MKELF32_E_SHOFF), 0);
	assert_int_equal(dfuse__get_le16(elf + MKELF32_E_SHNUM), 0);
	assert_int_equal(dfuse_parse_elf(img, 0, elf, len, NULL), 0);
	assert_good_elements(img);
	free(elf);
	dfuse_image_free(img);
}

static void test_elf__stripped_and_unstripped_load_alike(void **state)
{
	int symtab;

	(void)state;
	for (symtab = 0; symtab <= 1; symtab++) {
		dfuse_image *img = new_image();
		struct mkelf_spec spec;

		good_spec(&spec);
		spec.symtab = symtab;
		assert_int_equal(parse_spec(img, &spec, NULL), 0);
		assert_good_elements(img);
		dfuse_image_free(img);
	}
}

static void test_elf__segments_sorted_by_address(void **state)
{
	static uint8_t a[8], b[8];
	static const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0x08001000,
		 .paddr = 0x08001000,
		 .data = b,
		 .size = sizeof(b)},
		{.type = PT_NOTE, .data = a, .size = 4},
		{.type = PT_LOAD,
		 .vaddr = 0x08000000,
		 .paddr = 0x08000000,
		 .data = a,
		 .size = sizeof(a)},
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	fill(a, sizeof(a), 3);
	fill(b, sizeof(b), 0x80);
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 3;
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	assert_int_equal(element_count(img), 2);
	assert_element(img, 0, 0x08000000, a, sizeof(a));
	assert_element(img, 1, 0x08001000, b, sizeof(b));
	dfuse_image_free(img);
}

static void test_elf__shared_object_type_is_accepted(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	good_spec(&spec);
	spec.type = ET_DYN;
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	assert_good_elements(img);
	dfuse_image_free(img);
}

static void test_elf__entry_point(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint32_t entry = 0;

	(void)state;
	good_spec(&spec);
	spec.entry = 0x08000199; /* Thumb: bit 0 set, kept as is */
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 1);
	assert_int_equal(entry, 0x08000199);
	dfuse_image_free(img);

	img = new_image();
	spec.entry = 0;
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	assert_int_equal(dfuse_image_get_entry(&entry, img), 0);
	dfuse_image_free(img);
}

static void test_elf__options_pass_through(void **state)
{
	dfuse_input_options opts = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	dfuse_element_info e;

	(void)state;
	opts.source = "cm4.elf";
	opts.core = DFUSE_CORE_CM4;
	good_spec(&spec);
	assert_int_equal(parse_spec(img, &spec, &opts), 0);
	assert_int_equal(dfuse_image_get_element(&e, img, 0, 1), 0);
	assert_int_equal(e.core, DFUSE_CORE_CM4);
	assert_non_null(e.source);
	assert_string_equal(e.source, "cm4.elf");
	dfuse_image_free(img);
}

static void test_elf__address_zero_is_fine_when_vaddr_agrees(void **state)
{
	static const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0,
		 .paddr = 0,
		 .data = text,
		 .size = sizeof(text)},
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	fill(text, sizeof(text), 9);
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 1;
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	assert_element(img, 0, 0, text, sizeof(text));
	dfuse_image_free(img);
}

/* ======== Refusals: identification ======== */

static void test_elf__refuses_elfclass64(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	good_spec(&spec);
	spec.elfclass = ELFCLASS64;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "ELF class is ELFCLASS64", "expected ELFCLASS32");
	assert_int_equal(element_count(img), 0);
	dfuse_image_free(img);
}

static void test_elf__refuses_big_endian(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	good_spec(&spec);
	spec.elfdata = ELFDATA2MSB;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "byte order is big-endian (ELFDATA2MSB)",
		     "expected little-endian");
	dfuse_image_free(img);
}

static void test_elf__refuses_other_machines(void **state)
{
	static const struct {
		uint16_t em;
		const char *fragment;
	} cases[] = {
		{EM_X86_64, "machine is EM_X86_64 (62, x86-64)"},
		{EM_386, "machine is EM_386 (3, x86)"},
		{EM_AARCH64, "machine is EM_AARCH64 (183"},
		{EM_RISCV, "machine is EM_RISCV (243, RISC-V)"},
		{EM_XTENSA, "machine is EM_XTENSA (94, Xtensa"},
		{EM_NONE, "machine is EM_NONE (0"},
		{9999, "machine is 9999 (unknown)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dfuse_image *img = new_image();
		struct mkelf_spec spec;

		good_spec(&spec);
		spec.machine = cases[i].em;
		assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
			     cases[i].fragment, "expected EM_ARM (40");
		dfuse_image_free(img);
	}
}

static void test_elf__refuses_relocatable_object(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	good_spec(&spec);
	spec.type = ET_REL;
	spec.nseg = 0; /* as an object file: no program headers */
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "relocatable object (ET_REL)", "link it first");
	dfuse_image_free(img);
}

static void test_elf__refuses_other_types(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	good_spec(&spec);
	spec.type = ET_CORE;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "core dump (ET_CORE)", NULL);
	spec.type = ET_NONE;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT, "ET_NONE",
		     NULL);
	spec.type = 0xfe00;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "file type is 0xfe00", NULL);
	dfuse_image_free(img);
}

static void test_elf__refuses_non_elf(void **state)
{
	static const char hex[] = ":020000040800F2\n";
	dfuse_image *img = new_image();

	(void)state;
	assert_error(dfuse_parse_elf(img, 0, hex, sizeof(hex) - 1, NULL),
		     DFUSE_EFORMAT, "not an ELF file",
		     "starts with 3a 30 32 30");
	assert_error(dfuse_parse_elf(img, 0, "\177EL", 3, NULL), DFUSE_EFORMAT,
		     "not an ELF file: 3 bytes", NULL);
	assert_error(dfuse_parse_elf(img, 0, NULL, 0, NULL), DFUSE_EFORMAT,
		     "0 bytes", NULL);
	assert_error(dfuse_parse_elf(img, 0, "\177ELF\1\1\1", 7, NULL),
		     DFUSE_EFORMAT, "shorter than the 16-byte e_ident", NULL);
	dfuse_image_free(img);
}

static void test_elf__refuses_truncated_header(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len;

	(void)state;
	good_spec(&spec);
	build(&elf, &len, &spec);
	assert_error(dfuse_parse_elf(img, 0, elf, 40, NULL), DFUSE_EFORMAT,
		     "file is 40 bytes", "52-byte ELF32 header");
	free(elf);
	dfuse_image_free(img);
}

static void test_elf__refuses_bad_ident_bytes(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len;

	(void)state;
	good_spec(&spec);
	build(&elf, &len, &spec);
	elf[EI_VERSION] = 2;
	assert_error(dfuse_parse_elf(img, 0, elf, len, NULL), DFUSE_EFORMAT,
		     "ELF version is 2", "EV_CURRENT");
	elf[EI_VERSION] = EV_CURRENT;
	elf[EI_CLASS] = 7;
	assert_error(dfuse_parse_elf(img, 0, elf, len, NULL), DFUSE_EFORMAT,
		     "ELF class is 7 (invalid)", NULL);
	elf[EI_CLASS] = ELFCLASS32;
	elf[EI_DATA] = 0;
	assert_error(dfuse_parse_elf(img, 0, elf, len, NULL), DFUSE_EFORMAT,
		     "byte order is 0 (invalid)", NULL);
	free(elf);
	dfuse_image_free(img);
}

/* ======== Refusals: program headers and segments ======== */

static void test_elf__refuses_no_program_headers(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	good_spec(&spec);
	spec.nseg = 0;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "no loadable segment with file data",
		     "no program headers");
	dfuse_image_free(img);
}

static void test_elf__refuses_no_pt_load(void **state)
{
	static const struct mkelf_segment seg[] = {
		{.type = PT_NOTE, .data = text, .size = 16},
		{.type = PT_ARM_EXIDX,
		 .vaddr = 0x08000000,
		 .paddr = 0x08000000,
		 .data = text,
		 .size = 8},
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 2;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "no loadable segment with file data",
		     "2 program headers, 0 PT_LOAD");
	dfuse_image_free(img);
}

static void test_elf__refuses_segment_past_eof(void **state)
{
	struct mkelf_segment seg[2];
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len;
	char want[64];

	(void)state;
	good_spec(&spec);
	memcpy(seg, good_seg, sizeof(seg));
	seg[1].lie = MKELF_LIE_OFFSET;
	seg[1].offset_lie = 0x10000;
	spec.seg = seg;
	spec.nseg = 2;
	build(&elf, &len, &spec);
	assert_error(dfuse_parse_elf(img, 0, elf, len, NULL), DFUSE_EFORMAT,
		     "segment 1: 16 bytes at offset 65536 run past the end",
		     NULL);
	snprintf(want, sizeof(want), "(%zu bytes)", len);
	assert_message(want);
	assert_int_equal(element_count(img), 0); /* segment 0 not added */
	free(elf);

	/* p_filesz larger than the rest of the file */
	seg[1].lie = MKELF_LIE_FILESZ | MKELF_LIE_MEMSZ;
	seg[1].filesz_lie = 0x100000;
	seg[1].memsz_lie = 0x100000;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "segment 1: 1048576 bytes at offset", "run past the end");
	dfuse_image_free(img);
}

static void test_elf__refuses_file_cut_inside_a_segment(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len;

	(void)state;
	good_spec(&spec);
	build(&elf, &len, &spec);
	/* .text starts right after the header and 3 program headers */
	assert_error(dfuse_parse_elf(img, 0, elf, 52 + 3 * 32 + 10, NULL),
		     DFUSE_EFORMAT, "segment 0: 64 bytes at offset 148",
		     "file (158 bytes)");
	free(elf);
	dfuse_image_free(img);
}

static void test_elf__refuses_filesz_over_memsz(void **state)
{
	struct mkelf_segment seg[2];
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	good_spec(&spec);
	memcpy(seg, good_seg, sizeof(seg));
	seg[1].memsz = 8; /* 16 file bytes */
	spec.seg = seg;
	spec.nseg = 2;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "segment 1: p_filesz 0x10 is larger than p_memsz 0x8",
		     NULL);
	assert_int_equal(element_count(img), 0);
	dfuse_image_free(img);
}

static void test_elf__refuses_address_wrap(void **state)
{
	static const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0xFFFFFFF0,
		 .paddr = 0xFFFFFFF0,
		 .data = text,
		 .size = 32},
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 1;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_ERANGE,
		     "segment 0: 32 bytes at p_paddr 0xfffffff0",
		     "32-bit address space");
	dfuse_image_free(img);
}

static void test_elf__refuses_zero_paddr_with_vaddr(void **state)
{
	static const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0x08000000,
		 .paddr = 0,
		 .data = text,
		 .size = sizeof(text)},
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 1;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EFORMAT,
		     "segment 0: p_paddr is 0 but p_vaddr is 0x08000000",
		     "load address");
	dfuse_image_free(img);
}

static void test_elf__refuses_bad_program_header_table(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len;

	(void)state;
	good_spec(&spec);
	build(&elf, &len, &spec);

	dfuse__put_le16(elf + MKELF32_E_PHNUM, 200);
	assert_error(dfuse_parse_elf(img, 0, elf, len, NULL), DFUSE_EFORMAT,
		     "program header table (200 entries of 32 bytes at "
		     "offset 52) runs past the end",
		     NULL);
	dfuse__put_le16(elf + MKELF32_E_PHNUM, 3);

	dfuse__put_le32(elf + MKELF32_E_PHOFF, 0xFFFFFFF0);
	assert_error(dfuse_parse_elf(img, 0, elf, len, NULL), DFUSE_EFORMAT,
		     "offset 4294967280) runs past the end", NULL);
	dfuse__put_le32(elf + MKELF32_E_PHOFF, 52);

	dfuse__put_le16(elf + MKELF32_E_PHENTSIZE, 40);
	assert_error(dfuse_parse_elf(img, 0, elf, len, NULL), DFUSE_EFORMAT,
		     "(e_phentsize) is 40, expected 32", NULL);
	dfuse__put_le16(elf + MKELF32_E_PHENTSIZE, 32);

	/* the patched file is whole again */
	assert_int_equal(dfuse_parse_elf(img, 0, elf, len, NULL), 0);
	assert_good_elements(img);
	free(elf);
	dfuse_image_free(img);
}

/* e_phnum == PN_XNUM: the count is in section 0's sh_info. */
static void test_elf__extended_program_header_count(void **state)
{
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len;
	uint32_t shoff;

	(void)state;
	good_spec(&spec);
	build(&elf, &len, &spec);
	shoff = dfuse__get_le32(elf + MKELF32_E_SHOFF);
	assert_true(shoff + 40 <= len);
	dfuse__put_le16(elf + MKELF32_E_PHNUM, PN_XNUM);
	dfuse__put_le32(elf + shoff + 28, 3); /* sh_info of section 0 */
	assert_int_equal(dfuse_parse_elf(img, 0, elf, len, NULL), 0);
	assert_good_elements(img);
	dfuse_image_free(img);

	img = new_image();
	dfuse__put_le32(elf + shoff + 28, 5000);
	assert_error(dfuse_parse_elf(img, 0, elf, len, NULL), DFUSE_EFORMAT,
		     "program header table (5000 entries", NULL);
	free(elf);
	dfuse_image_free(img);
}

/* ======== Overlaps ======== */

static void test_elf__overlap_with_different_bytes(void **state)
{
	static uint8_t a[32], b[32];
	static const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0x08000000,
		 .paddr = 0x08000000,
		 .data = a,
		 .size = sizeof(a)},
		{.type = PT_LOAD,
		 .vaddr = 0x24000000,
		 .paddr = 0x08000010,
		 .data = b,
		 .size = sizeof(b)},
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	fill(a, sizeof(a), 0);
	memcpy(b, a + 16, 16); /* the shared 16 bytes agree... */
	b[4] ^= 0xFF;	       /* ...but one */
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 2;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_EOVERLAP,
		     "segment 1 (0x08000010-0x0800002f) overlaps segment 0 "
		     "(0x08000000-0x0800001f) with different bytes",
		     "first at 0x08000014");
	assert_int_equal(element_count(img), 0);
	dfuse_image_free(img);
}

static void test_elf__overlap_with_identical_bytes_merges(void **state)
{
	static uint8_t a[32], b[32], want[48];
	static const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0x08000010,
		 .paddr = 0x08000010,
		 .data = b,
		 .size = sizeof(b)},
		{.type = PT_LOAD,
		 .vaddr = 0x08000000,
		 .paddr = 0x08000000,
		 .data = a,
		 .size = sizeof(a)},
		{.type = PT_LOAD,
		 .vaddr = 0x08000004,
		 .paddr = 0x08000004,
		 .data = a + 4,
		 .size = 8}, /* inside segment 1 */
	};
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	fill(want, sizeof(want), 0x33);
	memcpy(a, want, 32);
	memcpy(b, want + 16, 32);
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 3;
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	assert_int_equal(element_count(img), 1);
	assert_element(img, 0, 0x08000000, want, sizeof(want));
	dfuse_image_free(img);
}

static void test_elf__overlap_with_another_input(void **state)
{
	static const uint8_t other[4] = {0xde, 0xad, 0xbe, 0xef};
	dfuse_input_options opts = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	struct mkelf_spec spec;

	(void)state;
	opts.source = "boot.bin";
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000400, other,
					      sizeof(other), &opts),
			 0);
	good_spec(&spec);
	opts.source = "app.elf";
	assert_error(parse_spec(img, &spec, &opts), DFUSE_EOVERLAP,
		     "segment 1 at 0x08000400: ", "'boot.bin'");
	dfuse_image_free(img);
}

/* ======== Limits and arguments ======== */

static void test_elf__input_limit(void **state)
{
	dfuse_input_options opts = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len;
	char want[96];

	(void)state;
	good_spec(&spec);
	build(&elf, &len, &spec);
	opts.max_size = len - 1;
	assert_error(dfuse_parse_elf(img, 0, elf, len, &opts), DFUSE_ETOOBIG,
		     NULL, NULL);
	snprintf(want, sizeof(want), "%zu bytes, over the input limit of %zu",
		 len, len - 1);
	assert_message(want);
	opts.max_size = len;
	assert_int_equal(dfuse_parse_elf(img, 0, elf, len, &opts), 0);
	free(elf);
	dfuse_image_free(img);
}

/* Segments that share file bytes cannot describe more than the limit. */
static void test_elf__aliased_segments_limit(void **state)
{
	static uint8_t big[256];
	struct mkelf_segment seg[3];
	dfuse_input_options opts = DFUSE_INPUT_OPTIONS_INIT;
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	uint8_t *elf;
	size_t len, i;

	(void)state;
	/* segment 0 holds the bytes; 1 and 2 point at the same ones */
	memset(seg, 0, sizeof(seg));
	for (i = 0; i < 3; i++) {
		seg[i].type = PT_LOAD;
		seg[i].paddr = seg[i].vaddr = 0x08000000 + 0x1000 * i;
		if (i > 0) {
			seg[i].lie = MKELF_LIE_OFFSET | MKELF_LIE_FILESZ |
				     MKELF_LIE_MEMSZ;
			seg[i].offset_lie = 52 + 3 * 32;
			seg[i].filesz_lie = sizeof(big);
			seg[i].memsz_lie = sizeof(big);
		}
	}
	seg[0].data = big;
	seg[0].size = sizeof(big);
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = 3;
	build(&elf, &len, &spec);
	assert_true(len < 3 * sizeof(big));
	opts.max_size = len;
	assert_error(dfuse_parse_elf(img, 0, elf, len, &opts), DFUSE_ETOOBIG,
		     "loadable segments hold 768 bytes up to segment 2",
		     "over the input limit");
	free(elf);
	dfuse_image_free(img);
}

static void test_elf__too_many_segments(void **state)
{
	const size_t n = 4097;
	struct mkelf_segment *seg = calloc(n, sizeof(*seg));
	static const uint8_t one = 0x5a;
	dfuse_image *img = new_image();
	struct mkelf_spec spec;
	size_t i;

	(void)state;
	assert_non_null(seg);
	for (i = 0; i < n; i++) {
		seg[i].type = PT_LOAD;
		seg[i].paddr = seg[i].vaddr = (uint32_t)(0x08000000 + 4 * i);
		seg[i].data = &one;
		seg[i].size = 1;
		seg[i].name = ".s";
	}
	mkelf_spec_init(&spec);
	spec.seg = seg;
	spec.nseg = n;
	assert_error(parse_spec(img, &spec, NULL), DFUSE_ETOOBIG,
		     "more than 4096 loadable segments", "(segment 4096)");
	spec.nseg = n - 1;
	assert_int_equal(parse_spec(img, &spec, NULL), 0);
	assert_int_equal(element_count(img), n - 1);
	free(seg);
	dfuse_image_free(img);
}

static void test_elf__bad_arguments(void **state)
{
	dfuse_image *img = new_image();

	(void)state;
	assert_error(dfuse_parse_elf(NULL, 0, "\177ELF", 4, NULL), DFUSE_EINVAL,
		     NULL, NULL);
	assert_error(dfuse_parse_elf(img, 0, NULL, 10, NULL), DFUSE_EINVAL,
		     NULL, NULL);
	assert_error(dfuse_parse_elf(img, 1, "\177ELF", 4, NULL), DFUSE_EINVAL,
		     "target 1 does not exist", NULL);
	dfuse_image_free(img);
}

/* ======== Oracle: the sample firmware against objcopy -O binary ======= */

static int read_whole(uint8_t **out, size_t *len, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return -1;
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *q;

			cap = cap ? cap * 2 : 65536;
			q = realloc(p, cap);
			assert_non_null(q);
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	assert_int_equal(ferror(f), 0);
	fclose(f);
	*out = p;
	*len = n;
	return 0;
}

/*
 * The .bin starts at the flash base and objcopy fills gaps with 0x00:
 * every element must lie in it with the same bytes, and every .bin byte
 * outside our elements must be gap fill (a non-zero one there would be a
 * section we failed to load).
 */
static void check_sample(const char *elf_path, const char *bin_path,
			 uint32_t base)
{
	uint8_t *elf, *bin, *covered;
	size_t elf_len, bin_len, i, n;
	dfuse_image *img;

	if (read_whole(&elf, &elf_len, elf_path) != 0) {
		print_message("%s is missing\n", elf_path);
		skip();
	}
	if (read_whole(&bin, &bin_len, bin_path) != 0) {
		free(elf);
		print_message("%s is missing\n", bin_path);
		skip();
	}
	img = new_image();
	assert_int_equal(dfuse_parse_elf(img, 0, elf, elf_len, NULL), 0);
	n = element_count(img);
	assert_true(n >= 1);
	covered = calloc(bin_len, 1);
	assert_non_null(covered);
	for (i = 0; i < n; i++) {
		dfuse_element_info e;

		assert_int_equal(dfuse_image_get_element(&e, img, 0, i), 0);
		if (i == 0)
			assert_int_equal(e.address, base);
		assert_true(e.address >= base);
		assert_true((uint64_t)e.address + e.size <=
			    (uint64_t)base + bin_len);
		assert_memory_equal(e.data, bin + (e.address - base), e.size);
		memset(covered + (e.address - base), 1, e.size);
	}
	for (i = 0; i < bin_len; i++)
		if (!covered[i] && bin[i] != 0) {
			print_error("%s: byte 0x%08zx is 0x%02x in the .bin "
				    "but in no element\n",
				    elf_path, base + i, bin[i]);
			fail();
		}
	free(covered);
	free(bin);
	free(elf);
	dfuse_image_free(img);
}

static void test_elf__sample_cm7_matches_objcopy(void **state)
{
	(void)state;
	check_sample("samples/h745-blinky/cm7.elf",
		     "samples/h745-blinky/cm7.bin", 0x08000000);
}

static void test_elf__sample_cm4_matches_objcopy(void **state)
{
	(void)state;
	check_sample("samples/h745-blinky/cm4.elf",
		     "samples/h745-blinky/cm4.bin", 0x08100000);
}

/* Whether r has a finding with `code`. */
static int has_code(const dfuse_report *r, const char *code)
{
	size_t i;

	for (i = 0; i < dfuse_report_count(r); i++) {
		dfuse_finding f;

		assert_int_equal(dfuse_report_get(&f, r, i), 0);
		if (strcmp(f.code, code) == 0)
			return 1;
	}
	return 0;
}

/* The run holding e_entry is a program: the checks read its vector table
 * at its start even when its first words look like none (here an SP in
 * flash); without an entry the same bytes are data. */
static void test_elf__entry_marks_a_program(void **state)
{
	static const uint8_t code[16] = {
		0x00, 0x10, 0x00, 0x08, /* SP 0x08001000: not RAM */
		0x09, 0x00, 0x02, 0x08, /* reset 0x08020009 */
		0x70, 0x47, 0x70, 0x47, 0x70, 0x47, 0x70, 0x47};
	static const uint8_t table[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	const struct mkelf_segment seg[] = {
		{.type = PT_LOAD,
		 .vaddr = 0x08040000,
		 .paddr = 0x08040000,
		 .data = table,
		 .size = sizeof(table)},
		{.type = PT_LOAD,
		 .vaddr = 0x08020000,
		 .paddr = 0x08020000,
		 .data = code,
		 .size = sizeof(code)},
	};
	int with_entry;

	(void)state;
	for (with_entry = 0; with_entry < 2; with_entry++) {
		dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
		struct mkelf_spec spec;
		dfuse_image *img = new_image();
		dfuse_report *r = NULL;
		uint8_t *elf;
		size_t len;

		mkelf_spec_init(&spec);
		spec.seg = seg;
		spec.nseg = 2;
		spec.entry = with_entry ? 0x08020009 : 0;
		assert_int_equal(mkelf_build(&elf, &len, &spec), 0);
		o.core = DFUSE_CORE_CM7;
		assert_int_equal(dfuse_parse_elf(img, 0, elf, len, &o), 0);
		assert_int_equal(dfuse_check(&r, img, NULL), 0);
		assert_int_equal(has_code(r, "sp-not-in-core-ram"), with_entry);
		assert_int_equal(has_code(r, "no-vector-table"), !with_entry);
		dfuse_report_free(r);
		dfuse_image_free(img);
		free(elf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf__segments_land_at_their_lma),
		cmocka_unit_test(test_elf__bss_only_segment_adds_nothing),
		cmocka_unit_test(test_elf__only_bss_is_refused),
		cmocka_unit_test(test_elf__no_section_headers),
		cmocka_unit_test(test_elf__stripped_and_unstripped_load_alike),
		cmocka_unit_test(test_elf__segments_sorted_by_address),
		cmocka_unit_test(test_elf__shared_object_type_is_accepted),
		cmocka_unit_test(test_elf__entry_point),
		cmocka_unit_test(test_elf__options_pass_through),
		cmocka_unit_test(
			test_elf__address_zero_is_fine_when_vaddr_agrees),
		cmocka_unit_test(test_elf__refuses_elfclass64),
		cmocka_unit_test(test_elf__refuses_big_endian),
		cmocka_unit_test(test_elf__refuses_other_machines),
		cmocka_unit_test(test_elf__refuses_relocatable_object),
		cmocka_unit_test(test_elf__refuses_other_types),
		cmocka_unit_test(test_elf__refuses_non_elf),
		cmocka_unit_test(test_elf__refuses_truncated_header),
		cmocka_unit_test(test_elf__refuses_bad_ident_bytes),
		cmocka_unit_test(test_elf__refuses_no_program_headers),
		cmocka_unit_test(test_elf__refuses_no_pt_load),
		cmocka_unit_test(test_elf__refuses_segment_past_eof),
		cmocka_unit_test(test_elf__refuses_file_cut_inside_a_segment),
		cmocka_unit_test(test_elf__refuses_filesz_over_memsz),
		cmocka_unit_test(test_elf__refuses_address_wrap),
		cmocka_unit_test(test_elf__refuses_zero_paddr_with_vaddr),
		cmocka_unit_test(test_elf__refuses_bad_program_header_table),
		cmocka_unit_test(test_elf__extended_program_header_count),
		cmocka_unit_test(test_elf__overlap_with_different_bytes),
		cmocka_unit_test(test_elf__overlap_with_identical_bytes_merges),
		cmocka_unit_test(test_elf__overlap_with_another_input),
		cmocka_unit_test(test_elf__input_limit),
		cmocka_unit_test(test_elf__aliased_segments_limit),
		cmocka_unit_test(test_elf__too_many_segments),
		cmocka_unit_test(test_elf__bad_arguments),
		cmocka_unit_test(test_elf__sample_cm7_matches_objcopy),
		cmocka_unit_test(test_elf__sample_cm4_matches_objcopy),
		cmocka_unit_test(test_elf__entry_marks_a_program),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
