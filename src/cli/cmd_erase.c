/*
 * cmd_erase.c - dfusetool erase: erases flash sectors of a device in DFU
 * mode, only within an explicit scope (--sector, --range, --cm7, --cm4,
 * --all), sector by sector with the H7 bank-2 recovery of a download
 * (dfuse_usb_erase()).  The plan is printed before the first erase.
 */
#include "cmd.h"
#include "devread.h"
#include "inputs.h"
#include "interrupt.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "usbopts.h"

#include <dfuse.h>
#include <dfuse_usb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	O_SECTOR = 0x100,
	O_RANGE,
	O_CM7,
	O_CM4,
	O_ALL,
	O_DRY_RUN,
	O_PROTECTED,
	O_PROFILE,
	O_JSON,
};

static const struct opt opts[] = {
	USBOPTS_TABLE,
	{O_SECTOR, "sector", 0, OPT_ARG, "N[,M...]",
	 "erase sector N of alt 0's layout, counted from 0 (repeatable)"},
	{O_RANGE, "range", 0, OPT_ARG, "A:B",
	 "erase the sectors that [A, B) meets (B exclusive)"},
	{O_CM7, "cm7", 0, OPT_NOARG, NULL, "erase the CM7's flash bank"},
	{O_CM4, "cm4", 0, OPT_NOARG, NULL, "erase the CM4's flash bank"},
	{O_ALL, "all", 0, OPT_NOARG, NULL,
	 "erase every sector of alt 0, one by one"},
	{O_DRY_RUN, "dry-run", 0, OPT_NOARG, NULL,
	 "print the sectors that would be erased; send nothing"},
	{O_PROTECTED, "erase-protected", 0, OPT_NOARG, NULL,
	 "send the erase of write-protected sectors too (they stay as they "
	 "are)"},
	{O_PROFILE, "device", 0, OPT_ARG, "NAME",
	 "device profile for --cm7/--cm4 and the deadlines (default "
	 "stm32h745xi)"},
	{O_JSON, "json", 0, OPT_NOARG, NULL,
	 "print the plan and the result as JSON, failures too"},
};

static const struct cmd_help help = {
	"erase",
	"[-d VID:PID] [-S SERIAL] [--path BUS-PORTS] [--wait[=SECONDS]] "
	"[--dry-run] [--erase-protected] [--json] "
	"(--sector N... | --range A:B | --cm7 | --cm4 | --all)",
	"Erase flash sectors of a device in DFU mode.  A scope is required: "
	"nothing is\nerased without one.  Each sector is erased once by its "
	"base address, with the\nH7 ROM's stuck bank-2 erase recovered and "
	"read back blank, as download does;\nthe sectors are listed before "
	"the first erase.  Write-protected sectors in\nscope refuse the erase "
	"before anything is sent.",
	"  dfusetool erase --cm4\n"
	"  dfusetool erase --dry-run --range 0x08100000:0x08140000\n",
};

/* The erase ranges [start, end) handed to the library. */
struct scope {
	uint32_t *start;
	uint64_t *end;
	size_t n, cap;
	uint32_t *sector; /* --sector numbers, resolved later */
	size_t nsector, capsector;
	int cm7, cm4, all;
};

/* Bounds what the command line can ask for (one entry per argument
 * value at most): no allocation without bound. */
