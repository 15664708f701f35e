/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A power cut for SQLite: a VFS shim over the default (unix) VFS that
 * remembers, for each database and WAL file, what every write or truncate
 * since that file's last xSync replaced. pl_cut() puts all of it back and
 * ends the process at once, without SQLite closing anything: the files are
 * then as a disk that lost power would have them, only what was synced.
 *
 * pl_arm(n) cuts by itself at the n-th write, truncate or sync of those
 * files (before it happens): inside a transaction, a commit, a checkpoint.
 * pl_unsynced() says how many changes are waiting for a sync: none after
 * a durable commit. The shim also notes the synchronous PRAGMA the
 * connection set (SQLite hands every PRAGMA to the main file first).
 */
#ifndef E2M_POWERLOSS_VFS_H
#define E2M_POWERLOSS_VFS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

/* One change to undo: the file's size and the octets it had before. */
struct pl_undo {
	struct pl_undo *prev;
	sqlite3_int64 offset;
	sqlite3_int64 size_before;
	int len;
	unsigned char old[];	/* zero past size_before */
};

struct pl_file {
	sqlite3_file base;
	sqlite3_file *real;		/* right after this struct */
	struct pl_undo *undo;		/* newest first */
	struct pl_file *next;		/* the open files we watch */
	int watched;			/* a main database or WAL file */
};

static sqlite3_vfs pl_vfs;
static sqlite3_vfs *pl_real_vfs;
static struct pl_file *pl_files;
static long pl_countdown;		/* 0: not armed */
static char pl_synchronous[32];		/* the last "PRAGMA synchronous=X" */

static inline void pl_arm(long changes)
{
	pl_countdown = changes;
}

static inline size_t pl_unsynced(void)
{
	const struct pl_file *f;
	const struct pl_undo *u;
	size_t n = 0;

	for (f = pl_files; f; f = f->next)
		for (u = f->undo; u; u = u->prev)
			n++;
	return n;
}

static inline void pl_forget(struct pl_file *f)
{
	struct pl_undo *u;

	while ((u = f->undo)) {
		f->undo = u->prev;
		free(u);
	}
}

/* Power is lost: every file back to what was synced, and the end. */
static inline void __attribute__((noreturn)) pl_cut(void)
{
	struct pl_file *f;
	struct pl_undo *u;

	for (f = pl_files; f; f = f->next) {
		for (u = f->undo; u; u = u->prev) {
			const struct sqlite3_io_methods *m = f->real->pMethods;

			m->xWrite(f->real, u->old, u->len, u->offset);
			m->xTruncate(f->real, u->size_before);
		}
	}
	_exit(0);
}

/* One more change to a watched file: the cut, if it is this one. */
static inline void pl_tick(const struct pl_file *f)
{
	if (f->watched && pl_countdown > 0 && --pl_countdown == 0)
		pl_cut();
}

/* Keeps what [offset, offset + len) holds now, before it changes. */
static inline int pl_keep(struct pl_file *f, sqlite3_int64 offset, int len)
{
	const struct sqlite3_io_methods *m = f->real->pMethods;
	struct pl_undo *u;
	sqlite3_int64 size;
	int rc;

	if (!f->watched)
		return SQLITE_OK;
	rc = m->xFileSize(f->real, &size);
	if (rc != SQLITE_OK)
		return rc;
	u = calloc(1, sizeof(*u) + (size_t)len);
	if (!u)
		return SQLITE_NOMEM;
	u->offset = offset;
	u->size_before = size;
	u->len = len;
	rc = m->xRead(f->real, u->old, len, offset);
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) {
		free(u);
		return rc;
	}
	u->prev = f->undo;
	f->undo = u;
	return SQLITE_OK;
}

#define PL_REAL(file) (((struct pl_file *)(file))->real)

static int pl_close(sqlite3_file *file)
{
	struct pl_file *f = (struct pl_file *)file, **p;

	for (p = &pl_files; *p; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
	pl_forget(f);
	return f->real->pMethods->xClose(f->real);
}

static int pl_read(sqlite3_file *file, void *buf, int len, sqlite3_int64 off)
{
	return PL_REAL(file)->pMethods->xRead(PL_REAL(file), buf, len, off);
}

static int pl_write(sqlite3_file *file, const void *buf, int len,
		    sqlite3_int64 off)
{
	struct pl_file *f = (struct pl_file *)file;
	int rc;

	pl_tick(f);
	rc = pl_keep(f, off, len);
	if (rc != SQLITE_OK)
		return rc;
	return f->real->pMethods->xWrite(f->real, buf, len, off);
}

static int pl_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct pl_file *f = (struct pl_file *)file;
	sqlite3_int64 now;
	int rc;

	pl_tick(f);
	rc = f->real->pMethods->xFileSize(f->real, &now);
	if (rc == SQLITE_OK && now > size)
		rc = pl_keep(f, size, (int)(now - size));
	if (rc != SQLITE_OK)
		return rc;
	return f->real->pMethods->xTruncate(f->real, size);
}

