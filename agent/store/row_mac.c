// SPDX-License-Identifier: GPL-2.0
/*
 * Row MACs, see row_mac.h; the format is in sqlite_row_mac.c's comment.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "row_mac.h"

static const char row_mac_label[] = "e2m-store/row/1";
static const char mac_key_label[] = "e2m-store/row-mac-key/1";

/*
 * The MAC's input is gathered here and handed to OpenSSL in few large
 * updates: a row is a few dozen short pieces, and each EVP_MAC_update()
 * costs more than the copy.
 */
struct mac_input {
	EVP_MAC_CTX *ctx;
	uint8_t buf[512];
	size_t len;
	int err;
};

static void mac_flush(struct mac_input *in)
{
	if (!in->err && in->len && !EVP_MAC_update(in->ctx, in->buf, in->len))
		in->err = -EIO;
	in->len = 0;
}

static void mac_put(struct mac_input *in, const void *bytes, size_t len)
{
	const uint8_t *p = bytes;

	while (len && !in->err) {
		size_t room = sizeof(in->buf) - in->len;
		size_t n = len < room ? len : room;

		memcpy(in->buf + in->len, p, n);
		in->len += n;
		p += n;
		len -= n;
		if (in->len == sizeof(in->buf))
			mac_flush(in);
	}
}

static void mac_u32(struct mac_input *in, size_t value)
{
	uint8_t be[4];

	if (value > UINT32_MAX) {
		in->err = -EINVAL;
		return;
	}
	be[0] = (uint8_t)(value >> 24);
	be[1] = (uint8_t)(value >> 16);
	be[2] = (uint8_t)(value >> 8);
	be[3] = (uint8_t)value;
	mac_put(in, be, sizeof(be));
}

static void mac_str(struct mac_input *in, const void *bytes, size_t len)
{
	mac_u32(in, len);
	mac_put(in, bytes, len);
}

static void mac_value(struct mac_input *in, const struct seal_field *value)
{
	uint8_t type = (uint8_t)value->type, be[8];
	int i;

	mac_put(in, &type, 1);
	switch (value->type) {
	case SEAL_NULL:
		return;
	case SEAL_INT:
		for (i = 0; i < 8; i++)
			be[i] = (uint8_t)((uint64_t)value->integer >>
					  (56 - 8 * i));
		mac_put(in, be, sizeof(be));
		return;
	case SEAL_TEXT:
	case SEAL_BLOB:
		mac_str(in, value->bytes, value->len);
		return;
	}
	in->err = -EINVAL;
}

/* The MAC of a row of table (the format above). */
int row_mac(EVP_MAC_CTX *ctx, const char *table,
	    const struct seal_field *values, size_t n,
	    uint8_t mac[ROW_MAC_LEN])
{
	struct mac_input in = { .ctx = ctx };
	size_t i, len = 0;

	/* No key: the precomputed pads of the key given at init. */
	if (!in.ctx || !EVP_MAC_init(in.ctx, NULL, 0, NULL))
		return -EIO;
	mac_put(&in, row_mac_label, strlen(row_mac_label));
	mac_str(&in, table, strlen(table));
	mac_u32(&in, n);
	for (i = 0; i < n; i++)
		mac_value(&in, &values[i]);
	mac_flush(&in);
	if (!in.err && (!EVP_MAC_final(in.ctx, mac, &len, ROW_MAC_LEN) ||
			len != ROW_MAC_LEN))
		in.err = -EIO;
	return in.err;
}

/* The mac key, derived from the store key (the top). */
static int derive_mac_key(const struct store_key *key,
			  uint8_t mac_key[ROW_MAC_LEN])
{
	size_t len = 0;
	bool good;

	good = EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key->bytes,
			 sizeof(key->bytes),
			 (const unsigned char *)mac_key_label,
			 strlen(mac_key_label), mac_key, ROW_MAC_LEN,
			 &len) && len == ROW_MAC_LEN;
	return good ? 0 : -EIO;
}

int row_mac_key(EVP_MAC_CTX **ctx, const struct store_key *key)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	uint8_t mac_key[ROW_MAC_LEN];
	EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	int ret;

	*ctx = NULL;
	if (hmac)
		*ctx = EVP_MAC_CTX_new(hmac);
	EVP_MAC_free(hmac);
	if (!*ctx)
		return -ENOMEM;
	ret = derive_mac_key(key, mac_key);
	if (!ret && !EVP_MAC_init(*ctx, mac_key, sizeof(mac_key), params))
		ret = -EIO;
	OPENSSL_cleanse(mac_key, sizeof(mac_key));
	return ret;
}
