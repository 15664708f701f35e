/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF key of a GBA handshake, pulled over Zn: the key source
 * (net/psk_await.h) of the listeners whose client names a bootstrap,
 * psk_identity "3GPP-bootstrapping" || B-TID (GBA_ME, or Ks_ext_NAF of
 * GBA_U) or "3GPP-bootstrapping-uicc" || B-TID (Ks_int_NAF of GBA_U):
 * gba-listen over TLS (daemon/gba_listener.h, the NAF Key Centre's and
 * the MAF's) and the MAF's gba-dtls-listen over DTLS 1.2
 * (net/dtls_server.h, daemon/maf/maf_gba_dtls.h).
 *
 * One handshake's fetch:
 *
 *	1. NAF_Id = the owner's name now || the owner's Ua id, or the
 *	   suite's (TS 33.222, from net/tls_gba.h)
 *	2. a Zn answer of (B-TID, NAF_Id, -uicc) the owner keeps (kept)
 *	   is judged and given at once: the handshake goes on unpaused
 *	3. else one Zn call (at most max_pulls of a source at once; past
 *	   that the handshake fails, "BSF unavailable (too many Zn
 *	   calls)", counted a Zn failure), the handshake paused; the
 *	   answer, kept by the owner (pulled) before it is judged, resumes
 *	   it with the key or fails it with the reason (unknown or expired
 *	   B-TID, the BSF's naf-not-authorised, the BSF unavailable: also
 *	   counted a Zn failure)
 *	4. judged: a -uicc identity needs a GBA_U bootstrap, the answer
 *	   must be live, then the owner's judge picks the key or says why
 *	   not (the MAF: the USS entry's flag 1)
 *
 * The answer whose key the handshake got stays with the connection
 * (gba_zn_key_answer(), for the owner's hooks once the peer proved the
 * key) until psk_await_cancel() releases it, wiped.
 */
#ifndef E2MD_GBA_ZN_KEY_H
#define E2MD_GBA_ZN_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/gba.h"
#include "net/https_client.h"
#include "net/psk_await.h"
#include "proto/gba/zn_msg.h"

struct gba_zn_key_conf {
	struct https_client *zn;	/* the BSF's Zn */
	/* NULL: the Ua id of the suite (TS 33.222); else this one's key */
	const uint8_t *ua_id;
	size_t max_pulls;		/* Zn calls at once */
	/* Counts, each may be NULL. */
	unsigned long long *pulls, *zn_failures;
	void *arg;			/* of the hooks */
	/* The NAF's FQDN now (a reload may change it). */
	const char *(*name)(void *arg);
	/* Optional: a kept Zn answer of (btid, naf_id, uicc): 0 or -ENOENT. */
	int (*kept)(void *arg, const char *btid, const uint8_t *naf_id,
		    size_t naf_id_len, bool uicc, struct zn_key_response *zn);
	/* Optional: a pulled Zn answer, to keep (before it is judged). */
	void (*pulled)(void *arg, const uint8_t *naf_id, size_t naf_id_len,
		       const struct zn_key_response *zn);
	/*
	 * Why a live Zn answer (a -uicc one GBA_U) gives the connection no
	 * key, NULL when it does, then with *key the key (in zn).
	 */
	const char *(*judge)(void *arg, bool uicc,
			     const struct zn_key_response *zn,
			     const uint8_t **key);
};

struct gba_zn_key;

/* 0 or -ENOMEM. Freed after its listener's connections are closed. */
int gba_zn_key_new(struct gba_zn_key **keys,
		   const struct gba_zn_key_conf *conf);
void gba_zn_key_free(struct gba_zn_key *keys);

/* Its psk_await key source (no bound of its own on keys awaited). */
struct psk_source gba_zn_key_source(struct gba_zn_key *keys);

/*
 * The Zn answer whose key await was given (valid until
 * psk_await_cancel()), NULL when none was.
 */
const struct zn_key_response *gba_zn_key_answer(struct psk_await *await);

#endif /* E2MD_GBA_ZN_KEY_H */
