// SPDX-License-Identifier: GPL-2.0
/*
 * Role prov's record of its key updates in the store (store.h,
 * store_prov_update_*): added queued with K and OPc sealed; read back;
 * moved forward only, to the counter it has; a newer update refused
 * while the last is not hss-done and for a counter not above it, then
 * replacing a finished one; listed without keys; durable. And its
 * sessions (schema 14, store_prov_session_*): written and read back field
 * for field, the secret sealed (not in the file in the clear, a changed
 * bound column failing to open), one a USIM, removed, purged by age with
 * exact counts; the 13 -> 14 migration.
 */
#include <errno.h>
#include <time.h>

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

/* ---- the sessions -------------------------------------------------------- */

#define S_KEYS	"101112131415161718191a1b1c1d1e1f" \
		"202122232425262728292a2b2c2d2e2f" \
		"303132333435363738393a3b3c3d3e3f" \
		"404142434445464748494a4b4c4d4e4f"

static struct store_prov_session a_session(uint8_t id_fill)
{
	struct store_prov_session s = { .counter = 2,
					.step = STORE_PROV_STEP_UPDATE,
					.certs_sent = 2, .sm_counter = 2 };

	memset(s.id, id_fill, sizeof(s.id));
	strcpy(s.iccid, TEST_ICCID);
	s.sd_point[0] = 0x04;
	memset(s.sd_point + 1, 0x77, sizeof(s.sd_point) - 1);
	unhex(s.secret, sizeof(s.secret), S_KEYS);
	memset(s.chain, 0xc4, sizeof(s.chain));
	return s;
}

static void test_sessions(void)
{
	struct store_prov_session s = a_session(0x11), got;
	uint8_t key[16];

	ok(store_prov_session_put(prov, &s) == 0, "session: written");
	ok(store_prov_session_get(prov, s.id, &got) == 0 &&
	   !strcmp(got.iccid, TEST_ICCID) && got.counter == 2 &&
	   got.step == STORE_PROV_STEP_UPDATE && got.certs_sent == 2 &&
	   got.sm_counter == 2 &&
	   !memcmp(got.sd_point, s.sd_point, sizeof(s.sd_point)) &&
	   !memcmp(got.chain, s.chain, sizeof(s.chain)) &&
	   got.created > 0 && got.updated == got.created,
	   "session: read back by its id, every field");
	is_hex(got.secret, 64, S_KEYS, "session: the four session keys");
	store_prov_session_wipe(&got);
	memcpy(key, s.secret + 16, sizeof(key));
	ok(!store_files_contain(prov_path, key, sizeof(key)),
	   "session: S-MAC is not in the store's files in the clear");
	ok(store_prov_session_count(prov) == 1, "session: one kept");

	ok(raw_sql(prov_path, "UPDATE prov_sessions SET sm_counter = 3")
	   == SQLITE_OK && store_prov_session_get(prov, s.id, &got) ==
	   -EKEYREJECTED, "session: its secure messaging counter changed in"
	   " the file: the secret does not open, -EKEYREJECTED");
	ok(raw_sql(prov_path, "UPDATE prov_sessions SET sm_counter = 2,"
		   " chain = zeroblob(16)") == SQLITE_OK &&
	   store_prov_session_get(prov, s.id, &got) == -EKEYREJECTED,
	   "session: its MAC chaining value changed: -EKEYREJECTED");

	s = a_session(0x22);
	s.step = STORE_PROV_STEP_AUTHENTICATE;
	ok(store_prov_session_put(prov, &s) == 0 &&
	   store_prov_session_count(prov) == 1,
	   "session: a new one of the USIM replaces the last");
	memset(s.id, 0x11, sizeof(s.id));
	ok(store_prov_session_get(prov, s.id, &got) == -ENOENT,
	   "session: the last one's id is found no more");
	memset(s.id, 0x22, sizeof(s.id));
	ok(store_prov_session_get(prov, s.id, &got) == 0 &&
	   got.step == STORE_PROV_STEP_AUTHENTICATE,
	   "session: the new one, at its step (authenticate)");
	store_prov_session_wipe(&got);

	s.counter = 0;
	ok(store_prov_session_put(prov, &s) == -EINVAL,
	   "session: counter 0 refused, -EINVAL");
	s.counter = 2;
	s.certs_sent = 5;
	ok(store_prov_session_put(prov, &s) == -EINVAL,
	   "session: 5 certificates sent refused, -EINVAL");
	ok(store_prov_session_remove(prov, s.id) == 0 &&
	   store_prov_session_remove(prov, s.id) == -ENOENT &&
	   store_prov_session_count(prov) == 0,
	   "session: removed; again: -ENOENT; none kept");
}

