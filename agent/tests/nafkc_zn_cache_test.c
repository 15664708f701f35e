// SPDX-License-Identifier: GPL-2.0
/*
 * The Key Centre's Zn cache (daemon/nafkc/nafkc_zn_cache.c) with a clock
 * of its own: what is kept comes back whole for its (B-TID, NAF_Id) only,
 * never at or past its expiry, not as a GBA_U answer when it is not one, a full cache forgets exactly its oldest
 * entry, a second answer replaces the first, and a cache of 0 entries
 * keeps nothing. Each count is checked exactly.
 */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "daemon/nafkc/nafkc_zn_cache.h"

#define NOW	1800000000LL
#define BTID_A	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define BTID_B	"AAAAAAAAAAAAAAAAAAAAAA==@bsf.home1.net"
#define BTID_C	"BBBBBBBBBBBBBBBBBBBBBB==@bsf.home1.net"
#define USS	"{\"naf\":\"nafkc.test\",\"flags\":[1]}"

/* "nafkc.test" || FF 00 00 00 01, and || 01 00 00 00 07. */
static const uint8_t kc_naf[] = "nafkc.test\xff\x00\x00\x00\x01";
static const uint8_t tls_naf[] = "nafkc.test\x01\x00\x00\x00\x07";
#define NAF_LEN	15

static struct zn_key_response answer(const char *btid, uint8_t fill,
				     int64_t expires)
{
	struct zn_key_response zn;

	memset(&zn, 0, sizeof(zn));
	strcpy(zn.btid, btid);
	strcpy(zn.impi, "user1@home1.net");
	memset(zn.ks_ext_naf, fill, sizeof(zn.ks_ext_naf));
	zn.expires = expires;
	strcpy(zn.uss, USS);
	return zn;
}

static bool stats_are(const struct nafkc_zn_cache *c, unsigned long long hits,
		      unsigned long long misses, unsigned long long evictions,
		      unsigned long long expired, size_t entries)
{
	struct nafkc_zn_cache_stats s;

	nafkc_zn_cache_stats(c, &s);
	if (s.hits == hits && s.misses == misses &&
	    s.evictions == evictions && s.expired == expired &&
	    s.entries == entries)
		return true;
	printf("#   hits %llu misses %llu evictions %llu expired %llu entries %zu\n",
	       s.hits, s.misses, s.evictions, s.expired, s.entries);
	return false;
}

/* Whether (btid, naf) is kept with the key of fill. */
static bool kept(struct nafkc_zn_cache *c, const char *btid,
		 const uint8_t *naf, uint8_t fill, int64_t now)
{
	struct zn_key_response zn;
	uint8_t want[GBA_KEY_LEN];

	memset(want, fill, sizeof(want));
	return !nafkc_zn_cache_get(c, btid, naf, NAF_LEN, false, now, &zn) &&
	       !memcmp(zn.ks_ext_naf, want, sizeof(want));
}

static void test_off(void)
{
	struct nafkc_zn_cache *c = (void *)1;
	struct zn_key_response zn = answer(BTID_A, 0x11, NOW + 60), out;

	ok(!nafkc_zn_cache_new(&c, 0) && !c, "zn-cache 0: no cache (NULL)");
	ok(!nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &zn, NOW),
	   "no cache: a put keeps nothing, and is no error");
	ok(nafkc_zn_cache_get(c, BTID_A, kc_naf, NAF_LEN, false, NOW, &out) == -ENOENT,
	   "no cache: every lookup misses (-ENOENT): every request pulls");
	ok(stats_are(c, 0, 0, 0, 0, 0), "no cache: every count 0");
	nafkc_zn_cache_free(c);
}

