// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/hse/hse_reconcile_plan.c and hse_key_teid(): what the HSE's
 * reconcile at start does to each TEID of its rows, its kernel flows and
 * the keys in "e2m-hse", as exact lists of steps; and which rows of a
 * store shared by two HSE instances each plans with (its own only).
 */
#include <errno.h>
#include <string.h>

#include "daemon/hse/hse_keyring.h"
#include "daemon/hse/hse_reconcile_plan.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The plan in words: "drop 7 [70 71]; delete 5 []" and " adopted N";
 * the step's keys by serial, in their order.
 */
static const char *show(const struct hse_reconcile_plan *plan,
			const struct hse_key_ref *keys)
{
	static char out[512];
	size_t i, k, len = 0;

	out[0] = 0;
	for (i = 0; i < plan->n; i++) {
		const struct hse_reconcile_step *s = &plan->steps[i];

		len += snprintf(out + len, sizeof(out) - len, "%s%s %x [",
				i ? "; " : "",
				s->op == HSE_RECONCILE_DROP_ROW ? "drop" :
								  "delete",
				s->teid);
		for (k = 0; k < s->nkeys; k++)
			len += snprintf(out + len, sizeof(out) - len, "%s%d",
					k ? " " : "", keys[s->key + k].serial);
		len += snprintf(out + len, sizeof(out) - len, "]");
	}
	snprintf(out + len, sizeof(out) - len, " adopted %lu", plan->adopted);
	return out;
}

/* Plans rows against flows with keys, compares its words with want. */
static void check(uint32_t *rows, size_t nrows, uint32_t *flows,
		  size_t nflows, struct hse_key_ref *keys, size_t nkeys,
		  const char *want, const char *name)
{
	struct hse_reconcile_plan plan;
	const char *got;

	if (hse_reconcile_plan(rows, nrows, flows, nflows, &plan)) {
		ok(0, "%s: planned", name);
		return;
	}
	hse_reconcile_plan_keys(&plan, keys, nkeys);
	got = show(&plan, keys);
	if (!ok(!strcmp(got, want), "%s", name))
		printf("#   got:      %s\n#   expected: %s\n", got, want);
	hse_reconcile_plan_free(&plan);
}

static void steps(void)
{
	uint32_t rows1[] = { 2, 1 }, flows1[] = { 1, 2 };
	struct hse_key_ref keys1[] = { { 2, 20 }, { 1, 10 } };
	uint32_t flows2[] = { 5, 3 };
	struct hse_key_ref keys2[] = { { 3, 31 }, { 5, 50 }, { 3, 30 } };
	uint32_t rows3[] = { 7, 4 }, flows3[] = { 4 };
	struct hse_key_ref keys3[] = { { 7, 71 }, { 4, 41 }, { 7, 70 } };
	uint32_t rows4[] = { 1 };
	struct hse_key_ref keys4[] = { { 9, 90 }, { 0, 5 } };
	uint32_t rows5[] = { 2, 3, 2 }, flows5[] = { 3, 6, 3, 6 };
	struct hse_key_ref keys5[] = { { 6, 60 }, { 2, 20 } };
	uint32_t rows6[] = { 5, 1, 3 }, flows6[] = { 6, 3, 2 };
	struct hse_key_ref keys6[] = {
		{ 6, 61 }, { 4, 40 }, { 1, 11 }, { 3, 30 }, { 2, 21 },
		{ 5, 51 }, { 7, 70 },
	};
	uint32_t rows7[] = { 0xffffffff, 0 }, flows7[] = { 0x80000000 };
	struct hse_key_ref keys7[] = {
		{ 0x80000000, 8 }, { 0xffffffff, 9 }, { 0, 1 },
	};

	check(rows1, N(rows1), flows1, N(flows1), keys1, N(keys1),
	      " adopted 2",
	      "rows with flows and keys: adopted, nothing done, keys kept");
	check(NULL, 0, flows2, N(flows2), keys2, N(keys2),
	      "delete 3 [30 31]; delete 5 [50] adopted 0",
	      "stray flows: deleted, in TEID order, with all their keys");
	check(rows3, N(rows3), flows3, N(flows3), keys3, N(keys3),
	      "drop 7 [70 71] adopted 1",
	      "a row whose flow is gone: dropped with its keys, the adopted "
	      "flow's key kept");
	check(NULL, 0, NULL, 0, keys4, N(keys4), " adopted 0",
	      "stray keys (no row, no flow): left alone, another device's "
	      "flow may be theirs");
	check(rows4, N(rows4), NULL, 0, keys4, N(keys4), "drop 1 [] adopted 0",
	      "a row without keys beside stray keys: dropped, the keys kept");
	check(rows5, N(rows5), flows5, N(flows5), keys5, N(keys5),
	      "drop 2 [20]; delete 6 [60] adopted 1",
	      "duplicate TEIDs on either side: one step or adoption each");
	check(rows6, N(rows6), flows6, N(flows6), keys6, N(keys6),
	      "drop 1 [11]; delete 2 [21]; drop 5 [51]; delete 6 [61] "
	      "adopted 1",
	      "rows and flows interleaved: TEID order, each step its own keys");
	check(rows7, N(rows7), flows7, N(flows7), keys7, N(keys7),
	      "drop 0 [1]; delete 80000000 [8]; drop ffffffff [9] adopted 0",
	      "TEIDs 0 and ffffffff, the ends of the range");
	check(NULL, 0, NULL, 0, NULL, 0, " adopted 0", "nothing: no step");
}

