// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's keys handed to an application's uid, see maf_handoff.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/log.h"
#include "kernel/user_key_handoff.h"
#include "maf_handoff.h"

#define ROLE	"maf"

/* The group the child takes: handoff.gid, or the uid's primary group. */
static gid_t handoff_gid(const struct config_maf_handoff *h)
{
	return h->gid != MAF_HANDOFF_GID_PASSWD ? (gid_t)h->gid :
	       user_key_handoff_gid((uid_t)h->uid);
}

/* The description of key_id's key: the Enrolee's handoff gives the same. */
static void set_desc(char *desc, size_t size, const char *key_id)
{
	snprintf(desc, size, MAF_HANDOFF_DESC_PREFIX "%s", key_id);
}

static void failed(struct maf *maf, const char *key_id,
		   const struct user_key_handoff *r)
{
	struct log_line line;

	maf->counters.handoff_failed++;
	if (log_begin(&line, LOG_LEVEL_WARNING, ROLE, "handoff-failed")) {
		log_str(&line, maf_key_id_name(maf), key_id);
		log_u64(&line, "uid", maf->conf->handoff.uid);
		log_str(&line, "step", r->step);
		log_str(&line, "error", strerror(r->err));
		log_end(&line);
	}
}

static void done(struct maf *maf, const char *event, const char *key_id,
		 key_serial_t serial)
{
	struct log_line line;

	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, event)) {
		log_str(&line, maf_key_id_name(maf), key_id);
		log_u64(&line, "uid", maf->conf->handoff.uid);
		log_int(&line, "serial", serial);
		log_end(&line);
	}
}

void maf_handoff_give(struct maf *maf, const struct store_onem2m_km *km,
		      int64_t now)
{
	const struct config_maf_handoff *h = &maf->conf->handoff;
	int64_t left = km->pub.expires - now;
	char desc[sizeof(MAF_HANDOFF_DESC_PREFIX) + ONEM2M_KEY_ID_MAX];
	struct user_key_handoff r;

	if (!h->line || left <= 0)
		return;
	set_desc(desc, sizeof(desc), km->pub.km_id);
	if (user_key_handoff_give((uid_t)h->uid, handoff_gid(h), desc, km->km,
				  sizeof(km->km), left > UINT_MAX ? UINT_MAX :
				  (unsigned int)left, &r)) {
		failed(maf, km->pub.km_id, &r);
	} else {
		maf->counters.handed++;
		done(maf, "km-handed", km->pub.km_id, r.serial);
	}
}

void maf_handoff_take(struct maf *maf, const char *key_id)
{
	const struct config_maf_handoff *h = &maf->conf->handoff;
	char desc[sizeof(MAF_HANDOFF_DESC_PREFIX) + ONEM2M_KEY_ID_MAX];
	struct user_key_handoff r;

	if (!h->line)
		return;
	set_desc(desc, sizeof(desc), key_id);
	if (user_key_handoff_take((uid_t)h->uid, handoff_gid(h), desc, &r))
		failed(maf, key_id, &r);
	else if (r.serial)
		done(maf, "km-withdrawn", key_id, r.serial);
}

struct replaced {
	const struct store_onem2m_km_info *info;
	char *gone;
	size_t size;
};

static int find_replaced(const struct store_onem2m_km_info *row, void *arg)
{
	struct replaced *s = arg;

	if (!strcmp(row->ke_id, s->info->ke_id) &&
	    !strcmp(row->enrolee_id, s->info->enrolee_id) &&
	    strcmp(row->km_id, s->info->km_id))
		snprintf(s->gone, s->size, "%s", row->km_id);
	return 0;
}

void maf_handoff_replaced(struct maf *maf,
			  const struct store_onem2m_km_info *info,
			  char *gone, size_t size)
{
	struct replaced s = { info, gone, size };

	*gone = '\0';
	if (maf->conf->handoff.line &&
	    store_onem2m_km_list(maf->daemon->store, find_replaced, &s))
		*gone = '\0';
}

/* The live rows' ids, collected first: no store call inside the list. */
struct live_ids {
	char (*ids)[STORE_ONEM2M_KE_ID_MAX + 1];
	size_t n;
	int64_t now;
};

static int collect(const struct store_onem2m_km_info *row, void *arg)
{
	struct live_ids *l = arg;

	if (row->expires <= l->now || l->n == MAF_KMS_MAX)
		return 0;
	snprintf(l->ids[l->n++], sizeof(l->ids[0]), "%s", row->km_id);
	return 0;
}

void maf_handoff_restore(struct maf *maf)
{
	struct live_ids l = { NULL, 0, (int64_t)time(NULL) };
	struct store_onem2m_km km;
	size_t i;
	int ret;

	if (!maf->conf->handoff.line)
		return;
	l.ids = calloc(MAF_KMS_MAX, sizeof(l.ids[0]));
	if (!l.ids) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "handoff-failed",
			"restoring the keys: out of memory");
		return;
	}
	ret = store_onem2m_km_list(maf->daemon->store, collect, &l);
	if (ret)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"listing Kms for the hand-off: %s",
			store_strerror(ret));
	for (i = 0; !ret && i < l.n; i++) {
		if (maf_km_find(maf, l.ids[i], &km) == 0)
			maf_handoff_give(maf, &km, l.now);
		store_onem2m_km_wipe(&km);
	}
	free(l.ids);
}
