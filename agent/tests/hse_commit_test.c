// SPDX-License-Identifier: GPL-2.0
/*
 * The HSE's rows in the store's group commit (daemon/hse/hse_commit.h):
 * a row is told durable only after the loop turn's commit, a row whose
 * write fails is told at once and alone, and a TEID waiting is known.
 *
 * Then kill -9 under load, as sqn_crash_test does for the SQN: a child
 * runs e2md's loop, each turn puts 1 to GROUP_MAX rows through
 * hse_commit_put() and writes a row's TEID to a pipe only in its done
 * callback, as the HSE answers its triplet 200 there. The parent kills
 * the child at random moments and starts another on the same file; a
 * last one runs to the end. Every TEID written to the pipe must then be
 * in the store, with its row as put: nothing answered is lost.
 *
 * E2M_CRASH_SEED=N repeats a run.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <event2/event.h>

#include "daemon/daemon.h"
#include "daemon/hse/hse.h"
#include "daemon/hse/hse_commit.h"
#include "store/store_group.h"
#include "store_fixture.h"
#include "crash_child.h"
#include "loop_until.h"

/*
 * More than a killed child can tell before its kill lands: KILL_AFTER_MAX,
 * then a pipe and a read buffer of lines (455 each) while the parent
 * sleeps; with the flush off the loop a child tells 500 in that time.
 */
#define ROWS_PER_RUN		1500
#define KILLED_RUNS		10
#define RUNS			(KILLED_RUNS + 1)
#define KILL_AFTER_MAX		100	/* rows told before the kill */
#define LINE_LEN		9	/* 8 hex digits and a newline */
#define GROUP_MAX		16	/* rows a turn */
#define TEIDS_PER_RUN		100000	/* run r puts r * this + 1, ... */

static struct store_key key;

/* The row of a TEID: what the crash test checks in the store. */
static void fill_row(struct store_hse_flow *f, uint32_t teid)
{
	memset(f, 0, sizeof(*f));
	f->teid = teid;
	f->ue_teid = teid ^ 0x5a5a;
	snprintf(f->imsi, sizeof(f->imsi), "00101%010u", teid);
	memset(f->rand, (int)(teid & 0xff), sizeof(f->rand));
	memcpy(f->sqn, "\x00\x00\x00\x00\x00\x20", sizeof(f->sqn));
	f->ksi = (uint8_t)(teid % 7);
	strcpy(f->ue_address, "192.0.2.1");
	f->ue_port = 2152;
	strcpy(f->inner_ipv4, "10.45.0.2");
	strcpy(f->device, "e2m0");
	f->created = 1700000000;
	strcpy(f->owner, "gw-a");
}

static bool row_is(const struct store_hse_flow *got, uint32_t teid)
{
	struct store_hse_flow want;

	fill_row(&want, teid);
	return got->teid == want.teid && got->ue_teid == want.ue_teid &&
	       !strcmp(got->imsi, want.imsi) && got->ksi == want.ksi &&
	       !memcmp(got->rand, want.rand, sizeof(want.rand));
}

static bool has_row(struct store *r, uint32_t teid)
{
	struct store_hse_flow got;

	return !store_hse_flow_get(r, "gw-a", teid, &got) && row_is(&got, teid);
}

static bool stored(const char *path, uint32_t teid)
{
	struct store *r = open_store(path, &key);
	bool there = has_row(r, teid);

	store_close(r);
	return there;
}

/* ---- what the done callbacks were told ----------------------------------- */

#define TOLD_MAX	8

static uint32_t told_teid[TOLD_MAX];
static int told_ret[TOLD_MAX];
static int n_told;

static void told(struct hse *hse, int ret, const struct store_hse_flow *row,
		 void *arg)
{
	(void)hse;
	(void)arg;
	if (n_told < TOLD_MAX) {
		told_teid[n_told] = row->teid;
		told_ret[n_told] = ret;
	}
	n_told++;
}

/* An HSE with only what hse_commit.c uses: the daemon's store and loop. */
struct fake {
	struct daemon d;
	struct hse *hse;
};

static void fake_open(struct fake *f, const char *path, bool grouped)
{
	memset(f, 0, sizeof(*f));
	f->hse = calloc(1, sizeof(*f->hse));
	f->d.base = event_base_new();
	if (!f->hse || !f->d.base)
		bail("out of memory");
	f->d.store = open_store(path, &key);
	f->hse->daemon = &f->d;
	if (grouped && store_group_attach(f->d.store, f->d.base))
		bail("store_group_attach");
}

