// SPDX-License-Identifier: GPL-2.0
/* The PSK-TLS server profile both PSK servers share, see tls_psk_profile.h. */
#include <errno.h>
#include <stdio.h>

#include "tls.h"
#include "tls_psk_profile.h"

/* Both SHA-256: the hash an external PSK's session is bound to. */
static const char tls13_suites[] =
	"TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256";
/* TLS_AES_128_GCM_SHA256, the cipher of a TLS 1.3 PSK session. */
static const unsigned char tls13_psk_cipher[] = { 0x13, 0x01 };

int tls_psk_profile_fail(char *why, size_t why_size, const char *what)
{
	char reason[128];

	tls_last_error(reason, sizeof(reason));
	snprintf(why, why_size, "%s%s%s", what, reason[0] ? ": " : "", reason);
	return -EINVAL;
}

int tls_psk_profile_setup(SSL_CTX *ctx, const char *tls12_suites, char *why,
			  size_t why_size)
{
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/*
	 * ALLOW_NO_DHE_KEX: a TLS 1.3 client without (EC)DHE may use
	 * psk_ke; one that offers psk_dhe_ke with a key share gets it.
	 */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
				 SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET |
				 SSL_OP_CIPHER_SERVER_PREFERENCE |
				 SSL_OP_ALLOW_NO_DHE_KEX);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (!SSL_CTX_set_num_tickets(ctx, 0))
		return tls_psk_profile_fail(why, why_size, "no tickets");
	if (!SSL_CTX_set_cipher_list(ctx, tls12_suites))
		return tls_psk_profile_fail(why, why_size, "TLS 1.2 suites");
	if (!SSL_CTX_set_ciphersuites(ctx, tls13_suites))
		return tls_psk_profile_fail(why, why_size, "TLS 1.3 suites");
	if (!SSL_CTX_set_dh_auto(ctx, 1))
		return tls_psk_profile_fail(why, why_size, "DHE parameters");
	return 0;
}

SSL_SESSION *tls_psk_profile_session(SSL *ssl, const uint8_t *key,
				     size_t len)
{
	const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, tls13_psk_cipher);
	SSL_SESSION *sess = SSL_SESSION_new();

	if (!sess || !cipher || !SSL_SESSION_set1_master_key(sess, key, len) ||
	    !SSL_SESSION_set_cipher(sess, cipher) ||
	    !SSL_SESSION_set_protocol_version(sess, TLS1_3_VERSION)) {
		SSL_SESSION_free(sess);
		return NULL;
	}
	return sess;
}
