// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's Km fetch and its admin commands, see maf_fetch.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "daemon/admin.h"
#include "daemon/admin_cmd.h"
#include "crypto/onem2m.h"
#include "daemon/log.h"
#include "maf_fetch.h"
#include "proto/onem2m/km_msg.h"
#include "util/utc.h"

#define ROLE	"maf"

struct fetch {
	struct maf *maf;
	struct https_call *call;
	struct fetch *next;		/* the MAF's fetches in flight */
	struct onem2m_km_request req;
};

static void unlink_fetch(struct fetch *f)
{
	struct fetch **p;

	for (p = &f->maf->fetches; *p; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			return;
		}
	}
}

void maf_fetch_cancel_all(struct maf *maf)
{
	struct fetch *f;

	while ((f = maf->fetches)) {
		maf->fetches = f->next;
		https_call_cancel(f->call);
		free(f);
	}
}

static void failed(struct fetch *f, int status, const char *token,
		   const char *why)
{
	struct log_line line;

	f->maf->counters.fetch_failed++;
	if (log_begin(&line, LOG_LEVEL_WARNING, ROLE, "km-fetch-failed")) {
		log_str(&line, "ke-id", f->req.ke_id);
		log_str(&line, "enrolee-id", f->req.enrolee_id);
		if (status)
			log_int(&line, "status", status);
		if (token)
			log_str(&line, "error", token);
		if (why && *why)
			log_str(&line, "detail", why);
		log_end(&line);
	}
}

static void keep(struct fetch *f, const struct onem2m_km_response *resp)
{
	struct maf *maf = f->maf;
	int64_t now = (int64_t)time(NULL);
	struct store_onem2m_km km;
	struct log_line line;
	const char *why = "Km-Id not derived";
	int ret;

	memset(&km, 0, sizeof(km));
	memcpy(km.km, resp->km, sizeof(km.km));
	km.pub.created = now;
	km.pub.expires = resp->expires;
	snprintf(km.pub.ke_id, sizeof(km.pub.ke_id), "%s", f->req.ke_id);
	snprintf(km.pub.enrolee_id, sizeof(km.pub.enrolee_id), "%s",
		 f->req.enrolee_id);
	ret = onem2m_km_id(km.pub.km_id, sizeof(km.pub.km_id), km.km,
			   maf->conf->name);
	if (!ret && km.pub.expires <= now) {
		why = "the Km has expired";
		ret = -ETIME;
	} else if (!ret) {
		ret = maf_kms_put(maf->daemon->store, &km, now);
		why = ret == -ENOSPC ? "no free Km slot" :
		      store_strerror(ret);
		if (ret && ret != -ENOSPC)
			log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
				"Km: %s", why);
	}
	if (ret) {
		failed(f, 0, NULL, why);
	} else {
		maf->counters.fetched++;
		if (log_begin(&line, LOG_LEVEL_INFO, ROLE, "km-fetched")) {
			log_str(&line, "km-id", km.pub.km_id);
			log_str(&line, "ke-id", km.pub.ke_id);
			log_str(&line, "enrolee-id", km.pub.enrolee_id);
			log_end(&line);
		}
	}
	store_onem2m_km_wipe(&km);
}

static void got_km(const struct https_response *r, void *arg)
{
	struct fetch *f = arg;
	struct onem2m_km_response resp;
	struct ub_error err;
	char why[160] = "";

	if (r->error) {
		failed(f, 0, NULL, r->why);
	} else if (r->status != 200) {
		if (ub_error_parse(r->body, r->body_len, &err, why,
				   sizeof(why)))
			failed(f, r->status, NULL, "no error body");
		else
			failed(f, r->status, err.error, err.detail);
	} else if (onem2m_km_response_parse(r->body, r->body_len, &resp, why,
					    sizeof(why))) {
		failed(f, r->status, NULL, why);
	} else {
		keep(f, &resp);
		OPENSSL_cleanse(&resp, sizeof(resp));
	}
	unlink_fetch(f);
	free(f);
}

