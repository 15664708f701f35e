// SPDX-License-Identifier: GPL-2.0
/* e2mctl's "-n NETNS", see netns_option.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns_option.h"
#include "options.h"

/* Where "ip netns add" binds a namespace by name (iproute2's NETNS_RUN_DIR). */
#define NETNS_RUN_DIR "/run/netns"

static int enter_netns(const char *opt, const char *netns)
{
	char path[PATH_MAX];
	int fd, err;

	if (!*netns || !strcmp(netns, ".") || !strcmp(netns, "..")) {
		fprintf(stderr, "e2mctl: %s: \"%s\" is not a namespace name\n",
			opt, netns);
		return -EXIT_USAGE;
	}
	if (strchr(netns, '/'))
		snprintf(path, sizeof(path), "%s", netns);
	else if (snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", netns) >=
		 (int)sizeof(path)) {
		fprintf(stderr, "e2mctl: %s: name too long\n", opt);
		return -EXIT_USAGE;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "e2mctl: %s: %s: %s\n", opt, netns,
			strerror(errno));
		return -EXIT_FAILURE;
	}
	err = setns(fd, CLONE_NEWNET) ? errno : 0;
	close(fd);
	if (err) {
		fprintf(stderr, "e2mctl: %s: %s: %s\n", opt, netns,
			err == EINVAL ? "not a network namespace" : strerror(err));
		return -EXIT_FAILURE;
	}
	return 0;
}

int netns_option(int argc, char *argv[])
{
	static const char name[] = "--netns";
	size_t len = sizeof(name) - 1;
	int err;

	if (argc < 1)
		return 0;
	if (!strncmp(argv[0], name, len) && argv[0][len] == '=') {
		err = enter_netns(name, argv[0] + len + 1);
		return err ? err : 1;
	}
	if (strcmp(argv[0], "-n") && strcmp(argv[0], name))
		return 0;
	if (argc < 2) {
		fprintf(stderr, "e2mctl: %s: needs a network namespace\n",
			argv[0]);
		return -EXIT_USAGE;
	}
	err = enter_netns(argv[0], argv[1]);
	return err ? err : 2;
}
