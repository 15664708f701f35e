// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/hss/hss_window.c: the HSS's window of e2m key sets, found by RAND and
 * by SQN, expiring, replaced, evicted at the bound, and 20,000 at once.
 */
#include <errno.h>
#include <time.h>

#include "daemon/hss/hss_window.h"
#include "tap.h"

#define IMSI	"001010000000001"
#define IMSI2	"001010000000002"

/* A key set whose every octet says which it is: n in RAND, SQN, keys. */
static struct keyset_response keyset(const char *imsi, uint32_t n)
{
	struct keyset_response ks;

	memset(&ks, 0, sizeof(ks));
	strcpy(ks.imsi, imsi);
	memcpy(ks.rand, &n, sizeof(n));
	ks.rand[15] = 0xaa;
	memcpy(ks.sqn, &n, sizeof(n));
	memset(ks.k_enc, (int)(n & 0xff), sizeof(ks.k_enc));
	memset(ks.k_int, (int)(~n & 0xff), sizeof(ks.k_int));
	ks.enc_alg = ks.int_alg = E2M_ALG_AES;
	ks.window_expires = 1700000000 + n;
	return ks;
}

static struct keyset_request by_rand(const struct keyset_response *ks)
{
	struct keyset_request req = { .by = KEYSET_BY_RAND };

	strcpy(req.imsi, ks->imsi);
	memcpy(req.rand, ks->rand, sizeof(req.rand));
	return req;
}

static struct keyset_request by_sqn(const struct keyset_response *ks)
{
	struct keyset_request req = { .by = KEYSET_BY_SQN };

	strcpy(req.imsi, ks->imsi);
	memcpy(req.sqn, ks->sqn, sizeof(req.sqn));
	return req;
}

static bool same(const struct keyset_response *a,
		 const struct keyset_response *b)
{
	return !strcmp(a->imsi, b->imsi) &&
	       !memcmp(a->rand, b->rand, sizeof(a->rand)) &&
	       !memcmp(a->sqn, b->sqn, sizeof(a->sqn)) &&
	       !memcmp(a->k_enc, b->k_enc, sizeof(a->k_enc)) &&
	       !memcmp(a->k_int, b->k_int, sizeof(a->k_int)) &&
	       a->enc_alg == b->enc_alg && a->int_alg == b->int_alg &&
	       a->window_expires == b->window_expires;
}

/* Whether the window holds ks, found both ways, at now. */
static bool holds(struct hss_window *w, const struct keyset_response *ks,
		  int64_t now)
{
	struct keyset_request r1 = by_rand(ks), r2 = by_sqn(ks);
	struct keyset_response out;
	bool found = !hss_window_find(w, &r1, now, &out) && same(&out, ks) &&
		     !hss_window_find(w, &r2, now, &out) && same(&out, ks);

	keyset_response_wipe(&out);
	return found;
}

static void basics(void)
{
	struct hss_window *w = hss_window_new(8);
	struct keyset_response a = keyset(IMSI, 1), b = keyset(IMSI, 2);
	struct keyset_response other = keyset(IMSI2, 1), out;
	struct keyset_request req;
	bool evicted = true;

	ok(w && hss_window_count(w) == 0, "an empty window");
	ok(!hss_window_add(w, &a, 120, 0, &evicted) && !evicted &&
	   !hss_window_add(w, &b, 121, 1, NULL) &&
	   !hss_window_add(w, &other, 122, 2, NULL) &&
	   hss_window_count(w) == 3, "three key sets added");
	ok(holds(w, &a, 10) && holds(w, &b, 10) && holds(w, &other, 10),
	   "each found by RAND and by SQN");
	req = by_rand(&a);
	req.rand[0] ^= 1;
	ok(hss_window_find(w, &req, 10, &out) == -ENOENT, "another RAND: none");
	req = by_sqn(&a);
	req.sqn[5] ^= 1;
	ok(hss_window_find(w, &req, 10, &out) == -ENOENT, "another SQN: none");
	req = by_rand(&a);
	strcpy(req.imsi, "001010000000003");
	ok(hss_window_find(w, &req, 10, &out) == -ENOENT,
	   "the RAND with another IMSI: none");
	ok(holds(w, &a, 119) && !holds(w, &a, 120),
	   "gone at its expiry, before any purge");
	ok(hss_window_count(w) == 2, "and dropped by the lookup that saw it");
	ok(hss_window_purge(w, 121) == 1 && hss_window_count(w) == 1 &&
	   holds(w, &other, 121), "purge drops what is over, keeps the rest");
	ok(hss_window_purge(w, 1000) == 1 && hss_window_count(w) == 0,
	   "and the last");
	hss_window_free(w);
	ok(!hss_window_new(0), "a window of capacity 0 is refused");
}

