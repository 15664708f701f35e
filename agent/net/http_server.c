// SPDX-License-Identifier: GPL-2.0
/*
 * An evhttp server with routes, TLS and accounting of the requests in
 * flight, see http_server.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "http_conns.h"
#include "http_server.h"
#include "listen_fds.h"
#include "daemon/log.h"


/* The methods evhttp hands us; others get its own 501 or 400. */
#define KNOWN_METHODS	(EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | \
			 EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | \
			 EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH)

struct http_route {
	char *path;
	unsigned int methods;
	http_handler handler;
	void *arg;
};

struct http_server {
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct http_conns *conns;
	struct tls *tls;
	struct tls_psk *psk;
	const char *role;
	const char *name;
	http_error_fn error;
	char address[CONFIG_ADDR_TEXT_MAX];
	struct http_route *routes;
	size_t n_routes;
	/* Exchanges not answered yet, or answered and being written. */
	struct http_exchange *live;
	unsigned long pending;		/* not answered yet */
	unsigned long sending;		/* answered, not all written yet */
	unsigned long long requests;
	bool stopped;
};

struct http_exchange {
	struct http_server *server;	/* NULL once the server is gone */
	struct evhttp_request *req;	/* NULL once the server is gone */
	struct evhttp_connection *conn;	/* NULL once it closed */
	struct http_conn *slot;		/* conn's, while conn is set */
	struct http_exchange *prev, *next;
	bool sending;			/* answered, being written */
	char *body;
	size_t body_len;
	bool has_peer;
	struct tls_peer peer;
	char remote[CONFIG_ADDR_TEXT_MAX];
	char path[256];
	struct timespec started;	/* CLOCK_MONOTONIC, for the observer */
	const char *refusal;		/* the answer's error token, or NULL */
};

static http_observer_fn observer;

static const struct {
	enum evhttp_cmd_type cmd;
	const char *name;
} methods[] = {
	{ EVHTTP_REQ_GET, "GET" }, { EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_HEAD, "HEAD" }, { EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_DELETE, "DELETE" }, { EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" }, { EVHTTP_REQ_CONNECT, "CONNECT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
};

#define N_METHODS (sizeof(methods) / sizeof(methods[0]))

/* ---- the default error body ------------------------------------------ */

static void default_error(struct http_exchange *ex, int status,
			  const char *token, const char *detail)
{
	json_t *body = json_pack("{s:s}", "error", token);
	char *text = NULL;

	if (body && detail && *detail)
		json_object_set_new(body, "detail", json_string(detail));
	if (body)
		text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (text)
		http_reply(ex, status, "application/json", text, strlen(text));
	else
		http_reply(ex, status, NULL, NULL, 0);
	free(text);
}

/* ---- exchanges --------------------------------------------------------- */

static void remote_text(struct evhttp_request *req, char *buf, size_t size)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	char *host = NULL;
	ev_uint16_t port = 0;

	if (conn)
		evhttp_connection_get_peer(conn, &host, &port);
	if (!host)
		snprintf(buf, size, "-");
	else if (strchr(host, ':'))
		snprintf(buf, size, "[%s]:%u", host, port);
	else
		snprintf(buf, size, "%s:%u", host, port);
}

static void read_peer(struct http_exchange *ex)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(ex->req);
	struct bufferevent *bev;
	SSL *ssl;

	if (!conn)
		return;
	bev = evhttp_connection_get_bufferevent(conn);
	ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
	if (ex->server->psk) {
		const char *identity = tls_psk_identity(ssl);

		memset(&ex->peer, 0, sizeof(ex->peer));
		if (identity &&
		    strlen(identity) < sizeof(ex->peer.psk_identity)) {
			strcpy(ex->peer.psk_identity, identity);
			ex->has_peer = true;
			return;
		}
		/* No PSK: a certificate, if the context takes them. */
	}
	ex->has_peer = ssl && tls_peer_get(ssl, &ex->peer) == 0;
}

static struct http_exchange *exchange_new(struct http_server *server,
					  struct evhttp_request *req)
{
	struct http_exchange *ex = calloc(1, sizeof(*ex));
	const char *path;

