// SPDX-License-Identifier: GPL-2.0
/*
 * A listener's connections under a cap and a whole-request deadline, see
 * http_conns.h.
 *
 * Each connection is in one list: fresh (accepted this turn of the loop,
 * evhttp's connection not known yet), idle (waiting for a whole request,
 * oldest first: the head is the next to pass its deadline and the first
 * to go for a newcomer), busy (a request in a handler's hands) or doomed
 * (evicted, closed on the next turn).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http_conns.h"
#include "daemon/log.h"
#include "util/mono_clock.h"

enum conn_list { LIST_FRESH, LIST_IDLE, LIST_BUSY, LIST_DOOMED, LISTS };

struct http_conn {
	struct http_conns *conns;
	struct bufferevent *bev;	/* a reference of ours while fresh */
	struct evhttp_connection *evcon;	/* NULL while fresh */
	uint64_t since;			/* opened, or last answered (ms) */
	unsigned int busy;		/* exchanges not over */
	bool refused;			/* past the cap, no room made */
	bool evicted;			/* fresh, and made room for a newer */
	enum conn_list list;
	struct http_conn *prev, *next;
};

struct list {
	struct http_conn *head, *tail;
};

struct http_conns {
	struct http_conns_conf conf;
	struct list lists[LISTS];
	struct event *settle;		/* the next turn: fresh and doomed */
	struct event *deadline;		/* the oldest idle one's */
	struct event *report;		/* the next connections-limited line */
	struct http_conns_stats stats;
	struct http_conns_stats logged;	/* as of the last line */
	uint64_t last_log;		/* ms; 0: never */
};

/* ---- lists ------------------------------------------------------------- */

static void list_remove(struct http_conns *conns, struct http_conn *c)
{
	struct list *l = &conns->lists[c->list];

	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
}

static void list_append(struct http_conns *conns, struct http_conn *c,
			enum conn_list which)
{
	struct list *l = &conns->lists[which];

	c->list = which;
	c->next = NULL;
	c->prev = l->tail;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

static void list_move(struct http_conns *conns, struct http_conn *c,
		      enum conn_list which)
{
	list_remove(conns, c);
	list_append(conns, c, which);
}

/* ---- the log ------------------------------------------------------------ */

static void log_limited(struct http_conns *conns, uint64_t now)
{
	const struct http_conns_stats *s = &conns->stats, *l = &conns->logged;
	struct log_line line;

	if (s->refused == l->refused && s->evicted == l->evicted &&
	    s->cut == l->cut)
		return;
	if (log_begin(&line, LOG_LEVEL_WARNING, conns->conf.role,
		      "connections-limited")) {
		log_str(&line, "listener", conns->conf.name);
		log_u64(&line, "refused", s->refused - l->refused);
		log_u64(&line, "evicted", s->evicted - l->evicted);
		log_u64(&line, "cut", s->cut - l->cut);
		log_u64(&line, "open", s->open);
		log_u64(&line, "max", conns->conf.max);
		log_u64(&line, "period-ms", HTTP_CONNS_LOG_PERIOD_MS);
		log_end(&line);
	}
	conns->logged = *s;
	conns->last_log = now;
}

static void report_due(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	log_limited(arg, mono_clock_ms());
}

/* A count went up: a line now, or when the period since the last ends. */
static void note_limited(struct http_conns *conns)
{
	uint64_t now = mono_clock_ms();
	uint64_t wait_ms;
	struct timeval tv;

	if (!conns->last_log || now - conns->last_log >=
				HTTP_CONNS_LOG_PERIOD_MS) {
		log_limited(conns, now);
		return;
	}
	if (evtimer_pending(conns->report, NULL))
		return;
	wait_ms = conns->last_log + HTTP_CONNS_LOG_PERIOD_MS - now;
	tv.tv_sec = (time_t)(wait_ms / 1000);
	tv.tv_usec = (suseconds_t)(wait_ms % 1000) * 1000;
	evtimer_add(conns->report, &tv);
}

/* ---- closing ------------------------------------------------------------ */

/* The deadline timer follows the oldest idle connection. */
static void arm_deadline(struct http_conns *conns)
{
	const struct http_conn *oldest = conns->lists[LIST_IDLE].head;
	uint64_t now, due;
	struct timeval tv;

	if (!oldest) {
		evtimer_del(conns->deadline);
		return;
	}
	now = mono_clock_ms();
	due = oldest->since + conns->conf.deadline_ms;
	due = due > now ? due - now : 0;
	tv.tv_sec = (time_t)(due / 1000);
	tv.tv_usec = (suseconds_t)(due % 1000) * 1000;
	evtimer_add(conns->deadline, &tv);
}

/*
 * Closes an attached connection that no exchange holds: the server's
 * part first, as evhttp would, then evhttp's.
 */
static void drop(struct http_conns *conns, struct http_conn *c)
{
	struct evhttp_connection *evcon = c->evcon;

	conns->conf.closed(evcon, conns->conf.arg);
	evhttp_connection_set_closecb(evcon, NULL, NULL);
	list_remove(conns, c);
	free(c);
	evhttp_connection_free(evcon);
}

/* evhttp closes a connection (the peer left, an error, its timer). */
static void conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct http_conn *c = arg;
	struct http_conns *conns = c->conns;
	enum conn_list was = c->list;

