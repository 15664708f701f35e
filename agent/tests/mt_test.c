// SPDX-License-Identifier: GPL-2.0
/*
 * The MT / UICC hosting device without a network: its decisions
 * (mt_plan.h, every row of its tables), the NAF_Id it derives with (the
 * Key Centre's, PROFILE.md 5), and its table in the store (schema 6):
 * sealed, one row per (B-TID, NAF_Id, Device_ID), completion, the wipe
 * of another UICC's rows, expiry, and the migration of a version 5
 * store.
 */
#include <errno.h>
#include <sqlite3.h>
#include <string.h>

#include "tap.h"
#include "store_fixture.h"
#include "daemon/config.h"
#include "daemon/mt/mt_config.h"
#include "daemon/mt/mt_plan.h"
#include "daemon/mt/mt_request.h"
#include "daemon/nafkc/role_nafkc.h"

#define BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define BTID2	"AAAAAAAAAAAAAAAAAAAAAA==@bsf.home1.net"
#define DEVICE	"imei:490154203237518"
#define OTHER_ICCID "8988211000000000002"

static struct store_key key;

static enum mt_action decide(enum local_type type, bool listed, int naf_key,
			   int64_t left, bool running, bool after)
{
	struct mt_plan_in in = {
		.type = type, .naf_listed = listed, .naf_key = naf_key,
		.expires = 1000 + left, .now = 1000,
		.bootstrap_running = running, .after_bootstrap = after,
	};

	return mt_plan_message(&in);
}

static void test_plan(void)
{
	ok(decide(LOCAL_NAF_ID_LIST_REQUEST, false, -EIO, 0, true, true) ==
	   MT_ANSWER_NAF_IDS, "plan: a NAF-ID list request is answered");
	ok(decide(LOCAL_BTID_REQUEST, false, 0, 3600, false, false) ==
	   MT_REFUSE_UNKNOWN_NAF, "plan: an unlisted NAF-ID is refused");
	ok(decide(LOCAL_BTID_REQUEST, true, 0, 3600, false, false) == MT_DERIVE,
	   "plan: a bootstrap with 3600 s left: optimised, derive now");
	ok(decide(LOCAL_BTID_REQUEST, true, 0, 60, false, false) == MT_DERIVE,
	   "plan: 60 s left is enough");
	ok(decide(LOCAL_BTID_REQUEST, true, 0, 59, false, false) == MT_BOOTSTRAP,
	   "plan: 59 s left: the full procedure");
	ok(decide(LOCAL_BTID_REQUEST, true, -ENOENT, 0, false, false) ==
	   MT_BOOTSTRAP, "plan: no bootstrap: the full procedure");
	ok(decide(LOCAL_BTID_REQUEST, true, -EKEYEXPIRED, 0, false, false) ==
	   MT_BOOTSTRAP, "plan: GBA_U bootstrap expired: the full procedure");
	ok(decide(LOCAL_BTID_REQUEST, true, -ENOENT, 0, true, false) ==
	   MT_WAIT_BOOTSTRAP, "plan: a Ub run going on: wait for it");
	ok(decide(LOCAL_BTID_REQUEST, true, -ENOENT, 0, false, true) ==
	   MT_REFUSE_BOOTSTRAP,
	   "plan: still none after the run: bootstrap-failed, no second run");
	ok(decide(LOCAL_BTID_REQUEST, true, 0, 30, false, true) ==
	   MT_REFUSE_BOOTSTRAP,
	   "plan: a run that gave 30 s: bootstrap-failed");
	ok(decide(LOCAL_BTID_REQUEST, true, 0, 3600, false, true) == MT_DERIVE,
	   "plan: after the run, derive (the full procedure's end)");
	ok(decide(LOCAL_BTID_REQUEST, true, -EKEYREJECTED, 0, false, false) ==
	   MT_REFUSE_INTERNAL, "plan: the USIM or store failing is internal");
	ok(decide(LOCAL_COMPLETE, false, -EIO, 0, false, false) == MT_COMPLETE,
	   "plan: a completion notice is marked and acked");
	ok(decide(LOCAL_NAF_ID_LIST, true, 0, 0, false, false) ==
	   MT_REFUSE_UNEXPECTED &&
	   decide(LOCAL_BTID, true, 0, 0, false, false) == MT_REFUSE_UNEXPECTED &&
	   decide(LOCAL_COMPLETE_ACK, true, 0, 0, false, false) ==
	   MT_REFUSE_UNEXPECTED &&
	   decide(LOCAL_ERROR, true, 0, 0, false, false) == MT_REFUSE_UNEXPECTED,
	   "plan: the MT's own answers, sent to it, are unexpected");
	ok(decide(LOCAL_REKEY_REQUEST, true, 0, 0, false, false) ==
	   MT_REFUSE_UNEXPECTED,
	   "plan: a rekey-request (the MT's to send), sent to it, is unexpected");
	ok(mt_plan_lifetime(4600, 1000) == 3600 &&
	   mt_plan_lifetime(1000, 1000) == 1 && mt_plan_lifetime(5, 1000) == 1 &&
	   mt_plan_lifetime(INT64_MAX, 0) == UINT32_MAX,
	   "plan: lifetime = what is left of Ks, 1 .. 2^32-1");
}

