// SPDX-License-Identifier: GPL-2.0
/*
 * The USIM's side of a long-term key update; see usim_update.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/scp11a.h"
#include "crypto/scp11a_cert.h"
#include "proto/keyupdate/profile_update.h"
#include "usim_update.h"

#define INTERMEDIATES_MAX	3
#define CERT_MAX		2048	/* octets of one DER certificate */

enum session_state { AWAITING_CERT, AWAITING_AUTH, OPEN, OVER };

struct usim_update {
	struct store *store;
	char iccid[STORE_ICCID_MAX + 1];
	EVP_PKEY *sd_static;
	X509 *ca_kloc;
	STACK_OF(X509) *intermediates;	/* the OCE's sub-CAs so far */
	EVP_PKEY *oce_static;		/* from its checked certificate */
	enum session_state state;
	struct scp11a_keys keys;	/* S-DEK is used here */
	struct scp_sm sm;
};

int usim_update_new(struct usim_update **out, struct store *store,
		    const char *iccid, EVP_PKEY *sd_static, X509 *ca_kloc)
{
	struct usim_update *u;

	*out = NULL;
	if (!store_iccid_valid(iccid))
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->store = store;
	strcpy(u->iccid, iccid);	/* fits: store_iccid_valid() */
	u->sd_static = sd_static;
	u->ca_kloc = ca_kloc;
	u->intermediates = sk_X509_new_null();
	if (!u->intermediates) {
		free(u);
		return -ENOMEM;
	}
	u->state = AWAITING_CERT;
	*out = u;
	return 0;
}

void usim_update_free(struct usim_update *u)
{
	if (!u)
		return;
	scp11a_keys_wipe(&u->keys);
	scp_sm_wipe(&u->sm);
	sk_X509_pop_free(u->intermediates, X509_free);
	EVP_PKEY_free(u->oce_static);
	free(u);
}

static void put_sw(uint8_t *out, uint16_t sw)
{
	out[0] = sw >> 8;
	out[1] = sw & 0xff;
}

/* The session ends: a bare status word, no MAC. */
static int end_session(struct usim_update *u, uint8_t *resp, size_t *len,
		       uint16_t sw)
{
	u->state = OVER;
	scp11a_keys_wipe(&u->keys);
	scp_sm_wipe(&u->sm);
	put_sw(resp, sw);
	*len = 2;
	return -EPIPE;
}

/* The data of a plain APDU with short or extended Lc: 0 or -EPROTO. */
static int plain_data(const uint8_t *apdu, size_t len, const uint8_t **data,
		      size_t *data_len)
{
	if (len > 5 && apdu[4]) {
		*data = apdu + 5;
		*data_len = apdu[4];
		return len == 5 + (size_t)apdu[4] ? 0 : -EPROTO;
	}
	if (len < 8)
		return -EPROTO;
	*data = apdu + 7;
	*data_len = (size_t)apdu[5] << 8 | apdu[6];
	return *data_len && len == 7 + *data_len ? 0 : -EPROTO;
}

/*
 * Step 1: one certificate of the OCE's chain. Its sub-CAs are kept until
 * its own certificate comes, which must chain through them to CA-KLOC.
 */
static int security_operation(struct usim_update *u, const uint8_t *apdu,
			      size_t len, uint8_t *resp, size_t *resp_len)
{
	const uint8_t *data, *p;
	size_t data_len;
	X509 *cert;
	int ret;

	if (apdu[0] != KU_CLA || apdu[1] != KU_INS_PSO)
		return end_session(u, resp, resp_len, KU_SW_BAD_ORDER);
	if (plain_data(apdu, len, &data, &data_len) || data_len > CERT_MAX)
		return end_session(u, resp, resp_len, KU_SW_WRONG_DATA);
	p = data;
	cert = d2i_X509(NULL, &p, (long)data_len);
	if (!cert || p != data + data_len) {
		X509_free(cert);
		return end_session(u, resp, resp_len, KU_SW_WRONG_DATA);
	}
	if (apdu[3] & KU_P2_MORE_CERTS) {
		if (sk_X509_num(u->intermediates) >= INTERMEDIATES_MAX ||
		    !sk_X509_push(u->intermediates, cert)) {
			X509_free(cert);
			return end_session(u, resp, resp_len,
					   KU_SW_WRONG_DATA);
		}
	} else {
		ret = scp11a_cert_verify(&u->oce_static, cert,
					 u->intermediates, u->ca_kloc, NULL, 0);
		X509_free(cert);
		if (ret)
			return end_session(u, resp, resp_len,
					   ret == -ENOMEM ? KU_SW_INTERNAL :
					   KU_SW_CERT_REFUSED);
		u->state = AWAITING_AUTH;
	}
	put_sw(resp, KU_SW_OK);
	*resp_len = 2;
	return 0;
}

