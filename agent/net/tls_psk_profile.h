/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PSK-TLS server profile (PROFILE.md 5) that both of e2md's PSK
 * servers hold to: the devices' pre-provisioned PSKs (tls_psk.h) and GBA
 * PSK-TLS (tls_gba.h). TLS 1.2 or 1.3; AEAD suites only, forward secrecy
 * first; no renegotiation, compression, tickets or session cache; a TLS
 * 1.3 external PSK is a session of TLS_AES_128_GCM_SHA256.
 */
#ifndef E2MD_TLS_PSK_PROFILE_H
#define E2MD_TLS_PSK_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

/* The TLS 1.2 PSK suites, in the server's order of preference. */
#define TLS_PSK_PROFILE_TLS12_SUITES \
	"ECDHE-PSK-CHACHA20-POLY1305:DHE-PSK-AES128-GCM-SHA256:" \
	"PSK-AES128-GCM-SHA256"

/*
 * The profile on ctx, with tls12_suites as its TLS 1.2 cipher list (the
 * PSK suites, and certificate suites where the server takes both). 0, or
 * -EINVAL with what failed in why.
 */
int tls_psk_profile_setup(SSL_CTX *ctx, const char *tls12_suites, char *why,
			  size_t why_size);

/* key (len octets) as the session of a TLS 1.3 external PSK; NULL: none. */
SSL_SESSION *tls_psk_profile_session(SSL *ssl, const uint8_t *key,
				     size_t len);

/* -EINVAL, with "what: OpenSSL's last reason" in why. */
int tls_psk_profile_fail(char *why, size_t why_size, const char *what);

#endif /* E2MD_TLS_PSK_PROFILE_H */
