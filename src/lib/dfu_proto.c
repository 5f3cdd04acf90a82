/*
 * dfu_proto.c - DFU 1.1 requests and DfuSe commands over struct
 * dfuse__transport (doc/sources.md, Architecture: depends on transport.h, never
 * on libusb).
 *
 * ======== Requests (DFU 1.1 section 3; AN3156) ========
 *
 *   request        bRequest  dir  wValue      data
 *   DFU_DETACH       0x00    OUT  timeout     -          (not used: the H7
 *                                                        ROM is DFU-only)
 *   DFU_DNLOAD       0x01    OUT  wBlockNum   block / DfuSe command
 *   DFU_UPLOAD       0x02    IN   wBlockNum   block
 *   DFU_GETSTATUS    0x03    IN   0           6 bytes: bStatus,
 *                                             bwPollTimeout (24-bit LE, ms),
 *                                             bState, iString
 *   DFU_CLRSTATUS    0x04    OUT  0           -
 *   DFU_GETSTATE     0x05    IN   0           1 byte: bState
 *   DFU_ABORT        0x06    OUT  0           -
 *
 *   bmRequestType 0x21 (OUT) / 0xA1 (IN), wIndex = interface, endpoint 0.
 *
 * ======== DfuSe commands: DNLOAD with wValue 0 (AN3156 section 6) ========
 *
 *   0x21 a0 a1 a2 a3   Set Address Pointer (LE32)
 *   0x41 a0 a1 a2 a3   Erase the page/sector holding the address; we send
 *                      the sector base, as STM32CubeProgrammer does
 *   0x41               Mass erase (broken on H7 ROM V13.3, AN2606 Table 136)
 *   0x92               Read Unprotect (not used: it wipes the device)
 *   UPLOAD wValue 0    Get: the command list (0x00 0x21 0x41 0x92)
 *
 *   Data: DNLOAD/UPLOAD with wBlockNum >= 2 at
 *         address = (wBlockNum - 2) x wTransferSize + Address_Pointer.
 *   A command or block only runs when GETSTATUS is issued: the first reply
 *   is dfuDNBUSY, the next ones say the result (AN3156 section 6.1).
 *   Leave: a zero-length DNLOAD then GETSTATUS (dfuMANIFEST); the ROM
 *   then disconnects and jumps to the pointer's vector table.
 *
 * ======== States as this file drives them (DFU 1.1 appendix A.2) ========
 *
 *   dfuIDLE(2) --DNLOAD--> dfuDNLOAD-SYNC(3) --GETSTATUS--> dfuDNBUSY(4)
 *       ^                        ^                 | bwPollTimeout,
 *       |                        |                 v GETSTATUS
 *       |                     DNLOAD <--- dfuDNLOAD-IDLE(5)
 *       +---------ABORT------------------------+
 *   dfuIDLE --UPLOAD--> dfuUPLOAD-IDLE(9) --UPLOAD--> ... --ABORT--> dfuIDLE
 *   dfuDNLOAD-IDLE --DNLOAD(len 0)--> dfuMANIFEST-SYNC(6) --GETSTATUS-->
 *       dfuMANIFEST(7) -> disconnect, jump
 *   any error -> dfuERROR(10) --CLRSTATUS--> dfuIDLE
 *
 *   A stall of the GETSTATUS after the leave DNLOAD is "left" only when
 *   the device is gone at one more GETSTATUS; still there, the leave is
 *   unconfirmed.  A device found in a manifestation state at the start of
 *   a command gets a USB reset (dfuse__dfu_unstick()).
 *
 *   errVENDOR, whatever the request, is the ROM's refusal under read
 *   protection (AN3156): DFUSE_EPROTECTED, with words.
 *
 *   H7 bank-2 erase bug (AN2606 Table 136, BL V9.1): after an erase
 *   at or above 0x08100000 the ROM may answer dfuDNBUSY forever.  The sector
 *   is erased.  CLRSTATUS -> (errUNKNOWN, dfuERROR); CLRSTATUS -> (OK,
 *   dfuIDLE).  dfuse__dfu_erase() does that past the deadline when the
 *   caller enables it, and says so, so that the caller reads the sector
 *   back.
 */
#include "dfu_proto.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "err.h"

/* ======== Names ======== */

static const char *const state_names[] = {
	"appIDLE",	    "appDETACH",   "dfuIDLE",
	"dfuDNLOAD-SYNC",   "dfuDNBUSY",   "dfuDNLOAD-IDLE",
	"dfuMANIFEST-SYNC", "dfuMANIFEST", "dfuMANIFEST-WAIT-RESET",
	"dfuUPLOAD-IDLE",   "dfuERROR",
};

struct status_words {
	const char *name;
	const char *text;
};

