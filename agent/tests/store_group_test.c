// SPDX-License-Identifier: GPL-2.0
/*
 * Group commit (store/store_group.h): the writes of one turn share one
 * commit and are invisible to another connection until it; each waiter is
 * told only after it; a write that fails fails alone; a write outside the
 * group is durable when it returns; without a loop nothing changes; kill
 * -9 before the commit loses the group and nobody was told; a write waits
 * out another process's write lock. Sessions as
 * the BSF writes them, a second store handle on the file as the reader.
 */
#include <signal.h>
#include <sys/wait.h>

#include <event2/event.h>

#include "store/store_group.h"
#include "store/sqlite_db.h"
#include "store_fixture.h"
#include "loop_until.h"


static struct store_key key;

/* The engine's PRAGMA synchronous: 1 NORMAL, 2 FULL. */
static int synchronous(struct store *store)
{
	sqlite3_stmt *stmt;
	int value = -1;

	if (sqlite3_prepare_v2(to_sqlite(store)->db, "PRAGMA synchronous", -1,
			       &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

/* fdatasync calls the engine made, the group's thread's and its own. */
static unsigned long long engine_flushes(struct store *store)
{
	return atomic_load(&to_sqlite(store)->flushes);
}

/* A session whose B-TID is 22 times c. */
static void session_of(struct store_session *s, char c)
{
	memset(s, 0, sizeof(*s));
	memset(s->pub.btid, c, 22);
	strcpy(s->pub.btid + 22, "@bsf.test");
	strcpy(s->pub.impi, TEST_IMPI);
	memset(s->pub.rand, c, sizeof(s->pub.rand));
	memset(s->ks, c ^ 0x5a, sizeof(s->ks));
	s->pub.created = 1000;
	s->pub.expires = 4000000000LL;
}

static bool has_session(struct store *store, char c)
{
	struct store_session s, got;
	bool found;

	session_of(&s, c);
	found = !store_session_get(store, s.pub.btid, 2000, &got);
	store_session_wipe(&got);
	store_session_wipe(&s);
	return found;
}

/* What each waiter was told, in the order told. */
static int told[8], n_told;
static char told_who[8];

static void done(int ret, void *arg)
{
	if (n_told < 8) {
		told[n_told] = ret;
		told_who[n_told++] = *(const char *)arg;
	}
}

static int add(struct store *store, char c)
{
	struct store_session s;
	int ret;

	session_of(&s, c);
	ret = store_session_add(store, &s);
	store_session_wipe(&s);
	return ret;
}

static void test_without_loop(const char *path)
{
	struct store *w = open_store(path, &key), *r = open_store(path, &key);
	static const char a = 'a';

	n_told = 0;
	store_group_begin(w);
	ok(add(w, 'a') == 0 && has_session(r, 'a'),
	   "no loop attached: a write in a group is durable at once");
	store_group_end(w, done, (void *)&a);
	ok(n_told == 1 && told[0] == 0,
	   "no loop attached: done runs within store_group_end, with 0");
	store_close(w);
	store_close(r);
}

static void test_one_turn(const char *path)
{
	struct event_base *base = event_base_new();
	struct store *w = open_store(path, &key), *r = open_store(path, &key);
	static const char b = 'b', c = 'c', d = 'd';
	unsigned long long commits, waiters, flushes;
	struct store_subscriber sub;

	if (!base || store_group_attach(w, base))
		bail("attach");
	n_told = 0;
	store_group_begin(w);
	ok(add(w, 'b') == 0, "group: the first write returns 0");
	store_group_end(w, done, (void *)&b);
	store_group_begin(w);
	ok(add(w, 'b') == -EEXIST, "group: a write that fails fails alone (-EEXIST)");
	store_group_end(w, NULL, NULL);
	store_group_begin(w);
	ok(add(w, 'c') == 0, "group: a third write returns 0");
	store_group_end(w, done, (void *)&c);
	ok(n_told == 0, "group: nobody told before the commit");
	ok(!has_session(r, 'b') && !has_session(r, 'c'),
	   "group: another connection sees nothing before the commit");
	ok(has_session(w, 'b'), "group: its own connection reads its writes");
	ok(store_group_deferred(w) && synchronous(w) == 1,
	   "group: the flush deferred, the connection at synchronous=NORMAL");
	event_base_loop(base, EVLOOP_ONCE);
	ok(has_session(r, 'b') && has_session(r, 'c') && n_told == 0,
	   "group: the next turn commits both; nobody told before the flush");
	loop_until_count(base, &n_told, 2);
	ok(n_told == 2 && told[0] == 0 && told[1] == 0 && told_who[0] == 'b' &&
	   told_who[1] == 'c',
	   "group: once flushed, both waiters told 0, in order");
	store_group_counts(w, &commits, &waiters);
	ok(commits == 1 && waiters == 2 && engine_flushes(w) == 1,
	   "group: one commit and one flush for the two waiters (%llu, %llu, %llu)",
	   commits, waiters, engine_flushes(w));

	/* A write with no group open flushes on its own, before it returns. */
	flushes = engine_flushes(w);
	set1_subscriber(&sub, "001010000000002",
			"001010000000002@ims.mnc001.mcc001.3gppnetwork.org");
	ok(store_subscriber_add(w, &sub) == 0 &&
	   engine_flushes(w) == flushes + 1,
	   "a write outside any group: one fdatasync of its own (%llu)",
	   engine_flushes(w) - flushes);
	store_subscriber_wipe(&sub);

	/* A write of its own while the group is open: durable at return. */
	n_told = 0;
	store_group_begin(w);
	ok(add(w, 'd') == 0, "group: a fourth write");
	store_group_end(w, done, (void *)&d);
	set1_subscriber(&sub, TEST_IMSI, TEST_IMPI);
	ok(store_subscriber_add(w, &sub) == 0 && has_session(r, 'd'),
	   "a write outside the group commits the group first, then itself");
	store_subscriber_wipe(&sub);
	ok(!store_subscriber_get(r, TEST_IMPI, &sub),
	   "the write outside the group is durable when it returns");
	store_subscriber_wipe(&sub);
	ok(n_told == 0, "its waiter is still told on the loop");
	loop_until_count(base, &n_told, 1);
	ok(n_told == 1 && told[0] == 0, "then told 0");

	/* detach: what is open is committed and told. */
	n_told = 0;
	store_group_begin(w);
	add(w, 'e');
	store_group_end(w, done, (void *)&d);
	store_group_detach(w);
	ok(n_told == 1 && told[0] == 0 && has_session(r, 'e'),
	   "detach commits the group and tells its waiter");
	ok(synchronous(w) == 2, "detached: back to synchronous=FULL");
	store_close(w);
	store_close(r);
	event_base_free(base);
}

/* kill -9 after the writes, before the turn that commits them. */
static void test_killed(const char *path)
{
	struct store *r;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		bail("fork");
	if (pid == 0) {
		struct event_base *base = event_base_new();
		struct store *w = open_store(path, &key);

		if (!base || store_group_attach(w, base))
			_exit(3);
		store_group_begin(w);
		add(w, 'k');
		store_group_end(w, done, NULL);
		raise(SIGKILL);
		_exit(4);
	}
	if (waitpid(pid, &status, 0) != pid)
		bail("waitpid");
	r = open_store(path, &key);
	ok(WIFSIGNALED(status) && !has_session(r, 'k') && has_session(r, 'e'),
	   "kill -9 before the commit: the group is lost, the rest is there");
	store_close(r);
}

/*
 * Another request's work in the loop, ready again on each of the next
 * @left turns (a timer of zero seconds: ready on the next turn, as a
 * socket with data would be); what the waiters had been told at each run.
 * Each run ends event_base_loop(), so the test sees one turn at a time.
 */
struct busy {
	struct event_base *base;
	struct event *ev;
	int left, runs, told_at_run[16];
};

static void busy_run(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval now = { 0, 0 };
	struct busy *b = arg;

	(void)fd;
	(void)what;
	if (b->runs < 16)
		b->told_at_run[b->runs] = n_told;
	b->runs++;
	if (b->left < 0 || --b->left > 0)
		evtimer_add(b->ev, &now);
	event_base_loopbreak(b->base);
}

/*
 * With priorities (e2md's base has three), the commit waits for the
 * turns where other work is ready, and the writes of that work join it;
 * a loop that is never idle still commits, on the backstop.
 */
static void test_priorities(const char *path)
{
	static const struct timeval now = { 0, 0 };
	static const char f = 'f', g = 'g', h = 'h';
	struct event_base *base = event_base_new();
	struct store *w = open_store(path, &key);
	unsigned long long commits, waiters;
	struct busy b = { .base = base, .left = 3 };

	if (!base || event_base_priority_init(base, 3) ||
	    store_group_attach(w, base))
		bail("attach with priorities");
	b.ev = evtimer_new(base, busy_run, &b);
	if (!b.ev)
		bail("evtimer_new");
	n_told = 0;
	store_group_begin(w);
	ok(add(w, 'f') == 0, "priorities: a write of the group");
	store_group_end(w, done, (void *)&f);
	evtimer_add(b.ev, &now);
	while (b.runs < 2)
		event_base_loop(base, EVLOOP_ONCE);
	/* Work ready in a later turn writes too: it joins the same commit. */
	store_group_begin(w);
	ok(add(w, 'g') == 0, "priorities: a write while the loop is busy");
	store_group_end(w, done, (void *)&g);
	event_base_loop(base, EVLOOP_ONCE);
	ok(b.runs == 3 && b.told_at_run[0] == 0 && b.told_at_run[1] == 0 &&
	   b.told_at_run[2] == 0 && n_told == 0,
	   "priorities: nobody told while other work was ready, 3 turns of it");
	event_base_loop(base, EVLOOP_ONCE);
	store_group_counts(w, &commits, &waiters);
	ok(commits == 1 && n_told == 0,
	   "priorities: the first idle turn commits once for both");
	loop_until_count(base, &n_told, 2);
	store_group_counts(w, &commits, &waiters);
	ok(n_told == 2 && told_who[0] == 'f' && told_who[1] == 'g' &&
	   told[0] == 0 && told[1] == 0 && commits == 1 && waiters == 2,
	   "priorities: once flushed, both told 0 in order");

	/* Never idle: the backstop commits after STORE_GROUP_MAX_WAIT_US. */
	n_told = 0;
	b.left = -1;
	b.runs = 0;
	store_group_begin(w);
	ok(add(w, 'h') == 0, "priorities: a write in a loop never idle");
	store_group_end(w, done, (void *)&h);
	evtimer_add(b.ev, &now);
	while (!n_told)
		event_base_loop(base, EVLOOP_ONCE);
	store_group_counts(w, &commits, &waiters);
	ok(n_told == 1 && told[0] == 0 && told_who[0] == 'h' && b.runs > 1 &&
	   commits == 2 && waiters == 3,
	   "priorities: a loop never idle still commits (the backstop), told 0");
	event_free(b.ev);
	store_group_detach(w);
	store_close(w);
	event_base_free(base);
}

/*
 * A group that wrote nothing asks for no flush, but its waiters wait for
 * the flushes still owed (an HSS vector inside a mark not yet flushed),
 * and are told at its commit where none is.
 */
static void test_nothing_written(const char *path)
{
	static const char p = 'p', q = 'q', z = 'z';
	struct event_base *base = event_base_new();
	struct store *w = open_store(path, &key);
	unsigned long long flushes;

	if (!base || store_group_attach(w, base))
		bail("attach");
	n_told = 0;
	store_group_begin(w);
	ok(add(w, 'p') == 0, "nothing written: a write of a first group");
	store_group_end(w, done, (void *)&p);
	event_base_loop(base, EVLOOP_ONCE);
	store_group_begin(w);
	ok(has_session(w, 'p'), "nothing written: a second group only reads");
	store_group_end(w, done, (void *)&q);
	loop_until_count(base, &n_told, 2);
	ok(n_told == 2 && told_who[0] == 'p' && told_who[1] == 'q' &&
	   !told[0] && !told[1] && engine_flushes(w) == 1,
	   "nothing written: told after the first group's flush, in order, one flush (%llu)",
	   engine_flushes(w));
	flushes = engine_flushes(w);
	store_group_begin(w);
	store_group_end(w, done, (void *)&z);
	event_base_loop(base, EVLOOP_ONCE);
	ok(n_told == 3 && told_who[2] == 'z' && !told[2] &&
	   engine_flushes(w) == flushes,
	   "nothing written, no flush owed: told at its commit, no fdatasync");
	store_group_detach(w);
	store_close(w);
	event_base_free(base);
}

/*
 * A failed flush: its waiters are told the error, never 0, and every later
 * one too (Linux may have dropped the pages it could not write); a store
 * opened again flushes again.
 */
static void test_flush_failure(const char *path)
{
	static const char m = 'm', n = 'n', o = 'o';
	struct event_base *base = event_base_new();
	struct store *w = open_store(path, &key);
	struct store_subscriber sub;
	int null, ret;

	if (!base || store_group_attach(w, base))
		bail("attach");
	/* The WAL's descriptor names /dev/null now: fdatasync says EINVAL. */
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, to_sqlite(w)->wal_fd) < 0)
		bail("dup2");
	close(null);
	n_told = 0;
	store_group_begin(w);
	ok(add(w, 'm') == 0, "flush failure: a write of the group");
	store_group_end(w, done, (void *)&m);
	loop_until_count(base, &n_told, 1);
	ok(n_told == 1 && told[0] == -EINVAL,
	   "flush failure: its waiter told -EINVAL, not 0 (%d)", told[0]);
	store_group_begin(w);
	add(w, 'n');
	store_group_end(w, done, (void *)&n);
	loop_until_count(base, &n_told, 2);
	ok(n_told == 2 && told[1] == -EINVAL,
	   "flush failure: sticky, the next group is told -EINVAL too (%d)",
	   told[1]);
	set1_subscriber(&sub, "001010000000003",
			"001010000000003@ims.mnc001.mcc001.3gppnetwork.org");
	ret = store_subscriber_add(w, &sub);
	ok(ret == -EIO, "flush failure: a write outside the group fails, -EIO (%d)",
	   ret);
	store_group_detach(w);
	store_close(w);

	w = open_store(path, &key);
	if (store_group_attach(w, base))
		bail("attach again");
	n_told = 0;
	store_group_begin(w);
	add(w, 'o');
	store_group_end(w, done, (void *)&o);
	loop_until_count(base, &n_told, 1);
	ok(n_told == 1 && told[0] == 0,
	   "flush failure: the store opened again flushes, told 0");
	store_group_detach(w);
	store_close(w);
	store_subscriber_wipe(&sub);
	event_base_free(base);
}

/*
 * Another process holds the write lock for 200 ms: a write waits for it
 * (store_sqlite.c's busy_wait) and succeeds once it is free.
 */
static void test_lock_wait(const char *path)
{
	struct store *w = open_store(path, &key);
	int ready[2], status;
	char byte;
	pid_t pid;

	if (pipe(ready))
		bail("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		bail("fork");
	if (pid == 0) {
		static const struct timespec hold = { 0, 200000000 };
		sqlite3 *db;

		close(ready[0]);
		if (sqlite3_open(path, &db) != SQLITE_OK ||
		    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL,
				 NULL) != SQLITE_OK)
			_exit(3);
		if (write(ready[1], "x", 1) != 1)
			_exit(4);
		nanosleep(&hold, NULL);
		_exit(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) ==
		      SQLITE_OK ? 0 : 5);
	}
	close(ready[1]);
	if (read(ready[0], &byte, 1) != 1)
		bail("the lock holder did not start");
	close(ready[0]);
	ok(add(w, 'w') == 0,
	   "a write waits for another process's write lock, then succeeds");
	if (waitpid(pid, &status, 0) != pid)
		bail("waitpid");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "the lock holder committed (%d)", status);
	store_close(w);
}

int main(void)
{
	char path[SCRATCH_PATH_MAX];

	scratch_make("store_group_test");
	snprintf(path, sizeof(path), "%s", scratch_path("bsf.db"));
	test_key(&key, 0x37);
	store_close(open_store(path, &key));
	test_without_loop(path);
	test_one_turn(path);
	test_priorities(path);
	test_killed(path);
	test_nothing_written(path);
	test_flush_failure(path);
	test_lock_wait(path);
	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
