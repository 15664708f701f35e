// SPDX-License-Identifier: GPL-2.0
/*
 * TLS contexts and peer names, see tls.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "daemon/log.h"
#include "tls.h"

/*
 * TLS 1.2 with forward secrecy and an AEAD only: no RSA key exchange, no
 * CBC (Lucky 13, padding oracles). TLS 1.3's suites are all of that kind.
 */
static const char tls12_ciphers[] =
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/* Names the server's sessions, so resumption works with client certs. */
static const unsigned char session_id_context[] = "e2md";

struct tls {
	SSL_CTX *server;
	SSL_CTX *client;
};

const char *tls_file_key(enum tls_file file)
{
	switch (file) {
	case TLS_FILE_CERTIFICATE:
		return "certificate";
	case TLS_FILE_PRIVATE_KEY:
		return "private-key";
	case TLS_FILE_CA:
		return "ca";
	default:
		return "";
	}
}

void tls_last_error(char *buf, size_t size)
{
	unsigned long err = ERR_peek_last_error();
	const char *reason = err ? ERR_reason_error_string(err) : NULL;

	snprintf(buf, size, "%s", reason ? reason : "");
	ERR_clear_error();
}

const char *tls_alert_name(int alert)
{
	static char text[16];
	const char *name = SSL_alert_desc_string_long(alert);

	if (strcmp(name, "unknown"))
		return name;
	switch (alert) {
	case 109:
		return "missing extension";
	case 116:
		return "certificate required";
	default:
		snprintf(text, sizeof(text), "alert %d", alert);
		return text;
	}
}

/* Set on a connection whose handshake finished (the alert clears that). */
static int handshake_done_index = -1;

void tls_note_handshake(const SSL *ssl, int where)
{
	if (handshake_done_index < 0)
		handshake_done_index = SSL_get_ex_new_index(0, NULL, NULL,
							    NULL, NULL);
	/* OpenSSL hands info callbacks a const SSL, its ex_data is ours. */
	if ((where & SSL_CB_HANDSHAKE_DONE) && handshake_done_index >= 0)
		SSL_set_ex_data((SSL *)ssl, handshake_done_index, (void *)1);
}

bool tls_closed_without_notify(const SSL *ssl)
{
	unsigned long err = ERR_peek_last_error();

	return handshake_done_index >= 0 &&
	       SSL_get_ex_data(ssl, handshake_done_index) &&
	       ERR_GET_LIB(err) == ERR_LIB_SSL &&
	       ERR_GET_REASON(err) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

bool tls_log_closed(const SSL *ssl, const char *peer, const char *local)
{
	struct log_line line;

	if (!tls_closed_without_notify(ssl))
		return false;
	if (log_begin(&line, LOG_LEVEL_DEBUG, NULL, "tls-closed")) {
		log_str(&line, "peer", peer);
		if (local)
			log_str(&line, "local", local);
		log_str(&line, "reason", "no close_notify");
		log_end(&line);
	}
	return true;
}

void tls_end_refused(const SSL *ssl, int where, int ret)
{
	char discard[4096];
	socklen_t len = sizeof(int);
	int fd = SSL_get_fd(ssl), type, i;

	if (!(where & SSL_CB_ALERT) || !(where & SSL_CB_WRITE) ||
	    (ret >> 8) != SSL3_AL_FATAL || SSL_is_init_finished(ssl) ||
	    fd < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    type != SOCK_STREAM)
		return;
	/* Bounded: a peer that keeps sending gets the reset after all. */
	for (i = 0; i < 16; i++) {
		if (recv(fd, discard, sizeof(discard), MSG_DONTWAIT) <= 0)
			break;
	}
	shutdown(fd, SHUT_WR);
}

/*
 * A handshake we refuse ends with an alert we send: log it with whom and
 * why, as the HTTP layer above never sees such a connection. A peer that
 * closes a finished connection without close_notify makes OpenSSL send
 * an alert too: a keep-alive client going away, told at debug only.
 */
static void server_info_cb(const SSL *ssl, int where, int ret)
{
	struct sockaddr_storage peer = { 0 }, local = { 0 };
	socklen_t peer_len = sizeof(peer), local_len = sizeof(local);
	char peer_text[64], local_text[64];
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
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&local, &local_len))
		local.ss_family = AF_UNSPEC;
	config_address_text(&peer, peer_text, sizeof(peer_text));
	config_address_text(&local, local_text, sizeof(local_text));
	if (tls_log_closed(ssl, peer_text, local_text) ||
	    !log_begin(&line, LOG_LEVEL_WARNING, NULL, "tls-refused"))
		return;
	log_str(&line, "peer", peer_text);
	log_str(&line, "local", local_text);
	log_str(&line, "alert", tls_alert_name(ret & 0xff));
	verify = SSL_get_verify_result(ssl);
	if (verify != X509_V_OK)
		log_str(&line, "reason", X509_verify_cert_error_string(verify));
	else if (!SSL_get0_peer_certificate(ssl))
		log_str(&line, "reason", "no client certificate");
	log_end(&line);
}

