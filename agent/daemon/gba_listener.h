/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GBA PSK-TLS listener (net/tls_gba.h) whose handshake pulls the
 * client's NAF key over Zn: a UE, or a device that holds a bootstrap,
 * names "3GPP-bootstrapping" (or "-uicc") || B-TID and proves the key
 * the BSF hands this NAF for that B-TID. Its roles: the NAF Key Centre's
 * gba-listen (daemon/nafkc/nafkc_gba.h) and the MAF's
 * (daemon/maf/maf_gba.h); each gives the NAF_Id, the Zn client, what it
 * demands of a Zn answer and its one route. With an owner's key source
 * (net/psk_await.h, as net/dtls_server.h takes over UDP) instead of Zn
 * it is the MAF's Km-Id listener that asks the MEF for a Km it does not
 * hold (daemon/maf/maf_km_pull.h): the same loop, any identity.
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
 *	   callback asks the key source (net/psk_await.h): the NAF key
 *	   over Zn (daemon/gba_zn_key.h, from the GBA hooks below: the
 *	   owner's cache, or one Zn pull a connection, the handshake's
 *	   ASYNC job paused meanwhile), or the owner's keys; a refusal
 *	   fails the handshake: event=tls-refused with the reason
 *	3. the owner's established hook (the handshake is done: the key
 *	   and its Zn answer are the peer's), then one HTTP/1.1 request
 *	   read over TLS (net/http_request.h), its body at most
 *	   UB_JSON_MAX octets: the owner's path and method, else 404 / 405
 *	4. the owner's handle, which answers with gba_listener_answer()
 *	   at once or later
 *	5. the answer with Connection: close, close_notify, close
 */
#ifndef E2MD_GBA_LISTENER_H
#define E2MD_GBA_LISTENER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/daemon.h"
#include "net/http_conns.h"
#include "net/http_request.h"
#include "net/https_client.h"
#include "daemon/gba_zn_key.h"
#include "net/psk_await.h"
#include "proto/gba/zn_msg.h"

struct gba_listener;
struct gba_listener_conn;

struct gba_listener_conf {
	const char *role;		/* of the log lines */
	const char *refused_event;	/* the listener's own 4xx answers */
	const struct config_listen *listen;
	struct daemon *daemon;		/* its listeners: section, read live */
	const char *path, *method;	/* the one route */
	/* NULL: net/tls_gba.h's TLS 1.2 and 1.3 suites; else TLS 1.2, these */
	const char *tls12_only_suites;
	/*
	 * The NAF key of a GBA identity over Zn (daemon/gba_zn_key.h: the
	 * BSF's Zn, the Ua id, the owner's name, cache and judge, its counts).
	 */
	struct gba_zn_key_conf zn_key;
	unsigned long long *handshakes;	/* may be NULL */
	void *arg;			/* of established and handle */
	/* Optional: the handshake is done; nonzero closes the connection. */
	int (*established)(void *arg, struct gba_listener_conn *conn);
	/* The request; body is req->body_len octets. */
	void (*handle)(void *arg, struct gba_listener_conn *conn,
		       const struct http_request *req, const char *body);
	/*
	 * Optional, the other kind of listener: any psk_identity (the
	 * oneM2M Km-Id, no hint), no Zn (zn_key unused). The owner's key
	 * source (net/psk_await.h) gives the identity's key, at once or
	 * later, the handshake paused meanwhile; no key fails the handshake.
	 * Pulls are then the owner's to count; gba_listener_btid() is the
	 * identity.
	 */
	struct psk_source keys;
};

/* Listens on conf->listen: 0 or a negative errno, why said. */
int gba_listener_new(struct gba_listener **gba,
		     const struct gba_listener_conf *conf, char *why,
		     size_t why_size);
/* Stops accepting; connections already in go on. */
void gba_listener_stop(struct gba_listener *gba);
bool gba_listener_busy(const struct gba_listener *gba);
const char *gba_listener_address(const struct gba_listener *gba);
/*
 * Closes every connection; one in its owner's hands (handled, not yet
 * answered) is detached and freed by its answer.
 */
void gba_listener_free(struct gba_listener *gba);

/*
 * The answer to the request: status and, unless body is NULL, a JSON
 * body. Exactly once per handled request, also after the listener freed.
 */
void gba_listener_answer(struct gba_listener_conn *conn, int status,
			 const char *body, size_t len);
/* An error answer {"error": token, "detail": detail}, logged. */
void gba_listener_refuse(struct gba_listener_conn *conn, int status,
			 const char *token, const char *detail);

/* Of an established connection: the peer (for logs), B-TID, -uicc. */
const char *gba_listener_peer(const struct gba_listener_conn *conn);
const char *gba_listener_btid(const struct gba_listener_conn *conn);
bool gba_listener_uicc(const struct gba_listener_conn *conn);
/* The Zn answer whose key the handshake ran on (wiped with conn). */
const struct zn_key_response *
gba_listener_zn(struct gba_listener_conn *conn);

#endif /* E2MD_GBA_LISTENER_H */
