/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A DTLS 1.2 PSK server on one UDP socket, for the oneM2M roles (the
 * MEF's enrolment, the MAF's association; PROFILE.md 6): after the
 * handshake, one HTTP/1.1 request in the session's application data
 * (e2m profile), one answer in one record, then close_notify.
 *
 * OpenSSL's DTLS server runs each peer's session over memory BIOs (a
 * datagram in, what it writes out sent as one datagram; path MTU 1400):
 *
 *	- cookie exchange on (RFC 6347 4.2.1): a ClientHello without a
 *	  cookie gets a HelloVerifyRequest whose cookie is
 *	  HMAC-SHA-256(a secret drawn when the server starts, the peer's
 *	  address and port), its first DTLS_COOKIE_LEN octets, and the
 *	  server keeps nothing of it: no session is held for a peer that
 *	  has not returned its cookie. A cookie is compared in constant
 *	  time; one that is not the peer's (forged, or another address's)
 *	  fails the handshake (alert handshake_failure)
 *	- bounded state: at most max_sessions sessions whose cookie was
 *	  returned, each living deadline seconds from its first datagram;
 *	  a peer that returns its cookie when all are taken is refused:
 *	  the datagram is dropped, counted, and logged event=dtls-full
 *	  (at most once a second, with the count since)
 *	- retransmission: DTLSv1_handle_timeout() once a second
 *	- suites in the server's order, the owner's tls12_only_suites
 *	  (SSL_OP_CIPHER_SERVER_PREFERENCE, net/tls_psk_profile.c, as for
 *	  TLS): a client offering GCM before CCM8 gets CCM8. openssl
 *	  s_client's default list has no CCM8 suite, so without -cipher
 *	  it gets GCM
 *
 * A refused handshake is logged by net/tls_psk.h (event=tls-refused, or
 * psk-unknown for an unknown identity); one that does not finish by its
 * deadline (DTLS drops the records of a wrong key without an alert) as
 * event=dtls-timeout with the identity the peer named.
 *
 * Keys the owner holds come from psk.lookup (net/tls_psk.h: an unknown
 * identity gets a decoy key and fails as a wrong key does). An owner
 * whose keys may have to be fetched gives keys instead (net/psk_await.h,
 * as daemon/gba_listener.h takes over TCP): the sessions are then
 * net/tls_gba.h's, SSL_MODE_ASYNC, any identity, and the PSK callback
 * (at ClientKeyExchange) asks the owner once per session:
 *
 *	- answered at once: the handshake goes on in the same call
 *	- else the job pauses (SSL_ERROR_WANT_ASYNC) and the session is
 *	  kept; the owner's answer resumes it (the next flight, or the
 *	  failure). Meanwhile the job reads nothing: a datagram of the
 *	  session is dropped and counted (dtls_server_held_back(); the
 *	  peer's retransmission of the flight the job already holds, which
 *	  it sends again when our next one fails to come), so it starts no
 *	  second fetch, and the retransmission timer leaves the session be
 *	- no key: the handshake fails with unknown_psk_identity, logged
 *	  event=tls-refused with the owner's reason
 *	- the deadline holds over the pause: a session still paused at its
 *	  deadline ends (event=dtls-timeout, reason "its key did not come
 *	  in time"), its fetch cancelled at the owner, and so does every
 *	  session when the server is freed; the job is resumed refused
 *	  before SSL_free() so that nothing waits on the session
 */
#ifndef E2MD_DTLS_SERVER_H
#define E2MD_DTLS_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "daemon/config.h"
#include "daemon/config_values.h"
#include "net/http_request.h"
#include "net/psk_await.h"
#include "net/tls_psk.h"

#define DTLS_COOKIE_LEN		16
/* The most max_sessions may be: roles' dtls-sessions. */
#define DTLS_SESSIONS_MAX	CONFIG_DTLS_SESSIONS_MAX

struct dtls_server;
struct dtls_session;

/*
 * A whole request of session s (req NULL: application data that is not
 * a request, or over max_body). The handler answers before it returns,
 * with dtls_session_reply(); a session left unanswered is closed.
 */
typedef void (*dtls_request_fn)(struct dtls_session *s,
				const struct http_request *req,
				const char *body, void *arg);

struct dtls_server_conf {
	const char *role;			/* of the log lines */
	const struct config_listen *listen;
	struct tls_psk_conf psk;		/* .dtls is set here */
	/*
	 * get_key NULL: psk.lookup's keys. Else the owner's, which may
	 * pause the handshake (above): psk's suites, no lookup.
	 */
	struct psk_source keys;
	/*
	 * With keys: true takes GBA identities only ("3GPP-bootstrapping"
	 * [-uicc] || B-TID, net/tls_gba.h's hint sent, anything else
	 * refused before keys is asked); false any identity.
	 */
	bool gba_identities;
	/*
	 * Optional: the handshake of s is done (the peer proved the key),
	 * before its request; nonzero closes the session unanswered.
	 */
	int (*established)(struct dtls_session *s, void *arg);
	size_t max_sessions;			/* 1..DTLS_SESSIONS_MAX */
	unsigned int deadline;			/* seconds, a session's life */
	size_t max_body;
	dtls_request_fn request;
	void *arg;
};

/* 0 or a negative errno, with a one-line reason in why. */
int dtls_server_new(struct dtls_server **server, struct event_base *base,
		    const struct dtls_server_conf *conf, char *why,
		    size_t why_size);
void dtls_server_free(struct dtls_server *server);

/* The address bound ("IP:port"). */
const char *dtls_server_address(const struct dtls_server *server);
/* Sessions held now; datagrams refused for want of room. 0 for NULL. */
size_t dtls_server_sessions(const struct dtls_server *server);
unsigned long long dtls_server_dropped(const struct dtls_server *server);
/* Datagrams dropped while their session was paused for its key. */
unsigned long long dtls_server_held_back(const struct dtls_server *server);

/* The session's SSL (exporter), and its peer "IP:port". */
SSL *dtls_session_ssl(struct dtls_session *s);
/*
 * The identity whose key the completed handshake used, else NULL (with
 * gba_identities its B-TID, and whether it was named -uicc).
 */
const char *dtls_session_identity(const struct dtls_session *s);
bool dtls_session_uicc(const struct dtls_session *s);
/* The session's key, as its source gave it (conf keys). */
struct psk_await *dtls_session_await(struct dtls_session *s);
const char *dtls_session_peer(const struct dtls_session *s);

/*
 * Answers: "HTTP/1.1 STATUS" with Content-Type type (NULL: none), the
 * body, Connection: close, in one record; then close_notify.
 */
void dtls_session_reply(struct dtls_session *s, int status, const char *type,
			const char *body, size_t len);

#endif /* E2MD_DTLS_SERVER_H */
