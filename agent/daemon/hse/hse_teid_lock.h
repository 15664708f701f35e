/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HSE on several workers (daemon/workers.h): one TEID at a time.
 *
 * What a triplet or an event does to the flow of a TEID is read, plan and
 * apply (the row, the kernel's flow, then FLOW_NEW, KEY_UNBIND, KEY_BIND
 * and the row written): one process does it one TEID at a time on its
 * loop, but two workers could do it to the same TEID at once, each planning
 * on what the other is about to change. So on "workers: N" every process
 * takes the TEID's lock across processes before it reads the TEID's row
 * and holds it until the row it wrote is durable (or the install is undone
 * or refused); the next, at whichever worker, then reads the committed row
 * and the kernel's flow as they are. A worker's rows waiting in its group
 * commit are the only locks it holds between loop turns.
 *
 * The lock is an open file description lock (F_OFD_SETLK) on the octet at
 * offset TEID of a file in the admin socket's directory (the daemon's
 * runtime directory), "hse-DEVICE.teids": each process opens it itself,
 * so the locks of two processes conflict, and a process's own never
 * do (its TEIDs are one at a time already, hse_commit.h). The kernel
 * drops a dead worker's locks with its files.
 *
 * Waiting: a TEID held by another worker is held for one install and one
 * commit, milliseconds. The waiter commits its own waiting rows first
 * (their locks go), so that it holds none while it waits and two waiters
 * can never wait on each other; then it tries again after 20 us, doubling
 * to 1 ms, for HSE_TEID_WAIT_MS in all, as the store waits for its lock
 * (store_sqlite.c), and then gives up: -ETIMEDOUT, nothing done.
 *
 * On one worker there is nothing to lock: no file, and take and give do
 * nothing.
 */
#ifndef E2MD_HSE_TEID_LOCK_H
#define E2MD_HSE_TEID_LOCK_H

#include <stddef.h>
#include <stdint.h>

struct hse;

#define HSE_TEID_WAIT_MS	5000

struct hse_teid_lock {
	int fd;				/* -1: one worker, no locks */
	unsigned int wait_ms;		/* HSE_TEID_WAIT_MS; tests less */
};

/* No locks (one worker): take and give do nothing. */
void hse_teid_lock_none(struct hse_teid_lock *lock);

/*
 * Opens (creates, 0600) the lock file of device in the directory of
 * admin_socket. 0, or a negative errno with why.
 */
int hse_teid_lock_open(struct hse_teid_lock *lock, const char *admin_socket,
		       const char *device, char *why, size_t why_size);

void hse_teid_lock_close(struct hse_teid_lock *lock);

/*
 * The TEID's lock, waiting as above: 0 when held, -ETIMEDOUT, or another
 * negative errno of fcntl(). A row of the TEID waiting in hse's own group
 * commit is committed first (its triplet gives the lock back then), so
 * the caller acts on a committed row. Counts the waits and the timeouts
 * in hse's counters.
 */
int hse_teid_take(struct hse *hse, uint32_t teid);

/* Why hse_teid_take() said err, for a log line or an answer's detail. */
const char *hse_teid_strerror(int err);

/* Gives the TEID's lock back. */
void hse_teid_give(struct hse *hse, uint32_t teid);

#endif /* E2MD_HSE_TEID_LOCK_H */
