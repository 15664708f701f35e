/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provisioning server (seed 004's OCE, Documentation/key-update.md):
 * runs the long-term key updates the operator queued (prov_admin.h) with
 * the USIMs that come for them over plain HTTP
 * (proto/keyupdate/session_msg.h, POST /keyupdate/v1/session), one
 * SCP11a session each (proto/keyupdate/oce_session.h), then switches the
 * HSS (prov_hss.h). The record of each update is in the store, and so
 * are the sessions (prov_sessions.h; one per USIM, a new start replacing
 * it): a server restarted between two requests of a session takes the
 * next one up; a session that cannot go on is answered unknown-session
 * and started again by the UE, the USIM answering the same update with
 * 9000 again.
 *
 * Answers other than 200 carry ub_json.h's error body:
 *
 *	400 bad-request		not a session request (detail says why)
 *	403 sd-certificate-refused  the SD's certificate does not chain to
 *				roles.prov.usim-ca (detail says why)
 *	404 no-update		no update queued for that ICCID
 *	404 unknown-session	no such session (over, replaced, or kept
 *				but its update no longer queued at its
 *				counter, or the server's certificates
 *				changed under it)
 *	409 update-refused	the USIM refused, or its answer did not
 *				verify; detail names the status word or
 *				the check (the session is over; the
 *				record stays queued)
 *	500 internal-error	the store or the crypto failed
 *
 * and 404 not-found, 405, 415 as on every e2m JSON interface. Logged:
 * session-started (iccid, counter, remote), usim-done (iccid, imsi,
 * counter), usim-refused (iccid, counter, sw, detail), update-done
 * (prov_hss.h); never a key.
 */
#ifndef E2MD_ROLE_PROV_H
#define E2MD_ROLE_PROV_H

#include "daemon/roles.h"

#define PROV_ERR_SD_CERT	"sd-certificate-refused"
#define PROV_ERR_NO_UPDATE	"no-update"
#define PROV_ERR_NO_SESSION	"unknown-session"
#define PROV_ERR_REFUSED	"update-refused"

extern const struct role_ops role_prov;

#endif /* E2MD_ROLE_PROV_H */
