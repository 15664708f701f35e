// SPDX-License-Identifier: GPL-2.0
/*
 * The SGW's attach interface, see sgw_attach.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "proto/best/av_msg.h"
#include "daemon/log.h"
#include "util/mono_clock.h"
#include "sgw_attach.h"
#include "sgw_decoys.h"
#include "sgw_hse.h"
#include "sgw_persist.h"
#include "store/store_group.h"
#include "util/why.h"

#define ROLE	"sgw"
#define AUTN_AMF_AT	AKA_SQN_LEN	/* SQN ^ AK || AMF || MAC-A */

/* ---- the challenge ------------------------------------------------------- */

static void log_challenge(struct http_exchange *ex, const struct sgw_session *s,
			  bool resync)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "challenge"))
		return;
	log_str(&line, "imsi", s->imsi);
	log_int(&line, "ksi", s->ksi);
	if (resync)
		log_int(&line, "resync", 1);
	log_str(&line, "remote", http_exchange_remote(ex));
	log_end(&line);
}

/* The answer the session waits for: XRES, or XRES* for 5G. */
static void session_expect(struct sgw_session *s, const struct av_response *av)
{
	bool five_g = av->aka == E2M_AKA_5G;

	s->xres_len = five_g ? AKA_RES_STAR_LEN : AKA_RES_LEN;
	memcpy(s->xres, five_g ? av->xres_star : av->xres, s->xres_len);
}

/* The challenge of session s as the UE reads it, in *text. 0 or -errno. */
static int challenge_text(const struct sgw *sgw, const struct sgw_session *s,
			  char **text)
{
	struct attach_challenge ch;

	memset(&ch, 0, sizeof(ch));
	memcpy(ch.session, s->id, sizeof(ch.session));
	memcpy(ch.rand, s->rand, sizeof(ch.rand));
	memcpy(ch.autn, s->autn, sizeof(ch.autn));
	ch.ksi = s->ksi;
	ch.aka = sgw->conf->aka;
	memcpy(ch.sn_id, sgw->conf->sn_id, sizeof(ch.sn_id));
	return attach_challenge_build(&ch, text, NULL, 0);
}

/* Keeps the session and answers it (200, or 401 after a resync). */
static void answer_challenge(struct sgw *sgw, struct sgw_call *call)
{
	struct sgw_session *s;
	char *text = NULL;
	int ret;

	ret = sgw_session_add(sgw->sessions, &call->session, mono_clock_ms(), &s);
	if (ret == -ENOSPC) {
		sgw_refuse(sgw, call->ex, 503, SGW_ERR_BUSY,
			   "too many sessions pending", call->imsi);
		return;
	}
	if (!ret)
		ret = challenge_text(sgw, s, &text);
	if (ret) {
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "cannot make a challenge", call->imsi);
		return;
	}
	sgw->counters.challenges++;
	log_challenge(call->ex, s, call->resync);
	http_reply(call->ex, call->resync ? 401 : 200, UB_JSON_CONTENT_TYPE,
		   text, strlen(text));
	ub_json_text_free(text);
}

/* The KSI is on disk, or was set back: the challenge, or a 500. */
static void ksi_durable(int ret, void *arg)
{
	struct sgw_call *kept = arg;

	if (ret)
		sgw_refuse(kept->sgw, kept->ex, 500, UB_ERR_INTERNAL,
			   "cannot keep the KSI", kept->imsi);
	else
		answer_challenge(kept->sgw, kept);
	sgw_call_free(kept);
}

/*
 * The IMSI's next KSI into the session, on disk before the challenge
 * leaves: a restarted SGW must not hand out a Key ID the HSE has a live
 * key under. The challenge goes out once the KSI is committed; 503 or
 * 500 (the KSI not taken) when it cannot be.
 */