#define SCOPE_MAX 4096

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;
	size_t c;

	if (n < *cap)
		return 0;
	if (n >= SCOPE_MAX)
		return -1;
	c = *cap ? *cap * 2 : 8;
	q = realloc(*p, c * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int scope_add(struct scope *s, uint32_t start, uint64_t end)
{
	size_t c = s->cap;

	if (grow((void **)&s->start, &c, s->n, sizeof(*s->start)) < 0)
		return -1;
	c = s->cap;
	if (grow((void **)&s->end, &c, s->n, sizeof(*s->end)) < 0)
		return -1;
	s->cap = c;
	s->start[s->n] = start;
	s->end[s->n] = end;
	s->n++;
	return 0;
}

/* --sector N or N,M,...: decimal or 0x numbers. */
static int sector_arg(struct scope *s, const struct optstate *st,
		      const char *arg)
{
	char buf[32];
	const char *p = arg;

	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t n;

		if (len == 0 || len >= sizeof(buf))
			return opt_usage(st,
					 "--sector '%s' is not a list of "
					 "sector numbers (N or N,M,...)",
					 arg);
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (num_u32(&n, buf, UINT32_MAX) < 0) {
			char why[160];

			return opt_usage(st,
					 "--sector '%s': '%s' is not a sector "
					 "number: %s",
					 arg, buf,
					 num_why(why, sizeof(why), buf));
		}
		if (grow((void **)&s->sector, &s->capsector, s->nsector,
			 sizeof(*s->sector)) < 0)
			return opt_usage(st, "too many --sector numbers (at "
					     "most 4096)");
		s->sector[s->nsector++] = n;
		p += len;
		if (*p == '\0')
			return 1;
		p++;
	}
}

/*
 * --sector and --all need the device's own sector list: sectors are
 * numbered from 0 over alt 0's layout, in the order of its segments, as
 * the ROM's "16*128Kg" counts them (UM0424).  0 when done, EXIT_FAIL after
 * saying why.
 */
static int resolve_layout(struct scope *s, const dfuse_layout *l)
{
	size_t k, i, nseg = dfuse_layout_count_segments(l);
	uint64_t total = 0;

	for (i = 0; i < nseg; i++) {
		dfuse_layout_segment g;

		if (dfuse_layout_get_segment(&g, l, i) < 0)
			continue;
		total += g.sector_count;
		if (s->all && g.erasable &&
		    scope_add(s, g.address,
			      (uint64_t)g.address + (uint64_t)g.sector_size *
							    g.sector_count) < 0)
			goto nomem;
	}
	for (k = 0; k < s->nsector; k++) {
		uint64_t n = s->sector[k];

		for (i = 0; i < nseg; i++) {
			dfuse_layout_segment g;

			if (dfuse_layout_get_segment(&g, l, i) < 0)
				continue;
			if (n < g.sector_count) {
				uint64_t a = (uint64_t)g.address +
					     n * (uint64_t)g.sector_size;

				if (scope_add(s, (uint32_t)a,
					      a + g.sector_size) < 0)
					goto nomem;
				break;
			}
			n -= g.sector_count;
		}
		if (i == nseg) {
			error_code("DFUSE_ERANGE", NULL,
				   "--sector %u: alt 0's layout \"%s\" has "
				   "%llu sectors, numbered 0 to %llu",
				   (unsigned)s->sector[k],
				   dfuse_layout_get_name(l),
				   (unsigned long long)total,
				   (unsigned long long)(total ? total - 1 : 0));
			return EXIT_FAIL;
		}
	}
	return 0;
nomem:
	errorf("out of memory");
	return EXIT_FAIL;
}

