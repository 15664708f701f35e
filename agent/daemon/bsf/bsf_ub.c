// SPDX-License-Identifier: GPL-2.0
/*
 * Ub on the BSF: HTTP Digest AKA, see bsf_ub.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>

#include "bsf_shared.h"
#include "bsf_ub.h"
#include "net/json_error.h"
#include "crypto/gba.h"
#include "daemon/log.h"
#include "daemon/store_refusal.h"
#include "util/mono_clock.h"
#include "proto/gba/bsf_xml.h"
#include "proto/gba/guss.h"
#include "proto/gba/ub_json.h"
#include "store/store_group.h"
#include "util/utc.h"
#include "util/why.h"

#define ROLE		"bsf"
#define HEADER_MAX	1024	/* our challenge and Authentication-Info */

/* A vector asked for a UE whose request waits for the answer. */
struct bsf_zh_call {
	struct bsf *bsf;
	struct http_exchange *ex;
	struct vector_call *call;
	struct bsf_zh_call *prev, *next;
	char impi[STORE_IMPI_MAX + 1];
	bool stale;		/* the 401 says stale=true */
	bool resync;
};

/* ---- answers ------------------------------------------------------------- */

/*
 * The ub-refused line, for the operator: decoy says the IMPI is unknown
 * and the peer was answered as if it were not (a decoy challenge, or the
 * refusal of an answer to one); reused, a decoy handed out again.
 */
static void log_refused(struct http_exchange *ex, int status,
			const char *token, const char *detail,
			const char *impi, bool decoy, bool reused)
{
	struct log_line line;

	if (!log_begin(&line, status >= 500 ? LOG_LEVEL_ERROR :
			      LOG_LEVEL_WARNING, ROLE, "ub-refused"))
		return;
	log_int(&line, "status", status);
	log_str(&line, "error", token);
	if (impi && *impi)
		log_str(&line, "impi", impi);
	if (detail)
		log_str(&line, "detail", detail);
	if (decoy)
		log_str(&line, "answer", "decoy");
	if (reused)
		log_int(&line, "reused", 1);
	log_str(&line, "remote", http_exchange_remote(ex));
	log_end(&line);
}

static void refuse_as(struct bsf *bsf, struct http_exchange *ex, int status,
		      const char *token, const char *detail, const char *impi,
		      bool decoy)
{
	bsf->counters.ub_refused++;
	log_refused(ex, status, token, detail, impi, decoy, false);
	json_error_reply(ex, status, token, detail);
}

static void refuse(struct bsf *bsf, struct http_exchange *ex, int status,
		   const char *token, const char *detail, const char *impi)
{
	refuse_as(bsf, ex, status, token, detail, impi, false);
}

/*
 * The source made no vector from the AUTS; why (the source's word: an
 * AUTS that does not verify, or, after a decoy, no such subscriber) is
 * the operator's, the UE gets one detail whatever it was.
 */
static void refuse_resync(struct bsf *bsf, struct http_exchange *ex,
			  const char *why, const char *impi, bool decoy)
{
	bsf->counters.ub_refused++;
	log_refused(ex, 403, UB_ERR_RESYNC_FAILED, why, impi, decoy, false);
	json_error_reply(ex, 403, UB_ERR_RESYNC_FAILED,
			 "the HSS made no vector from the AUTS");
}

/* ---- challenges ---------------------------------------------------------- */

static void log_challenge(struct http_exchange *ex, const char *impi,
			  bool stale, bool resync, bool reused)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "challenge"))
		return;
	log_str(&line, "impi", impi);
	if (stale)
		log_int(&line, "stale", 1);
	if (resync)
		log_int(&line, "resync", 1);
	if (reused)
		log_int(&line, "reused", 1);
	log_str(&line, "remote", http_exchange_remote(ex));
	log_end(&line);
}

/* WWW-Authenticate for c; 0 or -EINVAL. */
static int challenge_header(const struct bsf *bsf,
			    const struct bsf_challenge *c, bool stale,
			    char *out, size_t size)
{
	struct digest_challenge ch;

	memset(&ch, 0, sizeof(ch));
	snprintf(ch.realm, sizeof(ch.realm), "%s", bsf->conf->name);
	strcpy(ch.nonce, c->nonce);
	strcpy(ch.opaque, c->opaque);
	strcpy(ch.algorithm, DIGEST_ALGORITHM_AKAV1_MD5);
	strcpy(ch.qop, "auth-int");
	ch.stale = stale;
	return digest_build_challenge(out, size, &ch, NULL, 0) < 0 ? -EINVAL :
									 0;
}

