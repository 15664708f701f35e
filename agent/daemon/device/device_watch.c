// SPDX-License-Identifier: GPL-2.0
/*
 * A link's watch on its MT, see device_watch.h.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "daemon/log.h"
#include "device_link.h"
#include "device_watch.h"
#include "proto/local/local_frame.h"
#include "proto/local/local_msg.h"
#include "ue/local_key.h"
#include "ue/local_key_plan.h"

static void close_conn(struct device_link *link)
{
	if (link->watch.bev)
		bufferevent_free(link->watch.bev);
	link->watch.bev = NULL;
}

/* The connection is gone (why): again after the backoff. */
static void again_later(struct device_link *link, const char *why)
{
	struct device_watch *w = &link->watch;
	struct timeval tv = { 0, 0 };

	close_conn(link);
	w->failures++;
	tv.tv_sec = device_plan_retry(w->failures);
	link->device->counters.watch_failures++;
	log_msg(LOG_LEVEL_WARNING, DEVICE_ROLE, "watch-failed",
		"%s via %s: %s (again in %u s)", link->conf->naf_id,
		link->conf->mt, why, (unsigned int)tv.tv_sec);
	if (!link->device->stopping)
		evtimer_add(w->retry, &tv);
}

static void send_watch(struct device_link *link)
{
	struct device_watch *w = &link->watch;
	uint8_t frame[LOCAL_FRAME_BUFFER];
	char why[128] = "";
	int n;

	w->sent = (struct local_msg){
		.type = LOCAL_REKEY_WATCH, .has_id = true, .id = w->next_id++,
	};
	snprintf(w->sent.naf_id, sizeof(w->sent.naf_id), "%s",
		 link->conf->naf_id);
	snprintf(w->sent.device_id, sizeof(w->sent.device_id), "%s",
		 link->device->conf->device_id);
	n = local_msg_frame(&w->sent, frame, sizeof(frame), why, sizeof(why));
	if (n < 0) {
		again_later(link, why);
		return;
	}
	bufferevent_write(w->bev, frame, (size_t)n);
	log_msg(LOG_LEVEL_INFO, DEVICE_ROLE, "watching",
		"%s via %s: rekey-watch id %u", link->conf->naf_id,
		link->conf->mt, w->sent.id);
}

/* The MT's answer to the watch: 0 (a rekey-request), or -errno. */
static int judge(struct device_link *link, const uint8_t *payload,
		 size_t len, char *why, size_t why_size)
{
	struct local_msg got;
	int ret = local_msg_parse(payload, len, &got, why, why_size);

	if (ret)
		return ret;
	ret = local_key_plan_mt_answer(&link->watch.sent, &got, why,
				       why_size);
	if (ret)
		return ret;
	log_msg(LOG_LEVEL_INFO, DEVICE_ROLE, "rekey-requested",
		"%s via %s: btid=%s reason=%s", link->conf->naf_id,
		link->conf->mt, got.btid, got.reason);
	return 0;
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct device_link *link = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t frame[LOCAL_FRAME_BUFFER];
	char why[LOCAL_KEY_WHY_MAX] = "";
	size_t have = evbuffer_get_length(in), len;

	if (have > sizeof(frame))
		have = sizeof(frame);
	if (evbuffer_copyout(in, frame, have) < 0)
		return;
	switch (local_frame_peek(frame, have, &len)) {
	case LOCAL_FRAME_PARTIAL:
		return;
	case LOCAL_FRAME_BAD_LENGTH:
		again_later(link, "the MT sent a bad frame length");
		return;
	case LOCAL_FRAME_READY:
		break;
	}
	if (judge(link, frame + LOCAL_FRAME_HEADER, len, why, sizeof(why))) {
		again_later(link, why);
		return;
	}
	/* The watch is done: the run first, then a new watch. */
	close_conn(link);
	link->watch.failures = 0;
	link->device->counters.rekey_requests++;
	device_link_run(link, true);
	if (!link->device->stopping)
		device_watch_start(link);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct device_link *link = arg;
	int one = 1;

	if (what & BEV_EVENT_CONNECTED) {
		setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY,
			   &one, sizeof(one));
		send_watch(link);
		return;
	}
	again_later(link, what & BEV_EVENT_EOF ? "the MT closed the link" :
		    "cannot reach the MT");
}

static void retry_fired(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	device_watch_start(arg);
}

int device_watch_start(struct device_link *link)
{
	struct device_watch *w = &link->watch;
	struct event_base *base = link->device->daemon->base;

	if (!w->retry) {
		w->retry = evtimer_new(base, retry_fired, link);
		if (!w->retry)
			return -ENOMEM;
	}
	close_conn(link);
	w->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (!w->bev)
		return -ENOMEM;
	bufferevent_setcb(w->bev, on_read, NULL, on_event, link);
	bufferevent_enable(w->bev, EV_READ | EV_WRITE);
	/* A name is looked up on the loop (net/resolver.h). */
	if (bufferevent_socket_connect_hostname(w->bev,
						link->device->daemon->dns,
						AF_UNSPEC,
						link->conf->mt_host,
						link->conf->mt_port))
		again_later(link, "cannot connect to the MT");
	return 0;
}

void device_watch_stop(struct device_link *link)
{
	close_conn(link);
	if (link->watch.retry)
		event_free(link->watch.retry);
	link->watch.retry = NULL;
}
