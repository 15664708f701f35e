// SPDX-License-Identifier: GPL-2.0
/*
 * The oneM2M tables of the store (schema 8, store.h): a Kpm with its
 * Bootstrap Instruction Configuration and a Ke with its lifetime, each
 * sealed at its row, read back exactly; refusals (-EEXIST, -ENOENT,
 * -EINVAL for bad ids), lists without keys, purge by expiry, a damaged
 * row, a moved sealed key, and the migration from schema 7; a MAF's
 * Kms (schema 12): put replacing by Km-Id and by (KeId, Enrolee-ID), get
 * of live ones only, count, purge, every column bound by the seal, Km
 * not on disk in the clear, and the migration from schema 11; the
 * record of the uid a MAF handed its Kms to (a sealed row of meta): none,
 * set, replaced, a value moved from another row refused, cleared.
 */
#include <errno.h>
#include <sqlite3.h>
#include <string.h>

#include "tap.h"
#include "store_fixture.h"

#define KPM_ID	"kpm-0001"
#define KE_ID	"vbil5qy0yhIdG0p1WqDHRQ==@mef.test"
#define KE_ID2	"h9VipqsqGS95IEmdniAr3A==@mef.test"
#define KM_ID	"lx5bkhdvZlRA1mnShrSPQg==@maf.test"
#define KM_ID2	"AAECAwQFBgcICQoLDA0ODw==@maf.test"
#define KM_ID3	"8PHy8/T19vf4+fr7/P3+/w==@maf.test"

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

static void fill_km(struct store_onem2m_km *km, const char *id,
		    const char *ke_id, int64_t expires, uint8_t fill)
{
	memset(km, 0, sizeof(*km));
	strcpy(km->pub.km_id, id);
	strcpy(km->pub.ke_id, ke_id);
	strcpy(km->pub.enrolee_id, "CAE-enrolee-1");
	km->pub.created = 1000;
	km->pub.expires = expires;
	memset(km->km, fill, sizeof(km->km));
}

static int km_list_cb(const struct store_onem2m_km_info *info, void *arg)
{
	char *out = arg;
	size_t used = strlen(out);

	snprintf(out + used, 512 - used, "%s %s %s %lld %lld;", info->km_id,
		 info->ke_id, info->enrolee_id, (long long)info->created,
		 (long long)info->expires);
	return 0;
}

/* A raw change, the lookup's result, and the change undone. */
static int km_after(const char *path, struct store *store, const char *sql,
		    const char *km_id, const char *undo)
{
	struct store_onem2m_km got;
	int ret;

	if (raw_sql(path, sql) != SQLITE_OK)
		return 1;
	ret = store_onem2m_km_get(store, km_id, 1500, &got);
	store_onem2m_km_wipe(&got);
	if (raw_sql(path, undo) != SQLITE_OK)
		return 1;
	return ret;
}

