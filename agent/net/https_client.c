// SPDX-License-Identifier: GPL-2.0
/*
 * HTTPS calls over evhttp with an OpenSSL bufferevent, or plain HTTP
 * calls without TLS, see https_client.h.
 *
 * evhttp touches a connection after a request's callback returns, and may
 * even fail a request from inside evhttp_make_request(), so the answer is
 * handed to done one loop iteration later, by an event of the call's own
 * (the reaper), which then frees the call. A daemon's clients look host
 * names up through the daemon's evdns base (net/resolver.h), on the loop,
 * so a slow DNS server holds up only the calls that need it; a client
 * without one (e2mctl's, the UE's) lets evhttp resolve with a blocking
 * getaddrinfo(), which a one-shot command can afford. A name that does
 * not resolve fails the call as a refused connection does.
 *
 * A daemon's client keeps connections alive (https_client_keep_alive()):
 * one that carried an answer goes to the
 * client's idle pool before done runs, and the next call takes it if it
 * is still open, younger than HTTPS_IDLE_REUSE, made with the TLS context
 * in service and to the URL in force. A TLS handshake costs far more than
 * the request it carries (the HSE pulls a key set per device), and a
 * server closes an idle connection only after its own timeout, well
 * beyond HTTPS_IDLE_REUSE.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "https_client.h"

/* A kept-alive connection, and since when it has waited. */
struct idle_conn {
	struct evhttp_connection *conn;
	struct timespec since;
};

struct https_client {
	struct event_base *base;
	struct tls *tls;
	struct evdns_base *dns;		/* NULL: blocking lookups */
	const struct config_url *url;
	unsigned int timeout;
	bool keep_alive;		/* https_client_keep_alive() */
	struct https_call *calls;
	struct idle_conn idle[HTTPS_IDLE_MAX];
	size_t n_idle;
	unsigned long long connections;	/* made, for tests and status */
};

struct https_call {
	struct https_client *client;	/* NULL once detached */
	struct https_call *prev, *next;
	struct evhttp_connection *conn;
	struct event *reaper;
	https_done done;
	void *arg;
	bool finished;			/* done has been called */
	bool keep_alive;		/* the answer left the connection open */
	/* What request_done() found, for the reaper to hand to done. */
	int error;
	char why[128];
	int status;
	char *content_type;
	char *body;
	size_t body_len;
	struct https_header *headers;	/* names and values allocated */
	size_t n_headers;
};

static void unlink_call(struct https_call *call)
{
	struct https_client *client = call->client;

	if (!client)
		return;
	if (call->prev)
		call->prev->next = call->next;
	else
		client->calls = call->next;
	if (call->next)
		call->next->prev = call->prev;
	call->prev = call->next = NULL;
	call->client = NULL;
}

static void free_headers(struct https_header *headers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)headers[i].name);
		free((char *)headers[i].value);
	}
	free(headers);
}

static void call_free(struct https_call *call)
{
	unlink_call(call);
	if (call->conn)
		evhttp_connection_free(call->conn);
	if (call->reaper)
		event_free(call->reaper);
	if (call->body) {
		OPENSSL_cleanse(call->body, call->body_len);
		free(call->body);
	}
	free(call->content_type);
	free_headers(call->headers, call->n_headers);
	free(call);
}

/* ---- the idle pool ------------------------------------------------------ */

static double seconds_since(const struct timespec *then)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - then->tv_sec) +
	       (double)(now.tv_nsec - then->tv_nsec) / 1e9;
}

/*
 * A connection we close while it is idle says so first (TLS close_notify),
 * so the server sees an orderly end rather than a truncated stream.
 */
static void idle_close(struct evhttp_connection *conn)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(conn);
	SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;

	if (ssl && bufferevent_getfd(bev) >= 0)
		SSL_shutdown(ssl);
	evhttp_connection_free(conn);
}

static void idle_flush(struct https_client *client)
{
	while (client->n_idle)
		idle_close(client->idle[--client->n_idle].conn);
}

/* Whether the pool takes conn (it then owns it). */
static bool idle_put(struct https_client *client,
		     struct evhttp_connection *conn)
{
	struct idle_conn *slot;

	if (client->n_idle == HTTPS_IDLE_MAX)
		return false;
	slot = &client->idle[client->n_idle++];
	slot->conn = conn;
	clock_gettime(CLOCK_MONOTONIC, &slot->since);
	return true;
}

