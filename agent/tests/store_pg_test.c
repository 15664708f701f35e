// SPDX-License-Identifier: GPL-2.0
/*
 * The store on PostgreSQL: the engines' common suite (store_suite.h)
 * with the same expectations as on SQLite, the schema version, the key
 * check, secrets sealed exactly as the SQLite engine seals them (opened
 * here with seal.h and seal_fields.h alone) and refused once a bound
 * column is changed behind the store's back, the password kept out of
 * the connection string, -EOPNOTSUPP for the ops the engine lacks, the
 * HSS's key update (keyupdate_suite.h, as keyupdate_hss_store_test.c
 * runs it on SQLite: the whole database searched for the new keys in
 * the clear, and a schema 11 database migrated with counter 0), its
 * session ended mid-transaction (-ENOTCONN, nothing written, the next
 * call served), two processes updating the same subscribers' SQNs
 * at once without ever reading the same one, and the BSF's shared
 * challenges (store_challenge_suite.h, as store_test.c runs it on
 * SQLite): taken once across processes; and
 * the HSE flows of a schema 17 database given the host's name as their
 * owner by the migration to 18, where their MAC of 17 holds.
 *
 * Runs against the throwaway cluster tests/pg_test.sh starts:
 * E2M_TEST_PG (a connection string without password) and
 * E2M_TEST_PG_PASSWORD_FILE. Without them every test is reported
 * skipped with E2M_TEST_PG_SKIP's reason, never passed.
 */
#include <errno.h>
#include <libpq-fe.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <sys/wait.h>

#include "store/seal.h"
#include "store/seal_fields.h"
#include "store/store.h"
#include "store/store_engine.h"
#include "store/pg_db.h"
#include "store/row_mac.h"
#include "store/store_sqn_reserve.h"
#include "keyupdate_suite.h"
#include "store_fixture.h"
#include "store_hse_suite.h"
#include "store_sgw_suite.h"
#include "store_suite.h"

#define RACE_SUBSCRIBERS	4
#define RACE_UPDATES		200	/* per process */
#define RACE_IMSI		"00101990000000%d"

static struct store_key key;
static const char *conninfo, *password_file;

static struct store *open_pg(const struct store_key *k)
{
	char why[256] = "";
	struct store *store;
	int ret = store_open_postgresql(&store, conninfo, password_file, k,
					why, sizeof(why));

	if (ret) {
		printf("# store_open_postgresql: %d %s\n", ret, why);
		bail("cannot open the PostgreSQL store");
	}
	return store;
}

/* A connection of its own, as a writer of the database would make. */
static PGconn *raw_connect(void)
{
	const char *keywords[] = { "dbname", "password", NULL };
	const char *values[] = { conninfo, NULL, NULL };
	char password[256] = "";
	FILE *f = fopen(password_file, "r");
	PGconn *conn;

	if (!f || !fgets(password, sizeof(password), f))
		bail("reading the password file");
	fclose(f);
	password[strcspn(password, "\n")] = '\0';
	values[1] = password;
	conn = PQconnectdbParams(keywords, values, 1);
	OPENSSL_cleanse(password, sizeof(password));
	return conn;
}

/* SQL behind the store's back: one statement, its rows in binary. */
static PGresult *raw(const char *sql)
{
	PGconn *conn = raw_connect();
	PGresult *res = NULL;

	if (PQstatus(conn) == CONNECTION_OK)
		res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 1);
	PQfinish(conn);
	return res;
}

