// SPDX-License-Identifier: GPL-2.0
/*
 * The HSS/AuC (aka/auc.c) on a real store with the TS 35.208 set 1
 * subscriber: vectors recomputed with Milenage, SQN stored before the
 * vector leaves, AMF bits, resynchronisation with a good and a bad MAC-S,
 * SQN exhaustion.
 */
#include <errno.h>

#include <openssl/crypto.h>

#include "aka/auc.h"
#include "aka/sqn.h"
#include "crypto/milenage.h"
#include "store_fixture.h"

static struct store_key key;

static void set1_milenage(struct milenage *m)
{
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];

	unhex(k, sizeof(k), SET1_K);
	unhex(opc, sizeof(opc), SET1_OPC);
	if (milenage_init(m, k, opc))
		bail("milenage_init");
	OPENSSL_cleanse(k, sizeof(k));
}

/* Everything in a vector, recomputed from its RAND, SQN and AMF. */
static int vector_consistent(const struct auc_vector *v)
{
	uint8_t xres[AKA_RES_LEN], ck[AKA_CK_LEN], ik[AKA_IK_LEN];
	uint8_t autn[AKA_AUTN_LEN], sqn[AKA_SQN_LEN];
	struct milenage m;
	int good;

	set1_milenage(&m);
	good = !milenage_f2345(&m, v->rand, xres, ck, ik, NULL, NULL) &&
	       !milenage_autn(&m, v->rand, v->sqn, v->amf, autn) &&
	       !milenage_check_autn(&m, v->rand, v->autn, sqn) &&
	       !memcmp(xres, v->xres, sizeof(xres)) &&
	       !memcmp(ck, v->ck, sizeof(ck)) &&
	       !memcmp(ik, v->ik, sizeof(ik)) &&
	       !memcmp(autn, v->autn, sizeof(autn)) &&
	       !memcmp(sqn, v->sqn, sizeof(sqn)) &&
	       !memcmp(v->autn + AKA_SQN_LEN, v->amf, AKA_AMF_LEN);
	milenage_free(&m);
	OPENSSL_cleanse(ck, sizeof(ck));
	OPENSSL_cleanse(ik, sizeof(ik));
	return good;
}

static struct store_sqn_he stored_sqn(struct store *store, const char *id)
{
	struct store_subscriber sub;
	struct store_sqn_he sqn = { 0 };

	if (store_subscriber_get(store, id, &sub) == 0)
		sqn = sub.pub.sqn;
	store_subscriber_wipe(&sub);
	return sqn;
}

static void test_vectors(struct store *store)
{
	struct auc_vector v, w;
	int ret;

	ret = auc_vector(store, TEST_IMSI, 0, &v);
	ok(ret == 0, "vector: made by IMSI");
	ok(vector_consistent(&v),
	   "vector: XRES, CK, IK and AUTN are Milenage's for its RAND and SQN");
	is_hex(v.sqn, sizeof(v.sqn), "000000000020",
	       "vector: the first SQN is SEQ 1, IND 0");
	is_hex(v.amf, sizeof(v.amf), SET1_AMF, "vector: the subscriber's AMF");
	ok(stored_sqn(store, TEST_IMSI).seq == 1 &&
	   stored_sqn(store, TEST_IMSI).ind == 1,
	   "vector: SEQ_HE 1 and the next IND 1 are stored");

	ret = auc_vector(store, TEST_IMPI, AUC_AMF_SEPARATION | AUC_AMF_E2M, &w);
	ok(ret == 0 && vector_consistent(&w), "vector: made by IMPI");
	is_hex(w.sqn, sizeof(w.sqn), "000000000041",
	       "vector: the second SQN is SEQ 2, IND 1");
	is_hex(w.amf, sizeof(w.amf), "f9b9",
	       "vector: AMF bits 0 and 1 set on request");
	ok(memcmp(v.rand, w.rand, sizeof(v.rand)) != 0,
	   "vector: a fresh RAND each time");
	auc_vector_wipe(&v);
	auc_vector_wipe(&w);

	memset(&v, 0xee, sizeof(v));
	ret = auc_vector(store, "999990000000000", 0, &v);
	ok(ret == -ENOENT && v.ck[0] == 0 && v.xres[0] == 0,
	   "vector: unknown subscriber is -ENOENT, vector zeroed");
}

static void test_many(struct store *store)
{
	struct auc_vector v;
	uint64_t last = 0;
	int i, ret = 0, increasing = 1;

	for (i = 0; i < 100 && !ret; i++) {
		ret = auc_vector(store, TEST_IMSI, 0, &v);
		increasing &= sqn_value(v.sqn) > last;
		last = sqn_value(v.sqn);
		auc_vector_wipe(&v);
	}
	ok(ret == 0 && increasing,
	   "100 vectors: every SQN greater than the one before");
	ok(stored_sqn(store, TEST_IMSI).seq == 102 &&
	   stored_sqn(store, TEST_IMSI).ind == 102 % 32,
	   "100 vectors: SEQ_HE 102, IND cycled");
}

