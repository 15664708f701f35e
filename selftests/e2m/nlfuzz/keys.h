/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key sets the fuzzer binds, and a thread that kills them at random
 * (revoke, invalidate, expire, unlink), and now and then any key of the
 * user keyring: the traffic's keys die under the fuzzer's feet.
 *
 * The pool's serials are atomics: the main thread replaces and binds them
 * while the revoker reads them. Nothing else is shared with the revoker.
 */
#ifndef NLFUZZ_KEYS_H
#define NLFUZZ_KEYS_H

#include <stdatomic.h>
#include <stdbool.h>

#include <keyutils.h>

#define KEY_POOL	32

struct key_pool {
	_Atomic key_serial_t serial[KEY_POOL];
	atomic_bool stop;
	atomic_ulong revoked, invalidated, expiring, unlinked, foreign, added;
};

extern struct key_pool keys;

key_serial_t add_keyset(void);
void keys_refresh(void);
/* The revoker thread; @arg points at its own PRNG seed (a uint64_t). */
void *revoker(void *arg);

#endif
