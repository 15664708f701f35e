/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the crash tests (sqn_crash_test, sgw_crash_test, hse_commit_test): a
 * child process does durable work and prints one line for each thing it
 * hands out (a vector's SQN, a KSI, a TEID told durable), and is killed
 * with SIGKILL at a random moment. The parent reads every line the child
 * printed before it died, since each is something that went out, and the
 * test then checks that the store kept it.
 *
 * The test owns the lines: its take_lines() parses whole lines out of a
 * buffer, counting them in the counter printed points to, and flags a
 * line it cannot read in *bad. Needs store_fixture.h (bail()) first.
 *
 * The power-loss tests (sqn_powerloss_test, keyupdate_powerloss_test,
 * keyupdate_hss_powerloss_test) cut their child at a count of writes
 * instead of killing it; they share the child and its pipe:
 * crash_spawn(), crash_read(), crash_reap(), crash_run_said().
 */
#ifndef E2M_TESTS_CRASH_CHILD_H
#define E2M_TESTS_CRASH_CHILD_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CRASH_KILL_DELAY_MAX_US	3000	/* after the trigger, at most */

/*
 * The pipe holds one page: a child that writes faster than the parent
 * reads blocks on it, so it can not run to its end while a loaded host
 * keeps the parent from seeing the line that triggers the kill (the
 * default 64 KiB held a whole run of sgw_crash_test's). Linux's
 * F_SETPIPE_SZ, which _POSIX_C_SOURCE does not declare.
 */
#define CRASH_PIPE_SIZE		4096
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ		1031
#endif

struct crash_child {
	void (*loop)(int fd, const void *arg);	/* the child; never returns */
	const void *arg;
	size_t (*take_lines)(const char *buf, size_t len, int *bad);
	const size_t *printed;	/* lines take_lines() counted so far */
};

/* What became of one child. */
struct crash_run {
	size_t lines;		/* it printed */
	int killed;		/* by our SIGKILL */
	int exit_status;	/* or -1 */
	int bad_output;		/* a line take_lines() could not read, or torn */
};

static inline void crash_sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline void crash_kill(pid_t pid, int *sent)
{
	crash_sleep_us(rand() % CRASH_KILL_DELAY_MAX_US);
	kill(pid, SIGKILL);
	*sent = 1;
}

/* A child at the other end of a pipe, as crash_spawn() made it. */
struct crash_spawned {
	pid_t pid;
	int fd;		/* the pipe's end we read */
};

/*
 * Forks a child that runs loop(fd, arg) with the pipe's write end fd;
 * loop never returns (it _exit()s, or dies). Returns the child and the
 * read end; bails out when the pipe or the fork fails.
 */
static inline struct crash_spawned crash_spawn(void (*loop)(int fd,
							    const void *arg),
					       const void *arg)
{
	struct crash_spawned child;
	int fds[2];

	if (pipe(fds))
		bail("pipe");
	if (fcntl(fds[0], F_SETPIPE_SZ, CRASH_PIPE_SIZE) < 0)
		bail("F_SETPIPE_SZ");
	fflush(stdout);		/* not printed twice by the child */
	child.pid = fork();
	if (child.pid < 0)
		bail("fork");
	if (child.pid == 0) {
		close(fds[0]);
		loop(fds[1], arg);
		_exit(99);	/* loop broke its word */
	}
	close(fds[1]);
	child.fd = fds[0];
	return child;
}

/* read() from the child, again after a signal: > 0, or 0 at the end. */
static inline ssize_t crash_read(int fd, void *buf, size_t size)
{
	ssize_t n;

	do {
		n = read(fd, buf, size);
	} while (n < 0 && errno == EINTR);
	return n;
}

/* Closes the pipe and waits for the child: its wait status. */
static inline int crash_reap(struct crash_spawned *child)
{
	int status;

	close(child->fd);
	child->fd = -1;
	if (waitpid(child->pid, &status, 0) != child->pid)
		bail("waitpid");
	return status;
}

/*
 * For the power-loss tests whose child says a letter after each step
 * that returned (keyupdate_powerloss_test, keyupdate_hss_powerloss_test):
 * runs loop(fd, arg) to its end, what it said into said (at most size - 1
 * letters, NUL-ended). 1 when the child ended by the cut (pl_cut() exits
 * 0), else 0.
 */
static inline int crash_run_said(void (*loop)(int fd, const void *arg),
				 const void *arg, char *said, size_t size)
{
	struct crash_spawned child = crash_spawn(loop, arg);
	size_t held = 0;
	ssize_t n;
	int status;

	while (held < size - 1 &&
	       (n = crash_read(child.fd, said + held, size - 1 - held)) > 0)
		held += (size_t)n;
	said[held] = '\0';
	status = crash_reap(&child);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * One child. kill_after < 0: let it finish; 0: kill it at once (after a
 * random delay); else once it printed kill_after lines (and a random
 * delay more). Reads to the end of the pipe either way.
 */
static inline struct crash_run crash_run_child(const struct crash_child *c,
					       int kill_after)
{
	struct crash_run run = { 0 };
	size_t before = *c->printed, held = 0, used;
	struct crash_spawned child;
	char buf[4096];
	int status, sent_kill = 0;
	ssize_t n;

	child = crash_spawn(c->loop, c->arg);
	if (kill_after == 0)
		crash_kill(child.pid, &sent_kill);
	while ((n = crash_read(child.fd, buf + held, sizeof(buf) - held)) > 0) {
		held += (size_t)n;
		used = c->take_lines(buf, held, &run.bad_output);
		memmove(buf, buf + used, held - used);
		held -= used;
		if (!sent_kill && kill_after > 0 &&
		    *c->printed - before >= (size_t)kill_after)
			crash_kill(child.pid, &sent_kill);
	}
	if (held)
		run.bad_output = 1;	/* a torn line */
	status = crash_reap(&child);
	run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	run.lines = *c->printed - before;
	return run;
}

#endif /* E2M_TESTS_CRASH_CHILD_H */
