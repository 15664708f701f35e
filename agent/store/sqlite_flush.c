// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's deferred flush (store_engine.h: defer_flush, flush).
 *
 * With synchronous=FULL a COMMIT returns once the WAL is on disk, and the
 * daemon's one event loop waits for that fdatasync (about 2 ms on this
 * project's disks) at every group commit: on a disk a role then answers
 * a third fewer requests than on tmpfs. Deferred, the connection runs
 * synchronous=NORMAL: a COMMIT writes its frames to the WAL and returns,
 * and flush() is fdatasync() of the WAL through a descriptor of our own.
 * It is the same inode, so the same page cache: whatever any descriptor
 * wrote before the call is on disk when it returns. store_group.c calls
 * flush on a thread of its own and answers a group only after it, so what
 * is answered is on disk exactly as before, while the loop goes on and
 * the next group gathers. A checkpoint, at synchronous=NORMAL too, syncs
 * the WAL before it copies pages and the database file after.
 *
 * A COMMIT that is not the group's (an admin write, a purge, a write made
 * while the group could not open) flushes before it returns, in the WAL
 * hook that SQLite calls after every commit: each write outside a group
 * is as durable as it always was. That hook replaces SQLite's automatic
 * checkpoint, so it checkpoints as that would have (PASSIVE, once the WAL
 * holds WAL_CHECKPOINT_FRAMES frames).
 *
 * A failed fdatasync is sticky. Linux may drop the pages it failed to
 * write and report success to the next call, and a WAL whose middle never
 * reached the disk loses every later frame at recovery: after one failure
 * no later commit can be called durable. Every flush fails with the first
 * error until the store is opened again (e2md restarted, once the disk is
 * looked at).
 *
 * Lifetime: the WAL file exists while the connection is open (SQLite
 * removes it at the last close only, and ours is open until
 * sqlite_close()), so the descriptor, opened when deferral starts and
 * closed when it ends, always names it. The directory is synced once at
 * that start, so the WAL's name is durable too. wal_fd is written only
 * while no flush can run (store_group starts its thread after defer and
 * joins it before undoing it); flush_error and flushes are atomic.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite_db.h"

/* SQLite's own default for its automatic checkpoint. */
#define WAL_CHECKPOINT_FRAMES	1000

int sqlite_flush(struct store *store)
{
	struct sqlite_store *ss = to_sqlite(store);
	int err = atomic_load(&ss->flush_error), none = 0;

	if (err || ss->wal_fd < 0)
		return err;
	if (!fdatasync(ss->wal_fd)) {
		atomic_fetch_add(&ss->flushes, 1);
		return 0;
	}
	err = -errno;
	atomic_compare_exchange_strong(&ss->flush_error, &none, err);
	return atomic_load(&ss->flush_error);
}

/* After every commit, with the write lock released (sqlite3_wal_hook()). */
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct sqlite_store *ss = arg;
	int ret = 0;

	if (ss->group_committing)
		ss->group_wrote = true;
	else
		ret = sqlite_flush(&ss->base);
	if (frames >= WAL_CHECKPOINT_FRAMES)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
	/* The commit stands; its write reports that it is not durable. */
	return ret ? SQLITE_IOERR_FSYNC : SQLITE_OK;
}

/* The directory holding path, synced: a new file's name made durable. */
static int sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, ret = 0;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return -ENOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

static int open_wal(struct sqlite_store *ss)
{
	const char *main_db = sqlite3_db_filename(ss->db, "main");
	const char *wal = main_db && *main_db ? sqlite3_filename_wal(main_db) :
						 NULL;
	int fd, ret;

	if (!wal || !*wal)
		return db_fail(ss, -EOPNOTSUPP, "deferred flush: no WAL file");
	fd = open(wal, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		store_set_errmsg(&ss->base, "deferred flush: %s: %s", wal,
				 strerror(-ret));
		return ret;
	}
	ret = sync_dir_of(wal);
	if (ret) {
		close(fd);
		store_set_errmsg(&ss->base, "deferred flush: sync of %s's directory: %s",
				 wal, strerror(-ret));
		return ret;
	}
	ss->wal_fd = fd;
	return 0;
}

static int defer_on(struct sqlite_store *ss)
{
	int ret;

	if (ss->wal_fd >= 0)
		return 0;
	if (!sqlite3_get_autocommit(ss->db))
		return db_fail(ss, -EBUSY, "deferred flush: a transaction is open");
	ret = open_wal(ss);
	if (ret)
		return ret;
	ret = db_exec(ss, "PRAGMA synchronous=NORMAL");
	if (ret) {
		close(ss->wal_fd);
		ss->wal_fd = -1;
		return ret;
	}
	sqlite3_wal_hook(ss->db, on_commit, ss);
	return 0;
}

/* Back to a flush in every COMMIT, what was committed flushed first. */
static int defer_off(struct sqlite_store *ss)
{
	int ret, full;

	if (ss->wal_fd < 0)
		return 0;
	ret = sqlite_flush(&ss->base);
	sqlite3_wal_autocheckpoint(ss->db, WAL_CHECKPOINT_FRAMES);
	full = db_exec(ss, "PRAGMA synchronous=FULL");
	if (!ret)
		ret = full;
	close(ss->wal_fd);
	ss->wal_fd = -1;
	return ret;
}

int sqlite_defer_flush(struct store *store, bool on)
{
	struct sqlite_store *ss = to_sqlite(store);

	return on ? defer_on(ss) : defer_off(ss);
}
