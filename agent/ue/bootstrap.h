/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UE's GBA bootstrap (TS 33.220 4.5.2, TS 24.109 4.2) with a software
 * USIM (aka/usim.h) against a BSF over Ub, on an event loop: the Ub
 * messages are proto/gba/ub_ue.h's, the transport daemon/https_client.h's plain
 * HTTP. One bootstrap runs
 *
 *	GET /			-> 401 challenge
 *	USIM: AUTN checked	   MAC wrong: the network is not the home
 *				   one; the BSF is told (empty password)
 *				   and the bootstrap fails
 *				   SQN stale: GET with auts -> 401 with a
 *				   fresh challenge, USIM again (once)
 *	GET with RES		-> 200: rspauth checked (the BSF knew XRES:
 *				   mutual authentication), the
 *				   BootstrappingInfo read
 *
 * and keeps its outcome, before done is called:
 *
 *	GBA_ME	a session in the store: B-TID, IMPI, RAND, expiry, Ks =
 *		CK || IK (sealed), as the BSF has it
 *	GBA_U	the USIM keeps Ks; the ME hands it the B-TID and expiry
 *		(usim_gba_u_set_btid())
 *
 * The expiry is the BSF's lifetime moved onto our clock when the BSF
 * sent its currenttime. Nothing is kept on any failure (a GBA_U USIM has
 * replaced its Ks by then, without a B-TID: it has no bootstrap).
 *
 * A 401 with stale=true in answer to RES is answered again (the BSF had
 * forgotten the challenge); at most UE_BOOTSTRAP_CHALLENGES challenges
 * are answered in one run.
 */
#ifndef E2M_UE_BOOTSTRAP_H
#define E2M_UE_BOOTSTRAP_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "aka/usim.h"
#include "daemon/config.h"
#include "store/store.h"

#define UE_BOOTSTRAP_CHALLENGES	3
#define UE_BOOTSTRAP_PATH	"/"
#define UE_BOOTSTRAP_WHY_MAX	256

struct ue_bootstrap;

struct ue_bootstrap_conf {
	struct event_base *base;
	struct store *store;
	struct usim *usim;		/* of that store */
	const struct config_url *bsf;	/* http://HOST[:PORT] */
	unsigned int timeout;		/* per request, seconds; 0 default */
};

struct ue_bootstrap_result {
	/*
	 * 0: bootstrapped. Else -EBADMSG: the BSF was not authenticated
	 * (AUTN's MAC, or rspauth, wrong); -EACCES: the BSF refused us
	 * (403); -EPROTO: the BSF answered what Ub does not allow; the
	 * transport's errors (-ECONNREFUSED, -ETIMEDOUT, ...); store errors.
	 */
	int error;
	char why[UE_BOOTSTRAP_WHY_MAX];	/* one line when error */
	int status;			/* the last HTTP status, 0 if none */
	char btid[STORE_BTID_MAX + 1];
	int64_t expires;		/* seconds since the epoch, our clock */
	bool gba_u;
	bool resynced;			/* an AUTS was sent */
};

typedef void (*ue_bootstrap_done)(const struct ue_bootstrap_result *result,
				  void *arg);

/*
 * Starts a bootstrap; the conf's pointers must outlive it. 0, and done
 * is called once with the result (unless ue_bootstrap_free() comes
 * first), or a negative errno and done is never called.
 */
int ue_bootstrap_start(struct ue_bootstrap **bootstrap,
		       const struct ue_bootstrap_conf *conf,
		       ue_bootstrap_done done, void *arg);

/* Stops it if running, wipes and frees it; may be called from done. */
void ue_bootstrap_free(struct ue_bootstrap *bootstrap);

#endif /* E2M_UE_BOOTSTRAP_H */