static bool same(const char *got, const char *want)
{
	return got && !strcmp(got, want);
}

static enum mt_action watch(bool listed, size_t watches, size_t on_link)
{
	struct mt_plan_in in = {
		.type = LOCAL_REKEY_WATCH, .naf_listed = listed,
		.watches = watches, .link_watches = on_link,
	};

	return mt_plan_message(&in);
}

static void test_watch_plan(void)
{
	ok(watch(true, 0, 0) == MT_HOLD_WATCH &&
	   watch(true, 31, 3) == MT_HOLD_WATCH,
	   "plan: a rekey-watch is held, up to 4 a link and 32 in all");
	ok(watch(true, 32, 0) == MT_REFUSE_WATCHES &&
	   watch(true, 5, 4) == MT_REFUSE_WATCHES,
	   "plan: the 33rd watch, or a link's 5th: too-many-watches");
	ok(watch(false, 0, 0) == MT_REFUSE_UNKNOWN_NAF &&
	   watch(false, 32, 4) == MT_REFUSE_UNKNOWN_NAF,
	   "plan: a watch for an unlisted NAF-ID: unknown-naf-id");
	ok(mt_plan_rekey(true, 0, 1000) == MT_REKEY_SEND &&
	   mt_plan_rekey(true, 995, 1000) == MT_REKEY_SEND,
	   "plan: rekey with a watch: sent (none before, or 5 s ago)");
	ok(mt_plan_rekey(true, 996, 1000) == MT_REKEY_TOO_SOON &&
	   mt_plan_rekey(false, 1000, 1000) == MT_REKEY_TOO_SOON,
	   "plan: rekey within 5 s of the last: rate-limited");
	ok(mt_plan_rekey(true, 2000, 1000) == MT_REKEY_SEND,
	   "plan: a last time ahead of now (the clock stepped back): sent");
	ok(mt_plan_rekey(false, 0, 1000) == MT_REKEY_NO_WATCH &&
	   mt_plan_rekey(false, 900, 1000) == MT_REKEY_NO_WATCH,
	   "plan: rekey without a watch: none to send");
	ok(same(mt_plan_event(E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_MISMATCH),
		"key-mismatch"), "plan: the kernel's key mismatch: key-mismatch");
	ok(same(mt_plan_event(E2M_CMD_EVENT_KEY, E2M_EVENT_MAC_FAILURES),
		"key-mismatch"), "plan: the MAC failure limit: key-mismatch");
	ok(same(mt_plan_event(E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_EXPIRED),
		"key-expired"), "plan: the MT's key expired: key-expired");
	ok(same(mt_plan_event(E2M_CMD_EVENT_KEY, E2M_EVENT_KEY_REVOKED),
		"key-revoked"), "plan: the MT's key revoked: key-revoked");
	ok(!mt_plan_event(E2M_CMD_EVENT_KEY, E2M_EVENT_COUNT_NOTIFY) &&
	   !mt_plan_event(E2M_CMD_EVENT_KEY, 0) &&
	   !mt_plan_event(E2M_CMD_EVENT_NO_KEY, E2M_EVENT_KEY_MISMATCH),
	   "plan: other events, or no-key: no rekey");
}

