/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the key update tests share: X.509 certificates made on the spot for
 * the SCP11a static keys (CA-KLOC, sub-CAs, the OCE's and the USIM's).
 */
#ifndef E2M_KEYUPDATE_FIXTURE_H
#define E2M_KEYUPDATE_FIXTURE_H

#include <stdlib.h>

#include <openssl/x509v3.h>

static long keyupdate_serial = 1;

static inline void keyupdate_add_ext(X509 *cert, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, NULL, nid, value);

	if (!ext || !X509_add_ext(cert, ext, -1))
		exit(2);
	X509_EXTENSION_free(ext);
}

/* A certificate for key named cn, by issuer (NULL: self-signed), valid
 * from two days ago for days days (negative: expired). */
static inline X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer,
			      EVP_PKEY *issuer_key, const EVP_MD *md,
			      long days, int is_ca)
{
	X509 *cert = X509_new();
	X509_NAME *name;

	if (!cert || !X509_set_version(cert, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(cert),
			      keyupdate_serial++) ||
	    !X509_gmtime_adj(X509_getm_notBefore(cert), -2 * 86400) ||
	    !X509_gmtime_adj(X509_getm_notAfter(cert), days * 86400) ||
	    !X509_set_pubkey(cert, key))
		exit(2);
	name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) :
				   name);
	if (is_ca) {
		keyupdate_add_ext(cert, NID_basic_constraints,
				  "critical,CA:TRUE");
		keyupdate_add_ext(cert, NID_key_usage, "critical,keyCertSign");
	}
	if (!X509_sign(cert, issuer_key ? issuer_key : key, md))
		exit(2);
	return cert;
}

#endif /* E2M_KEYUPDATE_FIXTURE_H */
