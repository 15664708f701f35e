// SPDX-License-Identifier: GPL-2.0
/*
 * A DTLS 1.2 PSK server on one UDP socket, see dtls_server.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "daemon/log.h"
#include "net/dtls_server.h"
#include "net/tls_gba.h"
#include "util/secure_alloc.h"

#define DATAGRAM_MAX	16384
#define LINK_MTU	1400

struct dtls_session {
	struct dtls_server *server;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char peer_text[64];
	SSL *ssl;
	BIO *in, *out;			/* memory BIOs, owned by ssl */
	time_t deadline;
	char *request;			/* application data so far */
	size_t request_len, request_max;
	bool done;			/* answered or failed: free it */
	bool established;		/* conf established called */
	struct psk_await await;		/* with conf keys: its key */
};

struct dtls_server {
	struct dtls_server_conf conf;
	struct tls_psk *psk;		/* keys held (conf psk.lookup) */
	struct tls_gba *gba;		/* or the owner's (conf keys) */
	size_t n_awaited;		/* keys awaited from the owner */
	int fd;
	struct event *readable;
	struct event *timer;
	char address[64];
	uint8_t cookie_secret[32];	/* per process, drawn at start */
	struct dtls_session **sessions;
	size_t n_sessions;
	unsigned long long dropped;
	unsigned long long held_back;	/* datagrams of paused sessions */
	unsigned long long unlogged;	/* dropped since the last dtls-full */
	time_t logged_at;
};

static int session_index = -1;

/* HMAC-SHA-256(secret, peer address and port), its first 16 octets. */
static bool make_cookie(SSL *ssl, unsigned char *cookie)
{
	const struct dtls_session *s = SSL_get_ex_data(ssl, session_index);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!s || !HMAC(EVP_sha256(), s->server->cookie_secret,
			sizeof(s->server->cookie_secret),
			(const unsigned char *)&s->addr, s->addr_len, mac,
			&len) ||
	    len < DTLS_COOKIE_LEN)
		return false;
	memcpy(cookie, mac, DTLS_COOKIE_LEN);
	OPENSSL_cleanse(mac, sizeof(mac));
	return true;
}

static int generate_cookie(SSL *ssl, unsigned char *cookie,
			   unsigned int *len)
{
	if (!make_cookie(ssl, cookie))
		return 0;
	*len = DTLS_COOKIE_LEN;
	return 1;
}

static int verify_cookie(SSL *ssl, const unsigned char *cookie,
			 unsigned int len)
{
	unsigned char want[DTLS_COOKIE_LEN];

	return len == DTLS_COOKIE_LEN && make_cookie(ssl, want) &&
	       !CRYPTO_memcmp(want, cookie, DTLS_COOKIE_LEN);
}

/* Sends what the session wrote, as one datagram; or drops it. */
static void flush(struct dtls_session *s, bool send)
{
	char *data;
	long len = BIO_get_mem_data(s->out, &data);

	if (send && len > 0)
		sendto(s->server->fd, data, (size_t)len, 0,
		       (const struct sockaddr *)&s->addr, s->addr_len);
	(void)BIO_reset(s->out);
}

/*
 * A session whose handshake is paused for its key (deadline, or the
 * server freed) ends: the owner forgets the fetch (no answer will look
 * for s), and the job is resumed refused so that it ends before
 * SSL_free() (its alert is not sent: the peer is told nothing more).
 */
static void end_paused(struct dtls_session *s)
{
	psk_await_cancel(&s->await);
	if (!SSL_waiting_for_async(s->ssl))
		return;
	tls_gba_key_done(s->ssl, NULL, 0, "the session ended first");
	SSL_do_handshake(s->ssl);
	(void)BIO_reset(s->out);
	ERR_clear_error();
}

static void session_free(struct dtls_session *s)
{
	struct dtls_server *server = s->server;
	size_t i;

	for (i = 0; i < server->n_sessions; i++)
		if (server->sessions[i] == s) {
			server->sessions[i] =
				server->sessions[--server->n_sessions];
			break;
		}
	if (s->ssl)
		end_paused(s);
	SSL_free(s->ssl);
	if (s->request)
		OPENSSL_clear_free(s->request, s->request_max);
	free(s);
}

