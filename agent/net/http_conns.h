/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The open connections of one evhttp listener, bounded two ways:
 *
 *  - A cap: at most max at once. A connection past it closes the oldest
 *    one that is not in a request's hands (one waiting for a request, or
 *    sending one slowly), so idle sockets cannot keep a real client out;
 *    when every connection is in a handler's hands, the new one is
 *    refused: closed at once, a plain-HTTP one after a 503.
 *  - A whole-request deadline: a connection must bring each request, head
 *    and body, within deadline_ms of its opening or of its previous answer,
 *    or it is cut. evhttp's own timeout is an idle timer that every byte
 *    restarts, so a client sending one byte a second would keep its socket
 *    for ever; this clock does not restart.
 *
 * Refused, evicted and cut connections are counted, and logged in one
 * warning line (connections-limited) at most once per
 * HTTP_CONNS_LOG_PERIOD_MS, with the counts since the last line.
 *
 * evhttp never tells when it takes a connection or drops one, so this
 * hooks in where it can: http_conns_open() from the server's bufferevent
 * callback (evhttp_set_bevcb), which libevent calls for every accepted
 * socket; once evhttp has made its connection of it (the next turn of
 * the loop, before anything is read), the connection's close callback is
 * ours, and closed() is called from it for the server's own business.
 * A server must not set the close callback itself.
 *
 * A connection is in a request's hands from http_conns_enter() (a whole
 * request came) until http_conns_leave() (its answer is written or the
 * exchange is over).
 */
#ifndef E2MD_HTTP_CONNS_H
#define E2MD_HTTP_CONNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#define HTTP_CONNS_LOG_PERIOD_MS	10000

struct http_conns;
struct http_conn;

struct http_conns_conf {
	const char *role;		/* for the log: "bsf" */
	const char *name;		/* the listener: "ub" */
	size_t max;			/* connections open at once, >= 1 */
	unsigned int deadline_ms;	/* for each whole request, >= 1 */
	bool plain;			/* plain HTTP: a refusal says 503 */
	/* evhttp closes conn: the server's part, before it is gone. */
	void (*closed)(struct evhttp_connection *conn, void *arg);
	void *arg;
};

/* The counts since the start. */
struct http_conns_stats {
	size_t open;			/* now, the refused not counted */
	unsigned long long accepted;
	unsigned long long refused;	/* the cap, every slot busy */
	unsigned long long evicted;	/* the cap, the oldest idle closed */
	unsigned long long cut;		/* past the deadline */
};

/* 0 or -ENOMEM. The conf's strings must outlive the table. */
int http_conns_new(struct http_conns **conns, struct event_base *base,
		   const struct http_conns_conf *conf);

/*
 * After evhttp_free(): what evhttp has not closed by then (connections
 * accepted this turn of the loop) is released here.
 */
void http_conns_free(struct http_conns *conns);

/*
 * From the server's bufferevent callback: bev is the new connection's
 * (NULL: out of memory, returned as it is). Returns bev, which evhttp
 * then owns; a refused connection is closed on the next turn of the
 * loop.
 */
struct bufferevent *http_conns_open(struct http_conns *conns,
				    struct bufferevent *bev);

/*
 * A whole request came on conn: its clock stops. The connection's slot,
 * for http_conns_leave(), or NULL when conn is not one of ours.
 */
struct http_conn *http_conns_enter(struct http_conns *conns,
				   struct evhttp_connection *conn);

/*
 * A request's exchange is over while its connection is still open: when
 * it was the last, the clock starts again.
 */
void http_conns_leave(struct http_conns *conns, struct http_conn *slot);

void http_conns_stats(const struct http_conns *conns,
		      struct http_conns_stats *stats);

#endif /* E2MD_HTTP_CONNS_H */
