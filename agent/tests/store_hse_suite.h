/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE's flows (store.h) as every engine keeps them, with the same
 * exact expectations: the refusals, put, get and list whole, put again
 * replacing (a rekey), remove, and put_many's one transaction (the last
 * row of a TEID winning, an invalid row or one the engine refuses
 * leaving nothing), and two owners (two HSE instances sharing the store,
 * the same device name, the same and other TEIDs) each seeing, replacing
 * and removing only its own rows. store_test.c runs it on SQLite,
 * store_pg_test.c on PostgreSQL, each on a store without flows.
 */
#ifndef E2M_STORE_HSE_SUITE_H
#define E2M_STORE_HSE_SUITE_H

#include "store_fixture.h"

#define HSE_OWNER_A	"gw-a.home1.net"
#define HSE_OWNER_B	"gw-b"

static void fill_hse_flow(struct store_hse_flow *f, uint32_t teid,
			  const char *imsi, uint8_t ksi)
{
	memset(f, 0, sizeof(*f));
	f->teid = teid;
	f->ue_teid = 0x1234;
	snprintf(f->imsi, sizeof(f->imsi), "%s", imsi);
	memset(f->rand, 0x23, sizeof(f->rand));
	memcpy(f->sqn, "\xff\x9b\xb4\xd0\xb6\x07", sizeof(f->sqn));
	f->ksi = ksi;
	strcpy(f->ue_address, "192.0.2.1");
	f->ue_port = 2152;
	strcpy(f->inner_ipv4, "10.45.0.2");
	strcpy(f->device, "e2m0");
	f->created = 1700000000;
	strcpy(f->owner, HSE_OWNER_A);
}

static int count_flow(const struct store_hse_flow *f, void *arg)
{
	uint32_t *teids = arg;

	teids[teids[0] + 1] = f->teid;
	teids[0]++;
	return 0;
}

static void test_hse_flow_refusals(struct store *store)
{
	struct store_hse_flow f;

	fill_hse_flow(&f, 0, "001010000000001", 3);
	ok(store_hse_flow_put(store, &f) == -EINVAL, "hse flow: TEID 0 refused");
	fill_hse_flow(&f, 1, "001010000000001", 3);
	f.ue_teid = 0;
	ok(store_hse_flow_put(store, &f) == -EINVAL,
	   "hse flow: UE TEID 0 refused");
	fill_hse_flow(&f, 1, "0010", 3);
	ok(store_hse_flow_put(store, &f) == -EINVAL,
	   "hse flow: a bad IMSI refused");
	fill_hse_flow(&f, 1, "001010000000001", 7);
	ok(store_hse_flow_put(store, &f) == -EINVAL, "hse flow: KSI 7 refused");
	fill_hse_flow(&f, 1, "001010000000001", 3);
	strcpy(f.ue_address, "::0001");
	ok(store_hse_flow_put(store, &f) == -EINVAL,
	   "hse flow: an address not in inet_ntop() form refused");
	fill_hse_flow(&f, 1, "001010000000001", 3);
	strcpy(f.inner_ipv4, "fd00::2");
	ok(store_hse_flow_put(store, &f) == -EINVAL,
	   "hse flow: an IPv6 inner-ipv4 refused");
	fill_hse_flow(&f, 1, "001010000000001", 3);
	strcpy(f.inner_ipv6, "10.0.0.1");
	ok(store_hse_flow_put(store, &f) == -EINVAL,
	   "hse flow: an IPv4 inner-ipv6 refused");
	fill_hse_flow(&f, 1, "001010000000001", 3);
	f.ue_port = 0;
	ok(store_hse_flow_put(store, &f) == -EINVAL, "hse flow: port 0 refused");
	fill_hse_flow(&f, 1, "001010000000001", 3);
	f.device[0] = '\0';
	ok(store_hse_flow_put(store, &f) == -EINVAL,
	   "hse flow: no device refused");
	fill_hse_flow(&f, 1, "001010000000001", 3);
	f.owner[0] = '\0';
	ok(store_hse_flow_put(store, &f) == -EINVAL &&
	   store_hse_flow_put_many(store, &f, 1) == -EINVAL,
	   "hse flow: no owner refused");
	strcpy(f.owner, "gw a");
	ok(store_hse_flow_put(store, &f) == -EINVAL,
	   "hse flow: an owner with a space refused");
	memset(f.owner, 'a', STORE_HSE_OWNER_MAX);
	f.owner[STORE_HSE_OWNER_MAX] = '\0';
	ok(store_hse_flow_put(store, &f) == 0 &&
	   store_hse_flow_remove(store, f.owner, 1) == 0,
	   "hse flow: an owner of %d octets taken", STORE_HSE_OWNER_MAX);
	ok(store_hse_flow_list(store, NULL, NULL, NULL) == 0,
	   "hse flow: nothing stored after refusals");
}

