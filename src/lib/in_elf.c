/*
 * in_elf.c - ELF executables -> image elements, with libelf (elfutils).
 * This is the only library file that includes <libelf.h> / <gelf.h>.
 *
 * What is accepted
 *   e_ident:   "\x7fELF", ELFCLASS32, ELFDATA2LSB, EV_CURRENT
 *   e_machine: EM_ARM (40)
 *   e_type:    ET_EXEC, and ET_DYN (position-independent firmware linked
 *              with a linker script has real load addresses; objcopy
 *              treats it like ET_EXEC, and whether the addresses fit the
 *              device is dfuse_check()'s business, not the reader's).
 *   Everything else is refused with DFUSE_EFORMAT and a message naming
 *   what was found and what was expected.  ET_REL gets "link it first":
 *   an object file has no program headers, so nothing to place.
 *
 * What is loaded (doc/sources.md, Architecture)
 *   - Program headers only.  Section headers are never consulted, so
 *     stripped files and files with e_shnum = 0 load the same.
 *   - Every PT_LOAD with p_filesz > 0, its p_filesz bytes from p_offset,
 *     placed at p_paddr, the load address (LMA): initialised .data runs
 *     in RAM (p_vaddr) but its initial values live in flash (p_paddr),
 *     and the flash is what we program.
 *   - p_memsz - p_filesz (.bss) adds nothing: startup code zeroes it.
 *   - The rule is p_paddr, full stop.  A linker may emit a PT_LOAD whose
 *     p_paddr equals p_vaddr for a RAM-only initialised section; it is
 *     then placed in RAM, where dfuse_check() reports it.  We never fall
 *     back to p_vaddr.  BFD (objcopy) and OpenOCD do when *every*
 *     p_paddr is 0, as some non-GNU linkers write; such a file is refused
 *     here (a segment with p_paddr 0 but p_vaddr elsewhere) rather than
 *     silently placed at 0.
 *   - objcopy -O binary copies *sections* (at their LMAs); we copy
 *     *segments*.  They agree for linker-script firmware.  They differ
 *     when a segment also holds bytes that are in no section, e.g. the
 *     ELF and program headers that GNU ld maps into the first segment
 *     when there is room below the text (typical of `-Ttext=...` without
 *     a linker script): we load those bytes, as a loader would.
 *   - e_entry, when not 0, becomes the image's entry point as is (a Thumb
 *     entry keeps bit 0 set, as objcopy -O ihex writes it), and the run
 *     that holds it is recorded as a program (dfuse__image_add_program):
 *     the checks read a vector table at its start.
 *
 * Checks (all before anything is added to the image)
 *   - the input is at most dfuse__max_input(opts) bytes (DFUSE_ETOOBIG);
 *   - e_phentsize is 32 and the program header table lies in the file
 *     (elf_getphdrnum() silently shortens a truncated table, so we check
 *     first and never let a truncated file lose segments);
 *   - per PT_LOAD: p_filesz <= p_memsz (a linker never writes more file
 *     bytes than memory; there is no warning channel, so it is an error),
 *     p_offset + p_filesz within the file, p_paddr + p_filesz within
 *     4 GiB (DFUSE_ERANGE, as dfuse_image_add_data() would say);
 *   - at most MAX_SEGMENTS loadable segments, holding at most
 *     dfuse__max_input(opts) bytes in all (segments may share file bytes,
 *     so a small hostile file could otherwise describe gigabytes);
 *   - no loadable segment with file data at all is an error.
 *
 * Overlapping segments
 *   Segments are sorted by p_paddr and overlapping ones are assembled into
 *   one run each, here, in one linear pass: identical overlapping bytes
 *   merge (as dfuse_image_add_data() would merge them), different bytes
 *   fail with DFUSE_EOVERLAP naming both segments.  Each run is then added
 *   with dfuse__image_add_owned() (the no-copy dfuse_image_add_data()), so
 *   overlaps with data already in the target (another input) get the
 *   image's DFUSE_EOVERLAP message, naming the other source.  Doing the
 *   merging here keeps the cost linear in the bytes (the image re-copies
 *   the union on every merge) and makes every error about the ELF itself
 *   happen before the image is touched.  Only a conflict with earlier
 *   inputs can leave the runs before it in the target; callers discard the
 *   image on error (dfusetool does).
 *
 * libelf
 *   elf_version(EV_CURRENT) is called on every parse (it is idempotent)
 *   and checked against EV_NONE.  elf_memory() takes a `char *`: libelf
 *   may treat the memory as its own, so it gets a private exact-size copy,
 *   never the caller's const buffer.  Before libelf sees anything, e_ident
 *   and the header length are checked by hand: libelf reports a bad class
 *   or byte order only as "not an ELF file" (ELF_K_NONE), and we want to
 *   say which.  libelf then decodes the header and the program headers;
 *   segment bytes are read from the caller's buffer at the checked
 *   offsets.  libelf failures append elf_errmsg(-1).
 */
