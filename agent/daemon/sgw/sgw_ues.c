// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW's per-IMSI state, see sgw_ues.h: two chained hashes (by IMSI,
 * by HSE TEID) and two bitmaps of the pool's addresses (its entries',
 * and those the store said other instances' UEs hold).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "sgw_ues.h"

#define BUCKETS		4096		/* a power of two */

struct sgw_ues {
	struct sgw_ue *by_imsi[BUCKETS];
	struct sgw_ue *by_teid[BUCKETS];
	size_t count;
	size_t attached;
	/* The pool: its first host is the gateway's, the last broadcast. */
	uint32_t network;
	uint32_t hosts;			/* addresses in the prefix */
	uint32_t next;			/* where the search starts */
	uint8_t *used;			/* one bit per address: an entry's */
	uint8_t *elsewhere;		/* one bit per address: not ours */
};

static size_t hash_text(const char *text)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *text; text++) {
		h ^= (uint8_t)*text;
		h *= 0x100000001b3ull;
	}
	return (size_t)(h & (BUCKETS - 1));
}

/* TEIDs are random: their low bits spread well enough. */
static size_t hash_teid(uint32_t teid)
{
	return (size_t)(teid & (BUCKETS - 1));
}

int sgw_ues_new(struct sgw_ues **out, const struct config_ipv4_pool *pool)
{
	struct sgw_ues *ues = calloc(1, sizeof(*ues));

	*out = NULL;
	if (!ues)
		return -ENOMEM;
	ues->network = pool->network;
	ues->hosts = UINT32_C(1) << (32 - pool->prefix);
	ues->next = 2;			/* .0 the network, .1 the gateway */
	ues->used = calloc(ues->hosts / 8 + 1, 1);
	ues->elsewhere = calloc(ues->hosts / 8 + 1, 1);
	if (!ues->used || !ues->elsewhere) {
		free(ues->used);
		free(ues->elsewhere);
		free(ues);
		return -ENOMEM;
	}
	*out = ues;
	return 0;
}

void sgw_ues_free(struct sgw_ues *ues)
{
	struct sgw_ue *ue, *next;
	size_t i;

	if (!ues)
		return;
	for (i = 0; i < BUCKETS; i++) {
		for (ue = ues->by_imsi[i]; ue; ue = next) {
			next = ue->imsi_chain;
			free(ue);
		}
	}
	free(ues->used);
	free(ues->elsewhere);
	free(ues);
}

struct sgw_ue *sgw_ue_find(struct sgw_ues *ues, const char *imsi)
{
	struct sgw_ue *ue = ues->by_imsi[hash_text(imsi)];

	while (ue && strcmp(ue->imsi, imsi))
		ue = ue->imsi_chain;
	return ue;
}

struct sgw_ue *sgw_ue_get(struct sgw_ues *ues, const char *imsi)
{
	struct sgw_ue *ue = sgw_ue_find(ues, imsi);
	size_t b;

	if (ue)
		return ue;
	if (ues->count >= SGW_UES_MAX || strlen(imsi) >= sizeof(ue->imsi))
		return NULL;
	ue = calloc(1, sizeof(*ue));
	if (!ue)
		return NULL;
	strcpy(ue->imsi, imsi);
	ue->last_ksi = SGW_KSI_NONE;
	b = hash_text(imsi);
	ue->imsi_chain = ues->by_imsi[b];
	ues->by_imsi[b] = ue;
	ues->count++;
	return ue;
}

uint8_t sgw_ue_next_ksi(struct sgw_ue *ue)
{
	ue->last_ksi = ue->last_ksi == SGW_KSI_NONE ? 0 :
		       (uint8_t)((ue->last_ksi + 1) % (ATTACH_KSI_MAX + 1));
	return ue->last_ksi;
}

static bool address_used(const struct sgw_ues *ues, uint32_t host)
{
	return ues->used[host / 8] & (1u << (host % 8));
}

/* Neither an entry's nor, as far as this instance knows, another's. */
static bool address_free(const struct sgw_ues *ues, uint32_t host)
{
	return !address_used(ues, host) &&
	       !(ues->elsewhere[host / 8] & (1u << (host % 8)));
}

static void mark_address(struct sgw_ues *ues, uint32_t host, bool used)
{
	if (used)
		ues->used[host / 8] |= (uint8_t)(1u << (host % 8));
	else
		ues->used[host / 8] &= (uint8_t)~(1u << (host % 8));
}

/*
 * The host number of addr when it is one the pool hands out: hosts 2 ..
 * hosts - 2, not the network, gateway or broadcast.
 */
