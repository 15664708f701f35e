/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach interface of the SGW (proto/best/attach_msg.h), plain HTTP:
 *
 * POST /sgw/v1/attach {"imsi", "gtpu"}: one vector from the HSS (POST
 *	/e2m/v1/av with the role's aka and sn-id), a session kept 30 s
 *	(RAND, AUTN, XRES, KSI, the UE's endpoint), and the challenge
 *	{session, rand, autn, ksi, aka, sn-id}. KSI is the IMSI's previous
 *	one + 1 mod 7 (0 for its first), taken when the HSS has answered
 *	with a vector: an IMSI it does not know leaves no entry here (it
 *	gets a decoy, below).
 * POST /sgw/v1/attach/complete, answered once per session whatever the
 *	outcome:
 *	- auts: the HSS resynchronises (RAND of the session, AUTS) and a
 *	  fresh vector is a new session: 401 with its challenge, same KSI;
 *	- res: compared with XRES in constant time, then the PCO must name
 *	  the session's IMSI (and RAND, when it names one); a vector not
 *	  marked for e2m is refused only now, so that nobody learns a
 *	  subscriber's e2m flag without passing AKA. Then the triplet to the
 *	  HSE (sgw_hse.h), and the answer once the HSE has answered.
 *
 * Refusals, in the order checked (the error body of ub_json.h):
 *	400 bad-request		a body that does not parse (nothing kept);
 *				a PCO naming another IMSI or RAND
 *	404 unknown-session	never issued, answered already, older than
 *				30 s
 *	403 authentication-failed	RES wrong (the session is spent)
 *	403 not-e2m		the vector is not marked for e2m
 *	403 resync-failed	the HSS refused the AUTS
 *	415 unsupported-media-type	a body that is not application/json
 *	503 hss-unavailable	no usable answer from the HSS
 *	503 busy		256 calls in flight, 16384 sessions pending
 *	502 hse-refused, 503 hse-unavailable: see sgw_hse.h
 *
 * No user enumeration: an IMSI the HSS does not know gets, after the same
 * round trip and the same wait for the loop turn's commit, a decoy
 * challenge (sgw_decoys.h, sgw_sessions.h) answered in every way as a
 * known IMSI's: 200 with the same headers and members, a KSI that moves
 * per attach; no RES verifies against it (403 authentication-failed),
 * its AUTS is refused as a bad one (403 resync-failed), a second answer
 * is 404 unknown-session. Only the operator is told: event=refused
 * status=200 error=unknown-subscriber answer=decoy, the metrics' reason
 * unknown-subscriber, answer=decoy on the refusals of its answers.
 */
#ifndef E2MD_SGW_ATTACH_H
#define E2MD_SGW_ATTACH_H

#include "net/http_server.h"
#include "role_sgw.h"

void sgw_attach_request(struct http_exchange *ex, void *arg);
void sgw_attach_complete(struct http_exchange *ex, void *arg);

#endif /* E2MD_SGW_ATTACH_H */