/*
 * evhttp closes the socket of a connection the server has closed (and
 * would reconnect it by itself on the next request, which an OpenSSL
 * bufferevent cannot do): such a connection is never taken.
 */
static bool idle_usable(const struct https_client *client,
			const struct idle_conn *idle)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(idle->conn);
	SSL *ssl;

	if (!bev || bufferevent_getfd(bev) < 0 ||
	    seconds_since(&idle->since) > HTTPS_IDLE_REUSE)
		return false;
	if (!client->tls)
		return true;
	ssl = bufferevent_openssl_get_ssl(bev);
	return ssl && tls_client_current(client->tls, ssl);
}

/* The most recently idled usable connection; the unusable ones are freed. */
static struct evhttp_connection *idle_take(struct https_client *client)
{
	while (client->n_idle) {
		struct idle_conn *last = &client->idle[--client->n_idle];

		if (idle_usable(client, last))
			return last->conn;
		idle_close(last->conn);
	}
	return NULL;
}

/* ---- calls ---------------------------------------------------------------- */

/* Hands the answer to done, outside evhttp's callbacks, then frees. */
static void reap(evutil_socket_t fd, short what, void *arg)
{
	struct https_call *call = arg;
	struct https_response response = {
		.error = call->error,
		.why = call->why,
		.status = call->status,
		.content_type = call->content_type,
		.body = call->body ? call->body : "",
		.body_len = call->body_len,
		.headers = call->headers,
		.n_headers = call->n_headers,
	};

	(void)fd;
	(void)what;
	/* Pooled before done runs: done may free the client, and the pool. */
	if (call->client && call->client->keep_alive && call->keep_alive &&
	    idle_put(call->client, call->conn))
		call->conn = NULL;
	unlink_call(call);
	call->finished = true;
	call->done(&response, call->arg);
	call_free(call);
}

/*
 * Whether the connection failed because its host name did not resolve
 * (no such name, or no answer within the resolver's bound): then the
 * call fails with -EHOSTUNREACH, as a connection that cannot be made.
 */
static bool lookup_failed(struct https_call *call)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(call->conn);
	int err = bev ? bufferevent_socket_get_dns_error(bev) : 0;

	if (!err || err == EVUTIL_EAI_CANCEL)
		return false;
	call->error = -EHOSTUNREACH;
	snprintf(call->why, sizeof(call->why), "cannot resolve %s: %s",
		 call->client ? call->client->url->host : "the host",
		 evutil_gai_strerror(err));
	return true;
}

/*
 * evhttp reports a connection closed unanswered (EOF) and one that failed
 * alike, leaving the socket error as the last call set it: after a
 * non-blocking connect or read that is EINPROGRESS or EAGAIN, which say
 * nothing about why the answer never came.
 */
static bool in_progress(int err)
{
	return err == EINPROGRESS || err == EAGAIN || err == EWOULDBLOCK;
}

/* Why there was no answer, from evhttp's error and the TLS layer's. */
static void request_error(enum evhttp_request_error error, void *arg)
{
	struct https_call *call = arg;
	int err = EVUTIL_SOCKET_ERROR();
	struct bufferevent *bev = evhttp_connection_get_bufferevent(call->conn);
	unsigned long tls_err = bev ? bufferevent_get_openssl_error(bev) : 0;
	const char *reason;

	if (lookup_failed(call))
		return;
	switch (error) {
	case EVREQ_HTTP_TIMEOUT:
		call->error = -ETIMEDOUT;
		snprintf(call->why, sizeof(call->why), "timed out");
		return;
	case EVREQ_HTTP_DATA_TOO_LONG:
		call->error = -EMSGSIZE;
		snprintf(call->why, sizeof(call->why), "answer too large");
		return;
	case EVREQ_HTTP_INVALID_HEADER:
		call->error = -EIO;
		snprintf(call->why, sizeof(call->why), "invalid answer");
		return;
	default:
		break;
	}
	if (tls_err) {
		reason = ERR_reason_error_string(tls_err);
		call->error = -EPROTO;
		snprintf(call->why, sizeof(call->why), "TLS: %s",
			 reason ? reason : "handshake failed");
	} else if (err && !in_progress(err)) {
		call->error = -err;
		snprintf(call->why, sizeof(call->why), "%s", strerror(err));
	} else {
		call->error = -EIO;
		snprintf(call->why, sizeof(call->why),
			 "connection closed without an answer");
	}
}

