// SPDX-License-Identifier: GPL-2.0
/*
 * A device's Ks_local request over PSK-TLS, see nafkc_client.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "nafkc_client.h"
#include "net/tls_gba.h"

/* The Key Centre's suites (net/tls_psk.c), the same order. */
static const char tls12_suites[] =
	"ECDHE-PSK-CHACHA20-POLY1305:DHE-PSK-AES128-GCM-SHA256:"
	"PSK-AES128-GCM-SHA256";
static const char tls13_suites[] =
	"TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256";
static const char tls12_cert_suites[] =
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
	"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305";
/* TLS_AES_128_GCM_SHA256: the external PSK is bound to SHA-256. */
static const unsigned char tls13_psk_cipher[] = { 0x13, 0x01 };

/* One request's socket, TLS and deadline. */
struct link {
	const struct nafkc_client_conf *conf;
	struct nafkc_client_result *result;
	int fd;
	SSL *ssl;
	struct timespec deadline;
};

static int set_why(struct nafkc_client_result *result, int error,
		   const char *fmt, const char *what)
{
	result->error = error;
	snprintf(result->why, sizeof(result->why), fmt, what);
	return error;
}

/* The last OpenSSL reason, or what when there is none. */
static const char *tls_reason(const char *what)
{
	unsigned long err = ERR_peek_last_error();
	const char *reason = err ? ERR_reason_error_string(err) : NULL;

	return reason ? reason : what;
}

/* ---- the PSK ------------------------------------------------------------- */

/*
 * The PSK for the suite the handshake uses: the device's own, or with
 * GBA the bootstrap's key for the NAF_Id of that suite's Ua id
 * (net/tls_gba.h). 0 or -1.
 */
static int the_psk(const struct nafkc_client_conf *conf,
		   const SSL_CIPHER *cipher, bool tls13,
		   uint8_t key[STORE_DEVICE_PSK_LEN])
{
	uint8_t ua_id[GBA_UA_ID_LEN];

	if (!conf->gba_key) {
		memcpy(key, conf->psk, STORE_DEVICE_PSK_LEN);
		return 0;
	}
	tls_gba_ua_id(cipher, tls13, ua_id);
	return conf->gba_key(conf->gba_arg, ua_id, key) ? -1 : 0;
}

/* TLS 1.2: the identity and key, whatever the server's hint. */
static unsigned int psk_client_cb(SSL *ssl, const char *hint, char *identity,
				  unsigned int max_identity_len,
				  unsigned char *psk, unsigned int max_psk_len)
{
	const struct nafkc_client_conf *conf =
		SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	size_t len = strlen(conf->identity);

	(void)hint;
	if (len >= max_identity_len || max_psk_len < STORE_DEVICE_PSK_LEN ||
	    the_psk(conf, SSL_get_pending_cipher(ssl), false, psk))
		return 0;
	memcpy(identity, conf->identity, len + 1);
	return STORE_DEVICE_PSK_LEN;
}

/* TLS 1.3: the key as a session of TLS_AES_128_GCM_SHA256. */
static int psk_use_session_cb(SSL *ssl, const EVP_MD *md,
			      const unsigned char **id, size_t *id_len,
			      SSL_SESSION **sess)
{
	const struct nafkc_client_conf *conf =
		SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, tls13_psk_cipher);
	uint8_t key[STORE_DEVICE_PSK_LEN];
	SSL_SESSION *s;
	bool made;

	*sess = NULL;
	/* After a HelloRetryRequest for another hash: no PSK to offer. */
	if (!cipher || (md && md != SSL_CIPHER_get_handshake_digest(cipher)))
		return 1;
	if (the_psk(conf, cipher, true, key))
		return 0;
	s = SSL_SESSION_new();
	made = s && SSL_SESSION_set1_master_key(s, key, sizeof(key)) &&
	       SSL_SESSION_set_cipher(s, cipher) &&
	       SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION);
	OPENSSL_cleanse(key, sizeof(key));
	if (!made) {
		SSL_SESSION_free(s);
		return 0;
	}
	*id = (const unsigned char *)conf->identity;
	*id_len = strlen(conf->identity);
	*sess = s;
	return 1;
}

