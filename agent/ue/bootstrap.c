// SPDX-License-Identifier: GPL-2.0
/*
 * The UE's bootstrap over Ub, see bootstrap.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "net/https_client.h"
#include "proto/gba/ub_json.h"
#include "proto/gba/ub_ue.h"
#include "util/why.h"
#include "bootstrap.h"

#define USER_AGENT	"e2m Bootstrapping Client Agent; 3gpp-gba"

enum waiting {
	WAIT_CHALLENGE,		/* for a 401 */
	WAIT_SUCCESS,		/* for the 200 after RES */
	WAIT_MAC_FAILURE,	/* for the BSF's word on our refusal */
};

struct ue_bootstrap {
	struct store *store;
	struct usim *usim;
	const struct config_url *url;
	struct https_client *client;
	struct ub_ue ub;
	enum waiting waiting;
	unsigned int challenges;	/* answered so far */
	uint8_t ck[AKA_CK_LEN];		/* secret, GBA_ME, until stored */
	uint8_t ik[AKA_IK_LEN];		/* secret */
	ue_bootstrap_done done;
	void *arg;
	struct ue_bootstrap_result result;
	bool finished;
};

static void __attribute__((format(printf, 3, 4)))
finish(struct ue_bootstrap *b, int error, const char *fmt, ...)
{
	va_list ap;

	b->finished = true;
	b->result.error = error;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(b->result.why, sizeof(b->result.why), fmt, ap);
		va_end(ap);
	}
	OPENSSL_cleanse(b->ck, sizeof(b->ck));
	OPENSSL_cleanse(b->ik, sizeof(b->ik));
	ub_ue_wipe(&b->ub);
	/* done may free b: nothing touches it after. */
	b->done(&b->result, b->arg);
}

static void got_answer(const struct https_response *r, void *arg);

/* GET / with that Authorization; 0 or -ENOMEM. */
static int send_get(struct ue_bootstrap *b, const char *authorization)
{
	const struct https_header headers[] = {
		{ "Authorization", authorization },
		{ "User-Agent", USER_AGENT },
		{ "Accept", "*/*" },
	};
	const struct https_request request = {
		.method = EVHTTP_REQ_GET,
		.path = UE_BOOTSTRAP_PATH,
		.headers = headers,
		.n_headers = sizeof(headers) / sizeof(headers[0]),
	};

	return https_request(b->client, &request, got_answer, b) ? 0 : -ENOMEM;
}

/* The error body's token and detail, for a refusal's why. */
static void refusal(struct ue_bootstrap *b, int error,
		    const struct https_response *r, const char *expected)
{
	struct ub_error err = { "", "" };

	ub_error_parse(r->body, r->body_len, &err, NULL, 0);
	finish(b, error, "the BSF answered %d%s%s%s%s (%s expected)",
	       r->status, err.error[0] ? " " : "", err.error,
	       err.detail[0] ? ": " : "", err.detail, expected);
}

/* ---- the 200 ------------------------------------------------------------ */

/* The lifetime on our clock: the BSF's, shifted by the clocks' offset. */
static int64_t local_expiry(const struct bsf_info *info, int64_t now)
{
	if (!info->currenttime)
		return info->lifetime;
	return now + (info->lifetime - info->currenttime);
}

static int keep(struct ue_bootstrap *b, const struct bsf_info *info,
		int64_t now, int64_t expires)
{
	struct store_session s;
	int ret;

	if (usim_is_gba_u(b->usim))
		return usim_gba_u_set_btid(b->usim, info->btid, expires);
	memset(&s, 0, sizeof(s));
	strcpy(s.pub.btid, info->btid);
	strcpy(s.pub.impi, usim_impi(b->usim));
	memcpy(s.pub.rand, b->ub.rand, sizeof(s.pub.rand));
	s.pub.created = now;
	s.pub.expires = expires;
	memcpy(s.ks, b->ck, AKA_CK_LEN);
	memcpy(s.ks + AKA_CK_LEN, b->ik, AKA_IK_LEN);
	ret = store_session_add(b->store, &s);
	store_session_wipe(&s);
	return ret;
}

static void success(struct ue_bootstrap *b, const struct https_response *r)
{
	const char *auth_info = NULL;
	struct bsf_info info;
	char why[UB_WHY_MAX];
	int64_t now = (int64_t)time(NULL), expires;
	int ret;

	if (https_response_header(r, "Authentication-Info", &auth_info) > 1) {
		finish(b, -EPROTO, "Authentication-Info more than once");
		return;
	}
	ret = ub_ue_success(&b->ub, auth_info, r->content_type, r->body,
			    r->body_len, &info, why, sizeof(why));
	if (ret) {
		finish(b, ret == -EBADMSG ? -EBADMSG : -EPROTO,
		       "the 200 is refused: %s", why);
		return;
	}
	expires = local_expiry(&info, now);
	if (expires <= now) {
		finish(b, -EPROTO, "the key lifetime is over already");
		return;
	}
	ret = keep(b, &info, now, expires);
	if (ret) {
		finish(b, ret, "keeping the bootstrap: %s",
		       store_strerror(ret));
		return;
	}
	strcpy(b->result.btid, info.btid);
	b->result.expires = expires;
	b->result.gba_u = usim_is_gba_u(b->usim);
	finish(b, 0, NULL);
}

/* ---- a challenge -------------------------------------------------------- */