/* evhttp frees the request after request_done(): the headers are copied. */
static int copy_headers(struct https_call *call, struct evkeyvalq *headers)
{
	struct evkeyval *h;
	size_t n = 0;

	for (h = headers->tqh_first; h; h = h->next.tqe_next)
		n++;
	call->headers = calloc(n ? n : 1, sizeof(*call->headers));
	if (!call->headers)
		return -ENOMEM;
	for (h = headers->tqh_first; h; h = h->next.tqe_next) {
		struct https_header *copy = &call->headers[call->n_headers];

		copy->name = strdup(h->key);
		copy->value = strdup(h->value);
		call->n_headers++;
		if (!copy->name || !copy->value)
			return -ENOMEM;
	}
	return 0;
}

static int copy_answer(struct https_call *call, struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct evkeyvalq *headers = evhttp_request_get_input_headers(req);
	const char *type = evhttp_find_header(headers, "Content-Type");

	call->status = evhttp_request_get_response_code(req);
	call->body_len = evbuffer_get_length(in);
	call->body = malloc(call->body_len + 1);
	if (!call->body || (type && !(call->content_type = strdup(type))) ||
	    copy_headers(call, headers))
		return -ENOMEM;
	evbuffer_copyout(in, call->body, call->body_len);
	call->body[call->body_len] = '\0';
	return 0;
}

/*
 * Whether the server said it closes the connection after this answer
 * (evhttp then closes it too, and an HTTP/1.0 answer without keep-alive
 * the same way: idle_usable() sees those).
 */
static bool answer_closes(struct evhttp_request *req)
{
	const char *value = evhttp_find_header(
		evhttp_request_get_input_headers(req), "Connection");

	return value && !strcasecmp(value, "close");
}

/* evhttp is done with the request: keep what it got, answer later. */
static void request_done(struct evhttp_request *req, void *arg)
{
	struct https_call *call = arg;

	if (req && evhttp_request_get_response_code(req)) {
		call->error = 0;
		call->why[0] = '\0';
		call->keep_alive = !answer_closes(req);
		if (copy_answer(call, req)) {
			call->error = -ENOMEM;
			snprintf(call->why, sizeof(call->why), "out of memory");
		}
	} else if (!call->error && !lookup_failed(call)) {
		/*
		 * evhttp fails a refused connect without the error callback
		 * (and with errno gone): that is the one way to get here.
		 */
		call->error = -ECONNREFUSED;
		snprintf(call->why, sizeof(call->why), "%s",
			 strerror(ECONNREFUSED));
	}
	event_active(call->reaper, EV_TIMEOUT, 0);
}

static int add_headers(struct evhttp_request *req,
		       const struct https_client *client,
		       const struct https_request *request)
{
	struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
	const struct config_url *url = client->url;
	char host[CONFIG_NAME_MAX + 16];
	bool v6 = strchr(url->host, ':') != NULL;
	int ret = 0;
	size_t i;

	if (url->port == (client->tls ? 443 : 80))
		snprintf(host, sizeof(host), v6 ? "[%s]" : "%s", url->host);
	else
		snprintf(host, sizeof(host), v6 ? "[%s]:%u" : "%s:%u",
			 url->host, url->port);
	ret |= evhttp_add_header(headers, "Host", host);
	if (request->content_type)
		ret |= evhttp_add_header(headers, "Content-Type",
					 request->content_type);
	if (!client->keep_alive)
		ret |= evhttp_add_header(headers, "Connection", "close");
	for (i = 0; i < request->n_headers; i++)
		ret |= evhttp_add_header(headers, request->headers[i].name,
					 request->headers[i].value);
	return ret ? -EINVAL : 0;
}

static struct evhttp_connection *connect_tls(struct https_client *client)
{
	struct evhttp_connection *conn;
	struct bufferevent *bev;
	SSL *ssl;

	ssl = tls_client_ssl(client->tls, client->url->host);
	if (!ssl)
		return NULL;
	bev = bufferevent_openssl_socket_new(client->base, -1, ssl,
					     BUFFEREVENT_SSL_CONNECTING,
					     BEV_OPT_CLOSE_ON_FREE |
					     BEV_OPT_DEFER_CALLBACKS);
	if (!bev) {
		SSL_free(ssl);
		return NULL;
	}
	conn = evhttp_connection_base_bufferevent_new(client->base, client->dns,
						      bev, client->url->host,
						      client->url->port);
	if (!conn) {
		bufferevent_free(bev);
		return NULL;
	}
	return conn;
}

