// SPDX-License-Identifier: GPL-2.0
/*
 * kill -9 of the SGW under parallel requests loses nothing it answered.
 *
 * A child runs e2md's loop with the SGW's table (daemon/sgw/sgw_ues.h)
 * restored from a store file and the store's group commit attached: each
 * turn 1 to GROUP_MAX of IMSIS subscribers take their next KSI (and, the
 * first time, an inner address), each written through sgw_persist_write()
 * as the attach does. The child writes to a pipe the IMSI, KSI and
 * address of each request when it is taken ("Q"), and again only in the
 * done callback ("A"), where the SGW sends its challenge. The parent
 * kills the child with SIGKILL at random moments and starts another on
 * the same file, a last one runs to the end; 30 kills, as a kill seldom
 * lands between a write and its commit, and the mutant that answers
 * before the commit (selftests/mutants.list) must be caught. Then:
 *   - every answer that went out is in the store: its address, and its
 *     KSI or one taken after it (a change committed whose answer the kill
 *     stopped), never one before;
 *   - the answers of an IMSI come in the order its KSIs were taken;
 *   - the first KSI a new child takes for an IMSI is the one after the
 *     store's: no KSI is handed out twice in a row across the kills;
 *   - an IMSI's address never changed.
 *
 * E2M_CRASH_SEED=N repeats a run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <event2/event.h>

#include "daemon/sgw/sgw_persist.h"
#include "store/store_group.h"
#include "store_fixture.h"
#include "crash_child.h"

#define IMSIS			32
#define ANSWERS_PER_RUN		600
#define KILLED_RUNS		30
#define RUNS			(KILLED_RUNS + 1)
#define KILL_AFTER_MAX		240	/* lines (asked, answered) before the kill */
#define LINE_LEN		16	/* "A ii k aaaaaaaa\n" */
#define GROUP_MAX		16	/* IMSIs a turn, each once */
#define KSIS			7

static struct store_key key;
static char path[SCRATCH_PATH_MAX];

struct answer {
	int imsi;
	int ksi;
	uint32_t addr;
	bool asked;		/* a "Q" line: taken, not answered yet */
};

static struct answer printed[2 * RUNS * ANSWERS_PER_RUN];
static size_t n_printed;

static void imsi_of(int i, char imsi[BEST_IMSI_SIZE])
{
	snprintf(imsi, BEST_IMSI_SIZE, "0010100000000%02u",
		 (unsigned int)i % IMSIS);
}

static struct config_ipv4_pool pool_26(void)
{
	struct config_ipv4_pool pool;

	memset(&pool, 0, sizeof(pool));
	snprintf(pool.text, sizeof(pool.text), "10.45.0.0/26");
	pool.network = 0x0a2d0000u;
	pool.prefix = 26;
	return pool;
}

/* ---- the child ------------------------------------------------------------ */

struct child {
	struct store *store;
	struct sgw_ues *ues;
	struct event_base *base;
	struct event *turn;
	int fd;
	int asked, answered;
};

static struct child child;

struct waiting {
	struct answer a;
};

static void print(char what, const struct answer *a)
{
	char line[LINE_LEN + 1];

	snprintf(line, sizeof(line), "%c %02d %d %08x\n", what, a->imsi,
		 a->ksi, a->addr);
	/* One write of 16 octets to a pipe is atomic. */
	if (write(child.fd, line, LINE_LEN) != LINE_LEN)
		_exit(5);
}

static void answered(int ret, void *arg)
{
	struct waiting *w = arg;

	if (ret)
		_exit(6);
	/* Only now does the challenge go out. */
	print('A', &w->a);
	free(w);
	if (++child.answered == ANSWERS_PER_RUN)
		event_base_loopbreak(child.base);
}

/* One request: the IMSI's next KSI (and address), as take_ksi() does. */
static void take(int i)
{
	struct waiting *w = malloc(sizeof(*w));
	char imsi[BEST_IMSI_SIZE];
	struct sgw_ue_record before;
	struct sgw_ue *ue;
	bool fresh;

	imsi_of(i, imsi);
	ue = sgw_ue_find(child.ues, imsi);
	fresh = !ue;
	if (ue)
		sgw_ue_record(ue, &before);
	else
		ue = sgw_ue_get(child.ues, imsi);
	if (!w || !ue)
		_exit(4);
	w->a.imsi = i;
	w->a.ksi = sgw_ue_next_ksi(ue);
	if (sgw_ue_inner_ipv4(child.ues, ue, &w->a.addr))
		_exit(4);
	print('Q', &w->a);
	sgw_persist_write(child.store, child.ues, ue, fresh ? NULL : &before,
			  answered, w);
}

