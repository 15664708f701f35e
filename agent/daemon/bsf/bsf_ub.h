/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF's side of Ub: HTTP Digest AKA (RFC 2617, RFC 3310) as TS 24.109
 * clause 4 and Annex A run it, on plain HTTP (TS 33.220 lets Ub run
 * without TLS: AKA authenticates both ends). The UE sends GET / (the path
 * of A.3; others are 404, other methods 405 with Allow: GET):
 *
 * 1. Authorization: Digest username="<IMPI>", realm="...", nonce="",
 *    uri="/", response="" -- the BSF fetches a vector over Zh and answers
 *
 *	401, WWW-Authenticate: Digest realm="<bsf.name>",
 *	     nonce="<base64(RAND || AUTN)>", algorithm=AKAv1-MD5,
 *	     qop="auth-int", opaque="<32 hex>"
 *
 *    keeping the challenge (bsf_challenges.h) for 30 s. The realm of this
 *    first request is not checked: the UE may not know the BSF's name.
 *    Such first requests prove nothing, so they are bounded
 *    (bsf_limits.h): while the IMPI has a pending challenge with 15 s of
 *    its lifetime left, that one is handed out again (logged reused=1)
 *    and the HSS is not asked; one address may send
 *    roles.bsf.ub-source-rate of them a second; one IMPI gets one new
 *    vector per ub-impi-window seconds, ended by a bootstrap.
 * 2. Authorization: Digest with that nonce and opaque, realm the BSF's,
 *    username the IMPI challenged, uri the request's, qop=auth-int, nc,
 *    cnonce, algorithm AKAv1-MD5, and response computed with RES as the
 *    password over the (empty) body. Answered once, whatever the outcome:
 *
 *	200	response verifies (constant time) with XRES. The session is
 *		stored first, then: Authentication-Info: qop=auth-int,
 *		rspauth="<XRES-based, over the body>", cnonce, nc; body the
 *		BootstrappingInfo (proto/gba/bsf_xml.h, btid, lifetime,
 *		Extension/currenttime), application/vnd.3gpp.bsf+xml
 *	401	auts="<base64(AUTS)>" with response computed over the empty
 *		password (RFC 3310 3.4): the AUTS goes to the HSS with the
 *		challenge's RAND (Zh resync), and a fresh challenge comes back
 *	403	response wrong (user authentication failure): nothing stored;
 *		the UE starts again with step 1
 *	403	response computed over the empty password without auts: the
 *		UE could not authenticate the network (AUTN MAC); logged as
 *		such, nothing stored
 *
 * Every other outcome, in the order checked:
 *
 *	400 bad-request		no Authorization or two of them, not one
 *				Digest credentials that parse (digest.h's
 *				rules), a username that is not an IMPI, a
 *				uri other than the request's; nothing
 *				changes
 *	401 (stale=true)	a nonce the BSF does not know (never issued,
 *				expired, or forgotten): a fresh challenge
 *	403 nonce-replayed	a nonce already answered (within its 30 s)
 *	400 bad-request		an answer to a pending challenge that does
 *				not fit it: realm, username, opaque,
 *				algorithm, qop auth-int with nc and cnonce;
 *				the challenge is spent
 *	403 authentication-failed, network-authentication-failed,
 *	    resync-failed (the HSS refused the AUTS; one detail whatever
 *	    the source said)
 *	401 decoy		the HSS has no such IMPI (or an HLR no such
 *				IMSI, or the IMPI holds none): see below
 *	503 hss-unavailable	no usable answer over Zh (unreachable,
 *				timeout, an error, a bad body)
 *	503 busy		the challenge table is full, or 256 Zh calls
 *				are in flight; or a first request past a
 *				limit (with Retry-After, logged at debug
 *				only, counted in ub-refused)
 *	500 internal-error	the store failed; nothing is half done
 *
 * Where BSF instances share the store (PostgreSQL, bsf_shared.h), every
 * challenge and decoy is in the store before its 401 leaves, and an
 * answer takes its challenge from there: a nonce is known, spent (403
 * nonce-replayed) or unknown (401 stale=true) alike at every instance,
 * and answered once across them. A store that cannot keep or give the
 * challenge then answers as for a session: 503 store-unavailable while
 * its server is away, else 500.
 *
 * Errors carry ub_json.h's {"error", "detail"} body; a 401 has no body.
 *
 * No user enumeration: an unknown IMPI gets, after the same round trip, a
 * decoy challenge (bsf_challenges.h) that is answered in every way as a
 * real one is: handed out again, bounded, stale, spent and replayed
 * alike; no response to it verifies, so the UE gets what a wrong RES, an
 * AUTN its USIM refused or a refused AUTS gets. Only the operator is told:
 * the log's ub-refused error=unknown-user answer=decoy, and the refusal
 * counted as unknown-user.
 */
#ifndef E2MD_BSF_UB_H
#define E2MD_BSF_UB_H

#include "net/http_server.h"
#include "role_bsf.h"

#define BSF_UB_PATH	"/"

/* Error tokens of Ub (unknown-user: for the operator only, never sent). */
#define BSF_UB_ERR_UNKNOWN_USER		"unknown-user"
#define BSF_UB_ERR_AUTH_FAILED		"authentication-failed"
#define BSF_UB_ERR_NETWORK_AUTH_FAILED	"network-authentication-failed"
#define BSF_UB_ERR_REPLAY		"nonce-replayed"
#define BSF_UB_ERR_HSS_UNAVAILABLE	"hss-unavailable"
#define BSF_UB_ERR_BUSY			"busy"

/* The handler of GET / on Ub; arg is the struct bsf. */
void bsf_ub_request(struct http_exchange *ex, void *arg);

/*
 * Cancels the vector calls in flight and answers their UEs 503 with why:
 * for the role's free, after the servers are gone, and for a reload that
 * changes the source.
 */
void bsf_ub_cancel_calls(struct bsf *bsf, const char *why);

#endif /* E2MD_BSF_UB_H */
