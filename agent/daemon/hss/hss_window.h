/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSS's window of e2m key sets (Documentation/best.md step 0, the
 * seed's NOTE 1: the HSS keeps the keys a short while). In memory only,
 * never on disk: a key set lives from the AV request that made it until
 * its expiry (hss.e2m.window seconds), and an HSE may pull it, by (IMSI,
 * RAND) or by (IMSI, SQN), as often as it likes in between. Only the key
 * set is kept (K_enc, K_int and their algorithms), never CK, IK or K_e2m.
 *
 * Lookups are O(log n) (two balanced trees, tsearch(3)); entries are also
 * on a list in order of expiry, so purging and eviction are O(1) an
 * entry. The window holds at most `capacity` key sets: adding one more
 * evicts the one closest to its expiry (the oldest, whose AKA run is the
 * most likely to be over), so a burst of attaches never refuses a fresh
 * vector; hss_window_add() says when it evicted. A key set is wiped the
 * moment it leaves: purged, evicted, replaced, or at hss_window_free().
 *
 * Times are the caller's clock in any unit (the HSS passes monotonic
 * milliseconds); an entry is gone once now >= its expiry, purged yet or
 * not. Not thread-safe: the HSS runs on one loop.
 */
#ifndef E2MD_HSS_WINDOW_H
#define E2MD_HSS_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/best/keyset_msg.h"

/* The bound the HSS runs with. */
#define HSS_WINDOW_CAPACITY	65536

struct hss_window;

/* NULL when out of memory; capacity at least 1. */
struct hss_window *hss_window_new(size_t capacity);

/* Wipes and frees every key set, then the window. NULL is fine. */
void hss_window_free(struct hss_window *window);

/*
 * Keeps ks (copied; its window_expires is what a pull will say) until
 * now >= expires. A key set of the same IMSI and RAND, or of the same
 * IMSI and SQN, is replaced. 0 or -ENOMEM (nothing kept); *evicted
 * (may be NULL) is set when a live key set had to go to make room.
 */
int hss_window_add(struct hss_window *window,
		   const struct keyset_response *ks, int64_t expires,
		   int64_t now, bool *evicted);

/*
 * The key set the request names, copied into out (wipe it), or -ENOENT
 * when there is none or its time is over.
 */
int hss_window_find(struct hss_window *window,
		    const struct keyset_request *req, int64_t now,
		    struct keyset_response *out);

/* Drops (wiping) every key set whose time is over; returns how many. */
size_t hss_window_purge(struct hss_window *window, int64_t now);

/* Key sets held, including any past their time and not yet purged. */
size_t hss_window_count(const struct hss_window *window);

#endif /* E2MD_HSS_WINDOW_H */
