// SPDX-License-Identifier: GPL-2.0
/*
 * e2md's worker processes: see workers.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "daemon.h"
#include "log.h"
#include "net/listen_fds.h"
#include "worker_status.h"
#include "workers.h"

extern char **environ;

#define LINE_MAX_BYTES	(1 << 20)	/* a worker's status, JSON */
#define REAP_POLL_MS	20

struct worker {
	unsigned int index;
	pid_t pid;			/* 0: reaped */
	int channel;			/* -1: closed */
};

struct workers {
	struct worker w[CONFIG_WORKERS_MAX];
	size_t n;
};

/* ---- lines on a channel ---------------------------------------------------- */

static long long now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/*
 * One line from fd, waiting up to timeout_ms in all; the line without
 * its '\n', to be freed, or NULL (end of file, an error, the time up).
 * The channel carries one answer at a time: nothing follows the '\n'.
 */
static char *read_line(int fd, int timeout_ms)
{
	long long until = now_ms() + timeout_ms;
	size_t len = 0, size = 256;
	char *buf = malloc(size), *grown;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t got;
	int left;

	while (buf) {
		left = (int)(until - now_ms());
		if (left <= 0 || poll(&p, 1, left) <= 0)
			break;
		if (len + 1 == size) {
			grown = size < LINE_MAX_BYTES ? realloc(buf, size * 2) :
				NULL;
			if (!grown)
				break;
			buf = grown;
			size *= 2;
		}
		got = read(fd, buf + len, size - len - 1);
		if (got <= 0)
			break;
		len += (size_t)got;
		if (buf[len - 1] == '\n') {
			buf[len - 1] = '\0';
			return buf;
		}
	}
	free(buf);
	return NULL;
}

static int write_all(int fd, const char *text, size_t len)
{
	ssize_t put;

	while (len) {
		put = write(fd, text, len);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return -EIO;
		text += put;
		len -= (size_t)put;
	}
	return 0;
}

/* ---- starting the workers -------------------------------------------------- */

/* What a worker is run with: this e2md, its file, the environment. */
struct worker_exec {
	char exe[PATH_MAX];
	char *argv[4];
	char **envp;			/* ours less the workers', then theirs */
	size_t n_env;
	char listen_env[LISTEN_FDS_MAX * (CONFIG_ADDR_TEXT_MAX + 16) + 32];
	char worker_env[64];
	int fds[LISTEN_FDS_MAX];
	int n_fds;
};

static bool ours(const char *entry)
{
	return !strncmp(entry, WORKER_ENV "=", strlen(WORKER_ENV) + 1) ||
	       !strncmp(entry, LISTEN_FDS_ENV "=",
			strlen(LISTEN_FDS_ENV) + 1) ||
	       /* the service manager hears the first process only */
	       !strncmp(entry, "NOTIFY_SOCKET=", 14);
}

static int exec_prepare(struct worker_exec *x, const char *config_path)
{
	ssize_t len = readlink("/proc/self/exe", x->exe, sizeof(x->exe) - 1);
	size_t i, n = 0;

	if (len <= 0 || (size_t)len >= sizeof(x->exe) - 1)
		return -ENAMETOOLONG;
	x->exe[len] = '\0';
	x->argv[0] = x->exe;
	x->argv[1] = "-c";
	x->argv[2] = (char *)config_path;
	x->argv[3] = NULL;
	while (environ[n])
		n++;
	x->envp = calloc(n + 3, sizeof(*x->envp));
	if (!x->envp)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!ours(environ[i]))
			x->envp[x->n_env++] = environ[i];
	}
	x->envp[x->n_env] = x->listen_env;
	x->envp[x->n_env + 1] = x->worker_env;
	return 0;
}

/*
 * The child, between fork and exec: only async-signal-safe calls. It
 * ends with its parent, and keeps the sockets it is given.
 */
static void __attribute__((noreturn))
exec_worker(const struct worker_exec *x, pid_t parent, int channel)
{
	int i;

	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(E2MD_WORKER_EXEC_FAILED);
	for (i = 0; i < x->n_fds; i++) {
		if (fcntl(x->fds[i], F_SETFD, 0))
			_exit(E2MD_WORKER_EXEC_FAILED);
	}
	if (fcntl(channel, F_SETFD, 0))
		_exit(E2MD_WORKER_EXEC_FAILED);
	execve(x->exe, x->argv, x->envp);
	_exit(E2MD_WORKER_EXEC_FAILED);
}

