// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's side of the GBA listener: the Km its handshake pulled, kept
 * once proved, see maf_gba.h.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "crypto/fc.h"
#include "daemon/log.h"
#include "maf_fetch.h"
#include "maf_gba.h"
#include "net/http_server.h"
#include "proto/gba/ub_json.h"
#include "role_maf.h"

#define ROLE	"maf"

const uint8_t maf_gba_ua_id[GBA_UA_ID_LEN] = UA_ID_ONEM2M;

const char *maf_gba_name(void *arg)
{
	const struct maf *maf = arg;

	return maf->conf->name;
}

/* The seed's Km of a live answer: Ks_int_NAF for a -uicc client. */
static const uint8_t *km_of(bool uicc, const struct zn_key_response *zn)
{
	return uicc ? zn->ks_int_naf : zn->ks_ext_naf;
}

const char *maf_gba_judge(void *arg, bool uicc,
			 const struct zn_key_response *zn, const uint8_t **key)
{
	(void)arg;
	if (!zn->uss[0] ||
	    !store_uss_entry_has_flag(zn->uss, MAF_USS_FLAG_ASSOCIATION))
		return "the USS entry lacks flag 1 (association)";
	*key = km_of(uicc, zn);
	return NULL;
}

int maf_gba_keep(struct maf *maf, bool uicc, const struct zn_key_response *zn)
{
	int64_t now = (int64_t)time(NULL);
	struct store_onem2m_km km;
	struct log_line line;
	const char *why;
	int ret;

	memset(&km, 0, sizeof(km));
	memcpy(km.km, km_of(uicc, zn), sizeof(km.km));
	km.pub.created = now;
	km.pub.expires = zn->expires;
	snprintf(km.pub.ke_id, sizeof(km.pub.ke_id), "%s", zn->btid);
	snprintf(km.pub.enrolee_id, sizeof(km.pub.enrolee_id), "%s",
		 zn->impi);
	ret = maf_km_store(maf, &km, now, &why);
	if (ret) {
		maf->counters.fetch_failed++;
		log_msg(LOG_LEVEL_WARNING, ROLE, "km-fetch-failed",
			"btid=\"%s\" via=handshake detail=\"%s\"", zn->btid,
			why);
	} else {
		maf->counters.fetched++;
		if (log_begin(&line, LOG_LEVEL_INFO, ROLE, "km-fetched")) {
			log_str(&line, maf_key_id_name(maf), km.pub.km_id);
			log_str(&line, "btid", km.pub.ke_id);
			log_str(&line, "enrolee-id", km.pub.enrolee_id);
			if (uicc)
				log_str(&line, "naf-key", "ks-int-naf");
			log_str(&line, "via", "handshake");
			log_end(&line);
		}
	}
	store_onem2m_km_wipe(&km);
	return ret;
}

int maf_gba_answer(struct maf *maf, bool uicc,
		   const struct zn_key_response *zn, char **text)
{
	char id[STORE_ONEM2M_KE_ID_MAX + 1];

	/* The Km-Id it was kept under. */
	if (!zn || maf_key_id(maf, id, sizeof(id), km_of(uicc, zn)))
		return 500;
	return maf_association_answer(maf, id, text);
}

/* The handshake proved Km: sealed, as km-fetch keeps it. */
static int established(void *arg, struct gba_listener_conn *conn)
{
	return maf_gba_keep(arg, gba_listener_uicc(conn),
			    gba_listener_zn(conn));
}

/* GET /onem2m/v1/association: the Km the handshake ran on, as stored. */
static void handle(void *arg, struct gba_listener_conn *conn,
		   const struct http_request *req, const char *body)
{
	struct maf *maf = arg;
	char *text = NULL;
	int status;

	(void)req;
	(void)body;
	status = maf_gba_answer(maf, gba_listener_uicc(conn),
				gba_listener_zn(conn), &text);
	if (status == 200)
		gba_listener_answer(conn, 200, text, strlen(text));
	else
		gba_listener_refuse(conn, status, status == 403 ?
				    MAF_ERR_KM_GONE : UB_ERR_INTERNAL, NULL);
	ub_json_text_free(text);
}

struct gba_zn_key_conf maf_gba_zn_key(struct maf *maf)
{
	return (struct gba_zn_key_conf){
		.zn = maf->zn,
		.ua_id = maf_gba_ua_id,
		.max_pulls = MAF_GBA_PULLS_MAX,
		.pulls = &maf->counters.gba_pulls,
		.arg = maf,
		.name = maf_gba_name,
		.judge = maf_gba_judge,
	};
}

int maf_gba_new(struct gba_listener **gba, struct maf *maf, char *why,
		size_t why_size)
{
	const struct gba_listener_conf conf = {
		.role = ROLE,
		.refused_event = "association-refused",
		.listen = &maf->conf->gba_listen,
		.daemon = maf->daemon,
		.path = ONEM2M_ASSOCIATION_PATH,
		.method = "GET",
		.tls12_only_suites = MAF_TLS12_SUITES,
		.zn_key = maf_gba_zn_key(maf),
		.handshakes = &maf->counters.gba_handshakes,
		.arg = maf,
		.established = established,
		.handle = handle,
	};

	return gba_listener_new(gba, &conf, why, why_size);
}
