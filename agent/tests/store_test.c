// SPDX-License-Identifier: GPL-2.0
/*
 * The state store on SQLite: the store key file, the engines' common
 * suite (store_suite.h), USIMs, secrets never on disk in the clear, a wrong key, a
 * moved secret, schema versions, and that a failed write changes nothing;
 * the BSF's Ub challenges (store_challenge_suite.h, as store_pg_test.c
 * runs it on PostgreSQL), taken once by processes racing on one file.
 */
#include <errno.h>
#include <keyutils.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "store/seal.h"
#include "store/seal_fields.h"
#include "store/store.h"
#include "store/store_engine.h"
#include "store_fixture.h"
#include "store_hse_suite.h"
#include "store_sgw_suite.h"
#include "store_suite.h"

static struct store_key key;
static char ch_path[SCRATCH_PATH_MAX];	/* the store the challenges use */

/* The hooks of store_challenge_suite.h on the SQLite file at ch_path. */
static struct store *ch_reopen(void)
{
	struct store *store = NULL;
	char why[256];

	return store_open(&store, ch_path, &key, why, sizeof(why)) ? NULL :
								     store;
}

static bool ch_exec(const char *sql)
{
	sqlite3 *db;
	bool done;

	done = sqlite3_open(ch_path, &db) == SQLITE_OK &&
	       sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
	       sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(db);
	return done;
}

