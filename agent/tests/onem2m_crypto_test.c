// SPDX-License-Identifier: GPL-2.0
/*
 * The oneM2M bootstrap's derivations (crypto/onem2m.h, e2m profile):
 * exact values, computed independently by tests/onem2m_vectors.py
 * (Python's hmac); the ids' refusals; and Ke from a live TLS 1.2 PSK
 * session (crypto/onem2m_tls.h): both ends export the same key, and it
 * is the TLS 1.2 PRF (P_SHA256, RFC 5246 5) of the session's master
 * secret, the label and client_random || server_random, recomputed here
 * with HMAC alone (RFC 5705 4, no context).
 */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>

#include "tap.h"
#include "crypto/onem2m.h"
#include "crypto/onem2m_tls.h"

#define KE	"000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"
#define MEF	"mef.example.net"
#define TARGET	"maf.example.net"

static void test_vectors(void)
{
	uint8_t ke[ONEM2M_KEY_LEN], km[ONEM2M_KEY_LEN], kpsa[ONEM2M_KEY_LEN];
	char id[ONEM2M_KEY_ID_MAX + 1];

	unhex(ke, sizeof(ke), KE);
	ok(!onem2m_ke_id(id, sizeof(id), ke, MEF) &&
	   !strcmp(id, "vbil5qy0yhIdG0p1WqDHRQ==@" MEF), "KeId: %s", id);
	ok(!onem2m_km(km, ke, "maf-1", "CAE-enrolee-1"), "Km derived");
	is_hex(km, sizeof(km),
	       "94686d5b93913e98a4a493ae7b38346395ff27ab1a75751deff01f8f1a644eda",
	       "Km = KDF(Ke, FF E7, Km, MAF-ID, Enrolee-ID)");
	ok(!onem2m_km_id(id, sizeof(id), km, TARGET) &&
	   !strcmp(id, "h9VipqsqGS95IEmdniAr3A==@" TARGET), "Km-Id: %s", id);
	ok(!onem2m_kpsa(kpsa, ke, "node-b", "CAE-enrolee-1"), "Kpsa derived");
	is_hex(kpsa, sizeof(kpsa),
	       "df670490f8aaebb0c83d98e7fb84e5d297afb9968e98043cffbc86a38cba246e",
	       "Kpsa = KDF(Ke, FF E7, Kpsa, Enrolee-B-ID, Enrolee-ID)");
	ok(!onem2m_kpsa_id(id, sizeof(id), kpsa, TARGET) &&
	   !strcmp(id, "lx5bkhdvZlRA1mnShrSPQg==@" TARGET),
	   "Kpsa-Id: %s", id);
}

static void test_refusals(void)
{
	uint8_t ke[ONEM2M_KEY_LEN] = { 0 }, km[ONEM2M_KEY_LEN];
	char id[ONEM2M_KEY_ID_MAX + 1], small[40];

	ok(onem2m_ke_id(id, sizeof(id), ke, "not an fqdn") == -EINVAL,
	   "an id for a name that is no FQDN: -EINVAL");
	ok(onem2m_ke_id(id, sizeof(id), ke, "") == -EINVAL,
	   "an id for an empty name: -EINVAL");
	ok(onem2m_ke_id(small, sizeof(small), ke, MEF) == -EINVAL,
	   "an id that does not fit: -EINVAL");
	ok(onem2m_km(km, ke, "", "e") == -EINVAL &&
	   onem2m_kpsa(km, ke, "b", "") == -EINVAL,
	   "Km, Kpsa with an empty id: -EINVAL");
	ok(onem2m_key_id_valid("vbil5qy0yhIdG0p1WqDHRQ==@" MEF),
	   "a KeId is valid");
	ok(!onem2m_key_id_valid("vbil5qy0yhIdG0p1WqDHRQ=@" MEF) &&
	   !onem2m_key_id_valid("vbil5qy0yhIdG0p1WqDHR!==@" MEF) &&
	   !onem2m_key_id_valid("vbil5qy0yhIdG0p1WqDHRQ==@") &&
	   !onem2m_key_id_valid("vbil5qy0yhIdG0p1WqDHRQ==" MEF) &&
	   !onem2m_key_id_valid(""), "malformed ids are not");
}

/* ---- Ke from a live session ------------------------------------------ */

static const uint8_t kpm[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				 13, 14, 15, 16 };