/* mt_plan_switch(): the old slot goes once the flow moved on. */
static void test_switch_plan(void)
{
	struct e2m_flow flow;

	memset(&flow, 0, sizeof(flow));
	flow.nslots = 2;
	flow.slots[0].key_id = 1;
	flow.slots[0].serial = 10;
	flow.slots[0].state = E2M_SLOT_LIVE;
	flow.slots[1].key_id = 2;
	flow.slots[1].serial = 11;
	flow.slots[1].state = E2M_SLOT_LIVE;
	flow.slots[1].tx_pending = true;
	flow.has_tx_key_id = true;
	flow.tx_key_id = 1;
	ok(mt_plan_switch(&flow, 1) == MT_SWITCH_WAIT,
	   "switch: the old key still transmits (no packet under the new): wait");
	flow.tx_key_id = 2;
	flow.slots[1].tx_pending = false;
	ok(mt_plan_switch(&flow, 1) == MT_SWITCH_UNBIND_OLD,
	   "switch: the kernel moved to the new key: unbind the old Key ID");
	flow.nslots = 1;
	flow.slots[0] = flow.slots[1];
	ok(mt_plan_switch(&flow, 1) == MT_SWITCH_GONE,
	   "switch: the old Key ID unbound already: nothing");
	flow.has_tx_key_id = false;
	flow.slots[0].key_id = 1;
	flow.slots[0].state = E2M_SLOT_DEAD;
	ok(mt_plan_switch(&flow, 1) == MT_SWITCH_UNBIND_OLD,
	   "switch: the old slot dead, nothing transmits: unbind it");
}

static void test_naf_id(void)
{
	uint8_t mt[STORE_NAF_ID_MAX], kc[KS_LOCAL_NAF_ID_MAX];
	int n = mt_naf_id(mt, "nafkc.home1.net");

	is_hex(mt, (size_t)n, "6e61666b632e686f6d65312e6e6574ff00000001",
	       "NAF_Id: nafkc.home1.net || ff 00 00 00 01");
	ok(n == nafkc_naf_id(kc, "nafkc.home1.net") && !memcmp(mt, kc, 20),
	   "NAF_Id: the same as the NAF Key Centre's");
}

static void fill_key(struct store_mt_key *k, const char *btid,
		     const char *iccid, int64_t created, int64_t expires,
		     uint8_t fill)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->pub.btid, sizeof(k->pub.btid), "%s", btid);
	k->pub.naf_id_len = (size_t)mt_naf_id(k->pub.naf_id, "nafkc.home1.net");
	snprintf(k->pub.device_id, sizeof(k->pub.device_id), "%s", DEVICE);
	snprintf(k->pub.iccid, sizeof(k->pub.iccid), "%s", iccid);
	k->pub.created = created;
	k->pub.expires = expires;
	k->pub.key_serial = 1234;
	memset(k->key, fill, sizeof(k->key));
}

struct seen {
	int n;
	char btids[4][STORE_BTID_MAX + 1];
	int32_t serials[4];
};

static int see(const struct store_mt_key_info *info, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4) {
		strcpy(s->btids[s->n], info->btid);
		s->serials[s->n] = info->key_serial;
	}
	s->n++;
	return 0;
}

