/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The certificates of an SCP11a session (seed 004 step 1): before the
 * key agreement each side checks the other's static key by its
 * certificate, the USIM the OCE's chain against CA-KLOC, the OCE the
 * USIM's (SD) certificate against the CA it trusts for USIMs. e2m
 * profile: X.509 certificates on P-256 signed with ECDSA-SHA-256 (GP
 * Amendment F's compact GP certificates are not used); the trusted CA is
 * the only trust anchor, intermediates may come with the leaf.
 */
#ifndef E2M_SCP11A_CERT_H
#define E2M_SCP11A_CERT_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/*
 * Verifies leaf (with the untrusted intermediates in chain, may be NULL)
 * up to ca, at the current time, every certificate ECDSA with SHA-256 and
 * the leaf's key P-256; on success *key is the leaf's public key (free
 * it). 0, -EKEYREJECTED (does not chain to ca, expired, a bad signature:
 * why says which), -EINVAL (another algorithm or curve), -ENOMEM.
 */
int scp11a_cert_verify(EVP_PKEY **key, X509 *leaf, STACK_OF(X509) *chain,
		       X509 *ca, char *why, size_t why_size);

#endif /* E2M_SCP11A_CERT_H */
