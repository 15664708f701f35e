/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provisioning server's side (the OCE) of one long-term key update
 * with one USIM (seed 004 steps 1-5, Documentation/key-update.md), the
 * counterpart of ue/usim_update.h: it makes each command APDU from the
 * USIM's previous response, whatever carries them.
 *
 *	PERFORM SECURITY OPERATION	its sub-CAs, then its own certificate
 *					(80 2A 01 10|80, extended Lc)
 *	MUTUAL AUTHENTICATE		ePK.OCE; the answer's receipt is checked
 *					against the SD's static key, which came
 *					in the SD's certificate, checked against
 *					the CA the server trusts for USIMs
 *	profile update			under secure messaging, K and OPc under
 *					S-DEK; the result's ICCID, counter and
 *					KCVs must be those of the update sent
 *
 * The session refuses and ends at the first thing wrong; every status
 * word the USIM answered is kept (oce_session_sw()).
 */
#ifndef E2M_OCE_SESSION_H
#define E2M_OCE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "aka/aka.h"
#include "crypto/scp11a_sm.h"
#include "store/store.h"

#define OCE_CERT_MAX		2048	/* octets of one DER certificate */
#define OCE_SUBCA_MAX		3	/* sub-CAs before the OCE's own */
/* The largest command: a certificate with its extended Lc. */
#define OCE_APDU_MAX		(7 + OCE_CERT_MAX)

/* What the server holds: referenced, not copied, for the session's life. */
struct oce_credentials {
	EVP_PKEY *key;			/* SK.OCE, private */
	X509 *cert;			/* its certificate, to CA-KLOC */
	STACK_OF(X509) *subcas;		/* may be NULL; sent first, in order */
	X509 *usim_ca;			/* the CA of SD certificates */
};

/* The update: which USIM, which keys, which counter. */
struct oce_update {
	char iccid[STORE_ICCID_MAX + 1];
	char imsi[STORE_IMSI_MAX + 1];
	uint8_t k[AKA_K_LEN];		/* secret */
	uint8_t opc[AKA_OP_LEN];	/* secret */
	uint32_t counter;		/* at least 1 */
};

struct oce_session;

/*
 * A session for update (copied) with the USIM whose SD certificate is
 * sd_cert (its sub-CAs in sd_chain, may be NULL). 0; -EKEYREJECTED (the
 * certificate does not chain to creds->usim_ca, why says why); -EINVAL
 * (another algorithm, a bad update, too many sub-CAs); -ENOMEM.
 */
int oce_session_new(struct oce_session **out,
		    const struct oce_credentials *creds,
		    const struct oce_update *update, X509 *sd_cert,
		    STACK_OF(X509) *sd_chain, char *why, size_t why_size);

/*
 * The next command into apdu (OCE_APDU_MAX octets will do), from the
 * USIM's response to the last one (NULL, 0 the first time). 0 with a
 * command; 1 when the update is done: the result verified, the keys
 * pending at the USIM; or, with the session over:
 *
 *	-EKEYREJECTED	the USIM refused the OCE's certificate (6984)
 *	-EBADMSG	the receipt or an R-MAC is wrong, or the result is
 *			not the update's (ICCID, counter or a KCV)
 *	-ESTALE		the counter is not above the USIM's last one (6982)
 *	-EBUSY		an update is pending at the USIM (6985)
 *	-ENOENT		the ICCID or IMSI is not the USIM's (6A88)
 *	-EPROTO		another status word, a malformed response
 *	-EPIPE		the session was over already
 *	-EIO, -ENOMEM
 */
int oce_session_next(struct oce_session *s, const uint8_t *resp,
		     size_t resp_len, uint8_t *apdu, size_t size,
		     size_t *apdu_len);

/* The USIM's last status word, 0 before any. */
uint16_t oce_session_sw(const struct oce_session *s);

/* The KCVs of the update's K and OPc (what the USIM's result must hold). */
void oce_session_kcvs(const struct oce_session *s, uint8_t kcv_k[3],
		      uint8_t kcv_opc[3]);

/*
 * Where the session stands, into st (the fields of store_prov_session but
 * its id, ICCID and times, which are the caller's), to be taken up again
 * by oce_session_restore() after the server restarts. After a command
 * went out only: 0; -EPIPE (over: nothing to keep), -EINVAL (nothing sent
 * yet), -EIO. st then holds secrets (eSK.OCE or the session keys).
 */
int oce_session_save(const struct oce_session *s,
		     struct store_prov_session *st);

/*
 * The session st was saved from, for update (K and OPc from the server's
 * record: st holds neither) under creds: the next oce_session_next()
 * takes the USIM's answer to the last command sent before the save. 0;
 * -EINVAL (st is not of this update, or names more certificates than
 * creds has, or is not a step's state); -ENOMEM; -EIO.
 */
int oce_session_restore(struct oce_session **out,
			const struct oce_credentials *creds,
			const struct oce_update *update,
			const struct store_prov_session *st);

/* Wipes keys and frees. NULL is fine. */
void oce_session_free(struct oce_session *s);

#endif /* E2M_OCE_SESSION_H */
