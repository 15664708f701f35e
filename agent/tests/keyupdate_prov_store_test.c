// SPDX-License-Identifier: GPL-2.0
/*
 * Role prov's record of its key updates in the store (store.h,
 * store_prov_update_*): added queued with K and OPc sealed; read back;
 * moved forward only, to the counter it has; a newer update refused
 * while the last is not hss-done and for a counter not above it, then
 * replacing a finished one; listed without keys; durable.
 */
#include <errno.h>

#include <openssl/crypto.h>

#include "store_fixture.h"

#define NEW_K	"000102030405060708090a0b0c0d0e0f"
#define NEW_OPC	"f0e0d0c0b0a090807060504030201000"

static struct store *prov;
static char prov_path[SCRATCH_PATH_MAX];

static int add(uint32_t counter, const char *k_hex)
{
	struct store_prov_update u = { .pub = { .iccid = TEST_ICCID,
						.imsi = TEST_IMSI,
						.counter = counter } };
	int ret;

	unhex(u.k, sizeof(u.k), k_hex);
	unhex(u.opc, sizeof(u.opc), NEW_OPC);
	ret = store_prov_update_add(prov, &u);
	store_prov_update_wipe(&u);
	return ret;
}

static int listed(const struct store_prov_update_info *info, void *arg)
{
	char *out = arg;

	snprintf(out, 128, "%s %s %u %s", info->iccid, info->imsi,
		 info->counter, store_prov_state_name(info->state));
	return 0;
}

static void test_record(void)
{
	struct store_prov_update u;
	uint8_t k[16];
	char line[128] = "";

	ok(add(1, NEW_K) == 0, "add: counter 1 queued");
	ok(store_prov_update_get(prov, TEST_ICCID, &u) == 0 &&
	   u.pub.counter == 1 && u.pub.state == STORE_PROV_QUEUED &&
	   !strcmp(u.pub.imsi, TEST_IMSI), "get: queued, counter 1, the IMSI");
	is_hex(u.k, 16, NEW_K, "get: K");
	is_hex(u.opc, 16, NEW_OPC, "get: OPc");
	unhex(k, sizeof(k), NEW_K);
	ok(!file_contains(prov_path, k, sizeof(k)),
	   "K is not in the store file in the clear");
	store_prov_update_wipe(&u);
	ok(add(2, SET1_K) == -EBUSY, "add: another while queued: -EBUSY");
	ok(store_prov_update_advance(prov, TEST_ICCID, 2,
				     STORE_PROV_USIM_DONE) == -ESTALE,
	   "advance: another counter: -ESTALE");
	ok(store_prov_update_advance(prov, TEST_ICCID, 1,
				     STORE_PROV_USIM_DONE) == 0,
	   "advance: usim-done");
	ok(store_prov_update_advance(prov, TEST_ICCID, 1,
				     STORE_PROV_USIM_DONE) == 0,
	   "advance: usim-done again: 0, nothing changed");
	ok(store_prov_update_advance(prov, TEST_ICCID, 1,
				     STORE_PROV_QUEUED) == -EINVAL,
	   "advance: back to queued: -EINVAL");
	ok(add(2, SET1_K) == -EBUSY, "add: another while usim-done: -EBUSY");
	ok(store_prov_update_list(prov, listed, line) == 0 &&
	   !strcmp(line, TEST_ICCID " " TEST_IMSI " 1 usim-done"),
	   "list: %s", line);
	ok(store_prov_update_advance(prov, TEST_ICCID, 1,
				     STORE_PROV_HSS_DONE) == 0,
	   "advance: hss-done");
	ok(store_prov_update_advance(prov, TEST_ICCID, 1,
				     STORE_PROV_USIM_DONE) == -EINVAL,
	   "advance: back to usim-done: -EINVAL");
	ok(add(1, SET1_K) == -ESTALE, "add: counter 1 again: -ESTALE");
	ok(add(2, SET1_K) == 0, "add: counter 2 after hss-done: replaces it");
	ok(store_prov_update_get(prov, TEST_ICCID, &u) == 0 &&
	   u.pub.counter == 2 && u.pub.state == STORE_PROV_QUEUED,
	   "get: counter 2, queued");
	is_hex(u.k, 16, SET1_K, "get: the new K");
	store_prov_update_wipe(&u);
	ok(store_prov_update_get(prov, "8988211000000000009", &u) == -ENOENT,
	   "get: another ICCID: -ENOENT");
	ok(store_prov_update_list(prov, NULL, NULL) == 1, "list: count 1");
	u = (struct store_prov_update){ .pub = { .iccid = "8988211000000000009",
						 .imsi = TEST_IMSI,
						 .counter = 1,
						 .state = STORE_PROV_USIM_DONE } };
	ok(store_prov_update_add(prov, &u) == -EINVAL,
	   "add: a record not queued: -EINVAL");
}

static void test_durable(void)
{
	struct store_key key;
	struct store_prov_update u;

	store_close(prov);
	test_key(&key, 0x5a);
	prov = open_store(prov_path, &key);
	ok(store_prov_update_get(prov, TEST_ICCID, &u) == 0 &&
	   u.pub.counter == 2, "durable: the record after reopening");
	store_prov_update_wipe(&u);
}

int main(void)
{
	struct store_key key;

	scratch_make("keyupdate_prov");
	snprintf(prov_path, sizeof(prov_path), "%s", scratch_path("prov.db"));
	test_key(&key, 0x5a);
	prov = open_store(prov_path, &key);

	test_record();
	test_durable();

	store_close(prov);
	scratch_remove();
	return done_testing();
}
