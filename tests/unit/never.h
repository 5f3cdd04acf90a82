/*
 * never.h - a transport that fails the test on any call (tests only): for
 * proving that something sends nothing at all.
 */
#ifndef NEVER_H
#define NEVER_H

#include "transport.h"

extern const struct dfuse__transport_ops never_ops;

#endif /* NEVER_H */
