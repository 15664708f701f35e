// SPDX-License-Identifier: GPL-2.0
/*
 * The HSS's half of a long-term key update in the SQLite store (seed 004
 * step 6, Documentation/key-update.md): the engines' common key-update
 * cases (keyupdate_suite.h; store_pg_test.c runs them on PostgreSQL),
 * the database file searched for the new keys in the clear, and a
 * subscriber of a schema 11 store coming through the migration with
 * counter 0.
 */
#include "keyupdate_suite.h"

static struct store_key key;
static char hss_path[SCRATCH_PATH_MAX];

/* The database file in the clear: K or OPc anywhere in it. */
static bool sqlite_in_clear(const uint8_t *k, const uint8_t *opc)
{
	return file_contains(hss_path, k, AKA_K_LEN) ||
	       file_contains(hss_path, opc, AKA_OP_LEN);
}

static struct store *sqlite_reopen(struct store *store)
{
	store_close(store);
	return open_store(hss_path, &key);
}

static const struct keyupdate_engine sqlite_engine = {
	.in_clear = sqlite_in_clear,
	.reopen = sqlite_reopen,
};

/* A subscriber of a schema 11 store: counter 0, its keys as they were. */
static void test_migration(void)
{
	const char *path = scratch_path("v11.db");
	struct store *store;
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];

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
	struct store *hss;

	scratch_make("keyupdate_hss");
	snprintf(hss_path, sizeof(hss_path), "%s", scratch_path("hss.db"));
	test_key(&key, 0x5a);
	hss = open_store(hss_path, &key);
	add_set1_subscriber(hss, TEST_IMSI, TEST_IMPI);

	keyupdate_suite_run(&hss, &sqlite_engine);
	test_migration();

	store_close(hss);
	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
