/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory for long-lived secrets (the store key, the keys roles keep in
 * their tables, cookie and decoy secrets): never in a core file, kept out
 * of swap where the memory-lock limit allows, and wiped when freed.
 *
 *	struct entry *e = secure_calloc(sizeof(*e));
 *	...
 *	secure_free(e);			wiped, then given back
 *
 * Allocations come from pages of their own, mmap'd and marked
 * MADV_DONTDUMP (VmFlags "dd" in /proc/self/smaps), so that a core dump
 * made despite process_forbid_dumps() (util/no_dump.h), or one of a
 * kernel that ignores it, leaves them out. The pages are also mlock'ed
 * while RLIMIT_MEMLOCK allows (a failure there is not an error: they are
 * then only not dumped). Small allocations share SECURE_CHUNK-sized
 * chunks, by size class; one above SECURE_SLOT_MAX has a mapping of its
 * own. Memory is zeroed when handed out and wiped when freed; a chunk
 * whose last slot is freed goes back to the system.
 *
 * Not thread-safe: the daemon and e2mctl allocate on one thread.
 */
#ifndef E2M_UTIL_SECURE_ALLOC_H
#define E2M_UTIL_SECURE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

#define SECURE_CHUNK		(64 * 1024)	/* a chunk, its alignment */
#define SECURE_SLOT_MIN		64
#define SECURE_SLOT_MAX		4096

/* size octets, zeroed, or NULL (size 0, or no memory: errno set). */
void *secure_calloc(size_t size);

/* Wipes what secure_calloc() gave and gives it back. NULL is fine. */
void secure_free(void *p);

/* Whether p's pages are locked in memory (for tests and status). */
bool secure_locked(const void *p);

/*
 * OpenSSL's own secure heap (CRYPTO_secure_malloc_init(), of
 * SECURE_OPENSSL_HEAP octets: mmap'd, MADV_DONTDUMP, mlock'ed when it
 * can be), where it keeps the private keys it reads (the TLS key's
 * BIGNUMs) and other secrets; once, before the first key is loaded.
 * 0, or -ENOMEM (OpenSSL then keeps them in its ordinary heap).
 */
#define SECURE_OPENSSL_HEAP	(64 * 1024)
int secure_alloc_openssl(void);

#endif /* E2M_UTIL_SECURE_ALLOC_H */
