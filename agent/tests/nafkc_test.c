// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's parts without a network: its NAF_Id and the
 * Ks_local derivation with it (a vector computed with Python's hmac,
 * independently of crypto/), the service request and answer of
 * proto/nafkc (built byte for byte, parsed back, every refusal), and its
 * tables in the store (sealed, refusals change nothing, revocation
 * sticks).
 */
#include <errno.h>
#include <sqlite3.h>

#include "tap.h"
#include "store_fixture.h"
#include "crypto/fc.h"
#include "crypto/ks_local.h"
#include "daemon/nafkc/role_nafkc.h"
#include "proto/nafkc/ks_local_msg.h"
#include "util/why.h"

#define BTID	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net"
#define DEVICE	"imei:490154203237518"
/* DIGEST.md 1.7's Ks_NAF, as opaque 32 octets. */
#define KS_NAF	"7c351b69c4910d2da5a312ad73ce3ac7be6f46165fdb9ffc3494d874aca8a501"
/* "nafkc.home1.net" || FF 00 00 00 01 (PROFILE.md 5). */
#define KC_NAF_ID "6e61666b632e686f6d65312e6e6574ff00000001"
/*
 * hmac.new(ks_naf, b'\xff\xe1' + P0 + L0 + ... + P3 + L3, sha256) with
 * P = label, B-TID, NAF_Id, Device_ID (tests/derive_vectors.py's kdf()).
 */
#define KS_LOCAL_DEVICE	"02efc9ba3abc71492a733764c39ff732c9afcbc53a16fc14594e328426dbe3cc"
#define KS_LOCAL_MT	"7712e07e89a8e23b9a9095c7953bb0f5d85070900f8fc4bc6aee531da333f24a"

static struct store_key key;

static void test_derivation(void)
{
	uint8_t naf_id[KS_LOCAL_NAF_ID_MAX], ks_naf[GBA_KEY_LEN];
	uint8_t out[KS_LOCAL_LEN];
	int len = nafkc_naf_id(naf_id, "nafkc.home1.net");

	is_hex(naf_id, len > 0 ? (size_t)len : 0, KC_NAF_ID,
	       "NAF_Id = FQDN || FF 00 00 00 01");
	unhex(ks_naf, sizeof(ks_naf), KS_NAF);
	ok(!ks_local_derive(out, ks_naf, LABEL_KS_LOCAL_DEVICE, BTID, naf_id,
			    (size_t)len, DEVICE), "Ks_local_device derived");
	is_hex(out, sizeof(out), KS_LOCAL_DEVICE,
	       "Ks_local_device with the Key Centre's NAF_Id");
	ok(!ks_local_derive(out, ks_naf, LABEL_KS_LOCAL_MT, BTID, naf_id,
			    (size_t)len, DEVICE), "Ks_local_MT derived");
	is_hex(out, sizeof(out), KS_LOCAL_MT,
	       "Ks_local_MT with the Key Centre's NAF_Id");
	memset(naf_id, 0, sizeof(naf_id));
	ok(nafkc_naf_id(naf_id, "a") == 6 && naf_id[1] == 0xff &&
	   naf_id[5] == 0x01, "NAF_Id of a one-letter name");
}