static int ch_rows(const char *sql)
{
	sqlite3_stmt *stmt;
	int n = -1, rc;
	sqlite3 *db;

	if (sqlite3_open(ch_path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		n = 0;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			n++;
		if (rc != SQLITE_DONE)
			n = -1;
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	return n;
}

static int ch_blob(const char *sql, uint8_t *out, size_t size)
{
	sqlite3_stmt *stmt;
	int len = -1;
	sqlite3 *db;

	if (sqlite3_open(ch_path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW &&
		    sqlite3_column_type(stmt, 0) == SQLITE_BLOB &&
		    (size_t)sqlite3_column_bytes(stmt, 0) <= size) {
			len = sqlite3_column_bytes(stmt, 0);
			memcpy(out, sqlite3_column_blob(stmt, 0), (size_t)len);
		}
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	return len;
}

#include "store_challenge_suite.h"

static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t value = -1;
	sqlite3 *db;

	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			value = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	return value;
}

static void test_key_file(void)
{
	static const char hex_key[] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
	const char *path = scratch_path("store.key");
	struct store_key got;
	uint8_t raw[STORE_KEY_LEN];
	char why[256] = "";
	int ret;

	write_file(path, hex_key, strlen(hex_key), 0600);
	ret = store_key_from_file(&got, path, why, sizeof(why));
	ok(ret == 0, "key file: 64 hex digits and a newline, mode 0600");
	is_hex(got.bytes, sizeof(got.bytes),
	       "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	       "key file: the key read");

	memset(raw, 0x5a, sizeof(raw));
	write_file(path, raw, sizeof(raw), 0400);
	ret = store_key_from_file(&got, path, why, sizeof(why));
	ok(ret == 0 && !memcmp(got.bytes, raw, sizeof(raw)),
	   "key file: 32 raw octets, mode 0400");

	write_file(path, hex_key, strlen(hex_key), 0644);
	ret = store_key_from_file(&got, path, why, sizeof(why));
	ok(ret == -EPERM && strstr(why, "0600"),
	   "key file: mode 0644 refused (%s)", why);
	write_file(path, hex_key, strlen(hex_key), 0640);
	ret = store_key_from_file(&got, path, why, sizeof(why));
	ok(ret == -EPERM, "key file: mode 0640 refused");

	write_file(path, "abcd\n", 5, 0600);
	ret = store_key_from_file(&got, path, why, sizeof(why));
	ok(ret == -EINVAL, "key file: too short refused (%s)", why);
	write_file(path, hex_key, strlen(hex_key) - 3, 0600);
	ret = store_key_from_file(&got, path, why, sizeof(why));
	ok(ret == -EINVAL, "key file: 62 hex digits refused");

	ret = store_key_from_file(&got, scratch_path("missing.key"), why,
				  sizeof(why));
	ok(ret == -ENOENT, "key file: a missing file is -ENOENT");
	unlink(path);
	store_key_wipe(&got);
}

/* A "user" key in the session keyring, where the kernel lets us. */
static void test_key_keyring(void)
{
	struct store_key got;
	uint8_t raw[STORE_KEY_LEN];
	key_serial_t serial;
	char why[256] = "";
	int ret;

	memset(raw, 0x3c, sizeof(raw));
	serial = add_key("user", "e2m:store_test", raw, sizeof(raw),
			 KEY_SPEC_PROCESS_KEYRING);
	if (serial < 0) {
		ok(1, "keyring: store key # SKIP no keyring here (%s)",
		   strerror(errno));
		ok(1, "keyring: wrong size # SKIP no keyring here");
		return;
	}
	ret = store_key_from_keyring(&got, serial, why, sizeof(why));
	ok(ret == 0 && !memcmp(got.bytes, raw, sizeof(raw)),
	   "keyring: store key read from a user key");
	keyctl_update(serial, raw, 16);
	ret = store_key_from_keyring(&got, serial, why, sizeof(why));
	ok(ret == -EINVAL, "keyring: a 16-octet key refused (%s)", why);
	keyctl_invalidate(serial);
	store_key_wipe(&got);
}

static void test_open_new(const char *path)
{
	struct store *store = open_store(path, &key);
	struct stat st;

	ok(!strcmp(store_engine(store), "sqlite"), "open: sqlite engine");
	ok(store_schema_version(store) == SCHEMA_NOW,
	   "open: migrated 0 -> %d", SCHEMA_NOW);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "open: the store file is made mode 0600");
	store_close(store);
	ok(raw_int(path, "PRAGMA user_version") == SCHEMA_NOW,
	   "open: PRAGMA user_version is %d", SCHEMA_NOW);
	{
		sqlite3 *db;
		sqlite3_stmt *stmt;
		int wal = 0;

		if (sqlite3_open(path, &db) == SQLITE_OK &&
		    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt,
				       NULL) == SQLITE_OK) {
			wal = sqlite3_step(stmt) == SQLITE_ROW &&
			      !strcmp((const char *)sqlite3_column_text(stmt, 0),
				      "wal");
			sqlite3_finalize(stmt);
		}
		sqlite3_close(db);
		ok(wal, "open: WAL journal mode, persistent");
	}
}

static void test_usims(struct store *store)
{
	struct store_usim usim, got;
	struct store_usim_gba gba, gba_got;
	int ret;

	store_usim_init(&usim);
	strcpy(usim.pub.iccid, TEST_ICCID);
	strcpy(usim.pub.imsi, TEST_IMSI);
	strcpy(usim.pub.impi, TEST_IMPI);
	usim.pub.flags = STORE_USIM_GBA_U;
	usim.pub.sqn.seq[3] = 77;
	usim.pub.sqn.seq[31] = 1;
	unhex(usim.k, sizeof(usim.k), SET1_K);
	unhex(usim.opc, sizeof(usim.opc), SET1_OPC);
	ok(store_usim_add(store, &usim) == 0, "usim: added");
	ret = store_usim_get(store, TEST_ICCID, &got);
	ok(ret == 0 && !memcmp(&got, &usim, sizeof(got)),
	   "usim: every field as added (SEQ_MS array, K, OPc)");
	store_usim_wipe(&got);
	ok(store_usim_add(store, &usim) == -EEXIST, "usim: again is -EEXIST");

	ret = store_usim_gba_get(store, TEST_ICCID, &gba_got);
	ok(ret == -ENOENT, "usim: no GBA_U bootstrap yet is -ENOENT");
	memset(&gba, 0, sizeof(gba));
	memset(gba.rand, 0x44, sizeof(gba.rand));
	memset(gba.ks, 0x55, sizeof(gba.ks));
	ok(store_usim_gba_set(store, TEST_ICCID, &gba) == 0 &&
	   store_usim_gba_get(store, TEST_ICCID, &gba_got) == 0 &&
	   !memcmp(&gba, &gba_got, sizeof(gba)),
	   "usim: GBA_U bootstrap round trip");
	ok(store_usim_gba_set(store, "8988211000000000009", &gba) == -ENOENT,
	   "usim: GBA_U bootstrap of an unknown USIM is -ENOENT");
	store_usim_gba_wipe(&gba_got);
	store_usim_gba_wipe(&gba);
	store_usim_wipe(&usim);
}

/* Closed, the WAL is checkpointed into the file; open, it may be in -wal. */
static void test_no_clear_secrets(const char *path)
{
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN], ks[STORE_KS_LEN];

	unhex(k, sizeof(k), SET1_K);
	unhex(opc, sizeof(opc), SET1_OPC);
	memset(ks, 0x11 ^ 0xff, sizeof(ks));
	ok(store_files_contain(path, (const uint8_t *)TEST_IMSI,
			       strlen(TEST_IMSI)),
	   "at rest: the IMSI is in the file (the search works)");
	ok(!store_files_contain(path, k, sizeof(k)),
	   "at rest: K is not in the store's files in the clear");
	ok(!store_files_contain(path, opc, sizeof(opc)),
	   "at rest: OPc is not in the store's files in the clear");
	memset(ks, 0x22 ^ 0xff, sizeof(ks));
	ok(!store_files_contain(path, ks, sizeof(ks)),
	   "at rest: Ks is not in the store's files in the clear");
	memset(ks, 0x55, sizeof(ks));
	ok(!store_files_contain(path, ks, sizeof(ks)),
	   "at rest: the GBA_U Ks is not in the store's files in the clear");
}

