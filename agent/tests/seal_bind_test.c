// SPDX-License-Identifier: GPL-2.0
/*
 * The seal binds the columns a row is found by or decided on
 * (store/sqlite_seal.c, issue 16 item 6):
 *
 * - the version 2 format of seal.h, checked against blobs this test makes
 *   with OpenSSL from the AAD as seal.h writes it down, and every change
 *   of place, value, type, order or boundary refused;
 * - the row MAC of store/sqlite_row_mac.c, checked against one made
 *   with OpenSSL from its documented text;
 * - for each table family, table-driven (struct tamper, one runner): a
 *   bound column changed behind the store's back (a swapped IMPI, an
 *   extended expiry, another USS, a changed Device_ID, a cleared
 *   revocation or completion, another keyring serial, two blocked
 *   devices swapped, another KSI or address of a flow or UE, ...) makes
 *   the lookup fail with -EKEYREJECTED, and the HSS's auc_vector()
 *   refuses as well, advancing no SQN; an update of a row that fails its
 *   MAC is refused and changes nothing; the columns documented as not
 *   bound are shown to be so;
 * - the migration to schema 10: a schema 9 store of version 1 blobs ends
 *   at the schema of today with every blob version 2 and every secret as
 *   it was; a wrong key leaves it untouched; a version 1 blob planted
 *   afterwards, or after setting user_version back, is refused;
 * - the migration to schema 11: a schema 10 store gets a MAC on every row
 *   of every table that has one, and every row reads; a wrong key leaves
 *   it untouched; set back to 10, nothing is re-MACed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "aka/auc.h"
#include "store/seal.h"
#include "store_fixture.h"

#define IMSI_A		"001010000000011"
#define IMPI_A		"001010000000011@ims.mnc001.mcc001.3gppnetwork.org"
#define IMSI_B		"001010000000022"
#define IMPI_B		"001010000000022@ims.mnc001.mcc001.3gppnetwork.org"
#define BTID		"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define BTID2		"AAAAAAAAAAAAAAAAAAAAAA==@bsf.home1.net"
#define DEVICE		"imei:490154203237518"
#define DEVICE2		"imei:490154203237519"
#define ICCID2		"8988211000000000002"
#define KPM_ID		"kpm-0001"
#define KE_ID		"vbil5qy0yhIdG0p1WqDHRQ==@mef.test"

static struct store_key key;
/*
 * The owner of the HSE flows here: the host's name, which the migration
 * to schema 18 gives the rows of before it, so that a row reads the same
 * before and after it.
 */
static char flow_owner[STORE_HSE_OWNER_MAX + 1];
static const uint8_t naf_id[] = "nafkc.test\x01\x00\x00\x00\x02";
#define NAF_ID_LEN	(sizeof(naf_id) - 1)

/* ---- the format, independently of seal.c ------------------------------- */

struct aad {
	uint8_t bytes[512];
	size_t len;
};

static void aad_put(struct aad *aad, const void *bytes, size_t len)
{
	if (aad->len + len > sizeof(aad->bytes))
		bail("AAD too long");
	memcpy(aad->bytes + aad->len, bytes, len);
	aad->len += len;
}

static void aad_u32(struct aad *aad, uint32_t v)
{
	uint8_t be[4] = { v >> 24, v >> 16, v >> 8, v };

	aad_put(aad, be, 4);
}

static void aad_str(struct aad *aad, const char *s)
{
	aad_u32(aad, (uint32_t)strlen(s));
	aad_put(aad, s, strlen(s));
}

/* The AAD of seal.h for table/row/column and fields impi (text), expires. */
static void aad_v2(struct aad *aad, const char *impi, int64_t expires)
{
	uint8_t be[8];
	int i;

	aad->len = 0;
	aad_put(aad, "e2m-store/2", 11);
	aad_str(aad, "sessions");
	aad_str(aad, BTID);
	aad_str(aad, "ks");
	aad_u32(aad, 2);
	aad_str(aad, "impi");
	aad_put(aad, "\x02", 1);
	aad_str(aad, impi);
	aad_str(aad, "expires");
	aad_put(aad, "\x01", 1);
	for (i = 0; i < 8; i++)
		be[i] = (uint8_t)((uint64_t)expires >> (56 - 8 * i));
	aad_put(aad, be, 8);
}

/* The version 1 AAD: label NUL table NUL row NUL column NUL. */
static void aad_v1(struct aad *aad, const char *table, const char *row,
		   const char *column)
{
	const char *parts[] = { "e2m-store/1", table, row, column };
	size_t i;

	aad->len = 0;
	for (i = 0; i < 4; i++)
		aad_put(aad, parts[i], strlen(parts[i]) + 1);
}

/* AES-256-GCM with OpenSSL: version || nonce || ciphertext || tag. */
static void gcm_seal(uint8_t version, const struct aad *aad,
		     const uint8_t *secret, size_t len, uint8_t *blob)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n;

	blob[0] = version;
	memset(blob + 1, 0x5a, SEAL_NONCE_LEN);
	if (!ctx ||
	    !EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key.bytes,
				blob + 1) ||
	    !EVP_EncryptUpdate(ctx, NULL, &n, aad->bytes, (int)aad->len) ||
	    !EVP_EncryptUpdate(ctx, blob + 1 + SEAL_NONCE_LEN, &n, secret,
			       (int)len) ||
	    !EVP_EncryptFinal_ex(ctx, blob + 1 + SEAL_NONCE_LEN + n, &n) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SEAL_TAG_LEN,
				 blob + 1 + SEAL_NONCE_LEN + len))
		bail("gcm_seal");
	EVP_CIPHER_CTX_free(ctx);
}

static int gcm_open(const struct aad *aad, const uint8_t *blob, size_t len,
		    uint8_t *secret)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t tag[SEAL_TAG_LEN];
	int n, good;

	memcpy(tag, blob + 1 + SEAL_NONCE_LEN + len, sizeof(tag));
	good = ctx &&
	       EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key.bytes,
				  blob + 1) &&
	       EVP_DecryptUpdate(ctx, NULL, &n, aad->bytes, (int)aad->len) &&
	       EVP_DecryptUpdate(ctx, secret, &n, blob + 1 + SEAL_NONCE_LEN,
				 (int)len) &&
	       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SEAL_TAG_LEN,
				   tag) &&
	       EVP_DecryptFinal_ex(ctx, secret + n, &n) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return good;
}

/* Opening blob at place: the result, and secret zeroed when refused. */
static int open_at(const struct seal_place *place, const uint8_t *blob,
		   const uint8_t *want)
{
	uint8_t got[32];
	int ret = unseal_secret(&key, place, blob, SEAL_OVERHEAD + 32, got, 32);

	if (ret == 0 && memcmp(got, want, 32))
		return -1000;		/* opened to something else */
	if (ret && !all_zero(got, 32))
		return -1001;		/* refused but not wiped */
	return ret;
}

static void test_format(void)
{
	uint8_t secret[32], blob[SEAL_OVERHEAD + 32], back[32];
	struct seal_field fields[3] = {
		SEAL_TEXT_FIELD("impi", TEST_IMPI),
		SEAL_INT_FIELD("expires", 2000),
	};
	struct seal_place place = {
		.table = "sessions", .row = BTID, .column = "ks",
		.fields = fields, .n_fields = 2,
	};
	struct seal_place other = place;
	struct aad aad;

	memset(secret, 0x3c, sizeof(secret));
	aad_v2(&aad, TEST_IMPI, 2000);
	gcm_seal(2, &aad, secret, sizeof(secret), blob);
	ok(open_at(&place, blob, secret) == 0,
	   "format: a blob made with OpenSSL from seal.h's AAD text opens");
	ok(seal_secret(&key, &place, secret, sizeof(secret), blob) == 0 &&
	   blob[0] == 2 && gcm_open(&aad, blob, sizeof(secret), back) &&
	   !memcmp(back, secret, sizeof(back)),
	   "format: seal_secret() writes version 2 and that AAD");

	fields[0] = SEAL_TEXT_FIELD("impi", IMPI_A);
	ok(open_at(&place, blob, secret) == -EKEYREJECTED,
	   "format: another IMPI is refused, the secret zeroed");
	fields[0] = SEAL_TEXT_FIELD("impi", TEST_IMPI);
	fields[1] = SEAL_INT_FIELD("expires", 2001);
	ok(open_at(&place, blob, secret) == -EKEYREJECTED,
	   "format: an expiry one second later is refused");
	fields[1] = SEAL_TEXT_FIELD("expires", "2000");
	ok(open_at(&place, blob, secret) == -EKEYREJECTED,
	   "format: the text \"2000\" is not the integer 2000");
	fields[1] = SEAL_INT_FIELD("expires", 2000);
	place.n_fields = 1;
	ok(open_at(&place, blob, secret) == -EKEYREJECTED,
	   "format: a field left out is refused");
	fields[2] = SEAL_INT_FIELD("flags", 0);
	place.n_fields = 3;
	ok(open_at(&place, blob, secret) == -EKEYREJECTED,
	   "format: a field added is refused");
	place.n_fields = 2;
	fields[0] = SEAL_INT_FIELD("expires", 2000);
	fields[1] = SEAL_TEXT_FIELD("impi", TEST_IMPI);
	ok(open_at(&place, blob, secret) == -EKEYREJECTED,
	   "format: the same fields in another order are refused");
	fields[0] = SEAL_TEXT_FIELD("impi", TEST_IMPI);
	fields[1] = SEAL_INT_FIELD("expires", 2000);
	ok(open_at(&place, blob, secret) == 0,
	   "format: the fields as sealed open again");
	other.table = "session";
	other.row = "s" BTID;
	ok(open_at(&other, blob, secret) == -EKEYREJECTED,
	   "format: a boundary moved between table and row is refused");
	other = place;
	other.column = "k";
	ok(open_at(&other, blob, secret) == -EKEYREJECTED,
	   "format: another column is refused");

	/* Version 1: refused by unseal_secret(), opened by seal_open_v1(). */
	aad_v1(&aad, "sessions", BTID, "ks");
	gcm_seal(1, &aad, secret, sizeof(secret), blob);
	ok(open_at(&place, blob, secret) == -EKEYREJECTED,
	   "format: a version 1 blob is refused by unseal_secret()");
	ok(seal_open_v1(&key, &place, blob, sizeof(blob), back,
			sizeof(back)) == 0 && !memcmp(back, secret, 32),
	   "format: seal_open_v1() opens it (the migration's only way)");
	blob[0] = 2;
	ok(open_at(&place, blob, secret) == -EKEYREJECTED,
	   "format: and relabelled version 2, it does not open either");
	ok(seal_secret(&key, &place, secret, sizeof(secret), blob) == 0 &&
	   seal_open_v1(&key, &place, blob, sizeof(blob), back,
			sizeof(back)) == -EKEYREJECTED && all_zero(back, 32),
	   "format: seal_open_v1() refuses a version 2 blob");
}

