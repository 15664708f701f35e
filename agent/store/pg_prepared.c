// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's prepared statements: each statement text of
 * pg_query() is parsed and planned by the server once per connection
 * (PQprepare, named e2m_N), then only executed (PQexecPrepared) with its
 * parameters, in the same binary format. Every statement is fixed text
 * (pg_db.h), so the texts are few: the first PG_PREPARED_MAX of them are
 * kept, any beyond runs as before (PQexecParams, parsed each time).
 *
 * The names live in the server session: a new connection (PQreset) has
 * none, and pg_prepared_forget() drops the list with it. A statement
 * whose PREPARE fails runs unprepared, and fails there as it would have.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_db.h"

static void statement_name(int i, char *name, size_t size)
{
	snprintf(name, size, "e2m_%d", i);
}

/* The index of sql's prepared statement, prepared now if it is new; -1. */
static int prepared_index(struct pg_store *ps, const char *sql,
			  const struct pg_params *p)
{
	char name[16], *text;
	PGresult *res;
	bool done;
	int i;

	for (i = 0; i < ps->n_prepared; i++)
		if (!strcmp(ps->prepared[i], sql))
			return i;
	if (ps->n_prepared == PG_PREPARED_MAX)
		return -1;
	text = strdup(sql);
	if (!text)
		return -1;
	i = ps->n_prepared;
	statement_name(i, name, sizeof(name));
	res = PQprepare(ps->conn, name, sql, p ? p->n : 0, p ? p->types : NULL);
	done = res && PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!done) {
		free(text);
		return -1;
	}
	ps->prepared[i] = text;
	ps->n_prepared++;
	return i;
}

PGresult *pg_run(struct pg_store *ps, const char *sql,
		 const struct pg_params *p)
{
	int i = prepared_index(ps, sql, p);
	char name[16];

	if (i < 0)
		return PQexecParams(ps->conn, sql, p ? p->n : 0,
				    p ? p->types : NULL, p ? p->values : NULL,
				    p ? p->lengths : NULL,
				    p ? p->formats : NULL, 1);
	statement_name(i, name, sizeof(name));
	return PQexecPrepared(ps->conn, name, p ? p->n : 0,
			      p ? p->values : NULL, p ? p->lengths : NULL,
			      p ? p->formats : NULL, 1);
}

void pg_prepared_forget(struct pg_store *ps)
{
	int i;

	for (i = 0; i < ps->n_prepared; i++) {
		free(ps->prepared[i]);
		ps->prepared[i] = NULL;
	}
	ps->n_prepared = 0;
}