static void take_ksi(struct sgw *sgw, struct sgw_call *call)
{
	struct sgw_ue *ue;
	struct sgw_ue_record before;
	struct sgw_call *kept;
	bool fresh;

	/* The KSI another instance took last, where they share the store. */
	sgw_persist_refresh(sgw->daemon->store, sgw->ues, call->imsi);
	ue = sgw_ue_find(sgw->ues, call->imsi);
	kept = sgw_call_keep(call);
	fresh = !ue;

	if (!kept) {
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "out of memory", call->imsi);
		return;
	}
	kept->sgw = sgw;
	if (ue)
		sgw_ue_record(ue, &before);
	else
		ue = sgw_ue_get(sgw->ues, call->imsi);
	if (!ue) {
		sgw_refuse(sgw, call->ex, 503, SGW_ERR_BUSY,
			   "too many subscribers", call->imsi);
		sgw_call_free(kept);
		return;
	}
	kept->session.ksi = sgw_ue_next_ksi(ue);
	sgw_persist_write(sgw->daemon->store, sgw->ues, ue,
			  fresh ? NULL : &before, ksi_durable, kept);
}

/* The session of the vector, and the challenge once its KSI is kept. */
static void send_challenge(struct sgw *sgw, struct sgw_call *call,
			   const struct av_response *av)
{
	/* A decoy's AUTN carries the AMF real ones do. */
	memcpy(sgw->decoy_amf, av->autn + AUTN_AMF_AT, AKA_AMF_LEN);
	sgw->decoy_amf_aka = av->aka;
	sgw->decoy_amf_seen = true;
	call->session.decoy = false;
	memcpy(call->session.rand, av->rand, AKA_RAND_LEN);
	memcpy(call->session.autn, av->autn, AKA_AUTN_LEN);
	session_expect(&call->session, av);
	call->session.e2m = av->e2m;
	/* The KSI is taken only now: an IMSI the HSS does not know leaves
	 * no entry behind. A resync keeps the KSI of its session. */
	if (call->resync)
		answer_challenge(sgw, call);
	else
		take_ksi(sgw, call);
}

/* ---- the decoy of an unknown IMSI --------------------------------------- */

/*
 * The AMF of the last real AUTN of the role's aka; before one was seen,
 * the one an e2m vector of that aka has (the e2m bit, and the separation
 * bit for EPS and 5G).
 */
static void decoy_amf(const struct sgw *sgw, uint8_t amf[AKA_AMF_LEN])
{
	if (sgw->decoy_amf_seen && sgw->decoy_amf_aka == sgw->conf->aka) {
		memcpy(amf, sgw->decoy_amf, AKA_AMF_LEN);
		return;
	}
	amf[0] = sgw->conf->aka == E2M_AKA_UMTS ? 0x40 : 0xc0;
	amf[1] = 0x00;
}

static void log_decoy(struct http_exchange *ex, const struct sgw_session *s)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_WARNING, ROLE, "refused"))
		return;
	log_int(&line, "status", 200);
	log_str(&line, "error", UB_ERR_UNKNOWN_SUBSCRIBER);
	log_str(&line, "imsi", s->imsi);
	log_str(&line, "detail", "the HSS has no such IMSI");
	log_str(&line, "answer", "decoy");
	log_int(&line, "ksi", s->ksi);
	log_str(&line, "remote", http_exchange_remote(ex));
	log_end(&line);
}

/*
 * The decoy session and its challenge, answered as answer_challenge()
 * answers a real one: the same status, headers and body. For the
 * operator a refusal: counted, logged and measured as unknown-subscriber.
 */