/* Statements without rows behind the store's back: whether all ran. */
static bool raw_exec(const char *sql)
{
	PGconn *conn = raw_connect();
	PGresult *res = NULL;
	bool done = false;

	if (PQstatus(conn) == CONNECTION_OK) {
		res = PQexec(conn, sql);
		done = PQresultStatus(res) == PGRES_COMMAND_OK;
	}
	if (!done)
		printf("# %s", PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
	return done;
}

static struct store *ch_reopen(void)
{
	return open_pg(&key);
}

static bool ch_exec(const char *sql)
{
	return raw_exec(sql);
}

static int ch_rows(const char *sql)
{
	PGresult *res = raw(sql);
	int n = res && PQresultStatus(res) == PGRES_TUPLES_OK ?
		PQntuples(res) : -1;

	PQclear(res);
	return n;
}

static int ch_blob(const char *sql, uint8_t *out, size_t size)
{
	PGresult *res = raw(sql);
	int len = -1;

	if (res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
	    (size_t)PQgetlength(res, 0, 0) <= size) {
		len = PQgetlength(res, 0, 0);
		memcpy(out, PQgetvalue(res, 0, 0), (size_t)len);
	}
	PQclear(res);
	return len;
}

#include "store_challenge_suite.h"

static void test_open(void)
{
	struct store *store = open_pg(&key);

	ok(!strcmp(store_engine(store), "postgresql") &&
	   store_schema_version(store) == SCHEMA_NOW &&
	   SCHEMA_NOW == STORE_SCHEMA_VERSION,
	   "open: engine postgresql, schema version %d as SQLite's",
	   SCHEMA_NOW);
	ok(store_engine_families("postgresql") ==
	   (STORE_FAMILY_SUBSCRIBERS | STORE_FAMILY_SESSIONS |
	    STORE_FAMILY_CHALLENGES | STORE_FAMILY_SGW_UES |
	    STORE_FAMILY_HSE_FLOWS) &&
	   store_engine_families("sqlite") == STORE_FAMILIES_ALL &&
	   store_engine_families("mysql") == 0,
	   "open: postgresql serves subscribers, sessions, the shared"
	   " challenges, the SGW's UEs and the HSE's flows only; sqlite all");
	store_close(store);
}

static int count_devices(const struct store_device_info *info, void *arg)
{
	(void)info;
	(*(int *)arg)++;
	return 0;
}

static void test_unsupported(struct store *store)
{
	struct store_usim usim;
	int n = 0;

	ok(store_usim_get(store, TEST_ICCID, &usim) == -EOPNOTSUPP &&
	   strstr(store_errmsg(store), "usim_get") &&
	   store_device_psk_list(store, count_devices, &n) == -EOPNOTSUPP &&
	   n == 0 && store_device_blocked(store, "device-1") == -EOPNOTSUPP,
	   "unsupported: an op outside its families is -EOPNOTSUPP, says"
	   " which, calls nothing back");
	store_usim_wipe(&usim);
	ok(store_prov_session_count(store) == -EOPNOTSUPP &&
	   strstr(store_errmsg(store), "prov_session_count"),
	   "unsupported: role prov's sessions (schema 14's table is there,"
	   " no op writes it): -EOPNOTSUPP");
	ok(!strcmp(store_strerror(-EOPNOTSUPP),
		   "not implemented by this store engine"),
	   "unsupported: its phrase");
}

/* The set 1 subscriber of the suite, as the database holds it. */
static void test_sealed_as_sqlite(struct store *store)
{
	struct store_subscriber sub;
	struct seal_field bound[SEAL_SUBSCRIBER_FIELDS];
	struct seal_place place;
	uint8_t k[16];
	PGresult *res;
	int ret = -1;

	ok(store_subscriber_get(store, TEST_IMSI, &sub) == 0,
	   "sealed: the suite's subscriber is there");
	res = raw("SELECT k FROM subscribers WHERE imsi = '" TEST_IMSI "'");
	if (res && PQntuples(res) == 1 &&
	    PQgetlength(res, 0, 0) == SEAL_OVERHEAD + 16) {
		seal_subscriber_fields(&sub.pub, bound);
		place = seal_subscriber_place(&sub.pub, "k", bound);
		ret = unseal_secret(&key, &place,
				    (const uint8_t *)PQgetvalue(res, 0, 0),
				    (size_t)PQgetlength(res, 0, 0), k,
				    sizeof(k));
	}
	ok(ret == 0 && PQgetvalue(res, 0, 0)[0] == SEAL_VERSION,
	   "sealed: K is a version 2 blob of 45 octets, not K");
	is_hex(k, sizeof(k), SET1_K,
	       "sealed: it opens with seal.h at SQLite's place and bound"
	       " fields");
	PQclear(res);
	store_subscriber_wipe(&sub);

	PQclear(raw("UPDATE subscribers SET flags = 0"
		    " WHERE imsi = '" TEST_IMSI "'"));
	ret = store_subscriber_get(store, TEST_IMSI, &sub);
	ok(ret == -EKEYREJECTED && sub.k[0] == 0,
	   "sealed: a bound column changed behind its back is -EKEYREJECTED");
	store_subscriber_wipe(&sub);
	PQclear(raw("DELETE FROM subscribers"));
}

static void test_keys_and_password(void)
{
	struct store_key other;
	struct store *store;
	char why[256] = "", conn[1024], file[SCRATCH_PATH_MAX];
	int ret;

	test_key(&other, 0x43);
	ret = store_open_postgresql(&store, conninfo, password_file, &other,
				    why, sizeof(why));
	ok(ret == -EKEYREJECTED && !store,
	   "open: another store key is -EKEYREJECTED");
	snprintf(conn, sizeof(conn), "%s password=secret", conninfo);
	ret = store_open_postgresql(&store, conn, password_file, &key, why,
				    sizeof(why));
	ok(ret == -EINVAL && strstr(why, "password-file") &&
	   !strstr(why, "secret"),
	   "open: a password in the connection string is refused, not shown");
	snprintf(file, sizeof(file), "%s", scratch_path("wrong.pass"));
	write_file(file, "not-the-password\n", 17, 0644);
	ret = store_open_postgresql(&store, conninfo, file, &key, why,
				    sizeof(why));
	ok(ret == -EPERM, "open: a password file others can read is -EPERM");
	chmod(file, 0600);
	ret = store_open_postgresql(&store, conninfo, file, &key, why,
				    sizeof(why));
	ok(ret == -ECONNREFUSED && !strstr(why, "not-the-password"),
	   "open: a wrong password fails, and is not in the reason");
	ret = store_open_postgresql(&store, conninfo, NULL, &key, why,
				    sizeof(why));
	ok(ret == -ECONNREFUSED, "open: no password, no connection");
}

/* ---- the key update (keyupdate_suite.h) ------------------------------- */

/*
 * Every table's every row as text (a bytea column is its hex there),
 * searched for the hex of k and of opc: the whole database, as SQLite's
 * test searches the whole file. A query that fails counts as found.
 */
static bool pg_in_clear(const uint8_t *k, const uint8_t *opc)
{
	char sql[1024], k_hex[2 * AKA_K_LEN + 1], opc_hex[2 * AKA_OP_LEN + 1];
	PGresult *res;
	bool found;
	int i;

	for (i = 0; i < AKA_K_LEN; i++)
		sprintf(k_hex + 2 * i, "%02x", k[i]);
	for (i = 0; i < AKA_OP_LEN; i++)
		sprintf(opc_hex + 2 * i, "%02x", opc[i]);
	snprintf(sql, sizeof(sql),
		 "SELECT t FROM (SELECT table_name AS t, query_to_xml("
		 "  format('SELECT x::text AS r FROM %%I x', table_name),"
		 "  true, false, '')::text AS rows"
		 " FROM information_schema.tables"
		 " WHERE table_schema = current_schema()) d"
		 " WHERE strpos(rows, '%s') > 0 OR strpos(rows, '%s') > 0",
		 k_hex, opc_hex);
	res = raw(sql);
	found = !res || PQresultStatus(res) != PGRES_TUPLES_OK ||
		PQntuples(res) != 0;
	PQclear(res);
	OPENSSL_cleanse(sql, sizeof(sql));
	return found;
}

static struct store *pg_reopen(struct store *store)
{
	store_close(store);
	return open_pg(&key);
}

static const struct keyupdate_engine pg_engine = {
	.in_clear = pg_in_clear,
	.reopen = pg_reopen,
};

/*
 * The search above finds what is there: NEW_K's hex as a NAF name in a
 * subscriber's USS; and nothing once that subscriber is gone.
 */
static void test_in_clear_finds(struct store *store)
{
	struct store_subscriber sub;
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];
	bool found;

	set1_subscriber(&sub, "001010000000003", "probe@home1.net");
	strcpy(sub.pub.uss, "[{\"naf\":\"" NEW_K "\"}]");
	unhex(k, sizeof(k), NEW_K);
	unhex(opc, sizeof(opc), NEW_OPC);
	found = store_subscriber_add(store, &sub) == 0 && pg_in_clear(k, opc);
	ok(found && store_subscriber_remove(store, sub.pub.imsi) == 0 &&
	   !pg_in_clear(k, opc),
	   "in the clear: the search finds the hex of a key in a row, and"
	   " nothing once the row is gone");
	store_subscriber_wipe(&sub);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
}

