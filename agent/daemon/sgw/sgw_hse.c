// SPDX-License-Identifier: GPL-2.0
/*
 * The triplet to the HSE and the UE's answer, see sgw_hse.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

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

static void log_attached(const struct sgw_call *call, uint32_t hse_teid,
			 const char *inner)
{
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "attached"))
		return;
	log_str(&line, "imsi", call->imsi);
	log_int(&line, "ksi", call->session.ksi);
	log_u64(&line, "hse-teid", hse_teid);
	log_u64(&line, "ue-teid", call->session.ue.teid);
	log_str(&line, "inner-ipv4", inner);
	log_int(&line, "rekey", call->rekey);
	log_str(&line, "remote", http_exchange_remote(call->ex));
	log_end(&line);
}

/* An attach accepted, waiting for its context's commit. */
struct accepting {
	struct sgw_call *kept;
	char *text;			/* the 200's body */
	uint32_t hse_teid;
	char inner[BEST_IPV4_SIZE];
};

static void context_durable(int ret, void *arg)
{
	struct accepting *acc = arg;
	struct sgw_call *call = acc->kept;
	struct sgw *sgw = call->sgw;

	if (ret) {
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "cannot keep the context", call->imsi);
	} else {
		sgw->counters.attached++;
		sgw->counters.rekeys += call->rekey;
		log_attached(call, acc->hse_teid, acc->inner);
		http_reply(call->ex, 200, UB_JSON_CONTENT_TYPE, acc->text,
			   strlen(acc->text));
	}
	ub_json_text_free(acc->text);
	sgw_call_free(call);
	free(acc);
}

/*
 * The HSE took the triplet: the context is live, and the UE gets its 200
 * once that is on disk.
 */
static void accept_ue(struct sgw *sgw, struct sgw_call *call,
		      struct sgw_ue *ue)
{
	struct sgw_ue_record before;
	struct accepting *acc = calloc(1, sizeof(*acc));
	struct attach_accept a;

	if (acc)
		acc->kept = sgw_call_keep(call);
	if (!acc || !acc->kept) {
		free(acc);
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "out of memory", call->imsi);
		return;
	}
	acc->kept->sgw = sgw;
	memset(&a, 0, sizeof(a));
	strcpy(a.imsi, call->imsi);
	a.ksi = call->session.ksi;
	snprintf(a.hse.address, sizeof(a.hse.address), "%s",
		 sgw->conf->hse_gtpu.address);
	a.hse.port = sgw->conf->hse_gtpu.port;
	a.hse.teid = ue->hse_teid;
	ipv4_text(call->inner_ipv4, a.inner_ipv4);
	if (attach_accept_build(&a, &acc->text, NULL, 0)) {
		sgw_refuse(sgw, call->ex, 500, UB_ERR_INTERNAL,
			   "cannot make the answer", call->imsi);
		sgw_call_free(acc->kept);
		free(acc);
		return;
	}
	acc->hse_teid = ue->hse_teid;
	strcpy(acc->inner, a.inner_ipv4);
	sgw_ue_record(ue, &before);
	sgw_ue_set_attached(sgw->ues, ue, &call->session.ue);
	sgw_persist_write(sgw->daemon->store, sgw->ues, ue, &before,
			  context_durable, acc);
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
 * Nobody waits for it: the answer is a refusal either way, and a TEID
 * still held after a crash (or a failed write, logged) is only the state
 * before the attach.
 */
