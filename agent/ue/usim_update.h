/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The USIM's side of a long-term key update (seed 004 steps 1-5,
 * Documentation/key-update.md): the security domain of the software USIM
 * in one SCP11a session with the provisioning server. APDUs in, responses
 * out, whatever carries them:
 *
 *   80 82 P1 11 Lc data     MUTUAL AUTHENTICATE (scp11a.h): answered with
 *                           ePK.SD and the receipt, SW 9000; then every
 *                           command must come wrapped (scp11a_sm.h)
 *   84 D8 00 01 ...         the profile update (profile_update.h): the
 *                           profile must be this USIM's, the keys are
 *                           unwrapped with S-DEK and staged by
 *                           store_usim_stage_keys(), durably, before the
 *                           result is answered
 *
 * A refusal of the update is a status word under R-MAC, nothing changed.
 * A command that fails secure messaging (C-MAC, padding, order) gets a
 * bare 6988 and ends the session, as a card does.
 *
 * Not yet: the certificate exchange (PERFORM SECURITY OPERATION) before
 * MUTUAL AUTHENTICATE; the caller hands in the OCE's static public key it
 * trusts, and the USIM's own static key, which the store does not keep yet.
 */
#ifndef E2M_USIM_UPDATE_H
#define E2M_USIM_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "crypto/scp11a_sm.h"
#include "store/store.h"

#define USIM_UPDATE_SW_SM_FAILED	0x6988
#define USIM_UPDATE_RESP_MAX		SCP_SM_RESP_MAX

struct usim_update;

/*
 * A session for the USIM of iccid in store, with its static key sd_static
 * (private) and the OCE's static public key. Both keys are referenced, not
 * copied: keep them until usim_update_free(). 0 or -ENOMEM.
 */
int usim_update_new(struct usim_update **out, struct store *store,
		    const char *iccid, EVP_PKEY *sd_static,
		    EVP_PKEY *oce_static);

/*
 * One command: writes the response (USIM_UPDATE_RESP_MAX octets will do)
 * and returns 0, or -EPIPE when the session is over (a bare 6988 or 6A80
 * was written, or nothing at all if it had ended before), -EMSGSIZE
 * (resp smaller than that) or -EIO.
 */
int usim_update_handle(struct usim_update *u, const uint8_t *apdu,
		       size_t len, uint8_t *resp, size_t size,
		       size_t *resp_len);

/* Wipes the session keys and frees. NULL is fine. */
void usim_update_free(struct usim_update *u);

#endif /* E2M_USIM_UPDATE_H */