/* The device's certificate and the CA the server's must chain to. */
static bool certificate_setup(SSL_CTX *ctx,
			      const struct nafkc_client_conf *conf)
{
	return SSL_CTX_use_certificate_chain_file(ctx,
						  conf->certificate) == 1 &&
	       SSL_CTX_use_PrivateKey_file(ctx, conf->private_key,
					   SSL_FILETYPE_PEM) == 1 &&
	       SSL_CTX_check_private_key(ctx) == 1 &&
	       SSL_CTX_load_verify_locations(ctx, conf->ca, NULL) == 1;
}

SSL_CTX *nafkc_client_ctx_new(const struct nafkc_client_conf *conf)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int min = conf->tls_version ? conf->tls_version : TLS1_2_VERSION;
	int max = conf->tls_version ? conf->tls_version : TLS1_3_VERSION;
	bool psk = conf->psk || conf->gba_key;

	if (!ctx)
		return NULL;
	SSL_CTX_set_app_data(ctx, (void *)conf);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
				 SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	/*
	 * With a PSK, a certificate from the server is verified against
	 * nothing: refused.
	 */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (!SSL_CTX_set_min_proto_version(ctx, min) ||
	    !SSL_CTX_set_max_proto_version(ctx, max) ||
	    !SSL_CTX_set_cipher_list(ctx, psk ? tls12_suites :
					  tls12_cert_suites) ||
	    !SSL_CTX_set_ciphersuites(ctx, tls13_suites) ||
	    (!psk && !certificate_setup(ctx, conf))) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (psk) {
		SSL_CTX_set_psk_client_callback(ctx, psk_client_cb);
		SSL_CTX_set_psk_use_session_callback(ctx, psk_use_session_cb);
	}
	return ctx;
}

/* ---- the transport ------------------------------------------------------- */

/* Milliseconds left until the deadline, 0 when it passed. */
static int time_left(const struct link *link)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (link->deadline.tv_sec - now.tv_sec) * 1000LL +
	     (link->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms <= 0 ? 0 : ms > 600000 ? 600000 : (int)ms;
}

/* Waits until fd is ready for events: 0, -ETIMEDOUT or -errno. */
static int wait_fd(struct link *link, short events)
{
	struct pollfd p = { .fd = link->fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, time_left(link));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

/* After SSL_ERROR_WANT_*: waits; else a negative errno. */
static int wait_ssl(struct link *link, int ret)
{
	switch (SSL_get_error(link->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		return wait_fd(link, POLLIN);
	case SSL_ERROR_WANT_WRITE:
		return wait_fd(link, POLLOUT);
	case SSL_ERROR_ZERO_RETURN:
		return -ECONNRESET;
	default:
		return -EIO;
	}
}

static int try_connect(struct link *link, const struct addrinfo *ai)
{
	socklen_t len = sizeof(int);
	int err = 0;

	int one = 1;

	link->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
			  SOCK_CLOEXEC, ai->ai_protocol);
	if (link->fd < 0)
		return -errno;
	/*
	 * TLS 1.3: the request follows our Finished at once; with Nagle it
	 * would wait for the server's delayed ACK (40 ms).
	 */
	setsockopt(link->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!connect(link->fd, ai->ai_addr, ai->ai_addrlen))
		return 0;
	if (errno != EINPROGRESS)
		err = -errno;
	else if (!(err = wait_fd(link, POLLOUT)) &&
		 getsockopt(link->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0)
		err = -err;
	if (err) {
		close(link->fd);
		link->fd = -1;
	}
	return err;
}

static int tcp_connect(struct link *link)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *list, *ai;
	char port[8];
	int ret;

	snprintf(port, sizeof(port), "%u", link->conf->port);
	ret = getaddrinfo(link->conf->host, port, &hints, &list);
	if (ret)
		return set_why(link->result, -EHOSTUNREACH, "%s",
			       gai_strerror(ret));
	ret = -EHOSTUNREACH;
	for (ai = list; ai && ret; ai = ai->ai_next)
		ret = try_connect(link, ai);
	freeaddrinfo(list);
	if (ret)
		return set_why(link->result, ret, "connect: %s",
			       strerror(-ret));
	return 0;
}

/* SNI for a name; with a certificate, the name or address to verify. */
static bool server_name(SSL *ssl, const struct nafkc_client_conf *conf)
{
	struct in6_addr addr;
	bool ip = inet_pton(AF_INET, conf->host, &addr) == 1 ||
		  inet_pton(AF_INET6, conf->host, &addr) == 1;

	if (!ip && !SSL_set_tlsext_host_name(ssl, conf->host))
		return false;
	if (conf->psk || conf->gba_key)
		return true;
	if (ip)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
						     conf->host) == 1;
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	return SSL_set1_host(ssl, conf->host) == 1;
}