static void test_km(struct store *store, const char *path)
{
	struct store_onem2m_km km, got;
	char list[512] = "";

	fill_km(&km, KM_ID, KE_ID, 4600, 0xa7);
	ok(!store_onem2m_km_put(store, &km) &&
	   !store_onem2m_km_get(store, KM_ID, 1500, &got) &&
	   !memcmp(&got, &km, sizeof(got)), "Km: put, read back whole");
	ok(store_files_contain(path, km.km, sizeof(km.km)) == 0,
	   "Km: not on disk in the clear");
	ok(store_onem2m_km_get(store, KM_ID, 4600, &got) == -ENOENT &&
	   store_onem2m_km_get(store, KM_ID2, 1500, &got) == -ENOENT,
	   "Km: -ENOENT at its expiry, and for an unknown Km-Id");
	ok(store_onem2m_km_get(store, "CAE-enrolee-1", 1500, &got) == -EINVAL,
	   "Km: a Km-Id that is not one is -EINVAL");
	fill_km(&km, KM_ID2, KE_ID, 5000, 0xb8);
	km.pub.ke_id[0] = '\0';
	ok(store_onem2m_km_put(store, &km) == -EINVAL,
	   "Km: an empty KeId is -EINVAL");
	fill_km(&km, KM_ID2, KE_ID, 1000, 0xb8);
	ok(store_onem2m_km_put(store, &km) == -EINVAL,
	   "Km: one that expires when made is -EINVAL");
	fill_km(&km, KM_ID2, KE_ID, 5000, 0xb8);
	ok(!store_onem2m_km_put(store, &km) &&
	   store_onem2m_km_get(store, KM_ID, 1500, &got) == -ENOENT &&
	   !store_onem2m_km_get(store, KM_ID2, 1500, &got) &&
	   got.km[0] == 0xb8 && got.pub.expires == 5000 &&
	   store_onem2m_km_count(store, 1500) == 1,
	   "Km: a new Km of the same KeId and Enrolee-ID replaces the old");
	fill_km(&km, KM_ID2, KE_ID2, 6000, 0xc9);
	ok(!store_onem2m_km_put(store, &km) &&
	   !store_onem2m_km_get(store, KM_ID2, 1500, &got) &&
	   got.km[0] == 0xc9 && !strcmp(got.pub.ke_id, KE_ID2) &&
	   store_onem2m_km_count(store, 1500) == 1,
	   "Km: the same Km-Id again replaces its row");
	fill_km(&km, KM_ID, KE_ID, 4600, 0xa7);
	ok(!store_onem2m_km_put(store, &km) &&
	   store_onem2m_km_count(store, 1500) == 2 &&
	   store_onem2m_km_count(store, 4600) == 1 &&
	   store_onem2m_km_count(store, 6000) == 0,
	   "Km: count of the live ones at 1500, 4600, 6000: 2, 1, 0");
	ok(!store_onem2m_km_list(store, km_list_cb, list) &&
	   !strcmp(list, KM_ID " " KE_ID " CAE-enrolee-1 1000 4600;"
		   KM_ID2 " " KE_ID2 " CAE-enrolee-1 1000 6000;") &&
	   store_onem2m_km_list(store, NULL, NULL) == 2,
	   "Km: listed by expiry, without the key");
	ok(km_after(path, store, "UPDATE onem2m_maf_kms SET expires = 9999"
		    " WHERE km_id = '" KM_ID "'", KM_ID, "UPDATE onem2m_maf_kms SET"
		    " expires = 4600 WHERE km_id = '" KM_ID "'") ==
	   -EKEYREJECTED, "Km: a longer life fails the seal");
	ok(km_after(path, store, "UPDATE onem2m_maf_kms SET enrolee_id = 'x'"
		    " WHERE km_id = '" KM_ID "'", KM_ID, "UPDATE onem2m_maf_kms SET"
		    " enrolee_id = 'CAE-enrolee-1' WHERE km_id = '" KM_ID "'")
	   == -EKEYREJECTED, "Km: another Enrolee-ID fails the seal");
	ok(km_after(path, store, "UPDATE onem2m_maf_kms SET ke_id = '"
		    KE_ID2 "x' WHERE km_id = '" KM_ID "'", KM_ID,
		    "UPDATE onem2m_maf_kms SET ke_id = '" KE_ID "' WHERE"
		    " km_id = '" KM_ID "'") == -EKEYREJECTED,
	   "Km: another KeId fails the seal");
	ok(km_after(path, store, "UPDATE onem2m_maf_kms SET km_id = '" KM_ID3
		    "' WHERE km_id = '" KM_ID "'", KM_ID3, "UPDATE"
		    " onem2m_maf_kms SET km_id = '" KM_ID "' WHERE km_id = '"
		    KM_ID3 "'") == -EKEYREJECTED,
	   "Km: a Km moved to another Km-Id fails the seal");
	ok(!store_onem2m_km_get(store, KM_ID, 1500, &got) &&
	   got.km[0] == 0xa7, "Km: restored, it opens");
	ok(store_onem2m_km_purge(store, 4600) == 1 &&
	   store_onem2m_km_get(store, KM_ID, 1500, &got) == -ENOENT &&
	   !store_onem2m_km_get(store, KM_ID2, 1500, &got) &&
	   store_onem2m_km_list(store, NULL, NULL) == 1,
	   "Km: purge at 4600 removes the one expiring then, and only it");
	ok(store_onem2m_km_remove(store, KM_ID) == -ENOENT &&
	   store_onem2m_km_remove(store, "not a Km-Id") == -EINVAL &&
	   store_onem2m_km_list(store, NULL, NULL) == 1,
	   "Km: remove of a Km-Id with no row: -ENOENT; of no Km-Id: -EINVAL");
	ok(!store_onem2m_km_remove(store, KM_ID2) &&
	   store_onem2m_km_get(store, KM_ID2, 1500, &got) == -ENOENT &&
	   store_onem2m_km_list(store, NULL, NULL) == 0,
	   "Km: remove deletes the row of its Km-Id");
	store_onem2m_km_wipe(&km);
	store_onem2m_km_wipe(&got);
}

