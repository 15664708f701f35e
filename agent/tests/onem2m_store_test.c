// SPDX-License-Identifier: GPL-2.0
/*
 * The oneM2M tables of the store (schema 8, store.h): a Kpm with its
 * Bootstrap Instruction Configuration and a Ke with its lifetime, each
 * sealed at its row, read back exactly; refusals (-EEXIST, -ENOENT,
 * -EINVAL for bad ids), lists without keys, purge by expiry, a damaged
 * row, a moved sealed key, and the migration from schema 7.
 */
#include <errno.h>
#include <sqlite3.h>
#include <string.h>

#include "tap.h"
#include "store_fixture.h"

#define KPM_ID	"kpm-0001"
#define KE_ID	"vbil5qy0yhIdG0p1WqDHRQ==@mef.test"
#define KE_ID2	"h9VipqsqGS95IEmdniAr3A==@mef.test"

static struct store_key key;

static void fill_config(struct store_onem2m_config *config,
			enum store_onem2m_target kind)
{
	strcpy(config->enrolee_id, "CAE-enrolee-1");
	config->target_kind = kind;
	strcpy(config->target_id, kind == STORE_ONEM2M_MAF ? "maf-1" :
							   "node-b");
}

static void fill_ke(struct store_onem2m_ke *ke, const char *id,
		    int64_t expires, uint8_t fill)
{
	memset(ke, 0, sizeof(*ke));
	strcpy(ke->pub.ke_id, id);
	strcpy(ke->pub.kpm_id, KPM_ID);
	fill_config(&ke->pub.config, STORE_ONEM2M_ENROLEE_B);
	strcpy(ke->pub.mef, "mef.test");
	ke->pub.created = 1000;
	ke->pub.expires = expires;
	memset(ke->ke, fill, sizeof(ke->ke));
}

static int count_cb(const void *info, void *arg)
{
	(void)info;
	++*(int *)arg;
	return 0;
}

static int kpm_count(const struct store_onem2m_kpm_info *info, void *arg)
{
	return count_cb(info, arg);
}

static void test_kpm(struct store *store, const char *path)
{
	struct store_onem2m_kpm kpm = { 0 }, got;
	int n = 0;

	strcpy(kpm.pub.kpm_id, KPM_ID);
	fill_config(&kpm.pub.config, STORE_ONEM2M_MAF);
	kpm.pub.created = 1234;
	memset(kpm.kpm, 0x5a, sizeof(kpm.kpm));
	ok(!store_onem2m_kpm_add(store, &kpm), "Kpm: added");
	ok(store_onem2m_kpm_add(store, &kpm) == -EEXIST,
	   "Kpm: a second for the KpmId is -EEXIST");
	ok(!store_onem2m_kpm_get(store, KPM_ID, &got) &&
	   !memcmp(&got, &kpm, sizeof(got)),
	   "Kpm: read back whole, configuration and key");
	ok(store_onem2m_kpm_get(store, "kpm-x", &got) == -ENOENT,
	   "Kpm: an unknown KpmId is -ENOENT");
	ok(store_onem2m_kpm_get(store, "a b", &got) == -EINVAL,
	   "Kpm: a KpmId with a space is -EINVAL");
	strcpy(kpm.pub.kpm_id, "kpm-0002");
	kpm.pub.config.enrolee_id[0] = '\0';
	ok(store_onem2m_kpm_add(store, &kpm) == -EINVAL,
	   "Kpm: an empty Enrolee-ID is -EINVAL");
	ok(store_onem2m_kpm_list(store, kpm_count, &n) == 0 && n == 1 &&
	   store_onem2m_kpm_list(store, NULL, NULL) == 1, "Kpm: one listed");
	ok(raw_sql(path, "UPDATE onem2m_kpms SET kpm_id = 'kpm-0003'") ==
	   SQLITE_OK && store_onem2m_kpm_get(store, "kpm-0003", &got) ==
	   -EKEYREJECTED, "Kpm: a key moved to another row does not open");
	ok(raw_sql(path, "UPDATE onem2m_kpms SET kpm_id = '" KPM_ID "'") ==
	   SQLITE_OK && !store_onem2m_kpm_remove(store, KPM_ID) &&
	   store_onem2m_kpm_remove(store, KPM_ID) == -ENOENT,
	   "Kpm: removed; again -ENOENT");
	store_onem2m_kpm_wipe(&kpm);
	store_onem2m_kpm_wipe(&got);
}

