/*
 * usbtest.c - the H7 ROM model (tests/unit/h7model.c) behind real libusb,
 * through umockdev (issue 4, Tests section 2).
 *
 * One binary, two roles:
 *  - the server (no arguments): for each scenario it builds a umockdev
 *    testbed holding one USB device with the H7 ROM's descriptors
 *    (facts 4.2), attaches an ioctl handler to /dev/bus/usb/001/002 that
 *    decodes the usbdevfs ioctls libusb issues and forwards DFU class
 *    requests on endpoint 0 to the model, then re-executes itself as the
 *    client under LD_PRELOAD=libumockdev-preload.so.0 and finally checks
 *    the model's flash;
 *  - the client (--client SCENARIO): usb_libusb.c enumerates, opens and
 *    downloads through the library, exactly as the tool will.
 * Every check prints "ok   usb/NAME" or "FAIL usb/NAME: why"; run.sh
 * counts them.  The model runs in virtual time: the server advances its
 * clock by the real time elapsed before each request, so its busy times
 * are real milliseconds.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <inttypes.h>
#include <linux/usbdevice_fs.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <umockdev.h>

#include "dfu_proto.h"
#include "dfuse.h"
#include "download.h"
#include "h7model.h"
#include "transport.h"
#include "usb.h"

#define DEVNODE "/dev/bus/usb/001/002"
#define SERIAL "200364500000"
#define ALT0 "@Internal Flash   /0x08000000/16*128Kg"
#define ALT1 "@Option Bytes   /0x5200201C/01*128 e"
#define CM7_BASE 0x08000000u
#define CM4_BASE 0x08100000u
#define CM7_SIZE (16u * 1024u)
#define CM4_SIZE (16u * 1024u)

static int n_fail;

static void check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		printf("ok   usb/%s\n", name);
	} else {
		printf("FAIL usb/%s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		n_fail++;
	}
	fflush(stdout);
}

/* The test image's bytes: a pattern with a vector table. */
static uint8_t pat(uint32_t a)
{
	return (uint8_t)(a * 7 + (a >> 8) * 13 + 1);
}

static void fill_program(uint8_t *p, uint32_t address, size_t len,
			 uint32_t sp, uint32_t reset)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pat(address + (uint32_t)i);
	dfuse__put_le32(p, sp);
	dfuse__put_le32(p + 4, reset);
}

/* ======== Descriptors (facts 4.2) ======== */

static size_t descriptors(uint8_t *d)
{
	static const uint8_t dev[18] = {
		18, 1, 0x00, 0x02, 0, 0, 0, 64, 0x83, 0x04, 0x11, 0xdf,
		0x00, 0x02, 1, 2, 3, 1
	};
	/* Configuration, two alternate settings of interface 0 (DFU mode),
	 * then the functional descriptor after the last one, as ST's
	 * stacks lay it out.  bmAttributes 0x0B is INFERRED (the F4 ROM's
	 * value: download, upload, will detach); wDetachTimeOut 255. */
	static const uint8_t cfg[36] = {
		9, 2, 36, 0, 1, 1, 0, 0xc0, 50,
		9, 4, 0, 0, 0, 0xfe, 1, 2, 4,
		9, 4, 0, 1, 0, 0xfe, 1, 2, 5,
		9, 0x21, 0x0b, 0xff, 0x00, 0x00, 0x04, 0x1a, 0x01
	};

	memcpy(d, dev, sizeof(dev));
	memcpy(d + sizeof(dev), cfg, sizeof(cfg));
	return sizeof(dev) + sizeof(cfg);
}

static const char *string_of(unsigned index)
{
	switch (index) {
	case 1:
		return "STMicroelectronics";
	case 2:
		return "DFU in FS Mode";
	case 3:
		return SERIAL;
	case 4:
		return ALT0;
	case 5:
		return ALT1;
	default:
		return NULL;
	}
}

/* ======== Server: the ioctl handler ======== */

struct server {
	struct h7model *m;
	struct dfuse__transport mt; /* the model's transport */
	uint64_t synced_ms;         /* real time of the last clock sync */
	GQueue reap;                /* completed URBs (UMockdevIoctlData *) */
	unsigned long seen[64];     /* distinct ioctl requests */
	unsigned counts[64];
	size_t n_seen;
	size_t unknown;
};

