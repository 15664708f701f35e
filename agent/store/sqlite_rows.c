// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite engine's walks over many rows, written once for every table:
 * a listing (struct db_rows) and a statement with "now" as its one
 * parameter (purging what expired, counting what lives). The tables' files
 * keep only what is theirs: the SQL and how a row is read.
 */
#include <errno.h>

#include "sqlite_db.h"

int db_rows_open(struct db_rows *rows, struct sqlite_store *ss,
		 const char *sql, const char *what)
{
	*rows = (struct db_rows){ .ss = ss, .what = what };
	rows->ret = db_prepare(ss, sql, &rows->stmt);
	if (rows->ret)
		rows->stmt = NULL;
	return rows->ret;
}

bool db_rows_next(struct db_rows *rows)
{
	int rc;

	if (rows->ret || !rows->stmt)
		return false;
	rc = sqlite3_step(rows->stmt);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE)
		rows->ret = db_fail_sqlite(rows->ss, rc, rows->what);
	return false;
}

/*
 * A row reader's -EUCLEAN is a value no row may hold: told as @damaged.
 * Anything else it returns (a refused row MAC) was told where it arose.
 */
bool db_rows_read(struct db_rows *rows, int ret, const char *damaged)
{
	if (ret == -EUCLEAN)
		ret = db_fail(rows->ss, ret, damaged);
	rows->ret = ret;
	if (!ret)
		rows->count++;
	return !ret;
}

void db_rows_visit(struct db_rows *rows, int ret)
{
	rows->ret = ret;
}

int db_rows_close(struct db_rows *rows, bool counting)
{
	db_release(rows->ss, rows->stmt);
	rows->stmt = NULL;
	if (rows->ret)
		return rows->ret;
	return counting ? rows->count : 0;
}

/* Binds now as ?1 and steps to the first row or the end. */
static int step_at(struct sqlite_store *ss, sqlite3_stmt *stmt, int64_t now)
{
	int ret = db_bind_int64(ss, stmt, 1, now);

	return ret ? ret : sqlite3_step(stmt);
}

int db_delete_at(struct sqlite_store *ss, const char *sql, int64_t now,
		 const char *what)
{
	sqlite3_stmt *stmt;
	int ret;

	ret = db_prepare(ss, sql, &stmt);
	if (ret)
		return ret;
	ret = db_step_done(ss, stmt, db_bind_int64(ss, stmt, 1, now), what);
	return ret ? ret : sqlite3_changes(ss->db);
}

int db_count_at(struct sqlite_store *ss, const char *sql, int64_t now,
		const char *what)
{
	sqlite3_stmt *stmt;
	int rc, ret;

	ret = db_prepare(ss, sql, &stmt);
	if (ret)
		return ret;
	rc = step_at(ss, stmt, now);
	if (rc < 0)
		ret = rc;
	else if (rc == SQLITE_ROW)
		ret = sqlite3_column_int(stmt, 0);
	else
		ret = db_fail_sqlite(ss, rc, what);
	db_release(ss, stmt);
	return ret;
}
