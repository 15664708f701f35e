/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW's UEs (store.h) as every engine keeps them, with the same
 * exact expectations: put, get and list whole; an inner address or a
 * HSE TEID a second IMSI's refused (-EEXIST, nothing written); replace
 * over the row as read (written), over a row changed since or made
 * since (-ESTALE, nothing written), into an address another's
 * (-EEXIST); the pool record, added once (-EEXIST after), set, and
 * refused when it is no IPV4/PREFIX. store_test.c runs it on SQLite,
 * store_pg_test.c on PostgreSQL. Its IMSIs, addresses and TEIDs are its
 * own (0010177..., 10.77.0.x, 0x77...): rows of other tests are counted
 * around.
 */
#ifndef E2M_STORE_SGW_SUITE_H
#define E2M_STORE_SGW_SUITE_H

#include "store_fixture.h"

#define SGW_SUITE_A	"001017700000001"
#define SGW_SUITE_B	"001017700000002"

/* A UE with a KSI and an address, its TEID held, not attached. */
static void sgw_suite_ue(struct store_sgw_ue *u, const char *imsi,
			 uint8_t ksi, const char *inner, uint32_t teid)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->imsi, sizeof(u->imsi), "%s", imsi);
	u->last_ksi = ksi;
	snprintf(u->inner_ipv4, sizeof(u->inner_ipv4), "%s", inner);
	u->hse_teid = teid;
}

static bool sgw_suite_same(struct store *store, const struct store_sgw_ue *u)
{
	struct store_sgw_ue got;

	return store_sgw_ue_get(store, u->imsi, &got) == 0 &&
	       !memcmp(&got, u, sizeof(got));
}

static void sgw_suite_put(struct store *store, int before)
{
	struct store_sgw_ue a, b, c;

	sgw_suite_ue(&a, SGW_SUITE_A, 2, "10.77.0.2", 0x77000001);
	a.attached = 1;
	strcpy(a.ue_address, "2001:db8::7");
	a.ue_port = 2152;
	a.ue_teid = 0x77;
	sgw_suite_ue(&b, SGW_SUITE_B, 0, "", 0);
	ok(store_sgw_ue_put(store, &a) == 0 &&
	   store_sgw_ue_put(store, &b) == 0 &&
	   sgw_suite_same(store, &a) && sgw_suite_same(store, &b) &&
	   store_sgw_ue_list(store, NULL, NULL) == before + 2,
	   "sgw suite: an attached UE and one with a KSI only, read back"
	   " whole");
	sgw_suite_ue(&c, SGW_SUITE_B, 1, "10.77.0.2", 0);
	ok(store_sgw_ue_put(store, &c) == -EEXIST && sgw_suite_same(store, &b),
	   "sgw suite: A's address for B refused (-EEXIST), B as it was");
	sgw_suite_ue(&c, SGW_SUITE_B, 1, "10.77.0.3", 0x77000001);
	ok(store_sgw_ue_put(store, &c) == -EEXIST && sgw_suite_same(store, &b),
	   "sgw suite: A's HSE TEID for B refused (-EEXIST), B as it was");
	sgw_suite_ue(&c, SGW_SUITE_B, 1, "10.77.0.3", 0x77000002);
	ok(store_sgw_ue_put(store, &c) == 0 && sgw_suite_same(store, &c) &&
	   store_sgw_ue_list(store, NULL, NULL) == before + 2,
	   "sgw suite: put again replaces B's row (KSI 1, 10.77.0.3)");
}