	if (!ex)
		return NULL;
	ex->server = server;
	ex->req = req;
	clock_gettime(CLOCK_MONOTONIC, &ex->started);
	ex->conn = evhttp_request_get_connection(req);
	ex->slot = http_conns_enter(server->conns, ex->conn);
	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	snprintf(ex->path, sizeof(ex->path), "%s", path ? path : "");
	remote_text(req, ex->remote, sizeof(ex->remote));
	read_peer(ex);
	ex->next = server->live;
	if (server->live)
		server->live->prev = ex;
	server->live = ex;
	server->pending++;
	return ex;
}

static void exchange_free(struct http_exchange *ex)
{
	struct http_server *server = ex->server;

	if (server) {
		if (ex->prev)
			ex->prev->next = ex->next;
		else
			server->live = ex->next;
		if (ex->next)
			ex->next->prev = ex->prev;
		if (ex->sending)
			server->sending--;
		else
			server->pending--;
		if (ex->conn)
			http_conns_leave(server->conns, ex->slot);
	}
	if (ex->body) {
		OPENSSL_cleanse(ex->body, ex->body_len);
		free(ex->body);
	}
	free(ex);
}

/*
 * A connection closes: close_notify first; an answer being written on it
 * is over (written or not); a request not answered yet stays the
 * handler's, and evhttp frees it when the answer comes.
 */
/*
 * A TLS connection evhttp ends (Connection: close, an idle timeout, the
 * server stopping) ends with close_notify, so the peer can tell the end
 * of the answer from a cut (RFC 8446 6.1); bufferevent_openssl would
 * only close the socket. The alert goes straight to the socket.
 */
static void send_close_notify(struct evhttp_connection *conn)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(conn);
	SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;

	if (ssl && SSL_is_init_finished(ssl) &&
	    !(SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN)) {
		SSL_shutdown(ssl);
		ERR_clear_error();
	}
}

static void connection_closed(struct evhttp_connection *conn, void *arg)
{
	struct http_server *server = arg;
	struct http_exchange *ex, *next;

	if (server->tls || server->psk)
		send_close_notify(conn);

	for (ex = server->live; ex; ex = next) {
		next = ex->next;
		if (ex->conn != conn)
			continue;
		ex->conn = NULL;
		if (ex->sending)
			exchange_free(ex);
	}
}

struct evhttp_request *http_exchange_request(struct http_exchange *ex)
{
	return ex->req;
}

const char *http_exchange_path(const struct http_exchange *ex)
{
	return ex->path;
}

const char *http_exchange_method(const struct http_exchange *ex)
{
	enum evhttp_cmd_type cmd;
	size_t i;

	if (!ex->req)
		return "-";
	cmd = evhttp_request_get_command(ex->req);
	for (i = 0; i < N_METHODS; i++) {
		if (methods[i].cmd == cmd)
			return methods[i].name;
	}
	return "-";
}

const char *http_exchange_header(const struct http_exchange *ex,
				 const char *name)
{
	if (!ex->req)
		return NULL;
	return evhttp_find_header(evhttp_request_get_input_headers(ex->req),
				  name);
}

bool http_exchange_content_type_is(const struct http_exchange *ex,
				   const char *type)
{
	const char *value = http_exchange_header(ex, "Content-Type");
	size_t len = strlen(type);

	if (!value)
		return false;
	while (*value == ' ' || *value == '\t')
		value++;
	if (strncasecmp(value, type, len))
		return false;
	value += len;
	while (*value == ' ' || *value == '\t')
		value++;
	return *value == '\0' || *value == ';';
}

const char *http_exchange_body(struct http_exchange *ex, size_t *len)
{
	struct evbuffer *in;
	size_t size;

	if (ex->body || !ex->req) {
		*len = ex->body_len;
		return ex->body ? ex->body : "";
	}
	in = evhttp_request_get_input_buffer(ex->req);
	size = evbuffer_get_length(in);
	ex->body = malloc(size + 1);
	if (!ex->body) {
		*len = 0;
		return NULL;
	}
	evbuffer_copyout(in, ex->body, size);
	ex->body[size] = '\0';
	ex->body_len = size;
	*len = size;
	return ex->body;
}

SSL *http_exchange_ssl(const struct http_exchange *ex)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(ex->req);
	struct bufferevent *bev;

	bev = conn ? evhttp_connection_get_bufferevent(conn) : NULL;
	return bev ? bufferevent_openssl_get_ssl(bev) : NULL;
}