static void fake_close(struct fake *f)
{
	hse_commit_stop(f->hse);
	store_close(f->d.store);
	event_base_free(f->d.base);
	free(f->hse);
}

static void test_without_group(const char *path)
{
	struct store_hse_flow row;
	struct fake f;

	fake_open(&f, path, false);
	n_told = 0;
	fill_row(&row, 1);
	hse_commit_put(f.hse, &row, told, NULL);
	ok(n_told == 1 && told_ret[0] == 0 && told_teid[0] == 1 &&
	   !hse_commit_pending(f.hse, 1) && stored(path, 1),
	   "no group: the row is committed and told within the put");
	fake_close(&f);
}

static void test_one_turn(const char *path)
{
	struct store *r = open_store(path, &key);	/* another reader */
	struct store_hse_flow row;
	struct fake f;

	fake_open(&f, path, true);
	n_told = 0;
	fill_row(&row, 2);
	hse_commit_put(f.hse, &row, told, NULL);
	fill_row(&row, 0);	/* TEID 0: the store refuses it */
	hse_commit_put(f.hse, &row, told, NULL);
	ok(n_told == 1 && told_teid[0] == 0 && told_ret[0] == -EINVAL,
	   "a row whose write fails is told at once, with its error");
	fill_row(&row, 3);
	hse_commit_put(f.hse, &row, told, NULL);
	ok(n_told == 1 && hse_commit_pending(f.hse, 2) &&
	   hse_commit_pending(f.hse, 3) && !hse_commit_pending(f.hse, 0) &&
	   !hse_commit_pending(f.hse, 4),
	   "the rows written wait for the commit, their TEIDs pending");
	ok(!has_row(r, 2) && !has_row(r, 3),
	   "before the commit another reader sees neither row");
	event_base_loop(f.d.base, EVLOOP_ONCE);
	ok(n_told == 1 && has_row(r, 2) && has_row(r, 3) &&
	   hse_commit_pending(f.hse, 2),
	   "the next turn commits both; nobody told before the flush");
	loop_until_count(f.d.base, &n_told, 3);
	ok(n_told == 3 && told_teid[1] == 2 && told_ret[1] == 0 &&
	   told_teid[2] == 3 && told_ret[2] == 0,
	   "once flushed, each told in order with 0");
	ok(has_row(r, 2) && has_row(r, 3) && !hse_commit_pending(f.hse, 2) &&
	   !hse_commit_pending(f.hse, 3),
	   "both rows in the store once told, none pending");

	fill_row(&row, 4);
	hse_commit_put(f.hse, &row, told, NULL);
	hse_commit_flush(f.hse);
	ok(n_told == 4 && told_teid[3] == 4 && told_ret[3] == 0 &&
	   has_row(r, 4) && !hse_commit_pending(f.hse, 4),
	   "hse_commit_flush commits and tells before it returns");

	fill_row(&row, 5);
	hse_commit_put(f.hse, &row, told, NULL);
	store_group_detach(f.d.store);
	ok(n_told == 5 && told_teid[4] == 5 && told_ret[4] == 0 &&
	   has_row(r, 5), "detach (e2md's stop) commits and tells");
	fake_close(&f);
	store_close(r);
}

/* ---- kill -9 under load --------------------------------------------------- */

static char crash_path[SCRATCH_PATH_MAX];
static uint32_t printed[RUNS * ROWS_PER_RUN];
static size_t n_printed;

struct child {
	struct fake f;
	struct event *turn;
	int fd;
	uint32_t next_teid;
	int asked, answered;
};

static struct child child;

static void row_durable(struct hse *hse, int ret,
			const struct store_hse_flow *row, void *arg)
{
	char line[LINE_LEN + 1];

	(void)hse;
	(void)arg;
	if (ret)
		_exit(6);
	/* Only now is the triplet answered: its TEID goes out. */
	snprintf(line, sizeof(line), "%08x\n", row->teid);
	if (write(child.fd, line, LINE_LEN) != LINE_LEN)
		_exit(5);
	if (++child.answered == ROWS_PER_RUN)
		event_base_loopbreak(child.f.d.base);
}

