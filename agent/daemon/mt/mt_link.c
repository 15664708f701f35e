// SPDX-License-Identifier: GPL-2.0
/*
 * The local interface's links, see mt_link.h.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/listener.h>

#include "daemon/log.h"
#include "mt_link.h"
#include "mt_request.h"
#include "mt_watch.h"
#include "util/why.h"

#define ROLE		"mt"
#define INPUT_AHEAD_MAX	(4 * LOCAL_FRAME_BUFFER)

static void link_free(struct mt_link *link)
{
	struct mt_link **p;

	mt_watch_drop(link->mt, link);
	for (p = &link->mt->links; *p; p = &(*p)->next) {
		if (*p == link) {
			*p = link->next;
			link->mt->n_links--;
			break;
		}
	}
	bufferevent_free(link->bev);
	free(link);
}

void mt_link_send(struct mt_link *link, const struct local_msg *msg)
{
	uint8_t frame[LOCAL_FRAME_BUFFER];
	char why[UB_WHY_MAX] = "";
	int n = local_msg_frame(msg, frame, sizeof(frame), why, sizeof(why));

	if (n < 0) {
		/* A bug of ours: say so rather than send nothing. */
		log_msg(LOG_LEVEL_ERROR, ROLE, "answer-failed", "peer=%s %s",
			link->peer, why);
		mt_link_error(link, msg, LOCAL_ERR_INTERNAL, "");
		return;
	}
	bufferevent_write(link->bev, frame, (size_t)n);
}

void mt_link_error(struct mt_link *link, const struct local_msg *about,
		   const char *token, const char *detail)
{
	struct local_msg err = { .type = LOCAL_ERROR };

	if (about && about->has_id) {
		err.has_id = true;
		err.id = about->id;
	}
	snprintf(err.error, sizeof(err.error), "%s", token);
	snprintf(err.detail, sizeof(err.detail), "%s", detail ? detail : "");
	link->mt->counters.errors++;
	log_msg(LOG_LEVEL_INFO, ROLE, "local-error",
		"peer=%s error=%s detail=\"%s\"", link->peer, err.error,
		err.detail);
	mt_link_send(link, &err);
}

/* A length no frame has: answered, then the link ends (local_frame.h). */
static void bad_frame(struct mt_link *link)
{
	link->mt->counters.bad_frames++;
	mt_link_error(link, NULL, LOCAL_ERR_BAD_FRAME,
		      "frame length 0 or above 4096: the link ends");
	link->closing = true;
	bufferevent_disable(link->bev, EV_READ);
	evbuffer_drain(bufferevent_get_input(link->bev),
		       evbuffer_get_length(bufferevent_get_input(link->bev)));
}

static void handle_payload(struct mt_link *link, const uint8_t *payload,
			   size_t len)
{
	struct local_msg msg;
	char why[UB_WHY_MAX] = "";
	int ret;

	link->mt->counters.messages++;
	ret = local_msg_parse(payload, len, &msg, why, sizeof(why));
	if (ret) {
		mt_link_error(link, &msg, local_msg_error_token(ret), why);
		return;
	}
	link->waiting = mt_request_handle(link->mt, link, &msg);
}

/* Handles whole frames until none is left or a request waits. */
static void process(struct mt_link *link)
{
	struct evbuffer *in = bufferevent_get_input(link->bev);
	uint8_t frame[LOCAL_FRAME_BUFFER];
	size_t len, have;

	while (!link->waiting && !link->closing) {
		have = evbuffer_get_length(in);
		if (have > sizeof(frame))
			have = sizeof(frame);
		if (evbuffer_copyout(in, frame, have) < 0)
			return;
		switch (local_frame_peek(frame, have, &len)) {
		case LOCAL_FRAME_PARTIAL:
			return;
		case LOCAL_FRAME_BAD_LENGTH:
			bad_frame(link);
			return;
		case LOCAL_FRAME_READY:
			evbuffer_drain(in, LOCAL_FRAME_HEADER + len);
			handle_payload(link, frame + LOCAL_FRAME_HEADER, len);
			break;
		}
	}
	/* Flow control: a device far ahead waits in TCP, not in our memory. */
	if (link->waiting && evbuffer_get_length(in) > INPUT_AHEAD_MAX)
		bufferevent_disable(link->bev, EV_READ);
}