/*
 * Abandoned sessions purged by age: three USIMs' rows last written 2 h,
 * 1 h 1 s and 10 s ago; purged before "1 h ago": exactly the first two.
 */
static void test_purge(void)
{
	static const char *const iccids[] = {
		"8988211000000000101", "8988211000000000102",
		"8988211000000000103",
	};
	int64_t now = (int64_t)time(NULL);
	struct store_prov_session s, got;
	char sql[256];
	size_t i;
	int ret = 0;

	ok(store_prov_session_purge(prov, now + 1) == 0,
	   "purge: none kept, none purged (0)");
	for (i = 0; i < 3; i++) {
		s = a_session((uint8_t)(0x41 + i));
		strcpy(s.iccid, iccids[i]);
		ret |= store_prov_session_put(prov, &s);
	}
	snprintf(sql, sizeof(sql), "UPDATE prov_sessions SET updated = CASE"
		 " iccid WHEN '%s' THEN %lld WHEN '%s' THEN %lld ELSE %lld END",
		 iccids[0], (long long)(now - 7200), iccids[1],
		 (long long)(now - 3601), (long long)(now - 10));
	ok(!ret && raw_sql(prov_path, sql) == SQLITE_OK &&
	   store_prov_session_count(prov) == 3,
	   "purge: three sessions, last written 7200, 3601 and 10 s ago");
	ok(store_prov_session_purge(prov, now - 3600) == 2 &&
	   store_prov_session_count(prov) == 1,
	   "purge: before 3600 s ago: exactly 2 purged, 1 kept");
	memset(s.id, 0x43, sizeof(s.id));
	ok(store_prov_session_get(prov, s.id, &got) == 0 &&
	   !strcmp(got.iccid, iccids[2]),
	   "purge: the one kept is the 10 s old one, and still opens");
	store_prov_session_wipe(&got);
	memset(s.id, 0x41, sizeof(s.id));
	ok(store_prov_session_get(prov, s.id, &got) == -ENOENT,
	   "purge: the 7200 s old one is found no more");
	ok(store_prov_session_purge(prov, now - 3600) == 0 &&
	   store_prov_session_purge(prov, now + 1) == 1 &&
	   store_prov_session_count(prov) == 0,
	   "purge: again 0, then before now + 1: the last 1");
}

static void test_migration(void)
{
	const char *path = scratch_path("v13.db");
	struct store_prov_session s = a_session(0x33), got;
	struct store_key key;
	struct store *store;

	test_key(&key, 0x5a);
	store = open_store(path, &key);
	store_close(store);
	ok(raw_sql(path, UNDO_SCHEMAS_AFTER_13 " PRAGMA user_version = 13") ==
	   SQLITE_OK, "migration: the store made a version 13 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   store_prov_session_count(store) == 0 &&
	   store_prov_session_put(store, &s) == 0 &&
	   store_prov_session_get(store, s.id, &got) == 0,
	   "migration: 13 -> %d, no session, then one kept", SCHEMA_NOW);
	store_prov_session_wipe(&got);
	store_close(store);
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
	test_sessions();
	test_purge();
	test_migration();

	store_close(prov);
	scratch_remove();
	return done_testing();
}