/* ---- tampering, table by table ----------------------------------------- */

static const char *db_path;

static void sql(const char *text)
{
	if (raw_sql(db_path, text) != SQLITE_OK) {
		printf("# %s\n", text);
		bail("raw SQL failed");
	}
}

static int64_t sql_int(const char *path, const char *text)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int64_t value = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, text, -1, &stmt, NULL) != SQLITE_OK)
		bail("sql_int");
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return value;
}

static int sub_get(struct store *store, const char *id)
{
	struct store_subscriber sub;
	int ret = store_subscriber_get(store, id, &sub);

	if (ret && !all_zero(sub.k, sizeof(sub.k)))
		ret = -1001;
	store_subscriber_wipe(&sub);
	return ret;
}

static void fill_session(struct store_session *s, const char *btid)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->pub.btid, sizeof(s->pub.btid), "%s", btid);
	strcpy(s->pub.impi, TEST_IMPI);
	memset(s->pub.rand, 0x11, sizeof(s->pub.rand));
	memset(s->ks, 0x21, sizeof(s->ks));
	strcpy(s->pub.uss, "");
	s->pub.created = 1000;
	s->pub.expires = 2000;
}

static int session_get(struct store *store, const char *btid)
{
	struct store_session s;
	int ret = store_session_get(store, btid, 1500, &s);

	if (ret && !all_zero(s.ks, sizeof(s.ks)))
		ret = -1001;
	store_session_wipe(&s);
	return ret;
}

static int session_latest(struct store *store, const char *impi)
{
	struct store_session s;
	int ret = store_session_latest(store, impi, 1500, &s);

	store_session_wipe(&s);
	return ret;
}

static int usim_get(struct store *store, struct store_usim *usim)
{
	int ret = store_usim_get(store, TEST_ICCID, usim);

	if (ret && !all_zero(usim->k, sizeof(usim->k)))
		ret = -1001;
	return ret;
}

static int gba_get(struct store *store)
{
	struct store_usim_gba gba;
	int ret = store_usim_gba_get(store, TEST_ICCID, &gba);

	if (ret && !all_zero(gba.ks, sizeof(gba.ks)))
		ret = -1001;
	store_usim_gba_wipe(&gba);
	return ret;
}

static void fill_ks_local(struct store_ks_local *k)
{
	memset(k, 0, sizeof(*k));
	strcpy(k->pub.btid, BTID);
	strcpy(k->pub.device_id, DEVICE);
	strcpy(k->pub.label, "ks_local_device");
	memcpy(k->pub.naf_id, naf_id, NAF_ID_LEN);
	k->pub.naf_id_len = NAF_ID_LEN;
	k->pub.issued = 1000;
	k->pub.expires = 1600;
	memset(k->key, 0x26, sizeof(k->key));
}

static int ks_local_get(struct store *store, const char *device)
{
	struct store_ks_local k;
	int ret = store_ks_local_get(store, BTID, device, "ks_local_device",
				     &k);

	if (ret && !all_zero(k.key, sizeof(k.key)))
		ret = -1001;
	store_ks_local_wipe(&k);
	return ret;
}

static void fill_mt_key(struct store_mt_key *k)
{
	memset(k, 0, sizeof(*k));
	strcpy(k->pub.btid, BTID);
	memcpy(k->pub.naf_id, naf_id, NAF_ID_LEN);
	k->pub.naf_id_len = NAF_ID_LEN;
	strcpy(k->pub.device_id, DEVICE);
	strcpy(k->pub.iccid, TEST_ICCID);
	k->pub.created = 1000;
	k->pub.expires = 5000;
	memset(k->key, 0x27, sizeof(k->key));
}

static int mt_get(struct store *store, const char *device)
{
	struct store_mt_key k;
	int ret = store_mt_key_get(store, BTID, naf_id, NAF_ID_LEN, device, &k);

	if (ret && !all_zero(k.key, sizeof(k.key)))
		ret = -1001;
	store_mt_key_wipe(&k);
	return ret;
}

static void fill_remote(struct store_remote_key *k)
{
	memset(k, 0, sizeof(*k));
	strcpy(k->pub.device_id, DEVICE);
	memcpy(k->pub.naf_id, naf_id, NAF_ID_LEN);
	k->pub.naf_id_len = NAF_ID_LEN;
	strcpy(k->pub.btid, BTID);
	strcpy(k->pub.label, "ks_local_device");
	k->pub.created = 1000;
	k->pub.expires = 5000;
	memset(k->key, 0x28, sizeof(k->key));
}

static int remote_get(struct store *store, const char *device)
{
	struct store_remote_key k;
	int ret = store_remote_key_get(store, device, naf_id, NAF_ID_LEN, &k);

	if (ret && !all_zero(k.key, sizeof(k.key)))
		ret = -1001;
	store_remote_key_wipe(&k);
	return ret;
}

static void fill_config(struct store_onem2m_config *config)
{
	strcpy(config->enrolee_id, "CAE-enrolee-1");
	config->target_kind = STORE_ONEM2M_MAF;
	strcpy(config->target_id, "maf-1");
}

static int kpm_get(struct store *store)
{
	struct store_onem2m_kpm kpm;
	int ret = store_onem2m_kpm_get(store, KPM_ID, &kpm);

	if (ret && !all_zero(kpm.kpm, sizeof(kpm.kpm)))
		ret = -1001;
	store_onem2m_kpm_wipe(&kpm);
	return ret;
}

static int ke_get(struct store *store)
{
	struct store_onem2m_ke ke;
	int ret = store_onem2m_ke_get(store, KE_ID, &ke);

	if (ret && !all_zero(ke.ke, sizeof(ke.ke)))
		ret = -1001;
	store_onem2m_ke_wipe(&ke);
	return ret;
}

static void fill_onem2m(struct store_onem2m_kpm *kpm,
			struct store_onem2m_ke *ke)
{
	memset(kpm, 0, sizeof(*kpm));
	strcpy(kpm->pub.kpm_id, KPM_ID);
	fill_config(&kpm->pub.config);
	kpm->pub.created = 1000;
	memset(kpm->kpm, 0x29, sizeof(kpm->kpm));
	memset(ke, 0, sizeof(*ke));
	strcpy(ke->pub.ke_id, KE_ID);
	strcpy(ke->pub.kpm_id, KPM_ID);
	fill_config(&ke->pub.config);
	strcpy(ke->pub.mef, "mef.test");
	ke->pub.created = 1000;
	ke->pub.expires = 5000;
	memset(ke->ke, 0x2a, sizeof(ke->ke));
}
/* The lookups the cases probe with, each its result (-1001: not wiped). */
static int sub_impi_a(struct store *store)
{
	return sub_get(store, IMPI_A);
}

static int sub_impi_b(struct store *store)
{
	return sub_get(store, IMPI_B);
}

static int sub_imsi_a(struct store *store)
{
	return sub_get(store, IMSI_A);
}

static int session_by_btid(struct store *store)
{
	return session_get(store, BTID);
}

static int session_latest_test(struct store *store)
{
	return session_latest(store, TEST_IMPI);
}

static int session_latest_a(struct store *store)
{
	return session_latest(store, IMPI_A);
}

static int usim_k(struct store *store)
{
	struct store_usim usim;
	int ret = usim_get(store, &usim);

	store_usim_wipe(&usim);
	return ret;
}

static int psk_of(struct store *store, const char *device)
{
	uint8_t psk[STORE_DEVICE_PSK_LEN];
	int ret = store_device_psk_get(store, device, psk);

	if (ret && !all_zero(psk, sizeof(psk)))
		ret = -1001;
	return ret;
}

static int psk_device(struct store *store)
{
	return psk_of(store, DEVICE);
}

static int psk_moved(struct store *store)
{
	return psk_of(store, "imei:490154203237510");
}

static int blocked_device(struct store *store)
{
	return store_device_blocked(store, DEVICE);
}

static int blocked_device2(struct store *store)
{
	return store_device_blocked(store, DEVICE2);
}

