/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BSF's side of Zn (e2m profile, proto/gba/zn_msg.h): a NAF asks for the key
 * of a bootstrap for its NAF_Id,
 *
 *	POST /zn/v1/naf-key  {"btid", "naf-id", "gba-u"}
 *
 * over HTTPS with mutual TLS. The NAF is who its certificate says: the
 * FQDN inside NAF_Id must be one of the certificate's DNS names (never its
 * CN), and one of bsf.nafs. The answer is the NAF key TS 33.220 B.3 derives
 * from the session's Ks, RAND and IMPI with that NAF_Id: Ks_NAF (GBA_ME)
 * or Ks_ext_NAF, and Ks_int_NAF too when the bootstrap was GBA_U and the
 * NAF asked for it ("gba-u": true), with the IMPI, the key's expiry and
 * the subscriber's USS entry for that NAF. Refusals:
 *
 *	400 bad-request		the body is not a Zn request (detail: why)
 *	403 naf-not-authorised	the NAF is not in bsf.nafs, its certificate
 *				does not name the NAF_Id's FQDN, or the
 *				subscriber's USS has no entry for it (a
 *				subscriber without a USS may use no NAF)
 *	404 unknown-btid	no such bootstrap (never, or purged)
 *	404 expired-btid	its key lifetime is over
 *	404 not-found		another path
 *	405 method-not-allowed	another method (Allow: POST)
 *	415 unsupported-media-type	not application/json
 *	500 internal-error	the store failed
 *
 * Each answer is logged: event=naf-key btid= naf= impi= gba-u= peer=, or
 * event=zn-refused with the reason; never a key.
 */
#ifndef E2MD_BSF_ZN_H
#define E2MD_BSF_ZN_H

#include "net/http_server.h"
#include "role_bsf.h"

/* The handler of POST /zn/v1/naf-key; arg is the struct bsf. */
void bsf_zn_naf_key(struct http_exchange *ex, void *arg);

#endif /* E2MD_BSF_ZN_H */
