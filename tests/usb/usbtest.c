/*
 * usbtest.c - the H7 ROM model (tests/unit/h7model.c) behind real libusb,
 * through umockdev (issue 4, Tests section 2).
 *
 * One binary, two roles:
 *  - the server (no arguments): for each scenario it builds a umockdev
 *    testbed holding one USB device with the H7 ROM's descriptors
 *    (doc/sources.md, Observed), attaches an ioctl handler to
 *    /dev/bus/usb/001/002 that decodes the usbdevfs ioctls libusb issues and
 *    forwards DFU class requests on endpoint 0 to the model, then re-executes
 *    itself as the client under LD_PRELOAD=libumockdev-preload.so.0 and finally
 *    checks the model's flash;
 *  - the client (--client SCENARIO): usb_libusb.c enumerates, opens and
 *    downloads through the library, exactly as the tool will;
 *  - exec mode (--exec [OPTIONS] -- CMD ARGS...): the same testbed and
 *    model (faults, timings, flash, DFU state, option bytes, bootloader
 *    ID, descriptors, leave and reset behaviour from the options) behind
 *    any command, e.g. build/dfusetool; exits with CMD's status and prints
 *    one "model: erases=E dnloads=D clrstatus=C left=0xADDR|no ..." line
 *    to stderr for the shell cases in tests/usb/cli (usbtest --exec --help).
 * SET_INTERFACE is checked against the descriptors and recorded; a
 * USBDEVFS_RESET is the model's USB reset (h7model_usb_reset).
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
#include <sys/wait.h>
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
/* --second: another H7 ROM at 1-2 with its own model */
#define DEVNODE2 "/dev/bus/usb/001/003"
#define SERIAL2 "200364500001"
#define ALT0 H7MODEL_LAYOUT /* the model's descriptor strings */
#define ALT1 H7MODEL_OB_LAYOUT
#define CM7_BASE 0x08000000u
#define CM4_BASE 0x08100000u
#define CM7_SIZE (16u * 1024u)
#define CM4_SIZE (16u * 1024u)

static int n_fail;

static void check(int cond, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

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

static void fill_program(uint8_t *p, uint32_t address, size_t len, uint32_t sp,
			 uint32_t reset)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pat(address + (uint32_t)i);
	dfuse__put_le32(p, sp);
	dfuse__put_le32(p + 4, reset);
}

/* ======== Descriptors (doc/sources.md, Observed) ======== */

/* What the device descriptor set shows (usbtest --exec --no-alt1,
 * --alt1-string). */
struct look {
	int no_alt1;	  /* interface 0 has alt 0 only */
	const char *alt1; /* alt 1's interface string; NULL: ALT1 */
};

static size_t descriptors(uint8_t *d, const struct look *look)
{
	static const uint8_t dev[18] = {18,   1,    0x00, 0x02, 0,    0,
					0,    64,   0x83, 0x04, 0x11, 0xdf,
					0x00, 0x02, 1,	  2,	3,    1};
	/* Configuration, two alternate settings of interface 0 (DFU mode),
	 * then the functional descriptor after the last one, as ST's
	 * stacks lay it out.  bmAttributes 0x0B is INFERRED (the F4 ROM's
	 * value: download, upload, will detach); wDetachTimeOut 255. */
	static const uint8_t cfg[36] = {
		9, 2, 36,   0, 1,    1,	   0,	 0xc0, 50,   9,	   4,	 0,
		0, 0, 0xfe, 1, 2,    4,	   9,	 4,    0,    1,	   0,	 0xfe,
		1, 2, 5,    9, 0x21, 0x0b, 0xff, 0x00, 0x00, 0x04, 0x1a, 0x01};
	/* The same with alt 0 only: no alt 1, no string 5. */
	static const uint8_t cfg0[27] = {
		9, 2,	 27,   0,    1,	   1,	 0,    0xc0, 50,
		9, 4,	 0,    0,    0,	   0xfe, 1,    2,    4,
		9, 0x21, 0x0b, 0xff, 0x00, 0x00, 0x04, 0x1a, 0x01};

	memcpy(d, dev, sizeof(dev));
	if (look->no_alt1) {
		memcpy(d + sizeof(dev), cfg0, sizeof(cfg0));
		return sizeof(dev) + sizeof(cfg0);
	}
	memcpy(d + sizeof(dev), cfg, sizeof(cfg));
	return sizeof(dev) + sizeof(cfg);
}

static const char *string_of(unsigned index, const char *serial,
			     const struct look *look)
{
	switch (index) {
	case 1:
		return "STMicroelectronics";
	case 2:
		return "DFU in FS Mode";
	case 3:
		return serial;
	case 4:
		return ALT0;
	case 5:
		if (look->no_alt1)
			return NULL;
		return look->alt1 != NULL ? look->alt1 : ALT1;
	default:
		return NULL;
	}
}

/* ======== Server: the ioctl handler ======== */

