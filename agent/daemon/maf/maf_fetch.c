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
#include "crypto/fc.h"
#include "crypto/onem2m.h"
#include "daemon/log.h"
#include "maf_fetch.h"
#include "maf_handoff.h"
#include "proto/gba/zn_msg.h"
#include "proto/onem2m/km_msg.h"
#include "util/utc.h"

#define ROLE	"maf"

struct fetch {
	struct maf *maf;
	struct https_call *call;
	struct fetch *next;		/* the MAF's fetches in flight */
	struct onem2m_km_request req;	/* ke_id: the B-TID over Zn */
	bool gba;			/* from the BSF over Zn */
	bool kpsa;			/* from the MEF: Kpsa (as: enrolee-b) */
	bool uicc;			/* with gba: Km = Ks_int_NAF */
	/* km-fetch with "wait": the admin answer, given when it ends. */
	struct admin_deferred *asker;
	json_t *outcome;		/* that answer, once known */
};

/* The answer km-fetch waits for; the first outcome stays. */
static void set_outcome(struct fetch *f, json_t *answer)
{
	if (f->outcome)
		json_decref(answer);
	else
		f->outcome = answer;
}

/* The fetch's end: its asker answered, then it is freed. */
static void fetch_free(struct fetch *f, const char *unanswered)
{
	if (f->asker)
		admin_deferred_answer(f->asker, f->outcome ? f->outcome :
					       admin_error("%s", unanswered));
	else
		json_decref(f->outcome);
	free(f);
}

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
		fetch_free(f, "the maf role stopped before the answer");
	}
}

/* Who answered: "the MEF" or "the BSF". */
static const char *source_name(const struct fetch *f)
{
	return f->gba ? "the BSF" : "the MEF";
}

static void failed(struct fetch *f, int status, const char *token,
		   const char *why)
{
	struct log_line line;

	f->maf->counters.fetch_failed++;
	if (log_begin(&line, LOG_LEVEL_WARNING, ROLE, "km-fetch-failed")) {
		log_str(&line, f->gba ? "btid" : "ke-id", f->req.ke_id);
		log_str(&line, "enrolee-id", f->req.enrolee_id);
		if (status)
			log_int(&line, "status", status);
		if (token)
			log_str(&line, "error", token);
		if (why && *why)
			log_str(&line, "detail", why);
		log_end(&line);
	}
	if (!f->asker)
		return;
	if (!why || !*why)
		why = "no reason given";
	if (status && token)	/* a refusal: its status, token and detail */
		set_outcome(f, admin_error("%s answered %d %s: %s",
					   source_name(f), status, token, why));
	else if (status == 200)	/* an answer the MAF does not take */
		set_outcome(f, admin_error("%s's key refused: %s",
					   source_name(f), why));
	else if (status)
		set_outcome(f, admin_error("%s answered %d: %s", source_name(f),
					   status, why));
	else			/* no answer, or not kept here */
		set_outcome(f, admin_error("%s", why));
}

int maf_km_store(struct maf *maf, struct store_onem2m_km *km, int64_t now,
		 const char **why)
{
	char gone[sizeof(km->pub.km_id)] = "";
	int ret;

	*why = "Km-Id not derived";
	ret = maf_key_id(maf, km->pub.km_id, sizeof(km->pub.km_id), km->km);
	if (!ret && km->pub.expires <= now) {
		*why = "the Km has expired";
		ret = -ETIME;
	} else if (!ret) {
		maf_handoff_replaced(maf, &km->pub, gone, sizeof(gone));
		ret = maf_kms_put(maf->daemon->store, km, now);
		*why = ret == -ENOSPC ? "no free Km slot" :
		       store_strerror(ret);
		if (ret && ret != -ENOSPC)
			log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
				"Km: %s", *why);
	}
	/* Kept: the application's copy follows the row. */
	if (!ret && *gone)
		maf_handoff_take(maf, gone);
	if (!ret)
		maf_handoff_give(maf, km, now);
	return ret;
}

/* km-fetch's answer with "wait": the key's id, never the key. */
static json_t *fetched_answer(const struct maf *maf,
			      const struct store_onem2m_km_info *info)
{
	char expires[UTC_TEXT_LEN + 1];

	if (utc_format(expires, info->expires))
		snprintf(expires, sizeof(expires), "%lld",
			 (long long)info->expires);
	return json_pack("{s:b, s:s, s:s, s:s, s:s}", "ok", 1,
			 maf_key_id_name(maf), info->km_id, "ke-id",
			 info->ke_id, "enrolee-id", info->enrolee_id,
			 "expires", expires);
}

