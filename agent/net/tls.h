/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS for the daemon's HTTPS ends (Zh, Zn): one certificate, private key
 * and CA from the tls section, used both ways.
 *
 * - As a server: TLS 1.2 or later, the client must present a certificate
 *   that chains to the CA, else the handshake fails.
 * - As a client: TLS 1.2 or later, our certificate offered, the server's
 *   verified against the CA and against the host name (or IP address) we
 *   connected to.
 *
 * A struct tls holds the current pair of contexts. tls_reload() builds a
 * new pair from the files and swaps it in only if that worked, so a
 * SIGHUP with a broken key file leaves the old material in service.
 * Connections already up keep the context they started with (OpenSSL
 * counts the references); new ones get the new pair.
 *
 * The peer of an accepted or made connection is known by its certificate:
 * tls_peer_get() reads the subject CN and the DNS names and URIs of the
 * subject alternative name, which is what handlers authorise on.
 */
#ifndef E2MD_TLS_H
#define E2MD_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "daemon/config.h"

#define TLS_PEER_NAME_MAX	255
#define TLS_PEER_DNS_MAX	8	/* DNS names kept, the first ones */

struct tls;

/* Which file of the tls section a failure is about. */
enum tls_file {
	TLS_FILE_NONE,
	TLS_FILE_CERTIFICATE,
	TLS_FILE_PRIVATE_KEY,
	TLS_FILE_CA,
};

/*
 * Loads the files of conf: 0, or a negative errno with a one-line reason
 * in why and the file at fault in *file (may be NULL).
 */
int tls_new(struct tls **tls, const struct config_tls *conf,
	    enum tls_file *file, char *why, size_t why_size);
int tls_reload(struct tls *tls, const struct config_tls *conf,
	       enum tls_file *file, char *why, size_t why_size);
void tls_free(struct tls *tls);

/* The config key of a file, "certificate", "private-key" or "ca". */
const char *tls_file_key(enum tls_file file);

/* A new SSL for an accepted connection, or NULL. */
SSL *tls_server_ssl(struct tls *tls);

/*
 * A new SSL to connect to host (a DNS name or an IP address), set to
 * send it as SNI (names only) and to verify the server's certificate
 * against it. NULL on failure.
 */
SSL *tls_client_ssl(struct tls *tls, const char *host);

/*
 * Whether ssl was made from the client context now in service (false
 * after a reload): a kept-alive connection is reused only then.
 */
bool tls_client_current(const struct tls *tls, const SSL *ssl);

struct tls_peer {
	/* The subject CN, "" when none: names the peer in logs only. */
	char cn[TLS_PEER_NAME_MAX + 1];
	char dns[TLS_PEER_DNS_MAX][TLS_PEER_NAME_MAX + 1];
	size_t n_dns;
	/* The first URI of the subject alternative name, "" when none. */
	char uri[TLS_PEER_NAME_MAX + 1];
	size_t n_uri;			/* URIs in the certificate */
	/* A PSK-TLS peer (tls_psk.h): the identity it proved, else "". */
	char psk_identity[TLS_PEER_NAME_MAX + 1];
};

/*
 * The verified peer certificate's names. 0, or -ENOENT when the
 * connection has no verified peer certificate.
 */
int tls_peer_get(SSL *ssl, struct tls_peer *peer);

/* Whether name is one of the peer's DNS SANs (any case); never its CN. */
bool tls_peer_is(const struct tls_peer *peer, const char *name);

/*
 * The name to log a peer by: its PSK identity, else its URI (a device's
 * Device_ID), else its first DNS name, else its CN, else "-".
 */
const char *tls_peer_name(const struct tls_peer *peer);

/*
 * An alert's name for logs: OpenSSL's, and for the alerts TLS 1.3 added,
 * which OpenSSL 3.0 does not name, ours.
 */
const char *tls_alert_name(int alert);

/*
 * Whether the alert being sent on ssl is OpenSSL's answer to a peer that
 * closed a finished connection without close_notify (an end, not a
 * refusal). For the servers' info callbacks.
 */
bool tls_closed_without_notify(const SSL *ssl);
/* What it needs: each call of a server's info callback, first. */
void tls_note_handshake(const SSL *ssl, int where);
/*
 * For a server's info callback, after tls_note_handshake(): when the alert
 * it is told of is tls_closed_without_notify()'s, logs it at debug as
 * tls-closed (peer, and local when not NULL) and returns true; the caller
 * then logs nothing more.
 */
bool tls_log_closed(const SSL *ssl, const char *peer, const char *local);

/*
 * For a stream server's info callback, when it has sent a fatal alert
 * during the handshake: end the connection gracefully. The records the
 * peer sent after the one refused (a TLS 1.3 client's CertificateVerify
 * and Finished, its first request) would still be unread when the
 * connection is freed, and closing a socket with unread data resets it:
 * a client writing its request then fails on the reset without ever
 * reading the alert that says why. So: discard what is unread and send
 * FIN after the alert. Not for datagram sockets, which are shared.
 */
void tls_end_refused(const SSL *ssl, int where, int ret);

/* The reason of the last OpenSSL error, for logs: "" when none. */
void tls_last_error(char *buf, size_t size);

#endif /* E2MD_TLS_H */