const struct tls_peer *http_exchange_peer(const struct http_exchange *ex)
{
	return ex->has_peer ? &ex->peer : NULL;
}

const char *http_exchange_remote(const struct http_exchange *ex)
{
	return ex->remote;
}

int http_exchange_add_header(struct http_exchange *ex, const char *name,
			     const char *value)
{
	if (!ex->req)
		return 0;
	return evhttp_add_header(evhttp_request_get_output_headers(ex->req),
				 name, value) ? -ENOMEM : 0;
}

/* ---- answers ------------------------------------------------------------ */

static void reply_sent(struct evhttp_request *req, void *arg)
{
	(void)req;
	exchange_free(arg);
}

/* The answer may hold keys: wiped when libevent is done with it. */
static void wipe_body(const void *data, size_t len, void *arg)
{
	(void)arg;
	OPENSSL_cleanse((void *)data, len);
	free((void *)data);
}

static int add_body(struct evbuffer *out, const char *body, size_t len)
{
	char *copy;

	if (!len)
		return 0;
	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, body, len);
	if (evbuffer_add_reference(out, copy, len, wipe_body, NULL)) {
		wipe_body(copy, len, NULL);
		return -ENOMEM;
	}
	return 0;
}

void http_server_set_observer(http_observer_fn fn)
{
	observer = fn;
}

void http_exchange_note_refusal(struct http_exchange *ex, const char *token)
{
	ex->refusal = token;
}

static void observe(const struct http_exchange *ex, int status)
{
	struct timespec now;

	if (!observer || !ex->server)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	observer(ex->server->role, ex->server->name, status, ex->refusal,
		 (double)(now.tv_sec - ex->started.tv_sec) +
		 (double)(now.tv_nsec - ex->started.tv_nsec) / 1e9);
}

void http_reply(struct http_exchange *ex, int status,
		const char *content_type, const char *body, size_t len)
{
	struct evhttp_request *req = ex->req;
	struct evkeyvalq *headers;
	struct evbuffer *out;

	observe(ex, status);
	if (!req) {
		exchange_free(ex);	/* the server went away meanwhile */
		return;
	}
	out = evbuffer_new();
	headers = evhttp_request_get_output_headers(req);
	if (!out || add_body(out, body, len)) {
		if (out)
			evbuffer_free(out);
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		exchange_free(ex);
		return;
	}
	if (content_type && len)
		evhttp_add_header(headers, "Content-Type", content_type);
	/* Answers carry keys and one-time vectors: never cache them. */
	evhttp_add_header(headers, "Cache-Control", "no-store");
	/*
	 * Without a connection evhttp frees the request at once; with one,
	 * the exchange lasts until the answer is written or the connection
	 * closes, so that the daemon can wait for it when stopping.
	 */
	if (evhttp_request_get_connection(req) && ex->conn) {
		ex->sending = true;
		ex->server->pending--;
		ex->server->sending++;
		evhttp_request_set_on_complete_cb(req, reply_sent, ex);
		ex->req = NULL;
		evhttp_send_reply(req, status, NULL, out);
	} else {
		evhttp_send_reply(req, status, NULL, out);
		exchange_free(ex);
	}
	evbuffer_free(out);
}

void http_reply_error(struct http_exchange *ex, int status,
		      const char *token, const char *detail)
{
	ex->refusal = token;
	if (ex->server)
		ex->server->error(ex, status, token, detail);
	else
		exchange_free(ex);
}

/* ---- dispatch ------------------------------------------------------------ */

static const struct http_route *find_route(const struct http_server *server,
					   const char *path)
{
	size_t i;

	for (i = 0; i < server->n_routes; i++) {
		if (!strcmp(server->routes[i].path, path))
			return &server->routes[i];
	}
	return NULL;
}

static void allow_header(struct http_exchange *ex, unsigned int allowed)
{
	char allow[128] = "";
	size_t i, len = 0;

	for (i = 0; i < N_METHODS; i++) {
		if (allowed & methods[i].cmd)
			len += (size_t)snprintf(allow + len, sizeof(allow) - len,
						"%s%s", len ? ", " : "",
						methods[i].name);
	}
	http_exchange_add_header(ex, "Allow", allow);
}