void dtls_session_reply(struct dtls_session *s, int status, const char *type,
			const char *body, size_t len)
{
	char head[256], *text;
	int n;

	if (s->done)
		return;
	n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n%s%s%s"
		     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		     status, status == 200 ? "OK" : "Refused",
		     type ? "Content-Type: " : "", type ? type : "",
		     type ? "\r\n" : "", len);
	/* Head and body in one record: the peer reads one datagram. */
	text = n > 0 && (size_t)n < sizeof(head) ? malloc((size_t)n + len) :
	       NULL;
	if (text) {
		memcpy(text, head, (size_t)n);
		if (len)
			memcpy(text + n, body, len);
		SSL_write(s->ssl, text, (int)((size_t)n + len));
		OPENSSL_clear_free(text, (size_t)n + len);
	}
	SSL_shutdown(s->ssl);
	flush(s, true);
	s->done = true;
}

SSL *dtls_session_ssl(struct dtls_session *s)
{
	return s->ssl;
}

const char *dtls_session_identity(const struct dtls_session *s)
{
	bool uicc;

	return s->server->gba ? tls_gba_btid(s->ssl, &uicc) :
	       tls_psk_identity(s->ssl);
}

/* The identity the peer named, for logs: "-" when none. */
static const char *named_identity(const struct dtls_session *s)
{
	const char *identity = s->server->gba ? tls_gba_identity(s->ssl) :
			       tls_psk_named_identity(s->ssl);

	return identity && *identity ? identity : "-";
}

bool dtls_session_uicc(const struct dtls_session *s)
{
	bool uicc = false;

	return s->server->gba && tls_gba_btid(s->ssl, &uicc) && uicc;
}

struct psk_await *dtls_session_await(struct dtls_session *s)
{
	return &s->await;
}

const char *dtls_session_peer(const struct dtls_session *s)
{
	return s->peer_text;
}

/* The session's application data: one request, then the answer. */
static void read_request(struct dtls_session *s)
{
	const struct dtls_server_conf *conf = &s->server->conf;
	struct http_request req;
	int n = 0, ret;

	if (!s->request) {
		s->request_max = HTTP_REQUEST_HEAD_MAX + conf->max_body;
		s->request = OPENSSL_zalloc(s->request_max);
	}
	if (!s->request) {
		s->done = true;
		return;
	}
	while (s->request_len < s->request_max &&
	       (n = SSL_read(s->ssl, s->request + s->request_len,
			     (int)(s->request_max - s->request_len))) > 0)
		s->request_len += (size_t)n;
	if (s->request_len < s->request_max &&
	    SSL_get_error(s->ssl, n) == SSL_ERROR_ZERO_RETURN) {
		/* close_notify before a whole request: the peer is gone. */
		s->done = true;
		return;
	}
	ret = http_request_parse(s->request, s->request_len, conf->max_body,
				 &req);
	if (ret == -EAGAIN && s->request_len < s->request_max)
		return;
	conf->request(s, ret ? NULL : &req,
		      ret ? "" : s->request + req.head_len, conf->arg);
	if (!s->done) {
		/* The handler did not answer: close the session. */
		SSL_shutdown(s->ssl);
		flush(s, true);
		s->done = true;
	}
}

static struct dtls_session *find_session(struct dtls_server *server,
					 const struct sockaddr_storage *addr,
					 socklen_t len)
{
	size_t i;

	for (i = 0; i < server->n_sessions; i++)
		if (server->sessions[i]->addr_len == len &&
		    !memcmp(&server->sessions[i]->addr, addr, len))
			return server->sessions[i];
	return NULL;
}

static void key_given(struct psk_await *await);