static void keep(struct fetch *f, const struct onem2m_km_response *resp)
{
	struct maf *maf = f->maf;
	int64_t now = (int64_t)time(NULL);
	struct store_onem2m_km km;
	struct log_line line;
	const char *why;

	memset(&km, 0, sizeof(km));
	memcpy(km.km, resp->km, sizeof(km.km));
	km.pub.created = now;
	km.pub.expires = resp->expires;
	snprintf(km.pub.ke_id, sizeof(km.pub.ke_id), "%s", f->req.ke_id);
	snprintf(km.pub.enrolee_id, sizeof(km.pub.enrolee_id), "%s",
		 f->req.enrolee_id);
	if (maf_km_store(maf, &km, now, &why)) {
		failed(f, 0, NULL, why);
	} else {
		maf->counters.fetched++;
		if (f->asker)
			set_outcome(f, fetched_answer(maf, &km.pub));
		if (log_begin(&line, LOG_LEVEL_INFO, ROLE, "km-fetched")) {
			log_str(&line, maf_key_id_name(maf), km.pub.km_id);
			log_str(&line, f->gba ? "btid" : "ke-id", km.pub.ke_id);
			log_str(&line, "enrolee-id", km.pub.enrolee_id);
			if (f->uicc)
				log_str(&line, "naf-key", "ks-int-naf");
			log_end(&line);
		}
	}
	store_onem2m_km_wipe(&km);
}

/* A 200, or false with the failure said: no answer, or a refusal. */
static bool answered(struct fetch *f, const struct https_response *r)
{
	struct ub_error err;
	char why[160] = "";

	if (r->error)
		failed(f, 0, NULL, r->why);
	else if (r->status == 200)
		return true;
	else if (ub_error_parse(r->body, r->body_len, &err, why, sizeof(why)))
		failed(f, r->status, NULL, "no error body");
	else
		failed(f, r->status, err.error, err.detail);
	return false;
}

/* The MEF's 200: Km (or Kpsa) and its expiry kept. */
static void take_km(struct fetch *f, const struct https_response *r)
{
	struct onem2m_km_response resp;
	char why[160] = "";
	int ret = f->kpsa ?
		onem2m_kpsa_response_parse(r->body, r->body_len, &resp, why,
					   sizeof(why)) :
		onem2m_km_response_parse(r->body, r->body_len, &resp, why,
					 sizeof(why));

	if (ret) {
		failed(f, r->status, NULL, why);
		return;
	}
	keep(f, &resp);
	OPENSSL_cleanse(&resp, sizeof(resp));
}

static void got_km(const struct https_response *r, void *arg)
{
	struct fetch *f = arg;

	if (answered(f, r))
		take_km(f, r);
	unlink_fetch(f);
	fetch_free(f, "the fetch ended without an outcome");
}

/*
 * The BSF's Zn answer: Km is Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U: the
 * Enrolee's TLS client is in the ME), or with uicc Ks_int_NAF (GBA_U,
 * the client in the UICC; TS-0003 8.3.3.1), its life the bootstrap's;
 * only when the USS entry it carries authorises the association (the
 * seed: the MAF receives the USS). A refusal (GUSS without this MAF: 403
 * naf-not-authorised; 404 unknown-btid, expired-btid) keeps nothing.
 */
static void take_zn(struct fetch *f, const struct https_response *r,
		    struct zn_key_response *zn)
{
	struct onem2m_km_response resp;
	char why[160] = "";

	if (zn_key_response_parse(r->body, r->body_len, zn, why,
				  sizeof(why))) {
		failed(f, r->status, NULL, why);
	} else if (strcmp(zn->btid, f->req.ke_id)) {
		failed(f, r->status, NULL, "the answer is for another B-TID");
	} else if (!zn->uss[0] ||
		   !store_uss_entry_has_flag(zn->uss,
					     MAF_USS_FLAG_ASSOCIATION)) {
		failed(f, r->status, NULL,
		       "the USS entry lacks flag 1 (association)");
	} else if (f->uicc && !zn->gba_u) {
		failed(f, r->status, NULL,
		       "a GBA_ME bootstrap has no Ks_int_NAF (uicc)");
	} else {
		memcpy(resp.km, f->uicc ? zn->ks_int_naf : zn->ks_ext_naf,
		       sizeof(resp.km));
		resp.expires = zn->expires;
		keep(f, &resp);
		OPENSSL_cleanse(&resp, sizeof(resp));
	}
}