static bool pool_host(const struct sgw_ues *ues, uint32_t addr,
		      uint32_t *host)
{
	if (addr < ues->network || addr - ues->network >= ues->hosts)
		return false;
	*host = addr - ues->network;
	return *host >= 2 && *host + 1 < ues->hosts;
}

int sgw_ue_inner_ipv4(struct sgw_ues *ues, struct sgw_ue *ue, uint32_t *addr)
{
	uint32_t i, host;

	*addr = 0;
	if (ue->inner_ipv4) {
		*addr = ue->inner_ipv4;
		return 0;
	}
	/* Hosts 2 .. hosts - 2: not the network, gateway or broadcast. */
	for (i = 0; i + 3 < ues->hosts; i++) {
		host = 2 + (ues->next - 2 + i) % (ues->hosts - 3);
		if (!address_free(ues, host))
			continue;
		mark_address(ues, host, true);
		ues->next = host + 1;
		ue->inner_ipv4 = ues->network + host;
		*addr = ue->inner_ipv4;
		return 0;
	}
	return -ENOSPC;
}

/* A run of n more free hosts from host: *best and *len if the longest. */
static void run_grows(uint32_t host, uint32_t n, uint32_t *start,
		      uint32_t *run, uint32_t *best, uint32_t *len)
{
	if (!*run)
		*start = host;
	*run += n;
	if (*run > *len) {
		*len = *run;
		*best = *start;
	}
}

/*
 * The first host of the longest run of free ones, and its length (0:
 * none free). Hosts 2 .. hosts - 2, not wrapping round: a run that the
 * end cuts is only seen shorter. A byte of the bitmaps all free or all
 * taken is eight hosts at once: a /8 is 2^21 steps, not 2^24.
 */
static uint32_t widest_free_run(const struct sgw_ues *ues, uint32_t *len)
{
	uint32_t host = 2, last = ues->hosts - 2, start = 0, run = 0, best = 0;
	uint8_t taken;

	*len = 0;
	while (host <= last) {
		taken = ues->used[host / 8] | ues->elsewhere[host / 8];
		if (host % 8 == 0 && host + 7 <= last &&
		    (taken == 0 || taken == 0xff)) {
			if (taken)
				run = 0;
			else
				run_grows(host, 8, &start, &run, &best, len);
			host += 8;
			continue;
		}
		if (taken & (1u << (host % 8)))
			run = 0;
		else
			run_grows(host, 1, &start, &run, &best, len);
		host++;
	}
	return best;
}

void sgw_ues_address_elsewhere(struct sgw_ues *ues, uint32_t addr)
{
	uint32_t host, start, len;

	if (!pool_host(ues, addr, &host))
		return;
	ues->elsewhere[host / 8] |= (uint8_t)(1u << (host % 8));
	start = widest_free_run(ues, &len);
	if (len)
		ues->next = start + len / 2;
}

static bool teid_taken(const struct sgw_ues *ues, uint32_t teid)
{
	const struct sgw_ue *ue = ues->by_teid[hash_teid(teid)];

	while (ue && ue->hse_teid != teid)
		ue = ue->teid_chain;
	return ue != NULL;
}

static void release_teid(struct sgw_ues *ues, struct sgw_ue *ue)
{
	struct sgw_ue **link;

	if (!ue->hse_teid)
		return;
	link = &ues->by_teid[hash_teid(ue->hse_teid)];
	while (*link && *link != ue)
		link = &(*link)->teid_chain;
	if (*link)
		*link = ue->teid_chain;
	ue->teid_chain = NULL;
	ue->hse_teid = 0;
}

static void hold_teid(struct sgw_ues *ues, struct sgw_ue *ue, uint32_t teid)
{
	size_t b = hash_teid(teid);

	ue->hse_teid = teid;
	ue->teid_chain = ues->by_teid[b];
	ues->by_teid[b] = ue;
}

int sgw_ue_new_teid(struct sgw_ues *ues, struct sgw_ue *ue)
{
	uint32_t teid;

	sgw_ue_detach(ues, ue);
	do {
		if (RAND_bytes((unsigned char *)&teid, sizeof(teid)) != 1)
			return -EIO;
	} while (!teid || teid_taken(ues, teid));
	hold_teid(ues, ue, teid);
	return 0;
}

void sgw_ue_set_attached(struct sgw_ues *ues, struct sgw_ue *ue,
			 const struct attach_gtpu *gtpu)
{
	if (!ue->attached)
		ues->attached++;
	ue->attached = true;
	ue->ue = *gtpu;
}

void sgw_ue_detach(struct sgw_ues *ues, struct sgw_ue *ue)
{
	if (ue->attached)
		ues->attached--;
	ue->attached = false;
	memset(&ue->ue, 0, sizeof(ue->ue));
	release_teid(ues, ue);
}