static uint64_t real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void note(struct server *s, unsigned long req)
{
	size_t i;

	for (i = 0; i < s->n_seen; i++)
		if (s->seen[i] == req) {
			s->counts[i]++;
			return;
		}
	if (s->n_seen < 64) {
		s->seen[s->n_seen] = req;
		s->counts[s->n_seen++] = 1;
	}
}

static const char *ioctl_name(unsigned long req)
{
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES:
		return "GET_CAPABILITIES";
	case USBDEVFS_SUBMITURB:
		return "SUBMITURB";
	case USBDEVFS_REAPURB:
		return "REAPURB";
	case USBDEVFS_REAPURBNDELAY:
		return "REAPURBNDELAY";
	case USBDEVFS_DISCARDURB:
		return "DISCARDURB";
	case USBDEVFS_CLAIMINTERFACE:
		return "CLAIMINTERFACE";
	case USBDEVFS_RELEASEINTERFACE:
		return "RELEASEINTERFACE";
	case USBDEVFS_SETINTERFACE:
		return "SETINTERFACE";
	case USBDEVFS_SETCONFIGURATION:
		return "SETCONFIGURATION";
	case USBDEVFS_RESET:
		return "RESET";
	case USBDEVFS_DISCONNECT_CLAIM:
		return "DISCONNECT_CLAIM";
	case USBDEVFS_GETDRIVER:
		return "GETDRIVER";
	case USBDEVFS_IOCTL:
		return "IOCTL";
	case USBDEVFS_CONNECTINFO:
		return "CONNECTINFO";
	case USBDEVFS_CLEAR_HALT:
		return "CLEAR_HALT";
	case USBDEVFS_GET_SPEED:
		return "GET_SPEED";
	default:
		return NULL;
	}
}

/* A standard GET_DESCRIPTOR; returns bytes or -1 (stall). */
static int get_descriptor(uint8_t *out, uint16_t value, uint16_t len)
{
	uint8_t d[64];
	size_t n = 0;
	const unsigned type = value >> 8, index = value & 0xffu;

	if (type == 1) {
		descriptors(d);
		n = 18;
	} else if (type == 2 && index == 0) {
		n = descriptors(d) - 18;
		memmove(d, d + 18, n);
	} else if (type == 3) {
		uint8_t sd[256];
		const char *str = string_of(index);
		size_t i;

		if (index == 0) {
			sd[0] = 4;
			sd[1] = 3;
			sd[2] = 0x09;
			sd[3] = 0x04;
			n = 4;
		} else if (str != NULL) {
			n = 2 + 2 * strlen(str);
			sd[0] = (uint8_t)n;
			sd[1] = 3;
			for (i = 0; str[i] != '\0'; i++) {
				sd[2 + 2 * i] = (uint8_t)str[i];
				sd[3 + 2 * i] = 0;
			}
		} else {
			return -1;
		}
		if (n > len)
			n = len;
		memcpy(out, sd, n);
		return (int)n;
	} else {
		return -1;
	}
	if (n > len)
		n = len;
	memcpy(out, d, n);
	return (int)n;
}

/* A control URB: the 8-byte setup packet, then the data stage.  Fills
 * *status and returns the data bytes transferred. */
static int control(struct server *s, uint8_t *buf, size_t buflen,
		   int *status)
{
	const uint8_t rt = buf[0], req = buf[1];
	const uint16_t value = dfuse__get_le16(buf + 2);
	const uint16_t index = dfuse__get_le16(buf + 4);
	uint16_t len = dfuse__get_le16(buf + 6);
	uint64_t now;
	int rc;

	*status = 0;
	if (buflen < 8u + len)
		len = (uint16_t)(buflen - 8);
	if (rt == 0x80 && req == 6) {
		rc = get_descriptor(buf + 8, value, len);
		if (rc < 0)
			*status = -EPIPE;
		return rc < 0 ? 0 : rc;
	}
	if (rt == 0x21 || rt == 0xa1) {
		/* The model's clock follows real time. */
		now = real_ms();
		if (now > s->synced_ms)
			s->mt.ops->sleep_ms(s->mt.ctx,
					    (unsigned)(now - s->synced_ms));
		s->synced_ms = now;
		if (rt == 0x21)
			rc = s->mt.ops->control_out(s->mt.ctx, req, value,
						    index, buf + 8, len,
						    2000);
		else
			rc = s->mt.ops->control_in(s->mt.ctx, req, value,
						   index, buf + 8, len,
						   2000);
		s->synced_ms = real_ms();
		switch (rc) {
		case DFUSE__XFER_STALL:
			*status = -EPIPE;
			return 0;
		case DFUSE__XFER_GONE:
			*status = -ENODEV;
			return 0;
		case DFUSE__XFER_TIMEOUT:
			*status = -ETIMEDOUT;
			return 0;
		case DFUSE__XFER_ERROR:
			*status = -EPROTO;
			return 0;
		default:
			return rt == 0x21 ? len : rc;
		}
	}
	/* Other standard requests (SET_INTERFACE goes through the ioctl). */
	if ((rt & 0x60) == 0 && len == 0)
		return 0;
	fprintf(stderr, "usbtest: unhandled control %02x %02x\n", rt, req);
	*status = -EPIPE;
	return 0;
}