/* A row of the shared store: owner, device, TEID. */
struct shared_row {
	const char *owner, *device;
	uint32_t teid;
};

/* The TEIDs of rows that hse_reconcile_row_ours() gives owner on device. */
static size_t rows_of(const struct shared_row *rows, size_t n,
		      const char *owner, const char *device, uint32_t *out)
{
	struct store_hse_flow row;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		memset(&row, 0, sizeof(row));
		snprintf(row.owner, sizeof(row.owner), "%s", rows[i].owner);
		snprintf(row.device, sizeof(row.device), "%s", rows[i].device);
		row.teid = rows[i].teid;
		if (hse_reconcile_row_ours(&row, owner, device))
			out[k++] = row.teid;
	}
	return k;
}

/*
 * Two gateways (hosts gw-a and gw-b, each its own kernel) on one store,
 * both with device e2m0: each plans with its own rows only, so neither
 * drops a row of the other's nor adopts one. gw-a's kernel has flows 7
 * and 9, gw-b's 7 and 8; gw-a's rows are 7 and 8 on e2m0 and 5 on e2m1
 * (a device it had before), gw-b's 7 and 9.
 */
static void owners(void)
{
	static const struct shared_row shared[] = {
		{ "gw-a", "e2m0", 7 }, { "gw-b", "e2m0", 7 },
		{ "gw-a", "e2m0", 8 }, { "gw-b", "e2m0", 9 },
		{ "gw-a", "e2m1", 5 },
	};
	uint32_t rows[N(shared)], flows_a[] = { 9, 7 }, flows_b[] = { 8, 7 };
	size_t n;

	n = rows_of(shared, N(shared), "gw-a", "e2m0", rows);
	ok(n == 2 && rows[0] == 7 && rows[1] == 8,
	   "owners: gw-a's rows on e2m0 are 7 and 8, none of gw-b's");
	check(rows, n, flows_a, N(flows_a), NULL, 0,
	      "drop 8 []; delete 9 [] adopted 1",
	      "owners: gw-a drops its row 8, deletes its flow 9 (gw-b's row 9"
	      " is not its), adopts 7");
	n = rows_of(shared, N(shared), "gw-b", "e2m0", rows);
	ok(n == 2 && rows[0] == 7 && rows[1] == 9,
	   "owners: gw-b's rows on e2m0 are 7 and 9, none of gw-a's");
	check(rows, n, flows_b, N(flows_b), NULL, 0,
	      "delete 8 []; drop 9 [] adopted 1",
	      "owners: gw-b deletes its flow 8 (gw-a's row 8 is not its),"
	      " drops its row 9, adopts 7; gw-a's rows untouched");
	n = rows_of(shared, N(shared), "gw-a", "e2m1", rows);
	ok(n == 1 && rows[0] == 5 &&
	   rows_of(shared, N(shared), "gw-c", "e2m0", rows) == 0 &&
	   rows_of(shared, N(shared), "gw", "e2m0", rows) == 0,
	   "owners: a row is its device's and its owner's, by the whole"
	   " name (gw is not gw-a)");
}

