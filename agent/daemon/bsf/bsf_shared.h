/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF's challenges where several BSF processes share the store:
 * instances on one PostgreSQL database (store_shared()), or the workers
 * of one e2md (workers: N > 1, daemon/workers.h) on its store of either
 * engine; one e2md of one process keeps them in memory only (no write a
 * challenge). Each challenge made is written to the
 * store as well as to the instance's own table (bsf_challenges.h, which
 * still makes its nonce and opaque value and bounds how many one
 * instance holds), and the store decides from then on: an answer takes
 * its challenge from the store (store_challenge_take(): once, whichever
 * instance the answer reaches), and a first request gets its IMPI's
 * pending challenge again from the store, whichever instance made it.
 * Decoys go there too, so that an answer to one at another instance is
 * refused as a real one's is.
 *
 * A challenge read from the store is detached: owner NULL, in no table;
 * bsf_shared_free() wipes and frees it.
 */
#ifndef E2MD_BSF_SHARED_H
#define E2MD_BSF_SHARED_H

#include "role_bsf.h"

/*
 * Whether this BSF's challenges go through the store (and its IMPI
 * windows ask it, bsf_limits.h). workers is a restart key: this does not
 * change while the role runs.
 */
bool bsf_shared(const struct bsf *bsf);

/* c, just made, into the store, expiring with it: 0 or the store's error. */
int bsf_shared_put(struct bsf *bsf, const struct bsf_challenge *c);

/*
 * The challenge of nonce, taken (spent in the store): 0 and *out
 * (detached, with its secrets), -EALREADY (answered already, at any
 * instance), -ENOENT (none, or expired), or the store's error.
 */
int bsf_shared_take(struct bsf *bsf, const char *nonce,
		    struct bsf_challenge **out);

/*
 * The newest pending challenge of impi with min_left_ms of its lifetime
 * left, made at any instance, without secrets (detached), or NULL.
 */
struct bsf_challenge *bsf_shared_pending(struct bsf *bsf, const char *impi,
					 uint64_t min_left_ms);

void bsf_shared_free(struct bsf_challenge *c);

/* The expired ones removed from the store: how many, or an error. */
int bsf_shared_purge(struct bsf *bsf);

#endif /* E2MD_BSF_SHARED_H */