static void submit(struct server *s, UMockdevIoctlClient *client,
		   UMockdevIoctlData *arg)
{
	struct usbdevfs_urb urb;
	UMockdevIoctlData *u, *b;
	GError *err = NULL;
	int status = 0, n;

	/* The argument is the client's pointer to its URB. */
	u = umockdev_ioctl_data_resolve(arg, 0, sizeof(urb), &err);
	if (u == NULL) {
		fprintf(stderr, "usbtest: resolve URB: %s\n", err->message);
		g_error_free(err);
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return;
	}
	memcpy(&urb, u->data, sizeof(urb));
	if (urb.type != USBDEVFS_URB_TYPE_CONTROL || urb.endpoint != 0 ||
	    urb.buffer_length < 8) {
		fprintf(stderr, "usbtest: URB type %u ep 0x%02x refused\n",
			urb.type, urb.endpoint);
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	b = umockdev_ioctl_data_resolve(u,
					offsetof(struct usbdevfs_urb, buffer),
					(gsize)urb.buffer_length, &err);
	if (b == NULL) {
		fprintf(stderr, "usbtest: resolve: %s\n", err->message);
		g_error_free(err);
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return;
	}
	n = control(s, b->data, (size_t)urb.buffer_length, &status);
	urb.status = status;
	urb.actual_length = n;
	memcpy(u->data, &urb, sizeof(urb));
	g_queue_push_tail(&s->reap, g_object_ref(u));
	umockdev_ioctl_client_complete(client, 0, 0);
}

static gboolean on_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client,
			 gpointer payload)
{
	struct server *s = payload;
	const unsigned long req = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);

	(void)base;
	note(s, req);
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		const uint32_t caps = USBDEVFS_CAP_ZERO_PACKET |
				      USBDEVFS_CAP_BULK_CONTINUATION |
				      USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
				      USBDEVFS_CAP_REAP_AFTER_DISCONNECT |
				      USBDEVFS_CAP_DROP_PRIVILEGES;

		UMockdevIoctlData *p = umockdev_ioctl_data_resolve(
			arg, 0, sizeof(caps), NULL);

		if (p == NULL) {
			umockdev_ioctl_client_complete(client, -1, EFAULT);
			return TRUE;
		}
		memcpy(p->data, &caps, sizeof(caps));
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_SUBMITURB:
		submit(s, client, arg);
		return TRUE;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY: {
		UMockdevIoctlData *urb = g_queue_pop_head(&s->reap);
		UMockdevIoctlData *p;

		if (urb == NULL) {
			umockdev_ioctl_client_complete(client, -1, EAGAIN);
			return TRUE;
		}
		/* The argument points at the client's void *: store the
		 * reaped URB's address there. */
		p = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
		if (p == NULL) {
			g_object_unref(urb);
			umockdev_ioctl_client_complete(client, -1, EFAULT);
			return TRUE;
		}
		umockdev_ioctl_data_set_ptr(p, 0, urb);
		g_object_unref(urb);
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_SETCONFIGURATION:
	case USBDEVFS_RESET:
	case USBDEVFS_DISCONNECT_CLAIM:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_DISCARDURB:
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_IOCTL:
		/* libusb_release_interface() with auto-detach: reattach
		 * the kernel driver (USBDEVFS_CONNECT); there is none. */
	case USBDEVFS_GETDRIVER:
		umockdev_ioctl_client_complete(client, -1, ENODATA);
		return TRUE;
	default:
		fprintf(stderr, "usbtest: unknown ioctl 0x%lx\n", req);
		s->unknown++;
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
		return TRUE;
	}
}

