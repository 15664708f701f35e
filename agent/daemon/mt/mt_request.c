// SPDX-License-Identifier: GPL-2.0
/*
 * The MT's answers to the device's messages, see mt_request.h.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto/fc.h"
#include "crypto/gba.h"
#include "crypto/ks_local.h"
#include "daemon/log.h"
#include "mt_flow.h"
#include "mt_keyring.h"
#include "mt_plan.h"
#include "mt_request.h"
#include "mt_watch.h"
#include "ue/naf_key.h"

#define ROLE	"mt"

int mt_naf_id(uint8_t out[STORE_NAF_ID_MAX], const char *fqdn)
{
	static const uint8_t ua_id[GBA_UA_ID_LEN] = UA_ID_NAFKC;

	return gba_naf_id(out, STORE_NAF_ID_MAX, fqdn, ua_id);
}

/*
 * The configured spelling of fqdn (DNS names match in any case), NULL
 * when it is not listed: the NAF_Id is made of what the Key Centre is
 * configured with, whatever case the device wrote.
 */
static const char *naf_listed(const struct mt *mt, const char *fqdn)
{
	size_t i;

	for (i = 0; i < mt->conf->naf_ids.count; i++)
		if (!strcasecmp(mt->conf->naf_ids.names[i], fqdn))
			return mt->conf->naf_ids.names[i];
	return NULL;
}

static void answer_naf_ids(struct mt *mt, struct mt_link *link,
			   const struct local_msg *msg)
{
	struct local_msg answer = {
		.type = LOCAL_NAF_ID_LIST, .has_id = true, .id = msg->id,
	};
	size_t i;

	for (i = 0; i < mt->conf->naf_ids.count && i < LOCAL_NAF_IDS_MAX; i++)
		snprintf(answer.naf_ids[i], sizeof(answer.naf_ids[i]), "%s",
			 mt->conf->naf_ids.names[i]);
	answer.n_naf_ids = i;
	mt->counters.naf_id_lists++;
	mt_link_send(link, &answer);
}

/*
 * The row of a new key; its old key (same identity) is revoked after. The
 * row's key has the B-TID of k: its bytes again keep its kernel key
 * (mt_keyring_keep()), with no new serial and no move of the flow.
 * *key_id: where it is bound on the device's flow, -1: not bound.
 */
static int keep_key(struct mt *mt, struct store_mt_key *k,
		    const char *fqdn, int64_t now, int *key_id)
{
	struct store *store = mt->daemon->store;
	struct store_mt_key old;
	uint32_t lifetime = mt_plan_lifetime(k->pub.expires, now);
	int32_t old_serial = 0;
	bool kept = false;
	int ret;

	memset(&old, 0, sizeof(old));
	if (!store_mt_key_get(store, k->pub.btid, k->pub.naf_id,
			      k->pub.naf_id_len, k->pub.device_id, &old)) {
		old_serial = old.pub.key_serial;
		kept = mt_keyring_keep(mt, &old, k, lifetime);
	}
	store_mt_key_wipe(&old);
	if (!kept)
		k->pub.key_serial = mt_keyring_add(mt, k, fqdn, lifetime);
	ret = store_mt_key_put(store, k);
	if (ret) {
		if (!kept)
			mt_keyring_revoke(k->pub.key_serial);
		return ret;
	}
	/* Make before break: the new key on the flow, then the old out. */
	mt_flow_bind(mt, k->pub.device_id, k->pub.key_serial, kept, key_id);
	if (old_serial != k->pub.key_serial) {
		mt_flow_unbind(mt, k->pub.device_id, old_serial);
		mt_keyring_revoke(old_serial);
	}
	return 0;
}