static const char *own_value(struct store *store, const char *sql);

/*
 * A subscriber of a schema 11 database: the migrations to 14 give it
 * counter 0, its keys as they were (keyupdate_hss_store_test.c's case).
 */
static void test_key_update_migration(struct store **store)
{
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];
	struct store_subscriber sub;
	bool undone;

	store_close(*store);
	undone = raw_exec(UNDO_SCHEMA_18_PG UNDO_SCHEMAS_AFTER_11
			  " UPDATE e2m_schema SET version = 11;");
	ok(undone, "key update migration: the database made a version 11 one");
	*store = open_pg(&key);
	unhex(k, sizeof(k), SET1_K);
	unhex(opc, sizeof(opc), SET1_OPC);
	ok(store_schema_version(*store) == SCHEMA_NOW &&
	   store_subscriber_get(*store, TEST_IMSI, &sub) == 0 &&
	   !memcmp(sub.k, k, sizeof(k)) &&
	   store_subscriber_update_keys(*store, TEST_IMSI, 1, k, opc) == 0,
	   "key update migration: 11 -> %d, keys kept, counter 0 (an update"
	   " of counter 1 is new)", SCHEMA_NOW);
	ok(!strcmp(own_value(*store, "SELECT count(*) FROM prov_sessions"),
		   "0"), "key update migration: 13 -> 14 made prov_sessions");
	store_subscriber_wipe(&sub);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
}

