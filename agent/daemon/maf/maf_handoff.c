// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's keys handed to an application's uid, see maf_handoff.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <keyutils.h>
#include <openssl/crypto.h>

#include "daemon/log.h"
#include "maf_handoff.h"

#define ROLE	"maf"
/* Possessor and owner: view, read, search; nothing else, nobody else. */
#define HANDOFF_PERM	(KEY_POS_VIEW | KEY_POS_READ | KEY_POS_SEARCH | \
			 KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH)

/* What one hand-off asks of the child; the key is wiped after. */
struct handoff_job {
	char desc[sizeof(MAF_HANDOFF_DESC_PREFIX) + ONEM2M_KEY_ID_MAX];
	uint8_t key[STORE_ONEM2M_KE_LEN];
	unsigned int timeout;	/* seconds; 0: take the key back */
};

/* What the child says back: the key's serial, or where it failed. */
struct handoff_result {
	key_serial_t serial;	/* given: the new key; taken: the old, or 0 */
	int err;		/* errno of the step that failed, 0 if none */
	char step[32];
};

#define STEP(r, name, call) do { \
		if ((call) < 0) { \
			(r)->err = errno; \
			snprintf((r)->step, sizeof((r)->step), "%s", (name)); \
			return; \
		} \
	} while (0)

/*
 * Invalidates serial; one gone already (collected once no keyring held
 * it) is no error.
 */
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

/*
 * The new key is made in the child's own process keyring, where nobody
 * else sees it, given its timeout, then linked into the ring, which
 * displaces a key of the same description in one step (no moment
 * without one), and only then narrowed to HANDOFF_PERM (link and setattr
 * are the possessor's until then). The displaced key is invalidated: the
 * application may have linked it elsewhere.
 */
static void give_in_child(key_serial_t ring, const struct handoff_job *job,
			  struct handoff_result *r)
{
	key_serial_t old = find(ring, job->desc);

	r->serial = add_key("user", job->desc, job->key, sizeof(job->key),
			    KEY_SPEC_PROCESS_KEYRING);
	STEP(r, "add_key", r->serial);
	STEP(r, "keyctl timeout", keyctl_set_timeout(r->serial, job->timeout));
	STEP(r, "keyctl link", keyctl_link(r->serial, ring));
	STEP(r, "keyctl unlink", keyctl_unlink(r->serial,
					       KEY_SPEC_PROCESS_KEYRING));
	STEP(r, "keyctl setperm", keyctl_setperm(r->serial, HANDOFF_PERM));
	if (old && old != r->serial)
		STEP(r, "keyctl invalidate", invalidate(old));
}

static void take_in_child(key_serial_t ring, const struct handoff_job *job,
			  struct handoff_result *r)
{
	r->serial = find(ring, job->desc);
	if (r->serial)
		STEP(r, "keyctl invalidate", invalidate(r->serial));
}

/* In the child: uid's identity, then the job in its persistent keyring. */
static void child(uid_t uid, gid_t gid, const struct handoff_job *job,
		  struct handoff_result *r)
{
	key_serial_t ring;

	STEP(r, "setgroups", setgroups(0, NULL));
	STEP(r, "setresgid", setresgid(gid, gid, gid));
	STEP(r, "setresuid", setresuid(uid, uid, uid));
	/* Linked into the child's process keyring: the child possesses it. */
	ring = keyctl_get_persistent(-1, KEY_SPEC_PROCESS_KEYRING);
	STEP(r, "keyctl get_persistent", ring);
	if (job->timeout)
		give_in_child(ring, job, r);
	else
		take_in_child(ring, job, r);
}
#undef STEP

/* The group the child takes: handoff.gid, or the uid's primary group. */
static gid_t handoff_gid(const struct config_maf_handoff *h)
{
	const struct passwd *pw;

	if (h->gid != MAF_HANDOFF_GID_PASSWD)
		return (gid_t)h->gid;
	pw = getpwuid((uid_t)h->uid);
	return pw ? pw->pw_gid : (gid_t)h->uid;
}

/*
 * Runs job in a child as the uid; 0, or -errno with r->step set. The
 * child is short (a few system calls) and the event loop waits for it:
 * keys come one per fetch, and a thread would share e2md's credentials.
 */
static int run(const struct config_maf_handoff *h,
	       const struct handoff_job *job, struct handoff_result *r)
{
	gid_t gid = handoff_gid(h);
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(fds, O_CLOEXEC)) {
		r->err = errno;
		snprintf(r->step, sizeof(r->step), "pipe");
		return -r->err;
	}
	pid = fork();
	if (pid < 0) {
		r->err = errno;
		close(fds[0]);
		close(fds[1]);
		snprintf(r->step, sizeof(r->step), "fork");
		return -r->err;
	}
	if (!pid) {
		close(fds[0]);
		child((uid_t)h->uid, gid, job, r);
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
		snprintf(r->step, sizeof(r->step), "child");
		r->err = EPIPE;
	}
	return r->err ? -r->err : 0;
}