	conns->conf.closed(evcon, conns->conf.arg);
	list_remove(conns, c);
	if (was == LIST_IDLE || was == LIST_BUSY)
		conns->stats.open--;
	free(c);
	if (was == LIST_IDLE)
		arm_deadline(conns);
}

static void deadline_passed(evutil_socket_t fd, short what, void *arg)
{
	struct http_conns *conns = arg;
	uint64_t now = mono_clock_ms();
	struct http_conn *c;
	size_t cut = 0;

	(void)fd;
	(void)what;
	while ((c = conns->lists[LIST_IDLE].head) &&
	       c->since + conns->conf.deadline_ms <= now) {
		conns->stats.open--;
		conns->stats.cut++;
		drop(conns, c);
		cut++;
	}
	arm_deadline(conns);
	if (cut)
		note_limited(conns);
}

/* ---- the next turn: evhttp's connections of this turn's sockets ------- */

static void refuse_plain(struct bufferevent *bev)
{
	static const char body[] =
		"{\"error\":\"service-unavailable\",\"detail\":\"too many connections\"}";
	evutil_socket_t fd = bufferevent_getfd(bev);
	char answer[256];
	int len;

	len = snprintf(answer, sizeof(answer),
		       "HTTP/1.1 503 Service Unavailable\r\n"
		       "Content-Type: application/json\r\n"
		       "Content-Length: %zu\r\n"
		       "Connection: close\r\n"
		       "\r\n%s", sizeof(body) - 1, body);
	/* Best effort: a fresh socket's buffer takes it whole. */
	if (fd >= 0 && len > 0 && (size_t)len < sizeof(answer))
		(void)send(fd, answer, (size_t)len,
			   MSG_DONTWAIT | MSG_NOSIGNAL);
}

/*
 * evhttp made its connection of c's socket (the bufferevent's callback
 * argument), or gave up and freed the bufferevent (no callbacks left).
 * Returns false when c is gone.
 */
static bool attach(struct http_conns *conns, struct http_conn *c)
{
	bufferevent_event_cb event_cb = NULL;
	void *cb_arg = NULL;

	list_remove(conns, c);
	bufferevent_getcb(c->bev, NULL, NULL, &event_cb, &cb_arg);
	if (!event_cb || !cb_arg) {
		if (!c->refused)
			conns->stats.open--;
		bufferevent_decref(c->bev);
		free(c);
		return false;
	}
	c->evcon = cb_arg;
	evhttp_connection_set_closecb(c->evcon, conn_closed, c);
	bufferevent_decref(c->bev);	/* evhttp's now, closed by it */
	if (c->refused) {
		if (conns->conf.plain)
			refuse_plain(c->bev);
		list_append(conns, c, LIST_DOOMED);
		drop(conns, c);
		return false;
	}
	if (c->evicted) {
		conns->stats.evicted++;
		list_append(conns, c, LIST_DOOMED);
		drop(conns, c);
		return false;
	}
	list_append(conns, c, LIST_IDLE);
	arm_deadline(conns);
	return true;
}

static void settle(evutil_socket_t fd, short what, void *arg)
{
	struct http_conns *conns = arg;
	struct http_conn *c;

	(void)fd;
	(void)what;
	while ((c = conns->lists[LIST_FRESH].head))
		attach(conns, c);
	while ((c = conns->lists[LIST_DOOMED].head)) {
		conns->stats.evicted++;
		drop(conns, c);
	}
}

/* ---- the interface ----------------------------------------------------- */

