/*
 * test_dfuse_write.c - the writer against hand-built bytes (the golden
 * vector of doc/sources.md), the DFUImageSize and CRC rules, determinism and
 * the atomic file write.
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "dfuse.h"
#include "suffix.h"

/*
 * doc/sources.md, Test vectors, min_excl_suffix.dfu (317 bytes), assembled from
 * literal fields.  Only the 250 zero bytes that pad szTargetName are filled by
 * a loop; every other byte is written out here.
 */
static const uint8_t prefix[11] = {
	'D',  'f',  'u',  'S',	'e', /* szSignature */
	0x01,			     /* bVersion */
	0x2d, 0x01, 0x00, 0x00,	     /* DFUImageSize = 301 = 317 - 16 */
	0x01,			     /* bTargets */
};
static const uint8_t target_head[11] = {
	'T',  'a',  'r',  'g',	'e', 't', /* szSignature */
	0x00,				  /* bAlternateSetting */
	0x01, 0x00, 0x00, 0x00,		  /* bTargetNamed = 1 */
};
static const uint8_t target_name[5] = {'S', 'T', '.', '.', '.'};
static const uint8_t target_tail[8] = {
	0x10, 0x00, 0x00, 0x00, /* dwTargetSize = 8 + 8 */
	0x01, 0x00, 0x00, 0x00, /* dwNbElements */
};
static const uint8_t element[16] = {
	0x00, 0x00, 0x00, 0x08, /* dwElementAddress 0x08000000 */
	0x08, 0x00, 0x00, 0x00, /* dwElementSize 8 */
	0x00, 0x00, 0x02, 0x20, /* initial SP 0x20020000 */
	0x99, 0x02, 0x00, 0x08, /* reset handler 0x08000299 */
};
static const uint8_t suffix[16] = {
	0xff, 0xff,		/* bcdDevice: any */
	0x11, 0xdf,		/* idProduct 0xDF11 */
	0x83, 0x04,		/* idVendor 0x0483 */
	0x1a, 0x01,		/* bcdDFU 0x011A */
	'U',  'F',  'D',	/* ucDfuSignature */
	0x10,			/* bLength */
	0x04, 0x53, 0xd5, 0xf8, /* dwCRC 0xF8D55304 */
};

static void golden(uint8_t out[317])
{
	size_t o = 0;

	memcpy(out + o, prefix, 11);
	o += 11;
	memcpy(out + o, target_head, 11);
	o += 11;
	memset(out + o, 0, 255);
	memcpy(out + o, target_name, 5);
	o += 255;
	memcpy(out + o, target_tail, 8);
	o += 8;
	memcpy(out + o, element, 16);
	o += 16;
	memcpy(out + o, suffix, 16);
	o += 16;
	assert_int_equal(o, 317);
}

static dfuse_image *golden_image(void)
{
	dfuse_image *img = NULL;

	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "ST..."), 0);
	assert_int_equal(
		dfuse_image_add_data(img, 0, 0x08000000, element + 8, 8, NULL),
		0);
	return img;
}

static void test_dfuse_write__golden_vector(void **state)
{
	uint8_t want[317];
	dfuse_image *img = golden_image();
	void *buf = NULL;
	size_t len = 0;

	(void)state;
	golden(want);
	assert_int_equal(dfuse_write(&buf, &len, img), 0);
	assert_int_equal(len, 317);
	assert_memory_equal(buf, want, 317);
	dfuse_free(buf);
	dfuse_image_free(img);
}

/* The same bytes as the hand-checked vector file, where ../shared is. */
static void test_dfuse_write__matches_shared_vector(void **state)
{
	FILE *f =
		fopen("../shared/reference/vectors/min_excl_suffix.dfu", "rb");
	uint8_t file[400];
	dfuse_image *img;
	void *buf = NULL;
	size_t n, len = 0;

	(void)state;
	if (f == NULL) {
		fprintf(stderr, "../shared is absent: vector not compared\n");
		skip();
	}
	n = fread(file, 1, sizeof(file), f);
	fclose(f);
	img = golden_image();
	assert_int_equal(dfuse_write(&buf, &len, img), 0);
	assert_int_equal(n, len);
	assert_memory_equal(buf, file, len);
	dfuse_free(buf);
	dfuse_image_free(img);
}

