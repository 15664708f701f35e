// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's key events on the HSE, see hse_events.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "hse_commit.h"
#include "hse_events.h"
#include "hse_install.h"
#include "hse_plan.h"
#include "hse_pull.h"
#include "daemon/log.h"
#include "kernel/e2m_flow.h"

/* A pull started by an event, with the row it is for. */
struct event_pull {
	struct store_hse_flow row;
};

void hse_log_aka_needed(struct hse *hse, uint32_t teid, const char *imsi,
			const char *why)
{
	struct log_line line;

	hse->counters.aka_needed++;
	if (!log_begin(&line, LOG_LEVEL_WARNING, HSE_ROLE, "aka-needed"))
		return;
	log_u64(&line, "teid", teid);
	if (imsi)
		log_str(&line, "imsi", imsi);
	log_str(&line, "detail", why);
	log_end(&line);
}

static void log_event(const struct e2m_key_event *ev, const char *what)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_DEBUG, HSE_ROLE, "kernel-event"))
		return;
	log_int(&line, "cmd", ev->cmd);
	log_int(&line, "reason", ev->reason);
	log_u64(&line, "teid", ev->teid);
	if (ev->has_key_id)
		log_int(&line, "key-id", ev->key_id);
	log_str(&line, "detail", what);
	log_end(&line);
}

static void mark_spent(struct hse *hse, const struct store_hse_flow *row)
{
	struct hse_spent *spent = &hse->spent[hse->spent_next];

	spent->teid = row->teid;
	memcpy(spent->rand, row->rand, sizeof(spent->rand));
	hse->spent_next = (hse->spent_next + 1) % HSE_SPENT_MAX;
}

static bool is_spent(const struct hse *hse, const struct store_hse_flow *row)
{
	size_t i;

	for (i = 0; i < HSE_SPENT_MAX; i++)
		if (hse->spent[i].teid == row->teid &&
		    !memcmp(hse->spent[i].rand, row->rand, sizeof(row->rand)))
			return true;
	return false;
}

static void log_rebound(const struct store_hse_flow *row,
			const struct hse_installed *done)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, HSE_ROLE, "key-rebound"))
		return;
	log_str(&line, "imsi", row->imsi);
	log_u64(&line, "teid", row->teid);
	log_int(&line, "key-id", row->ksi);
	log_u64(&line, "serial", (uint64_t)done->serial);
	log_end(&line);
}

static void log_pulled(const struct store_hse_flow *row)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, HSE_ROLE, "keyset-pulled"))
		return;
	log_str(&line, "imsi", row->imsi);
	log_u64(&line, "teid", row->teid);
	log_str(&line, "for", "event");
	log_end(&line);
}

static void rebind(struct hse *hse, const struct store_hse_flow *row,
		   const struct keyset_response *ks)
{
	struct hse_installed done;
	char why[256];
	int ret;

	log_pulled(row);
	/* Not while a worker installs a triplet of it (hse_teid_lock.h). */
	ret = hse_teid_take(hse, row->teid);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "rebind-failed",
			"teid %u: %s", row->teid, hse_teid_strerror(ret));
		return;
	}
	ret = hse_install(hse, row, ks, HSE_INSTALL_SAME_RUN, &done, why,
			  sizeof(why));
	hse_teid_give(hse, row->teid);
	if (ret == -ESTALE || ret == -EKEYEXPIRED)
		hse_log_aka_needed(hse, row->teid, row->imsi, why);
	else if (ret)
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "rebind-failed",
			"teid %u: %s", row->teid, why);
	else if (done.kind == HSE_INSTALL_REBOUND)
		log_rebound(row, &done);
}

static void pulled(struct hse *hse, enum hse_pull_result result,
		   const struct keyset_response *ks, const char *detail,
		   void *arg)
{
	struct event_pull *p = arg;

	if (result == HSE_PULL_OK)
		rebind(hse, &p->row, ks);
	else if (result == HSE_PULL_NO_KEYSET) {
		mark_spent(hse, &p->row);
		hse_log_aka_needed(hse, p->row.teid, p->row.imsi,
				   "the HSS's window is over");
	}
	else
		log_msg(LOG_LEVEL_WARNING, HSE_ROLE, "pull-failed",
			"teid %u: %s", p->row.teid, detail);
	free(p);
}

/* Whether the flow's slot of ksi is dead: only then can it be rebound. */
static int slot_dead(struct hse *hse, const struct store_hse_flow *row)
{
	struct e2m_flow flow;
	const struct e2m_slot *slot;
	int ret = e2m_flow_get(&hse->nl, hse->conf->device, row->teid, &flow);

	if (ret)
		return ret;
	slot = e2m_flow_slot(&flow, row->ksi);
	if (!slot)
		return -ESTALE;
	return slot->state == E2M_SLOT_DEAD ? 0 : -EALREADY;
}

