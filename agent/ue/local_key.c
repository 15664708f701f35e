// SPDX-License-Identifier: GPL-2.0
/*
 * A remote device establishes its Ks_local, see local_key.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "crypto/fc.h"
#include "crypto/gba.h"
#include "kernel/ks_local_key.h"
#include "local_client.h"
#include "local_key.h"

#define DESCRIPTION_MAX	(32 + STORE_DEVICE_ID_MAX + STORE_BTID_MAX + \
			 DNS_NAME_MAX)

/* One run: what it needs besides conf and result. */
struct run {
	const struct local_key_conf *conf;
	struct store *store;
	int64_t now;
	struct local_key_result *result;
	struct local_client mt;
	struct store_remote_key_info rows[LOCAL_KEY_ROWS_MAX];
	bool in_keyring[LOCAL_KEY_ROWS_MAX];
	size_t n_rows;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct run *run, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->result->why, sizeof(run->result->why), fmt, ap);
	va_end(ap);
	return run->result->error = error;
}

/* ---- the store and the keyring ------------------------------------------ */

static int collect_row(const struct store_remote_key_info *info, void *arg)
{
	struct run *run = arg;

	if (strcmp(info->device_id, run->conf->plan.device_id) ||
	    run->n_rows == LOCAL_KEY_ROWS_MAX)
		return 0;
	run->rows[run->n_rows] = *info;
	/* A key revoked, expired or gone cannot be described. */
	run->in_keyring[run->n_rows] = info->key_serial > 0 &&
		keyctl_describe(info->key_serial, NULL, 0) > 0;
	run->n_rows++;
	return 0;
}

static int read_rows(struct run *run)
{
	int ret = store_remote_key_list(run->store, collect_row, run);

	if (ret < 0)
		return fail(run, ret, "the device's store: %s",
			    store_errmsg(run->store));
	return 0;
}

int local_key_install(key_serial_t ring, const struct store_remote_key *k,
		      const char *naf_fqdn, int64_t now, int32_t *serial)
{
	struct ks_local_key key = {
		.kind = strcmp(k->pub.label, LABEL_KS_LOCAL_MT) ?
			E2M_KS_LOCAL_DEVICE : E2M_KS_LOCAL_MT,
		.btid = k->pub.btid,
		.naf_id = k->pub.naf_id,
		.naf_id_len = k->pub.naf_id_len,
		.device_id = k->pub.device_id,
		.key = k->key,
		.lifetime = local_key_plan_lifetime(k->pub.expires, now),
	};
	char description[DESCRIPTION_MAX];
	key_serial_t added = 0;
	int ret;

	snprintf(description, sizeof(description),
		 "e2m-device device:%s btid:%s naf:%s", k->pub.device_id,
		 k->pub.btid, naf_fqdn);
	ret = ks_local_key_add(ring, description, &key, &added);
	*serial = ret ? 0 : (int32_t)added;
	return ret;
}

static int install(struct run *run, struct store_remote_key *k)
{
	int32_t serial;
	int ret = local_key_install(run->conf->keyring, k,
				    run->result->naf_fqdn, run->now, &serial);

	if (ret == -ENODEV)
		return fail(run, ret,
			    "the e2m module is not loaded: no ks_local key type (--no-kernel keeps the key in the store only)");
	if (ret)
		return fail(run, ret, "adding the ks_local key: %s",
			    strerror(-ret));
	k->pub.key_serial = serial;
	run->result->installed = true;
	return 0;
}

/* Revokes a key this run replaced; one gone already is fine. */
static void revoke_replaced(int32_t old, int32_t now_in_use)
{
	if (old > 0 && old != now_in_use)
		ks_local_key_revoke(old);
}

/* ---- the MT -------------------------------------------------------------- */

static int open_mt(struct run *run)
{
	const struct local_key_conf *conf = run->conf;
	char why[LOCAL_KEY_WHY_MAX];
	int ret;

	ret = local_client_open(&run->mt, conf->mt_host, conf->mt_port,
				conf->timeout, why, sizeof(why));
	return ret ? fail(run, ret, "%s", why) : 0;
}

/* Sends req, the answer into answer if it is the one: 0 or -errno. */
static int ask_mt(struct run *run, struct local_msg *req,
		  struct local_msg *answer)
{
	char why[LOCAL_KEY_WHY_MAX];
	int ret;

