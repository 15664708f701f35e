/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF Key Centre's GBA listener (roles.nafkc.gba-listen): a UE, or a
 * device that holds a bootstrap, reaches the Key Centre by GBA PSK-TLS
 * (net/tls_gba.h) with its bootstrapped key, and makes the same service
 * request as on the devices' listener (nafkc_request.h). The listener
 * is daemon/gba_listener.h's (shared with the MAF's); the Key Centre
 * gives it:
 *
 *	- NAF_Id = its name || the Ua id of the suite (TS 33.222), the
 *	  key Ks_(ext)_NAF (a -uicc identity: of a GBA_U bootstrap);
 *	- its Zn cache (nafkc_zn_cache.h): a kept answer goes on without a
 *	  pull, a pulled one is kept before it is judged;
 *	- its one route, POST /nafkc/v1/ks-local, to
 *	  nafkc_ks_local_handle() with the session's B-TID: the request's
 *	  "btid" must be it (403 btid-mismatch); then the same checks, Zn
 *	  pull for the Key Centre's NAF_Id, derivation and store as for
 *	  device PSKs; the listener's own refusals logged
 *	  event=ks-local-refused.
 */
#ifndef E2MD_NAFKC_GBA_H
#define E2MD_NAFKC_GBA_H

#include <stddef.h>

#include "daemon/gba_listener.h"

struct nafkc;

/* Listens on nafkc->conf->gba_listen: 0 or a negative errno, why said. */
int nafkc_gba_new(struct gba_listener **gba, struct nafkc *nafkc, char *why,
		  size_t why_size);

#endif /* E2MD_NAFKC_GBA_H */
