/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An HTTP or HTTPS server on the daemon's event loop (libevent evhttp, TLS
 * through an OpenSSL bufferevent per connection), for the roles' service
 * points: Zh on the HSS, Ub and Zn on the BSF.
 *
 * A server listens on one address and serves routes: a path, the methods
 * it takes, and a handler. A request gets a struct http_exchange that the
 * handler answers with http_reply() or http_reply_error(), at once or
 * later (a handler waiting on a request of its own, say the BSF on Zh,
 * keeps the exchange and answers when it can). Every exchange is answered
 * exactly once; the server frees it then.
 *
 * What the server answers itself, with the error body of the server's
 * error function (by default {"error": "<token>"}):
 *
 *	404 not-found		a path no route has
 *	405 method-not-allowed	a method the route does not take (Allow: set)
 *
 * and evhttp answers requests over its limits (413 for a body larger than
 * max_body, 400 for headers larger than max_headers) and drops
 * connections idle for longer than the timeout. A TLS connection the
 * server closes ends with close_notify.
 *
 * Every listener is bounded (http_conns.h): at most max_connections open
 * at once (a newcomer past the cap closes the oldest idle connection, or
 * is refused when every one is in a handler's hands), and each request
 * must come whole within request_deadline seconds of the connection's
 * opening or of its previous answer, however slowly its bytes trickle.
 *
 * With TLS, the client must present a certificate that verifies (tls.h),
 * or with PSK-TLS prove a key of an identity (tls_psk.h);
 * http_exchange_peer() says who it is.
 *
 * Stopping: http_server_stop() closes the listening socket; requests
 * already in go on, and http_server_busy() says whether any is still
 * unanswered or its answer unsent, so the daemon can wait for them before
 * http_server_free(). A request that comes on a kept-alive connection
 * after the stop gets 503 service-unavailable and the connection closes.
 */
#ifndef E2MD_HTTP_SERVER_H
#define E2MD_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/event.h>
#include <event2/http.h>

#include "daemon/config.h"
#include "http_conns.h"
#include "tls.h"
#include "tls_psk.h"

/*
 * The error tokens of the answers the server makes itself, and of a body
 * of the wrong media type, which every JSON route refuses alike.
 */
#define HTTP_ERR_NOT_FOUND		"not-found"
#define HTTP_ERR_METHOD_NOT_ALLOWED	"method-not-allowed"
#define HTTP_ERR_UNSUPPORTED_MEDIA_TYPE	"unsupported-media-type"
#define HTTP_ERR_SERVICE_UNAVAILABLE	"service-unavailable"

/* Limits that suit the JSON and Digest exchanges of e2m. */
#define HTTP_MAX_BODY_DEFAULT		16384
#define HTTP_MAX_HEADERS_DEFAULT	8192
#define HTTP_TIMEOUT_DEFAULT		10	/* seconds */
/* The configuration's defaults (listeners:), 10 s as the GBA listener. */
#define HTTP_MAX_CONNECTIONS_DEFAULT	CONFIG_MAX_CONNECTIONS_DEFAULT
#define HTTP_REQUEST_DEADLINE_DEFAULT	CONFIG_REQUEST_DEADLINE_DEFAULT

struct http_server;
struct http_exchange;

typedef void (*http_handler)(struct http_exchange *ex, void *arg);

/*
 * Writes the body of an error answer: token is one of the tokens above or
 * a handler's own. The default writes {"error": "<token>"}.
 */
typedef void (*http_error_fn)(struct http_exchange *ex, int status,
			      const char *token, const char *detail);

struct http_server_conf {
	const char *role;		/* for logs: "hss" */
	const char *name;		/* the service point: "zh" */
	const struct config_listen *listen;
	struct tls *tls;		/* NULL: plain HTTP */
	/*
	 * Instead of tls: clients prove a pre-shared key (tls_psk.h), and
	 * http_exchange_peer() gives the identity in psk_identity; or, where
	 * that context takes certificates, show one (the peer's names).
	 */
	struct tls_psk *psk;
	size_t max_body;		/* 0: the defaults above */
	size_t max_headers;
	unsigned int timeout;		/* idle, seconds */
	/* Copied; NULL: the defaults above. */
	const struct config_listeners *limits;
	http_error_fn error;		/* NULL: the default */
};

/*
 * Binds and listens. 0, or a negative errno with a one-line reason in why
 * (the address taken, ...). The server keeps pointers to conf's strings
 * and tls, which must outlive it.
 */
int http_server_new(struct http_server **server, struct event_base *base,
		    const struct http_server_conf *conf, char *why,
		    size_t why_size);

/* methods: EVHTTP_REQ_* or-ed. 0 or -ENOMEM; -EEXIST for a path twice. */
int http_server_route(struct http_server *server, const char *path,
		      unsigned int methods, http_handler handler, void *arg);

/* The address listened on, with the port the kernel chose for port 0. */
const char *http_server_address(const struct http_server *server);

void http_server_stop(struct http_server *server);
bool http_server_busy(const struct http_server *server);
/* Requests answered so far, for status. */
unsigned long long http_server_requests(const struct http_server *server);
/* Connections open, refused, evicted and cut so far. */
void http_server_connections(const struct http_server *server,
			     struct http_conns_stats *stats);
void http_server_free(struct http_server *server);

/*
 * Told of every answer the servers of this process give (the metrics):
 * the server's role and name, the status, the error token when the answer
 * is a refusal (http_reply_error(), json_error_reply()), else NULL, and
 * the seconds since the request came. One observer per process, NULL for
 * none; it must not answer or free anything.
 */
typedef void (*http_observer_fn)(const char *role, const char *name,
				 int status, const char *refusal,
				 double seconds);
void http_server_set_observer(http_observer_fn observer);

/* ---- one exchange ---------------------------------------------------- */

struct evhttp_request *http_exchange_request(struct http_exchange *ex);
const char *http_exchange_path(const struct http_exchange *ex);
/* "GET", "POST", ... */
const char *http_exchange_method(const struct http_exchange *ex);
/* A request header, or NULL. */
const char *http_exchange_header(const struct http_exchange *ex,
				 const char *name);
/*
 * Whether the Content-Type's media type is type (parameters such as
 * charset ignored, any case).
 */
bool http_exchange_content_type_is(const struct http_exchange *ex,
				   const char *type);
/*
 * The request body, NUL-terminated (the NUL not counted in len); owned by
 * the exchange. NULL on allocation failure.
 */
const char *http_exchange_body(struct http_exchange *ex, size_t *len);
/* The peer's certificate names, or NULL on plain HTTP. */
const struct tls_peer *http_exchange_peer(const struct http_exchange *ex);
/*
 * The connection's TLS session (for an RFC 5705 exporter, say), valid
 * while the exchange lives; NULL on plain HTTP.
 */
SSL *http_exchange_ssl(const struct http_exchange *ex);
/* The peer's address, "IP:port", for logs. */
const char *http_exchange_remote(const struct http_exchange *ex);

/* A header of the answer, added before http_reply(). */
int http_exchange_add_header(struct http_exchange *ex, const char *name,
			     const char *value);

/*
 * Answers and frees the exchange. content_type may be NULL for no body.
 * The body is copied; wiping the caller's copy is the caller's business.
 */
void http_reply(struct http_exchange *ex, int status,
		const char *content_type, const char *body, size_t len);
/* The error token of the answer about to be made, for the observer. */
void http_exchange_note_refusal(struct http_exchange *ex, const char *token);
/* Answers with the server's error body (see http_error_fn). */
void http_reply_error(struct http_exchange *ex, int status,
		      const char *token, const char *detail);

#endif /* E2MD_HTTP_SERVER_H */
