// SPDX-License-Identifier: GPL-2.0
/*
 * The MT's end of each device's local link, see mt_flow.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "daemon/log.h"
#include "kernel/e2m_flow.h"
#include "mt_flow.h"
#include "ue/local_link.h"

#define ROLE	"mt"

static void switch_poll(evutil_socket_t fd, short what, void *arg);

int mt_flow_open(struct mt *mt, char *why, size_t why_size)
{
	int ret;

	if (!mt->conf->n_flows)
		return 0;
	mt->switch_timer = evtimer_new(mt->daemon->base, switch_poll, mt);
	if (!mt->switch_timer) {
		snprintf(why, why_size, "flows: out of memory");
		return -ENOMEM;
	}
	ret = genl_open(&mt->nl);
	if (ret) {
		snprintf(why, why_size, "flows: %s", mt->nl.error);
		event_free(mt->switch_timer);
		mt->switch_timer = NULL;
		return ret;
	}
	mt->nl_open = true;
	return 0;
}

void mt_flow_close(struct mt *mt)
{
	if (mt->switch_timer)
		event_free(mt->switch_timer);
	mt->switch_timer = NULL;
	memset(mt->switches, 0, sizeof(mt->switches));
	if (mt->nl_open)
		genl_close(&mt->nl);
	mt->nl_open = false;
}

/* Flow i: true while it waits, false once switched or gone. */
static bool switch_check(struct mt *mt, size_t i)
{
	const struct config_mt_flow *f = &mt->conf->flows[i];
	struct mt_switch_wait *w = &mt->switches[i];
	struct e2m_flow now;

	if (e2m_flow_get(&mt->nl, f->device, f->teid, &now)) {
		w->waiting = false;
		return false;
	}
	switch (mt_plan_switch(&now, w->old_key_id)) {
	case MT_SWITCH_WAIT:
		return true;
	case MT_SWITCH_UNBIND_OLD:
		if (e2m_key_unbind(&mt->nl, f->device, f->teid,
				   w->old_key_id)) {
			log_msg(LOG_LEVEL_WARNING, ROLE, "unbind-failed",
				"device=%s %s teid %u key-id %u: %s",
				f->device_id, f->device, f->teid,
				w->old_key_id, mt->nl.error);
			break;
		}
		mt->counters.flow_switches++;
		log_msg(LOG_LEVEL_INFO, ROLE, "key-switched",
			"device=%s %s teid %u key-id %u old-key-id %u",
			f->device_id, f->device, f->teid,
			now.has_tx_key_id ? now.tx_key_id : 0, w->old_key_id);
		break;
	case MT_SWITCH_GONE:
		break;
	}
	w->waiting = false;
	return false;
}

static void switch_poll(evutil_socket_t fd, short what, void *arg)
{
	struct mt *mt = arg;
	struct timeval tv = { MT_SWITCH_POLL, 0 };
	bool more = false;
	size_t i;

	(void)fd;
	(void)what;
	for (i = 0; i < mt->conf->n_flows && i < MT_FLOWS_MAX; i++)
		if (mt->switches[i].waiting && switch_check(mt, i))
			more = true;
	if (more && !mt->stopping)
		evtimer_add(mt->switch_timer, &tv);
}

/* Flow i's new key waits for the device; old_key_id transmits till then. */
static void switch_wait(struct mt *mt, size_t i, uint8_t old_key_id)
{
	struct timeval tv = { MT_SWITCH_POLL, 0 };

	mt->switches[i] = (struct mt_switch_wait){
		.waiting = true, .old_key_id = old_key_id,
	};
	if (mt->switch_timer && !evtimer_pending(mt->switch_timer, NULL))
		evtimer_add(mt->switch_timer, &tv);
}

const struct config_mt_flow *mt_flow_of(const struct mt *mt,
					const char *device_id)
{
	size_t i;

	for (i = 0; i < mt->conf->n_flows; i++)
		if (!strcmp(mt->conf->flows[i].device_id, device_id))
			return &mt->conf->flows[i];
	return NULL;
}

static void log_bound(const struct config_mt_flow *f, const char *device_id,
		      int32_t serial, const struct local_link_result *done)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "key-bound"))
		return;
	log_str(&line, "device-id", device_id);
	log_str(&line, "device", f->device);
	log_u64(&line, "teid", f->teid);
	log_int(&line, "key-id", done->plan.key_id);
	log_int(&line, "serial", serial);
	if (done->plan.unbind_old)
		log_int(&line, "old-key-id", done->plan.old_id);
	if (done->plan.keep_old)
		log_int(&line, "tx-on-rx-from", done->plan.old_id);
	log_end(&line);
}

int mt_flow_bind(struct mt *mt, const char *device_id, int32_t serial,
		 bool kept, int *key_id)
{
	const struct config_mt_flow *f = mt_flow_of(mt, device_id);
	struct local_link_flow flow;
	struct local_link_result done;
	int ret;

	*key_id = -1;
	if (!f || serial <= 0 || !mt->nl_open)
		return 0;
	flow = (struct local_link_flow){
		.ifname = f->device, .teid = f->teid, .key_id = f->key_id,
		.alg = f->alg, .kept = kept, .tx_on_rx = true,
	};
	ret = local_link_bind(&mt->nl, &flow, serial, &done);
	if (ret) {
		mt->counters.flow_bind_failures++;
		log_msg(LOG_LEVEL_ERROR, ROLE, "bind-failed",
			"device=%s %s teid %u serial %d: %s", device_id,
			f->device, f->teid, (int)serial, mt->nl.error);
		return ret;
	}
	*key_id = done.plan.key_id;
	if (!done.already) {
		mt->counters.flow_binds++;
		log_bound(f, device_id, serial, &done);
	}
	if (done.plan.keep_old)
		switch_wait(mt, (size_t)(f - mt->conf->flows),
			    done.plan.old_id);
	return 0;
}

void mt_flow_unbind(struct mt *mt, const char *device_id, int32_t serial)
{
	const struct config_mt_flow *f = mt_flow_of(mt, device_id);
	struct e2m_flow now;
	unsigned int i;

	if (!f || serial <= 0 || !mt->nl_open ||
	    e2m_flow_get(&mt->nl, f->device, f->teid, &now))
		return;
	for (i = 0; i < now.nslots; i++) {
		if (now.slots[i].serial != serial)
			continue;
		if (e2m_key_unbind(&mt->nl, f->device, f->teid,
				   now.slots[i].key_id))
			log_msg(LOG_LEVEL_WARNING, ROLE, "unbind-failed",
				"device=%s %s teid %u key-id %u: %s",
				device_id, f->device, f->teid,
				now.slots[i].key_id, mt->nl.error);
		else
			log_msg(LOG_LEVEL_INFO, ROLE, "key-unbound",
				"device=%s %s teid %u key-id %u serial %d",
				device_id, f->device, f->teid,
				now.slots[i].key_id, (int)serial);
	}
}
