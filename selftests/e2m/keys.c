// SPDX-License-Identifier: GPL-2.0
/*
 * kselftests of the e2m key types "e2mkeyset" and "ks_local": creation,
 * description, refused read-back and update, payload validation (every bad
 * payload refused with the right errno and no key created), revoke, expiry
 * from the payload lifetime and from keyctl timeout.
 *
 * The harness runs each test in a child process, so every test has its own
 * process keyring.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <keyutils.h>
#include <linux/e2m.h>

#include "kselftest_harness.h"

#define KEYRING KEY_SPEC_PROCESS_KEYRING

static const char btid[] = "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net";
static const char naf_fqdn[] = "naf1.home1.net";
static const unsigned char ua_http_digest[E2M_UA_PROTO_ID_LEN] = {
	0x01, 0x00, 0x00, 0x00, 0x02
};
static const char device_id[] = "imei:490154203237518";

static struct e2m_keyset_payload good_keyset(unsigned int key_id)
{
	struct e2m_keyset_payload p = {
		.version = E2M_KEYSET_PAYLOAD_V1,
		.enc_alg = E2M_ALG_AES,
		.int_alg = E2M_ALG_AES,
		.key_id = key_id,
	};

	memset(p.k_enc, 0xa5, sizeof(p.k_enc));
	memset(p.k_int, 0x5a, sizeof(p.k_int));
	return p;
}

/* A ks_local payload in buf (large enough); returns its length. */
static size_t good_ks_local(unsigned char *buf, unsigned int kind)
{
	struct e2m_ks_local_payload *p = (void *)buf;
	unsigned char *ids = buf + sizeof(*p);

	memset(p, 0, sizeof(*p));
	p->version = E2M_KS_LOCAL_PAYLOAD_V1;
	p->kind = kind;
	p->btid_len = strlen(btid);
	p->naf_id_len = strlen(naf_fqdn) + E2M_UA_PROTO_ID_LEN;
	p->device_id_len = strlen(device_id);
	memset(p->key, 0x3c, sizeof(p->key));
	memcpy(ids, btid, p->btid_len);
	ids += p->btid_len;
	memcpy(ids, naf_fqdn, strlen(naf_fqdn));
	memcpy(ids + strlen(naf_fqdn), ua_http_digest, E2M_UA_PROTO_ID_LEN);
	ids += p->naf_id_len;
	memcpy(ids, device_id, p->device_id_len);
	return sizeof(*p) + p->btid_len + p->naf_id_len + p->device_id_len;
}

/* The /proc/keys line of @serial, from the description on; false if none. */
static bool proc_keys_describe(key_serial_t serial, char *out, size_t outlen)
{
	char line[1024], prefix[16];
	bool found = false;
	FILE *f;

	snprintf(prefix, sizeof(prefix), "%08x ", serial);
	f = fopen("/proc/keys", "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *type;

		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		/* serial flags usage expiry perm uid gid type description */
		type = line;
		for (int field = 0; field < 7 && type; field++) {
			type = strchr(type, ' ');
			while (type && *type == ' ')
				type++;
		}
		if (!type)
			break;
		line[strcspn(line, "\n")] = '\0';
		snprintf(out, outlen, "%s", type);
		found = true;
		break;
	}
	fclose(f);
	return found;
}

/*
 * Number of keys of our two types described @desc in /proc/keys. Counting
 * all e2m keys would race with the key garbage collector, which reaps the
 * keys of earlier tests' exited children asynchronously; no test ever
 * creates a key named "bad", so that count must stay 0.
 */
static int count_e2m_keys_named(const char *desc)
{
	char line[1024], keyset[128], ks_local[128];
	int n = 0;
	FILE *f = fopen("/proc/keys", "r");

	if (!f)
		return -1;
	snprintf(keyset, sizeof(keyset), " %s %s:", E2M_KEYSET_KEY_TYPE, desc);
	snprintf(ks_local, sizeof(ks_local), " %s %s:", E2M_KS_LOCAL_KEY_TYPE, desc);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, keyset) || strstr(line, ks_local))
			n++;
	fclose(f);
	return n;
}

