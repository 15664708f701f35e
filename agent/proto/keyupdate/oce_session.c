// SPDX-License-Identifier: GPL-2.0
/*
 * The OCE's side of a key update session: see oce_session.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/scp11a.h"
#include "crypto/scp11a_cert.h"
#include "oce_session.h"
#include "profile_update.h"

#define PSO_P1		0x01	/* as yubikit's PSO of a certificate */
#define PSO_P2		0x10
#define AUTH_P1		0x01	/* key version of SK.SD, e2m profile */

enum oce_state { SEND_CERTS, SEND_AUTH, SEND_UPDATE, AWAIT_RESULT, OVER };

struct oce_session {
	const struct oce_credentials *creds;
	struct oce_update update;	/* secret: K, OPc */
	EVP_PKEY *sd_static;		/* PK.SD from its checked certificate */
	EVP_PKEY *ephemeral;		/* eSK.OCE */
	uint8_t auth_data[SCP11A_AUTH_DATA_LEN];
	struct scp11a_keys keys;
	struct scp_sm sm;
	uint8_t kcv_k[KU_KCV_LEN], kcv_opc[KU_KCV_LEN];
	enum oce_state state;
	int certs_sent;			/* sub-CAs and its own */
	uint16_t sw;
};

static int update_valid(const struct oce_update *u)
{
	return store_iccid_valid(u->iccid) && store_imsi_valid(u->imsi) &&
	       u->counter;
}

/* A session of update under creds with its KCVs: 0, -ENOMEM or -EIO. */
static int session_alloc(struct oce_session **out,
			 const struct oce_credentials *creds,
			 const struct oce_update *update)
{
	struct oce_session *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->creds = creds;
	s->update = *update;
	if (ku_kcv(update->k, s->kcv_k) || ku_kcv(update->opc, s->kcv_opc)) {
		oce_session_free(s);
		return -EIO;
	}
	*out = s;
	return 0;
}

