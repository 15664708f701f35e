/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The store tests every engine passes with the same exact expectations:
 * subscribers (K, OPc, USS, flags), their list and removal, the SQN
 * read-modify-write, bootstrap sessions. store_test.c runs them on
 * SQLite, store_pg_test.c on PostgreSQL; each calls them in this order
 * on a new, empty store (test_list_remove() counts what
 * test_subscribers() added).
 */
#ifndef E2M_STORE_SUITE_H
#define E2M_STORE_SUITE_H

#include "store_fixture.h"

static void test_subscribers(struct store *store)
{
	struct store_subscriber sub, got;
	char uss[STORE_USS_MAX];
	int ret;

	set1_subscriber(&sub, TEST_IMSI, TEST_IMPI);
	sub.pub.flags = STORE_SUB_E2M;
	sub.pub.sqn.seq = 12345;
	sub.pub.sqn.ind = 7;
	strcpy(sub.pub.uss, "[{\"naf\": \"naf1.home1.net\", \"flags\": [1, 2]}]");
	ret = store_subscriber_add(store, &sub);
	ok(ret == 0, "subscriber: added");

	ret = store_subscriber_get(store, TEST_IMSI, &got);
	ok(ret == 0 && !memcmp(&got, &sub, sizeof(got)),
	   "subscriber: by IMSI, every field as added (K, OPc included)");
	store_subscriber_wipe(&got);
	ret = store_subscriber_get(store, TEST_IMPI, &got);
	ok(ret == 0 && !strcmp(got.pub.imsi, TEST_IMSI) &&
	   !memcmp(got.k, sub.k, sizeof(got.k)), "subscriber: by IMPI");
	store_subscriber_wipe(&got);

	ret = store_subscriber_add(store, &sub);
	ok(ret == -EEXIST, "subscriber: same IMSI again is -EEXIST");
	strcpy(sub.pub.imsi, "001010000000002");
	ret = store_subscriber_add(store, &sub);
	ok(ret == -EEXIST, "subscriber: same IMPI again is -EEXIST");
	strcpy(sub.pub.impi, "second@home1.net");
	strcpy(sub.pub.uss, "[{\"naf\": 3}]");
	ret = store_subscriber_add(store, &sub);
	ok(ret == -EINVAL, "subscriber: a bad USS is -EINVAL");
	strcpy(sub.pub.uss, "[]");
	strcpy(sub.pub.imsi, "00101x");
	ret = store_subscriber_add(store, &sub);
	ok(ret == -EINVAL, "subscriber: a bad IMSI is -EINVAL");
	strcpy(sub.pub.imsi, "001010000000002");
	sub.pub.sqn.ind = 32;
	ret = store_subscriber_add(store, &sub);
	ok(ret == -EINVAL, "subscriber: IND out of range is -EINVAL");
	sub.pub.sqn.ind = 0;
	sub.pub.flags = STORE_SUB_E2M | STORE_SUB_GBA_U;
	strcpy(sub.pub.uss, "[{\"naf\":\"naf2.home1.net\"}]");
	ret = store_subscriber_add(store, &sub);
	ok(ret == 0, "subscriber: a second one added");
	store_subscriber_wipe(&sub);

	ret = store_subscriber_get(store, "999990000000000", &got);
	ok(ret == -ENOENT, "subscriber: unknown IMSI is -ENOENT");
	ret = store_subscriber_get(store, "nobody@home1.net", &got);
	ok(ret == -ENOENT, "subscriber: unknown IMPI is -ENOENT");
	ret = store_subscriber_get(store, "not an id", &got);
	ok(ret == -EINVAL, "subscriber: a malformed id is -EINVAL");

	ret = store_subscriber_get(store, "second@home1.net", &got);
	ok(ret == 0 && got.pub.flags == (STORE_SUB_E2M | STORE_SUB_GBA_U) &&
	   store_uss_find(got.pub.uss, "NAF2.home1.net", uss, sizeof(uss)) == 0 &&
	   !strcmp(uss, "{\"naf\":\"naf2.home1.net\"}") &&
	   store_uss_find(got.pub.uss, "naf1.home1.net", uss,
			  sizeof(uss)) == -ENOENT,
	   "subscriber: flags and USS read back; USS lookup by NAF");
	store_subscriber_wipe(&got);
}

