/*
 * h7model.c - the STM32H7 ROM DFU bootloader model (see h7model.h).
 *
 * Own code after DFU 1.1 appendix A and AN3156 section 6; the request
 * numbers are dfu_proto.h's.
 */
#include "h7model.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "dfu_proto.h"

enum op { OP_NONE, OP_SET_ADDRESS, OP_ERASE, OP_MASS_ERASE, OP_DATA };

struct h7model {
	struct h7model_config cfg;
	uint8_t *flash;
	uint64_t now;	  /* virtual clock, ms */
	uint8_t state;	  /* bState */
	uint8_t status;	  /* bStatus */
	uint32_t pointer; /* DfuSe Address_Pointer */
	enum op op;	  /* the DNLOAD waiting for GETSTATUS */
	uint32_t op_address;
	uint16_t op_block;
	uint16_t op_len;
	uint8_t op_data[H7MODEL_TRANSFER_SIZE];
	uint8_t result; /* bStatus when the operation ends */
	uint64_t busy_until;
	int stuck;	 /* bank-2 bug: dfuDNBUSY until CLRSTATUS */
	size_t unerased; /* stuck erases that left the sector as is */
	int gone;	 /* disconnected */
	int left;	 /* left DFU mode (jumped) */
	int wedged;	 /* STALL_STAY: the leave GETSTATUS stalled */
	size_t resets;	 /* USB resets received */
	uint32_t jumped_to;
	size_t xfers; /* transfers so far, for the faults */
	struct h7model_xfer *log;
	size_t log_len;
	size_t log_cap;
	uint8_t ob[H7MODEL_OB_IMAGE_SIZE]; /* alt 1, little-endian words */
};

#define OPTSR_SWAP_BANK (1u << 31)
#define OPTSR_OPTCHANGEERR (1u << 30)
#define OPTSR_BCM7 H7MODEL_OPTSR_BCM7
#define OPTSR_BCM4 H7MODEL_OPTSR_BCM4
#define OPTSR_RDP_POS 8
#define OPTSR_OPT_BUSY (1u << 0)
#define OPTCR_OPTLOCK (1u << 0) /* set after reset (INFERRED) */
#define SECTORS_PER_BANK 8u

static void ob_factory(struct h7model *m);

void h7model_config_default(struct h7model_config *out)
{
	memset(out, 0, sizeof(*out));
	out->poll_ms = 10;
	out->erase_ms = 1000;
	out->mass_erase_ms = 16000;
	out->program_ms = 5;
	out->command_ms = 1;
	out->stuck_from = H7MODEL_BANK2;
	out->ob_size = H7MODEL_OB_SIZE;
	out->bootloader_id = H7MODEL_BOOTLOADER_ID;
	out->bootloader_id_readable = 1;
}

struct h7model *h7model_new(const struct h7model_config *cfg)
{
	struct h7model *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	if (cfg != NULL)
		m->cfg = *cfg;
	else
		h7model_config_default(&m->cfg);
	m->flash = malloc(H7MODEL_FLASH_SIZE);
	if (m->flash == NULL) {
		free(m);
		return NULL;
	}
	memset(m->flash, 0xff, H7MODEL_FLASH_SIZE);
	if (m->cfg.ob_size == 0)
		m->cfg.ob_size = H7MODEL_OB_SIZE;
	if (m->cfg.ob_size > H7MODEL_OB_IMAGE_SIZE)
		m->cfg.ob_size = H7MODEL_OB_IMAGE_SIZE;
	ob_factory(m);
	m->state = DFUSE__DFU_IDLE;
	m->pointer = H7MODEL_FLASH_BASE;
	return m;
}

void h7model_free(struct h7model *m)
{
	if (m == NULL)
		return;
	free(m->log);
	free(m->flash);
	free(m);
}

/* ======== Helpers ======== */

static int in_flash(uint32_t address, size_t len)
{
	return address >= H7MODEL_FLASH_BASE &&
	       (uint64_t)address + len <=
		       (uint64_t)H7MODEL_FLASH_BASE + H7MODEL_FLASH_SIZE;
}

/* Inside the option-byte block the ROM answers with. */
static int in_ob(const struct h7model *m, uint32_t address)
{
	return address >= H7MODEL_OB_ADDRESS &&
	       address - H7MODEL_OB_ADDRESS < m->cfg.ob_size;
}