/* ======== Server: scenarios ======== */

static void hexcat(GString *g, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		g_string_append_printf(g, "%02X", p[i]);
}

static UMockdevTestbed *testbed(void)
{
	UMockdevTestbed *tb = umockdev_testbed_new();
	GString *g = g_string_new(NULL);
	GError *err = NULL;
	uint8_t d[64];
	const size_t n = descriptors(d);

	g_string_append(g, "P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\n"
			   "N: bus/usb/001/002=");
	hexcat(g, d, n);
	g_string_append(g, "\nE: BUSNUM=001\nE: DEVNAME=" DEVNODE
			   "\nE: DEVNUM=002\nE: DEVTYPE=usb_device\n"
			   "E: DRIVER=usb\nE: PRODUCT=483/df11/200\n"
			   "E: SUBSYSTEM=usb\n"
			   "A: bConfigurationValue=1\\n\n"
			   "A: bNumConfigurations=1\\n\n"
			   "A: busnum=1\\n\nA: devnum=2\\n\n"
			   "A: idVendor=0483\\n\nA: idProduct=df11\\n\n"
			   "A: speed=12\\n\nH: descriptors=");
	hexcat(g, d, n);
	g_string_append(g, "\n");
	if (!umockdev_testbed_add_from_string(tb, g->str, &err)) {
		fprintf(stderr, "usbtest: testbed: %s\n", err->message);
		g_error_free(err);
		g_object_unref(tb);
		tb = NULL;
	}
	g_string_free(g, TRUE);
	return tb;
}

struct child {
	GMainLoop *loop;
	int status;
};

static void on_child(GPid pid, gint status, gpointer payload)
{
	struct child *c = payload;

	c->status = status;
	g_spawn_close_pid(pid);
	g_main_loop_quit(c->loop);
}

static const char *name_unknown(const char *name)
{
	return strcmp(name, "bank2") == 0 ? "bank2-no-unknown-ioctls"
					  : "no-unknown-ioctls";
}

/* Runs the client for `scenario` against model config `cfg`; then `after`
 * checks the model. */
static void scenario(const char *name, const struct h7model_config *cfg,
		     void (*after)(struct server *s))
{
	struct server s;
	struct child c;
	UMockdevTestbed *tb;
	UMockdevIoctlBase *h;
	GError *err = NULL;
	GPid pid;
	gchar **env;
	char *argv[4];
	const char *asan;
	size_t i;

	memset(&s, 0, sizeof(s));
	g_queue_init(&s.reap);
	s.m = h7model_new(cfg);
	h7model_transport(&s.mt, s.m);
	s.synced_ms = real_ms();
	tb = testbed();
	if (tb == NULL) {
		check(0, name, "testbed");
		h7model_free(s.m);
		return;
	}
	h = umockdev_ioctl_base_new();
	g_signal_connect(h, "handle-ioctl", G_CALLBACK(on_ioctl), &s);
	if (!umockdev_testbed_attach_ioctl(tb, DEVNODE, h, &err)) {
		check(0, name, "attach_ioctl: %s", err->message);
		g_error_free(err);
		goto out;
	}
	env = g_get_environ();
	env = g_environ_setenv(env, "LD_PRELOAD", "libumockdev-preload.so.0",
			       TRUE);
	asan = g_environ_getenv(env, "ASAN_OPTIONS");
	if (asan == NULL)
		env = g_environ_setenv(env, "ASAN_OPTIONS",
				       "verify_asan_link_order=0", TRUE);
	argv[0] = (char *)(uintptr_t)"/proc/self/exe";
	argv[1] = (char *)(uintptr_t)"--client";
	argv[2] = (char *)(uintptr_t)name;
	argv[3] = NULL;
	if (!g_spawn_async(NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
			   NULL, &pid, &err)) {
		check(0, name, "spawn: %s", err->message);
		g_error_free(err);
		g_strfreev(env);
		goto out;
	}
	g_strfreev(env);
	c.loop = g_main_loop_new(NULL, FALSE);
	c.status = -1;
	g_child_watch_add(pid, on_child, &c);
	g_main_loop_run(c.loop);
	g_main_loop_unref(c.loop);
	check(g_spawn_check_wait_status(c.status, NULL), name,
	      "client failed (wait status %d)", c.status);
	printf("     %s: ioctls:", name);
	for (i = 0; i < s.n_seen; i++) {
		const char *n = ioctl_name(s.seen[i]);

		if (n != NULL)
			printf(" %s x%u", n, s.counts[i]);
		else
			printf(" 0x%lx x%u", s.seen[i], s.counts[i]);
	}
	printf("\n");
	check(s.unknown == 0, name_unknown(name), "%zu unknown", s.unknown);
	if (after != NULL)
		after(&s);
out:
	umockdev_testbed_detach_ioctl(tb, DEVNODE, NULL);
	g_object_unref(h);
	g_object_unref(tb);
	while (!g_queue_is_empty(&s.reap))
		g_object_unref(g_queue_pop_head(&s.reap));
	h7model_free(s.m);
}

