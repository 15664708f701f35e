/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TLS server context whose clients authenticate with a pre-shared key
 * (RFC 4279 for TLS 1.2, an external PSK for TLS 1.3), for the NAF Key
 * Centre's devices (PROFILE.md 5). OpenSSL runs the handshake; this
 * module only answers its two callbacks with the key the owner's lookup
 * finds for the client's identity:
 *
 *	TLS 1.2	SSL_CTX_set_psk_server_callback(), the hint sent in
 *		ServerKeyExchange; suites, server's order:
 *		ECDHE-PSK-CHACHA20-POLY1305 (0xCCAC),
 *		DHE-PSK-AES128-GCM-SHA256 (0x00AA), PSK-AES128-GCM-SHA256
 *		(0x00A8): AEAD only, never RC4, 3DES, NULL or CBC
 *	TLS 1.3	SSL_CTX_set_psk_find_session_callback(): the identity's key
 *		as a session of TLS_AES_128_GCM_SHA256 (SHA-256, so
 *		TLS_CHACHA20_POLY1305_SHA256 works too); psk_dhe_ke
 *		whenever the client offers it with a key share, psk_ke
 *		(no forward secrecy) only for a client that offers no
 *		other
 *
 * No certificate, no session resumption and no tickets: every connection
 * looks its key up again, so a key removed is refused from the next
 * handshake on. An identity the lookup does not know fails the handshake
 * (TLS 1.2: unknown_psk_identity; TLS 1.3: no PSK, no certificate to fall
 * back to), a wrong key fails it at Finished (1.2) or the binder (1.3).
 * Refused handshakes are logged (event=tls-refused, peer, alert, and the
 * identity the client named), never a key.
 *
 * tls_psk_identity() says which identity an accepted connection proved.
 *
 * Certificates too, on the same context (TS 33.222 5.5 style), when the
 * conf names a device CA: the server shows the tls section's certificate
 * and asks for the client's, which must chain to the device CA (not the
 * operator's CA the network functions use). Both on one listener: a
 * client that offers a PSK (a PSK suite in TLS 1.2, whose suites come
 * first in the server's order; the pre_shared_key extension in TLS 1.3)
 * is taken by its PSK and asked for no certificate; any other must show
 * a certificate, else the handshake fails (certificate required, or the
 * verification error). tls_peer_get() (tls.h) reads a verified
 * certificate. With no lookup, PSKs are off and certificates alone work.
 *
 *	TLS 1.2 with a certificate: ECDHE-ECDSA and ECDHE-RSA with
 *		AES-GCM or ChaCha20-Poly1305, after the PSK suites
 *	TLS 1.3: the same two suites as for PSKs
 */
#ifndef E2MD_TLS_PSK_H
#define E2MD_TLS_PSK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "daemon/config.h"

#define TLS_PSK_IDENTITY_MAX	255	/* octets, RFC 4279 caps at 128 */
#define TLS_PSK_KEY_MAX		64	/* octets */

/*
 * The key of identity (a NUL-terminated string of 1..TLS_PSK_IDENTITY_MAX
 * octets without NUL) into key (TLS_PSK_KEY_MAX octets), its length in
 * *len: 0, or a negative errno when there is none (-ENOENT) or the lookup
 * failed. The module wipes key after use.
 */
typedef int (*tls_psk_lookup_fn)(void *arg, const char *identity,
				 uint8_t key[TLS_PSK_KEY_MAX], size_t *len);

struct tls_psk_conf {
	const char *hint;		/* psk_identity_hint, TLS 1.2 */
	tls_psk_lookup_fn lookup;	/* NULL: no PSK */
	void *arg;
	/*
	 * Certificates: device_ca the PEM CA file the clients' certificates
	 * must chain to, server the certificate and key the server shows
	 * (the tls section). device_ca NULL: PSKs only.
	 */
	const char *device_ca;
	const struct config_tls *server;
	/*
	 * NULL: the profile's suites above, TLS 1.2 and 1.3. Else the
	 * only suites, TLS 1.2 alone (the oneM2M MEF, PROFILE.md 6).
	 */
	const char *tls12_only_suites;
	/* With tls12_only_suites: DTLS 1.2 instead of TLS 1.2 (UDP). */
	bool dtls;
};

struct tls_psk;

/*
 * 0, or -ENOMEM / -EINVAL with a one-line reason in why (a file that
 * cannot be read, or neither PSKs nor certificates).
 */
int tls_psk_new(struct tls_psk **psk, const struct tls_psk_conf *conf,
		char *why, size_t why_size);
void tls_psk_free(struct tls_psk *psk);

/* A new SSL for an accepted connection, or NULL. */
SSL *tls_psk_ssl(struct tls_psk *psk);

/* The context itself, for what only its owner sets (DTLS cookies). */
SSL_CTX *tls_psk_context(struct tls_psk *psk);

/*
 * The identity whose key the handshake of ssl used (valid while ssl
 * lives), or NULL when it did not complete with one.
 */
const char *tls_psk_identity(const SSL *ssl);

/*
 * The identity the client named, found or not, handshake done or not
 * (valid while ssl lives): for logs only. NULL when it named none.
 */
const char *tls_psk_named_identity(const SSL *ssl);

#endif /* E2MD_TLS_PSK_H */
