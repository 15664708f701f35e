/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the BSF's authentication vectors come from, one source per BSF
 * (bsf_config.h):
 *
 *	hss-url	e2m's HSS over Zh (vector_zh.c): HTTPS with mutual TLS,
 *		proto/gba/zh_msg.h; the vector comes with the subscriber's
 *		GBA_U flag and USS
 *	hlr	an HLR over GSUP (vector_gsup.c, proto/gsup/): SendAuthInfo
 *		for the IMSI the IMPI is made of (TS 23.003 13.3:
 *		IMSI@ims.mncMNC.mccMCC.3gppnetwork.org, the IMPI of a UICC
 *		without ISIM); GBA_ME, no USS
 *
 * A fetch asks for one vector for an IMPI, after resynchronisation from
 * AUTS when the request has rand and auts, and its done runs exactly
 * once, from the loop, unless the call is cancelled first. What comes
 * back is one of the answers Ub knows (bsf_ub.h):
 *
 *	VECTOR_OK		a vector (and the USS, "" for none)
 *	VECTOR_UNKNOWN_USER	the source has no such subscriber (or, for
 *				an HLR, the IMPI holds no IMSI)
 *	VECTOR_RESYNC_FAILED	the source refused the AUTS
 *	VECTOR_UNAVAILABLE	no usable answer: unreachable, the bounded
 *				wait (BSF_ZH_TIMEOUT) ran out, an error, a
 *				bad message
 */
#ifndef E2MD_VECTOR_SOURCE_H
#define E2MD_VECTOR_SOURCE_H

#include <stdbool.h>

#include "bsf_config.h"
#include "daemon/daemon.h"
#include "proto/gba/zh_msg.h"

enum vector_outcome {
	VECTOR_OK,
	VECTOR_UNKNOWN_USER,
	VECTOR_RESYNC_FAILED,
	VECTOR_UNAVAILABLE,
};

struct vector_answer {
	enum vector_outcome outcome;
	const char *why;			/* for the log; "" with OK */
	const struct zh_av_response *av;	/* with OK */
	const char *uss;			/* with OK: "" for none */
};

typedef void (*vector_done_fn)(const struct vector_answer *answer,
			       void *arg);

struct vector_source;
struct vector_call;

/* The source conf names; 0, -EINVAL or -ENOMEM. */
int vector_source_new(struct vector_source **vs, struct daemon *daemon,
		      const struct config_bsf *conf);

/*
 * Whether conf names the same kind of source at the same place (the HSS
 * may move: its URL is taken on by vector_source_reconfigure()).
 */
bool vector_source_fits(const struct vector_source *vs,
			const struct config_bsf *conf);
void vector_source_reconfigure(struct vector_source *vs,
			       const struct config_bsf *conf);

/* "hss" or "hlr", for the log. */
const char *vector_source_kind(const struct vector_source *vs);

/*
 * Starts the call into *call: 0; -ENOENT when the source cannot have such
 * a subscriber (an HLR, an IMPI not made of an IMSI), -ENOMEM, -EINVAL,
 * and then done never runs.
 */
int vector_fetch(struct vector_source *vs, const struct zh_av_request *req,
		 vector_done_fn done, void *arg, struct vector_call **call);
void vector_call_cancel(struct vector_call *call);

/* Every call is cancelled or ended first. */
void vector_source_free(struct vector_source *vs);

#endif /* E2MD_VECTOR_SOURCE_H */