#include "err.h"
#include "fileio.h"
#include "image.h"

#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define EHDR32_SIZE 52	  /* sizeof(Elf32_Ehdr) */
#define PHDR32_SIZE 32	  /* sizeof(Elf32_Phdr), the only e_phentsize */
#define MAX_SEGMENTS 4096 /* loadable segments with file data */

/* ======== Names for messages ======== */

struct machine_name {
	unsigned int em;  /* e_machine */
	const char *sym;  /* <elf.h> name */
	const char *what; /* for people */
};

static const struct machine_name machines[] = {
	{EM_NONE, "EM_NONE", "no machine"},
	{EM_SPARC, "EM_SPARC", "SPARC"},
	{EM_386, "EM_386", "x86"},
	{EM_68K, "EM_68K", "m68k"},
	{EM_MIPS, "EM_MIPS", "MIPS"},
	{EM_PPC, "EM_PPC", "PowerPC"},
	{EM_PPC64, "EM_PPC64", "PowerPC 64-bit"},
	{EM_S390, "EM_S390", "IBM S/390"},
	{EM_ARM, "EM_ARM", "32-bit Arm"},
	{EM_SH, "EM_SH", "SuperH"},
	{EM_SPARCV9, "EM_SPARCV9", "SPARC v9"},
	{EM_IA_64, "EM_IA_64", "Itanium"},
	{EM_X86_64, "EM_X86_64", "x86-64"},
	{EM_AVR, "EM_AVR", "AVR"},
	{EM_V850, "EM_V850", "V850"},
	{EM_ARC_COMPACT, "EM_ARC_COMPACT", "ARC"},
	{EM_XTENSA, "EM_XTENSA", "Xtensa (ESP32)"},
	{EM_MSP430, "EM_MSP430", "MSP430"},
	{EM_RX, "EM_RX", "Renesas RX"},
	{EM_AARCH64, "EM_AARCH64", "AArch64, 64-bit Arm"},
	{EM_MICROBLAZE, "EM_MICROBLAZE", "MicroBlaze"},
	{EM_ARCV2, "EM_ARCV2", "ARCv2"},
	{EM_RISCV, "EM_RISCV", "RISC-V"},
	{EM_BPF, "EM_BPF", "BPF"},
	{EM_CSKY, "EM_CSKY", "C-SKY"},
	{258, "EM_LOONGARCH", "LoongArch"},
};

static const struct machine_name *find_machine(unsigned int em)
{
	size_t i;

	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (machines[i].em == em)
			return &machines[i];
	return NULL;
}

static const char *elf_msg(void)
{
	const char *m = elf_errmsg(-1);

	return m != NULL ? m : "unknown libelf error";
}

/* ======== e_ident and the header, by hand, before libelf ======== */

