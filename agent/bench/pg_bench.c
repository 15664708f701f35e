// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's hot statements, one after another on one
 * connection, as an HSS or a BSF instance makes them: the SQN advance
 * (store_subscriber_sqn_update(): BEGIN, SELECT ... FOR UPDATE, UPDATE,
 * COMMIT, durable), a session's INSERT (store_session_add(), durable)
 * and its lookup by B-TID (store_session_get()). Run by bench/pg_bench.sh
 * against a throwaway cluster:
 *
 *	pg_bench COUNT	(E2M_TEST_PG, E2M_TEST_PG_PASSWORD_FILE as for
 *			 tests/store_pg_test)
 *
 * One line per statement: "pg: NAME: N in S s: R/s, U us each".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "util/latency.h"

#define IMSI	"001019990000001"
#define IMPI	"pgbench@home1.net"

static void report(const char *name, int n, double seconds)
{
	printf("pg: %-12s %6d in %6.3f s: %8.0f/s, %7.1f us each\n", name, n,
	       seconds, n / seconds, 1e6 * seconds / n);
}

static int next_seq(struct store_subscriber *sub, void *arg)
{
	(void)arg;
	sub->pub.sqn.seq++;
	return 0;
}

static int bench_sqn(struct store *store, int n)
{
	struct store_subscriber sub;
	double t0 = latency_now();
	int i, ret = 0;

	for (i = 0; i < n && !ret; i++) {
		ret = store_subscriber_sqn_update(store, IMSI, next_seq, NULL,
						  &sub);
		store_subscriber_wipe(&sub);
	}
	if (!ret)
		report("sqn-advance", n, latency_now() - t0);
	return ret;
}

static void session_of(struct store_session *s, int i)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->pub.btid, sizeof(s->pub.btid),
		 "%022d@bsf.home1.net", i);
	strcpy(s->pub.impi, IMPI);
	memset(s->pub.rand, i & 0xff, sizeof(s->pub.rand));
	memset(s->ks, 0x5a, sizeof(s->ks));
	s->pub.created = 1000;
	s->pub.expires = 4000000000LL;
	strcpy(s->pub.uss, "[]");
}

static int bench_sessions(struct store *store, int n)
{
	struct store_session s;
	double t0 = latency_now();
	int i, ret = 0;

	for (i = 0; i < n && !ret; i++) {
		session_of(&s, i);
		ret = store_session_add(store, &s);
		store_session_wipe(&s);
	}
	if (ret)
		return ret;
	report("session-add", n, latency_now() - t0);
	t0 = latency_now();
	for (i = 0; i < n && !ret; i++) {
		char btid[STORE_BTID_MAX + 1];

		snprintf(btid, sizeof(btid), "%022d@bsf.home1.net", i);
		ret = store_session_get(store, btid, 2000, &s);
		store_session_wipe(&s);
	}
	if (!ret)
		report("session-get", n, latency_now() - t0);
	return ret;
}

int main(int argc, char **argv)
{
	const char *conninfo = getenv("E2M_TEST_PG");
	const char *password_file = getenv("E2M_TEST_PG_PASSWORD_FILE");
	struct store_subscriber sub;
	struct store_key key;
	struct store *store;
	char why[256] = "";
	int n = argc > 1 ? atoi(argv[1]) : 0, ret;

	if (n <= 0 || !conninfo || !password_file) {
		fprintf(stderr, "usage: E2M_TEST_PG=... "
			"E2M_TEST_PG_PASSWORD_FILE=... pg_bench COUNT\n");
		return 2;
	}
	memset(key.bytes, 0x42, sizeof(key.bytes));
	ret = store_open_postgresql(&store, conninfo, password_file, &key, why,
				    sizeof(why));
	store_key_wipe(&key);
	if (ret) {
		fprintf(stderr, "pg_bench: %s\n", why);
		return 1;
	}
	store_subscriber_init(&sub);
	strcpy(sub.pub.imsi, IMSI);
	strcpy(sub.pub.impi, IMPI);
	strcpy(sub.pub.uss, "[]");
	memset(sub.k, 0x11, sizeof(sub.k));
	memset(sub.opc, 0x22, sizeof(sub.opc));
	ret = store_subscriber_add(store, &sub);
	store_subscriber_wipe(&sub);
	if (!ret)
		ret = bench_sqn(store, n);
	if (!ret)
		ret = bench_sessions(store, n);
	if (ret)
		fprintf(stderr, "pg_bench: %s: %s\n", store_strerror(ret),
			store_errmsg(store));
	store_close(store);
	return ret ? 1 : 0;
}
