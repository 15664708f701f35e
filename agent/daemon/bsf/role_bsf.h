/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF role (TS 33.220): GBA bootstrapping of UEs over Ub, the keys of
 * those bootstraps for NAFs over Zn, authentication vectors from the HSS
 * over Zh. Three parts on the daemon's loop:
 *
 *	Ub  (bsf_ub.h)	plain HTTP on bsf.ub-listen: HTTP Digest AKA
 *			(RFC 3310, TS 24.109), GET /
 *	Zn  (bsf_zn.h)	HTTPS with mutual TLS on bsf.zn-listen: POST
 *			/zn/v1/naf-key (e2m profile, proto/gba/zn_msg.h)
 *	Zh  (client)	HTTPS with mutual TLS to bsf.hss-url: POST
 *			/zh/v1/av (e2m profile, proto/gba/zh_msg.h), one call per
 *			challenge, while the UE's request waits; or, with
 *			bsf.hlr, GSUP SendAuthInfo to an HLR instead
 *			(vector_source.h)
 *
 * A bootstrap is a session in the store (store.h): B-TID =
 * base64(RAND)@bsf.name, Ks = CK || IK sealed, the expiry (now +
 * key-lifetime), whether the UICC is GBA_U, and the subscriber's USS
 * from the HSS. Sessions are kept an hour past their expiry (so Zn can
 * say expired-btid rather than unknown-btid), then purged.
 *
 * Every request is logged (event=challenge, bootstrap, resync, naf-key,
 * ub-refused, zn-refused, zh-failed) with the identities involved, never
 * a key, RES or XRES.
 *
 * This header is also what the parts share: the role's state and its
 * helpers (role_bsf.c).
 */
#ifndef E2MD_ROLE_BSF_H
#define E2MD_ROLE_BSF_H

#include <stdint.h>

#include "bsf_challenges.h"
#include "bsf_config.h"
#include "bsf_limits.h"
#include "daemon/daemon.h"
#include "net/http_server.h"
#include "daemon/roles.h"
#include "vector_source.h"

/* Sessions are purged this long after their expiry. */
#define BSF_SESSION_GRACE	3600	/* seconds */
#define BSF_TIMER_SECONDS	5	/* expires challenges */
#define BSF_PURGE_SECONDS	300	/* purges sessions */
/*
 * Zh (or GSUP) calls give up before the UE's request
 * (HTTP_TIMEOUT_DEFAULT) does.
 */
#define BSF_ZH_TIMEOUT		5	/* seconds */
/* Zh calls in flight at most; more UEs at once get 503 busy. */
#define BSF_ZH_CALLS_MAX	256

struct bsf_zh_call;

struct bsf_counters {
	unsigned long long challenges;	/* 401 with a fresh challenge */
	unsigned long long bootstraps;	/* 200, a session stored */
	unsigned long long resyncs;	/* AUTS passed on to the HSS */
	unsigned long long ub_refused;	/* other answers on Ub */
	unsigned long long naf_keys;	/* 200 on Zn */
	unsigned long long zn_refused;
	unsigned long long zh_failures;	/* no usable answer from the HSS */
};

struct bsf {
	struct daemon *daemon;
	const struct config_bsf *conf;	/* re-pointed on reload */
	struct http_server *ub;
	struct http_server *zn;
	struct vector_source *vectors;	/* Zh to the HSS, or GSUP to an HLR */
	struct bsf_challenges *challenges;
	struct bsf_limits *limits;	/* unauthenticated requests on Ub */
	struct bsf_zh_call *calls;	/* Zh calls in flight (bsf_ub.c) */
	size_t n_calls;
	struct event *timer;
	time_t last_purge;
	struct bsf_counters counters;
	uint8_t decoy_amf[AKA_AMF_LEN];	/* the AMF of the last real AUTN */
};

extern const struct role_ops role_bsf;

/* Whether fqdn is one of bsf.nafs (any case). */
bool bsf_naf_listed(const struct bsf *bsf, const char *fqdn);

#endif /* E2MD_ROLE_BSF_H */