static struct evhttp_connection *connect_plain(struct https_client *client)
{
	return evhttp_connection_base_new(client->base, client->dns,
					  client->url->host, client->url->port);
}

static struct evhttp_connection *connect_to(struct https_client *client)
{
	struct evhttp_connection *conn = client->tls ? connect_tls(client) :
						       connect_plain(client);

	if (!conn)
		return NULL;
	client->connections++;
	evhttp_connection_set_timeout(conn, (int)client->timeout);
	evhttp_connection_set_max_body_size(conn, HTTPS_MAX_BODY);
	evhttp_connection_set_max_headers_size(conn, HTTPS_MAX_HEADERS);
	return conn;
}

/*
 * The request's head and body go out as separate writes (TLS records):
 * without TCP_NODELAY the body waits for the server's delayed ACK. The
 * socket exists once evhttp_make_request() has started the connect, when
 * the host is an address or resolved synchronously (see above). After an
 * evdns lookup it comes later: the first request of such a connection
 * goes without the option, the next ones on it (kept alive) with it.
 */
static void no_delay(struct evhttp_connection *conn)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(conn);
	evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
	int one = 1;

	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

struct https_call *https_request(struct https_client *client,
				 const struct https_request *request,
				 https_done done, void *arg)
{
	struct https_call *call = calloc(1, sizeof(*call));
	struct evhttp_request *req;

	if (!call)
		return NULL;
	call->done = done;
	call->arg = arg;
	call->reaper = event_new(client->base, -1, 0, reap, call);
	if (call->reaper) {
		call->conn = idle_take(client);
		if (!call->conn)
			call->conn = connect_to(client);
	}
	req = call->conn ? evhttp_request_new(request_done, call) : NULL;
	if (!req)
		goto fail;
	evhttp_request_set_error_cb(req, request_error);
	if (add_headers(req, client, request) ||
	    (request->len && evbuffer_add(evhttp_request_get_output_buffer(req),
					  request->body, request->len))) {
		evhttp_request_free(req);
		goto fail;
	}
	call->client = client;
	call->next = client->calls;
	if (client->calls)
		client->calls->prev = call;
	client->calls = call;
	/* On failure evhttp has freed req. */
	if (evhttp_make_request(call->conn, req, request->method,
				request->path))
		goto fail;
	no_delay(call->conn);
	return call;
fail:
	call_free(call);
	return NULL;
}

struct https_call *https_post(struct https_client *client, const char *path,
			      const char *content_type, const char *body,
			      size_t len, https_done done, void *arg)
{
	static const struct https_header accept = {
		"Accept", "application/json"
	};
	const struct https_request request = {
		.method = EVHTTP_REQ_POST,
		.path = path,
		.content_type = content_type,
		.body = body,
		.len = len,
		.headers = &accept,
		.n_headers = 1,
	};

	return https_request(client, &request, done, arg);
}

size_t https_response_header(const struct https_response *response,
			     const char *name, const char **value)
{
	size_t i, count = 0;

	*value = NULL;
	for (i = 0; i < response->n_headers; i++) {
		if (strcasecmp(response->headers[i].name, name))
			continue;
		if (!count++)
			*value = response->headers[i].value;
	}
	return count;
}

void https_call_cancel(struct https_call *call)
{
	if (call && !call->finished)
		call_free(call);
}

int https_client_new(struct https_client **out, struct event_base *base,
		     struct tls *tls, const struct config_url *url,
		     unsigned int timeout)
{
	struct https_client *client = calloc(1, sizeof(*client));

	*out = client;
	if (!client)
		return -ENOMEM;
	client->base = base;
	client->tls = tls;
	client->url = url;
	client->timeout = timeout ? timeout : HTTPS_TIMEOUT_DEFAULT;
	return 0;
}

void https_client_set_url(struct https_client *client,
			  const struct config_url *url)
{
	client->url = url;
	idle_flush(client);
}

void https_client_resolve_with(struct https_client *client,
			       struct evdns_base *dns)
{
	client->dns = dns;
}

void https_client_keep_alive(struct https_client *client)
{
	client->keep_alive = true;
}

unsigned long long https_client_connections(const struct https_client *client)
{
	return client->connections;
}

void https_client_free(struct https_client *client)
{
	if (!client)
		return;
	while (client->calls)
		call_free(client->calls);	/* cancelled: done never runs */
	idle_flush(client);
	free(client);
}
