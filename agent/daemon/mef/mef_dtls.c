// SPDX-License-Identifier: GPL-2.0
/*
 * The MEF's DTLS 1.2 listener, see mef_dtls.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "daemon/log.h"
#include "util/secure_alloc.h"
#include "mef_dtls.h"
#include "mef_enrol.h"
#include "net/http_request.h"
#include "net/tls_psk.h"
#include "proto/onem2m/enrol_msg.h"
#include "role_mef.h"

#define DATAGRAM_MAX	16384
#define REQUEST_MAX	(HTTP_REQUEST_HEAD_MAX + UB_JSON_MAX)

struct dtls_peer {
	struct mef_origin o;		/* first */
	struct mef_dtls *dtls;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char peer_text[64];
	SSL *ssl;
	BIO *in, *out;			/* memory BIOs, owned by ssl */
	time_t deadline;
	char *request;			/* application data so far */
	size_t request_len;
	bool done;			/* answered or failed: free it */
};

struct mef_dtls {
	struct mef *mef;
	struct tls_psk *psk;
	int fd;
	struct event *readable;
	struct event *timer;
	char address[64];
	uint8_t cookie_secret[32];
	struct dtls_peer *peers[MEF_DTLS_PEERS_MAX];
	size_t n_peers;
	unsigned long long dropped;
};

static int cookie_index = -1;

/* HMAC-SHA-256(secret, peer address and port), its first 16 octets. */
static bool make_cookie(SSL *ssl, unsigned char *cookie)
{
	const struct dtls_peer *peer = SSL_get_ex_data(ssl, cookie_index);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!peer || !HMAC(EVP_sha256(), peer->dtls->cookie_secret,
			   sizeof(peer->dtls->cookie_secret),
			   (const unsigned char *)&peer->addr,
			   peer->addr_len, mac, &len) ||
	    len < MEF_DTLS_COOKIE_LEN)
		return false;
	memcpy(cookie, mac, MEF_DTLS_COOKIE_LEN);
	OPENSSL_cleanse(mac, sizeof(mac));
	return true;
}

static int generate_cookie(SSL *ssl, unsigned char *cookie,
			   unsigned int *len)
{
	if (!make_cookie(ssl, cookie))
		return 0;
	*len = MEF_DTLS_COOKIE_LEN;
	return 1;
}

static int verify_cookie(SSL *ssl, const unsigned char *cookie,
			 unsigned int len)
{
	unsigned char want[MEF_DTLS_COOKIE_LEN];

	return len == MEF_DTLS_COOKIE_LEN && make_cookie(ssl, want) &&
	       !CRYPTO_memcmp(want, cookie, MEF_DTLS_COOKIE_LEN);
}

/* Sends what the session wrote, as one datagram. */
static void flush(struct dtls_peer *peer)
{
	char *data;
	long len = BIO_get_mem_data(peer->out, &data);

	if (len > 0)
		sendto(peer->dtls->fd, data, (size_t)len, 0,
		       (const struct sockaddr *)&peer->addr, peer->addr_len);
	(void)BIO_reset(peer->out);
}

static void peer_free(struct dtls_peer *peer)
{
	struct mef_dtls *dtls = peer->dtls;
	size_t i;

	for (i = 0; i < dtls->n_peers; i++)
		if (dtls->peers[i] == peer) {
			dtls->peers[i] = dtls->peers[--dtls->n_peers];
			break;
		}
	SSL_free(peer->ssl);
	if (peer->request)
		OPENSSL_clear_free(peer->request, REQUEST_MAX);
	free(peer);
}

static void dtls_answer(struct mef_origin *o, int status, const char *token,
			const char *body, size_t len)
{
	struct dtls_peer *peer = (struct dtls_peer *)o;
	char head[160];
	int n;

	(void)token;
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nContent-Type: " UB_JSON_CONTENT_TYPE
		     "\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		     status, status == 200 ? "OK" : "Refused", len);
	/* Head and body in one record: the peer reads one datagram. */
	if (n > 0 && (size_t)n + len <= REQUEST_MAX) {
		char *text = malloc((size_t)n + len);

		if (text) {
			memcpy(text, head, (size_t)n);
			if (len)
				memcpy(text + n, body, len);
			SSL_write(peer->ssl, text, (int)((size_t)n + len));
			OPENSSL_clear_free(text, (size_t)n + len);
		}
	}
	SSL_shutdown(peer->ssl);
	flush(peer);
	peer->done = true;
}

