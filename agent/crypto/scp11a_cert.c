// SPDX-License-Identifier: GPL-2.0
/*
 * SCP11a certificates; see scp11a_cert.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include <openssl/obj_mac.h>
#include <openssl/x509_vfy.h>

#include "scp11a_cert.h"

static int why_not(char *why, size_t why_size, int err, const char *text)
{
	if (why && why_size)
		snprintf(why, why_size, "%s", text);
	return err;
}

/* ECDSA with SHA-256, and for the leaf a P-256 key. */
static int check_algorithms(X509 *cert, bool is_leaf)
{
	EVP_PKEY *key;

	if (X509_get_signature_nid(cert) != NID_ecdsa_with_SHA256)
		return -EINVAL;
	if (!is_leaf)
		return 0;
	key = X509_get0_pubkey(cert);
	if (!key || !EVP_PKEY_is_a(key, "EC") || EVP_PKEY_get_bits(key) != 256)
		return -EINVAL;
	return 0;
}

int scp11a_cert_verify(EVP_PKEY **key, X509 *leaf, STACK_OF(X509) *chain,
		       X509 *ca, char *why, size_t why_size)
{
	X509_STORE_CTX *ctx = NULL;
	X509_STORE *store;
	int i, ret = -ENOMEM;

	*key = NULL;
	if (check_algorithms(leaf, true))
		return why_not(why, why_size, -EINVAL,
			       "not a P-256 key signed with ECDSA-SHA-256");
	for (i = 0; chain && i < sk_X509_num(chain); i++)
		if (check_algorithms(sk_X509_value(chain, i), false))
			return why_not(why, why_size, -EINVAL,
				       "an intermediate not signed with ECDSA-SHA-256");
	store = X509_STORE_new();
	if (!store || !X509_STORE_add_cert(store, ca))
		goto out;
	/* The CA given is the anchor even if it is not self-signed. */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	ctx = X509_STORE_CTX_new();
	if (!ctx || !X509_STORE_CTX_init(ctx, store, leaf, chain))
		goto out;
	if (X509_verify_cert(ctx) != 1) {
		ret = why_not(why, why_size, -EKEYREJECTED,
			      X509_verify_cert_error_string(
				      X509_STORE_CTX_get_error(ctx)));
		goto out;
	}
	*key = X509_get_pubkey(leaf);
	ret = *key ? 0 : -ENOMEM;
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ret;
}
