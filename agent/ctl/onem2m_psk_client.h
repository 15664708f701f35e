/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Enrolee's blocking (D)TLS 1.2 PSK client of e2mctl onem2m: to the
 * MEF (enrol: KpmId, Kpm) and to the target of an association (the MAF
 * with Km-Id and Km, Enrolee B with Kpsa-Id and Kpsa): the suites of
 * PROFILE.md 6, TLS 1.2 over TCP or DTLS 1.2 over UDP, each socket
 * operation bounded by the timeout (DTLS retransmitting until it ends),
 * then one HTTP/1.1 exchange in the session.
 */
#ifndef E2MCTL_ONEM2M_PSK_CLIENT_H
#define E2MCTL_ONEM2M_PSK_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

struct psk_client {
	const char *command;		/* of the error lines */
	const char *peer;		/* "the MEF", "the MAF", ... */
	const char *host;
	unsigned int port;
	bool dtls;
	unsigned int timeout;		/* seconds */
	const char *identity;		/* psk_identity */
	const uint8_t *key;		/* psk */
	size_t key_len;
	/* Filled by psk_client_open(). */
	int fd;
	char tls[16], cipher[64];
};

/* Connects and runs the handshake: the session, or NULL (said). */
SSL *psk_client_open(struct psk_client *c);
/* close_notify when clean, and everything freed. */
void psk_client_close(struct psk_client *c, SSL *ssl, bool clean);

/*
 * Reads the answer into buf (size - 1 octets at most, NUL-terminated),
 * to the end of the body its Content-Length names, or else of the
 * session: its status, its body in *body; -1 (said) when there is none
 * or it is not HTTP/1.1.
 */
int psk_client_answer(struct psk_client *c, SSL *ssl, char *buf,
		      size_t size, const char **body, size_t *body_len);

#endif /* E2MCTL_ONEM2M_PSK_CLIENT_H */
