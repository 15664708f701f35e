// SPDX-License-Identifier: GPL-2.0
/*
 * The GBA PSK-TLS listener: connections whose handshake and one request
 * e2m runs itself, see gba_listener.h.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/listener.h>
#include <openssl/crypto.h>

#include "daemon/gba_listener.h"
#include "daemon/config.h"
#include "daemon/gba_zn_key.h"
#include "daemon/log.h"
#include "net/http_server.h"
#include "net/tls_gba.h"
#include "proto/gba/ub_json.h"
#include "util/mono_clock.h"

enum phase { HANDSHAKE, READING, HANDLING, WRITING, SHUTDOWN };

struct gba_listener_conn {
	struct gba_listener *gba;	/* NULL once detached */
	int fd;
	SSL *ssl;
	struct event *io, *deadline;
	enum phase phase;
	struct psk_await await;		/* the handshake's key */
	char peer[TLS_PEER_NAME_MAX + 1];
	/* Of the identity; with the owner's keys the identity whole. */
	char btid[TLS_GBA_IDENTITY_MAX + 1];
	bool uicc;
	char in[HTTP_REQUEST_HEAD_MAX + UB_JSON_MAX];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	struct gba_listener_conn *prev, *next;
};

struct gba_listener {
	struct gba_listener_conf conf;
	struct tls_gba *tls;
	/* The key source: conf keys, or Zn's (zn_keys, gba_zn_key.h). */
	struct psk_source keys;
	struct gba_zn_key *zn_keys;
	struct evconnlistener *listener;
	char address[CONFIG_ADDR_TEXT_MAX];
	struct gba_listener_conn *conns;		/* the newest first */
	size_t n_conns;
	size_t n_awaited;	/* keys awaited (Zn calls, the owner's) */
	struct http_conns_stats stats;
	struct http_conns_stats logged;	/* as of the last line */
	uint64_t last_log;		/* ms; 0: never */
	struct event *report;		/* the next connections-limited line */
};

static void step(struct gba_listener_conn *conn);

/* The daemon's listeners: section, read when used (a reload keeps it). */
static const struct config_listeners *limits(const struct gba_listener *gba)
{
	return &gba->conf.daemon->config->listeners;
}

static void start_clock(struct gba_listener_conn *conn)
{
	struct timeval deadline = {
		(time_t)limits(conn->gba)->request_deadline, 0
	};

	if (evtimer_add(conn->deadline, &deadline))
		event_active(conn->deadline, EV_TIMEOUT, 0);
}

/* ---- connections-limited: as net/http_conns.c logs it ------------------- */

static void log_limited(struct gba_listener *gba)
{
	const struct http_conns_stats *s = &gba->stats, *l = &gba->logged;
	struct log_line line;

	if (s->refused == l->refused && s->evicted == l->evicted &&
	    s->cut == l->cut)
		return;
	if (log_begin(&line, LOG_LEVEL_WARNING, gba->conf.role,
		      "connections-limited")) {
		log_str(&line, "listener", "gba");
		log_u64(&line, "refused", s->refused - l->refused);
		log_u64(&line, "evicted", s->evicted - l->evicted);
		log_u64(&line, "cut", s->cut - l->cut);
		log_u64(&line, "open", gba->n_conns);
		log_u64(&line, "max", limits(gba)->max_connections);
		log_u64(&line, "period-ms", HTTP_CONNS_LOG_PERIOD_MS);
		log_end(&line);
	}
	gba->logged = *s;
	gba->last_log = mono_clock_ms();
}

static void report_due(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	log_limited(arg);
}

/* A count went up: a line now, or when the period since the last ends. */
static void note_limited(struct gba_listener *gba)
{
	uint64_t now = mono_clock_ms(), wait_ms;
	struct timeval tv;

	if (!gba->last_log || now - gba->last_log >= HTTP_CONNS_LOG_PERIOD_MS) {
		log_limited(gba);
		return;
	}
	if (!gba->report || evtimer_pending(gba->report, NULL))
		return;
	wait_ms = gba->last_log + HTTP_CONNS_LOG_PERIOD_MS - now;
	tv.tv_sec = (time_t)(wait_ms / 1000);
	tv.tv_usec = (suseconds_t)(wait_ms % 1000) * 1000;
	evtimer_add(gba->report, &tv);
}

