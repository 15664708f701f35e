// SPDX-License-Identifier: GPL-2.0
/*
 * One link of the device role run, see device_link.h.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "daemon/log.h"
#include "device_link.h"
#include "device_psk.h"
#include "kernel/ks_local_key.h"
#include "ue/local_key.h"
#include "ue/local_link.h"

/* What one run needs besides the link: secret, wiped after. */
struct run_conf {
	struct local_key_conf conf;
	struct local_key_centre centre;
	const char *naf_ids[1];
	uint8_t psk[STORE_DEVICE_PSK_LEN];
};

/*
 * The PSK read, or the certificate's private key checked (OpenSSL loads
 * the three files itself): at each run, so a new one takes at once.
 */
static int read_credential(const struct config_device *dc,
			   struct run_conf *rc, char *why, size_t why_size)
{
	if (dc->psk_file.path)
		return device_psk_read(dc->psk_file.path, rc->psk, why,
				       why_size);
	return device_key_file_check(dc->private_key.path, why, why_size);
}

static void schedule(struct device_link *link, int64_t seconds, bool renew)
{
	struct timeval tv = { seconds > 0 ? (time_t)seconds : 0, 0 };

	link->renew_next = renew;
	if (!link->device->stopping)
		evtimer_add(link->timer, &tv);
}

static void build_conf(const struct device_link *link, bool renew,
		       struct run_conf *rc)
{
	const struct config_device *dc = link->device->conf;
	const struct config_device_link *lc = link->conf;

	rc->naf_ids[0] = lc->naf_id;
	rc->centre = (struct local_key_centre){
		.naf_id = lc->naf_id,
		.host = lc->has_key_centre ? lc->kc_host : NULL,
		.port = lc->has_key_centre ? lc->kc_port : 0,
	};
	rc->conf = (struct local_key_conf){
		.plan = {
			.device_id = dc->device_id,
			.label = device_label_text(dc->label),
			.naf_ids = rc->naf_ids,
			.n_naf_ids = 1,
			.kernel = link->device->keyring != 0,
			.renew = renew,
		},
		.mt_host = lc->mt_host,
		.mt_port = lc->mt_port,
		.centres = &rc->centre,
		.tls = {
			/* One of the two, as the configuration has it. */
			.psk = dc->psk_file.path ? rc->psk : NULL,
			.certificate = dc->certificate.path,
			.private_key = dc->private_key.path,
			.ca = dc->ca.path,
			.timeout = dc->timeout,
		},
		.keyring = link->device->keyring,
		.timeout = dc->timeout,
		.keep_replaced = lc->flow.present,
	};
}

static void log_key(const struct device_link *link,
		    const struct local_key_result *r, bool renew)
{
	struct log_line line;

	/*
	 * key-extended: the procedure gave the bytes of the key the link
	 * has (the same B-TID): that key kept, no new one, no move.
	 */
	if (!log_begin(&line, LOG_LEVEL_INFO, DEVICE_ROLE,
		       r->how == LOCAL_KEY_STORED ? "key-stored" :
		       r->extended ? "key-extended" :
		       renew ? "key-renewed" : "key-established"))
		return;
	log_str(&line, "device-id", r->key.pub.device_id);
	log_str(&line, "naf-id", r->naf_fqdn);
	log_str(&line, "btid", r->key.pub.btid);
	log_str(&line, "mt", link->conf->mt);
	log_u64(&line, "expires", (uint64_t)r->key.pub.expires);
	log_int(&line, "serial", r->key.pub.key_serial);
	log_end(&line);
}

static void log_bound(const struct device_link *link,
		      const struct local_link_result *done)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, DEVICE_ROLE, "key-bound"))
		return;
	log_str(&line, "device", link->conf->flow.device);
	log_u64(&line, "teid", link->conf->flow.teid);
	log_int(&line, "key-id", done->plan.key_id);
	log_int(&line, "serial", link->bound.serial);
	if (done->plan.unbind_old)
		log_int(&line, "old-key-id", done->plan.old_id);
	log_end(&line);
}

/*
 * The key of r onto the link's flow (r->extended: the link's key, its
 * bytes again; r->has_mt_key_id: at the MT's Key ID): 0 or -errno
 * (logged).
 */