/*
 * The 401 with challenge c. A decoy's goes out alike; for the operator it
 * is a refusal: counted and logged as unknown-user (why: the source's
 * word, or NULL when handed out again).
 */
static void put_challenge(struct bsf *bsf, struct http_exchange *ex,
			  const struct bsf_challenge *c, bool stale,
			  bool resync, bool reused, const char *why)
{
	char header[HEADER_MAX];
	int ret;

	ret = challenge_header(bsf, c, stale, header, sizeof(header));
	if (!ret)
		ret = http_exchange_add_header(ex, "WWW-Authenticate", header);
	if (ret) {
		refuse(bsf, ex, 500, UB_ERR_INTERNAL, "cannot make a challenge",
		       c->impi);
		return;
	}
	if (c->decoy) {
		bsf->counters.ub_refused++;
		log_refused(ex, 401, BSF_UB_ERR_UNKNOWN_USER,
			    why ? why : "the IMPI's decoy again", c->impi,
			    true, reused);
		http_exchange_note_refusal(ex, BSF_UB_ERR_UNKNOWN_USER);
	} else {
		bsf->counters.challenges++;
		log_challenge(ex, c->impi, stale, resync, reused);
	}
	http_reply(ex, 401, NULL, NULL, 0);
}

static void refuse_store_error(struct bsf *bsf, struct http_exchange *ex,
			       int err, const char *impi);

/* The challenge made, or the refusal when none could be. */
static void challenge_made(struct bsf *bsf, struct http_exchange *ex,
			   const char *impi, int ret, struct bsf_challenge *c,
			   bool stale, bool resync, const char *why)
{
	/* Shared: only a challenge the store holds goes out. */
	if (!ret && bsf_shared(bsf)) {
		ret = bsf_shared_put(bsf, c);
		if (ret) {
			bsf_challenge_spend(bsf->challenges, c);
			refuse_store_error(bsf, ex, ret, impi);
			return;
		}
	}
	if (ret == -ENOSPC)
		refuse(bsf, ex, 503, BSF_UB_ERR_BUSY,
		       "too many challenges pending", impi);
	else if (ret)
		refuse(bsf, ex, 500, UB_ERR_INTERNAL,
		       "cannot make a challenge", impi);
	else
		put_challenge(bsf, ex, c, stale, resync, false, why);
}

/* A vector came: keep the challenge, answer 401 with it. */
static void send_challenge(struct bsf *bsf, struct bsf_zh_call *call,
			   const struct zh_av_response *av, const char *uss)
{
	struct bsf_challenge *c;
	int ret;

	/* A decoy's AUTN carries the AMF real ones do. */
	memcpy(bsf->decoy_amf, av->autn + BSF_AUTN_AMF_AT,
	       sizeof(bsf->decoy_amf));
	ret = bsf_challenge_add(bsf->challenges, av, uss, mono_clock_ms(), &c);
	if (!ret)	/* its session, wherever it verifies, ends the window */
		bsf_limits_impi_challenged(bsf->limits, call->impi, c->rand);
	challenge_made(bsf, call->ex, call->impi, ret, c, call->stale,
		       call->resync, NULL);
}

/*
 * The source has no such subscriber: a decoy, answered as a real
 * challenge is (no user enumeration on Ub, bsf_ub.h).
 */
static void send_decoy(struct bsf *bsf, struct http_exchange *ex,
		       const char *impi, bool stale, const char *why)
{
	struct bsf_challenge *c;
	int ret;

	ret = bsf_challenge_add_decoy(bsf->challenges, impi, bsf->decoy_amf,
				      mono_clock_ms(), &c);
	challenge_made(bsf, ex, impi, ret, c, stale, false, why);
}

/* ---- limits on first requests -------------------------------------------- */

/* The address of "IP:port" or "[IPv6]:port". */
static void source_address(const char *remote, char *out, size_t size)
{
	const char *colon = strrchr(remote, ':');
	size_t len = colon ? (size_t)(colon - remote) : strlen(remote);

	if (len >= 2 && remote[0] == '[' && remote[len - 1] == ']') {
		remote++;
		len -= 2;
	}
	snprintf(out, size, "%.*s", (int)len, remote);
}

