// SPDX-License-Identifier: GPL-2.0
/*
 * A USIM's security domain credentials for key updates (schema 15,
 * store_usim_sd_*, ue/usim_sd.h): SK.SD, its certificate and CA-KLOC
 * checked together (each refusal with its reason, nothing returned),
 * kept in the UE's store beside the USIM with SK.SD sealed (not in the
 * file in the clear, a changed certificate failing to open), read back
 * as the handshake wants them; none set, no such USIM, bad lengths; the
 * 14 -> 15 migration.
 */
#include <errno.h>

#include <openssl/crypto.h>

#include "keyupdate_fixture.h"
#include "store_fixture.h"
#include "ue/usim_sd.h"

#define OTHER_ICCID	"8988211000000000002"

static struct store *ue;
static char ue_path[SCRATCH_PATH_MAX];
static struct keyupdate_pki pki;
static X509 *sd_cert;		/* SK.SD's, by CA-KLOC */

/* usim_sd_check() refuses with exactly why, and leaves out zeroed. */
static void refused(EVP_PKEY *key, X509 *cert, X509 *ca, const char *want,
		    const char *name)
{
	struct store_usim_sd *out = OPENSSL_zalloc(sizeof(*out));
	char why[256] = "";
	int ret;

	if (!out)
		bail("out of memory");
	ret = usim_sd_check(key, cert, ca, out, why, sizeof(why));
	ok(ret == -EINVAL && !strcmp(why, want) &&
	   all_zero((const uint8_t *)out, sizeof(*out)),
	   "check: %s: -EINVAL, \"%s\", nothing returned", name, want);
	if (strcmp(why, want))
		printf("# got \"%s\"\n", why);
	OPENSSL_clear_free(out, sizeof(*out));
}

static void test_check(void)
{
	EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	X509 *p384_cert = make_cert(p384, "SD P-384", pki.ca_kloc, pki.ca_key,
				    EVP_sha256(), 30, 0);
	X509 *sha384 = make_cert(pki.sk_sd, "SD", pki.ca_kloc, pki.ca_key,
				 EVP_sha384(), 30, 0);
	X509 *p384_ca = make_cert(p384, "CA-KLOC", NULL, NULL, EVP_sha256(),
				  30, 1);

	refused(pki.sk_oce, sd_cert, pki.ca_kloc,
		"the key is not the certificate's key", "SK.OCE for the SD's"
		" certificate");
	refused(pki.pk_sd, sd_cert, pki.ca_kloc,
		"the key is not a P-256 private key", "the public half only");
	refused(p384, p384_cert, pki.ca_kloc,
		"the key is not a P-256 private key", "a P-384 key");
	refused(pki.sk_sd, p384_cert, pki.ca_kloc,
		"the certificate's key is not P-256",
		"a certificate of a P-384 key");
	refused(pki.sk_sd, sha384, pki.ca_kloc,
		"the certificate is not signed with ECDSA-SHA-256",
		"a certificate signed with ECDSA-SHA-384");
	refused(pki.sk_sd, sd_cert, sd_cert, "CA-KLOC is not a CA certificate",
		"the SD's own certificate as CA-KLOC");
	refused(pki.sk_sd, sd_cert, p384_ca, "CA-KLOC's key is not P-256",
		"a P-384 CA-KLOC");
	EVP_PKEY_free(p384);
	X509_free(p384_cert);
	X509_free(sha384);
	X509_free(p384_ca);
}

/* The DER of x equals der. */
static bool same_der(X509 *x, const uint8_t *der, size_t len)
{
	uint8_t *mine = NULL;
	int n = i2d_X509(x, &mine);
	bool same = n > 0 && (size_t)n == len && !memcmp(mine, der, len);

	OPENSSL_free(mine);
	return same;
}