static void test_hse_flows(struct store *store)
{
	struct store_hse_flow f, g, got;
	uint32_t teids[4] = { 0 };

	test_hse_flow_refusals(store);
	fill_hse_flow(&f, 0x12345678, "001010000000001", 3);
	fill_hse_flow(&g, 7, "001010000000002", 0);
	strcpy(g.ue_address, "2001:db8::1");
	strcpy(g.inner_ipv6, "fd00::2");
	ok(store_hse_flow_put(store, &f) == 0 &&
	   store_hse_flow_put(store, &g) == 0, "hse flow: two put");
	ok(store_hse_flow_get(store, HSE_OWNER_A, 0x12345678, &got) == 0 &&
	   !memcmp(&got, &f, sizeof(got)), "hse flow: read back whole");
	ok(store_hse_flow_get(store, HSE_OWNER_A, 7, &got) == 0 &&
	   !strcmp(got.ue_address, "2001:db8::1") &&
	   !strcmp(got.inner_ipv6, "fd00::2") && got.ksi == 0,
	   "hse flow: IPv6 addresses read back");
	ok(store_hse_flow_list(store, HSE_OWNER_A, count_flow, teids) == 0 &&
	   teids[0] == 2 && teids[1] == 7 && teids[2] == 0x12345678,
	   "hse flow: listed by TEID");
	f.ksi = 4;
	memset(f.rand, 0x42, sizeof(f.rand));
	ok(store_hse_flow_put(store, &f) == 0 &&
	   store_hse_flow_get(store, HSE_OWNER_A, 0x12345678, &got) == 0 &&
	   got.ksi == 4 && got.rand[0] == 0x42 &&
	   store_hse_flow_list(store, HSE_OWNER_A, NULL, NULL) == 2,
	   "hse flow: put again replaces (a rekey)");
	ok(store_hse_flow_remove(store, HSE_OWNER_A, 7) == 0 &&
	   store_hse_flow_get(store, HSE_OWNER_A, 7, &got) == -ENOENT &&
	   store_hse_flow_remove(store, HSE_OWNER_A, 7) == -ENOENT,
	   "hse flow: removed, then -ENOENT");
	ok(store_hse_flow_get(store, HSE_OWNER_A, 0, &got) == -EINVAL &&
	   store_hse_flow_remove(store, HSE_OWNER_A, 0) == -EINVAL,
	   "hse flow: TEID 0 is no flow");
	ok(store_hse_flow_get(store, "", 0x12345678, &got) == -EINVAL &&
	   store_hse_flow_remove(store, "gw/a", 0x12345678) == -EINVAL &&
	   store_hse_flow_list(store, "", NULL, NULL) == -EINVAL,
	   "hse flow: an invalid owner is no owner");
	ok(store_hse_flow_remove(store, HSE_OWNER_A, 0x12345678) == 0,
	   "hse flow: cleaned");
}

/* The group commit's batch: one transaction, all rows or none. */
static void test_hse_flow_batch(struct store *store)
{
	struct store_hse_flow rows[3], got;

	fill_hse_flow(&rows[0], 21, "001010000000001", 1);
	fill_hse_flow(&rows[1], 22, "001010000000002", 1);
	fill_hse_flow(&rows[2], 21, "001010000000001", 2);
	ok(store_hse_flow_put_many(store, rows, 3) == 0 &&
	   store_hse_flow_get(store, HSE_OWNER_A, 21, &got) == 0 &&
	   got.ksi == 2 &&
	   store_hse_flow_get(store, HSE_OWNER_A, 22, &got) == 0 &&
	   store_hse_flow_list(store, NULL, NULL, NULL) == 2,
	   "hse flow batch: all put, the last row of a TEID wins");
	fill_hse_flow(&rows[0], 23, "001010000000003", 1);
	fill_hse_flow(&rows[1], 0, "001010000000004", 1);
	ok(store_hse_flow_put_many(store, rows, 2) == -EINVAL &&
	   store_hse_flow_get(store, HSE_OWNER_A, 23, &got) == -ENOENT,
	   "hse flow batch: an invalid row refuses the whole batch");
	/*
	 * Past the checks, as an engine failing mid-batch: KSI 7 breaks the
	 * table's CHECK at the second row, after the first was written.
	 */
	fill_hse_flow(&rows[1], 24, "001010000000004", 7);
	ok(store->ops->hse_flow_put_many(store, rows, 2) != 0 &&
	   store_hse_flow_get(store, HSE_OWNER_A, 23, &got) == -ENOENT &&
	   store_hse_flow_get(store, HSE_OWNER_A, 24, &got) == -ENOENT,
	   "hse flow batch: a row failing in the engine rolls the batch back");
	ok(store_hse_flow_put_many(store, rows, 0) == 0 &&
	   store_hse_flow_remove(store, HSE_OWNER_A, 21) == 0 &&
	   store_hse_flow_remove(store, HSE_OWNER_A, 22) == 0 &&
	   store_hse_flow_list(store, NULL, NULL, NULL) == 0,
	   "hse flow batch: none is nothing; cleaned");
}