/* [address, address + len) inside readable system memory. */
static int in_sysmem(const struct h7model *m, uint32_t address, size_t len)
{
	return m->cfg.bootloader_id_readable &&
	       address >= H7MODEL_SYSMEM_BASE &&
	       (uint64_t)address + len <=
		       (uint64_t)H7MODEL_SYSMEM_BASE + H7MODEL_SYSMEM_SIZE;
}

/* Does [address, address + len) of flash touch a write-protected sector? */
static int touches_protected(const struct h7model *m, uint32_t address,
			     size_t len)
{
	uint32_t s = (address - H7MODEL_FLASH_BASE) / H7MODEL_SECTOR_SIZE;
	const uint32_t last =
		(uint32_t)((address - H7MODEL_FLASH_BASE + len - (len > 0)) /
			   H7MODEL_SECTOR_SIZE);

	for (; s <= last; s++)
		if (h7model_sector_protected(m, s))
			return 1;
	return 0;
}

/* A refused request: STALL and (errSTALLEDPKT, dfuERROR), DFU 1.1 6.1.2. */
static int stall(struct h7model *m)
{
	m->state = DFUSE__DFU_ERROR;
	m->status = DFUSE__DFU_ERR_STALLEDPKT;
	m->op = OP_NONE;
	return DFUSE__XFER_STALL;
}

/* Logs a transfer and applies the injected faults; returns 0 to go on. */
static int begin(struct h7model *m, struct h7model_xfer **x, int in,
		 uint8_t request, uint16_t value, uint16_t index,
		 const uint8_t *data, uint16_t len)
{
	struct h7model_xfer *e;

	if (m->log_len == m->log_cap) {
		const size_t cap = m->log_cap ? m->log_cap * 2 : 256;
		struct h7model_xfer *p = realloc(m->log, cap * sizeof(*p));

		if (p == NULL)
			return DFUSE__XFER_ERROR;
		m->log = p;
		m->log_cap = cap;
	}
	e = &m->log[m->log_len++];
	e->in = (uint8_t)in;
	e->request = request;
	e->value = value;
	e->length = len;
	e->command = (!in && request == DFUSE__DFU_DNLOAD && value == 0 &&
		      len > 0 && data != NULL)
			     ? data[0]
			     : -1;
	e->result = 0;
	e->at_ms = m->now;
	*x = e;
	m->xfers++;
	m->now += m->cfg.xfer_ms;
	if (m->gone)
		return DFUSE__XFER_GONE;
	if (m->cfg.disconnect_at != 0 && m->xfers >= m->cfg.disconnect_at) {
		m->gone = 1;
		return DFUSE__XFER_GONE;
	}
	if (m->cfg.stall_at != 0 && m->xfers == m->cfg.stall_at)
		return stall(m);
	if (index != 0)
		return stall(m);
	/* Waiting for a reset: only the status requests answer, the state
	 * stays (DFU 1.1 A.2.9). */
	if ((m->wedged || m->state == DFUSE__DFU_MANIFEST_WAIT_RESET) &&
	    !(in && (request == DFUSE__DFU_GETSTATUS ||
		     request == DFUSE__DFU_GETSTATE)))
		return DFUSE__XFER_STALL;
	return 0;
}

/* The ROM disconnects and jumps to the address pointer (AN3156). */
static void jump(struct h7model *m)
{
	m->state = DFUSE__DFU_MANIFEST;
	m->left = 1;
	m->jumped_to = m->pointer;
	m->gone = 1;
}

/* ======== Operations (run on the first GETSTATUS) ======== */