int maf_fetch(struct maf *maf, const char *ke_id, const char *enrolee_id)
{
	struct fetch *f = calloc(1, sizeof(*f));
	char why[160], *text = NULL;

	if (!f)
		return -ENOMEM;
	f->maf = maf;
	snprintf(f->req.ke_id, sizeof(f->req.ke_id), "%s", ke_id);
	snprintf(f->req.enrolee_id, sizeof(f->req.enrolee_id), "%s",
		 enrolee_id);
	if (onem2m_km_request_build(&f->req, &text, why, sizeof(why))) {
		free(f);
		return -EINVAL;
	}
	f->call = https_post(maf->mef, ONEM2M_KM_PATH, UB_JSON_CONTENT_TYPE,
			     text, strlen(text), got_km, f);
	ub_json_text_free(text);
	if (!f->call) {
		free(f);
		return -ENOMEM;
	}
	f->next = maf->fetches;
	maf->fetches = f;
	return 0;
}

/* ---- admin ------------------------------------------------------------ */

static json_t *km_fetch(struct daemon *d, json_t *request)
{
	struct maf *maf = maf_running(d);
	struct onem2m_km_request req;
	const char *ke_id, *enrolee_id;
	char why[160], *text = NULL;
	int ret;

	if (!maf)
		return admin_error("the maf role is not running");
	ret = admin_string_member(request, "ke-id", true, &ke_id, why,
				  sizeof(why));
	if (!ret)
		ret = admin_string_member(request, "enrolee-id", true,
					  &enrolee_id, why, sizeof(why));
	if (ret)
		return admin_error("%s", why);
	/* Checked here, so that a bad id is the caller's error. */
	if (strlen(ke_id) >= sizeof(req.ke_id) ||
	    strlen(enrolee_id) >= sizeof(req.enrolee_id))
		return admin_error("\"ke-id\" or \"enrolee-id\" is too long");
	memset(&req, 0, sizeof(req));
	strcpy(req.ke_id, ke_id);
	strcpy(req.enrolee_id, enrolee_id);
	if (onem2m_km_request_build(&req, &text, why, sizeof(why)))
		return admin_error("%s", why);
	ub_json_text_free(text);
	if (maf_fetch(maf, ke_id, enrolee_id))
		return admin_error("out of memory");
	return admin_ok();
}

static json_t *time_json(int64_t t)
{
	char text[UTC_TEXT_LEN + 1];

	if (utc_format(text, t))
		return json_integer((json_int_t)t);
	return json_string(text);
}

struct km_list {
	json_t *list;
	int64_t now;
};

static int list_one(const struct store_onem2m_km_info *info, void *arg)
{
	struct km_list *l = arg;

	if (info->expires <= l->now)
		return 0;
	if (json_array_append_new(l->list, json_pack(
		"{s:s, s:s, s:s, s:o}", "km-id", info->km_id,
		"ke-id", info->ke_id, "enrolee-id", info->enrolee_id,
		"expires", time_json(info->expires))))
		return -ENOMEM;
	return 0;
}

static json_t *km_list(struct daemon *d, json_t *request)
{
	struct maf *maf = maf_running(d);
	struct km_list l = { json_array(), (int64_t)time(NULL) };
	int ret;

	(void)request;
	if (!maf) {
		json_decref(l.list);
		return admin_error("the maf role is not running");
	}
	if (!l.list)
		return NULL;
	ret = store_onem2m_km_list(d->store, list_one, &l);
	if (ret) {
		json_decref(l.list);
		return ret == -ENOMEM ? NULL :
		       admin_error("store: %s", store_strerror(ret));
	}
	return admin_ok_with("kms", l.list);
}

static const char *const fetch_members[] = { "ke-id", "enrolee-id", NULL };
static const char *const no_members[] = { NULL };

const struct role_admin_command maf_admin_commands[] = {
	{ "km-fetch", km_fetch, fetch_members, false },
	{ "km-list", km_list, no_members, false },
	{ NULL, NULL, NULL, false },
};