/*
 * The MAC a row of hse_flows had at schema 17 (row_mac.h's format): its
 * first 12 values, the owner not yet among them; as hex.
 */
static void mac_of_17(const struct store_hse_flow *f, char *hex)
{
	const struct seal_field v[] = {
		SEAL_INT_FIELD("teid", f->teid),
		SEAL_INT_FIELD("ue_teid", f->ue_teid),
		SEAL_TEXT_FIELD("imsi", f->imsi),
		SEAL_BLOB_FIELD("rand", f->rand, sizeof(f->rand)),
		SEAL_BLOB_FIELD("sqn", f->sqn, sizeof(f->sqn)),
		SEAL_INT_FIELD("ksi", f->ksi),
		SEAL_TEXT_FIELD("ue_address", f->ue_address),
		SEAL_INT_FIELD("ue_port", f->ue_port),
		SEAL_TEXT_FIELD("inner_ipv4", f->inner_ipv4),
		SEAL_TEXT_FIELD("inner_ipv6", f->inner_ipv6),
		SEAL_TEXT_FIELD("device", f->device),
		SEAL_INT_FIELD("created", f->created),
	};
	uint8_t mac[ROW_MAC_LEN];
	EVP_MAC_CTX *ctx = NULL;
	size_t i;

	if (row_mac_key(&ctx, &key) ||
	    row_mac(ctx, "hse_flows", v, sizeof(v) / sizeof(v[0]), mac))
		bail("row MAC");
	EVP_MAC_CTX_free(ctx);
	for (i = 0; i < sizeof(mac); i++)
		sprintf(hex + 2 * i, "%02x", mac[i]);
}

/*
 * Two HSE flows of a schema 17 database (no owner; the key the TEID):
 * 41 with its MAC of 17, 42 with a MAC that is not (one of 18, over
 * another owner). The migration to 18 gives 41 the host's name as its
 * owner and a MAC with it; 42 stays without an owner, refused.
 */
