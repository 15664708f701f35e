// SPDX-License-Identifier: GPL-2.0
/*
 * No SQN is ever handed out twice, whatever moment the AuC dies at.
 *
 * A child process loops over 1,000 vector requests on a store file and
 * writes each vector's SQN to a pipe once auc_vector() has returned it,
 * as a daemon would send it out. The parent kills the child with SIGKILL
 * at random moments (after a random number of vectors, plus a random few
 * hundred microseconds, so inside a transaction, a commit or an fsync),
 * starts a new child on the same file, and so on; a last child runs to
 * the end. Then no SQN may have been printed twice, each must be greater
 * than every one before it, the store must reopen after every kill, and
 * its stored SEQ_HE must never be behind a printed SQN.
 *
 * Then the same with group commit (store/store_group.h), as e2md runs:
 * each turn of the child's event loop asks for 1 to GROUP_MAX vectors,
 * each in a group of its own begin and end, and prints an SQN only in its
 * done callback, once the group's one commit is on disk.
 *
 * E2M_CRASH_SEED=N repeats a run.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <event2/event.h>

#include "aka/auc.h"
#include "aka/sqn.h"
#include "store/store_group.h"
#include "store_fixture.h"
#include "crash_child.h"

#define VECTORS_PER_RUN		1000
#define KILLED_RUNS		10
#define RUNS			(KILLED_RUNS + 1)
#define KILL_AFTER_MAX		150	/* vectors read before the kill */
#define LINE_LEN		13	/* 12 hex digits and a newline */
#define GROUP_MAX		16	/* vectors a turn, with group commit */

static struct store_key key;
static char path[SCRATCH_PATH_MAX];
static bool grouped;		/* the second half: with group commit */

/* All SQNs printed, in order, over every run. */
static uint64_t printed[RUNS * VECTORS_PER_RUN];
static size_t n_printed;

static void print_sqn(int fd, uint64_t sqn)
{
	char line[LINE_LEN + 1];

	snprintf(line, sizeof(line), "%012llx\n", (unsigned long long)sqn);
	/* One write of 13 octets to a pipe is atomic. */
	if (write(fd, line, LINE_LEN) != LINE_LEN)
		_exit(5);
}

/* The child with group commit: its loop, as e2md's. */
struct grouped_child {
	struct store *store;
	struct event_base *base;
	struct event *turn;
	int fd;
	int asked, answered;
};

struct grouped_vector {
	struct grouped_child *c;
	uint64_t sqn;
};

static void vector_durable(int ret, void *arg)
{
	struct grouped_vector *v = arg;

	if (ret)
		_exit(6);
	/* Only now is the vector "out": print its SQN. */
	print_sqn(v->c->fd, v->sqn);
	if (++v->c->answered == VECTORS_PER_RUN)
		event_base_loopbreak(v->c->base);
	free(v);
}

static void one_turn(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval next_turn = { 0, 0 };
	struct grouped_child *c = arg;
	int n = 1 + rand() % GROUP_MAX;

	(void)fd;
	(void)what;
	while (n-- > 0 && c->asked < VECTORS_PER_RUN) {
		struct grouped_vector *v = malloc(sizeof(*v));
		struct auc_vector av;

		if (!v)
			_exit(4);
		v->c = c;
		store_group_begin(c->store);
		if (auc_vector(c->store, TEST_IMSI, 0, &av))
			_exit(4);
		v->sqn = sqn_value(av.sqn);
		auc_vector_wipe(&av);
		c->asked++;
		store_group_end(c->store, vector_durable, v);
	}
	if (c->asked < VECTORS_PER_RUN)
		evtimer_add(c->turn, &next_turn);
}

static void grouped_loop(int fd)
{
	static const struct timeval next_turn = { 0, 0 };
	struct grouped_child c = { .fd = fd };

	srand((unsigned int)getpid());
	c.base = event_base_new();
	if (!c.base || store_open(&c.store, path, &key, NULL, 0))
		_exit(3);
	c.turn = evtimer_new(c.base, one_turn, &c);
	if (!c.turn || store_group_attach(c.store, c.base) ||
	    evtimer_add(c.turn, &next_turn))
		_exit(3);
	event_base_dispatch(c.base);
	if (c.answered != VECTORS_PER_RUN)
		_exit(7);
	store_close(c.store);
	event_free(c.turn);
	event_base_free(c.base);
	_exit(0);
}