/* The USIM's side of a resync, by hand: AUTS for SQN_MS = SEQ || IND. */
static void make_auts(const uint8_t rand[AKA_RAND_LEN], uint64_t seq,
		      uint32_t ind, uint8_t auts[AKA_AUTS_LEN])
{
	uint8_t sqn_ms[AKA_SQN_LEN];
	struct milenage m;

	sqn_encode(sqn_ms, seq, ind, STORE_IND_BITS_DEFAULT);
	set1_milenage(&m);
	if (milenage_auts(&m, rand, sqn_ms, auts))
		bail("milenage_auts");
	milenage_free(&m);
}

static void test_resync(struct store *store)
{
	uint8_t auts[AKA_AUTS_LEN];
	struct auc_vector v;
	int ret;

	ret = auc_vector(store, TEST_IMSI, 0, &v);
	ok(ret == 0, "resync: a vector the USIM will call stale");

	make_auts(v.rand, 1000, 3, auts);
	auts[AKA_AUTS_LEN - 1] ^= 0x01;
	ret = auc_resync(store, TEST_IMSI, v.rand, auts);
	ok(ret == -EBADMSG && stored_sqn(store, TEST_IMSI).seq == 103,
	   "resync: a bad MAC-S is -EBADMSG, SQN unchanged");
	auts[AKA_AUTS_LEN - 1] ^= 0x01;
	v.rand[0] ^= 0x01;
	ret = auc_resync(store, TEST_IMSI, v.rand, auts);
	ok(ret == -EBADMSG, "resync: the wrong RAND is -EBADMSG");
	v.rand[0] ^= 0x01;

	ret = auc_resync(store, TEST_IMPI, v.rand, auts);
	ok(ret == 0 && stored_sqn(store, TEST_IMSI).seq == 1000,
	   "resync: SEQ_HE adopts SEQ_MS 1000");
	auc_vector_wipe(&v);
	ret = auc_vector(store, TEST_IMSI, 0, &v);
	ok(ret == 0 && sqn_value(v.sqn) >> 5 == 1001,
	   "resync: the next vector has SEQ 1001");

	make_auts(v.rand, 10, 0, auts);
	ret = auc_resync(store, TEST_IMSI, v.rand, auts);
	ok(ret == 0 && stored_sqn(store, TEST_IMSI).seq == 1001,
	   "resync: a lower SEQ_MS leaves SEQ_HE (SQNs are never reused)");
	auc_vector_wipe(&v);

	ret = auc_resync(store, "999990000000000", v.rand, auts);
	ok(ret == -ENOENT, "resync: unknown subscriber is -ENOENT");
}

static void test_exhausted(struct store *store)
{
	struct store_subscriber sub;
	struct auc_vector v;
	int ret;

	set1_subscriber(&sub, "001010000000009", "last@home1.net");
	sub.pub.sqn.seq = sqn_seq_max(STORE_IND_BITS_DEFAULT) - 1;
	ret = store_subscriber_add(store, &sub);
	store_subscriber_wipe(&sub);
	ok(ret == 0, "exhausted: a subscriber one SQN from the end");
	ret = auc_vector(store, "last@home1.net", 0, &v);
	is_hex(v.sqn, sizeof(v.sqn), ret ? "error" : "ffffffffffe0",
	       "exhausted: the last SEQ is handed out");
	ret = auc_vector(store, "last@home1.net", 0, &v);
	ok(ret == -EOVERFLOW && v.ck[0] == 0,
	   "exhausted: then -EOVERFLOW, nothing handed out");
	ok(stored_sqn(store, "last@home1.net").seq ==
	   sqn_seq_max(STORE_IND_BITS_DEFAULT),
	   "exhausted: the stored state stays at the last SEQ");
}

/* The AuC never sees a subscriber's secrets outside the store's seal. */
static void test_wrong_store_key(const char *path)
{
	struct store_key other;
	struct store *store;
	int ret;

	test_key(&other, 0x77);
	ret = store_open(&store, path, &other, NULL, 0);
	ok(ret == -EKEYREJECTED, "wrong store key: no AuC at all");
	store_key_wipe(&other);
}

int main(void)
{
	char path[SCRATCH_PATH_MAX];
	struct store *store;

	scratch_make("auc_test");
	snprintf(path, sizeof(path), "%s", scratch_path("hss.db"));
	test_key(&key, 0x42);
	store = open_store(path, &key);
	add_set1_subscriber(store, TEST_IMSI, TEST_IMPI);

	test_vectors(store);
	test_many(store);
	test_resync(store);
	test_exhausted(store);
	store_close(store);
	test_wrong_store_key(path);

	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
