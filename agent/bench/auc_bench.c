// SPDX-License-Identifier: GPL-2.0
/*
 * Authentication vectors per second in one process: auc_vector() on a
 * store of its own, as the HSS makes them, each SQN committed durably
 * (synchronous=FULL) before the vector is handed out. Alone, the rate is
 * mostly that of fsync on the directory's file system, which is printed
 * with it.
 *
 *	auc_bench DIR [SECONDS [UES]]	(a scratch store in DIR, removed)
 *
 * With UES, the HSS's loop with group commit (store/store_group.h): each
 * turn of an event loop asks one vector for each of UES subscribers, as
 * UES requests that came together would, and a vector counts once its
 * group's commit is done, or at once when its SEQ is inside a reserved
 * range already on disk (store/store_sqn_reserve.h, as the HSS runs).
 *
 * One line: "auc: N vectors in S s: R vectors/s (DIR, FSTYPE)", with
 * UES: "..., UES UEs a turn, C commits)".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "aka/auc.h"
#include "store/store_group.h"
#include "store/store_sqn_reserve.h"
#include "util/hex.h"
#include "util/latency.h"

#define IMPI	"bench@home1.net"

/* The file system's name, for the output: fsync costs differ. */
static const char *fs_name(const char *dir)
{
	struct statfs fs;

	if (statfs(dir, &fs))
		return "?";
	switch ((unsigned long)fs.f_type) {
	case 0x01021994:
		return "tmpfs";
	case 0xef53:
		return "ext4";
	case 0x9123683e:
		return "btrfs";
	case 0x58465342:
		return "xfs";
	case 0x794c7630:
		return "overlayfs";
	default:
		return "other";
	}
}

static struct store *scratch_store(const char *path, int ues)
{
	struct store_subscriber sub;
	struct store_key key;
	struct store *store;
	char why[256];

	memset(key.bytes, 0x5a, sizeof(key.bytes));
	if (store_open(&store, path, &key, why, sizeof(why))) {
		fprintf(stderr, "auc_bench: %s\n", why);
		exit(1);
	}
	for (int i = 0; i < ues; i++) {
		store_subscriber_init(&sub);
		snprintf(sub.pub.imsi, sizeof(sub.pub.imsi), "0010100000%05u",
			 (9999u - (unsigned int)i) % 100000u);
		if (i)
			snprintf(sub.pub.impi, sizeof(sub.pub.impi),
				 "bench%d@home1.net", i);
		else
			strcpy(sub.pub.impi, IMPI);
		memset(sub.k, 0x46, sizeof(sub.k));
		memset(sub.opc, 0xcd, sizeof(sub.opc));
		if (store_subscriber_add(store, &sub)) {
			fprintf(stderr, "auc_bench: %s\n", store_errmsg(store));
			exit(1);
		}
		store_subscriber_wipe(&sub);
	}
	return store;
}

/* ---- with group commit, UES requests a turn ------------------------------ */

struct turns {
	struct store *store;
	struct event_base *base;
	struct event *turn;
	int ues;
	double start, seconds;
	unsigned long asked, answered;
	bool over;
};

static void vector_durable(int ret, void *arg)
{
	struct turns *t = arg;

	if (ret) {
		fprintf(stderr, "auc_bench: commit: %s\n",
			store_errmsg(t->store));
		exit(1);
	}
	t->answered++;
	if (t->over && t->answered == t->asked)
		event_base_loopbreak(t->base);
}

static void one_turn(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval next_turn = { 0, 0 };
	struct turns *t = arg;
	struct auc_vector v;
	char impi[64];
	int i;

	(void)fd;
	(void)what;
	for (i = 0; i < t->ues; i++) {
		if (i)
			snprintf(impi, sizeof(impi), "bench%d@home1.net", i);
		else
			strcpy(impi, IMPI);
		store_group_begin(t->store);
		if (auc_vector(t->store, impi, 0, &v)) {
			fprintf(stderr, "auc_bench: auc_vector: %s\n",
				store_errmsg(t->store));
			exit(1);
		}
		auc_vector_wipe(&v);
		t->asked++;
		if (store_sqn_reserve_durable(t->store)) {
			store_group_end(t->store, NULL, NULL);
			vector_durable(0, t);
			continue;
		}
		store_group_end(t->store, vector_durable, t);
	}
	if (latency_now() - t->start < t->seconds)
		evtimer_add(t->turn, &next_turn);
	else
		t->over = true;
}

/* Vectors answered in seconds; *commits: how many commits they took. */
static unsigned long grouped(struct store *store, int ues, double seconds,
			     unsigned long long *commits)
{
	static const struct timeval next_turn = { 0, 0 };
	struct turns t = { .store = store, .ues = ues, .seconds = seconds };
	unsigned long long waiters;

	t.base = event_base_new();
	t.turn = t.base ? evtimer_new(t.base, one_turn, &t) : NULL;
	if (!t.turn || store_group_attach(store, t.base) ||
	    store_sqn_reserve_on(store, STORE_SQN_WINDOW)) {
		fprintf(stderr, "auc_bench: out of memory\n");
		exit(1);
	}
	t.start = latency_now();
	evtimer_add(t.turn, &next_turn);
	event_base_dispatch(t.base);
	store_group_counts(store, commits, &waiters);
	store_group_detach(store);
	event_free(t.turn);
	event_base_free(t.base);
	return t.answered;
}

int main(int argc, char *argv[])
{
	double seconds = argc > 2 ? atof(argv[2]) : 3.0, start, elapsed;
	int ues = argc > 3 ? atoi(argv[3]) : 0;
	char path[4096], sidecar[4200];
	struct auc_vector v;
	struct store *store;
	unsigned long n = 0;
	unsigned long long commits = 0;
	const char *suffix[] = { "", "-wal", "-shm" };
	size_t i;

	if (argc < 2 || seconds <= 0 || ues < 0 || ues > 9999) {
		fprintf(stderr, "usage: auc_bench DIR [SECONDS [UES]]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/auc_bench.%ld.db", argv[1],
		 (long)getpid());
	store = scratch_store(path, ues ? ues : 1);
	start = latency_now();
	if (ues) {
		n = grouped(store, ues, seconds, &commits);
		elapsed = latency_now() - start;
	} else {
		do {
			if (auc_vector(store, IMPI, 0, &v)) {
				fprintf(stderr, "auc_bench: auc_vector: %s\n",
					store_errmsg(store));
				return 1;
			}
			n++;
		} while ((elapsed = latency_now() - start) < seconds);
		auc_vector_wipe(&v);
	}
	store_close(store);
	for (i = 0; i < 3; i++) {
		snprintf(sidecar, sizeof(sidecar), "%s%s", path, suffix[i]);
		unlink(sidecar);
	}
	if (ues)
		printf("auc: %lu vectors in %.2f s: %.0f vectors/s (%s, %s, %d UEs a turn, %llu commits)\n",
		       n, elapsed, (double)n / elapsed, argv[1],
		       fs_name(argv[1]), ues, commits);
	else
		printf("auc: %lu vectors in %.2f s: %.0f vectors/s (%s, %s)\n",
		       n, elapsed, (double)n / elapsed, argv[1],
		       fs_name(argv[1]));
	return 0;
}