TEST(keyset_add_describe_and_refuse_read)
{
	struct e2m_keyset_payload p = good_keyset(1);
	const char *desc = "imsi:001010000000001 kid:1";
	char *described = NULL, proc[512], buf[64];
	key_serial_t key;

	key = add_key(E2M_KEYSET_KEY_TYPE, desc, &p, sizeof(p), KEYRING);
	ASSERT_GT(key, 0) TH_LOG("add_key: %s", strerror(errno));

	ASSERT_GT(keyctl_describe_alloc(key, &described), 0);
	/* type;uid;gid;perm;description */
	EXPECT_EQ(0, strncmp(described, E2M_KEYSET_KEY_TYPE ";0;0;", 14));
	EXPECT_NE(NULL, strstr(described, ";imsi:001010000000001 kid:1"));
	free(described);

	ASSERT_TRUE(proc_keys_describe(key, proc, sizeof(proc)));
	EXPECT_STREQ("e2mkeyset imsi:001010000000001 kid:1: key_id 1, 128-NEA2/128-NIA2",
		     proc);

	/* Never readable back, not even its length. */
	EXPECT_EQ(-1, keyctl_read(key, buf, sizeof(buf)));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, keyctl_read(key, NULL, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);

	/*
	 * No update in place: a rekey is a new key. A type without ->update
	 * gives its keys no write permission, hence EACCES.
	 */
	EXPECT_EQ(-1, keyctl_update(key, &p, sizeof(p)));
	EXPECT_EQ(EACCES, errno);

	EXPECT_EQ(key, keyctl_search(KEYRING, E2M_KEYSET_KEY_TYPE, desc, 0));
}

TEST(keyset_every_key_id)
{
	for (unsigned int kid = 0; kid <= E2M_KEY_ID_MAX; kid++) {
		struct e2m_keyset_payload p = good_keyset(kid);
		char desc[32], proc[256], want[256];
		key_serial_t key;

		snprintf(desc, sizeof(desc), "kid:%u", kid);
		key = add_key(E2M_KEYSET_KEY_TYPE, desc, &p, sizeof(p), KEYRING);
		ASSERT_GT(key, 0);
		ASSERT_TRUE(proc_keys_describe(key, proc, sizeof(proc)));
		snprintf(want, sizeof(want),
			 "e2mkeyset kid:%u: key_id %u, 128-NEA2/128-NIA2", kid, kid);
		EXPECT_STREQ(want, proc);
	}
}

enum keyset_field {
	KF_VERSION, KF_ENC_ALG, KF_INT_ALG, KF_KEY_ID, KF_RESERVED, KF_LENGTH,
};

FIXTURE(bad_keyset) {};
FIXTURE_SETUP(bad_keyset) {}
FIXTURE_TEARDOWN(bad_keyset) {}

FIXTURE_VARIANT(bad_keyset) {
	enum keyset_field field;
	long value;		/* new value, or length delta for KF_LENGTH */
	int err;
};

FIXTURE_VARIANT_ADD(bad_keyset, version_0) { KF_VERSION, 0, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, version_2) { KF_VERSION, 2, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, empty) { KF_LENGTH, -(long)sizeof(struct e2m_keyset_payload), EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, one_short) { KF_LENGTH, -1, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, one_long) { KF_LENGTH, 1, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, key_id_8) { KF_KEY_ID, 8, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, key_id_255) { KF_KEY_ID, 255, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, reserved_low_bit) { KF_RESERVED, 1, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, reserved_high_bit) { KF_RESERVED, 0x80000000, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, nia0) { KF_INT_ALG, E2M_ALG_NULL, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, enc_alg_unknown) { KF_ENC_ALG, 4, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, int_alg_unknown) { KF_INT_ALG, 255, EINVAL };
FIXTURE_VARIANT_ADD(bad_keyset, nea0_not_implemented) { KF_ENC_ALG, E2M_ALG_NULL, ENOPKG };
FIXTURE_VARIANT_ADD(bad_keyset, nea1_not_implemented) { KF_ENC_ALG, E2M_ALG_SNOW3G, ENOPKG };
FIXTURE_VARIANT_ADD(bad_keyset, nia3_not_implemented) { KF_INT_ALG, E2M_ALG_ZUC, ENOPKG };

TEST_F(bad_keyset, refused_and_nothing_created)
{
	unsigned char buf[sizeof(struct e2m_keyset_payload) + 1] = { 0 };
	struct e2m_keyset_payload p = good_keyset(1);
	size_t len = sizeof(p);

	switch (variant->field) {
	case KF_VERSION: p.version = variant->value; break;
	case KF_ENC_ALG: p.enc_alg = variant->value; break;
	case KF_INT_ALG: p.int_alg = variant->value; break;
	case KF_KEY_ID: p.key_id = variant->value; break;
	case KF_RESERVED: p.reserved = variant->value; break;
	case KF_LENGTH: len += variant->value; break;
	}
	memcpy(buf, &p, sizeof(p));

	EXPECT_EQ(-1, add_key(E2M_KEYSET_KEY_TYPE, "bad", buf, len, KEYRING));
	EXPECT_EQ(variant->err, errno);
	EXPECT_EQ(-1, keyctl_search(KEYRING, E2M_KEYSET_KEY_TYPE, "bad", 0));
	EXPECT_EQ(ENOKEY, errno);
	EXPECT_EQ(0, count_e2m_keys_named("bad"));
}