static void test_dfuse_write__crc_of_known_string(void **state)
{
	(void)state;
	/* DFU 1.1 Appendix B: zlib crc32("123456789") = 0xCBF43926, DFU CRC =
	 * ~it */
	assert_int_equal(dfuse_crc("123456789", 9), 0x340BC6D9u);
	assert_int_equal(dfuse_crc("", 0), 0xFFFFFFFFu);
}

/* Two targets, several elements: sizes and counts in every header. */
static void test_dfuse_write__two_targets(void **state)
{
	static const uint8_t d[3] = {0xAA, 0xBB, 0xCC};
	dfuse_image *img = NULL;
	dfuse_ids ids = {0x0200, 0x1234, 0x5678, 0};
	uint8_t *p;
	void *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(dfuse_image_new(&img), 0);
	assert_int_equal(dfuse_image_add_target(img, 0, "Internal Flash"), 0);
	assert_int_equal(dfuse_image_add_target(img, 1, "Option Bytes"), 1);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08100000, d, 3, NULL),
			 0);
	assert_int_equal(dfuse_image_add_data(img, 0, 0x08000000, d, 2, NULL),
			 0);
	assert_int_equal(dfuse_image_add_data(img, 1, 0x5200201C, d, 1, NULL),
			 0);
	dfuse_image_set_ids(img, &ids);
	assert_int_equal(dfuse_write(&buf, &len, img), 0);
	p = buf;
	/* 11 + (274 + 8+2 + 8+3) + (274 + 8+1) + 16 */
	assert_int_equal(len, 11 + 295 + 283 + 16);
	assert_int_equal(p[6] | p[7] << 8 | p[8] << 16, len - 16);
	assert_int_equal(p[10], 2);
	/* target 0 at 11: alt 0, dwTargetSize 21, 2 elements, sorted */
	assert_memory_equal(p + 11, "Target", 6);
	assert_int_equal(p[11 + 266], 21);
	assert_int_equal(p[11 + 270], 2);
	assert_int_equal(p[11 + 274 + 3], 0x08); /* 0x08000000 first */
	assert_int_equal(p[11 + 274 + 2], 0x00);
	assert_int_equal(p[11 + 274 + 4], 2);
	/* target 1 at 306: alt 1, one element at the option bytes */
	assert_memory_equal(p + 306, "Target\x01", 7);
	assert_string_equal((const char *)p + 306 + 11, "Option Bytes");
	assert_int_equal(p[306 + 266], 9);
	assert_int_equal(p[306 + 274], 0x1C);
	/* suffix: IDs as set, bcdDFU forced to 0x011A */
	assert_memory_equal(p + len - 16,
			    "\x00\x02\x34\x12\x78\x56\x1a\x01UFD\x10", 12);
	assert_int_equal(dfuse_crc(p, len - 4),
			 (uint32_t)p[len - 4] | (uint32_t)p[len - 3] << 8 |
				 (uint32_t)p[len - 2] << 16 |
				 (uint32_t)p[len - 1] << 24);
	dfuse_free(buf);
	dfuse_image_free(img);
}

static void slurp(uint8_t **out, size_t *len, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	*out = malloc((size_t)n + 1);
	assert_non_null(*out);
	assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
}

