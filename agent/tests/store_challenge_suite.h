/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF's Ub challenges (store.h) as every engine keeps them, with the
 * same exact expectations (pg_challenges.c, sqlite_challenges.c): exact
 * round trip, single use, the secret sealed at its place and wiped once
 * spent, a bound column changed refused with nothing spent, pending and
 * purge, and CH_RACE_PROCS processes, each with its own handle, taking
 * the same CH_RACE_NONCES nonces at once: exactly one take of each.
 * store_test.c runs it on SQLite, store_pg_test.c on PostgreSQL; each
 * defines first, with its store key in key:
 *
 *	struct store *ch_reopen(void)	another handle on the same store
 *	bool ch_exec(const char *sql)	SQL behind the store's back
 *	int ch_rows(const char *sql)	the rows a SELECT finds, or -1
 *	int ch_blob(const char *sql, uint8_t *out, size_t size)
 *					the first row's first column, a
 *					BLOB: its length, or -1
 */
#ifndef E2M_STORE_CHALLENGE_SUITE_H
#define E2M_STORE_CHALLENGE_SUITE_H

#define CH_RACE_PROCS	8
#define CH_RACE_NONCES	40
#define CH_IMPI		"ch@home1.net"
#define CH_NOW		1000000000000LL		/* ms */
#define CH_SECRET_HEX	"000102030405060708090a0b0c0d0e0f1011121314151617" \
			"18191a1b1c1d1e1f2021222324252627"

/* A challenge of nonce n-<i>, expiring at expires_ms. */
static void challenge_of(struct store_challenge *c, int i, int64_t expires_ms)
{
	size_t k;

	memset(c, 0, sizeof(*c));
	snprintf(c->pub.nonce, sizeof(c->pub.nonce), "nonce-%d", i);
	snprintf(c->pub.opaque, sizeof(c->pub.opaque), "opaque-%d", i);
	strcpy(c->pub.impi, CH_IMPI);
	memset(c->pub.rand, 0xa0 + (i & 0xf), sizeof(c->pub.rand));
	c->pub.flags = STORE_CHALLENGE_GBA_U;
	c->pub.expires_ms = expires_ms;
	strcpy(c->pub.uss, "");
	for (k = 0; k < sizeof(c->secret); k++)
		c->secret[k] = (uint8_t)k;
}

static void test_challenge_round_trip(struct store *store)
{
	struct store_challenge c, got;
	int ret;

	challenge_of(&c, 1, CH_NOW + 30000);
	ok(store_challenge_add(store, &c) == 0, "challenge: one added");
	ok(store_challenge_add(store, &c) == -EEXIST,
	   "challenge: the same nonce again: -EEXIST");
	ret = store_challenge_take(store, "nonce-1", CH_NOW, &got);
	ok(ret == 0 && !strcmp(got.pub.nonce, "nonce-1") &&
	   !strcmp(got.pub.opaque, "opaque-1") &&
	   !strcmp(got.pub.impi, CH_IMPI) && got.pub.rand[15] == 0xa1 &&
	   got.pub.flags == STORE_CHALLENGE_GBA_U &&
	   got.pub.expires_ms == CH_NOW + 30000 && got.pub.uss[0] == '\0',
	   "challenge: taken once, every column as added (ret %d)", ret);
	is_hex(got.secret, sizeof(got.secret), CH_SECRET_HEX,
	       "challenge: XRES || CK || IK as added");
	ret = store_challenge_take(store, "nonce-1", CH_NOW, &got);
	ok(ret == -EALREADY && got.secret[1] == 0 &&
	   !strcmp(store_errmsg(store), "challenge already answered"),
	   "challenge: taken again: -EALREADY, no secret (ret %d: %s)", ret,
	   store_errmsg(store));
	ok(store_challenge_take(store, "nonce-9", CH_NOW, &got) == -ENOENT,
	   "challenge: a nonce never added: -ENOENT");
	challenge_of(&c, 2, CH_NOW + 30000);
	ok(store_challenge_add(store, &c) == 0 &&
	   store_challenge_take(store, "nonce-2", CH_NOW + 30000, &got) ==
	   -ENOENT &&
	   store_challenge_take(store, "nonce-2", CH_NOW + 29999, &got) == 0,
	   "challenge: expired at its expires_ms: -ENOENT, and not spent"
	   " by that");
	c.pub.flags = 4;
	strcpy(c.pub.nonce, "nonce-3");
	ok(store_challenge_add(store, &c) == -EINVAL &&
	   store_challenge_take(store, "nonce-3", CH_NOW, &got) == -ENOENT,
	   "challenge: a flag it does not know: -EINVAL, nothing added");
	store_challenge_wipe(&got);
}