/* The list callback sees info structs only: no field can hold K or OPc. */
static int collect_imsi(const struct store_subscriber_info *info, void *arg)
{
	char *imsis = arg;

	strcat(imsis, info->imsi);
	strcat(imsis, " ");
	return 0;
}

static int stop_at_first(const struct store_subscriber_info *info, void *arg)
{
	(void)info;
	(void)arg;
	return 42;
}

static void test_list_remove(struct store *store)
{
	char imsis[128] = "";
	int ret;

	ok(store_subscriber_list(store, NULL, NULL) == 2,
	   "list: counts 2 subscribers");
	ret = store_subscriber_list(store, collect_imsi, imsis);
	ok(ret == 0 && !strcmp(imsis, "001010000000001 001010000000002 "),
	   "list: every subscriber, by IMSI");
	ok(store_subscriber_list(store, stop_at_first, NULL) == 42,
	   "list: stops with the callback's value");

	ret = store_subscriber_remove(store, "second@home1.net");
	ok(ret == 0, "remove: by IMPI");
	ret = store_subscriber_remove(store, "001010000000002");
	ok(ret == -ENOENT, "remove: again is -ENOENT");
	ok(store_subscriber_list(store, NULL, NULL) == 1,
	   "remove: one subscriber left");
}

/* SQN update callbacks: what they return decides what is written. */
static int bump(struct store_subscriber *sub, void *arg)
{
	(void)arg;
	sub->pub.sqn.seq++;
	return 0;
}

static int bump_then(struct store_subscriber *sub, void *arg)
{
	sub->pub.sqn.seq++;
	return *(int *)arg;
}

static int break_ind(struct store_subscriber *sub, void *arg)
{
	(void)arg;
	sub->pub.sqn.ind = 1u << sub->pub.sqn.ind_bits;
	return 0;
}

static uint64_t stored_seq(struct store *store)
{
	struct store_subscriber sub;
	uint64_t seq = UINT64_MAX;

	if (store_subscriber_get(store, TEST_IMSI, &sub) == 0)
		seq = sub.pub.sqn.seq;
	store_subscriber_wipe(&sub);
	return seq;
}

static void test_sqn_update(struct store *store)
{
	struct store_subscriber sub;
	uint64_t before = stored_seq(store);
	int ret, value;

	ret = store_subscriber_sqn_update(store, TEST_IMPI, bump, NULL, &sub);
	ok(ret == 0 && sub.pub.sqn.seq == before + 1 &&
	   stored_seq(store) == before + 1,
	   "sqn update: written and returned");
	store_subscriber_wipe(&sub);

	value = 1;
	ret = store_subscriber_sqn_update(store, TEST_IMSI, bump_then, &value,
					  &sub);
	store_subscriber_wipe(&sub);
	ok(ret == 1 && stored_seq(store) == before + 1,
	   "sqn update: a positive return writes nothing");
	value = -EIO;
	ret = store_subscriber_sqn_update(store, TEST_IMSI, bump_then, &value,
					  &sub);
	store_subscriber_wipe(&sub);
	ok(ret == -EIO && stored_seq(store) == before + 1,
	   "sqn update: an error rolls back");
	ret = store_subscriber_sqn_update(store, TEST_IMSI, break_ind, NULL,
					  &sub);
	store_subscriber_wipe(&sub);
	ok(ret == -EINVAL && stored_seq(store) == before + 1,
	   "sqn update: a state out of range is refused, nothing written");
	ret = store_subscriber_sqn_update(store, "999990000000000", bump, NULL,
					  &sub);
	store_subscriber_wipe(&sub);
	ok(ret == -ENOENT, "sqn update: unknown subscriber is -ENOENT");
}