static int bind_flow(struct device_link *link,
		     const struct local_key_result *r)
{
	const struct config_device_flow *f = &link->conf->flow;
	struct device *device = link->device;
	int32_t serial = r->key.pub.key_serial;
	struct local_link_flow flow = {
		.ifname = f->device, .teid = f->teid, .key_id = f->key_id,
		.alg = f->alg, .kept = r->extended,
		.has_peer_key_id = r->has_mt_key_id,
		.peer_key_id = r->mt_key_id,
	};
	struct local_link_result done;
	int ret = local_link_bind(&device->nl, &flow, serial, &done);

	/* Once the new key is in, the link's events are its own. */
	if (done.bound)
		link->bound = (struct device_bound){
			.ifindex = if_nametoindex(f->device), .teid = f->teid,
			.bound = true, .key_id = done.plan.key_id,
			.serial = serial,
		};
	if (ret) {
		device->counters.bind_failures++;
		log_msg(LOG_LEVEL_ERROR, DEVICE_ROLE, "bind-failed",
			"device %s teid %u serial %d: %s", f->device, f->teid,
			serial, device->nl.error);
		return ret;
	}
	if (!done.already) {
		device->counters.binds++;
		log_bound(link, &done);
	}
	return 0;
}

/* After a key is in: its flow, the old key out, the next run timed. */
static void keep(struct device_link *link, const struct local_key_result *r,
		 bool renew, int64_t now)
{
	struct device *device = link->device;

	if (r->replaced > 0)
		link->revoke_after_bind = r->replaced;
	if (link->conf->flow.present && r->key.pub.key_serial > 0 &&
	    bind_flow(link, r)) {
		link->failures++;
		schedule(link, device_plan_retry(link->failures), false);
		return;
	}
	if (link->revoke_after_bind > 0) {
		ks_local_key_revoke(link->revoke_after_bind);
		link->revoke_after_bind = 0;
	}
	link->failures = 0;
	link->expires = r->key.pub.expires;
	if (r->how == LOCAL_KEY_STORED)
		device->counters.stored++;
	else
		device->counters.established++;
	if (renew && r->how == LOCAL_KEY_ESTABLISHED)
		device->counters.renewals++;
	if (r->extended)
		device->counters.extended++;
	schedule(link, device_plan_renew_wait(r->key.pub.created,
					      r->key.pub.expires, now), true);
}

void device_link_run(struct device_link *link, bool renew)
{
	struct device *device = link->device;
	struct run_conf *rc = calloc(1, sizeof(*rc));
	struct local_key_result *r = calloc(1, sizeof(*r));
	int64_t now = (int64_t)time(NULL);
	char why[LOCAL_KEY_WHY_MAX] = "out of memory";
	int ret = -ENOMEM;

	evtimer_del(link->timer);
	device->counters.runs++;
	if (rc && r)
		ret = read_credential(device->conf, rc, why, sizeof(why));
	if (!ret) {
		build_conf(link, renew, rc);
		ret = local_key_establish(&rc->conf, device->daemon->store,
					  now, r);
		if (ret)
			snprintf(why, sizeof(why), "%s", r->why);
		else
			log_key(link, r, renew);
	}
	if (!ret) {
		keep(link, r, renew, now);
	} else {
		/* A key stored though its notice failed still replaced one. */
		if (r && r->replaced > 0)
			link->revoke_after_bind = r->replaced;
		device->counters.failures++;
		link->failures++;
		log_msg(LOG_LEVEL_WARNING, DEVICE_ROLE, "run-failed",
			"%s via %s: %s (again in %u s)", link->conf->naf_id,
			link->conf->mt, why,
			device_plan_retry(link->failures));
		schedule(link, device_plan_retry(link->failures), renew);
	}
	if (r)
		local_key_result_wipe(r);
	if (rc)
		OPENSSL_cleanse(rc, sizeof(*rc));
	free(r);
	free(rc);
}

static void timer_fired(evutil_socket_t fd, short what, void *arg)
{
	struct device_link *link = arg;

	(void)fd;
	(void)what;
	device_link_run(link, link->renew_next);
}

int device_link_start(struct device_link *link)
{
	link->timer = evtimer_new(link->device->daemon->base, timer_fired,
				  link);
	if (!link->timer)
		return -ENOMEM;
	schedule(link, 0, false);
	return 0;
}

void device_link_stop(struct device_link *link)
{
	if (link->timer)
		event_free(link->timer);
	link->timer = NULL;
}