static void drop_new_context(struct sgw *sgw, struct sgw_ue *ue)
{
	struct sgw_ue_record before;

	sgw_ue_record(ue, &before);
	sgw_ue_detach(sgw->ues, ue);
	sgw_persist_write(sgw->daemon->store, sgw->ues, ue, &before, NULL,
			  NULL);
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
	if (!call->rekey)
		drop_new_context(sgw, ue);
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

/* A triplet waiting for its address and TEID's commit. */
struct holding {
	struct sgw *sgw;
	struct http_exchange *ex;
	struct sgw_session run;		/* XRES wiped */
	struct attach_pco pco;
	struct sgw_call proto;
	uint32_t new_address;		/* given by this try; 0: none */
	unsigned int tries;		/* writes of the context made */
};

/* The context is held (on disk): the triplet to the HSE. */
static void send_triplet(struct sgw *sgw, struct sgw_ue *ue,
			 struct http_exchange *ex, const struct sgw_session *s,
			 const struct attach_pco *pco, struct sgw_call *proto)
{
	char *text = NULL;

	if (triplet_of(s, pco, ue, proto->inner_ipv4, &text)) {
		sgw_refuse(sgw, ex, 500, UB_ERR_INTERNAL,
			   "cannot make the triplet", s->imsi);
		ue->busy = false;
		if (!proto->rekey)
			drop_new_context(sgw, ue);
		return;
	}
	proto->ex = ex;
	strcpy(proto->imsi, s->imsi);
	proto->session = *s;
	if (!sgw_call_start(sgw, sgw->hse, TRIPLET_PATH, text, proto,
			    hse_answered)) {
		ue->busy = false;
		if (!proto->rekey)
			drop_new_context(sgw, ue);	/* ex answered already */
	}
	ub_json_text_free(text);
}

static void holding_free(struct holding *h)
{
	OPENSSL_cleanse(h, sizeof(*h));
	free(h);
}

static void hold_context(struct sgw *sgw, struct http_exchange *ex,
			 struct sgw_ue *ue, struct holding *h);

static void log_retry(const struct holding *h)
{
	char inner[BEST_IPV4_SIZE];
	struct log_line line;

	if (!log_begin(&line, LOG_LEVEL_WARNING, ROLE, "address-taken"))
		return;
	log_str(&line, "imsi", h->run.imsi);
	if (h->new_address) {
		ipv4_text(h->new_address, inner);
		log_str(&line, "inner-ipv4", inner);
	}
	log_u64(&line, "try", h->tries);
	log_str(&line, "detail",
		"another instance's UE holds it: trying again");
	log_end(&line);
}

/*
 * The store refused the context's write (-EEXIST): another instance's
 * UE holds the address given (or, once in 2^32, the TEID drawn). The
 * entry is as the store has it again (sgw_persist.h's undo); the address
 * is not offered again, the cursor moves away from the other instance's
 * (sgw_ues_address_elsewhere()), and the write is made once more with
 * the next address and a fresh TEID, SGW_CONTEXT_TRIES in all. Whether
 * it tried again (h then in its hands).
 */
static bool try_again(struct holding *h, struct sgw_ue *ue, int ret)
{
	struct sgw *sgw = h->sgw;

	if (ret != -EEXIST || !ue || h->tries >= SGW_CONTEXT_TRIES)
		return false;
	if (h->new_address)
		sgw_ues_address_elsewhere(sgw->ues, h->new_address);
	sgw->counters.address_retries++;
	log_retry(h);
	ue->busy = false;
	hold_context(sgw, h->ex, ue, h);
	return true;
}

static void held_durable(int ret, void *arg)
{
	struct holding *h = arg;
	struct sgw_ue *ue = sgw_ue_find(h->sgw->ues, h->run.imsi);

	if (try_again(h, ue, ret))
		return;
	if (ret || !ue) {
		if (ue)
			ue->busy = false;
		sgw_refuse(h->sgw, h->ex, 500, UB_ERR_INTERNAL,
			   "cannot keep the UE's state", h->run.imsi);
	} else {
		send_triplet(h->sgw, ue, h->ex, &h->run, &h->pco, &h->proto);
	}
	holding_free(h);
}

/*
 * The address and the HSE TEID of the triplet, on disk before it leaves:
 * a restarted SGW must neither give the address to another IMSI nor
 * forget the TEID the HSE has a flow under. The triplet goes once they
 * are committed (at once when nothing changed); else the answer is 503
 * for an exhausted pool or 500, the entry as it was. The entry is busy
 * from here: a second triplet of the IMSI waits for this one's end.
 */
static void hold_context(struct sgw *sgw, struct http_exchange *ex,
			 struct sgw_ue *ue, struct holding *h)
{
	struct sgw_ue_record before, now;

	sgw_ue_record(ue, &before);
	if (sgw_ue_inner_ipv4(sgw->ues, ue, &h->proto.inner_ipv4)) {
		sgw_refuse(sgw, ex, 503, SGW_ERR_BUSY,
			   "no inner address left in the pool", h->run.imsi);
		holding_free(h);
		return;
	}
	if (hold_teid(sgw, ue, &h->run, &h->proto.rekey)) {
		sgw_ue_set(sgw->ues, ue, &before);
		sgw_refuse(sgw, ex, 500, UB_ERR_INTERNAL,
			   "cannot make the triplet", h->run.imsi);
		holding_free(h);
		return;
	}
	ue->busy = true;
	sgw_ue_record(ue, &now);
	h->new_address = before.inner_ipv4 ? 0 : now.inner_ipv4;
	h->tries++;
	/*
	 * Nothing to write; where instances share the store the write goes
	 * anyway, over the row as read: it fails if another instance
	 * changed the row since this one's challenge.
	 */
	if (!memcmp(&now, &before, sizeof(now)) &&
	    !store_shared(sgw->daemon->store)) {
		held_durable(0, h);
		return;
	}
	sgw_persist_write(sgw->daemon->store, sgw->ues, ue, &before,
			  held_durable, h);
}

void sgw_hse_send_triplet(struct sgw *sgw, struct http_exchange *ex,
			  const struct sgw_session *s,
			  const struct attach_pco *pco)
{
	struct sgw_ue *ue = sgw_ue_find(sgw->ues, s->imsi);
	struct holding *h;

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
	h = calloc(1, sizeof(*h));
	if (!h) {
		sgw_refuse(sgw, ex, 500, UB_ERR_INTERNAL, "out of memory",
			   s->imsi);
		return;
	}
	h->sgw = sgw;
	h->ex = ex;
	h->run = *s;
	OPENSSL_cleanse(h->run.xres, sizeof(h->run.xres));
	h->pco = *pco;
	hold_context(sgw, ex, ue, h);
}
