/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's side of the NAF Key Centre (TS 33.259 4.5.2 steps 10, 11
 * and 16; Documentation/nafkc.md): one Ks_local request over TLS, the
 * device authenticated by its pre-provisioned PSK (PROFILE.md 5:
 * identity = Device_ID, 32 octets):
 *
 *	TLS 1.2	psk_client_callback: PSK suites, AEAD only, the order of
 *		the Key Centre (ECDHE-PSK-CHACHA20-POLY1305,
 *		DHE-PSK-AES128-GCM-SHA256, PSK-AES128-GCM-SHA256)
 *	TLS 1.3	psk_use_session_callback: the PSK as an external PSK of
 *		TLS_AES_128_GCM_SHA256, psk_dhe_ke
 *
 * No certificate is accepted from the server: the PSK is the only
 * credential, so a server that does not know it fails the handshake.
 *
 * Or, without a PSK, by certificate (TS 33.222 5.5 style): the device's
 * certificate (naming its Device_ID as its subjectAltName URI) and key,
 * the server's certificate verified against ca and the host name (or IP
 * address) connected to; TLS 1.2 with ECDHE and AES-GCM or ChaCha20, or
 * TLS 1.3. Then
 * POST /nafkc/v1/ks-local (proto/nafkc/ks_local_msg.h) with
 * "Connection: close", and the answer read to the server's close_notify.
 *
 * Blocking, with a timeout for each step: for e2mctl and tests. The
 * context (nafkc_client_ctx_new()) and the message code are what an
 * event-loop client, the device role's, would share.
 */
#ifndef E2M_UE_NAFKC_CLIENT_H
#define E2M_UE_NAFKC_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "crypto/gba.h"
#include "proto/gba/ub_json.h"
#include "proto/nafkc/ks_local_msg.h"
#include "store/store.h"

#define NAFKC_CLIENT_WHY_MAX		320
#define NAFKC_CLIENT_TIMEOUT_DEFAULT	10	/* seconds, each step */
#define NAFKC_CLIENT_ANSWER_MAX		(UB_JSON_MAX + 4096)	/* octets */

struct nafkc_client_conf {
	const char *host;	/* the Key Centre: DNS name or IP address */
	uint16_t port;
	const char *identity;	/* PSK identity: the Device_ID */
	/*
	 * GBA PSK-TLS (net/tls_gba.h) instead: identity is the hint and
	 * the B-TID, and gba_key gives the bootstrap's key (Ks_NAF or
	 * Ks_ext_NAF) for the FQDN || ua_id of the suite: 0 or -errno.
	 */
	int (*gba_key)(void *arg, const uint8_t ua_id[GBA_UA_ID_LEN],
		       uint8_t key[GBA_KEY_LEN]);
	void *gba_arg;
	const uint8_t *psk;	/* STORE_DEVICE_PSK_LEN octets; NULL: */
	const char *certificate;	/* PEM files of a certificate */
	const char *private_key;
	const char *ca;		/* what the server's must chain to */
	int tls_version;	/* 0: 1.2 or 1.3; TLS1_2_VERSION, ... */
	unsigned int timeout;	/* seconds; 0: the default */
};

struct nafkc_client_result {
	/*
	 * 0: a key in resp. Else -ECONNREFUSED, -ETIMEDOUT, ... (the
	 * transport), -EACCES (the TLS handshake failed: wrong PSK,
	 * unknown identity, a certificate refused, no suite in common),
	 * -ENOENT (a certificate, key or CA file that will not load),
	 * -EPERM (the Key Centre
	 * refused: status, error and detail set), -EPROTO (an answer that
	 * is not one, or not for this request).
	 */
	int error;
	char why[NAFKC_CLIENT_WHY_MAX];	/* one line when error */
	int status;			/* HTTP status, 0 when none */
	struct ub_error refusal;	/* the error body of a refusal */
	char protocol[16];		/* "TLSv1.3", "" before a handshake */
	char cipher[64];
};

/* A client context for conf's credential and TLS version, or NULL. */
SSL_CTX *nafkc_client_ctx_new(const struct nafkc_client_conf *conf);

/*
 * Asks the Key Centre for req's key. 0 with the key in resp (wipe it
 * with ks_local_response_wipe()), else a negative errno, as result->error.
 */
int nafkc_client_request(const struct nafkc_client_conf *conf,
			 const struct ks_local_request *req,
			 struct ks_local_response *resp,
			 struct nafkc_client_result *result);

/*
 * The handshake alone, then close_notify: 0 or a negative errno, as
 * result->error. For benchmarks (the TLS cost apart from the request).
 */
int nafkc_client_handshake(const struct nafkc_client_conf *conf,
			   struct nafkc_client_result *result);

/*
 * The handshake, then "GET path HTTP/1.0" and its answer read to the
 * end: 0 for an HTTP/1.x answer of any status (in result->status), else
 * a negative errno, as result->error. For benchmarks: the TLS session and
 * one HTTP exchange without the Key Centre's work, against it (a 404) or
 * against another server, e.g. openssl s_server -www.
 */
int nafkc_client_get(const struct nafkc_client_conf *conf, const char *path,
		     struct nafkc_client_result *result);

#endif /* E2M_UE_NAFKC_CLIENT_H */