static int blocked_moved(struct store *store)
{
	return store_device_blocked(store, "imei:490154203237510");
}

static int blocked_list(struct store *store)
{
	return store_device_block_list(store, NULL, NULL);
}

static int ks_local_device(struct store *store)
{
	return ks_local_get(store, DEVICE);
}

static int ks_local_device2(struct store *store)
{
	return ks_local_get(store, DEVICE2);
}

static int ks_local_list(struct store *store)
{
	return store_ks_local_list(store, NULL, NULL);
}

static int ks_local_revoke(struct store *store)
{
	return store_ks_local_revoke(store, BTID, DEVICE);
}

static int ks_local_put_again(struct store *store)
{
	struct store_ks_local k;
	int ret;

	fill_ks_local(&k);
	k.pub.expires = 1700;
	ret = store_ks_local_put(store, &k);
	store_ks_local_wipe(&k);
	return ret;
}

static int mt_device(struct store *store)
{
	return mt_get(store, DEVICE);
}

static int mt_device2(struct store *store)
{
	return mt_get(store, DEVICE2);
}

static int mt_list(struct store *store)
{
	return store_mt_key_list(store, NULL, NULL);
}

static int mt_complete(struct store *store)
{
	return store_mt_key_complete(store, BTID, naf_id, NAF_ID_LEN, DEVICE);
}

static int remote_device(struct store *store)
{
	return remote_get(store, DEVICE);
}

static int remote_device2(struct store *store)
{
	return remote_get(store, DEVICE2);
}

static int remote_list(struct store *store)
{
	return store_remote_key_list(store, NULL, NULL);
}

static int remote_complete(struct store *store)
{
	return store_remote_key_complete(store, DEVICE, naf_id, NAF_ID_LEN);
}

static int kpm_probe(struct store *store)
{
	return kpm_get(store);
}

static int ke_probe(struct store *store)
{
	return ke_get(store);
}

static int flow_get(struct store *store, uint32_t teid)
{
	struct store_hse_flow f;
	int ret = store_hse_flow_get(store, flow_owner, teid, &f);

	return ret;
}

static int flow_11_of_b(struct store *store)
{
	struct store_hse_flow f;

	return store_hse_flow_get(store, "gw-b", 11, &f);
}

static int flow_11(struct store *store)
{
	return flow_get(store, 11);
}

static int flow_12(struct store *store)
{
	return flow_get(store, 12);
}

static int flow_99(struct store *store)
{
	return flow_get(store, 99);
}

static int flow_list(struct store *store)
{
	return store_hse_flow_list(store, NULL, NULL, NULL);
}

static int sgw_get(struct store *store)
{
	struct store_sgw_ue u;

	return store_sgw_ue_get(store, TEST_IMSI, &u);
}

static int sgw_list(struct store *store)
{
	return store_sgw_ue_list(store, NULL, NULL);
}

/*
 * One case: a change made to the file behind the store's back (none when
 * NULL), then the lookups of the case and what each must return. The
 * changes of a table's cases add up, each case undoing the last one's
 * where it goes on from a row that reads.
 */
struct tamper {
	const char *table, *column;	/* what the change is to */
	const char *change;		/* SQL on the file */
	int (*probe)(struct store *store);
	int want;
	int (*probe2)(struct store *store);	/* another lookup, or NULL */
	int want2;
	const char *what;		/* the test's name */
};

/* The one runner: each case's change, then its lookups. */
static void run_tampers(struct store *store, const struct tamper *cases,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct tamper *c = &cases[i];
		int got, got2 = c->want2;

		if (c->change)
			sql(c->change);
		got = c->probe(store);
		if (c->probe2)
			got2 = c->probe2(store);
		ok(got == c->want && got2 == c->want2, "%s.%s: %s (%d, %d)",
		   c->table, c->column, c->what, got, got2);
	}
}

#define RUN_TAMPERS(store, cases) \
	run_tampers(store, cases, sizeof(cases) / sizeof(cases[0]))

static const struct tamper subscriber_cases[] = {
	{ "subscribers", "uss", "UPDATE subscribers SET uss = 'x' WHERE"
	  " imsi = '" IMSI_A "'", sub_imsi_a, -EKEYREJECTED, NULL, 0,
	  "subscribers: another uss fails the seal" },
	{ "subscribers", "flags", "UPDATE subscribers SET uss = '[]' WHERE"
	  " imsi = '" IMSI_A "'; UPDATE subscribers SET flags = flags + 1"
	  " WHERE imsi = '" IMSI_A "'", sub_imsi_a, -EKEYREJECTED, NULL, 0,
	  "subscribers: other flags fail the seal" },
	{ "subscribers", "amf", "UPDATE subscribers SET flags = flags - 1"
	  " WHERE imsi = '" IMSI_A "'; UPDATE subscribers SET amf = amf + 1"
	  " WHERE imsi = '" IMSI_A "'", sub_imsi_a, -EKEYREJECTED, NULL, 0,
	  "subscribers: another amf fails the seal" },
	/* set 1 has sqn_ind_bits 5 (store_subscriber_init()) */
	{ "subscribers", "sqn_ind_bits", "UPDATE subscribers SET amf = amf - 1"
	  " WHERE imsi = '" IMSI_A "'; UPDATE subscribers SET sqn_ind_bits = 4"
	  " WHERE imsi = '" IMSI_A "'", sub_imsi_a, -EKEYREJECTED, NULL, 0,
	  "subscribers: another sqn_ind_bits fails the seal" },
	{ "subscribers", "sqn_ind_bits", "UPDATE subscribers SET"
	  " sqn_ind_bits = 5 WHERE imsi = '" IMSI_A "'", sub_imsi_a, 0, NULL,
	  0, "subscribers: restored, it opens" },
};

static void test_subscribers(struct store *store)
{
	struct store_subscriber sub;
	struct auc_vector v;
	int ret;

	add_set1_subscriber(store, IMSI_A, IMPI_A);
	add_set1_subscriber(store, IMSI_B, IMPI_B);
	ok(sub_get(store, IMPI_A) == 0 && sub_get(store, IMPI_B) == 0,
	   "subscribers: both open");
	sql("UPDATE subscribers SET impi = 'x' WHERE imsi = '" IMSI_A "';"
	    "UPDATE subscribers SET impi = '" IMPI_A "' WHERE imsi = '" IMSI_B "';"
	    "UPDATE subscribers SET impi = '" IMPI_B "' WHERE imsi = '" IMSI_A "'");
	ret = sub_get(store, IMPI_A);
	ok(ret == -EKEYREJECTED &&
	   strstr(store_errmsg(store), "subscribers.k of " IMSI_B
		  " does not open"),
	   "subscribers: a swapped impi fails the seal (%s)",
	   store_errmsg(store));
	ok(sub_get(store, IMSI_A) == -EKEYREJECTED &&
	   sub_get(store, IMPI_B) == -EKEYREJECTED,
	   "subscribers: by IMSI and by the other IMPI as well");
	memset(&v, 0xee, sizeof(v));
	ret = auc_vector(store, IMPI_A, 0, &v);
	ok(ret == -EKEYREJECTED && all_zero(v.ck, sizeof(v.ck)) &&
	   sql_int(db_path, "SELECT sum(sqn_seq) FROM subscribers") == 0,
	   "subscribers: auc_vector() refuses, no vector, no SQN advanced");
	auc_vector_wipe(&v);
	sql("UPDATE subscribers SET impi = 'x' WHERE imsi = '" IMSI_A "';"
	    "UPDATE subscribers SET impi = '" IMPI_B "' WHERE imsi = '" IMSI_B "';"
	    "UPDATE subscribers SET impi = '" IMPI_A "' WHERE imsi = '" IMSI_A "'");
	ok(sub_impi_a(store) == 0 && sub_impi_b(store) == 0,
	   "subscribers: swapped back, both open again");
	RUN_TAMPERS(store, subscriber_cases);

	/* Not bound (sqlite_seal.c): the SQN moves on every AKA. */
	sql("UPDATE subscribers SET sqn_seq = 7 WHERE imsi = '" IMSI_A "'");
	ret = store_subscriber_get(store, IMSI_A, &sub);
	ok(ret == 0 && sub.pub.sqn.seq == 7,
	   "subscribers: sqn_seq is not bound (documented), it opens");
	store_subscriber_wipe(&sub);
}

static const struct tamper session_cases[] = {
	{ "sessions", "expires", "UPDATE sessions SET expires = 999999",
	  session_by_btid, -EKEYREJECTED, session_latest_test, -EKEYREJECTED,
	  "sessions: an extended expires fails the seal (get and latest)" },
	{ "sessions", "uss", "UPDATE sessions SET expires = 2000;"
	  " UPDATE sessions SET uss = 'x'", session_by_btid, -EKEYREJECTED,
	  NULL, 0, "sessions: another uss fails the seal" },
	{ "sessions", "impi", "UPDATE sessions SET uss = '';"
	  " UPDATE sessions SET impi = '" IMPI_A "'", session_latest_a,
	  -EKEYREJECTED, session_latest_test, -ENOENT,
	  "sessions: another impi fails the seal, the old one finds none" },
	{ "sessions", "flags", "UPDATE sessions SET impi = '" TEST_IMPI "';"
	  " UPDATE sessions SET flags = 1", session_by_btid, -EKEYREJECTED,
	  NULL, 0, "sessions: other flags fail the seal" },
	{ "sessions", "created", "UPDATE sessions SET flags = 0;"
	  " UPDATE sessions SET created = 999", session_by_btid,
	  -EKEYREJECTED, NULL, 0, "sessions: another created fails the seal" },
	{ "sessions", "created", "UPDATE sessions SET created = 1000",
	  session_by_btid, 0, NULL, 0, "sessions: restored, it opens" },
};

