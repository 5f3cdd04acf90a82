/*
 * interrupt.h - Ctrl-C (SIGINT) and SIGTERM for the commands that talk to a
 * device: the handler only sets a flag, and the library polls it between
 * sectors and blocks (the `cancel` callback of its options), so the work
 * stops with DFU_ABORT sent and the device idle, never half-way through a
 * request.
 */
#ifndef DFUSETOOL_INTERRUPT_H
#define DFUSETOOL_INTERRUPT_H

#include <signal.h>

/* Set by the handler; usbopts.stop may point at it (waiting is stopped
 * too). */
extern volatile sig_atomic_t interrupt_flag;

/* Installs the handler for SIGINT and SIGTERM. */
void interrupt_install(void);
/* The library's cancel callback: nonzero once a signal came.  The
 * payload is ignored. */
int interrupt_cancel(void *payload);

#endif /* DFUSETOOL_INTERRUPT_H */
