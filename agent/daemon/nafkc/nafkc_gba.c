// SPDX-License-Identifier: GPL-2.0
/*
 * The NAF Key Centre's side of the GBA listener, see nafkc_gba.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nafkc_gba.h"
#include "nafkc_request.h"
#include "nafkc_zn_cache.h"
#include "role_nafkc.h"

#define ROLE	"nafkc"

/* A request in the Key Centre's hands: its origin, freed at the answer. */
struct gba_origin {
	struct nafkc_origin origin;
	struct gba_listener_conn *conn;
};

static const char *name(void *arg)
{
	const struct nafkc *nafkc = arg;

	return nafkc->conf->name;
}

static int kept(void *arg, const char *btid, const uint8_t *naf_id,
		size_t naf_id_len, bool uicc, struct zn_key_response *zn)
{
	struct nafkc *nafkc = arg;

	if (!nafkc->zn_cache)
		return -ENOENT;
	return nafkc_zn_cache_get(nafkc->zn_cache, btid, naf_id, naf_id_len,
				  uicc, (int64_t)time(NULL), zn);
}

static void pulled(void *arg, const uint8_t *naf_id, size_t naf_id_len,
		   const struct zn_key_response *zn)
{
	struct nafkc *nafkc = arg;

	nafkc_zn_cache_put(nafkc->zn_cache, naf_id, naf_id_len, zn,
			   (int64_t)time(NULL));
}

/* The Key Centre asks nothing more of a live answer: Ks_(ext)_NAF. */
static const char *judge(void *arg, bool uicc,
			 const struct zn_key_response *zn, const uint8_t **key)
{
	(void)arg;
	(void)uicc;
	*key = zn->ks_ext_naf;
	return NULL;
}

static void answer(struct nafkc_origin *origin, int status, const char *body,
		   size_t len)
{
	struct gba_origin *o = (struct gba_origin *)origin;

	gba_listener_answer(o->conn, status, body, len);
	free(o);
}

static void handle(void *arg, struct gba_listener_conn *conn,
		   const struct http_request *req, const char *body)
{
	struct gba_origin *o = calloc(1, sizeof(*o));

	if (!o) {
		gba_listener_answer(conn, 500, NULL, 0);
		return;
	}
	o->conn = conn;
	o->origin.answer = answer;
	o->origin.peer = gba_listener_peer(conn);
	o->origin.gba_btid = gba_listener_btid(conn);
	nafkc_ks_local_handle(arg, &o->origin,
			      http_request_type_is(req, UB_JSON_CONTENT_TYPE),
			      body, req->body_len);
}

int nafkc_gba_new(struct gba_listener **gba, struct nafkc *nafkc, char *why,
		  size_t why_size)
{
	const struct gba_listener_conf conf = {
		.role = ROLE,
		.refused_event = "ks-local-refused",
		.listen = &nafkc->conf->gba_listen,
		.daemon = nafkc->daemon,
		.path = KS_LOCAL_PATH,
		.method = "POST",
		.zn_key = {
			.zn = nafkc->zn,
			.max_pulls = NAFKC_ZN_CALLS_MAX,
			.pulls = &nafkc->counters.gba_key_pulls,
			.zn_failures = &nafkc->counters.zn_failures,
			.arg = nafkc,
			.name = name,
			.kept = kept,
			.pulled = pulled,
			.judge = judge,
		},
		.handshakes = &nafkc->counters.gba_handshakes,
		.arg = nafkc,
		.handle = handle,
	};

	return gba_listener_new(gba, &conf, why, why_size);
}