static void one_turn(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval next_turn = { 0, 0 };
	int n = 1 + rand() % GROUP_MAX;
	struct store_hse_flow row;

	(void)fd;
	(void)what;
	(void)arg;
	while (n-- > 0 && child.asked < ROWS_PER_RUN) {
		fill_row(&row, child.next_teid++);
		child.asked++;
		hse_commit_put(child.f.hse, &row, row_durable, NULL);
	}
	if (child.asked < ROWS_PER_RUN)
		evtimer_add(child.turn, &next_turn);
}

/* The child: rows until done or killed. Never returns. */
static void row_loop(int fd, uint32_t first_teid)
{
	static const struct timeval next_turn = { 0, 0 };

	srand((unsigned int)getpid());
	child.fd = fd;
	child.next_teid = first_teid;
	fake_open(&child.f, crash_path, true);
	child.turn = evtimer_new(child.f.d.base, one_turn, NULL);
	if (!child.turn || evtimer_add(child.turn, &next_turn))
		_exit(3);
	event_base_dispatch(child.f.d.base);
	if (child.answered != ROWS_PER_RUN)
		_exit(7);
	store_group_detach(child.f.d.store);
	event_free(child.turn);
	fake_close(&child.f);
	_exit(0);
}

static size_t take_lines(const char *buf, size_t len, int *bad)
{
	size_t used = 0;

	while (len - used >= LINE_LEN) {
		char line[LINE_LEN];
		char *end = line;

		memcpy(line, buf + used, LINE_LEN);
		line[LINE_LEN - 1] = '\0';
		if (n_printed < sizeof(printed) / sizeof(printed[0]))
			printed[n_printed++] =
				(uint32_t)strtoul(line, &end, 16);
		else
			*bad = 1;
		if (*end)
			*bad = 1;
		used += LINE_LEN;
	}
	return used;
}

/* Run r's child writes the rows of TEIDs r * TEIDS_PER_RUN + 1 on. */
static uint32_t first_teid;

static void child_loop(int fd, const void *arg)
{
	row_loop(fd, *(const uint32_t *)arg);
}

static const struct crash_child runner = {
	.loop = child_loop,
	.arg = &first_teid,
	.take_lines = take_lines,
	.printed = &n_printed,
};

static void test_killed_under_load(void)
{
	int r, clean = 1, all_killed = 1, all_kept = 1;
	struct crash_run run;
	size_t i, lost = 0;

	snprintf(crash_path, sizeof(crash_path), "%s",
		 scratch_path("hse-crash.db"));
	store_close(open_store(crash_path, &key));
	for (r = 0; r < RUNS; r++) {
		int kill_after = r == KILLED_RUNS ? -1 :
				 r == 0 ? 0 : rand() % KILL_AFTER_MAX;
		size_t before = n_printed;

		first_teid = (uint32_t)r * TEIDS_PER_RUN + 1;
		run = crash_run_child(&runner, kill_after);
		printf("# run %d: %s after %zu rows told\n", r,
		       run.killed ? "killed" : "exited", run.lines);
		clean &= !run.bad_output;
		if (kill_after >= 0)
			all_killed &= run.killed && run.lines < ROWS_PER_RUN;
		for (i = before; i < n_printed; i++) {
			if (stored(crash_path, printed[i]))
				continue;
			printf("# run %d: TEID %u told but not stored\n", r,
			       printed[i]);
			lost++;
			all_kept = 0;
		}
	}
	ok(clean, "every TEID line written whole");
	ok(all_killed, "%d children killed with SIGKILL mid-run", KILLED_RUNS);
	ok(!run.killed && run.exit_status == 0 && run.lines == ROWS_PER_RUN,
	   "the last child told its %d rows", ROWS_PER_RUN);
	ok(all_kept && lost == 0,
	   "every row told durable is in the store, as put (%zu told)",
	   n_printed);
}

int main(void)
{
	const char *seed_env = getenv("E2M_CRASH_SEED");
	unsigned int seed = seed_env ? (unsigned int)strtoul(seed_env, NULL, 0) :
			    (unsigned int)time(NULL) ^ (unsigned int)getpid();
	char path[SCRATCH_PATH_MAX];

	printf("# seed %u (E2M_CRASH_SEED=%u repeats this run)\n", seed, seed);
	srand(seed);
	scratch_make("hse_commit_test");
	test_key(&key, 0x52);
	snprintf(path, sizeof(path), "%s", scratch_path("hse.db"));
	store_close(open_store(path, &key));
	test_without_group(path);
	test_one_turn(path);
	test_killed_under_load();
	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