static struct dtls_session *new_session(struct dtls_server *server,
					const struct sockaddr_storage *addr,
					socklen_t len)
{
	struct dtls_session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->server = server;
	memcpy(&s->addr, addr, len);
	s->addr_len = len;
	config_address_text(addr, s->peer_text, sizeof(s->peer_text));
	s->deadline = time(NULL) + server->conf.deadline;
	s->ssl = server->gba ? tls_gba_ssl(server->gba) :
		 tls_psk_ssl(server->psk);
	s->await = (struct psk_await){
		.source = &server->conf.keys,
		.n_awaited = &server->n_awaited,
		.ssl = s->ssl,
		.resume = key_given,
	};
	s->in = BIO_new(BIO_s_mem());
	s->out = BIO_new(BIO_s_mem());
	if (!s->ssl || !s->in || !s->out ||
	    !SSL_set_ex_data(s->ssl, session_index, s)) {
		BIO_free(s->in);
		BIO_free(s->out);
		SSL_free(s->ssl);
		free(s);
		return NULL;
	}
	BIO_set_mem_eof_return(s->in, -1);
	BIO_set_mem_eof_return(s->out, -1);
	SSL_set_bio(s->ssl, s->in, s->out);
	SSL_set_options(s->ssl, SSL_OP_COOKIE_EXCHANGE);
	/* Memory BIOs cannot say the path MTU: a safe one for UDP. */
	SSL_set_options(s->ssl, SSL_OP_NO_QUERY_MTU);
	DTLS_set_link_mtu(s->ssl, LINK_MTU);
	SSL_set_accept_state(s->ssl);
	return s;
}

/* Logs the refusals for want of room: at most once a second. */
static void log_full(struct dtls_server *server, time_t now)
{
	if (!server->unlogged || server->logged_at == now)
		return;
	log_msg(LOG_LEVEL_WARNING, server->conf.role, "dtls-full",
		"%llu DTLS handshakes refused: %zu sessions held, the most",
		server->unlogged, server->conf.max_sessions);
	server->unlogged = 0;
	server->logged_at = now;
}

/*
 * Whether the handshake of ssl runs: done, waiting for the peer, or
 * paused for its key (SSL_ERROR_WANT_ASYNC: key_given() steps it again).
 */
static bool step(SSL *ssl)
{
	int ret = SSL_do_handshake(ssl);
	int err = ret > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl, ret);

	return err == SSL_ERROR_NONE || err == SSL_ERROR_WANT_READ ||
	       err == SSL_ERROR_WANT_ASYNC;
}

/* DTLSv1_listen(): 1 when the ClientHello returned its cookie. */
static int listen_step(SSL *ssl)
{
	BIO_ADDR *client = BIO_ADDR_new();
	int ret = client ? DTLSv1_listen(ssl, client) : -1;

	BIO_ADDR_free(client);
	return ret;
}

/*
 * A datagram from a peer with no session. OpenSSL's DTLSv1_listen()
 * answers a ClientHello without the cookie with a HelloVerifyRequest
 * and keeps nothing; the SSL is freed. Only a ClientHello that returns
 * the cookie goes on to a session, when there is room for one.
 */
static void first_datagram(struct dtls_server *server, const uint8_t *data,
			   size_t len, const struct sockaddr_storage *addr,
			   socklen_t addr_len)
{
	struct dtls_session *s = new_session(server, addr, addr_len);

	if (!s)
		return;
	BIO_write(s->in, data, (int)len);
	if (listen_step(s->ssl) <= 0) {
		flush(s, true);
		session_free(s);
		return;
	}
	if (server->n_sessions >= server->conf.max_sessions) {
		server->dropped++;
		server->unlogged++;
		log_full(server, time(NULL));
		session_free(s);
		return;
	}
	server->sessions[server->n_sessions++] = s;
	if (!step(s->ssl))
		s->done = true;
	flush(s, true);
	if (s->done)
		session_free(s);
}

/* The session's handshake, then its request, as far as they go now. */
static void advance(struct dtls_session *s)
{
	if (!SSL_is_init_finished(s->ssl)) {
		if (!step(s->ssl))
			s->done = true;
		flush(s, true);
	}
	if (!s->done && SSL_is_init_finished(s->ssl) && !s->established) {
		const struct dtls_server_conf *conf = &s->server->conf;

		s->established = true;
		if (conf->established && conf->established(s, conf->arg))
			s->done = true;
	}
	if (!s->done && SSL_is_init_finished(s->ssl))
		read_request(s);
	ERR_clear_error();
	if (s->done)
		session_free(s);
}