static void test_hse_owner_migration(struct store **store)
{
	char sql[512], hex[2 * ROW_MAC_LEN + 1], host[STORE_HSE_OWNER_MAX + 1];
	struct store_hse_flow f, g, got;

	fill_hse_flow(&f, 41, "001010000000001", 1);
	fill_hse_flow(&g, 42, "001010000000002", 2);
	ok(store_hse_flow_put(*store, &f) == 0 &&
	   store_hse_flow_put(*store, &g) == 0,
	   "hse owner migration: two flows");
	store_close(*store);
	mac_of_17(&f, hex);
	snprintf(sql, sizeof(sql), UNDO_SCHEMA_18_PG
		 " UPDATE hse_flows SET mac = '\\x%s' WHERE teid = 41;"
		 " UPDATE e2m_schema SET version = 17;", hex);
	ok(raw_exec(sql), "hse owner migration: the database made a version"
	   " 17 one, flow 41 with its MAC of 17");
	*store = open_pg(&key);
	if (store_hse_owner_default(host, sizeof(host)))
		bail("the host's name is no HSE instance name");
	memset(f.owner, 0, sizeof(f.owner));
	strcpy(f.owner, host);
	ok(store_schema_version(*store) == SCHEMA_NOW &&
	   store_hse_flow_get(*store, host, 41, &got) == 0 &&
	   !memcmp(&got, &f, sizeof(got)) &&
	   store_hse_flow_get(*store, HSE_OWNER_A, 41, &got) == -ENOENT,
	   "hse owner migration: 17 -> %d, flow 41 as it was, owned by the"
	   " host's name (%s)", SCHEMA_NOW, host);
	ok(store_hse_flow_get(*store, host, 42, &got) == -ENOENT &&
	   store_hse_flow_get(*store, HSE_OWNER_A, 42, &got) == -ENOENT &&
	   store_hse_flow_list(*store, NULL, NULL, NULL) == -EKEYREJECTED &&
	   !strcmp(own_value(*store, "SELECT owner FROM hse_flows WHERE"
			     " teid = 42"), ""),
	   "hse owner migration: flow 42, its MAC not of 17, stays without"
	   " an owner and is refused");
	ok(raw_exec("DELETE FROM hse_flows WHERE teid = 42;") &&
	   store_hse_flow_remove(*store, host, 41) == 0 &&
	   store_hse_flow_list(*store, NULL, NULL, NULL) == 0,
	   "hse owner migration: cleaned");
}

/* ---- the server away ---------------------------------------------------- */

/* One value of SQL run on the store's own connection, as its text. */
static const char *own_value(struct store *store, const char *sql)
{
	static char value[64];
	PGresult *res = PQexec(to_pg(store)->conn, sql);

	snprintf(value, sizeof(value), "%s",
		 res && PQresultStatus(res) == PGRES_TUPLES_OK &&
		 PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "?");
	PQclear(res);
	return value;
}

/* Between the row's SELECT ... FOR UPDATE and its UPDATE: the session ended. */
static int end_session_then_bump(struct store_subscriber *sub, void *arg)
{
	PGresult *res = raw("SELECT pg_terminate_backend(pid)"
			    " FROM pg_stat_activity"
			    " WHERE datname = current_database()"
			    " AND state = 'idle in transaction'"
			    " AND pid <> pg_backend_pid()");

	*(int *)arg = res && PQresultStatus(res) == PGRES_TUPLES_OK ?
		      PQntuples(res) : -1;
	PQclear(res);
	sub->pub.sqn.seq++;
	return 0;
}

/*
 * The store's session ended by the server mid-transaction (as a fast
 * stop or a restart ends it): -ENOTCONN, the roles' 503, nothing written;
 * the next call connects again and is served. The stop itself, and calls
 * while the server is down, are pg_test.sh's.
 */
