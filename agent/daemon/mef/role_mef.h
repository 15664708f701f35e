/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The M2M Enrolment Function role (oneM2M TS-0003 8.3.2.1, seed 002;
 * Documentation/onem2m.md), the pre-provisioned symmetric key framework:
 *
 *	Enrolees  (mef_enrol.h) on mef.listen: TLS 1.2 PSK with
 *		  psk_identity = KpmId, psk = Kpm (the store's, sealed),
 *		  suites TLS_PSK_WITH_AES_128_CCM_8 (0xC0A8) and
 *		  TLS_PSK_WITH_AES_128_GCM_SHA256 (0x00A8) only (PROFILE.md
 *		  6; net/tls_psk.h runs the handshake); then
 *		  POST /onem2m/v1/enrolment (proto/onem2m/enrol_msg.h): Ke
 *		  by the RFC 5705 exporter, KeId "@" mef.name, stored
 *		  sealed with its lifetime before the answer
 *	DTLS	  (mef_dtls.h) on mef.dtls-listen, optional: the same over
 *		  DTLS 1.2 on UDP, cookie exchange on
 *
 * The admin commands (mef_admin.h) provision each Kpm with its Bootstrap
 * Instruction Configuration and list the Kes issued. Expired Kes are
 * purged every MEF_TIMER_SECONDS.
 *
 * Every enrolment is logged (event=ke-issued, ke-refused) with the KpmId
 * and KeId, never a key; a refused handshake is net/tls_psk.h's
 * event=tls-refused.
 */
#ifndef E2MD_ROLE_MEF_H
#define E2MD_ROLE_MEF_H

#include <stdint.h>

#include "daemon/daemon.h"
#include "daemon/roles.h"
#include "mef_config.h"
#include "net/http_server.h"
#include "net/tls_psk.h"

/* PROFILE.md 6: 0xC0A8, 0x00A8. */
#define MEF_TLS12_SUITES	"PSK-AES128-CCM8:PSK-AES128-GCM-SHA256"
#define MEF_TIMER_SECONDS	300

struct mef_counters {
	unsigned long long kpm_lookups;	/* handshakes that named a KpmId */
	unsigned long long issued;	/* 200, a Ke stored */
	unsigned long long refused;	/* every other answer */
	unsigned long long km_issued;	/* Km answered to a MAF */
	unsigned long long km_refused;	/* every other Km answer */
	unsigned long long kpsa_issued;	/* Kpsa answered to an Enrolee B */
	unsigned long long kpsa_refused;	/* every other Kpsa answer */
};

struct dtls_server;

struct mef {
	struct daemon *daemon;
	const struct config_mef *conf;	/* re-pointed on reload */
	struct tls_psk *psk;
	struct http_server *enrolees;
	struct http_server *mafs;	/* NULL without km-listen */
	struct dtls_server *dtls;		/* NULL without dtls-listen */
	struct event *timer;
	struct mef_counters counters;
};

extern const struct role_ops role_mef;

/* The Kpm of a KpmId for the handshake (tls_psk.h's lookup; arg: mef). */
int mef_kpm_lookup(void *arg, const char *identity,
		   uint8_t key[TLS_PSK_KEY_MAX], size_t *len);

#endif /* E2MD_ROLE_MEF_H */
