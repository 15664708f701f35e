// SPDX-License-Identifier: GPL-2.0
/*
 * A remote device's local key establishment without a network or a
 * kernel: its decisions (ue/local_key_plan.h, every row: a stored key or
 * the procedure, the NAF-ID it takes, the MT's and the Key Centre's
 * answers judged, the key's lifetime in the keyring, a key of the same
 * bytes kept rather than added) and its table in
 * the store (sealed, one row per (Device_ID, NAF_Id),
 * completion, removal, the list without keys, the migration of a
 * version 6 store).
 */
#include <errno.h>
#include <linux/e2m.h>
#include <sqlite3.h>

#include "tap.h"
#include "store_fixture.h"
#include "crypto/fc.h"
#include "crypto/gba.h"
#include "ue/local_key_plan.h"

#define BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define BTID2	"AAAAAAAAAAAAAAAAAAAAAA==@bsf.home1.net"
#define DEVICE	"imei:490154203237518"
#define DEVICE2	"imei:356938035643809"
#define NOW	100000

static struct store_key key;

static void row_for(struct store_remote_key_info *row, const char *device,
		    const char *fqdn, int64_t expires, int32_t serial,
		    bool completed)
{
	static const uint8_t ua_id[GBA_UA_ID_LEN] = UA_ID_NAFKC;
	int len;

	memset(row, 0, sizeof(*row));
	snprintf(row->device_id, sizeof(row->device_id), "%s", device);
	len = gba_naf_id(row->naf_id, sizeof(row->naf_id), fqdn, ua_id);
	row->naf_id_len = len > 0 ? (size_t)len : 0;
	snprintf(row->btid, sizeof(row->btid), "%s", BTID);
	snprintf(row->label, sizeof(row->label), "%s", LABEL_KS_LOCAL_DEVICE);
	row->created = NOW - 100;
	row->expires = expires;
	row->key_serial = serial;
	row->completed = completed;
}

static const char *const own2[] = { "kc2.test", "nafkc.test" };

static struct local_key_plan_conf conf_with(size_t n_own, bool ask_mt,
					    bool kernel, bool renew)
{
	return (struct local_key_plan_conf){
		.device_id = DEVICE, .label = LABEL_KS_LOCAL_DEVICE,
		.naf_ids = own2, .n_naf_ids = n_own, .ask_mt = ask_mt,
		.kernel = kernel, .renew = renew,
	};
}