static void test_session_ended(struct store *store)
{
	struct store_subscriber sub;
	uint64_t before = stored_seq(store);
	int ended = 0, prepared, ret;

	/* What a new session would get but for the store's own settings. */
	if (!raw_exec("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET"
		      " synchronous_commit = off', current_database());"
		      " END $$"))
		bail("ALTER DATABASE");

	ret = store_subscriber_sqn_update(store, TEST_IMSI,
					  end_session_then_bump, &ended, &sub);
	store_subscriber_wipe(&sub);
	ok(ended == 1 && ret == -ENOTCONN &&
	   !strcmp(store_strerror(ret), "store server unreachable"),
	   "session ended mid-update: -ENOTCONN, \"store server unreachable\"");
	ok(stored_seq(store) == before,
	   "session ended mid-update: nothing written (read on a new"
	   " connection)");
	ret = store_subscriber_sqn_update(store, TEST_IMSI, bump, NULL, &sub);
	ok(ret == 0 && sub.pub.sqn.seq == before + 1 &&
	   stored_seq(store) == before + 1,
	   "session ended: the next update connects again and is written");
	store_subscriber_wipe(&sub);
	ok(!strcmp(own_value(store, "SHOW synchronous_commit"), "on"),
	   "session ended: the new session's commits durable again"
	   " (synchronous_commit on, the database's default off)");
	prepared = to_pg(store)->n_prepared;
	ok(!strcmp(own_value(store, "SELECT count(*) FROM"
			     " pg_prepared_statements"
			     " WHERE name ~ '^e2m_[0-9]+$'"
			     " AND statement LIKE '%FOR UPDATE'"), "1") &&
	   atoi(own_value(store, "SELECT count(*) FROM"
			  " pg_prepared_statements")) == prepared &&
	   prepared == 3,
	   "session ended: its statements prepared again on the new session,"
	   " as many as the store knows (3: the subscriber's SELECT, its"
	   " SELECT ... FOR UPDATE, its UPDATE)");
	if (!raw_exec("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET"
		      " synchronous_commit', current_database()); END $$"))
		bail("ALTER DATABASE");
}

/* ---- two processes, one subscriber's SQN ------------------------------- */

static int next_seq(struct store_subscriber *sub, void *arg)
{
	(void)arg;
	sub->pub.sqn.seq++;
	return 0;
}

/* One process: RACE_UPDATES updates round the subscribers, each SEQ out. */
static void race_child(int fd, bool reserve)
{
	struct store *store = open_pg(&key);
	struct store_subscriber sub;
	char imsi[STORE_IMSI_MAX + 1];
	int i, ret = 0;

	if (reserve && store_sqn_reserve_on(store, STORE_SQN_WINDOW))
		_exit(3);
	for (i = 0; i < RACE_UPDATES && !ret; i++) {
		uint64_t out[2];

		snprintf(imsi, sizeof(imsi), RACE_IMSI, i % RACE_SUBSCRIBERS);
		ret = store_subscriber_sqn_update(store, imsi, next_seq, NULL,
						  &sub);
		out[0] = (uint64_t)(i % RACE_SUBSCRIBERS);
		out[1] = sub.pub.sqn.seq;
		store_subscriber_wipe(&sub);
		/* Written once durable, as a vector leaves. */
		if (!ret && write(fd, out, sizeof(out)) != sizeof(out))
			ret = -EIO;
	}
	store_close(store);
	_exit(ret ? 1 : 0);
}

