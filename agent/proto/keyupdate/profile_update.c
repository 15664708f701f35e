// SPDX-License-Identifier: GPL-2.0
/*
 * The profile update messages; see profile_update.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/aes.h"
#include "profile_update.h"

/* A TLV writer that stops at the end of its buffer. */
struct writer {
	uint8_t *out;
	size_t size, len;
	int err;
};

static void put_tlv(struct writer *w, uint8_t tag, const uint8_t *value,
		    size_t len)
{
	if (w->err)
		return;
	if (len > 127 || w->size - w->len < 2 + len) {
		w->err = -EMSGSIZE;
		return;
	}
	w->out[w->len++] = tag;
	w->out[w->len++] = (uint8_t)len;
	memcpy(w->out + w->len, value, len);
	w->len += len;
}

static void put_u32(struct writer *w, uint8_t tag, uint32_t v)
{
	uint8_t be[4] = { v >> 24, v >> 16, v >> 8, v };

	put_tlv(w, tag, be, sizeof(be));
}

/* EF.ICCID's coding: two digits an octet, low nibble first, F-padded. */
static int iccid_to_bcd(const char *iccid, uint8_t bcd[KU_ICCID_BCD_MAX],
			size_t *len)
{
	size_t n = strlen(iccid), i;

	if (!store_iccid_valid(iccid))
		return -EINVAL;
	*len = (n + 1) / 2;
	memset(bcd, 0xff, KU_ICCID_BCD_MAX);
	for (i = 0; i < n; i++) {
		uint8_t digit = (uint8_t)(iccid[i] - '0');

		if (i % 2)
			bcd[i / 2] = (uint8_t)((bcd[i / 2] & 0x0f) | digit << 4);
		else
			bcd[i / 2] = (uint8_t)(0xf0 | digit);
	}
	return 0;
}

static int put_iccid(struct writer *w, const char *iccid)
{
	uint8_t bcd[KU_ICCID_BCD_MAX];
	size_t len;

	if (iccid_to_bcd(iccid, bcd, &len))
		return -EINVAL;
	put_tlv(w, KU_TAG_ICCID, bcd, len);
	return 0;
}

static int finish(struct writer *w, size_t *len)
{
	*len = w->err ? 0 : w->len;
	if (w->err)
		OPENSSL_cleanse(w->out, w->size);
	return w->err;
}

int ku_update_request_build(const struct ku_update_request *req, uint8_t *out,
			    size_t size, size_t *len)
{
	struct writer w = { .out = out, .size = size };

	*len = 0;
	if (!store_imsi_valid(req->imsi) || put_iccid(&w, req->iccid))
		return -EINVAL;
	put_tlv(&w, KU_TAG_IMSI, (const uint8_t *)req->imsi,
		strlen(req->imsi));
	put_tlv(&w, KU_TAG_K, req->wrapped_k, KU_WRAPPED_LEN);
	put_tlv(&w, KU_TAG_OPC, req->wrapped_opc, KU_WRAPPED_LEN);
	put_u32(&w, KU_TAG_COUNTER, req->counter);
	return finish(&w, len);
}

int ku_update_result_build(const struct ku_update_result *res, uint8_t *out,
			   size_t size, size_t *len)
{
	struct writer w = { .out = out, .size = size };

	*len = 0;
	if (put_iccid(&w, res->iccid))
		return -EINVAL;
	put_u32(&w, KU_TAG_COUNTER, res->counter);
	put_tlv(&w, KU_TAG_KCV_K, res->kcv_k, KU_KCV_LEN);
	put_tlv(&w, KU_TAG_KCV_OPC, res->kcv_opc, KU_KCV_LEN);
	return finish(&w, len);
}

/* A TLV reader: each next_tlv() takes the next one, which must be tag. */
struct reader {
	const uint8_t *in;
	size_t len, pos;
	int err;
};

static const uint8_t *next_tlv(struct reader *r, uint8_t tag, size_t min,
			       size_t max, size_t *len)
{
	const uint8_t *value;
	size_t n;

	*len = 0;
	if (r->err || r->len - r->pos < 2 || r->in[r->pos] != tag ||
	    r->in[r->pos + 1] > 127) {
		r->err = -EPROTO;
		return NULL;
	}
	n = r->in[r->pos + 1];
	if (n < min || n > max || r->len - r->pos - 2 < n) {
		r->err = -EPROTO;
		return NULL;
	}
	value = r->in + r->pos + 2;
	r->pos += 2 + n;
	*len = n;
	return value;
}