static void test_wrong_key(const char *path)
{
	struct store_key other;
	struct store *store = (struct store *)1;
	struct store_subscriber sub;
	char why[256] = "";
	int ret;

	test_key(&other, 0x99);
	ret = store_open(&store, path, &other, why, sizeof(why));
	ok(ret == -EKEYREJECTED && !store && strstr(why, "store key"),
	   "wrong key: refused at open (%s)", why);
	store_key_wipe(&other);

	store = open_store(path, &key);
	ret = store_subscriber_get(store, TEST_IMSI, &sub);
	ok(ret == 0, "wrong key: the right key still opens it all");
	store_subscriber_wipe(&sub);
	store_close(store);
}

/* A sealed K copied to another subscriber's row does not open there. */
static void test_moved_secret(const char *path)
{
	struct store *store = open_store(path, &key);
	struct store_subscriber sub;
	int ret;

	add_set1_subscriber(store, "001010000000003", "third@home1.net");
	store_close(store);
	ok(raw_sql(path, "UPDATE subscribers SET k = (SELECT k FROM subscribers"
			 " WHERE imsi = '001010000000001')"
			 " WHERE imsi = '001010000000003'") == SQLITE_OK,
	   "moved secret: K copied between rows behind the store's back");
	store = open_store(path, &key);
	ret = store_subscriber_get(store, "001010000000003", &sub);
	ok(ret == -EKEYREJECTED && sub.k[0] == 0 && sub.opc[0] == 0,
	   "moved secret: refused, nothing handed out (%s)",
	   store_errmsg(store));
	store_subscriber_wipe(&sub);
	ok(raw_sql(path, "UPDATE subscribers SET k = opc"
			 " WHERE imsi = '001010000000003'") == SQLITE_OK,
	   "moved secret: OPc copied into the K column");
	ret = store_subscriber_get(store, "001010000000003", &sub);
	ok(ret == -EKEYREJECTED, "moved secret: refused too");
	store_subscriber_wipe(&sub);
	ok(store_subscriber_remove(store, "001010000000003") == 0,
	   "moved secret: the damaged row can still be removed");
	store_close(store);
}