static void test_store(struct store *store, const char *path)
{
	struct store_mt_key k, got;
	struct seen seen = { 0 };
	uint8_t pattern[STORE_KS_LOCAL_LEN];

	fill_key(&k, BTID, TEST_ICCID, 1000, 4600, 0x5a);
	ok(!store_mt_key_put(store, &k), "store: a key put");
	ok(!store_mt_key_get(store, BTID, k.pub.naf_id, k.pub.naf_id_len,
			     DEVICE, &got) && !memcmp(&got, &k, sizeof(got)),
	   "store: read back as put, serial 1234, not completed");
	memset(pattern, 0x5a, sizeof(pattern));
	ok(!store_files_contain(path, pattern, sizeof(pattern)),
	   "store: the key is nowhere in the files in clear (sealed)");
	k.key[0] = 0x11;
	k.pub.key_serial = 99;
	ok(!store_mt_key_put(store, &k) && store_mt_key_list(store, NULL,
							     NULL) == 1,
	   "store: a new key for the same identity replaces the row");
	ok(!store_mt_key_complete(store, BTID, k.pub.naf_id,
				  k.pub.naf_id_len, DEVICE) &&
	   !store_mt_key_get(store, BTID, k.pub.naf_id, k.pub.naf_id_len,
			     DEVICE, &got) && got.pub.completed == 1 &&
	   got.key[0] == 0x11 && got.pub.key_serial == 99,
	   "store: complete marks it, the key as it was");
	ok(store_mt_key_complete(store, BTID2, k.pub.naf_id, k.pub.naf_id_len,
				 DEVICE) == -ENOENT,
	   "store: complete of a key not there is -ENOENT");
	ok(store_mt_key_complete(store, "no-at-sign", k.pub.naf_id,
				 k.pub.naf_id_len, DEVICE) == -EINVAL,
	   "store: complete with a bad B-TID is -EINVAL");
	ok(store_mt_key_get(store, BTID, k.pub.naf_id, 5, DEVICE, &got) ==
	   -EINVAL, "store: a NAF_Id without an FQDN is -EINVAL");
	k.pub.expires = k.pub.created;
	ok(store_mt_key_put(store, &k) == -EINVAL,
	   "store: a key that expires when made is refused");
	fill_key(&k, BTID2, OTHER_ICCID, 2000, 5600, 0x22);
	k.pub.key_serial = 77;
	ok(!store_mt_key_put(store, &k) && store_mt_key_list(store, NULL,
							     NULL) == 2,
	   "store: a key of another UICC");
	ok(store_mt_key_remove_other_iccids(store, OTHER_ICCID, see, &seen) ==
	   1 && seen.n == 1 && !strcmp(seen.btids[0], BTID) &&
	   seen.serials[0] == 99,
	   "store: UICC %s in: the one row of %s goes, its serial told",
	   OTHER_ICCID, TEST_ICCID);
	ok(store_mt_key_list(store, NULL, NULL) == 1 &&
	   store_mt_key_get(store, BTID, k.pub.naf_id, k.pub.naf_id_len,
			    DEVICE, &got) == -ENOENT &&
	   !store_mt_key_get(store, BTID2, k.pub.naf_id, k.pub.naf_id_len,
			     DEVICE, &got),
	   "store: only the new UICC's key is left");
	ok(store_mt_key_remove_other_iccids(store, OTHER_ICCID, NULL, NULL) ==
	   0, "store: the same UICC again removes nothing");
	ok(store_mt_key_remove_other_iccids(store, "12", NULL, NULL) ==
	   -EINVAL, "store: a bad ICCID is -EINVAL");
	memset(&seen, 0, sizeof(seen));
	ok(store_mt_key_purge(store, 5599, see, &seen) == 0 && seen.n == 0,
	   "store: purge at 5599 keeps the key that ends at 5600");
	ok(store_mt_key_purge(store, 5600, see, &seen) == 1 && seen.n == 1 &&
	   seen.serials[0] == 77 && store_mt_key_list(store, NULL, NULL) == 0,
	   "store: purge at 5600 removes it, serial 77 told");
	store_mt_key_wipe(&got);
}

/* A version 5 store migrates to the latest and keeps what it had. */
static void test_migration(const char *path)
{
	struct store *store = open_store(path, &key);
	struct store_mt_key k;

	store_close(store);
	ok(raw_sql(path, "DROP TABLE mt_local_keys;"
		   " DROP TABLE device_local_keys;" UNDO_SCHEMAS_AFTER_7
		   " PRAGMA user_version = 5")
	   == SQLITE_OK, "migration 5: the store made a version 5 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW,
	   "migration 5: opening it migrates 5 -> %d", SCHEMA_NOW);
	fill_key(&k, BTID, TEST_ICCID, 1000, 4600, 0x33);
	ok(!store_mt_key_put(store, &k) &&
	   store_mt_key_list(store, NULL, NULL) == 1,
	   "migration 5: mt_local_keys is there");
	store_mt_key_wipe(&k);
	store_close(store);
}