static int flash_has(struct server *s, uint32_t base, size_t len,
		     uint32_t sp, uint32_t reset)
{
	uint8_t *p = malloc(len);
	int ok;

	if (p == NULL)
		return 0;
	fill_program(p, base, len, sp, reset);
	ok = memcmp(h7model_flash(s->m) + (base - H7MODEL_FLASH_BASE), p,
		    len) == 0;
	free(p);
	return ok;
}

static void after_download(struct server *s)
{
	check(flash_has(s, CM7_BASE, CM7_SIZE, 0x2001fff0, 0x08000201),
	      "model-flash-cm7", "CM7 image not in the model's flash");
	check(flash_has(s, CM4_BASE, CM4_SIZE, 0x10047ff0, 0x08100201),
	      "model-flash-cm4", "CM4 image not in the model's flash");
}

static void after_bank2(struct server *s)
{
	uint32_t to = 0;

	after_download(s);
	check(h7model_left(s->m, &to) && to == CM7_BASE, "bank2-left",
	      "left %d to 0x%08" PRIx32, h7model_left(s->m, NULL), to);
	check(h7model_count(s->m, DFUSE__DFU_CLRSTATUS, -1) >= 2,
	      "bank2-clrstatus", "%zu CLRSTATUS",
	      h7model_count(s->m, DFUSE__DFU_CLRSTATUS, -1));
}

static void fast_config(struct h7model_config *cfg)
{
	h7model_config_default(cfg);
	cfg->poll_ms = 1;
	cfg->erase_ms = 5;
	cfg->mass_erase_ms = 20;
	cfg->program_ms = 0;
	cfg->command_ms = 0;
}

static int server(void)
{
	struct h7model_config cfg;

	fast_config(&cfg);
	scenario("basic", &cfg, after_download);
	fast_config(&cfg);
	cfg.stuck_erase = 1;
	scenario("bank2", &cfg, after_bank2);
	return n_fail != 0;
}

/* ======== Client: the library over libusb ======== */

static void on_log(void *payload, const char *line)
{
	(void)payload;
	printf("     log: %s\n", line);
}

static dfuse_image *merged(void)
{
	dfuse_image *img = NULL;
	dfuse_input_options o = DFUSE_INPUT_OPTIONS_INIT;
	uint8_t *p = malloc(CM7_SIZE > CM4_SIZE ? CM7_SIZE : CM4_SIZE);

	if (p == NULL || dfuse_image_new(&img) != 0 ||
	    dfuse_image_add_target(img, 0, "Internal Flash") < 0)
		goto fail;
	fill_program(p, CM7_BASE, CM7_SIZE, 0x2001fff0, 0x08000201);
	o.core = DFUSE_CORE_CM7;
	o.source = "cm7.bin";
	if (dfuse_image_add_data(img, 0, CM7_BASE, p, CM7_SIZE, &o) != 0)
		goto fail;
	fill_program(p, CM4_BASE, CM4_SIZE, 0x10047ff0, 0x08100201);
	o.core = DFUSE_CORE_CM4;
	o.source = "cm4.bin";
	if (dfuse_image_add_data(img, 0, CM4_BASE, p, CM4_SIZE, &o) != 0 ||
	    dfuse_image_normalize(img, dfuse_profile_default()) != 0)
		goto fail;
	free(p);
	return img;
fail:
	free(p);
	dfuse_image_free(img);
	return NULL;
}

static const char *last_msg(void)
{
	const dfuse_error *e = dfuse_error_last();

	return e != NULL && e->message != NULL ? e->message : "?";
}

