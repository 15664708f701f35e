/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SGW role of BEST (Documentation/best.md): the SGSN/MME with the
 * GGSN/P-GW of the HSE pull procedure, on the daemon's loop.
 *
 *	attach	(sgw_attach.h) plain HTTP on sgw.attach-listen, from UEs:
 *		POST /sgw/v1/attach, POST /sgw/v1/attach/complete
 *	AV	(client) HTTPS with mutual TLS to sgw.hss-url: POST
 *		/e2m/v1/av, one vector per attach (and per resync)
 *	triplet	(sgw_hse.h) HTTPS with mutual TLS to sgw.hse-url: POST
 *		/e2m/v1/triplet, the UE answered only once the HSE has
 *
 * Its state: per IMSI the KSI, the inner address and the context
 * (sgw_ues.h), kept in the store as well and read back at start
 * (sgw_persist.h); the sessions (sgw_sessions.h, 30 s each) in memory only.
 * Logs: event=attach, challenge, attached, refused; never RES, XRES or
 * a key (the vector's keys are wiped as soon as it is read).
 */
#ifndef E2MD_ROLE_SGW_H
#define E2MD_ROLE_SGW_H

#include <stdint.h>

#include "daemon/daemon.h"
#include "net/http_server.h"
#include "net/https_client.h"
#include "daemon/roles.h"
#include "sgw_config.h"
#include "sgw_decoys.h"
#include "sgw_sessions.h"
#include "sgw_ues.h"

#define SGW_TIMER_SECONDS	5	/* expires sessions */
/* Outgoing calls give up before the UE's request does (10 s). */
#define SGW_CALL_TIMEOUT	5	/* seconds */
#define SGW_CALLS_MAX		256	/* in flight; more get 503 busy */
/*
 * Writes of one attach's context (address, TEID) at most, where the
 * store refuses one another instance's UE holds (sgw_hse.c); the last
 * refusal answers 500, and the UE's next try gets the next address.
 */
#define SGW_CONTEXT_TRIES	4

#define SGW_ERR_BUSY		"busy"

struct sgw_call;

struct sgw_counters {
	unsigned long long challenges;	/* 200 or 401 with a challenge */
	unsigned long long attached;	/* 200 to complete */
	unsigned long long rekeys;	/* of them, updates of a context */
	unsigned long long resyncs;	/* AUTS passed on to the HSS */
	unsigned long long refused;	/* other answers */
	unsigned long long hss_failures;
	unsigned long long hse_failures;
	/* Context writes tried again: another instance held the address. */
	unsigned long long address_retries;
};

struct sgw {
	struct daemon *daemon;
	const struct config_sgw *conf;	/* re-pointed on reload */
	struct http_server *attach;
	struct https_client *hss;
	struct https_client *hse;
	struct sgw_sessions *sessions;	/* real ones and decoys */
	struct sgw_ues *ues;
	struct sgw_decoys *decoys;	/* for IMSIs the HSS does not know */
	/* The AMF the last real AUTN carried, for the decoys' (of that aka). */
	uint8_t decoy_amf[AKA_AMF_LEN];
	enum e2m_aka_kind decoy_amf_aka;
	bool decoy_amf_seen;
	struct sgw_call *calls;		/* calls in flight */
	size_t n_calls;
	struct event *timer;
	struct sgw_counters counters;
};

extern const struct role_ops role_sgw;

/*
 * Answers ex with an error body, counts and logs it (event=refused:
 * status, error, imsi, detail, remote).
 */
void sgw_refuse(struct sgw *sgw, struct http_exchange *ex, int status,
		const char *token, const char *detail, const char *imsi);

/*
 * The same; decoy adds answer=decoy to the log line: the IMSI is unknown,
 * and the UE was answered as a known one's wrong answer is.
 */
void sgw_refuse_as(struct sgw *sgw, struct http_exchange *ex, int status,
		   const char *token, const char *detail, const char *imsi,
		   bool decoy);

/* ---- calls out, while a UE's request waits (role_sgw.c) ------------------ */

typedef void (*sgw_call_done)(struct sgw *sgw, struct sgw_call *call,
			      const struct https_response *r);

/* A call to the HSS or the HSE on behalf of the UE's exchange ex. */
struct sgw_call {
	struct sgw *sgw;
	struct http_exchange *ex;
	struct https_call *call;
	sgw_call_done done;
	struct sgw_call *prev, *next;
	char imsi[BEST_IMSI_SIZE];
	/* What the answer needs; the kind of call says which. */
	struct sgw_session session;	/* the challenge, or the run */
	bool resync;
	bool rekey;
	uint32_t inner_ipv4;
};

/*
 * POSTs body to path with client on behalf of ex; done gets the answer.
 * The call is copied from *proto. On failure ex is answered (503 busy or
 * 500) and false returned.
 */
bool sgw_call_start(struct sgw *sgw, struct https_client *client,
		    const char *path, const char *body,
		    const struct sgw_call *proto, sgw_call_done done);

/*
 * A copy of call (not in flight) for an answer that waits for the store's
 * commit (sgw_persist.h); NULL when out of memory. sgw_call_free() wipes
 * and frees it.
 */
struct sgw_call *sgw_call_keep(const struct sgw_call *call);
void sgw_call_free(struct sgw_call *call);

#endif /* E2MD_ROLE_SGW_H */