static void test_sessions(struct store *store)
{
	struct store_session s;

	fill_session(&s, BTID);
	ok(store_session_add(store, &s) == 0 && session_get(store, BTID) == 0 &&
	   session_latest(store, TEST_IMPI) == 0, "sessions: one opens");
	store_session_wipe(&s);
	RUN_TAMPERS(store, session_cases);
}

static int gba_probe(struct store *store)
{
	return gba_get(store);
}

static const struct tamper usim_cases[] = {
	{ "usims", "impi", "UPDATE usims SET impi = '" IMPI_A "'", usim_k,
	  -EKEYREJECTED, NULL, 0, "usims: another impi fails the seal of K" },
	{ "usims", "imsi", "UPDATE usims SET impi = '" TEST_IMPI "',"
	  " imsi = '" IMSI_A "'", usim_k, -EKEYREJECTED, NULL, 0,
	  "usims: another imsi fails the seal of K" },
	{ "usims", "flags", "UPDATE usims SET imsi = '" TEST_IMSI "',"
	  " flags = 1", usim_k, -EKEYREJECTED, NULL, 0,
	  "usims: other flags fail the seal of K" },
};

static const struct tamper usim_gba_cases[] = {
	{ "usims", "gba_expires", "UPDATE usims SET gba_expires = 999999",
	  gba_probe, -EKEYREJECTED, NULL, 0,
	  "usims: an extended gba_expires fails the seal of Ks" },
	{ "usims", "gba_btid", "UPDATE usims SET gba_expires = 5000,"
	  " gba_btid = '" BTID2 "'", gba_probe, -EKEYREJECTED, NULL, 0,
	  "usims: another gba_btid fails the seal of Ks" },
	{ "usims", "gba_btid", "UPDATE usims SET gba_btid = '" BTID "'",
	  gba_probe, 0, NULL, 0, "usims: restored, Ks opens" },
};

static const struct tamper usim_pending_cases[] = {
	{ "usims", "update_counter", "UPDATE usims SET update_counter = 8",
	  usim_k, -EKEYREJECTED, NULL, 0,
	  "usims: another update_counter fails the seal of the pending keys" },
	{ "usims", "update_counter", "UPDATE usims SET update_counter = 7",
	  usim_k, 0, NULL, 0, "usims: restored, they open" },
};

static void test_usims(struct store *store)
{
	struct store_usim usim;
	struct store_usim_gba gba;
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];

	add_set1_usim(store, TEST_ICCID, SET1_K, 0);
	ok(usim_k(store) == 0, "usims: one opens");
	RUN_TAMPERS(store, usim_cases);
	sql("UPDATE usims SET flags = 0");

	memset(&gba, 0, sizeof(gba));
	memset(gba.rand, 0x12, sizeof(gba.rand));
	memset(gba.ks, 0x22, sizeof(gba.ks));
	strcpy(gba.btid, BTID);
	gba.expires = 5000;
	ok(store_usim_gba_set(store, TEST_ICCID, &gba) == 0 &&
	   gba_get(store) == 0, "usims: a GBA_U Ks opens");
	RUN_TAMPERS(store, usim_gba_cases);

	memset(k, 0x23, sizeof(k));
	memset(opc, 0x24, sizeof(opc));
	ok(store_usim_stage_keys(store, TEST_ICCID, 7, k, opc) == 0 &&
	   usim_get(store, &usim) == 0 && usim.pub.has_pending &&
	   !memcmp(usim.pending_k, k, sizeof(k)), "usims: pending keys open");
	store_usim_wipe(&usim);
	RUN_TAMPERS(store, usim_pending_cases);
}

static const struct tamper psk_cases[] = {
	{ "device_psks", "device_id", "UPDATE device_psks SET device_id ="
	  " 'imei:490154203237510' WHERE device_id = '" DEVICE "'", psk_moved,
	  -EKEYREJECTED, NULL, 0,
	  "nafkc: a changed Device_ID fails the seal of its PSK" },
	{ "device_psks", "psk", "UPDATE device_psks SET device_id = '" DEVICE
	  "' WHERE device_id = 'imei:490154203237510';"
	  " UPDATE device_psks SET psk = (SELECT psk FROM device_psks"
	  " WHERE device_id = '" DEVICE2 "') WHERE device_id = '" DEVICE "'",
	  psk_device, -EKEYREJECTED, NULL, 0,
	  "nafkc: another device's PSK copied over fails the seal" },
};

/*
 * Blocked devices: no secret, a row MAC over device_id and created. A row
 * taken away (or renamed) unblocks its device: a missing row cannot be
 * told from one never there (freshness, sqlite_seal.c).
 */
static const struct tamper blocked_cases[] = {
	{ "blocked_devices", "device_id", "UPDATE blocked_devices SET"
	  " device_id = 'x' WHERE device_id = '" DEVICE "';"
	  " UPDATE blocked_devices SET device_id = '" DEVICE "' WHERE"
	  " device_id = '" DEVICE2 "'; UPDATE blocked_devices SET"
	  " device_id = '" DEVICE2 "' WHERE device_id = 'x'", blocked_device,
	  -EKEYREJECTED, blocked_device2, -EKEYREJECTED,
	  "nafkc: two blocked rows swapped fail their MACs, neither is used" },
	{ "blocked_devices", "device_id", NULL, blocked_list, -EKEYREJECTED,
	  NULL, 0, "nafkc: and the block list refuses them" },
	{ "blocked_devices", "device_id", "UPDATE blocked_devices SET"
	  " device_id = 'x' WHERE device_id = '" DEVICE "';"
	  " UPDATE blocked_devices SET device_id = '" DEVICE "' WHERE"
	  " device_id = '" DEVICE2 "'; UPDATE blocked_devices SET"
	  " device_id = '" DEVICE2 "' WHERE device_id = 'x'", blocked_device,
	  1, blocked_device2, 1, "nafkc: swapped back, both blocked again" },
	{ "blocked_devices", "created", "UPDATE blocked_devices SET"
	  " created = 5 WHERE device_id = '" DEVICE "'", blocked_device,
	  -EKEYREJECTED, blocked_device2, 1,
	  "nafkc: another created fails the MAC of that row only" },
	{ "blocked_devices", "device_id", "UPDATE blocked_devices SET"
	  " created = 1000; UPDATE blocked_devices SET"
	  " device_id = 'imei:490154203237510' WHERE device_id = '" DEVICE "'",
	  blocked_moved, -EKEYREJECTED, blocked_device, 0,
	  "nafkc: a renamed row fails its MAC; the old name is not blocked"
	  " (a missing row: documented)" },
	{ "blocked_devices", "device_id", "UPDATE blocked_devices SET"
	  " device_id = '" DEVICE "' WHERE device_id = 'imei:490154203237510'",
	  blocked_device, 1, blocked_list, 2, "nafkc: restored, blocked" },
};

/* local_keys: key sealed, and a row MAC over every column. */
static const struct tamper ks_local_cases[] = {
	{ "local_keys", "device_id", "UPDATE local_keys SET device_id = '"
	  DEVICE2 "'", ks_local_device2, -EKEYREJECTED, NULL, 0,
	  "nafkc: a changed Device_ID fails the seal of its Ks_local" },
	{ "local_keys", "expires", "UPDATE local_keys SET device_id = '"
	  DEVICE "', expires = 999999", ks_local_device, -EKEYREJECTED, NULL,
	  0, "nafkc: an extended expires fails the seal of Ks_local" },
	{ "local_keys", "naf_id", "UPDATE local_keys SET expires = 1600,"
	  " naf_id = x'0102030405060708'", ks_local_device, -EKEYREJECTED,
	  NULL, 0, "nafkc: another naf_id fails the seal of Ks_local" },
	/* naf_id: "nafkc.test" and 01 00 00 00 02 */
	{ "local_keys", "naf_id", "UPDATE local_keys SET"
	  " naf_id = x'6e61666b632e746573740100000002'", ks_local_device, 0,
	  NULL, 0, "nafkc: restored, it opens" },
	{ "local_keys", "expires", "UPDATE local_keys SET expires = 1000",
	  ks_local_device, -EUCLEAN, NULL, 0,
	  "nafkc: an expiry not after issue is a damaged row, sealed or not" },
	{ "local_keys", "expires", "UPDATE local_keys SET expires = 1600",
	  ks_local_revoke, 1, ks_local_list, 1, "nafkc: revoked" },
	{ "local_keys", "revoked", "UPDATE local_keys SET revoked = 0",
	  ks_local_device, -EKEYREJECTED, ks_local_list, -EKEYREJECTED,
	  "nafkc: a cleared revoked fails the row's MAC (get and list)" },
	{ "local_keys", "revoked", NULL, ks_local_put_again, -EKEYREJECTED,
	  NULL, 0, "nafkc: a put over the cleared row is refused, not"
	  " written" },
	{ "local_keys", "revoked", NULL, ks_local_revoke, -EKEYREJECTED, NULL,
	  0, "nafkc: so is a revocation: the row is not re-MACed" },
	{ "local_keys", "revoked", "UPDATE local_keys SET revoked = 1",
	  ks_local_device, 0, ks_local_list, 1,
	  "nafkc: set back to revoked, it reads (revoked)" },
};