	ret = local_client_ask(&run->mt, req, answer, why, sizeof(why));
	if (!ret)
		ret = local_key_plan_mt_answer(req, answer, why, sizeof(why));
	return ret ? fail(run, ret, "%s", why) : 0;
}

/* Step 18, then the row marked. */
static int notify_mt(struct run *run, struct store_remote_key *k)
{
	struct local_msg req = { .type = LOCAL_COMPLETE }, answer;
	int ret;

	snprintf(req.btid, sizeof(req.btid), "%s", k->pub.btid);
	snprintf(req.naf_id, sizeof(req.naf_id), "%s", run->result->naf_fqdn);
	snprintf(req.device_id, sizeof(req.device_id), "%s",
		 k->pub.device_id);
	ret = ask_mt(run, &req, &answer);
	if (ret) {
		char why[LOCAL_KEY_WHY_MAX];

		snprintf(why, sizeof(why), "%s", run->result->why);
		return fail(run, ret,
			    "the key is stored, but the completion notice failed: %.*s",
			    LOCAL_KEY_WHY_MAX - 64, why);
	}
	run->result->notified = true;
	k->pub.completed = 1;
	ret = store_remote_key_complete(run->store, k->pub.device_id,
					k->pub.naf_id, k->pub.naf_id_len);
	if (ret)
		return fail(run, ret, "marking the key completed: %s",
			    store_errmsg(run->store));
	return 0;
}

/* ---- a stored key ------------------------------------------------------- */

static int use_stored(struct run *run, const struct local_key_start *start)
{
	const struct store_remote_key_info *row = &run->rows[start->row];
	struct store_remote_key *k = &run->result->key;
	int ret;

	run->result->how = LOCAL_KEY_STORED;
	ret = store_remote_key_get(run->store, row->device_id, row->naf_id,
				   row->naf_id_len, k);
	if (ret)
		return fail(run, ret, "the stored key: %s",
			    store_errmsg(run->store));
	local_key_naf_fqdn(k->pub.naf_id, k->pub.naf_id_len,
			   run->result->naf_fqdn);
	/* Its old serial names no live key: nothing to revoke. */
	if (start->install) {
		ret = install(run, k);
		if (ret)
			return ret;
		ret = store_remote_key_put(run->store, k);
		if (ret) {
			revoke_replaced(k->pub.key_serial, 0);
			return fail(run, ret, "storing the key's serial: %s",
				    store_errmsg(run->store));
		}
	}
	if (start->notify) {
		ret = open_mt(run);
		if (!ret)
			ret = notify_mt(run, k);
	}
	return ret;
}

/* ---- steps 2-17 ---------------------------------------------------------- */

/* Steps 2-4: the NAF-ID to ask for into fqdn. */
static int choose_naf_id(struct run *run, const struct local_key_start *start,
			 char fqdn[DNS_NAME_MAX + 1])
{
	struct local_msg req = { .type = LOCAL_NAF_ID_LIST_REQUEST }, list;
	int ret, i;

	if (start->first == LOCAL_KEY_REQUEST_BTID) {
		snprintf(fqdn, DNS_NAME_MAX + 1, "%s", start->naf_id);
		return 0;
	}
	run->result->asked_naf_ids = true;
	ret = ask_mt(run, &req, &list);
	if (ret)
		return ret;
	i = local_key_plan_pick(&run->conf->plan, &list);
	if (i < 0)
		return fail(run, -ENOENT,
			    "none of the MT's %zu NAF-IDs is a Key Centre of this device",
			    list.n_naf_ids);
	snprintf(fqdn, DNS_NAME_MAX + 1, "%s", list.naf_ids[i]);
	return 0;
}

/* Steps 5-9: the B-TID into btid, the MT's spelling of fqdn into it. */
static int request_btid(struct run *run, char fqdn[DNS_NAME_MAX + 1],
			char btid[STORE_BTID_MAX + 1])
{
	struct local_msg req = { .type = LOCAL_BTID_REQUEST }, answer;
	int ret;

	snprintf(req.naf_id, sizeof(req.naf_id), "%s", fqdn);
	snprintf(req.device_id, sizeof(req.device_id), "%s",
		 run->conf->plan.device_id);
	ret = ask_mt(run, &req, &answer);
	if (ret)
		return ret;
	snprintf(fqdn, DNS_NAME_MAX + 1, "%s", answer.naf_id);
	snprintf(btid, STORE_BTID_MAX + 1, "%s", answer.btid);
	run->result->has_mt_key_id = answer.has_key_id;
	run->result->mt_key_id = answer.key_id;
	return 0;
}

