/*
 * mkelf.c - ELF fixtures built at run time with libelf's write API
 * (elf_begin(ELF_C_WRITE), gelf_newehdr, gelf_newphdr, elf_newscn,
 * elf_update).  See mkelf.h for the spec.
 *
 * The file is laid out by hand (ELF_F_LAYOUT) so that p_offset is known:
 *
 *	ELF header | program headers | segment 0 bytes | segment 1 bytes |
 *	... | .symtab | .strtab | .shstrtab | section headers
 *
 * Two variants libelf cannot write are patched into the bytes afterwards:
 *  - no section headers: libelf writes file bytes only through sections,
 *    so the sections are written and then e_shoff, e_shnum and e_shstrndx
 *    are zeroed and the (trailing) section header table is cut off;
 *  - program header lies (MKELF_LIE_*) need no patching: with
 *    ELF_F_LAYOUT libelf writes p_offset/p_filesz/p_memsz as given.
 * Wrong classes, byte orders, machines and types are written by libelf
 * itself (it converts to big-endian on write).
 */
#include "mkelf.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NAMES 4096

void mkelf_spec_init(struct mkelf_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->elfclass = ELFCLASS32;
	spec->elfdata = ELFDATA2LSB;
	spec->type = ET_EXEC;
	spec->machine = EM_ARM;
	spec->flags = EF_ARM_EABI_VER5;
	spec->sections = 1;
}

static int fail(const char *what)
{
	const char *m = elf_errmsg(-1);

	fprintf(stderr, "mkelf: %s: %s\n", what, m ? m : "?");
	return -1;
}

/* A string table under construction (.shstrtab, .strtab). */
struct strtab {
	char buf[MAX_NAMES];
	size_t len;
};

