// SPDX-License-Identifier: GPL-2.0
/*
 * GSUP SendAuthInfo: the request's builder, the answers' parser; see
 * gsup_msg.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gsup_msg.h"
#include "util/why.h"

bool gsup_imsi_valid(const char *imsi)
{
	size_t len = strnlen(imsi, GSUP_IMSI_MAX + 1), i;

	if (len < GSUP_IMSI_MIN || len > GSUP_IMSI_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (imsi[i] < '0' || imsi[i] > '9')
			return false;
	}
	return true;
}

/* The IMSI's BCD octets into out: their count. */
static size_t imsi_encode(const char *imsi, uint8_t *out)
{
	size_t len = strlen(imsi), i;

	for (i = 0; i < len; i++) {
		uint8_t digit = (uint8_t)(imsi[i] - '0');

		if (i % 2)
			out[i / 2] |= (uint8_t)(digit << 4);
		else
			out[i / 2] = digit;
	}
	if (len % 2)
		out[len / 2] |= 0xf0;
	return (len + 1) / 2;
}

/*
 * BCD octets into a digit string; false unless every nibble is a digit but
 * the filler of an odd count.
 */
static bool imsi_decode(const uint8_t *in, size_t len, char *imsi)
{
	size_t n = 0, i;

	if (len * 2 < GSUP_IMSI_MIN || len > (GSUP_IMSI_MAX + 1) / 2)
		return false;
	for (i = 0; i < 2 * len; i++) {
		uint8_t digit = i % 2 ? in[i / 2] >> 4 : in[i / 2] & 0x0f;

		if (digit == 0x0f && i == 2 * len - 1)
			break;
		if (digit > 9 || n == GSUP_IMSI_MAX)
			return false;	/* 8 octets hold 15 digits and a filler */
		imsi[n++] = (char)('0' + digit);
	}
	imsi[n] = '\0';
	return n >= GSUP_IMSI_MIN;
}

static size_t put_ie(uint8_t *out, uint8_t iei, const uint8_t *value,
		     size_t len)
{
	out[0] = iei;
	out[1] = (uint8_t)len;
	memcpy(out + 2, value, len);
	return 2 + len;
}

int gsup_sai_request_build(const struct gsup_sai_request *req, uint8_t *out,
			   size_t size)
{
	uint8_t bcd[(GSUP_IMSI_MAX + 1) / 2];
	const uint8_t one = 1;
	size_t n = 0, bcd_len;

	if (!gsup_imsi_valid(req->imsi))
		return -EINVAL;
	if (size < GSUP_SAI_REQUEST_MAX)
		return -ENOSPC;
	bcd_len = imsi_encode(req->imsi, bcd);
	out[n++] = GSUP_MSGT_SAI_REQUEST;
	n += put_ie(out + n, GSUP_IE_IMSI, bcd, bcd_len);
	if (req->resync) {
		n += put_ie(out + n, GSUP_IE_AUTS, req->auts,
			    sizeof(req->auts));
		n += put_ie(out + n, GSUP_IE_RAND, req->rand,
			    sizeof(req->rand));
	}
	n += put_ie(out + n, GSUP_IE_NUM_VECTORS, &one, 1);
	return (int)n;
}

/* ---- parsing ------------------------------------------------------------- */

/*
 * Walks the IEs of buf: each call the next one; 0 at the end, 1 with one,
 * -EBADMSG (overrun set) when one overruns buf.
 */
struct ie_walk {
	const uint8_t *buf;
	size_t len, at;
	bool overrun;
};

static int next_ie(struct ie_walk *w, uint8_t *iei, const uint8_t **value,
		   size_t *value_len)
{
	if (w->at == w->len)
		return 0;
	if (w->len - w->at < 2 || w->len - w->at - 2 < w->buf[w->at + 1]) {
		w->overrun = true;
		return -EBADMSG;
	}
	*iei = w->buf[w->at];
	*value_len = w->buf[w->at + 1];
	*value = w->buf + w->at + 2;
	w->at += 2 + *value_len;
	return 1;
}

/* A tuple member of fixed length, once. */
static int take_fixed(uint8_t *dest, size_t want, bool *seen,
		      const uint8_t *value, size_t len)
{
	if (*seen || len != want)
		return -EBADMSG;
	memcpy(dest, value, len);
	*seen = true;
	return 0;
}

enum { T_RAND, T_AUTN, T_CK, T_IK, T_RES, T_SRES, T_KC, T_COUNT };