static void sgw_suite_replace(struct store *store)
{
	struct store_sgw_ue a, a2, b, b2, n;

	sgw_suite_ue(&b, SGW_SUITE_B, 1, "10.77.0.3", 0x77000002);
	sgw_suite_ue(&b2, SGW_SUITE_B, 2, "10.77.0.3", 0x77000002);
	ok(store_sgw_ue_replace(store, &b2, &b) == 0 &&
	   sgw_suite_same(store, &b2),
	   "sgw suite: replace over the row as read: KSI 1 -> 2");
	sgw_suite_ue(&n, SGW_SUITE_B, 3, "10.77.0.3", 0x77000002);
	ok(store_sgw_ue_replace(store, &n, &b) == -ESTALE &&
	   sgw_suite_same(store, &b2),
	   "sgw suite: replace over KSI 1 once it is 2: -ESTALE, nothing"
	   " written");
	ok(store_sgw_ue_replace(store, &n, NULL) == -ESTALE &&
	   sgw_suite_same(store, &b2),
	   "sgw suite: replace expecting no row where there is one: -ESTALE");
	sgw_suite_ue(&a, SGW_SUITE_A, 2, "10.77.0.2", 0x77000001);
	a.attached = 1;
	strcpy(a.ue_address, "2001:db8::7");
	a.ue_port = 2152;
	a.ue_teid = 0x77;
	a2 = a;
	a2.ue_port = 2153;
	ok(store_sgw_ue_replace(store, &n, &a2) == -EINVAL,
	   "sgw suite: replace expecting another IMSI's row: -EINVAL");
	ok(store_sgw_ue_replace(store, &a2, &b2) == -EINVAL &&
	   sgw_suite_same(store, &a),
	   "sgw suite: expected of another IMSI refused, A as it was");
	sgw_suite_ue(&n, SGW_SUITE_B, 3, "10.77.0.2", 0x77000002);
	ok(store_sgw_ue_replace(store, &n, &b2) == -EEXIST &&
	   sgw_suite_same(store, &b2),
	   "sgw suite: replace into A's address: -EEXIST, B as it was");
	sgw_suite_ue(&n, "001017700000003", 0, "10.77.0.4", 0);
	ok(store_sgw_ue_replace(store, &n, NULL) == 0 &&
	   sgw_suite_same(store, &n),
	   "sgw suite: replace expecting no row makes a new one");
	sgw_suite_ue(&n, "001017700000004", 0, "10.77.0.4", 0);
	ok(store_sgw_ue_replace(store, &n, NULL) == -EEXIST &&
	   store_sgw_ue_get(store, n.imsi, &b) == -ENOENT,
	   "sgw suite: a new row with another's address: -EEXIST, no row");
}

/*
 * The pool the SGW instances hand out (meta 'sgw_pool'). A store the
 * suite did not make may have one recorded: it is put back at the end.
 */
static void sgw_suite_pool(struct store *store)
{
	char pool[STORE_SGW_POOL_SIZE], kept[STORE_SGW_POOL_SIZE];
	int had = store_sgw_pool_get(store, kept);

	ok(had == 0 || had == -ENOENT, "sgw suite: a pool record or none");
	if (!had)
		ok(store_sgw_pool_add(store, "10.77.0.0/24") == -EEXIST,
		   "sgw suite: add where one is recorded: -EEXIST");
	else
		ok(store_sgw_pool_add(store, "10.77.0.0/24") == 0 &&
		   store_sgw_pool_get(store, pool) == 0 &&
		   !strcmp(pool, "10.77.0.0/24"),
		   "sgw suite: the first pool recorded, read back");
	ok(store_sgw_pool_add(store, "10.78.0.0/24") == -EEXIST &&
	   store_sgw_pool_get(store, pool) == 0 &&
	   !strcmp(pool, had ? "10.77.0.0/24" : kept),
	   "sgw suite: a second add: -EEXIST, the record as it was");
	ok(store_sgw_pool_set(store, "10.78.0.0/16") == 0 &&
	   store_sgw_pool_get(store, pool) == 0 &&
	   !strcmp(pool, "10.78.0.0/16"),
	   "sgw suite: set replaces it");
	ok(store_sgw_pool_set(store, "10.78.0.0") == -EINVAL &&
	   store_sgw_pool_set(store, "10.78.0.0/33") == -EINVAL &&
	   store_sgw_pool_add(store, "10.78.0.256/16") == -EINVAL &&
	   store_sgw_pool_set(store, "10.78.0.0/16 ") == -EINVAL &&
	   store_sgw_pool_get(store, pool) == 0 &&
	   !strcmp(pool, "10.78.0.0/16"),
	   "sgw suite: no prefix, /33, a bad quad, a trailing space:"
	   " -EINVAL, nothing written");
	if (!had)
		ok(store_sgw_pool_set(store, kept) == 0,
		   "sgw suite: the store's record put back");
}

static void store_sgw_suite_run(struct store *store)
{
	int before = store_sgw_ue_list(store, NULL, NULL);

	ok(before >= 0, "sgw suite: %d rows before", before);
	sgw_suite_put(store, before);
	sgw_suite_replace(store);
	sgw_suite_pool(store);
	ok(store_sgw_ue_list(store, NULL, NULL) == before + 3,
	   "sgw suite: %d rows after (3 of its own)", before + 3);
}

#endif /* E2M_STORE_SGW_SUITE_H */