static void get_fixed(struct reader *r, uint8_t tag, uint8_t *out, size_t n)
{
	size_t len;
	const uint8_t *v = next_tlv(r, tag, n, n, &len);

	if (v)
		memcpy(out, v, n);
}

static void get_u32(struct reader *r, uint8_t tag, uint32_t *out)
{
	uint8_t be[4] = { 0 };

	get_fixed(r, tag, be, sizeof(be));
	*out = (uint32_t)be[0] << 24 | (uint32_t)be[1] << 16 |
	       (uint32_t)be[2] << 8 | be[3];
}

/*
 * The digits of a BCD ICCID: F only as the very last nibble, which then
 * makes the length odd.
 */
static void get_iccid(struct reader *r, char iccid[STORE_ICCID_MAX + 1])
{
	size_t len, i, n = 0;
	const uint8_t *v = next_tlv(r, KU_TAG_ICCID, 1, KU_ICCID_BCD_MAX,
				    &len);

	if (!v)
		return;
	for (i = 0; i < 2 * len; i++) {
		uint8_t nibble = i % 2 ? v[i / 2] >> 4 : v[i / 2] & 0x0f;

		if (nibble == 0xf && i == 2 * len - 1)
			break;
		if (nibble > 9) {
			r->err = -EPROTO;
			return;
		}
		iccid[n++] = (char)('0' + nibble);
	}
	iccid[n] = '\0';
	if (!store_iccid_valid(iccid))
		r->err = -EPROTO;
}

static void get_imsi(struct reader *r, char imsi[STORE_IMSI_MAX + 1])
{
	size_t len;
	const uint8_t *v = next_tlv(r, KU_TAG_IMSI, 1, STORE_IMSI_MAX, &len);

	if (!v)
		return;
	memcpy(imsi, v, len);
	imsi[len] = '\0';
	/* Every octet a digit: a NUL inside would cut the IMSI short. */
	if (strlen(imsi) != len || !store_imsi_valid(imsi))
		r->err = -EPROTO;
}

static int parsed(struct reader *r, void *out, size_t size)
{
	if (!r->err && r->pos != r->len)
		r->err = -EPROTO;	/* nothing may follow */
	if (r->err)
		OPENSSL_cleanse(out, size);
	return r->err;
}

int ku_update_request_parse(struct ku_update_request *req, const uint8_t *in,
			    size_t len)
{
	struct reader r = { .in = in, .len = len };

	memset(req, 0, sizeof(*req));
	get_iccid(&r, req->iccid);
	get_imsi(&r, req->imsi);
	get_fixed(&r, KU_TAG_K, req->wrapped_k, KU_WRAPPED_LEN);
	get_fixed(&r, KU_TAG_OPC, req->wrapped_opc, KU_WRAPPED_LEN);
	get_u32(&r, KU_TAG_COUNTER, &req->counter);
	return parsed(&r, req, sizeof(*req));
}

int ku_update_result_parse(struct ku_update_result *res, const uint8_t *in,
			   size_t len)
{
	struct reader r = { .in = in, .len = len };

	memset(res, 0, sizeof(*res));
	get_iccid(&r, res->iccid);
	get_u32(&r, KU_TAG_COUNTER, &res->counter);
	get_fixed(&r, KU_TAG_KCV_K, res->kcv_k, KU_KCV_LEN);
	get_fixed(&r, KU_TAG_KCV_OPC, res->kcv_opc, KU_KCV_LEN);
	return parsed(&r, res, sizeof(*res));
}

int ku_kcv(const uint8_t key[16], uint8_t kcv[KU_KCV_LEN])
{
	uint8_t block[AES_BLOCK_LEN];
	struct aes128 aes;
	int ret;

	memset(block, 0x01, sizeof(block));
	ret = aes128_init(&aes, key);
	if (!ret) {
		ret = aes128_encrypt(&aes, block, block);
		aes128_free(&aes);
	}
	if (!ret)
		memcpy(kcv, block, KU_KCV_LEN);
	OPENSSL_cleanse(block, sizeof(block));
	return ret;
}
