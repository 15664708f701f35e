// SPDX-License-Identifier: GPL-2.0
/*
 * scp11a_cert.c: the certificate checks before an SCP11a key agreement
 * (issue 15 items 1 and 5), on certificates made here: a chain to CA-KLOC
 * is accepted and gives the static key the handshake then uses; a chain
 * through an intermediate needs the intermediate; another CA, an expired
 * certificate, SHA-384, a P-384 key are refused, saying why.
 */
#include <errno.h>
#include <string.h>

#include "crypto/scp11a.h"
#include "crypto/scp11a_cert.h"
#include "keyupdate_fixture.h"
#include "tap.h"

static EVP_PKEY *p256(void)
{
	EVP_PKEY *key;

	if (scp11a_key_generate(&key))
		exit(2);
	return key;
}

static int same_key(EVP_PKEY *a, EVP_PKEY *b)
{
	uint8_t pa[SCP11A_POINT_LEN], pb[SCP11A_POINT_LEN];

	return !scp11a_key_point(a, pa) && !scp11a_key_point(b, pb) &&
	       !memcmp(pa, pb, sizeof(pa));
}

int main(void)
{
	EVP_PKEY *ca_key = p256(), *int_key = p256(), *oce_key = p256();
	EVP_PKEY *other_key = p256(), *sd_key = p256(), *key, *p384;
	X509 *ca, *inter, *oce, *oce_via, *other_ca, *foreign, *expired;
	X509 *sha384, *big, *usim;
	STACK_OF(X509) *chain = sk_X509_new_null();
	uint8_t data[SCP11A_AUTH_DATA_LEN], resp[SCP11A_AUTH_RESP_LEN];
	struct scp11a_keys sd_keys, oce_keys;
	EVP_PKEY *eph_oce = p256(), *eph_sd = p256(), *sd_pub;
	char why[200];
	int ret;

	ca = make_cert(ca_key, "CA-KLOC", NULL, NULL, EVP_sha256(), 365, 1);
	inter = make_cert(int_key, "KLOC sub-CA", ca, ca_key, EVP_sha256(),
			  365, 1);
	oce = make_cert(oce_key, "prov.example", ca, ca_key, EVP_sha256(),
			30, 0);
	oce_via = make_cert(oce_key, "prov2.example", inter, int_key,
			    EVP_sha256(), 30, 0);
	other_ca = make_cert(other_key, "CA-KLOC", NULL, NULL, EVP_sha256(),
			     365, 1);
	foreign = make_cert(oce_key, "prov.example", other_ca, other_key,
			    EVP_sha256(), 30, 0);
	expired = make_cert(oce_key, "prov.example", ca, ca_key, EVP_sha256(),
			    -1, 0);
	sha384 = make_cert(oce_key, "prov.example", ca, ca_key, EVP_sha384(),
			   30, 0);
	p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	big = make_cert(p384, "prov.example", ca, ca_key, EVP_sha256(), 30, 0);

	ok(scp11a_cert_verify(&key, oce, NULL, ca, why, sizeof(why)) == 0 &&
	   same_key(key, oce_key),
	   "the OCE's certificate chains to CA-KLOC: its key");

	/* That key is the one the USIM agrees with. */
	usim = make_cert(sd_key, "usim", ca, ca_key, EVP_sha256(), 30, 0);
	sd_pub = X509_get_pubkey(usim);
	ok(scp11a_oce_auth_data(data, eph_oce) == 0 &&
	   scp11a_sd_authenticate(&sd_keys, resp, data, sizeof(data), eph_sd,
				  sd_key, key) == 0 &&
	   scp11a_oce_complete(&oce_keys, data, resp, sizeof(resp), eph_oce,
			       oce_key, sd_pub) == 0,
	   "the checked key makes a handshake whose receipt verifies");
	EVP_PKEY_free(key);

	ret = scp11a_cert_verify(&key, oce_via, NULL, ca, why, sizeof(why));
	ok(ret == -EKEYREJECTED && !key,
	   "refused: through a sub-CA not sent (%s)", why);
	sk_X509_push(chain, inter);
	ok(scp11a_cert_verify(&key, oce_via, chain, ca, why, sizeof(why)) ==
	   0 && same_key(key, oce_key), "with the sub-CA sent: accepted");
	EVP_PKEY_free(key);

	ret = scp11a_cert_verify(&key, foreign, NULL, ca, why, sizeof(why));
	ok(ret == -EKEYREJECTED && strstr(why, "signature"),
	   "refused: a certificate of another CA of the same name (%s)", why);
	ret = scp11a_cert_verify(&key, expired, NULL, ca, why, sizeof(why));
	ok(ret == -EKEYREJECTED && strstr(why, "expired"),
	   "refused: an expired certificate (%s)", why);
	ret = scp11a_cert_verify(&key, sha384, NULL, ca, why, sizeof(why));
	ok(ret == -EINVAL, "refused: ECDSA with SHA-384 (%s)", why);
	ret = scp11a_cert_verify(&key, big, NULL, ca, why, sizeof(why));
	ok(ret == -EINVAL && !key, "refused: a P-384 key (%s)", why);

	scp11a_keys_wipe(&sd_keys);
	scp11a_keys_wipe(&oce_keys);
	sk_X509_free(chain);
	X509_free(ca);
	X509_free(inter);
	X509_free(oce);
	X509_free(oce_via);
	X509_free(other_ca);
	X509_free(foreign);
	X509_free(expired);
	X509_free(sha384);
	X509_free(big);
	X509_free(usim);
	EVP_PKEY_free(sd_pub);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(int_key);
	EVP_PKEY_free(oce_key);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(sd_key);
	EVP_PKEY_free(p384);
	EVP_PKEY_free(eph_oce);
	EVP_PKEY_free(eph_sd);
	return done_testing();
}