static void test_kept(void)
{
	struct nafkc_zn_cache *c;
	struct zn_key_response zn = answer(BTID_A, 0x11, NOW + 60), out;

	zn.gba_u = true;
	memset(zn.ks_int_naf, 0x22, sizeof(zn.ks_int_naf));
	ok(!nafkc_zn_cache_new(&c, 4) && c, "a cache of 4 entries");
	ok(!nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &zn, NOW) &&
	   stats_are(c, 0, 0, 0, 0, 1), "an answer kept: 1 entry");
	memset(&out, 0x5a, sizeof(out));
	ok(!nafkc_zn_cache_get(c, BTID_A, kc_naf, NAF_LEN, false, NOW + 59, &out) &&
	   !strcmp(out.btid, BTID_A) && out.expires == NOW + 60 &&
	   out.gba_u && !strcmp(out.uss, USS) &&
	   !memcmp(out.ks_ext_naf, zn.ks_ext_naf, GBA_KEY_LEN),
	   "found a second before its expiry: the B-TID, key, expiry, GBA_U and USS");
	ok(!out.impi[0] && !out.ks_int_naf[0] && !out.ks_int_naf[31],
	   "... and nothing else (no IMPI, no Ks_int_NAF: never kept)");
	ok(stats_are(c, 1, 0, 0, 0, 1), "1 hit");
	ok(nafkc_zn_cache_get(c, BTID_A, tls_naf, NAF_LEN, false, NOW, &out) == -ENOENT &&
	   nafkc_zn_cache_get(c, BTID_B, kc_naf, NAF_LEN, false, NOW, &out) == -ENOENT &&
	   nafkc_zn_cache_get(c, BTID_A, kc_naf, NAF_LEN - 1, false, NOW, &out) == -ENOENT,
	   "another NAF_Id, another B-TID, a NAF_Id cut short: each a miss");
	ok(stats_are(c, 1, 3, 0, 0, 1), "1 hit, 3 misses");
	ok(!nafkc_zn_cache_get(c, BTID_A, kc_naf, NAF_LEN, true, NOW, &out) &&
	   out.gba_u && stats_are(c, 2, 3, 0, 0, 1),
	   "a GBA_U answer wanted (a -uicc identity), a GBA_U one kept: a hit");

	zn.gba_u = false;
	zn.uss[0] = '\0';
	memset(zn.ks_ext_naf, 0x33, sizeof(zn.ks_ext_naf));
	ok(!nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &zn, NOW) &&
	   stats_are(c, 2, 3, 0, 0, 1),
	   "a second answer for the same B-TID and NAF_Id: still 1 entry");
	ok(!nafkc_zn_cache_get(c, BTID_A, kc_naf, NAF_LEN, false, NOW, &out) &&
	   out.ks_ext_naf[0] == 0x33 && !out.gba_u && !out.uss[0],
	   "... it replaced the first (its key, no USS, not GBA_U)");
	ok(nafkc_zn_cache_get(c, BTID_A, kc_naf, NAF_LEN, true, NOW, &out) ==
	   -ENOENT && stats_are(c, 3, 4, 0, 0, 1),
	   "a GBA_U answer wanted, one not marked GBA_U kept: a miss (the BSF is asked), the entry stays");

	ok(nafkc_zn_cache_get(c, BTID_A, kc_naf, NAF_LEN, false, NOW + 60, &out) ==
	   -ENOENT, "at its expiry: a miss, though it was kept");
	ok(stats_are(c, 3, 5, 0, 1, 0), "... dropped: 1 expired, 0 entries");
	ok(nafkc_zn_cache_get(c, BTID_A, kc_naf, NAF_LEN, false, NOW, &out) == -ENOENT,
	   "... and gone for good (a clock set back finds nothing)");

	zn = answer(BTID_A, 0x44, NOW);
	ok(nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &zn, NOW) == -ESTALE &&
	   stats_are(c, 3, 6, 0, 1, 0),
	   "an answer that expires now is not kept (-ESTALE)");
	ok(nafkc_zn_cache_put(c, kc_naf, ZN_NAF_ID_MAX + 1, &zn, NOW - 1) ==
	   -EINVAL, "a NAF_Id too long: -EINVAL");
	nafkc_zn_cache_free(c);
}

static void test_full(void)
{
	struct nafkc_zn_cache *c;
	struct zn_key_response a = answer(BTID_A, 0xa1, NOW + 60);
	struct zn_key_response b = answer(BTID_B, 0xb1, NOW + 60);
	struct zn_key_response cc = answer(BTID_C, 0xc1, NOW + 60);

	ok(!nafkc_zn_cache_new(&c, 1), "a cache of 1 entry");
	ok(!nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &a, NOW) &&
	   !nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &b, NOW) &&
	   stats_are(c, 0, 0, 1, 0, 1),
	   "two B-TIDs in a cache of 1: 1 eviction, 1 entry");
	ok(!kept(c, BTID_A, kc_naf, 0xa1, NOW) && kept(c, BTID_B, kc_naf, 0xb1, NOW),
	   "the oldest (A) forgotten, the newest (B) kept");
	nafkc_zn_cache_free(c);

	ok(!nafkc_zn_cache_new(&c, 2), "a cache of 2 entries");
	ok(!nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &a, NOW) &&
	   !nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &b, NOW) &&
	   kept(c, BTID_A, kc_naf, 0xa1, NOW) &&
	   !nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &cc, NOW) &&
	   stats_are(c, 1, 0, 1, 0, 2),
	   "A, B, then C: 1 eviction (a hit on A does not make it younger)");
	ok(!kept(c, BTID_A, kc_naf, 0xa1, NOW) &&
	   kept(c, BTID_B, kc_naf, 0xb1, NOW) &&
	   kept(c, BTID_C, kc_naf, 0xc1, NOW),
	   "exactly the oldest inserted (A) forgotten; B and C kept");
	a.expires = NOW + 10;
	ok(!nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &a, NOW) &&
	   !kept(c, BTID_B, kc_naf, 0xb1, NOW) &&
	   kept(c, BTID_C, kc_naf, 0xc1, NOW) &&
	   kept(c, BTID_A, kc_naf, 0xa1, NOW),
	   "A again: now B, the oldest, goes");
	ok(nafkc_zn_cache_expire(c, NOW + 10) == 1 &&
	   stats_are(c, 5, 2, 2, 1, 1) && kept(c, BTID_C, kc_naf, 0xc1, NOW),
	   "expire at A's expiry: exactly A dropped, C kept");
	ok(nafkc_zn_cache_expire(c, NOW + 60) == 1 && stats_are(c, 6, 2, 2, 2, 0),
	   "expire at C's expiry: C dropped, the cache empty");
	ok(!nafkc_zn_cache_put(c, kc_naf, NAF_LEN, &a, NOW) &&
	   !nafkc_zn_cache_put(c, tls_naf, NAF_LEN, &a, NOW) &&
	   kept(c, BTID_A, kc_naf, 0xa1, NOW) && kept(c, BTID_A, tls_naf, 0xa1, NOW),
	   "one B-TID under two NAF_Ids: two entries, each found");
	nafkc_zn_cache_free(c);	/* with entries: ASan finds no leak */
}

int main(void)
{
	test_off();
	test_kept();
	test_full();
	return done_testing();
}