static void one_turn(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval next_turn = { 0, 0 };
	int n = 1 + rand() % GROUP_MAX, first = rand() % IMSIS, k;

	(void)fd;
	(void)what;
	(void)arg;
	for (k = 0; k < n && child.asked < ANSWERS_PER_RUN; k++) {
		take((first + k) % IMSIS);
		child.asked++;
	}
	if (child.asked < ANSWERS_PER_RUN)
		evtimer_add(child.turn, &next_turn);
}

/* The child: answers until done or killed. Never returns. */
static void sgw_loop(int fd)
{
	static const struct timeval next_turn = { 0, 0 };
	struct config_ipv4_pool pool = pool_26();

	srand((unsigned int)getpid());
	child.fd = fd;
	child.base = event_base_new();
	if (!child.base || store_open(&child.store, path, &key, NULL, 0) ||
	    sgw_ues_new(&child.ues, &pool) ||
	    sgw_persist_restore(child.store, child.ues) ||
	    store_group_attach(child.store, child.base))
		_exit(3);
	child.turn = evtimer_new(child.base, one_turn, NULL);
	if (!child.turn || evtimer_add(child.turn, &next_turn))
		_exit(3);
	event_base_dispatch(child.base);
	if (child.answered != ANSWERS_PER_RUN)
		_exit(7);
	store_group_detach(child.store);
	event_free(child.turn);
	sgw_ues_free(child.ues);
	store_close(child.store);
	event_base_free(child.base);
	_exit(0);
}

/* ---- the parent ----------------------------------------------------------- */

static size_t take_lines(const char *buf, size_t len, int *bad)
{
	size_t used = 0;

	while (len - used >= LINE_LEN) {
		char line[LINE_LEN + 1], what;
		struct answer a;
		unsigned int addr;

		memcpy(line, buf + used, LINE_LEN);
		line[LINE_LEN] = '\0';
		if (sscanf(line, "%c %2d %1d %8x\n", &what, &a.imsi, &a.ksi,
			   &addr) != 4 || (what != 'A' && what != 'Q') ||
		    a.imsi < 0 || a.imsi >= IMSIS ||
		    n_printed == sizeof(printed) / sizeof(printed[0])) {
			*bad = 1;
		} else {
			a.addr = addr;
			a.asked = what == 'Q';
			printed[n_printed++] = a;
		}
		used += LINE_LEN;
	}
	return used;
}

static void child_loop(int fd, const void *arg)
{
	(void)arg;
	sgw_loop(fd);
}

static const struct crash_child runner = {
	.loop = child_loop,
	.take_lines = take_lines,
	.printed = &n_printed,
};

/* Per IMSI: its last answer (ksi -1: none yet) and what was asked since. */
struct imsi_state {
	struct answer last;
	int pending[GROUP_MAX * 4];	/* KSIs taken, not yet answered */
	int n_pending;
	int next_ksi;			/* the next take's, -1: not known */
	uint32_t addr;			/* 0: none yet */
};

static struct imsi_state st[IMSIS];

/* One line of the pipe into st; 0, or 1 when it breaks a rule above. */
static int follow(const struct answer *a)
{
	struct imsi_state *i = &st[a->imsi];
	int bad = 0;

	if (i->addr && a->addr != i->addr)
		bad = 1;
	i->addr = a->addr;
	if (a->asked) {
		if (i->next_ksi >= 0 && a->ksi != i->next_ksi)
			bad = 1;
		i->next_ksi = (a->ksi + 1) % KSIS;
		if (i->n_pending == (int)(sizeof(i->pending) /
					  sizeof(i->pending[0])))
			return 1;
		i->pending[i->n_pending++] = a->ksi;
		return bad;
	}
	/* The oldest KSI asked is the one answered. */
	if (!i->n_pending || i->pending[0] != a->ksi)
		bad = 1;
	if (i->n_pending) {
		memmove(i->pending, i->pending + 1,
			--i->n_pending * sizeof(i->pending[0]));
	}
	i->last = *a;
	return bad;
}