static void test_nafkc(struct store *store)
{
	uint8_t psk[STORE_DEVICE_PSK_LEN], psk2[STORE_DEVICE_PSK_LEN];
	struct store_ks_local k;

	memset(psk, 0x25, sizeof(psk));
	memset(psk2, 0x35, sizeof(psk2));
	ok(store_device_psk_add(store, DEVICE, psk, 1000) == 0 &&
	   store_device_psk_add(store, DEVICE2, psk2, 1000) == 0 &&
	   store_device_psk_get(store, DEVICE, psk) == 0,
	   "nafkc: two PSKs, one opens");
	RUN_TAMPERS(store, psk_cases);

	ok(store_device_block(store, DEVICE, 1000) == 0 &&
	   store_device_block(store, DEVICE2, 1000) == 0 &&
	   blocked_device(store) == 1 && blocked_device2(store) == 1,
	   "nafkc: two devices blocked");
	RUN_TAMPERS(store, blocked_cases);

	fill_ks_local(&k);
	ok(store_ks_local_put(store, &k) == 0 && ks_local_get(store, DEVICE) == 0,
	   "nafkc: an issued Ks_local opens");
	RUN_TAMPERS(store, ks_local_cases);
	ok(store_ks_local_get(store, BTID, DEVICE, "ks_local_device", &k) == 0 &&
	   k.pub.revoked == 1 && k.pub.expires == 1600 &&
	   sql_int(db_path, "SELECT count(*) FROM local_keys") == 1,
	   "nafkc: nothing the refused put or revocation did stayed");
	store_ks_local_wipe(&k);
}

/* mt_local_keys: key sealed, and a row MAC over every column. */
static const struct tamper mt_cases[] = {
	{ "mt_local_keys", "iccid", "UPDATE mt_local_keys SET iccid = '"
	  ICCID2 "'", mt_device, -EKEYREJECTED, NULL, 0,
	  "mt: another iccid fails the seal" },
	{ "mt_local_keys", "expires", "UPDATE mt_local_keys SET iccid = '"
	  TEST_ICCID "', expires = 999999", mt_device, -EKEYREJECTED, NULL, 0,
	  "mt: an extended expires fails the seal" },
	{ "mt_local_keys", "device_id", "UPDATE mt_local_keys SET"
	  " expires = 5000, device_id = '" DEVICE2 "'", mt_device2,
	  -EKEYREJECTED, NULL, 0, "mt: a changed Device_ID fails the seal" },
	{ "mt_local_keys", "iccid", "UPDATE mt_local_keys SET device_id = '"
	  DEVICE "', iccid = 'x'", mt_device, -EUCLEAN, NULL, 0,
	  "mt: a bound column changed to what no row may hold is damaged" },
	{ "mt_local_keys", "iccid", "UPDATE mt_local_keys SET iccid = '"
	  TEST_ICCID "'", mt_device, 0, NULL, 0, "mt: restored, it opens" },
	{ "mt_local_keys", "key_serial", "UPDATE mt_local_keys SET"
	  " key_serial = 4242", mt_device, -EKEYREJECTED, mt_list,
	  -EKEYREJECTED, "mt: another key_serial fails the row's MAC (get and"
	  " list)" },
	{ "mt_local_keys", "key_serial", NULL, mt_complete, -EKEYREJECTED,
	  NULL, 0, "mt: completing that row is refused, not re-MACed" },
	{ "mt_local_keys", "key_serial", "UPDATE mt_local_keys SET"
	  " key_serial = 77", mt_complete, 0, mt_device, 0,
	  "mt: restored, it completes and reads" },
	{ "mt_local_keys", "completed", "UPDATE mt_local_keys SET"
	  " completed = 0", mt_device, -EKEYREJECTED, NULL, 0,
	  "mt: a cleared completed fails the row's MAC" },
	{ "mt_local_keys", "completed", "UPDATE mt_local_keys SET"
	  " completed = 1", mt_device, 0, mt_list, 1,
	  "mt: restored, it reads" },
};

static int count_told(const struct store_mt_key_info *info, void *arg)
{
	(void)info;
	(*(int *)arg)++;
	return 0;
}

static void test_mt(struct store *store)
{
	struct store_mt_key k;
	int told = 0;

	fill_mt_key(&k);
	k.pub.key_serial = 77;
	ok(store_mt_key_put(store, &k) == 0 && mt_get(store, DEVICE) == 0,
	   "mt: a key opens");
	store_mt_key_wipe(&k);
	RUN_TAMPERS(store, mt_cases);
	ok(store_mt_key_get(store, BTID, naf_id, NAF_ID_LEN, DEVICE, &k) == 0 &&
	   k.pub.key_serial == 77 && k.pub.completed == 1,
	   "mt: the serial and completion as the store wrote them");
	store_mt_key_wipe(&k);
	/* A purge is told no row whose MAC fails: its serial is not used. */
	sql("UPDATE mt_local_keys SET key_serial = 4242");
	ok(store_mt_key_purge(store, 9999, count_told, &told) == 1 &&
	   told == 0 && mt_list(store) == 0,
	   "mt: a purge removes a row failing its MAC without telling it");
}

/* device_local_keys: key sealed, and a row MAC over every column. */
static const struct tamper remote_cases[] = {
	{ "device_local_keys", "expires", "UPDATE device_local_keys SET"
	  " expires = 999999", remote_device, -EKEYREJECTED, NULL, 0,
	  "remote: an extended expires fails the seal" },
	{ "device_local_keys", "btid", "UPDATE device_local_keys SET"
	  " expires = 5000, btid = '" BTID2 "'", remote_device, -EKEYREJECTED,
	  NULL, 0, "remote: another btid fails the seal" },
	{ "device_local_keys", "label", "UPDATE device_local_keys SET"
	  " btid = '" BTID "', label = 'ks_local_mt'", remote_device,
	  -EKEYREJECTED, NULL, 0, "remote: another label fails the seal" },
	{ "device_local_keys", "device_id", "UPDATE device_local_keys SET"
	  " label = 'ks_local_device', device_id = '" DEVICE2 "'",
	  remote_device2, -EKEYREJECTED, NULL, 0,
	  "remote: a changed Device_ID fails the seal" },
	{ "device_local_keys", "device_id", "UPDATE device_local_keys SET"
	  " device_id = '" DEVICE "'", remote_device, 0, NULL, 0,
	  "remote: restored, it opens" },
	{ "device_local_keys", "key_serial", "UPDATE device_local_keys SET"
	  " key_serial = 4242", remote_device, -EKEYREJECTED, remote_list,
	  -EKEYREJECTED, "remote: another key_serial fails the row's MAC"
	  " (get and list)" },
	{ "device_local_keys", "key_serial", NULL, remote_complete,
	  -EKEYREJECTED, NULL, 0,
	  "remote: completing that row is refused, not re-MACed" },
	{ "device_local_keys", "key_serial", "UPDATE device_local_keys SET"
	  " key_serial = 0", remote_complete, 0, remote_device, 0,
	  "remote: restored, it completes and reads" },
	{ "device_local_keys", "completed", "UPDATE device_local_keys SET"
	  " completed = 0", remote_device, -EKEYREJECTED, NULL, 0,
	  "remote: a cleared completed fails the row's MAC" },
	{ "device_local_keys", "completed", "UPDATE device_local_keys SET"
	  " completed = 1", remote_device, 0, remote_list, 1,
	  "remote: restored, it reads" },
};

static void test_remote(struct store *store)
{
	struct store_remote_key k;

	fill_remote(&k);
	ok(store_remote_key_put(store, &k) == 0 && remote_get(store, DEVICE) == 0,
	   "remote: a key opens");
	store_remote_key_wipe(&k);
	RUN_TAMPERS(store, remote_cases);
}

static const struct tamper onem2m_cases[] = {
	{ "onem2m_kpms", "target_id", "UPDATE onem2m_kpms SET"
	  " target_id = 'maf-2'", kpm_probe, -EKEYREJECTED, NULL, 0,
	  "onem2m: another MAF-ID fails the seal of Kpm" },
	{ "onem2m_kpms", "enrolee_id", "UPDATE onem2m_kpms SET"
	  " target_id = 'maf-1', enrolee_id = 'CAE-enrolee-2'", kpm_probe,
	  -EKEYREJECTED, NULL, 0,
	  "onem2m: another Enrolee-ID fails the seal of Kpm" },
	{ "onem2m_kpms", "enrolee_id", "UPDATE onem2m_kpms SET"
	  " enrolee_id = 'CAE-enrolee-1'", kpm_probe, 0, NULL, 0,
	  "onem2m: restored, Kpm opens" },
	{ "onem2m_kes", "expires", "UPDATE onem2m_kes SET expires = 999999",
	  ke_probe, -EKEYREJECTED, NULL, 0,
	  "onem2m: an extended expires fails the seal of Ke" },
	{ "onem2m_kes", "mef", "UPDATE onem2m_kes SET expires = 5000,"
	  " mef = 'other.test'", ke_probe, -EKEYREJECTED, NULL, 0,
	  "onem2m: another MEF fails the seal of Ke" },
	{ "onem2m_kes", "target_kind", "UPDATE onem2m_kes SET"
	  " mef = 'mef.test', target_kind = 'enrolee-b'", ke_probe,
	  -EKEYREJECTED, NULL, 0,
	  "onem2m: another target kind fails the seal of Ke" },
	{ "onem2m_kes", "target_kind", "UPDATE onem2m_kes SET"
	  " target_kind = 'maf'", ke_probe, 0, NULL, 0,
	  "onem2m: restored, Ke opens" },
};

