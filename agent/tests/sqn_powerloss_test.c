// SPDX-License-Identifier: GPL-2.0
/*
 * No SQN is ever handed out twice across a power cut.
 *
 * sqn_crash_test kills the AuC with SIGKILL, which loses nothing the
 * kernel already has: a store that never synced would pass it. Here the
 * store's SQLite runs over powerloss_vfs.h, whose cut loses every write
 * not yet synced, as a disk that loses power does. A child hands out
 * vectors and prints each SQN once auc_vector() has returned it; the power
 * is cut at a random write or sync (inside a transaction, a commit, a
 * checkpoint), or after the child's last vector; a new child starts on
 * what is left, and so on. No SQN may have been printed twice, each must
 * be greater than every one before it, and after each vector nothing may
 * wait for a sync. The store must have set synchronous=FULL, and a control
 * run shows the cut does lose a commit that was not synced.
 *
 * E2M_CRASH_SEED=N repeats a run.
 */
#include <errno.h>
#include <sys/wait.h>
#include <time.h>

#include "aka/auc.h"
#include "aka/sqn.h"
#include "powerloss_vfs.h"
#include "store_fixture.h"
#include "crash_child.h"

#define VECTORS_PER_RUN		40
#define RUNS			30
#define CUT_AT_MAX		400	/* writes and syncs before the cut */
#define LINE_LEN		14	/* d or p, 12 hex digits, a newline */

static struct store_key key;
static char path[SCRATCH_PATH_MAX];

/* All SQNs printed, in order, over every run. */
static uint64_t printed[RUNS * VECTORS_PER_RUN];
static size_t n_printed, n_pending;

/*
 * The child: vectors until the power goes. Each line says whether the
 * vector's writes were all synced when it went out (d) or not (p).
 */
static void __attribute__((noreturn)) vector_loop(int fd, long cut_at)
{
	struct store *store;
	struct auc_vector v;
	char line[LINE_LEN + 1];
	int i;

	pl_arm(cut_at);
	if (store_open(&store, path, &key, NULL, 0))
		_exit(3);
	for (i = 0; i < VECTORS_PER_RUN; i++) {
		if (auc_vector(store, TEST_IMSI, 0, &v))
			_exit(4);
		snprintf(line, sizeof(line), "%c%012llx\n",
			 pl_unsynced() ? 'p' : 'd',
			 (unsigned long long)sqn_value(v.sqn));
		auc_vector_wipe(&v);
		if (write(fd, line, LINE_LEN) != LINE_LEN)
			_exit(5);
	}
	pl_cut();
}

struct run {
	size_t lines;
	int cut;	/* ended by the power cut */
	int bad_output;
};

static void take_line(const char *line, int *bad)
{
	char text[LINE_LEN];
	char *end = text;

	memcpy(text, line + 1, LINE_LEN - 1);
	text[LINE_LEN - 2] = '\0';
	if ((line[0] != 'd' && line[0] != 'p') ||
	    n_printed >= sizeof(printed) / sizeof(printed[0])) {
		*bad = 1;
		return;
	}
	n_pending += line[0] == 'p';
	printed[n_printed++] = strtoull(text, &end, 16);
	if (*end)
		*bad = 1;
}

static size_t take_lines(const char *buf, size_t len, int *bad)
{
	size_t used = 0;

	for (; len - used >= LINE_LEN; used += LINE_LEN)
		take_line(buf + used, bad);
	return used;
}

static void child_loop(int fd, const void *arg)
{
	vector_loop(fd, *(const long *)arg);
}

/* A child read to its end: the cut, not a kill, stops it. */
static struct run run_child(long cut_at)
{
	const struct crash_child runner = {
		.loop = child_loop,
		.arg = &cut_at,
		.take_lines = take_lines,
		.printed = &n_printed,
	};
	struct crash_run child = crash_run_child(&runner, -1);

	return (struct run){
		.lines = child.lines,
		.cut = child.exit_status == 0,
		.bad_output = child.bad_output,
	};
}