static unsigned int server_psk(SSL *ssl, const char *identity,
			       unsigned char *psk, unsigned int max)
{
	(void)ssl;
	if (strcmp(identity, "kpm-1") || max < sizeof(kpm))
		return 0;
	memcpy(psk, kpm, sizeof(kpm));
	return sizeof(kpm);
}

static unsigned int client_psk(SSL *ssl, const char *hint, char *identity,
			       unsigned int max_identity, unsigned char *psk,
			       unsigned int max)
{
	(void)ssl;
	(void)hint;
	if (max < sizeof(kpm) || max_identity < 6)
		return 0;
	strcpy(identity, "kpm-1");
	memcpy(psk, kpm, sizeof(kpm));
	return sizeof(kpm);
}

/* P_SHA256(secret, label || seed), len octets (RFC 5246 5). */
static void p_sha256(const uint8_t *secret, size_t secret_len,
		     const uint8_t *seed, size_t seed_len, uint8_t *out,
		     size_t len)
{
	uint8_t a[32], block[32], buf[32 + 128];
	unsigned int n;
	size_t done;

	HMAC(EVP_sha256(), secret, (int)secret_len, seed, seed_len, a, &n);
	for (done = 0; done < len; done += 32) {
		memcpy(buf, a, 32);
		memcpy(buf + 32, seed, seed_len);
		HMAC(EVP_sha256(), secret, (int)secret_len, buf, 32 + seed_len,
		     block, &n);
		memcpy(out + done, block, len - done < 32 ? len - done : 32);
		HMAC(EVP_sha256(), secret, (int)secret_len, a, 32, a, &n);
	}
}

/* Drives both ends over a BIO pair until both are done; 0 or -1. */
static int handshake(SSL *client, SSL *server)
{
	int i, c = 0, s = 0;

	for (i = 0; i < 100 && (c != 1 || s != 1); i++) {
		if (c != 1)
			c = SSL_do_handshake(client);
		if (s != 1)
			s = SSL_do_handshake(server);
	}
	return c == 1 && s == 1 ? 0 : -1;
}

static void test_export(void)
{
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
	uint8_t ke_c[ONEM2M_KEY_LEN], ke_s[ONEM2M_KEY_LEN];
	uint8_t master[64], seed[128], expected[ONEM2M_KEY_LEN];
	size_t master_len, label_len = strlen(ONEM2M_KE_LABEL);
	SSL *client, *server;
	BIO *bc, *bs;

	SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
	SSL_CTX_set_cipher_list(cctx, "PSK-AES128-CCM8");
	SSL_CTX_set_cipher_list(sctx, "PSK-AES128-CCM8");
	SSL_CTX_set_psk_client_callback(cctx, client_psk);
	SSL_CTX_set_psk_server_callback(sctx, server_psk);
	client = SSL_new(cctx);
	server = SSL_new(sctx);
	BIO_new_bio_pair(&bc, 0, &bs, 0);
	SSL_set_bio(client, bc, bc);
	SSL_set_bio(server, bs, bs);
	SSL_set_connect_state(client);
	SSL_set_accept_state(server);

	ok(onem2m_ke_export(client, ke_c) == -EIO,
	   "no Ke before the handshake");
	if (!ok(!handshake(client, server), "TLS 1.2 PSK handshake")) {
		SSL_free(client);
		SSL_free(server);
		SSL_CTX_free(cctx);
		SSL_CTX_free(sctx);
		return;
	}
	ok(onem2m_tls_version_ok(client) && onem2m_tls_version_ok(server),
	   "TLS 1.2 is a version of the framework");
	ok(SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(client)) ==
	   0xc0a8, "suite TLS_PSK_WITH_AES_128_CCM_8 (0xC0A8)");
	ok(!onem2m_ke_export(client, ke_c) && !onem2m_ke_export(server, ke_s) &&
	   !memcmp(ke_c, ke_s, sizeof(ke_c)), "both ends export one Ke");

	master_len = SSL_SESSION_get_master_key(SSL_get_session(server),
						master, sizeof(master));
	memcpy(seed, ONEM2M_KE_LABEL, label_len);
	SSL_get_client_random(server, seed + label_len, 32);
	SSL_get_server_random(server, seed + label_len + 32, 32);
	p_sha256(master, master_len, seed, label_len + 64, expected,
		 sizeof(expected));
	ok(master_len == 48 && !memcmp(ke_s, expected, sizeof(expected)),
	   "Ke = PRF(master secret, label, client_random || server_random)");

	SSL_free(client);
	SSL_free(server);
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
}

int main(void)
{
	test_vectors();
	test_refusals();
	test_export();
	return done_testing();
}
