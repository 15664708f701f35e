// SPDX-License-Identifier: GPL-2.0
/*
 * The triplet to the HSE and the UE's answer, see sgw_hse.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proto/best/triplet_msg.h"
#include "daemon/log.h"
#include "sgw_hse.h"
#include "sgw_persist.h"
#include "util/why.h"

#define ROLE	"sgw"

static void ipv4_text(uint32_t host_order, char out[BEST_IPV4_SIZE])
{
	struct in_addr addr = { .s_addr = htonl(host_order) };

	inet_ntop(AF_INET, &addr, out, BEST_IPV4_SIZE);
}

static void log_attached(const struct sgw_call *call, const struct sgw_ue *ue,
			 const char *inner)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "attached"))
		return;
	log_str(&line, "imsi", call->imsi);
	log_int(&line, "ksi", call->session.ksi);
	log_u64(&line, "hse-teid", ue->hse_teid);
	log_u64(&line, "ue-teid", call->session.ue.teid);
	log_str(&line, "inner-ipv4", inner);
	log_int(&line, "rekey", call->rekey);
	log_str(&line, "remote", http_exchange_remote(call->ex));
	log_end(&line);
}

/* The HSE took the triplet: the context is live, the UE gets its 200. */
static void accept_ue(struct sgw *sgw, struct sgw_call *call,
		      struct sgw_ue *ue)
{
	struct sgw_ue_record before;
	struct attach_accept a;
	char *text = NULL;

	memset(&a, 0, sizeof(a));
	strcpy(a.imsi, call->imsi);
	a.ksi = call->session.ksi;
	snprintf(a.hse.address, sizeof(a.hse.address), "%s",
		 sgw->conf->hse_gtpu.address);
	a.hse.port = sgw->conf->hse_gtpu.port;
	a.hse.teid = ue->hse_teid;
	ipv4_text(call->inner_ipv4, a.inner_ipv4);
	if (attach_accept_build(&a, &text, NULL, 0)) {
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "cannot make the answer", call->imsi);
		return;
	}
	sgw_ue_record(ue, &before);
	sgw_ue_set_attached(sgw->ues, ue, &call->session.ue);
	if (sgw_persist_commit(sgw->daemon->store, sgw->ues, ue, &before)) {
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "cannot keep the context", call->imsi);
		ub_json_text_free(text);
		return;
	}
	sgw->counters.attached++;
	sgw->counters.rekeys += call->rekey;
	log_attached(call, ue, a.inner_ipv4);
	http_reply(call->ex, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

/* Why a 200 of the HSE is not the answer to this triplet; NULL if it is. */
static const char *misfit(const struct sgw_call *call,
			  const struct sgw_ue *ue,
			  const struct https_response *r)
{
	struct triplet_response resp;

	if (triplet_response_parse(r->body, r->body_len, &resp, NULL, 0))
		return "the HSE's answer does not parse";
	if (strcmp(resp.imsi, call->imsi) || resp.teid != ue->hse_teid ||
	    resp.key_id != call->session.ksi)
		return "the HSE answered for another IMSI, TEID or KSI";
	return NULL;
}

/*
 * A new context that did not come about gives its TEID back, on disk too.
 * 0, or -errno when the store failed (the TEID then stays held).
 */
static int drop_new_context(struct sgw *sgw, struct sgw_ue *ue)
{
	struct sgw_ue_record before;

	sgw_ue_record(ue, &before);
	sgw_ue_detach(sgw->ues, ue);
	return sgw_persist_commit(sgw->daemon->store, sgw->ues, ue, &before);
}

static void hse_answered(struct sgw *sgw, struct sgw_call *call,
			 const struct https_response *r)
{
	struct sgw_ue *ue = sgw_ue_find(sgw->ues, call->imsi);
	struct ub_error err = { "", "" };
	char detail[UB_ERROR_DETAIL_MAX + 1];
	const char *why = NULL;

	if (!ue)		/* cannot be: entries stay */
		return;
	ue->busy = false;
	if (!r->error && r->status == 200)
		why = misfit(call, ue, r);
	if (!r->error && r->status == 200 && !why) {
		accept_ue(sgw, call, ue);
		return;
	}
	sgw->counters.hse_failures++;
	if (!call->rekey && drop_new_context(sgw, ue)) {
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "cannot keep the UE's state", call->imsi);
		return;
	}
	if (r->error) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "hse-failed", "%s: %s",
			call->imsi, r->why);
		sgw_refuse(sgw, call->ex, 503, ATTACH_ERR_HSE_UNAVAILABLE,
			   "no answer from the HSE", call->imsi);
		return;
	}
	if (!why) {
		ub_error_parse(r->body, r->body_len, &err, NULL, 0);
		/* The HSE's detail is cut so that the whole fits the 255
		 * octets of an error body's detail. */
		snprintf(detail, sizeof(detail), "%d %s: %.170s", r->status,
			 err.error[0] ? err.error : "(no error body)",
			 err.detail);
		why = detail;
	}
	sgw_refuse(sgw, call->ex, 502, ATTACH_ERR_HSE_REFUSED, why,
		   call->imsi);
}

