/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Throwaway PKI for the TLS tests: a CA and leaf certificates it signs,
 * made with OpenSSL in memory (EC P-256, valid from a minute ago for a
 * day) and written as PEM files. A leaf names itself in the CN and in the
 * subject alternative name, with IP:127.0.0.1 too, so it serves both as
 * a server and as a client certificate.
 */
#ifndef E2M_TLS_FIXTURE_H
#define E2M_TLS_FIXTURE_H

#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "store_fixture.h"

struct pki_entity {
	EVP_PKEY *key;
	X509 *cert;
};

static inline void pki_add_ext(X509 *cert, X509 *issuer, int nid,
			       const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext || !X509_add_ext(cert, ext, -1))
		bail("X509_add_ext");
	X509_EXTENSION_free(ext);
}

/* A certificate for name, signed by issuer (itself when NULL: a CA). */
static inline void pki_make(struct pki_entity *e, const char *name,
			    const struct pki_entity *issuer)
{
	static long serial = 1;
	char san[512];
	X509_NAME *subject;

	e->key = EVP_EC_gen("P-256");
	e->cert = X509_new();
	if (!e->key || !e->cert)
		bail("key or certificate");
	X509_set_version(e->cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(e->cert), serial++);
	X509_gmtime_adj(X509_getm_notBefore(e->cert), -60);
	X509_gmtime_adj(X509_getm_notAfter(e->cert), 86400);
	X509_set_pubkey(e->cert, e->key);
	subject = X509_get_subject_name(e->cert);
	X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
				   (const unsigned char *)name, -1, -1, 0);
	X509_set_issuer_name(e->cert, issuer ?
			     X509_get_subject_name(issuer->cert) : subject);
	if (!issuer) {
		pki_add_ext(e->cert, e->cert, NID_basic_constraints,
			    "critical,CA:TRUE");
		pki_add_ext(e->cert, e->cert, NID_key_usage,
			    "critical,keyCertSign,cRLSign");
	} else {
		snprintf(san, sizeof(san), "DNS:%s,IP:127.0.0.1", name);
		pki_add_ext(e->cert, issuer->cert, NID_subject_alt_name, san);
		pki_add_ext(e->cert, issuer->cert, NID_basic_constraints,
			    "CA:FALSE");
	}
	if (!X509_sign(e->cert, issuer ? issuer->key : e->key, EVP_sha256()))
		bail("X509_sign");
}

static inline void pki_write(const struct pki_entity *e, const char *cert_path,
			     const char *key_path)
{
	FILE *out = fopen(cert_path, "w");

	if (!out || !PEM_write_X509(out, e->cert) || fclose(out))
		bail("writing a certificate");
	if (!key_path)
		return;
	out = fopen(key_path, "w");
	if (!out || !PEM_write_PrivateKey(out, e->key, NULL, NULL, 0, NULL,
					  NULL) || fclose(out))
		bail("writing a key");
}

static inline void pki_free(struct pki_entity *e)
{
	EVP_PKEY_free(e->key);
	X509_free(e->cert);
}

#endif /* E2M_TLS_FIXTURE_H */
