/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the key update tests share: X.509 certificates made on the spot for
 * the SCP11a static keys (CA-KLOC, sub-CAs, the OCE's and the USIM's), and
 * the keys and CAs of a session between the OCE and the USIM
 * (keyupdate_oce_test, keyupdate_update_test).
 */
#ifndef E2M_KEYUPDATE_FIXTURE_H
#define E2M_KEYUPDATE_FIXTURE_H

#include <stdlib.h>

#include <string.h>

#include <openssl/x509v3.h>

#include "crypto/scp11a.h"

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

/* A P-256 key whose scalar is fill repeated: the same key every run. */
static inline EVP_PKEY *keyupdate_fixed_key(uint8_t fill)
{
	uint8_t scalar[SCP11A_SCALAR_LEN];
	EVP_PKEY *key;

	memset(scalar, fill, sizeof(scalar));
	if (scp11a_key_from_scalar(&key, scalar))
		exit(2);
	return key;
}

/* The public half of key, as a key of its own. */
static inline EVP_PKEY *keyupdate_public_of(EVP_PKEY *key)
{
	uint8_t point[SCP11A_POINT_LEN];
	EVP_PKEY *pub;

	if (scp11a_key_point(key, point) || scp11a_key_from_point(&pub, point))
		exit(2);
	return pub;
}

/*
 * The static keys of a session and the two CAs both tests need: SK.OCE
 * (scalar 11..11), SK.SD (33..33), CA-KLOC's key (66..66) and another
 * CA's (77..77), named "CA-KLOC" too, both self-signed for a year.
 */
struct keyupdate_pki {
	EVP_PKEY *sk_oce, *pk_oce, *sk_sd, *pk_sd, *ca_key, *other_ca_key;
	X509 *ca_kloc, *other_ca;
};

static inline void keyupdate_pki_make(struct keyupdate_pki *p)
{
	p->sk_oce = keyupdate_fixed_key(0x11);
	p->sk_sd = keyupdate_fixed_key(0x33);
	p->pk_oce = keyupdate_public_of(p->sk_oce);
	p->pk_sd = keyupdate_public_of(p->sk_sd);
	p->ca_key = keyupdate_fixed_key(0x66);
	p->other_ca_key = keyupdate_fixed_key(0x77);
	p->ca_kloc = make_cert(p->ca_key, "CA-KLOC", NULL, NULL, EVP_sha256(),
			       365, 1);
	p->other_ca = make_cert(p->other_ca_key, "CA-KLOC", NULL, NULL,
				EVP_sha256(), 365, 1);
}

static inline void keyupdate_pki_free(struct keyupdate_pki *p)
{
	EVP_PKEY_free(p->sk_oce);
	EVP_PKEY_free(p->sk_sd);
	EVP_PKEY_free(p->pk_oce);
	EVP_PKEY_free(p->pk_sd);
	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->other_ca_key);
	X509_free(p->ca_kloc);
	X509_free(p->other_ca);
}

#endif /* E2M_KEYUPDATE_FIXTURE_H */