static int check_ident(const uint8_t *p, size_t len)
{
	if (len < SELFMAG)
		return dfuse__error(DFUSE_EFORMAT,
				    "not an ELF file: %zu bytes, too short for "
				    "the 4-byte ELF magic",
				    len);
	if (memcmp(p, ELFMAG, SELFMAG) != 0)
		return dfuse__error(DFUSE_EFORMAT,
				    "not an ELF file: starts with %02x %02x "
				    "%02x %02x, expected 7f 45 4c 46",
				    p[0], p[1], p[2], p[3]);
	if (len < EI_NIDENT)
		return dfuse__error(DFUSE_EFORMAT,
				    "file is %zu bytes, shorter than the "
				    "%d-byte e_ident",
				    len, EI_NIDENT);
	if (p[EI_CLASS] == ELFCLASS64)
		return dfuse__error(DFUSE_EFORMAT,
				    "ELF class is ELFCLASS64, expected "
				    "ELFCLASS32 (a 32-bit ARM image)");
	if (p[EI_CLASS] != ELFCLASS32)
		return dfuse__error(DFUSE_EFORMAT,
				    "ELF class is %u (invalid), expected "
				    "ELFCLASS32 (1)",
				    (unsigned)p[EI_CLASS]);
	if (p[EI_DATA] == ELFDATA2MSB)
		return dfuse__error(DFUSE_EFORMAT,
				    "byte order is big-endian (ELFDATA2MSB), "
				    "expected little-endian (ELFDATA2LSB)");
	if (p[EI_DATA] != ELFDATA2LSB)
		return dfuse__error(DFUSE_EFORMAT,
				    "byte order is %u (invalid), expected "
				    "little-endian (ELFDATA2LSB, 1)",
				    (unsigned)p[EI_DATA]);
	if (p[EI_VERSION] != EV_CURRENT)
		return dfuse__error(DFUSE_EFORMAT,
				    "ELF version is %u, expected EV_CURRENT "
				    "(1)",
				    (unsigned)p[EI_VERSION]);
	if (len < EHDR32_SIZE)
		return dfuse__error(DFUSE_EFORMAT,
				    "file is %zu bytes, shorter than the "
				    "%d-byte ELF32 header",
				    len, EHDR32_SIZE);
	return 0;
}

static int check_machine(unsigned int em)
{
	const struct machine_name *m;

	if (em == EM_ARM)
		return 0;
	m = find_machine(em);
	if (m == NULL)
		return dfuse__error(DFUSE_EFORMAT,
				    "machine is %u (unknown), expected EM_ARM "
				    "(40, 32-bit Arm)",
				    em);
	return dfuse__error(DFUSE_EFORMAT,
			    "machine is %s (%u, %s), expected EM_ARM (40, "
			    "32-bit Arm)",
			    m->sym, em, m->what);
}

static int check_type(unsigned int type)
{
	switch (type) {
	case ET_EXEC:
	case ET_DYN:
		return 0;
	case ET_REL:
		return dfuse__error(DFUSE_EFORMAT,
				    "relocatable object (ET_REL), link it "
				    "first: an object file has no loadable "
				    "segments");
	case ET_CORE:
		return dfuse__error(DFUSE_EFORMAT,
				    "core dump (ET_CORE), expected an "
				    "executable (ET_EXEC)");
	case ET_NONE:
		return dfuse__error(DFUSE_EFORMAT,
				    "file type is ET_NONE (0), expected an "
				    "executable (ET_EXEC)");
	default:
		return dfuse__error(DFUSE_EFORMAT,
				    "file type is 0x%04x, expected an "
				    "executable (ET_EXEC)",
				    type);
	}
}

/*
 * The number of program headers, with e_phnum == PN_XNUM resolved through
 * section 0's sh_info, and the table checked against the file: libelf
 * would silently shorten a truncated table.
 */
static int program_header_count(size_t *out, Elf *elf, const GElf_Ehdr *eh,
				size_t len)
{
	size_t phnum = eh->e_phnum, libelf_phnum = 0;
	uint64_t end;

	*out = 0;
	if (eh->e_phoff == 0 || phnum == 0)
		return 0;
	if (phnum == PN_XNUM) {
		Elf_Scn *const scn0 = elf_getscn(elf, 0);
		GElf_Shdr sh;

		if (scn0 != NULL && gelf_getshdr(scn0, &sh) != NULL)
			phnum = sh.sh_info;
	}
	if (eh->e_phentsize != PHDR32_SIZE)
		return dfuse__error(DFUSE_EFORMAT,
				    "program header size (e_phentsize) is %u, "
				    "expected %d",
				    (unsigned)eh->e_phentsize, PHDR32_SIZE);
	end = (uint64_t)eh->e_phoff + (uint64_t)phnum * PHDR32_SIZE;
	if (end > len)
		return dfuse__error(DFUSE_EFORMAT,
				    "program header table (%zu entries of %d "
				    "bytes at offset %llu) runs past the end "
				    "of the file (%zu bytes)",
				    phnum, PHDR32_SIZE,
				    (unsigned long long)eh->e_phoff, len);
	if (phnum > INT_MAX) /* gelf_getphdr() takes an int */
		return dfuse__error(DFUSE_ETOOBIG,
				    "%zu program headers, more than the %d "
				    "libelf can index",
				    phnum, INT_MAX);
	if (elf_getphdrnum(elf, &libelf_phnum) != 0)
		return dfuse__error(DFUSE_EFORMAT,
				    "cannot count the program headers: %s",
				    elf_msg());
	if (libelf_phnum != phnum)
		return dfuse__error(DFUSE_EFORMAT,
				    "libelf counts %zu program headers, the "
				    "header says %zu",
				    libelf_phnum, phnum);
	*out = phnum;
	return 0;
}