static int mutual_authenticate(struct usim_update *u, const uint8_t *apdu,
			       size_t len, uint8_t *resp, size_t *resp_len)
{
	EVP_PKEY *ephemeral = NULL;
	int ret;

	if (apdu[0] != KU_CLA || apdu[1] != KU_INS_MUTUAL_AUTH)
		return end_session(u, resp, resp_len, KU_SW_BAD_ORDER);
	if (len != 5 + SCP11A_AUTH_DATA_LEN || apdu[3] != SCP11A_SCP_ID ||
	    apdu[4] != SCP11A_AUTH_DATA_LEN)
		return end_session(u, resp, resp_len, KU_SW_WRONG_DATA);
	ret = scp11a_key_generate(&ephemeral);
	if (!ret)
		ret = scp11a_sd_authenticate(&u->keys, resp, apdu + 5,
					     SCP11A_AUTH_DATA_LEN, ephemeral,
					     u->sd_static, u->oce_static);
	EVP_PKEY_free(ephemeral);
	if (ret)
		return end_session(u, resp, resp_len,
				   ret == -EIO || ret == -ENOMEM ?
				   KU_SW_INTERNAL : KU_SW_WRONG_DATA);
	scp_sm_init(&u->sm, &u->keys, scp11a_resp_receipt(resp));
	put_sw(resp + SCP11A_AUTH_RESP_LEN, KU_SW_OK);
	*resp_len = SCP11A_AUTH_RESP_LEN + 2;
	u->state = OPEN;
	return 0;
}

static uint16_t sw_of_stage_error(int err)
{
	switch (err) {
	case -ESTALE:
		return KU_SW_REPLAY;
	case -EBUSY:
		return KU_SW_PENDING;
	case -ENOENT:
		return KU_SW_NO_PROFILE;
	default:
		return KU_SW_INTERNAL;
	}
}

/* The profile this session may update: the USIM's own ICCID and IMSI. */
static bool is_our_profile(struct usim_update *u,
			   const struct ku_update_request *req)
{
	struct store_usim usim;
	bool ours;

	if (strcmp(req->iccid, u->iccid) ||
	    store_usim_get(u->store, u->iccid, &usim))
		return false;
	ours = !strcmp(req->imsi, usim.pub.imsi);
	store_usim_wipe(&usim);
	return ours;
}

/*
 * Steps 4 and 5: the keys staged, then the result. Returns the status
 * word; res is filled on KU_SW_OK.
 */
static uint16_t profile_update(struct usim_update *u,
			       const struct scp_apdu *cmd,
			       struct ku_update_result *res)
{
	struct ku_update_request req;
	uint8_t k[AKA_K_LEN], opc[AKA_OP_LEN];
	uint16_t sw = KU_SW_OK;
	int ret;

	if (cmd->p1 != KU_P1_PROFILE_UPDATE || cmd->p2 != KU_P2_PROFILE_UPDATE ||
	    ku_update_request_parse(&req, cmd->data, cmd->len))
		return KU_SW_WRONG_DATA;
	if (!is_our_profile(u, &req)) {
		sw = KU_SW_NO_PROFILE;
		goto out;
	}
	ret = scp_dek_unwrap(u->keys.s_dek, req.wrapped_k, KU_WRAPPED_LEN, k);
	if (!ret)
		ret = scp_dek_unwrap(u->keys.s_dek, req.wrapped_opc,
				     KU_WRAPPED_LEN, opc);
	if (!ret)
		ret = store_usim_stage_keys(u->store, u->iccid, req.counter, k,
					    opc);
	if (!ret)
		ret = ku_kcv(k, res->kcv_k) || ku_kcv(opc, res->kcv_opc) ?
		      -EIO : 0;
	if (ret) {
		sw = sw_of_stage_error(ret);
	} else {
		strcpy(res->iccid, req.iccid);
		res->counter = req.counter;
	}
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
out:
	OPENSSL_cleanse(&req, sizeof(req));
	return sw;
}

static int secure_command(struct usim_update *u, const uint8_t *apdu,
			  size_t len, uint8_t *resp, size_t size,
			  size_t *resp_len)
{
	uint8_t buf[SCP_SM_PADDED_MAX], data[KU_RESULT_MAX];
	struct ku_update_result res;
	struct scp_apdu cmd;
	size_t data_len = 0;
	uint16_t sw;
	int ret;

	ret = scp_sm_unwrap_command(&u->sm, apdu, len, &cmd, buf);
	if (ret == -EIO)
		return ret;
	if (ret)
		return end_session(u, resp, resp_len,
				   USIM_UPDATE_SW_SM_FAILED);
	memset(&res, 0, sizeof(res));
	if (cmd.cla != KU_CLA || cmd.ins != KU_INS_PROFILE_UPDATE)
		sw = KU_SW_BAD_INS;
	else
		sw = profile_update(u, &cmd, &res);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (sw == KU_SW_OK &&
	    ku_update_result_build(&res, data, sizeof(data), &data_len))
		sw = KU_SW_INTERNAL;
	if (sw != KU_SW_OK)
		data_len = 0;
	return scp_sm_wrap_response(&u->sm, data, data_len, sw, resp, size,
				    resp_len);
}

int usim_update_handle(struct usim_update *u, const uint8_t *apdu,
		       size_t len, uint8_t *resp, size_t size,
		       size_t *resp_len)
{
	*resp_len = 0;
	if (size < USIM_UPDATE_RESP_MAX)
		return -EMSGSIZE;
	if (u->state != OVER && u->state != OPEN && len < 5)
		return end_session(u, resp, resp_len, KU_SW_WRONG_DATA);
	switch (u->state) {
	case AWAITING_CERT:
		return security_operation(u, apdu, len, resp, resp_len);
	case AWAITING_AUTH:
		return mutual_authenticate(u, apdu, len, resp, resp_len);
	case OPEN:
		return secure_command(u, apdu, len, resp, size, resp_len);
	default:
		return -EPIPE;
	}
}