int oce_session_new(struct oce_session **out,
		    const struct oce_credentials *creds,
		    const struct oce_update *update, X509 *sd_cert,
		    STACK_OF(X509) *sd_chain, char *why, size_t why_size)
{
	struct oce_session *s;
	int ret;

	*out = NULL;
	if (!update_valid(update) ||
	    (creds->subcas && sk_X509_num(creds->subcas) > OCE_SUBCA_MAX))
		return -EINVAL;
	ret = session_alloc(&s, creds, update);
	if (ret)
		return ret;
	ret = scp11a_cert_verify(&s->sd_static, sd_cert, sd_chain,
				 creds->usim_ca, why, why_size);
	if (ret) {
		oce_session_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

/* ---- the commands ------------------------------------------------------ */

/* PERFORM SECURITY OPERATION with one DER certificate, extended Lc. */
static int cert_command(X509 *cert, int more, uint8_t *apdu, size_t size,
			size_t *len)
{
	int der_len = i2d_X509(cert, NULL);
	uint8_t *p = apdu + 7;

	if (der_len <= 0 || der_len > OCE_CERT_MAX)
		return -EINVAL;
	if (size < 7 + (size_t)der_len)
		return -EMSGSIZE;
	apdu[0] = KU_CLA;
	apdu[1] = KU_INS_PSO;
	apdu[2] = PSO_P1;
	apdu[3] = PSO_P2 | (more ? KU_P2_MORE_CERTS : 0);
	apdu[4] = 0;
	apdu[5] = (uint8_t)(der_len >> 8);
	apdu[6] = (uint8_t)der_len;
	if (i2d_X509(cert, &p) != der_len)
		return -EIO;
	*len = 7 + (size_t)der_len;
	return 0;
}

static int subca_count(const struct oce_credentials *creds);

static int next_cert(struct oce_session *s, uint8_t *apdu, size_t size,
		     size_t *len)
{
	int subcas = subca_count(s->creds);
	X509 *cert = s->certs_sent < subcas ?
		sk_X509_value(s->creds->subcas, s->certs_sent) :
		s->creds->cert;
	int ret = cert_command(cert, s->certs_sent < subcas, apdu, size, len);

	if (!ret && ++s->certs_sent > subcas)
		s->state = SEND_AUTH;
	return ret;
}

static int auth_command(struct oce_session *s, uint8_t *apdu, size_t size,
			size_t *len)
{
	int ret;

	if (size < 5 + SCP11A_AUTH_DATA_LEN)
		return -EMSGSIZE;
	ret = scp11a_key_generate(&s->ephemeral);
	if (!ret)
		ret = scp11a_oce_auth_data(s->auth_data, s->ephemeral);
	if (ret)
		return ret;
	apdu[0] = KU_CLA;
	apdu[1] = KU_INS_MUTUAL_AUTH;
	apdu[2] = AUTH_P1;
	apdu[3] = SCP11A_SCP_ID;
	apdu[4] = SCP11A_AUTH_DATA_LEN;
	memcpy(apdu + 5, s->auth_data, SCP11A_AUTH_DATA_LEN);
	*len = 5 + SCP11A_AUTH_DATA_LEN;
	return 0;
}

/* The profile update, K and OPc under S-DEK, wrapped by the session. */
static int update_command(struct oce_session *s, uint8_t *apdu, size_t size,
			  size_t *len)
{
	struct ku_update_request req = { .counter = s->update.counter };
	uint8_t data[KU_REQUEST_MAX];
	struct scp_apdu cmd = {
		.cla = KU_CLA, .ins = KU_INS_PROFILE_UPDATE,
		.p1 = KU_P1_PROFILE_UPDATE, .p2 = KU_P2_PROFILE_UPDATE,
		.data = data,
	};
	int ret;

	strcpy(req.iccid, s->update.iccid);
	strcpy(req.imsi, s->update.imsi);
	ret = scp_dek_wrap(s->keys.s_dek, s->update.k, AKA_K_LEN,
			   req.wrapped_k);
	if (!ret)
		ret = scp_dek_wrap(s->keys.s_dek, s->update.opc, AKA_OP_LEN,
				   req.wrapped_opc);
	if (!ret)
		ret = ku_update_request_build(&req, data, sizeof(data),
					      &cmd.len);
	if (!ret)
		ret = scp_sm_wrap_command(&s->sm, &cmd, apdu, size, len);
	OPENSSL_cleanse(&req, sizeof(req));
	OPENSSL_cleanse(data, sizeof(data));
	return ret;
}

/* ---- the responses ----------------------------------------------------- */

/* A status word that ends the session, as an errno. */
static int sw_error(uint16_t sw)
{
	switch (sw) {
	case KU_SW_CERT_REFUSED:
		return -EKEYREJECTED;
	case KU_SW_REPLAY:
		return -ESTALE;
	case KU_SW_PENDING:
		return -EBUSY;
	case KU_SW_NO_PROFILE:
		return -ENOENT;
	}
	return -EPROTO;
}

/* The plain status word of a response (certificates, the handshake). */
static int plain_sw(struct oce_session *s, const uint8_t *resp, size_t len)
{
	if (!resp || len < 2)
		return -EPROTO;
	s->sw = (uint16_t)(resp[len - 2] << 8 | resp[len - 1]);
	return s->sw == KU_SW_OK ? 0 : sw_error(s->sw);
}

static int cert_answered(struct oce_session *s, const uint8_t *resp,
			 size_t len)
{
	int ret = plain_sw(s, resp, len);

	return !ret && len != 2 ? -EPROTO : ret;
}

static int auth_answered(struct oce_session *s, const uint8_t *resp,
			 size_t len)
{
	int ret = plain_sw(s, resp, len);

	if (ret)
		return ret;
	ret = scp11a_oce_complete(&s->keys, s->auth_data, resp, len - 2,
				  s->ephemeral, s->creds->key, s->sd_static);
	if (ret)
		return ret;
	scp_sm_init(&s->sm, &s->keys, scp11a_resp_receipt(resp));
	return 0;
}

/* The result must be the update's: its ICCID, its counter, its KCVs. */
static int result_answered(struct oce_session *s, const uint8_t *resp,
			   size_t len)
{
	uint8_t plain[SCP_SM_PADDED_MAX];
	struct ku_update_result res;
	size_t plain_len;
	uint16_t sw;
	int ret;

	if (!resp)
		return -EPROTO;
	ret = scp_sm_unwrap_response(&s->sm, resp, len, plain, &plain_len,
				     &sw);
	if (ret == -EPROTO && len == 2) {	/* a bare SW: SM failed */
		s->sw = (uint16_t)(resp[0] << 8 | resp[1]);
		return -EPROTO;
	}
	if (ret)
		return ret;
	s->sw = sw;
	if (sw != KU_SW_OK)
		return sw_error(sw);
	if (ku_update_result_parse(&res, plain, plain_len))
		return -EPROTO;
	if (strcmp(res.iccid, s->update.iccid) ||
	    res.counter != s->update.counter ||
	    CRYPTO_memcmp(res.kcv_k, s->kcv_k, KU_KCV_LEN) ||
	    CRYPTO_memcmp(res.kcv_opc, s->kcv_opc, KU_KCV_LEN))
		return -EBADMSG;
	return 1;
}

static int step(struct oce_session *s, const uint8_t *resp, size_t resp_len,
		uint8_t *apdu, size_t size, size_t *apdu_len)
{
	int ret;

	switch (s->state) {
	case SEND_CERTS:
		if (s->certs_sent) {
			ret = cert_answered(s, resp, resp_len);
			if (ret)
				return ret;
		}
		return next_cert(s, apdu, size, apdu_len);
	case SEND_AUTH:
		ret = cert_answered(s, resp, resp_len);
		if (!ret)
			ret = auth_command(s, apdu, size, apdu_len);
		if (!ret)
			s->state = SEND_UPDATE;
		return ret;
	case SEND_UPDATE:
		ret = auth_answered(s, resp, resp_len);
		if (!ret)
			ret = update_command(s, apdu, size, apdu_len);
		if (!ret)
			s->state = AWAIT_RESULT;
		return ret;
	case AWAIT_RESULT:
		return result_answered(s, resp, resp_len);
	case OVER:
		break;
	}
	return -EPIPE;
}

int oce_session_next(struct oce_session *s, const uint8_t *resp,
		     size_t resp_len, uint8_t *apdu, size_t size,
		     size_t *apdu_len)
{
	int ret = step(s, resp, resp_len, apdu, size, apdu_len);

	*apdu_len = ret ? 0 : *apdu_len;
	if (ret) {
		/* Done or refused: nothing more goes out. */
		s->state = OVER;
		scp11a_keys_wipe(&s->keys);
		scp_sm_wipe(&s->sm);
	}
	return ret;
}

/* ---- kept and taken up again (the store's prov_sessions) ---------------- */

static int subca_count(const struct oce_credentials *creds)
{
	return creds->subcas ? sk_X509_num(creds->subcas) : 0;
}

int oce_session_save(const struct oce_session *s,
		     struct store_prov_session *st)
{
	int ret;

	if (s->state == OVER)
		return -EPIPE;
	if (!s->certs_sent)
		return -EINVAL;		/* nothing sent yet */
	st->counter = s->update.counter;
	st->certs_sent = (uint32_t)s->certs_sent;
	memset(st->secret, 0, sizeof(st->secret));
	memset(st->chain, 0, sizeof(st->chain));
	st->sm_counter = 0;
	ret = scp11a_key_point(s->sd_static, st->sd_point);
	if (ret)
		return ret;
	switch (s->state) {
	case SEND_CERTS:
	case SEND_AUTH:
		st->step = STORE_PROV_STEP_CERTIFICATES;
		return 0;
	case SEND_UPDATE:
		st->step = STORE_PROV_STEP_AUTHENTICATE;
		return scp11a_key_scalar(s->ephemeral, st->secret);
	default:
		break;
	}
	/* The profile update is out: its answer needs the session keys. */
	_Static_assert(4 * SCP11A_KEY_LEN == STORE_PROV_SECRET_LEN &&
		       SCP11A_RECEIPT_LEN == STORE_PROV_CHAIN_LEN &&
		       SCP11A_POINT_LEN == STORE_PROV_POINT_LEN,
		       "the store's session fields are SCP11a's");
	st->step = STORE_PROV_STEP_UPDATE;
	memcpy(st->secret, s->keys.s_enc, SCP11A_KEY_LEN);
	memcpy(st->secret + 16, s->keys.s_mac, SCP11A_KEY_LEN);
	memcpy(st->secret + 32, s->keys.s_rmac, SCP11A_KEY_LEN);
	memcpy(st->secret + 48, s->keys.s_dek, SCP11A_KEY_LEN);
	memcpy(st->chain, s->sm.chain, sizeof(st->chain));
	st->sm_counter = s->sm.counter;
	return 0;
}

/* The step's own state, from st: 0 or -EINVAL, -ENOMEM, -EIO. */
static int restore_step(struct oce_session *s,
			const struct store_prov_session *st, int subcas)
{
	int ret;

	switch (st->step) {
	case STORE_PROV_STEP_CERTIFICATES:
		s->state = s->certs_sent > subcas ? SEND_AUTH : SEND_CERTS;
		return 0;
	case STORE_PROV_STEP_AUTHENTICATE:
		if (s->certs_sent != subcas + 1)
			return -EINVAL;
		ret = scp11a_key_from_scalar(&s->ephemeral, st->secret);
		if (!ret)
			ret = scp11a_oce_auth_data(s->auth_data, s->ephemeral);
		s->state = SEND_UPDATE;
		return ret;
	case STORE_PROV_STEP_UPDATE:
		if (s->certs_sent != subcas + 1 || st->sm_counter < 2)
			return -EINVAL;
		memcpy(s->keys.s_enc, st->secret, SCP11A_KEY_LEN);
		memcpy(s->keys.s_mac, st->secret + 16, SCP11A_KEY_LEN);
		memcpy(s->keys.s_rmac, st->secret + 32, SCP11A_KEY_LEN);
		memcpy(s->keys.s_dek, st->secret + 48, SCP11A_KEY_LEN);
		scp_sm_init(&s->sm, &s->keys, st->chain);
		s->sm.counter = st->sm_counter;
		s->sm.awaiting_response = true;
		s->state = AWAIT_RESULT;
		return 0;
	}
	return -EINVAL;
}

int oce_session_restore(struct oce_session **out,
			const struct oce_credentials *creds,
			const struct oce_update *update,
			const struct store_prov_session *st)
{
	int subcas = subca_count(creds);
	struct oce_session *s;
	int ret;

	*out = NULL;
	if (!update_valid(update) || strcmp(st->iccid, update->iccid) ||
	    st->counter != update->counter || subcas > OCE_SUBCA_MAX ||
	    !st->certs_sent || st->certs_sent > (uint32_t)subcas + 1)
		return -EINVAL;
	ret = session_alloc(&s, creds, update);
	if (ret)
		return ret;
	s->certs_sent = (int)st->certs_sent;
	ret = scp11a_key_from_point(&s->sd_static, st->sd_point);
	if (!ret)
		ret = restore_step(s, st, subcas);
	if (ret) {
		oce_session_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

uint16_t oce_session_sw(const struct oce_session *s)
{
	return s->sw;
}

void oce_session_kcvs(const struct oce_session *s, uint8_t kcv_k[3],
		      uint8_t kcv_opc[3])
{
	memcpy(kcv_k, s->kcv_k, KU_KCV_LEN);
	memcpy(kcv_opc, s->kcv_opc, KU_KCV_LEN);
}

void oce_session_free(struct oce_session *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->sd_static);
	EVP_PKEY_free(s->ephemeral);
	scp11a_keys_wipe(&s->keys);
	scp_sm_wipe(&s->sm);
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}
