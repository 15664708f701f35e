// SPDX-License-Identifier: GPL-2.0
/*
 * The software USIM's side of a long-term key update (issue 15 item 4,
 * Documentation/key-update.md): new K and OPc staged beside the current
 * ones under an update counter that must rise; AUTN checked under the
 * pending keys first, the current ones after; the first AKA that succeeds
 * under the new keys makes them current and wipes the old, after which
 * the old keys fail. The network side is Milenage with the keys the HSS
 * would hold, before and after its switch.
 */
#include <errno.h>

#include <openssl/crypto.h>

#include "aka/usim.h"
#include "crypto/milenage.h"
#include "store_fixture.h"

#define NEW_K	"000102030405060708090a0b0c0d0e0f"
#define NEW_OPC	"f0e0d0c0b0a090807060504030201000"
#define NEW_K2	"0f0e0d0c0b0a09080706050403020100"

static struct store *ue;
static char ue_path[SCRATCH_PATH_MAX];

/* An AUTN under k/opc for SEQ seq with IND 0 (5 IND bits). */
struct challenge {
	uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN], xres[AKA_RES_LEN];
};

static struct challenge challenge(const char *k_hex, const char *opc_hex,
				  uint64_t seq, uint8_t rand_fill)
{
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN], sqn[AKA_SQN_LEN], amf[2];
	uint64_t value = seq << 5;
	struct challenge c;
	struct milenage m;
	int i;

	unhex(k, sizeof(k), k_hex);
	unhex(opc, sizeof(opc), opc_hex);
	unhex(amf, sizeof(amf), SET1_AMF);
	for (i = 0; i < AKA_SQN_LEN; i++)
		sqn[i] = (uint8_t)(value >> (8 * (AKA_SQN_LEN - 1 - i)));
	memset(c.rand, rand_fill, sizeof(c.rand));
	if (milenage_init(&m, k, opc) ||
	    milenage_autn(&m, c.rand, sqn, amf, c.autn) ||
	    milenage_f2345(&m, c.rand, c.xres, NULL, NULL, NULL, NULL))
		bail("milenage");
	milenage_free(&m);
	return c;
}

static int authenticate(const struct challenge *c, uint8_t auts[AKA_AUTS_LEN],
			int *res_ok)
{
	uint8_t res[AKA_RES_LEN], local_auts[AKA_AUTS_LEN];
	struct usim *usim;
	int ret;

	if (usim_open(&usim, ue, TEST_ICCID))
		bail("usim_open");
	ret = usim_authenticate(usim, c->rand, c->autn, res, NULL, NULL,
				auts ? auts : local_auts);
	if (res_ok)
		*res_ok = !CRYPTO_memcmp(res, c->xres, sizeof(res));
	usim_close(usim);
	return ret;
}

static struct store_usim stored(void)
{
	struct store_usim usim;

	if (store_usim_get(ue, TEST_ICCID, &usim))
		bail("store_usim_get");
	return usim;
}

static int stage(uint32_t counter, const char *k_hex, const char *opc_hex)
{
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];
	int ret;

	unhex(k, sizeof(k), k_hex);
	unhex(opc, sizeof(opc), opc_hex);
	ret = store_usim_stage_keys(ue, TEST_ICCID, counter, k, opc);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	return ret;
}

static void test_staging(void)
{
	struct store_usim u = stored();

	ok(!u.pub.has_pending && u.pub.update_counter == 0,
	   "a new USIM: nothing pending, update counter 0");
	ok(stage(0, NEW_K, NEW_OPC) == -EINVAL, "stage: counter 0 refused");
	ok(stage(1, NEW_K, NEW_OPC) == 0, "stage: update 1 accepted");
	u = stored();
	ok(u.pub.has_pending && u.pub.update_counter == 1,
	   "stage: keys pending, counter 1");
	is_hex(u.pending_k, sizeof(u.pending_k), NEW_K, "stage: pending K");
	is_hex(u.pending_opc, sizeof(u.pending_opc), NEW_OPC,
	       "stage: pending OPc");
	is_hex(u.k, sizeof(u.k), SET1_K, "stage: current K unchanged");
	is_hex(u.opc, sizeof(u.opc), SET1_OPC, "stage: current OPc unchanged");
	ok(stage(1, NEW_K, NEW_OPC) == 0,
	   "stage: the same update sent again is answered again");
	ok(stage(1, NEW_K2, NEW_OPC) == -ESTALE,
	   "stage: other keys under the same counter refused (replay)");
	ok(stage(2, NEW_K2, NEW_OPC) == -EBUSY,
	   "stage: a newer update refused while one is pending");
	u = stored();
	is_hex(u.pending_k, sizeof(u.pending_k), NEW_K,
	       "stage: the refusals changed nothing");
	store_usim_wipe(&u);
}