/* The row behind the store's back: sealed, then NULL once spent. */
static void test_challenge_sealed(struct store *store)
{
	struct seal_field bound[SEAL_CHALLENGE_FIELDS];
	struct seal_place place;
	struct store_challenge c, got;
	uint8_t secret[STORE_CHALLENGE_SECRET_LEN], blob[SEAL_BLOB_MAX];
	int len, ret = -1;

	challenge_of(&c, 4, CH_NOW + 30000);
	store_challenge_add(store, &c);
	len = ch_blob("SELECT secret FROM bsf_challenges"
		      " WHERE nonce = 'nonce-4'", blob, sizeof(blob));
	if (len == SEAL_OVERHEAD + 40) {
		seal_challenge_fields(&c.pub, bound);
		place = seal_challenge_place(&c.pub, bound);
		ret = unseal_secret(&key, &place, blob, (size_t)len, secret,
				    sizeof(secret));
	}
	ok(ret == 0 && !memcmp(secret, c.secret, sizeof(secret)),
	   "challenge sealed: 69 octets that open at bsf_challenges/nonce/"
	   "secret with its bound fields (%d octets)", len);
	ch_exec("UPDATE bsf_challenges SET impi = 'other@home1.net'"
		" WHERE nonce = 'nonce-4'");
	ret = store_challenge_take(store, "nonce-4", CH_NOW, &got);
	ok(ret == -EKEYREJECTED &&
	   ch_rows("SELECT spent FROM bsf_challenges WHERE nonce = 'nonce-4'"
		   " AND spent = 0 AND secret IS NOT NULL") == 1,
	   "challenge sealed: its IMPI changed behind its back:"
	   " -EKEYREJECTED, not spent (ret %d)", ret);
	ch_exec("UPDATE bsf_challenges SET impi = '" CH_IMPI "'"
		" WHERE nonce = 'nonce-4'");
	ret = store_challenge_take(store, "nonce-4", CH_NOW, &got);
	ok(ret == 0 &&
	   ch_rows("SELECT spent FROM bsf_challenges WHERE nonce = 'nonce-4'"
		   " AND spent = 1 AND secret IS NULL") == 1,
	   "challenge sealed: taken, the row keeps spent = 1 and no secret");
	ch_exec("UPDATE bsf_challenges SET spent = 0 WHERE nonce = 'nonce-4'");
	ret = store_challenge_take(store, "nonce-4", CH_NOW, &got);
	ok(ret == -EUCLEAN && got.secret[0] == 0,
	   "challenge sealed: spent set back behind its back: no secret to"
	   " answer with, -EUCLEAN (ret %d)", ret);
	store_challenge_wipe(&got);
}