static void test_schema_versions(void)
{
	const char *path = scratch_path("newer.db");
	struct store *store;
	char why[256] = "";
	int ret;

	store_close(open_store(path, &key));
	raw_sql(path, "PRAGMA user_version = 99");
	ret = store_open(&store, path, &key, why, sizeof(why));
	ok(SCHEMA_NOW < 99 && ret == -EPROTONOSUPPORT &&
	   strstr(why, "version 99 is newer"),
	   "schema: a newer store is refused (%s)", why);
	ok(raw_int(path, "PRAGMA user_version") == 99,
	   "schema: and left as it was");

	path = scratch_path("foreign.db");
	raw_sql(path, "CREATE TABLE t (x); PRAGMA application_id = 1234");
	ret = store_open(&store, path, &key, why, sizeof(why));
	ok(ret == -EUCLEAN && strstr(why, "not an e2m store"),
	   "schema: another program's database is refused (%s)", why);

	path = scratch_path("garbage.db");
	write_file(path, "this is not a database, not at all, no no no",
		   45, 0600);
	ret = store_open(&store, path, &key, why, sizeof(why));
	ok(ret == -EUCLEAN, "schema: a file that is no database is refused (%s)",
	   why);

	path = scratch_path("empty.db");
	write_file(path, "", 0, 0600);
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW,
	   "schema: an empty file becomes a version %d store", SCHEMA_NOW);
	store_close(store);

	ret = store_open(&store, scratch_path("no/such/dir.db"), &key, why,
			 sizeof(why));
	ok(ret == -ENOENT, "schema: a path in a missing directory is -ENOENT");
}

/*
 * A version 1 store, made by taking the columns of version 2 away again,
 * with a session in it: opening migrates it, and the session reads back
 * as GBA_ME without USS, Ks intact.
 */
static void test_migration_1_to_2(void)
{
	const char *path = scratch_path("v1.db");
	struct store_session session, got;
	struct store *store = open_store(path, &key);
	int ret;

	fill_session(&session, "DDDDDDDDDDDDDDDDDDDDDD==@bsf.home1.net", 1000,
		     INT64_MAX, 0x33);
	ok(store_session_add(store, &session) == 0, "migration: a session");
	store_close(store);
	ok(raw_sql(path, "ALTER TABLE sessions DROP COLUMN uss;"
			 "ALTER TABLE sessions DROP COLUMN flags;"
			 "DROP TABLE hse_flows;"
			 "DROP TABLE sgw_ues;"
			 "DROP TABLE device_psks; DROP TABLE blocked_devices;"
			 " DROP TABLE local_keys; DROP TABLE mt_local_keys;"
			 " DROP TABLE device_local_keys;"
			 UNDO_SCHEMAS_AFTER_7
			 "PRAGMA user_version = 1") == SQLITE_OK &&
	   raw_int(path, "PRAGMA user_version") == 1,
	   "migration: the store made a version 1 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   raw_int(path, "PRAGMA user_version") == SCHEMA_NOW,
	   "migration: opening it migrates 1 -> %d", SCHEMA_NOW);
	ret = store_session_get(store, session.pub.btid, 2000, &got);
	ok(ret == 0 && !memcmp(&got, &session, sizeof(got)) &&
	   got.pub.flags == 0 && got.pub.uss[0] == '\0',
	   "migration: the old session as it was, GBA_ME, no USS, Ks intact");
	store_session_wipe(&got);
	session.pub.flags = STORE_SESSION_GBA_U;
	strcpy(session.pub.btid, "EEEEEEEEEEEEEEEEEEEEEE==@bsf.home1.net");
	strcpy(session.pub.uss, "[]");
	ok(store_session_add(store, &session) == 0 &&
	   store_session_get(store, session.pub.btid, 2000, &got) == 0 &&
	   got.pub.flags == STORE_SESSION_GBA_U && !strcmp(got.pub.uss, "[]"),
	   "migration: the new columns take new sessions");
	store_session_wipe(&got);
	store_session_wipe(&session);
	store_close(store);
}


/* The list again, from inside the list: the same statement, twice in use. */
static int count_nested(const struct store_hse_flow *f, void *arg)
{
	struct store *store = arg;

	(void)f;
	return store_hse_flow_list(store, NULL, NULL, NULL) == 2 ? 0 : -EIO;
}

