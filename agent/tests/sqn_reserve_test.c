// SPDX-License-Identifier: GPL-2.0
/*
 * SQN reservation (store/store_sqn_reserve.h): the row holds a mark
 * window SEQs ahead, vectors inside a durable mark write nothing and need
 * no commit, readers see the real SEQ_HE, kill -9 resumes above the mark,
 * a clean close writes SEQ_HE back, a row changed behind the store's back
 * drops the reservation, and in a group the mark is durable only at the
 * group's commit. A second store handle without reservation reads the
 * row as it is on disk.
 */
#include <signal.h>
#include <sys/wait.h>

#include <event2/event.h>

#include "aka/auc.h"
#include "aka/sqn.h"
#include "store/store_group.h"
#include "store/store_sqn_reserve.h"
#include "store_fixture.h"
#include "loop_until.h"

#define WINDOW	4

static struct store_key key;

/* The next vector's SEQ and IND; bails out if there is none. */
static uint64_t next_seq(struct store *store, uint32_t *ind)
{
	struct auc_vector v;
	uint64_t seq;
	uint32_t i;

	if (auc_vector(store, TEST_IMSI, 0, &v))
		bail("auc_vector");
	sqn_decode(v.sqn, 5, &seq, &i);
	auc_vector_wipe(&v);
	if (ind)
		*ind = i;
	return seq;
}

/* The subscriber's SEQ_HE and next IND as a store handle reads them. */
static void row(struct store *store, uint64_t *seq, uint32_t *ind)
{
	struct store_subscriber sub;

	if (store_subscriber_get(store, TEST_IMSI, &sub))
		bail("store_subscriber_get");
	*seq = sub.pub.sqn.seq;
	*ind = sub.pub.sqn.ind;
	store_subscriber_wipe(&sub);
}

static struct store *open_reserving(const char *path)
{
	struct store *store = open_store(path, &key);

	if (store_sqn_reserve_on(store, WINDOW))
		bail("store_sqn_reserve_on");
	return store;
}

static void test_marks(const char *path)
{
	struct store *w = open_reserving(path), *r = open_store(path, &key);
	uint64_t seq, first;
	uint32_t ind, i;
	int n;

	ok(store_sqn_reserve_on(w, 1) == -EINVAL,
	   "a window of 1 is refused (-EINVAL)");
	store_sqn_reserve_on(w, WINDOW);
	first = next_seq(w, &ind);
	row(r, &seq, &i);
	ok(first == 1 && ind == 0 && seq == 4 && i == 1,
	   "vector 1: SEQ 1 IND 0, the row's mark SEQ 4 next IND 1 (%llu %u, %llu %u)",
	   (unsigned long long)first, ind, (unsigned long long)seq, i);
	ok(store_sqn_reserve_durable(w) && store_sqn_reserve_mark(w, TEST_IMSI) == 4,
	   "vector 1: durable at once without a group, mark 4");
	for (n = 2; n <= 4; n++) {
		first = next_seq(w, &ind);
		if (first != (uint64_t)n || ind != (uint32_t)n - 1 ||
		    !store_sqn_reserve_durable(w))
			break;
	}
	row(r, &seq, &i);
	ok(n == 5 && seq == 4 && i == 1,
	   "vectors 2 to 4: SEQ 2, 3, 4 inside the mark, the row unchanged (4, 1)");
	row(w, &seq, &i);
	ok(seq == 4 && i == 4,
	   "the reserving handle reads the real SEQ_HE 4, next IND 4");
	first = next_seq(w, &ind);
	row(r, &seq, &i);
	ok(first == 5 && ind == 4 && seq == 8 && i == 5,
	   "vector 5 passes the mark: a new one, SEQ 8 next IND 5 (%llu %u)",
	   (unsigned long long)seq, i);
	next_seq(w, NULL);
	row(w, &seq, &i);
	ok(seq == 6 && i == 6, "vector 6: SEQ_HE 6 in memory");
	store_close(w);
	row(r, &seq, &i);
	ok(seq == 6 && i == 6,
	   "a clean close writes SEQ_HE 6 and IND 6 back: nothing skipped");
	store_close(r);
}