/* ---- a connection's end ----------------------------------------------- */

static void unlink_conn(struct gba_listener_conn *conn)
{
	struct gba_listener *gba = conn->gba;

	gba->n_conns--;
	if (conn->prev)
		conn->prev->next = conn->next;
	else
		gba->conns = conn->next;
	if (conn->next)
		conn->next->prev = conn->prev;
	conn->gba = NULL;
}

static void free_conn(struct gba_listener_conn *conn)
{
	free(conn->out);
	OPENSSL_cleanse(conn, sizeof(*conn));
	free(conn);
}

/*
 * Closes the socket. A paused handshake is finished first (refused), so
 * that its ASYNC job ends; its key's fetch is cancelled, or the answer a
 * given key came in released (gba_listener_zn() is NULL from here on);
 * a connection whose request is in its owner's hands stays as a shell
 * until its answer comes.
 */
static void close_conn(struct gba_listener_conn *conn)
{
	psk_await_cancel(&conn->await);
	if (conn->ssl && tls_gba_fetching(conn->ssl)) {
		tls_gba_key_done(conn->ssl, NULL, 0, "connection closed");
		SSL_accept(conn->ssl);
	}
	if (conn->io)
		event_free(conn->io);
	if (conn->deadline)
		event_free(conn->deadline);
	conn->io = conn->deadline = NULL;
	SSL_free(conn->ssl);
	conn->ssl = NULL;
	close(conn->fd);
	conn->fd = -1;
	unlink_conn(conn);
	if (conn->phase != HANDLING)
		free_conn(conn);
}

static void io_ready(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	step(arg);
}

static void deadline_passed(evutil_socket_t fd, short what, void *arg)
{
	struct gba_listener_conn *conn = arg;
	struct gba_listener *gba = conn->gba;

	(void)fd;
	(void)what;
	log_msg(LOG_LEVEL_DEBUG, gba->conf.role, "gba-timeout",
		"peer=%s deadline of %u s passed", conn->peer,
		limits(gba)->request_deadline);
	gba->stats.cut++;
	close_conn(conn);
	note_limited(gba);
}

/* Waits for the fd; false when it cannot (then closed). */
static void wait_for(struct gba_listener_conn *conn, short what)
{
	event_del(conn->io);
	if (event_assign(conn->io, event_get_base(conn->io), conn->fd, what,
			 io_ready, conn) || event_add(conn->io, NULL))
		close_conn(conn);
}

/* ---- the answer ------------------------------------------------------- */

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

void gba_listener_answer(struct gba_listener_conn *conn, int status,
			 const char *body, size_t len)
{
	char head[256];
	int n;

	if (!conn->gba) {		/* closed meanwhile */
		free_conn(conn);
		return;
	}
	start_clock(conn);	/* the answer and close_notify, as long again */
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\n%s%s%sContent-Length: %zu\r\n"
		     "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
		     status, reason_phrase(status),
		     body ? "Content-Type: " : "",
		     body ? UB_JSON_CONTENT_TYPE : "", body ? "\r\n" : "",
		     body ? len : 0);
	conn->out = malloc((size_t)n + (body ? len : 0));
	if (!conn->out) {
		conn->phase = SHUTDOWN;
		step(conn);
		return;
	}
	memcpy(conn->out, head, (size_t)n);
	if (body)
		memcpy(conn->out + n, body, len);
	conn->out_len = (size_t)n + (body ? len : 0);
	conn->phase = WRITING;
	step(conn);
}

void gba_listener_refuse(struct gba_listener_conn *conn, int status,
			 const char *token, const char *detail)
{
	char *text = NULL;

	if (conn->gba)
		log_msg(LOG_LEVEL_WARNING, conn->gba->conf.role,
			conn->gba->conf.refused_event,
			"status=%d error=%s peer=%s", status, token,
			conn->peer);
	conn->phase = HANDLING;
	if (ub_error_build(token, detail, &text)) {
		gba_listener_answer(conn, status, NULL, 0);
		return;
	}
	gba_listener_answer(conn, status, text, strlen(text));
	ub_json_text_free(text);
}

