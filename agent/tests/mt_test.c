// SPDX-License-Identifier: GPL-2.0
/*
 * The MT / UICC hosting device without a network: its decisions
 * (mt_plan.h, every row of its table), the NAF_Id it derives with (the
 * Key Centre's, PROFILE.md 5), and its table in the store (schema 6):
 * sealed, one row per (B-TID, NAF_Id, Device_ID), completion, the wipe
 * of another UICC's rows, expiry, and the migration of a version 5
 * store.
 */
#include <errno.h>
#include <sqlite3.h>

#include "tap.h"
#include "store_fixture.h"
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
	ok(decide(LOCAL_REKEY_WATCH, true, 0, 0, false, false) ==
	   MT_REFUSE_UNEXPECTED,
	   "plan: a rekey-watch: unexpected in this version (the MT holds no watches yet)");
	ok(mt_plan_lifetime(4600, 1000) == 3600 &&
	   mt_plan_lifetime(1000, 1000) == 1 && mt_plan_lifetime(5, 1000) == 1 &&
	   mt_plan_lifetime(INT64_MAX, 0) == UINT32_MAX,
	   "plan: lifetime = what is left of Ks, 1 .. 2^32-1");
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

int main(void)
{
	const char *path;
	struct store *store;

	test_plan();
	test_naf_id();
	scratch_make("mt_test");
	test_key(&key, 0x42);
	path = scratch_path("mt.db");
	store = open_store(path, &key);
	test_store(store, path);
	store_close(store);
	test_migration(scratch_path("v5.db"));
	scratch_remove();
	return done_testing();
}