/* The child: vectors until done or killed. Never returns. */
static void vector_loop(int fd)
{
	struct store *store;
	struct auc_vector v;
	uint64_t sqn;
	int i;

	if (grouped)
		grouped_loop(fd);
	if (store_open(&store, path, &key, NULL, 0))
		_exit(3);
	for (i = 0; i < VECTORS_PER_RUN; i++) {
		if (auc_vector(store, TEST_IMSI, 0, &v))
			_exit(4);
		sqn = sqn_value(v.sqn);
		auc_vector_wipe(&v);
		/* Only now is the vector "out": print its SQN. */
		print_sqn(fd, sqn);
	}
	store_close(store);
	_exit(0);
}

/* Parses the whole lines in buf into printed[]; returns octets used. */
static size_t take_lines(const char *buf, size_t len, int *bad)
{
	size_t used = 0;

	while (len - used >= LINE_LEN) {
		char line[LINE_LEN];
		char *end = line;

		memcpy(line, buf + used, LINE_LEN);
		line[LINE_LEN - 1] = '\0';
		if (n_printed < sizeof(printed) / sizeof(printed[0]))
			printed[n_printed++] = strtoull(line, &end, 16);
		else
			*bad = 1;
		if (*end)
			*bad = 1;
		used += LINE_LEN;
	}
	return used;
}

static void child_loop(int fd, const void *arg)
{
	(void)arg;
	vector_loop(fd);
}

static const struct crash_child runner = {
	.loop = child_loop,
	.take_lines = take_lines,
	.printed = &n_printed,
};

/* One half: KILLED_RUNS children killed, a last one to the end. */
static void crash_runs(const char *name)
{
	const char *mode = grouped ? " (group commit)" : "";
	int all_reopened = 1, never_behind = 1, all_killed = 1, clean = 1;
	int r, increasing = 1;
	struct crash_run run;
	size_t i;

	n_printed = 0;
	snprintf(path, sizeof(path), "%s", scratch_path(name));
	{
		struct store *store = open_store(path, &key);

		add_set1_subscriber(store, TEST_IMSI, TEST_IMPI);
		store_close(store);
	}

	for (r = 0; r < RUNS; r++) {
		/* The first kill lands early: while the child opens the store. */
		int kill_after = r == KILLED_RUNS ? -1 :
				 r == 0 ? 0 : rand() % KILL_AFTER_MAX;
		uint64_t seq = 0, last_seq;

		run = crash_run_child(&runner, kill_after);
		printf("# run %d%s: %s after %zu vectors\n", r, mode,
		       run.killed ? "killed" : "exited", run.lines);
		clean &= !run.bad_output;
		if (kill_after >= 0)
			all_killed &= run.killed && run.lines < VECTORS_PER_RUN;
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

	ok(clean, "every SQN line printed whole%s", mode);
	ok(all_killed, "%d children killed with SIGKILL mid-run%s",
	   KILLED_RUNS, mode);
	ok(!run.killed && run.exit_status == 0 &&
	   run.lines == VECTORS_PER_RUN,
	   "the last child ran its %d vectors to the end%s", VECTORS_PER_RUN,
	   mode);
	ok(all_reopened, "the store reopened after every kill%s", mode);
	ok(never_behind, "the stored SEQ_HE was never behind a printed SQN%s",
	   mode);
	ok(count_duplicates(printed, n_printed) == 0,
	   "no SQN printed twice (%zu printed)%s", n_printed, mode);
	for (i = 1; i < n_printed; i++)
		increasing &= printed[i] > printed[i - 1];
	ok(increasing, "each SQN greater than every one before it%s", mode);
}

int main(void)
{
	const char *seed_env = getenv("E2M_CRASH_SEED");
	unsigned int seed = seed_env ? (unsigned int)strtoul(seed_env, NULL, 0) :
			    (unsigned int)time(NULL) ^ (unsigned int)getpid();

	printf("# seed %u (E2M_CRASH_SEED=%u repeats this run)\n", seed, seed);
	srand(seed);
	scratch_make("sqn_crash_test");
	test_key(&key, 0x42);
	crash_runs("hss.db");
	grouped = true;
	crash_runs("hss-grouped.db");

	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