static uint32_t run_op(struct h7model *m)
{
	switch (m->op) {
	case OP_SET_ADDRESS:
		/* Allowed under RDP level 1 too (AN3156). */
		if (in_flash(m->op_address, 1) || in_ob(m, m->op_address) ||
		    in_sysmem(m, m->op_address, 1))
			m->pointer = m->op_address;
		else
			m->result = DFUSE__DFU_ERR_TARGET;
		return m->cfg.command_ms;
	case OP_ERASE:
		if (h7model_rdp1(m)) {
			m->result = DFUSE__DFU_ERR_VENDOR; /* AN3156 */
			return m->cfg.command_ms;
		}
		if (!in_flash(m->op_address, 1)) {
			m->result = DFUSE__DFU_ERR_TARGET;
			return m->cfg.command_ms;
		}
		if (touches_protected(m, m->op_address, 1)) {
			/* AN3156: no error; else errERASE (INFERRED) */
			if (!m->cfg.wrp_erase_silent)
				m->result = DFUSE__DFU_ERR_ERASE;
			return m->cfg.command_ms;
		}
		if (m->cfg.stuck_erase && m->op_address >= m->cfg.stuck_from)
			m->stuck = 1;
		if (m->stuck && m->unerased < m->cfg.stuck_unerased)
			m->unerased++;
		else
			memset(m->flash +
				       ((m->op_address - H7MODEL_FLASH_BASE) &
					~(H7MODEL_SECTOR_SIZE - 1)),
			       0xff, H7MODEL_SECTOR_SIZE);
		return m->cfg.erase_ms;
	case OP_MASS_ERASE:
		if (h7model_rdp1(m)) {
			m->result = DFUSE__DFU_ERR_VENDOR; /* AN3156 */
			return m->cfg.command_ms;
		}
		/* Any protected sector: nothing erased (INFERRED). */
		if (touches_protected(m, H7MODEL_FLASH_BASE,
				      H7MODEL_FLASH_SIZE)) {
			if (!m->cfg.wrp_erase_silent)
				m->result = DFUSE__DFU_ERR_ERASE;
			return m->cfg.command_ms;
		}
		memset(m->flash, 0xff, H7MODEL_FLASH_SIZE);
		return m->cfg.mass_erase_ms;
	case OP_DATA: {
		const uint32_t a =
			(uint32_t)(m->op_block - 2) * H7MODEL_TRANSFER_SIZE +
			m->pointer;
		size_t i;

		if (h7model_rdp1(m)) {
			m->result = DFUSE__DFU_ERR_VENDOR; /* AN3156 */
			return m->cfg.command_ms;
		}
		if (!in_flash(a, m->op_len)) {
			m->result = DFUSE__DFU_ERR_ADDRESS;
			return m->cfg.command_ms;
		}
		if (touches_protected(m, a, m->op_len)) {
			m->result = DFUSE__DFU_ERR_WRITE; /* INFERRED */
			return m->cfg.program_ms;
		}
		for (i = 0; i < m->op_len; i++)
			if (m->flash[a - H7MODEL_FLASH_BASE + i] != 0xff) {
				m->result = DFUSE__DFU_ERR_PROG;
				return m->cfg.program_ms;
			}
		memcpy(m->flash + (a - H7MODEL_FLASH_BASE), m->op_data,
		       m->op_len);
		return m->cfg.program_ms;
	}
	case OP_NONE:
		break;
	}
	return 0;
}

/* ======== Requests ======== */

static int dnload(struct h7model *m, uint16_t value, const uint8_t *data,
		  uint16_t len)
{
	if (m->state != DFUSE__DFU_IDLE && m->state != DFUSE__DFU_DNLOAD_IDLE)
		return stall(m);
	if (len == 0) {
		if (m->cfg.leave_mode == H7MODEL_LEAVE_GONE) {
			jump(m);
			return DFUSE__XFER_GONE;
		}
		m->state = DFUSE__DFU_MANIFEST_SYNC;
		return 0;
	}
	if (len > H7MODEL_TRANSFER_SIZE || data == NULL || value == 1)
		return stall(m);
	m->result = DFUSE__DFU_OK;
	if (value >= 2) {
		m->op = OP_DATA;
		m->op_block = value;
		m->op_len = len;
		memcpy(m->op_data, data, len);
	} else if (data[0] == DFUSE__DFUSE_SET_ADDRESS && len == 5) {
		m->op = OP_SET_ADDRESS;
		m->op_address = dfuse__get_le32(data + 1);
	} else if (data[0] == DFUSE__DFUSE_ERASE && len == 5) {
		m->op = OP_ERASE;
		m->op_address = dfuse__get_le32(data + 1);
	} else if (data[0] == DFUSE__DFUSE_ERASE && len == 1) {
		m->op = OP_MASS_ERASE;
	} else {
		return stall(m);
	}
	m->state = DFUSE__DFU_DNLOAD_SYNC;
	return 0;
}

