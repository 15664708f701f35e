// SPDX-License-Identifier: GPL-2.0
/*
 * The HSS's half of a long-term key update in the store (seed 004 step 6,
 * Documentation/key-update.md): store_subscriber_update_keys() switches K
 * and OPc in one transaction with the SQN state kept, under a counter
 * that must rise; the same update sent again changes nothing and says
 * so; every refusal leaves the subscriber as it was; the vectors after
 * the switch are Milenage's under the new keys, their SQN going on from
 * the last one before it; the keys are sealed, not in the file in the
 * clear; and a subscriber of a schema 11 store comes through the
 * migration with counter 0.
 */
#include <errno.h>

#include <openssl/crypto.h>

#include "aka/auc.h"
#include "crypto/milenage.h"
#include "store_fixture.h"

#define NEW_K	"000102030405060708090a0b0c0d0e0f"
#define NEW_OPC	"f0e0d0c0b0a090807060504030201000"
#define NEW_K2	"0f0e0d0c0b0a09080706050403020100"

static struct store *hss;
static char hss_path[SCRATCH_PATH_MAX];

static int update(uint32_t counter, const char *k_hex, const char *opc_hex)
{
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];
	int ret;

	unhex(k, sizeof(k), k_hex);
	unhex(opc, sizeof(opc), opc_hex);
	ret = store_subscriber_update_keys(hss, TEST_IMSI, counter, k, opc);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	return ret;
}

static struct store_subscriber stored(void)
{
	struct store_subscriber sub;

	if (store_subscriber_get(hss, TEST_IMSI, &sub))
		bail("store_subscriber_get");
	return sub;
}

/* Whether a vector's XRES and AUTN are Milenage's under k/opc. */
static bool made_under(const struct auc_vector *v, const char *k_hex,
		       const char *opc_hex)
{
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN], xres[AKA_RES_LEN];
	uint8_t autn[AKA_AUTN_LEN], sqn_ak[AKA_SQN_LEN], ak[AKA_AK_LEN];
	struct milenage m;
	bool same;
	int i;

	unhex(k, sizeof(k), k_hex);
	unhex(opc, sizeof(opc), opc_hex);
	if (milenage_init(&m, k, opc) ||
	    milenage_f2345(&m, v->rand, xres, NULL, NULL, ak, NULL) ||
	    milenage_autn(&m, v->rand, v->sqn, v->amf, autn))
		bail("milenage");
	milenage_free(&m);
	for (i = 0; i < AKA_SQN_LEN; i++)
		sqn_ak[i] = v->sqn[i] ^ ak[i];
	same = !memcmp(xres, v->xres, sizeof(xres)) &&
	       !memcmp(autn, v->autn, sizeof(autn)) &&
	       !memcmp(sqn_ak, v->autn, sizeof(sqn_ak));
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	return same;
}

static struct auc_vector vector(void)
{
	struct auc_vector v;

	if (auc_vector(hss, TEST_IMSI, 0, &v))
		bail("auc_vector");
	return v;
}

static uint64_t sqn_of(const struct auc_vector *v)
{
	uint64_t value = 0;
	int i;

	for (i = 0; i < AKA_SQN_LEN; i++)
		value = value << 8 | v->sqn[i];
	return value;
}

