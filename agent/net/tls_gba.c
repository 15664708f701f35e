// SPDX-License-Identifier: GPL-2.0
/*
 * GBA PSK-TLS: the PSK callbacks that pause the handshake while the key
 * comes over Zn, see tls_gba.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/async.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "daemon/config.h"
#include "daemon/log.h"
#include "tls.h"
#include "tls_gba.h"
#include "tls_psk_profile.h"

#define KEY_MAX	GBA_KEY_LEN

struct tls_gba {
	SSL_CTX *ctx;
	tls_gba_fetch_fn fetch;
	void *arg;
	bool any_identity;		/* the owner's identities, no hint */
	const char *(*peer_name)(const SSL *ssl);	/* DTLS's */
};

enum fetch_state { FETCH_NONE, FETCH_PENDING, FETCH_DONE, FETCH_REFUSED };

/* One connection's fetch, in its ex_data. */
struct gba_conn {
	enum fetch_state state;
	char identity[STORE_BTID_MAX + sizeof(TLS_GBA_HINT_UICC)];
	char btid[STORE_BTID_MAX + 1];
	bool uicc;
	uint8_t ua_id[GBA_UA_ID_LEN];
	uint8_t key[KEY_MAX];		/* secret */
	size_t key_len;
	const char *reason;		/* of a refusal, for the log */
	bool used;			/* the handshake took the key */
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
	if (ptr)
		OPENSSL_cleanse(ptr, sizeof(struct gba_conn));
	free(ptr);
}

static struct gba_conn *conn_of(const SSL *ssl)
{
	return SSL_get_ex_data(ssl, conn_index);
}

void tls_gba_ua_id(const SSL_CIPHER *cipher, bool tls13,
		   uint8_t ua_id[GBA_UA_ID_LEN])
{
	static const uint8_t ua13[GBA_UA_ID_LEN] = TLS_GBA_UA_TLS13;
	static const uint8_t ua12[3] = TLS_GBA_UA_TLS12;
	uint16_t suite = cipher ? SSL_CIPHER_get_protocol_id(cipher) : 0;

	if (tls13) {
		memcpy(ua_id, ua13, GBA_UA_ID_LEN);
		return;
	}
	memcpy(ua_id, ua12, sizeof(ua12));
	ua_id[3] = (uint8_t)(suite >> 8);
	ua_id[4] = (uint8_t)suite;
}

int tls_gba_identity_parse(const char *identity,
			   char btid[STORE_BTID_MAX + 1], bool *uicc)
{
	static const size_t me_len = sizeof(TLS_GBA_HINT) - 1;
	static const size_t u_len = sizeof(TLS_GBA_HINT_UICC) - 1;
	const char *rest;

	if (!strncmp(identity, TLS_GBA_HINT_UICC, u_len)) {
		*uicc = true;
		rest = identity + u_len;
	} else if (!strncmp(identity, TLS_GBA_HINT, me_len)) {
		*uicc = false;
		rest = identity + me_len;
	} else {
		return -EINVAL;
	}
	if (!store_btid_valid(rest))
		return -EINVAL;
	strcpy(btid, rest);
	return 0;
}

/*
 * The key of identity under ua_id, fetching it once and pausing the
 * handshake's job until it is there. Its length, 0 for none.
 */
static size_t gba_key(SSL *ssl, const char *identity,
		      const uint8_t ua_id[GBA_UA_ID_LEN], uint8_t *out,
		      size_t max)
{
	struct tls_gba *gba = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	struct gba_conn *conn = conn_of(ssl);

	if (!conn) {
		conn = calloc(1, sizeof(*conn));
		if (!conn || !SSL_set_ex_data(ssl, conn_index, conn)) {
			free(conn);
			return 0;
		}
	}
	if (conn->state == FETCH_NONE) {
		snprintf(conn->identity, sizeof(conn->identity), "%s",
			 identity);
		memcpy(conn->ua_id, ua_id, GBA_UA_ID_LEN);
		if (gba->any_identity) {
			conn->uicc = false;
		} else if (tls_gba_identity_parse(identity, conn->btid,
						  &conn->uicc)) {
			conn->state = FETCH_REFUSED;
			conn->reason = "not a GBA identity";
			return 0;
		}
		conn->state = FETCH_PENDING;
		if (!ASYNC_get_current_job() ||
		    gba->fetch(gba->arg, ssl, gba->any_identity ?
				conn->identity : conn->btid, conn->uicc,
				ua_id)) {
			if (conn->state == FETCH_PENDING) {
				conn->state = FETCH_REFUSED;
				conn->reason = "cannot fetch the key";
			}
			return 0;
		}
	} else if (strcmp(conn->identity, identity) ||
		   memcmp(conn->ua_id, ua_id, GBA_UA_ID_LEN)) {
		return 0;	/* one fetch a connection */
	}
	while (conn->state == FETCH_PENDING)
		ASYNC_pause_job();
	if (conn->state != FETCH_DONE || conn->key_len > max)
		return 0;
	memcpy(out, conn->key, conn->key_len);
	conn->used = true;
	return conn->key_len;
}

