/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the SGW keeps per IMSI, in memory (Documentation/best.md): the KSI
 * of its last AKA run, its inner IPv4 address (from roles.sgw.inner-ipv4-
 * pool, the same on every attach), and, once attached, its PDP context:
 * the HSE's TEID and the UE's GTP-U endpoint. The HSE TEIDs are random,
 * non-zero and unique among the IMSIs; a TEID is held from the moment it
 * is picked, so two attaches at once never get the same one.
 *
 * Entries are never dropped while the daemon runs: an IMSI keeps its
 * address and its KSI sequence, which is what a re-attach needs. This
 * file is memory only; what of an entry outlives a restart (a struct
 * sgw_ue_record) is written to the store and read back at start by
 * sgw_persist.h, which is the only user of sgw_ue_set(), sgw_ue_forget()
 * and sgw_ues_restore().
 */
#ifndef E2MD_SGW_UES_H
#define E2MD_SGW_UES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/best/attach_msg.h"
#include "daemon/config.h"

#define SGW_UES_MAX	(1u << 20)	/* IMSIs remembered at most */
#define SGW_KSI_NONE	0xff

struct sgw_ues;

struct sgw_ue {
	char imsi[BEST_IMSI_SIZE];
	uint8_t last_ksi;		/* SGW_KSI_NONE before the first run */
	uint32_t inner_ipv4;		/* host order, 0 before the first */
	uint32_t hse_teid;		/* 0: none held */
	bool attached;			/* hse_teid and ue are a live context */
	struct attach_gtpu ue;		/* the UE's endpoint, when attached */
	bool busy;			/* a triplet for it is in flight */
	/* The table's links. */
	struct sgw_ue *imsi_chain, *teid_chain;
};

/* 0 or -ENOMEM. The pool is copied. */
int sgw_ues_new(struct sgw_ues **ues, const struct config_ipv4_pool *pool);
void sgw_ues_free(struct sgw_ues *ues);

/* The entry of imsi, made when there is none: NULL when out of room. */
struct sgw_ue *sgw_ue_get(struct sgw_ues *ues, const char *imsi);
/* The entry, or NULL. */
struct sgw_ue *sgw_ue_find(struct sgw_ues *ues, const char *imsi);

/* The next KSI of the IMSI (0, then the previous + 1 mod 7), taken. */
uint8_t sgw_ue_next_ksi(struct sgw_ue *ue);

/*
 * The IMSI's inner IPv4 address (host order), allocated from the pool on
 * first use (the next from the cursor that no entry holds and that
 * sgw_ues_address_elsewhere() did not name); 0 and -ENOSPC when the pool
 * is exhausted.
 */
int sgw_ue_inner_ipv4(struct sgw_ues *ues, struct sgw_ue *ue, uint32_t *addr);

/*
 * The store refused addr for an entry here: another instance's UE holds
 * it (where instances share the store, each hands out the pool with a
 * cursor of its own). It is not offered again, and the cursor moves to
 * the middle of the longest run of addresses free as far as this
 * instance knows: two instances that met on one address go on from
 * there far apart, rather than each taking the next the other just
 * took. Nothing done for an address outside the pool's hosts.
 */
void sgw_ues_address_elsewhere(struct sgw_ues *ues, uint32_t addr);

/*
 * Holds a fresh random HSE TEID for ue (non-zero, unique), releasing the
 * one it held. 0, or -EIO (no randomness).
 */
int sgw_ue_new_teid(struct sgw_ues *ues, struct sgw_ue *ue);
/* Releases the TEID the entry holds, and its context. */
void sgw_ue_detach(struct sgw_ues *ues, struct sgw_ue *ue);

size_t sgw_ues_count(const struct sgw_ues *ues);
size_t sgw_ues_attached(const struct sgw_ues *ues);
/* Marks the entry attached with the UE's endpoint (or not). */
void sgw_ue_set_attached(struct sgw_ues *ues, struct sgw_ue *ue,
			 const struct attach_gtpu *gtpu);

/*
 * What of an entry outlives the daemon: all but busy and the links. A
 * record is how the store has an entry, and how a caller remembers one
 * it may have to set back.
 */
struct sgw_ue_record {
	char imsi[BEST_IMSI_SIZE];
	uint8_t last_ksi;		/* SGW_KSI_NONE, or 0 to 6 */
	uint32_t inner_ipv4;		/* host order, 0: none */
	uint32_t hse_teid;		/* 0: none held */
	bool attached;
	struct attach_gtpu ue;		/* zero when not attached */
};

void sgw_ue_record(const struct sgw_ue *ue, struct sgw_ue_record *rec);

/*
 * Sets ue to rec (its IMSI aside), giving back the address and TEID it
 * held that rec does not name. 0, or, changing nothing: -EINVAL for a
 * KSI that is no Key ID, an address not among the pool's hosts, a
 * context without TEID, address or UE TEID; -EEXIST when the address or
 * the TEID is another entry's.
 */
int sgw_ue_set(struct sgw_ues *ues, struct sgw_ue *ue,
	       const struct sgw_ue_record *rec);

/* Drops the entry, its address and TEID given back. */
void sgw_ue_forget(struct sgw_ues *ues, struct sgw_ue *ue);

/*
 * At start, an entry as the store had it. An address outside the pool
 * (roles.sgw.inner-ipv4-pool changed since) is dropped, and the context
 * that used it: the KSI sequence goes on, *dropped says so. 0, or,
 * changing nothing: -EEXIST for an IMSI restored already, or an address
 * or a TEID another entry holds; -EINVAL as sgw_ue_set(); -ENOMEM.
 */
int sgw_ues_restore(struct sgw_ues *ues, const struct sgw_ue_record *rec,
		    bool *dropped);

#endif /* E2MD_SGW_UES_H */