static void failed(struct maf *maf, const char *key_id,
		   const struct handoff_result *r)
{
	struct log_line line;

	maf->counters.handoff_failed++;
	if (log_begin(&line, LOG_LEVEL_WARNING, ROLE, "handoff-failed")) {
		log_str(&line, maf_key_id_name(maf), key_id);
		log_u64(&line, "uid", maf->conf->handoff.uid);
		log_str(&line, "step", r->step);
		log_str(&line, "error", strerror(r->err));
		log_end(&line);
	}
}

static void done(struct maf *maf, const char *event, const char *key_id,
		 key_serial_t serial)
{
	struct log_line line;

	if (log_begin(&line, LOG_LEVEL_INFO, ROLE, event)) {
		log_str(&line, maf_key_id_name(maf), key_id);
		log_u64(&line, "uid", maf->conf->handoff.uid);
		log_int(&line, "serial", serial);
		log_end(&line);
	}
}

static void set_desc(struct handoff_job *job, const char *key_id)
{
	snprintf(job->desc, sizeof(job->desc), MAF_HANDOFF_DESC_PREFIX "%s",
		 key_id);
}

void maf_handoff_give(struct maf *maf, const struct store_onem2m_km *km,
		      int64_t now)
{
	int64_t left = km->pub.expires - now;
	struct handoff_result r;
	struct handoff_job job;

	if (!maf->conf->handoff.line || left <= 0)
		return;
	memset(&job, 0, sizeof(job));
	set_desc(&job, km->pub.km_id);
	memcpy(job.key, km->km, sizeof(job.key));
	job.timeout = left > UINT_MAX ? UINT_MAX : (unsigned int)left;
	if (run(&maf->conf->handoff, &job, &r)) {
		failed(maf, km->pub.km_id, &r);
	} else {
		maf->counters.handed++;
		done(maf, "km-handed", km->pub.km_id, r.serial);
	}
	OPENSSL_cleanse(&job, sizeof(job));
}

void maf_handoff_take(struct maf *maf, const char *key_id)
{
	struct handoff_result r;
	struct handoff_job job;

	if (!maf->conf->handoff.line)
		return;
	memset(&job, 0, sizeof(job));
	set_desc(&job, key_id);
	if (run(&maf->conf->handoff, &job, &r))
		failed(maf, key_id, &r);
	else if (r.serial)
		done(maf, "km-withdrawn", key_id, r.serial);
}

struct replaced {
	const struct store_onem2m_km_info *info;
	char *gone;
	size_t size;
};

static int find_replaced(const struct store_onem2m_km_info *row, void *arg)
{
	struct replaced *s = arg;

	if (!strcmp(row->ke_id, s->info->ke_id) &&
	    !strcmp(row->enrolee_id, s->info->enrolee_id) &&
	    strcmp(row->km_id, s->info->km_id))
		snprintf(s->gone, s->size, "%s", row->km_id);
	return 0;
}

void maf_handoff_replaced(struct maf *maf,
			  const struct store_onem2m_km_info *info,
			  char *gone, size_t size)
{
	struct replaced s = { info, gone, size };

	*gone = '\0';
	if (maf->conf->handoff.line &&
	    store_onem2m_km_list(maf->daemon->store, find_replaced, &s))
		*gone = '\0';
}

/* The live rows' ids, collected first: no store call inside the list. */
struct live_ids {
	char (*ids)[STORE_ONEM2M_KE_ID_MAX + 1];
	size_t n;
	int64_t now;
};

static int collect(const struct store_onem2m_km_info *row, void *arg)
{
	struct live_ids *l = arg;

	if (row->expires <= l->now || l->n == MAF_KMS_MAX)
		return 0;
	snprintf(l->ids[l->n++], sizeof(l->ids[0]), "%s", row->km_id);
	return 0;
}

void maf_handoff_restore(struct maf *maf)
{
	struct live_ids l = { NULL, 0, (int64_t)time(NULL) };
	struct store_onem2m_km km;
	size_t i;
	int ret;

	if (!maf->conf->handoff.line)
		return;
	l.ids = calloc(MAF_KMS_MAX, sizeof(l.ids[0]));
	if (!l.ids) {
		log_msg(LOG_LEVEL_ERROR, ROLE, "handoff-failed",
			"restoring the keys: out of memory");
		return;
	}
	ret = store_onem2m_km_list(maf->daemon->store, collect, &l);
	if (ret)
		log_msg(LOG_LEVEL_ERROR, ROLE, "store-failed",
			"listing Kms for the hand-off: %s",
			store_strerror(ret));
	for (i = 0; !ret && i < l.n; i++) {
		if (maf_km_find(maf, l.ids[i], &km) == 0)
			maf_handoff_give(maf, &km, l.now);
		store_onem2m_km_wipe(&km);
	}
	free(l.ids);
}