/* Where the Key Centre of fqdn is reached. */
static void centre_of(const struct local_key_conf *conf, const char *fqdn,
		      struct nafkc_client_conf *tls)
{
	size_t i;

	tls->host = fqdn;
	tls->port = LOCAL_KEY_KC_PORT;
	for (i = 0; i < conf->plan.n_naf_ids; i++) {
		const struct local_key_centre *c = &conf->centres[i];

		if (strcasecmp(c->naf_id, fqdn))
			continue;
		if (c->host)
			tls->host = c->host;
		if (c->port)
			tls->port = c->port;
		return;
	}
}

/* Steps 10-16: the key and its end into result->key. */
static int ask_key_centre(struct run *run, const char *fqdn, const char *btid)
{
	const struct local_key_conf *conf = run->conf;
	struct store_remote_key *k = &run->result->key;
	struct nafkc_client_conf tls = conf->tls;
	struct nafkc_client_result kc = { 0 };
	struct ks_local_request req = { 0 };
	struct ks_local_response resp = { 0 };
	static const uint8_t ua_id[GBA_UA_ID_LEN] = UA_ID_NAFKC;
	char why[LOCAL_KEY_WHY_MAX];
	int len, ret;

	len = gba_naf_id(k->pub.naf_id, sizeof(k->pub.naf_id), fqdn, ua_id);
	if (len < 0)
		return fail(run, len, "NAF-ID %s: too long", fqdn);
	k->pub.naf_id_len = (size_t)len;
	snprintf(req.btid, sizeof(req.btid), "%s", btid);
	snprintf(req.device_id, sizeof(req.device_id), "%s",
		 conf->plan.device_id);
	snprintf(req.label, sizeof(req.label), "%s", conf->plan.label);
	centre_of(conf, fqdn, &tls);
	tls.identity = req.device_id;
	ret = nafkc_client_request(&tls, &req, &resp, &kc);
	snprintf(run->result->protocol, sizeof(run->result->protocol), "%s",
		 kc.protocol);
	snprintf(run->result->cipher, sizeof(run->result->cipher), "%s",
		 kc.cipher);
	if (ret == -EPERM)
		ret = fail(run, ret, "the Key Centre %s refused the service request: %s",
			   fqdn, kc.why);
	else if (ret)
		ret = fail(run, ret, "the Key Centre %s: %s", fqdn, kc.why);
	else if (local_key_plan_kc_answer(&req, k->pub.naf_id,
					  k->pub.naf_id_len, &resp, run->now,
					  &k->pub.expires, why, sizeof(why)))
		ret = fail(run, -EPROTO, "%s", why);
	if (!ret) {
		memcpy(k->key, resp.ks_local, sizeof(k->key));
		snprintf(k->pub.btid, sizeof(k->pub.btid), "%s", btid);
		snprintf(k->pub.device_id, sizeof(k->pub.device_id), "%s",
			 conf->plan.device_id);
		snprintf(k->pub.label, sizeof(k->pub.label), "%s",
			 conf->plan.label);
		k->pub.created = run->now;
	}
	ks_local_response_wipe(&resp);
	return ret;
}

/* The row of k's Device_ID and NAF_Id read at the start, or -1. */
static int old_row(const struct run *run, const struct store_remote_key *k)
{
	size_t i;

	for (i = 0; i < run->n_rows; i++)
		if (run->rows[i].naf_id_len == k->pub.naf_id_len &&
		    !memcmp(run->rows[i].naf_id, k->pub.naf_id,
			    k->pub.naf_id_len))
			return (int)i;
	return -1;
}

/*
 * The serial of the live key of the row this key replaces, 0 for none: a
 * serial whose key is gone may name another key by now.
 */
static int32_t replaced_serial(const struct run *run,
			       const struct store_remote_key *k)
{
	int i = old_row(run, k);

	return i >= 0 && run->in_keyring[i] ? run->rows[i].key_serial : 0;
}