static int handshake(struct link *link, SSL_CTX *ctx)
{
	int ret;

	link->ssl = SSL_new(ctx);
	if (!link->ssl || !SSL_set_fd(link->ssl, link->fd))
		return set_why(link->result, -ENOMEM, "%s", "out of memory");
	if (!server_name(link->ssl, link->conf))
		return set_why(link->result, -ENOMEM, "%s", "out of memory");
	ERR_clear_error();
	while ((ret = SSL_connect(link->ssl)) != 1) {
		ret = wait_ssl(link, ret);
		if (ret == -ETIMEDOUT)
			return set_why(link->result, ret, "%s",
				       "TLS handshake: timed out");
		if (ret)
			return set_why(link->result, -EACCES,
				       "TLS handshake failed: %s",
				       tls_reason("the Key Centre ended it"));
	}
	snprintf(link->result->protocol, sizeof(link->result->protocol),
		 "%s", SSL_get_version(link->ssl));
	snprintf(link->result->cipher, sizeof(link->result->cipher), "%s",
		 SSL_CIPHER_get_name(SSL_get_current_cipher(link->ssl)));
	return 0;
}

static int send_all(struct link *link, const char *data, size_t len)
{
	size_t done = 0;
	int ret;

	while (done < len) {
		ret = SSL_write(link->ssl, data + done, (int)(len - done));
		if (ret > 0) {
			done += (size_t)ret;
			continue;
		}
		ret = wait_ssl(link, ret);
		if (ret)
			return set_why(link->result, ret, "sending: %s",
				       ret == -ETIMEDOUT ? "timed out" :
				       tls_reason("the connection broke"));
	}
	return 0;
}

/* Reads to the end of the session (close_notify or EOF): *len octets. */
static int receive_all(struct link *link, char *buf, size_t size,
		       size_t *len)
{
	int ret;

	*len = 0;
	for (;;) {
		if (*len == size)
			return set_why(link->result, -EPROTO, "%s",
				       "the answer is too long");
		ret = SSL_read(link->ssl, buf + *len, (int)(size - *len));
		if (ret > 0) {
			*len += (size_t)ret;
			continue;
		}
		switch (SSL_get_error(link->ssl, ret)) {
		case SSL_ERROR_ZERO_RETURN:
			return 0;
		case SSL_ERROR_SYSCALL:
			/* EOF without close_notify: the answer may be cut. */
			if (*len)
				return 0;
			return set_why(link->result, -ECONNRESET, "%s",
				       "the Key Centre closed without an answer");
		}
		ret = wait_ssl(link, ret);
		if (ret)
			return set_why(link->result, ret, "receiving: %s",
				       ret == -ETIMEDOUT ? "timed out" :
				       tls_reason("the connection broke"));
	}
}

/* ---- HTTP ---------------------------------------------------------------- */