static void test_request(void)
{
	static const struct {
		const char *body;
		const char *why;
	} rejects[] = {
		{ "", "empty body" },
		{ "[]", "body is not a JSON object" },
		{ "{\"device-id\":\"" DEVICE "\"}", "\"btid\" missing" },
		{ "{\"btid\":\"" BTID "\"}", "\"device-id\" missing" },
		{ "{\"btid\":\"nobody\",\"device-id\":\"" DEVICE "\"}",
		  "\"btid\" is not a B-TID" },
		{ "{\"btid\":\"" BTID "\",\"device-id\":\"a b\"}",
		  "\"device-id\" is not 1 to 128 printable ASCII characters without space" },
		{ "{\"btid\":\"" BTID "\",\"device-id\":\"\\u00e9\"}",
		  "\"device-id\" is not 1 to 128 printable ASCII characters without space" },
		{ "{\"btid\":\"" BTID "\",\"device-id\":7}",
		  "\"device-id\" is not a string" },
		{ "{\"btid\":\"" BTID "\",\"device-id\":\"" DEVICE
		  "\",\"label\":\"ks_local\"}",
		  "\"label\" is not ks_local_device or ks_local_mt" },
		{ "{\"btid\":\"" BTID "\",\"device-id\":\"" DEVICE
		  "\",\"label\":\"ks_local_device_x\"}",
		  "\"label\" is empty or longer than 16" },
		{ "{\"btid\":\"" BTID "\",\"btid\":\"" BTID "\","
		  "\"device-id\":\"" DEVICE "\"}", NULL },
	};
	struct ks_local_request req, back;
	char why[UB_WHY_MAX], *text = NULL;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		memset(&req, 0x5a, sizeof(req));
		back = req;
		why[0] = '\0';
		ret = ks_local_request_parse(rejects[i].body,
					     strlen(rejects[i].body), &req, why,
					     sizeof(why));
		ok(ret == -EINVAL && !memcmp(&req, &back, sizeof(req)) &&
		   (!rejects[i].why || !strcmp(why, rejects[i].why)),
		   "request refused, nothing written: %s (%s)",
		   rejects[i].why ? rejects[i].why : "a member twice", why);
	}
	text = "{\"btid\":\"" BTID "\",\"device-id\":\"" DEVICE "\",\"x\":1}";
	ret = ks_local_request_parse(text, strlen(text), &req, why,
				     sizeof(why));
	ok(!ret && !strcmp(req.btid, BTID) && !strcmp(req.device_id, DEVICE) &&
	   !strcmp(req.label, "ks_local_device"),
	   "label defaults to ks_local_device; unknown members ignored");
	ret = ks_local_request_build(&req, &text, why, sizeof(why));
	ok(!ret && !strcmp(text, "{\"btid\":\"" BTID "\",\"device-id\":\""
			   DEVICE "\",\"label\":\"ks_local_device\"}"),
	   "request built byte for byte: %s", text ? text : why);
	ok(text &&
	   !ks_local_request_parse(text, strlen(text), &back, NULL, 0) &&
	   !memcmp(&req, &back, sizeof(req)), "and parsed back the same");
	ub_json_text_free(text);
	strcpy(req.label, "ks_local");
	ok(ks_local_request_build(&req, &text, why, sizeof(why)) == -EINVAL &&
	   !text, "a request with a bad label is not built");
}

static void fill_response(struct ks_local_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	strcpy(resp->btid, BTID);
	strcpy(resp->device_id, DEVICE);
	strcpy(resp->label, "ks_local_mt");
	resp->naf_id_len = unhex(resp->naf_id, sizeof(resp->naf_id),
				 KC_NAF_ID);
	unhex(resp->ks_local, sizeof(resp->ks_local), KS_LOCAL_MT);
	resp->expires = 1714564800;
	resp->lifetime = 600;
}