static int ke_count(const struct store_onem2m_ke_info *info, void *arg)
{
	return count_cb(info, arg);
}

static void test_ke(struct store *store, const char *path)
{
	struct store_onem2m_ke ke, got;
	int n = 0;

	fill_ke(&ke, KE_ID, 4600, 0x33);
	ok(!store_onem2m_ke_add(store, &ke), "Ke: added");
	ok(store_onem2m_ke_add(store, &ke) == -EEXIST,
	   "Ke: a second for the KeId is -EEXIST");
	ok(!store_onem2m_ke_get(store, KE_ID, &got) &&
	   !memcmp(&got, &ke, sizeof(got)), "Ke: read back whole");
	ok(store_onem2m_ke_get(store, "kpm-1", &got) == -EINVAL,
	   "Ke: a KeId that is not one is -EINVAL");
	ok(store_onem2m_ke_get(store, KE_ID2, &got) == -ENOENT,
	   "Ke: an unknown KeId is -ENOENT");
	fill_ke(&ke, KE_ID2, 1000, 0x44);
	ok(store_onem2m_ke_add(store, &ke) == -EINVAL,
	   "Ke: one that expires when made is -EINVAL");
	ke.pub.expires = 9000;
	ok(!store_onem2m_ke_add(store, &ke) &&
	   store_onem2m_ke_list(store, ke_count, &n) == 0 && n == 2,
	   "Ke: two listed");
	ok(store_onem2m_ke_purge(store, 4600) == 1 &&
	   store_onem2m_ke_get(store, KE_ID, &got) == -ENOENT &&
	   !store_onem2m_ke_get(store, KE_ID2, &got),
	   "Ke: purge at its expiry removes it, and only it");
	ok(raw_sql(path, "UPDATE onem2m_kes SET mef = 'not a name'") ==
	   SQLITE_OK && store_onem2m_ke_get(store, KE_ID2, &got) == -EUCLEAN,
	   "Ke: a damaged row is -EUCLEAN");
	store_onem2m_ke_wipe(&ke);
	store_onem2m_ke_wipe(&got);
}

/* A version 7 store migrates to 8 and on. */
static void test_migration(const char *path)
{
	struct store_onem2m_ke ke, got;
	struct store *store = open_store(path, &key);

	store_close(store);
	ok(raw_sql(path, UNDO_SCHEMAS_AFTER_7
		   " PRAGMA user_version = 7") == SQLITE_OK,
	   "migration 7: the store made a version 7 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW,
	   "migration 7: opening it migrates 7 -> %d", SCHEMA_NOW);
	fill_ke(&ke, KE_ID, 4600, 0x33);
	ok(!store_onem2m_ke_add(store, &ke) &&
	   !store_onem2m_ke_get(store, KE_ID, &got) &&
	   !memcmp(&got, &ke, sizeof(got)), "migration 7: a Ke in it");
	store_onem2m_ke_wipe(&ke);
	store_onem2m_ke_wipe(&got);
	store_close(store);
}

int main(void)
{
	const char *path;
	struct store *store;

	scratch_make("onem2m_store_test");
	test_key(&key, 0x42);
	path = scratch_path("mef.db");
	store = open_store(path, &key);
	test_kpm(store, path);
	test_ke(store, path);
	store_close(store);
	test_migration(scratch_path("v7.db"));
	scratch_remove();
	return done_testing();
}