static int model_out(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		     const uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	struct h7model *m = ctx;
	struct h7model_xfer *x = NULL;
	int rc;

	(void)timeout_ms;
	rc = begin(m, &x, 0, request, value, index, data, len);
	if (rc == 0) {
		switch (request) {
		case DFUSE__DFU_DNLOAD:
			rc = dnload(m, value, data, len);
			break;
		case DFUSE__DFU_CLRSTATUS:
			if (m->state == DFUSE__DFU_ERROR) {
				m->state = DFUSE__DFU_IDLE;
				m->status = DFUSE__DFU_OK;
			} else if (m->state == DFUSE__DFU_DNBUSY && m->stuck) {
				/* CubeProgrammer's recovery, doc/sources.md,
				 * Observed: (14, 10) */
				m->stuck = 0;
				m->op = OP_NONE;
				m->state = DFUSE__DFU_ERROR;
				m->status = DFUSE__DFU_ERR_UNKNOWN;
			} else {
				rc = stall(m);
			}
			break;
		case DFUSE__DFU_ABORT:
			if (m->state == DFUSE__DFU_IDLE ||
			    m->state == DFUSE__DFU_DNLOAD_SYNC ||
			    m->state == DFUSE__DFU_DNLOAD_IDLE ||
			    m->state == DFUSE__DFU_MANIFEST_SYNC ||
			    m->state == DFUSE__DFU_UPLOAD_IDLE) {
				m->state = DFUSE__DFU_IDLE;
				m->op = OP_NONE;
			} else {
				rc = stall(m);
			}
			break;
		default:
			rc = stall(m);
			break;
		}
	}
	if (x != NULL)
		x->result = rc;
	return rc;
}

static int get_status(struct h7model *m, uint8_t *data, uint16_t len,
		      unsigned timeout_ms)
{
	uint8_t reply[DFUSE__DFU_STATUS_SIZE];
	uint32_t poll = 0;
	uint16_t n;

	switch (m->state) {
	case DFUSE__DFU_DNLOAD_SYNC: {
		const uint32_t busy = run_op(m);

		m->state = DFUSE__DFU_DNBUSY;
		m->busy_until = m->now + busy;
		poll = m->cfg.poll_ms;
		if (m->cfg.hold_status) {
			if (busy > timeout_ms) {
				m->now += timeout_ms;
				return DFUSE__XFER_TIMEOUT;
			}
			m->now = m->busy_until;
		}
		break;
	}
	case DFUSE__DFU_DNBUSY:
		if (m->stuck || m->now < m->busy_until) {
			poll = m->cfg.poll_ms;
			break;
		}
		m->op = OP_NONE;
		m->status = m->result;
		m->state = m->result != DFUSE__DFU_OK ? DFUSE__DFU_ERROR
						      : DFUSE__DFU_DNLOAD_IDLE;
		break;
	case DFUSE__DFU_MANIFEST_SYNC:
		if (m->cfg.leave_mode == H7MODEL_LEAVE_STALL_GONE) {
			jump(m);
			return DFUSE__XFER_STALL;
		}
		if (m->cfg.leave_mode == H7MODEL_LEAVE_STALL_STAY) {
			if (!m->wedged) {
				m->wedged = 1;
				return DFUSE__XFER_STALL;
			}
			m->wedged = 0;
			m->state = DFUSE__DFU_MANIFEST_WAIT_RESET;
			break;
		}
		/* The ROM answers, then disconnects and jumps. */
		m->state = DFUSE__DFU_MANIFEST;
		m->left = 1;
		m->jumped_to = m->pointer;
		break;
	default:
		break;
	}
	reply[0] = m->status;
	reply[1] = (uint8_t)(poll & 0xff);
	reply[2] = (uint8_t)((poll >> 8) & 0xff);
	reply[3] = (uint8_t)((poll >> 16) & 0xff);
	reply[4] = m->state;
	reply[5] = 0;
	n = len < sizeof(reply) ? len : (uint16_t)sizeof(reply);
	memcpy(data, reply, n);
	if (m->left)
		m->gone = 1;
	return n;
}