/* Runs SQL on a plain SQLite file; 0 or the SQLite error. */
static int sql(sqlite3 *db, const char *text)
{
	return sqlite3_exec(db, text, NULL, NULL, NULL);
}

/*
 * The control: a commit that was never synced (synchronous=OFF) does not
 * survive the cut, one that was (FULL) does. Returns the rows left.
 */
static int control_rows(const char *synchronous)
{
	const char *file = scratch_path("control.db");
	char setup[128];
	sqlite3 *db;
	int status, rows = -1;
	pid_t pid;

	unlink(file);
	if (sqlite3_open(file, &db) ||
	    sql(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x);") ||
	    sqlite3_close(db))
		bail("control database");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		bail("fork");
	if (pid == 0) {
		snprintf(setup, sizeof(setup), "PRAGMA synchronous=%s;",
			 synchronous);
		if (sqlite3_open(file, &db) || sql(db, setup) ||
		    sql(db, "INSERT INTO t VALUES (1)"))
			_exit(3);
		pl_cut();
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	if (sqlite3_open(file, &db) == SQLITE_OK) {
		sqlite3_stmt *stmt;

		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &stmt,
				       NULL) == SQLITE_OK &&
		    sqlite3_step(stmt) == SQLITE_ROW)
			rows = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	return rows;
}

int main(void)
{
	const char *seed_env = getenv("E2M_CRASH_SEED");
	unsigned int seed = seed_env ? (unsigned int)strtoul(seed_env, NULL, 0) :
			    (unsigned int)time(NULL) ^ (unsigned int)getpid();
	int all_cut = 1, all_reopened = 1, never_behind = 1, clean = 1;
	int r, increasing = 1;
	size_t i;

	printf("# seed %u (E2M_CRASH_SEED=%u repeats this run)\n", seed, seed);
	srand(seed);
	if (pl_register())
		bail("cannot register the power-loss VFS");
	scratch_make("sqn_powerloss_test");
	snprintf(path, sizeof(path), "%s", scratch_path("hss.db"));
	test_key(&key, 0x42);

	ok(control_rows("OFF") == 0,
	   "control: a commit not synced is lost in the cut");
	ok(control_rows("FULL") == 1,
	   "control: a synced commit survives the cut");

	{
		struct store *store = open_store(path, &key);

		add_set1_subscriber(store, TEST_IMSI, TEST_IMPI);
		store_close(store);
	}
	ok(!strcasecmp(pl_synchronous, "FULL"),
	   "the store sets synchronous=FULL (got \"%s\")", pl_synchronous);

	for (r = 0; r < RUNS; r++) {
		/* The last run's cut comes after its last vector. */
		long cut_at = r == RUNS - 1 ? 0 : 1 + rand() % CUT_AT_MAX;
		uint64_t seq = 0, last_seq;
		struct run run = run_child(cut_at);

		clean &= !run.bad_output;
		all_cut &= run.cut;
		if (stored_seq_he(path, &key, TEST_IMSI, &seq))
			all_reopened = 0;
		last_seq = n_printed ? printed[n_printed - 1] >> 5 : 0;
		if (seq < last_seq) {
			printf("# run %d: stored SEQ_HE %llu behind printed %llu\n",
			       r, (unsigned long long)seq,
			       (unsigned long long)last_seq);
			never_behind = 0;
		}
	}

	ok(clean, "every SQN line printed whole");
	ok(all_cut, "%d children ended by the power cut", RUNS);
	ok(n_printed >= VECTORS_PER_RUN, "%zu vectors handed out", n_printed);
	ok(n_pending == 0,
	   "no vector went out with a write not yet synced (%zu did)",
	   n_pending);
	ok(all_reopened, "the store reopened after every cut");
	ok(never_behind, "the stored SEQ_HE was never behind a printed SQN");
	ok(count_duplicates(printed, n_printed) == 0,
	   "no SQN printed twice (%zu printed)", n_printed);
	for (i = 1; i < n_printed; i++)
		increasing &= printed[i] > printed[i - 1];
	ok(increasing, "each SQN greater than every one before it");

	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