/* ======== Segments ======== */

struct seg {
	size_t index;	     /* program header index, for messages */
	uint32_t paddr;	     /* p_paddr: where the bytes go (LMA) */
	uint32_t vaddr;	     /* p_vaddr, for messages */
	uint32_t size;	     /* p_filesz */
	const uint8_t *data; /* the caller's buffer at p_offset */
};

static uint64_t seg_end(const struct seg *s)
{
	return (uint64_t)s->paddr + s->size;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	if (x->paddr != y->paddr)
		return x->paddr < y->paddr ? -1 : 1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return 0;
}

/* Checks one PT_LOAD; adds it to s[*n] if it has file data. */
static int take_segment(struct seg *s, size_t *n, uint64_t *total,
			const GElf_Phdr *ph, size_t i, const uint8_t *buf,
			size_t len, size_t max)
{
	if (ph->p_filesz > ph->p_memsz)
		return dfuse__error(DFUSE_EFORMAT,
				    "segment %zu: p_filesz 0x%llx is larger "
				    "than p_memsz 0x%llx",
				    i, (unsigned long long)ph->p_filesz,
				    (unsigned long long)ph->p_memsz);
	if (ph->p_filesz == 0)
		return 0;
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return dfuse__error(DFUSE_EFORMAT,
				    "segment %zu: %llu bytes at offset %llu "
				    "run past the end of the file (%zu bytes)",
				    i, (unsigned long long)ph->p_filesz,
				    (unsigned long long)ph->p_offset, len);
	if (ph->p_paddr > UINT32_MAX ||
	    dfuse__range_overflows((uint32_t)ph->p_paddr, ph->p_filesz))
		return dfuse__error(DFUSE_ERANGE,
				    "segment %zu: %llu bytes at p_paddr "
				    "0x%08llx run past the end of the 32-bit "
				    "address space",
				    i, (unsigned long long)ph->p_filesz,
				    (unsigned long long)ph->p_paddr);
	if (*n >= MAX_SEGMENTS)
		return dfuse__error(DFUSE_ETOOBIG,
				    "more than %d loadable segments with file "
				    "data (segment %zu)",
				    MAX_SEGMENTS, i);
	*total += ph->p_filesz;
	if (*total > max)
		return dfuse__error(DFUSE_ETOOBIG,
				    "loadable segments hold %llu bytes up to "
				    "segment %zu, over the input limit of %zu "
				    "bytes (max_size)",
				    (unsigned long long)*total, i, max);
	s[*n].index = i;
	s[*n].paddr = (uint32_t)ph->p_paddr;
	s[*n].vaddr = (uint32_t)ph->p_vaddr;
	s[*n].size = (uint32_t)ph->p_filesz;
	s[*n].data = buf + ph->p_offset;
	(*n)++;
	return 0;
}

/*
 * Refuses the "every p_paddr is 0" files of linkers that do not record
 * load addresses (see the top of the file).
 */
static int check_paddr_recorded(const struct seg *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i].paddr != 0)
			return 0;
	for (i = 0; i < n; i++)
		if (s[i].vaddr != 0)
			return dfuse__error(DFUSE_EFORMAT,
					    "segment %zu: p_paddr is 0 but "
					    "p_vaddr is 0x%08x, and no segment "
					    "has a load address (p_paddr): the "
					    "linker did not record where the "
					    "bytes go in flash",
					    s[i].index, (unsigned)s[i].vaddr);
	return 0;
}