static int compare_seq(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Two processes at once; *distinct: no SEQ twice for a subscriber;
 * *exact: each subscriber's SEQs are exactly 1..n.
 */
static int race(bool reserve, bool *distinct, bool *exact)
{
	static uint64_t seqs[RACE_SUBSCRIBERS][2 * RACE_UPDATES];
	size_t n[RACE_SUBSCRIBERS] = { 0 };
	struct store *store = open_pg(&key);
	uint64_t in[2];
	int fds[2], status, failed = 0, s;
	pid_t pids[2];
	size_t i;

	for (s = 0; s < RACE_SUBSCRIBERS; s++) {
		char imsi[STORE_IMSI_MAX + 1], impi[64];

		snprintf(imsi, sizeof(imsi), RACE_IMSI, s);
		snprintf(impi, sizeof(impi), "race%d@home1.net", s);
		store_subscriber_remove(store, imsi);
		add_set1_subscriber(store, imsi, impi);
	}
	store_close(store);
	if (pipe(fds))
		bail("pipe");
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			bail("fork");
		if (pids[i] == 0) {
			close(fds[0]);
			race_child(fds[1], reserve);
		}
	}
	close(fds[1]);
	while (read(fds[0], in, sizeof(in)) == sizeof(in)) {
		if (in[0] < RACE_SUBSCRIBERS && n[in[0]] < 2 * RACE_UPDATES)
			seqs[in[0]][n[in[0]]++] = in[1];
	}
	close(fds[0]);
	for (i = 0; i < 2; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	*distinct = *exact = !failed;
	for (s = 0; s < RACE_SUBSCRIBERS; s++) {
		if (n[s] != 2 * RACE_UPDATES / RACE_SUBSCRIBERS)
			*distinct = *exact = false;
		qsort(seqs[s], n[s], sizeof(seqs[s][0]), compare_seq);
		for (i = 0; i < n[s]; i++) {
			if (i && seqs[s][i] == seqs[s][i - 1])
				*distinct = false;
			if (seqs[s][i] != i + 1)
				*exact = false;
		}
	}
	return failed;
}

static void test_two_processes(void)
{
	bool distinct, exact;
	int failed;

	failed = race(false, &distinct, &exact);
	ok(!failed && distinct && exact,
	   "two processes: %d interleaved SQN updates each over %d"
	   " subscribers, each subscriber's SEQs exactly 1..%d",
	   RACE_UPDATES, RACE_SUBSCRIBERS,
	   2 * RACE_UPDATES / RACE_SUBSCRIBERS);
	failed = race(true, &distinct, &exact);
	ok(!failed && distinct,
	   "two processes with SQN reservation (the HSS's): no SEQ handed"
	   " out twice");
}

/*
 * Two SGW instances on one database (store.h's replace): each takes the
 * next KSI of one IMSI SGW_RACE_TAKES times, reading the row again
 * whenever replace says -ESTALE, and reports every write it made; the
 * HSE TEID is used as the row's version (1, 2, ...). No lost update and
 * no KSI twice in a row: the versions written are exactly 2 ..
 * 2 * SGW_RACE_TAKES + 1, each once, each with KSI (version - 1) mod 7.
 * Then both insert SGW_RACE_UES new IMSIs each, child c's i-th wanting
 * address i: each address is won exactly once, the loser told -EEXIST.
 */
#define SGW_RACE_TAKES	100
#define SGW_RACE_UES	30
#define SGW_RACE_IMSI	"001017800000000"

static int sgw_take(struct store *store, uint32_t *version)
{
	struct store_sgw_ue now, next;
	int ret;

	do {
		ret = store_sgw_ue_get(store, SGW_RACE_IMSI, &now);
		next = now;
		next.last_ksi = (uint8_t)((now.last_ksi + 1) % 7);
		next.hse_teid = now.hse_teid + 1;
		if (!ret)
			ret = store_sgw_ue_replace(store, &next, &now);
	} while (ret == -ESTALE);
	*version = next.hse_teid;
	return ret ? ret : next.last_ksi;
}

static void sgw_race_child(int fd, int c)
{
	struct store *store = open_pg(&key);
	struct store_sgw_ue u;
	uint32_t out[2];
	int i, ret = 0;

	for (i = 0; i < SGW_RACE_TAKES && ret >= 0; i++) {
		ret = sgw_take(store, &out[1]);
		out[0] = (uint32_t)ret;
		if (ret >= 0 && write(fd, out, sizeof(out)) != sizeof(out))
			ret = -EIO;
	}
	for (i = 0; i < SGW_RACE_UES && ret >= 0; i++) {
		memset(&u, 0, sizeof(u));
		snprintf(u.imsi, sizeof(u.imsi), "0010178%d%07d", c, i + 1);
		snprintf(u.inner_ipv4, sizeof(u.inner_ipv4), "10.78.0.%d",
			 i + 2);
		ret = store_sgw_ue_replace(store, &u, NULL);
		out[0] = 100;		/* an address won */
		out[1] = (uint32_t)i;
		if (!ret && write(fd, out, sizeof(out)) != sizeof(out))
			ret = -EIO;
		if (ret == -EEXIST)
			ret = 0;
	}
	store_close(store);
	_exit(ret < 0 ? 1 : 0);
}

static void test_sgw_two_instances(void)
{
	static bool seen[2 * SGW_RACE_TAKES + 2];
	int won[SGW_RACE_UES] = { 0 };
	struct store *store = open_pg(&key);
	struct store_sgw_ue u;
	bool chain = true, once = true;
	int fds[2], status, failed = 0, takes = 0, addrs = 0, i;
	uint32_t in[2];
	pid_t pids[2];

	memset(&u, 0, sizeof(u));
	strcpy(u.imsi, SGW_RACE_IMSI);
	u.hse_teid = 1;
	if (store_sgw_ue_put(store, &u) || pipe(fds))
		bail("sgw race setup");
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			bail("fork");
		if (pids[i] == 0) {
			close(fds[0]);
			sgw_race_child(fds[1], i);
		}
	}
	close(fds[1]);
	while (read(fds[0], in, sizeof(in)) == sizeof(in)) {
		if (in[0] == 100 && in[1] < SGW_RACE_UES) {
			won[in[1]]++;
			addrs++;
		} else if (in[0] < 7 && in[1] >= 2 &&
			   in[1] < 2 * SGW_RACE_TAKES + 2) {
			once = once && !seen[in[1]];
			seen[in[1]] = true;
			chain = chain && in[0] == (in[1] - 1) % 7;
			takes++;
		} else {
			failed++;
		}
	}
	close(fds[0]);
	for (i = 0; i < 2; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	ok(!failed && takes == 2 * SGW_RACE_TAKES && once && chain &&
	   store_sgw_ue_get(store, SGW_RACE_IMSI, &u) == 0 &&
	   u.hse_teid == 2 * SGW_RACE_TAKES + 1 &&
	   u.last_ksi == (2 * SGW_RACE_TAKES) % 7,
	   "two SGW instances: %d KSIs taken of one IMSI, each over the"
	   " one before (versions 2..%d once each, KSI %d at the end)",
	   2 * SGW_RACE_TAKES, 2 * SGW_RACE_TAKES + 1,
	   (2 * SGW_RACE_TAKES) % 7);
	for (i = 0; i < SGW_RACE_UES; i++)
		once = once && won[i] == 1;
	ok(!failed && addrs == SGW_RACE_UES && once,
	   "two SGW instances: %d new UEs each wanting the same %d"
	   " addresses: each address given once (%d given)",
	   SGW_RACE_UES, SGW_RACE_UES, addrs);
	store_close(store);
}

/* The tests below that need the server: skipped without one. */
#define SERVER_TESTS	143

static void skip_all(const char *why)
{
	int i;

	for (i = 0; i < SERVER_TESTS; i++)
		ok(1, "# SKIP %s", why);
}

/*
 * Every op of the table is set: an op added to struct store_ops and not
 * to pg_unsupported.c's table would be a NULL called by whichever role
 * reaches it. The table is read as what it is on this ABI, a name,
 * function pointers of one size, then the flag shared.
 */
static void test_ops_complete(void)
{
	typedef int (*any_op)(void);
	size_t n = (offsetof(struct store_ops, shared) - sizeof(pg_ops.name)) /
		   sizeof(any_op);
	any_op ops[sizeof(struct store_ops) / sizeof(any_op)];
	size_t i, nulls = 0;

	memcpy(ops, (const char *)&pg_ops + sizeof(pg_ops.name),
	       n * sizeof(any_op));
	for (i = 0; i < n; i++)
		nulls += !ops[i];
	ok(pg_ops.name && nulls == 0 && n > 0,
	   "ops: all %zu ops of the table are set (%zu NULL)", n, nulls);
}

int main(void)
{
	struct store *store;

	test_ops_complete();
	conninfo = getenv("E2M_TEST_PG");
	password_file = getenv("E2M_TEST_PG_PASSWORD_FILE");
	if (!conninfo || !password_file) {
		const char *why = getenv("E2M_TEST_PG_SKIP");

		skip_all(why ? why : "no PostgreSQL cluster (run by"
			 " tests/pg_test.sh)");
		return done_testing();
	}
	scratch_make("store_pg_test");
	test_key(&key, 0x42);

	test_open();
	store = open_pg(&key);
	store_suite_run(store);
	store_sgw_suite_run(store);
	store_hse_suite_run(store);
	test_unsupported(store);
	test_sealed_as_sqlite(store);
	store_challenge_suite_run(store);
	add_set1_subscriber(store, TEST_IMSI, TEST_IMPI);
	test_in_clear_finds(store);
	keyupdate_suite_run(&store, &pg_engine);
	test_key_update_migration(&store);
	test_hse_owner_migration(&store);
	test_session_ended(store);
	store_close(store);
	test_keys_and_password();
	test_two_processes();
	test_sgw_two_instances();

	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