static int follow_logged(int r, const struct answer *a)
{
	const struct imsi_state *i = &st[a->imsi];
	int want = a->asked ? i->next_ksi :
		   i->n_pending ? i->pending[0] : -1;
	uint32_t addr = i->addr;
	int bad = follow(a);

	if (bad)
		printf("# run %d: IMSI %d %s KSI %d at %08x out of turn (KSI %d at %08x expected)\n",
		       r, a->imsi, a->asked ? "took" : "answered", a->ksi,
		       a->addr, want, addr);
	return bad;
}

/*
 * After a run: each IMSI's store holds its last answer or a KSI taken
 * after it; the next child goes on from what the store holds.
 */
static int check_stored(int r, int *ahead)
{
	struct store *store = open_store(path, &key);
	int i, j, good = 1;

	for (i = 0; i < IMSIS; i++) {
		struct imsi_state *s = &st[i];
		char imsi[BEST_IMSI_SIZE];
		struct store_sgw_ue row;
		struct in_addr addr;
		int found = -1;

		imsi_of(i, imsi);
		if (store_sgw_ue_get(store, imsi, &row)) {
			/* None: right only if nothing was answered; the
			 * address taken was never answered, and goes. */
			good &= s->last.ksi < 0;
			s->next_ksi = 0;
			s->n_pending = 0;
			s->addr = 0;
			continue;
		}
		if (s->last.ksi >= 0 && row.last_ksi == s->last.ksi)
			found = 0;
		for (j = 0; found < 0 && j < s->n_pending; j++)
			if (row.last_ksi == s->pending[j])
				found = j + 1;
		if (found < 0 ||
		    inet_pton(AF_INET, row.inner_ipv4, &addr) != 1 ||
		    ntohl(addr.s_addr) != s->addr) {
			printf("# run %d: IMSI %d answered KSI %d at %08x, stored %d %s\n",
			       r, i, s->last.ksi, s->addr, row.last_ksi,
			       row.inner_ipv4);
			good = 0;
		} else if (found > 0) {
			(*ahead)++;
		}
		/* The store's KSI is where the next child goes on from. */
		s->last.ksi = row.last_ksi;
		s->next_ksi = (row.last_ksi + 1) % KSIS;
		s->n_pending = 0;
	}
	store_close(store);
	return good;
}

int main(void)
{
	const char *seed_env = getenv("E2M_CRASH_SEED");
	unsigned int seed = seed_env ? (unsigned int)strtoul(seed_env, NULL, 0) :
			    (unsigned int)time(NULL) ^ (unsigned int)getpid();
	int r, i, clean = 1, all_killed = 1, all_kept = 1, followed = 1;
	int ahead = 0;
	size_t k, answers = 0;
	struct crash_run run;

	printf("# seed %u (E2M_CRASH_SEED=%u repeats this run)\n", seed, seed);
	srand(seed);
	scratch_make("sgw_crash_test");
	test_key(&key, 0x53);
	snprintf(path, sizeof(path), "%s", scratch_path("sgw.db"));
	store_close(open_store(path, &key));
	for (i = 0; i < IMSIS; i++) {
		st[i].last.ksi = -1;
		st[i].next_ksi = 0;
	}

	for (r = 0; r < RUNS; r++) {
		int kill_after = r == KILLED_RUNS ? -1 :
				 r == 0 ? 0 : rand() % KILL_AFTER_MAX;
		size_t before = n_printed, lines = 0;

		run = crash_run_child(&runner, kill_after);
		clean &= !run.bad_output;
		for (k = before; k < n_printed; k++) {
			followed &= !follow_logged(r, &printed[k]);
			lines += !printed[k].asked;
		}
		answers += lines;
		printf("# run %d: %s after %zu answers\n", r,
		       run.killed ? "killed" : "exited", lines);
		if (kill_after >= 0)
			all_killed &= run.killed && lines < ANSWERS_PER_RUN;
		all_kept &= check_stored(r, &ahead);
	}
	printf("# %d times an IMSI's store held a KSI taken after its last answer\n",
	       ahead);
	ok(clean, "every line written whole");
	ok(all_killed, "%d children killed with SIGKILL mid-run", KILLED_RUNS);
	ok(!run.killed && run.exit_status == 0,
	   "the last child gave its %d answers", ANSWERS_PER_RUN);
	ok(all_kept, "every answer that went out is in the store (%zu answers)",
	   answers);
	ok(followed, "answers in the order taken, each KSI one past the one before "
	   "(the store's after a kill), an IMSI's address never changed");

	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