/* Kept statements: one in use is not handed out twice. */
static void test_statement_reuse(struct store *store)
{
	struct store_hse_flow f, got;
	int i, ret = 0;

	fill_hse_flow(&f, 31, "001010000000001", 1);
	for (i = 0; !ret && i < 3; i++) {
		f.ksi = (uint8_t)i;
		ret = store_hse_flow_put(store, &f) ||
		      store_hse_flow_get(store, HSE_OWNER_A, 31, &got) ||
		      got.ksi != i;
	}
	ok(!ret, "statements: the same put and get three times");
	fill_hse_flow(&f, 32, "001010000000002", 1);
	ok(store_hse_flow_put(store, &f) == 0 &&
	   store_hse_flow_list(store, HSE_OWNER_A, count_nested, store) == 0,
	   "statements: a list inside a list");
	ok(store_hse_flow_remove(store, HSE_OWNER_A, 31) == 0 &&
	   store_hse_flow_remove(store, HSE_OWNER_A, 32) == 0 &&
	   store_hse_flow_list(store, NULL, NULL, NULL) == 0,
	   "statements: cleaned");
}

/* A version 2 store with a session: 2 -> 3 adds hse_flows, keeps it. */
static void test_migration_2_to_3(void)
{
	const char *path = scratch_path("v2.db");
	struct store_session session, got;
	struct store_hse_flow f, fgot;
	struct store *store = open_store(path, &key);

	fill_session(&session, "FFFFFFFFFFFFFFFFFFFFFF==@bsf.home1.net", 1000,
		     INT64_MAX, 0x44);
	ok(store_session_add(store, &session) == 0, "migration 2: a session");
	store_close(store);
	ok(raw_sql(path, "DROP TABLE hse_flows; DROP TABLE sgw_ues;"
			 "DROP TABLE device_psks; DROP TABLE blocked_devices;"
			 " DROP TABLE local_keys; DROP TABLE mt_local_keys;"
			 " DROP TABLE device_local_keys;"
			 UNDO_SCHEMAS_AFTER_7
			 " PRAGMA user_version = 2") == SQLITE_OK &&
	   raw_int(path, "PRAGMA user_version") == 2,
	   "migration 2: the store made a version 2 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   raw_int(path, "PRAGMA user_version") == SCHEMA_NOW,
	   "migration 2: opening it migrates 2 -> %d", SCHEMA_NOW);
	ok(store_session_get(store, session.pub.btid, 2000, &got) == 0 &&
	   !memcmp(&got, &session, sizeof(got)),
	   "migration 2: the session as it was");
	fill_hse_flow(&f, 9, "001010000000001", 1);
	ok(store_hse_flow_list(store, NULL, NULL, NULL) == 0 &&
	   store_hse_flow_put(store, &f) == 0 &&
	   store_hse_flow_get(store, HSE_OWNER_A, 9, &fgot) == 0,
	   "migration 2: hse_flows empty, and takes flows");
	store_session_wipe(&got);
	store_session_wipe(&session);
	store_close(store);
}

/* ---- SGW UEs ------------------------------------------------------------- */

/* An attached UE: KSI 3, 10.45.0.2, HSE TEID 0x1000, the UE's endpoint. */
static void fill_sgw_ue(struct store_sgw_ue *u, const char *imsi)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->imsi, sizeof(u->imsi), "%s", imsi);
	u->last_ksi = 3;
	strcpy(u->inner_ipv4, "10.45.0.2");
	u->hse_teid = 0x1000;
	u->attached = 1;
	strcpy(u->ue_address, "192.0.2.1");
	u->ue_port = 2152;
	u->ue_teid = 4097;
}

