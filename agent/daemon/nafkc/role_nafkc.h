/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF Key Centre role (TS 33.259 4.2.2, 4.5.2 steps 10-16; TS 33.110
 * for Ks_local_MT): a remote or external device that has no UICC gets
 * Ks_local_device (or Ks_local_MT), the key it then shares with the UICC
 * hosting device or MT that bootstrapped for it. Two parts on the
 * daemon's loop:
 *
 *	devices	 (nafkc_request.h) HTTPS on nafkc.listen, the device
 *		 authenticated by its pre-provisioned PSK (PROFILE.md 5:
 *		 hint "e2m-device", identity = Device_ID, 32 octets, in the
 *		 store sealed; net/tls_psk.h), or with device-auth
 *		 certificate by a certificate from nafkc.device-ca naming
 *		 the Device_ID as its subjectAltName URI (e2m profile), both
 *		 on the one listener: POST /nafkc/v1/ks-local
 *	UEs	 (nafkc_gba.h) on nafkc.gba-listen, GBA PSK-TLS: the
 *		 same request, the UE proving its bootstrap's key
 *	Zn	 (client) HTTPS with mutual TLS to nafkc.bsf-url, the tls
 *		 section's certificate naming nafkc.name: Ks_(ext)_NAF of the
 *		 device's B-TID for the NAF_Id nafkc.name || FF 00 00 00 01,
 *		 with the subscriber's USS entry for the Key Centre
 *
 * Zn answers are kept for their bootstrap's key lifetime in the Zn cache
 * (nafkc_zn_cache.h, nafkc.zn-cache entries; 0: none), one for both
 * listeners and the GBA handshakes: a request whose (B-TID, NAF_Id) is
 * kept makes no Zn call. A reload empties it; the timer drops the
 * expired entries.
 *
 * The store keeps the device PSKs, the blocked Device_IDs and the keys
 * issued (store.h); the admin commands (nafkc_admin.h) manage them.
 * Issued keys are purged an hour after they expire.
 *
 * Every request is logged (event=ks-local-issued, ks-local-refused) with
 * the B-TID, Device_ID and peer identity, never a key.
 */
#ifndef E2MD_ROLE_NAFKC_H
#define E2MD_ROLE_NAFKC_H

#include <stdint.h>

#include "crypto/gba.h"
#include "daemon/daemon.h"
#include "daemon/roles.h"
#include "nafkc_config.h"
#include "net/http_server.h"
#include "net/https_client.h"
#include "net/tls_psk.h"
#include "proto/nafkc/ks_local_msg.h"

#define NAFKC_PSK_HINT		"e2m-device"	/* PROFILE.md 5 */
#define NAFKC_TIMER_SECONDS	300	/* purges expired keys */
#define NAFKC_KEY_GRACE		3600	/* seconds kept past expiry */
/* Zn calls give up before the device's request (HTTP_TIMEOUT_DEFAULT). */
#define NAFKC_ZN_TIMEOUT	5	/* seconds */
#define NAFKC_ZN_CALLS_MAX	256	/* more devices at once: 503 */

struct nafkc_call;
struct gba_listener;
struct nafkc_zn_cache;

struct nafkc_counters {
	unsigned long long issued;	/* 200, a key stored and sent */
	unsigned long long refused;	/* every other answer */
	unsigned long long zn_failures;	/* no usable answer from the BSF */
	unsigned long long psk_lookups;	/* handshakes that named a Device_ID */
	unsigned long long gba_handshakes;	/* GBA PSK-TLS, completed */
	unsigned long long gba_key_pulls;	/* their Zn calls */
};

struct nafkc {
	struct daemon *daemon;
	const struct config_nafkc *conf;	/* re-pointed on reload */
	uint8_t naf_id[KS_LOCAL_NAF_ID_MAX];	/* conf->name || UA_ID_NAFKC */
	size_t naf_id_len;
	struct tls_psk *psk;
	struct http_server *devices;
	struct gba_listener *gba;		/* NULL without gba-listen */
	struct https_client *zn;
	struct nafkc_zn_cache *zn_cache;	/* NULL: zn-cache 0 */
	/* The counts of the caches before a reload, for status. */
	unsigned long long zn_cache_counts[4];	/* hits, misses, ev., exp. */
	struct nafkc_call *calls;		/* Zn calls in flight */
	size_t n_calls;
	struct event *timer;
	struct nafkc_counters counters;
};

extern const struct role_ops role_nafkc;

/* The NAF_Id of an FQDN: FQDN || FF 00 00 00 01. Its length or -ENOSPC. */
int nafkc_naf_id(uint8_t out[KS_LOCAL_NAF_ID_MAX], const char *fqdn);

#endif /* E2MD_ROLE_NAFKC_H */
