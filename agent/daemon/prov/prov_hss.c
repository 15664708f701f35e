// SPDX-License-Identifier: GPL-2.0
/*
 * Step 6 from the provisioning server to the HSS: see prov_hss.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "net/https_client.h"
#include "proto/gba/ub_json.h"
#include "proto/keyupdate/hss_update_msg.h"
#include "prov_hss.h"
#include "prov_hss_plan.h"

#define ROLE	"prov"

struct prov_hss {
	struct daemon *daemon;
	const struct config_prov *conf;
	struct https_client *client;
	struct https_call *call;	/* at most one in flight */
	struct event *timer;		/* the round after a failure */
	struct prov_hss_backoff backoff;
	struct ku_hss_response expect;	/* what its answer must say */
	char iccid[STORE_ICCID_MAX + 1];
	struct prov_hss_counts counts;
	bool stopped;			/* the daemon stops: no new call */
};

/*
 * The usim-done record after the one tried last (by ICCID, wrapping
 * round): one the HSS keeps refusing does not hold up the others.
 */
struct pick {
	const char *after;
	char first[STORE_ICCID_MAX + 1];
	char next[STORE_ICCID_MAX + 1];
};

static int pick_usim_done(const struct store_prov_update_info *info,
			  void *arg)
{
	struct pick *p = arg;

	if (info->state != STORE_PROV_USIM_DONE)
		return 0;
	if (!p->first[0])
		strcpy(p->first, info->iccid);
	if (strcmp(info->iccid, p->after) > 0) {
		strcpy(p->next, info->iccid);
		return 1;
	}
	return 0;
}

static const char *failure_event(enum prov_hss_outcome outcome)
{
	switch (outcome) {
	case PROV_HSS_REFUSED:
		return "hss-refused";
	case PROV_HSS_BAD_ANSWER:
		return "hss-bad-answer";
	case PROV_HSS_LOCAL:
		return "hss-call-failed";
	default:
		return "hss-unreachable";
	}
}

/* The next round after a failure, logged when it is news. */
static void failed(struct prov_hss *hss, enum prov_hss_outcome outcome,
		   int status, const char *error, const char *why)
{
	struct timeval in = { 0, 0 };
	struct prov_hss_step step;
	struct log_line line;

	hss->counts.failed++;
	if (outcome == PROV_HSS_REFUSED)
		hss->counts.refusals[prov_hss_reason_of(error)]++;
	prov_hss_backoff_after(&hss->backoff, outcome, status, &step);
	in.tv_sec = step.delay;
	if (event_add(hss->timer, &in))
		log_msg(LOG_LEVEL_ERROR, ROLE, "hss-retry-lost",
			"could not arm the retry timer");
	if (!step.log_failure ||
	    !log_begin(&line, LOG_LEVEL_ERROR, ROLE, failure_event(outcome)))
		return;
	log_str(&line, "iccid", hss->iccid);
	log_str(&line, "imsi", hss->expect.imsi);
	log_u64(&line, "counter", hss->expect.counter);
	if (status)
		log_int(&line, "status", status);
	if (error && error[0])
		log_str(&line, "error", error);
	log_str(&line, "detail", why);
	log_u64(&line, "failures", step.failures);
	log_u64(&line, "retry-in", step.delay);
	log_end(&line);
}

/* A success: the back-off starts again, the next record at once. */
static void recovered(struct prov_hss *hss)
{
	struct prov_hss_step step;
	struct log_line line;

	prov_hss_backoff_after(&hss->backoff, PROV_HSS_OK, 200, &step);
	event_del(hss->timer);
	if (step.log_recovered &&
	    log_begin(&line, LOG_LEVEL_INFO, ROLE, "hss-recovered")) {
		log_u64(&line, "failures", step.failures);
		log_end(&line);
	}
}

/* 0, or -errno after failed(). */
static int switched(struct prov_hss *hss, bool now)
{
	int ret = store_prov_update_advance(hss->daemon->store, hss->iccid,
					    hss->expect.counter,
					    STORE_PROV_HSS_DONE);
	struct log_line line;

	if (ret) {
		failed(hss, PROV_HSS_LOCAL, 0, NULL, store_strerror(ret));
		return ret;
	}
	hss->counts.switched++;
	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "update-done"))
		return 0;
	log_str(&line, "iccid", hss->iccid);
	log_str(&line, "imsi", hss->expect.imsi);
	log_u64(&line, "counter", hss->expect.counter);
	log_int(&line, "hss-switched", now);
	log_end(&line);
	return 0;
}

static void answered(const struct https_response *r, void *arg)
{
	struct prov_hss *hss = arg;
	struct ku_hss_response got;
	struct ub_error err = { .error = "" };
	char why[UB_ERROR_DETAIL_MAX + 1] = "";

	hss->call = NULL;
	if (r->error) {
		failed(hss, PROV_HSS_UNREACHABLE, 0, NULL, r->why);
	} else if (r->status != 200) {
		ub_error_parse(r->body, r->body_len, &err, NULL, 0);
		failed(hss, r->status >= 400 && r->status < 500 ?
			    PROV_HSS_REFUSED : PROV_HSS_UNREACHABLE,
		       r->status, err.error, err.detail);
	} else if (ku_hss_response_parse(r->body, r->body_len, &got, why,
					 sizeof(why))) {
		failed(hss, PROV_HSS_BAD_ANSWER, 200, NULL, why);
	} else if (strcmp(got.imsi, hss->expect.imsi) ||
		   got.counter != hss->expect.counter ||
		   CRYPTO_memcmp(got.kcv_k, hss->expect.kcv_k, KU_KCV_LEN) ||
		   CRYPTO_memcmp(got.kcv_opc, hss->expect.kcv_opc,
				 KU_KCV_LEN)) {
		failed(hss, PROV_HSS_BAD_ANSWER, 200, NULL,
		       "the answer is not this update's");
	} else if (!switched(hss, got.switched)) {
		recovered(hss);
		/* The next one, if any, at once. */
		prov_hss_kick(hss);
	}
}

