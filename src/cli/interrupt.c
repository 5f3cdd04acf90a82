/*
 * interrupt.c - the flag-setting SIGINT/SIGTERM handler of the device
 * commands (interrupt.h).
 */
#include "interrupt.h"

#include <string.h>

volatile sig_atomic_t interrupt_flag;

static void on_signal(int sig)
{
	(void)sig;
	interrupt_flag = 1;
}

void interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int interrupt_cancel(void *payload)
{
	(void)payload;
	return interrupt_flag != 0;
}