static void test_sgw_ue_refusals(struct store *store)
{
	struct store_sgw_ue u;

	fill_sgw_ue(&u, "0010");
	ok(store_sgw_ue_put(store, &u) == -EINVAL, "sgw ue: a bad IMSI refused");
	fill_sgw_ue(&u, TEST_IMSI);
	u.last_ksi = 7;
	ok(store_sgw_ue_put(store, &u) == -EINVAL,
	   "sgw ue: KSI 7 (no key) refused: a row has a KSI");
	fill_sgw_ue(&u, TEST_IMSI);
	strcpy(u.inner_ipv4, "fd00::2");
	ok(store_sgw_ue_put(store, &u) == -EINVAL,
	   "sgw ue: an IPv6 inner-ipv4 refused");
	fill_sgw_ue(&u, TEST_IMSI);
	strcpy(u.inner_ipv4, "10.45.0.02");
	ok(store_sgw_ue_put(store, &u) == -EINVAL,
	   "sgw ue: an address not in inet_ntop() form refused");
	fill_sgw_ue(&u, TEST_IMSI);
	u.attached = 2;
	ok(store_sgw_ue_put(store, &u) == -EINVAL, "sgw ue: attached 2 refused");
	fill_sgw_ue(&u, TEST_IMSI);
	u.hse_teid = 0;
	ok(store_sgw_ue_put(store, &u) == -EINVAL,
	   "sgw ue: attached without a HSE TEID refused");
	fill_sgw_ue(&u, TEST_IMSI);
	u.inner_ipv4[0] = '\0';
	ok(store_sgw_ue_put(store, &u) == -EINVAL,
	   "sgw ue: attached without an inner address refused");
	fill_sgw_ue(&u, TEST_IMSI);
	u.ue_teid = 0;
	ok(store_sgw_ue_put(store, &u) == -EINVAL,
	   "sgw ue: attached without the UE's TEID refused");
	fill_sgw_ue(&u, TEST_IMSI);
	strcpy(u.ue_address, "192.0.2");
	ok(store_sgw_ue_put(store, &u) == -EINVAL,
	   "sgw ue: attached with a bad UE address refused");
	fill_sgw_ue(&u, TEST_IMSI);
	u.attached = 0;
	ok(store_sgw_ue_put(store, &u) == -EINVAL,
	   "sgw ue: not attached but with a UE endpoint refused");
	ok(store_sgw_ue_list(store, NULL, NULL) == 0,
	   "sgw ue: nothing stored after refusals");
}

static int collect_sgw_ue(const struct store_sgw_ue *u, void *arg)
{
	char (*imsis)[STORE_IMSI_MAX + 1] = arg;
	size_t i = 0;

	while (imsis[i][0])
		i++;
	strcpy(imsis[i], u->imsi);
	return 0;
}

static void test_sgw_ues(struct store *store, const char *path)
{
	struct store_sgw_ue u, v, got;
	char imsis[4][STORE_IMSI_MAX + 1];

	test_sgw_ue_refusals(store);
	fill_sgw_ue(&u, "001010000000002");
	memset(&v, 0, sizeof(v));
	strcpy(v.imsi, "001010000000001");
	v.last_ksi = 0;		/* a KSI taken, nothing else yet */
	ok(store_sgw_ue_put(store, &u) == 0 && store_sgw_ue_put(store, &v) == 0,
	   "sgw ue: an attached one and a fresh one put");
	ok(store_sgw_ue_get(store, "001010000000002", &got) == 0 &&
	   !memcmp(&got, &u, sizeof(got)), "sgw ue: read back whole");
	ok(store_sgw_ue_get(store, "001010000000001", &got) == 0 &&
	   !memcmp(&got, &v, sizeof(got)) && !got.inner_ipv4[0] &&
	   !got.ue_address[0],
	   "sgw ue: the fresh one with its empty addresses");
	memset(imsis, 0, sizeof(imsis));
	ok(store_sgw_ue_list(store, collect_sgw_ue, imsis) == 0 &&
	   !strcmp(imsis[0], "001010000000001") &&
	   !strcmp(imsis[1], "001010000000002") && !imsis[2][0] &&
	   store_sgw_ue_list(store, NULL, NULL) == 2,
	   "sgw ue: listed by IMSI, counted");
	u.last_ksi = 4;
	u.attached = 0;
	u.ue_address[0] = '\0';
	u.ue_port = 0;
	u.ue_teid = 0;
	ok(store_sgw_ue_put(store, &u) == 0 &&
	   store_sgw_ue_get(store, u.imsi, &got) == 0 && got.last_ksi == 4 &&
	   !got.attached && got.hse_teid == 0x1000 &&
	   !strcmp(got.inner_ipv4, "10.45.0.2"),
	   "sgw ue: put again replaces (detached, the TEID still held)");
	ok(raw_sql(path, "UPDATE sgw_ues SET attached = 1"
			 " WHERE imsi = '001010000000001'") == SQLITE_OK &&
	   store_sgw_ue_get(store, "001010000000001", &got) == -EUCLEAN,
	   "sgw ue: a row changed behind the store (attached, no context) is damaged");
	/* The list refuses the row at its MAC, before the front sees it. */
	ok(store_sgw_ue_list(store, NULL, NULL) == -EKEYREJECTED,
	   "sgw ue: and the list refuses it, its MAC failing");
	/* Values a row may hold, changed behind the store: its MAC fails. */
	got = u;
	got.last_ksi = 5;
	v = u;
	v.last_ksi = 6;
	ok(raw_sql(path, "UPDATE sgw_ues SET last_ksi = 5"
			 " WHERE imsi = '001010000000002'") == SQLITE_OK &&
	   store_sgw_ue_replace(store, &v, &got) == -EKEYREJECTED &&
	   raw_int(path, "SELECT last_ksi FROM sgw_ues"
			 " WHERE imsi = '001010000000002'") == 5,
	   "sgw ue: replace over a row changed behind the store, its values"
	   " as expected: refused at its MAC (-EKEYREJECTED), nothing written");
	ok(raw_sql(path, "DELETE FROM sgw_ues") == SQLITE_OK &&
	   store_sgw_ue_get(store, "001010000000001", &got) == -ENOENT &&
	   store_sgw_ue_list(store, NULL, NULL) == 0,
	   "sgw ue: rows deleted behind the store are -ENOENT");
	ok(store_sgw_ue_get(store, "0010", &got) == -EINVAL,
	   "sgw ue: a bad IMSI is no row");
}