/* A 503 busy past a limit, with Retry-After; logged at debug only. */
static void limited(struct bsf *bsf, struct http_exchange *ex,
		    uint64_t retry_ms, const char *detail, const char *impi)
{
	char seconds[24];

	snprintf(seconds, sizeof(seconds), "%llu",
		 (unsigned long long)((retry_ms + 999) / 1000));
	http_exchange_add_header(ex, "Retry-After", seconds);
	bsf->counters.ub_refused++;
	log_msg(LOG_LEVEL_DEBUG, ROLE, "ub-limited", "%s: %s from %s", impi,
		detail, http_exchange_remote(ex));
	json_error_reply(ex, 503, BSF_UB_ERR_BUSY, detail);
}

/*
 * Whether the challenge of impi's window verified at another process
 * that shares the store (a worker, or an instance on one PostgreSQL):
 * the session of its RAND is there. That process ended its own window
 * only; without this, the UE's next first request here would get 503
 * busy until this window ran out. The B-TID is the RAND's alone, so the
 * session found is the proof of that very challenge's answer: a flood
 * of wrong answers makes none, and the window stands. A store that
 * fails says nothing: the window stands.
 */
static bool window_bootstrapped(struct bsf *bsf, const char *impi)
{
	uint8_t rand[AKA_RAND_LEN];
	char btid[STORE_BTID_MAX + 1];
	struct store_session *s;
	int ret;

	if (!bsf_limits_impi_rand(bsf->limits, impi, rand) ||
	    gba_btid(btid, sizeof(btid), rand, bsf->conf->name) < 0)
		return false;
	s = malloc(sizeof(*s));
	if (!s)
		return false;
	ret = store_session_get(bsf->daemon->store, btid, time(NULL), s);
	store_session_wipe(s);
	free(s);
	return ret == 0 || ret == -EKEYEXPIRED;
}

/*
 * A first request for impi (no nonce, or one the BSF does not know):
 * within the limits of bsf_limits.h, the IMPI's pending challenge again,
 * or false to ask the HSS for a vector; past them, a 503. Whether it was
 * answered here.
 */
static bool answered_within_limits(struct bsf *bsf, struct http_exchange *ex,
				   const char *impi, bool stale)
{
	uint64_t now = mono_clock_ms(), wait;
	char source[CONFIG_ADDR_TEXT_MAX];
	struct bsf_challenge *c;

	source_address(http_exchange_remote(ex), source, sizeof(source));
	if (!bsf_limits_source(bsf->limits, source, now)) {
		limited(bsf, ex, 1000, "too many first requests from this address",
			impi);
		return true;
	}
	if (bsf_shared(bsf)) {
		/* Whichever instance made it; none if the store fails. */
		c = bsf_shared_pending(bsf, impi, BSF_CHALLENGE_REUSE_LEFT_MS);
		if (c)
			put_challenge(bsf, ex, c, stale, false, true, NULL);
		bsf_shared_free(c);
		if (c)
			return true;
	} else {
		c = bsf_challenge_pending_for(bsf->challenges, impi, now,
					      BSF_CHALLENGE_REUSE_LEFT_MS);
		if (c) {
			put_challenge(bsf, ex, c, stale, false, true, NULL);
			return true;
		}
	}
	wait = bsf_limits_impi(bsf->limits, impi, now);
	if (wait && bsf_shared(bsf) && window_bootstrapped(bsf, impi)) {
		bsf_limits_impi_done(bsf->limits, impi);
		wait = bsf_limits_impi(bsf->limits, impi, now);
	}
	if (wait) {
		limited(bsf, ex, wait, "a challenge for this IMPI was spent a moment ago",
			impi);
		return true;
	}
	return false;
}

static void __attribute__((format(printf, 3, 4)))
zh_failed(struct bsf *bsf, struct bsf_zh_call *call, const char *fmt, ...);

static void zh_failed(struct bsf *bsf, struct bsf_zh_call *call,
		      const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	bsf->counters.zh_failures++;
	log_msg(LOG_LEVEL_ERROR, ROLE, "zh-failed", "%s: %s", call->impi, why);
	refuse(bsf, call->ex, 503, BSF_UB_ERR_HSS_UNAVAILABLE,
	       "no authentication vector from the HSS", call->impi);
}

static void unlink_call(struct bsf *bsf, struct bsf_zh_call *call)
{
	bsf->n_calls--;
	if (call->prev)
		call->prev->next = call->next;
	else
		bsf->calls = call->next;
	if (call->next)
		call->next->prev = call->prev;
}

