/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF Key Centre's GBA listener (roles.nafkc.gba-listen): a UE, or a
 * device that holds a bootstrap, reaches the Key Centre by GBA PSK-TLS
 * (net/tls_gba.h) with its bootstrapped key, and makes the same service
 * request as on the devices' listener (nafkc_request.h).
 *
 * evhttp cannot run this handshake (its OpenSSL bufferevent drops a
 * connection on SSL_ERROR_WANT_ASYNC), so the listener runs each
 * connection itself, on the daemon's loop:
 *
 *	1. accept, within the daemon's listeners: section as every
 *	   listener (net/http_conns.h): at most max-connections open; past
 *	   it a new connection closes the oldest one not in a request's
 *	   hands (in its handshake and not waiting for its Zn pull, or
 *	   sending its request), or is closed at once when every one is;
 *	   the handshake and the whole request must come within
 *	   request-deadline seconds of the opening, and the answer with
 *	   its close_notify must leave within as long again. Refused,
 *	   evicted and cut connections are logged as the other listeners
 *	   do (connections-limited listener=gba), at most once per
 *	   HTTP_CONNS_LOG_PERIOD_MS
 *	2. SSL_accept() driven by read/write events on the fd; the PSK
 *	   callback takes Ks_(ext)_NAF of the B-TID for FQDN || Ua id from
 *	   the Zn cache (nafkc_zn_cache.h) and goes on, or pulls it over
 *	   Zn (one pull a connection) and pauses the handshake's ASYNC job;
 *	   the Zn answer resumes it with the key, or fails it (unknown or
 *	   expired B-TID, a NAF the BSF refuses, a -uicc identity on a
 *	   GBA_ME bootstrap, the BSF unavailable): event=tls-refused
 *	3. one HTTP/1.1 request read over TLS (net/http_request.h): POST
 *	   /nafkc/v1/ks-local, its body at most UB_JSON_MAX octets
 *	4. nafkc_ks_local_handle() with the session's B-TID: the request's
 *	   "btid" must be it (403 btid-mismatch); then the same checks, Zn
 *	   pull for the Key Centre's NAF_Id, derivation and store as for
 *	   device PSKs
 *	5. the answer with Connection: close, close_notify, close
 */
#ifndef E2MD_NAFKC_GBA_H
#define E2MD_NAFKC_GBA_H

#include <stdbool.h>
#include <stddef.h>

#include "net/http_conns.h"

struct nafkc;
struct nafkc_gba;

/* Listens on nafkc->conf->gba_listen: 0 or a negative errno, why said. */
int nafkc_gba_new(struct nafkc_gba **gba, struct nafkc *nafkc, char *why,
		  size_t why_size);
/* Stops accepting; connections already in go on. */
void nafkc_gba_stop(struct nafkc_gba *gba);
bool nafkc_gba_busy(const struct nafkc_gba *gba);
/* The listener's counts since the start (open, refused, evicted, cut). */
void nafkc_gba_stats(const struct nafkc_gba *gba,
		     struct http_conns_stats *stats);
const char *nafkc_gba_address(const struct nafkc_gba *gba);
/*
 * Closes every connection; one waiting for its request's Zn answer is
 * detached and freed by that answer (nafkc_cancel_calls()).
 */
void nafkc_gba_free(struct nafkc_gba *gba);

#endif /* E2MD_NAFKC_GBA_H */