#define REQUEST_FORMAT	"POST " KS_LOCAL_PATH " HTTP/1.1\r\nHost: %s\r\n" \
			"Content-Type: " UB_JSON_CONTENT_TYPE "\r\n" \
			"Content-Length: %zu\r\nConnection: close\r\n\r\n%s"

static int request_text(const struct link *link,
			const struct ks_local_request *req, char **text,
			size_t *len)
{
	char why[UB_ERROR_DETAIL_MAX + 1], *body = NULL;
	int n;

	if (ks_local_request_build(req, &body, why, sizeof(why)))
		return set_why(link->result, -EINVAL, "the request: %s", why);
	n = snprintf(NULL, 0, REQUEST_FORMAT, link->conf->host,
		     strlen(body), body);
	*text = n > 0 ? malloc((size_t)n + 1) : NULL;
	if (*text)
		snprintf(*text, (size_t)n + 1, REQUEST_FORMAT, link->conf->host,
			 strlen(body), body);
	ub_json_text_free(body);
	if (!*text)
		return set_why(link->result, -ENOMEM, "%s", "out of memory");
	*len = (size_t)n;
	return 0;
}

/* The status and body of an HTTP/1.1 answer; -EPROTO when it is none. */
static int split_answer(char *text, size_t len, int *status,
			const char **body, size_t *body_len)
{
	char *end = strstr(text, "\r\n\r\n"), *line, *next;
	long content_length = -1;

	if (len < 12 || !end || strncmp(text, "HTTP/1.1 ", 9))
		return -EPROTO;
	*status = atoi(text + 9);
	if (*status < 100 || *status > 599)
		return -EPROTO;
	*end = '\0';
	for (line = strstr(text, "\r\n"); line; line = next) {
		line += 2;
		next = strstr(line, "\r\n");
		if (!strncasecmp(line, "Content-Length:", 15))
			content_length = strtol(line + 15, NULL, 10);
	}
	*body = end + 4;
	*body_len = len - (size_t)(*body - text);
	if (content_length >= 0) {
		if ((size_t)content_length > *body_len)
			return -EPROTO;
		*body_len = (size_t)content_length;
	}
	return 0;
}

/* The key of a 200, checked against the request. */
static int read_key(struct link *link, const struct ks_local_request *req,
		    const char *body, size_t len,
		    struct ks_local_response *resp)
{
	char why[UB_ERROR_DETAIL_MAX + 1];

	if (ks_local_response_parse(body, len, resp, why, sizeof(why)))
		return set_why(link->result, -EPROTO, "the answer: %s", why);
	if (strcmp(resp->btid, req->btid) ||
	    strcmp(resp->device_id, req->device_id) ||
	    strcmp(resp->label, req->label)) {
		ks_local_response_wipe(resp);
		return set_why(link->result, -EPROTO, "%s",
			       "the answer is not for this request");
	}
	return 0;
}

static int read_refusal(struct link *link, const char *body, size_t len)
{
	struct nafkc_client_result *result = link->result;
	char why[UB_ERROR_DETAIL_MAX + 1];

	if (ub_error_parse(body, len, &result->refusal, why, sizeof(why))) {
		snprintf(result->why, sizeof(result->why),
			 "the Key Centre answered %d without an error body",
			 result->status);
		return result->error = -EPROTO;
	}
	snprintf(result->why, sizeof(result->why), "%d %s%s%s",
		 result->status, result->refusal.error,
		 result->refusal.detail[0] ? ": " : "",
		 result->refusal.detail);
	return result->error = -EPERM;
}

static int exchange(struct link *link, const struct ks_local_request *req,
		    struct ks_local_response *resp)
{
	char *text = NULL, *answer = malloc(NAFKC_CLIENT_ANSWER_MAX + 1);
	const char *body;
	size_t len, body_len;
	int ret;