/* kill -9 with SEQ 7 and 8 handed out inside a mark of 10. */
static void test_killed(const char *path)
{
	struct store *w, *r;
	uint64_t seq;
	uint32_t ind;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		bail("fork");
	if (pid == 0) {
		w = open_reserving(path);
		if (next_seq(w, NULL) != 7 || next_seq(w, NULL) != 8)
			_exit(3);
		raise(SIGKILL);
		_exit(4);
	}
	if (waitpid(pid, &status, 0) != pid)
		bail("waitpid");
	r = open_store(path, &key);
	row(r, &seq, &ind);
	ok(WIFSIGNALED(status) && seq == 10 && ind == 7,
	   "kill -9 after SEQ 7 and 8: the row holds the mark 10, IND 7 (%llu %u)",
	   (unsigned long long)seq, ind);
	w = open_reserving(path);
	seq = next_seq(w, &ind);
	ok(seq == 11 && ind == 7,
	   "after the restart the next vector is SEQ 11 IND 7: above every SEQ sent");
	store_close(w);
	row(r, &seq, &ind);
	ok(seq == 11 && ind == 8, "and a clean close leaves SEQ_HE 11");
	store_close(r);
}

static int bump_to_20(struct store_subscriber *sub, void *arg)
{
	(void)arg;
	sub->pub.sqn.seq = 20;
	return 0;
}

static void test_changed_behind(const char *path)
{
	struct store *w = open_reserving(path), *r = open_store(path, &key);
	struct store_subscriber sub;
	uint64_t seq;

	seq = next_seq(w, NULL);
	ok(seq == 12 && store_sqn_reserve_mark(w, TEST_IMSI) == 15,
	   "SEQ 12, mark 15");
	if (store_subscriber_sqn_update(r, TEST_IMSI, bump_to_20, NULL, &sub))
		bail("bump");
	store_subscriber_wipe(&sub);
	seq = next_seq(w, NULL);
	ok(seq == 21 && store_sqn_reserve_mark(w, TEST_IMSI) == 24,
	   "another handle set SEQ_HE 20: the reservation is dropped, SEQ 21, mark 24");
	store_close(w);
	store_close(r);
}

/* Waiters told, for the group's test. */
static int n_done;

static void count_done(int ret, void *arg)
{
	(void)ret;
	(void)arg;
	n_done++;
}

static void test_group(const char *path)
{
	struct event_base *base = event_base_new();
	struct store *w = open_reserving(path), *r = open_store(path, &key);
	uint64_t seq, s1, s2;
	uint32_t ind;

	if (!base || store_group_attach(w, base))
		bail("attach");
	store_group_begin(w);
	s1 = next_seq(w, NULL);
	ok(s1 == 22 && !store_sqn_reserve_durable(w),
	   "in a group: SEQ 22 writes mark 25, not durable before the commit");
	store_group_end(w, NULL, NULL);
	store_group_begin(w);
	s2 = next_seq(w, NULL);
	ok(s2 == 23 && !store_sqn_reserve_durable(w),
	   "SEQ 23 inside the mark still waits: the mark is not on disk yet");
	store_group_end(w, NULL, NULL);
	row(r, &seq, &ind);
	ok(seq == 21, "another connection sees the old row (SEQ_HE 21) before the commit");
	event_base_loop(base, EVLOOP_ONCE);
	row(r, &seq, &ind);
	ok(seq == 25, "after the turn's commit the row holds mark 25");
	store_group_begin(w);
	s1 = next_seq(w, NULL);
	ok(s1 == 24 && !store_sqn_reserve_durable(w),
	   "SEQ 24, inside the mark committed but not flushed: still waits");
	n_done = 0;
	store_group_end(w, count_done, NULL);
	loop_until_count(base, &n_done, 1);
	store_group_begin(w);
	s1 = next_seq(w, NULL);
	ok(n_done == 1 && s1 == 25 && store_sqn_reserve_durable(w),
	   "SEQ 25, inside the mark once flushed: durable, nothing to wait for");
	store_group_end(w, NULL, NULL);
	store_group_detach(w);
	store_close(w);
	row(r, &seq, &ind);
	ok(seq == 25, "close writes SEQ_HE 25 back");
	store_close(r);
	event_base_free(base);
}

int main(void)
{
	char path[SCRATCH_PATH_MAX];
	struct store *store;

	scratch_make("sqn_reserve_test");
	snprintf(path, sizeof(path), "%s", scratch_path("hss.db"));
	test_key(&key, 0x52);
	store = open_store(path, &key);
	add_set1_subscriber(store, TEST_IMSI, TEST_IMPI);
	store_close(store);
	test_marks(path);
	test_killed(path);
	test_changed_behind(path);
	test_group(path);
	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
