/* example.c - a DfuSe file's elements, their cores and what the checks
 * find, with libdfuse alone:
 *     cc example.c $(pkg-config --cflags --libs libdfuse) -o example */
#include <dfuse.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	dfuse_image *img = NULL;
	dfuse_report *rep = NULL;
	dfuse_element_info e;
	dfuse_finding f;
	size_t i;

	if (argc != 2) {
		fputs("usage: example FILE.dfu\n", stderr);
		return 2;
	}
	if (dfuse_read_file(&img, NULL, argv[1], NULL) < 0 ||
	    dfuse_check(&rep, img, NULL) < 0) {
		fprintf(stderr, "example: '%s': %s\n", argv[1],
			dfuse_error_last()->message);
		dfuse_image_free(img);
		return 1;
	}
	for (i = 0; dfuse_image_get_element(&e, img, 0, i) == 0; i++)
		printf("0x%08x %u bytes %s\n", (unsigned)e.address, (unsigned)e.size,
		       dfuse_core_name(dfuse_image_get_element_core(img, 0, i, NULL)));
	for (i = 0; dfuse_report_get(&f, rep, i) == 0; i++)
		printf("%s %s: %s\n", dfuse_severity_name(f.severity), f.code, f.message);
	dfuse_report_free(rep);
	dfuse_image_free(img);
	return 0;
}