static void vector_done(const struct vector_answer *a, void *arg)
{
	struct bsf_zh_call *call = arg;
	struct bsf *bsf = call->bsf;

	unlink_call(bsf, call);
	switch (a->outcome) {
	case VECTOR_OK:
		send_challenge(bsf, call, a->av, a->uss);
		break;
	case VECTOR_UNKNOWN_USER:
		if (call->resync)	/* the AUTS of a decoy's answer */
			refuse_resync(bsf, call->ex, a->why, call->impi, true);
		else
			send_decoy(bsf, call->ex, call->impi, call->stale,
				   a->why);
		break;
	case VECTOR_RESYNC_FAILED:
		refuse_resync(bsf, call->ex, a->why, call->impi, false);
		break;
	default:
		zh_failed(bsf, call, "%s", a->why);
		break;
	}
	free(call);
}

/*
 * Asks the HSS for a vector for impi (after resynchronising from AUTS
 * when rand is set); the UE's request is answered when it comes.
 */
static void start_challenge(struct bsf *bsf, struct http_exchange *ex,
			    const char *impi, bool stale,
			    const uint8_t *rand, const uint8_t *auts)
{
	struct bsf_zh_call *call;
	struct zh_av_request req;
	int ret;

	if (!rand && answered_within_limits(bsf, ex, impi, stale))
		return;
	if (bsf->n_calls >= BSF_ZH_CALLS_MAX) {
		refuse(bsf, ex, 503, BSF_UB_ERR_BUSY,
		       "too many requests to the HSS in flight", impi);
		return;
	}
	call = calloc(1, sizeof(*call));
	if (!call) {
		refuse(bsf, ex, 500, UB_ERR_INTERNAL, "out of memory", impi);
		return;
	}
	memset(&req, 0, sizeof(req));
	snprintf(req.impi, sizeof(req.impi), "%s", impi);
	req.resync = rand != NULL;
	if (rand) {
		memcpy(req.rand, rand, sizeof(req.rand));
		memcpy(req.auts, auts, sizeof(req.auts));
	}
	call->bsf = bsf;
	call->ex = ex;
	call->stale = stale;
	call->resync = rand != NULL;
	strcpy(call->impi, impi);
	ret = vector_fetch(bsf->vectors, &req, vector_done, call, &call->call);
	OPENSSL_cleanse(&req, sizeof(req));
	if (ret == -ENOENT && rand)
		refuse_resync(bsf, ex,
			      "the IMPI is not made of an IMSI, as the HLR needs",
			      impi, true);
	else if (ret == -ENOENT)
		send_decoy(bsf, ex, impi, stale,
			   "the IMPI is not made of an IMSI, as the HLR needs");
	else if (ret)
		zh_failed(bsf, call, "cannot start the request");
	if (ret) {
		free(call);
		return;
	}
	call->next = bsf->calls;
	if (bsf->calls)
		bsf->calls->prev = call;
	bsf->calls = call;
	bsf->n_calls++;
}

void bsf_ub_cancel_calls(struct bsf *bsf, const char *why)
{
	struct bsf_zh_call *call;

	while ((call = bsf->calls)) {
		unlink_call(bsf, call);
		vector_call_cancel(call->call);
		json_error_reply(call->ex, 503, BSF_UB_ERR_HSS_UNAVAILABLE,
				 why);
		free(call);
	}
}

/* ---- the bootstrap ------------------------------------------------------- */

/* What the answer was computed over, but the password. */
static void digest_input_of(struct http_exchange *ex,
			    const struct digest_credentials *cred,
			    struct digest_input *in)
{
	size_t len = 0;
	const char *body = http_exchange_body(ex, &len);

	memset(in, 0, sizeof(*in));
	in->username = cred->username;
	in->realm = cred->realm;
	in->method = http_exchange_method(ex);
	in->uri = cred->uri;
	in->nonce = cred->nonce;
	in->qop = DIGEST_QOP_AUTH_INT;
	in->nc = cred->nc;
	in->cnonce = cred->cnonce;
	in->body = (const uint8_t *)(body ? body : "");
	in->body_len = body ? len : 0;
}

