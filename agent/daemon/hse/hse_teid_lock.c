// SPDX-License-Identifier: GPL-2.0
/*
 * One TEID at a time across the HSE's workers, see hse_teid_lock.h.
 */
#define _GNU_SOURCE	/* F_OFD_SETLK */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hse.h"
#include "hse_commit.h"
#include "hse_teid_lock.h"
#include "daemon/log.h"
#include "util/why.h"

void hse_teid_lock_none(struct hse_teid_lock *lock)
{
	memset(lock, 0, sizeof(*lock));
	lock->fd = -1;
}

int hse_teid_lock_open(struct hse_teid_lock *lock, const char *admin_socket,
		       const char *device, char *why, size_t why_size)
{
	const char *slash = strrchr(admin_socket, '/');
	char path[4096];
	int n;

	hse_teid_lock_none(lock);
	lock->wait_ms = HSE_TEID_WAIT_MS;
	/* The socket's path is absolute (config.h): "." is for tests. */
	if (slash)
		n = snprintf(path, sizeof(path), "%.*s/hse-%s.teids",
			     (int)(slash - admin_socket), admin_socket, device);
	else
		n = snprintf(path, sizeof(path), "hse-%s.teids", device);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		ub_why(why, why_size, "TEID lock file: path too long");
		return -ENAMETOOLONG;
	}
	lock->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock->fd < 0) {
		ub_why(why, why_size, "TEID lock file %s: %s", path,
		       strerror(errno));
		return -errno;
	}
	return 0;
}

void hse_teid_lock_close(struct hse_teid_lock *lock)
{
	if (lock->fd >= 0)
		close(lock->fd);
	lock->fd = -1;
}

/* F_OFD_SETLK of type on the TEID's octet: 0 or a negative errno. */
static int set_lock(int fd, short type, uint32_t teid)
{
	struct flock fl = {
		.l_type = type,
		.l_whence = SEEK_SET,
		.l_start = (off_t)teid,
		.l_len = 1,
	};

	return fcntl(fd, F_OFD_SETLK, &fl) ? -errno : 0;
}

static long long elapsed_us(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000000LL +
	       (now.tv_nsec - since->tv_nsec) / 1000;
}

int hse_teid_take(struct hse *hse, uint32_t teid)
{
	struct hse_teid_lock *lock = &hse->teids;
	struct timespec since, nap;
	int ret, tries;

	if (lock->fd < 0)
		return 0;
	/* Our own row of it waiting for the commit holds it: committed. */
	if (hse_commit_pending(hse, teid))
		hse_commit_flush(hse);
	ret = set_lock(lock->fd, F_WRLCK, teid);
	if (ret != -EAGAIN && ret != -EACCES)
		return ret;
	hse->counters.teid_waits++;
	log_msg(LOG_LEVEL_INFO, HSE_ROLE, "teid-wait",
		"teid %u: another worker holds it", teid);
	/* Ours go first: a waiter that holds nothing blocks nobody. */
	hse_commit_flush(hse);
	clock_gettime(CLOCK_MONOTONIC, &since);
	for (tries = 0;; tries++) {
		ret = set_lock(lock->fd, F_WRLCK, teid);
		if (ret != -EAGAIN && ret != -EACCES && ret != -EINTR)
			return ret;
		if (elapsed_us(&since) >= lock->wait_ms * 1000LL)
			break;
		nap = (struct timespec){
			.tv_nsec = (tries < 6 ? 20L << tries : 1000L) * 1000L,
		};
		nanosleep(&nap, NULL);
	}
	hse->counters.teid_timeouts++;
	return -ETIMEDOUT;
}

const char *hse_teid_strerror(int err)
{
	return err == -ETIMEDOUT ? "another worker held the TEID too long" :
				   "cannot lock the TEID";
}

void hse_teid_give(struct hse *hse, uint32_t teid)
{
	if (hse->teids.fd >= 0)
		set_lock(hse->teids.fd, F_UNLCK, teid);
}