/* 10^5 rows and flows overlapping by half: the counts and the order. */
static void many(void)
{
	enum { M = 100000 };
	uint32_t *rows = malloc(M * sizeof(*rows));
	uint32_t *flows = malloc(M * sizeof(*flows));
	struct hse_key_ref *keys = malloc(M * sizeof(*keys));
	struct hse_reconcile_plan plan;
	size_t i, drops = 0, deletes = 0, keyed = 0;
	bool ordered = true;

	if (!rows || !flows || !keys) {
		perror("malloc");
		exit(2);
	}
	/* Rows 0 .. M-1 and flows M/2 .. 3M/2-1, both given backwards. */
	for (i = 0; i < M; i++) {
		rows[i] = (uint32_t)(M - 1 - i);
		flows[i] = (uint32_t)(M / 2 + M - 1 - i);
		keys[i] = (struct hse_key_ref){ (uint32_t)(2 * i), (int)i + 1 };
	}
	ok(!hse_reconcile_plan(rows, M, flows, M, &plan), "10^5: planned");
	hse_reconcile_plan_keys(&plan, keys, M);
	for (i = 0; i < plan.n; i++) {
		const struct hse_reconcile_step *s = &plan.steps[i];

		drops += s->op == HSE_RECONCILE_DROP_ROW;
		deletes += s->op == HSE_RECONCILE_DELETE_FLOW;
		keyed += s->nkeys;
		if (i && plan.steps[i - 1].teid >= s->teid)
			ordered = false;
		if (s->nkeys && keys[s->key].teid != s->teid)
			ordered = false;
	}
	ok(plan.adopted == M / 2 && drops == M / 2 && deletes == M / 2 &&
	   plan.n == M, "10^5: %lu adopted, %zu dropped, %zu deleted",
	   plan.adopted, drops, deletes);
	/* Keys on even TEIDs 0 .. 2M-2; steps 0 .. M/2-1 and M .. 3M/2-1. */
	ok(keyed == M / 2 && ordered,
	   "10^5: %zu keys in steps (every even TEID of one), TEID order",
	   keyed);
	hse_reconcile_plan_free(&plan);
	free(rows);
	free(flows);
	free(keys);
}

static void key_teid(void)
{
	uint32_t teid = 0;

	ok(hse_key_teid("e2mkeyset;0;0;3f010000;imsi:001010000000001 ksi:1 "
			"teid:000003e8", &teid) && teid == 1000,
	   "the HSE's description: TEID 1000");
	ok(hse_key_teid("e2mkeyset;0;0;3f010000;imsi:001010000000001 ksi:6 "
			"teid:ffffffff", &teid) && teid == 0xffffffff,
	   "TEID ffffffff");
	teid = 7;
	ok(!hse_key_teid("user;0;0;3f010000;imsi:001010000000001 ksi:1 "
			 "teid:000003e8", &teid) && teid == 7,
	   "a key of another type: not the HSE's, *teid untouched");
	ok(!hse_key_teid("e2mkeyset;0;0;3f010000;imsi:1 ksi:1 teid:000003E8",
			 &teid), "uppercase hex: not as the HSE writes it");
	ok(!hse_key_teid("e2mkeyset;0;0;3f010000;imsi:1 ksi:1 teid:00003e8",
			 &teid), "7 hex digits: refused");
	ok(!hse_key_teid("e2mkeyset;0;0;3f010000;imsi:1 ksi:1 teid:000003e8 ",
			 &teid), "anything after the TEID: refused");
	ok(!hse_key_teid("e2mkeyset;0;0;3f010000;imsi:1 ksi:1 xteid:000003e8",
			 &teid) &&
	   !hse_key_teid("e2mkeyset;0;0;3f010000;teid:000003e8", &teid),
	   "no space before teid: refused");
	ok(!hse_key_teid("e2mkeyset;", &teid) && !hse_key_teid("", &teid),
	   "too short: refused");
}

int main(void)
{
	steps();
	owners();
	many();
	key_teid();
	return done_testing();
}