static int upload(struct h7model *m, uint16_t value, uint8_t *data,
		  uint16_t len)
{
	static const uint8_t get[] = {
		DFUSE__DFUSE_GET, DFUSE__DFUSE_SET_ADDRESS, DFUSE__DFUSE_ERASE,
		DFUSE__DFUSE_READ_UNPROTECT};
	uint32_t a;

	if (m->state != DFUSE__DFU_IDLE && m->state != DFUSE__DFU_UPLOAD_IDLE)
		return stall(m);
	if (value == 1 || len > H7MODEL_TRANSFER_SIZE)
		return stall(m);
	m->state = DFUSE__DFU_UPLOAD_IDLE;
	if (value == 0) {
		const uint16_t n = len < sizeof(get) ? len : sizeof(get);

		memcpy(data, get, n);
		return n;
	}
	a = (uint32_t)(value - 2) * H7MODEL_TRANSFER_SIZE + m->pointer;
	if (h7model_rdp1(m)) {
		/* Reads refused "whatever the target" (AN3156); a stall then
		 * the status, as for errADDRESS (INFERRED: STALL or data
		 * phase is not documented). */
		stall(m);
		m->status = DFUSE__DFU_ERR_VENDOR;
		return DFUSE__XFER_STALL;
	}
	if (in_ob(m, a)) {
		/* At most what is left of the block (INFERRED). */
		const uint32_t off = a - H7MODEL_OB_ADDRESS;
		const uint16_t n = len < m->cfg.ob_size - off
					   ? len
					   : (uint16_t)(m->cfg.ob_size - off);

		memcpy(data, m->ob + off, n);
		return n;
	}
	if (in_sysmem(m, a, len)) {
		uint16_t i;

		/* Filler: the low byte of the address; then the ID. */
		for (i = 0; i < len; i++)
			data[i] = a + i == H7MODEL_BOOTLOADER_ID_ADDRESS
					  ? m->cfg.bootloader_id
					  : (uint8_t)((a + i) & 0xffu);
		return len;
	}
	if (!in_flash(a, len)) {
		stall(m);
		m->status = DFUSE__DFU_ERR_ADDRESS;
		return DFUSE__XFER_STALL;
	}
	memcpy(data, m->flash + (a - H7MODEL_FLASH_BASE), len);
	return len;
}

static int model_in(void *ctx, uint8_t request, uint16_t value, uint16_t index,
		    uint8_t *data, uint16_t len, unsigned timeout_ms)
{
	struct h7model *m = ctx;
	struct h7model_xfer *x = NULL;
	int rc;

	rc = begin(m, &x, 1, request, value, index, NULL, len);
	if (rc == 0) {
		switch (request) {
		case DFUSE__DFU_GETSTATUS:
			rc = get_status(m, data, len, timeout_ms);
			break;
		case DFUSE__DFU_GETSTATE:
			if (len > 0)
				data[0] = m->state;
			rc = len > 0;
			break;
		case DFUSE__DFU_UPLOAD:
			rc = upload(m, value, data, len);
			break;
		default:
			rc = stall(m);
			break;
		}
	}
	if (x != NULL)
		x->result = rc;
	return rc;
}

static void model_sleep(void *ctx, unsigned ms)
{
	struct h7model *m = ctx;

	m->now += ms;
}

static uint64_t model_now(void *ctx)
{
	const struct h7model *m = ctx;

	return m->now;
}

static const struct dfuse__transport_ops model_ops = {
	model_out, model_in, model_sleep, model_now, NULL, NULL, NULL,
};

void h7model_transport(struct dfuse__transport *out, struct h7model *m)
{
	out->ops = &model_ops;
	out->ctx = m;
	out->interface = 0;
}

/* ======== Accessors ======== */

uint8_t *h7model_flash(struct h7model *m)
{
	return m->flash;
}

int h7model_blank(const struct h7model *m, uint32_t address, size_t len)
{
	size_t i;

	if (!in_flash(address, len))
		return 0;
	for (i = 0; i < len; i++)
		if (m->flash[address - H7MODEL_FLASH_BASE + i] != 0xff)
			return 0;
	return 1;
}

uint64_t h7model_now(const struct h7model *m)
{
	return m->now;
}

uint8_t h7model_state(const struct h7model *m)
{
	return m->state;
}

uint8_t h7model_status(const struct h7model *m)
{
	return m->status;
}

void h7model_set_state(struct h7model *m, uint8_t state, uint8_t status)
{
	m->state = state;
	m->status = status;
	m->op = OP_NONE;
	m->wedged = 0;
}

int h7model_left(const struct h7model *m, uint32_t *address_out)
{
	if (m->left && address_out != NULL)
		*address_out = m->jumped_to;
	return m->left;
}