struct run {
	uint32_t address;
	size_t size;
	uint8_t *data; /* owned until handed to the image */
	size_t first;  /* program header index of its first segment */
};

/* The earliest segment in s[from, to) that covers `address`. */
static size_t covering(const struct seg *s, size_t from, size_t to,
		       uint64_t address)
{
	size_t k;

	for (k = from; k < to; k++)
		if (s[k].paddr <= address && address < seg_end(&s[k]))
			return k;
	return from;
}

/*
 * Assembles sorted segments s[from, to), which overlap into one run,
 * into r.  Because they are sorted by p_paddr, the bytes filled so far are
 * always the single range [lo, filled).
 */
static int assemble(struct run *r, const struct seg *s, size_t from, size_t to,
		    uint64_t hi)
{
	const uint64_t lo = s[from].paddr;
	uint64_t filled = lo;
	size_t k;

	r->data = malloc((size_t)(hi - lo));
	if (r->data == NULL)
		return dfuse__oom();
	r->address = (uint32_t)lo;
	r->size = (size_t)(hi - lo);
	r->first = s[from].index;
	for (k = from; k < to; k++) {
		const uint64_t a = s[k].paddr, e = seg_end(&s[k]);
		const uint64_t same = e < filled ? e : filled;
		uint64_t x;

		for (x = a; x < same; x++) {
			const uint8_t now = s[k].data[x - a];
			const uint8_t was = r->data[x - lo];
			size_t m;

			if (now == was)
				continue;
			m = covering(s, from, k, x);
			free(r->data);
			r->data = NULL;
			return dfuse__error(
				DFUSE_EOVERLAP,
				"segment %zu (0x%08llx-0x%08llx) overlaps "
				"segment %zu (0x%08llx-0x%08llx) with "
				"different bytes (first at 0x%08llx: 0x%02x in "
				"segment %zu, 0x%02x in segment %zu)",
				s[k].index, (unsigned long long)a,
				(unsigned long long)(e - 1), s[m].index,
				(unsigned long long)s[m].paddr,
				(unsigned long long)(seg_end(&s[m]) - 1),
				(unsigned long long)x, now, s[k].index, was,
				s[m].index);
		}
		if (e > filled) {
			memcpy(r->data + (filled - lo),
			       s[k].data + (filled - a), (size_t)(e - filled));
			filled = e;
		}
	}
	return 0;
}

/* Sorts the segments and turns them into runs of overlapping ones. */
static int make_runs(struct run *runs, size_t *nruns, struct seg *s, size_t n)
{
	size_t i = 0, j;

	*nruns = 0;
	qsort(s, n, sizeof(s[0]), cmp_seg);
	while (i < n) {
		uint64_t hi = seg_end(&s[i]);

		for (j = i + 1; j < n && s[j].paddr < hi; j++)
			if (seg_end(&s[j]) > hi)
				hi = seg_end(&s[j]);
		DFUSE__TRY(assemble(&runs[*nruns], s, i, j, hi));
		(*nruns)++;
		i = j;
	}
	return 0;
}

/* ======== Parsing ======== */

static int read_segments(struct seg *s, size_t *n, Elf *elf, size_t phnum,
			 const uint8_t *buf, size_t len, size_t max)
{
	uint64_t total = 0;
	size_t loads = 0, i;

	*n = 0;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) == NULL)
			return dfuse__error(DFUSE_EFORMAT,
					    "cannot read program header %zu: "
					    "%s",
					    i, elf_msg());
		if (ph.p_type != PT_LOAD)
			continue;
		loads++;
		DFUSE__TRY(take_segment(s, n, &total, &ph, i, buf, len, max));
	}
	if (*n == 0)
		return dfuse__error(DFUSE_EFORMAT,
				    "no loadable segment with file data (%zu "
				    "program header%s, %zu PT_LOAD)",
				    phnum, phnum == 1 ? "" : "s", loads);
	return check_paddr_recorded(s, *n);
}