static void test_switch(void)
{
	struct challenge c;
	uint8_t auts[AKA_AUTS_LEN], k[AKA_K_LEN], opc[AKA_OP_LEN];
	uint8_t sqn_ms[AKA_SQN_LEN];
	struct store_usim u;
	struct milenage m;
	int res_ok = 0, ret;

	/* The HSS has not switched yet: the current keys still work. */
	c = challenge(SET1_K, SET1_OPC, 1, 0x11);
	ok(authenticate(&c, NULL, &res_ok) == USIM_OK && res_ok,
	   "before the HSS switches: AKA under the current keys");
	u = stored();
	ok(u.pub.has_pending, "before the HSS switches: still pending");

	/* The HSS switched; a stale SQN under the new keys. */
	c = challenge(NEW_K, NEW_OPC, 1, 0x22);
	ok(authenticate(&c, auts, NULL) == USIM_SYNC_FAILURE,
	   "new keys, stale SQN: sync failure");
	unhex(k, sizeof(k), NEW_K);
	unhex(opc, sizeof(opc), NEW_OPC);
	ret = milenage_init(&m, k, opc) ||
	      milenage_check_auts(&m, c.rand, auts, sqn_ms);
	milenage_free(&m);
	ok(!ret, "new keys, stale SQN: AUTS made under the new keys");
	u = stored();
	ok(u.pub.has_pending, "new keys, stale SQN: no switch yet");

	c = challenge(NEW_K, NEW_OPC, 2, 0x33);
	ok(authenticate(&c, NULL, &res_ok) == USIM_OK && res_ok,
	   "the HSS switched: AKA under the pending keys, RES under them");
	u = stored();
	ok(!u.pub.has_pending && u.pub.update_counter == 1,
	   "switched: nothing pending, counter kept");
	is_hex(u.k, sizeof(u.k), NEW_K, "switched: K is the new one");
	is_hex(u.opc, sizeof(u.opc), NEW_OPC, "switched: OPc is the new one");
	is_hex(u.pending_k, sizeof(u.pending_k),
	       "00000000000000000000000000000000", "switched: no pending K");

	c = challenge(SET1_K, SET1_OPC, 3, 0x44);
	ok(authenticate(&c, NULL, NULL) == USIM_MAC_FAILURE,
	   "switched: the old keys now fail at MAC verification");
	c = challenge(NEW_K, NEW_OPC, 3, 0x55);
	ok(authenticate(&c, NULL, &res_ok) == USIM_OK && res_ok,
	   "switched: the new keys go on working");
	ok(!file_contains(ue_path, (const uint8_t *)"\x46\x5b\x5c\xe8\xb1\x99\xb4\x9f", 8),
	   "switched: the old K is not in the store file in the clear");

	ok(stage(1, NEW_K, NEW_OPC) == -ESTALE,
	   "after: update 1 replayed is refused");
	ok(stage(2, NEW_K2, NEW_OPC) == 0, "after: update 2 accepted");
	c = challenge(NEW_K2, SET1_OPC, 4, 0x66);
	ok(authenticate(&c, NULL, NULL) == USIM_MAC_FAILURE,
	   "after: a MAC wrong under both key sets fails");
	u = stored();
	ok(u.pub.has_pending && u.pub.update_counter == 2,
	   "after: and changes nothing");
	store_usim_wipe(&u);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
}

/* What is staged survives closing the store: it is on disk at return. */
static void test_durable(void)
{
	struct store_key key;
	struct store_usim u;

	store_close(ue);
	test_key(&key, 0x5a);
	ue = open_store(ue_path, &key);
	u = stored();
	ok(u.pub.has_pending && u.pub.update_counter == 2,
	   "durable: pending keys and counter after reopening");
	is_hex(u.pending_k, sizeof(u.pending_k), NEW_K2,
	       "durable: the pending K read back");
	store_usim_wipe(&u);
}

/* A USIM of a schema 7 store comes through the migration with nothing
 * pending and update counter 0, its keys as they were. */
static void test_migration(void)
{
	const char *path = scratch_path("v7.db");
	struct store_key key;
	struct store *store;
	struct store_usim u;
	int ret;

	test_key(&key, 0x5a);
	store = open_store(path, &key);
	add_set1_usim(store, TEST_ICCID, SET1_K, 0);
	store_close(store);
	ok(raw_sql(path, UNDO_SCHEMAS_AFTER_7 " PRAGMA user_version = 7") ==
	   SQLITE_OK, "migration: the store made a version 7 one");
	store = open_store(path, &key);
	ret = store_usim_get(store, TEST_ICCID, &u);
	ok(store_schema_version(store) == SCHEMA_NOW && ret == 0 &&
	   !u.pub.has_pending && u.pub.update_counter == 0,
	   "migration: 7 -> %d, the USIM with nothing pending, counter 0",
	   SCHEMA_NOW);
	is_hex(u.k, sizeof(u.k), SET1_K, "migration: K as it was");
	store_usim_wipe(&u);
	store_close(store);
}

int main(void)
{
	struct store_key key;

	scratch_make("keyupdate");
	snprintf(ue_path, sizeof(ue_path), "%s", scratch_path("ue.db"));
	test_key(&key, 0x5a);
	ue = open_store(ue_path, &key);
	add_set1_usim(ue, TEST_ICCID, SET1_K, 0);

	test_staging();
	test_switch();
	test_durable();
	test_migration();

	store_close(ue);
	scratch_remove();
	return done_testing();
}
