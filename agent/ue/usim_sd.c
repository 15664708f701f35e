// SPDX-License-Identifier: GPL-2.0
/*
 * A USIM's security domain credentials, see usim_sd.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/obj_mac.h>
#include <openssl/x509v3.h>

#include "crypto/scp11a.h"
#include "usim_sd.h"

_Static_assert(STORE_SD_KEY_LEN == SCP11A_SCALAR_LEN,
	       "the store keeps SK.SD as SCP11a's scalar");

/* A certificate's key on P-256 (EVP_PKEY_get_bits() alone admits
 * another 256-bit curve). */
static bool p256(EVP_PKEY *key)
{
	char group[32];

	return key && EVP_PKEY_is_a(key, "EC") &&
	       EVP_PKEY_get_group_name(key, group, sizeof(group), NULL) &&
	       !strcmp(group, "prime256v1");
}

/* One certificate into out as DER: 0, -EINVAL (too long) or -ENOMEM. */
static int to_der(X509 *x, uint8_t *out, size_t *len)
{
	int n = i2d_X509(x, NULL);
	uint8_t *p = out;

	if (n <= 0)
		return -ENOMEM;
	if (n > STORE_SD_CERT_MAX)
		return -EINVAL;
	if (i2d_X509(x, &p) != n)
		return -ENOMEM;
	*len = (size_t)n;
	return 0;
}

static int refuse(char *why, size_t why_size, const char *text)
{
	snprintf(why, why_size, "%s", text);
	return -EINVAL;
}

static int check_cert(EVP_PKEY *key, X509 *cert, char *why, size_t size)
{
	EVP_PKEY *pub = X509_get0_pubkey(cert);

	if (!p256(pub))
		return refuse(why, size, "the certificate's key is not P-256");
	if (X509_get_signature_nid(cert) != NID_ecdsa_with_SHA256)
		return refuse(why, size,
			      "the certificate is not signed with ECDSA-SHA-256");
	if (EVP_PKEY_eq(pub, key) != 1)
		return refuse(why, size,
			      "the key is not the certificate's key");
	return 0;
}

static int check_ca(X509 *ca, char *why, size_t size)
{
	if (X509_check_ca(ca) < 1)
		return refuse(why, size, "CA-KLOC is not a CA certificate");
	if (!p256(X509_get0_pubkey(ca)))
		return refuse(why, size, "CA-KLOC's key is not P-256");
	return 0;
}

int usim_sd_check(EVP_PKEY *key, X509 *cert, X509 *ca_kloc,
		  struct store_usim_sd *out, char *why, size_t why_size)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (!p256(key) || scp11a_key_scalar(key, out->key))
		return refuse(why, why_size,
			      "the key is not a P-256 private key");
	ret = check_cert(key, cert, why, why_size);
	if (!ret)
		ret = check_ca(ca_kloc, why, why_size);
	if (!ret) {
		ret = to_der(cert, out->cert, &out->cert_len);
		if (!ret)
			ret = to_der(ca_kloc, out->ca_kloc, &out->ca_kloc_len);
		if (ret == -EINVAL)
			refuse(why, why_size, "a certificate is longer than"
			       " the store keeps (2048 octets)");
	}
	if (ret)
		store_usim_sd_wipe(out);
	return ret;
}

static X509 *from_der(const uint8_t *der, size_t len)
{
	const uint8_t *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	if (x && p != der + len) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int usim_sd_load(struct store *store, const char *iccid, EVP_PKEY **key,
		 X509 **cert, X509 **ca_kloc, char *why, size_t why_size)
{
	struct store_usim_sd sd;
	int ret = store_usim_sd_get(store, iccid, &sd);

	*key = NULL;
	*cert = *ca_kloc = NULL;
	if (ret) {
		snprintf(why, why_size, "%s", store_errmsg(store));
		return ret;
	}
	*cert = from_der(sd.cert, sd.cert_len);
	*ca_kloc = from_der(sd.ca_kloc, sd.ca_kloc_len);
	if (!*cert || !*ca_kloc) {
		snprintf(why, why_size, "a kept SD certificate does not parse");
		ret = -EUCLEAN;
	} else {
		ret = scp11a_key_from_scalar(key, sd.key);
		if (ret)
			snprintf(why, why_size, "the kept SK.SD is not a"
				 " P-256 key");
	}
	store_usim_sd_wipe(&sd);
	if (ret) {
		X509_free(*cert);
		X509_free(*ca_kloc);
		*cert = *ca_kloc = NULL;
	}
	return ret;
}
