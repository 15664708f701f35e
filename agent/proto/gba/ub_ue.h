/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UE's side of Ub (TS 24.109 clause 4, RFC 3310) as pure functions:
 * the Authorization values it sends and the checks of what the BSF
 * answers. The USIM, the transport and the store are the caller's
 * (ue/bootstrap.h runs them):
 *
 *	ub_ue_first()		Authorization of the first GET: username =
 *				IMPI, nonce="", response="" (A.3 step 1)
 *	ub_ue_challenge()	the 401's WWW-Authenticate, checked: RAND
 *				and AUTN for the USIM
 *	ub_ue_answer()		Authorization answering it: with RES, with
 *				auts (synchronisation failure, the empty
 *				password), or with neither (the USIM found
 *				AUTN's MAC wrong: the empty password tells
 *				the BSF the network was not authenticated)
 *	ub_ue_success()		the 200: Authentication-Info's rspauth
 *				verified with RES over the body (the BSF
 *				proves it knew XRES), then the
 *				BootstrappingInfo, whose B-TID must be
 *				base64(RAND)@... of the challenge answered
 *
 * A challenge is accepted only if it is one Digest challenge with
 * algorithm AKAv1-MD5, qop offering auth-int and a nonce of exactly
 * base64(RAND || AUTN) (digest.h); the answers use qop=auth-int,
 * nc=00000001 and a fresh random cnonce, method GET and an empty body.
 *
 * Functions return 0 or a negative errno: -EINVAL (the BSF's text is not
 * what it must be, with why), -EBADMSG (rspauth does not verify), -ENOSPC
 * (out too small), -EIO (no random).
 */
#ifndef E2M_UB_UB_UE_H
#define E2M_UB_UB_UE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"
#include "bsf_xml.h"
#include "digest.h"
#include "store/store.h"

#define UB_UE_CNONCE_LEN	32	/* hex of 16 random octets */

/* What the UE keeps from its first request to the 200. */
struct ub_ue {
	char impi[STORE_IMPI_MAX + 1];
	char uri[DIGEST_URI_MAX + 1];
	struct digest_challenge challenge;	/* the last one accepted */
	uint8_t rand[AKA_RAND_LEN];
	uint8_t autn[AKA_AUTN_LEN];
	char cnonce[UB_UE_CNONCE_LEN + 1];
	char nc[DIGEST_NC_LEN + 1];
	bool has_res;
	uint8_t res[AKA_RES_LEN];		/* secret, for rspauth */
};

/*
 * Starts a bootstrap for impi at uri ("/") and writes the first
 * Authorization value into out. realm is the UE's guess of the BSF's
 * name (its host); the BSF's challenge brings the real one.
 */
int ub_ue_first(struct ub_ue *ue, const char *impi, const char *realm,
		const char *uri, char *out, size_t size);

/*
 * A 401's WWW-Authenticate value (len octets): on success kept in ue,
 * RAND and AUTN in ue->rand, ue->autn; on error ue is as it was.
 */
int ub_ue_challenge(struct ub_ue *ue, const char *value, size_t len,
		    char *why, size_t why_size);

/*
 * The Authorization answering the kept challenge, into out: with res
 * (AKA_RES_LEN octets, kept for rspauth), else with auts, else with
 * neither (see above).
 */
int ub_ue_answer(struct ub_ue *ue, const uint8_t *res, const uint8_t *auts,
		 char *out, size_t size);

/*
 * The 200: Authentication-Info value (NULL when absent: refused), the
 * Content-Type (NULL when absent), the body of len octets. Fills info on
 * success.
 */
int ub_ue_success(const struct ub_ue *ue, const char *auth_info,
		  const char *content_type, const char *body, size_t len,
		  struct bsf_info *info, char *why, size_t why_size);

/* Whether btid is base64(rand) "@" and a non-empty domain. */
bool ub_ue_btid_of(const char *btid, const uint8_t rand[AKA_RAND_LEN]);

/* Wipes the whole state, RES with it. */
void ub_ue_wipe(struct ub_ue *ue);

#endif /* E2M_UB_UB_UE_H */