static void test_start(void)
{
	struct local_key_plan_conf conf = conf_with(0, false, true, false);
	struct store_remote_key_info rows[4];
	bool alive[4] = { true, true, true, true };
	struct local_key_start s;

	local_key_plan_start(&conf, NULL, NULL, 0, NOW, &s);
	ok(s.first == LOCAL_KEY_ASK_NAF_IDS && !s.naf_id,
	   "start: nothing stored, no own NAF-ID: ask the MT's list (step 2)");
	conf = conf_with(2, false, true, false);
	local_key_plan_start(&conf, NULL, NULL, 0, NOW, &s);
	ok(s.first == LOCAL_KEY_REQUEST_BTID && !strcmp(s.naf_id, "kc2.test"),
	   "start: nothing stored, own NAF-IDs: B-TID request for the first (step 2 skipped)");
	conf = conf_with(2, true, true, false);
	local_key_plan_start(&conf, NULL, NULL, 0, NOW, &s);
	ok(s.first == LOCAL_KEY_ASK_NAF_IDS,
	   "start: own NAF-IDs and ask_mt: ask the MT's list");

	row_for(&rows[0], DEVICE, "nafkc.test", NOW + 3600, 5, true);
	conf = conf_with(0, false, true, false);
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED && s.row == 0 && !s.install &&
	   !s.notify,
	   "start: a stored key, in the keyring, completed: use it, nothing else (seed 001 8.1)");
	alive[0] = false;
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED && s.install && !s.notify,
	   "start: its ks_local key gone: install it again");
	local_key_plan_start(&conf, rows, NULL, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED && s.install,
	   "start: no keyring knowledge: install it");
	conf = conf_with(0, false, false, false);
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED && !s.install,
	   "start: no kernel wanted: nothing to install");
	rows[0].completed = 0;
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED && s.notify,
	   "start: the MT never acknowledged step 18: send it again");
	conf = conf_with(0, false, true, true);
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_ASK_NAF_IDS, "start: renew: never the stored key");

	conf = conf_with(0, false, true, false);
	row_for(&rows[0], DEVICE, "nafkc.test", NOW + LOCAL_KEY_LIFETIME_MIN,
		5, true);
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED,
	   "start: %d s left is enough", LOCAL_KEY_LIFETIME_MIN);
	rows[0].expires--;
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_ASK_NAF_IDS,
	   "start: %d s left is not: the procedure",
	   LOCAL_KEY_LIFETIME_MIN - 1);
	row_for(&rows[0], DEVICE2, "nafkc.test", NOW + 3600, 5, true);
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_ASK_NAF_IDS,
	   "start: a key of another Device_ID is not used");
	row_for(&rows[0], DEVICE, "nafkc.test", NOW + 3600, 5, true);
	snprintf(rows[0].label, sizeof(rows[0].label), LABEL_KS_LOCAL_MT);
	local_key_plan_start(&conf, rows, alive, 1, NOW, &s);
	ok(s.first == LOCAL_KEY_ASK_NAF_IDS,
	   "start: a key of another label is not used");

	/* Newest first: rows[0] is the newest. */
	row_for(&rows[0], DEVICE, "other.test", NOW + 3600, 7, true);
	row_for(&rows[1], DEVICE, "NAFKC.test", NOW + 3600, 8, true);
	row_for(&rows[2], DEVICE, "kc2.test", NOW + 30, 9, true);
	local_key_plan_start(&conf, rows, alive, 3, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED && s.row == 0,
	   "start: no own NAF-ID: the newest usable row");
	conf = conf_with(2, false, true, false);
	local_key_plan_start(&conf, rows, alive, 3, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED && s.row == 1,
	   "start: own NAF-IDs: kc2.test's key too short, nafkc.test's (any case) used");
	rows[2].expires = NOW + 3600;
	local_key_plan_start(&conf, rows, alive, 3, NOW, &s);
	ok(s.first == LOCAL_KEY_USE_STORED && s.row == 2,
	   "start: own NAF-IDs: the first in the device's order wins");
	conf = conf_with(1, false, true, false);
	rows[2].expires = NOW;
	local_key_plan_start(&conf, rows, alive, 3, NOW, &s);
	ok(s.first == LOCAL_KEY_REQUEST_BTID && !strcmp(s.naf_id, "kc2.test"),
	   "start: none for the own NAF-IDs (other.test's is not one): request kc2.test");
}

static void test_pick(void)
{
	struct local_key_plan_conf conf = conf_with(0, true, true, false);
	struct local_msg list = { .type = LOCAL_NAF_ID_LIST, .n_naf_ids = 3 };

	snprintf(list.naf_ids[0], sizeof(list.naf_ids[0]), "kc3.test");
	snprintf(list.naf_ids[1], sizeof(list.naf_ids[1]), "NAFKC.test");
	snprintf(list.naf_ids[2], sizeof(list.naf_ids[2]), "kc2.test");
	ok(local_key_plan_pick(&conf, &list) == 0,
	   "pick: no own NAF-ID: the MT's first");
	conf = conf_with(2, true, true, false);
	ok(local_key_plan_pick(&conf, &list) == 1,
	   "pick: the MT's first the device can use (MT's order, any case)");
	conf.naf_ids = own2;
	conf.n_naf_ids = 1;
	ok(local_key_plan_pick(&conf, &list) == 2,
	   "pick: kc2.test alone: the MT's third");
	list.n_naf_ids = 2;
	ok(local_key_plan_pick(&conf, &list) == -ENOENT,
	   "pick: none of the MT's is the device's: -ENOENT");
	list.n_naf_ids = 0;
	conf.n_naf_ids = 0;
	ok(local_key_plan_pick(&conf, &list) == -ENOENT,
	   "pick: an empty list: -ENOENT");
	list.type = LOCAL_BTID;
	list.n_naf_ids = 3;
	ok(local_key_plan_pick(&conf, &list) == -ENOENT,
	   "pick: not a list: -ENOENT");
}

