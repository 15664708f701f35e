/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the store, AuC and USIM tests share: a scratch directory removed at
 * the end, store keys, opening a store or bailing out, the subscriber and
 * USIM of TS 35.208 test set 1, a search of a file's bytes (to show a
 * secret is not on disk in the clear), and SQL run behind the store's back.
 */
#ifndef E2M_STORE_FIXTURE_H
#define E2M_STORE_FIXTURE_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"
#include "tap.h"

/* TS 35.208 test set 1. */
#define SET1_K		"465b5ce8b199b49faa5f0a2ee238a6bc"
#define SET1_OPC	"cd63cb71954a9f4e48a5994e37a02baf"
#define SET1_AMF	"b9b9"

#define TEST_IMSI	"001010000000001"
#define TEST_IMPI	"001010000000001@ims.mnc001.mcc001.3gppnetwork.org"
#define TEST_ICCID	"8988211000000000001"

#define SCRATCH_PATH_MAX (PATH_MAX + 256)

/*
 * The schema version a store is migrated to, and the SQL that takes away
 * again what the schemas after 7 added, for the tests that make an older
 * store out of a new one. Schema 8 is oneM2M's Kpm and Ke tables, 9 the
 * key update's pending USIM keys, 10 the re-seal of every secret as a
 * version 2 blob (no table changes: a store made by this program holds
 * version 2 blobs already, which the migration leaves as they are), 11
 * the row MACs (a mac column in the tables that have one: kept tables
 * keep theirs, which the migration leaves as they are), 12 a MAF's Kms,
 * 13 the HSS's key update counter and role prov's updates, 14 role
 * prov's sessions, 15 the USIMs' SD credentials, 16 the BSF's shared
 * challenges, 17 the SGW's unique indexes, 18 the HSE flows' owner.
 */
#define SCHEMA_NOW	18
#define UNDO_SCHEMA_13 \
	" ALTER TABLE subscribers DROP COLUMN update_counter;" \
	" DROP TABLE prov_updates;"
#define UNDO_SCHEMA_12	" DROP TABLE onem2m_maf_kms;"
#define UNDO_SCHEMA_14	" DROP TABLE prov_sessions;"
#define UNDO_SCHEMA_15 \
	" ALTER TABLE usims DROP COLUMN sd_key;" \
	" ALTER TABLE usims DROP COLUMN sd_cert;" \
	" ALTER TABLE usims DROP COLUMN ca_kloc;"
#define UNDO_SCHEMA_16	" DROP TABLE bsf_challenges;"
/* IF EXISTS: where sgw_ues was dropped first, its indexes went with it. */
#define UNDO_SCHEMA_17 \
	" DROP INDEX IF EXISTS sgw_ues_by_inner_ipv4;" \
	" DROP INDEX IF EXISTS sgw_ues_by_hse_teid;"
/*
 * 18 is not undone in a SQLite store: its migration makes hse_flows again
 * from the columns it names, whatever else the table has (the rows get
 * owner '' and keep their MAC, then the host's name where the MAC of
 * schema 17 holds). A PostgreSQL store's migration adds the column, so
 * UNDO_SCHEMA_18_PG takes it away, and the key (owner, teid) with it.
 */
#define UNDO_SCHEMA_18_PG \
	" ALTER TABLE hse_flows DROP COLUMN owner;" \
	" ALTER TABLE hse_flows ADD PRIMARY KEY (teid);"
#define UNDO_SCHEMAS_AFTER_16	UNDO_SCHEMA_17
#define UNDO_SCHEMAS_AFTER_15	UNDO_SCHEMAS_AFTER_16 UNDO_SCHEMA_16
#define UNDO_SCHEMAS_AFTER_14	UNDO_SCHEMAS_AFTER_15 UNDO_SCHEMA_15
#define UNDO_SCHEMAS_AFTER_13	UNDO_SCHEMAS_AFTER_14 UNDO_SCHEMA_14
#define UNDO_SCHEMAS_AFTER_11 \
	UNDO_SCHEMAS_AFTER_13 UNDO_SCHEMA_13 UNDO_SCHEMA_12
#define UNDO_SCHEMAS_AFTER_7 \
	" DROP TABLE onem2m_kpms; DROP TABLE onem2m_kes;" \
	" ALTER TABLE usims DROP COLUMN pending_k;" \
	" ALTER TABLE usims DROP COLUMN pending_opc;" \
	" ALTER TABLE usims DROP COLUMN update_counter;" \
	UNDO_SCHEMAS_AFTER_11

static char scratch_dir[PATH_MAX];

static inline void bail(const char *what)
{
	printf("Bail out! %s\n", what);
	exit(2);
}

/* A fresh directory under $TMPDIR (or /tmp). */
static inline void scratch_make(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(scratch_dir, sizeof(scratch_dir), "%s/e2m-%s.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(scratch_dir))
		bail("mkdtemp");
}

/*
 * A path inside the scratch directory, in one of 4 static buffers: copy it
 * to keep it past the next 3 calls.
 */
static inline const char *scratch_path(const char *name)
{
	static char paths[4][SCRATCH_PATH_MAX];
	static unsigned int next;
	char *path = paths[next++ % 4];

	snprintf(path, SCRATCH_PATH_MAX, "%s/%s", scratch_dir, name);
	return path;
}

/* Removes the files of the scratch directory, then the directory. */
static inline void scratch_remove(void)
{
	DIR *dir = opendir(scratch_dir);
	struct dirent *entry;
	char path[SCRATCH_PATH_MAX];

	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", scratch_dir,
			 entry->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(scratch_dir);
}

static inline void write_file(const char *path, const void *data, size_t len,
			      mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len ||
	    fchmod(fd, mode) || close(fd))
		bail("writing a scratch file");
}