/* ---- the request ------------------------------------------------------ */

/* The whole request is in: to the owner's handler. */
static void handle(struct gba_listener_conn *conn,
		   const struct http_request *req)
{
	const struct gba_listener_conf *conf = &conn->gba->conf;

	if (strcmp(req->path, conf->path)) {
		gba_listener_refuse(conn, 404, HTTP_ERR_NOT_FOUND, NULL);
		return;
	}
	if (strcmp(req->method, conf->method)) {
		gba_listener_refuse(conn, 405, HTTP_ERR_METHOD_NOT_ALLOWED,
				    NULL);
		return;
	}
	conn->phase = HANDLING;
	evtimer_del(conn->deadline);	/* the request is whole: in our hands */
	conf->handle(conf->arg, conn, req, conn->in + req->head_len);
}

/* Reads what there is; hands a whole request on. */
static void read_request(struct gba_listener_conn *conn)
{
	struct http_request req;
	int n, ret;

	for (;;) {
		n = SSL_read(conn->ssl, conn->in + conn->in_len,
			     (int)(sizeof(conn->in) - conn->in_len));
		if (n <= 0) {
			if (SSL_get_error(conn->ssl, n) == SSL_ERROR_WANT_READ)
				wait_for(conn, EV_READ);
			else
				close_conn(conn);
			return;
		}
		conn->in_len += (size_t)n;
		ret = http_request_parse(conn->in, conn->in_len, UB_JSON_MAX,
					 &req);
		if (!ret) {
			handle(conn, &req);
			return;
		}
		if (ret == -E2BIG || (ret == -EAGAIN &&
				      conn->in_len == sizeof(conn->in))) {
			gba_listener_refuse(conn, 413, UB_ERR_BAD_REQUEST,
				     "the request is too large");
			return;
		}
		if (ret != -EAGAIN) {
			gba_listener_refuse(conn, 400, UB_ERR_BAD_REQUEST,
				     ret == -ENOSYS ?
				     "a body needs Content-Length" :
				     "not an HTTP/1.1 request");
			return;
		}
	}
}

/* ---- the handshake ---------------------------------------------------- */

static void handshake_done(struct gba_listener_conn *conn)
{
	bool uicc = false;
	const char *btid = tls_gba_btid(conn->ssl, &uicc);

	const struct gba_listener_conf *conf = &conn->gba->conf;

	SSL_clear_mode(conn->ssl, SSL_MODE_ASYNC);
	if (!btid || !conn->await.keyed) {
		close_conn(conn);
		return;
	}
	if (conf->handshakes)
		(*conf->handshakes)++;
	snprintf(conn->btid, sizeof(conn->btid), "%s", btid);
	conn->uicc = uicc;
	snprintf(conn->peer, sizeof(conn->peer), "%s",
		 tls_gba_identity(conn->ssl));
	if (conf->established && conf->established(conf->arg, conn)) {
		close_conn(conn);
		return;
	}
	conn->phase = READING;
	read_request(conn);
}