static void test_response(void)
{
	static const char want[] =
		"{\"btid\":\"" BTID "\",\"device-id\":\"" DEVICE "\","
		"\"label\":\"ks_local_mt\",\"naf-id\":\"" KC_NAF_ID "\","
		"\"ks-local\":\"" KS_LOCAL_MT "\","
		"\"expires\":\"2024-05-01T12:00:00Z\",\"lifetime\":600}";
	struct ks_local_response resp, back;
	char why[UB_WHY_MAX], *text = NULL;
	int ret;

	fill_response(&resp);
	ret = ks_local_response_build(&resp, &text, why, sizeof(why));
	ok(!ret && text && !strcmp(text, want),
	   "answer built byte for byte: %s", text ? text : why);
	ret = text ? ks_local_response_parse(text, strlen(text), &back, why,
					     sizeof(why)) : -1;
	ok(!ret && !memcmp(&resp, &back, sizeof(resp)),
	   "and parsed back the same");
	ub_json_text_free(text);
	resp.lifetime = 0;
	ok(ks_local_response_build(&resp, &text, why, sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"lifetime\" is not 1 to 4294967295 seconds"),
	   "an answer with no lifetime is not built (%s)", why);
	fill_response(&resp);
	resp.naf_id_len = 5;
	ok(ks_local_response_build(&resp, &text, why, sizeof(why)) == -EINVAL,
	   "an answer whose NAF_Id has no FQDN is not built (%s)", why);
	text = "{\"btid\":\"" BTID "\",\"device-id\":\"" DEVICE "\","
	       "\"label\":\"ks_local_mt\",\"naf-id\":\"" KC_NAF_ID "\","
	       "\"ks-local\":\"" KS_LOCAL_MT "\","
	       "\"expires\":\"2024-05-01T12:00:00Z\",\"lifetime\":-1}";
	ok(ks_local_response_parse(text, strlen(text), &back, why,
				   sizeof(why)) == -EINVAL &&
	   !strcmp(why, "\"lifetime\" is not 1 to 4294967295 seconds"),
	   "an answer with a negative lifetime is refused");
	text = "{\"btid\":\"" BTID "\",\"device-id\":\"" DEVICE "\","
	       "\"naf-id\":\"" KC_NAF_ID "\",\"ks-local\":\"00\","
	       "\"expires\":\"2024-05-01T12:00:00Z\",\"lifetime\":1}";
	ok(ks_local_response_parse(text, strlen(text), &back, why,
				   sizeof(why)) == -EINVAL,
	   "an answer with a 1-octet key is refused (%s)", why);
}

static int count_devices(const struct store_device_info *info, void *arg)
{
	(void)info;
	(*(int *)arg)++;
	return 0;
}

static void test_store_devices(struct store *store)
{
	uint8_t psk[STORE_DEVICE_PSK_LEN], got[STORE_DEVICE_PSK_LEN];
	int n = 0;

	memset(psk, 0xa5, sizeof(psk));
	ok(store_device_psk_add(store, DEVICE, psk, 1000) == 0,
	   "device PSK added");
	ok(store_device_psk_add(store, DEVICE, psk, 1001) == -EEXIST,
	   "a second PSK for the device: -EEXIST");
	ok(store_device_psk_add(store, "a b", psk, 1000) == -EINVAL &&
	   store_device_psk_add(store, "", psk, 1000) == -EINVAL,
	   "a bad Device_ID: -EINVAL");
	ok(store_device_psk_get(store, DEVICE, got) == 0 &&
	   !memcmp(got, psk, sizeof(psk)), "device PSK read back");
	ok(store_device_psk_get(store, "imei:1", got) == -ENOENT,
	   "no PSK for another device: -ENOENT");
	ok(store_device_psk_list(store, count_devices, &n) == 0 && n == 1 &&
	   store_device_psk_list(store, NULL, NULL) == 1,
	   "device PSK list: one");
	ok(store_device_blocked(store, DEVICE) == 0 &&
	   store_device_block(store, DEVICE, 1000) == 0 &&
	   store_device_blocked(store, DEVICE) == 1 &&
	   store_device_block(store, DEVICE, 1000) == -EEXIST,
	   "block: blocked once, twice is -EEXIST");
	ok(store_device_block_list(store, NULL, NULL) == 1 &&
	   store_device_unblock(store, DEVICE) == 0 &&
	   store_device_unblock(store, DEVICE) == -ENOENT &&
	   store_device_blocked(store, DEVICE) == 0,
	   "unblock: once, then -ENOENT");
	ok(store_device_psk_remove(store, DEVICE) == 0 &&
	   store_device_psk_remove(store, DEVICE) == -ENOENT &&
	   store_device_psk_get(store, DEVICE, got) == -ENOENT,
	   "device PSK removed");
}