static void test_onem2m(struct store *store)
{
	struct store_onem2m_kpm kpm;
	struct store_onem2m_ke ke;

	fill_onem2m(&kpm, &ke);
	ok(store_onem2m_kpm_add(store, &kpm) == 0 &&
	   store_onem2m_ke_add(store, &ke) == 0 && kpm_get(store) == 0 &&
	   ke_get(store) == 0, "onem2m: a Kpm and a Ke open");
	store_onem2m_kpm_wipe(&kpm);
	store_onem2m_ke_wipe(&ke);
	RUN_TAMPERS(store, onem2m_cases);
}

static void fill_flow(struct store_hse_flow *f, uint32_t teid,
		      const char *imsi)
{
	memset(f, 0, sizeof(*f));
	f->teid = teid;
	f->ue_teid = 0x1234;
	snprintf(f->imsi, sizeof(f->imsi), "%s", imsi);
	memset(f->rand, 0x23, sizeof(f->rand));
	memcpy(f->sqn, "\xff\x9b\xb4\xd0\xb6\x07", sizeof(f->sqn));
	f->ksi = 3;
	strcpy(f->ue_address, "192.0.2.1");
	f->ue_port = 2152;
	strcpy(f->inner_ipv4, "10.45.0.2");
	strcpy(f->device, "e2m0");
	f->created = 1700000000;
	strcpy(f->owner, flow_owner);
}

/* hse_flows: no secret, a row MAC over every column. */
static const struct tamper flow_cases[] = {
	{ "hse_flows", "owner", "UPDATE hse_flows SET owner = 'gw-b' WHERE"
	  " teid = 11", flow_11_of_b, -EKEYREJECTED, flow_11, -ENOENT,
	  "hse: a flow moved to another HSE instance fails its MAC" },
	{ "hse_flows", "owner", "UPDATE hse_flows SET owner = (SELECT owner"
	  " FROM hse_flows WHERE teid = 12) WHERE teid = 11", flow_11, 0,
	  flow_list, 2, "hse: moved back, it reads" },
	{ "hse_flows", "ksi", "UPDATE hse_flows SET ksi = 5 WHERE teid = 11",
	  flow_11, -EKEYREJECTED, flow_list, -EKEYREJECTED,
	  "hse: another KSI fails the row's MAC (get and list)" },
	{ "hse_flows", "ksi", "UPDATE hse_flows SET ksi = 3 WHERE teid = 11",
	  flow_11, 0, flow_list, 2, "hse: restored, it reads" },
	{ "hse_flows", "teid", "UPDATE hse_flows SET teid = 99 WHERE"
	  " teid = 11", flow_99, -EKEYREJECTED, flow_11, -ENOENT,
	  "hse: a flow moved to another TEID fails its MAC" },
	{ "hse_flows", "imsi", "UPDATE hse_flows SET teid = 11 WHERE"
	  " teid = 99; UPDATE hse_flows SET imsi = '" IMSI_A "' WHERE"
	  " teid = 12", flow_12, -EKEYREJECTED, flow_11, 0,
	  "hse: another IMSI fails the MAC of that flow only" },
	{ "hse_flows", "ue_address", "UPDATE hse_flows SET imsi = '" IMSI_B
	  "' WHERE teid = 12; UPDATE hse_flows SET ue_address = '192.0.2.66'"
	  " WHERE teid = 11", flow_11, -EKEYREJECTED, flow_12, 0,
	  "hse: another UE address fails the row's MAC" },
	{ "hse_flows", "rand", "UPDATE hse_flows SET ue_address ="
	  " '192.0.2.1' WHERE teid = 11; UPDATE hse_flows SET rand ="
	  " zeroblob(16) WHERE teid = 11", flow_11, -EKEYREJECTED, NULL, 0,
	  "hse: another RAND (another key set) fails the row's MAC" },
	{ "hse_flows", "mac", "UPDATE hse_flows SET mac = (SELECT mac FROM"
	  " hse_flows WHERE teid = 12) WHERE teid = 11", flow_11,
	  -EKEYREJECTED, NULL, 0, "hse: another row's MAC copied over fails" },
};

static void test_hse_flows(struct store *store)
{
	struct store_hse_flow f, g;

	fill_flow(&f, 11, IMSI_A);
	fill_flow(&g, 12, IMSI_B);
	ok(store_hse_flow_put(store, &f) == 0 &&
	   store_hse_flow_put_many(store, &g, 1) == 0 &&
	   flow_11(store) == 0 && flow_12(store) == 0,
	   "hse: two flows read");
	RUN_TAMPERS(store, flow_cases);
	ok(store_hse_flow_put(store, &f) == 0 && flow_11(store) == 0,
	   "hse: put again, the row and its MAC are the store's again");
}

/* sgw_ues: no secret, a row MAC over every column. */
static const struct tamper sgw_cases[] = {
	{ "sgw_ues", "last_ksi", "UPDATE sgw_ues SET last_ksi = 1", sgw_get,
	  -EKEYREJECTED, sgw_list, -EKEYREJECTED,
	  "sgw: another last KSI fails the row's MAC (get and list)" },
	{ "sgw_ues", "inner_ipv4", "UPDATE sgw_ues SET last_ksi = 4,"
	  " inner_ipv4 = '10.45.0.9'", sgw_get, -EKEYREJECTED, NULL, 0,
	  "sgw: another inner address fails the row's MAC" },
	{ "sgw_ues", "ue_address", "UPDATE sgw_ues SET inner_ipv4 ="
	  " '10.45.0.2', ue_address = '192.0.2.66'", sgw_get, -EKEYREJECTED,
	  NULL, 0, "sgw: another UE address fails the row's MAC" },
	{ "sgw_ues", "hse_teid", "UPDATE sgw_ues SET ue_address ="
	  " '192.0.2.1', hse_teid = 4097", sgw_get, -EKEYREJECTED, NULL, 0,
	  "sgw: another HSE TEID fails the row's MAC" },
	{ "sgw_ues", "hse_teid", "UPDATE sgw_ues SET hse_teid = 4096", sgw_get,
	  0, sgw_list, 1, "sgw: restored, it reads" },
};

static void test_sgw_ues(struct store *store)
{
	struct store_sgw_ue u;

	memset(&u, 0, sizeof(u));
	strcpy(u.imsi, TEST_IMSI);
	u.last_ksi = 4;
	strcpy(u.inner_ipv4, "10.45.0.2");
	u.hse_teid = 4096;
	u.attached = 1;
	strcpy(u.ue_address, "192.0.2.1");
	u.ue_port = 2152;
	u.ue_teid = 0x1234;
	ok(store_sgw_ue_put(store, &u) == 0 && sgw_get(store) == 0,
	   "sgw: a UE reads");
	RUN_TAMPERS(store, sgw_cases);
	ok(sql_int(db_path, "SELECT last_ksi FROM sgw_ues") == 4,
	   "sgw: nothing advanced the KSI");
}

/* The row MAC's format (sqlite_row_mac.c), computed here with OpenSSL. */
static void test_row_mac_format(struct store *store)
{
	uint8_t mac_key[32], mac[32], text[128];
	size_t len = 0, n = 0;
	static const char label[] = "e2m-store/row/1";
	static const char table[] = "blocked_devices";
	char want[65], query[160];
	int i;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key.bytes,
		       sizeof(key.bytes),
		       (const uint8_t *)"e2m-store/row-mac-key/1", 23, mac_key, sizeof(mac_key), &len))
		bail("HMAC");
	memcpy(text, label, sizeof(label) - 1);
	n = sizeof(label) - 1;
	text[n++] = 0; text[n++] = 0; text[n++] = 0;
	text[n++] = sizeof(table) - 1;
	memcpy(text + n, table, sizeof(table) - 1);
	n += sizeof(table) - 1;
	text[n++] = 0; text[n++] = 0; text[n++] = 0; text[n++] = 2;
	text[n++] = SEAL_TEXT;
	text[n++] = 0; text[n++] = 0; text[n++] = 0;
	text[n++] = sizeof(DEVICE) - 1;
	memcpy(text + n, DEVICE, sizeof(DEVICE) - 1);
	n += sizeof(DEVICE) - 1;
	text[n++] = SEAL_INT;
	for (i = 0; i < 8; i++)
		text[n++] = (uint8_t)((uint64_t)1000 >> (56 - 8 * i));
	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, mac_key,
		       sizeof(mac_key), text, n, mac, sizeof(mac), &len))
		bail("HMAC");
	for (i = 0; i < 32; i++)
		snprintf(want + 2 * i, 3, "%02X", mac[i]);
	snprintf(query, sizeof(query), "SELECT count(*) FROM blocked_devices"
		 " WHERE device_id = '" DEVICE "' AND hex(mac) = '%s'", want);
	ok(store_device_block(store, DEVICE, 1000) == 0 &&
	   sql_int(db_path, query) == 1,
	   "format: a row MAC made with OpenSSL from the text of"
	   " sqlite_row_mac.c is the one stored");
}