/* A version 3 store with a HSE flow: 3 -> 4 adds sgw_ues, keeps it. */
static void test_migration_3_to_4(void)
{
	const char *path = scratch_path("v3.db");
	struct store_hse_flow f, fgot;
	struct store_sgw_ue u, ugot;
	struct store *store = open_store(path, &key);

	fill_hse_flow(&f, 11, "001010000000001", 2);
	ok(store_hse_flow_put(store, &f) == 0, "migration 3: a HSE flow");
	store_close(store);
	/* Its MAC goes too: schema 11 made it, 18 its owner. */
	ok(raw_sql(path, "ALTER TABLE hse_flows DROP COLUMN mac;"
			 "DROP TABLE sgw_ues;"
			 "DROP TABLE device_psks; DROP TABLE blocked_devices;"
			 " DROP TABLE local_keys; DROP TABLE mt_local_keys;"
			 " DROP TABLE device_local_keys;"
			 UNDO_SCHEMAS_AFTER_7
			 " PRAGMA user_version = 3") ==
	   SQLITE_OK && raw_int(path, "PRAGMA user_version") == 3,
	   "migration 3: the store made a version 3 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   raw_int(path, "PRAGMA user_version") == SCHEMA_NOW,
	   "migration 3: opening it migrates 3 -> %d", SCHEMA_NOW);
	/* The migration to 18 gives it the host's name as its owner. */
	memset(f.owner, 0, sizeof(f.owner));
	if (store_hse_owner_default(f.owner, sizeof(f.owner)))
		bail("the host's name is no HSE instance name");
	ok(store_hse_flow_get(store, f.owner, 11, &fgot) == 0 &&
	   !memcmp(&fgot, &f, sizeof(fgot)) &&
	   store_hse_flow_get(store, HSE_OWNER_A, 11, &fgot) == -ENOENT &&
	   store_hse_flow_list(store, NULL, NULL, NULL) == 1,
	   "migration 3: the HSE flow as it was, the host's name its owner");
	fill_sgw_ue(&u, "001010000000001");
	ok(store_sgw_ue_list(store, NULL, NULL) == 0 &&
	   store_sgw_ue_put(store, &u) == 0 &&
	   store_sgw_ue_get(store, u.imsi, &ugot) == 0,
	   "migration 3: sgw_ues empty, and takes UEs");
	store_close(store);
}

