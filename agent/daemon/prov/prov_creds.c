// SPDX-License-Identifier: GPL-2.0
/*
 * The provisioning server's credentials from their files, see
 * prov_creds.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "prov_creds.h"
#include "util/why.h"

/* Every certificate of a PEM file, in its order. NULL if none. */
static STACK_OF(X509) *read_certs(const char *path)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	FILE *f = fopen(path, "r");
	X509 *cert;

	if (!certs || !f) {
		sk_X509_free(certs);
		if (f)
			fclose(f);
		return NULL;
	}
	while ((cert = PEM_read_X509(f, NULL, NULL, NULL)))
		if (!sk_X509_push(certs, cert)) {
			X509_free(cert);
			break;
		}
	fclose(f);
	if (!sk_X509_num(certs)) {
		sk_X509_free(certs);
		return NULL;
	}
	return certs;
}

static EVP_PKEY *read_key(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *key;

	if (!f)
		return NULL;
	key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return key;
}

static int load_oce(struct oce_credentials *c, const struct config_prov *conf,
		    char *why, size_t why_size)
{
	STACK_OF(X509) *chain = read_certs(conf->certificate.path);
	int i, n;

	if (!chain) {
		ub_why(why, why_size, "%s: no PEM certificate",
		       conf->certificate.path);
		return -EINVAL;
	}
	n = sk_X509_num(chain);
	if (n - 1 > OCE_SUBCA_MAX) {
		sk_X509_pop_free(chain, X509_free);
		ub_why(why, why_size, "%s: more than %d sub-CAs",
		       conf->certificate.path, OCE_SUBCA_MAX);
		return -EINVAL;
	}
	c->cert = sk_X509_shift(chain);
	/* Sent nearest CA-KLOC first: the file's order, reversed. */
	c->subcas = sk_X509_new_null();
	for (i = n - 2; c->subcas && i >= 0; i--)
		sk_X509_push(c->subcas, sk_X509_value(chain, i));
	sk_X509_free(chain);
	return c->subcas ? 0 : -ENOMEM;
}

static int load_key(struct oce_credentials *c, const struct config_prov *conf,
		    char *why, size_t why_size)
{
	c->key = read_key(conf->private_key.path);
	if (!c->key || !EVP_PKEY_is_a(c->key, "EC") ||
	    EVP_PKEY_get_bits(c->key) != 256) {
		ub_why(why, why_size, "%s: not a P-256 private key (PEM)",
		       conf->private_key.path);
		return -EINVAL;
	}
	if (X509_check_private_key(c->cert, c->key) != 1) {
		ub_why(why, why_size, "%s: not the key of %s",
		       conf->private_key.path, conf->certificate.path);
		return -EINVAL;
	}
	return 0;
}

static int load_usim_ca(struct oce_credentials *c,
			const struct config_prov *conf, char *why,
			size_t why_size)
{
	STACK_OF(X509) *certs = read_certs(conf->usim_ca.path);

	if (!certs || sk_X509_num(certs) != 1) {
		sk_X509_pop_free(certs, X509_free);
		ub_why(why, why_size, "%s: not one PEM certificate",
		       conf->usim_ca.path);
		return -EINVAL;
	}
	c->usim_ca = sk_X509_pop(certs);
	sk_X509_free(certs);
	return 0;
}

int prov_creds_load(struct oce_credentials *creds,
		    const struct config_prov *conf, char *why,
		    size_t why_size)
{
	int ret;

	memset(creds, 0, sizeof(*creds));
	ret = load_oce(creds, conf, why, why_size);
	if (!ret)
		ret = load_key(creds, conf, why, why_size);
	if (!ret)
		ret = load_usim_ca(creds, conf, why, why_size);
	if (ret)
		prov_creds_free(creds);
	return ret;
}

void prov_creds_free(struct oce_credentials *creds)
{
	EVP_PKEY_free(creds->key);	/* OpenSSL clears a freed EC key */
	X509_free(creds->cert);
	sk_X509_pop_free(creds->subcas, X509_free);
	X509_free(creds->usim_ca);
	memset(creds, 0, sizeof(*creds));
}