static void test_mt_answer(void)
{
	struct local_msg sent = { .type = LOCAL_BTID_REQUEST, .has_id = true,
				  .id = 7 };
	struct local_msg got = { .type = LOCAL_BTID, .has_id = true, .id = 7 };
	char why[256];

	snprintf(sent.naf_id, sizeof(sent.naf_id), "nafkc.test");
	snprintf(got.naf_id, sizeof(got.naf_id), "NAFKC.test");
	ok(!local_key_plan_mt_answer(&sent, &got, why, sizeof(why)),
	   "MT: btid for the NAF-ID asked (any case): taken");
	snprintf(got.naf_id, sizeof(got.naf_id), "kc2.test");
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) ==
	   -EPROTO && !strcmp(why,
	   "the MT answered the btid-request for another NAF-ID"),
	   "MT: btid for another NAF-ID: -EPROTO (%s)", why);
	got.id = 8;
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) ==
	   -EPROTO && !strcmp(why,
	   "the MT answered the btid-request with another message id"),
	   "MT: another id: -EPROTO");
	got.has_id = false;
	got.id = 7;
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) == -EPROTO,
	   "MT: no id: -EPROTO");
	got = (struct local_msg){ .type = LOCAL_ERROR, .has_id = true, .id = 7 };
	snprintf(got.error, sizeof(got.error), "unknown-naf-id");
	snprintf(got.detail, sizeof(got.detail),
		 "not a NAF Key Centre of this MT");
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) == -EPERM &&
	   !strcmp(why, "the MT refused the btid-request: unknown-naf-id (not a NAF Key Centre of this MT)"),
	   "MT: an error: -EPERM, who refused and the token (%s)", why);
	got.detail[0] = '\0';
	snprintf(got.error, sizeof(got.error), "bootstrap-failed");
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) == -EPERM &&
	   !strcmp(why, "the MT refused the btid-request: bootstrap-failed"),
	   "MT: an error without detail (%s)", why);
	got = (struct local_msg){ .type = LOCAL_COMPLETE_ACK, .has_id = true,
				  .id = 7 };
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) ==
	   -EPROTO && !strcmp(why,
	   "the MT answered the btid-request with a complete-ack message"),
	   "MT: the wrong answer: -EPROTO (%s)", why);
	sent.type = LOCAL_COMPLETE;
	ok(!local_key_plan_mt_answer(&sent, &got, why, sizeof(why)),
	   "MT: complete-ack to complete: taken");
	sent.type = LOCAL_NAF_ID_LIST_REQUEST;
	got.type = LOCAL_NAF_ID_LIST;
	ok(!local_key_plan_mt_answer(&sent, &got, why, sizeof(why)),
	   "MT: naf-id-list to naf-id-list-request: taken");
	sent.type = LOCAL_BTID;
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) == -EPROTO,
	   "MT: not a device's request: -EPROTO");
	sent = (struct local_msg){ .type = LOCAL_REKEY_WATCH, .has_id = true,
				   .id = 9 };
	snprintf(sent.naf_id, sizeof(sent.naf_id), "nafkc.test");
	snprintf(sent.device_id, sizeof(sent.device_id), DEVICE);
	got = sent;
	got.type = LOCAL_REKEY_REQUEST;
	snprintf(got.naf_id, sizeof(got.naf_id), "NAFKC.TEST");
	snprintf(got.btid, sizeof(got.btid), BTID);
	snprintf(got.reason, sizeof(got.reason), LOCAL_REKEY_MISMATCH);
	ok(!local_key_plan_mt_answer(&sent, &got, why, sizeof(why)),
	   "MT: rekey-request to rekey-watch, its NAF-ID (any case): taken");
	snprintf(got.device_id, sizeof(got.device_id), DEVICE2);
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) ==
	   -EPROTO && !strcmp(why,
	   "the MT answered the rekey-watch for another key"),
	   "MT: rekey-request for another Device_ID: -EPROTO (%s)", why);
	snprintf(got.device_id, sizeof(got.device_id), DEVICE);
	snprintf(got.naf_id, sizeof(got.naf_id), "kc2.test");
	ok(local_key_plan_mt_answer(&sent, &got, why, sizeof(why)) ==
	   -EPROTO, "MT: rekey-request for another NAF-ID: -EPROTO");
}

