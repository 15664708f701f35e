/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzzer works on: the device, the family, the traffic's flows.
 * Set from the command line and the controller before the run, read by
 * every part of it (one thread; the key revoker does not touch it).
 */
#ifndef NLFUZZ_TARGET_H
#define NLFUZZ_TARGET_H

#include <stdint.h>

#include <keyutils.h>

#define MAX_TEIDS	8

struct target {
	const char *dev;
	int ifindex;
	uint32_t peer4, inner4;		/* network order; 0: none given */
	uint32_t teids[MAX_TEIDS];	/* the traffic's flows, to change */
	int nteids;
	int family;
	key_serial_t user_key;		/* a key of the wrong type */
	key_serial_t user_keyring;	/* a keyring: no key at all */
};

extern struct target target;

#endif
