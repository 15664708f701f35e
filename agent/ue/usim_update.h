/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The USIM's side of a long-term key update (seed 004 steps 1-5,
 * Documentation/key-update.md): the security domain of the software USIM
 * in one SCP11a session with the provisioning server. APDUs in, responses
 * out, whatever carries them:
 *
 *   80 2A P1 P2 Lc cert     PERFORM SECURITY OPERATION: the OCE's
 *                           certificates, DER, one a command, P2 bit 80
 *                           set while more follow (sub-CAs first, the
 *                           OCE's own last, at most 3 before it); Lc short
 *                           or extended (00 HH LL); the chain must reach
 *                           CA-KLOC (scp11a_cert.h), else 6984 and the
 *                           session ends; its key is the OCE's static key
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
 * Commands out of this order get 6986 and end the session. Not yet: the
 * USIM's own certificate to the OCE (GET DATA). The USIM's static key and
 * CA-KLOC are the caller's to hand in (e2mctl usim update loads them
 * from the USIM's row of the store, ue/usim_sd.h).
 */
#ifndef E2M_USIM_UPDATE_H
#define E2M_USIM_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "crypto/scp11a_sm.h"
#include "store/store.h"

#define USIM_UPDATE_SW_SM_FAILED	0x6988
#define USIM_UPDATE_RESP_MAX		SCP_SM_RESP_MAX

struct usim_update;

/*
 * A session for the USIM of iccid in store, with its static key sd_static
 * (private) and the CA it trusts for OCE certificates (CA-KLOC). Both are
 * referenced, not copied: keep them until usim_update_free(). 0, -EINVAL
 * or -ENOMEM.
 */
int usim_update_new(struct usim_update **out, struct store *store,
		    const char *iccid, EVP_PKEY *sd_static, X509 *ca_kloc);

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
