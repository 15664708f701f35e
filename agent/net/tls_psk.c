// SPDX-License-Identifier: GPL-2.0
/*
 * The devices' TLS server context: PSKs on OpenSSL's callbacks, and
 * certificates from a device CA, see tls_psk.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "daemon/config.h"
#include "daemon/log.h"
#include "tls.h"
#include "tls_psk.h"
#include "tls_psk_profile.h"
#include "util/secure_alloc.h"

/* After the PSK suites, for a client that shows a certificate instead. */
static const char tls12_cert_suites[] =
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
	"ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384";
/* Names the server's sessions, as client certificates require. */
static const unsigned char session_id_context[] = "e2md-devices";

#define DECOY_SECRET_LEN	32
#define DECOY_KEY_LEN		32	/* HMAC-SHA-256 */

struct tls_psk {
	SSL_CTX *ctx;
	tls_psk_lookup_fn lookup;
	void *arg;
	bool dtls;
	uint8_t *decoy_secret;	/* DECOY_SECRET_LEN, random, secure_alloc.h */
};

/* What one connection's handshake named and found, in its ex_data. */
struct psk_conn {
	char identity[TLS_PSK_IDENTITY_MAX + 1];
	bool found;
};

static int conn_index = -1;

static void conn_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
		      long argl, void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	free(ptr);
}

static struct psk_conn *conn_of(const SSL *ssl)
{
	return SSL_get_ex_data(ssl, conn_index);
}

/*
 * The key an identity without one gets, so that its handshake fails as a
 * wrong key's does (at Finished, or at the binder) and an outsider cannot
 * tell which identities exist: HMAC-SHA-256 under the context's random
 * secret over the identity, the same for the same identity. Its length,
 * or 0 when it does not fit max.
 */
static size_t decoy_key(const struct tls_psk *psk, const char *identity,
			uint8_t *key, size_t max)
{
	unsigned int len = 0;

	if (max < DECOY_KEY_LEN)
		return 0;
	if (!HMAC(EVP_sha256(), psk->decoy_secret, DECOY_SECRET_LEN,
		  (const uint8_t *)identity, strlen(identity), key, &len) ||
	    len != DECOY_KEY_LEN) {
		OPENSSL_cleanse(key, DECOY_KEY_LEN);
		return 0;
	}
	return len;
}

static void log_unknown_identity(const char *identity)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_WARNING, NULL, "psk-unknown"))
		return;
	log_str(&line, "psk-identity", identity);
	log_str(&line, "reason", "unknown PSK identity");
	log_end(&line);
}

/*
 * Looks identity up for ssl and records what was named and found. The
 * key's length; for an identity without one (or a key that does not fit
 * max) a decoy key's (found stays false), 0 when not even that can be.
 */
static size_t find_key(SSL *ssl, const char *identity, uint8_t *key,
		       size_t max)
{
	struct tls_psk *psk = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	struct psk_conn *conn = conn_of(ssl);
	size_t len = 0;

	if (!conn) {
		conn = calloc(1, sizeof(*conn));
		if (!conn || !SSL_set_ex_data(ssl, conn_index, conn)) {
			free(conn);
			return 0;
		}
	}
	snprintf(conn->identity, sizeof(conn->identity), "%s", identity);
	if (psk->lookup(psk->arg, identity, key, &len) || !len || len > max) {
		OPENSSL_cleanse(key, TLS_PSK_KEY_MAX);
		/*
		 * DTLS drops the records a wrong key makes without an alert,
		 * so no tls-refused line follows: the operator hears of the
		 * unknown identity here.
		 */
		if (psk->dtls)
			log_unknown_identity(identity);
		return decoy_key(psk, identity, key, max);
	}
	conn->found = true;
	return len;
}

/* An identity as a C string: 1..TLS_PSK_IDENTITY_MAX octets, no NUL. */
static bool identity_text(const unsigned char *id, size_t len, char *out)
{
	if (!len || len > TLS_PSK_IDENTITY_MAX || memchr(id, '\0', len))
		return false;
	memcpy(out, id, len);
	out[len] = '\0';
	return true;
}

/* TLS 1.2: the key of the identity in ClientKeyExchange, 0 for none. */
static unsigned int server_cb(SSL *ssl, const char *identity,
			      unsigned char *out, unsigned int max_len)
{
	char name[TLS_PSK_IDENTITY_MAX + 1];
	uint8_t key[TLS_PSK_KEY_MAX];
	size_t len;

	if (!identity ||
	    !identity_text((const unsigned char *)identity,
			   strnlen(identity, TLS_PSK_IDENTITY_MAX + 1), name))
		return 0;
	len = find_key(ssl, name, key, max_len);
	if (len)
		memcpy(out, key, len);
	OPENSSL_cleanse(key, sizeof(key));
	return (unsigned int)len;
}