/* A store key with every octet fill: distinct keys for distinct fills. */
static inline void test_key(struct store_key *key, uint8_t fill)
{
	memset(key->bytes, fill, sizeof(key->bytes));
}

static inline struct store *open_store(const char *path,
				       const struct store_key *key)
{
	char why[256] = "";
	struct store *store;
	int ret = store_open(&store, path, key, why, sizeof(why));

	if (ret) {
		printf("# store_open: %d %s\n", ret, why);
		bail("cannot open the store");
	}
	return store;
}

/* The set 1 subscriber: K and OPc of TS 35.208 set 1, SQN all zero. */
static inline void set1_subscriber(struct store_subscriber *sub,
				   const char *imsi, const char *impi)
{
	store_subscriber_init(sub);
	snprintf(sub->pub.imsi, sizeof(sub->pub.imsi), "%s", imsi);
	snprintf(sub->pub.impi, sizeof(sub->pub.impi), "%s", impi);
	unhex(sub->k, sizeof(sub->k), SET1_K);
	unhex(sub->opc, sizeof(sub->opc), SET1_OPC);
	unhex(sub->pub.amf, sizeof(sub->pub.amf), SET1_AMF);
}

static inline void add_set1_subscriber(struct store *store, const char *imsi,
				       const char *impi)
{
	struct store_subscriber sub;
	int ret;

	set1_subscriber(&sub, imsi, impi);
	ret = store_subscriber_add(store, &sub);
	store_subscriber_wipe(&sub);
	if (ret) {
		printf("# store_subscriber_add: %d %s\n", ret,
		       store_errmsg(store));
		bail("cannot add the test subscriber");
	}
}

/* The set 1 USIM, SEQ_MS all zero; flags STORE_USIM_*. */
static inline void add_set1_usim(struct store *store, const char *iccid,
				 const char *k_hex, uint32_t flags)
{
	struct store_usim usim;
	int ret;

	store_usim_init(&usim);
	snprintf(usim.pub.iccid, sizeof(usim.pub.iccid), "%s", iccid);
	snprintf(usim.pub.imsi, sizeof(usim.pub.imsi), "%s", TEST_IMSI);
	snprintf(usim.pub.impi, sizeof(usim.pub.impi), "%s", TEST_IMPI);
	usim.pub.flags = flags;
	unhex(usim.k, sizeof(usim.k), k_hex);
	unhex(usim.opc, sizeof(usim.opc), SET1_OPC);
	ret = store_usim_add(store, &usim);
	store_usim_wipe(&usim);
	if (ret) {
		printf("# store_usim_add: %d %s\n", ret, store_errmsg(store));
		bail("cannot add the test USIM");
	}
}

/*
 * Whether the octets needle occur in the file at path (0 if the file is
 * not there). The whole file is read: stores in tests are small.
 */
static inline int file_contains(const char *path, const uint8_t *needle,
				size_t len)
{
	FILE *file = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, used = 0, i;
	int found = 0;

	if (!file)
		return 0;
	for (;;) {
		size_t n;

		if (used == size) {
			size = size ? 2 * size : 65536;
			data = realloc(data, size);
			if (!data)
				bail("realloc");
		}
		n = fread(data + used, 1, size - used, file);
		if (n == 0)
			break;
		used += n;
	}
	fclose(file);
	for (i = 0; !found && len && i + len <= used; i++)
		found = !memcmp(data + i, needle, len);
	free(data);
	return found;
}

/* The same over a store's files: the database, its WAL and shared memory. */
static inline int store_files_contain(const char *db_path,
				      const uint8_t *needle, size_t len)
{
	char path[SCRATCH_PATH_MAX + 8];

	if (file_contains(db_path, needle, len))
		return 1;
	snprintf(path, sizeof(path), "%s-wal", db_path);
	if (file_contains(path, needle, len))
		return 1;
	snprintf(path, sizeof(path), "%s-shm", db_path);
	return file_contains(path, needle, len);
}

/* Runs SQL straight on a store file, as an attacker or an older tool would. */
static inline int raw_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc = sqlite3_open(path, &db);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/*
 * The stored SEQ_HE of imsi, from a fresh open as a restarted HSS would
 * do: 0 and *seq, or the error after a "#" line saying why.
 */
static inline int stored_seq_he(const char *path, const struct store_key *key,
				const char *imsi, uint64_t *seq)
{
	struct store_subscriber sub;
	struct store *store;
	char why[256] = "";
	int ret;

	ret = store_open(&store, path, key, why, sizeof(why));
	if (ret) {
		printf("# reopen failed: %s\n", why);
		return ret;
	}
	ret = store_subscriber_get(store, imsi, &sub);
	*seq = sub.pub.sqn.seq;
	store_subscriber_wipe(&sub);
	store_close(store);
	return ret;
}

static inline int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many of the n values repeat one before them (SQNs handed out twice). */
static inline size_t count_duplicates(const uint64_t *values, size_t n)
{
	uint64_t *sorted = malloc(n * sizeof(*sorted) + 1);
	size_t i, duplicates = 0;

	if (!sorted)
		bail("malloc");
	memcpy(sorted, values, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), compare_u64);
	for (i = 1; i < n; i++)
		duplicates += sorted[i] == sorted[i - 1];
	free(sorted);
	return duplicates;
}

#endif /* E2M_STORE_FIXTURE_H */