static void log_bootstrap(struct http_exchange *ex,
			  const struct store_session_info *s)
{
	char expires[UTC_TEXT_LEN + 1] = "-";
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "bootstrap"))
		return;
	utc_format(expires, s->expires);
	log_str(&line, "btid", s->btid);
	log_str(&line, "impi", s->impi);
	log_str(&line, "expires", expires);
	log_int(&line, "gba-u", !!(s->flags & STORE_SESSION_GBA_U));
	log_str(&line, "remote", http_exchange_remote(ex));
	log_end(&line);
}

/* The session a bootstrap on challenge c makes; 0 or -ENOSPC. */
static int make_session(const struct bsf *bsf, const struct bsf_challenge *c,
			struct store_session *s)
{
	time_t now = time(NULL);

	memset(s, 0, sizeof(*s));
	if (gba_btid(s->pub.btid, sizeof(s->pub.btid), c->rand,
		     bsf->conf->name) < 0)
		return -ENOSPC;
	strcpy(s->pub.impi, c->impi);
	memcpy(s->pub.rand, c->rand, sizeof(s->pub.rand));
	s->pub.created = now;
	s->pub.expires = now + bsf->conf->key_lifetime;
	s->pub.flags = c->gba_u ? STORE_SESSION_GBA_U : 0;
	snprintf(s->pub.uss, sizeof(s->pub.uss), "%s", c->uss ? c->uss : "");
	memcpy(s->ks, c->ck, AKA_CK_LEN);
	memcpy(s->ks + AKA_CK_LEN, c->ik, AKA_IK_LEN);
	return 0;
}

/*
 * The 200: body, then Authentication-Info with rspauth over it (XRES as
 * the password). 0 or -EINVAL.
 */
static int success_answer(const struct store_session *s,
			  const struct digest_credentials *cred,
			  struct digest_input *in, char *body, size_t size,
			  char *auth_info)
{
	struct bsf_info info = {
		.lifetime = s->pub.expires,
		.currenttime = s->pub.created,
	};
	struct digest_auth_info ai;
	int len;

	strcpy(info.btid, s->pub.btid);
	len = bsf_xml_build(body, size, &info, NULL, 0);
	if (len < 0)
		return -EINVAL;
	memset(&ai, 0, sizeof(ai));
	in->body = (const uint8_t *)body;
	in->body_len = (size_t)len;
	if (digest_rspauth(ai.rspauth, in))
		return -EINVAL;
	strcpy(ai.qop, "auth-int");
	strcpy(ai.cnonce, cred->cnonce);
	strcpy(ai.nc, cred->nc);
	return digest_build_auth_info(auth_info, HEADER_MAX, &ai, NULL, 0) < 0 ?
	       -EINVAL : 0;
}

/*
 * A bootstrap whose session is written in the store's group
 * (store_group.h): the 200 goes out once the session is on disk.
 */
struct pending_bootstrap {
	struct bsf *bsf;
	struct http_exchange *ex;
	struct store_session_info session;	/* no Ks: for the log */
	char body[BSF_XML_MAX];
};

/* The session not stored: 503 while the store's server is away, else 500. */
static void refuse_store_error(struct bsf *bsf, struct http_exchange *ex,
			       int err, const char *impi)
{
	struct store_refusal r = store_refusal(ex, err);

	refuse(bsf, ex, r.status, r.token, store_strerror(err), impi);
}

static void session_durable(int ret, void *arg)
{
	struct pending_bootstrap *p = arg;

	if (ret) {
		refuse_store_error(p->bsf, p->ex, ret, p->session.impi);
	} else {
		p->bsf->counters.bootstraps++;
		bsf_limits_impi_done(p->bsf->limits, p->session.impi);
		log_bootstrap(p->ex, &p->session);
		http_reply(p->ex, 200, BSF_XML_CONTENT_TYPE, p->body,
			   strlen(p->body));
	}
	free(p);
}

/*
 * RES verified: the session is stored, then the 200 goes out; answered,
 * or the answer in *pending waits for the session on disk.
 */
static void bootstrap(struct bsf *bsf, struct http_exchange *ex,
		      const struct digest_credentials *cred,
		      const struct bsf_challenge *c, struct digest_input *in,
		      struct pending_bootstrap **pending)
{
	struct store_session *s = malloc(sizeof(*s));
	struct pending_bootstrap *p = malloc(sizeof(*p));
	char auth_info[HEADER_MAX];
	int ret = s && p ? make_session(bsf, c, s) : -ENOMEM;