static int client(const char *name)
{
	struct dfuse__usb *u = NULL;
	struct dfuse__usb_dev *dev = NULL;
	const struct dfuse__usb_info *in;
	struct dfuse__usb_match m;
	struct dfuse__dfu d;
	struct dfuse__dfu_status st;
	struct dfuse__download_options o;
	struct dfuse__download_result res;
	dfuse_layout *layout = NULL;
	dfuse_image *img = NULL;
	const int bank2 = strcmp(name, "bank2") == 0;
	int rc;

	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	rc = dfuse__usb_session_new(&u);
	check(rc == 0, "session", "%s", last_msg());
	if (rc != 0)
		return 1;
	rc = dfuse__usb_scan(u);
	check(rc == 1, "scan-one-device", "scan: %d (%s)", rc,
	      rc < 0 ? last_msg() : "count");
	in = dfuse__usb_get(u, 0);
	if (in == NULL)
		goto out;
	if (!bank2) {
		check(in->vid == 0x0483 && in->pid == 0xdf11, "enum-id",
		      "%04x:%04x", in->vid, in->pid);
		check(in->bcd_device == 0x0200, "enum-bcddevice", "0x%04x",
		      in->bcd_device);
		check(strcmp(in->serial, SERIAL) == 0, "enum-serial", "'%s'",
		      in->serial);
		check(strcmp(in->path, "1-1") == 0, "enum-path", "'%s'",
		      in->path);
		check(in->interface == 0 && in->alt_count == 2 &&
			      in->alts[0].alt == 0 && in->alts[1].alt == 1,
		      "enum-alts", "interface %u, %zu alts", in->interface,
		      in->alt_count);
		check(in->alt_count == 2 &&
			      strcmp(in->alts[0].name, ALT0) == 0 &&
			      strcmp(in->alts[1].name, ALT1) == 0,
		      "enum-alt-names", "'%s' '%s'",
		      in->alt_count > 0 ? in->alts[0].name : "",
		      in->alt_count > 1 ? in->alts[1].name : "");
		check(in->has_functional &&
			      in->functional.transfer_size == 1024 &&
			      in->functional.dfu_version == 0x011a &&
			      in->functional.attributes == 0x0b,
		      "enum-functional", "has %d size %u bcdDFU 0x%04x",
		      in->has_functional, in->functional.transfer_size,
		      in->functional.dfu_version);
	}
	memset(&m, 0, sizeof(m));
	m.has_id = 1;
	m.vid = 0x0483;
	m.pid = 0xdf11;
	m.serial = SERIAL;
	rc = dfuse__usb_open(&dev, u, &m, 0);
	check(rc == 0, "open", "%s", last_msg());
	if (rc != 0)
		goto out;
	dfuse__dfu_init(&d, dfuse__usb_transport(dev),
			in->has_functional ? in->functional.transfer_size
					   : 1024);
	if (!bank2) {
		rc = dfuse__dfu_get_status(&st, &d);
		check(rc == 0 && st.state == DFUSE__DFU_IDLE &&
			      st.status == DFUSE__DFU_OK,
		      "getstatus-idle", "rc %d state %u (%s)", rc, st.state,
		      rc < 0 ? last_msg() : "");
	}
	/* The stuck erase is given up on after 300 ms, not 8 s. */
	d.erase_deadline_ms = 300;
	img = merged();
	rc = dfuse_layout_parse(&layout, in->alts[0].name);
	check(img != NULL && rc == 0, "image-and-layout", "%s", last_msg());
	if (img == NULL || rc != 0)
		goto out;
	memset(&o, 0, sizeof(o));
	o.flags = DFUSE__DL_VERIFY | (bank2 ? DFUSE__DL_LEAVE : 0u);
	o.layout = layout;
	o.log = on_log;
	rc = dfuse__download(&res, NULL, &d, img, &o);
	check(rc == 0, bank2 ? "bank2-download" : "download", "%d: %s", rc,
	      last_msg());
	check(res.bytes_verified == CM7_SIZE + CM4_SIZE,
	      bank2 ? "bank2-verified" : "verified", "%" PRIu64 " bytes",
	      res.bytes_verified);
	if (bank2)
		check(res.sectors_recovered == 1 && res.left,
		      "bank2-recovered", "recovered %zu left %d",
		      res.sectors_recovered, res.left);
out:
	dfuse_layout_free(layout);
	dfuse_image_free(img);
	dfuse__usb_close(dev);
	dfuse__usb_session_free(u);
	return n_fail != 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--client") == 0)
		return client(argv[2]);
	return server();
}
