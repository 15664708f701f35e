// SPDX-License-Identifier: GPL-2.0
/*
 * The UE's side of Ub, see ub_ue.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/gba.h"
#include "util/hex.h"
#include "ub_ue.h"
#include "util/why.h"

#define FIRST_NC	"00000001"	/* each nonce is answered once */

int ub_ue_first(struct ub_ue *ue, const char *impi, const char *realm,
		const char *uri, char *out, size_t size)
{
	struct digest_credentials cr;
	int ret;

	ub_ue_wipe(ue);
	if (!store_impi_valid(impi) || strlen(uri) > DIGEST_URI_MAX)
		return -EINVAL;
	strcpy(ue->impi, impi);
	strcpy(ue->uri, uri);
	memset(&cr, 0, sizeof(cr));
	strcpy(cr.username, impi);
	snprintf(cr.realm, sizeof(cr.realm), "%s", realm);
	strcpy(cr.uri, uri);
	ret = digest_build_credentials(out, size, &cr, NULL, 0);
	return ret < 0 ? ret : 0;
}

int ub_ue_challenge(struct ub_ue *ue, const char *value, size_t len,
		    char *why, size_t why_size)
{
	struct digest_challenge ch;
	uint8_t rand[AKA_RAND_LEN], autn[AKA_AUTN_LEN];

	if (digest_parse_challenge(value, len, &ch, why, why_size))
		return -EINVAL;
	if (digest_algorithm_of(ch.algorithm) != DIGEST_ALG_AKAV1_MD5) {
		ub_why(why, why_size, "the challenge is not AKAv1-MD5");
		return -EINVAL;
	}
	if (!digest_qop_offered(ch.qop, DIGEST_QOP_AUTH_INT)) {
		ub_why(why, why_size, "the challenge does not offer auth-int");
		return -EINVAL;
	}
	if (digest_aka_nonce_decode(ch.nonce, rand, autn)) {
		ub_why(why, why_size, "the nonce is not base64(RAND || AUTN)");
		return -EINVAL;
	}
	ue->challenge = ch;
	memcpy(ue->rand, rand, sizeof(rand));
	memcpy(ue->autn, autn, sizeof(autn));
	OPENSSL_cleanse(ue->res, sizeof(ue->res));
	ue->has_res = false;
	return 0;
}

/* What the answer and rspauth are computed over, but the password. */
static void digest_input_of(const struct ub_ue *ue, struct digest_input *in)
{
	memset(in, 0, sizeof(*in));
	in->username = ue->impi;
	in->realm = ue->challenge.realm;
	in->method = "GET";
	in->uri = ue->uri;
	in->nonce = ue->challenge.nonce;
	in->qop = DIGEST_QOP_AUTH_INT;
	in->nc = ue->nc;
	in->cnonce = ue->cnonce;
}

static int fresh_cnonce(struct ub_ue *ue)
{
	uint8_t octets[UB_UE_CNONCE_LEN / 2];

	if (RAND_bytes(octets, sizeof(octets)) != 1)
		return -EIO;
	hex_encode(ue->cnonce, octets, sizeof(octets));
	strcpy(ue->nc, FIRST_NC);
	return 0;
}

/* The credentials answering the challenge, response and auts aside. */
static void credentials_of(const struct ub_ue *ue,
			   struct digest_credentials *cr)
{
	memset(cr, 0, sizeof(*cr));
	strcpy(cr->username, ue->impi);
	strcpy(cr->realm, ue->challenge.realm);
	strcpy(cr->nonce, ue->challenge.nonce);
	strcpy(cr->uri, ue->uri);
	strcpy(cr->algorithm, DIGEST_ALGORITHM_AKAV1_MD5);
	strcpy(cr->cnonce, ue->cnonce);
	strcpy(cr->opaque, ue->challenge.opaque);
	strcpy(cr->qop, "auth-int");
	strcpy(cr->nc, ue->nc);
}

