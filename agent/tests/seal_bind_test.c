// SPDX-License-Identifier: GPL-2.0
/*
 * The seal binds the columns a row is found by or decided on
 * (store/sqlite_seal.c, issue 16 item 6):
 *
 * - the version 2 format of seal.h, checked against blobs this test makes
 *   with OpenSSL from the AAD as seal.h writes it down, and every change
 *   of place, value, type, order or boundary refused;
 * - for each table family, a bound column changed behind the store's back
 *   (a swapped IMPI, an extended expiry, another USS, a changed
 *   Device_ID, ...) makes the lookup fail with -EKEYREJECTED, and the
 *   HSS's auc_vector() refuses as well, advancing no SQN; the columns
 *   documented as not bound are shown to be so;
 * - the migration to schema 10: a schema 9 store of version 1 blobs ends
 *   at 10 with every blob version 2 and every secret as it was; a wrong
 *   key leaves it untouched; a version 1 blob planted afterwards, or
 *   after setting user_version back, is refused.
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

static bool all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
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
	ok(sub_get(store, IMPI_A) == 0 && sub_get(store, IMPI_B) == 0,
	   "subscribers: swapped back, both open again");

	sql("UPDATE subscribers SET uss = 'x' WHERE imsi = '" IMSI_A "'");
	ok(sub_get(store, IMSI_A) == -EKEYREJECTED,
	   "subscribers: another uss fails the seal");
	sql("UPDATE subscribers SET uss = '[]' WHERE imsi = '" IMSI_A "'");
	sql("UPDATE subscribers SET flags = flags + 1 WHERE imsi = '" IMSI_A "'");
	ok(sub_get(store, IMSI_A) == -EKEYREJECTED,
	   "subscribers: other flags fail the seal");
	sql("UPDATE subscribers SET flags = flags - 1 WHERE imsi = '" IMSI_A "'");
	sql("UPDATE subscribers SET amf = amf + 1 WHERE imsi = '" IMSI_A "'");
	ok(sub_get(store, IMSI_A) == -EKEYREJECTED,
	   "subscribers: another amf fails the seal");
	sql("UPDATE subscribers SET amf = amf - 1 WHERE imsi = '" IMSI_A "'");
	/* set 1 has sqn_ind_bits 5 (store_subscriber_init()) */
	sql("UPDATE subscribers SET sqn_ind_bits = 4 WHERE imsi = '" IMSI_A "'");
	ok(sub_get(store, IMSI_A) == -EKEYREJECTED,
	   "subscribers: another sqn_ind_bits fails the seal");
	sql("UPDATE subscribers SET sqn_ind_bits = 5 WHERE imsi = '" IMSI_A "'");
	ok(sub_get(store, IMSI_A) == 0, "subscribers: restored, it opens");

	/* Not bound (sqlite_seal.c): the SQN moves on every AKA. */
	sql("UPDATE subscribers SET sqn_seq = 7 WHERE imsi = '" IMSI_A "'");
	ret = store_subscriber_get(store, IMSI_A, &sub);
	ok(ret == 0 && sub.pub.sqn.seq == 7,
	   "subscribers: sqn_seq is not bound (documented), it opens");
	store_subscriber_wipe(&sub);
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

