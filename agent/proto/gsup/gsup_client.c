// SPDX-License-Identifier: GPL-2.0
/*
 * The GSUP client, see gsup_client.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <openssl/crypto.h>

#include "gsup_client.h"
#include "ipa.h"
#include "util/why.h"

enum gsup_state {
	GSUP_BACKOFF,		/* waiting to connect again */
	GSUP_CONNECTING,	/* TCP, then the identity exchange */
	GSUP_READY,		/* our identity sent */
};

struct gsup_call {
	struct gsup_client *client;
	struct gsup_call *prev, *next;
	struct event *timer;
	char imsi[GSUP_IMSI_MAX + 1];
	uint8_t frame[4 + GSUP_SAI_REQUEST_MAX];
	size_t frame_len;
	bool sent;
	gsup_done_fn done;
	void *arg;
};

struct gsup_client {
	struct event_base *base;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char unit_name[IPA_UNIT_NAME_MAX + 1];
	unsigned int timeout_s;
	enum gsup_state state;
	struct bufferevent *bev;
	struct event *retry;
	unsigned int backoff_ms;
	struct gsup_call *head, *tail;	/* oldest first */
	size_t n_calls;
};

/* ---- calls --------------------------------------------------------------- */

static void unlink_call(struct gsup_call *call)
{
	struct gsup_client *c = call->client;

	if (call->prev)
		call->prev->next = call->next;
	else
		c->head = call->next;
	if (call->next)
		call->next->prev = call->prev;
	else
		c->tail = call->prev;
	c->n_calls--;
}

static void free_call(struct gsup_call *call)
{
	if (call->timer)
		event_free(call->timer);
	OPENSSL_cleanse(call, sizeof(*call));
	free(call);
}

/* Ends call with msg, or with why when msg is NULL. */
static void finish(struct gsup_call *call, const struct gsup_message *msg,
		   const char *why)
{
	gsup_done_fn done = call->done;
	void *arg = call->arg;

	unlink_call(call);
	free_call(call);
	done(msg, msg ? "" : why, arg);
}

/* Ends every call (sent_only: those sent) for want of an answer. */
static void fail_calls(struct gsup_client *c, bool sent_only, const char *why)
{
	struct gsup_call *call = c->head, *next;

	for (; call; call = next) {
		next = call->next;
		if (!sent_only || call->sent)
			finish(call, NULL, why);
	}
}

static void call_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct gsup_call *call = arg;
	char why[64];

	(void)fd;
	(void)what;
	snprintf(why, sizeof(why), "no answer from the HLR within %u s",
		 call->client->timeout_s);
	finish(call, NULL, why);
}

static void send_call(struct gsup_client *c, struct gsup_call *call)
{
	if (bufferevent_write(c->bev, call->frame, call->frame_len))
		return;		/* stays unsent; its timer ends it */
	call->sent = true;
}

static void send_waiting(struct gsup_client *c)
{
	struct gsup_call *call;

	for (call = c->head; call; call = call->next) {
		if (!call->sent)
			send_call(c, call);
	}
}

/* ---- the connection ------------------------------------------------------ */

static void connect_now(struct gsup_client *c);

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	connect_now(arg);
}

/* The connection failed or was lost: every call ends, a retry later. */
static void lost(struct gsup_client *c, const char *why)
{
	struct timeval after = { c->backoff_ms / 1000,
				 (c->backoff_ms % 1000) * 1000 };

	if (c->bev) {
		bufferevent_free(c->bev);
		c->bev = NULL;
	}
	c->state = GSUP_BACKOFF;
	evtimer_add(c->retry, &after);
	c->backoff_ms *= 2;
	if (c->backoff_ms > GSUP_BACKOFF_MAX_MS)
		c->backoff_ms = GSUP_BACKOFF_MAX_MS;
	fail_calls(c, false, why);
}

static void send_ccm(struct gsup_client *c, uint8_t type)
{
	uint8_t frame[4];

	bufferevent_write(c->bev, frame, ipa_ccm_build(frame, type));
}