TEST(keyset_revoke_wipes)
{
	struct e2m_keyset_payload p = good_keyset(2);
	char proc[256], buf[16];
	key_serial_t key;

	key = add_key(E2M_KEYSET_KEY_TYPE, "revoke-me", &p, sizeof(p), KEYRING);
	ASSERT_GT(key, 0);
	ASSERT_EQ(0, keyctl_revoke(key));
	EXPECT_EQ(-1, keyctl_search(KEYRING, E2M_KEYSET_KEY_TYPE, "revoke-me", 0));
	EXPECT_EQ(EKEYREVOKED, errno);
	EXPECT_EQ(-1, keyctl_read(key, buf, sizeof(buf)));
	EXPECT_EQ(EKEYREVOKED, errno);
	ASSERT_TRUE(proc_keys_describe(key, proc, sizeof(proc)));
	EXPECT_STREQ("e2mkeyset revoke-me: wiped", proc);
}

TEST(keyset_lifetime_from_payload)
{
	struct e2m_keyset_payload p = good_keyset(3);
	key_serial_t key;

	p.lifetime = 1;
	key = add_key(E2M_KEYSET_KEY_TYPE, "short-lived", &p, sizeof(p), KEYRING);
	ASSERT_GT(key, 0);
	EXPECT_EQ(key, keyctl_search(KEYRING, E2M_KEYSET_KEY_TYPE, "short-lived", 0));
	sleep(2);
	EXPECT_EQ(-1, keyctl_search(KEYRING, E2M_KEYSET_KEY_TYPE, "short-lived", 0));
	EXPECT_EQ(EKEYEXPIRED, errno);
}

TEST(keyset_keyctl_timeout)
{
	struct e2m_keyset_payload p = good_keyset(4);
	key_serial_t key;

	key = add_key(E2M_KEYSET_KEY_TYPE, "timed", &p, sizeof(p), KEYRING);
	ASSERT_GT(key, 0);
	ASSERT_EQ(0, keyctl_set_timeout(key, 1));
	sleep(2);
	EXPECT_EQ(-1, keyctl_search(KEYRING, E2M_KEYSET_KEY_TYPE, "timed", 0));
	EXPECT_EQ(EKEYEXPIRED, errno);
}

TEST(ks_local_device_and_mt)
{
	unsigned char buf[1024];
	char proc[512], rd[8];
	key_serial_t dev, mt;
	size_t len;

	len = good_ks_local(buf, E2M_KS_LOCAL_DEVICE);
	dev = add_key(E2M_KS_LOCAL_KEY_TYPE, "ks-local-device", buf, len, KEYRING);
	ASSERT_GT(dev, 0) TH_LOG("add_key: %s", strerror(errno));
	len = good_ks_local(buf, E2M_KS_LOCAL_MT);
	mt = add_key(E2M_KS_LOCAL_KEY_TYPE, "ks-local-mt", buf, len, KEYRING);
	ASSERT_GT(mt, 0);

	ASSERT_TRUE(proc_keys_describe(dev, proc, sizeof(proc)));
	EXPECT_STREQ("ks_local  ks-local-device: Ks_local_device, 256-bit, "
		     "btid I1U8vpY3qJ0hiuZNrke/NQ==@bsf.home1.net, "
		     "naf naf1.home1.net/0100000002, device imei:490154203237518",
		     proc);
	ASSERT_TRUE(proc_keys_describe(mt, proc, sizeof(proc)));
	EXPECT_NE(NULL, strstr(proc, ": Ks_local_MT, 256-bit, btid "));

	EXPECT_EQ(-1, keyctl_read(dev, rd, sizeof(rd)));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, keyctl_update(dev, buf, len));
	EXPECT_EQ(EACCES, errno);

	ASSERT_EQ(0, keyctl_revoke(dev));
	ASSERT_TRUE(proc_keys_describe(dev, proc, sizeof(proc)));
	EXPECT_STREQ("ks_local  ks-local-device: wiped", proc);
}

TEST(ks_local_lifetime_from_payload)
{
	unsigned char buf[1024];
	struct e2m_ks_local_payload *p = (void *)buf;
	size_t len = good_ks_local(buf, E2M_KS_LOCAL_DEVICE);

	p->lifetime = 1;
	ASSERT_GT(add_key(E2M_KS_LOCAL_KEY_TYPE, "ks-short", buf, len, KEYRING), 0);
	sleep(2);
	EXPECT_EQ(-1, keyctl_search(KEYRING, E2M_KS_LOCAL_KEY_TYPE, "ks-short", 0));
	EXPECT_EQ(EKEYEXPIRED, errno);
}