int h7model_usb_reset(struct h7model *m)
{
	m->resets++;
	if (m->gone)
		return DFUSE__XFER_GONE;
	if (m->cfg.reset_ignored)
		return 0;
	/* The DFU class restarts (INFERRED). */
	m->state = DFUSE__DFU_IDLE;
	m->status = DFUSE__DFU_OK;
	m->pointer = H7MODEL_FLASH_BASE;
	m->op = OP_NONE;
	m->stuck = 0;
	m->wedged = 0;
	m->busy_until = 0;
	return 0;
}

size_t h7model_resets(const struct h7model *m)
{
	return m->resets;
}

size_t h7model_log_count(const struct h7model *m)
{
	return m->log_len;
}

const struct h7model_xfer *h7model_log_entry(const struct h7model *m, size_t i)
{
	return i < m->log_len ? &m->log[i] : NULL;
}

size_t h7model_count(const struct h7model *m, int request, int command)
{
	size_t i, n = 0;

	for (i = 0; i < m->log_len; i++)
		if (m->log[i].request == request &&
		    (command == -1 ||
		     (m->log[i].command == command && m->log[i].value == 0)))
			n++;
	return n;
}

size_t h7model_count_data_uploads(const struct h7model *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->log_len; i++)
		if (m->log[i].request == DFUSE__DFU_UPLOAD &&
		    m->log[i].value >= DFUSE__DFU_FIRST_BLOCK)
			n++;
	return n;
}

size_t h7model_count_erases(const struct h7model *m)
{
	return h7model_count(m, DFUSE__DFU_DNLOAD, DFUSE__DFUSE_ERASE);
}

void h7model_log_clear(struct h7model *m)
{
	m->log_len = 0;
}

/* ======== The option-byte image ======== */

static uint32_t ob_get(const struct h7model *m, uint32_t off)
{
	return dfuse__get_le32(m->ob + off);
}

void h7model_set_option_word(struct h7model *m, uint32_t offset, uint32_t value)
{
	if (offset % 4 != 0 || offset > H7MODEL_OB_IMAGE_SIZE - 4)
		return;
	m->ob[offset] = (uint8_t)(value & 0xff);
	m->ob[offset + 1] = (uint8_t)((value >> 8) & 0xff);
	m->ob[offset + 2] = (uint8_t)((value >> 16) & 0xff);
	m->ob[offset + 3] = (uint8_t)((value >> 24) & 0xff);
}

uint32_t h7model_option_word(const struct h7model *m, uint32_t offset)
{
	if (offset % 4 != 0 || offset > H7MODEL_OB_IMAGE_SIZE - 4)
		return 0;
	return ob_get(m, offset);
}

void h7model_set_option_bytes(struct h7model *m, const uint8_t *p, size_t len)
{
	memcpy(m->ob, p, len < sizeof(m->ob) ? len : sizeof(m->ob));
}

const uint8_t *h7model_option_bytes(const struct h7model *m)
{
	return m->ob;
}

/* A _CUR word, its _PRG word (the next one) and, for the registers of
 * neither bank, both again at +0x100 (RM0399 Table 19). */
static void ob_pair(struct h7model *m, uint32_t cur, uint32_t value,
		    uint32_t prg_value, int alias)
{
	h7model_set_option_word(m, cur, value);
	h7model_set_option_word(m, cur + 4, prg_value);
	if (alias) {
		h7model_set_option_word(m, cur + H7MODEL_OB_BANK2, value);
		h7model_set_option_word(m, cur + 4 + H7MODEL_OB_BANK2,
					prg_value);
	}
}

void h7model_set_optsr(struct h7model *m, uint32_t optsr)
{
	ob_pair(m, H7MODEL_OB_OPTSR_CUR, optsr,
		optsr & ~(OPTSR_OPT_BUSY | OPTSR_OPTCHANGEERR), 1);
}

static void optsr_bits(struct h7model *m, uint32_t mask, uint32_t bits)
{
	h7model_set_optsr(m, (ob_get(m, H7MODEL_OB_OPTSR_CUR) & ~mask) |
				     (bits & mask));
}

void h7model_set_rdp(struct h7model *m, uint8_t rdp)
{
	optsr_bits(m, 0xffu << OPTSR_RDP_POS, (uint32_t)rdp << OPTSR_RDP_POS);
}

void h7model_set_bcm(struct h7model *m, int bcm7, int bcm4)
{
	optsr_bits(m, OPTSR_BCM7 | OPTSR_BCM4,
		   (bcm7 ? OPTSR_BCM7 : 0) | (bcm4 ? OPTSR_BCM4 : 0));
}

