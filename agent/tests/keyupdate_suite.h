/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS's half of a long-term key update (seed 004 step 6,
 * Documentation/key-update.md) as every engine must do it, with the same
 * exact expectations: store_subscriber_update_keys() switches K and OPc
 * in one transaction with the SQN state kept, under a counter that must
 * rise; the same update sent again changes nothing and says so; every
 * refusal leaves the subscriber as it was; the vectors after the switch
 * are Milenage's under the new keys, their SQN going on from the last
 * one before it; the new keys are not in the engine's storage in the
 * clear; and the switch and its counter are there after the store is
 * opened again.
 *
 * keyupdate_hss_store_test.c runs it on SQLite, store_pg_test.c on
 * PostgreSQL, each on a store holding the set 1 subscriber TEST_IMSI as
 * add_set1_subscriber() adds it (counter 0, no vector yet), and each
 * with what only the engine can do (struct keyupdate_engine).
 */
#ifndef E2M_KEYUPDATE_SUITE_H
#define E2M_KEYUPDATE_SUITE_H

#include <errno.h>

#include <openssl/crypto.h>

#include "aka/auc.h"
#include "crypto/milenage.h"
#include "store_fixture.h"

#define NEW_K	"000102030405060708090a0b0c0d0e0f"
#define NEW_OPC	"f0e0d0c0b0a090807060504030201000"
#define NEW_K2	"0f0e0d0c0b0a09080706050403020100"

struct keyupdate_engine {
	/* Whether k or opc is in the store's storage in the clear. */
	bool (*in_clear)(const uint8_t *k, const uint8_t *opc);
	/* The store closed, and opened again with the same key. */
	struct store *(*reopen)(struct store *store);
};

static struct store *ku_store;

static int ku_update(uint32_t counter, const char *k_hex,
		     const char *opc_hex)
{
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];
	int ret;

	unhex(k, sizeof(k), k_hex);
	unhex(opc, sizeof(opc), opc_hex);
	ret = store_subscriber_update_keys(ku_store, TEST_IMSI, counter, k,
					   opc);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	return ret;
}

static struct store_subscriber ku_stored(void)
{
	struct store_subscriber sub;

	if (store_subscriber_get(ku_store, TEST_IMSI, &sub))
		bail("store_subscriber_get");
	return sub;
}

/* Whether a vector's XRES and AUTN are Milenage's under k/opc. */
static bool ku_made_under(const struct auc_vector *v, const char *k_hex,
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

static struct auc_vector ku_vector(void)
{
	struct auc_vector v;

	if (auc_vector(ku_store, TEST_IMSI, 0, &v))
		bail("auc_vector");
	return v;
}

static uint64_t ku_sqn_of(const struct auc_vector *v)
{
	uint64_t value = 0;
	int i;

	for (i = 0; i < AKA_SQN_LEN; i++)
		value = value << 8 | v->sqn[i];
	return value;
}

/* The first switch: keys, SQN state and storage after it. */
static void ku_test_first_switch(const struct keyupdate_engine *engine,
				 struct store_subscriber *s0)
{
	struct auc_vector before, after;
	struct store_subscriber s1;
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];

	before = ku_vector();
	ok(ku_made_under(&before, SET1_K, SET1_OPC),
	   "switch: a vector before it is under the set 1 keys");
	*s0 = ku_stored();
	ok(ku_update(1, NEW_K, NEW_OPC) == 0, "switch: counter 1 switches: 0");
	s1 = ku_stored();
	is_hex(s1.k, sizeof(s1.k), NEW_K, "switch: K is the new one");
	is_hex(s1.opc, sizeof(s1.opc), NEW_OPC, "switch: OPc is the new one");
	ok(s1.pub.sqn.seq == s0->pub.sqn.seq &&
	   s1.pub.sqn.ind == s0->pub.sqn.ind &&
	   s1.pub.sqn.ind_bits == s0->pub.sqn.ind_bits &&
	   !memcmp(s1.pub.amf, s0->pub.amf, 2) &&
	   s1.pub.flags == s0->pub.flags && !strcmp(s1.pub.impi, s0->pub.impi),
	   "switch: SQN state, AMF, flags, IMPI as they were");
	after = ku_vector();
	ok(ku_made_under(&after, NEW_K, NEW_OPC) &&
	   !ku_made_under(&after, SET1_K, SET1_OPC),
	   "switch: the next vector is under the new keys, not the old");
	ok(ku_sqn_of(&after) == ku_sqn_of(&before) + 32 + 1,
	   "switch: its SQN is the one after the last (SEQ + 1, IND + 1)");
	unhex(k, sizeof(k), NEW_K);
	unhex(opc, sizeof(opc), NEW_OPC);
	ok(!engine->in_clear(k, opc),
	   "switch: the new keys are not in the store in the clear");
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	auc_vector_wipe(&before);
	auc_vector_wipe(&after);
	store_subscriber_wipe(&s1);
}