static void test_kc_answer(void)
{
	static const uint8_t ua_id[GBA_UA_ID_LEN] = UA_ID_NAFKC;
	struct ks_local_request req = { .btid = BTID, .device_id = DEVICE,
					.label = LABEL_KS_LOCAL_DEVICE };
	struct ks_local_response resp = { .btid = BTID, .device_id = DEVICE,
					   .label = LABEL_KS_LOCAL_DEVICE,
					   .expires = NOW + 600,
					   .lifetime = 600 };
	uint8_t naf_id[STORE_NAF_ID_MAX];
	int64_t expires = 0;
	size_t len = (size_t)gba_naf_id(naf_id, sizeof(naf_id), "nafkc.test",
					ua_id);
	char why[256];

	memcpy(resp.naf_id, naf_id, len);
	resp.naf_id_len = len;
	ok(!local_key_plan_kc_answer(&req, naf_id, len, &resp, NOW, &expires,
				     why, sizeof(why)) &&
	   expires == NOW + 600, "Key Centre: the answer asked for, ends at now + 600");
	resp.lifetime = 500;
	ok(!local_key_plan_kc_answer(&req, naf_id, len, &resp, NOW, &expires,
				     why, sizeof(why)) &&
	   expires == NOW + 500, "Key Centre: the earlier of expires and now + lifetime");
	resp.lifetime = 900;
	ok(!local_key_plan_kc_answer(&req, naf_id, len, &resp, NOW, &expires,
				     why, sizeof(why)) &&
	   expires == NOW + 600, "Key Centre: a clock behind: expires holds");
	resp.expires = NOW;
	ok(local_key_plan_kc_answer(&req, naf_id, len, &resp, NOW, &expires,
				    why, sizeof(why)) == -EPROTO &&
	   !strcmp(why, "the Key Centre answered a key already expired"),
	   "Key Centre: expired already: -EPROTO");
	resp.expires = NOW + 600;
	resp.naf_id[0] ^= 0x20;		/* "Nafkc.test": not the MT's */
	ok(local_key_plan_kc_answer(&req, naf_id, len, &resp, NOW, &expires,
				    why, sizeof(why)) == -EPROTO &&
	   !strcmp(why, "the Key Centre answered for another NAF_Id (not the NAF-ID the MT derived with)"),
	   "Key Centre: another NAF_Id: -EPROTO (%s)", why);
	resp.naf_id[0] ^= 0x20;
	snprintf(resp.btid, sizeof(resp.btid), BTID2);
	ok(local_key_plan_kc_answer(&req, naf_id, len, &resp, NOW, &expires,
				    why, sizeof(why)) == -EPROTO &&
	   !strcmp(why, "the Key Centre answered for another B-TID"),
	   "Key Centre: another B-TID: -EPROTO");
	snprintf(resp.btid, sizeof(resp.btid), BTID);
	snprintf(resp.device_id, sizeof(resp.device_id), DEVICE2);
	ok(local_key_plan_kc_answer(&req, naf_id, len, &resp, NOW, &expires,
				    why, sizeof(why)) == -EPROTO &&
	   !strcmp(why, "the Key Centre answered for another Device_ID"),
	   "Key Centre: another Device_ID: -EPROTO");
	snprintf(resp.device_id, sizeof(resp.device_id), DEVICE);
	snprintf(resp.label, sizeof(resp.label), LABEL_KS_LOCAL_MT);
	ok(local_key_plan_kc_answer(&req, naf_id, len, &resp, NOW, &expires,
				    why, sizeof(why)) == -EPROTO &&
	   !strcmp(why, "the Key Centre answered for another label"),
	   "Key Centre: another label: -EPROTO");

	ok(local_key_plan_lifetime(NOW + 600, NOW) == 600 &&
	   local_key_plan_lifetime(NOW, NOW) == 1 &&
	   local_key_plan_lifetime(NOW - 5, NOW) == 1 &&
	   local_key_plan_lifetime(NOW + 0x100000000LL, NOW) == UINT32_MAX,
	   "lifetime: what is left, 1 at least, UINT32_MAX at most");
}

