// SPDX-License-Identifier: GPL-2.0
/*
 * The process's series, see metrics_process.h.
 */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics_process.h"

struct fd_counts {
	unsigned long fds;
	unsigned long sockets;
};

/* -1 when /proc is not there. */
static int count_fds(struct fd_counts *counts)
{
	DIR *dir = opendir("/proc/self/fd");
	char path[PATH_MAX], target[64];
	struct dirent *entry;
	ssize_t len;
	int dir_fd;

	memset(counts, 0, sizeof(*counts));
	if (!dir)
		return -1;
	dir_fd = dirfd(dir);
	while ((entry = readdir(dir))) {
		if (entry->d_name[0] == '.' || atoi(entry->d_name) == dir_fd)
			continue;
		counts->fds++;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", entry->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len > 0 && !strncmp(target, "socket:", 7))
			counts->sockets++;
	}
	closedir(dir);
	return 0;
}

void metrics_process_write(struct prom_text *text,
			   const struct timespec *started)
{
	struct prom_label version = { "version", E2M_VERSION };
	struct fd_counts counts;

	prom_family(text, "e2m_build_info", "gauge",
		    "Always 1; the version of this e2md in its label.");
	prom_sample_u64(text, "e2m_build_info", &version, 1, 1);
	prom_family(text, "e2m_process_start_time_seconds", "gauge",
		    "When this e2md started, in seconds since the Unix epoch.");
	prom_sample_double(text, "e2m_process_start_time_seconds", NULL, 0,
			   (double)started->tv_sec +
			   (double)(started->tv_nsec / 1000000) / 1e3);
	if (count_fds(&counts))
		return;
	prom_family(text, "e2m_process_open_fds", "gauge",
		    "File descriptors this e2md holds open.");
	prom_sample_u64(text, "e2m_process_open_fds", NULL, 0, counts.fds);
	prom_family(text, "e2m_process_open_sockets", "gauge",
		    "Sockets among them: listeners, connections in and out, the admin socket, netlink.");
	prom_sample_u64(text, "e2m_process_open_sockets", NULL, 0,
			counts.sockets);
}