/* The session's application data: one request, then the answer. */
static void read_request(struct dtls_peer *peer)
{
	struct http_request req;
	int n, ret;

	if (!peer->request)
		peer->request = OPENSSL_zalloc(REQUEST_MAX);
	if (!peer->request) {
		peer->done = true;
		return;
	}
	while ((n = SSL_read(peer->ssl, peer->request + peer->request_len,
			     (int)(REQUEST_MAX - peer->request_len))) > 0)
		peer->request_len += (size_t)n;
	ret = http_request_parse(peer->request, peer->request_len,
				 UB_JSON_MAX, &req);
	if (ret == -EAGAIN && peer->request_len < REQUEST_MAX)
		return;
	/* Anything but the enrolment: a body the parser refuses (400). */
	if (ret || strcmp(req.method, "POST") ||
	    strcmp(req.path, ONEM2M_ENROL_PATH)) {
		mef_enrol_handle(peer->dtls->mef, &peer->o, true, "", 0);
		return;
	}
	peer->o.kpm_id = tls_psk_identity(peer->ssl);
	if (!peer->o.kpm_id)
		peer->o.kpm_id = "-";
	mef_enrol_handle(peer->dtls->mef, &peer->o,
			 http_request_type_is(&req, UB_JSON_CONTENT_TYPE),
			 peer->request + req.head_len, req.body_len);
}

static struct dtls_peer *find_peer(struct mef_dtls *dtls,
				   const struct sockaddr_storage *addr,
				   socklen_t len)
{
	size_t i;

	for (i = 0; i < dtls->n_peers; i++)
		if (dtls->peers[i]->addr_len == len &&
		    !memcmp(&dtls->peers[i]->addr, addr, len))
			return dtls->peers[i];
	return NULL;
}

static struct dtls_peer *new_peer(struct mef_dtls *dtls,
				  const struct sockaddr_storage *addr,
				  socklen_t len)
{
	struct dtls_peer *peer;

	if (dtls->n_peers == MEF_DTLS_PEERS_MAX) {
		dtls->dropped++;
		return NULL;
	}
	peer = calloc(1, sizeof(*peer));
	if (!peer)
		return NULL;
	peer->dtls = dtls;
	memcpy(&peer->addr, addr, len);
	peer->addr_len = len;
	config_address_text(addr, peer->peer_text, sizeof(peer->peer_text));
	peer->o.peer = peer->peer_text;
	peer->o.kpm_id = "-";
	peer->o.transport = "dtls";
	peer->o.reply = dtls_answer;
	peer->deadline = time(NULL) + MEF_DTLS_DEADLINE;
	peer->ssl = tls_psk_ssl(dtls->psk);
	peer->in = BIO_new(BIO_s_mem());
	peer->out = BIO_new(BIO_s_mem());
	if (!peer->ssl || !peer->in || !peer->out ||
	    !SSL_set_ex_data(peer->ssl, cookie_index, peer)) {
		BIO_free(peer->in);
		BIO_free(peer->out);
		SSL_free(peer->ssl);
		free(peer);
		return NULL;
	}
	BIO_set_mem_eof_return(peer->in, -1);
	BIO_set_mem_eof_return(peer->out, -1);
	SSL_set_bio(peer->ssl, peer->in, peer->out);
	SSL_set_options(peer->ssl, SSL_OP_COOKIE_EXCHANGE);
	/* Memory BIOs cannot say the path MTU: a safe one for UDP. */
	SSL_set_options(peer->ssl, SSL_OP_NO_QUERY_MTU);
	DTLS_set_link_mtu(peer->ssl, 1400);
	SSL_set_accept_state(peer->ssl);
	peer->o.ssl = peer->ssl;
	dtls->peers[dtls->n_peers++] = peer;
	return peer;
}

static void datagram(struct mef_dtls *dtls, const uint8_t *data, size_t len,
		     const struct sockaddr_storage *addr, socklen_t addr_len)
{
	struct dtls_peer *peer = find_peer(dtls, addr, addr_len);
	int ret;

	if (!peer)
		peer = new_peer(dtls, addr, addr_len);
	if (!peer)
		return;
	BIO_write(peer->in, data, (int)len);
	if (!SSL_is_init_finished(peer->ssl)) {
		ret = SSL_do_handshake(peer->ssl);
		flush(peer);
		if (ret <= 0 && SSL_get_error(peer->ssl, ret) !=
				SSL_ERROR_WANT_READ)
			peer->done = true;
	}
	if (!peer->done && SSL_is_init_finished(peer->ssl))
		read_request(peer);
	ERR_clear_error();
	if (peer->done)
		peer_free(peer);
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct mef_dtls *dtls = arg;
	struct sockaddr_storage addr;
	uint8_t buf[DATAGRAM_MAX];
	socklen_t addr_len;
	ssize_t n;
	int i;

	(void)what;
	/* A bounded batch, so that other events get their turn. */
	for (i = 0; i < 64; i++) {
		addr_len = sizeof(addr);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&addr, &addr_len);
		if (n <= 0)
			break;
		datagram(dtls, buf, (size_t)n, &addr, addr_len);
	}
	OPENSSL_cleanse(buf, sizeof(buf));
}

