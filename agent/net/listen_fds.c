// SPDX-License-Identifier: GPL-2.0
/*
 * The listening sockets e2md's workers share: see listen_fds.h.
 */
#define _DEFAULT_SOURCE		/* SO_REUSEPORT */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "daemon/config.h"
#include "listen_fds.h"

struct listen_fd {
	char text[CONFIG_ADDR_TEXT_MAX];
	int fd;				/* -1: taken or dropped */
};

static struct listen_fd kept[LISTEN_FDS_MAX];
static size_t n_kept;
static bool inherited;
static int reuseport;

void listen_fds_keep(const char *text, int fd)
{
	if (n_kept == LISTEN_FDS_MAX || strlen(text) >= sizeof(kept[0].text))
		return;
	strcpy(kept[n_kept].text, text);
	kept[n_kept++].fd = fd;
}

void listen_fds_drop(int fd)
{
	size_t i;

	for (i = 0; i < n_kept; i++) {
		if (kept[i].fd == fd)
			kept[i].fd = -1;
	}
}

void listen_fds_reuseport(int on)
{
	reuseport = on;
}

int listen_fds_reuseport_on(void)
{
	return reuseport;
}

int listen_fds_open(const struct sockaddr *addr, socklen_t len, int reuse)
{
	int fd, one = 1, err;

	fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	/*
	 * evhttp writes an answer's head and body apart, and TLS makes a
	 * record of each: with Nagle the body would wait for the peer's
	 * delayed ACK (40 ms). Accepted sockets inherit TCP_NODELAY on Linux.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (reuse &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    (addr->sa_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, addr, len) || listen(fd, LISTEN_BACKLOG)) {
		err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

/* Another socket on fd's address, in its SO_REUSEPORT group; or -errno. */
static int twin(int fd)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);

	if (getsockname(fd, (struct sockaddr *)&addr, &len))
		return -errno;
	return listen_fds_open((struct sockaddr *)&addr, len, 1);
}

void listen_fds_close(int *fds, int n)
{
	while (n-- > 0)
		close(fds[n]);
}

int listen_fds_for_worker(char *buf, size_t size, int *fds, size_t max)
{
	size_t used, i;
	int n = 0, fd;

	used = (size_t)snprintf(buf, size, "%s=", LISTEN_FDS_ENV);
	for (i = 0; i < n_kept; i++) {
		if (kept[i].fd < 0)
			continue;
		fd = (size_t)n < max ? twin(kept[i].fd) : -ENOSPC;
		if (fd < 0) {
			listen_fds_close(fds, n);
			return fd;
		}
		fds[n++] = fd;
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0,
					 "%s%s=%d", n > 1 ? ";" : "",
					 kept[i].text, fd);
	}
	if (used >= size) {
		listen_fds_close(fds, n);
		return -ENOSPC;
	}
	return n;
}

/* One "TEXT=FD" of length len at item. */
static int inherit_one(const char *item, size_t len)
{
	const char *eq = memchr(item, '=', len);
	char number[16], *end;
	size_t text_len;
	long fd;

	if (!eq || n_kept == LISTEN_FDS_MAX)
		return -EINVAL;
	text_len = (size_t)(eq - item);
	if (!text_len || text_len >= sizeof(kept[0].text) ||
	    len - text_len - 1 == 0 || len - text_len - 1 >= sizeof(number))
		return -EINVAL;
	memcpy(number, eq + 1, len - text_len - 1);
	number[len - text_len - 1] = '\0';
	errno = 0;
	fd = strtol(number, &end, 10);
	if (errno || *end || fd < 0 || fd > INT_MAX)
		return -EINVAL;
	memcpy(kept[n_kept].text, item, text_len);
	kept[n_kept].text[text_len] = '\0';
	kept[n_kept++].fd = (int)fd;
	return 0;
}

int listen_fds_inherit(const char *value)
{
	const char *item = value, *semi;
	size_t len;
	int ret;

	n_kept = 0;
	while (*item) {
		semi = strchr(item, ';');
		len = semi ? (size_t)(semi - item) : strlen(item);
		ret = inherit_one(item, len);
		if (ret) {
			n_kept = 0;
			return ret;
		}
		item += len + (semi ? 1 : 0);
	}
	inherited = true;
	return 0;
}

int listen_fds_inherited(void)
{
	return inherited;
}

int listen_fds_take(const char *text)
{
	size_t i;
	int fd;

	for (i = 0; i < n_kept; i++) {
		if (kept[i].fd >= 0 && !strcmp(kept[i].text, text)) {
			fd = kept[i].fd;
			kept[i].fd = -1;
			return fd;
		}
	}
	return -1;
}
