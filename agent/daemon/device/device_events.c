// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's key events on the device role, see device_events.h.
 */
#include <errno.h>

#include "daemon/log.h"
#include "device_events.h"
#include "device_link.h"
#include "kernel/e2m_flow.h"

static void log_event(const struct device_link *link,
		      const struct e2m_key_event *ev, bool renew)
{
	const char *reason = e2m_event_reason_name(ev->reason);
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, DEVICE_ROLE, "key-event"))
		return;
	log_str(&line, "reason", reason ? reason : "unknown");
	log_u64(&line, "teid", ev->teid);
	if (ev->has_key_id)
		log_int(&line, "key-id", ev->key_id);
	log_str(&line, "naf-id", link->conf->naf_id);
	log_str(&line, "then", renew ? "renew" : "establish");
	log_end(&line);
}

static void handle(struct device *device, const struct e2m_key_event *ev)
{
	size_t i;

	for (i = 0; i < device->n_links; i++) {
		struct device_link *link = &device->links[i];
		enum local_key_event action =
			device_plan_event(&link->bound, ev);

		if (action == LOCAL_KEY_EVENT_NONE)
			continue;
		device->counters.event_runs++;
		log_event(link, ev, action == LOCAL_KEY_EVENT_RENEW);
		device_link_run(link, action == LOCAL_KEY_EVENT_RENEW);
	}
}

static int on_event(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		    void *arg)
{
	struct device *device = arg;
	struct e2m_key_event ev;

	if (cmd != E2M_CMD_EVENT_KEY && cmd != E2M_CMD_EVENT_NO_KEY)
		return 0;
	device->counters.events++;
	/* A malformed event is skipped, the others still read. */
	if (!e2m_key_event_parse(conn, cmd, tb, &ev))
		handle(device, &ev);
	return 0;
}

static void readable(evutil_socket_t fd, short what, void *arg)
{
	struct device *device = arg;

	(void)fd;
	(void)what;
	if (genl_wait_events(&device->nl_events, 0, on_event, device) < 0)
		log_msg(LOG_LEVEL_WARNING, DEVICE_ROLE, "events-lost", "%s",
			device->nl_events.error);
}

int device_events_start(struct device *device)
{
	int ret = genl_open(&device->nl_events);

	if (!ret)
		ret = genl_subscribe_events(&device->nl_events);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, DEVICE_ROLE, "start-failed",
			"kernel events: %s", device->nl_events.error);
		return ret;
	}
	device->events = event_new(device->daemon->base,
				   nl_socket_get_fd(device->nl_events.sock),
				   EV_READ | EV_PERSIST, readable, device);
	if (!device->events || event_add(device->events, NULL)) {
		log_msg(LOG_LEVEL_ERROR, DEVICE_ROLE, "start-failed",
			"kernel events: cannot watch the socket");
		return -ENOMEM;
	}
	return 0;
}

void device_events_stop(struct device *device)
{
	if (device->events)
		event_free(device->events);
	device->events = NULL;
	if (device->nl_events.sock)
		genl_close(&device->nl_events);
}