/* The key as a TLS 1.3 session OpenSSL can check the binder with. */
/*
 * TLS 1.3: one identity of the client's pre_shared_key extension. 1 with
 * *sess NULL: not ours, try the next; 1 with a session: ours; 0: fail
 * the handshake.
 */
static int find_session_cb(SSL *ssl, const unsigned char *identity,
			   size_t identity_len, SSL_SESSION **sess)
{
	char name[TLS_PSK_IDENTITY_MAX + 1];
	uint8_t key[TLS_PSK_KEY_MAX];
	size_t len;

	*sess = NULL;
	if (!identity_text(identity, identity_len, name))
		return 1;
	len = find_key(ssl, name, key, sizeof(key));
	if (!len)
		return 1;
	*sess = tls_psk_profile_session(ssl, key, len);
	OPENSSL_cleanse(key, sizeof(key));
	return *sess != NULL;
}

/* A handshake we refuse ends with an alert we send: log whom and why. */
static void info_cb(const SSL *ssl, int where, int ret)
{
	struct sockaddr_storage peer = { 0 };
	socklen_t peer_len = sizeof(peer);
	const struct psk_conn *conn;
	char peer_text[64];
	struct log_line line;
	long verify;
	int fd;

	tls_note_handshake(ssl, where);
	if (!(where & SSL_CB_ALERT) || !(where & SSL_CB_WRITE))
		return;
	/*
	 * Whom, before tls_end_refused() sends our FIN: once the peer's
	 * comes back the socket is closed and has no peer name.
	 */
	fd = SSL_get_fd(ssl);
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&peer, &peer_len))
		peer.ss_family = AF_UNSPEC;
	tls_end_refused(ssl, where, ret);
	if ((ret & 0xff) == SSL_AD_CLOSE_NOTIFY)
		return;
	config_address_text(&peer, peer_text, sizeof(peer_text));
	if (tls_log_closed(ssl, peer_text, NULL) ||
	    !log_begin(&line, LOG_LEVEL_WARNING, NULL, "tls-refused"))
		return;
	log_str(&line, "peer", peer_text);
	log_str(&line, "alert", tls_alert_name(ret & 0xff));
	conn = conn_of(ssl);
	log_str(&line, "psk-identity", conn ? conn->identity : "-");
	verify = SSL_get_verify_result(ssl);
	if (conn && !conn->found)
		log_str(&line, "reason", "unknown PSK identity");
	else if (verify != X509_V_OK)
		log_str(&line, "reason", X509_verify_cert_error_string(verify));
	else if (!conn && SSL_get_verify_mode(ssl) != SSL_VERIFY_NONE &&
		 !SSL_get0_peer_certificate(ssl))
		log_str(&line, "reason", "no PSK and no client certificate");
	log_end(&line);
}