static void got_zn(const struct https_response *r, void *arg)
{
	struct fetch *f = arg;
	struct zn_key_response *zn = calloc(1, sizeof(*zn));

	if (!zn)
		failed(f, 0, NULL, "out of memory");
	else if (answered(f, r))
		take_zn(f, r, zn);
	if (zn) {
		zn_key_response_wipe(zn);
		free(zn);
	}
	unlink_fetch(f);
	fetch_free(f, "the fetch ended without an outcome");
}

/*
 * The Zn request of the B-TID for the MAF's NAF_Id, in *text; with uicc
 * asking for the GBA_U keys (Ks_int_NAF).
 */
static int zn_request(const struct maf *maf, const char *btid, bool uicc,
		      char **text)
{
	static const uint8_t ua_id[GBA_UA_ID_LEN] = UA_ID_ONEM2M;
	struct zn_key_request req;
	char why[160];
	int len;

	memset(&req, 0, sizeof(req));
	len = gba_naf_id(req.naf_id, sizeof(req.naf_id), maf->conf->name,
			 ua_id);
	if (len < 0)
		return len;
	req.naf_id_len = (size_t)len;
	snprintf(req.btid, sizeof(req.btid), "%s", btid);
	req.gba_u = uicc;
	return zn_key_request_build(&req, text, why, sizeof(why)) ? -EINVAL :
								    0;
}

/*
 * One fetch: from the MEF (ke_id a KeId) or over Zn (ke_id a B-TID);
 * asker, if any, answered when it ends (and left to the caller if it
 * does not start).
 */
static int start_fetch(struct maf *maf, const char *ke_id,
		       const char *enrolee_id, bool gba, bool uicc,
		       struct admin_deferred *asker)
{
	struct fetch *f = calloc(1, sizeof(*f));
	char why[160], *text = NULL;
	int ret;

	if (!f)
		return -ENOMEM;
	f->maf = maf;
	f->gba = gba;
	f->uicc = uicc;
	/* The path asked decides the parser of the answer. */
	f->kpsa = !gba && maf->conf->as == MAF_AS_ENROLEE_B;
	snprintf(f->req.ke_id, sizeof(f->req.ke_id), "%s", ke_id);
	snprintf(f->req.enrolee_id, sizeof(f->req.enrolee_id), "%s",
		 enrolee_id);
	ret = gba ? zn_request(maf, ke_id, uicc, &text) :
		    onem2m_km_request_build(&f->req, &text, why, sizeof(why));
	if (ret) {
		free(f);
		return -EINVAL;
	}
	if (gba)
		f->call = https_post(maf->zn, ZN_PATH_NAF_KEY,
				     UB_JSON_CONTENT_TYPE, text, strlen(text),
				     got_zn, f);
	else
		f->call = https_post(maf->mef, f->kpsa ? ONEM2M_KPSA_PATH :
						     ONEM2M_KM_PATH,
				     UB_JSON_CONTENT_TYPE, text, strlen(text),
				     got_km, f);
	ub_json_text_free(text);
	if (!f->call) {
		free(f);
		return -ENOMEM;
	}
	f->asker = asker;
	f->next = maf->fetches;
	maf->fetches = f;
	return 0;
}

int maf_fetch(struct maf *maf, const char *ke_id, const char *enrolee_id)
{
	return start_fetch(maf, ke_id, enrolee_id, false, false, NULL);
}

int maf_fetch_gba(struct maf *maf, const char *btid, const char *enrolee_id,
		  bool uicc)
{
	return start_fetch(maf, btid, enrolee_id, true, uicc, NULL);
}

/* ---- admin ------------------------------------------------------------ */

/*
 * Starts a fetch of id (a KeId from the MEF, or over Zn a B-TID) once the
 * ids pass the checks the MEF's request makes, so that a bad id is the
 * caller's error, not a failed fetch in the log.
 */