/* Drives SSL_accept(); WANT_ASYNC waits for the Zn answer. */
static void handshake(struct gba_listener_conn *conn)
{
	int ret = SSL_accept(conn->ssl);

	if (ret == 1) {
		handshake_done(conn);
		return;
	}
	switch (SSL_get_error(conn->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		wait_for(conn, EV_READ);
		break;
	case SSL_ERROR_WANT_WRITE:
		wait_for(conn, EV_WRITE);
		break;
	case SSL_ERROR_WANT_ASYNC:
		event_del(conn->io);	/* the Zn answer steps on */
		break;
	default:
		close_conn(conn);
	}
}

static void write_answer(struct gba_listener_conn *conn)
{
	int n;

	while (conn->out_off < conn->out_len) {
		n = SSL_write(conn->ssl, conn->out + conn->out_off,
			      (int)(conn->out_len - conn->out_off));
		if (n <= 0) {
			int err = SSL_get_error(conn->ssl, n);

			if (err == SSL_ERROR_WANT_WRITE)
				wait_for(conn, EV_WRITE);
			else if (err == SSL_ERROR_WANT_READ)
				wait_for(conn, EV_READ);
			else
				close_conn(conn);
			return;
		}
		conn->out_off += (size_t)n;
	}
	conn->phase = SHUTDOWN;
	step(conn);
}

/* close_notify, then close: the peer's close_notify is not waited for. */
static void shutdown_tls(struct gba_listener_conn *conn)
{
	int ret = SSL_shutdown(conn->ssl);

	if (ret < 0 && SSL_get_error(conn->ssl, ret) == SSL_ERROR_WANT_WRITE) {
		wait_for(conn, EV_WRITE);
		return;
	}
	close_conn(conn);
}

static void step(struct gba_listener_conn *conn)
{
	switch (conn->phase) {
	case HANDSHAKE:
		handshake(conn);
		break;
	case READING:
		read_request(conn);
		break;
	case HANDLING:
		break;
	case WRITING:
		write_answer(conn);
		break;
	case SHUTDOWN:
		shutdown_tls(conn);
		break;
	}
}

/* ---- the handshake's key --------------------------------------------- */

/* The owner's key came: the paused handshake resumes. */
static void key_given(struct psk_await *await)
{
	step((struct gba_listener_conn *)((char *)await -
		offsetof(struct gba_listener_conn, await)));
}

/*
 * The PSK callback's fetch (tls_gba.h): the key source's, once. It
 * gets the whole psk_identity (with conf keys the identity is btid).
 */
static int fetch(void *arg, SSL *ssl, const char *btid, bool uicc,
		 const uint8_t ua_id[GBA_UA_ID_LEN])
{
	struct gba_listener_conn *conn = SSL_get_app_data(ssl);

	(void)arg;
	(void)btid;
	(void)uicc;
	(void)ua_id;
	return conn ? psk_await_fetch(&conn->await, tls_gba_identity(ssl)) :
		      -EALREADY;
}

/* ---- the listener ----------------------------------------------------- */

/*
 * Not in a request's hands: in its handshake and not waiting for its Zn
 * pull (the client's turn), or sending its request.
 */
static bool conn_idle(const struct gba_listener_conn *conn)
{
	return (conn->phase == HANDSHAKE && !conn->await.awaited) ||
	       conn->phase == READING;
}

/* Makes room for one more: false when every connection is in use. */
static bool make_room(struct gba_listener *gba)
{
	struct gba_listener_conn *conn, *oldest = NULL;

	if (gba->n_conns < limits(gba)->max_connections)
		return true;
	for (conn = gba->conns; conn; conn = conn->next) {
		if (conn_idle(conn))
			oldest = conn;
	}
	if (!oldest)
		return false;
	gba->stats.evicted++;
	close_conn(oldest);
	note_limited(gba);
	return true;
}

static void accepted(struct evconnlistener *listener, evutil_socket_t fd,
		     struct sockaddr *addr, int addr_len, void *arg)
{
	struct gba_listener *gba = arg;
	struct event_base *base = evconnlistener_get_base(listener);
	struct gba_listener_conn *conn;
	bool room = make_room(gba);
	int one = 1;

	(void)addr_len;
	if (!room) {
		gba->stats.refused++;
		note_limited(gba);
		close(fd);
		return;
	}
	conn = calloc(1, sizeof(*conn));
	if (!conn) {
		close(fd);
		return;
	}
	gba->stats.accepted++;
	conn->fd = fd;
	conn->gba = gba;
	config_address_text((struct sockaddr_storage *)addr, conn->peer,
			    sizeof(conn->peer));
	conn->next = gba->conns;
	if (gba->conns)
		gba->conns->prev = conn;
	gba->conns = conn;
	gba->n_conns++;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	conn->ssl = tls_gba_ssl(gba->tls);
	conn->await = (struct psk_await){
		.source = &gba->keys,
		.n_awaited = &gba->n_awaited,
		.ssl = conn->ssl,
		.resume = key_given,
	};
	conn->io = event_new(base, fd, EV_READ, io_ready, conn);
	conn->deadline = evtimer_new(base, deadline_passed, conn);
	if (!conn->ssl || !conn->io || !conn->deadline ||
	    !SSL_set_fd(conn->ssl, fd) || !SSL_set_app_data(conn->ssl, conn)) {
		close_conn(conn);
		return;
	}
	start_clock(conn);
	SSL_set_accept_state(conn->ssl);
	step(conn);
}

/* The owner's keys, or the NAF key over Zn of the GBA hooks. */
static int key_source(struct gba_listener *gba)
{
	const struct gba_listener_conf *conf = &gba->conf;
	int ret;

	if (conf->keys.get_key) {
		gba->keys = conf->keys;
		return 0;
	}
	ret = gba_zn_key_new(&gba->zn_keys, &conf->zn_key);
	if (!ret)
		gba->keys = gba_zn_key_source(gba->zn_keys);
	return ret;
}

int gba_listener_new(struct gba_listener **out,
		     const struct gba_listener_conf *conf, char *why,
		     size_t why_size)
{
	const struct config_listen *on = conf->listen;
	struct event_base *base = conf->daemon->base;
	struct gba_listener *gba = calloc(1, sizeof(*gba));
	struct tls_gba_conf tls = {
		.fetch = fetch,
		.arg = gba,
		.tls12_only_suites = conf->tls12_only_suites,
		.any_identity = conf->keys.get_key != NULL,
	};
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);
	int ret;

	*out = NULL;
	if (!gba)
		return -ENOMEM;
	gba->conf = *conf;
	gba->report = evtimer_new(base, report_due, gba);
	ret = gba->report ? key_source(gba) : -ENOMEM;
	if (!ret)
		ret = tls_gba_new(&gba->tls, &tls, why, why_size);
	if (ret) {
		if (gba->report)
			event_free(gba->report);
		gba_zn_key_free(gba->zn_keys);
		free(gba);
		return ret;
	}
	gba->listener = evconnlistener_new_bind(
		base, accepted, gba,
		LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
		LEV_OPT_CLOSE_ON_EXEC,
		128, (const struct sockaddr *)&on->addr, (int)on->addr_len);
	if (!gba->listener) {
		ret = -errno;
		snprintf(why, why_size, "%s: %s", on->text, strerror(errno));
		gba_listener_free(gba);
		return ret ? ret : -EIO;
	}
	if (!getsockname(evconnlistener_get_fd(gba->listener),
			 (struct sockaddr *)&addr, &len))
		config_address_text(&addr, gba->address, sizeof(gba->address));
	*out = gba;
	return 0;
}

void gba_listener_stop(struct gba_listener *gba)
{
	if (gba && gba->listener)
		evconnlistener_disable(gba->listener);
}

bool gba_listener_busy(const struct gba_listener *gba)
{
	return gba && gba->conns;
}

const char *gba_listener_address(const struct gba_listener *gba)
{
	return gba->address;
}

void gba_listener_free(struct gba_listener *gba)
{
	if (!gba)
		return;
	if (gba->listener)
		evconnlistener_free(gba->listener);
	while (gba->conns)
		close_conn(gba->conns);
	if (gba->report)
		event_free(gba->report);
	tls_gba_free(gba->tls);
	gba_zn_key_free(gba->zn_keys);	/* after the fetches it served */
	free(gba);
}

const char *gba_listener_peer(const struct gba_listener_conn *conn)
{
	return conn->peer;
}

const char *gba_listener_btid(const struct gba_listener_conn *conn)
{
	return conn->btid;
}

bool gba_listener_uicc(const struct gba_listener_conn *conn)
{
	return conn->uicc;
}

const struct zn_key_response *
gba_listener_zn(struct gba_listener_conn *conn)
{
	return conn->gba && conn->gba->zn_keys ?
	       gba_zn_key_answer(&conn->await) : NULL;
}