/* Identity management; false when the connection is gone. */
static bool on_ccm(struct gsup_client *c, const struct ipa_frame *f)
{
	uint8_t resp[2 * (4 + IPA_UNIT_NAME_MAX + 1) + 4 + 16];
	int len;

	switch (f->kind) {
	case IPA_CCM_PING:
		send_ccm(c, IPA_CCM_PONG);
		return true;
	case IPA_CCM_ID_GET:
		len = ipa_id_resp_build(resp, sizeof(resp), c->unit_name);
		if (len < 0 || bufferevent_write(c->bev, resp, (size_t)len)) {
			lost(c, "cannot send the BSF's identity");
			return false;
		}
		/* osmo-hlr says nothing more: GSUP may follow at once. */
		c->state = GSUP_READY;
		c->backoff_ms = GSUP_BACKOFF_MIN_MS;
		send_waiting(c);
		return true;
	case IPA_CCM_ID_ACK:
		send_ccm(c, IPA_CCM_ID_ACK);
		return true;
	case IPA_CCM_ID_NACK:
		lost(c, "the HLR refused the BSF's identity");
		return false;
	default:
		return true;
	}
}

/* The oldest call sent for imsi, or NULL. */
static struct gsup_call *call_for(struct gsup_client *c, const char *imsi)
{
	struct gsup_call *call;

	for (call = c->head; call; call = call->next) {
		if (call->sent && !strcmp(call->imsi, imsi))
			return call;
	}
	return NULL;
}

static bool on_gsup(struct gsup_client *c, const struct ipa_frame *f)
{
	struct gsup_message msg;
	struct gsup_call *call;
	char why[UB_WHY_MAX], text[UB_WHY_MAX + 32];

	if (gsup_message_parse(f->body, f->body_len, &msg, why, sizeof(why))) {
		snprintf(text, sizeof(text), "a bad GSUP message: %s", why);
		lost(c, text);
		return false;
	}
	if (msg.type == GSUP_MSGT_SAI_RESULT || msg.type == GSUP_MSGT_SAI_ERROR) {
		call = call_for(c, msg.imsi);
		if (call)
			finish(call, &msg, NULL);
	}
	gsup_message_wipe(&msg);
	return true;
}

static bool on_frame(struct gsup_client *c, const struct ipa_frame *f)
{
	if (f->proto == IPA_PROTO_CCM)
		return on_ccm(c, f);
	if (f->proto == IPA_PROTO_OSMO && f->kind == IPA_EXT_GSUP &&
	    c->state == GSUP_READY)
		return on_gsup(c, f);
	return true;
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct gsup_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct ipa_frame frame;
	uint8_t header[IPA_HEADER_LEN];
	size_t total;
	int ret;

	while (evbuffer_copyout(in, header, sizeof(header)) ==
	       (ev_ssize_t)sizeof(header)) {
		total = IPA_HEADER_LEN + ((size_t)header[0] << 8 | header[1]);
		if (evbuffer_get_length(in) < total)
			return;
		ret = ipa_frame_next(evbuffer_pullup(in, (ev_ssize_t)total),
				     total, &frame);
		if (ret < 0) {
			lost(c, "a bad IPA frame");
			return;
		}
		if (!on_frame(c, &frame))
			return;
		evbuffer_drain(in, total);
	}
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct gsup_client *c = arg;
	char why[96];

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		return;
	if (what & BEV_EVENT_TIMEOUT)
		snprintf(why, sizeof(why), "the HLR did not answer in time");
	else if (what & BEV_EVENT_EOF)
		snprintf(why, sizeof(why), "the HLR closed the connection");
	else
		snprintf(why, sizeof(why), "the HLR is not reachable: %s",
			 evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	lost(c, why);
}

static void connect_now(struct gsup_client *c)
{
	struct timeval limit = { c->timeout_s, 0 };

	c->bev = bufferevent_socket_new(c->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		lost(c, "out of memory");
		return;
	}
	c->state = GSUP_CONNECTING;
	bufferevent_setcb(c->bev, read_cb, NULL, event_cb, c);
	/* Bounds the connect too: libevent waits for it as for a write. */
	bufferevent_set_timeouts(c->bev, NULL, &limit);
	bufferevent_setwatermark(c->bev, EV_READ, 0,
				 IPA_HEADER_LEN + IPA_PAYLOAD_MAX);
	if (bufferevent_enable(c->bev, EV_READ) ||
	    bufferevent_socket_connect(c->bev, (struct sockaddr *)&c->addr,
				       (int)c->addr_len))
		lost(c, "the HLR is not reachable");
}

/* ---- the client ---------------------------------------------------------- */

static int parse_address(struct gsup_client *c, const char *address,
			 uint16_t port)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&c->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&c->addr;

	memset(&c->addr, 0, sizeof(c->addr));
	if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		c->addr_len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		c->addr_len = sizeof(*v6);
		return 0;
	}
	return -EINVAL;
}