struct server {
	struct h7model *m;
	const char *serial;	    /* iSerialNumber's string */
	struct look look;	    /* the descriptors it shows */
	int alt;		    /* the last SETINTERFACE's alt; -1 none */
	struct dfuse__transport mt; /* the model's transport */
	uint64_t synced_ms;	    /* real time of the last clock sync */
	GQueue reap;		    /* completed URBs (UMockdevIoctlData *) */
	unsigned long seen[64];	    /* distinct ioctl requests */
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
static int get_descriptor(uint8_t *out, uint16_t value, uint16_t len,
			  const struct server *s)
{
	uint8_t d[64];
	size_t n = 0;
	const unsigned type = value >> 8, index = value & 0xffu;

	if (type == 1) {
		descriptors(d, &s->look);
		n = 18;
	} else if (type == 2 && index == 0) {
		n = descriptors(d, &s->look) - 18;
		memmove(d, d + 18, n);
	} else if (type == 3) {
		uint8_t sd[256];
		const char *str = string_of(index, s->serial, &s->look);
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
static int control(struct server *s, uint8_t *buf, size_t buflen, int *status)
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
		rc = get_descriptor(buf + 8, value, len, s);
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
						    index, buf + 8, len, 2000);
		else
			rc = s->mt.ops->control_in(s->mt.ctx, req, value, index,
						   buf + 8, len, 2000);
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

/* SET_INTERFACE: interface 0, alt 0 or (unless --no-alt1) 1; another
 * fails with EINVAL, as the kernel's usb_set_interface() does for an alt
 * the configuration does not have. */
static void set_interface(struct server *s, UMockdevIoctlClient *client,
			  UMockdevIoctlData *arg)
{
	struct usbdevfs_setinterface si;
	UMockdevIoctlData *p =
		umockdev_ioctl_data_resolve(arg, 0, sizeof(si), NULL);

	if (p == NULL) {
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return;
	}
	memcpy(&si, p->data, sizeof(si));
	if (si.interface != 0 || si.altsetting > (s->look.no_alt1 ? 0u : 1u)) {
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	s->alt = (int)si.altsetting;
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

		UMockdevIoctlData *p =
			umockdev_ioctl_data_resolve(arg, 0, sizeof(caps), NULL);

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
	case USBDEVFS_SETINTERFACE:
		set_interface(s, client, arg);
		return TRUE;
	case USBDEVFS_RESET:
		/* A bus reset of the ROM (h7model.h); a device that is gone
		 * fails it as the kernel does. */
		if (h7model_usb_reset(s->m) == DFUSE__XFER_GONE)
			umockdev_ioctl_client_complete(client, -1, ENODEV);
		else
			umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_SETCONFIGURATION:
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

/* Adds the H7 ROM at bus 1, port `port`, device number `devnum`. */
static int add_device(UMockdevTestbed *tb, unsigned port, unsigned devnum,
		      const struct look *look)
{
	GString *g = g_string_new(NULL);
	GError *err = NULL;
	uint8_t d[64];
	const size_t n = descriptors(d, look);
	int ok;

	g_string_append_printf(g,
			       "P: /devices/pci0000:00/0000:00:14.0/usb1/1-%u\n"
			       "N: bus/usb/001/%03u=",
			       port, devnum);
	hexcat(g, d, n);
	g_string_append_printf(g,
			       "\nE: BUSNUM=001\nE: DEVNAME=/dev/bus/usb/001/"
			       "%03u\nE: DEVNUM=%03u\nE: DEVTYPE=usb_device\n"
			       "E: DRIVER=usb\nE: PRODUCT=483/df11/200\n"
			       "E: SUBSYSTEM=usb\n"
			       "A: bConfigurationValue=1\\n\n"
			       "A: bNumConfigurations=1\\n\n"
			       "A: busnum=1\\n\nA: devnum=%u\\n\n"
			       "A: idVendor=0483\\n\nA: idProduct=df11\\n\n"
			       "A: speed=12\\n\nH: descriptors=",
			       devnum, devnum, devnum);
	hexcat(g, d, n);
	g_string_append(g, "\n");
	ok = umockdev_testbed_add_from_string(tb, g->str, &err);
	if (!ok) {
		fprintf(stderr, "usbtest: testbed: %s\n", err->message);
		g_error_free(err);
	}
	g_string_free(g, TRUE);
	return ok ? 0 : -1;
}

static UMockdevTestbed *testbed(int second, const struct look *look)
{
	UMockdevTestbed *tb = umockdev_testbed_new();

	if (add_device(tb, 1, 2, look) != 0 ||
	    (second && add_device(tb, 2, 3, look) != 0)) {
		g_object_unref(tb);
		tb = NULL;
	}
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

/* The testbed, its ioctl handler and the model behind it. */
struct bed {
	struct server s;
	struct server s2; /* --second: the other device (model NULL if none) */
	UMockdevTestbed *tb;
	UMockdevIoctlBase *h, *h2;
};

static int server_init(struct server *s, const struct h7model_config *cfg,
		       const struct look *look, const char *serial)
{
	g_queue_init(&s->reap);
	s->serial = serial;
	s->look = *look;
	s->alt = -1;
	s->m = h7model_new(cfg);
	if (s->m == NULL)
		return -1;
	h7model_transport(&s->mt, s->m);
	s->synced_ms = real_ms();
	return 0;
}

static void server_free(struct server *s)
{
	while (!g_queue_is_empty(&s->reap))
		g_object_unref(g_queue_pop_head(&s->reap));
	h7model_free(s->m);
	s->m = NULL;
}

static int attach(struct bed *b, UMockdevIoctlBase **h, struct server *s,
		  const char *node, char *why, size_t whylen)
{
	GError *err = NULL;

	*h = umockdev_ioctl_base_new();
	g_signal_connect(*h, "handle-ioctl", G_CALLBACK(on_ioctl), s);
	if (!umockdev_testbed_attach_ioctl(b->tb, node, *h, &err)) {
		snprintf(why, whylen, "attach_ioctl %s: %s", node,
			 err->message);
		g_error_free(err);
		return -1;
	}
	return 0;
}

/* Sets up `b` with a model of config `cfg` showing descriptors `look`
 * (and, with `second`, another device with its own model); 0, or -1 with
 * *why. */
static int bed_open(struct bed *b, const struct h7model_config *cfg,
		    const struct look *look, int second, char *why,
		    size_t whylen)
{
	memset(b, 0, sizeof(*b));
	if (server_init(&b->s, cfg, look, SERIAL) != 0 ||
	    (second && server_init(&b->s2, cfg, look, SERIAL2) != 0)) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	b->tb = testbed(second, look);
	if (b->tb == NULL) {
		snprintf(why, whylen, "testbed");
		return -1;
	}
	if (attach(b, &b->h, &b->s, DEVNODE, why, whylen) != 0 ||
	    (second && attach(b, &b->h2, &b->s2, DEVNODE2, why, whylen) != 0))
		return -1;
	return 0;
}

static void bed_close(struct bed *b)
{
	if (b->tb != NULL && b->h != NULL)
		umockdev_testbed_detach_ioctl(b->tb, DEVNODE, NULL);
	if (b->tb != NULL && b->h2 != NULL)
		umockdev_testbed_detach_ioctl(b->tb, DEVNODE2, NULL);
	if (b->h != NULL)
		g_object_unref(b->h);
	if (b->h2 != NULL)
		g_object_unref(b->h2);
	if (b->tb != NULL)
		g_object_unref(b->tb);
	server_free(&b->s);
	server_free(&b->s2);
}

/* In the child before exec: prompt timers, or every forwarded ioctl costs
 * ~100 us (the slack is kept across execve). */
static void child_setup(gpointer payload)
{
	(void)payload;
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
}

/* Runs argv under the umockdev preload with the testbed's environment,
 * serving its ioctls until it exits; the wait status, or -1 with *why. */
static int run_child(char **argv, int search_path, char *why, size_t whylen)
{
	struct child c;
	GError *err = NULL;
	GPid pid;
	gchar **env;
	const char *pre;
	gchar *both = NULL;

	env = g_get_environ();
	/* Keep a preload the caller gave (e.g. a sanitizer's), after
	 * umockdev's. */
	pre = g_environ_getenv(env, "LD_PRELOAD");
	if (pre != NULL && *pre != '\0' &&
	    strstr(pre, "libumockdev-preload") == NULL)
		both = g_strdup_printf("libumockdev-preload.so.0 %s", pre);
	env = g_environ_setenv(env, "LD_PRELOAD",
			       both != NULL ? both : "libumockdev-preload.so.0",
			       TRUE);
	g_free(both);
	if (g_environ_getenv(env, "ASAN_OPTIONS") == NULL)
		env = g_environ_setenv(env, "ASAN_OPTIONS",
				       "verify_asan_link_order=0", TRUE);
	if (!g_spawn_async(NULL, argv, env,
			   G_SPAWN_DO_NOT_REAP_CHILD |
				   G_SPAWN_CHILD_INHERITS_STDIN |
				   (search_path ? G_SPAWN_SEARCH_PATH : 0),
			   child_setup, NULL, &pid, &err)) {
		snprintf(why, whylen, "spawn %s: %s", argv[0], err->message);
		g_error_free(err);
		g_strfreev(env);
		return -1;
	}
	g_strfreev(env);
	c.loop = g_main_loop_new(NULL, FALSE);
	c.status = -1;
	g_child_watch_add(pid, on_child, &c);
	g_main_loop_run(c.loop);
	g_main_loop_unref(c.loop);
	return c.status;
}

/* Runs the client for `scenario` against model config `cfg`; then `after`
 * checks the model. */
static void scenario(const char *name, const struct h7model_config *cfg,
		     void (*after)(struct server *s))
{
	struct bed b;
	char why[256];
	char *argv[4];
	int status;
	size_t i;

	const struct look look = {0, NULL};

	if (bed_open(&b, cfg, &look, 0, why, sizeof(why)) != 0) {
		check(0, name, "%s", why);
		goto out;
	}
	argv[0] = (char *)(uintptr_t) "/proc/self/exe";
	argv[1] = (char *)(uintptr_t) "--client";
	argv[2] = (char *)(uintptr_t)name;
	argv[3] = NULL;
	status = run_child(argv, 0, why, sizeof(why));
	if (status == -1) {
		check(0, name, "%s", why);
		goto out;
	}
	check(g_spawn_check_wait_status(status, NULL), name,
	      "client failed (wait status %d)", status);
	printf("     %s: ioctls:", name);
	for (i = 0; i < b.s.n_seen; i++) {
		const char *n = ioctl_name(b.s.seen[i]);

		if (n != NULL)
			printf(" %s x%u", n, b.s.counts[i]);
		else
			printf(" 0x%lx x%u", b.s.seen[i], b.s.counts[i]);
	}
	printf("\n");
	check(b.s.unknown == 0, name_unknown(name), "%zu unknown", b.s.unknown);
	if (after != NULL)
		after(&b.s);
out:
	bed_close(&b);
}

static int flash_has(struct server *s, uint32_t base, size_t len, uint32_t sp,
		     uint32_t reset)
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

/* ======== Exec mode: any command against the model ======== */

static const char exec_usage[] =
	"usage: usbtest --exec [OPTIONS] -- CMD [ARGS...]\n"
	"Runs CMD under LD_PRELOAD=libumockdev-preload.so.0 with one emulated\n"
	"STM32H7 ROM bootloader at " DEVNODE " (0483:df11, serial " SERIAL ",\n"
	"path 1-1) and exits with CMD's status (128+N for signal N; 127 when\n"
	"CMD cannot be run; 125 when "
	"the harness itself fails).  Then prints to stderr:\n"
	"  model: erases=E dnloads=D clrstatus=C left=0xADDRESS|no uploads=U"
	" aborts=A xfers=X state=S status=S alt=N resets=N data_uploads=N\n"
	"(uploads counts every UPLOAD, data_uploads those with wValue >= 2,\n"
	"not the Get command; alt is the alternate setting last selected by\n"
	"SET_INTERFACE, -1 if none; resets counts USB resets)\n"
	"options:\n"
	"  --bank2-bug          erases at or above 0x08100000 stay dfuDNBUSY\n"
	"  --second             a second H7 ROM at " DEVNODE2 " (serial\n"
	"                       " SERIAL2 ", path 1-2) with its own model;\n"
	"                       its counts follow as 'model2: ...'\n"
	"  --stall-at N         stall DFU transfer N (1-based)\n"
	"  --disconnect-at N    the device is gone from DFU transfer N on\n"
	"  --poll-ms N          bwPollTimeout while busy (default 1)\n"
	"  --erase-ms N         sector erase busy time, ms (default 5)\n"
	"  --mass-erase-ms N    mass erase busy time (default 20)\n"
	"  --program-ms N       busy time per data block (default 0)\n"
	"  --flash-in FILE      start from this 2 MiB flash image\n"
	"  --flash-out FILE     write the model's 2 MiB flash here afterwards\n"
	"  --state-in FILE      start in the DFU state of FILE: 'state=N "
	"status=N'\n"
	"  --state-out FILE     write the model's final state there, same "
	"form\n"
	"  --log FILE           one line per DFU transfer:\n"
	"                       N in|out REQUEST wValue wLength CMD|- RESULT\n"
	"option bytes (alt 1; factory values of RM0399 unless changed; these\n"
	"are applied in the order given, to --second's model too):\n"
	"  --rdp HEX            the RDP byte (0xAA level 0, 0xCC level 2, "
	"else\n"
	"                       level 1: reads, writes and erases refused)\n"
	"  --bcm7 0|1, --bcm4 0|1  the core boot enables (OPTSR bits 23, 22)\n"
	"  --swap-bank 0|1      SWAP_BANK_OPT and the OPTCR alias (word 0xFC)\n"
	"  --protect-sector N   write-protect sector N (0..15, 128 KiB each\n"
	"                       from 0x08000000); repeatable\n"
	"  --boot-cm7 ADDR      BOOT_CM7_ADD0 (a multiple of 0x10000; ADD1 "
	"kept)\n"
	"  --boot-cm4 ADDR      BOOT_CM4_ADD0 (the same)\n"
	"  --ob-in FILE         a raw block image of 1..308 bytes from\n"
	"                       0x5200201C replacing the model's first bytes\n"
	"  --ob-word OFF=VALUE  the raw word at block offset OFF (a multiple\n"
	"                       of 4 below 308); repeatable\n"
	"  --wrp-erase-silent   an erase of a protected sector answers OK and\n"
	"                       erases nothing, as AN3156 says (default:\n"
	"                       errERASE)\n"
	"  --ob-size N          bytes the ROM answers on the block (128..308,\n"
	"                       a multiple of 4; default 128)\n"
	"  --no-alt1            interface 0 has alt 0 only: no \"@Option "
	"Bytes\"\n"
	"                       string, SET_INTERFACE to alt 1 fails (EINVAL)\n"
	"  --alt1-string STR    alt 1's interface string (printable ASCII, at\n"
	"                       most 126) instead of\n"
	"                       \"" ALT1 "\"\n"
	"  --bootloader-id HEX|none  the byte at 0x1FF1E7FE in system memory\n"
	"                       (0x1FF00000-0x1FF1E7FF, readable, default "
	"0x92;\n"
	"                       other bytes there: the address's low byte);\n"
	"                       none: Set Address Pointer there is errTARGET\n"
	"leave and reset (see tests/unit/h7model.h):\n"
	"  --leave-mode MODE    how the GETSTATUS after the zero-length "
	"DNLOAD\n"
	"                       goes: manifest (default: answers dfuMANIFEST,\n"
	"                       then the device is gone), stall-gone (stalls,\n"
	"                       then gone), stall-stay (stalls; the device\n"
	"                       stays, the next GETSTATUS answers\n"
	"                       dfuMANIFEST-WAIT-RESET, all else stalls until\n"
	"                       a USB reset), gone (gone at the DNLOAD "
	"itself)\n"
	"  --reset-ignored      a USB reset changes nothing (by default it\n"
	"                       brings the ROM back to dfuIDLE at 0x08000000)\n"
	"DFU transfers are the class requests the model sees (GET_DESCRIPTOR\n"
	"is answered by the harness and not counted).\n";

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v > 0xffffffffUL ||
	    *s == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int read_flash(struct h7model *m, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	int extra;

	if (f == NULL) {
		fprintf(stderr, "usbtest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(h7model_flash(m), 1, H7MODEL_FLASH_SIZE, f);
	extra = fgetc(f);
	fclose(f);
	if (n != H7MODEL_FLASH_SIZE || extra != EOF) {
		fprintf(stderr, "usbtest: %s: not a %u-byte flash image\n",
			path, H7MODEL_FLASH_SIZE);
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n) {
		fprintf(stderr, "usbtest: %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "usbtest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int read_state(struct h7model *m, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[128], *p;
	uint32_t state = 0xffffffffu, status = 0, v;

	if (f == NULL) {
		fprintf(stderr, "usbtest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	for (p = strtok(line, " \t\n"); p != NULL; p = strtok(NULL, " \t\n")) {
		if (strncmp(p, "state=", 6) == 0 && parse_u32(p + 6, &v) == 0)
			state = v;
		else if (strncmp(p, "status=", 7) == 0 &&
			 parse_u32(p + 7, &v) == 0)
			status = v;
		else
			state = 0xffffffffu - 1;
	}
	if (state > 255 || status > 255) {
		fprintf(stderr, "usbtest: %s: expected 'state=N status=N'\n",
			path);
		return -1;
	}
	h7model_set_state(m, (uint8_t)state, (uint8_t)status);
	return 0;
}

static const char *request_name(unsigned r)
{
	static const char *const names[] = {
		"DETACH",    "DNLOAD",	 "UPLOAD", "GETSTATUS",
		"CLRSTATUS", "GETSTATE", "ABORT"};

	return r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

static int write_log(const struct h7model *m, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (f == NULL) {
		fprintf(stderr, "usbtest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < h7model_log_count(m); i++) {
		const struct h7model_xfer *x = h7model_log_entry(m, i);

		fprintf(f, "%zu %s %s %u %u ", i + 1, x->in ? "in" : "out",
			request_name(x->request), x->value, x->length);
		if (x->command >= 0)
			fprintf(f, "0x%02x", x->command);
		else
			fputc('-', f);
		fprintf(f, " %d\n", x->result);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "usbtest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void summary(const struct server *s, const char *name)
{
	const struct h7model *m = s->m;
	uint32_t to = 0;
	char left[16];

	if (h7model_left(m, &to))
		snprintf(left, sizeof(left), "0x%08" PRIx32, to);
	else
		snprintf(left, sizeof(left), "no");
	fprintf(stderr,
		"%s: erases=%zu dnloads=%zu clrstatus=%zu left=%s "
		"uploads=%zu aborts=%zu xfers=%zu state=%u status=%u alt=%d "
		"resets=%zu data_uploads=%zu\n",
		name, h7model_count_erases(m),
		h7model_count(m, DFUSE__DFU_DNLOAD, -1),
		h7model_count(m, DFUSE__DFU_CLRSTATUS, -1), left,
		h7model_count(m, DFUSE__DFU_UPLOAD, -1),
		h7model_count(m, DFUSE__DFU_ABORT, -1), h7model_log_count(m),
		h7model_state(m), h7model_status(m), s->alt, h7model_resets(m),
		h7model_count_data_uploads(m));
}

/* ---- The option-byte options, applied in order after the bed is set up */

enum ob_kind {
	OB_RDP,
	OB_BCM7,
	OB_BCM4,
	OB_SWAP,
	OB_PROTECT,
	OB_BOOT7,
	OB_BOOT4,
	OB_IN,
	OB_WORD
};

struct ob_op {
	enum ob_kind kind;
	uint32_t a, b;	  /* the value; OB_WORD: offset a, value b */
	const char *file; /* OB_IN */
};

#define MAX_OB_OPS 64

/* 1 when `o` is an option-byte option (its value `a` parsed into *op), 0
 * when it is not, -1 (said) when its value is bad. */
static int parse_ob(const char *o, const char *a, struct ob_op *op)
{
	static const struct {
		const char *name;
		enum ob_kind kind;
	} opts[] = {
		{"--rdp", OB_RDP},
		{"--bcm7", OB_BCM7},
		{"--bcm4", OB_BCM4},
		{"--swap-bank", OB_SWAP},
		{"--protect-sector", OB_PROTECT},
		{"--boot-cm7", OB_BOOT7},
		{"--boot-cm4", OB_BOOT4},
		{"--ob-in", OB_IN},
		{"--ob-word", OB_WORD},
	};
	const char *want = NULL;
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(o, opts[i].name) == 0)
			break;
	if (i == sizeof(opts) / sizeof(opts[0]))
		return 0;
	memset(op, 0, sizeof(*op));
	op->kind = opts[i].kind;
	if (a == NULL) {
		want = "a value";
		goto bad;
	}
	switch (op->kind) {
	case OB_RDP:
		if (parse_u32(a, &op->a) != 0 || op->a > 0xff)
			want = "a byte, e.g. 0xBB";
		break;
	case OB_BCM7:
	case OB_BCM4:
	case OB_SWAP:
		if (strcmp(a, "0") != 0 && strcmp(a, "1") != 0)
			want = "0 or 1";
		op->a = a[0] == '1';
		break;
	case OB_PROTECT:
		if (parse_u32(a, &op->a) != 0 || op->a > 15)
			want = "a sector number 0..15";
		break;
	case OB_BOOT7:
	case OB_BOOT4:
		/* BOOT_CMx_ADD0 holds address bits 31:16 (RM0399). */
		if (parse_u32(a, &op->a) != 0 || (op->a & 0xffffu) != 0)
			want = "an address that is a multiple of 0x10000";
		break;
	case OB_IN:
		op->file = a;
		break;
	case OB_WORD: {
		const char *eq = strchr(a, '=');
		char off[32];

		if (eq == NULL || (size_t)(eq - a) >= sizeof(off)) {
			want = "OFF=VALUE";
			break;
		}
		memcpy(off, a, (size_t)(eq - a));
		off[eq - a] = '\0';
		if (parse_u32(off, &op->a) != 0 || op->a % 4 != 0 ||
		    op->a > H7MODEL_OB_IMAGE_SIZE - 4 ||
		    parse_u32(eq + 1, &op->b) != 0)
			want = "OFF=VALUE, OFF a multiple of 4 below 308";
		break;
	}
	}
	if (want == NULL)
		return 1;
bad:
	fprintf(stderr, "usbtest: %s needs %s, not '%s'\n", o, want,
		a != NULL ? a : "");
	return -1;
}

/* Reads --ob-in's image (1..H7MODEL_OB_IMAGE_SIZE bytes) into `m`. */
static int read_ob(struct h7model *m, const char *path)
{
	uint8_t buf[H7MODEL_OB_IMAGE_SIZE + 1];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "usbtest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n == 0 || n > H7MODEL_OB_IMAGE_SIZE) {
		fprintf(stderr,
			"usbtest: %s: an option-byte image has 1 to %u bytes, "
			"this one %s\n",
			path, H7MODEL_OB_IMAGE_SIZE, n == 0 ? "none" : "more");
		return -1;
	}
	h7model_set_option_bytes(m, buf, n);
	return 0;
}

static int apply_ob(struct h7model *m, const struct ob_op *op)
{
	const uint32_t optsr = h7model_option_word(m, H7MODEL_OB_OPTSR_CUR);

	switch (op->kind) {
	case OB_RDP:
		h7model_set_rdp(m, (uint8_t)op->a);
		break;
	case OB_BCM7:
		h7model_set_bcm(m, (int)op->a,
				(optsr & H7MODEL_OPTSR_BCM4) != 0);
		break;
	case OB_BCM4:
		h7model_set_bcm(m, (optsr & H7MODEL_OPTSR_BCM7) != 0,
				(int)op->a);
		break;
	case OB_SWAP:
		h7model_set_swap_bank(m, (int)op->a);
		break;
	case OB_PROTECT:
		h7model_protect_sector(m, op->a);
		break;
	case OB_BOOT7:
		h7model_set_boot_cm7(
			m, op->a,
			h7model_option_word(m, H7MODEL_OB_BOOT7_CUR) &
				0xffff0000u);
		break;
	case OB_BOOT4:
		h7model_set_boot_cm4(
			m, op->a,
			h7model_option_word(m, H7MODEL_OB_BOOT4_CUR) &
				0xffff0000u);
		break;
	case OB_IN:
		return read_ob(m, op->file);
	case OB_WORD:
		h7model_set_option_word(m, op->a, op->b);
		break;
	}
	return 0;
}

static int parse_leave(const char *a, enum h7model_leave *out)
{
	static const char *const names[] = {"manifest", "stall-gone",
					    "stall-stay", "gone"};
	static const enum h7model_leave modes[] = {
		H7MODEL_LEAVE_MANIFEST, H7MODEL_LEAVE_STALL_GONE,
		H7MODEL_LEAVE_STALL_STAY, H7MODEL_LEAVE_GONE};
	size_t i;

	for (i = 0; a != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(a, names[i]) == 0) {
			*out = modes[i];
			return 0;
		}
	return -1;
}

/* --alt1-string: printable ASCII that fits a string descriptor. */
static int alt1_string_ok(const char *str)
{
	size_t i;

	for (i = 0; str[i] != '\0'; i++)
		if (str[i] < 0x20 || str[i] > 0x7e)
			return 0;
	return i <= 126;
}

static int exec_mode(int argc, char **argv)
{
	struct h7model_config cfg;
	const char *flash_in = NULL, *flash_out = NULL, *state_in = NULL;
	const char *state_out = NULL, *log = NULL;
	int second = 0;
	struct look look = {0, NULL};
	struct ob_op ops[MAX_OB_OPS];
	size_t n_ops = 0, k;
	struct bed b;
	char why[512], st[64];
	int i, status, rc = 125, is_ob;
	uint32_t v;

	fast_config(&cfg);
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *o = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;
		uint32_t *num = NULL;
		size_t *count = NULL;
		const char **file = NULL;

		if (n_ops == MAX_OB_OPS) {
			fprintf(stderr,
				"usbtest: more than %d option-byte "
				"options\n",
				MAX_OB_OPS);
			return 125;
		}
		is_ob = parse_ob(o, a, &ops[n_ops]);
		if (is_ob < 0)
			return 125;
		if (is_ob > 0) {
			n_ops++;
			i++;
			continue;
		}
		if (strcmp(o, "--no-alt1") == 0) {
			look.no_alt1 = 1;
			continue;
		} else if (strcmp(o, "--alt1-string") == 0) {
			if (a == NULL || !alt1_string_ok(a)) {
				fprintf(stderr,
					"usbtest: --alt1-string needs printable"
					" ASCII of at most 126 characters\n");
				return 125;
			}
			look.alt1 = a;
			i++;
			continue;
		} else if (strcmp(o, "--ob-size") == 0) {
			if (a == NULL || parse_u32(a, &v) != 0 || v < 128 ||
			    v > H7MODEL_OB_IMAGE_SIZE || v % 4 != 0) {
				fprintf(stderr,
					"usbtest: --ob-size needs 128..%u, a "
					"multiple of 4\n",
					H7MODEL_OB_IMAGE_SIZE);
				return 125;
			}
			cfg.ob_size = (uint16_t)v;
			i++;
			continue;
		} else if (strcmp(o, "--bootloader-id") == 0) {
			if (a != NULL && strcmp(a, "none") == 0) {
				cfg.bootloader_id_readable = 0;
			} else if (a == NULL || parse_u32(a, &v) != 0 ||
				   v > 0xff) {
				fprintf(stderr, "usbtest: --bootloader-id "
						"needs a byte or 'none'\n");
				return 125;
			} else {
				cfg.bootloader_id_readable = 1;
				cfg.bootloader_id = (uint8_t)v;
			}
			i++;
			continue;
		} else if (strcmp(o, "--wrp-erase-silent") == 0) {
			cfg.wrp_erase_silent = 1;
			continue;
		} else if (strcmp(o, "--reset-ignored") == 0) {
			cfg.reset_ignored = 1;
			continue;
		} else if (strcmp(o, "--leave-mode") == 0) {
			if (parse_leave(a, &cfg.leave_mode) != 0) {
				fprintf(stderr,
					"usbtest: --leave-mode needs manifest, "
					"stall-gone, stall-stay or gone\n");
				return 125;
			}
			i++;
			continue;
		} else if (strcmp(o, "--bank2-bug") == 0) {
			cfg.stuck_erase = 1;
			continue;
		} else if (strcmp(o, "--second") == 0) {
			second = 1;
			continue;
		} else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
			fputs(exec_usage, stdout);
			return 0;
		} else if (strcmp(o, "--stall-at") == 0) {
			count = &cfg.stall_at;
		} else if (strcmp(o, "--disconnect-at") == 0) {
			count = &cfg.disconnect_at;
		} else if (strcmp(o, "--poll-ms") == 0) {
			num = &cfg.poll_ms;
		} else if (strcmp(o, "--erase-ms") == 0) {
			num = &cfg.erase_ms;
		} else if (strcmp(o, "--mass-erase-ms") == 0) {
			num = &cfg.mass_erase_ms;
		} else if (strcmp(o, "--program-ms") == 0) {
			num = &cfg.program_ms;
		} else if (strcmp(o, "--flash-in") == 0) {
			file = &flash_in;
		} else if (strcmp(o, "--flash-out") == 0) {
			file = &flash_out;
		} else if (strcmp(o, "--state-in") == 0) {
			file = &state_in;
		} else if (strcmp(o, "--state-out") == 0) {
			file = &state_out;
		} else if (strcmp(o, "--log") == 0) {
			file = &log;
		} else {
			fprintf(stderr, "usbtest: unknown option '%s'\n%s", o,
				exec_usage);
			return 125;
		}
		if (a == NULL ||
		    ((num != NULL || count != NULL) && parse_u32(a, &v) != 0)) {
			fprintf(stderr, "usbtest: %s needs %s\n", o,
				file != NULL ? "a file" : "a number");
			return 125;
		}
		if (num != NULL)
			*num = v;
		else if (count != NULL)
			*count = v;
		else
			*file = a;
		i++;
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usbtest: no command after --\n%s", exec_usage);
		return 125;
	}
	if (bed_open(&b, &cfg, &look, second, why, sizeof(why)) != 0) {
		fprintf(stderr, "usbtest: %s\n", why);
		goto out;
	}
	for (k = 0; k < n_ops; k++)
		if (apply_ob(b.s.m, &ops[k]) != 0 ||
		    (b.s2.m != NULL && apply_ob(b.s2.m, &ops[k]) != 0))
			goto out;
	if ((flash_in != NULL && read_flash(b.s.m, flash_in) != 0) ||
	    (state_in != NULL && read_state(b.s.m, state_in) != 0))
		goto out;
	status = run_child(argv + i + 1, 1, why, sizeof(why));
	if (status == -1) {
		fprintf(stderr, "usbtest: %s\n", why);
		rc = 127;
		goto out;
	}
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		rc = 128 + WTERMSIG(status);
	summary(&b.s, "model");
	if (b.s2.m != NULL)
		summary(&b.s2, "model2");
	if (b.s.unknown != 0)
		fprintf(stderr, "usbtest: %zu unknown ioctls\n", b.s.unknown);
	snprintf(st, sizeof(st), "state=%u status=%u\n", h7model_state(b.s.m),
		 h7model_status(b.s.m));
	if ((flash_out != NULL && write_file(flash_out, h7model_flash(b.s.m),
					     H7MODEL_FLASH_SIZE) != 0) ||
	    (state_out != NULL && write_file(state_out, st, strlen(st)) != 0) ||
	    (log != NULL && write_log(b.s.m, log) != 0))
		rc = 125;
out:
	bed_close(&b);
	return rc;
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
	struct dfuse__dfu d;
	struct dfuse__dfu_status st;
	dfuse_download_options o = DFUSE_DOWNLOAD_OPTIONS_INIT;
	dfuse_download_result res = DFUSE_DOWNLOAD_RESULT_INIT;
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
	rc = dfuse__usb_open(&dev, u, 0, 0);
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
	/* The profile's timing, as usb_api.c sets it, except that the stuck
	 * erase is given up on after 300 ms, not 4 s. */
	dfuse__erase_timing(&d, NULL);
	d.stuck_deadline_ms = 300;
	img = merged();
	rc = dfuse_layout_parse(&layout, in->alts[0].name);
	check(img != NULL && rc == 0, "image-and-layout", "%s", last_msg());
	if (img == NULL || rc != 0)
		goto out;
	o.flags = DFUSE_DOWNLOAD_VERIFY | (bank2 ? DFUSE_DOWNLOAD_LEAVE : 0u);
	o.log = on_log;
	rc = dfuse__download(&res, NULL, &d, img, &o, layout, NULL);
	check(rc == 0, bank2 ? "bank2-download" : "download", "%d: %s", rc,
	      last_msg());
	check(res.bytes_verified == CM7_SIZE + CM4_SIZE,
	      bank2 ? "bank2-verified" : "verified", "%" PRIu64 " bytes",
	      res.bytes_verified);
	if (bank2)
		check(res.sectors_recovered == 1 && res.left, "bank2-recovered",
		      "recovered %zu left %d", res.sectors_recovered, res.left);
out:
	dfuse_layout_free(layout);
	dfuse_image_free(img);
	dfuse__usb_close(dev);
	dfuse__usb_session_free(u);
	return n_fail != 0;
}

int main(int argc, char **argv)
{
	/* Prompt wake-ups in the server too (each ioctl is a round trip). */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (argc >= 2 && strcmp(argv[1], "--exec") == 0)
		return exec_mode(argc, argv);
	if (argc == 3 && strcmp(argv[1], "--client") == 0)
		return client(argv[2]);
	return server();
}