static void test_sessions(struct store *store)
{
	struct store_session s;

	fill_session(&s, BTID);
	ok(store_session_add(store, &s) == 0 && session_get(store, BTID) == 0 &&
	   session_latest(store, TEST_IMPI) == 0, "sessions: one opens");
	store_session_wipe(&s);
	sql("UPDATE sessions SET expires = 999999");
	ok(session_get(store, BTID) == -EKEYREJECTED &&
	   session_latest(store, TEST_IMPI) == -EKEYREJECTED,
	   "sessions: an extended expires fails the seal (get and latest)");
	sql("UPDATE sessions SET expires = 2000");
	sql("UPDATE sessions SET uss = 'x'");
	ok(session_get(store, BTID) == -EKEYREJECTED,
	   "sessions: another uss fails the seal");
	sql("UPDATE sessions SET uss = ''");
	sql("UPDATE sessions SET impi = '" IMPI_A "'");
	ok(session_latest(store, IMPI_A) == -EKEYREJECTED &&
	   session_latest(store, TEST_IMPI) == -ENOENT,
	   "sessions: another impi fails the seal, the old one finds none");
	sql("UPDATE sessions SET impi = '" TEST_IMPI "'");
	sql("UPDATE sessions SET flags = 1");
	ok(session_get(store, BTID) == -EKEYREJECTED,
	   "sessions: other flags fail the seal");
	sql("UPDATE sessions SET flags = 0");
	sql("UPDATE sessions SET created = 999");
	ok(session_get(store, BTID) == -EKEYREJECTED,
	   "sessions: another created fails the seal");
	sql("UPDATE sessions SET created = 1000");
	ok(session_get(store, BTID) == 0, "sessions: restored, it opens");
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

static void test_usims(struct store *store)
{
	struct store_usim usim;
	struct store_usim_gba gba;
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];

	add_set1_usim(store, TEST_ICCID, SET1_K, 0);
	ok(usim_get(store, &usim) == 0, "usims: one opens");
	store_usim_wipe(&usim);
	sql("UPDATE usims SET impi = '" IMPI_A "'");
	ok(usim_get(store, &usim) == -EKEYREJECTED,
	   "usims: another impi fails the seal of K");
	store_usim_wipe(&usim);
	sql("UPDATE usims SET impi = '" TEST_IMPI "', imsi = '" IMSI_A "'");
	ok(usim_get(store, &usim) == -EKEYREJECTED,
	   "usims: another imsi fails the seal of K");
	store_usim_wipe(&usim);
	sql("UPDATE usims SET imsi = '" TEST_IMSI "', flags = 1");
	ok(usim_get(store, &usim) == -EKEYREJECTED,
	   "usims: other flags fail the seal of K");
	store_usim_wipe(&usim);
	sql("UPDATE usims SET flags = 0");

	memset(&gba, 0, sizeof(gba));
	memset(gba.rand, 0x12, sizeof(gba.rand));
	memset(gba.ks, 0x22, sizeof(gba.ks));
	strcpy(gba.btid, BTID);
	gba.expires = 5000;
	ok(store_usim_gba_set(store, TEST_ICCID, &gba) == 0 &&
	   gba_get(store) == 0, "usims: a GBA_U Ks opens");
	sql("UPDATE usims SET gba_expires = 999999");
	ok(gba_get(store) == -EKEYREJECTED,
	   "usims: an extended gba_expires fails the seal of Ks");
	sql("UPDATE usims SET gba_expires = 5000, gba_btid = '" BTID2 "'");
	ok(gba_get(store) == -EKEYREJECTED,
	   "usims: another gba_btid fails the seal of Ks");
	sql("UPDATE usims SET gba_btid = '" BTID "'");
	ok(gba_get(store) == 0, "usims: restored, Ks opens");

	memset(k, 0x23, sizeof(k));
	memset(opc, 0x24, sizeof(opc));
	ok(store_usim_stage_keys(store, TEST_ICCID, 7, k, opc) == 0 &&
	   usim_get(store, &usim) == 0 && usim.pub.has_pending &&
	   !memcmp(usim.pending_k, k, sizeof(k)), "usims: pending keys open");
	store_usim_wipe(&usim);
	sql("UPDATE usims SET update_counter = 8");
	ok(usim_get(store, &usim) == -EKEYREJECTED,
	   "usims: another update_counter fails the seal of the pending keys");
	store_usim_wipe(&usim);
	sql("UPDATE usims SET update_counter = 7");
	ok(usim_get(store, &usim) == 0, "usims: restored, they open");
	store_usim_wipe(&usim);
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
	sql("UPDATE device_psks SET device_id = 'imei:490154203237510'"
	    " WHERE device_id = '" DEVICE "'");
	ok(store_device_psk_get(store, "imei:490154203237510", psk) ==
	   -EKEYREJECTED && all_zero(psk, sizeof(psk)),
	   "nafkc: a changed Device_ID fails the seal of its PSK");
	sql("UPDATE device_psks SET device_id = '" DEVICE "'"
	    " WHERE device_id = 'imei:490154203237510';"
	    "UPDATE device_psks SET psk = (SELECT psk FROM device_psks"
	    " WHERE device_id = '" DEVICE2 "') WHERE device_id = '" DEVICE "'");
	ok(store_device_psk_get(store, DEVICE, psk) == -EKEYREJECTED,
	   "nafkc: another device's PSK copied over fails the seal");

	fill_ks_local(&k);
	ok(store_ks_local_put(store, &k) == 0 && ks_local_get(store, DEVICE) == 0,
	   "nafkc: an issued Ks_local opens");
	sql("UPDATE local_keys SET device_id = '" DEVICE2 "'");
	ok(ks_local_get(store, DEVICE2) == -EKEYREJECTED,
	   "nafkc: a changed Device_ID fails the seal of its Ks_local");
	sql("UPDATE local_keys SET device_id = '" DEVICE "', expires = 999999");
	ok(ks_local_get(store, DEVICE) == -EKEYREJECTED,
	   "nafkc: an extended expires fails the seal of Ks_local");
	sql("UPDATE local_keys SET expires = 1600, naf_id = x'0102030405060708'");
	ok(ks_local_get(store, DEVICE) == -EKEYREJECTED,
	   "nafkc: another naf_id fails the seal of Ks_local");
	/* naf_id: "nafkc.test" and 01 00 00 00 02 */
	sql("UPDATE local_keys SET naf_id = x'6e61666b632e746573740100000002'");
	ok(ks_local_get(store, DEVICE) == 0, "nafkc: restored, it opens");
	sql("UPDATE local_keys SET expires = 1000");
	ok(ks_local_get(store, DEVICE) == -EUCLEAN,
	   "nafkc: an expiry not after issue is a damaged row, sealed or not");
	sql("UPDATE local_keys SET expires = 1600");
	/* Not bound (sqlite_seal.c): revoked is set after sealing. */
	ok(store_ks_local_revoke(store, BTID, DEVICE) == 1, "nafkc: revoked");
	sql("UPDATE local_keys SET revoked = 0");
	ok(ks_local_get(store, DEVICE) == 0,
	   "nafkc: revoked is not bound (documented), cleared it opens");
	store_ks_local_wipe(&k);
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

static void test_mt(struct store *store)
{
	struct store_mt_key k;

	fill_mt_key(&k);
	ok(store_mt_key_put(store, &k) == 0 && mt_get(store, DEVICE) == 0,
	   "mt: a key opens");
	store_mt_key_wipe(&k);
	sql("UPDATE mt_local_keys SET iccid = '" ICCID2 "'");
	ok(mt_get(store, DEVICE) == -EKEYREJECTED,
	   "mt: another iccid fails the seal");
	sql("UPDATE mt_local_keys SET iccid = '" TEST_ICCID "', expires = 999999");
	ok(mt_get(store, DEVICE) == -EKEYREJECTED,
	   "mt: an extended expires fails the seal");
	sql("UPDATE mt_local_keys SET expires = 5000, device_id = '" DEVICE2 "'");
	ok(mt_get(store, DEVICE2) == -EKEYREJECTED,
	   "mt: a changed Device_ID fails the seal");
	sql("UPDATE mt_local_keys SET device_id = '" DEVICE "', iccid = 'x'");
	ok(mt_get(store, DEVICE) == -EUCLEAN,
	   "mt: a bound column changed to what no row may hold is damaged");
	sql("UPDATE mt_local_keys SET iccid = '" TEST_ICCID "'");
	ok(mt_get(store, DEVICE) == 0, "mt: restored, it opens");
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

static void test_remote(struct store *store)
{
	struct store_remote_key k;

	fill_remote(&k);
	ok(store_remote_key_put(store, &k) == 0 && remote_get(store, DEVICE) == 0,
	   "remote: a key opens");
	store_remote_key_wipe(&k);
	sql("UPDATE device_local_keys SET expires = 999999");
	ok(remote_get(store, DEVICE) == -EKEYREJECTED,
	   "remote: an extended expires fails the seal");
	sql("UPDATE device_local_keys SET expires = 5000, btid = '" BTID2 "'");
	ok(remote_get(store, DEVICE) == -EKEYREJECTED,
	   "remote: another btid fails the seal");
	sql("UPDATE device_local_keys SET btid = '" BTID "',"
	    " label = 'ks_local_mt'");
	ok(remote_get(store, DEVICE) == -EKEYREJECTED,
	   "remote: another label fails the seal");
	sql("UPDATE device_local_keys SET label = 'ks_local_device',"
	    " device_id = '" DEVICE2 "'");
	ok(remote_get(store, DEVICE2) == -EKEYREJECTED,
	   "remote: a changed Device_ID fails the seal");
	sql("UPDATE device_local_keys SET device_id = '" DEVICE "'");
	ok(remote_get(store, DEVICE) == 0, "remote: restored, it opens");
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
	sql("UPDATE onem2m_kpms SET target_id = 'maf-2'");
	ok(kpm_get(store) == -EKEYREJECTED,
	   "onem2m: another MAF-ID fails the seal of Kpm");
	sql("UPDATE onem2m_kpms SET target_id = 'maf-1',"
	    " enrolee_id = 'CAE-enrolee-2'");
	ok(kpm_get(store) == -EKEYREJECTED,
	   "onem2m: another Enrolee-ID fails the seal of Kpm");
	sql("UPDATE onem2m_kpms SET enrolee_id = 'CAE-enrolee-1'");
	ok(kpm_get(store) == 0, "onem2m: restored, Kpm opens");
	sql("UPDATE onem2m_kes SET expires = 999999");
	ok(ke_get(store) == -EKEYREJECTED,
	   "onem2m: an extended expires fails the seal of Ke");
	sql("UPDATE onem2m_kes SET expires = 5000, mef = 'other.test'");
	ok(ke_get(store) == -EKEYREJECTED,
	   "onem2m: another MEF fails the seal of Ke");
	sql("UPDATE onem2m_kes SET mef = 'mef.test', target_kind = 'enrolee-b'");
	ok(ke_get(store) == -EKEYREJECTED,
	   "onem2m: another target kind fails the seal of Ke");
	sql("UPDATE onem2m_kes SET target_kind = 'maf'");
	ok(ke_get(store) == 0, "onem2m: restored, Ke opens");
}

static void test_tampering(void)
{
	struct store *store;

	db_path = scratch_path("bind.db");
	db_path = strdup(db_path);
	if (!db_path)
		bail("strdup");
	store = open_store(db_path, &key);
	test_subscribers(store);
	test_sessions(store);
	test_usims(store);
	test_mt(store);
	test_nafkc(store);
	test_remote(store);
	test_onem2m(store);
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
	if (raw_sql(path, "PRAGMA user_version = 9") != SQLITE_OK)
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
	ok(store_schema_version(store) == 10 &&
	   sql_int(path, "PRAGMA user_version") == 10,
	   "migration: opening it with its key migrates 9 -> 10");
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
	if (raw_sql(path, "PRAGMA user_version = 9") != SQLITE_OK)
		bail("user_version");
	store = open_store(path, &key);
	ok(store_schema_version(store) == 10 &&
	   session_get(store, BTID) == -EKEYREJECTED &&
	   count_version(path, 1) == 1,
	   "migration: set back to 9, the v2 store re-seals nothing, still refused");
	store_close(store);
	free((char *)path);
}

int main(void)
{
	plan(83);
	test_key(&key, 0x42);
	scratch_make("seal-bind");
	test_format();
	test_tampering();
	test_migration();
	scratch_remove();
	return 0;
}
