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
 * E2M_CRASH_SEED=N repeats a run.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "aka/auc.h"
#include "aka/sqn.h"
#include "store_fixture.h"

#define VECTORS_PER_RUN		1000
#define KILLED_RUNS		10
#define RUNS			(KILLED_RUNS + 1)
#define KILL_AFTER_MAX		150	/* vectors read before the kill */
#define KILL_DELAY_MAX_US	3000	/* then this much more at most */
#define LINE_LEN		13	/* 12 hex digits and a newline */

static struct store_key key;
static char path[SCRATCH_PATH_MAX];

/* All SQNs printed, in order, over every run. */
static uint64_t printed[RUNS * VECTORS_PER_RUN];
static size_t n_printed;

/* The child: vectors until done or killed. Never returns. */
static void vector_loop(int fd)
{
	struct store *store;
	struct auc_vector v;
	char line[LINE_LEN + 1];
	int i;

	if (store_open(&store, path, &key, NULL, 0))
		_exit(3);
	for (i = 0; i < VECTORS_PER_RUN; i++) {
		if (auc_vector(store, TEST_IMSI, 0, &v))
			_exit(4);
		/* Only now is the vector "out": print its SQN. */
		snprintf(line, sizeof(line), "%012llx\n",
			 (unsigned long long)sqn_value(v.sqn));
		auc_vector_wipe(&v);
		/* One write of 13 octets to a pipe is atomic. */
		if (write(fd, line, LINE_LEN) != LINE_LEN)
			_exit(5);
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

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

struct run {
	size_t lines;	/* printed by this child */
	int killed;	/* by our SIGKILL */
	int exit_status;
	int bad_output;
};

/*
 * One child. kill_after < 0: let it finish; else kill it once it printed
 * kill_after lines (and a random delay more). Reads to the end of the pipe
 * either way: what the child printed before dying was handed out.
 */
static struct run run_child(int kill_after)
{
	struct run run = { 0 };
	size_t before = n_printed, held = 0;
	char buf[4096];
	int fds[2], status, sent_kill = 0;
	pid_t pid;

	if (pipe(fds))
		bail("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		bail("fork");
	if (pid == 0) {
		close(fds[0]);
		vector_loop(fds[1]);
	}
	close(fds[1]);
	if (kill_after == 0) {
		sleep_us(rand() % KILL_DELAY_MAX_US);
		kill(pid, SIGKILL);
		sent_kill = 1;
	}
	for (;;) {
		ssize_t n = read(fds[0], buf + held, sizeof(buf) - held);
		size_t used;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		held += (size_t)n;
		used = take_lines(buf, held, &run.bad_output);
		memmove(buf, buf + used, held - used);
		held -= used;
		if (!sent_kill && kill_after > 0 &&
		    n_printed - before >= (size_t)kill_after) {
			sleep_us(rand() % KILL_DELAY_MAX_US);
			kill(pid, SIGKILL);
			sent_kill = 1;
		}
	}
	close(fds[0]);
	if (held)
		run.bad_output = 1;	/* a torn line */
	if (waitpid(pid, &status, 0) != pid)
		bail("waitpid");
	run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	run.lines = n_printed - before;
	return run;
}

int main(void)
{
	const char *seed_env = getenv("E2M_CRASH_SEED");
	unsigned int seed = seed_env ? (unsigned int)strtoul(seed_env, NULL, 0) :
			    (unsigned int)time(NULL) ^ (unsigned int)getpid();
	int all_reopened = 1, never_behind = 1, all_killed = 1, clean = 1;
	int r, increasing = 1;
	struct run run;
	size_t i;

	printf("# seed %u (E2M_CRASH_SEED=%u repeats this run)\n", seed, seed);
	srand(seed);
	scratch_make("sqn_crash_test");
	snprintf(path, sizeof(path), "%s", scratch_path("hss.db"));
	test_key(&key, 0x42);
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

		run = run_child(kill_after);
		printf("# run %d: %s after %zu vectors\n", r,
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

	ok(clean, "every SQN line printed whole");
	ok(all_killed, "%d children killed with SIGKILL mid-run", KILLED_RUNS);
	ok(!run.killed && run.exit_status == 0 &&
	   run.lines == VECTORS_PER_RUN,
	   "the last child ran its %d vectors to the end", VECTORS_PER_RUN);
	ok(all_reopened, "the store reopened after every kill");
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
