// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/hse/hse_teid_lock.c: the TEID locks of the HSE's workers. Two
 * opens of the lock file are two open file descriptions, whose locks
 * conflict as two workers' do, in this process or in a child: a TEID held
 * by the other is waited for, given up after the wait with -ETIMEDOUT and
 * counted; another TEID is free; a give or the holder's death frees it. On
 * one worker there is no file and nothing is ever held.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/hse/hse.h"
#include "daemon/hse/hse_teid_lock.h"
#include "daemon/log.h"
#include "store_fixture.h"
#include "tap.h"

static struct hse a, b;

/* hse's lock on the file of e2m0 beside the socket path given; 0 or errno. */
static int open_lock(struct hse *hse, const char *socket_path,
		     unsigned int wait_ms, char *why, size_t why_size)
{
	int ret;

	memset(&hse->counters, 0, sizeof(hse->counters));
	ret = hse_teid_lock_open(&hse->teids, socket_path, "e2m0", why,
				 why_size);
	hse->teids.wait_ms = wait_ms;
	return ret;
}

static void opens(void)
{
	char why[256], longer[5000];
	struct stat st;

	ok(open_lock(&a, scratch_path("e2md.sock"), 50, why, sizeof(why)) == 0,
	   "the lock file opens beside the admin socket");
	ok(stat(scratch_path("hse-e2m0.teids"), &st) == 0 &&
	   S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600,
	   "it is hse-DEVICE.teids in the socket's directory, mode 0600");
	hse_teid_lock_close(&a.teids);
	ok(open_lock(&a, scratch_path("none/e2md.sock"), 50, why,
		     sizeof(why)) == -ENOENT &&
	   strstr(why, "none/hse-e2m0.teids: No such file or directory") &&
	   a.teids.fd == -1,
	   "a missing directory: -ENOENT, the path in why, no file");
	memset(longer, 'x', sizeof(longer) - 1);
	longer[0] = '/';
	memcpy(longer + sizeof(longer) - 12, "/e2md.sock", 11);
	ok(open_lock(&a, longer, 50, why, sizeof(why)) == -ENAMETOOLONG &&
	   !strcmp(why, "TEID lock file: path too long"),
	   "a path too long: -ENAMETOOLONG");
}

/* The teid-wait lines logged: one for each take that found its TEID held. */
static unsigned int waits_logged;

static void count_waits(enum log_level level, const char *role,
			const char *event)
{
	if (level == LOG_LEVEL_INFO && !strcmp(role, "hse") &&
	    !strcmp(event, "teid-wait"))
		waits_logged++;
}

static void one_worker(void)
{
	hse_teid_lock_none(&a.teids);
	memset(&a.counters, 0, sizeof(a.counters));
	ok(a.teids.fd == -1 && hse_teid_take(&a, 7) == 0 &&
	   hse_teid_take(&a, 7) == 0 && a.counters.teid_waits == 0,
	   "one worker: no file, every take at once, nothing counted");
	hse_teid_give(&a, 7);
}

static void two_descriptions(void)
{
	char why[256];

	if (open_lock(&a, scratch_path("e2md.sock"), 50, why, sizeof(why)) ||
	    open_lock(&b, scratch_path("e2md.sock"), 50, why, sizeof(why)))
		bail(why);
	ok(hse_teid_take(&a, 7) == 0 && a.counters.teid_waits == 0,
	   "worker a takes TEID 7");
	ok(hse_teid_take(&a, 7) == 0 && a.counters.teid_waits == 0,
	   "its own lock never blocks a (one TEID at a time already)");
	ok(hse_teid_take(&b, 7) == -ETIMEDOUT &&
	   b.counters.teid_waits == 1 && b.counters.teid_timeouts == 1 &&
	   waits_logged == 1,
	   "worker b waits for TEID 7, gives up: -ETIMEDOUT, counted, logged");
	ok(hse_teid_take(&b, 8) == 0 && b.counters.teid_waits == 1,
	   "TEID 8 is free for b at once");
	ok(hse_teid_take(&b, 0xffffffffu) == 0 && hse_teid_take(&a, 0) == 0,
	   "the first and the last TEID lock too");
	hse_teid_give(&a, 7);
	ok(hse_teid_take(&b, 7) == 0 && b.counters.teid_waits == 1,
	   "given back by a: b takes TEID 7 at once");
	ok(hse_teid_take(&a, 8) == -ETIMEDOUT && hse_teid_take(&a, 7) ==
	   -ETIMEDOUT && a.counters.teid_timeouts == 2 && waits_logged == 3,
	   "now a waits for b's two (two more teid-wait lines)");
	hse_teid_give(&b, 7);
	hse_teid_give(&b, 8);
	hse_teid_give(&b, 0xffffffffu);
	hse_teid_give(&a, 0);
	hse_teid_lock_close(&b.teids);
}

/* A child that takes teid, says so on fd, then sleeps ms and _exits. */
static pid_t holder(uint32_t teid, int fd, unsigned int ms, bool give)
{
	struct timespec nap = { ms / 1000, (long)(ms % 1000) * 1000000L };
	char why[256];
	pid_t pid = fork();

	if (pid)
		return pid;
	if (open_lock(&b, scratch_path("e2md.sock"), 50, why, sizeof(why)) ||
	    hse_teid_take(&b, teid) || write(fd, "1", 1) != 1)
		_exit(1);
	nanosleep(&nap, NULL);
	if (give)
		hse_teid_give(&b, teid);
	_exit(0);
}

static void other_process(void)
{
	int pipefd[2], status;
	char byte;
	pid_t pid;

	if (pipe(pipefd))
		bail("pipe");
	a.teids.wait_ms = 5000;
	memset(&a.counters, 0, sizeof(a.counters));
	pid = holder(9, pipefd[1], 200, true);
	if (read(pipefd[0], &byte, 1) != 1)
		bail("holder");
	ok(hse_teid_take(&a, 9) == 0 && a.counters.teid_waits == 1 &&
	   a.counters.teid_timeouts == 0,
	   "TEID 9 held by another process for 200 ms: waited for, taken");
	hse_teid_give(&a, 9);
	waitpid(pid, &status, 0);
	pid = holder(10, pipefd[1], 0, false);
	if (read(pipefd[0], &byte, 1) != 1)
		bail("holder");
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	   hse_teid_take(&a, 10) == 0 && a.counters.teid_waits == 1,
	   "a holder that died without giving TEID 10 back: taken at once");
	hse_teid_give(&a, 10);
	close(pipefd[0]);
	close(pipefd[1]);
}

int main(void)
{
	scratch_make("teid-lock");
	log_set_level(LOG_LEVEL_WARNING);	/* counted, not printed */
	log_set_observer(count_waits);
	opens();
	one_worker();
	two_descriptions();
	other_process();
	hse_teid_lock_close(&a.teids);
	scratch_remove();
	return done_testing();
}