static json_t *start_checked(struct maf *maf, const char *id,
			     const char *enrolee_id, bool gba, bool uicc,
			     bool wait)
{
	struct onem2m_km_request req;
	struct admin_deferred *asker = NULL;
	char why[160], *text = NULL;

	if (strlen(id) >= sizeof(req.ke_id) ||
	    strlen(enrolee_id) >= sizeof(req.enrolee_id))
		return admin_error("\"%s\" or \"enrolee-id\" is too long",
				   gba ? "btid" : "ke-id");
	memset(&req, 0, sizeof(req));
	strcpy(req.ke_id, id);
	strcpy(req.enrolee_id, enrolee_id);
	if (onem2m_km_request_build(&req, &text, why, sizeof(why)))
		return admin_error("%s", why);
	ub_json_text_free(text);
	if (wait && !(asker = admin_defer()))
		return NULL;
	if (start_fetch(maf, id, enrolee_id, gba, uicc, asker)) {
		admin_deferred_drop(asker);
		return admin_error("out of memory");
	}
	/* With wait, the answer is the fetch's outcome (fetch_free()). */
	return asker ? NULL : admin_ok();
}

static json_t *km_fetch(struct daemon *d, json_t *request)
{
	struct maf *maf = maf_running(d);
	const char *ke_id = NULL, *btid = NULL, *enrolee_id;
	json_t *uicc = json_object_get(request, "uicc");
	json_t *wait = json_object_get(request, "wait");
	char why[160];
	int ret;

	if (!maf)
		return admin_error("the maf role is not running");
	if (wait && !json_is_boolean(wait))
		return admin_error("\"wait\" must be true or false");
	ret = admin_string_member(request, "ke-id", false, &ke_id, why,
				  sizeof(why));
	if (!ret)
		ret = admin_string_member(request, "btid", false, &btid, why,
					  sizeof(why));
	if (!ret)
		ret = admin_string_member(request, "enrolee-id", true,
					  &enrolee_id, why, sizeof(why));
	if (ret)
		return admin_error("%s", why);
	if (!ke_id == !btid)
		return admin_error("either \"ke-id\" or \"btid\" is needed");
	if (uicc && !json_is_boolean(uicc))
		return admin_error("\"uicc\" must be true or false");
	if (json_is_true(uicc) && !btid)
		return admin_error("\"uicc\" is for \"btid\" (GBA_U)");
	if (btid) {	/* over Zn: the GBA-based framework */
		if (!maf->zn)
			return admin_error("roles.maf has no zn-url: no B-TID can be asked for");
		if (!store_btid_valid(btid))
			return admin_error("\"btid\" is not a B-TID");
		return start_checked(maf, btid, enrolee_id, true,
				     json_is_true(uicc), json_is_true(wait));
	}
	if (!maf->mef)
		return admin_error("roles.maf has no mef-url: no KeId can be asked for");
	return start_checked(maf, ke_id, enrolee_id, false, false,
			     json_is_true(wait));
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

/*
 * km-remove: the row of a Km-Id goes before its time (the operator's
 * decision: an Enrolee withdrawn, a key suspected), and with it the
 * application's copy (handoff).
 */
static json_t *km_remove(struct daemon *d, json_t *request)
{
	struct maf *maf = maf_running(d);
	const char *km_id;
	struct log_line line;
	char why[160];
	int ret;

	if (!maf)
		return admin_error("the maf role is not running");
	if (admin_string_member(request, "km-id", true, &km_id, why,
				sizeof(why)))
		return admin_error("%s", why);
	if (!onem2m_key_id_valid(km_id))
		return admin_error("\"km-id\" is not base64 of 16 octets \"@\" an FQDN");
	ret = store_onem2m_km_remove(d->store, km_id);
	if (ret == -ENOENT)
		return admin_error("no Km of that Km-Id");
	if (ret)
		return admin_error("store: %s", store_strerror(ret));
	maf_handoff_take(maf, km_id);
	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, "km-removed")) {
		log_str(&line, maf_key_id_name(maf), km_id);
		log_end(&line);
	}
	return admin_ok();
}

static const char *const fetch_members[] = { "ke-id", "btid", "enrolee-id",
					     "uicc", "wait", NULL };
static const char *const no_members[] = { NULL };
static const char *const remove_members[] = { "km-id", NULL };

const struct role_admin_command maf_admin_commands[] = {
	{ "km-fetch", km_fetch, fetch_members, false },
	{ "km-list", km_list, no_members, false },
	{ "km-remove", km_remove, remove_members, false },
	{ NULL, NULL, NULL, false },
};