static void test_switch(void)
{
	struct auc_vector before, after;
	struct store_subscriber s0, s1;
	uint8_t k[AKA_K_LEN];

	before = vector();
	ok(made_under(&before, SET1_K, SET1_OPC),
	   "switch: a vector before it is under the set 1 keys");
	s0 = stored();
	ok(update(1, NEW_K, NEW_OPC) == 0, "switch: counter 1 switches: 0");
	s1 = stored();
	is_hex(s1.k, sizeof(s1.k), NEW_K, "switch: K is the new one");
	is_hex(s1.opc, sizeof(s1.opc), NEW_OPC, "switch: OPc is the new one");
	ok(s1.pub.sqn.seq == s0.pub.sqn.seq && s1.pub.sqn.ind == s0.pub.sqn.ind &&
	   s1.pub.sqn.ind_bits == s0.pub.sqn.ind_bits &&
	   !memcmp(s1.pub.amf, s0.pub.amf, 2) && s1.pub.flags == s0.pub.flags &&
	   !strcmp(s1.pub.impi, s0.pub.impi),
	   "switch: SQN state, AMF, flags, IMPI as they were");
	after = vector();
	ok(made_under(&after, NEW_K, NEW_OPC) &&
	   !made_under(&after, SET1_K, SET1_OPC),
	   "switch: the next vector is under the new keys, not the old");
	ok(sqn_of(&after) == sqn_of(&before) + 32 + 1,
	   "switch: its SQN is the one after the last (SEQ + 1, IND + 1)");
	ok(!file_contains(hss_path, s1.k, sizeof(s1.k)) &&
	   !file_contains(hss_path, s1.opc, sizeof(s1.opc)),
	   "switch: the new keys are not in the store file in the clear");

	unhex(k, sizeof(k), NEW_K);
	ok(update(1, NEW_K, NEW_OPC) == 1,
	   "again: the same update (counter, keys) says 1, already done");
	ok(update(1, NEW_K2, NEW_OPC) == -ESTALE,
	   "replay: counter 1 with other keys: -ESTALE");
	ok(update(1, NEW_K, SET1_OPC) == -ESTALE,
	   "replay: counter 1 with another OPc: -ESTALE");
	ok(update(0, NEW_K2, NEW_OPC) == -EINVAL, "counter 0: -EINVAL");
	ok(store_subscriber_update_keys(hss, "00101", 2, k, k) == -EINVAL,
	   "an IMSI too short: -EINVAL");
	ok(store_subscriber_update_keys(hss, "001010000000009", 2, k, k) ==
	   -ENOENT, "another IMSI: -ENOENT");
	ok(store_subscriber_update_keys(hss, TEST_IMPI, 2, k, k) == -EINVAL,
	   "the IMPI in place of the IMSI: -EINVAL");
	store_subscriber_wipe(&s1);
	s1 = stored();
	is_hex(s1.k, sizeof(s1.k), NEW_K, "refusals: K unchanged");
	is_hex(s1.opc, sizeof(s1.opc), NEW_OPC, "refusals: OPc unchanged");
	ok(s1.pub.sqn.seq == s0.pub.sqn.seq + 1,
	   "refusals: SQN as the last vector left it");

	ok(update(2, NEW_K2, SET1_OPC) == 0, "counter 2: switches again");
	ok(update(1, NEW_K, NEW_OPC) == -ESTALE,
	   "then the update of counter 1 again: -ESTALE (no rollback)");
	ok(update(0xffffffffu, SET1_K, SET1_OPC) == 0,
	   "counter 2^32 - 1: switches back to the set 1 keys");
	ok(update(0xfffffffeu, NEW_K, NEW_OPC) == -ESTALE,
	   "a counter below it: -ESTALE");
	auc_vector_wipe(&after);
	after = vector();
	ok(made_under(&after, SET1_K, SET1_OPC),
	   "the vector after it is under the set 1 keys again");
	OPENSSL_cleanse(k, sizeof(k));
	auc_vector_wipe(&before);
	auc_vector_wipe(&after);
	store_subscriber_wipe(&s0);
	store_subscriber_wipe(&s1);
}

static void test_durable(void)
{
	struct store_key key;
	struct store_subscriber s;

	store_close(hss);
	test_key(&key, 0x5a);
	hss = open_store(hss_path, &key);
	s = stored();
	is_hex(s.k, sizeof(s.k), SET1_K, "durable: K after reopening");
	store_subscriber_wipe(&s);
	ok(update(0xffffffffu, SET1_K, SET1_OPC) == 1,
	   "durable: the counter too (the last update is already done)");
}

/* A subscriber of a schema 11 store: counter 0, its keys as they were. */
static void test_migration(void)
{
	const char *path = scratch_path("v11.db");
	struct store_key key;
	struct store *store;
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];

	test_key(&key, 0x5a);
	store = open_store(path, &key);
	add_set1_subscriber(store, TEST_IMSI, TEST_IMPI);
	store_close(store);
	ok(raw_sql(path, UNDO_SCHEMAS_AFTER_11 " PRAGMA user_version = 11") ==
	   SQLITE_OK, "migration: the store made a version 11 one");
	store = open_store(path, &key);
	unhex(k, sizeof(k), SET1_K);
	unhex(opc, sizeof(opc), SET1_OPC);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   store_subscriber_update_keys(store, TEST_IMSI, 1, k, opc) == 0,
	   "migration: 11 -> %d, counter 0 (an update of counter 1 is new)",
	   SCHEMA_NOW);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	store_close(store);
}

int main(void)
{
	struct store_key key;

	scratch_make("keyupdate_hss");
	snprintf(hss_path, sizeof(hss_path), "%s", scratch_path("hss.db"));
	test_key(&key, 0x5a);
	hss = open_store(hss_path, &key);
	add_set1_subscriber(hss, TEST_IMSI, TEST_IMPI);

	test_switch();
	test_durable();
	test_migration();

	store_close(hss);
	scratch_remove();
	return done_testing();
}
