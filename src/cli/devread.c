/*
 * devread.c - the device a reading command works on, and the progress of
 * its reads (devread.h).
 */
#include "devread.h"
#include "interrupt.h"
#include "cmd.h"
#include "msg.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int alt0(struct devread *d, dfuse_usb *u, int need_layout)
{
	size_t a, n;
	char *sp;

	for (a = 0; a < d->info.alt_count; a++) {
		const char *name = NULL;
		uint8_t alt = 0xFF;

		if (dfuse_usb_get_alt(&alt, &name, u, d->index, a) == 0 &&
		    alt == 0) {
			d->alt0 = name;
			break;
		}
	}
	if (d->alt0 == NULL) {
		if (!need_layout)
			return 0;
		error_code("DFUSE_ENOTFOUND", NULL,
			   "the device %04x:%04x at %s has no alternate "
			   "setting 0 (the internal flash)",
			   d->info.vid, d->info.pid, d->info.path);
		return EXIT_FAIL;
	}
	if (dfuse_layout_parse(&d->layout, d->alt0) < 0) {
		d->layout = NULL;
		if (!need_layout)
			return 0;
		error_code("DFUSE_EFORMAT", NULL,
			   "alt 0 of the device says \"%s\", which is no "
			   "memory layout (UM0424): %s",
			   d->alt0, dfuse_error_last()->message);
		return EXIT_FAIL;
	}
	n = (size_t)snprintf(d->name, sizeof(d->name), "%s",
			     dfuse_layout_get_name(d->layout));
	if (n >= sizeof(d->name))
		n = sizeof(d->name) - 1;
	for (sp = d->name + n; sp > d->name && sp[-1] == ' '; sp--)
		sp[-1] = '\0';
	return 0;
}

int devread_pick(struct devread *d, dfuse_usb *u, const struct usbopts *uo,
		 int need_layout)
{
	int rc;

	memset(d, 0, sizeof(*d));
	rc = dfuse_usb_find_device(&d->index, u, usbopts_match(uo));
	if (rc == 0)
		rc = dfuse_usb_get_device(&d->info, u, d->index);
	if (rc < 0) {
		memset(d, 0, sizeof(*d));
		error_lib(NULL);
		usbopts_hint(rc, u);
		return EXIT_FAIL;
	}
	return alt0(d, u, need_layout);
}

void devread_free(struct devread *d)
{
	dfuse_layout_free(d->layout);
	d->layout = NULL;
}

void devread_kjson(struct json *j, const struct devread *d)
{
	json_key(j, "device");
	if (d == NULL || d->info.path == NULL) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kuint(j, "vid", d->info.vid);
	json_kuint(j, "pid", d->info.pid);
	json_kuint(j, "bcdDevice", d->info.bcd_device);
	json_kstr(j, "serial", d->info.serial);
	json_kstr(j, "path", d->info.path);
	json_kuint(j, "bus", d->info.bus);
	json_kuint(j, "address", d->info.address);
	json_kuint(j, "interface", d->info.interface);
	json_end_object(j);
}

/* ---- progress and Ctrl-C ---- */

int devread_interrupted(void)
{
	return interrupt_flag != 0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One redraw: "\r", the bar, ESC [ K (ECMA-48 EL, erase to the end of
 * the line) so that no tail of a longer line stays. */
static void draw(const struct devread_progress *p, uint64_t done,
		 uint64_t total)
{
	const double secs = now_s() - p->t0;
	const unsigned pct = total ? (unsigned)(done * 100 / total) : 100;
	char bar[21];
	unsigned k;

	for (k = 0; k < 20; k++)
		bar[k] = k < pct / 5 ? '#' : ' ';
	bar[20] = '\0';
	fprintf(stderr, "\r%-7s [%s] %3u%% %llu/%llu bytes", p->verb, bar, pct,
		(unsigned long long)done, (unsigned long long)total);
	if (secs > 0 && done > 0)
		fprintf(stderr, "  %.0f KiB/s", (double)done / secs / 1024);
	fputs("\033[K", stderr);
}

static void on_progress(void *payload, int phase, uint64_t done, uint64_t total)
{
	struct devread_progress *p = payload;

	if (phase != DFUSE_PHASE_READ || !p->tty || msg_verbosity() < 0)
		return;
	p->last = total; /* this read's */
	draw(p, p->base + done, p->total ? p->total : total);
}

void devread_progress_begin(struct devread_progress *p, dfuse_usb_options *o,
			    const char *verb, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->tty = isatty(2); /* a bar, not colour: NO_COLOR does not apply */
	p->total = total;
	p->verb = verb;
	p->t0 = now_s();
	o->progress = on_progress;
	o->cancel = interrupt_cancel;
	o->payload = p;
	interrupt_install();
}

void devread_progress_next(struct devread_progress *p, uint64_t len)
{
	p->base += len;
	if (p->base >= p->total)
		devread_progress_end(p);
}

void devread_progress_end(struct devread_progress *p)
{
	if (p->ended || msg_verbosity() < 0)
		return;
	p->ended = 1;
	if (p->tty) {
		draw(p, p->base, p->total ? p->total : p->last);
		fputc('\n', stderr);
	} else if (p->base > 0) {
		fprintf(stderr, "%s: %llu bytes in %.1f s\n", p->verb,
			(unsigned long long)p->base, now_s() - p->t0);
	}
}