void h7model_set_swap_bank(struct h7model *m, int swap)
{
	const uint32_t optcr = ob_get(m, H7MODEL_OB_OPTCR_ALIAS);

	optsr_bits(m, OPTSR_SWAP_BANK, swap ? OPTSR_SWAP_BANK : 0);
	/* In a session entered by a reset the bit in effect equals the
	 * option (INFERRED). */
	h7model_set_option_word(m, H7MODEL_OB_OPTCR_ALIAS,
				(optcr & ~OPTSR_SWAP_BANK) |
					(swap ? OPTSR_SWAP_BANK : 0));
}

void h7model_set_nwrp(struct h7model *m, int bank, uint8_t nwrp)
{
	const uint32_t off =
		H7MODEL_OB_WPSN_CUR1 + (bank ? H7MODEL_OB_BANK2 : 0);
	const uint32_t w = (ob_get(m, off) & 0xffffff00u) | nwrp;

	ob_pair(m, off, w, w, 0);
}

void h7model_protect_sector(struct h7model *m, unsigned sector)
{
	const int bank = sector >= SECTORS_PER_BANK;
	const uint32_t off =
		H7MODEL_OB_WPSN_CUR1 + (bank ? H7MODEL_OB_BANK2 : 0);

	if (sector >= 2 * SECTORS_PER_BANK)
		return;
	h7model_set_nwrp(m, bank,
			 (uint8_t)(ob_get(m, off) &
				   ~(1u << (sector % SECTORS_PER_BANK))));
}

static void set_boot(struct h7model *m, uint32_t cur, uint32_t add0,
		     uint32_t add1)
{
	const uint32_t w = (add1 & 0xffff0000u) | (add0 >> 16);

	ob_pair(m, cur, w, w, 1);
}

void h7model_set_boot_cm7(struct h7model *m, uint32_t add0, uint32_t add1)
{
	set_boot(m, H7MODEL_OB_BOOT7_CUR, add0, add1);
}

void h7model_set_boot_cm4(struct h7model *m, uint32_t add0, uint32_t add1)
{
	set_boot(m, H7MODEL_OB_BOOT4_CUR, add0, add1);
}

int h7model_rdp1(const struct h7model *m)
{
	const uint8_t rdp = m->ob[H7MODEL_OB_OPTSR_CUR + 1];

	return rdp != 0xaa && rdp != 0xcc;
}

int h7model_sector_protected(const struct h7model *m, unsigned sector)
{
	const uint32_t off =
		H7MODEL_OB_WPSN_CUR1 +
		(sector >= SECTORS_PER_BANK ? H7MODEL_OB_BANK2 : 0);

	if (sector >= 2 * SECTORS_PER_BANK)
		return 0;
	return !((ob_get(m, off) >> (sector % SECTORS_PER_BANK)) & 1u);
}

/* RM0399 Table 20: every option word and its _PRG copy, both banks, the
 * aliases; the other registers 0 (INFERRED). */
static void ob_factory(struct h7model *m)
{
	int b;

	memset(m->ob, 0, sizeof(m->ob));
	h7model_set_optsr(m, H7MODEL_OB_FACTORY_OPTSR);
	for (b = 0; b < 2; b++) {
		const uint32_t o = b ? H7MODEL_OB_BANK2 : 0;

		ob_pair(m, H7MODEL_OB_PRAR_CUR1 + o, H7MODEL_OB_FACTORY_AREA,
			H7MODEL_OB_FACTORY_AREA, 0);
		ob_pair(m, H7MODEL_OB_SCAR_CUR1 + o, H7MODEL_OB_FACTORY_AREA,
			H7MODEL_OB_FACTORY_AREA, 0);
		ob_pair(m, H7MODEL_OB_WPSN_CUR1 + o, H7MODEL_OB_FACTORY_WPSN,
			H7MODEL_OB_FACTORY_WPSN, 0);
	}
	ob_pair(m, H7MODEL_OB_BOOT7_CUR, H7MODEL_OB_FACTORY_BOOT7,
		H7MODEL_OB_FACTORY_BOOT7, 1);
	ob_pair(m, H7MODEL_OB_BOOT4_CUR, H7MODEL_OB_FACTORY_BOOT4,
		H7MODEL_OB_FACTORY_BOOT4, 1);
	h7model_set_option_word(m, H7MODEL_OB_OPTCR_ALIAS, OPTCR_OPTLOCK);
}