static void test_handoff(struct store *store, const char *path)
{
	struct store_onem2m_handoff h = { 65534, 65534 }, got;

	ok(store_onem2m_handoff_get(store, &got) == -ENOENT &&
	   got.uid == 0 && got.gid == 0, "hand-off record: none at first");
	ok(!store_onem2m_handoff_set(store, &h) &&
	   !store_onem2m_handoff_get(store, &got) && got.uid == 65534 &&
	   got.gid == 65534, "hand-off record: set, read back");
	h = (struct store_onem2m_handoff){ 4294967294u, 7 };
	ok(!store_onem2m_handoff_set(store, &h) &&
	   !store_onem2m_handoff_get(store, &got) &&
	   got.uid == 4294967294u && got.gid == 7,
	   "hand-off record: set again replaces it (the largest uid)");
	ok(raw_sql(path, "UPDATE meta SET value = (SELECT value FROM meta"
		   " WHERE name = 'key_check') WHERE name ="
		   " 'onem2m_maf_handoff'") == SQLITE_OK &&
	   store_onem2m_handoff_get(store, &got) == -EKEYREJECTED,
	   "hand-off record: another row's sealed value fails the seal");
	ok(!store_onem2m_handoff_clear(store) &&
	   store_onem2m_handoff_get(store, &got) == -ENOENT &&
	   !store_onem2m_handoff_clear(store),
	   "hand-off record: cleared (twice: no error)");
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

/* A version 11 store (a Ke in it) migrates to 12: the Ke stays, Kms fit. */
static void test_migration_11(const char *path)
{
	struct store_onem2m_ke ke, got_ke;
	struct store_onem2m_km km, got;
	struct store *store = open_store(path, &key);

	fill_ke(&ke, KE_ID, 4600, 0x33);
	if (store_onem2m_ke_add(store, &ke))
		bail("migration 11: a Ke");
	store_close(store);
	ok(raw_sql(path, UNDO_SCHEMAS_AFTER_11 " PRAGMA user_version = 11") ==
	   SQLITE_OK, "migration 11: the store made a version 11 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW && SCHEMA_NOW >= 12,
	   "migration 11: opening it migrates 11 -> 12 and on");
	ok(!store_onem2m_ke_get(store, KE_ID, &got_ke) &&
	   !memcmp(&got_ke, &ke, sizeof(got_ke)),
	   "migration 11: the Ke of schema 11 reads as it was");
	fill_km(&km, KM_ID, KE_ID, 4600, 0xa7);
	ok(!store_onem2m_km_put(store, &km) &&
	   !store_onem2m_km_get(store, KM_ID, 1500, &got) &&
	   !memcmp(&got, &km, sizeof(got)), "migration 11: a Km in it");
	store_close(store);
	store = open_store(path, &key);
	ok(!store_onem2m_km_get(store, KM_ID, 1500, &got) &&
	   !memcmp(&got, &km, sizeof(got)),
	   "migration 11: the Km is there after a reopen");
	store_onem2m_ke_wipe(&ke);
	store_onem2m_ke_wipe(&got_ke);
	store_onem2m_km_wipe(&km);
	store_onem2m_km_wipe(&got);
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
	test_km(store, path);
	test_handoff(store, path);
	store_close(store);
	test_migration(scratch_path("v7.db"));
	test_migration_11(scratch_path("v11.db"));
	scratch_remove();
	return done_testing();
}
