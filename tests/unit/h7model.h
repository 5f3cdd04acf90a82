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
 *  - leave (AN3156: a zero-length DNLOAD, then GETSTATUS, which "must"
 *    report dfuMANIFEST, then the ROM disconnects and jumps), in one of
 *    cfg.leave_mode's ways: H7MODEL_LEAVE_MANIFEST (as AN3156 says: that
 *    GETSTATUS answers (OK, dfuMANIFEST), then the device is gone: every
 *    later transfer is DFUSE__XFER_GONE); H7MODEL_LEAVE_STALL_GONE (that
 *    GETSTATUS stalls and the device is gone from the next transfer on:
 *    what dfu-util users report on the real H7, "Error during download
 *    get_status", second-hand); H7MODEL_LEAVE_STALL_STAY (that GETSTATUS
 *    stalls and the device stays in dfuMANIFEST-SYNC; the next GETSTATUS
 *    answers (OK, dfuMANIFEST-WAIT-RESET): INFERRED, a ROM that did not
 *    manage to jump, the failure the leave code must not call "left");
 *    H7MODEL_LEAVE_GONE (gone at the zero-length DNLOAD itself, which
 *    answers DFUSE__XFER_GONE: INFERRED, a ROM that jumps before the
 *    status stage).  h7model_left() is 1 only where the device jumped;
 *  - dfuMANIFEST-WAIT-RESET (reached as above or set by a test): GETSTATUS
 *    and GETSTATE answer, every other request stalls and the state stays
 *    (DFU 1.1 A.2.9: the device waits for a USB reset or a power-on
 *    reset); so do the requests after the STALL_STAY stall;
 *  - a USB reset (h7model_usb_reset, what USBDEVFS_RESET does): DFU 1.1
 *    A.2 has a device in dfuMANIFEST-WAIT-RESET wait for exactly that;
 *    that the ROM then restarts its DFU class (dfuIDLE, status OK, the
 *    address pointer back at 0x08000000 as AN3156 gives it without a Set
 *    Address Pointer, flash and option bytes unchanged, still attached)
 *    is INFERRED.  cfg.reset_ignored: the reset changes nothing (a ROM
 *    that needs a board reset).  A device that is gone fails the reset
 *    (DFUSE__XFER_GONE).  Resets are counted, not logged;
 *  - faults: a stall at transfer N, a disconnect from transfer N on, and
 *    the stuck bank-2 erase (an erase at or above stuck_from answers
 *    dfuDNBUSY forever; the sector is erased; CLRSTATUS -> (errUNKNOWN,
 *    dfuERROR), CLRSTATUS -> (OK, dfuIDLE); doc/sources.md, Observed).
 *  - alt 1, the option bytes (RM0399 §4.9.7-4.9.20, Tables 19-20; AN3156):
 *    a settable raw register image of H7MODEL_OB_IMAGE_SIZE bytes from
 *    FLASH_OPTSR_CUR (0x5200201C), little-endian words at RM0399's
 *    register offset - 0x1C, RM0399 Table 20's factory values by default
 *    (OPTSR 0x17C6AAF0, BOOT7 0x1FF00800, BOOT4 0x10000810, PRAR/SCAR
 *    0x000000FF, WPSN 0x000000FF, each _PRG word equal to its _CUR word,
 *    the bank-2 words and the +0x100 aliases of OPTSR/BOOT7/BOOT4 filled
 *    the same way, OPTCR's alias with OPTLOCK set).  Registers that are not
 *    options (OPTCCR, ACR, keys, CR2/SR2/CCR2, CRC, ECC) read 0: what the
 *    ROM shows there is not documented (INFERRED).  Set Address Pointer
 *    takes an address in the answered block; UPLOAD from there answers at
 *    most ob_size bytes (128 as the descriptor H7MODEL_OB_LAYOUT says, or
 *    up to 308, what STM32CubeProgrammer reads): a longer request gets a
 *    short reply of what is left of the block, not a stall (INFERRED:
 *    AN3156 only says the read size "must be equal to the option byte
 *    block size").  The alternate setting does not gate the address
 *    (SET_INTERFACE never reaches this transport): Betaflight reads the
 *    block on alt 0 after Set Address Pointer 0x5200201C (second-hand:
 *    betaflight-configurator, src/js/protocols/usbdfu.js); usbtest records
 *    the alt a SET_INTERFACE selects and refuses one the descriptors do
 *    not have.  Option-byte writes are not modelled (errADDRESS);
 *  - RDP level 1 (the RDP byte, OPTSR_CUR bits 15:8, neither 0xAA nor
 *    0xCC): UPLOAD of data (flash or option bytes, "whatever the target")
 *    stalls and leaves (errVENDOR, dfuERROR); a DNLOAD of data, an erase
 *    and a mass erase end in (errVENDOR, dfuERROR) at GETSTATUS (AN3156,
 *    protection enabled).  Set Address Pointer, Get (UPLOAD wValue 0),
 *    GETSTATUS, CLRSTATUS, ABORT and leave still work;
 *  - system memory (the ROM, AN2606 Table 226: 0x1FF00000-0x1FF1E7FF)
 *    holds the bootloader ID byte at 0x1FF1E7FE (AN2606 Table 3;
 *    cfg.bootloader_id, 0x92 = V9.2 by default).  AN3156 lets the host
 *    read any memory the chip does not protect, and ST staff point users
 *    at this byte, but that the ROM's own area answers over DFU is
 *    INFERRED: with cfg.bootloader_id_readable 0 a Set Address Pointer
 *    there ends in errTARGET, as anywhere outside the model's memory.  A
 *    readable window answers UPLOADs that fit in it (one that runs past
 *    0x1FF1E7FF stalls with errADDRESS, as for flash: INFERRED) with the
 *    low byte of each address as filler (the ROM's code is not
 *    published; the filler makes a read at the wrong address visible)
 *    and the ID at 0x1FF1E7FE; under RDP level 1 the UPLOAD is refused
 *    like every read.  Writes and erases there fail as outside flash;
 *  - write protection by address window (WPSN_CUR1 bit n: sector n of
 *    0x08000000; WPSN_CUR2 bit n: sector n of 0x08100000; bit 0 means
 *    protected, RM0399 FLASH_WPSN_CUR1R/CUR2R): an erase of a protected
 *    sector ends in (errERASE, dfuERROR), a DNLOAD touching one in
 *    (errWRITE, dfuERROR), a mass erase with any protected sector in
 *    (errERASE, dfuERROR), each leaving the flash as it was (the statuses
 *    are INFERRED).  AN3156 says instead that "no error is returned" for
 *    an erase of a write-protected sector: cfg.wrp_erase_silent models
 *    that (the erase and the mass erase answer OK and erase nothing; the
 *    mass erase part is INFERRED from RM0399's bank erase, which a
 *    protected sector aborts), so a tool must not take an erase's OK as
 *    proof.  The DNLOAD status is not documented.  SWAP_BANK is the
 *    simple case: the bit is shown in the block but the flash is
 *    addressed by window, so the WPSN words describe the bank mapped at
 *    each address, as RM0399 Table 19 says they do when swapped.
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

/* Alt 1: the option-byte block (RM0399 §4.9.7-4.9.20; block offset =
 * register offset - 0x1C). */
#define H7MODEL_OB_LAYOUT "@Option Bytes   /0x5200201C/01*128 e"
#define H7MODEL_OB_ADDRESS 0x5200201Cu
#define H7MODEL_OB_SIZE 128u	   /* what the H745 descriptor says */
#define H7MODEL_OB_IMAGE_SIZE 308u /* 0x134: through the BOOT4_PRG alias */
#define H7MODEL_OB_OPTSR_CUR 0x000u
#define H7MODEL_OB_OPTSR_PRG 0x004u
#define H7MODEL_OB_PRAR_CUR1 0x00Cu
#define H7MODEL_OB_PRAR_PRG1 0x010u
#define H7MODEL_OB_SCAR_CUR1 0x014u
#define H7MODEL_OB_SCAR_PRG1 0x018u
#define H7MODEL_OB_WPSN_CUR1 0x01Cu
#define H7MODEL_OB_WPSN_PRG1 0x020u
#define H7MODEL_OB_BOOT7_CUR 0x024u
#define H7MODEL_OB_BOOT7_PRG 0x028u
#define H7MODEL_OB_BOOT4_CUR 0x02Cu
#define H7MODEL_OB_BOOT4_PRG 0x030u
#define H7MODEL_OB_OPTCR_ALIAS 0x0FCu /* bit 31 SWAP_BANK in effect */
#define H7MODEL_OB_BANK2 0x100u	      /* + this: the bank-2 word or alias */
/* OPTSR bits (RM0399 FLASH_OPTSR_CUR). */
#define H7MODEL_OPTSR_BCM7 (1u << 23)
#define H7MODEL_OPTSR_BCM4 (1u << 22)
/* RM0399 Table 20, reserved bits 28:26 as that table gives them. */
#define H7MODEL_OB_FACTORY_OPTSR 0x17C6AAF0u
#define H7MODEL_OB_FACTORY_BOOT7 0x1FF00800u
#define H7MODEL_OB_FACTORY_BOOT4 0x10000810u
#define H7MODEL_OB_FACTORY_AREA 0x000000FFu
#define H7MODEL_OB_FACTORY_WPSN 0x000000FFu

/* System memory, the ROM itself (AN2606 Table 226: 0x1FF00000-0x1FF1E7FF),
 * with the bootloader ID byte at its end (AN2606 Table 3: 0x1FF1E7FE;
 * V9.2 = 0x92 on the current H74x/75x). */
#define H7MODEL_SYSMEM_BASE 0x1FF00000u
#define H7MODEL_SYSMEM_SIZE 0x0001E800u
#define H7MODEL_BOOTLOADER_ID_ADDRESS 0x1FF1E7FEu
#define H7MODEL_BOOTLOADER_ID 0x92u

/* How the device answers the leave request (see the top comment). */
enum h7model_leave {
	H7MODEL_LEAVE_MANIFEST,	  /* GETSTATUS: dfuMANIFEST, then gone */
	H7MODEL_LEAVE_STALL_GONE, /* GETSTATUS stalls, then gone */
	H7MODEL_LEAVE_STALL_STAY, /* GETSTATUS stalls, stays in DFU mode */
	H7MODEL_LEAVE_GONE	  /* gone at the zero-length DNLOAD */
};

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
	uint16_t ob_size;	/* bytes of the option-byte block the ROM
				   answers with: H7MODEL_OB_SIZE (also for
				   0) up to H7MODEL_OB_IMAGE_SIZE */
	uint8_t bootloader_id;	/* the byte at 0x1FF1E7FE */
	int bootloader_id_readable;    /* system memory can be addressed */
	int reset_ignored;	       /* a USB reset changes nothing */
	enum h7model_leave leave_mode; /* how the device leaves */
	int wrp_erase_silent; /* erasing a protected sector answers OK and
				 erases nothing (AN3156) */
};

/* The defaults: poll 10 ms, erase 1000 ms, mass erase 16000 ms, program
 * 5 ms, command 1 ms, no transfer time, no faults, stuck_from bank 2, an
 * option-byte block of 128 bytes, a readable bootloader ID 0x92, resets
 * obeyed, leave by dfuMANIFEST. */
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
/* A USB reset (see the top comment): 0, or DFUSE__XFER_GONE when the
 * device is gone. */
int h7model_usb_reset(struct h7model *m);
/* USB resets received (h7model_usb_reset calls), counted even when
 * ignored or failed. */
size_t h7model_resets(const struct h7model *m);

/* ---- The option-byte image (factory values after h7model_new) ---- */

/* The H7MODEL_OB_IMAGE_SIZE bytes of the image (borrowed). */
const uint8_t *h7model_option_bytes(const struct h7model *m);
uint32_t h7model_option_word(const struct h7model *m, uint32_t offset);
/* Sets the one word at block `offset` (a multiple of 4 below
 * H7MODEL_OB_IMAGE_SIZE; others are ignored) and nothing else. */
void h7model_set_option_word(struct h7model *m, uint32_t offset,
			     uint32_t value);
/* Replaces the first `len` bytes of the image (len at most
 * H7MODEL_OB_IMAGE_SIZE; more is cut) with `p`, raw, and nothing else. */
void h7model_set_option_bytes(struct h7model *m, const uint8_t *p, size_t len);
/* The helpers below set a _CUR word, its _PRG word and, for OPTSR, BOOT7
 * and BOOT4, their +0x100 aliases, as a reset after an option change
 * leaves them. */
/* OPTSR as a whole (OPT_BUSY and OPTCHANGEERR are kept out of _PRG). */
void h7model_set_optsr(struct h7model *m, uint32_t optsr);
/* The RDP byte: 0xAA level 0, 0xCC level 2, anything else level 1. */
void h7model_set_rdp(struct h7model *m, uint8_t rdp);
void h7model_set_bcm(struct h7model *m, int bcm7, int bcm4);
/* SWAP_BANK_OPT (OPTSR bit 31) and OPTCR.SWAP_BANK in the alias at 0xFC. */
void h7model_set_swap_bank(struct h7model *m, int swap);
/* nWRP of the bank window at 0x08000000 (bank 0) or 0x08100000 (bank 1):
 * bit n clear = sector n write-protected. */
void h7model_set_nwrp(struct h7model *m, int bank, uint8_t nwrp);
/* Write-protects sector 0..15 by address (0x08000000 + n x 128 KiB). */
void h7model_protect_sector(struct h7model *m, unsigned sector);
/* Boot addresses (their top 16 bits are kept: 64 KiB granular). */
void h7model_set_boot_cm7(struct h7model *m, uint32_t add0, uint32_t add1);
void h7model_set_boot_cm4(struct h7model *m, uint32_t add0, uint32_t add1);
/* 1 when the RDP byte is neither 0xAA nor 0xCC. */
int h7model_rdp1(const struct h7model *m);
/* 1 when sector 0..15 is write-protected. */
int h7model_sector_protected(const struct h7model *m, unsigned sector);

size_t h7model_log_count(const struct h7model *m);
const struct h7model_xfer *h7model_log_entry(const struct h7model *m, size_t i);
/* Transfers with bRequest `request` and, unless command is -1, that DfuSe
 * command byte (a DNLOAD with wValue 0). */
size_t h7model_count(const struct h7model *m, int request, int command);
/* UPLOADs of data (wValue >= 2; not the Get command, wValue 0). */
size_t h7model_count_data_uploads(const struct h7model *m);
/* DfuSe erase commands (sector and mass) sent. */
size_t h7model_count_erases(const struct h7model *m);
/* Forgets the log (the transfer count for faults keeps running). */
void h7model_log_clear(struct h7model *m);

#endif /* H7MODEL_H */