int http_conns_new(struct http_conns **out, struct event_base *base,
		   const struct http_conns_conf *conf)
{
	struct http_conns *conns = calloc(1, sizeof(*conns));

	*out = NULL;
	if (!conns)
		return -ENOMEM;
	conns->conf = *conf;
	if (!conns->conf.max)
		conns->conf.max = 1;
	if (!conns->conf.deadline_ms)
		conns->conf.deadline_ms = 1;
	conns->settle = event_new(base, -1, 0, settle, conns);
	conns->deadline = evtimer_new(base, deadline_passed, conns);
	conns->report = evtimer_new(base, report_due, conns);
	if (!conns->settle || !conns->deadline || !conns->report) {
		http_conns_free(conns);
		return -ENOMEM;
	}
	*out = conns;
	return 0;
}

void http_conns_free(struct http_conns *conns)
{
	struct http_conn *c;
	size_t i;

	if (!conns)
		return;
	for (i = 0; i < LISTS; i++) {
		while ((c = conns->lists[i].head)) {
			list_remove(conns, c);
			if (i == LIST_FRESH)
				bufferevent_decref(c->bev);
			else
				evhttp_connection_set_closecb(c->evcon, NULL,
							      NULL);
			free(c);
		}
	}
	if (conns->report && evtimer_pending(conns->report, NULL))
		log_limited(conns, mono_clock_ms());
	if (conns->settle)
		event_free(conns->settle);
	if (conns->deadline)
		event_free(conns->deadline);
	if (conns->report)
		event_free(conns->report);
	free(conns);
}

/*
 * At the cap: the oldest idle connection makes room, if there is one, or
 * the oldest one accepted this turn (a burst larger than the cap, all of
 * it accepted before evhttp has made a connection of any).
 */
static bool make_room(struct http_conns *conns)
{
	struct http_conn *oldest = conns->lists[LIST_IDLE].head;

	if (conns->stats.open < conns->conf.max)
		return true;
	if (oldest) {
		list_move(conns, oldest, LIST_DOOMED);
		conns->stats.open--;
		arm_deadline(conns);
		return true;
	}
	for (oldest = conns->lists[LIST_FRESH].head; oldest;
	     oldest = oldest->next) {
		if (!oldest->refused && !oldest->evicted) {
			oldest->evicted = true;
			conns->stats.open--;
			return true;
		}
	}
	return false;
}

struct bufferevent *http_conns_open(struct http_conns *conns,
				    struct bufferevent *bev)
{
	struct http_conn *c;

	if (!bev)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return bev;	/* not counted: better than no answer */
	c->conns = conns;
	c->bev = bev;
	c->since = mono_clock_ms();
	bufferevent_incref(bev);
	if (make_room(conns)) {
		conns->stats.open++;
		conns->stats.accepted++;
	} else {
		c->refused = true;
		conns->stats.refused++;
		note_limited(conns);
	}
	list_append(conns, c, LIST_FRESH);
	event_active(conns->settle, EV_TIMEOUT, 0);
	return bev;
}

static struct http_conn *find(struct http_conns *conns,
			      struct evhttp_connection *evcon)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
	struct http_conn *c;
	size_t i;

	for (c = conns->lists[LIST_FRESH].head; c; c = c->next) {
		if (c->bev != bev)
			continue;
		if (c->refused || c->evicted) {
			/* too late to close: it serves this request */
			conns->stats.refused -= c->refused;
			c->refused = c->evicted = false;
			conns->stats.open++;
		}
		return attach(conns, c) ? c : NULL;
	}
	for (i = LIST_IDLE; i < LISTS; i++) {
		for (c = conns->lists[i].head; c; c = c->next) {
			if (c->evcon == evcon)
				return c;
		}
	}
	return NULL;
}

struct http_conn *http_conns_enter(struct http_conns *conns,
				   struct evhttp_connection *evcon)
{
	struct http_conn *c = evcon ? find(conns, evcon) : NULL;

	if (!c)
		return NULL;
	if (c->list == LIST_DOOMED)
		conns->stats.open++;	/* too late: it serves this one */
	if (c->list == LIST_IDLE) {
		list_move(conns, c, LIST_BUSY);
		arm_deadline(conns);
	} else if (c->list == LIST_DOOMED) {
		list_move(conns, c, LIST_BUSY);
	}
	c->busy++;
	return c;
}

void http_conns_leave(struct http_conns *conns, struct http_conn *c)
{
	if (!c || !c->busy || --c->busy)
		return;
	c->since = mono_clock_ms();
	list_move(conns, c, LIST_IDLE);
	arm_deadline(conns);
}

void http_conns_stats(const struct http_conns *conns,
		      struct http_conns_stats *stats)
{
	*stats = conns->stats;
}