static void fill_session(struct store_session *session, const char *btid,
			 int64_t created, int64_t expires, uint8_t fill)
{
	memset(session, 0, sizeof(*session));
	snprintf(session->pub.btid, sizeof(session->pub.btid), "%s", btid);
	strcpy(session->pub.impi, TEST_IMPI);
	memset(session->pub.rand, fill, sizeof(session->pub.rand));
	memset(session->ks, fill ^ 0xff, sizeof(session->ks));
	session->pub.created = created;
	session->pub.expires = expires;
}

static void test_sessions(struct store *store)
{
	struct store_session a, b, got;
	int ret;

	fill_session(&a, "AAAAAAAAAAAAAAAAAAAAAA==@bsf.home1.net", 1000, 2000,
		     0x11);
	fill_session(&b, "BBBBBBBBBBBBBBBBBBBBBB==@bsf.home1.net", 1500, 5000,
		     0x22);
	a.pub.flags = STORE_SESSION_GBA_U;
	strcpy(a.pub.uss, "[{\"naf\":\"naf1.home1.net\",\"flags\":[1]}]");
	ok(store_session_add(store, &a) == 0 && store_session_add(store, &b) == 0,
	   "session: two added, one with GBA_U and a USS");
	ok(store_session_add(store, &a) == -EEXIST,
	   "session: same B-TID again is -EEXIST");
	a.pub.expires = a.pub.created;
	ok(store_session_add(store, &a) == -EINVAL,
	   "session: expiry not after creation is -EINVAL");
	a.pub.expires = 2000;
	a.pub.flags = 0x80;
	ok(store_session_add(store, &a) == -EINVAL,
	   "session: an unknown flag is -EINVAL");
	a.pub.flags = STORE_SESSION_GBA_U;
	strcpy(a.pub.uss, "{\"naf\": \"naf1.home1.net\"}");
	ok(store_session_add(store, &a) == -EINVAL,
	   "session: a USS that is not one is -EINVAL");
	strcpy(a.pub.uss, "[{\"naf\":\"naf1.home1.net\",\"flags\":[1]}]");

	ret = store_session_get(store, a.pub.btid, 1999, &got);
	ok(ret == 0 && !memcmp(&got, &a, sizeof(got)),
	   "session: by B-TID, every field as added (Ks, flags, USS included)");
	store_session_wipe(&got);
	ret = store_session_get(store, a.pub.btid, 2000, &got);
	ok(ret == -EKEYEXPIRED && got.ks[0] == 0,
	   "session: at its expiry it is -EKEYEXPIRED, no Ks given");
	ret = store_session_get(store, "CCCCCCCCCCCCCCCCCCCCCC==@bsf.home1.net",
				1000, &got);
	ok(ret == -ENOENT, "session: unknown B-TID is -ENOENT");

	ret = store_session_latest(store, TEST_IMPI, 1800, &got);
	ok(ret == 0 && !strcmp(got.pub.btid, b.pub.btid),
	   "session: the latest of an IMPI");
	store_session_wipe(&got);
	ret = store_session_latest(store, TEST_IMPI, 5000, &got);
	ok(ret == -ENOENT, "session: no latest once all expired");

	ok(store_session_list(store, NULL, NULL) == 2, "session: list counts 2");
	ok(store_session_purge(store, 2000) == 1,
	   "session: purge removes the one expired");
	ok(store_session_get(store, a.pub.btid, 0, &got) == -ENOENT,
	   "session: purged is gone");
	store_session_wipe(&a);
	store_session_wipe(&b);
}

/* The whole suite, on an empty store. */
static inline void store_suite_run(struct store *store)
{
	test_subscribers(store);
	test_list_remove(store);
	test_sqn_update(store);
	test_sessions(store);
}

#endif /* E2M_STORE_SUITE_H */