/* DFU 1.1 table 6.1, lower-cased; DfuSe meanings in brackets (AN3156). */
static const struct status_words status_words[] = {
	{"OK", "no error"},
	{"errTARGET", "the file or address is not for this device"},
	{"errFILE", "the file fails a vendor-specific check"},
	{"errWRITE", "the device is unable to write memory"},
	{"errERASE", "the memory erase failed"},
	{"errCHECK_ERASED", "the memory erase check failed"},
	{"errPROG", "programming the memory failed"},
	{"errVERIFY", "the programmed memory failed verification"},
	{"errADDRESS", "the address is out of range"},
	{"errNOTDONE", "a zero-length DNLOAD came before all the data"},
	{"errFIRMWARE", "the firmware is corrupt"},
	{"errVENDOR", "a vendor-specific error (DfuSe: read or write "
		      "protection)"},
	{"errUSBR", "an unexpected USB reset"},
	{"errPOR", "an unexpected power-on reset"},
	{"errUNKNOWN", "an unknown error"},
	{"errSTALLEDPKT", "the device stalled an unexpected request"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *dfuse__dfu_state_name(unsigned state)
{
	return state < COUNT(state_names) ? state_names[state]
					  : "unknown state";
}

const char *dfuse__dfu_status_name(unsigned status)
{
	return status < COUNT(status_words) ? status_words[status].name
					    : "unknown status";
}

const char *dfuse__dfu_status_text(unsigned status)
{
	return status < COUNT(status_words) ? status_words[status].text
					    : "a status outside DFU 1.1";
}

/* ======== Parsers ======== */

int dfuse__dfu_parse_status(struct dfuse__dfu_status *out, const uint8_t *buf,
			    size_t len)
{
	if (len < DFUSE__DFU_STATUS_SIZE)
		return dfuse__error(DFUSE_EUSB,
				    "GETSTATUS: short reply of %zu bytes, "
				    "expected %d",
				    len, DFUSE__DFU_STATUS_SIZE);
	out->status = buf[0];
	out->poll_ms = (uint32_t)buf[1] | (uint32_t)buf[2] << 8 |
		       (uint32_t)buf[3] << 16;
	out->state = buf[4];
	out->string = buf[5];
	return 0;
}

int dfuse__dfu_parse_functional(struct dfuse__dfu_functional *out,
				const uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const size_t left = len - off;
		const uint8_t *p = buf + off;
		const size_t blen = p[0];

		if (left < 2 || blen < 2)
			return dfuse__error(DFUSE_EFORMAT,
					    "descriptor at offset %zu: "
					    "bLength %zu is too short",
					    off, left < 2 ? left : blen);
		if (blen > left)
			return dfuse__error(DFUSE_EFORMAT,
					    "descriptor at offset %zu: "
					    "bLength %zu runs past the %zu "
					    "bytes left",
					    off, blen, left);
		if (p[1] == DFUSE__DFU_FUNC_DESC_TYPE) {
			if (blen < 7)
				return dfuse__error(
					DFUSE_EFORMAT,
					"DFU functional descriptor at offset "
					"%zu: bLength %zu, expected 7 or 9",
					off, blen);
			out->attributes = p[2];
			out->detach_timeout = dfuse__get_le16(p + 3);
			out->transfer_size = dfuse__get_le16(p + 5);
			out->dfu_version =
				blen >= 9 ? dfuse__get_le16(p + 7) : 0x0100;
			if (out->transfer_size == 0)
				return dfuse__error(
					DFUSE_EFORMAT,
					"DFU functional descriptor at offset "
					"%zu: wTransferSize is 0",
					off);
			return 0;
		}
		off += blen;
	}
	return dfuse__error(DFUSE_ENOTFOUND,
			    "no DFU functional descriptor (type 0x21) in %zu "
			    "bytes of descriptors",
			    len);
}

/* ======== Transfers ======== */

void dfuse__dfu_init(struct dfuse__dfu *d, const struct dfuse__transport *t,
		     uint16_t transfer_size)
{
	memset(d, 0, sizeof(*d));
	d->t = t;
	d->transfer_size = transfer_size;
	d->ctrl_timeout_ms = DFUSE__DFU_CTRL_TIMEOUT_MS;
	d->erase_deadline_ms = DFUSE__DFU_ERASE_DEADLINE_MS;
	d->stuck_deadline_ms = DFUSE__DFU_STUCK_DEADLINE_MS;
	d->mass_erase_deadline_ms = DFUSE__DFU_MASS_ERASE_DEADLINE_MS;
	d->block_deadline_ms = DFUSE__DFU_BLOCK_DEADLINE_MS;
	d->command_deadline_ms = DFUSE__DFU_COMMAND_DEADLINE_MS;
}

static int out_req(const struct dfuse__dfu *d, uint8_t request, uint16_t value,
		   const uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	return d->t->ops->control_out(d->t->ctx, request, value,
				      d->t->interface, data, len, timeout_ms);
}

static int in_req(const struct dfuse__dfu *d, uint8_t request, uint16_t value,
		  uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	return d->t->ops->control_in(d->t->ctx, request, value, d->t->interface,
				     data, len, timeout_ms);
}

static uint64_t now(const struct dfuse__dfu *d)
{
	return d->t->ops->now_ms(d->t->ctx);
}

/* GETSTATUS without turning transport results into errors: returns the
 * bytes received (DFUSE__DFU_STATUS_SIZE for a good reply, which fills
 * *out) or a negative enum dfuse__xfer_result. */
static int status_raw(struct dfuse__dfu_status *out, const struct dfuse__dfu *d,
		      unsigned timeout_ms)
{
	uint8_t buf[DFUSE__DFU_STATUS_SIZE];
	const int rc = in_req(d, DFUSE__DFU_GETSTATUS, 0, buf, sizeof(buf),
			      timeout_ms);

	if (rc == DFUSE__DFU_STATUS_SIZE)
		(void)dfuse__dfu_parse_status(out, buf, sizeof(buf));
	return rc;
}

/*
 * After a stall: a DFU device stalls a request it refuses and goes to
 * dfuERROR.  Ask why and clear it (best effort).  Returns 1 and fills
 * *st when the device said something more specific than errSTALLEDPKT.
 */
static int ask_why(struct dfuse__dfu_status *st, const struct dfuse__dfu *d)
{
	int rc = status_raw(st, d, d->ctrl_timeout_ms);

	if (rc != DFUSE__DFU_STATUS_SIZE || st->state != DFUSE__DFU_ERROR)
		return 0;
	(void)out_req(d, DFUSE__DFU_CLRSTATUS, 0, NULL, 0, d->ctrl_timeout_ms);
	return st->status != DFUSE__DFU_OK &&
	       st->status != DFUSE__DFU_ERR_STALLEDPKT;
}

/*
 * errVENDOR is how the DfuSe ROM refuses reads, writes and erases while
 * read protection is on (AN3156, "protection enabled": dfuERROR with
 * errVENDOR): DFUSE_EPROTECTED with words, whatever the request; every
 * other device status is DFUSE_EDEVICE.
 */
static int status_code(uint8_t status)
{
	return status == DFUSE__DFU_ERR_VENDOR ? DFUSE_EPROTECTED
					       : DFUSE_EDEVICE;
}

static const char *status_hint(uint8_t status)
{
	return status == DFUSE__DFU_ERR_VENDOR
		       ? ": read protection (RDP level 1) is active, and the "
			 "ROM bootloader refuses to read, write or erase the "
			 "memory while it is"
		       : "";
}

/* Turns a negative transport result of the request `what` into an error. */
static int fail(const struct dfuse__dfu *d, int xrc, const char *what,
		unsigned timeout_ms)
{
	struct dfuse__dfu_status st;
	const char *detail = NULL;

	switch (xrc) {
	case DFUSE__XFER_STALL:
		if (ask_why(&st, d))
			return dfuse__error(
				status_code(st.status),
				"%s: the device stalled the request and "
				"reported %s (%s), state dfuERROR; cleared "
				"with CLRSTATUS%s",
				what, dfuse__dfu_status_name(st.status),
				dfuse__dfu_status_text(st.status),
				status_hint(st.status));
		return dfuse__error(DFUSE_EUSB,
				    "%s: the device stalled the request", what);
	case DFUSE__XFER_GONE:
		return dfuse__error(DFUSE_EUSB, "%s: the device disconnected",
				    what);
	case DFUSE__XFER_TIMEOUT:
		return dfuse__error(DFUSE_ETIMEOUT,
				    "%s: no answer within %u ms", what,
				    timeout_ms);
	default:
		if (d->t->ops->last_error != NULL)
			detail = d->t->ops->last_error(d->t->ctx);
		if (detail != NULL)
			return dfuse__error(DFUSE_EUSB,
					    "%s: USB transfer failed: %s", what,
					    detail);
		return dfuse__error(DFUSE_EUSB,
				    "%s: USB transfer failed (result %d)", what,
				    xrc);
	}
}

/* status_raw() with its results turned into errors. */
static int get_status(struct dfuse__dfu_status *out, const struct dfuse__dfu *d,
		      unsigned timeout_ms)
{
	int rc = status_raw(out, d, timeout_ms);

	if (rc < 0)
		return fail(d, rc, "GETSTATUS", timeout_ms);
	if (rc != DFUSE__DFU_STATUS_SIZE)
		return dfuse__error(DFUSE_EUSB,
				    "GETSTATUS: short reply of %d bytes, "
				    "expected %d",
				    rc, DFUSE__DFU_STATUS_SIZE);
	return 0;
}

int dfuse__dfu_get_status(struct dfuse__dfu_status *out,
			  const struct dfuse__dfu *d)
{
	return get_status(out, d, d->ctrl_timeout_ms);
}

static int simple_out(const struct dfuse__dfu *d, uint8_t request,
		      const char *what)
{
	const int rc = out_req(d, request, 0, NULL, 0, d->ctrl_timeout_ms);

	return rc < 0 ? fail(d, rc, what, d->ctrl_timeout_ms) : 0;
}

int dfuse__dfu_clear_status(const struct dfuse__dfu *d)
{
	return simple_out(d, DFUSE__DFU_CLRSTATUS, "CLRSTATUS");
}

int dfuse__dfu_abort(const struct dfuse__dfu *d)
{
	return simple_out(d, DFUSE__DFU_ABORT, "ABORT");
}

/* ======== Waiting ======== */

static int is_busy(uint8_t state)
{
	return state == DFUSE__DFU_DNLOAD_SYNC || state == DFUSE__DFU_DNBUSY ||
	       state == DFUSE__DFU_MANIFEST_SYNC;
}

/* dfuse__dfu_wait(); *stuck is set only when the deadline passed with the
 * device still answering "busy" (not on a transport timeout). */
static int wait_busy(struct dfuse__dfu_status *out, int *stuck,
		     const struct dfuse__dfu *d, uint32_t deadline_ms)
{
	const uint64_t start = now(d);
	uint64_t limit = deadline_ms; /* + the first bwPollTimeout */
	int first = 1;

	*stuck = 0;

	for (;;) {
		uint64_t elapsed = now(d) - start;
		const uint64_t left = elapsed < limit ? limit - elapsed : 0;
		const uint64_t tmo = d->ctrl_timeout_ms + left;
		int rc;

		/* The ROM holds the GETSTATUS reply while the flash is
		 * busy (a CubeProgrammer log: ~0.9 s per sector before "state
		 * 4"): the transfer timeout covers what is left of the
		 * deadline. */
		rc = get_status(out, d,
				tmo > UINT32_MAX ? UINT32_MAX : (unsigned)tmo);
		if (rc < 0)
			return rc;
		if (!is_busy(out->state))
			return 0;
		if (first) {
			limit += out->poll_ms;
			first = 0;
		}
		elapsed = now(d) - start;
		if (elapsed >= limit) {
			*stuck = 1;
			return dfuse__error(
				DFUSE_ETIMEOUT,
				"the device is still %s after "
				"%" PRIu64 " ms (deadline %" PRIu32
				" ms + bwPollTimeout %" PRIu64 " ms)",
				dfuse__dfu_state_name(out->state), elapsed,
				deadline_ms, limit - deadline_ms);
		}
		d->t->ops->sleep_ms(d->t->ctx,
				    out->poll_ms > 0 ? out->poll_ms : 1);
	}
}

int dfuse__dfu_wait(struct dfuse__dfu_status *out, const struct dfuse__dfu *d,
		    uint32_t deadline_ms)
{
	int stuck;

	return wait_busy(out, &stuck, d, deadline_ms);
}

/* A device in dfuERROR after `what`: clear it and say what it reported. */
static int device_error(const struct dfuse__dfu *d,
			const struct dfuse__dfu_status *st, const char *what)
{
	const int rc = out_req(d, DFUSE__DFU_CLRSTATUS, 0, NULL, 0,
			       d->ctrl_timeout_ms);

	return dfuse__error(status_code(st->status),
			    "%s: the device reported %s (%s), state %s%s%s",
			    what, dfuse__dfu_status_name(st->status),
			    dfuse__dfu_status_text(st->status),
			    dfuse__dfu_state_name(st->state),
			    rc < 0 ? "; CLRSTATUS failed"
				   : "; cleared with CLRSTATUS",
			    status_hint(st->status));
}

/* After wait: the command must have ended in dfuDNLOAD-IDLE. */
static int check_done(const struct dfuse__dfu *d,
		      const struct dfuse__dfu_status *st, const char *what)
{
	if (st->state == DFUSE__DFU_ERROR || st->status != DFUSE__DFU_OK)
		return device_error(d, st, what);
	if (st->state != DFUSE__DFU_DNLOAD_IDLE)
		return dfuse__error(DFUSE_EDEVICE,
				    "%s: the device went to %s, expected "
				    "dfuDNLOAD-IDLE",
				    what, dfuse__dfu_state_name(st->state));
	return 0;
}

/* A DNLOAD already sent for `what`: poll it to the end. */
static int finish(const struct dfuse__dfu *d, uint32_t deadline_ms,
		  const char *what)
{
	struct dfuse__dfu_status st;
	const int rc = dfuse__dfu_wait(&st, d, deadline_ms);

	if (rc < 0)
		return dfuse__error_prefix("%s: ", what);
	return check_done(d, &st, what);
}

/* ======== Entering a known state ======== */

int dfuse__dfu_enter_idle(struct dfuse__dfu_status *found_out,
			  const struct dfuse__dfu *d)
{
	struct dfuse__dfu_status st;
	int i, rc, stuck;

	for (i = 0; i < 4; i++) {
		rc = dfuse__dfu_get_status(&st, d);
		if (rc < 0)
			return rc;
		if (i == 0 && found_out != NULL)
			*found_out = st;
		switch (st.state) {
		case DFUSE__DFU_IDLE:
			return 0;
		case DFUSE__DFU_ERROR:
			DFUSE__TRY(dfuse__dfu_clear_status(d));
			break;
		case DFUSE__DFU_DNLOAD_IDLE:
		case DFUSE__DFU_UPLOAD_IDLE:
			DFUSE__TRY(dfuse__dfu_abort(d));
			break;
		case DFUSE__DFU_DNLOAD_SYNC:
		case DFUSE__DFU_DNBUSY:
			/* An interrupted erase may still be running. */
			rc = wait_busy(&st, &stuck, d,
				       d->stuck_recovery
					       ? d->stuck_deadline_ms
					       : d->erase_deadline_ms);
			if (rc == DFUSE_ETIMEOUT && stuck && d->stuck_recovery)
				DFUSE__TRY(dfuse__dfu_clear_status(d));
			else if (rc < 0)
				return rc;
			break;
		case DFUSE__DFU_APP_IDLE:
		case DFUSE__DFU_APP_DETACH:
			return dfuse__error(DFUSE_EDEVICE,
					    "the device is in %s: run-time "
					    "mode, not DFU mode",
					    dfuse__dfu_state_name(st.state));
		default:
			return dfuse__error(DFUSE_EDEVICE,
					    "the device is in %s (%s); cannot "
					    "bring it to dfuIDLE",
					    dfuse__dfu_state_name(st.state),
					    dfuse__dfu_status_name(st.status));
		}
	}
	return dfuse__error(DFUSE_EDEVICE,
			    "the device did not reach dfuIDLE: still %s (%s) "
			    "after %d attempts",
			    dfuse__dfu_state_name(st.state),
			    dfuse__dfu_status_name(st.status), i);
}

/* ======== DfuSe commands ======== */

/* Sends a DfuSe command of len bytes and polls it to the end. */
static int command(const struct dfuse__dfu *d, const uint8_t *cmd, uint16_t len,
		   uint32_t deadline_ms, const char *what)
{
	const int rc =
		out_req(d, DFUSE__DFU_DNLOAD, 0, cmd, len, d->ctrl_timeout_ms);

	if (rc < 0)
		return fail(d, rc, what, d->ctrl_timeout_ms);
	return finish(d, deadline_ms, what);
}

int dfuse__dfu_set_address(const struct dfuse__dfu *d, uint32_t address)
{
	uint8_t cmd[5];
	char what[64];

	cmd[0] = DFUSE__DFUSE_SET_ADDRESS;
	dfuse__put_le32(cmd + 1, address);
	snprintf(what, sizeof(what), "set address pointer to 0x%08" PRIX32,
		 address);
	return command(d, cmd, sizeof(cmd), d->command_deadline_ms, what);
}

/*
 * The H7 bank-2 recovery: CLRSTATUS until dfuIDLE, at most twice.  The H7
 * answers (errUNKNOWN, dfuERROR) to the first and (OK, dfuIDLE) to the
 * second (doc/sources.md, Observed).
 */
static int recover(const struct dfuse__dfu *d, const char *what,
		   uint64_t waited)
{
	struct dfuse__dfu_status st;
	int i, rc;

	for (i = 1; i <= 2; i++) {
		rc = out_req(d, DFUSE__DFU_CLRSTATUS, 0, NULL, 0,
			     d->ctrl_timeout_ms);
		if (rc < 0) {
			fail(d, rc, "CLRSTATUS", d->ctrl_timeout_ms);
			return dfuse__error_prefix(
				"%s: stuck in dfuDNBUSY, recovery %d of 2: ",
				what, i);
		}
		rc = get_status(&st, d, d->ctrl_timeout_ms);
		if (rc < 0)
			return dfuse__error_prefix(
				"%s: stuck in dfuDNBUSY, recovery %d of 2: ",
				what, i);
		if (st.state == DFUSE__DFU_IDLE)
			return 0;
	}
	return dfuse__error(DFUSE_ETIMEOUT,
			    "%s: still dfuDNBUSY after %" PRIu64
			    " ms, and two CLRSTATUS left it in %s (%s), not "
			    "dfuIDLE",
			    what, waited, dfuse__dfu_state_name(st.state),
			    dfuse__dfu_status_name(st.status));
}

static int erase(unsigned *flags_out, const struct dfuse__dfu *d,
		 const uint8_t *cmd, uint16_t len, uint32_t address,
		 uint32_t deadline_ms, const char *what)
{
	struct dfuse__dfu_status st;
	uint64_t start;
	int rc, stuck, may_stick;

	if (flags_out != NULL)
		*flags_out = 0;
	rc = out_req(d, DFUSE__DFU_DNLOAD, 0, cmd, len, d->ctrl_timeout_ms);
	if (rc < 0)
		return fail(d, rc, what, d->ctrl_timeout_ms);
	start = now(d);
	may_stick = d->stuck_recovery && len > 1 && address >= d->stuck_from;
	rc = wait_busy(&st, &stuck, d,
		       may_stick ? d->stuck_deadline_ms : deadline_ms);
	if (rc == DFUSE_ETIMEOUT && stuck && st.state == DFUSE__DFU_DNBUSY &&
	    may_stick) {
		rc = recover(d, what, now(d) - start);
		if (rc < 0)
			return rc;
		if (flags_out != NULL)
			*flags_out |= DFUSE__DFU_RECOVERED;
		return 0;
	}
	if (rc < 0)
		return dfuse__error_prefix("%s: ", what);
	return check_done(d, &st, what);
}

int dfuse__dfu_erase(unsigned *flags_out, const struct dfuse__dfu *d,
		     uint32_t address)
{
	uint8_t cmd[5];
	char what[64];

	cmd[0] = DFUSE__DFUSE_ERASE;
	dfuse__put_le32(cmd + 1, address);
	snprintf(what, sizeof(what), "erase of the sector at 0x%08" PRIX32,
		 address);
	return erase(flags_out, d, cmd, sizeof(cmd), address,
		     d->erase_deadline_ms, what);
}

int dfuse__dfu_mass_erase(const struct dfuse__dfu *d)
{
	const uint8_t cmd[1] = {DFUSE__DFUSE_ERASE};

	return erase(NULL, d, cmd, 1, 0, d->mass_erase_deadline_ms,
		     "mass erase");
}

/* ======== Runs ======== */

/* Blocks per Set Address Pointer: wBlockNum runs 2..65535. */
#define MAX_BLOCKS (0xffffu - DFUSE__DFU_FIRST_BLOCK + 1u)

static int check_run(const struct dfuse__dfu *d, uint32_t address, size_t len,
		     const char *op)
{
	if (d->transfer_size == 0)
		return dfuse__error(DFUSE_EINVAL, "%s: wTransferSize is 0", op);
	if (dfuse__range_overflows(address, len))
		return dfuse__error(DFUSE_ERANGE,
				    "%s of %zu bytes at 0x%08" PRIX32
				    " runs past 4 GiB",
				    op, len, address);
	return 0;
}

/* Ctrl-C and the like: stop between blocks, leaving the device idle. */
static int cancelled(const struct dfuse__dfu *d, uint32_t at)
{
	if (d->cancel == NULL || !d->cancel(d->payload))
		return 0;
	(void)dfuse__dfu_abort(d);
	return dfuse__error(DFUSE_ECANCELED,
			    "interrupted before 0x%08" PRIX32
			    "; DFU_ABORT sent, the device is idle",
			    at);
}

static void progress(const struct dfuse__dfu *d, int phase, size_t done,
		     size_t total)
{
	if (d->progress != NULL)
		d->progress(d->payload, phase, done, total);
}

int dfuse__dfu_write(const struct dfuse__dfu *d, uint32_t address,
		     const uint8_t *data, size_t len)
{
	const size_t ts = d->transfer_size;
	size_t off = 0;
	char what[64];
	int rc;

	DFUSE__TRY(check_run(d, address, len, "write"));
	while (off < len) {
		const uint32_t base = address + (uint32_t)off;
		unsigned block;

		DFUSE__TRY(dfuse__dfu_set_address(d, base));
		for (block = DFUSE__DFU_FIRST_BLOCK;
		     off < len && block <= 0xffffu; block++) {
			const size_t n = len - off < ts ? len - off : ts;
			const uint32_t at = address + (uint32_t)off;

			snprintf(what, sizeof(what),
				 "DNLOAD block %u at 0x%08" PRIX32, block, at);
			rc = out_req(d, DFUSE__DFU_DNLOAD, (uint16_t)block,
				     data + off, (uint16_t)n,
				     d->ctrl_timeout_ms);
			if (rc < 0)
				return fail(d, rc, what, d->ctrl_timeout_ms);
			DFUSE__TRY(finish(d, d->block_deadline_ms, what));
			off += n;
			progress(d, DFUSE__DFU_PHASE_WRITE, off, len);
			if (off < len)
				DFUSE__TRY(
					cancelled(d, address + (uint32_t)off));
		}
	}
	return 0;
}

int dfuse__dfu_read(uint8_t *out, const struct dfuse__dfu *d, uint32_t address,
		    size_t len)
{
	const size_t ts = d->transfer_size;
	size_t off = 0;
	char what[64];
	int rc;

	DFUSE__TRY(check_run(d, address, len, "read"));
	while (off < len) {
		const uint32_t base = address + (uint32_t)off;
		unsigned block;

		DFUSE__TRY(dfuse__dfu_set_address(d, base));
		/* UPLOAD is valid from dfuIDLE, not dfuDNLOAD-IDLE. */
		DFUSE__TRY(dfuse__dfu_abort(d));
		for (block = DFUSE__DFU_FIRST_BLOCK;
		     off < len && block <= 0xffffu; block++) {
			const size_t n = len - off < ts ? len - off : ts;
			const uint32_t at = address + (uint32_t)off;

			snprintf(what, sizeof(what),
				 "UPLOAD block %u at 0x%08" PRIX32, block, at);
			rc = in_req(d, DFUSE__DFU_UPLOAD, (uint16_t)block,
				    out + off, (uint16_t)n, d->ctrl_timeout_ms);
			if (rc < 0)
				return fail(d, rc, what, d->ctrl_timeout_ms);
			if ((size_t)rc != n)
				return dfuse__error(DFUSE_EUSB,
						    "%s: short reply of %d "
						    "bytes, expected %zu",
						    what, rc, n);
			off += n;
			progress(d, DFUSE__DFU_PHASE_READ, off, len);
			if (off < len)
				DFUSE__TRY(
					cancelled(d, address + (uint32_t)off));
		}
		DFUSE__TRY(dfuse__dfu_abort(d));
	}
	return 0;
}

int dfuse__dfu_upload_once(uint8_t *out, const struct dfuse__dfu *d,
			   uint32_t address, uint16_t len)
{
	char what[64];
	int rc, n;

	if (len == 0)
		return dfuse__error(DFUSE_EINVAL, "read: length 0");
	DFUSE__TRY(dfuse__dfu_set_address(d, address));
	DFUSE__TRY(dfuse__dfu_abort(d));
	snprintf(what, sizeof(what),
		 "UPLOAD block %u of %u bytes at 0x%08" PRIX32,
		 (unsigned)DFUSE__DFU_FIRST_BLOCK, (unsigned)len, address);
	n = in_req(d, DFUSE__DFU_UPLOAD, DFUSE__DFU_FIRST_BLOCK, out, len,
		   d->ctrl_timeout_ms);
	if (n < 0)
		return fail(d, n, what, d->ctrl_timeout_ms);
	rc = dfuse__dfu_abort(d);
	return rc < 0 ? rc : n;
}

/* ======== Leave ======== */

static int is_manifest(uint8_t state)
{
	return state == DFUSE__DFU_MANIFEST_SYNC ||
	       state == DFUSE__DFU_MANIFEST ||
	       state == DFUSE__DFU_MANIFEST_WAIT_RESET;
}

/*
 * The GETSTATUS after the leave request stalled.  A ROM that jumps to the
 * application may stall it on the way out, but so may one that stays in
 * dfuMANIFEST-SYNC (DFU 1.1 Appendix A: a device that is not
 * manifestation tolerant, as AN3156 says the ROM is, waits in
 * dfuMANIFEST-WAIT-RESET for a USB reset): only the device's absence at
 * one more GETSTATUS says it left.
 */
static int confirm_gone(int *how_out, const struct dfuse__dfu *d)
{
	struct dfuse__dfu_status st;
	const int rc = status_raw(&st, d, d->ctrl_timeout_ms);
	char seen[96];

	if (rc == DFUSE__XFER_GONE) {
		if (how_out != NULL)
			*how_out = DFUSE__DFU_LEFT_STALL;
		return 0;
	}
	if (how_out != NULL)
		*how_out = DFUSE_LEFT_UNCONFIRMED;
	if (rc == DFUSE__DFU_STATUS_SIZE)
		snprintf(seen, sizeof(seen), "the device is still in %s (%s)",
			 dfuse__dfu_state_name(st.state),
			 dfuse__dfu_status_name(st.status));
	else if (rc == DFUSE__XFER_STALL)
		snprintf(seen, sizeof(seen),
			 "the device is still there and stalled the next "
			 "GETSTATUS too");
	else
		snprintf(seen, sizeof(seen),
			 "the device is still there (the next GETSTATUS "
			 "gave %s)",
			 rc >= 0		     ? "a short reply"
			 : rc == DFUSE__XFER_TIMEOUT ? "no answer"
						     : "a USB error");
	return dfuse__error(DFUSE_EDEVICE,
			    "leave: the leave request was not confirmed: the "
			    "GETSTATUS after it stalled and %s; it did not "
			    "start the application",
			    seen);
}

int dfuse__dfu_leave(int *how_out, const struct dfuse__dfu *d, int has_address,
		     uint32_t address)
{
	struct dfuse__dfu_status st;
	int how = 0;
	int rc;

	if (has_address)
		DFUSE__TRY(dfuse__dfu_set_address(d, address));
	rc = out_req(d, DFUSE__DFU_DNLOAD, DFUSE__DFU_FIRST_BLOCK, NULL, 0,
		     d->ctrl_timeout_ms);
	if (rc == DFUSE__XFER_GONE) {
		how = DFUSE__DFU_LEFT_DISCONNECT;
	} else if (rc < 0) {
		return fail(d, rc, "leave: zero-length DNLOAD",
			    d->ctrl_timeout_ms);
	} else {
		rc = status_raw(&st, d, d->ctrl_timeout_ms);
		if (rc == DFUSE__XFER_GONE)
			how = DFUSE__DFU_LEFT_DISCONNECT;
		else if (rc == DFUSE__XFER_STALL)
			return confirm_gone(how_out, d);
		else if (rc < 0)
			return fail(d, rc, "leave: GETSTATUS",
				    d->ctrl_timeout_ms);
		else if (rc != DFUSE__DFU_STATUS_SIZE)
			return dfuse__error(DFUSE_EUSB,
					    "leave: GETSTATUS: short reply of "
					    "%d bytes, expected %d",
					    rc, DFUSE__DFU_STATUS_SIZE);
		else if (st.state == DFUSE__DFU_ERROR ||
			 st.status != DFUSE__DFU_OK)
			return device_error(d, &st, "leave");
		else if (is_manifest(st.state))
			how = DFUSE__DFU_LEFT_MANIFEST;
		else
			return dfuse__error(DFUSE_EDEVICE,
					    "leave: the device went to %s, "
					    "expected dfuMANIFEST",
					    dfuse__dfu_state_name(st.state));
	}
	if (how_out != NULL)
		*how_out = how;
	return 0;
}

/* ======== Alternate settings and a device left in manifestation ======== */

int dfuse__dfu_select_alt(const struct dfuse__dfu *d, uint8_t alt)
{
	char what[48];
	int rc;

	if (d->t->ops->set_alt == NULL)
		return 0;
	rc = d->t->ops->set_alt(d->t->ctx, alt);
	if (rc == 0)
		return 0;
	snprintf(what, sizeof(what), "SET_INTERFACE to alternate setting %u",
		 (unsigned)alt);
	return fail(d, rc, what, d->ctrl_timeout_ms);
}

static int stuck_in(uint8_t state, const char *after)
{
	return dfuse__error(DFUSE_EDEVICE,
			    "the device is in %s%s, after a leave request that "
			    "was not confirmed: it did not start the "
			    "application and takes no requests; reset the "
			    "board (BOOT0 high, then reset, to come back to "
			    "the ROM bootloader)",
			    dfuse__dfu_state_name(state), after);
}

int dfuse__dfu_unstick(uint8_t *found_out, const struct dfuse__dfu *d,
		       int may_reset)
{
	struct dfuse__dfu_status st;
	uint8_t found;
	int rc;

	DFUSE__TRY(dfuse__dfu_get_status(&st, d));
	found = st.state;
	if (found_out != NULL)
		*found_out = found;
	if (!is_manifest(found))
		return 0;
	if (!may_reset)
		return stuck_in(found, " after a USB reset");
	if (d->t->ops->reset == NULL)
		return stuck_in(found, " (no USB reset possible here)");
	/* DFU 1.1 Appendix A: dfuMANIFEST-WAIT-RESET ends with a USB reset. */
	rc = d->t->ops->reset(d->t->ctx);
	if (rc == DFUSE__XFER_GONE)
		return DFUSE__DFU_REOPEN;
	if (rc < 0) {
		fail(d, rc, "USB reset", d->ctrl_timeout_ms);
		return dfuse__error_prefix(
			"the device is in %s after a leave request that was "
			"not confirmed: ",
			dfuse__dfu_state_name(found));
	}
	rc = dfuse__dfu_select_alt(d, 0);
	if (rc == DFUSE_EUSB)
		return DFUSE__DFU_REOPEN;
	DFUSE__TRY(rc);
	rc = status_raw(&st, d, d->ctrl_timeout_ms);
	if (rc == DFUSE__XFER_GONE)
		return DFUSE__DFU_REOPEN;
	if (rc < 0) {
		fail(d, rc, "GETSTATUS", d->ctrl_timeout_ms);
		return dfuse__error_prefix("after a USB reset: ");
	}
	if (rc != DFUSE__DFU_STATUS_SIZE)
		return dfuse__error(DFUSE_EUSB,
				    "after a USB reset: GETSTATUS: short reply "
				    "of %d bytes, expected %d",
				    rc, DFUSE__DFU_STATUS_SIZE);
	if (is_manifest(st.state))
		return stuck_in(st.state, " after a USB reset");
	return DFUSE__DFU_WAS_RESET;
}