static int pl_sync(sqlite3_file *file, int flags)
{
	struct pl_file *f = (struct pl_file *)file;
	int rc;

	pl_tick(f);
	rc = f->real->pMethods->xSync(f->real, flags);
	if (rc == SQLITE_OK)
		pl_forget(f);
	return rc;
}

static int pl_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	return PL_REAL(file)->pMethods->xFileSize(PL_REAL(file), size);
}

static int pl_lock(sqlite3_file *file, int lock)
{
	return PL_REAL(file)->pMethods->xLock(PL_REAL(file), lock);
}

static int pl_unlock(sqlite3_file *file, int lock)
{
	return PL_REAL(file)->pMethods->xUnlock(PL_REAL(file), lock);
}

static int pl_check_reserved(sqlite3_file *file, int *out)
{
	return PL_REAL(file)->pMethods->xCheckReservedLock(PL_REAL(file), out);
}

static int pl_file_control(sqlite3_file *file, int op, void *arg)
{
	if (op == SQLITE_FCNTL_PRAGMA) {
		char **pragma = arg;

		if (pragma[1] && pragma[2] &&
		    !strcasecmp(pragma[1], "synchronous"))
			snprintf(pl_synchronous, sizeof(pl_synchronous), "%s",
				 pragma[2]);
	}
	return PL_REAL(file)->pMethods->xFileControl(PL_REAL(file), op, arg);
}

static int pl_sector_size(sqlite3_file *file)
{
	return PL_REAL(file)->pMethods->xSectorSize(PL_REAL(file));
}

static int pl_device(sqlite3_file *file)
{
	return PL_REAL(file)->pMethods->xDeviceCharacteristics(PL_REAL(file));
}

static int pl_shm_map(sqlite3_file *file, int page, int size, int extend,
		      void volatile **out)
{
	return PL_REAL(file)->pMethods->xShmMap(PL_REAL(file), page, size,
						 extend, out);
}

static int pl_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	return PL_REAL(file)->pMethods->xShmLock(PL_REAL(file), offset, n,
						  flags);
}

static void pl_shm_barrier(sqlite3_file *file)
{
	PL_REAL(file)->pMethods->xShmBarrier(PL_REAL(file));
}

static int pl_shm_unmap(sqlite3_file *file, int delete_flag)
{
	return PL_REAL(file)->pMethods->xShmUnmap(PL_REAL(file), delete_flag);
}

static int pl_fetch(sqlite3_file *file, sqlite3_int64 off, int len, void **out)
{
	return PL_REAL(file)->pMethods->xFetch(PL_REAL(file), off, len, out);
}

static int pl_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	return PL_REAL(file)->pMethods->xUnfetch(PL_REAL(file), off, p);
}

static const sqlite3_io_methods pl_io_methods = {
	.iVersion = 3,
	.xClose = pl_close,
	.xRead = pl_read,
	.xWrite = pl_write,
	.xTruncate = pl_truncate,
	.xSync = pl_sync,
	.xFileSize = pl_file_size,
	.xLock = pl_lock,
	.xUnlock = pl_unlock,
	.xCheckReservedLock = pl_check_reserved,
	.xFileControl = pl_file_control,
	.xSectorSize = pl_sector_size,
	.xDeviceCharacteristics = pl_device,
	.xShmMap = pl_shm_map,
	.xShmLock = pl_shm_lock,
	.xShmBarrier = pl_shm_barrier,
	.xShmUnmap = pl_shm_unmap,
	.xFetch = pl_fetch,
	.xUnfetch = pl_unfetch,
};

static int pl_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
		   int flags, int *out_flags)
{
	struct pl_file *f = (struct pl_file *)file;
	int rc;

	(void)vfs;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	rc = pl_real_vfs->xOpen(pl_real_vfs, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK || !f->real->pMethods) {
		f->base.pMethods = NULL;
		return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
	}
	f->watched = !!(flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL));
	f->next = pl_files;
	pl_files = f;
	f->base.pMethods = &pl_io_methods;
	return SQLITE_OK;
}

/* The shim becomes the default VFS: every sqlite3_open goes through it. */
static inline int pl_register(void)
{
	pl_real_vfs = sqlite3_vfs_find(NULL);
	if (!pl_real_vfs || pl_real_vfs->iVersion < 1)
		return -1;
	pl_vfs = *pl_real_vfs;
	pl_vfs.zName = "e2m-powerloss";
	pl_vfs.szOsFile = (int)sizeof(struct pl_file) + pl_real_vfs->szOsFile;
	pl_vfs.pNext = NULL;
	pl_vfs.xOpen = pl_open;
	return sqlite3_vfs_register(&pl_vfs, 1) == SQLITE_OK ? 0 : -1;
}

#endif /* E2M_POWERLOSS_VFS_H */