static void test_store(void)
{
	struct store_usim_sd sd, got;
	uint8_t scalar[SCP11A_SCALAR_LEN];
	char why[256] = "";
	EVP_PKEY *key;
	X509 *cert, *ca;

	ok(store_usim_sd_get(ue, TEST_ICCID, &got) == -ENODATA &&
	   usim_sd_load(ue, TEST_ICCID, &key, &cert, &ca, why,
			sizeof(why)) == -ENODATA && !key && !cert && !ca &&
	   !strcmp(why, "no SD credentials set for the USIM"
		   " (e2mctl usim sd-set)"),
	   "none set: -ENODATA, and the load says to run usim sd-set");
	ok(usim_sd_check(pki.sk_sd, sd_cert, pki.ca_kloc, &sd, why,
			 sizeof(why)) == 0 && sd.key[0] == 0x33 &&
	   sd.key[31] == 0x33 && same_der(sd_cert, sd.cert, sd.cert_len) &&
	   same_der(pki.ca_kloc, sd.ca_kloc, sd.ca_kloc_len),
	   "check: SK.SD (33..33), its certificate by CA-KLOC, CA-KLOC: 0,"
	   " the scalar and both DERs");
	ok(store_usim_sd_set(ue, OTHER_ICCID, &sd) == -ENOENT &&
	   store_usim_sd_get(ue, OTHER_ICCID, &got) == -ENOENT,
	   "no such USIM: set and get -ENOENT");
	ok(store_usim_sd_set(ue, TEST_ICCID, &sd) == 0 &&
	   store_usim_sd_get(ue, TEST_ICCID, &got) == 0 &&
	   !memcmp(&got.key, sd.key, sizeof(sd.key)) &&
	   got.cert_len == sd.cert_len && got.ca_kloc_len == sd.ca_kloc_len &&
	   !memcmp(got.cert, sd.cert, sd.cert_len) &&
	   !memcmp(got.ca_kloc, sd.ca_kloc, sd.ca_kloc_len),
	   "set, then read back: the same scalar and certificates");
	store_usim_sd_wipe(&got);
	ok(!store_files_contain(ue_path, sd.key, sizeof(sd.key)),
	   "SK.SD is not in the store's files in the clear");

	ok(usim_sd_load(ue, TEST_ICCID, &key, &cert, &ca, why,
			sizeof(why)) == 0 && key && cert && ca &&
	   scp11a_key_scalar(key, scalar) == 0 &&
	   !memcmp(scalar, sd.key, sizeof(scalar)) &&
	   X509_cmp(cert, sd_cert) == 0 && X509_cmp(ca, pki.ca_kloc) == 0,
	   "load: SK.SD a key pair of the same scalar, the certificate and"
	   " CA-KLOC as set");
	OPENSSL_cleanse(scalar, sizeof(scalar));
	EVP_PKEY_free(key);
	X509_free(cert);
	X509_free(ca);

	ok(raw_sql(ue_path, "UPDATE usims SET ca_kloc = sd_cert") ==
	   SQLITE_OK && store_usim_sd_get(ue, TEST_ICCID, &got) ==
	   -EKEYREJECTED && all_zero((const uint8_t *)&got, sizeof(got)),
	   "CA-KLOC changed in the file: SK.SD does not open,"
	   " -EKEYREJECTED, nothing returned");
	ok(store_usim_sd_set(ue, TEST_ICCID, &sd) == 0 &&
	   store_usim_sd_get(ue, TEST_ICCID, &got) == 0,
	   "set again: replaced whole, opens again");
	store_usim_sd_wipe(&got);

	sd.cert_len = 0;
	ok(store_usim_sd_set(ue, TEST_ICCID, &sd) == -EINVAL,
	   "an empty certificate: -EINVAL");
	sd.cert_len = STORE_SD_CERT_MAX + 1;
	ok(store_usim_sd_set(ue, TEST_ICCID, &sd) == -EINVAL,
	   "a certificate of 2049 octets: -EINVAL");
	ok(store_usim_sd_set(ue, "12ab", &sd) == -EINVAL,
	   "a bad ICCID: -EINVAL");
	ok(store_usim_sd_get(ue, TEST_ICCID, &got) == 0 &&
	   same_der(sd_cert, got.cert, got.cert_len),
	   "after the refusals: what was set, unchanged");
	store_usim_sd_wipe(&got);
	store_usim_sd_wipe(&sd);
}

static void test_migration(void)
{
	const char *path = scratch_path("v14.db");
	struct store_usim_sd sd, got;
	struct store_key key;
	struct store *store;
	struct store_usim u;
	char why[256];

	test_key(&key, 0x5a);
	store = open_store(path, &key);
	add_set1_usim(store, TEST_ICCID, SET1_K, 0);
	store_close(store);
	ok(raw_sql(path, UNDO_SCHEMAS_AFTER_14 " PRAGMA user_version = 14") ==
	   SQLITE_OK, "migration: the store made a version 14 one");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   store_usim_get(store, TEST_ICCID, &u) == 0 &&
	   store_usim_sd_get(store, TEST_ICCID, &got) == -ENODATA,
	   "migration: 14 -> %d, the USIM as it was, no SD credentials",
	   SCHEMA_NOW);
	store_usim_wipe(&u);
	ok(usim_sd_check(pki.sk_sd, sd_cert, pki.ca_kloc, &sd, why,
			 sizeof(why)) == 0 &&
	   store_usim_sd_set(store, TEST_ICCID, &sd) == 0 &&
	   store_usim_sd_get(store, TEST_ICCID, &got) == 0,
	   "migration: then set and read back");
	store_usim_sd_wipe(&sd);
	store_usim_sd_wipe(&got);
	store_close(store);
}

int main(void)
{
	struct store_key key;

	keyupdate_pki_make(&pki);
	sd_cert = make_cert(pki.sk_sd, "SD " TEST_ICCID, pki.ca_kloc,
			    pki.ca_key, EVP_sha256(), 30, 0);
	scratch_make("keyupdate_sd");
	snprintf(ue_path, sizeof(ue_path), "%s", scratch_path("ue.db"));
	test_key(&key, 0x5a);
	ue = open_store(ue_path, &key);
	add_set1_usim(ue, TEST_ICCID, SET1_K, 0);

	test_check();
	test_store();
	test_migration();

	store_close(ue);
	scratch_remove();
	X509_free(sd_cert);
	keyupdate_pki_free(&pki);
	return done_testing();
}