/* The owner gave the paused handshake its key (or none): it resumes. */
static void key_given(struct psk_await *await)
{
	advance((struct dtls_session *)((char *)await -
		offsetof(struct dtls_session, await)));
}

/*
 * A datagram of a session. One whose handshake is paused for its key
 * is dropped and counted (held_back): the job reads nothing while
 * paused, what it had read (the flight that named the identity) waits in
 * its buffers, and what comes meanwhile is the peer's retransmission of
 * that flight (or of its ClientHello), which it sends again once our
 * next flight fails to come. So a retransmission starts no second fetch.
 */
static void datagram(struct dtls_server *server, const uint8_t *data,
		     size_t len, const struct sockaddr_storage *addr,
		     socklen_t addr_len)
{
	struct dtls_session *s = find_session(server, addr, addr_len);

	if (!s) {
		first_datagram(server, data, len, addr, addr_len);
		ERR_clear_error();
		return;
	}
	if (SSL_waiting_for_async(s->ssl)) {
		server->held_back++;
		return;
	}
	BIO_write(s->in, data, (int)len);
	advance(s);
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct dtls_server *server = arg;
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
		datagram(server, buf, (size_t)n, &addr, addr_len);
	}
	OPENSSL_cleanse(buf, sizeof(buf));
}

/*
 * A handshake that did not finish by its deadline. DTLS drops the records
 * a wrong key makes without an alert (RFC 6347 4.1.2.7), so this is where
 * the operator hears of a wrong PSK.
 */
static void log_timeout(const struct dtls_session *s)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_WARNING, s->server->conf.role,
		       "dtls-timeout"))
		return;
	log_str(&line, "peer", s->peer_text);
	log_str(&line, "psk-identity", named_identity(s));
	log_str(&line, "reason", SSL_waiting_for_async(s->ssl) ?
		"its key did not come in time" :
		"handshake not finished (a wrong key?)");
	log_end(&line);
}

/* Sessions past their deadline go; the others may retransmit. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct dtls_server *server = arg;
	time_t now = time(NULL);
	size_t i = 0;

	(void)fd;
	(void)what;
	while (i < server->n_sessions) {
		struct dtls_session *s = server->sessions[i];

		if (now >= s->deadline) {
			if (!SSL_is_init_finished(s->ssl))
				log_timeout(s);
			session_free(s);
			continue;
		}
		/* A paused job's state is its own until it resumes. */
		if (!SSL_waiting_for_async(s->ssl) &&
		    DTLSv1_handle_timeout(s->ssl) > 0)
			flush(s, true);
		i++;
	}
	log_full(server, now);
	ERR_clear_error();
}

static int open_socket(struct dtls_server *server, char *why,
		       size_t why_size)
{
	const struct config_listen *on = server->conf.listen;
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);
	int one = 1;

	server->fd = socket(on->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, 0);
	if (server->fd < 0 ||
	    (on->addr.ss_family == AF_INET6 &&
	     setsockopt(server->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			sizeof(one))) ||
	    bind(server->fd, (const struct sockaddr *)&on->addr,
		 on->addr_len)) {
		snprintf(why, why_size, "%s: %s", on->text, strerror(errno));
		return -errno;
	}
	if (!getsockname(server->fd, (struct sockaddr *)&addr, &len))
		config_address_text(&addr, server->address,
				    sizeof(server->address));
	return 0;
}

static int start_events(struct dtls_server *server, struct event_base *base)
{
	struct timeval every = { 1, 0 };

	server->readable = event_new(base, server->fd, EV_READ | EV_PERSIST,
				     on_readable, server);
	server->timer = event_new(base, -1, EV_PERSIST, on_tick, server);
	if (!server->readable || !server->timer ||
	    event_add(server->readable, NULL) ||
	    event_add(server->timer, &every))
		return -ENOMEM;
	return 0;
}

/* The peer of a session's SSL, for tls_gba's tls-refused line. */
static const char *peer_name(const SSL *ssl)
{
	const struct dtls_session *s = SSL_get_ex_data(ssl, session_index);

	return s ? s->peer_text : "-";
}