static void dispatch(struct evhttp_request *req, void *arg)
{
	struct http_server *server = arg;
	const struct http_route *route;
	struct http_exchange *ex;

	server->requests++;
	ex = exchange_new(server, req);
	if (!ex) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	route = find_route(server, ex->path);
	if (server->stopped) {
		http_exchange_add_header(ex, "Connection", "close");
		http_reply_error(ex, HTTP_SERVUNAVAIL,
				 HTTP_ERR_SERVICE_UNAVAILABLE, "stopping");
	} else if (!route) {
		http_reply_error(ex, HTTP_NOTFOUND, HTTP_ERR_NOT_FOUND, NULL);
	} else if (!(route->methods & evhttp_request_get_command(req))) {
		allow_header(ex, route->methods);
		http_reply_error(ex, HTTP_BADMETHOD,
				 HTTP_ERR_METHOD_NOT_ALLOWED, NULL);
	} else if ((server->tls || server->psk) && !ex->has_peer) {
		/* TLS failed to set up and evhttp fell back to plain */
		http_reply_error(ex, 403, "forbidden", server->psk ?
				 "no PSK identity and no client certificate" :
				 "no client certificate");
	} else {
		route->handler(ex, route->arg);
	}
}

/* TLS on top of a new connection's socket. */
static struct bufferevent *tls_bufferevent(struct http_server *server,
					   struct event_base *base)
{
	struct bufferevent *bev;
	SSL *ssl = server->psk ? tls_psk_ssl(server->psk) :
				 tls_server_ssl(server->tls);

	if (!ssl)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
					     BUFFEREVENT_SSL_ACCEPTING,
					     BEV_OPT_CLOSE_ON_FREE |
					     BEV_OPT_DEFER_CALLBACKS);
	if (!bev)
		SSL_free(ssl);
	return bev;
}

/*
 * evhttp calls this for each connection it accepts: counted against the
 * cap and the deadline (http_conns.h). Without TLS, or when TLS cannot
 * be set up (dispatch() then refuses its requests), a plain socket.
 */
static struct bufferevent *new_connection(struct event_base *base, void *arg)
{
	struct http_server *server = arg;
	struct bufferevent *bev = NULL;

	if (server->tls || server->psk)
		bev = tls_bufferevent(server, base);
	if (!bev)
		bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	return http_conns_open(server->conns, bev);
}

/* ---- the server ----------------------------------------------------------- */

/*
 * A worker of several (listen_fds.h) accepts on the socket the first
 * process bound for the same address.
 */
static int inherited_socket(const struct config_listen *listen_on,
			    int *fd_out, char *why, size_t why_size)
{
	*fd_out = listen_fds_take(listen_on->text);
	if (*fd_out >= 0)
		return 0;
	snprintf(why, why_size, "%s: not among the listeners e2md's first process bound (did the configuration change?)",
		 listen_on->text);
	return -ENOENT;
}

static int listen_socket(const struct config_listen *listen_on, int *fd_out,
			 char *why, size_t why_size)
{
	int fd;

	if (listen_fds_inherited())
		return inherited_socket(listen_on, fd_out, why, why_size);
	/* Several workers: each its own queue on the port (listen_fds.h). */
	fd = listen_fds_open((const struct sockaddr *)&listen_on->addr,
			     listen_on->addr_len, listen_fds_reuseport_on());
	if (fd < 0) {
		snprintf(why, why_size, "%s: %s", listen_on->text,
			 strerror(-fd));
		return fd;
	}
	listen_fds_keep(listen_on->text, fd);
	*fd_out = fd;
	return 0;
}

static void bound_address(struct http_server *server, int fd)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);

	if (getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
		config_address_text(&addr, server->address,
				    sizeof(server->address));
}

static void apply_limits(struct http_server *server,
			 const struct http_server_conf *conf)
{
	evhttp_set_max_body_size(server->http, (ev_ssize_t)(conf->max_body ?
				 conf->max_body : HTTP_MAX_BODY_DEFAULT));
	evhttp_set_max_headers_size(server->http,
				    (ev_ssize_t)(conf->max_headers ?
				    conf->max_headers :
				    HTTP_MAX_HEADERS_DEFAULT));
	evhttp_set_timeout(server->http, conf->timeout ? (int)conf->timeout :
			   HTTP_TIMEOUT_DEFAULT);
	evhttp_set_allowed_methods(server->http, KNOWN_METHODS);
	/* No body, no Content-Type (evhttp would say text/html). */
	evhttp_set_default_content_type(server->http, NULL);
}

