// SPDX-License-Identifier: GPL-2.0
/*
 * The listening sockets e2md's workers share: see listen_fds.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"
#include "listen_fds.h"

struct listen_fd {
	char text[CONFIG_ADDR_TEXT_MAX];
	int fd;				/* -1: taken or dropped */
};

static struct listen_fd kept[LISTEN_FDS_MAX];
static size_t n_kept;
static bool inherited;

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

int listen_fds_env(char *buf, size_t size, int *fds, size_t max)
{
	size_t used, i;
	int n = 0;

	used = (size_t)snprintf(buf, size, "%s=", LISTEN_FDS_ENV);
	for (i = 0; i < n_kept && used < size; i++) {
		if (kept[i].fd < 0)
			continue;
		if ((size_t)n == max)
			return -ENOSPC;
		fds[n++] = kept[i].fd;
		used += (size_t)snprintf(buf + used, size - used, "%s%s=%d",
					 n > 1 ? ";" : "", kept[i].text,
					 kept[i].fd);
	}
	return used < size ? n : -ENOSPC;
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