#define MT_HEAD \
	"store: { path: /var/lib/e2m/mt.db, key-file: /etc/e2m/mt.key }\n" \
	"roles:\n" \
	"  mt:\n" \
	"    listen: \"127.0.0.1:0\"\n" \
	"    iccid: \"8988211000000000011\"\n" \
	"    naf-ids: [nafkc.test]\n" \
	"    bsf-url: \"http://127.0.0.1:8080\"\n"

static struct config *load_mt(const char *text, char *out, size_t size)
{
	const char *path = scratch_path("e2md.yaml");
	struct config_errors errors;
	struct config *config = NULL;
	size_t i, len = 0;

	write_file(path, text, strlen(text), 0600);
	config_load(path, &config, &errors);
	out[0] = '\0';
	for (i = 0; i < errors.count && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i ? "\n" : "", errors.text[i]);
	return config;
}

/* text is refused with exactly the error "PATH:" want. */
static void refused(const char *text, const char *want, const char *name)
{
	char errors[4096], expected[4096];
	struct config *c = load_mt(text, errors, sizeof(errors));

	snprintf(expected, sizeof(expected), "%s:%s",
		 scratch_path("e2md.yaml"), want);
	if (!ok(!c && !strcmp(errors, expected), "%s", name))
		printf("#   got:    %s\n#   wanted: %s\n", errors, expected);
	config_free(c);
}

/* roles.mt.flows: the MT's end of each device's link. */
static void test_flows_config(void)
{
	char errors[4096];
	struct config *c = load_mt(MT_HEAD, errors, sizeof(errors));
	const struct config_mt *m = c ? config_mt(c) : NULL;
	const struct config_mt_flow *f;

	ok(m && m->n_flows == 0, "flows: none by default");
	config_free(c);
	c = load_mt(MT_HEAD
		    "    flows:\n"
		    "      - { device-id: \"imei:490154203237518\", device: e2m0, teid: 200 }\n"
		    "      - { device-id: d2, device: e2m1, teid: 7, key-id: 3, alg: 3 }\n",
		    errors, sizeof(errors));
	m = c ? config_mt(c) : NULL;
	f = m && m->n_flows == 2 ? m->flows : NULL;
	ok(f && !strcmp(f[0].device_id, DEVICE) && !strcmp(f[0].device, "e2m0") &&
	   f[0].teid == 200 && f[0].key_id == 1 && f[0].alg == 2 &&
	   !strcmp(f[1].device_id, "d2") && !strcmp(f[1].device, "e2m1") &&
	   f[1].teid == 7 && f[1].key_id == 3 && f[1].alg == 3,
	   "flows: each Device_ID's device and TEID; Key ID 1 and algorithm 2 by default");
	if (!f)
		printf("#   %s\n", errors);
	ok(m && mt_config_flows_equal(m, m), "flows: equal to themselves");
	config_free(c);
	refused(MT_HEAD
		"    flows:\n"
		"      - { device-id: d1, device: e2m0, teid: 1 }\n"
		"      - { device-id: d1, device: e2m0, teid: 2 }\n",
		"10: roles.mt.flows[1]: the Device_ID 'd1' has two flows",
		"flows: a Device_ID twice is refused");
	refused(MT_HEAD "    keyring: none\n"
		"    flows: [{ device-id: d1, device: e2m0, teid: 1 }]\n",
		"3: roles.mt: flows need a keyring, not none",
		"flows: refused with keyring none");
	refused(MT_HEAD
		"    flows: [{ device-id: d1, device: e2m0, teid: 1, key-id: 8 }]\n",
		"8: roles.mt.flows[0].key-id: must be an integer from 0 to 7, not '8'",
		"flows: Key ID 8 is refused");
}

int main(void)
{
	const char *path;
	struct store *store;

	test_plan();
	test_watch_plan();
	test_switch_plan();
	test_naf_id();
	scratch_make("mt_test");
	test_key(&key, 0x42);
	path = scratch_path("mt.db");
	store = open_store(path, &key);
	test_store(store, path);
	store_close(store);
	test_migration(scratch_path("v5.db"));
	test_flows_config();
	scratch_remove();
	return done_testing();
}