size_t sgw_ues_count(const struct sgw_ues *ues)
{
	return ues->count;
}

size_t sgw_ues_attached(const struct sgw_ues *ues)
{
	return ues->attached;
}

/* ---- records: what the store keeps of an entry ---------------------------- */

void sgw_ue_record(const struct sgw_ue *ue, struct sgw_ue_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	strcpy(rec->imsi, ue->imsi);
	rec->last_ksi = ue->last_ksi;
	rec->inner_ipv4 = ue->inner_ipv4;
	rec->hse_teid = ue->hse_teid;
	rec->attached = ue->attached;
	if (ue->attached)
		rec->ue = ue->ue;
}

/* rec on its own, whatever the other entries hold. */
static bool record_valid(const struct sgw_ues *ues,
			 const struct sgw_ue_record *rec)
{
	uint32_t host;

	if (rec->last_ksi > ATTACH_KSI_MAX && rec->last_ksi != SGW_KSI_NONE)
		return false;
	if (rec->inner_ipv4 && !pool_host(ues, rec->inner_ipv4, &host))
		return false;
	return !rec->attached ||
	       (rec->hse_teid && rec->inner_ipv4 && rec->ue.teid);
}

/* Whether rec names an address or a TEID another entry than ue holds. */
static bool record_taken(const struct sgw_ues *ues, const struct sgw_ue *ue,
			 const struct sgw_ue_record *rec)
{
	uint32_t host;

	if (rec->inner_ipv4 && rec->inner_ipv4 != ue->inner_ipv4 &&
	    pool_host(ues, rec->inner_ipv4, &host) && address_used(ues, host))
		return true;
	return rec->hse_teid && rec->hse_teid != ue->hse_teid &&
	       teid_taken(ues, rec->hse_teid);
}

static void set_address(struct sgw_ues *ues, struct sgw_ue *ue, uint32_t addr)
{
	uint32_t host;

	if (ue->inner_ipv4 == addr)
		return;
	if (ue->inner_ipv4 && pool_host(ues, ue->inner_ipv4, &host))
		mark_address(ues, host, false);
	ue->inner_ipv4 = addr;
	if (addr && pool_host(ues, addr, &host))
		mark_address(ues, host, true);
}

static void set_teid(struct sgw_ues *ues, struct sgw_ue *ue, uint32_t teid)
{
	if (ue->hse_teid == teid)
		return;
	release_teid(ues, ue);
	if (teid)
		hold_teid(ues, ue, teid);
}

int sgw_ue_set(struct sgw_ues *ues, struct sgw_ue *ue,
	       const struct sgw_ue_record *rec)
{
	if (!record_valid(ues, rec))
		return -EINVAL;
	if (record_taken(ues, ue, rec))
		return -EEXIST;
	ue->last_ksi = rec->last_ksi;
	set_address(ues, ue, rec->inner_ipv4);
	set_teid(ues, ue, rec->hse_teid);
	if (rec->attached) {
		sgw_ue_set_attached(ues, ue, &rec->ue);
	} else {
		if (ue->attached)
			ues->attached--;
		ue->attached = false;
		memset(&ue->ue, 0, sizeof(ue->ue));
	}
	return 0;
}

void sgw_ue_forget(struct sgw_ues *ues, struct sgw_ue *ue)
{
	struct sgw_ue **link = &ues->by_imsi[hash_text(ue->imsi)];

	sgw_ue_detach(ues, ue);
	set_address(ues, ue, 0);
	while (*link && *link != ue)
		link = &(*link)->imsi_chain;
	if (*link)
		*link = ue->imsi_chain;
	ues->count--;
	free(ue);
}

int sgw_ues_restore(struct sgw_ues *ues, const struct sgw_ue_record *rec,
		    bool *dropped)
{
	struct sgw_ue_record fit = *rec;
	struct sgw_ue *ue;
	uint32_t host;
	int ret;

	*dropped = false;
	if (sgw_ue_find(ues, rec->imsi))
		return -EEXIST;
	if (rec->inner_ipv4 && !pool_host(ues, rec->inner_ipv4, &host)) {
		/* The HSE's flow, if any, has an address we no longer
		 * hand out: the next attach makes a new context. */
		fit.inner_ipv4 = 0;
		fit.hse_teid = 0;
		fit.attached = false;
		memset(&fit.ue, 0, sizeof(fit.ue));
	}
	ue = sgw_ue_get(ues, rec->imsi);
	if (!ue)
		return -ENOMEM;
	ret = sgw_ue_set(ues, ue, &fit);
	if (ret) {
		sgw_ue_forget(ues, ue);
		return ret;
	}
	*dropped = fit.inner_ipv4 != rec->inner_ipv4;
	return 0;
}