/* Two handles on one file, as two processes would have. */
static void test_two_handles(const char *path)
{
	struct store *one = open_store(path, &key);
	struct store *two = open_store(path, &key);
	struct store_subscriber sub;
	uint64_t before = stored_seq(one);
	int i, ret = 0;

	for (i = 0; i < 10 && !ret; i++) {
		ret = store_subscriber_sqn_update(i % 2 ? one : two, TEST_IMSI,
						  bump, NULL, &sub);
		store_subscriber_wipe(&sub);
	}
	ok(ret == 0 && stored_seq(one) == before + 10 &&
	   stored_seq(two) == before + 10,
	   "two handles: interleaved updates all counted");
	store_close(one);
	store_close(two);
}

/*
 * store_reads_begin(): the reads share one snapshot (another handle's
 * write is seen after the end, and was not held up), a write in between
 * is refused and leaves nothing, and the store is as before after it.
 */
static void test_reads_hold(const char *path)
{
	struct store *one = open_store(path, &key);
	struct store *two = open_store(path, &key);
	struct store_hse_flow a, b, c, got;
	int got_a, got_b, put_c, got_c;

	fill_hse_flow(&a, 0x7001, "001010000007001", 1);
	fill_hse_flow(&b, 0x7002, "001010000007002", 1);
	fill_hse_flow(&c, 0x7003, "001010000007003", 1);
	ok(store_hse_flow_put(one, &a) == 0, "reads hold: a row before");
	store_reads_begin(one);
	got_a = store_hse_flow_get(one, HSE_OWNER_A, 0x7001, &got);
	ok(store_hse_flow_put(two, &b) == 0,
	   "reads hold: another handle writes meanwhile");
	got_b = store_hse_flow_get(one, HSE_OWNER_A, 0x7002, &got);
	put_c = store_hse_flow_put(one, &c);
	got_c = store_hse_flow_get(one, HSE_OWNER_A, 0x7003, &got);
	store_reads_end(one);
	ok(got_a == 0 && got_b == -ENOENT,
	   "reads hold: the row before is read, the other's not yet (one snapshot)");
	ok(put_c == -EROFS, "reads hold: a write in between is refused (-EROFS)");
	ok(got_c == -ENOENT, "reads hold: and wrote nothing");
	ok(store_hse_flow_get(one, HSE_OWNER_A, 0x7002, &got) == 0 &&
	   got.teid == 0x7002 && store_hse_flow_get(one, HSE_OWNER_A, 0x7003,
						    &got) == -ENOENT,
	   "reads hold: after its end the other's row is read, the refused one is not there");
	ok(store_hse_flow_put(one, &c) == 0 &&
	   store_hse_flow_get(two, HSE_OWNER_A, 0x7003, &got) == 0,
	   "reads hold: after its end a write commits as ever");
	store_reads_end(one);
	ok(store_hse_flow_remove(one, HSE_OWNER_A, 0x7001) == 0,
	   "reads hold: an end without a begin changes nothing");
	store_close(one);
	store_close(two);
}

int main(void)
{
	char path[SCRATCH_PATH_MAX];
	struct store *store;

	scratch_make("store_test");
	snprintf(path, sizeof(path), "%s", scratch_path("state.db"));
	test_key(&key, 0x42);

	test_key_file();
	test_key_keyring();
	test_open_new(path);

	store = open_store(path, &key);
	store_suite_run(store);
	test_usims(store);
	store_hse_suite_run(store);
	test_sgw_ues(store, path);
	store_sgw_suite_run(store);
	snprintf(ch_path, sizeof(ch_path), "%s", path);
	store_challenge_suite_run(store);
	test_statement_reuse(store);
	test_no_clear_secrets(path);	/* open: secrets may sit in -wal */
	store_close(store);
	test_no_clear_secrets(path);	/* closed: all in the database file */

	test_wrong_key(path);
	test_moved_secret(path);
	test_two_handles(path);
	test_reads_hold(path);
	test_schema_versions();
	test_migration_1_to_2();
	test_migration_2_to_3();
	test_migration_3_to_4();

	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