static void test_role(void)
{
	ok(local_key_plan_renew_at(NOW, NOW + 3600) == NOW + 3240,
	   "renew: a tenth of an hour's key before its end");
	ok(local_key_plan_renew_at(NOW, NOW + 600) == NOW + 600 -
	   LOCAL_KEY_RENEW_AHEAD,
	   "renew: at least %d s before the end", LOCAL_KEY_RENEW_AHEAD);
	ok(local_key_plan_renew_at(NOW, NOW + 60) == NOW,
	   "renew: a key shorter than that: at once, never before it was made");
	ok(local_key_event_action(E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_EXPIRED) ==
	   LOCAL_KEY_EVENT_ESTABLISH &&
	   local_key_event_action(E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_REVOKED) ==
	   LOCAL_KEY_EVENT_ESTABLISH &&
	   local_key_event_action(E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_INVALID) ==
	   LOCAL_KEY_EVENT_ESTABLISH,
	   "event: key expired, revoked, invalid: establish (a stored key first)");
	ok(local_key_event_action(E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_MISMATCH) ==
	   LOCAL_KEY_EVENT_RENEW &&
	   local_key_event_action(E2M_CMD_EVENT_KEY, E2M_EVENT_MAC_FAILURES) ==
	   LOCAL_KEY_EVENT_RENEW,
	   "event: key mismatch, MAC failures: renew (the stored key is not the MT's)");
	ok(local_key_event_action(E2M_CMD_EVENT_KEY, E2M_EVENT_COUNT_NOTIFY) ==
	   LOCAL_KEY_EVENT_NONE &&
	   local_key_event_action(E2M_CMD_EVENT_KEY, E2M_EVENT_NO_LIVE_KEY) ==
	   LOCAL_KEY_EVENT_NONE &&
	   local_key_event_action(E2M_CMD_EVENT_NO_KEY,
				  E2M_EVENT_KEY_EXPIRED) ==
	   LOCAL_KEY_EVENT_NONE,
	   "event: anything else: nothing");
}

static void test_fqdn(void)
{
	uint8_t naf_id[] = { 'a', '.', 'b', 0xff, 0, 0, 0, 1 };
	char fqdn[DNS_NAME_MAX + 1];

	ok(!local_key_naf_fqdn(naf_id, sizeof(naf_id), fqdn) &&
	   !strcmp(fqdn, "a.b"), "NAF_Id a.b || Ua id: FQDN a.b");
	ok(local_key_naf_fqdn(naf_id, 5, fqdn) == -EINVAL && !fqdn[0],
	   "NAF_Id of the Ua id alone: -EINVAL");
	naf_id[1] = 0;
	ok(local_key_naf_fqdn(naf_id, sizeof(naf_id), fqdn) == -EINVAL,
	   "NAF_Id with a NUL in the FQDN: -EINVAL");
}