	if (!ret)
		ret = success_answer(s, cred, in, p->body, sizeof(p->body),
				     auth_info);
	if (ret) {
		refuse(bsf, ex, 500, UB_ERR_INTERNAL, "cannot make the answer",
		       c->impi);
		goto out;
	}
	ret = store_session_add(bsf->daemon->store, s);
	if (ret) {
		refuse_store_error(bsf, ex, ret, c->impi);
		goto out;
	}
	/* Only the header is added now: it goes with the 200 or not at all. */
	if (http_exchange_add_header(ex, "Authentication-Info", auth_info)) {
		refuse(bsf, ex, 500, UB_ERR_INTERNAL, "out of memory", c->impi);
		goto out;
	}
	p->bsf = bsf;
	p->ex = ex;
	p->session = s->pub;
	*pending = p;
	p = NULL;
out:
	free(p);
	if (s) {
		store_session_wipe(s);
		free(s);
	}
}

/* ---- the answer to a challenge ------------------------------------------- */

/* Answered; one taken from a shared store is spent there already. */
static void spend(struct bsf *bsf, struct bsf_challenge *c)
{
	if (c->owner)
		bsf_challenge_spend(bsf->challenges, c);
}

/* Whether the credentials answer c as it was put; NULL or why not. */
static const char *misfit(const struct bsf *bsf,
			  const struct digest_credentials *cred,
			  const struct bsf_challenge *c)
{
	enum digest_qop qop;

	if (strcmp(cred->realm, bsf->conf->name))
		return "realm is not the BSF's";
	if (strcmp(cred->username, c->impi))
		return "username is not the IMPI challenged";
	if (strcmp(cred->opaque, c->opaque))
		return "opaque is not the challenge's";
	if (digest_algorithm_of(cred->algorithm) != DIGEST_ALG_AKAV1_MD5)
		return "algorithm must be AKAv1-MD5";
	if (digest_qop_of(cred->qop, &qop) || qop != DIGEST_QOP_AUTH_INT)
		return "qop must be auth-int";
	return NULL;
}

/* auts: the response over the empty password, then Zh with the AUTS. */
static void resync(struct bsf *bsf, struct http_exchange *ex,
		   const struct digest_credentials *cred,
		   struct bsf_challenge *c, struct digest_input *in)
{
	uint8_t rand[AKA_RAND_LEN], auts[AKA_AUTS_LEN];
	char impi[STORE_IMPI_MAX + 1];

	strcpy(impi, c->impi);
	memcpy(rand, c->rand, sizeof(rand));
	spend(bsf, c);
	in->password = NULL;
	in->password_len = 0;
	if (digest_response_check(in, cred->response) ||
	    digest_auts_decode(cred->auts, auts)) {
		refuse(bsf, ex, 403, BSF_UB_ERR_AUTH_FAILED,
		       "the resynchronisation response does not verify", impi);
		return;
	}
	bsf->counters.resyncs++;
	log_msg(LOG_LEVEL_INFO, ROLE, "resync",
		"AUTS from %s passed to the HSS", impi);
	start_challenge(bsf, ex, impi, false, rand, auts);
	OPENSSL_cleanse(auts, sizeof(auts));
}

static void answer(struct bsf *bsf, struct http_exchange *ex,
		   const struct digest_credentials *cred,
		   struct bsf_challenge *c)
{
	struct digest_input in;
	const char *why = misfit(bsf, cred, c);
	int ret;

	if (why) {
		spend(bsf, c);
		refuse(bsf, ex, 400, UB_ERR_BAD_REQUEST, why, cred->username);
		return;
	}
	digest_input_of(ex, cred, &in);
	if (cred->auts[0]) {
		resync(bsf, ex, cred, c, &in);
		return;
	}
	in.password = c->xres;
	in.password_len = sizeof(c->xres);
	ret = digest_response_check(&in, cred->response);
	if (c->decoy && !ret)	/* no RES is right; the same work done */
		ret = -EBADMSG;
	if (!ret) {
		struct pending_bootstrap *pending = NULL;

		ret = store_group_begin(bsf->daemon->store);
		if (ret)	/* the store locked: the session would wait again */
			refuse_store_error(bsf, ex, ret, c->impi);
		else
			bootstrap(bsf, ex, cred, c, &in, &pending);
		store_group_end(bsf->daemon->store,
				pending ? session_durable : NULL, pending);
	} else if (ret != -EBADMSG) {
		refuse(bsf, ex, 500, UB_ERR_INTERNAL, "digest failed", c->impi);
	} else {
		in.password = NULL;
		in.password_len = 0;
		if (digest_response_check(&in, cred->response) == 0)
			refuse_as(bsf, ex, 403, BSF_UB_ERR_NETWORK_AUTH_FAILED,
				  "the UE could not authenticate the network",
				  c->impi, c->decoy);
		else
			refuse_as(bsf, ex, 403, BSF_UB_ERR_AUTH_FAILED,
				  "response does not verify", c->impi,
				  c->decoy);
	}
	spend(bsf, c);
}

