/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TLS server context for GBA PSK-TLS (RFC 4279 with TS 33.222 5.4 /
 * TS 24.109 F.3, PROFILE.md 5): the client names a bootstrap and proves
 * its NAF-specific key.
 *
 *	hint	 "3GPP-bootstrapping" (TLS 1.2 ServerKeyExchange)
 *	identity "3GPP-bootstrapping" || B-TID (GBA_ME), or
 *		 "3GPP-bootstrapping-uicc" || B-TID (GBA_U)
 *	PSK	 Ks_NAF / Ks_ext_NAF of the B-TID, NAF_Id = FQDN || Ua id,
 *		 Ua id 01 00 01 yy zz with yy zz the TLS 1.2 suite chosen,
 *		 01 00 00 00 07 for TLS 1.3
 *
 * The key lives at the BSF and comes over Zn, asynchronously, while
 * OpenSSL asks for it in a synchronous callback. So every SSL of this
 * context runs with SSL_MODE_ASYNC: OpenSSL runs the handshake inside an
 * ASYNC job, the PSK callbacks (psk_server_callback for TLS 1.2,
 * psk_find_session for TLS 1.3) call the owner's fetch and then
 * ASYNC_pause_job(), SSL_accept() returns SSL_ERROR_WANT_ASYNC, and the
 * owner, once the key (or a refusal) is given with tls_gba_key_done(),
 * calls SSL_accept() again: the job resumes inside the callback, which
 * returns the key. One fetch per connection: a second identity, or the
 * same one under another Ua id, gets no key. Over DTLS (conf dtls, the
 * sessions of net/dtls_server.h) the same with SSL_do_handshake().
 *
 * Suites as for device PSKs (tls_psk.h): TLS 1.2 ECDHE-PSK-CHACHA20-
 * POLY1305, DHE-PSK-AES128-GCM-SHA256, PSK-AES128-GCM-SHA256; TLS 1.3
 * TLS_AES_128_GCM_SHA256 and TLS_CHACHA20_POLY1305_SHA256 (both SHA-256).
 * No certificate, no tickets, no resumption. A refused key fails the
 * handshake (TLS 1.2 unknown_psk_identity; TLS 1.3 no credential left),
 * a wrong key fails it at Finished (1.2) or the binder (1.3); each is
 * logged event=tls-refused with the identity and the reason.
 */
#ifndef E2MD_TLS_GBA_H
#define E2MD_TLS_GBA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "crypto/gba.h"
#include "store/store.h"

#define TLS_GBA_HINT		"3GPP-bootstrapping"
#define TLS_GBA_HINT_UICC	"3GPP-bootstrapping-uicc"
/* The Ua security protocol identifiers (TS 33.220 H.2, PROFILE.md 5). */
#define TLS_GBA_UA_TLS12	{ 0x01, 0x00, 0x01 }	/* || the suite */
#define TLS_GBA_UA_TLS13	{ 0x01, 0x00, 0x00, 0x00, 0x07 }

/*
 * Starts fetching the key of btid for Ua id ua_id (GBA_U's when uicc);
 * the owner answers with tls_gba_key_done() on ssl, at once or later.
 * 0, or a negative errno: no fetch, the handshake fails.
 */
typedef int (*tls_gba_fetch_fn)(void *arg, SSL *ssl, const char *btid,
				bool uicc, const uint8_t ua_id[GBA_UA_ID_LEN]);

struct tls_gba_conf {
	tls_gba_fetch_fn fetch;
	void *arg;
	/*
	 * NULL: the suites above, TLS 1.2 and 1.3; else TLS 1.2 only with
	 * these (the oneM2M association's, PROFILE.md 6).
	 */
	const char *tls12_only_suites;
	/*
	 * true: any psk_identity is the owner's (the oneM2M Km-Id, up to
	 * TLS_GBA_IDENTITY_MAX octets): not parsed, no hint sent; fetch
	 * gets it whole as btid, uicc false (and the Ua id of the suite,
	 * which the owner ignores).
	 */
	bool any_identity;
	/*
	 * With tls12_only_suites: DTLS 1.2 instead of TLS 1.2, the SSLs
	 * over the owner's memory BIOs (net/dtls_server.h): the paused job
	 * reads nothing while paused, and peer_name gives the peer for the
	 * tls-refused line, the SSL having no socket of its own.
	 */
	bool dtls;
	const char *(*peer_name)(const SSL *ssl);
};

/* The longest psk_identity this context takes. */
#define TLS_GBA_IDENTITY_MAX	(STORE_BTID_MAX + sizeof(TLS_GBA_HINT_UICC) - 1)

struct tls_gba;

/* 0, or -ENOMEM / -EINVAL with a one-line reason in why. */
int tls_gba_new(struct tls_gba **gba, const struct tls_gba_conf *conf,
		char *why, size_t why_size);
void tls_gba_free(struct tls_gba *gba);

/* A new SSL for an accepted connection, in SSL_MODE_ASYNC, or NULL. */
SSL *tls_gba_ssl(struct tls_gba *gba);

/* The context itself, for what only its owner sets (DTLS cookies). */
SSL_CTX *tls_gba_context(struct tls_gba *gba);

/*
 * The fetch's outcome: key (len octets, copied) or, with key NULL, a
 * refusal whose reason (static text) tls-refused logs. The owner then
 * calls SSL_accept() (SSL_do_handshake()) again.
 */
void tls_gba_key_done(SSL *ssl, const uint8_t *key, size_t len,
		      const char *reason);

/* Whether a fetch was started on ssl and not answered yet. */
bool tls_gba_fetching(const SSL *ssl);

/*
 * The B-TID whose key the completed handshake of ssl used, and whether
 * by the -uicc hint (with any_identity: the identity, uicc false); NULL
 * before (valid while ssl lives).
 */
const char *tls_gba_btid(const SSL *ssl, bool *uicc);

/*
 * The Ua id the fetch under way on ssl was started for (the suite's):
 * 0, or -ENOENT when none was started.
 */
int tls_gba_fetch_ua_id(const SSL *ssl, uint8_t ua_id[GBA_UA_ID_LEN]);

/* The client's whole psk_identity, "-" when none (for logs). */
const char *tls_gba_identity(const SSL *ssl);

/*
 * The Ua security protocol identifier of a suite (TLS 1.2: 01 00 01 and
 * its two octets; TLS 1.3: 01 00 00 00 07), for both ends.
 */
void tls_gba_ua_id(const SSL_CIPHER *cipher, bool tls13,
		   uint8_t ua_id[GBA_UA_ID_LEN]);

/*
 * Splits a psk_identity into its B-TID and hint: 0, or -EINVAL when it
 * is not a GBA identity (no hint, or no valid B-TID after it).
 */
int tls_gba_identity_parse(const char *identity, char btid[STORE_BTID_MAX + 1],
			   bool *uicc);

#endif /* E2MD_TLS_GBA_H */
