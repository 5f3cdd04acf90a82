/*
 * h7model.h - a model of the STM32H7 (0x450) ROM DFU bootloader behind the
 * transport vtable, in virtual time (tests only; no cmocka, no libusb, so
 * that it can later sit behind umockdev too).
 *
 * What it models (AN3156, DFU 1.1, AN2606 Table 136, DS12110; doc/sources.md,
 * Observed):
 *  - the DFU 1.1a state machine with the DfuSe commands Set Address Pointer
 *    (0x21), Erase (0x41 + address) and mass erase (0x41), UPLOAD Get
 *    (wValue 0) and data blocks at (wBlockNum - 2) x 1024 + pointer;
 *  - 2 MiB of flash at 0x08000000 in 16 sectors of 128 KiB, erased to 0xFF;
 *    programming a byte that is not 0xFF is errPROG (a loose form of the
 *    flash-word rule); data outside flash is errADDRESS; a command address
 *    outside flash is errTARGET; a refused request stalls and leaves
 *    (errSTALLEDPKT, dfuERROR), as DFU 1.1 says;
 *  - an operation runs when GETSTATUS is issued: the first reply is
 *    dfuDNBUSY with bwPollTimeout, later ones dfuDNBUSY until the busy time
 *    has passed, then the result (dfuDNLOAD-IDLE or dfuERROR);
 *  - leave: a zero-length DNLOAD, then GETSTATUS answers dfuMANIFEST and
 *    the device is gone (every later transfer is DFUSE__XFER_GONE);
 *  - faults: a stall at transfer N, a disconnect from transfer N on, and
 *    the stuck bank-2 erase (an erase at or above stuck_from answers
 *    dfuDNBUSY forever; the sector is erased; CLRSTATUS -> (errUNKNOWN,
 *    dfuERROR), CLRSTATUS -> (OK, dfuIDLE); doc/sources.md, Observed).
 * The virtual clock advances on sleep_ms, on transfer time and, with
 * hold_status, on busy time.  Every transfer is logged.
 */
#ifndef H7MODEL_H
#define H7MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "transport.h"

#define H7MODEL_FLASH_BASE 0x08000000u
#define H7MODEL_FLASH_SIZE 0x00200000u	/* 2 MiB */
#define H7MODEL_SECTOR_SIZE 0x00020000u /* 128 KiB */
#define H7MODEL_BANK2 0x08100000u
#define H7MODEL_TRANSFER_SIZE 1024u /* wTransferSize */
#define H7MODEL_LAYOUT "@Internal Flash   /0x08000000/16*128Kg"

struct h7model_config {
	uint32_t poll_ms;	/* bwPollTimeout while busy, ms */
	uint32_t erase_ms;	/* busy time of a sector erase, virtual ms */
	uint32_t mass_erase_ms; /* busy time of a mass erase */
	uint32_t program_ms;	/* busy time of one data block */
	uint32_t command_ms;	/* busy time of Set Address Pointer */
	uint32_t xfer_ms;	/* time every transfer takes */
	int hold_status;	/* the GETSTATUS that starts an operation
				   answers only after its busy time (as the
				   ROM does); it times out past timeout_ms */
	int stuck_erase;	/* the bank-2 bug: on */
	uint32_t stuck_from;	/* ... for erases at or above this address */
	size_t stuck_unerased;	/* ... and the first N stuck erases leave the
				   sector as it was (a slow erase that the
				   CLRSTATUS cut short) */
	size_t stall_at;	/* 1-based transfer number to stall; 0 never */
	size_t disconnect_at;	/* gone from this transfer on; 0 never */
};

/* The defaults: poll 10 ms, erase 1000 ms, mass erase 16000 ms, program
 * 5 ms, command 1 ms, no transfer time, no faults, stuck_from bank 2. */
void h7model_config_default(struct h7model_config *out);

/* One logged transfer. */
struct h7model_xfer {
	uint8_t in;	 /* 1: device to host */
	uint8_t request; /* bRequest */
	uint16_t value;	 /* wValue */
	uint16_t length; /* wLength */
	int command;	 /* DNLOAD wValue 0: the first data byte; else -1 */
	int result;	 /* bytes, 0, or an enum dfuse__xfer_result */
	uint64_t at_ms;	 /* virtual time at the start */
};

struct h7model;

/* NULL when out of memory.  cfg NULL means the defaults. */
struct h7model *h7model_new(const struct h7model_config *cfg);
void h7model_free(struct h7model *m);

/* A transport talking to `m` on interface 0 (m must outlive it). */
void h7model_transport(struct dfuse__transport *out, struct h7model *m);

/* The flash bytes, H7MODEL_FLASH_SIZE of them, for setting up and checking
 * (borrowed). */
uint8_t *h7model_flash(struct h7model *m);
/* Is the whole [address, address + len) of flash 0xFF? */
int h7model_blank(const struct h7model *m, uint32_t address, size_t len);

uint64_t h7model_now(const struct h7model *m);
uint8_t h7model_state(const struct h7model *m);
uint8_t h7model_status(const struct h7model *m);
/* Puts the device in a state, e.g. as an interrupted run left it. */
void h7model_set_state(struct h7model *m, uint8_t state, uint8_t status);
/* 1 when the device has left DFU mode; *address_out (optional) is where it
 * jumped (the address pointer). */
int h7model_left(const struct h7model *m, uint32_t *address_out);

size_t h7model_log_count(const struct h7model *m);
const struct h7model_xfer *h7model_log_entry(const struct h7model *m, size_t i);
/* Transfers with bRequest `request` and, unless command is -1, that DfuSe
 * command byte (a DNLOAD with wValue 0). */
size_t h7model_count(const struct h7model *m, int request, int command);
/* DfuSe erase commands (sector and mass) sent. */
size_t h7model_count_erases(const struct h7model *m);
/* Forgets the log (the transfer count for faults keeps running). */
void h7model_log_clear(struct h7model *m);

#endif /* H7MODEL_H */