/*
 * An answer where the store is shared: the store says, for every
 * instance at once, whether the nonce is pending (and spends it), spent
 * or unknown; this instance's own copy, if it made the challenge, is
 * spent too so that its secrets go.
 */
static void answer_shared(struct bsf *bsf, struct http_exchange *ex,
			  const struct digest_credentials *cred)
{
	struct bsf_challenge *c, *own;
	int ret = bsf_shared_take(bsf, cred->nonce, &c);

	own = bsf_challenge_find(bsf->challenges, cred->nonce,
				 mono_clock_ms());
	if (own && !own->entry.spent && (!ret || ret == -EALREADY))
		bsf_challenge_spend(bsf->challenges, own);
	if (ret == -ENOENT)
		start_challenge(bsf, ex, cred->username, true, NULL, NULL);
	else if (ret == -EALREADY)
		refuse(bsf, ex, 403, BSF_UB_ERR_REPLAY,
		       "nonce already answered", cred->username);
	else if (ret)
		refuse_store_error(bsf, ex, ret, cred->username);
	else
		answer(bsf, ex, cred, c);
	bsf_shared_free(c);
}

/* ---- GET / --------------------------------------------------------------- */

/* How many Authorization headers the request has: one is the rule. */
static size_t authorizations(struct http_exchange *ex)
{
	struct evhttp_request *req = http_exchange_request(ex);
	struct evkeyvalq *headers = req ? evhttp_request_get_input_headers(req) :
					  NULL;
	struct evkeyval *h;
	size_t n = 0;

	for (h = headers ? headers->tqh_first : NULL; h; h = h->next.tqe_next)
		n += !strcasecmp(h->key, "Authorization");
	return n;
}

/* The credentials of the request, checked as far as no challenge is needed. */
static int read_credentials(struct http_exchange *ex,
			    struct digest_credentials *cred, char *why,
			    size_t why_size)
{
	const char *value = http_exchange_header(ex, "Authorization");
	const char *uri;

	if (!value) {
		snprintf(why, why_size,
			 "no Authorization: the first request names the IMPI");
		return -EINVAL;
	}
	if (authorizations(ex) > 1) {
		snprintf(why, why_size, "more than one Authorization");
		return -EINVAL;
	}
	if (digest_parse_credentials(value, strlen(value), cred, why,
				     why_size))
		return -EINVAL;
	if (!store_impi_valid(cred->username)) {
		snprintf(why, why_size, "username is not an IMPI");
		return -EINVAL;
	}
	uri = evhttp_request_get_uri(http_exchange_request(ex));
	if (!uri || strcmp(cred->uri, uri)) {
		snprintf(why, why_size, "uri is not the request's");
		return -EINVAL;
	}
	return 0;
}

void bsf_ub_request(struct http_exchange *ex, void *arg)
{
	struct bsf *bsf = arg;
	struct digest_credentials cred;
	struct bsf_challenge *c;
	char why[UB_WHY_MAX];

	if (read_credentials(ex, &cred, why, sizeof(why))) {
		refuse(bsf, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	if (!cred.nonce[0]) {
		start_challenge(bsf, ex, cred.username, false, NULL, NULL);
		return;
	}
	if (bsf_shared(bsf)) {
		answer_shared(bsf, ex, &cred);
		OPENSSL_cleanse(&cred, sizeof(cred));
		return;
	}
	c = bsf_challenge_find(bsf->challenges, cred.nonce, mono_clock_ms());
	if (!c)
		start_challenge(bsf, ex, cred.username, true, NULL, NULL);
	else if (c->entry.spent)
		refuse(bsf, ex, 403, BSF_UB_ERR_REPLAY,
		       "nonce already answered", cred.username);
	else
		answer(bsf, ex, &cred, c);
	OPENSSL_cleanse(&cred, sizeof(cred));
}