static void test_tampering(void)
{
	struct store *store;

	db_path = scratch_path("bind.db");
	db_path = strdup(db_path);
	if (!db_path)
		bail("strdup");
	store = open_store(db_path, &key);
	test_row_mac_format(store);
	if (store_device_unblock(store, DEVICE))
		bail("unblock");
	test_subscribers(store);
	test_sessions(store);
	test_usims(store);
	test_mt(store);
	test_nafkc(store);
	test_remote(store);
	test_onem2m(store);
	test_hse_flows(store);
	test_sgw_ues(store);
	store_close(store);
	free((char *)db_path);
	db_path = NULL;
}

/* ---- the migration to schema 10 ---------------------------------------- */

/* Every sealed column of a store, with its row identity and its secret. */
struct sealed {
	const char *table, *column, *row_sql;
	uint8_t fill;		/* the secret: len octets of fill */
	size_t len;
};

static const struct sealed sealed[] = {
	{ "meta", "value", "name", 0x00, 16 },
	{ "sessions", "ks", "btid", 0x21, 32 },
	{ "usims", "gba_ks", "iccid", 0x22, 32 },
	{ "usims", "pending_k", "iccid", 0x23, 16 },
	{ "usims", "pending_opc", "iccid", 0x24, 16 },
	{ "device_psks", "psk", "device_id", 0x25, 32 },
	{ "local_keys", "key", "btid || ' ' || device_id || ' ' || label",
	  0x26, 32 },
	{ "mt_local_keys", "key",
	  "btid || ' ' || lower(hex(naf_id)) || ' ' || device_id", 0x27, 32 },
	{ "device_local_keys", "key", "device_id || ' ' || lower(hex(naf_id))",
	  0x28, 32 },
	{ "onem2m_kpms", "kpm", "kpm_id", 0x29, 32 },
	{ "onem2m_kes", "ke", "ke_id", 0x2a, 32 },
};
#define N_SEALED (sizeof(sealed) / sizeof(sealed[0]))

/* The K and OPc of set 1 in subscribers and usims: not fills. */
static const struct {
	const char *table, *column, *row_sql, *hex;
} sealed_set1[] = {
	{ "subscribers", "k", "imsi", SET1_K },
	{ "subscribers", "opc", "imsi", SET1_OPC },
	{ "usims", "k", "iccid", SET1_K },
	{ "usims", "opc", "iccid", SET1_OPC },
};
#define N_SET1 (sizeof(sealed_set1) / sizeof(sealed_set1[0]))

/* Re-writes the one row of table's column as a version 1 blob of secret. */
static void to_v1(const char *path, const char *table, const char *column,
		  const char *row_sql, const uint8_t *secret, size_t len)
{
	uint8_t blob[SEAL_BLOB_MAX];
	char text[512], row[512];
	sqlite3_stmt *stmt;
	struct aad aad;
	sqlite3 *db;
	int64_t rowid;

	snprintf(text, sizeof(text), "SELECT rowid, %s FROM %s", row_sql,
		 table);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, text, -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW)
		bail("to_v1: select");
	rowid = sqlite3_column_int64(stmt, 0);
	snprintf(row, sizeof(row), "%s", sqlite3_column_text(stmt, 1));
	sqlite3_finalize(stmt);
	aad_v1(&aad, table, row, column);
	gcm_seal(1, &aad, secret, len, blob);
	snprintf(text, sizeof(text), "UPDATE %s SET %s = ?1 WHERE rowid = ?2",
		 table, column);
	if (sqlite3_prepare_v2(db, text, -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_bind_blob(stmt, 1, blob, (int)(SEAL_OVERHEAD + len),
			      SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, rowid) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_DONE)
		bail("to_v1: update");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

/* How many blobs of the store are of version v, over every sealed column. */
static int64_t count_version(const char *path, int v)
{
	char text[256];
	int64_t n = 0;
	size_t i;

	for (i = 0; i < N_SEALED + N_SET1; i++) {
		const char *table = i < N_SEALED ? sealed[i].table :
				    sealed_set1[i - N_SEALED].table;
		const char *column = i < N_SEALED ? sealed[i].column :
				     sealed_set1[i - N_SEALED].column;

		snprintf(text, sizeof(text),
			 "SELECT count(*) FROM %s WHERE substr(%s, 1, 1) ="
			 " x'%02x'", table, column, v);
		n += sql_int(path, text);
	}
	return n;
}

/* What schema 11 added: a store made by this program made older. */
#define DROP_ROW_MACS \
	"ALTER TABLE blocked_devices DROP COLUMN mac;" \
	"ALTER TABLE local_keys DROP COLUMN mac;" \
	"ALTER TABLE mt_local_keys DROP COLUMN mac;" \
	"ALTER TABLE device_local_keys DROP COLUMN mac;" \
	"ALTER TABLE hse_flows DROP COLUMN mac;" \
	"ALTER TABLE sgw_ues DROP COLUMN mac;"

/* A store with one row of every sealed column, each made version 1. */
static void make_v1_store(const char *path)
{
	struct store *store = open_store(path, &key);
	uint8_t secret[32], k[AKA_K_LEN], opc[AKA_OP_LEN];
	struct store_onem2m_kpm kpm;
	struct store_onem2m_ke ke;
	struct store_remote_key rk;
	struct store_ks_local kl;
	struct store_session s;
	struct store_usim_gba gba;
	struct store_mt_key mk;
	size_t i;

	add_set1_subscriber(store, TEST_IMSI, TEST_IMPI);
	fill_session(&s, BTID);
	add_set1_usim(store, TEST_ICCID, SET1_K, 0);
	memset(&gba, 0, sizeof(gba));
	memset(gba.rand, 0x12, sizeof(gba.rand));
	memset(gba.ks, 0x22, sizeof(gba.ks));
	strcpy(gba.btid, BTID);
	gba.expires = 5000;
	memset(k, 0x23, sizeof(k));
	memset(opc, 0x24, sizeof(opc));
	memset(secret, 0x25, sizeof(secret));
	fill_ks_local(&kl);
	fill_mt_key(&mk);
	fill_remote(&rk);
	fill_onem2m(&kpm, &ke);
	if (store_session_add(store, &s) ||
	    store_usim_gba_set(store, TEST_ICCID, &gba) ||
	    store_usim_stage_keys(store, TEST_ICCID, 7, k, opc) ||
	    store_device_psk_add(store, DEVICE, secret, 1000) ||
	    store_ks_local_put(store, &kl) || store_mt_key_put(store, &mk) ||
	    store_remote_key_put(store, &rk) ||
	    store_onem2m_kpm_add(store, &kpm) ||
	    store_onem2m_ke_add(store, &ke))
		bail("make_v1_store");
	store_close(store);
	for (i = 0; i < N_SEALED; i++) {
		memset(secret, sealed[i].fill, sizeof(secret));
		to_v1(path, sealed[i].table, sealed[i].column,
		      sealed[i].row_sql, secret, sealed[i].len);
	}
	for (i = 0; i < N_SET1; i++) {
		unhex(secret, 16, sealed_set1[i].hex);
		to_v1(path, sealed_set1[i].table, sealed_set1[i].column,
		      sealed_set1[i].row_sql, secret, 16);
	}
	if (raw_sql(path, DROP_ROW_MACS UNDO_SCHEMAS_AFTER_11
		    " PRAGMA user_version = 9") !=
	    SQLITE_OK)
		bail("user_version");
}

static bool filled(const uint8_t *p, size_t len, uint8_t fill)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != fill)
			return false;
	return true;
}

/* Every secret of make_v1_store() opens through the store, as it was. */
static bool every_secret_opens(struct store *store)
{
	uint8_t k[16], opc[16], psk[STORE_DEVICE_PSK_LEN];
	struct store_subscriber sub;
	struct store_onem2m_kpm kpm;
	struct store_onem2m_ke ke;
	struct store_remote_key rk;
	struct store_ks_local kl;
	struct store_session s;
	struct store_usim_gba gba;
	struct store_usim usim;
	struct store_mt_key mk;
	bool good;

	unhex(k, sizeof(k), SET1_K);
	unhex(opc, sizeof(opc), SET1_OPC);
	good = !store_subscriber_get(store, TEST_IMPI, &sub) &&
	       !memcmp(sub.k, k, 16) && !memcmp(sub.opc, opc, 16);
	good = good && !store_session_get(store, BTID, 1500, &s) &&
	       filled(s.ks, sizeof(s.ks), 0x21);
	good = good && !store_usim_gba_get(store, TEST_ICCID, &gba) &&
	       filled(gba.ks, sizeof(gba.ks), 0x22);
	good = good && !store_usim_get(store, TEST_ICCID, &usim) &&
	       !memcmp(usim.k, k, 16) && !memcmp(usim.opc, opc, 16) &&
	       usim.pub.has_pending && usim.pub.update_counter == 7 &&
	       filled(usim.pending_k, 16, 0x23) &&
	       filled(usim.pending_opc, 16, 0x24);
	good = good && !store_device_psk_get(store, DEVICE, psk) &&
	       filled(psk, sizeof(psk), 0x25);
	good = good && !store_ks_local_get(store, BTID, DEVICE,
					   "ks_local_device", &kl) &&
	       filled(kl.key, sizeof(kl.key), 0x26);
	good = good && !store_mt_key_get(store, BTID, naf_id, NAF_ID_LEN,
					 DEVICE, &mk) &&
	       filled(mk.key, sizeof(mk.key), 0x27);
	good = good && !store_remote_key_get(store, DEVICE, naf_id,
					     NAF_ID_LEN, &rk) &&
	       filled(rk.key, sizeof(rk.key), 0x28);
	good = good && !store_onem2m_kpm_get(store, KPM_ID, &kpm) &&
	       filled(kpm.kpm, sizeof(kpm.kpm), 0x29);
	good = good && !store_onem2m_ke_get(store, KE_ID, &ke) &&
	       filled(ke.ke, sizeof(ke.ke), 0x2a);
	if (!good)
		printf("# %s\n", store_errmsg(store));
	store_subscriber_wipe(&sub);
	store_session_wipe(&s);
	store_usim_gba_wipe(&gba);
	store_usim_wipe(&usim);
	store_ks_local_wipe(&kl);
	store_mt_key_wipe(&mk);
	store_remote_key_wipe(&rk);
	store_onem2m_kpm_wipe(&kpm);
	store_onem2m_ke_wipe(&ke);
	return good;
}