/* Identities whose hint is not ours are another context's business. */
static bool identity_text(const unsigned char *id, size_t len, char *out,
			  size_t size)
{
	if (!len || len >= size || memchr(id, '\0', len))
		return false;
	memcpy(out, id, len);
	out[len] = '\0';
	return true;
}

/* TLS 1.2: the suite is chosen, so the Ua id is known. */
static unsigned int server_cb(SSL *ssl, const char *identity,
			      unsigned char *out, unsigned int max_len)
{
	uint8_t ua_id[GBA_UA_ID_LEN];

	if (!identity || strnlen(identity, sizeof(((struct gba_conn *)0)->
						   identity)) >=
	    sizeof(((struct gba_conn *)0)->identity))
		return 0;
	tls_gba_ua_id(SSL_get_pending_cipher(ssl), false, ua_id);
	return (unsigned int)gba_key(ssl, identity, ua_id, out, max_len);
}

/* TLS 1.3: 1 with a session (ours) or NULL (try the next identity). */
static int find_session_cb(SSL *ssl, const unsigned char *identity,
			   size_t identity_len, SSL_SESSION **sess)
{
	char name[sizeof(((struct gba_conn *)0)->identity)];
	uint8_t ua_id[GBA_UA_ID_LEN], key[KEY_MAX];
	size_t len;

	*sess = NULL;
	if (!identity_text(identity, identity_len, name, sizeof(name)))
		return 1;
	tls_gba_ua_id(NULL, true, ua_id);
	len = gba_key(ssl, name, ua_id, key, sizeof(key));
	if (len)
		*sess = tls_psk_profile_session(ssl, key, len);
	OPENSSL_cleanse(key, sizeof(key));
	return !len || *sess != NULL;
}

/* A refused handshake: whom, the alert, and why when we know it. */
static void info_cb(const SSL *ssl, int where, int ret)
{
	const struct tls_gba *gba;
	struct sockaddr_storage peer = { 0 };
	socklen_t peer_len = sizeof(peer);
	const struct gba_conn *conn;
	char peer_text[64];
	struct log_line line;
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
	gba = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	if (peer.ss_family == AF_UNSPEC && gba->peer_name)
		snprintf(peer_text, sizeof(peer_text), "%s",
			 gba->peer_name(ssl));
	if (tls_log_closed(ssl, peer_text, NULL) ||
	    !log_begin(&line, LOG_LEVEL_WARNING, NULL, "tls-refused"))
		return;
	log_str(&line, "peer", peer_text);
	log_str(&line, "alert", tls_alert_name(ret & 0xff));
	conn = conn_of(ssl);
	log_str(&line, "psk-identity", conn ? conn->identity : "-");
	if (!conn)
		log_str(&line, "reason", "no GBA PSK identity");
	else if (conn->state == FETCH_REFUSED && conn->reason)
		log_str(&line, "reason", conn->reason);
	else if (conn->used)
		log_str(&line, "reason", "wrong key");
	log_end(&line);
}