/*
 * tls_gba's fetch (the PSK callback's): the owner's key, once, of the
 * whole psk_identity (a GBA one's B-TID is the source's to split).
 */
static int fetch(void *arg, SSL *ssl, const char *identity, bool uicc,
		 const uint8_t ua_id[GBA_UA_ID_LEN])
{
	struct dtls_session *s = SSL_get_ex_data(ssl, session_index);

	(void)arg;
	(void)identity;
	(void)uicc;
	(void)ua_id;
	return s ? psk_await_fetch(&s->await, tls_gba_identity(ssl)) :
		   -ENOENT;
}

/*
 * The context: keys held (tls_psk, its lookup) or the owner's, which may
 * pause the handshake (tls_gba, SSL_MODE_ASYNC); cookies on it either way.
 */
static int make_context(struct dtls_server *server, char *why,
			size_t why_size)
{
	const struct tls_gba_conf gba = {
		.fetch = fetch,
		.arg = server,
		.tls12_only_suites = server->conf.psk.tls12_only_suites,
		.any_identity = !server->conf.gba_identities,
		.dtls = true,
		.peer_name = peer_name,
	};
	SSL_CTX *ctx;
	int ret;

	if (server->conf.keys.get_key)
		ret = tls_gba_new(&server->gba, &gba, why, why_size);
	else
		ret = tls_psk_new(&server->psk, &server->conf.psk, why,
				  why_size);
	if (ret)
		return ret;
	ctx = server->gba ? tls_gba_context(server->gba) :
	      tls_psk_context(server->psk);
	SSL_CTX_set_cookie_generate_cb(ctx, generate_cookie);
	SSL_CTX_set_cookie_verify_cb(ctx, verify_cookie);
	return 0;
}

int dtls_server_new(struct dtls_server **out, struct event_base *base,
		    const struct dtls_server_conf *conf, char *why,
		    size_t why_size)
{
	/* The cookie secret lives here: in memory no core dump shows. */
	struct dtls_server *server;
	int ret;

	*out = NULL;
	if (!conf->max_sessions || conf->max_sessions > DTLS_SESSIONS_MAX ||
	    !conf->request) {
		snprintf(why, why_size, "DTLS: a bad server configuration");
		return -EINVAL;
	}
	server = secure_calloc(sizeof(*server));
	if (!server)
		return -ENOMEM;
	server->conf = *conf;
	server->conf.psk.dtls = true;
	server->fd = -1;
	server->sessions = calloc(conf->max_sessions,
				  sizeof(*server->sessions));
	if (session_index < 0)
		session_index = SSL_get_ex_new_index(0, NULL, NULL, NULL,
						     NULL);
	ret = !server->sessions || session_index < 0 ||
	      RAND_bytes(server->cookie_secret,
			 sizeof(server->cookie_secret)) != 1 ? -ENOMEM : 0;
	if (!ret)
		ret = make_context(server, why, why_size);
	if (!ret)
		ret = open_socket(server, why, why_size);
	if (!ret)
		ret = start_events(server, base);
	if (ret) {
		dtls_server_free(server);
		return ret;
	}
	*out = server;
	return 0;
}

const char *dtls_server_address(const struct dtls_server *server)
{
	return server->address;
}

size_t dtls_server_sessions(const struct dtls_server *server)
{
	return server ? server->n_sessions : 0;
}

unsigned long long dtls_server_dropped(const struct dtls_server *server)
{
	return server ? server->dropped : 0;
}

unsigned long long dtls_server_held_back(const struct dtls_server *server)
{
	return server ? server->held_back : 0;
}

void dtls_server_free(struct dtls_server *server)
{
	if (!server)
		return;
	while (server->n_sessions)
		session_free(server->sessions[0]);
	free(server->sessions);
	if (server->readable)
		event_free(server->readable);
	if (server->timer)
		event_free(server->timer);
	if (server->fd >= 0)
		close(server->fd);
	tls_psk_free(server->psk);
	tls_gba_free(server->gba);
	secure_free(server);	/* wiped, the cookie secret with it */
}