static int spawn(struct worker *w, struct worker_exec *x, unsigned int index)
{
	pid_t parent = getpid();
	int pair[2], err;

	x->n_fds = listen_fds_for_worker(x->listen_env, sizeof(x->listen_env),
					 x->fds, LISTEN_FDS_MAX);
	if (x->n_fds < 0)
		return x->n_fds;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair)) {
		err = errno;
		listen_fds_close(x->fds, x->n_fds);
		return -err;
	}
	snprintf(x->worker_env, sizeof(x->worker_env), "%s=%u,%d",
		 WORKER_ENV, index, pair[1]);
	w->index = index;
	w->pid = fork();
	if (w->pid == 0)
		exec_worker(x, parent, pair[1]);
	err = errno;
	/* Its sockets are the worker's alone: its queues end with it. */
	listen_fds_close(x->fds, x->n_fds);
	close(pair[1]);
	if (w->pid < 0) {
		w->pid = 0;
		close(pair[0]);
		return -err;
	}
	w->channel = pair[0];
	return 0;
}

static int await_ready(struct worker *w)
{
	char *line = read_line(w->channel, WORKERS_READY_SECONDS * 1000);
	int ret = line && !strcmp(line, "ready") ? 0 : -EIO;

	if (ret)
		log_msg(LOG_LEVEL_ERROR, NULL, "worker-failed",
			"worker %u (pid %ld) did not start: its log says why",
			w->index, (long)w->pid);
	free(line);
	return ret;
}

int workers_start(struct workers **out, struct daemon *d)
{
	unsigned int count = d->config->workers.count, i;
	struct worker_exec *x;
	struct workers *workers;
	int ret = 0;

	*out = NULL;
	if (count < 2)
		return 0;
	workers = calloc(1, sizeof(*workers));
	x = calloc(1, sizeof(*x));
	if (!workers || !x) {
		free(workers);
		free(x);
		return -ENOMEM;
	}
	*out = workers;
	ret = exec_prepare(x, d->config_path);
	for (i = 1; !ret && i < count; i++) {
		ret = spawn(&workers->w[workers->n], x, i);
		if (!ret)
			workers->n++;
	}
	if (ret)
		log_msg(LOG_LEVEL_ERROR, NULL, "worker-failed",
			"cannot start worker %u: %s", i, strerror(-ret));
	for (i = 0; !ret && i < workers->n; i++)
		ret = await_ready(&workers->w[i]);
	if (!ret)
		log_msg(LOG_LEVEL_INFO, NULL, "workers", "%u processes serve",
			count);
	free(x->envp);
	free(x);
	return ret;
}

/* ---- signals, deaths, the stop --------------------------------------------- */

void workers_signal(struct workers *workers, int signo)
{
	size_t i;

	for (i = 0; workers && i < workers->n; i++) {
		if (workers->w[i].pid)
			kill(workers->w[i].pid, signo);
	}
}

static void log_end_of(const struct worker *w, int wstatus, bool stopping)
{
	struct log_line line;

	if (!log_begin(&line, stopping ? LOG_LEVEL_INFO : LOG_LEVEL_ERROR,
		       NULL, stopping ? "worker-stopped" : "worker-died"))
		return;
	log_u64(&line, "worker", w->index);
	log_int(&line, "pid", (long long)w->pid);
	if (WIFSIGNALED(wstatus))
		log_str(&line, "signal", strsignal(WTERMSIG(wstatus)));
	else
		log_int(&line, "status", WEXITSTATUS(wstatus));
	if (!stopping)
		log_str(&line, "msg", "stopping e2md: one worker less would be a half service; let the service manager start it again");
	log_end(&line);
}

static void closed(struct worker *w)
{
	w->pid = 0;
	if (w->channel >= 0)
		close(w->channel);
	w->channel = -1;
}

bool workers_reap(struct workers *workers, bool stopping)
{
	bool died = false;
	int wstatus;
	size_t i;

	for (i = 0; workers && i < workers->n; i++) {
		struct worker *w = &workers->w[i];

		if (!w->pid || waitpid(w->pid, &wstatus, WNOHANG) != w->pid)
			continue;
		log_end_of(w, wstatus, stopping);
		closed(w);
		died |= !stopping;
	}
	return died;
}

static bool any_alive(const struct workers *workers)
{
	size_t i;

	for (i = 0; i < workers->n; i++) {
		if (workers->w[i].pid)
			return true;
	}
	return false;
}

void workers_free(struct workers *workers, bool tell)
{
	long long until = now_ms() + (DAEMON_DRAIN_SECONDS + 1) * 1000;
	struct timespec poll_time = { 0, REAP_POLL_MS * 1000000L };

	if (!workers)
		return;
	if (tell)
		workers_signal(workers, SIGTERM);
	while (any_alive(workers) && now_ms() < until) {
		workers_reap(workers, true);
		if (any_alive(workers))
			nanosleep(&poll_time, NULL);
	}
	if (any_alive(workers)) {
		log_msg(LOG_LEVEL_WARNING, NULL, "worker-killed",
			"a worker still running after the drain time: SIGKILL");
		workers_signal(workers, SIGKILL);
		while (any_alive(workers)) {
			workers_reap(workers, true);
			if (any_alive(workers))
				nanosleep(&poll_time, NULL);
		}
	}
	free(workers);
}