int ub_ue_answer(struct ub_ue *ue, const uint8_t *res, const uint8_t *auts,
		 char *out, size_t size)
{
	struct digest_credentials cr;
	struct digest_input in;
	int ret = fresh_cnonce(ue);

	if (ret)
		return ret;
	credentials_of(ue, &cr);
	digest_input_of(ue, &in);
	if (res) {
		memcpy(ue->res, res, sizeof(ue->res));
		ue->has_res = true;
		in.password = ue->res;
		in.password_len = sizeof(ue->res);
	} else if (auts) {
		ret = digest_auts_encode(cr.auts, auts);
	}
	if (!ret)
		ret = digest_response(cr.response, &in);
	if (!ret) {
		ret = digest_build_credentials(out, size, &cr, NULL, 0);
		ret = ret < 0 ? ret : 0;
	}
	OPENSSL_cleanse(&cr, sizeof(cr));
	return ret;
}

/* The media type of a Content-Type, parameters aside. */
static bool media_type_is(const char *value, const char *type)
{
	size_t len = strlen(type);

	if (!value)
		return false;
	while (*value == ' ' || *value == '\t')
		value++;
	if (strncasecmp(value, type, len))
		return false;
	value += len;
	while (*value == ' ' || *value == '\t')
		value++;
	return *value == '\0' || *value == ';';
}

static int check_auth_info(const struct ub_ue *ue, const char *value,
			   const char *body, size_t len, char *why,
			   size_t why_size)
{
	struct digest_auth_info ai;
	struct digest_input in;
	int ret;

	if (!value) {
		ub_why(why, why_size, "no Authentication-Info");
		return -EINVAL;
	}
	if (digest_parse_auth_info(value, strlen(value), &ai, why, why_size))
		return -EINVAL;
	if (strcmp(ai.qop, "auth-int") || strcmp(ai.cnonce, ue->cnonce) ||
	    strcmp(ai.nc, ue->nc)) {
		ub_why(why, why_size,
		       "Authentication-Info does not echo qop, cnonce and nc");
		return -EINVAL;
	}
	digest_input_of(ue, &in);
	in.password = ue->res;
	in.password_len = sizeof(ue->res);
	in.body = (const uint8_t *)body;
	in.body_len = len;
	ret = digest_rspauth_check(&in, ai.rspauth);
	if (ret == -EBADMSG)
		ub_why(why, why_size, "rspauth does not verify: the BSF did not know XRES");
	return ret;
}

int ub_ue_success(const struct ub_ue *ue, const char *auth_info,
		  const char *content_type, const char *body, size_t len,
		  struct bsf_info *info, char *why, size_t why_size)
{
	struct bsf_info got;
	int ret;

	if (!ue->has_res) {
		ub_why(why, why_size, "a 200 to a request without RES");
		return -EINVAL;
	}
	ret = check_auth_info(ue, auth_info, body, len, why, why_size);
	if (ret)
		return ret;
	if (!media_type_is(content_type, BSF_XML_CONTENT_TYPE)) {
		ub_why(why, why_size, "Content-Type is not %s",
		       BSF_XML_CONTENT_TYPE);
		return -EINVAL;
	}
	if (bsf_xml_parse(body, len, &got, why, why_size))
		return -EINVAL;
	if (!ub_ue_btid_of(got.btid, ue->rand)) {
		ub_why(why, why_size, "the B-TID is not base64(RAND)@BSF");
		return -EINVAL;
	}
	*info = got;
	return 0;
}

bool ub_ue_btid_of(const char *btid, const uint8_t rand[AKA_RAND_LEN])
{
	char expected[GBA_BTID_RAND_LEN + 3];

	/* "x" stands for the domain: only base64(RAND)@ is compared. */
	if (gba_btid(expected, sizeof(expected), rand, "x") < 0)
		return false;
	return strncmp(btid, expected, GBA_BTID_RAND_LEN + 1) == 0 &&
	       btid[GBA_BTID_RAND_LEN + 1] != '\0';
}

void ub_ue_wipe(struct ub_ue *ue)
{
	OPENSSL_cleanse(ue, sizeof(*ue));
}