/* Steps 7-9 with the bootstrap there: 0 and the answer sent, or -errno. */
static int derive(struct mt *mt, struct mt_link *link,
		  const struct local_msg *msg, const char *fqdn,
		  struct ue_naf_key *naf_key,
		  const uint8_t *naf_id, size_t naf_id_len, int64_t now,
		  bool optimised)
{
	struct store_mt_key k = { 0 };
	struct local_msg answer = {
		.type = LOCAL_BTID, .has_id = true, .id = msg->id,
	};
	const char *label = mt_label_text(mt->conf->label);
	int ret, key_id = -1;

	ret = ks_local_derive(k.key, naf_key->key, label, naf_key->btid,
			      naf_id, naf_id_len, msg->device_id);
	if (!ret) {
		snprintf(k.pub.btid, sizeof(k.pub.btid), "%s", naf_key->btid);
		memcpy(k.pub.naf_id, naf_id, naf_id_len);
		k.pub.naf_id_len = naf_id_len;
		snprintf(k.pub.device_id, sizeof(k.pub.device_id), "%s",
			 msg->device_id);
		snprintf(k.pub.iccid, sizeof(k.pub.iccid), "%s",
			 usim_iccid(mt->usim));
		k.pub.created = now;
		k.pub.expires = naf_key->expires;
		ret = keep_key(mt, &k, fqdn, now, &key_id);
	}
	if (!ret) {
		snprintf(answer.btid, sizeof(answer.btid), "%s", k.pub.btid);
		snprintf(answer.naf_id, sizeof(answer.naf_id), "%s", fqdn);
		/* The device binds its copy where the MT's is. */
		answer.has_key_id = key_id >= 0;
		answer.key_id = key_id >= 0 ? (uint8_t)key_id : 0;
		mt->counters.btids++;
		if (optimised)
			mt->counters.optimised++;
		log_msg(LOG_LEVEL_INFO, ROLE, "ks-local-derived",
			"peer=%s btid=%s naf=%s device=%s procedure=%s gba=%s lifetime=%u serial=%d",
			link->peer, k.pub.btid, fqdn, msg->device_id,
			optimised ? "optimised" : "full",
			naf_key->gba_u ? "u" : "me",
			mt_plan_lifetime(k.pub.expires, now),
			(int)k.pub.key_serial);
		mt_link_send(link, &answer);
	}
	store_mt_key_wipe(&k);
	return ret;
}

static void bootstrap_done(const struct ue_bootstrap_result *result,
			   void *arg);

static int start_bootstrap(struct mt *mt)
{
	struct ue_bootstrap_conf conf = {
		.base = mt->daemon->base,
		.store = mt->daemon->store,
		.usim = mt->usim,
		.bsf = &mt->bsf_url,
		.timeout = MT_UB_TIMEOUT,
	};
	int ret = ue_bootstrap_start(&mt->bootstrap, &conf, bootstrap_done,
				     mt);

	if (ret) {
		mt->bootstrap = NULL;
		return ret;
	}
	mt->counters.bootstraps++;
	log_msg(LOG_LEVEL_INFO, ROLE, "bootstrap-started", "bsf=%s impi=%s",
		mt->bsf_url.text, usim_impi(mt->usim));
	return 0;
}

/* A B-TID request: answered (false) or waiting for Ub (true). */
static bool btid_request(struct mt *mt, struct mt_link *link,
			 const struct local_msg *msg, bool after_bootstrap)
{
	const char *fqdn = naf_listed(mt, msg->naf_id);
	uint8_t naf_id[STORE_NAF_ID_MAX];
	struct ue_naf_key key;
	int64_t now = (int64_t)time(NULL);
	struct mt_plan_in in = {
		.type = LOCAL_BTID_REQUEST,
		.naf_listed = fqdn != NULL,
		.now = now,
		.bootstrap_running = mt->bootstrap != NULL,
		.after_bootstrap = after_bootstrap,
	};
	int len = mt_naf_id(naf_id, fqdn ? fqdn : msg->naf_id), ret = 0;

	memset(&key, 0, sizeof(key));
	in.naf_key = len < 0 ? len :
		ue_naf_key(mt->daemon->store, mt->usim, naf_id, (size_t)len,
			   now, &key);
	in.expires = key.expires;
	switch (mt_plan_message(&in)) {
	case MT_DERIVE:
		ret = derive(mt, link, msg, fqdn, &key, naf_id, (size_t)len,
			     now, !after_bootstrap);
		if (ret) {
			log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
				"Ks_local for device=%s: %s", msg->device_id,
				store_strerror(ret));
			mt_link_error(link, msg, LOCAL_ERR_INTERNAL,
				      "the key could not be kept");
		}
		break;
	case MT_BOOTSTRAP:
		ret = start_bootstrap(mt);
		if (ret) {
			mt_link_error(link, msg, LOCAL_ERR_INTERNAL,
				      "cannot start a bootstrap");
			break;
		}
		/* fall through */
	case MT_WAIT_BOOTSTRAP:
		link->request = *msg;
		ue_naf_key_wipe(&key);
		return true;
	case MT_REFUSE_UNKNOWN_NAF:
		mt_link_error(link, msg, LOCAL_ERR_UNKNOWN_NAF,
			      "not a NAF Key Centre of this MT");
		break;
	case MT_REFUSE_BOOTSTRAP:
		mt_link_error(link, msg, LOCAL_ERR_BOOTSTRAP,
			      "no bootstrap with the BSF");
		break;
	default:
		log_msg(LOG_LEVEL_ERROR, ROLE, "usim-failed", "NAF key: %s",
			store_strerror(in.naf_key));
		mt_link_error(link, msg, LOCAL_ERR_INTERNAL,
			      "the USIM failed");
		break;
	}
	ue_naf_key_wipe(&key);
	return false;
}

