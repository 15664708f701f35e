/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Key Centre's Zn cache (roles.nafkc.zn-cache): the BSF's Zn answers
 * kept for the bootstrap's key lifetime, so that a device's second
 * request (or a UE's second GBA handshake) for the same B-TID and NAF_Id
 * makes no Zn pull. The BSF gives the NAF the expiry of the bootstrap
 * with the key, and the NAF uses the key until then (TS 24.109 B.2.1,
 * TS 33.220's key lifetime; Documentation/nafkc.md).
 *
 * An entry, keyed by (B-TID, NAF_Id), holds what the request path decides
 * on: Ks_(ext)_NAF, the expiry, whether the bootstrap is GBA_U, and the
 * USS the BSF answered. The callers make every decision they make on a
 * pulled answer on a kept one too, at each request (blocked Device_ID and
 * revocation before the lookup; USS flag, expiry, lifetime after it).
 * Only whole, matching 200 answers are kept; refusals never are.
 *
 * Bounded: at most max entries (nafkc_config.h's zn-cache; 0 is no cache,
 * every request pulls). Full, an insert forgets the oldest inserted
 * entry (an eviction). An entry past its expiry is never given out: the
 * lookup that finds one drops it and reports a miss, and
 * nafkc_zn_cache_expire() drops the rest. Entries live in secure memory
 * (util/secure_alloc.h), wiped when dropped, evicted or freed.
 *
 * Time is the epoch seconds the BSF's expiry is in, given by the caller.
 */
#ifndef E2MD_NAFKC_ZN_CACHE_H
#define E2MD_NAFKC_ZN_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/gba/zn_msg.h"

#define NAFKC_ZN_CACHE_DEFAULT	1024	/* entries */
#define NAFKC_ZN_CACHE_MAX	1048576

struct nafkc_zn_cache;

struct nafkc_zn_cache_stats {
	unsigned long long hits;	/* lookups answered */
	unsigned long long misses;	/* lookups not (expired ones too) */
	unsigned long long evictions;	/* the oldest forgotten, full */
	unsigned long long expired;	/* dropped past their expiry */
	size_t entries, max;
};

/* A cache of max entries: 0 or -ENOMEM; max 0 gives NULL, no cache. */
int nafkc_zn_cache_new(struct nafkc_zn_cache **cache, size_t max);

/* Wipes every entry, then frees. NULL is fine. */
void nafkc_zn_cache_free(struct nafkc_zn_cache *cache);

/*
 * The kept answer for (btid, naf_id) whose expiry is after now, copied
 * into *zn (btid, ks_ext_naf, gba_u, expires, uss; the rest zeroed): 0,
 * or -ENOENT (none, or one past its expiry, then dropped). With gba_u
 * (a GBA_U answer wanted: a -uicc identity) an entry whose answer is not
 * GBA_U is a miss too, and stays: the BSF marks an answer GBA_U only
 * when asked, so the caller asks. A NULL cache always misses and counts
 * nothing.
 */
int nafkc_zn_cache_get(struct nafkc_zn_cache *cache, const char *btid,
		       const uint8_t *naf_id, size_t naf_id_len, bool gba_u,
		       int64_t now, struct zn_key_response *zn);

/*
 * Keeps zn, the BSF's answer for (zn->btid, naf_id), replacing what was
 * kept for them: 0, -EINVAL (a naf_id too long), -ENOMEM, or
 * -ESTALE (zn's expiry is not after now: not kept). A NULL cache keeps
 * nothing and returns 0.
 */
int nafkc_zn_cache_put(struct nafkc_zn_cache *cache, const uint8_t *naf_id,
		       size_t naf_id_len, const struct zn_key_response *zn,
		       int64_t now);

/* Drops every entry whose expiry is not after now; how many. */
size_t nafkc_zn_cache_expire(struct nafkc_zn_cache *cache, int64_t now);

/* The counts since the cache was made; all 0 for a NULL cache. */
void nafkc_zn_cache_stats(const struct nafkc_zn_cache *cache,
			  struct nafkc_zn_cache_stats *stats);

#endif /* E2MD_NAFKC_ZN_CACHE_H */
