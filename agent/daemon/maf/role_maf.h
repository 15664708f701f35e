/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The M2M Authentication Function (oneM2M TS-0003 8.3.2.1, Centralized
 * Key Distribution; Documentation/onem2m.md), the e2md role "maf":
 *
 * - km-fetch (admin, maf_fetch.h) asks the MEF (mef-url, mutual TLS) for
 *   the Km of a (KeId, Enrolee-ID), derives Km-Id = base64(first 16
 *   octets of KDF(Km, 0xFF 0xE6, "KmId")) "@" roles.maf.name and keeps
 *   the Km, sealed in the store (maf_kms.h), until it expires with its
 *   Ke; expired ones are purged at start and every MAF_PURGE_SECONDS;
 *   on an Enrolee B (as: enrolee-b) the same with Kpsa (POST
 *   /onem2m/v1/kpsa) and Kpsa-Id;
 * - in the GBA-based framework (TS-0003 8.3.3.1) km-fetch with a B-TID
 *   pulls Km = Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U) of that bootstrap
 *   over Zn (zn-url) for NAF_Id = name || FF 00 00 00 02, and keeps it
 *   as above with KeId = the B-TID, until the bootstrap's key expires;
 * - listen takes the Enrolees' TLS 1.2 PSK handshakes with
 *   psk_identity = Km-Id and psk = Km, the MEF's two suites
 *   (PROFILE.md 6), net/tls_psk.c's callbacks; an unknown Km-Id fails
 *   as a wrong Km does; dtls-listen the same over DTLS 1.2 (maf_dtls.h).
 *   Inside the session:
 *
 *	GET /onem2m/v1/association -> 200 {"km-id": ..., "enrolee-id": ...}
 *
 *   gba-listen (maf_gba.h) takes GBA PSK-TLS handshakes named by a B-TID
 *   whose Km is pulled over Zn during the handshake, and kept;
 *   gba-dtls-listen the same over DTLS 1.2 (maf_gba_dtls.h);
 *
 *   which says which Km the association runs on (e2m profile: the
 *   application protocol over the association is not e2m's);
 * - with handoff, each key kept is also given to an application's uid
 *   through its persistent keyring (maf_handoff.h).
 */
#ifndef E2MD_ROLE_MAF_H
#define E2MD_ROLE_MAF_H

#include "crypto/onem2m.h"
#include "daemon/daemon.h"
#include "daemon/roles.h"
#include "maf_config.h"
#include "maf_kms.h"
#include "net/dtls_server.h"
#include "net/http_server.h"
#include "net/https_client.h"
#include "net/tls_psk.h"

#define ONEM2M_ASSOCIATION_PATH	"/onem2m/v1/association"
/* 403 on that route: the Km expired since the handshake. */
#define MAF_ERR_KM_GONE	"km-expired"
/* PROFILE.md 6: the association is (D)TLS 1.2 PSK, the MEF's suites. */
#define MAF_TLS12_SUITES	"PSK-AES128-CCM8:PSK-AES128-GCM-SHA256"
#define MAF_PURGE_SECONDS	60
/* Zn pulls of GBA handshakes at once (maf_gba.h); more fail at once. */
#define MAF_GBA_PULLS_MAX	64
/*
 * The authorisation flag of the MAF's (or Enrolee B's) entry in the
 * subscriber's USS, handed over with the Zn answer: the Enrolee may have
 * a key for an association with this node (e2m profile). A pull whose
 * USS entry lacks it keeps nothing.
 */
#define MAF_USS_FLAG_ASSOCIATION	1

struct fetch;
struct gba_listener;
struct maf_gba_dtls;

struct maf_counters {
	unsigned long long fetched;	/* Kms the MEF gave */
	unsigned long long fetch_failed;	/* every other fetch */
	unsigned long long km_lookups;	/* handshakes that named a Km-Id */
	/* gba-listen's and gba-dtls-listen's, completed; their Zn calls */
	unsigned long long gba_handshakes;
	unsigned long long gba_pulls;
	unsigned long long km_pulls;	/* km-pull's MEF calls */
	/* km-pull's listener's requests, and every DTLS listener's */
	unsigned long long requests;
	unsigned long long handed;	/* keys given to handoff's uid */
	unsigned long long handoff_failed;	/* given, taken, renewed: failed */
	unsigned long long keyring_renewals;	/* the uid's persistent keyring */
};

struct maf {
	struct daemon *daemon;
	const struct config_maf *conf;	/* re-pointed on reload */
	struct tls_psk *psk;
	struct http_server *enrolees;
	struct dtls_server *dtls;	/* NULL without dtls-listen */
	struct gba_listener *gba;	/* NULL without gba-listen */
	struct maf_gba_dtls *gba_dtls;	/* NULL without gba-dtls-listen */
	struct gba_listener *pull;	/* listen with km-pull, else NULL */
	struct https_client *mef;	/* NULL without mef-url */
	struct https_client *zn;	/* NULL without zn-url */
	struct fetch *fetches;		/* in flight, maf_fetch.c's */
	struct event *timer;		/* the purge of expired Kms */
	struct maf_counters counters;
	int64_t keyring_renewed;	/* handoff: the last renewal, or 0 */
};

extern const struct role_ops role_maf;

/*
 * The tls_psk_conf lookup of the Enrolees' handshakes (TLS and DTLS):
 * the live Km of the Km-Id, from the store.
 */
int maf_km_lookup(void *arg, const char *identity,
		  uint8_t key[TLS_PSK_KEY_MAX], size_t *len);

/* The live Km of a Km-Id from the store: 0, -ENOENT, or logged. */
int maf_km_find(struct maf *maf, const char *km_id,
		struct store_onem2m_km *km);

/*
 * The association route's answer on a session keyed by the Km of km_id
 * (every listener's): its HTTP status, 200 with the body in *text
 * (ub_json_text_free; its id member "km-id", or "kpsa-id" on an
 * Enrolee B), 403 when the Km is gone since the handshake (token
 * MAF_ERR_KM_GONE), 500 (UB_ERR_INTERNAL).
 */
int maf_association_answer(struct maf *maf, const char *km_id, char **text);

/*
 * The id of a key this node fetched, "@" its name: Km-Id ("KmId"), or
 * on an Enrolee B (as: enrolee-b) Kpsa-Id ("KpsaId"), PROFILE.md 6.
 */
int maf_key_id(const struct maf *maf, char *id, size_t size,
	       const uint8_t key[ONEM2M_KEY_LEN]);
/* The name of that id in answers and logs: "km-id" or "kpsa-id". */
const char *maf_key_id_name(const struct maf *maf);

/* The running MAF of d, NULL when none. */
struct maf *maf_running(struct daemon *d);

#endif /* E2MD_ROLE_MAF_H */