enum ks_local_defect {
	KL_VERSION, KL_KIND_0, KL_KIND_3, KL_RESERVED, KL_EMPTY_BTID,
	KL_EMPTY_DEVICE, KL_NAF_ONLY_UA, KL_NAF_TOO_LONG, KL_SHORT, KL_LONG,
	KL_HEADER_ONLY, KL_BTID_SPACE, KL_BTID_CONTROL, KL_FQDN_UNDERSCORE,
	KL_DEVICE_HIGH_BIT,
};

FIXTURE(bad_ks_local) {};
FIXTURE_SETUP(bad_ks_local) {}
FIXTURE_TEARDOWN(bad_ks_local) {}
FIXTURE_VARIANT(bad_ks_local) { enum ks_local_defect defect; };

FIXTURE_VARIANT_ADD(bad_ks_local, version_2) { KL_VERSION };
FIXTURE_VARIANT_ADD(bad_ks_local, kind_0) { KL_KIND_0 };
FIXTURE_VARIANT_ADD(bad_ks_local, kind_3) { KL_KIND_3 };
FIXTURE_VARIANT_ADD(bad_ks_local, reserved) { KL_RESERVED };
FIXTURE_VARIANT_ADD(bad_ks_local, empty_btid) { KL_EMPTY_BTID };
FIXTURE_VARIANT_ADD(bad_ks_local, empty_device_id) { KL_EMPTY_DEVICE };
FIXTURE_VARIANT_ADD(bad_ks_local, naf_id_without_fqdn) { KL_NAF_ONLY_UA };
FIXTURE_VARIANT_ADD(bad_ks_local, naf_id_too_long) { KL_NAF_TOO_LONG };
FIXTURE_VARIANT_ADD(bad_ks_local, one_short) { KL_SHORT };
FIXTURE_VARIANT_ADD(bad_ks_local, one_long) { KL_LONG };
FIXTURE_VARIANT_ADD(bad_ks_local, header_only) { KL_HEADER_ONLY };
FIXTURE_VARIANT_ADD(bad_ks_local, btid_with_space) { KL_BTID_SPACE };
FIXTURE_VARIANT_ADD(bad_ks_local, btid_with_control) { KL_BTID_CONTROL };
FIXTURE_VARIANT_ADD(bad_ks_local, fqdn_with_underscore) { KL_FQDN_UNDERSCORE };
FIXTURE_VARIANT_ADD(bad_ks_local, device_id_8bit) { KL_DEVICE_HIGH_BIT };

TEST_F(bad_ks_local, refused_and_nothing_created)
{
	unsigned char buf[1024] = { 0 };
	struct e2m_ks_local_payload *p = (void *)buf;
	size_t len = good_ks_local(buf, E2M_KS_LOCAL_DEVICE);
	unsigned char *ids = buf + sizeof(*p);

	switch (variant->defect) {
	case KL_VERSION: p->version = 2; break;
	case KL_KIND_0: p->kind = 0; break;
	case KL_KIND_3: p->kind = 3; break;
	case KL_RESERVED: p->reserved = 1; break;
	case KL_EMPTY_BTID: len -= p->btid_len; p->btid_len = 0; break;
	case KL_EMPTY_DEVICE: len -= p->device_id_len; p->device_id_len = 0; break;
	case KL_NAF_ONLY_UA: p->naf_id_len = E2M_UA_PROTO_ID_LEN; break;
	case KL_NAF_TOO_LONG: p->naf_id_len = E2M_NAF_ID_MAX + 1; break;
	case KL_SHORT: len--; break;
	case KL_LONG: len++; break;
	case KL_HEADER_ONLY: len = sizeof(*p) - 1; break;
	case KL_BTID_SPACE: ids[3] = ' '; break;
	case KL_BTID_CONTROL: ids[0] = '\n'; break;
	case KL_FQDN_UNDERSCORE: ids[p->btid_len + 4] = '_'; break;
	case KL_DEVICE_HIGH_BIT: ids[len - sizeof(*p) - 1] = 0xe9; break;
	}

	EXPECT_EQ(-1, add_key(E2M_KS_LOCAL_KEY_TYPE, "bad", buf, len, KEYRING));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, keyctl_search(KEYRING, E2M_KS_LOCAL_KEY_TYPE, "bad", 0));
	EXPECT_EQ(ENOKEY, errno);
	EXPECT_EQ(0, count_e2m_keys_named("bad"));
}

TEST_HARNESS_MAIN
