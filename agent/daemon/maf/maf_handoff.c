// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's keys handed to an application's uid, see maf_handoff.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/log.h"
#include "kernel/user_key_handoff.h"
#include "maf_handoff.h"

#define ROLE	"maf"
#define PERSISTENT_EXPIRY_FILE	"/proc/sys/kernel/keys/persistent_keyring_expiry"

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

/* key_id NULL: the keyring's renewal, of no key. */
static void failed(struct maf *maf, uint32_t uid, const char *key_id,
		   const struct user_key_handoff *r)
{
	struct log_line line;

	maf->counters.handoff_failed++;
	if (log_begin(&line, LOG_LEVEL_WARNING, ROLE, "handoff-failed")) {
		if (key_id)
			log_str(&line, maf_key_id_name(maf), key_id);
		log_u64(&line, "uid", uid);
		log_str(&line, "step", r->step);
		log_str(&line, "error", strerror(r->err));
		log_end(&line);
	}
}

static void done(struct maf *maf, const char *event, uint32_t uid,
		 const char *key_id, key_serial_t serial)
{
	struct log_line line;

	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, event)) {
		if (key_id)
			log_str(&line, maf_key_id_name(maf), key_id);
		log_u64(&line, "uid", uid);
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
		failed(maf, h->uid, km->pub.km_id, &r);
	} else {
		maf->counters.handed++;
		done(maf, "km-handed", h->uid, km->pub.km_id, r.serial);
	}
}

/* key_id's key taken back from uid (as uid:gid): 0, or failed (logged). */
static int take(struct maf *maf, uint32_t uid, uint32_t gid,
		const char *key_id)
{
	char desc[sizeof(MAF_HANDOFF_DESC_PREFIX) + ONEM2M_KEY_ID_MAX];
	struct user_key_handoff r;

	set_desc(desc, sizeof(desc), key_id);
	if (user_key_handoff_take((uid_t)uid, (gid_t)gid, desc, &r)) {
		failed(maf, uid, key_id, &r);
		return -1;
	}
	if (r.serial)
		done(maf, "km-withdrawn", uid, key_id, r.serial);
	return 0;
}

void maf_handoff_take(struct maf *maf, const char *key_id)
{
	const struct config_maf_handoff *h = &maf->conf->handoff;

	if (h->line)
		take(maf, h->uid, handoff_gid(h), key_id);
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

/* The live rows' ids into l (l->ids allocated): 0, or logged. */
static int live_ids(struct maf *maf, struct live_ids *l)
{
	int ret;

	l->ids = calloc(MAF_KMS_MAX, sizeof(l->ids[0]));
	if (!l->ids) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "handoff-failed",
			"restoring the keys: out of memory");
		return -ENOMEM;
	}
	ret = store_onem2m_km_list(maf->daemon->store, collect, l);
	if (ret)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"listing Kms for the hand-off: %s",
			store_strerror(ret));
	return ret;
}

/*
 * The uid the live keys were handed to before this start (the store's
 * record): 0 with *was set, -ENOENT when none (or unreadable: logged).
 */
static int previous(struct maf *maf, struct store_onem2m_handoff *was)
{
	int ret = store_onem2m_handoff_get(maf->daemon->store, was);

	if (ret && ret != -ENOENT) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"the hand-off record: %s", store_strerror(ret));
		ret = -ENOENT;
	}
	return ret;
}

/* The record, after the old uid's keys are gone: now's uid, or none. */
static void record(struct maf *maf, const struct config_maf_handoff *h)
{
	struct store_onem2m_handoff now = { h->uid, 0 };
	int ret;

	if (h->line) {
		now.gid = (uint32_t)handoff_gid(h);
		ret = store_onem2m_handoff_set(maf->daemon->store, &now);
	} else {
		ret = store_onem2m_handoff_clear(maf->daemon->store);
	}
	if (ret)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"recording the hand-off: %s", store_strerror(ret));
}

void maf_handoff_restore(struct maf *maf)
{
	const struct config_maf_handoff *h = &maf->conf->handoff;
	struct live_ids l = { NULL, 0, (int64_t)time(NULL) };
	struct store_onem2m_handoff was;
	bool had = previous(maf, &was) == 0, taken = true;
	struct store_onem2m_km km;
	size_t i;

	if (!h->line && !had)
		return;
	if (live_ids(maf, &l)) {
		free(l.ids);
		return;
	}
	/* Another uid (or none) now: the old uid's keys go first. */
	if (had && (!h->line || was.uid != h->uid))
		for (i = 0; i < l.n; i++)
			if (take(maf, was.uid, was.gid, l.ids[i]))
				taken = false;
	/* A take that failed keeps the old record: the next start retries. */
	if (taken && (!had || !h->line || was.uid != h->uid ||
		      was.gid != (uint32_t)handoff_gid(h)))
		record(maf, h);
	for (i = 0; h->line && i < l.n; i++) {
		if (maf_km_find(maf, l.ids[i], &km) == 0)
			maf_handoff_give(maf, &km, l.now);
		store_onem2m_km_wipe(&km);
	}
	free(l.ids);
}

/*
 * The renewal's period: MAF_HANDOFF_RENEW_SECONDS, or half the kernel's
 * persistent_keyring_expiry when that is shorter (read at each tick, a
 * file of the kernel's: nothing per request).
 */
static int64_t renew_period(void)
{
	FILE *f = fopen(PERSISTENT_EXPIRY_FILE, "r");
	long long expiry = 0;

	if (f) {
		if (fscanf(f, "%lld", &expiry) != 1)
			expiry = 0;
		fclose(f);
	}
	if (expiry >= 2 && expiry / 2 < MAF_HANDOFF_RENEW_SECONDS)
		return expiry / 2;
	return MAF_HANDOFF_RENEW_SECONDS;
}

void maf_handoff_renew(struct maf *maf, int64_t now)
{
	const struct config_maf_handoff *h = &maf->conf->handoff;
	struct user_key_handoff r;

	if (!h->line || (maf->keyring_renewed &&
			 now - maf->keyring_renewed < renew_period()))
		return;
	/* Failed or not, the next try when due again: one warning a period. */
	maf->keyring_renewed = now;
	if (user_key_handoff_renew((uid_t)h->uid, handoff_gid(h), &r)) {
		failed(maf, h->uid, NULL, &r);
		return;
	}
	maf->counters.keyring_renewals++;
	done(maf, "keyring-renewed", h->uid, NULL, r.serial);
}
