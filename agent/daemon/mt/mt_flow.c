// SPDX-License-Identifier: GPL-2.0
/*
 * The MT's end of each device's local link, see mt_flow.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon/log.h"
#include "kernel/e2m_flow.h"
#include "mt_flow.h"
#include "ue/local_link.h"

#define ROLE	"mt"

int mt_flow_open(struct mt *mt, char *why, size_t why_size)
{
	int ret;

	if (!mt->conf->n_flows)
		return 0;
	ret = genl_open(&mt->nl);
	if (ret) {
		snprintf(why, why_size, "flows: %s", mt->nl.error);
		return ret;
	}
	mt->nl_open = true;
	return 0;
}

void mt_flow_close(struct mt *mt)
{
	if (mt->nl_open)
		genl_close(&mt->nl);
	mt->nl_open = false;
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
	log_end(&line);
}

int mt_flow_bind(struct mt *mt, const char *device_id, int32_t serial,
		 bool kept)
{
	const struct config_mt_flow *f = mt_flow_of(mt, device_id);
	struct local_link_flow flow;
	struct local_link_result done;
	int ret;

	if (!f || serial <= 0 || !mt->nl_open)
		return 0;
	flow = (struct local_link_flow){
		.ifname = f->device, .teid = f->teid, .key_id = f->key_id,
		.alg = f->alg, .kept = kept,
	};
	ret = local_link_bind(&mt->nl, &flow, serial, &done);
	if (ret) {
		mt->counters.flow_bind_failures++;
		log_msg(LOG_LEVEL_ERROR, ROLE, "bind-failed",
			"device=%s %s teid %u serial %d: %s", device_id,
			f->device, f->teid, (int)serial, mt->nl.error);
		return ret;
	}
	if (!done.already) {
		mt->counters.flow_binds++;
		log_bound(f, device_id, serial, &done);
	}
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