static void fill_key(struct store_ks_local *k, const char *label,
		     int64_t issued, uint8_t fill)
{
	memset(k, 0, sizeof(*k));
	strcpy(k->pub.btid, BTID);
	strcpy(k->pub.device_id, DEVICE);
	strcpy(k->pub.label, label);
	k->pub.naf_id_len = unhex(k->pub.naf_id, sizeof(k->pub.naf_id),
				  KC_NAF_ID);
	k->pub.issued = issued;
	k->pub.expires = issued + 600;
	memset(k->key, fill, sizeof(k->key));
}

static void test_store_keys(struct store *store, const char *path)
{
	struct store_ks_local k, got;
	sqlite3 *db;

	fill_key(&k, "ks_local_device", 1000, 0x11);
	ok(store_ks_local_put(store, &k) == 0, "local key put");
	ok(store_ks_local_get(store, BTID, DEVICE, "ks_local_device", &got) ==
	   0 && !memcmp(&got, &k, sizeof(k)), "local key read back");
	fill_key(&k, "ks_local_device", 2000, 0x22);
	ok(store_ks_local_put(store, &k) == 0 &&
	   store_ks_local_get(store, BTID, DEVICE, "ks_local_device", &got) ==
	   0 && !memcmp(&got, &k, sizeof(k)) &&
	   store_ks_local_list(store, NULL, NULL) == 1,
	   "put again renews the row: one row, the new times and key");
	fill_key(&k, "ks_local_mt", 2000, 0x33);
	k.pub.expires = k.pub.issued;
	ok(store_ks_local_put(store, &k) == -EINVAL &&
	   store_ks_local_list(store, NULL, NULL) == 1,
	   "a key that expires when issued: -EINVAL, nothing stored");
	fill_key(&k, "ks_local", 2000, 0x33);
	ok(store_ks_local_put(store, &k) == -EINVAL,
	   "an unknown label: -EINVAL");
	fill_key(&k, "ks_local_mt", 2000, 0x33);
	ok(store_ks_local_put(store, &k) == 0 &&
	   store_ks_local_revoke(store, BTID, DEVICE) == 2,
	   "revoke marks both labels' keys");
	ok(store_ks_local_get(store, BTID, DEVICE, "ks_local_mt", &got) == 0 &&
	   got.pub.revoked == 1, "a revoked key reads back revoked");
	fill_key(&k, "ks_local_mt", 3000, 0x44);
	ok(store_ks_local_put(store, &k) == -EKEYREVOKED &&
	   store_ks_local_get(store, BTID, DEVICE, "ks_local_mt", &got) == 0 &&
	   got.pub.revoked == 1 && got.pub.issued == 2000 &&
	   got.key[0] == 0x33, "put does not bring a revoked key back");
	ok(store_ks_local_revoke(store, BTID, "imei:1") == -ENOENT,
	   "revoke of no key: -ENOENT");
	/* The sealed key is bound to its row: moved, it does not open. */
	if (sqlite3_open(path, &db) == SQLITE_OK) {
		sqlite3_exec(db, "UPDATE local_keys SET key = (SELECT key FROM"
			     " local_keys WHERE label = 'ks_local_mt') WHERE"
			     " label = 'ks_local_device'", NULL, NULL, NULL);
		sqlite3_close(db);
	}
	ok(store_ks_local_get(store, BTID, DEVICE, "ks_local_device", &got) ==
	   -EKEYREJECTED, "a key moved to another row does not open");
	ok(store_ks_local_purge(store, 2599) == 0 &&
	   store_ks_local_purge(store, 2600) == 2 &&
	   store_ks_local_list(store, NULL, NULL) == 0,
	   "purge removes the expired keys only");
	store_ks_local_wipe(&got);
}

int main(void)
{
	const char *path;
	struct store *store;

	test_derivation();
	test_request();
	test_response();
	scratch_make("nafkc_test");
	path = scratch_path("nafkc.db");
	test_key(&key, 0x24);
	store = open_store(path, &key);
	test_store_devices(store);
	test_store_keys(store, path);
	store_close(store);
	scratch_remove();
	return done_testing();
}