/* --cm7 / --cm4: the profile's bank whose core that is. */
static int resolve_cores(struct scope *s, const dfuse_profile *p,
			 const struct optstate *st)
{
	dfuse_profile_info pi;
	int want[2] = {DFUSE_CORE_CM7, DFUSE_CORE_CM4};
	int asked[2];
	size_t w, b;

	asked[0] = s->cm7;
	asked[1] = s->cm4;
	dfuse_profile_get_info(&pi, p);
	for (w = 0; w < 2; w++) {
		int found = 0;

		if (!asked[w])
			continue;
		for (b = 0; b < pi.bank_count; b++) {
			dfuse_bank_info bi;

			if (dfuse_profile_get_bank(&bi, p, b) < 0 ||
			    bi.core != want[w])
				continue;
			if (scope_add(s, bi.base,
				      (uint64_t)bi.base +
					      (uint64_t)bi.sector_size *
						      bi.sector_count) < 0) {
				errorf("out of memory");
				return EXIT_FAIL;
			}
			found = 1;
		}
		if (!found) {
			opt_usage(st,
				  "--%s: the profile %s has no flash bank "
				  "of that core",
				  dfuse_core_name(want[w]), pi.name);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* The planned sectors, as the library gives them. */
struct plan {
	uint32_t *base, *size;
	size_t n, cap;
	int failed; /* out of memory: the list is incomplete */
	int told;   /* printed */
	int dry_run, tty;
};

static void on_planned(void *payload, uint32_t base, uint32_t size)
{
	struct plan *p = payload;
	size_t c = p->cap;

	if (p->n >= p->cap) {
		uint32_t *b, *z;

		c = p->cap ? p->cap * 2 : 16;
		b = realloc(p->base, c * sizeof(*b));
		if (b != NULL)
			p->base = b;
		z = realloc(p->size, c * sizeof(*z));
		if (z != NULL)
			p->size = z;
		if (b == NULL || z == NULL) {
			p->failed = 1;
			return;
		}
		p->cap = c;
	}
	p->base[p->n] = base;
	p->size[p->n] = size;
	p->n++;
}

/* "erasing 8 sectors: 0x08100000 .. 0x081FFFFF", one span per run of
 * adjacent sectors; with -v one line per sector after it. */
static void plan_tell(struct plan *p)
{
	size_t i, j;

	if (p->told)
		return;
	p->told = 1;
	infof("%s %zu sector%s", p->dry_run ? "would erase" : "erasing", p->n,
	      p->n == 1 ? "" : "s");
	for (i = 0; i < p->n; i = j) {
		uint64_t end = (uint64_t)p->base[i] + p->size[i];

		for (j = i + 1; j < p->n && p->base[j] == end; j++)
			end = (uint64_t)p->base[j] + p->size[j];
		infof("%s 0x%08X .. 0x%08llX", i == 0 ? ":" : ",",
		      (unsigned)p->base[i], (unsigned long long)(end - 1));
	}
	infof("%s\n", p->failed ? " (list incomplete: out of memory)" : "");
	for (i = 0; i < p->n; i++)
		verbosef("sector 0x%08X, %u KiB", (unsigned)p->base[i],
			 (unsigned)(p->size[i] / 1024u));
}

static void on_progress(void *payload, int phase, uint64_t done, uint64_t total)
{
	struct plan *p = payload;

	if (phase != DFUSE_PHASE_ERASE)
		return;
	if (!answer_on())
		plan_tell(p);
	if (!p->tty || msg_verbosity() < 0)
		return;
	/* \r and ESC [ K (ECMA-48 EL): the line is redrawn in place */
	fprintf(stderr, "\rerase %llu/%llu sectors\033[K",
		(unsigned long long)done, (unsigned long long)total);
	if (done >= total)
		fputc('\n', stderr);
}

static void on_log(void *payload, const char *line)
{
	struct plan *p = payload;

	/* a news line mid-bar starts on a line of its own */
	if (p->tty && p->told && msg_verbosity() >= 0)
		fputs("\r\033[K", stderr);
	notef("%s", line);
}

static void json_result(const struct plan *p, const dfuse_usb_result *r,
			int failed)
{
	struct json *j = answer_json();
	size_t i;

	json_begin_object(j);
	json_kbool(j, "ok", !failed);
	answer_kerror(j);
	json_kbool(j, "dry_run", p->dry_run);
	json_key(j, "sectors");
	json_begin_array(j);
	for (i = 0; i < p->n; i++) {
		json_begin_object(j);
		json_kuint(j, "address", p->base[i]);
		json_kuint(j, "size", p->size[i]);
		json_end_object(j);
	}
	json_end_array(j);
	json_kuint(j, "sectors_erased", r->sectors_erased);
	json_kuint(j, "sectors_recovered", r->sectors_recovered);
	json_end_object(j);
}

int cmd_erase(int argc, char **argv)
{
	dfuse_usb_options o = DFUSE_USB_OPTIONS_INIT;
	dfuse_usb_result r = DFUSE_USB_RESULT_INIT;
	struct usbopts uo;
	struct optstate st;
	struct scope s;
	struct plan p;
	const dfuse_profile *profile = dfuse_profile_default();
	dfuse_usb *u = NULL;
	struct devread dr;
	const char *arg;
	int c, rc, status = EXIT_USAGE, as_json = 0;

	memset(&s, 0, sizeof(s));
	memset(&p, 0, sizeof(p));
	memset(&dr, 0, sizeof(dr));
	usbopts_init(&uo);
	OPT_INIT(&st, opts, &help, argc, argv);
	while ((c = opt_next(&st, &arg)) != OPT_END) {
		rc = usbopts_handle(&uo, &st, c, arg);
		if (opt_stop(rc < 0 ? rc : c, &status))
			goto out;
		if (rc == 1)
			continue;
		switch (c) {
		case O_SECTOR:
			if (sector_arg(&s, &st, arg) < 0)
				goto out;
			break;
		case O_RANGE: {
			uint32_t lo;
			uint64_t hi;

			if (num_range(&lo, &hi, arg) < 0) {
				opt_usage(&st,
					  "--range '%s' is not A:B with A < B "
					  "<= 0x100000000 (B exclusive)",
					  arg);
				goto out;
			}
			if (scope_add(&s, lo, hi) < 0) {
				opt_usage(&st, "too many --range options");
				goto out;
			}
			break;
		}
		case O_CM7:
			s.cm7 = 1;
			break;
		case O_CM4:
			s.cm4 = 1;
			break;
		case O_ALL:
			s.all = 1;
			break;
		case O_DRY_RUN:
			o.flags |= DFUSE_USB_DRY_RUN;
			break;
		case O_PROTECTED:
			o.flags |= DFUSE_USB_ERASE_PROTECTED;
			break;
		case O_PROFILE:
			profile = profile_from_arg(help.name, arg);
			if (profile == NULL)
				goto out;
			break;
		case O_JSON:
			as_json = 1;
			break;
		default:
			opt_usage(&st, "unhandled option");
			goto out;
		}
	}
	if (st.optind < argc) {
		opt_usage(&st, "unexpected argument '%s'", argv[st.optind]);
		goto out;
	}
	if (s.n == 0 && s.nsector == 0 && !s.cm7 && !s.cm4 && !s.all) {
		opt_usage(&st, "erasing needs an explicit scope: --sector N, "
			       "--range A:B, --cm7, --cm4 or --all");
		goto out;
	}
	status = resolve_cores(&s, profile, &st);
	if (status != 0)
		goto fail;
	status = EXIT_FAIL;
	p.dry_run = (o.flags & DFUSE_USB_DRY_RUN) != 0;
	p.tty = isatty(2);
	interrupt_install();
	uo.stop = &interrupt_flag;
	if (usbopts_open(&u, &uo) != 0)
		goto fail;
	/* --sector and --all count the picked device's own sectors */
	if ((s.nsector > 0 || s.all) && (devread_pick(&dr, u, &uo, 1) != 0 ||
					 resolve_layout(&s, dr.layout) != 0))
		goto fail;
	o.profile = profile;
	o.progress = on_progress;
	o.log = on_log;
	o.cancel = interrupt_cancel;
	o.payload = &p;
	rc = dfuse_usb_erase(&r, u, usbopts_match(&uo), s.start, s.end, s.n, &o,
			     on_planned);
	if (rc < 0) {
		error_lib(NULL);
		if (as_json)
			json_result(&p, &r, 1);
		usbopts_hint(rc, u);
		if (rc != DFUSE_EPROTECTED && r.sectors_erased == 0 &&
		    !(o.flags & DFUSE_USB_ERASE_PROTECTED))
			verbosef("nothing was erased");
		goto out;
	}
	if (as_json) {
		json_result(&p, &r, 0);
		status = EXIT_OK;
		goto out;
	}
	plan_tell(&p);
	if (p.dry_run)
		infof("nothing was sent (--dry-run)\n");
	else
		infof("erased %zu sector%s (%zu recovered from the bank-2 "
		      "bug)\n",
		      r.sectors_erased, r.sectors_erased == 1 ? "" : "s",
		      r.sectors_recovered);
	status = EXIT_OK;
	goto out;
fail:
	if (as_json && status == EXIT_FAIL)
		json_result(&p, &r, 1);
out:
	devread_free(&dr);
	dfuse_usb_free(u);
	free(s.start);
	free(s.end);
	free(s.sector);
	free(p.base);
	free(p.size);
	return status;
}
