/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The same pool for every SGW instance of a store. An inner address is
 * one IMSI's in the whole store (schema 17's unique index), and each
 * instance hands addresses out of roles.sgw.inner-ipv4-pool and drops,
 * at its start, every row's address outside it: two instances with two
 * pools would drop each other's UEs' addresses at each start, and hand
 * out addresses the other's HSE routes elsewhere. So the pool is
 * recorded in the store (meta 'sgw_pool', store_sgw_pool_get()) by the
 * first SGW that starts on it, and every later start compares its own.
 *
 * The HSE TEIDs need no record: every instance draws them at random
 * from the one space of non-zero 32-bit values, and the store keeps
 * each one IMSI's (schema 17).
 *
 * Where no other instance shares the store (SQLite: store_shared()), a
 * start with another pool is the operator's change of it, as it always
 * was: the record follows (event=pool-changed), and the restore drops
 * the addresses outside the new pool (sgw_persist.h). Where instances
 * share it, such a start is refused before anything is written; the
 * pool changes with every SGW instance stopped, its record deleted
 * (Documentation/deploy.md), and the first start with the new pool.
 */
#ifndef E2MD_SGW_POOL_H
#define E2MD_SGW_POOL_H

#include "daemon/config.h"
#include "store/store.h"

/*
 * At start, before the UEs are read: 0 when the store records pool (or
 * recorded nothing, and now does), or, on a store no other instance
 * shares, records it in place of another; -EEXIST when a shared store
 * records another pool (nothing written); -errno of the store. Each
 * failure logged (event=start-failed), naming both pools.
 */
int sgw_pool_claim(struct store *store, const struct config_ipv4_pool *pool);

/* The pool's text as the store records it: "NETWORK/PREFIX". */
void sgw_pool_text(const struct config_ipv4_pool *pool,
		   char text[STORE_SGW_POOL_SIZE]);

#endif /* E2MD_SGW_POOL_H */