static void test_migration(void)
{
	const char *path = strdup(scratch_path("v1.db"));
	const int64_t n_blobs = N_SEALED + N_SET1;
	struct store_key wrong;
	struct store *store;
	char why[256] = "";
	uint8_t secret[32];
	int ret;

	if (!path)
		bail("strdup");
	make_v1_store(path);
	ok(count_version(path, 1) == n_blobs && count_version(path, 2) == 0 &&
	   sql_int(path, "PRAGMA user_version") == 9,
	   "migration: a schema 9 store of %lld version 1 blobs",
	   (long long)n_blobs);

	test_key(&wrong, 0x77);
	ret = store_open(&store, path, &wrong, why, sizeof(why));
	ok(ret == -EKEYREJECTED && strstr(why, "does not open this store") &&
	   sql_int(path, "PRAGMA user_version") == 9 &&
	   count_version(path, 1) == n_blobs,
	   "migration: with a wrong key refused, nothing changed (%s)", why);

	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   sql_int(path, "PRAGMA user_version") == SCHEMA_NOW,
	   "migration: opening it with its key migrates 9 -> %d", SCHEMA_NOW);
	ok(count_version(path, 1) == 0 && count_version(path, 2) == n_blobs,
	   "migration: every blob is version 2");
	ok(every_secret_opens(store),
	   "migration: every secret opens as it was");
	store_close(store);

	store = open_store(path, &key);
	ok(every_secret_opens(store), "migration: and again after a reopen");
	store_close(store);

	/* A version 1 blob planted in a version 2 store. */
	memset(secret, 0x21, sizeof(secret));
	to_v1(path, "sessions", "ks", "btid", secret, 32);
	store = open_store(path, &key);
	ok(session_get(store, BTID) == -EKEYREJECTED,
	   "migration: a version 1 blob planted afterwards is refused");
	store_close(store);

	/* ... and with user_version set back, to run the migration again. */
	if (raw_sql(path, UNDO_SCHEMAS_AFTER_11 " PRAGMA user_version = 9") !=
	    SQLITE_OK)
		bail("user_version");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   session_get(store, BTID) == -EKEYREJECTED &&
	   count_version(path, 1) == 1,
	   "migration: set back to 9, the v2 store re-seals nothing, still refused");
	store_close(store);
	free((char *)path);
}

/* ---- the migration to schema 11 ---------------------------------------- */

/* The tables with a row MAC, and how many rows row_mac_store() puts in. */
static const struct {
	const char *table;
	int64_t rows;
} maced[] = {
	{ "blocked_devices", 1 }, { "local_keys", 1 }, { "mt_local_keys", 1 },
	{ "device_local_keys", 1 }, { "hse_flows", 2 }, { "sgw_ues", 1 },
};
#define N_MACED (sizeof(maced) / sizeof(maced[0]))

/* How many tables have a mac column, and how many rows a MAC in it. */
static void count_macs(const char *path, int64_t *columns, int64_t *rows)
{
	char text[160];
	size_t i;

	*columns = *rows = 0;
	for (i = 0; i < N_MACED; i++) {
		snprintf(text, sizeof(text), "SELECT count(*) FROM"
			 " pragma_table_info('%s') WHERE name = 'mac'",
			 maced[i].table);
		if (sql_int(path, text) != 1)
			continue;
		(*columns)++;
		snprintf(text, sizeof(text), "SELECT count(*) FROM %s WHERE"
			 " length(mac) = 32", maced[i].table);
		*rows += sql_int(path, text);
	}
}

/* Every row of every table with a MAC reads through the store. */
static bool every_row_reads(struct store *store)
{
	struct store_hse_flow f;
	bool good = store_device_blocked(store, DEVICE) == 1 &&
		    ks_local_get(store, DEVICE) == 0 &&
		    mt_get(store, DEVICE) == 0 &&
		    remote_get(store, DEVICE) == 0 &&
		    store_hse_flow_get(store, flow_owner, 11, &f) == 0 &&
		    store_hse_flow_list(store, NULL, NULL, NULL) == 2 &&
		    sgw_get(store) == 0;

	if (!good)
		printf("# %s\n", store_errmsg(store));
	return good;
}

/* A schema 10 store: a row in every table with a MAC, the MACs gone. */
static void make_v10_store(const char *path)
{
	struct store *store = open_store(path, &key);
	struct store_hse_flow f, g;
	struct store_remote_key rk;
	struct store_ks_local kl;
	struct store_mt_key mk;
	struct store_sgw_ue u;

	fill_ks_local(&kl);
	fill_mt_key(&mk);
	fill_remote(&rk);
	fill_flow(&f, 11, IMSI_A);
	fill_flow(&g, 12, IMSI_B);
	memset(&u, 0, sizeof(u));
	strcpy(u.imsi, TEST_IMSI);
	u.last_ksi = 2;
	if (store_device_block(store, DEVICE, 1000) ||
	    store_ks_local_put(store, &kl) || store_mt_key_put(store, &mk) ||
	    store_remote_key_put(store, &rk) ||
	    store_hse_flow_put(store, &f) || store_hse_flow_put(store, &g) ||
	    store_sgw_ue_put(store, &u))
		bail("make_v10_store");
	store_ks_local_wipe(&kl);
	store_mt_key_wipe(&mk);
	store_remote_key_wipe(&rk);
	store_close(store);
	if (raw_sql(path, DROP_ROW_MACS UNDO_SCHEMAS_AFTER_11
		    " PRAGMA user_version = 10") !=
	    SQLITE_OK)
		bail("make_v10_store: schema 10");
}

static void test_row_mac_migration(void)
{
	const char *path = strdup(scratch_path("v10.db"));
	int64_t columns, rows, n_rows = 0;
	struct store_key wrong;
	struct store *store;
	char why[256] = "";
	size_t i;
	int ret;

	if (!path)
		bail("strdup");
	for (i = 0; i < N_MACED; i++)
		n_rows += maced[i].rows;
	make_v10_store(path);
	count_macs(path, &columns, &rows);
	ok(columns == 0 && sql_int(path, "PRAGMA user_version") == 10,
	   "row MACs: a schema 10 store has no mac column");

	test_key(&wrong, 0x77);
	ret = store_open(&store, path, &wrong, why, sizeof(why));
	count_macs(path, &columns, &rows);
	ok(ret == -EKEYREJECTED && strstr(why, "does not open this store") &&
	   sql_int(path, "PRAGMA user_version") == 10 && columns == 0,
	   "row MACs: a wrong key refused, the store untouched (%s)", why);

	store = open_store(path, &key);
	count_macs(path, &columns, &rows);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   sql_int(path, "PRAGMA user_version") == SCHEMA_NOW &&
	   columns == (int64_t)N_MACED && rows == n_rows,
	   "row MACs: its key migrates 10 -> %d, %lld rows of %zu tables"
	   " MACed", SCHEMA_NOW, (long long)rows, N_MACED);
	ok(every_row_reads(store), "row MACs: every row reads as it was");
	store_close(store);

	/*
	 * Set back to 10 with the MACs kept, a row changed meanwhile: the
	 * migration leaves the MACs as they are, the change stays refused.
	 */
	if (raw_sql(path, "UPDATE sgw_ues SET last_ksi = 5;"
			  UNDO_SCHEMAS_AFTER_11 " PRAGMA user_version = 10") != SQLITE_OK)
		bail("set back");
	store = open_store(path, &key);
	ok(store_schema_version(store) == SCHEMA_NOW &&
	   sgw_get(store) == -EKEYREJECTED &&
	   sql_int(path, "SELECT last_ksi FROM sgw_ues") == 5,
	   "row MACs: set back to 10, nothing re-MACed, the change refused");
	ok(store_device_blocked(store, DEVICE) == 1 &&
	   ks_local_get(store, DEVICE) == 0 && mt_get(store, DEVICE) == 0 &&
	   remote_get(store, DEVICE) == 0,
	   "row MACs: the other rows still read");
	/*
	 * The HSE flows, MACed with their owner at 18, fail the MAC of 17
	 * that the migration to 18 checks again: left without an owner, so
	 * refused (none of an instance's, a damaged row to a listing).
	 */
	ok(flow_11(store) == -ENOENT && flow_list(store) == -EKEYREJECTED,
	   "row MACs: set back, the HSE flows MACed at 18 stay refused");
	store_close(store);
	free((char *)path);
}

int main(void)
{
	plan(132);
	test_key(&key, 0x42);
	if (store_hse_owner_default(flow_owner, sizeof(flow_owner)))
		bail("the host's name is no HSE instance name");
	scratch_make("seal-bind");
	test_format();
	test_tampering();
	test_migration();
	test_row_mac_migration();
	scratch_remove();
	return 0;
}