static int conns_new(struct http_server *server, struct event_base *base,
		     const struct http_server_conf *conf)
{
	struct http_conns_conf conns = {
		.role = conf->role,
		.name = conf->name,
		.max = HTTP_MAX_CONNECTIONS_DEFAULT,
		.deadline_ms = 1000u * HTTP_REQUEST_DEADLINE_DEFAULT,
		.plain = !conf->tls && !conf->psk,
		.closed = connection_closed,
		.arg = server,
	};

	if (conf->limits) {
		conns.max = conf->limits->max_connections;
		conns.deadline_ms = 1000u * conf->limits->request_deadline;
	}
	return http_conns_new(&server->conns, base, &conns);
}

int http_server_new(struct http_server **out, struct event_base *base,
		    const struct http_server_conf *conf, char *why,
		    size_t why_size)
{
	struct http_server *server = calloc(1, sizeof(*server));
	int fd = -1, ret = -ENOMEM;

	*out = NULL;
	snprintf(why, why_size, "out of memory");
	if (!server)
		return -ENOMEM;
	server->base = base;
	server->tls = conf->tls;
	server->psk = conf->psk;
	server->role = conf->role;
	server->name = conf->name;
	server->error = conf->error ? conf->error : default_error;
	server->http = evhttp_new(base);
	if (!server->http || conns_new(server, base, conf))
		goto fail;
	apply_limits(server, conf);
	evhttp_set_gencb(server->http, dispatch, server);
	evhttp_set_bevcb(server->http, new_connection, server);
	ret = listen_socket(conf->listen, &fd, why, why_size);
	if (ret)
		goto fail;
	server->bound = evhttp_accept_socket_with_handle(server->http, fd);
	if (!server->bound) {
		listen_fds_drop(fd);
		close(fd);
		snprintf(why, why_size, "%s: cannot accept on it",
			 conf->listen->text);
		ret = -EIO;
		goto fail;
	}
	bound_address(server, fd);
	*out = server;
	return 0;
fail:
	http_server_free(server);
	return ret;
}

int http_server_route(struct http_server *server, const char *path,
		      unsigned int route_methods, http_handler handler,
		      void *arg)
{
	struct http_route *routes;

	if (find_route(server, path))
		return -EEXIST;
	routes = realloc(server->routes,
			 (server->n_routes + 1) * sizeof(*routes));
	if (!routes)
		return -ENOMEM;
	server->routes = routes;
	routes[server->n_routes] = (struct http_route){
		.path = strdup(path),
		.methods = route_methods,
		.handler = handler,
		.arg = arg,
	};
	if (!routes[server->n_routes].path)
		return -ENOMEM;
	server->n_routes++;
	return 0;
}

const char *http_server_address(const struct http_server *server)
{
	return server->address;
}

void http_server_stop(struct http_server *server)
{
	server->stopped = true;
	if (server->bound) {
		listen_fds_drop(evhttp_bound_socket_get_fd(server->bound));
		evhttp_del_accept_socket(server->http, server->bound);
		server->bound = NULL;
	}
}

bool http_server_busy(const struct http_server *server)
{
	return server->pending || server->sending;
}

unsigned long long http_server_requests(const struct http_server *server)
{
	return server->requests;
}

void http_server_connections(const struct http_server *server,
			     struct http_conns_stats *stats)
{
	http_conns_stats(server->conns, stats);
}

void http_server_free(struct http_server *server)
{
	struct http_exchange *ex, *next;
	size_t i;

	if (!server)
		return;
	if (server->bound)
		listen_fds_drop(evhttp_bound_socket_get_fd(server->bound));
	/* Closing the connections ends the answers being written. */
	if (server->http)
		evhttp_free(server->http);
	http_conns_free(server->conns);
	/*
	 * What is left is unanswered and its requests are freed: detach it,
	 * as whoever holds such an exchange may still answer it.
	 */
	for (ex = server->live; ex; ex = next) {
		next = ex->next;
		if (ex->sending) {
			exchange_free(ex);
			continue;
		}
		ex->server = NULL;
		ex->req = NULL;
		ex->conn = NULL;
	}
	for (i = 0; i < server->n_routes; i++)
		free(server->routes[i].path);
	free(server->routes);
	free(server);
}
