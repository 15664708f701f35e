// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL engine's connection: the connection string (checked for
 * a password, which belongs in the password file), the password file
 * (private, as the store key's; read, handed to libpq, wiped) and the
 * session's settings (durable commits).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "pg_db.h"
#include "private_file.h"
#include "util/secure_alloc.h"
#include "util/why.h"

#define PASSWORD_MAX	1024

/* The password: the file's first line, at most PASSWORD_MAX - 1 octets. */
static int read_password(const char *path, char *password, char *why,
			 size_t why_size)
{
	uint8_t buf[PASSWORD_MAX];
	ssize_t len;
	size_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		ub_why(why, why_size, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = store_private_file_check(fd, path, "database password", why,
				       why_size);
	len = ret ? 0 : store_private_file_read(fd, buf, sizeof(buf));
	close(fd);
	if (ret)
		return ret;
	if (len < 0) {
		ub_why(why, why_size, "%s: %s", path, strerror((int)-len));
		return (int)len;
	}
	n = (size_t)len;
	if (n && buf[n - 1] == '\n')
		n--;
	if (n == 0 || n >= PASSWORD_MAX || memchr(buf, '\0', n) ||
	    memchr(buf, '\n', n)) {
		OPENSSL_cleanse(buf, sizeof(buf));
		ub_why(why, why_size, "%s: one line of 1 to %d octets, the"
		       " password", path, PASSWORD_MAX - 1);
		return -EINVAL;
	}
	memcpy(password, buf, n);
	password[n] = '\0';
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

int store_postgresql_password_check(const char *password_file, char *why,
				    size_t why_size)
{
	char *password = secure_calloc(PASSWORD_MAX);
	int ret;

	if (!password)
		return -ENOMEM;
	ret = read_password(password_file, password, why, why_size);
	OPENSSL_cleanse(password, PASSWORD_MAX);
	secure_free(password);
	return ret;
}

/* A password inside the connection string would be in the configuration. */
int store_postgresql_conninfo_check(const char *conninfo, char *why,
				    size_t why_size)
{
	PQconninfoOption *opts, *o;
	char *err = NULL;
	int ret = 0;

	opts = PQconninfoParse(conninfo, &err);
	if (!opts) {
		/* libpq's message quotes no value of the string. */
		ub_why(why, why_size, "connection string: %s",
		       err ? err : "out of memory");
		PQfreemem(err);
		return -EINVAL;
	}
	for (o = opts; o->keyword; o++) {
		if (!strcmp(o->keyword, "password") && o->val) {
			ub_why(why, why_size, "connection string: no password"
			       " in it; give it in password-file");
			ret = -EINVAL;
		}
	}
	PQconninfoFree(opts);
	return ret;
}

/* Durable commits, whatever the server's default. */
int pg_session_setup(struct pg_store *ps)
{
	return pg_exec(ps, "SET synchronous_commit = on;"
		       " SET client_min_messages = warning;"
		       " SET default_transaction_isolation = 'read committed'");
}

int pg_connect(struct pg_store *ps, const char *conninfo,
	       const char *password_file, char *why, size_t why_size)
{
	const char *keywords[] = { "dbname", "password", NULL };
	const char *values[] = { conninfo, NULL, NULL };
	char *password = NULL;
	int ret = store_postgresql_conninfo_check(conninfo, why, why_size);

	if (ret)
		return ret;
	if (password_file) {
		password = secure_calloc(PASSWORD_MAX);
		if (!password)
			return -ENOMEM;
		ret = read_password(password_file, password, why, why_size);
		if (ret) {
			secure_free(password);
			return ret;
		}
		values[1] = password;
	}
	ps->conn = PQconnectdbParams(keywords, values, 1);
	if (password) {
		OPENSSL_cleanse(password, PASSWORD_MAX);
		secure_free(password);
	}
	if (!ps->conn)
		return -ENOMEM;
	if (PQstatus(ps->conn) != CONNECTION_OK) {
		ub_why(why, why_size, "postgresql: %s",
		       PQerrorMessage(ps->conn));
		why[strcspn(why, "\n")] = '\0';
		return -ECONNREFUSED;
	}
	ret = pg_session_setup(ps);
	if (ret)
		ub_why(why, why_size, "postgresql: %s", store_errmsg(&ps->base));
	return ret;
}