static void answer_decoy(struct sgw *sgw, struct sgw_call *call)
{
	struct sgw_session *s = NULL;
	uint8_t amf[AKA_AMF_LEN];
	char *text = NULL;
	int ret;

	decoy_amf(sgw, amf);
	call->session.xres_len = sgw->conf->aka == E2M_AKA_5G ?
				 AKA_RES_STAR_LEN : AKA_RES_LEN;
	ret = sgw_decoy_vector(sgw->decoys, call->imsi, amf, mono_clock_ms(),
			       call->session.rand, call->session.autn);
	if (!ret)
		ret = sgw_session_add_decoy(sgw->sessions, &call->session,
					    mono_clock_ms(), &s);
	if (!ret)
		ret = challenge_text(sgw, s, &text);
	if (ret) {
		sgw_refuse_as(sgw, call->ex, 500, UB_ERR_INTERNAL,
			      "cannot make a challenge", call->imsi, true);
		return;
	}
	sgw->counters.refused++;
	log_decoy(call->ex, s);
	http_exchange_note_refusal(call->ex, UB_ERR_UNKNOWN_SUBSCRIBER);
	http_reply(call->ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

/* The loop turn's commit is done: the decoy leaves when a KSI would. */
static void decoy_turn_done(int ret, void *arg)
{
	struct sgw_call *kept = arg;

	if (ret)
		sgw_refuse_as(kept->sgw, kept->ex, 500, UB_ERR_INTERNAL,
			      "cannot keep the KSI", kept->imsi, true);
	else
		answer_decoy(kept->sgw, kept);
	sgw_call_free(kept);
}

/*
 * The HSS does not know the IMSI: a decoy, answered as a known IMSI's
 * challenge is (no user enumeration on attach, sgw_attach.h). Its KSI
 * moves on as a real one's does (sgw_decoys.h); it waits for the loop
 * turn's group commit as take_ksi()'s write does, and nothing of it is
 * written.
 */
static void send_decoy(struct sgw *sgw, struct sgw_call *call)
{
	struct sgw_call *kept = sgw_call_keep(call);
	struct store *store = sgw->daemon->store;

	if (!kept) {
		sgw_refuse_as(sgw, call->ex, 500, UB_ERR_INTERNAL,
			      "out of memory", call->imsi, true);
		return;
	}
	kept->sgw = sgw;
	kept->session.decoy = true;
	kept->session.e2m = false;
	kept->session.ksi = sgw_decoy_next_ksi(sgw->decoys, call->imsi);
	store_group_begin(store);
	store_group_end(store, decoy_turn_done, kept);
}

/* ---- the HSS's answer -------------------------------------------------- */

static void hss_failed(struct sgw *sgw, struct sgw_call *call,
		       const char *why)
{
	sgw->counters.hss_failures++;
	log_msg(LOG_LEVEL_ERROR, ROLE, "hss-failed", "%s: %s", call->imsi, why);
	sgw_refuse(sgw, call->ex, 503, ATTACH_ERR_HSS_UNAVAILABLE,
		   "no authentication vector from the HSS", call->imsi);
}

/* An answer of the HSS other than 200. */
static void hss_refused(struct sgw *sgw, struct sgw_call *call,
			const struct https_response *r)
{
	struct ub_error err = { "", "" };
	char why[UB_WHY_MAX + 64];

	ub_error_parse(r->body, r->body_len, &err, NULL, 0);
	if (r->status == 404 && !strcmp(err.error, UB_ERR_UNKNOWN_SUBSCRIBER)) {
		/* The AUTS of a decoy's answer: refused as a bad AUTS is. */
		if (call->resync)
			sgw_refuse_as(sgw, call->ex, 403, UB_ERR_RESYNC_FAILED,
				      "AUTS does not verify", call->imsi, true);
		else
			send_decoy(sgw, call);
	} else if (r->status == 403 &&
		   !strcmp(err.error, UB_ERR_RESYNC_FAILED)) {
		sgw_refuse(sgw, call->ex, 403, UB_ERR_RESYNC_FAILED,
			   "AUTS does not verify", call->imsi);
	} else {
		snprintf(why, sizeof(why), "HSS answered %d %s", r->status,
			 err.error[0] ? err.error : "(no error body)");
		hss_failed(sgw, call, why);
	}
}

static void hss_answered(struct sgw *sgw, struct sgw_call *call,
			 const struct https_response *r)
{
	struct av_response *av = malloc(sizeof(*av));
	char why[UB_WHY_MAX + 32];

	if (!av) {
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "out of memory", call->imsi);
		return;
	}
	if (r->error) {
		hss_failed(sgw, call, r->why);
	} else if (r->status != 200) {
		hss_refused(sgw, call, r);
	} else if (av_response_parse(r->body, r->body_len, av, why,
				     sizeof(why))) {
		hss_failed(sgw, call, "bad answer");
	} else if (strcmp(av->imsi, call->imsi) || av->aka != sgw->conf->aka) {
		hss_failed(sgw, call, "a vector of another IMSI or AKA");
	} else {
		/* The serving network's keys are not used here: wiped. */
		send_challenge(sgw, call, av);
	}
	av_response_wipe(av);
	free(av);
}

/*
 * Asks the HSS for a vector for the session being made in proto (after a
 * resynchronisation from auts with the RAND of proto's session when auts
 * is set).
 */
static void ask_hss(struct sgw *sgw, struct sgw_call *proto,
		    const uint8_t *auts)
{
	struct av_request req;
	char *text = NULL;

	memset(&req, 0, sizeof(req));
	snprintf(req.imsi, sizeof(req.imsi), "%s", proto->imsi);
	req.aka = sgw->conf->aka;
	memcpy(req.sn_id, sgw->conf->sn_id, sizeof(req.sn_id));
	/* The configuration checked that the PLMN id makes a name. */
	if (req.aka == E2M_AKA_5G)
		snn_from_plmn(req.snn, sizeof(req.snn), sgw->conf->sn_id);
	req.resync = auts != NULL;
	if (auts) {
		memcpy(req.rand, proto->session.rand, sizeof(req.rand));
		memcpy(req.auts, auts, sizeof(req.auts));
	}
	if (av_request_build(&req, &text, NULL, 0)) {
		sgw_refuse(sgw, proto->ex, 500, UB_ERR_INTERNAL,
			   "cannot make an AV request", proto->imsi);
		return;
	}
	OPENSSL_cleanse(&req, sizeof(req));
	proto->resync = auts != NULL;
	sgw_call_start(sgw, sgw->hss, BEST_PATH_AV, text, proto, hss_answered);
	ub_json_text_free(text);
}

/* ---- POST /sgw/v1/attach ------------------------------------------------- */

/* The body of a JSON request; NULL after answering 415 or 400. */
static const char *json_body(struct sgw *sgw, struct http_exchange *ex,
			     size_t *len)
{
	const char *body;

	if (!http_exchange_content_type_is(ex, UB_JSON_CONTENT_TYPE)) {
		sgw_refuse(sgw, ex, 415, HTTP_ERR_UNSUPPORTED_MEDIA_TYPE,
			   "the body must be application/json", NULL);
		return NULL;
	}
	body = http_exchange_body(ex, len);
	if (!body)
		sgw_refuse(sgw, ex, 500, UB_ERR_INTERNAL, "out of memory",
			   NULL);
	return body;
}

static void log_attach(struct http_exchange *ex,
		       const struct attach_request *req)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "attach"))
		return;
	log_str(&line, "imsi", req->imsi);
	log_str(&line, "ue-address", req->gtpu.address);
	log_u64(&line, "ue-teid", req->gtpu.teid);
	log_str(&line, "remote", http_exchange_remote(ex));
	log_end(&line);
}