static void replace_and_evict(void)
{
	struct hss_window *w = hss_window_new(3);
	struct keyset_response ks[5], twin;
	bool evicted;
	uint32_t i;

	for (i = 0; i < 5; i++)
		ks[i] = keyset(IMSI, i);
	for (i = 0; i < 3; i++)
		hss_window_add(w, &ks[i], 100 + i, 0, NULL);
	twin = ks[1];
	memset(twin.k_enc, 0x77, sizeof(twin.k_enc));
	ok(!hss_window_add(w, &twin, 150, 1, &evicted) && !evicted &&
	   hss_window_count(w) == 3 && holds(w, &twin, 2),
	   "the same run again replaces it, evicting nothing");
	ok(!hss_window_add(w, &ks[3], 103, 2, &evicted) && evicted &&
	   hss_window_count(w) == 3 && !holds(w, &ks[0], 2) &&
	   holds(w, &ks[2], 2) && holds(w, &ks[3], 2),
	   "at the bound the one closest to expiry is evicted");
	ok(!hss_window_add(w, &ks[4], 104, 2, &evicted) && evicted &&
	   !holds(w, &ks[2], 2) && holds(w, &twin, 2) && holds(w, &ks[4], 2),
	   "then the next closest (order of expiry, not of adding)");
	ok(!hss_window_add(w, &ks[0], 50, 3, &evicted) && evicted &&
	   hss_window_purge(w, 51) == 1 && hss_window_count(w) == 2 &&
	   holds(w, &twin, 52) && holds(w, &ks[4], 52),
	   "a shorter window (after a reload) expires in its turn");
	hss_window_free(w);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void many(void)
{
	enum { N = 20000 };
	struct hss_window *w = hss_window_new(N);
	struct keyset_response ks;
	bool all = true, evicted = false, e;
	double start;
	uint32_t i;

	for (i = 0; i < N; i++) {
		ks = keyset(i % 2 ? IMSI : IMSI2, i);
		all = all && !hss_window_add(w, &ks, 120, 0, &e);
		evicted = evicted || e;
	}
	ok(all && !evicted && hss_window_count(w) == N,
	   "%d key sets held", N);
	start = seconds();
	for (i = 0; i < N; i++) {
		ks = keyset(i % 2 ? IMSI : IMSI2, i);
		all = all && holds(w, &ks, 1);
	}
	ok(all, "each found by RAND and by SQN");
	printf("# %d x 2 lookups in %.3f s\n", N, seconds() - start);
	ok(hss_window_purge(w, 120) == N && hss_window_count(w) == 0,
	   "all purged at the window's end");
	hss_window_free(w);
	w = hss_window_new(N);
	for (i = 0; i < N; i++) {
		ks = keyset(IMSI, i);
		hss_window_add(w, &ks, 120, 0, NULL);
	}
	hss_window_free(w);
	ok(1, "a full window freed (ASan: nothing leaks)");
}

int main(void)
{
	plan(19);
	basics();
	replace_and_evict();
	many();
	return done_testing();
}