static void test_dfuse_write__file_atomic(void **state)
{
	char dir[] = "/tmp/dfuse-write-XXXXXX", path[64], bad[80];
	uint8_t want[317], *got;
	dfuse_image *img = golden_image();
	size_t len;

	(void)state;
	golden(want);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.dfu", dir);
	assert_int_equal(dfuse_write_file(img, path), 0);
	slurp(&got, &len, path);
	assert_int_equal(len, 317);
	assert_memory_equal(got, want, 317);
	free(got);
	/* a directory that does not exist: DFUSE_EIO, named in the message */
	snprintf(bad, sizeof(bad), "%s/missing/out.dfu", dir);
	assert_int_equal(dfuse_write_file(img, bad), DFUSE_EIO);
	assert_non_null(strstr(dfuse_error_last()->message, "missing/out.dfu"));
	/* a full device: the error surfaces, nothing is reported written */
	assert_int_equal(dfuse_write_file(img, "/dev/full"), DFUSE_EIO);
	assert_non_null(strstr(dfuse_error_last()->message, "No space"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left */
	dfuse_image_free(img);
}

/* Raw bytes with the same guarantee: an existing file is replaced whole
 * or not at all, and a failed write leaves it untouched. */
static void test_dfuse_write__data_file_atomic(void **state)
{
	char dir[] = "/tmp/dfuse-data-XXXXXX", path[64], bad[80];
	static const char first[] = "<svg/>", second[] = "<svg>2</svg>";
	uint8_t *got;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/map.svg", dir);
	assert_int_equal(dfuse_write_data_file(first, 6, path), 0);
	assert_int_equal(dfuse_write_data_file(second, 12, path), 0);
	slurp(&got, &len, path);
	assert_int_equal(len, 12);
	assert_memory_equal(got, second, 12);
	free(got);
	snprintf(bad, sizeof(bad), "%s/missing/map.svg", dir);
	assert_int_equal(dfuse_write_data_file(first, 6, bad), DFUSE_EIO);
	assert_non_null(strstr(dfuse_error_last()->message, "missing/map.svg"));
	assert_int_equal(dfuse_write_data_file(first, 6, "/dev/full"),
			 DFUSE_EIO);
	assert_non_null(strstr(dfuse_error_last()->message, "No space"));
	assert_int_equal(dfuse_write_data_file(NULL, 6, path), DFUSE_EINVAL);
	slurp(&got, &len, path);
	assert_int_equal(len, 12); /* untouched by the failures */
	free(got);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left */
}

static void test_dfuse_write__deterministic(void **state)
{
	dfuse_image *a = golden_image(), *b = golden_image();
	void *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;

	(void)state;
	assert_int_equal(dfuse_write(&x, &nx, a), 0);
	assert_int_equal(dfuse_write(&y, &ny, b), 0);
	assert_int_equal(nx, ny);
	assert_memory_equal(x, y, nx);
	dfuse_free(x);
	dfuse_free(y);
	dfuse_image_free(a);
	dfuse_image_free(b);
}

/* Number of entries in a directory, "." and ".." aside. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_dfuse_write__no_clobber(void **state)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	char dir[] = "/tmp/dfuse-write-XXXXXX", path[64];
	dfuse_image *img = golden_image();
	uint8_t *got;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/old.dfu", dir);
	put_file(path, "old");
	o.flags = DFUSE_WRITE_NO_CLOBBER;
	assert_int_equal(dfuse_write_file_as(img, path, &o), DFUSE_EIO);
	assert_non_null(strstr(dfuse_error_last()->message, "is not replaced"));
	assert_non_null(strstr(dfuse_error_last()->message, "File exists"));
	slurp(&got, &len, path);
	assert_int_equal(len, 3); /* untouched */
	free(got);
	/* without the flag it is replaced, atomically */
	o.flags = 0;
	assert_int_equal(dfuse_write_file_as(img, path, &o), 0);
	slurp(&got, &len, path);
	assert_int_equal(len, 317);
	free(got);
	assert_int_equal(entries(dir), 1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	dfuse_image_free(img);
}

static void test_dfuse_write__fileset_all(void **state)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	char dir[] = "/tmp/dfuse-write-XXXXXX", a[64], b[64];
	dfuse_image *img = golden_image();
	dfuse_fileset *fs = NULL;
	uint8_t *got;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.dfu", dir);
	snprintf(b, sizeof(b), "%s/b.hex", dir);
	assert_int_equal(dfuse_fileset_new(&fs), 0);
	assert_int_equal(dfuse_fileset_add(fs, img, a, NULL), 0);
	o.format = DFUSE_FORMAT_IHEX;
	assert_int_equal(dfuse_fileset_add(fs, img, b, &o), 0);
	/* the same path twice is refused and changes nothing */
	assert_int_equal(dfuse_fileset_add(fs, img, b, &o), DFUSE_EINVAL);
	assert_non_null(strstr(dfuse_error_last()->message, "twice"));
	/* two temporary files, nothing at the names yet */
	assert_int_equal(entries(dir), 2);
	assert_int_equal(access(a, F_OK), -1);
	assert_int_equal(dfuse_fileset_commit(fs), 0);
	dfuse_fileset_free(fs);
	slurp(&got, &len, a);
	assert_int_equal(len, 317);
	free(got);
	slurp(&got, &len, b);
	assert_int_equal(len, 15 + 1 + 27 + 1 + 11 + 1);
	assert_memory_equal(got, ":020000040800F2\n", 16);
	free(got);
	assert_int_equal(entries(dir), 2);
	assert_int_equal(unlink(a), 0);
	assert_int_equal(unlink(b), 0);
	assert_int_equal(rmdir(dir), 0);
	dfuse_image_free(img);
}

static void test_dfuse_write__fileset_uncommitted(void **state)
{
	char dir[] = "/tmp/dfuse-write-XXXXXX", a[64];
	dfuse_image *img = golden_image();
	dfuse_fileset *fs = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.dfu", dir);
	assert_int_equal(dfuse_fileset_new(&fs), 0);
	assert_int_equal(dfuse_fileset_add(fs, img, a, NULL), 0);
	dfuse_fileset_free(fs); /* not committed: the temporary file goes */
	dfuse_fileset_free(NULL);
	assert_int_equal(entries(dir), 0);
	assert_int_equal(rmdir(dir), 0);
	dfuse_image_free(img);
}

/* The second file cannot be placed: the first is taken back. */
static void test_dfuse_write__fileset_all_or_nothing(void **state)
{
	dfuse_write_options o = DFUSE_WRITE_OPTIONS_INIT;
	char dir[] = "/tmp/dfuse-write-XXXXXX", a[64], b[64];
	dfuse_image *img = golden_image();
	dfuse_fileset *fs = NULL;
	uint8_t *got;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.dfu", dir);
	snprintf(b, sizeof(b), "%s/b.dfu", dir);
	o.flags = DFUSE_WRITE_NO_CLOBBER;
	assert_int_equal(dfuse_fileset_new(&fs), 0);
	assert_int_equal(dfuse_fileset_add(fs, img, a, &o), 0);
	assert_int_equal(dfuse_fileset_add(fs, img, b, &o), 0);
	put_file(b, "someone else's"); /* appears before the commit */
	assert_int_equal(dfuse_fileset_commit(fs), DFUSE_EIO);
	assert_non_null(strstr(dfuse_error_last()->message, "b.dfu"));
	assert_int_equal(dfuse_fileset_commit(fs), DFUSE_EINVAL);
	dfuse_fileset_free(fs);
	/* a.dfu was placed, then removed; b.dfu is the other writer's */
	assert_int_equal(access(a, F_OK), -1);
	slurp(&got, &len, b);
	assert_int_equal(len, 14);
	free(got);
	assert_int_equal(entries(dir), 1);
	/* an existing file is refused at add time already */
	assert_int_equal(dfuse_fileset_new(&fs), 0);
	assert_int_equal(dfuse_fileset_add(fs, img, b, &o), DFUSE_EIO);
	assert_int_equal(dfuse_fileset_add(fs, img, dir, NULL), DFUSE_EINVAL);
	assert_non_null(
		strstr(dfuse_error_last()->message, "not a regular file"));
	dfuse_fileset_free(fs);
	assert_int_equal(entries(dir), 1);
	assert_int_equal(unlink(b), 0);
	assert_int_equal(rmdir(dir), 0);
	dfuse_image_free(img);
}

/* Only entry of `dir`: its name into out (the temporary file's). */
static void only_entry(char *out, size_t n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	out[0] = '\0';
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			snprintf(out, n, "%s", e->d_name);
	closedir(d);
}

/* A replaced file keeps its permission bits (install -C); a symlink or a
 * hard link at the name is replaced, and what it pointed to is never
 * written. */
static void test_dfuse_write__replace_keeps_mode_never_follows(void **state)
{
	char dir[] = "/tmp/dfuse-repl-XXXXXX", path[64], victim[64], hard[64];
	dfuse_image *img = golden_image();
	struct stat st;
	uint8_t *got;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.dfu", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(hard, sizeof(hard), "%s/hard.dfu", dir);
	put_file(path, "old");
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(dfuse_write_file(img, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(st.st_size, 317);
	/* read-only: still replaced by rename, mode kept */
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(dfuse_write_file(img, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0444);
	assert_int_equal(unlink(path), 0);
	/* a symlink to a victim: the link is replaced */
	put_file(victim, "victim");
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(dfuse_write_file(img, path), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	slurp(&got, &len, victim);
	assert_int_equal(len, 6);
	free(got);
	assert_int_equal(unlink(path), 0);
	/* a symlink to /dev/null outside /dev/: replaced too */
	assert_int_equal(symlink("/dev/null", path), 0);
	assert_int_equal(dfuse_write_file(img, path), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* a hard link: the other name keeps the old bytes */
	assert_int_equal(link(victim, hard), 0);
	assert_int_equal(dfuse_write_data_file("new", 3, hard), 0);
	slurp(&got, &len, victim);
	assert_int_equal(len, 6);
	assert_memory_equal(got, "victim", 6);
	free(got);
	assert_int_equal(entries(dir), 3); /* no temporary file left */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(unlink(hard), 0);
	assert_int_equal(unlink(victim), 0);
	assert_int_equal(rmdir(dir), 0);
	dfuse_image_free(img);
}

/* A FIFO is written through the descriptor that opened it; a descriptor
 * name is that descriptor (a dup: the caller's stays open). */
static void test_dfuse_write__fifo_and_descriptor(void **state)
{
	char dir[] = "/tmp/dfuse-fifo-XXXXXX", path[64], name[32];
	uint8_t want[317], got[400];
	dfuse_image *img = golden_image();
	int rd, p[2];

	(void)state;
	golden(want);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(dfuse_write_file(img, path), 0);
	assert_int_equal(read(rd, got, sizeof(got)), 317);
	assert_memory_equal(got, want, 317);
	close(rd);
	assert_int_equal(entries(dir), 1); /* the FIFO, not replaced */
	/* a FIFO is not a file of a file set */
	{
		dfuse_fileset *fs = NULL;

		assert_int_equal(dfuse_fileset_new(&fs), 0);
		assert_int_equal(dfuse_fileset_add(fs, img, path, NULL),
				 DFUSE_EINVAL);
		dfuse_fileset_free(fs);
	}
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(pipe(p), 0);
	snprintf(name, sizeof(name), "/dev/fd/%d", p[1]);
	assert_int_equal(dfuse_write_file(img, name), 0);
	assert_int_equal(read(p[0], got, sizeof(got)), 317);
	assert_memory_equal(got, want, 317);
	assert_int_equal(write(p[1], "x", 1), 1); /* still open */
	close(p[0]);
	close(p[1]);
	dfuse_image_free(img);
}

/* The temporary file is ".NAME.XXXXXX.tmp" beside the output, and
 * dfuse_temp_files_remove() (what a signal handler calls) removes it. */
static void test_dfuse_write__temp_files_remove(void **state)
{
	char dir[] = "/tmp/dfuse-sig-XXXXXX", path[64], tmp[256];
	dfuse_image *img = golden_image();
	dfuse_fileset *fs = NULL;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/part.dfu", dir);
	assert_int_equal(dfuse_fileset_new(&fs), 0);
	assert_int_equal(dfuse_fileset_add(fs, img, path, NULL), 0);
	assert_int_equal(entries(dir), 1);
	only_entry(tmp, sizeof(tmp), dir);
	n = strlen(tmp);
	assert_int_equal(n, strlen(".part.dfu.XXXXXX.tmp"));
	assert_memory_equal(tmp, ".part.dfu.", 10);
	assert_string_equal(tmp + n - 4, ".tmp");
	dfuse_temp_files_remove();
	assert_int_equal(entries(dir), 0);
	assert_int_equal(dfuse_fileset_commit(fs), DFUSE_EIO);
	dfuse_fileset_free(fs);
	assert_int_equal(entries(dir), 0);
	/* once placed, a file is not a temporary file any more */
	assert_int_equal(dfuse_write_file(img, path), 0);
	dfuse_temp_files_remove();
	assert_int_equal(entries(dir), 1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	dfuse_image_free(img);
}

/* A plain DFU 1.0 file: 4 payload bytes and a 16-byte suffix whose CRC
 * (0xb560e1a2) was computed with Python's zlib.crc32, not with ours. */
static void test_dfuse_write__plain_dfu_suffix(void **state)
{
	uint8_t f[20] = {
		'A',  'B',  'C',  'D',	/* payload */
		0x02, 0x01,		/* bcdDevice 0x0102 */
		0x78, 0x56,		/* idProduct 0x5678 */
		0x34, 0x12,		/* idVendor 0x1234 */
		0x00, 0x01,		/* bcdDFU 0x0100 (DFU 1.0) */
		'U',  'F',  'D',	/* ucDfuSignature */
		16,			/* bLength */
		0xa2, 0xe1, 0x60, 0xb5, /* dwCRC */
	};
	struct dfuse__dfu_suffix sx;

	(void)state;
	assert_int_equal(dfuse__find_dfu_suffix(&sx, f, sizeof(f)), 1);
	assert_int_equal(sx.payload, 4);
	assert_int_equal(sx.length, 16);
	assert_int_equal(sx.bcd_device, 0x0102);
	assert_int_equal(sx.id_product, 0x5678);
	assert_int_equal(sx.id_vendor, 0x1234);
	assert_int_equal(sx.bcd_dfu, 0x0100);
	f[0] ^= 1; /* a tail that only looks like a suffix: CRC wrong */
	assert_int_equal(dfuse__find_dfu_suffix(&sx, f, sizeof(f)), 0);
	f[0] ^= 1;
	f[15] = 15; /* bLength under 16 */
	assert_int_equal(dfuse__find_dfu_suffix(&sx, f, sizeof(f)), 0);
	assert_int_equal(dfuse__find_dfu_suffix(&sx, f, 15), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dfuse_write__golden_vector),
		cmocka_unit_test(test_dfuse_write__matches_shared_vector),
		cmocka_unit_test(test_dfuse_write__crc_of_known_string),
		cmocka_unit_test(test_dfuse_write__plain_dfu_suffix),
		cmocka_unit_test(test_dfuse_write__two_targets),
		cmocka_unit_test(test_dfuse_write__file_atomic),
		cmocka_unit_test(test_dfuse_write__data_file_atomic),
		cmocka_unit_test(test_dfuse_write__deterministic),
		cmocka_unit_test(test_dfuse_write__no_clobber),
		cmocka_unit_test(test_dfuse_write__fileset_all),
		cmocka_unit_test(test_dfuse_write__fileset_uncommitted),
		cmocka_unit_test(test_dfuse_write__fileset_all_or_nothing),
		cmocka_unit_test(
			test_dfuse_write__replace_keeps_mode_never_follows),
		cmocka_unit_test(test_dfuse_write__fifo_and_descriptor),
		cmocka_unit_test(test_dfuse_write__temp_files_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