static void fill(struct store_remote_key *k, const char *device,
		 const char *fqdn, int64_t created, int64_t expires,
		 uint8_t fill_byte)
{
	memset(k, 0, sizeof(*k));
	row_for(&k->pub, device, fqdn, expires, 0, false);
	k->pub.created = created;
	memset(k->key, fill_byte, sizeof(k->key));
}

struct seen {
	size_t n;
	char devices[4][STORE_DEVICE_ID_MAX + 1];
};

static int see(const struct store_remote_key_info *info, void *arg)
{
	struct seen *seen = arg;

	if (seen->n < 4)
		snprintf(seen->devices[seen->n], sizeof(seen->devices[0]),
			 "%s", info->device_id);
	seen->n++;
	return 0;
}

static void test_store(struct store *store, const char *path)
{
	struct store_remote_key k, got;
	struct seen seen = { 0 };

	fill(&k, DEVICE, "nafkc.test", 1000, 4600, 0x5a);
	k.pub.key_serial = 99;
	ok(!store_remote_key_put(store, &k), "store: a device's key put");
	ok(!store_files_contain(path, k.key, sizeof(k.key)),
	   "store: the key is sealed (not in the files in the clear)");
	ok(!store_remote_key_get(store, DEVICE, k.pub.naf_id,
				 k.pub.naf_id_len, &got) &&
	   !memcmp(got.key, k.key, sizeof(k.key)) &&
	   !strcmp(got.pub.btid, BTID) && got.pub.created == 1000 &&
	   got.pub.expires == 4600 && got.pub.key_serial == 99 &&
	   !got.pub.completed &&
	   !strcmp(got.pub.label, LABEL_KS_LOCAL_DEVICE),
	   "store: got back, every column");
	ok(!store_remote_key_complete(store, DEVICE, k.pub.naf_id,
				      k.pub.naf_id_len) &&
	   !store_remote_key_get(store, DEVICE, k.pub.naf_id,
				 k.pub.naf_id_len, &got) &&
	   got.pub.completed == 1, "store: completed marked");
	snprintf(k.pub.btid, sizeof(k.pub.btid), BTID2);
	k.pub.created = 2000;
	k.pub.key_serial = 0;
	memset(k.key, 0x6b, sizeof(k.key));
	ok(!store_remote_key_put(store, &k) &&
	   store_remote_key_list(store, NULL, NULL) == 1 &&
	   !store_remote_key_get(store, DEVICE, k.pub.naf_id,
				 k.pub.naf_id_len, &got) &&
	   !strcmp(got.pub.btid, BTID2) && got.key[0] == 0x6b &&
	   !got.pub.completed && got.pub.key_serial == 0,
	   "store: a new key of the same Device_ID and NAF_Id replaces the row");
	fill(&k, DEVICE2, "nafkc.test", 3000, 5600, 0x11);
	ok(!store_remote_key_put(store, &k) &&
	   store_remote_key_list(store, see, &seen) == 0 && seen.n == 2 &&
	   !strcmp(seen.devices[0], DEVICE2) && !strcmp(seen.devices[1], DEVICE),
	   "store: two rows, listed newest first");
	ok(store_remote_key_complete(store, DEVICE, (const uint8_t *)"x", 1) ==
	   -EINVAL, "store: a NAF_Id without an FQDN is -EINVAL");
	ok(store_remote_key_get(store, "has space", k.pub.naf_id,
				k.pub.naf_id_len, &got) == -EINVAL,
	   "store: a bad Device_ID is -EINVAL");
	k.pub.expires = k.pub.created;
	ok(store_remote_key_put(store, &k) == -EINVAL,
	   "store: a key that expires when stored is refused");
	k.pub.expires = 5600;
	snprintf(k.pub.label, sizeof(k.pub.label), "other");
	ok(store_remote_key_put(store, &k) == -EINVAL,
	   "store: an unknown label is refused");
	ok(!store_remote_key_remove(store, DEVICE2, k.pub.naf_id,
				    k.pub.naf_id_len) &&
	   store_remote_key_remove(store, DEVICE2, k.pub.naf_id,
				   k.pub.naf_id_len) == -ENOENT &&
	   store_remote_key_complete(store, DEVICE2, k.pub.naf_id,
				     k.pub.naf_id_len) == -ENOENT &&
	   store_remote_key_get(store, DEVICE2, k.pub.naf_id,
				k.pub.naf_id_len, &got) == -ENOENT &&
	   store_remote_key_list(store, NULL, NULL) == 1,
	   "store: removed; again, complete and get are -ENOENT");
	ok(raw_sql(path, "UPDATE device_local_keys SET btid = 'bad'") ==
	   SQLITE_OK &&
	   store_remote_key_get(store, DEVICE, k.pub.naf_id, k.pub.naf_id_len,
				&got) == -EUCLEAN,
	   "store: a damaged row is -EUCLEAN");
	store_remote_key_wipe(&k);
	store_remote_key_wipe(&got);
}

