// SPDX-License-Identifier: GPL-2.0
/*
 * The device's end of the local interface on TCP, see local_client.h.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "local_client.h"

/* Connect, send and receive each wait at most timeout seconds. */
static int timed_socket(const struct addrinfo *ai, unsigned int timeout)
{
	struct timeval tv = { .tv_sec = timeout };
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			ai->ai_protocol);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int local_client_open(struct local_client *c, const char *host,
		      uint16_t port, unsigned int timeout, char *why,
		      size_t why_size)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *list, *ai;
	char service[8];
	int ret, fd = -ENOENT;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->next_id = 1;
	snprintf(service, sizeof(service), "%u", port);
	ret = getaddrinfo(host, service, &hints, &list);
	if (ret) {
		snprintf(why, why_size, "the MT %s: %s", host,
			 gai_strerror(ret));
		return -ENOENT;
	}
	for (ai = list; ai; ai = ai->ai_next) {
		fd = timed_socket(ai, timeout ? timeout :
				  LOCAL_CLIENT_TIMEOUT_DEFAULT);
		if (fd < 0)
			continue;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		ret = errno;
		close(fd);
		fd = -(ret == EINPROGRESS || ret == EAGAIN ? ETIMEDOUT : ret);
	}
	freeaddrinfo(list);
	if (fd < 0) {
		snprintf(why, why_size, "the MT at %s port %u: %s", host,
			 port, strerror(-fd));
		return fd;
	}
	c->fd = fd;
	return 0;
}

static int send_all(int fd, const uint8_t *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads until a whole frame is buffered: its payload length, or -errno. */
static int read_frame(struct local_client *c, size_t *payload_len)
{
	for (;;) {
		enum local_frame_status st = local_frame_peek(c->buf, c->len,
							      payload_len);
		ssize_t n;

		if (st == LOCAL_FRAME_READY)
			return 0;
		if (st == LOCAL_FRAME_BAD_LENGTH)
			return -EPROTO;
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (!n)
			return -ECONNRESET;
		c->len += (size_t)n;
	}
}

int local_client_ask(struct local_client *c, struct local_msg *req,
		     struct local_msg *answer, char *why, size_t why_size)
{
	const char *name = local_type_name(req->type);
	uint8_t frame[LOCAL_FRAME_BUFFER];
	char parse_why[160];
	size_t payload_len = 0, used;
	int len, ret;

	req->has_id = true;
	req->id = c->next_id++;
	len = local_msg_frame(req, frame, sizeof(frame), parse_why,
			      sizeof(parse_why));
	if (len < 0) {
		snprintf(why, why_size, "the %s: %s", name, parse_why);
		return len;
	}
	ret = send_all(c->fd, frame, (size_t)len);
	if (!ret)
		ret = read_frame(c, &payload_len);
	if (ret == -EPROTO) {
		snprintf(why, why_size,
			 "the MT answered the %s with a bad frame length",
			 name);
		return ret;
	}
	if (ret == -ECONNRESET) {
		snprintf(why, why_size,
			 "the MT closed the link before answering the %s",
			 name);
		return ret;
	}
	if (ret) {
		snprintf(why, why_size, "the MT, the %s: %s", name,
			 strerror(-ret));
		return ret;
	}
	ret = local_msg_parse(c->buf + LOCAL_FRAME_HEADER, payload_len, answer,
			      parse_why, sizeof(parse_why));
	used = LOCAL_FRAME_HEADER + payload_len;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	if (ret) {
		snprintf(why, why_size, "the MT's answer to the %s: %s", name,
			 parse_why);
		return -EPROTO;
	}
	return 0;
}

void local_client_close(struct local_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