static int fail_file(enum tls_file *file, enum tls_file which,
		     const char *path, const char *what, char *why,
		     size_t why_size)
{
	char reason[128];

	if (file)
		*file = which;
	tls_last_error(reason, sizeof(reason));
	snprintf(why, why_size, "%s: %s%s%s", path, what,
		 reason[0] ? ": " : "", reason);
	return -EINVAL;
}

/* Whether OpenSSL refused a key for not being the certificate's. */
static bool key_mismatch(void)
{
	unsigned long err = ERR_peek_last_error();

	return ERR_GET_LIB(err) == ERR_LIB_X509 &&
	       ERR_GET_REASON(err) == X509_R_KEY_VALUES_MISMATCH;
}

/* A clearer reason than OpenSSL's for a file that is not there. */
static int check_readable(enum tls_file *file, enum tls_file which,
			  const char *path, char *why, size_t why_size)
{
	if (access(path, R_OK) == 0)
		return 0;
	if (file)
		*file = which;
	snprintf(why, why_size, "%s: %s", path, strerror(errno));
	return -errno;
}

/* Our certificate and key, and the CA to verify peers against. */
static int load_material(SSL_CTX *ctx, const struct config_tls *conf,
			 enum tls_file *file, char *why, size_t why_size)
{
	const char *cert = conf->certificate.path;
	const char *key = conf->private_key.path;
	const char *ca = conf->ca.path;
	int ret;

	ret = check_readable(file, TLS_FILE_CERTIFICATE, cert, why, why_size);
	if (!ret)
		ret = check_readable(file, TLS_FILE_PRIVATE_KEY, key, why,
				     why_size);
	if (!ret)
		ret = check_readable(file, TLS_FILE_CA, ca, why, why_size);
	if (ret)
		return ret;
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
		return fail_file(file, TLS_FILE_CERTIFICATE, cert,
				 "not a PEM certificate chain", why, why_size);
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		if (!key_mismatch())
			return fail_file(file, TLS_FILE_PRIVATE_KEY, key,
					 "not a PEM private key", why,
					 why_size);
		ERR_clear_error();
		return fail_file(file, TLS_FILE_PRIVATE_KEY, key,
				 "does not match the certificate", why,
				 why_size);
	}
	if (SSL_CTX_check_private_key(ctx) != 1)
		return fail_file(file, TLS_FILE_PRIVATE_KEY, key,
				 "does not match the certificate", why,
				 why_size);
	if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
		return fail_file(file, TLS_FILE_CA, ca,
				 "no PEM CA certificate in it", why, why_size);
	return 0;
}