/* ---- status -------------------------------------------------------------------- */

/* An answer that came after its question's time was up. */
static void drain_stale(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[4096];

	while (fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & POLLIN) &&
	       read(fd, buf, sizeof(buf)) > 0)
		;
}

/* One worker's own roles' status, or NULL when it did not answer. */
static json_t *ask(struct worker *w)
{
	json_t *status = NULL, *roles;
	char *line;

	drain_stale(w->channel);
	if (w->channel < 0 || write_all(w->channel, "status\n", 7))
		return NULL;
	line = read_line(w->channel, WORKERS_ANSWER_MS);
	if (line)
		status = json_loads(line, 0, NULL);
	free(line);
	roles = json_incref(json_object_get(status, "roles"));
	json_decref(status);
	if (!json_is_array(roles)) {
		json_decref(roles);
		return NULL;
	}
	return roles;
}

static json_t *entry(unsigned int index, long long pid, json_t *roles)
{
	if (!roles)
		return json_pack("{s:I, s:I, s:s}", "worker", (json_int_t)index,
				 "pid", (json_int_t)pid, "error", "no answer");
	return json_pack("{s:I, s:I, s:o}", "worker", (json_int_t)index,
			 "pid", (json_int_t)pid, "roles", roles);
}

int workers_status(struct workers *workers, json_t *status)
{
	json_t *all = json_array(), *sums = json_object_get(status, "roles");
	json_t *roles;
	size_t i;

	if (!all || json_array_append_new(all, entry(0, getpid(),
						      json_deep_copy(sums))))
		goto fail;
	for (i = 0; i < workers->n; i++) {
		struct worker *w = &workers->w[i];

		roles = w->pid ? ask(w) : NULL;
		if (roles && worker_status_sum(sums, roles)) {
			json_decref(roles);
			goto fail;
		}
		if (json_array_append_new(all, entry(w->index, w->pid, roles)))
			goto fail;
	}
	return json_object_set_new(status, "workers", all) ? -ENOMEM : 0;
fail:
	json_decref(all);
	return -ENOMEM;
}

/* ---- a worker's side ----------------------------------------------------------- */

int worker_from_env(unsigned int *index, int *channel)
{
	const char *value = getenv(WORKER_ENV);
	const char *fds = getenv(LISTEN_FDS_ENV);
	unsigned int k;
	int fd, used = 0, ret = 0;

	*index = 0;
	*channel = -1;
	if (!value)
		return 0;
	if (sscanf(value, "%u,%d%n", &k, &fd, &used) != 2 ||
	    value[used] || !k || k >= CONFIG_WORKERS_MAX || fd < 0 || !fds)
		ret = -EINVAL;
	if (!ret)
		ret = listen_fds_inherit(fds);
	if (!ret) {
		*index = k;
		*channel = fd;
		/* Nothing this worker starts is a worker. */
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	unsetenv(WORKER_ENV);
	unsetenv(LISTEN_FDS_ENV);
	return ret;
}

/* The first asks (a line "status"), or has gone (end of file). */
static void on_channel(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	char buf[64], *text;
	json_t *status;
	ssize_t got;

	(void)what;
	got = read(fd, buf, sizeof(buf));
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got <= 0) {
		event_del(d->channel_event);
		daemon_stop(d, "the first process's exit");
		return;
	}
	/* One answer per question, however the bytes came. */
	if (!memchr(buf, '\n', (size_t)got))
		return;
	status = daemon_status(d);
	text = status ? json_dumps(status, JSON_COMPACT) : NULL;
	if (!text || write_all(d->channel, text, strlen(text)) ||
	    write_all(d->channel, "\n", 1))
		log_msg(LOG_LEVEL_ERROR, NULL, "worker-status-failed",
			"cannot answer the first process's status");
	free(text);
	json_decref(status);
}

int worker_channel_start(struct daemon *d)
{
	d->channel_event = event_new(d->base, d->channel, EV_READ | EV_PERSIST,
				     on_channel, d);
	if (!d->channel_event || event_add(d->channel_event, NULL))
		return -ENOMEM;
	return write_all(d->channel, "ready\n", 6);
}

void worker_channel_free(struct daemon *d)
{
	if (d->channel_event)
		event_free(d->channel_event);
	d->channel_event = NULL;
	if (d->channel >= 0)
		close(d->channel);
	d->channel = -1;
}
