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

#define ROLE	"prov"

struct prov_hss {
	struct daemon *daemon;
	const struct config_prov *conf;
	struct https_client *client;
	struct https_call *call;	/* at most one in flight */
	struct event *timer;
	struct ku_hss_response expect;	/* what the call's answer must say */
	char iccid[STORE_ICCID_MAX + 1];
	unsigned long long switched;	/* records made hss-done */
	unsigned long long failed;	/* calls without a good answer */
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

static void failed(struct prov_hss *hss, int status, const char *error,
		   const char *why)
{
	struct log_line line;

	hss->failed++;
	if (!log_begin(&line, LOG_LEVEL_ERROR, ROLE,
		       status >= 400 && status < 500 ? "hss-refused" :
						       "hss-unreachable"))
		return;
	log_str(&line, "iccid", hss->iccid);
	log_str(&line, "imsi", hss->expect.imsi);
	log_u64(&line, "counter", hss->expect.counter);
	if (status)
		log_int(&line, "status", status);
	if (error)
		log_str(&line, "error", error);
	log_str(&line, "detail", why);
	log_end(&line);
}

static void switched(struct prov_hss *hss, bool now)
{
	int ret = store_prov_update_advance(hss->daemon->store, hss->iccid,
					    hss->expect.counter,
					    STORE_PROV_HSS_DONE);
	struct log_line line;

	if (ret) {
		failed(hss, 0, NULL, store_strerror(ret));
		return;
	}
	hss->switched++;
	if (!log_begin(&line, LOG_LEVEL_INFO, ROLE, "update-done"))
		return;
	log_str(&line, "iccid", hss->iccid);
	log_str(&line, "imsi", hss->expect.imsi);
	log_u64(&line, "counter", hss->expect.counter);
	log_int(&line, "hss-switched", now);
	log_end(&line);
}

static void answered(const struct https_response *r, void *arg)
{
	struct prov_hss *hss = arg;
	struct ku_hss_response got;
	struct ub_error err = { .error = "" };
	char why[UB_ERROR_DETAIL_MAX + 1] = "";

	hss->call = NULL;
	if (r->error) {
		failed(hss, 0, NULL, r->why);
	} else if (r->status != 200) {
		ub_error_parse(r->body, r->body_len, &err, NULL, 0);
		failed(hss, r->status, err.error, err.detail);
	} else if (ku_hss_response_parse(r->body, r->body_len, &got, why,
					 sizeof(why))) {
		failed(hss, 200, NULL, why);
	} else if (strcmp(got.imsi, hss->expect.imsi) ||
		   got.counter != hss->expect.counter ||
		   CRYPTO_memcmp(got.kcv_k, hss->expect.kcv_k, KU_KCV_LEN) ||
		   CRYPTO_memcmp(got.kcv_opc, hss->expect.kcv_opc,
				 KU_KCV_LEN)) {
		failed(hss, 200, NULL, "the answer is not this update's");
	} else {
		switched(hss, got.switched);
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
	int ret = store_prov_update_get(hss->daemon->store, hss->iccid, &u);

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

	if (hss->call)
		return;
	ret = store_prov_update_list(hss->daemon->store, pick_usim_done,
				     &pick);
	if (ret < 0 || !pick.first[0])
		return;
	strcpy(hss->iccid, pick.next[0] ? pick.next : pick.first);
	ret = send_record(hss);
	if (ret)
		failed(hss, 0, NULL, store_strerror(ret));
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
	struct timeval every = { PROV_HSS_RETRY, 0 };
	int ret = -ENOMEM;

	*out = NULL;
	if (!hss)
		return ret;
	hss->daemon = daemon;
	hss->conf = conf;
	hss->timer = event_new(daemon->base, -1, EV_PERSIST, tick, hss);
	if (hss->timer && !event_add(hss->timer, &every))
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
}

bool prov_hss_busy(const struct prov_hss *hss)
{
	return hss->call != NULL;
}

int prov_hss_status(const struct prov_hss *hss, json_t *counters)
{
	if (json_object_set_new(counters, "hss-switched",
				json_integer((json_int_t)hss->switched)) ||
	    json_object_set_new(counters, "hss-failed",
				json_integer((json_int_t)hss->failed)))
		return -ENOMEM;
	return 0;
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
