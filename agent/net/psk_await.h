/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A handshake's PSK awaited from its owner: the key source of the two
 * listeners whose PSK callback pauses (net/tls_gba.h, SSL_MODE_ASYNC),
 * daemon/gba_listener.h over TCP and net/dtls_server.h over UDP, so that
 * an owner (the MAF's Km by Km-Id, daemon/maf/maf_km_pull.h) serves both
 * with one get_key and one cancel.
 *
 * The listener embeds one struct psk_await in each connection or session
 * and fills its own fields; tls_gba's fetch calls psk_await_fetch(). The
 * owner's get_key answers with psk_await_key(), at once (before get_key
 * returns: the handshake goes on unpaused) or later (the handshake's job
 * paused meanwhile; the answer resumes it through the listener's resume,
 * which may free the connection, await with it). A connection that ends
 * while its key is awaited calls psk_await_cancel() before it finishes
 * the paused job: the owner's cancel forgets it, and no answer comes.
 * The owners: the MAF's Km by Km-Id (daemon/maf/maf_km_pull.h) and the
 * NAF key of a B-TID over Zn (daemon/gba_zn_key.h, gba-listen's over TLS
 * and the MAF's gba-dtls-listen).
 */
#ifndef E2MD_PSK_AWAIT_H
#define E2MD_PSK_AWAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

struct psk_await;

struct psk_source {
	/*
	 * The key of identity (any psk_identity, up to
	 * TLS_GBA_IDENTITY_MAX octets), given with psk_await_key() once,
	 * now or later: 0, or a negative errno (no key: the handshake
	 * fails).
	 */
	int (*get_key)(void *arg, struct psk_await *await,
		       const char *identity);
	/* A connection whose key is awaited ends: forget await. */
	void (*cancel)(void *arg, struct psk_await *await);
	/*
	 * Optional: a connection whose key was given ends: free what the
	 * owner kept with it (*psk_await_owner(), e.g. the answer the key
	 * came in, daemon/gba_zn_key.h). Must not use arg: it may run
	 * after the source has gone (a connection that outlives it).
	 */
	void (*release)(struct psk_await *await);
	void *arg;
	size_t max_awaited;	/* keys awaited at once, per listener */
};

/* One connection's; the listener's fields, set before its handshake. */
struct psk_await {
	const struct psk_source *source;
	size_t *n_awaited;		/* the listener's count */
	SSL *ssl;
	/* The key came later: step the paused handshake on. */
	void (*resume)(struct psk_await *await);
	/* Below, psk_await.c's. */
	void *owner;			/* the owner's, of its calls */
	bool awaited;			/* asked, not answered */
	bool keyed;			/* answered with a key */
	bool in_get_key;		/* inside get_key: no resume */
};

/*
 * tls_gba's fetch of the handshake: the owner's get_key, once. 0, or a
 * negative errno (-EALREADY for a second ask, -EBUSY past max_awaited),
 * with the handshake then refused.
 */
int psk_await_fetch(struct psk_await *await, const char *identity);

/*
 * get_key's answer: the key (len octets, copied), or with key NULL the
 * reason (static text) the tls-refused line gives. Once per get_key.
 */
void psk_await_key(struct psk_await *await, const uint8_t *key, size_t len,
		   const char *reason);

/* The owner's pointer (NULL at first), for its answer or cancel. */
void **psk_await_owner(struct psk_await *await);

/*
 * The connection ends: an awaited key is cancelled at the owner, and
 * what the owner kept with a given one is released. Idempotent.
 */
void psk_await_cancel(struct psk_await *await);

#endif /* E2MD_PSK_AWAIT_H */