static SSL_CTX *context_new(bool server, const struct config_tls *conf,
			    enum tls_file *file, char *why, size_t why_size,
			    int *ret)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() :
					    TLS_client_method());

	*ret = -ENOMEM;
	if (!ctx) {
		snprintf(why, why_size, "SSL_CTX_new failed");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
				 SSL_OP_NO_COMPRESSION);
	if (SSL_CTX_set_cipher_list(ctx, tls12_ciphers) != 1) {
		snprintf(why, why_size, "no TLS 1.2 ECDHE AEAD cipher here");
		*ret = -EINVAL;
		goto fail;
	}
	*ret = load_material(ctx, conf, file, why, why_size);
	if (*ret)
		goto fail;
	if (server) {
		STACK_OF(X509_NAME) *names =
			SSL_load_client_CA_file(conf->ca.path);

		if (!names) {
			*ret = fail_file(file, TLS_FILE_CA, conf->ca.path,
					 "no CA name in it", why, why_size);
			goto fail;
		}
		SSL_CTX_set_client_CA_list(ctx, names);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
					SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
		SSL_CTX_set_session_id_context(ctx, session_id_context,
					       sizeof(session_id_context) - 1);
		SSL_CTX_set_info_callback(ctx, server_info_cb);
	} else {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	*ret = 0;
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* Both contexts, or neither. */
static int contexts_new(struct tls *out, const struct config_tls *conf,
			enum tls_file *file, char *why, size_t why_size)
{
	int ret;

	if (file)
		*file = TLS_FILE_NONE;
	out->server = context_new(true, conf, file, why, why_size, &ret);
	if (!out->server)
		return ret;
	out->client = context_new(false, conf, file, why, why_size, &ret);
	if (!out->client) {
		SSL_CTX_free(out->server);
		out->server = NULL;
		return ret;
	}
	return 0;
}

int tls_new(struct tls **tls, const struct config_tls *conf,
	    enum tls_file *file, char *why, size_t why_size)
{
	struct tls *t = calloc(1, sizeof(*t));
	int ret;

	*tls = NULL;
	if (!t) {
		snprintf(why, why_size, "out of memory");
		return -ENOMEM;
	}
	ret = contexts_new(t, conf, file, why, why_size);
	if (ret) {
		free(t);
		return ret;
	}
	*tls = t;
	return 0;
}

int tls_reload(struct tls *tls, const struct config_tls *conf,
	       enum tls_file *file, char *why, size_t why_size)
{
	struct tls fresh;
	int ret = contexts_new(&fresh, conf, file, why, why_size);

	if (ret)
		return ret;
	/* SSLs made from the old contexts hold references of their own. */
	SSL_CTX_free(tls->server);
	SSL_CTX_free(tls->client);
	*tls = fresh;
	return 0;
}

void tls_free(struct tls *tls)
{
	if (!tls)
		return;
	SSL_CTX_free(tls->server);
	SSL_CTX_free(tls->client);
	free(tls);
}

SSL *tls_server_ssl(struct tls *tls)
{
	return SSL_new(tls->server);
}

bool tls_client_current(const struct tls *tls, const SSL *ssl)
{
	/* The SSL holds a reference: its context cannot have been reused. */
	return SSL_get_SSL_CTX(ssl) == tls->client;
}

static bool ip_literal(const char *host)
{
	struct in6_addr addr;

	return inet_pton(AF_INET, host, &addr) == 1 ||
	       inet_pton(AF_INET6, host, &addr) == 1;
}

SSL *tls_client_ssl(struct tls *tls, const char *host)
{
	SSL *ssl = SSL_new(tls->client);
	int ok;

	if (!ssl)
		return NULL;
	if (ip_literal(host)) {
		ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
	} else {
		/* A server is named by its SAN, never by its subject CN. */
		SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS |
				  X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
		ok = SSL_set_tlsext_host_name(ssl, host) &&
		     SSL_set1_host(ssl, host);
	}
	if (!ok) {
		SSL_free(ssl);
		return NULL;
	}
	return ssl;
}

/* An ASN.1 string as a C string, if it has no NUL and fits. */
static bool copy_name(char *out, const ASN1_STRING *name)
{
	const unsigned char *data = ASN1_STRING_get0_data(name);
	int len = ASN1_STRING_length(name);

	if (len <= 0 || len > TLS_PEER_NAME_MAX ||
	    memchr(data, '\0', (size_t)len))
		return false;
	memcpy(out, data, (size_t)len);
	out[len] = '\0';
	return true;
}

static void peer_cn(X509 *cert, struct tls_peer *peer)
{
	X509_NAME *subject = X509_get_subject_name(cert);
	int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
	X509_NAME_ENTRY *entry;
	unsigned char *utf8 = NULL;
	int len;

	if (index < 0)
		return;
	entry = X509_NAME_get_entry(subject, index);
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
	if (len > 0 && len <= TLS_PEER_NAME_MAX &&
	    !memchr(utf8, '\0', (size_t)len)) {
		memcpy(peer->cn, utf8, (size_t)len);
		peer->cn[len] = '\0';
	}
	OPENSSL_free(utf8);
}

/* The DNS names (the first TLS_PEER_DNS_MAX) and URIs of the SAN. */
static void peer_alt_names(X509 *cert, struct tls_peer *peer)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name,
						NULL, NULL);
	int i;

	for (i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);

		if (name->type == GEN_URI) {
			if (!peer->n_uri++)
				copy_name(peer->uri,
					  name->d.uniformResourceIdentifier);
			continue;
		}
		if (peer->n_dns < TLS_PEER_DNS_MAX && name->type == GEN_DNS &&
		    copy_name(peer->dns[peer->n_dns], name->d.dNSName))
			peer->n_dns++;
	}
	GENERAL_NAMES_free(names);
}

int tls_peer_get(SSL *ssl, struct tls_peer *peer)
{
	X509 *cert;

	memset(peer, 0, sizeof(*peer));
	if (!ssl || SSL_get_verify_result(ssl) != X509_V_OK)
		return -ENOENT;
	cert = SSL_get0_peer_certificate(ssl);
	if (!cert)
		return -ENOENT;
	peer_cn(cert, peer);
	peer_alt_names(cert, peer);
	return 0;
}

/*
 * Only a SAN authorises: a CA may put anything in a subject CN (RFC 6125
 * 6.4.4), and a certificate with DNS names beside it would be admitted
 * under two sets of names.
 */
bool tls_peer_is(const struct tls_peer *peer, const char *name)
{
	size_t i;

	for (i = 0; i < peer->n_dns; i++) {
		if (!strcasecmp(peer->dns[i], name))
			return true;
	}
	return false;
}

const char *tls_peer_name(const struct tls_peer *peer)
{
	if (peer->psk_identity[0])
		return peer->psk_identity;
	if (peer->uri[0])
		return peer->uri;
	if (peer->n_dns)
		return peer->dns[0];
	return peer->cn[0] ? peer->cn : "-";
}