/* Sessions past their deadline go; the others may retransmit. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct mef_dtls *dtls = arg;
	time_t now = time(NULL);
	size_t i = 0;

	(void)fd;
	(void)what;
	while (i < dtls->n_peers) {
		struct dtls_peer *peer = dtls->peers[i];

		if (now >= peer->deadline) {
			peer_free(peer);
			continue;
		}
		if (DTLSv1_handle_timeout(peer->ssl) > 0)
			flush(peer);
		i++;
	}
	ERR_clear_error();
}

static int open_socket(struct mef_dtls *dtls, char *why, size_t why_size)
{
	const struct config_listen *on = &dtls->mef->conf->dtls_listen;
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);
	int one = 1;

	dtls->fd = socket(on->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
			  SOCK_CLOEXEC, 0);
	if (dtls->fd < 0 ||
	    (on->addr.ss_family == AF_INET6 &&
	     setsockopt(dtls->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			sizeof(one))) ||
	    bind(dtls->fd, (const struct sockaddr *)&on->addr, on->addr_len)) {
		snprintf(why, why_size, "%s: %s", on->text, strerror(errno));
		return -errno;
	}
	if (!getsockname(dtls->fd, (struct sockaddr *)&addr, &len))
		config_address_text(&addr, dtls->address,
				    sizeof(dtls->address));
	return 0;
}

int mef_dtls_new(struct mef_dtls **out, struct mef *mef, char *why,
		 size_t why_size)
{
	/* The cookie secret lives here: in memory no core dump shows. */
	struct mef_dtls *dtls = secure_calloc(sizeof(*dtls));
	struct timeval every = { 1, 0 };
	struct tls_psk_conf psk = {
		.lookup = mef_kpm_lookup,
		.arg = mef,
		.tls12_only_suites = MEF_TLS12_SUITES,
		.dtls = true,
	};
	int ret;

	*out = NULL;
	if (!dtls)
		return -ENOMEM;
	dtls->mef = mef;
	dtls->fd = -1;
	if (cookie_index < 0)
		cookie_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	ret = cookie_index < 0 ||
	      RAND_bytes(dtls->cookie_secret,
			 sizeof(dtls->cookie_secret)) != 1 ? -ENOMEM : 0;
	if (!ret)
		ret = tls_psk_new(&dtls->psk, &psk, why, why_size);
	if (!ret) {
		SSL_CTX_set_cookie_generate_cb(tls_psk_context(dtls->psk),
					       generate_cookie);
		SSL_CTX_set_cookie_verify_cb(tls_psk_context(dtls->psk),
					     verify_cookie);
		ret = open_socket(dtls, why, why_size);
	}
	if (!ret) {
		dtls->readable = event_new(mef->daemon->base, dtls->fd,
					   EV_READ | EV_PERSIST, on_readable,
					   dtls);
		dtls->timer = event_new(mef->daemon->base, -1, EV_PERSIST,
					on_tick, dtls);
		if (!dtls->readable || !dtls->timer ||
		    event_add(dtls->readable, NULL) ||
		    event_add(dtls->timer, &every))
			ret = -ENOMEM;
	}
	if (ret) {
		mef_dtls_free(dtls);
		return ret;
	}
	*out = dtls;
	return 0;
}

const char *mef_dtls_address(const struct mef_dtls *dtls)
{
	return dtls->address;
}

size_t mef_dtls_sessions(const struct mef_dtls *dtls)
{
	return dtls ? dtls->n_peers : 0;
}

unsigned long long mef_dtls_dropped(const struct mef_dtls *dtls)
{
	return dtls ? dtls->dropped : 0;
}

void mef_dtls_free(struct mef_dtls *dtls)
{
	if (!dtls)
		return;
	while (dtls->n_peers)
		peer_free(dtls->peers[0]);
	if (dtls->readable)
		event_free(dtls->readable);
	if (dtls->timer)
		event_free(dtls->timer);
	if (dtls->fd >= 0)
		close(dtls->fd);
	tls_psk_free(dtls->psk);
	secure_free(dtls);	/* wiped, the cookie secret with it */
}