/* Every owner's rows, owner first: "owner/teid/imsi-end ..." */
static int show_flow(const struct store_hse_flow *f, void *arg)
{
	char *out = arg;
	size_t len = strlen(out);

	snprintf(out + len, 256 - len, "%s%s/%x/%s", len ? " " : "", f->owner,
		 f->teid, f->imsi + 12);
	return 0;
}

static const char *show_flows(struct store *store, const char *owner)
{
	static char out[256];
	int ret;

	out[0] = '\0';
	ret = store_hse_flow_list(store, owner, show_flow, out);
	if (ret)
		snprintf(out, sizeof(out), "error %d", ret);
	return out;
}

/*
 * Two HSE instances on one store (two gateways, each its own kernel),
 * both with device e2m0: TEID 7 held by each with another IMSI, TEIDs 8
 * (A's) and 9 (B's) by one only. Each sees, replaces and removes its own
 * rows only; a put of a TEID the other holds is a row of its own.
 */
static void test_hse_flow_owners(struct store *store)
{
	struct store_hse_flow a7, a8, b7, b9, got;
	const char *all;

	fill_hse_flow(&a7, 7, "001010000000001", 1);
	fill_hse_flow(&a8, 8, "001010000000002", 1);
	fill_hse_flow(&b7, 7, "001010000000003", 2);
	fill_hse_flow(&b9, 9, "001010000000004", 2);
	/* Whole: the rows are compared whole, as the store gives them. */
	memset(b7.owner, 0, sizeof(b7.owner));
	memset(b9.owner, 0, sizeof(b9.owner));
	strcpy(b7.owner, HSE_OWNER_B);
	strcpy(b9.owner, HSE_OWNER_B);
	ok(store_hse_flow_put(store, &a7) == 0 &&
	   store_hse_flow_put(store, &a8) == 0 &&
	   store_hse_flow_put_many(store, &b7, 1) == 0 &&
	   store_hse_flow_put(store, &b9) == 0,
	   "hse owners: TEID 7 put by both owners, 8 by A, 9 by B");
	all = show_flows(store, NULL);
	ok(!strcmp(all, "gw-a.home1.net/7/001 gw-a.home1.net/8/002 "
		   "gw-b/7/003 gw-b/9/004"),
	   "hse owners: every row, owner then TEID (%s)", all);
	ok(!strcmp(show_flows(store, HSE_OWNER_A),
		   "gw-a.home1.net/7/001 gw-a.home1.net/8/002") &&
	   !strcmp(show_flows(store, HSE_OWNER_B), "gw-b/7/003 gw-b/9/004") &&
	   !strcmp(show_flows(store, "gw-c"), "") &&
	   store_hse_flow_list(store, HSE_OWNER_B, NULL, NULL) == 2,
	   "hse owners: each lists its own rows only");
	ok(store_hse_flow_get(store, HSE_OWNER_A, 7, &got) == 0 &&
	   !memcmp(&got, &a7, sizeof(got)) &&
	   store_hse_flow_get(store, HSE_OWNER_B, 7, &got) == 0 &&
	   !memcmp(&got, &b7, sizeof(got)),
	   "hse owners: TEID 7 is a row of each, read back whole");
	ok(store_hse_flow_get(store, HSE_OWNER_A, 9, &got) == -ENOENT &&
	   store_hse_flow_get(store, HSE_OWNER_B, 8, &got) == -ENOENT &&
	   store_hse_flow_remove(store, HSE_OWNER_A, 9) == -ENOENT &&
	   store_hse_flow_remove(store, HSE_OWNER_B, 8) == -ENOENT,
	   "hse owners: the other's TEID is none of its own, nor removed");
	a7.ksi = 5;
	ok(store_hse_flow_put(store, &a7) == 0 &&
	   store_hse_flow_get(store, HSE_OWNER_B, 7, &got) == 0 &&
	   got.ksi == 2 && !strcmp(got.imsi, "001010000000003") &&
	   store_hse_flow_get(store, HSE_OWNER_A, 7, &got) == 0 &&
	   got.ksi == 5,
	   "hse owners: A's rekey of TEID 7 leaves B's row as it was");
	ok(store_hse_flow_remove(store, HSE_OWNER_B, 7) == 0 &&
	   store_hse_flow_get(store, HSE_OWNER_A, 7, &got) == 0 &&
	   !strcmp(show_flows(store, NULL), "gw-a.home1.net/7/001 "
		   "gw-a.home1.net/8/002 gw-b/9/004"),
	   "hse owners: B's removal of TEID 7 leaves A's");
	ok(store_hse_flow_remove(store, HSE_OWNER_A, 7) == 0 &&
	   store_hse_flow_remove(store, HSE_OWNER_A, 8) == 0 &&
	   store_hse_flow_remove(store, HSE_OWNER_B, 9) == 0 &&
	   store_hse_flow_list(store, NULL, NULL, NULL) == 0,
	   "hse owners: cleaned");
}

static void store_hse_suite_run(struct store *store)
{
	test_hse_flows(store);
	test_hse_flow_batch(store);
	test_hse_flow_owners(store);
}

#endif /* E2M_STORE_HSE_SUITE_H */