/* Every link that waited for the run gets its answer, in turn. */
static void bootstrap_done(const struct ue_bootstrap_result *result,
			   void *arg)
{
	struct mt *mt = arg;
	struct mt_link *link, *next;

	if (result->error) {
		mt->counters.bootstrap_failures++;
		log_msg(LOG_LEVEL_WARNING, ROLE, "bootstrap-failed",
			"status=%d %s", result->status, result->why);
	} else {
		log_msg(LOG_LEVEL_INFO, ROLE, "bootstrapped",
			"btid=%s gba=%s", result->btid,
			result->gba_u ? "u" : "me");
	}
	ue_bootstrap_free(mt->bootstrap);
	mt->bootstrap = NULL;
	mt_bootstrap_ended(mt);
	for (link = mt->links; link; link = next) {
		next = link->next;
		if (!link->waiting)
			continue;
		if (!link->gone)
			btid_request(mt, link, &link->request, true);
		mt_link_resume(link);
	}
}

static void complete(struct mt *mt, struct mt_link *link,
		     const struct local_msg *msg)
{
	struct local_msg ack = {
		.type = LOCAL_COMPLETE_ACK, .has_id = true, .id = msg->id,
	};
	const char *fqdn = naf_listed(mt, msg->naf_id);
	uint8_t naf_id[STORE_NAF_ID_MAX];
	int len = mt_naf_id(naf_id, fqdn ? fqdn : msg->naf_id);
	int ret = len < 0 ? -EINVAL :
		store_mt_key_complete(mt->daemon->store, msg->btid, naf_id,
				      (size_t)len, msg->device_id);

	if (ret == -ENOENT || ret == -EINVAL) {
		mt_link_error(link, msg, LOCAL_ERR_UNKNOWN_KEY,
			      "no key of this B-TID, NAF-ID and Device_ID");
		return;
	}
	if (ret) {
		mt_link_error(link, msg, LOCAL_ERR_INTERNAL,
			      "the store failed");
		return;
	}
	mt->counters.completed++;
	log_msg(LOG_LEVEL_INFO, ROLE, "ks-local-completed",
		"peer=%s btid=%s naf=%s device=%s", link->peer, msg->btid,
		msg->naf_id, msg->device_id);
	mt_link_send(link, &ack);
}

_Static_assert(MT_WATCHES_PER_LINK == 4 && MT_WATCHES_MAX == 32,
	       "the too-many-watches detail names the caps");

/* A rekey-watch: held (no answer), or refused. */
static void watch(struct mt *mt, struct mt_link *link,
		  const struct local_msg *msg)
{
	const char *fqdn = naf_listed(mt, msg->naf_id);
	struct mt_plan_in in = {
		.type = LOCAL_REKEY_WATCH,
		.naf_listed = fqdn != NULL,
		.watches = mt->n_watches,
		.link_watches = mt_watch_count(mt, link),
	};

	switch (mt_plan_message(&in)) {
	case MT_HOLD_WATCH:
		if (mt_watch_add(mt, link, msg, fqdn))
			mt_link_error(link, msg, LOCAL_ERR_INTERNAL,
				      "out of memory");
		break;
	case MT_REFUSE_UNKNOWN_NAF:
		mt_link_error(link, msg, LOCAL_ERR_UNKNOWN_NAF,
			      "not a NAF Key Centre of this MT");
		break;
	default:
		mt_link_error(link, msg, LOCAL_ERR_WATCHES,
			      "at most 4 watches a link, 32 in all");
		break;
	}
}

bool mt_request_handle(struct mt *mt, struct mt_link *link,
		       const struct local_msg *msg)
{
	struct mt_plan_in in = { .type = msg->type };

	if (msg->type == LOCAL_REKEY_WATCH) {
		watch(mt, link, msg);
		return false;
	}
	switch (mt_plan_message(&in)) {
	case MT_ANSWER_NAF_IDS:
		answer_naf_ids(mt, link, msg);
		return false;
	case MT_COMPLETE:
		complete(mt, link, msg);
		return false;
	case MT_REFUSE_UNEXPECTED:
		mt_link_error(link, msg, LOCAL_ERR_UNEXPECTED,
			      "the MT answers this message, it does not take it");
		return false;
	default:
		return btid_request(mt, link, msg, false);
	}
}

void mt_request_cancel(struct mt *mt)
{
	ue_bootstrap_free(mt->bootstrap);
	mt->bootstrap = NULL;
	mt_bootstrap_ended(mt);
}