/* Each refusal, then the subscriber as the last switch left it. */
static void ku_test_refusals(const struct store_subscriber *s0)
{
	struct store_subscriber s1;
	uint8_t k[AKA_K_LEN];

	unhex(k, sizeof(k), NEW_K);
	ok(ku_update(1, NEW_K, NEW_OPC) == 1,
	   "again: the same update (counter, keys) says 1, already done");
	ok(ku_update(1, NEW_K2, NEW_OPC) == -ESTALE,
	   "replay: counter 1 with other keys: -ESTALE");
	ok(ku_update(1, NEW_K, SET1_OPC) == -ESTALE,
	   "replay: counter 1 with another OPc: -ESTALE");
	ok(ku_update(0, NEW_K2, NEW_OPC) == -EINVAL, "counter 0: -EINVAL");
	ok(store_subscriber_update_keys(ku_store, "00101", 2, k, k) == -EINVAL,
	   "an IMSI too short: -EINVAL");
	ok(store_subscriber_update_keys(ku_store, "001010000000009", 2, k,
					k) == -ENOENT,
	   "another IMSI: -ENOENT");
	ok(store_subscriber_update_keys(ku_store, TEST_IMPI, 2, k, k) ==
	   -EINVAL, "the IMPI in place of the IMSI: -EINVAL");
	OPENSSL_cleanse(k, sizeof(k));
	s1 = ku_stored();
	is_hex(s1.k, sizeof(s1.k), NEW_K, "refusals: K unchanged");
	is_hex(s1.opc, sizeof(s1.opc), NEW_OPC, "refusals: OPc unchanged");
	ok(s1.pub.sqn.seq == s0->pub.sqn.seq + 1,
	   "refusals: SQN as the last vector left it");
	store_subscriber_wipe(&s1);
}

/* Counters that go on rising, up to 2^32 - 1, and none going back. */
static void ku_test_counters(void)
{
	struct auc_vector after;

	ok(ku_update(2, NEW_K2, SET1_OPC) == 0, "counter 2: switches again");
	ok(ku_update(1, NEW_K, NEW_OPC) == -ESTALE,
	   "then the update of counter 1 again: -ESTALE (no rollback)");
	ok(ku_update(0xffffffffu, SET1_K, SET1_OPC) == 0,
	   "counter 2^32 - 1: switches back to the set 1 keys");
	ok(ku_update(0xfffffffeu, NEW_K, NEW_OPC) == -ESTALE,
	   "a counter below it: -ESTALE");
	after = ku_vector();
	ok(ku_made_under(&after, SET1_K, SET1_OPC),
	   "the vector after it is under the set 1 keys again");
	auc_vector_wipe(&after);
}

static void ku_test_durable(const struct keyupdate_engine *engine)
{
	struct store_subscriber s;

	ku_store = engine->reopen(ku_store);
	s = ku_stored();
	is_hex(s.k, sizeof(s.k), SET1_K, "durable: K after reopening");
	store_subscriber_wipe(&s);
	ok(ku_update(0xffffffffu, SET1_K, SET1_OPC) == 1,
	   "durable: the counter too (the last update is already done)");
}

/*
 * The whole run, on *store as the top says; 25 tests. *store is the
 * store opened again at the end.
 */
static inline void keyupdate_suite_run(struct store **store,
				       const struct keyupdate_engine *engine)
{
	struct store_subscriber s0;

	ku_store = *store;
	ku_test_first_switch(engine, &s0);
	ku_test_refusals(&s0);
	ku_test_counters();
	ku_test_durable(engine);
	store_subscriber_wipe(&s0);
	*store = ku_store;
}

#endif /* E2M_KEYUPDATE_SUITE_H */