static void test_challenge_pending_purge(struct store *store)
{
	struct store_challenge_info info;
	struct store_challenge c, got;
	int ret;

	ch_exec("DELETE FROM bsf_challenges");
	challenge_of(&c, 5, CH_NOW + 10000);
	store_challenge_add(store, &c);
	challenge_of(&c, 6, CH_NOW + 20000);
	c.pub.flags = STORE_CHALLENGE_DECOY;
	store_challenge_add(store, &c);
	ret = store_challenge_pending(store, CH_IMPI, CH_NOW + 15000, &info);
	ok(ret == 0 && !strcmp(info.nonce, "nonce-6") &&
	   info.flags == STORE_CHALLENGE_DECOY,
	   "pending: the IMPI's newest with the time left asked (ret %d)",
	   ret);
	store_challenge_take(store, "nonce-6", CH_NOW, &got);
	ret = store_challenge_pending(store, CH_IMPI, CH_NOW, &info);
	ok(ret == 0 && !strcmp(info.nonce, "nonce-5"),
	   "pending: the newest taken, the older one (ret %d)", ret);
	ok(store_challenge_pending(store, CH_IMPI, CH_NOW + 15000, &info) ==
	   -ENOENT &&
	   store_challenge_pending(store, "x@home1.net", CH_NOW, &info) ==
	   -ENOENT,
	   "pending: none with that much time left, none of another IMPI");
	ret = store_challenge_purge(store, CH_NOW + 10000);
	ok(ret == 1 && store_challenge_take(store, "nonce-6", CH_NOW, &got) ==
	   -EALREADY,
	   "purge: the one expired removed, the spent one kept (ret %d)",
	   ret);
	ok(store_challenge_purge(store, CH_NOW + 20000) == 1 &&
	   store_challenge_take(store, "nonce-6", CH_NOW, &got) == -ENOENT,
	   "purge: at its expiry the spent one goes too");
	store_challenge_wipe(&got);
}

/* A child: takes every nonce in turn, writes (nonce, ret) for each. */
static void __attribute__((noreturn)) take_child(int fd)
{
	struct store *store = ch_reopen();
	struct store_challenge got;
	char nonce[32];
	int32_t out[2];
	int i;

	if (!store)
		_exit(3);
	for (i = 0; i < CH_RACE_NONCES; i++) {
		snprintf(nonce, sizeof(nonce), "race-%d", i);
		out[0] = i;
		out[1] = store_challenge_take(store, nonce, CH_NOW, &got);
		if (write(fd, out, sizeof(out)) != sizeof(out))
			_exit(2);
	}
	store_challenge_wipe(&got);
	store_close(store);
	_exit(0);
}

static void test_challenge_race(struct store *store)
{
	int taken[CH_RACE_NONCES] = { 0 }, refused[CH_RACE_NONCES] = { 0 };
	int fds[2], i, other = 0, failed = 0, status, once = 0;
	struct store_challenge c;
	pid_t pids[CH_RACE_PROCS];
	int32_t in[2];

	for (i = 0; i < CH_RACE_NONCES; i++) {
		challenge_of(&c, i, CH_NOW + 30000);
		snprintf(c.pub.nonce, sizeof(c.pub.nonce), "race-%d", i);
		store_challenge_add(store, &c);
	}
	if (pipe(fds))
		bail("pipe");
	for (i = 0; i < CH_RACE_PROCS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			bail("fork");
		if (pids[i] == 0) {
			close(fds[0]);
			take_child(fds[1]);
		}
	}
	close(fds[1]);
	while (read(fds[0], in, sizeof(in)) == sizeof(in)) {
		if (in[0] < 0 || in[0] >= CH_RACE_NONCES)
			other++;
		else if (in[1] == 0)
			taken[in[0]]++;
		else if (in[1] == -EALREADY)
			refused[in[0]]++;
		else
			other++;
	}
	close(fds[0]);
	for (i = 0; i < CH_RACE_PROCS; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	for (i = 0; i < CH_RACE_NONCES; i++)
		once += taken[i] == 1 && refused[i] == CH_RACE_PROCS - 1;
	ok(!failed && !other && once == CH_RACE_NONCES,
	   "challenge race: %d processes take the same %d nonces at once:"
	   " each taken exactly once, %d times -EALREADY (%d of %d exact)",
	   CH_RACE_PROCS, CH_RACE_NONCES, CH_RACE_PROCS - 1, once,
	   CH_RACE_NONCES);
}

/* 18 tests. */
static void store_challenge_suite_run(struct store *store)
{
	test_challenge_round_trip(store);
	test_challenge_sealed(store);
	test_challenge_pending_purge(store);
	test_challenge_race(store);
}

#endif /* E2M_STORE_CHALLENGE_SUITE_H */