void mt_link_resume(struct mt_link *link)
{
	link->waiting = false;
	if (link->gone) {
		link_free(link);
		return;
	}
	if (!link->closing)
		bufferevent_enable(link->bev, EV_READ);
	process(link);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	process(arg);
}

static void on_write(struct bufferevent *bev, void *arg)
{
	struct mt_link *link = arg;

	if (link->closing && !evbuffer_get_length(bufferevent_get_output(bev)))
		link_free(link);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct mt_link *link = arg;

	(void)bev;
	if (what & BEV_EVENT_TIMEOUT)
		log_msg(LOG_LEVEL_INFO, ROLE, "link-idle", "peer=%s",
			link->peer);
	/* A link that waits for Ub stays known until then (waiting). */
	if (link->waiting) {
		mt_watch_drop(link->mt, link);
		link->closing = true;
		link->gone = true;
		bufferevent_disable(link->bev, EV_READ | EV_WRITE);
		return;
	}
	link_free(link);
}

static void on_accept(struct evconnlistener *listener, evutil_socket_t fd,
		      struct sockaddr *addr, int addr_len, void *arg)
{
	struct mt *mt = arg;
	struct timeval idle = { MT_IDLE_SECONDS, 0 };
	struct sockaddr_storage peer = { 0 };
	struct mt_link *link;
	int one = 1;

	(void)listener;
	if (mt->n_links >= MT_LINKS_MAX || mt->stopping) {
		mt->counters.links_refused++;
		evutil_closesocket(fd);
		return;
	}
	link = calloc(1, sizeof(*link));
	if (!link) {
		evutil_closesocket(fd);
		return;
	}
	memcpy(&peer, addr, (size_t)addr_len < sizeof(peer) ?
				    (size_t)addr_len : sizeof(peer));
	config_address_text(&peer, link->peer, sizeof(link->peer));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	link->mt = mt;
	link->bev = bufferevent_socket_new(mt->daemon->base, fd,
					   BEV_OPT_CLOSE_ON_FREE);
	if (!link->bev) {
		evutil_closesocket(fd);
		free(link);
		return;
	}
	bufferevent_setcb(link->bev, on_read, on_write, on_event, link);
	bufferevent_set_timeouts(link->bev, &idle, NULL);
	bufferevent_enable(link->bev, EV_READ | EV_WRITE);
	link->next = mt->links;
	mt->links = link;
	mt->n_links++;
	mt->counters.links++;
}

int mt_links_listen(struct mt *mt, char *why, size_t why_size)
{
	const struct config_listen *on = &mt->conf->listen;
	struct sockaddr_storage bound;
	socklen_t len = sizeof(bound);

	mt->listener = evconnlistener_new_bind(
		mt->daemon->base, on_accept, mt,
		LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
		LEV_OPT_CLOSE_ON_EXEC, 64, (const struct sockaddr *)&on->addr,
		(int)on->addr_len);
	if (!mt->listener) {
		snprintf(why, why_size, "%s: %s", on->text, strerror(errno));
		return errno ? -errno : -EIO;
	}
	if (getsockname(evconnlistener_get_fd(mt->listener),
			(struct sockaddr *)&bound, &len) == 0)
		config_address_text(&bound, mt->address, sizeof(mt->address));
	return 0;
}

void mt_links_stop(struct mt *mt)
{
	if (mt->listener)
		evconnlistener_disable(mt->listener);
}

void mt_links_free(struct mt *mt)
{
	while (mt->links)
		link_free(mt->links);
	if (mt->listener)
		evconnlistener_free(mt->listener);
	mt->listener = NULL;
}