/* The USIM's AUTHENTICATE: a usim_status, or a negative errno. */
static int run_usim(struct ue_bootstrap *b, uint8_t res[AKA_RES_LEN],
		    uint8_t auts[AKA_AUTS_LEN])
{
	if (usim_is_gba_u(b->usim))
		return usim_gba_u_bootstrap(b->usim, b->ub.rand, b->ub.autn,
					    res, auts);
	return usim_authenticate(b->usim, b->ub.rand, b->ub.autn, res, b->ck,
				 b->ik, auts);
}

/* The answer to the USIM's verdict: 0 when sent, else a finish()'s why. */
static int answer(struct ue_bootstrap *b, int status,
		  const uint8_t res[AKA_RES_LEN],
		  const uint8_t auts[AKA_AUTS_LEN])
{
	char authorization[DIGEST_HEADER_MAX];
	int ret;

	switch (status) {
	case USIM_OK:
		b->waiting = WAIT_SUCCESS;
		ret = ub_ue_answer(&b->ub, res, NULL, authorization,
				   sizeof(authorization));
		break;
	case USIM_SYNC_FAILURE:
		if (b->result.resynced)
			return -EPROTO;	/* stale after a resync: give up */
		b->result.resynced = true;
		b->waiting = WAIT_CHALLENGE;
		ret = ub_ue_answer(&b->ub, NULL, auts, authorization,
				   sizeof(authorization));
		break;
	default:
		b->waiting = WAIT_MAC_FAILURE;
		ret = ub_ue_answer(&b->ub, NULL, NULL, authorization,
				   sizeof(authorization));
		break;
	}
	if (!ret)
		ret = send_get(b, authorization);
	OPENSSL_cleanse(authorization, sizeof(authorization));
	return ret;
}

static void challenge(struct ue_bootstrap *b, const struct https_response *r)
{
	uint8_t res[AKA_RES_LEN], auts[AKA_AUTS_LEN];
	const char *value;
	char why[UB_WHY_MAX];
	int status, ret;

	if (https_response_header(r, "WWW-Authenticate", &value) != 1) {
		finish(b, -EPROTO,
		       "a 401 without exactly one WWW-Authenticate");
		return;
	}
	if (ub_ue_challenge(&b->ub, value, strlen(value), why, sizeof(why))) {
		finish(b, -EPROTO, "the challenge is refused: %s", why);
		return;
	}
	if (++b->challenges > UE_BOOTSTRAP_CHALLENGES) {
		finish(b, -EPROTO, "more than %d challenges",
		       UE_BOOTSTRAP_CHALLENGES);
		return;
	}
	status = run_usim(b, res, auts);
	ret = status < 0 ? status : answer(b, status, res, auts);
	OPENSSL_cleanse(res, sizeof(res));
	OPENSSL_cleanse(auts, sizeof(auts));
	if (status < 0)
		finish(b, status, "USIM: %s", store_strerror(status));
	else if (ret == -EPROTO)
		finish(b, -EPROTO,
		       "the SQN is stale again after a resynchronisation");
	else if (ret)
		finish(b, ret, "cannot send the answer: %s", strerror(-ret));
}

/* ---- answers ------------------------------------------------------------- */

/* Whether a 401 says the BSF forgot the challenge we answered. */
static bool stale(const struct https_response *r)
{
	struct digest_challenge ch;
	const char *value;

	return https_response_header(r, "WWW-Authenticate", &value) == 1 &&
	       !digest_parse_challenge(value, strlen(value), &ch, NULL, 0) &&
	       ch.stale;
}

static void got_answer(const struct https_response *r, void *arg)
{
	struct ue_bootstrap *b = arg;

	b->result.status = r->error ? 0 : r->status;
	if (r->error) {
		finish(b, r->error, "%s: %s", b->url->text, r->why);
		return;
	}
	switch (b->waiting) {
	case WAIT_CHALLENGE:
		if (r->status == 401)
			challenge(b, r);
		else
			refusal(b, r->status == 403 ? -EACCES : -EPROTO, r,
				"401");
		return;
	case WAIT_SUCCESS:
		if (r->status == 200)
			success(b, r);
		else if (r->status == 401 && stale(r))
			challenge(b, r);	/* forgotten: answer anew */
		else
			refusal(b, r->status == 403 ? -EACCES : -EPROTO, r,
				"200");
		return;
	case WAIT_MAC_FAILURE:
		finish(b, -EBADMSG,
		       "AUTN does not verify: the network is not authenticated (the BSF answered %d)",
		       r->status);
		return;
	}
}

/* ---- the bootstrap ------------------------------------------------------- */

int ue_bootstrap_start(struct ue_bootstrap **out,
		       const struct ue_bootstrap_conf *conf,
		       ue_bootstrap_done done, void *arg)
{
	struct ue_bootstrap *b = calloc(1, sizeof(*b));
	char authorization[DIGEST_HEADER_MAX];
	int ret;

	*out = NULL;
	if (!b)
		return -ENOMEM;
	b->store = conf->store;
	b->usim = conf->usim;
	b->url = conf->bsf;
	b->done = done;
	b->arg = arg;
	b->waiting = WAIT_CHALLENGE;
	ret = https_client_new(&b->client, conf->base, NULL, conf->bsf,
			       conf->timeout);
	if (!ret)
		ret = ub_ue_first(&b->ub, usim_impi(conf->usim),
				  conf->bsf->host, UE_BOOTSTRAP_PATH,
				  authorization, sizeof(authorization));
	if (!ret)
		ret = send_get(b, authorization);
	if (ret) {
		ue_bootstrap_free(b);
		return ret;
	}
	*out = b;
	return 0;
}

void ue_bootstrap_free(struct ue_bootstrap *b)
{
	if (!b)
		return;
	https_client_free(b->client);
	OPENSSL_cleanse(b, sizeof(*b));
	free(b);
}