/* Whether the stored key of row i has k's bytes: constant time. */
static bool same_bytes(struct run *run, size_t i,
		       const struct store_remote_key *k)
{
	const struct store_remote_key_info *row = &run->rows[i];
	struct store_remote_key *old = calloc(1, sizeof(*old));
	bool same = false;

	if (old && !store_remote_key_get(run->store, row->device_id,
					 row->naf_id, row->naf_id_len, old))
		same = !CRYPTO_memcmp(old->key, k->key, sizeof(k->key));
	if (old)
		OPENSSL_cleanse(old, sizeof(*old));
	free(old);
	return same;
}

/*
 * The bytes of the stored key again: that key kept, its expiry moved to
 * k's end (local_key_plan_keep()). True when it was; false: add a key.
 */
static bool extend(struct run *run, struct store_remote_key *k)
{
	int i = old_row(run, k);
	struct local_key_keep_in in = {
		.kernel = run->conf->plan.kernel,
		.old_btid = i < 0 ? NULL : run->rows[i].btid,
		.new_btid = k->pub.btid,
		.old_serial = i < 0 ? 0 : run->rows[i].key_serial,
		.old_alive = i >= 0 && run->in_keyring[i],
	};

	/* The key is read (and unsealed) only for a row of that B-TID. */
	in.same_bytes = i >= 0 && !strcmp(in.old_btid, in.new_btid) &&
			same_bytes(run, (size_t)i, k);
	if (local_key_plan_keep(&in) != LOCAL_KEY_EXTEND)
		return false;
	/* Gone since it was read: a key is added after all. */
	if (ks_local_key_set_expiry(in.old_serial,
				    local_key_plan_lifetime(k->pub.expires,
							    run->now)))
		return false;
	k->pub.key_serial = in.old_serial;
	run->result->extended = true;
	return true;
}

/*
 * Step 17: the keyring first (a new key, or the stored one's expiry
 * moved), then the store, then the old key out.
 */
static int keep_key(struct run *run)
{
	struct store_remote_key *k = &run->result->key;
	int ret = 0;

	if (run->conf->plan.kernel && !extend(run, k))
		ret = install(run, k);
	if (ret)
		return ret;
	ret = store_remote_key_put(run->store, k);
	if (ret) {
		/* A kept key stays: its old row still names it. */
		if (run->result->installed)
			revoke_replaced(k->pub.key_serial, 0);
		run->result->installed = false;
		return fail(run, ret, "storing the key: %s",
			    store_errmsg(run->store));
	}
	if (run->conf->keep_replaced) {
		int32_t old = replaced_serial(run, k);

		run->result->replaced = old != k->pub.key_serial ? old : 0;
	} else {
		revoke_replaced(replaced_serial(run, k), k->pub.key_serial);
	}
	return 0;
}

static int establish(struct run *run, const struct local_key_start *start)
{
	char fqdn[DNS_NAME_MAX + 1], btid[STORE_BTID_MAX + 1];
	int ret;

	run->result->how = LOCAL_KEY_ESTABLISHED;
	ret = open_mt(run);
	if (!ret)
		ret = choose_naf_id(run, start, fqdn);
	if (!ret)
		ret = request_btid(run, fqdn, btid);
	if (!ret) {
		snprintf(run->result->naf_fqdn, sizeof(run->result->naf_fqdn),
			 "%s", fqdn);
		ret = ask_key_centre(run, fqdn, btid);
	}
	if (!ret)
		ret = keep_key(run);
	if (!ret)
		ret = notify_mt(run, &run->result->key);
	return ret;
}

int local_key_establish(const struct local_key_conf *conf,
			struct store *store, int64_t now,
			struct local_key_result *result)
{
	struct run *run = calloc(1, sizeof(*run));
	struct local_key_start start;
	int ret;

	memset(result, 0, sizeof(*result));
	if (!run) {
		snprintf(result->why, sizeof(result->why), "out of memory");
		return result->error = -ENOMEM;
	}
	*run = (struct run){
		.conf = conf, .store = store, .now = now, .result = result,
		.mt = { .fd = -1 },
	};
	ret = read_rows(run);
	if (!ret) {
		local_key_plan_start(&conf->plan, run->rows, run->in_keyring,
				     run->n_rows, now, &start);
		ret = start.first == LOCAL_KEY_USE_STORED ?
		      use_stored(run, &start) : establish(run, &start);
	}
	local_client_close(&run->mt);
	OPENSSL_cleanse(run, sizeof(*run));
	free(run);
	return ret;
}

void local_key_result_wipe(struct local_key_result *result)
{
	OPENSSL_cleanse(result, sizeof(*result));
}