/* One call for the record of hss->iccid. */
static int send_record(struct prov_hss *hss)
{
	struct store_prov_update u;
	struct ku_hss_request req;
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;
	int ret;

	/* A failure before the answer is known logs no other update's. */
	memset(&hss->expect, 0, sizeof(hss->expect));
	ret = store_prov_update_get(hss->daemon->store, hss->iccid, &u);
	if (ret)
		return ret;
	memset(&req, 0, sizeof(req));
	strcpy(req.imsi, u.pub.imsi);
	memcpy(req.k, u.k, sizeof(req.k));
	memcpy(req.opc, u.opc, sizeof(req.opc));
	req.counter = u.pub.counter;
	hss->expect = (struct ku_hss_response){ .counter = u.pub.counter };
	strcpy(hss->expect.imsi, u.pub.imsi);
	ret = ku_kcv(u.k, hss->expect.kcv_k) ||
	      ku_kcv(u.opc, hss->expect.kcv_opc) ? -EIO : 0;
	store_prov_update_wipe(&u);
	if (!ret)
		ret = ku_hss_request_build(&req, &text, why, sizeof(why));
	ku_hss_request_wipe(&req);
	if (!ret) {
		if (prov_hss_backoff_retrying(&hss->backoff))
			hss->counts.retries++;
		hss->call = https_post(hss->client, KU_HSS_PATH,
				       UB_JSON_CONTENT_TYPE, text,
				       strlen(text), answered, hss);
		ret = hss->call ? 0 : -ENOMEM;
	}
	ub_json_text_free(text);
	return ret;
}

void prov_hss_kick(struct prov_hss *hss)
{
	struct pick pick = { .after = hss->iccid };
	int ret;

	if (hss->call || hss->stopped)
		return;
	ret = store_prov_update_list(hss->daemon->store, pick_usim_done,
				     &pick);
	if (ret >= 0 && !pick.first[0])
		return;	/* nothing to send: no round until a kick */
	if (ret >= 0) {
		strcpy(hss->iccid, pick.next[0] ? pick.next : pick.first);
		ret = send_record(hss);
	}
	if (ret < 0)
		failed(hss, PROV_HSS_LOCAL, 0, NULL, store_strerror(ret));
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	prov_hss_kick(arg);
}

int prov_hss_new(struct prov_hss **out, struct daemon *daemon,
		 const struct config_prov *conf)
{
	struct prov_hss *hss = calloc(1, sizeof(*hss));
	int ret = -ENOMEM;

	*out = NULL;
	if (!hss)
		return ret;
	hss->daemon = daemon;
	hss->conf = conf;
	hss->timer = evtimer_new(daemon->base, tick, hss);
	if (hss->timer)
		ret = https_client_new(&hss->client, daemon->base, daemon->tls,
				       &conf->hss_url, 0);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "start-failed", "HSS client: %s",
			strerror(-ret));
		prov_hss_free(hss);
		return ret;
	}
	https_client_resolve_with(hss->client, daemon->dns);
	*out = hss;
	/* What a killed e2md left usim-done goes first. */
	prov_hss_kick(hss);
	return 0;
}

void prov_hss_reload(struct prov_hss *hss, const struct config_prov *conf)
{
	hss->conf = conf;
	https_client_set_url(hss->client, &conf->hss_url);
	/* An operator who mended the HSS or hss-url need not wait. */
	prov_hss_kick(hss);
}

void prov_hss_stop(struct prov_hss *hss)
{
	hss->stopped = true;
	event_del(hss->timer);
}

bool prov_hss_busy(const struct prov_hss *hss)
{
	return hss->call != NULL;
}

int prov_hss_status(const struct prov_hss *hss, json_t *counters)
{
	const struct prov_hss_counts *c = &hss->counts;

	if (json_object_set_new(counters, "hss-switched",
				json_integer((json_int_t)c->switched)) ||
	    json_object_set_new(counters, "hss-failed",
				json_integer((json_int_t)c->failed)) ||
	    json_object_set_new(counters, "hss-retries",
				json_integer((json_int_t)c->retries)))
		return -ENOMEM;
	return 0;
}

const struct prov_hss_counts *prov_hss_counts(const struct prov_hss *hss)
{
	return &hss->counts;
}

unsigned int prov_hss_retry_delay(const struct prov_hss *hss)
{
	return hss->backoff.delay;
}

void prov_hss_free(struct prov_hss *hss)
{
	if (!hss)
		return;
	https_client_free(hss->client);	/* cancels a call in flight */
	if (hss->timer)
		event_free(hss->timer);
	free(hss);
}
