// SPDX-License-Identifier: GPL-2.0
/*
 * A key handed to another uid's persistent keyring, see
 * user_key_handoff.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "kernel/user_key_handoff.h"

enum job_op { JOB_GIVE, JOB_TAKE, JOB_RENEW };

/* What one hand-off asks of the child; wiped after. */
struct job {
	enum job_op op;
	char desc[USER_KEY_HANDOFF_DESC_MAX];
	uint8_t key[USER_KEY_HANDOFF_KEY_MAX];
	size_t len;
	unsigned int timeout;	/* seconds, JOB_GIVE's */
};

#define STEP(r, name, call) do { \
		if ((call) < 0) { \
			(r)->err = errno; \
			snprintf((r)->step, sizeof((r)->step), "%s", (name)); \
			return; \
		} \
	} while (0)

/* One gone already (collected once no keyring held it) is no error. */
static long invalidate(key_serial_t serial)
{
	long ret = keyctl_invalidate(serial);

	return ret < 0 && errno == ENOKEY ? 0 : ret;
}

/* The live key of desc in ring: its serial, or 0 when there is none. */
static key_serial_t find(key_serial_t ring, const char *desc)
{
	long serial = keyctl_search(ring, "user", desc, 0);

	return serial < 0 ? 0 : (key_serial_t)serial;
}

/* Made unseen, linked (displacing the old), then narrowed: see the .h. */
static void give(key_serial_t ring, const struct job *job,
		 struct user_key_handoff *r)
{
	key_serial_t old = find(ring, job->desc);

	r->serial = add_key("user", job->desc, job->key, job->len,
			    KEY_SPEC_PROCESS_KEYRING);
	STEP(r, "add_key", r->serial);
	STEP(r, "keyctl timeout", keyctl_set_timeout(r->serial, job->timeout));
	STEP(r, "keyctl link", keyctl_link(r->serial, ring));
	STEP(r, "keyctl unlink", keyctl_unlink(r->serial,
					       KEY_SPEC_PROCESS_KEYRING));
	STEP(r, "keyctl setperm", keyctl_setperm(r->serial,
						 USER_KEY_HANDOFF_PERM));
	if (old && old != r->serial)
		STEP(r, "keyctl invalidate", invalidate(old));
}

static void take(key_serial_t ring, const struct job *job,
		 struct user_key_handoff *r)
{
	r->serial = find(ring, job->desc);
	if (r->serial)
		STEP(r, "keyctl invalidate", invalidate(r->serial));
}

/* In the child: uid's identity, then the job in its persistent keyring. */
static void child(uid_t uid, gid_t gid, const struct job *job,
		  struct user_key_handoff *r)
{
	key_serial_t ring;

	STEP(r, "setgroups", setgroups(0, NULL));
	STEP(r, "setresgid", setresgid(gid, gid, gid));
	STEP(r, "setresuid", setresuid(uid, uid, uid));
	/* Linked into the child's process keyring: the child possesses it. */
	ring = keyctl_get_persistent(-1, KEY_SPEC_PROCESS_KEYRING);
	STEP(r, "keyctl get_persistent", ring);
	/* The call itself renewed the keyring's expiry: all JOB_RENEW asks. */
	if (job->op == JOB_GIVE)
		give(ring, job, r);
	else if (job->op == JOB_TAKE)
		take(ring, job, r);
	else
		r->serial = ring;
}
#undef STEP

static int failed(struct user_key_handoff *r, const char *step, int err)
{
	snprintf(r->step, sizeof(r->step), "%s", step);
	r->err = err;
	return -err;
}

/*
 * Runs job in a child as uid:gid and waits for it (a few system calls:
 * a thread would share the caller's credentials).
 */
static int run(uid_t uid, gid_t gid, const struct job *job,
	       struct user_key_handoff *r)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(fds, O_CLOEXEC))
		return failed(r, "pipe", errno);
	fflush(NULL);		/* nothing buffered is written twice */
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return failed(r, "fork", errno);
	}
	if (!pid) {
		close(fds[0]);
		child(uid, gid, job, r);
		n = write(fds[1], r, sizeof(*r));
		_exit(n == (ssize_t)sizeof(*r) ? 0 : 1);
	}
	close(fds[1]);
	do
		n = read(fds[0], r, sizeof(*r));
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(*r)) {
		memset(r, 0, sizeof(*r));
		return failed(r, "child", EPIPE);
	}
	return r->err ? -r->err : 0;
}

static bool set_desc(struct job *job, const char *desc)
{
	return (size_t)snprintf(job->desc, sizeof(job->desc), "%s", desc) <
	       sizeof(job->desc);
}

int user_key_handoff_give(uid_t uid, gid_t gid, const char *desc,
			  const uint8_t *key, size_t len,
			  unsigned int timeout, struct user_key_handoff *r)
{
	struct job job = { .op = JOB_GIVE, .len = len, .timeout = timeout };
	int ret;

	memset(r, 0, sizeof(*r));
	if (!timeout || !len || len > sizeof(job.key) ||
	    !set_desc(&job, desc))
		return failed(r, "arguments", EINVAL);
	memcpy(job.key, key, len);
	ret = run(uid, gid, &job, r);
	OPENSSL_cleanse(&job, sizeof(job));
	return ret;
}

int user_key_handoff_take(uid_t uid, gid_t gid, const char *desc,
			  struct user_key_handoff *r)
{
	struct job job = { .op = JOB_TAKE };

	memset(r, 0, sizeof(*r));
	if (!set_desc(&job, desc))
		return failed(r, "arguments", EINVAL);
	return run(uid, gid, &job, r);
}

int user_key_handoff_renew(uid_t uid, gid_t gid, struct user_key_handoff *r)
{
	struct job job = { .op = JOB_RENEW };

	return run(uid, gid, &job, r);
}

gid_t user_key_handoff_gid(uid_t uid)
{
	const struct passwd *pw = getpwuid(uid);

	return pw ? pw->pw_gid : (gid_t)uid;
}