void sgw_attach_request(struct http_exchange *ex, void *arg)
{
	struct sgw *sgw = arg;
	struct attach_request req;
	struct sgw_call proto;
	char why[UB_WHY_MAX];
	const char *body;
	size_t len = 0;

	body = json_body(sgw, ex, &len);
	if (!body)
		return;
	if (attach_request_parse(body, len, &req, why, sizeof(why))) {
		sgw_refuse(sgw, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	log_attach(ex, &req);
	memset(&proto, 0, sizeof(proto));
	proto.ex = ex;
	strcpy(proto.imsi, req.imsi);
	strcpy(proto.session.imsi, req.imsi);
	proto.session.ue = req.gtpu;
	ask_hss(sgw, &proto, NULL);
}

/* ---- POST /sgw/v1/attach/complete --------------------------------------- */

/* auts: the session is spent, the HSS resyncs and a new one comes. */
static void resync(struct sgw *sgw, struct http_exchange *ex,
		   struct sgw_session *s, const uint8_t *auts)
{
	struct sgw_call proto;

	memset(&proto, 0, sizeof(proto));
	proto.ex = ex;
	strcpy(proto.imsi, s->imsi);
	proto.session = *s;
	memset(&proto.session.entry, 0, sizeof(proto.session.entry));
	OPENSSL_cleanse(proto.session.xres, sizeof(proto.session.xres));
	sgw_session_spend(sgw->sessions, s);
	if (!proto.session.decoy)	/* the operator's count: real ones */
		sgw->counters.resyncs++;
	log_msg(LOG_LEVEL_INFO, ROLE, "resync", "AUTS from %s passed to the HSS",
		proto.imsi);
	ask_hss(sgw, &proto, auts);
	OPENSSL_cleanse(&proto, sizeof(proto));
}

/* Whether the PCO names the run of s; NULL, or why not. */
static const char *pco_misfit(const struct sgw_session *s,
			      const struct attach_pco *pco)
{
	if (strcmp(pco->imsi, s->imsi))
		return "the PCO names another IMSI";
	if (!pco->by_sqn && memcmp(pco->rand, s->rand, AKA_RAND_LEN))
		return "the PCO names another RAND";
	return NULL;
}

static void answer(struct sgw *sgw, struct http_exchange *ex,
		   struct sgw_session *s, const struct attach_complete *c)
{
	struct sgw_session run;
	bool good;
	const char *misfit;

	/*
	 * Constant time: a UE must not learn how much of RES was right. The
	 * length is no secret: it says which AKA the session runs.
	 */
	good = c->res_len == s->xres_len &&
	       CRYPTO_memcmp(c->res, s->xres, s->xres_len) == 0;
	if (s->decoy)	/* no RES is right; the same work done */
		good = false;
	run = *s;
	OPENSSL_cleanse(run.xres, sizeof(run.xres));
	sgw_session_spend(sgw->sessions, s);
	misfit = pco_misfit(&run, &c->pco);
	if (!good)
		sgw_refuse_as(sgw, ex, 403, ATTACH_ERR_AUTH_FAILED,
			      "RES does not verify", run.imsi, run.decoy);
	else if (misfit)
		sgw_refuse(sgw, ex, 400, UB_ERR_BAD_REQUEST, misfit, run.imsi);
	else if (!run.e2m)
		sgw_refuse(sgw, ex, 403, ATTACH_ERR_NOT_E2M,
			   "the subscriber's vectors are not marked for e2m",
			   run.imsi);
	else
		sgw_hse_send_triplet(sgw, ex, &run, &c->pco);
	OPENSSL_cleanse(&run, sizeof(run));
}

void sgw_attach_complete(struct http_exchange *ex, void *arg)
{
	struct sgw *sgw = arg;
	struct attach_complete c;
	struct sgw_session *s;
	char why[UB_WHY_MAX];
	const char *body;
	size_t len = 0;

	body = json_body(sgw, ex, &len);
	if (!body)
		return;
	if (attach_complete_parse(body, len, &c, why, sizeof(why))) {
		sgw_refuse(sgw, ex, 400, UB_ERR_BAD_REQUEST, why, NULL);
		return;
	}
	s = sgw_session_find(sgw->sessions, c.session, mono_clock_ms());
	if (!s || s->entry.spent)
		sgw_refuse_as(sgw, ex, 404, ATTACH_ERR_UNKNOWN_SESSION,
			      s ? "the session was answered already" :
				  "no such session (or older than 30 s)",
			      s ? s->imsi : NULL, s && s->decoy);
	else if (c.resync)
		resync(sgw, ex, s, c.auts);
	else
		answer(sgw, ex, s, &c);
	attach_complete_wipe(&c);
}