static int parse(dfuse_image *img, size_t target, const uint8_t *buf,
		 size_t len, Elf *elf, const dfuse_input_options *opts)
{
	const size_t max = dfuse__max_input(opts);
	struct seg *s = NULL;
	struct run *runs = NULL;
	size_t phnum = 0, n = 0, nruns = 0, i;
	GElf_Ehdr eh;
	int rc;

	if (elf_kind(elf) != ELF_K_ELF)
		return dfuse__error(DFUSE_EFORMAT,
				    "not an ELF file (libelf: %s)", elf_msg());
	if (gelf_getehdr(elf, &eh) == NULL)
		return dfuse__error(DFUSE_EFORMAT,
				    "cannot read the ELF header: %s",
				    elf_msg());
	DFUSE__TRY(check_machine(eh.e_machine));
	DFUSE__TRY(check_type(eh.e_type));
	DFUSE__TRY(program_header_count(&phnum, elf, &eh, len));
	if (phnum == 0)
		return dfuse__error(DFUSE_EFORMAT,
				    "no loadable segment with file data (no "
				    "program headers)");

	/* At most MAX_SEGMENTS are kept; phnum may be far larger. */
	n = phnum < MAX_SEGMENTS ? phnum : MAX_SEGMENTS;
	s = calloc(n, sizeof(*s));
	runs = calloc(n, sizeof(*runs));
	if (s == NULL || runs == NULL) {
		rc = dfuse__oom();
		goto out;
	}
	rc = read_segments(s, &n, elf, phnum, buf, len, max);
	if (rc < 0)
		goto out;
	rc = make_runs(runs, &nruns, s, n);
	if (rc < 0)
		goto out;

	/* Nothing above touched the image. */
	for (i = 0; i < nruns; i++) {
		struct run *const r = &runs[i];

		rc = dfuse__image_add_owned(img, target, r->address, r->data,
					    r->size, opts);
		r->data = NULL; /* the image owns or freed it */
		if (rc < 0) {
			dfuse__error_prefix("segment %zu at 0x%08x: ", r->first,
					    (unsigned)r->address);
			goto out;
		}
	}
	if (eh.e_entry != 0)
		dfuse_image_set_entry(img, (uint32_t)eh.e_entry);
	/* The run holding the entry point is a program: its vector table is
	 * its first word (the checks read it there, not from guesses). */
	for (i = 0; eh.e_entry != 0 && i < nruns; i++) {
		uint64_t at = eh.e_entry & ~(uint64_t)1;

		if (at >= runs[i].address &&
		    at < (uint64_t)runs[i].address + runs[i].size) {
			rc = dfuse__image_add_program(
				img, target, runs[i].address,
				opts ? opts->core : DFUSE_CORE_NONE);
			if (rc < 0)
				goto out;
			break;
		}
	}
	rc = 0;
out:
	if (runs != NULL)
		for (i = 0; i < nruns; i++)
			free(runs[i].data);
	free(runs);
	free(s);
	return rc;
}

int dfuse_parse_elf(dfuse_image *img, size_t target, const void *buf,
		    size_t len, const dfuse_input_options *opts)
{
	const size_t max = dfuse__max_input(opts);
	char *copy;
	Elf *elf;
	int rc;

	DFUSE__TRY(dfuse__check_input_options(opts));
	if (img == NULL)
		return dfuse__error(DFUSE_EINVAL, "image is NULL");
	if (buf == NULL && len > 0)
		return dfuse__error(DFUSE_EINVAL, "buffer is NULL");
	DFUSE__TRY(dfuse__image_check_target(img, target));
	if (len > max)
		return dfuse__too_big((unsigned long long)len, max);
	DFUSE__TRY(check_ident(buf, len));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return dfuse__error(DFUSE_ERROR, "libelf is out of date: %s",
				    elf_msg());

	copy = malloc(len);
	if (copy == NULL)
		return dfuse__oom();
	memcpy(copy, buf, len);
	elf = elf_memory(copy, len);
	if (elf == NULL) {
		rc = dfuse__error(DFUSE_EFORMAT, "cannot read the ELF file: %s",
				  elf_msg());
	} else {
		rc = parse(img, target, buf, len, elf, opts);
		elf_end(elf);
	}
	free(copy);
	return rc;
}
