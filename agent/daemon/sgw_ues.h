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
 * address and its KSI sequence, which is what a re-attach needs.
 */
#ifndef E2MD_SGW_UES_H
#define E2MD_SGW_UES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "best/attach_msg.h"
#include "config.h"

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
 * first use; 0 and -ENOSPC when the pool is exhausted.
 */
int sgw_ue_inner_ipv4(struct sgw_ues *ues, struct sgw_ue *ue, uint32_t *addr);

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

#endif /* E2MD_SGW_UES_H */