/* The server's certificate and the device CA to verify clients with. */
static int certificate_setup(SSL_CTX *ctx, const struct tls_psk_conf *conf,
			     char *why, size_t why_size)
{
	const struct config_tls *server = conf->server;
	STACK_OF(X509_NAME) *names;

	if (!server || !server->certificate.path || !server->private_key.path)
		return tls_psk_profile_fail(why, why_size, "no server certificate");
	if (SSL_CTX_use_certificate_chain_file(ctx,
					       server->certificate.path) != 1)
		return tls_psk_profile_fail(why, why_size, server->certificate.path);
	if (SSL_CTX_use_PrivateKey_file(ctx, server->private_key.path,
					SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		return tls_psk_profile_fail(why, why_size, server->private_key.path);
	if (SSL_CTX_load_verify_locations(ctx, conf->device_ca, NULL) != 1)
		return tls_psk_profile_fail(why, why_size, conf->device_ca);
	names = SSL_load_client_CA_file(conf->device_ca);
	if (!names)
		return tls_psk_profile_fail(why, why_size, conf->device_ca);
	SSL_CTX_set_client_CA_list(ctx, names);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
				SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	if (!SSL_CTX_set_session_id_context(ctx, session_id_context,
					    sizeof(session_id_context) - 1))
		return tls_psk_profile_fail(why, why_size, "session id context");
	return 0;
}

static int context_setup(SSL_CTX *ctx, const struct tls_psk_conf *conf,
			 char *why, size_t why_size)
{
	char tls12[sizeof(TLS_PSK_PROFILE_TLS12_SUITES) +
		   sizeof(tls12_cert_suites) + 1];
	int ret;

	if (!conf->lookup && !conf->device_ca) {
		snprintf(why, why_size, "neither PSKs nor certificates");
		return -EINVAL;
	}
	/* The PSK suites, the certificate ones, or both, PSK first. */
	if (conf->tls12_only_suites && conf->lookup && !conf->device_ca)
		snprintf(tls12, sizeof(tls12), "%.*s", (int)sizeof(tls12) - 1,
			 conf->tls12_only_suites);
	else if (conf->lookup && conf->device_ca)
		snprintf(tls12, sizeof(tls12), "%s:%s",
			 TLS_PSK_PROFILE_TLS12_SUITES, tls12_cert_suites);
	else
		snprintf(tls12, sizeof(tls12), "%s", conf->lookup ?
			 TLS_PSK_PROFILE_TLS12_SUITES : tls12_cert_suites);
	ret = tls_psk_profile_setup(ctx, tls12, why, why_size);
	if (ret)
		return ret;
	if (conf->tls12_only_suites && !conf->dtls &&
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION))
		return tls_psk_profile_fail(why, why_size, "TLS 1.2 only");
	if (conf->dtls &&
	    (!SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) ||
	     !SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION)))
		return tls_psk_profile_fail(why, why_size, "DTLS 1.2 only");
	if (conf->device_ca) {
		ret = certificate_setup(ctx, conf, why, why_size);
		if (ret)
			return ret;
	}
	SSL_CTX_set_info_callback(ctx, info_cb);
	if (!conf->lookup)
		return 0;
	if (conf->hint && !SSL_CTX_use_psk_identity_hint(ctx, conf->hint))
		return tls_psk_profile_fail(why, why_size, "PSK identity hint");
	SSL_CTX_set_psk_server_callback(ctx, server_cb);
	SSL_CTX_set_psk_find_session_callback(ctx, find_session_cb);
	return 0;
}

int tls_psk_new(struct tls_psk **out, const struct tls_psk_conf *conf,
		char *why, size_t why_size)
{
	struct tls_psk *psk;
	int ret;

	*out = NULL;
	if (conn_index < 0)
		conn_index = SSL_get_ex_new_index(0, NULL, NULL, NULL,
						  conn_free);
	psk = calloc(1, sizeof(*psk));
	if (!psk || conn_index < 0) {
		free(psk);
		snprintf(why, why_size, "out of memory");
		return -ENOMEM;
	}
	psk->lookup = conf->lookup;
	psk->arg = conf->arg;
	psk->dtls = conf->dtls;
	psk->decoy_secret = secure_calloc(DECOY_SECRET_LEN);
	if (!psk->decoy_secret ||
	    RAND_bytes(psk->decoy_secret, DECOY_SECRET_LEN) != 1) {
		secure_free(psk->decoy_secret);
		free(psk);
		return tls_psk_profile_fail(why, why_size, "decoy secret");
	}
	psk->ctx = SSL_CTX_new(conf->dtls && conf->tls12_only_suites ?
			       DTLS_server_method() : TLS_server_method());
	if (!psk->ctx) {
		free(psk);
		return tls_psk_profile_fail(why, why_size, "SSL_CTX_new");
	}
	SSL_CTX_set_app_data(psk->ctx, psk);
	ret = context_setup(psk->ctx, conf, why, why_size);
	if (ret) {
		tls_psk_free(psk);
		return ret;
	}
	*out = psk;
	return 0;
}

void tls_psk_free(struct tls_psk *psk)
{
	if (!psk)
		return;
	SSL_CTX_free(psk->ctx);
	secure_free(psk->decoy_secret);	/* wiped */
	free(psk);
}

SSL *tls_psk_ssl(struct tls_psk *psk)
{
	return SSL_new(psk->ctx);
}

SSL_CTX *tls_psk_context(struct tls_psk *psk)
{
	return psk->ctx;
}

const char *tls_psk_named_identity(const SSL *ssl)
{
	const struct psk_conn *conn = ssl ? conn_of(ssl) : NULL;

	return conn ? conn->identity : NULL;
}

const char *tls_psk_identity(const SSL *ssl)
{
	const struct psk_conn *conn = ssl ? conn_of(ssl) : NULL;

	if (!conn || !conn->found || !SSL_is_init_finished(ssl))
		return NULL;
	return conn->identity;
}
