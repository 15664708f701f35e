// SPDX-License-Identifier: GPL-2.0
/*
 * The MT's kernel key events, see mt_events.h.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "daemon/log.h"
#include "kernel/e2m_flow.h"
#include "mt_events.h"
#include "mt_plan.h"
#include "mt_watch.h"
#include "ue/local_key_plan.h"

#define ROLE	"mt"

struct find {
	int32_t serial;
	const char *naf_fqdn;
	const char *device_id;
	struct store_mt_key_info *row;
	char *fqdn;
	bool found;
};

/* Rows come oldest first: the last match is the newest. */
static int find_row(const struct store_mt_key_info *info, void *arg)
{
	struct find *f = arg;
	char fqdn[DNS_NAME_MAX + 1];

	if (local_key_naf_fqdn(info->naf_id, info->naf_id_len, fqdn))
		return 0;
	if (f->serial > 0 ? info->key_serial != f->serial :
	    strcasecmp(fqdn, f->naf_fqdn) || strcmp(info->device_id,
						    f->device_id))
		return 0;
	*f->row = *info;
	memcpy(f->fqdn, fqdn, sizeof(fqdn));
	f->found = true;
	return 0;
}

int mt_key_find(struct mt *mt, int32_t serial, const char *naf_fqdn,
		const char *device_id, struct store_mt_key_info *row,
		char fqdn[DNS_NAME_MAX + 1])
{
	struct find f = {
		.serial = serial, .naf_fqdn = naf_fqdn,
		.device_id = device_id, .row = row, .fqdn = fqdn,
	};
	int ret = store_mt_key_list(mt->daemon->store, find_row, &f);

	if (ret < 0)
		return ret;
	return f.found ? 0 : -ENOENT;
}

static void handle(struct mt *mt, const struct e2m_key_event *ev)
{
	const char *reason = mt_plan_event(ev->cmd, ev->reason);
	struct store_mt_key_info row;
	char fqdn[DNS_NAME_MAX + 1];

	if (!reason || !ev->has_serial || ev->serial <= 0)
		return;
	/* Not a key of ours (or one gone): another's flow. */
	if (mt_key_find(mt, ev->serial, NULL, NULL, &row, fqdn))
		return;
	log_msg(LOG_LEVEL_INFO, ROLE, "key-event",
		"reason=%s teid=%u serial=%d btid=%s naf=%s device=%s",
		e2m_event_reason_name(ev->reason), ev->teid, (int)ev->serial,
		row.btid, fqdn, row.device_id);
	mt_watch_rekey(mt, row.btid, fqdn, row.device_id, reason,
		       (int64_t)time(NULL));
}

static int on_event(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		    void *arg)
{
	struct mt *mt = arg;
	struct e2m_key_event ev;

	if (cmd != E2M_CMD_EVENT_KEY)
		return 0;
	mt->counters.key_events++;
	if (!e2m_key_event_parse(conn, cmd, tb, &ev))
		handle(mt, &ev);
	return 0;
}

static void readable(evutil_socket_t fd, short what, void *arg)
{
	struct mt *mt = arg;

	(void)fd;
	(void)what;
	if (genl_wait_events(&mt->nl_events, 0, on_event, mt) < 0)
		log_msg(LOG_LEVEL_WARNING, ROLE, "events-lost", "%s",
			mt->nl_events.error);
}

int mt_events_start(struct mt *mt)
{
	int ret = genl_open(&mt->nl_events);

	if (!ret)
		ret = genl_subscribe_events(&mt->nl_events);
	if (ret) {
		log_msg(LOG_LEVEL_WARNING, ROLE, "no-kernel-events",
			"%s: no rekey-request on the MT's own key events",
			mt->nl_events.error);
		mt_events_stop(mt);
		return ret;
	}
	mt->events = event_new(mt->daemon->base,
			       nl_socket_get_fd(mt->nl_events.sock),
			       EV_READ | EV_PERSIST, readable, mt);
	if (!mt->events || event_add(mt->events, NULL)) {
		mt_events_stop(mt);
		return -ENOMEM;
	}
	return 0;
}

void mt_events_stop(struct mt *mt)
{
	if (mt->events)
		event_free(mt->events);
	mt->events = NULL;
	if (mt->nl_events.sock)
		genl_close(&mt->nl_events);
}
