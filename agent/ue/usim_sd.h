/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A USIM's security domain credentials for a long-term key update
 * (Documentation/key-update.md, "Certificates"): its static key SK.SD,
 * its certificate (sent to the server, which checks it against the CA
 * it trusts for USIMs) and CA-KLOC (the one anchor of the OCE's chain),
 * kept in the UE's store beside the USIM (store_usim_sd_*, schema 15).
 *
 * usim_sd_check() decides whether three given together belong together
 * and turns them into the store's form: SK.SD a P-256 key pair, the
 * certificate's key the same key, on P-256 and signed with
 * ECDSA-SHA-256 (the e2m profile; the server refuses anything else),
 * CA-KLOC a CA certificate (basicConstraints CA) with a P-256 key. The
 * SD's certificate is not checked against CA-KLOC: the server trusts its
 * own USIM CA, which need not be CA-KLOC.
 *
 * usim_sd_load() takes them out of the store as the handshake wants
 * them. Both wipe what they copied of SK.SD; neither names a key in why.
 */
#ifndef E2M_UE_USIM_SD_H
#define E2M_UE_USIM_SD_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "store/store.h"

/* 0 with *out filled (a secret: wipe it), -EINVAL (why says which
 * check failed) or -ENOMEM. */
int usim_sd_check(EVP_PKEY *key, X509 *cert, X509 *ca_kloc,
		  struct store_usim_sd *out, char *why, size_t why_size);

/* The USIM's three: 0, or the store's error (-ENOENT, -ENODATA, ...),
 * -EUCLEAN (a kept certificate that does not parse), -ENOMEM; why says
 * which. Free them with EVP_PKEY_free() and X509_free(). */
int usim_sd_load(struct store *store, const char *iccid, EVP_PKEY **key,
		 X509 **cert, X509 **ca_kloc, char *why, size_t why_size);

#endif /* E2M_UE_USIM_SD_H */