/*
 * A re-attach with the UE's TEID of the live context is its update: the
 * same HSE TEID. Anything else holds a fresh one. 0 or -EIO.
 */
static int hold_teid(struct sgw *sgw, struct sgw_ue *ue,
		     const struct sgw_session *s, bool *rekey)
{
	*rekey = ue->attached && ue->ue.teid == s->ue.teid;
	if (*rekey)
		return 0;
	return sgw_ue_new_teid(sgw->ues, ue);
}

static int triplet_of(const struct sgw_session *s,
		      const struct attach_pco *pco, const struct sgw_ue *ue,
		      uint32_t inner, char **text)
{
	struct triplet_request req;

	memset(&req, 0, sizeof(req));
	strcpy(req.imsi, pco->imsi);
	req.by_sqn = pco->by_sqn;
	memcpy(req.rand, pco->rand, sizeof(req.rand));
	memcpy(req.sqn, pco->sqn, sizeof(req.sqn));
	req.ksi = s->ksi;
	req.teid_hse = ue->hse_teid;
	req.teid_ue = s->ue.teid;
	strcpy(req.ue.address, s->ue.address);
	req.ue.port = s->ue.port;
	ipv4_text(inner, req.ue.inner_ipv4);
	return triplet_request_build(&req, text, NULL, 0);
}

/*
 * The address and the HSE TEID of the triplet, on disk before it leaves:
 * a restarted SGW must neither give the address to another IMSI nor
 * forget the TEID the HSE has a flow under. true, or false after
 * answering (503 for an exhausted pool, 500) with the entry as it was.
 */
static bool hold_context(struct sgw *sgw, struct http_exchange *ex,
			 struct sgw_ue *ue, const struct sgw_session *s,
			 struct sgw_call *proto)
{
	struct sgw_ue_record before, now;

	sgw_ue_record(ue, &before);
	if (sgw_ue_inner_ipv4(sgw->ues, ue, &proto->inner_ipv4)) {
		sgw_refuse(sgw, ex, 503, SGW_ERR_BUSY,
			   "no inner address left in the pool", s->imsi);
		return false;
	}
	if (hold_teid(sgw, ue, s, &proto->rekey)) {
		sgw_ue_set(sgw->ues, ue, &before);
		sgw_refuse(sgw, ex, 500, UB_ERR_INTERNAL,
			   "cannot make the triplet", s->imsi);
		return false;
	}
	sgw_ue_record(ue, &now);
	if (memcmp(&now, &before, sizeof(now)) &&
	    sgw_persist_commit(sgw->daemon->store, sgw->ues, ue, &before)) {
		sgw_refuse(sgw, ex, 500, UB_ERR_INTERNAL,
			   "cannot keep the UE's state", s->imsi);
		return false;
	}
	return true;
}

void sgw_hse_send_triplet(struct sgw *sgw, struct http_exchange *ex,
			  const struct sgw_session *s,
			  const struct attach_pco *pco)
{
	struct sgw_ue *ue = sgw_ue_find(sgw->ues, s->imsi);
	struct sgw_call proto;
	char *text = NULL;

	if (ue && ue->busy) {
		sgw_refuse(sgw, ex, 503, SGW_ERR_BUSY,
			   "an attach of this IMSI is in progress", s->imsi);
		return;
	}
	if (!ue) {		/* cannot be: its KSI made the entry */
		sgw_refuse(sgw, ex, 500, UB_ERR_INTERNAL, "no such UE",
			   s->imsi);
		return;
	}
	memset(&proto, 0, sizeof(proto));
	if (!hold_context(sgw, ex, ue, s, &proto))
		return;
	if (triplet_of(s, pco, ue, proto.inner_ipv4, &text)) {
		sgw_refuse(sgw, ex, 500, UB_ERR_INTERNAL,
			   "cannot make the triplet", s->imsi);
		if (!proto.rekey)
			drop_new_context(sgw, ue);
		return;
	}
	proto.ex = ex;
	strcpy(proto.imsi, s->imsi);
	proto.session = *s;
	if (sgw_call_start(sgw, sgw->hse, TRIPLET_PATH, text, &proto,
			   hse_answered))
		ue->busy = true;
	else if (!proto.rekey)
		drop_new_context(sgw, ue);	/* ex answered already */
	ub_json_text_free(text);
}