/* The PSK profile, with the PSK callbacks run as ASYNC jobs. */
static int context_setup(SSL_CTX *ctx, const char *tls12_only,
			 bool any_identity, bool dtls, char *why,
			 size_t why_size)
{
	int ret = tls_psk_profile_setup(ctx, tls12_only ? tls12_only :
					TLS_PSK_PROFILE_TLS12_SUITES, why,
					why_size);

	if (ret)
		return ret;
	if (tls12_only && !dtls &&
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION))
		return tls_psk_profile_fail(why, why_size, "TLS 1.2 only");
	if (dtls && (!SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) ||
		     !SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION)))
		return tls_psk_profile_fail(why, why_size, "DTLS 1.2 only");
	SSL_CTX_set_mode(ctx, SSL_MODE_ASYNC);
	if (!any_identity && !SSL_CTX_use_psk_identity_hint(ctx, TLS_GBA_HINT))
		return tls_psk_profile_fail(why, why_size, "PSK identity hint");
	SSL_CTX_set_info_callback(ctx, info_cb);
	SSL_CTX_set_psk_server_callback(ctx, server_cb);
	SSL_CTX_set_psk_find_session_callback(ctx, find_session_cb);
	return 0;
}

int tls_gba_new(struct tls_gba **out, const struct tls_gba_conf *conf,
		char *why, size_t why_size)
{
	struct tls_gba *gba;
	int ret;

	*out = NULL;
	if (conn_index < 0)
		conn_index = SSL_get_ex_new_index(0, NULL, NULL, NULL,
						  conn_free);
	gba = calloc(1, sizeof(*gba));
	if (!gba || conn_index < 0) {
		free(gba);
		snprintf(why, why_size, "out of memory");
		return -ENOMEM;
	}
	gba->fetch = conf->fetch;
	gba->arg = conf->arg;
	gba->any_identity = conf->any_identity;
	gba->peer_name = conf->peer_name;
	if (conf->dtls && !conf->tls12_only_suites) {
		free(gba);
		snprintf(why, why_size, "DTLS: TLS 1.2 suites only");
		return -EINVAL;
	}
	gba->ctx = SSL_CTX_new(conf->dtls ? DTLS_server_method() :
			       TLS_server_method());
	if (!gba->ctx) {
		free(gba);
		return tls_psk_profile_fail(why, why_size, "SSL_CTX_new");
	}
	SSL_CTX_set_app_data(gba->ctx, gba);
	ret = context_setup(gba->ctx, conf->tls12_only_suites,
			    conf->any_identity, conf->dtls, why, why_size);
	if (ret) {
		tls_gba_free(gba);
		return ret;
	}
	*out = gba;
	return 0;
}

void tls_gba_free(struct tls_gba *gba)
{
	if (!gba)
		return;
	SSL_CTX_free(gba->ctx);
	free(gba);
}

SSL *tls_gba_ssl(struct tls_gba *gba)
{
	return SSL_new(gba->ctx);
}

SSL_CTX *tls_gba_context(struct tls_gba *gba)
{
	return gba->ctx;
}

void tls_gba_key_done(SSL *ssl, const uint8_t *key, size_t len,
		      const char *reason)
{
	struct gba_conn *conn = conn_of(ssl);

	if (!conn || conn->state != FETCH_PENDING)
		return;
	if (key && len && len <= sizeof(conn->key)) {
		memcpy(conn->key, key, len);
		conn->key_len = len;
		conn->state = FETCH_DONE;
	} else {
		conn->reason = reason;
		conn->state = FETCH_REFUSED;
	}
}

bool tls_gba_fetching(const SSL *ssl)
{
	const struct gba_conn *conn = conn_of(ssl);

	return conn && conn->state == FETCH_PENDING;
}

const char *tls_gba_btid(const SSL *ssl, bool *uicc)
{
	const struct gba_conn *conn = conn_of(ssl);
	const struct tls_gba *gba = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));

	if (!conn || !conn->used || !SSL_is_init_finished(ssl))
		return NULL;
	*uicc = conn->uicc;
	return gba->any_identity ? conn->identity : conn->btid;
}

int tls_gba_fetch_ua_id(const SSL *ssl, uint8_t ua_id[GBA_UA_ID_LEN])
{
	const struct gba_conn *conn = conn_of(ssl);

	if (!conn || conn->state == FETCH_NONE)
		return -ENOENT;
	memcpy(ua_id, conn->ua_id, GBA_UA_ID_LEN);
	return 0;
}

const char *tls_gba_identity(const SSL *ssl)
{
	const struct gba_conn *conn = conn_of(ssl);

	return conn ? conn->identity : "-";
}
