/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The service request of a device (proto/nafkc/ks_local_msg.h): POST
 * /nafkc/v1/ks-local over PSK-TLS. In order, each refusal answered with
 * ub_json.h's error body, "Connection: close" (the TLS session then ends
 * with close_notify), and logged as event=ks-local-refused:
 *
 *	415 unsupported-media-type	not application/json
 *	400 bad-request		the body is not a request (detail: why)
 *	403 btid-mismatch	(GBA PSK-TLS, nafkc_gba.h) "btid" is not
 *				the B-TID whose key the session proved
 *	403 device-mismatch	"device-id" is not the PSK identity the
 *				device proved: a device asks for itself only
 *				(device PSK or certificate sessions)
 *	403 device-blocked	the Device_ID is blocked (step 12): nothing
 *				pulled
 *	403 key-revoked		a key of this B-TID, Device_ID and label was
 *				revoked: the device needs a new bootstrap
 *	503 bsf-unavailable	no usable Zn answer (unreachable, timeout,
 *				5xx, a bad body), or NAFKC_ZN_CALLS_MAX in
 *				flight; nothing stored
 *	404 unknown-btid, expired-btid	the BSF's answer on Zn (step 14)
 *	403 ks-local-not-allowed  the BSF refused the Key Centre the key
 *				(naf-not-authorised: no USS entry for it), the
 *				subscriber has no USS at all, or its entry
 *				lacks the flag of the label: 1 for
 *				ks_local_device, 2 for ks_local_mt (step 15a,
 *				fail closed)
 *	404 expired-btid	the bootstrap ends within the second
 *	500 internal-error	the store failed; nothing half done
 *
 * and 200 with the key (step 16): Ks_local = KDF(Ks_(ext)_NAF, 0xFF 0xE1,
 * label, B-TID, NAF_Id, Device_ID) (crypto/ks_local.h), lifetime =
 * min(nafkc.key-lifetime, the bootstrap's remaining lifetime), stored
 * sealed (step 15b) before the answer is sent.
 *
 * The Zn pull is skipped when the B-TID's answer is kept in the Zn cache
 * (nafkc_zn_cache.h): every check after it is made on the kept answer.
 */
#ifndef E2MD_NAFKC_REQUEST_H
#define E2MD_NAFKC_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "net/http_server.h"
#include "role_nafkc.h"

/* USS flags of the Key Centre's entry (e2m profile). */
#define NAFKC_USS_FLAG_KS_LOCAL_DEVICE	1
#define NAFKC_USS_FLAG_KS_LOCAL_MT	2

/*
 * Where a request came from and where its answer goes: the evhttp
 * listener of device PSKs and certificates, or a GBA PSK-TLS connection
 * (nafkc_gba.h). answer() is called exactly once, with the JSON body
 * (NULL when none could be made); a status other than 200 closes the
 * session. The origin is not touched after it.
 */
struct nafkc_origin {
	void (*answer)(struct nafkc_origin *origin, int status,
		       const char *body, size_t len);
	const char *peer;		/* for logs */
	const struct tls_peer *tls;	/* device PSK or certificate */
	const char *gba_btid;		/* a GBA session's B-TID, or NULL */
};

/*
 * A request: json whether its Content-Type is application/json, body
 * and len what it carried (body NULL: it could not be read).
 */
void nafkc_ks_local_handle(struct nafkc *nafkc, struct nafkc_origin *origin,
			   bool json, const char *body, size_t len);

/* The handler of POST /nafkc/v1/ks-local; arg is the struct nafkc. */
void nafkc_ks_local_request(struct http_exchange *ex, void *arg);

/*
 * Cancels the Zn calls in flight and answers their devices 503: for the
 * role's free, after the server is gone.
 */
void nafkc_cancel_calls(struct nafkc *nafkc);

#endif /* E2MD_NAFKC_REQUEST_H */