/* A version 6 store migrates to the latest and keeps what it had. */
static void test_migration(const char *path)
{
	struct store *store = open_store(path, &key);
	struct store_remote_key k;

	store_close(store);
	ok(raw_sql(path, "DROP TABLE device_local_keys;" UNDO_SCHEMAS_AFTER_7
		   " PRAGMA user_version = 6") == SQLITE_OK,
	   "migration 6: the store made a version 6 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW,
	   "migration 6: opening it migrates 6 -> %d", SCHEMA_NOW);
	fill(&k, DEVICE, "nafkc.test", 1000, 4600, 0x33);
	ok(!store_remote_key_put(store, &k) &&
	   store_remote_key_list(store, NULL, NULL) == 1,
	   "migration 6: device_local_keys is there");
	store_remote_key_wipe(&k);
	store_close(store);
}

/* local_key_plan_keep(): a key of the same bytes is never a new serial. */
static void test_keep(void)
{
	struct local_key_keep_in base = {
		.kernel = true, .old_btid = BTID, .new_btid = BTID,
		.old_serial = 41, .old_alive = true, .same_bytes = true,
	};
	struct local_key_keep_in in = base;

	ok(local_key_plan_keep(&in) == LOCAL_KEY_EXTEND,
	   "keep: the same B-TID, the same bytes, its key alive: extended");
	in.old_btid = NULL;
	in.same_bytes = false;
	ok(local_key_plan_keep(&in) == LOCAL_KEY_ADD,
	   "keep: no row before: a key added");
	in = base;
	in.old_btid = BTID2;
	ok(local_key_plan_keep(&in) == LOCAL_KEY_ADD,
	   "keep: a row of another B-TID (a new bootstrap): a key added");
	in = base;
	in.same_bytes = false;
	ok(local_key_plan_keep(&in) == LOCAL_KEY_ADD,
	   "keep: the same B-TID, other bytes (another label): a key added");
	in = base;
	in.old_alive = false;
	ok(local_key_plan_keep(&in) == LOCAL_KEY_ADD,
	   "keep: the same bytes, its key revoked or expired: added again");
	in = base;
	in.old_serial = 0;
	ok(local_key_plan_keep(&in) == LOCAL_KEY_ADD,
	   "keep: the same bytes, no kernel key before (serial 0): added");
	in = base;
	in.kernel = false;
	ok(local_key_plan_keep(&in) == LOCAL_KEY_ADD,
	   "keep: no kernel key wanted (--no-kernel): the store row only");
}

int main(void)
{
	const char *path;
	struct store *store;

	test_start();
	test_pick();
	test_mt_answer();
	test_kc_answer();
	test_role();
	test_fqdn();
	test_keep();
	scratch_make("local_key_test");
	test_key(&key, 0x42);
	path = scratch_path("device.db");
	store = open_store(path, &key);
	test_store(store, path);
	store_close(store);
	test_migration(scratch_path("v6.db"));
	scratch_remove();
	return done_testing();
}