	if (!answer)
		return set_why(link->result, -ENOMEM, "%s", "out of memory");
	ret = request_text(link, req, &text, &len);
	if (!ret)
		ret = send_all(link, text, len);
	if (!ret)
		ret = receive_all(link, answer, NAFKC_CLIENT_ANSWER_MAX, &len);
	if (!ret) {
		answer[len] = '\0';
		if (split_answer(answer, len, &link->result->status, &body,
				 &body_len))
			ret = set_why(link->result, -EPROTO, "%s",
				      "the answer is not HTTP/1.1");
		else if (link->result->status == 200)
			ret = read_key(link, req, body, body_len, resp);
		else
			ret = read_refusal(link, body, body_len);
	}
	if (text)
		free(text);
	OPENSSL_cleanse(answer, NAFKC_CLIENT_ANSWER_MAX + 1);
	free(answer);
	return ret;
}

#define GET_FORMAT	"GET %s HTTP/1.0\r\nHost: %s\r\n\r\n"

/* "GET path", the answer to the end: 0 for any status. */
static int get(struct link *link, const char *path)
{
	char *answer = malloc(NAFKC_CLIENT_ANSWER_MAX + 1), *text;
	size_t len;
	int n = snprintf(NULL, 0, GET_FORMAT, path, link->conf->host), ret;

	text = answer && n > 0 ? malloc((size_t)n + 1) : NULL;
	if (!text) {
		free(answer);
		return set_why(link->result, -ENOMEM, "%s", "out of memory");
	}
	snprintf(text, (size_t)n + 1, GET_FORMAT, path, link->conf->host);
	ret = send_all(link, text, (size_t)n);
	if (!ret)
		ret = receive_all(link, answer, NAFKC_CLIENT_ANSWER_MAX, &len);
	if (!ret) {
		answer[len] = '\0';
		if (len < 12 || strncmp(answer, "HTTP/1.", 7) ||
		    answer[8] != ' ')
			ret = set_why(link->result, -EPROTO, "%s",
				      "the answer is not HTTP/1.x");
		else
			link->result->status = atoi(answer + 9);
	}
	free(text);
	free(answer);
	return ret;
}

/*
 * A session, and in it the request unless req is NULL, or else a GET of
 * get_path unless that is NULL.
 */
static int run(const struct nafkc_client_conf *conf,
	       const struct ks_local_request *req,
	       struct ks_local_response *resp, const char *get_path,
	       struct nafkc_client_result *result)
{
	struct link link = { .conf = conf, .result = result, .fd = -1 };
	SSL_CTX *ctx;
	int ret;

	memset(result, 0, sizeof(*result));
	clock_gettime(CLOCK_MONOTONIC, &link.deadline);
	link.deadline.tv_sec += conf->timeout ? conf->timeout :
				NAFKC_CLIENT_TIMEOUT_DEFAULT;
	ERR_clear_error();
	ctx = nafkc_client_ctx_new(conf);
	if (!ctx)
		return set_why(result, conf->certificate ? -ENOENT : -ENOMEM,
			       "TLS: %s",
			       tls_reason("cannot make the context"));
	ret = tcp_connect(&link);
	if (!ret)
		ret = handshake(&link, ctx);
	if (!ret && req)
		ret = exchange(&link, req, resp);
	else if (!ret && get_path)
		ret = get(&link, get_path);
	if (link.ssl) {
		if (!ret)
			SSL_shutdown(link.ssl);
		SSL_free(link.ssl);
	}
	if (link.fd >= 0)
		close(link.fd);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

int nafkc_client_request(const struct nafkc_client_conf *conf,
			 const struct ks_local_request *req,
			 struct ks_local_response *resp,
			 struct nafkc_client_result *result)
{
	memset(resp, 0, sizeof(*resp));
	return run(conf, req, resp, NULL, result);
}

int nafkc_client_handshake(const struct nafkc_client_conf *conf,
			   struct nafkc_client_result *result)
{
	return run(conf, NULL, NULL, NULL, result);
}

int nafkc_client_get(const struct nafkc_client_conf *conf, const char *path,
		     struct nafkc_client_result *result)
{
	return run(conf, NULL, NULL, path, result);
}