static size_t strtab_add(struct strtab *t, const char *s)
{
	const size_t n = strlen(s) + 1;
	size_t at;

	if (t->len == 0)
		t->len = 1; /* index 0 is the empty string (buf is zeroed) */
	if (n > sizeof(t->buf) - t->len)
		return 0;
	at = t->len;
	memcpy(t->buf + at, s, n);
	t->len += n;
	return at;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/*
 * Adds a section holding `size` bytes of `bytes` (copied into `keep`,
 * which must outlive elf_update) at file offset `off`.
 */
static int add_section(Elf *elf, void **keep, size_t name, uint32_t type,
		       uint64_t flags, uint64_t addr, const void *bytes,
		       size_t size, uint64_t off, Elf_Type dtype,
		       uint64_t entsize)
{
	Elf_Scn *const scn = elf_newscn(elf);
	Elf_Data *data;
	GElf_Shdr sh;

	if (scn == NULL)
		return fail("elf_newscn");
	data = elf_newdata(scn);
	if (data == NULL)
		return fail("elf_newdata");
	*keep = NULL;
	if (type != SHT_NOBITS && size > 0) {
		*keep = calloc(1, size);
		if (*keep == NULL)
			return fail("out of memory");
		if (bytes != NULL)
			memcpy(*keep, bytes, size);
	}
	data->d_buf = *keep;
	data->d_size = size;
	data->d_type = dtype;
	data->d_off = 0;
	data->d_align = 1;
	data->d_version = EV_CURRENT;
	if (gelf_getshdr(scn, &sh) == NULL)
		return fail("gelf_getshdr");
	sh.sh_name = (GElf_Word)name;
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addr = addr;
	sh.sh_offset = off;
	sh.sh_size = size;
	sh.sh_addralign = 1;
	sh.sh_entsize = entsize;
	if (gelf_update_shdr(scn, &sh) == 0)
		return fail("gelf_update_shdr");
	return 0;
}

struct build {
	Elf *elf;
	void **keep; /* section buffers, freed after elf_end */
	size_t nkeep;
	struct strtab shstr;
	struct strtab str;
	uint64_t shoff;
	size_t nscn; /* sections, counting the null section 0 */
};

static int write_ehdr(struct build *b, const struct mkelf_spec *spec,
		      uint64_t phoff)
{
	GElf_Ehdr eh;

	if (gelf_getehdr(b->elf, &eh) == NULL)
		return fail("gelf_getehdr");
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = spec->elfclass;
	eh.e_ident[EI_DATA] = spec->elfdata;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = spec->type;
	eh.e_machine = spec->machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = spec->entry;
	eh.e_phoff = spec->nseg > 0 ? phoff : 0;
	eh.e_shoff = b->shoff;
	eh.e_flags = spec->flags;
	eh.e_shstrndx = (uint16_t)(b->nscn - 1); /* .shstrtab is last */
	if (gelf_update_ehdr(b->elf, &eh) == 0)
		return fail("gelf_update_ehdr");
	return 0;
}

static int write_phdrs(struct build *b, const struct mkelf_spec *spec,
		       const uint64_t *offsets)
{
	size_t i;

	if (spec->nseg == 0)
		return 0;
	if (gelf_newphdr(b->elf, spec->nseg) == NULL)
		return fail("gelf_newphdr");
	for (i = 0; i < spec->nseg; i++) {
		const struct mkelf_segment *s = &spec->seg[i];
		GElf_Phdr ph;

		memset(&ph, 0, sizeof(ph));
		ph.p_type = s->type;
		ph.p_flags = s->flags ? s->flags : PF_R | PF_W | PF_X;
		ph.p_offset =
			s->lie & MKELF_LIE_OFFSET ? s->offset_lie : offsets[i];
		ph.p_vaddr = s->vaddr;
		ph.p_paddr = s->paddr;
		ph.p_filesz =
			s->lie & MKELF_LIE_FILESZ ? s->filesz_lie : s->size;
		ph.p_memsz = s->memsz ? s->memsz : s->size;
		if (s->lie & MKELF_LIE_MEMSZ)
			ph.p_memsz = s->memsz_lie;
		ph.p_align = 4;
		if (gelf_update_phdr(b->elf, (int)i, &ph) == 0)
			return fail("gelf_update_phdr");
	}
	return 0;
}

static int keep_slot(struct build *b, void ***slot)
{
	void **k = realloc(b->keep, (b->nkeep + 1) * sizeof(*k));

	if (k == NULL)
		return fail("out of memory");
	b->keep = k;
	k[b->nkeep] = NULL;
	*slot = &k[b->nkeep++];
	return 0;
}

/* Segment sections, then .symtab/.strtab, then .shstrtab. */
static int write_sections(struct build *b, const struct mkelf_spec *spec,
			  uint64_t *offsets, uint64_t off)
{
	const int is64 = spec->elfclass == ELFCLASS64;
	const uint64_t align = is64 ? 8 : 4;
	size_t i, name;
	void **slot = NULL;

	for (i = 0; i < spec->nseg; i++) {
		const struct mkelf_segment *s = &spec->seg[i];
		const int bss = s->size == 0 && s->memsz > 0;
		char def[32];

		off = align_up(off, 4);
		offsets[i] = off;
		if (s->size == 0 && !bss)
			continue;
		snprintf(def, sizeof(def), ".seg%zu", i);
		name = strtab_add(&b->shstr, s->name ? s->name : def);
		if (keep_slot(b, &slot) != 0)
			return -1;
		if (add_section(b->elf, slot, name,
				bss ? SHT_NOBITS : SHT_PROGBITS,
				SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR, s->vaddr,
				s->data, bss ? (size_t)s->memsz : s->size, off,
				ELF_T_BYTE, 0) != 0)
			return -1;
		b->nscn++;
		if (!bss)
			off += s->size;
	}
	if (spec->symtab) {
		const size_t symsz =
			is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
		const size_t symtab_index = b->nscn;
		Elf_Scn *scn;
		Elf_Data *data;
		GElf_Shdr sh;
		GElf_Sym sym;
		void *strbuf;

		/* .symtab: the null symbol and "main" at the entry */
		off = align_up(off, align);
		name = strtab_add(&b->shstr, ".symtab");
		if (keep_slot(b, &slot) != 0)
			return -1;
		if (add_section(b->elf, slot, name, SHT_SYMTAB, 0, 0, NULL,
				2 * symsz, off, ELF_T_SYM, symsz) != 0)
			return -1;
		b->nscn++;
		off += 2 * symsz;
		scn = elf_getscn(b->elf, symtab_index);
		data = scn ? elf_getdata(scn, NULL) : NULL;
		if (data == NULL)
			return fail("elf_getdata(.symtab)");
		memset(&sym, 0, sizeof(sym));
		sym.st_name = (GElf_Word)strtab_add(&b->str, "main");
		sym.st_value = spec->entry;
		sym.st_info = GELF_ST_INFO(STB_GLOBAL, STT_FUNC);
		sym.st_shndx = SHN_ABS;
		if (gelf_update_sym(data, 1, &sym) == 0)
			return fail("gelf_update_sym");

		/* .strtab */
		name = strtab_add(&b->shstr, ".strtab");
		if (keep_slot(b, &slot) != 0)
			return -1;
		strbuf = b->str.buf;
		if (add_section(b->elf, slot, name, SHT_STRTAB, 0, 0, strbuf,
				b->str.len, off, ELF_T_BYTE, 0) != 0)
			return -1;
		b->nscn++;
		off += b->str.len;
		if (gelf_getshdr(scn, &sh) == NULL)
			return fail("gelf_getshdr(.symtab)");
		sh.sh_link = (GElf_Word)(symtab_index + 1);
		sh.sh_info = 1; /* first global symbol */
		sh.sh_addralign = align;
		if (gelf_update_shdr(scn, &sh) == 0)
			return fail("gelf_update_shdr(.symtab)");
	}

	/* .shstrtab names itself, so its name goes in before it is copied */
	name = strtab_add(&b->shstr, ".shstrtab");
	if (keep_slot(b, &slot) != 0)
		return -1;
	if (add_section(b->elf, slot, name, SHT_STRTAB, 0, 0, b->shstr.buf,
			b->shstr.len, off, ELF_T_BYTE, 0) != 0)
		return -1;
	b->nscn++;
	off += b->shstr.len;
	b->shoff = align_up(off, align);
	return 0;
}

/* Zeroes e_shoff, e_shnum and e_shstrndx in a built file. */
static void drop_section_headers(uint8_t *p, size_t *len, int is64,
				 uint64_t shoff)
{
	const size_t shoff_at = is64 ? 40 : MKELF32_E_SHOFF;
	const size_t shoff_size = is64 ? 8 : 4;
	const size_t shnum_at = is64 ? 60 : MKELF32_E_SHNUM;
	const size_t shstrndx_at = is64 ? 62 : MKELF32_E_SHSTRNDX;

	memset(p + shoff_at, 0, shoff_size);
	memset(p + shnum_at, 0, 2);
	memset(p + shstrndx_at, 0, 2);
	if (shoff < *len)
		*len = (size_t)shoff;
}

static int read_back(uint8_t **out, size_t *len, int fd)
{
	const off_t end = lseek(fd, 0, SEEK_END);
	uint8_t *p;
	size_t got = 0;

	if (end < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		perror("mkelf: lseek");
		return -1;
	}
	p = malloc(end > 0 ? (size_t)end : 1);
	if (p == NULL)
		return fail("out of memory");
	while (got < (size_t)end) {
		const ssize_t r = read(fd, p + got, (size_t)end - got);

		if (r <= 0) {
			perror("mkelf: read");
			free(p);
			return -1;
		}
		got += (size_t)r;
	}
	*out = p;
	*len = got;
	return 0;
}

static int build_fd(int fd, const struct mkelf_spec *spec, uint64_t *shoff)
{
	struct build b;
	uint64_t *offsets;
	uint64_t ehsize, phsize;
	size_t i;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	b.nscn = 1;
	offsets = calloc(spec->nseg + 1, sizeof(*offsets));
	if (offsets == NULL)
		return fail("out of memory");
	b.elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (b.elf == NULL) {
		fail("elf_begin");
		goto out;
	}
	if (gelf_newehdr(b.elf, spec->elfclass) == NULL) {
		fail("gelf_newehdr");
		goto out;
	}
	ehsize = gelf_fsize(b.elf, ELF_T_EHDR, 1, EV_CURRENT);
	phsize = gelf_fsize(b.elf, ELF_T_PHDR, 1, EV_CURRENT);
	if (ehsize == 0 || phsize == 0) {
		fail("gelf_fsize");
		goto out;
	}
	elf_flagelf(b.elf, ELF_C_SET, ELF_F_LAYOUT);
	if (write_sections(&b, spec, offsets, ehsize + spec->nseg * phsize))
		goto out;
	if (write_ehdr(&b, spec, ehsize) || write_phdrs(&b, spec, offsets))
		goto out;
	if (elf_update(b.elf, ELF_C_WRITE) < 0) {
		fail("elf_update");
		goto out;
	}
	*shoff = b.shoff;
	rc = 0;
out:
	if (b.elf != NULL)
		elf_end(b.elf);
	for (i = 0; i < b.nkeep; i++)
		free(b.keep[i]);
	free(b.keep);
	free(offsets);
	return rc;
}

int mkelf_build(uint8_t **out, size_t *len, const struct mkelf_spec *spec)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	uint64_t shoff = 0;
	int fd, rc;

	*out = NULL;
	*len = 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail("elf_version");
	snprintf(path, sizeof(path), "%s/mkelf-XXXXXX",
		 dir != NULL && dir[0] != '\0' ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		perror("mkelf: mkstemp");
		return -1;
	}
	unlink(path);
	rc = build_fd(fd, spec, &shoff);
	if (rc == 0)
		rc = read_back(out, len, fd);
	close(fd);
	if (rc == 0 && !spec->sections)
		drop_section_headers(*out, len, spec->elfclass == ELFCLASS64,
				     shoff);
	return rc;
}

int mkelf_write(const char *path, const struct mkelf_spec *spec)
{
	uint8_t *p;
	size_t len;
	FILE *f;
	int rc = 0;

	if (mkelf_build(&p, &len, spec) != 0)
		return -1;
	f = fopen(path, "wb");
	if (f == NULL) {
		perror(path);
		free(p);
		return -1;
	}
	if (fwrite(p, 1, len, f) != len)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		perror(path);
	free(p);
	return rc;
}
