// SPDX-License-Identifier: GPL-2.0
/*
 * Zn on the BSF: NAF keys of bootstraps, see bsf_zn.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "bsf_zn.h"
#include "net/json_error.h"
#include "crypto/gba.h"
#include "daemon/log.h"
#include "daemon/store_refusal.h"
#include "proto/gba/ub_json.h"
#include "proto/gba/zn_msg.h"

#define ROLE	"bsf"

static const char *peer_name(struct http_exchange *ex)
{
	const struct tls_peer *peer = http_exchange_peer(ex);

	return peer ? tls_peer_name(peer) : "-";
}

static void refuse(struct bsf *bsf, struct http_exchange *ex, int status,
		   const char *token, const char *detail,
		   const struct zn_key_request *req)
{
	struct log_line line;

	bsf->counters.zn_refused++;
	if (log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			     LOG_LEVEL_WARNING, ROLE, "zn-refused")) {
		log_int(&line, "status", status);
		log_str(&line, "error", token);
		if (req) {
			log_str(&line, "btid", req->btid);
			log_str(&line, "naf", req->naf_fqdn);
		}
		if (detail)
			log_str(&line, "detail", detail);
		log_str(&line, "peer", peer_name(ex));
		log_end(&line);
	}
	json_error_reply(ex, status, token, detail);
}

/* NULL when the peer may ask for keys of req's NAF_Id, else why not. */
static const char *unauthorised(const struct bsf *bsf,
				struct http_exchange *ex,
				const struct zn_key_request *req)
{
	const struct tls_peer *peer = http_exchange_peer(ex);

	if (!bsf_naf_listed(bsf, req->naf_fqdn))
		return "the NAF is not in bsf.nafs";
	if (!peer || !tls_peer_is(peer, req->naf_fqdn))
		return "the certificate does not name the NAF_Id's FQDN";
	return NULL;
}

/* The session of the B-TID, or the refusal sent. 0 when found. */
static int find_session(struct bsf *bsf, struct http_exchange *ex,
			const struct zn_key_request *req,
			struct store_session *s)
{
	int ret = store_session_get(bsf->daemon->store, req->btid,
				    (int64_t)time(NULL), s);

	if (ret == -ENOENT)
		refuse(bsf, ex, 404, UB_ERR_UNKNOWN_BTID, NULL, req);
	else if (ret == -EKEYEXPIRED)
		refuse(bsf, ex, 404, UB_ERR_EXPIRED_BTID,
		       "the key lifetime is over", req);
	else if (ret) {
		struct store_refusal r = store_refusal(ex, ret);

		refuse(bsf, ex, r.status, r.token, store_strerror(ret), req);
	}
	return ret;
}

/*
 * The NAF's USS entry into resp->uss: 0, -ENOENT when the USS has no entry
 * for the NAF, or another error. A subscriber with no USS may use no NAF:
 * a USS left unset must not mean every NAF.
 */
static int naf_uss(const struct store_session *s,
		   const struct zn_key_request *req,
		   struct zn_key_response *resp)
{
	resp->uss[0] = '\0';
	if (!s->pub.uss[0])
		return -ENOENT;
	return store_uss_find(s->pub.uss, req->naf_fqdn, resp->uss,
			      sizeof(resp->uss));
}

static int naf_keys(const struct store_session *s,
		    const struct zn_key_request *req,
		    struct zn_key_response *resp)
{
	const uint8_t *ck = s->ks, *ik = s->ks + AKA_CK_LEN;
	int ret;

	strcpy(resp->btid, s->pub.btid);
	strcpy(resp->impi, s->pub.impi);
	resp->expires = s->pub.expires;
	ret = gba_ks_naf(resp->ks_ext_naf, ck, ik, s->pub.rand, s->pub.impi,
			 req->naf_id, req->naf_id_len);
	/* Ks_int_NAF only for a GBA_U bootstrap, and a NAF that wants it. */
	resp->gba_u = req->gba_u && (s->pub.flags & STORE_SESSION_GBA_U);
	if (!ret && resp->gba_u)
		ret = gba_ks_int_naf(resp->ks_int_naf, ck, ik, s->pub.rand,
				     s->pub.impi, req->naf_id,
				     req->naf_id_len);
	return ret;
}

static void log_naf_key(struct http_exchange *ex,
			const struct zn_key_request *req,
			const struct zn_key_response *resp)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "naf-key"))
		return;
	log_str(&line, "btid", resp->btid);
	log_str(&line, "naf", req->naf_fqdn);
	log_str(&line, "impi", resp->impi);
	log_int(&line, "gba-u", resp->gba_u);
	log_str(&line, "peer", peer_name(ex));
	log_end(&line);
}

static void send_key(struct bsf *bsf, struct http_exchange *ex,
		     const struct zn_key_request *req,
		     const struct store_session *s,
		     struct zn_key_response *resp)
{
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;
	int ret;

	memset(resp, 0, sizeof(*resp));
	ret = naf_uss(s, req, resp);
	if (ret == -ENOENT) {
		refuse(bsf, ex, 403, UB_ERR_NAF_NOT_AUTHORISED,
		       s->pub.uss[0] ?
		       "the subscriber's USS has no entry for the NAF" :
		       "the subscriber has no USS", req);
		return;
	}
	if (!ret)
		ret = naf_keys(s, req, resp);
	if (!ret)
		ret = zn_key_response_build(resp, &text, why, sizeof(why));
	if (ret) {
		refuse(bsf, ex, 500, UB_ERR_INTERNAL, "cannot make the answer",
		       req);
		return;
	}
	bsf->counters.naf_keys++;
	log_naf_key(ex, req, resp);
	http_reply(ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

void bsf_zn_naf_key(struct http_exchange *ex, void *arg)
{
	struct bsf *bsf = arg;
	struct zn_key_request req;
	struct store_session *s = NULL;
	struct zn_key_response *resp = NULL;
	char why[UB_ERROR_DETAIL_MAX + 1];
	const char *body, *denied;
	size_t len;

	if (!http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE)) {
		refuse(bsf, ex, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
		       "Content-Type must be " UB_JSON_CONTENT_TYPE, NULL);
		return;
	}
	body = http_exchange_body(ex, &len);
	if (!body || zn_key_request_parse(body, len, &req, why, sizeof(why))) {
		refuse(bsf, ex, 400, UB_ERR_BAD_REQUEST,
		       body ? why : "out of memory", NULL);
		return;
	}
	denied = unauthorised(bsf, ex, &req);
	if (denied) {
		refuse(bsf, ex, 403, UB_ERR_NAF_NOT_AUTHORISED, denied, &req);
		return;
	}
	s = malloc(sizeof(*s));
	resp = malloc(sizeof(*resp));
	if (!s || !resp)
		refuse(bsf, ex, 500, UB_ERR_INTERNAL, "out of memory", &req);
	else if (!find_session(bsf, ex, &req, s))
		send_key(bsf, ex, &req, s, resp);
	if (s) {
		store_session_wipe(s);
		free(s);
	}
	if (resp) {
		zn_key_response_wipe(resp);
		free(resp);
	}
}