static void pull_again(struct hse *hse, const struct e2m_key_event *ev,
		       const struct store_hse_flow *row)
{
	struct keyset_request req;
	struct event_pull *p;
	int ret;

	if (is_spent(hse, row)) {
		log_event(ev, "the key set is gone: a new AKA run is needed");
		return;
	}
	ret = slot_dead(hse, row);
	if (ret == -EALREADY) {
		log_event(ev, "the key set is live");
		return;
	}
	if (ret) {
		hse_log_aka_needed(hse, row->teid, row->imsi,
				   ret == -ESTALE ? "no slot of its Key ID" :
						    "no kernel flow");
		return;
	}
	p = malloc(sizeof(*p));
	if (!p)
		return;
	p->row = *row;
	memset(&req, 0, sizeof(req));
	snprintf(req.imsi, sizeof(req.imsi), "%s", row->imsi);
	req.by = KEYSET_BY_RAND;
	memcpy(req.rand, row->rand, sizeof(req.rand));
	ret = hse_pull_start(hse, row->teid, &req, pulled, p);
	if (ret) {
		log_event(ev, ret == -EBUSY ? "a pull is in flight" :
					      "cannot start a pull");
		free(p);
		return;
	}
	hse->counters.on_demand_pulls++;
}

/* Why the key set of an aka-needed event is no good, for the log. */
static const char *aka_reason(uint8_t reason)
{
	switch (reason) {
	case E2M_EVENT_COUNT_EXHAUSTED:
		return "COUNT exhausted";
	case E2M_EVENT_MAC_FAILURES:
		return "killed for failed MACs";
	default:
		return "COUNT near its end";
	}
}

static void handle(struct hse *hse, const struct e2m_key_event *ev)
{
	enum hse_action action = hse_event_action(ev->cmd, ev->reason);
	struct store_hse_flow row;

	if (action == HSE_ACTION_NONE || ev->ifindex != hse->ifindex)
		return;
	if (store_hse_flow_get(hse->daemon->store, hse->conf->instance,
			       ev->teid, &row)) {
		log_event(ev, "not a flow of this HSE");
		return;
	}
	if (ev->has_key_id && ev->key_id != row.ksi) {
		log_event(ev, "a key set older than the flow's");
		return;
	}
	if (action == HSE_ACTION_AKA_NEEDED)
		hse_log_aka_needed(hse, row.teid, row.imsi, aka_reason(ev->reason));
	else if (!hse_pull_running(hse, row.teid))
		pull_again(hse, ev, &row);
}

static int on_event(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		    void *arg)
{
	struct hse *hse = arg;
	struct e2m_key_event ev;

	if (cmd != E2M_CMD_EVENT_KEY && cmd != E2M_CMD_EVENT_NO_KEY)
		return 0;
	hse->counters.events++;
	/* A malformed event is skipped, the others still read. */
	if (!e2m_key_event_parse(conn, cmd, tb, &ev))
		handle(hse, &ev);
	return 0;
}

static void readable(evutil_socket_t fd, short what, void *arg)
{
	struct hse *hse = arg;
	int ret;

	(void)fd;
	(void)what;
	/* An event reads the store: rows still waiting are committed first. */
	hse_commit_flush(hse);
	ret = genl_wait_events(&hse->nl_events, 0, on_event, hse);
	if (ret < 0)
		log_msg(LOG_LEVEL_WARNING, HSE_ROLE, "events-lost", "%s",
			hse->nl_events.error);
}

int hse_events_start(struct hse *hse)
{
	int ret = genl_open(&hse->nl_events);

	if (!ret)
		ret = genl_subscribe_events(&hse->nl_events);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"kernel events: %s", hse->nl_events.error);
		return ret;
	}
	hse->events = event_new(hse->daemon->base,
				nl_socket_get_fd(hse->nl_events.sock),
				EV_READ | EV_PERSIST, readable, hse);
	if (!hse->events || event_add(hse->events, NULL)) {
		log_msg(LOG_LEVEL_ERROR, HSE_ROLE, "start-failed",
			"kernel events: cannot watch the socket");
		return -ENOMEM;
	}
	return 0;
}

void hse_events_stop(struct hse *hse)
{
	if (hse->events)
		event_free(hse->events);
	hse->events = NULL;
	if (hse->nl_events.sock)
		genl_close(&hse->nl_events);
}