static int tuple_member(struct gsup_vector *v, bool seen[T_COUNT],
			uint8_t iei, const uint8_t *value, size_t len)
{
	uint8_t scratch[8];
	int ret;

	switch (iei) {
	case GSUP_IE_RAND:
		return take_fixed(v->rand, GSUP_RAND_LEN, &seen[T_RAND], value,
				  len);
	case GSUP_IE_AUTN:
		return take_fixed(v->autn, GSUP_AUTN_LEN, &seen[T_AUTN], value,
				  len);
	case GSUP_IE_CK:
		return take_fixed(v->ck, GSUP_KEY_LEN, &seen[T_CK], value, len);
	case GSUP_IE_IK:
		return take_fixed(v->ik, GSUP_KEY_LEN, &seen[T_IK], value, len);
	case GSUP_IE_SRES:
		return take_fixed(scratch, 4, &seen[T_SRES], value, len);
	case GSUP_IE_KC:
		/* Checked, not kept: the BSF has no use for GSM keys. */
		ret = take_fixed(scratch, 8, &seen[T_KC], value, len);
		OPENSSL_cleanse(scratch, sizeof(scratch));
		return ret;
	case GSUP_IE_RES:
		if (seen[T_RES] || len < GSUP_RES_MIN || len > GSUP_RES_MAX)
			return -EBADMSG;
		memcpy(v->res, value, len);
		v->res_len = len;
		seen[T_RES] = true;
		return 0;
	default:
		return 0;
	}
}

static int parse_tuple(struct gsup_message *msg, const uint8_t *buf,
		       size_t len, char *why, size_t why_size)
{
	struct ie_walk w = { buf, len, 0, false };
	struct gsup_vector v;
	bool seen[T_COUNT] = { false };
	const uint8_t *value;
	size_t value_len;
	uint8_t iei;
	int ret;

	memset(&v, 0, sizeof(v));
	while ((ret = next_ie(&w, &iei, &value, &value_len)) == 1) {
		ret = tuple_member(&v, seen, iei, value, value_len);
		if (ret) {
			ub_why(why, why_size,
			       "auth tuple: IE 0x%02x of a wrong length or twice",
			       iei);
			break;
		}
	}
	if (w.overrun)
		ub_why(why, why_size, "auth tuple: an IE overruns it");
	if (!ret) {
		msg->tuples++;
		if (!msg->has_vector && seen[T_RAND] && seen[T_AUTN] &&
		    seen[T_CK] && seen[T_IK] && seen[T_RES]) {
			msg->vector = v;
			msg->has_vector = true;
		}
	}
	OPENSSL_cleanse(&v, sizeof(v));
	return ret;
}

static int top_ie(struct gsup_message *msg, bool *have_imsi, uint8_t iei,
		  const uint8_t *value, size_t len, char *why,
		  size_t why_size)
{
	switch (iei) {
	case GSUP_IE_IMSI:
		if (*have_imsi || !imsi_decode(value, len, msg->imsi)) {
			ub_why(why, why_size, "IMSI twice or not BCD digits");
			return -EBADMSG;
		}
		*have_imsi = true;
		return 0;
	case GSUP_IE_CAUSE:
		if (msg->has_cause || len != 1) {
			ub_why(why, why_size, "cause twice or not one octet");
			return -EBADMSG;
		}
		msg->cause = value[0];
		msg->has_cause = true;
		return 0;
	case GSUP_IE_AUTH_TUPLE:
		return parse_tuple(msg, value, len, why, why_size);
	default:
		return 0;
	}
}

int gsup_message_parse(const uint8_t *buf, size_t len,
		       struct gsup_message *msg, char *why, size_t why_size)
{
	struct gsup_message m;
	struct ie_walk w = { buf, len, 1, false };
	bool have_imsi = false;
	const uint8_t *value;
	size_t value_len;
	uint8_t iei;
	int ret;

	if (!len) {
		ub_why(why, why_size, "empty message");
		return -EBADMSG;
	}
	memset(&m, 0, sizeof(m));
	m.type = buf[0];
	while ((ret = next_ie(&w, &iei, &value, &value_len)) == 1) {
		ret = top_ie(&m, &have_imsi, iei, value, value_len, why,
			     why_size);
		if (ret)
			break;
	}
	if (w.overrun)
		ub_why(why, why_size, "an IE overruns the message");
	if (!ret && !have_imsi) {
		ub_why(why, why_size, "no IMSI");
		ret = -EBADMSG;
	}
	if (!ret)
		*msg = m;
	OPENSSL_cleanse(&m, sizeof(m));
	return ret;
}

void gsup_message_wipe(struct gsup_message *msg)
{
	OPENSSL_cleanse(msg, sizeof(*msg));
}