int gsup_client_new(struct gsup_client **client, struct event_base *base,
		    const char *address, uint16_t port, const char *unit_name,
		    unsigned int timeout_s)
{
	struct gsup_client *c;

	*client = NULL;
	if (!port || !timeout_s || !*unit_name ||
	    strlen(unit_name) > IPA_UNIT_NAME_MAX)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (parse_address(c, address, port)) {
		free(c);
		return -EINVAL;
	}
	c->base = base;
	strcpy(c->unit_name, unit_name);
	c->timeout_s = timeout_s;
	c->backoff_ms = GSUP_BACKOFF_MIN_MS;
	c->retry = evtimer_new(base, retry_cb, c);
	if (!c->retry) {
		free(c);
		return -ENOMEM;
	}
	connect_now(c);
	*client = c;
	return 0;
}

static struct gsup_call *new_call(struct gsup_client *c,
				  const struct gsup_sai_request *req,
				  gsup_done_fn done, void *arg)
{
	struct timeval limit = { c->timeout_s, 0 };
	struct gsup_call *call = calloc(1, sizeof(*call));
	int len;

	if (!call)
		return NULL;
	len = gsup_sai_request_build(req, call->frame + 4,
				     sizeof(call->frame) - 4);
	call->timer = evtimer_new(c->base, call_timeout, call);
	if (len < 0 || !call->timer || evtimer_add(call->timer, &limit)) {
		free_call(call);
		return NULL;
	}
	ipa_gsup_header(call->frame, (size_t)len);
	call->frame_len = 4 + (size_t)len;
	call->client = c;
	strcpy(call->imsi, req->imsi);
	call->done = done;
	call->arg = arg;
	return call;
}

/* Fails at once, but from the loop: done never runs inside the caller. */
static void fail_soon(evutil_socket_t fd, short what, void *arg)
{
	struct gsup_call *call = arg;

	(void)fd;
	(void)what;
	finish(call, NULL, "the HLR is not connected");
}

struct gsup_call *gsup_client_send_auth_info(struct gsup_client *c,
					     const struct gsup_sai_request *req,
					     gsup_done_fn done, void *arg)
{
	struct gsup_call *call;

	if (c->n_calls >= GSUP_CALLS_MAX)
		return NULL;
	call = new_call(c, req, done, arg);
	if (!call)
		return NULL;
	call->prev = c->tail;
	if (c->tail)
		c->tail->next = call;
	else
		c->head = call;
	c->tail = call;
	c->n_calls++;
	if (c->state == GSUP_READY) {
		send_call(c, call);
	} else if (c->state == GSUP_BACKOFF) {
		struct timeval now = { 0, 0 };

		event_del(call->timer);
		event_assign(call->timer, c->base, -1, 0, fail_soon, call);
		event_add(call->timer, &now);
	}
	return call;
}

void gsup_call_cancel(struct gsup_call *call)
{
	if (!call)
		return;
	unlink_call(call);
	free_call(call);
}

bool gsup_client_ready(const struct gsup_client *client)
{
	return client->state == GSUP_READY;
}

void gsup_client_free(struct gsup_client *c)
{
	struct gsup_call *call;

	if (!c)
		return;
	while ((call = c->head)) {
		unlink_call(call);
		free_call(call);
	}
	if (c->bev)
		bufferevent_free(c->bev);
	event_free(c->retry);
	free(c);
}
