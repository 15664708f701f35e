// SPDX-License-Identifier: GPL-2.0
/*
 * The Enrolee's (D)TLS 1.2 PSK client, see onem2m_psk_client.h.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "daemon/maf/role_maf.h"
#include "onem2m_psk_client.h"
#include "options.h"

/* Our identity and key, whatever the hint (a gba-listen sends one). */
static unsigned int psk_cb(SSL *ssl, const char *hint, char *identity,
			   unsigned int max_identity, unsigned char *psk,
			   unsigned int max_psk)
{
	const struct psk_client *c = SSL_get_app_data(ssl);
	size_t len = strlen(c->identity);

	(void)hint;
	if (len + 1 > max_identity || max_psk < c->key_len)
		return 0;
	memcpy(identity, c->identity, len + 1);
	memcpy(psk, c->key, c->key_len);
	return (unsigned int)c->key_len;
}

static int connect_to(const struct psk_client *c)
{
	struct timeval tv = { (time_t)c->timeout, 0 };
	struct addrinfo hints = { .ai_socktype = c->dtls ? SOCK_DGRAM :
							 SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *list, *ai;
	char port[8];
	int fd = -1;

	snprintf(port, sizeof(port), "%u", c->port);
	if (getaddrinfo(c->host, port, &hints, &list)) {
		fail(c->command, "%s: cannot resolve", c->host);
		return -1;
	}
	for (ai = list; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0)
			continue;
		/* Linux bounds connect() by the send timeout too. */
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen)) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(list);
	if (fd < 0)
		fail(c->command, "connect to %s:%u: %s", c->host, c->port,
		     strerror(errno));
	return fd;
}

static SSL_CTX *context(bool dtls)
{
	SSL_CTX *ctx = SSL_CTX_new(dtls ? DTLS_client_method() :
					  TLS_client_method());
	int version = dtls ? DTLS1_2_VERSION : TLS1_2_VERSION;

	if (ctx && (!SSL_CTX_set_min_proto_version(ctx, version) ||
		    !SSL_CTX_set_max_proto_version(ctx, version) ||
		    !SSL_CTX_set_cipher_list(ctx, MAF_TLS12_SUITES))) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (ctx)
		SSL_CTX_set_psk_client_callback(ctx, psk_cb);
	return ctx;
}

/* Tells a datagram BIO that fd is connect()ed, and to whom. */
static bool dgram_connected(BIO *bio, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	BIO_ADDR *peer = BIO_ADDR_new();
	bool ok = false;

	if (peer && !getpeername(fd, (struct sockaddr *)&ss, &len)) {
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in *in = (struct sockaddr_in *)&ss;

			ok = BIO_ADDR_rawmake(peer, AF_INET, &in->sin_addr,
					      sizeof(in->sin_addr),
					      in->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

			ok = BIO_ADDR_rawmake(peer, AF_INET6, &in6->sin6_addr,
					      sizeof(in6->sin6_addr),
					      in6->sin6_port);
		}
	}
	ok = ok && BIO_ctrl_set_connected(bio, peer) == 1;
	BIO_ADDR_free(peer);
	return ok;
}

/* fd under ssl: a socket BIO, or for DTLS a datagram one. */
static bool attach(SSL *ssl, int fd, bool dtls)
{
	BIO *bio;

	if (!dtls)
		return SSL_set_fd(ssl, fd) == 1;
	bio = BIO_new_dgram(fd, BIO_NOCLOSE);
	if (!bio || !dgram_connected(bio, fd)) {
		BIO_free(bio);
		return false;
	}
	SSL_set_bio(ssl, bio, bio);
	return true;
}

/* SSL_connect(), DTLS retransmitting until the timeout. */
static bool handshake(SSL *ssl, const struct psk_client *c)
{
	time_t end = time(NULL) + (time_t)c->timeout;
	int ret;

	while ((ret = SSL_connect(ssl)) != 1) {
		if (!c->dtls || SSL_get_error(ssl, ret) != SSL_ERROR_WANT_READ ||
		    time(NULL) >= end)
			return false;
		DTLSv1_handle_timeout(ssl);
	}
	return true;
}

SSL *psk_client_open(struct psk_client *c)
{
	SSL_CTX *ctx = context(c->dtls);
	SSL *ssl = ctx ? SSL_new(ctx) : NULL;
	char reason[128];

	/* The session holds its own reference to the context. */
	SSL_CTX_free(ctx);
	c->fd = -1;
	if (!ssl) {
		fail(c->command, "TLS: no context");
		return NULL;
	}
	SSL_set_app_data(ssl, c);
	c->fd = connect_to(c);
	if (c->fd < 0) {
		psk_client_close(c, ssl, false);
		return NULL;
	}
	if (!attach(ssl, c->fd, c->dtls) || !handshake(ssl, c)) {
		ERR_error_string_n(ERR_peek_last_error(), reason,
				   sizeof(reason));
		fail(c->command, "TLS handshake failed: %s",
		     ERR_peek_last_error() ? reason : "the peer ended it");
		psk_client_close(c, ssl, false);
		return NULL;
	}
	snprintf(c->tls, sizeof(c->tls), "%s", SSL_get_version(ssl));
	snprintf(c->cipher, sizeof(c->cipher), "%s",
		 SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
	return ssl;
}

void psk_client_close(struct psk_client *c, SSL *ssl, bool clean)
{
	if (ssl && clean)
		SSL_shutdown(ssl);
	SSL_free(ssl);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	ERR_clear_error();
}

/*
 * Whether buf[0..len) (NUL-terminated) holds a whole answer: its head
 * and the Content-Length octets of body it names. An answer without one
 * ends with the session.
 */
static bool answer_whole(const char *buf, size_t len)
{
	const char *end = strstr(buf, "\r\n\r\n"), *line;
	char *digits_end;
	unsigned long long want;

	if (!end)
		return false;
	for (line = strstr(buf, "\r\n"); line && line < end;
	     line = strstr(line + 2, "\r\n")) {
		if (strncasecmp(line + 2, "Content-Length:", 15))
			continue;
		errno = 0;
		want = strtoull(line + 17, &digits_end, 10);
		if (errno || digits_end == line + 17 ||
		    (*digits_end != '\r' && *digits_end != ' '))
			return false;
		return len - (size_t)(end + 4 - buf) >= want;
	}
	return false;
}

int psk_client_answer(struct psk_client *c, SSL *ssl, char *buf,
		      size_t size, const char **body, size_t *body_len)
{
	size_t len = 0;
	char *end;
	int n, status;

	/*
	 * To the end of the session, or of the body Content-Length says:
	 * a peer need not close (openssl s_server never sends close_notify,
	 * and over UDP it may be lost).
	 */
	buf[0] = '\0';
	while (len + 1 < size && !answer_whole(buf, len) &&
	       (n = SSL_read(ssl, buf + len, (int)(size - 1 - len))) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
	}
	buf[len] = '\0';
	if (!len) {
		fail(c->command, "%s closed without an answer", c->peer);
		return -1;
	}
	end = strstr(buf, "\r\n\r\n");
	status = end && (!strncmp(buf, "HTTP/1.1 ", 9) ||
			 !strncmp(buf, "HTTP/1.0 ", 9)) ? atoi(buf + 9) : -1;
	if (status < 100 || status > 599) {
		fail(c->command, "the answer is not HTTP/1.1");
		return -1;
	}
	*body = end + 4;
	*body_len = len - (size_t)(*body - buf);
	return status;
}
