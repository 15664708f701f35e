/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTPS requests from the daemon to its peers on the event loop: the BSF
 * to the HSS over Zh, a NAF to the BSF over Zn. Mutual TLS with the
 * daemon's certificate (tls.h); the server's certificate must chain to the
 * CA and name the host of the URL. A client made without TLS speaks plain
 * HTTP instead: the UE on Ub, which TS 33.220 lets run without TLS (the
 * Digest AKA exchange authenticates both ends).
 *
 *	struct https_client *zh;
 *
 *	https_client_new(&zh, base, tls, &bsf_conf->hss_url, 0, ...);
 *	call = https_post(zh, ZH_PATH_AV, "application/json", text, len,
 *			  got_vector, ctx);
 *	...
 *	static void got_vector(const struct https_response *r, void *ctx)
 *	{
 *		if (r->error) ...		no answer: r->why says why
 *		else if (r->status != 200) ...	an error body in r->body
 *		else ...			r->body, r->body_len
 *	}
 *
 * A call runs on a connection of its own, closed after the answer, unless
 * the client keeps connections alive (https_client_keep_alive()): then a
 * connection is reused by later calls for a short while
 * (HTTPS_IDLE_REUSE), never after the client's URL changed or the TLS
 * context was reloaded (a reloaded context is used from the next call on).
 * Calls in flight at once each have a connection of their own. done is called
 * exactly once per call unless the call is cancelled first; the response
 * and its body are valid during the callback only, and the body is wiped
 * after it. A call may be cancelled (https_call_cancel()) until done has
 * run, and https_client_free() cancels those still running.
 */
#ifndef E2MD_HTTPS_CLIENT_H
#define E2MD_HTTPS_CLIENT_H

#include <stddef.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>

#include "daemon/config.h"
#include "tls.h"

#define HTTPS_TIMEOUT_DEFAULT	10		/* seconds */
#define HTTPS_MAX_BODY		65536		/* of an answer */

#define HTTPS_MAX_HEADERS	16384		/* of an answer, octets */
#define HTTPS_IDLE_MAX		256		/* connections kept alive */
#define HTTPS_IDLE_REUSE	2		/* seconds an idle one is reused */

struct https_client;
struct https_call;

/* A header of a request or of an answer. */
struct https_header {
	const char *name;
	const char *value;
};

/* A request of any method, with headers of the caller's. */
struct https_request {
	enum evhttp_cmd_type method;	/* EVHTTP_REQ_GET, EVHTTP_REQ_POST */
	const char *path;
	const char *content_type;	/* NULL: no body */
	const char *body;
	size_t len;
	const struct https_header *headers;	/* more, may be NULL */
	size_t n_headers;
};

struct https_response {
	/*
	 * 0 with an answer; else no answer: -ETIMEDOUT, -ECONNREFUSED (or
	 * another connection error), -EPROTO (TLS failed: the server's
	 * certificate, or ours refused), -EMSGSIZE (answer too large),
	 * -EHOSTUNREACH (the host name did not resolve), -EIO.
	 */
	int error;
	const char *why;		/* one line, "" when error is 0 */
	int status;			/* the HTTP status, with an answer */
	const char *content_type;	/* NULL when none */
	const char *body;		/* NUL-terminated */
	size_t body_len;
	const struct https_header *headers;	/* all, in the order sent */
	size_t n_headers;
};

/*
 * The value of the answer's header name (any case) in *value, the first
 * if it came more than once; returns how many times it came (0: *value
 * is NULL).
 */
size_t https_response_header(const struct https_response *response,
			     const char *name, const char **value);

typedef void (*https_done)(const struct https_response *response,
			   void *arg);

/*
 * A client of the server at url; timeout in seconds (0: the default).
 * tls and url must outlive the client; tls NULL makes a plain HTTP
 * client (url then from config_parse_http_url()). 0, -ENOMEM.
 */
int https_client_new(struct https_client **client, struct event_base *base,
		     struct tls *tls, const struct config_url *url,
		     unsigned int timeout);
void https_client_free(struct https_client *client);

/*
 * Points the client at another URL, for a role's reload: calls from now
 * on go there, calls in flight are not disturbed (the URL is read only
 * when a call starts).
 */
void https_client_set_url(struct https_client *client,
			  const struct config_url *url);

/*
 * POSTs len octets of body with that content type to path. NULL if the
 * call could not be started (no memory, no TLS context): done is then
 * never called.
 */
struct https_call *https_post(struct https_client *client, const char *path,
			      const char *content_type, const char *body,
			      size_t len, https_done done, void *arg);

/* Any request, as https_post() (which adds Accept: application/json). */
struct https_call *https_request(struct https_client *client,
				 const struct https_request *request,
				 https_done done, void *arg);

void https_call_cancel(struct https_call *call);

/*
 * Looks host names up through dns (net/resolver.h) from now on, on the
 * event loop, within the resolver's bound; a name that does not resolve
 * fails the call with -EHOSTUNREACH. Without it (one-shot clients:
 * e2mctl, the UE) evhttp resolves with a blocking getaddrinfo(). An IP
 * address needs no lookup either way.
 */
void https_client_resolve_with(struct https_client *client,
			       struct evdns_base *dns);

/*
 * Keeps connections alive from now on: for a daemon's clients, which call
 * the same peer again and again. A one-shot client leaves it off, as an
 * idle connection keeps its event loop running until the server drops it.
 */
void https_client_keep_alive(struct https_client *client);

/* How many connections the client has opened so far. */
unsigned long long https_client_connections(const struct https_client *client);

#endif /* E2MD_HTTPS_CLIENT_H */
