// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of the files a configuration names, see config_check.h.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store.h"
#include "config_check.h"
#include "net/tls.h"

int config_store_key(const struct config_store *store, struct store_key *key,
		     char *why, size_t why_size)
{
	if (store->key_file.path)
		return store_key_from_file(key, store->key_file.path, why,
					   why_size);
	return store_key_from_keyring(key, store->key_serial, why, why_size);
}

static unsigned int tls_line(const struct config_tls *tls, enum tls_file file)
{
	switch (file) {
	case TLS_FILE_CERTIFICATE:
		return tls->certificate.line;
	case TLS_FILE_PRIVATE_KEY:
		return tls->private_key.line;
	case TLS_FILE_CA:
		return tls->ca.line;
	default:
		return tls->line;
	}
}

/*
 * Whether path, if it is there, is open to group or other: then why (its
 * mode) and true. A file that is not there is for others to report.
 */
static bool open_to_others(const char *path, char *why, size_t why_size)
{
	struct stat st;

	if (stat(path, &st) || !(st.st_mode & 077))
		return false;
	snprintf(why, why_size, "%s: mode %04o, must not be open to group or other (0600 or 0400)",
		 path, (unsigned int)(st.st_mode & 07777));
	return true;
}

static void check_tls(const struct config *c, struct config_errors *errors)
{
	enum tls_file file = TLS_FILE_NONE;
	struct tls *tls;
	char why[256];

	if (open_to_others(c->tls.private_key.path, why, sizeof(why))) {
		config_error(errors, c->file, c->tls.private_key.line,
			     "tls.private-key: %s", why);
		return;
	}
	if (!tls_new(&tls, &c->tls, &file, why, sizeof(why))) {
		tls_free(tls);
		return;
	}
	if (file == TLS_FILE_NONE)
		config_error(errors, c->file, c->tls.line, "tls: %s", why);
	else
		config_error(errors, c->file, tls_line(&c->tls, file),
			     "tls.%s: %s", tls_file_key(file), why);
}

/* An existing store and its journals hold sealed keys and plain state. */
static void check_store_files(const struct config *c,
			      struct config_errors *errors)
{
	static const char *const suffixes[] = { "", "-wal", "-journal" };
	const struct config_store *store = &c->store;
	char path[PATH_MAX], why[PATH_MAX + 96];
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s",
				     store->file.path, suffixes[i]) >=
		    sizeof(path))
			return;
		if (open_to_others(path, why, sizeof(why)))
			config_error(errors, c->file, store->file.line,
				     "store.path: %s", why);
	}
}

static void check_store(const struct config *c, struct config_errors *errors)
{
	const struct config_store *store = &c->store;
	char why[256], *copy, *dir;
	struct store_key key;
	struct stat st;

	if (config_store_key(store, &key, why, sizeof(why)))
		config_error(errors, c->file, store->key_file.path ?
			     store->key_file.line : store->key_serial_line,
			     "store.%s: %s", store->key_file.path ?
			     "key-file" : "key-serial", why);
	store_key_wipe(&key);
	if (!strcmp(store->engine, "postgresql")) {
		if (store->password_file.path &&
		    store_postgresql_password_check(store->password_file.path,
						    why, sizeof(why)))
			config_error(errors, c->file, store->password_file.line,
				     "store.password-file: %s", why);
		return;
	}
	check_store_files(c, errors);
	copy = strdup(store->file.path);
	if (!copy)
		return;
	dir = dirname(copy);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		config_error(errors, c->file, store->file.line,
			     "store.path: %s: no such directory", dir);
	free(copy);
}

int config_check_files(const struct config *c, struct config_errors *errors)
{
	size_t before = errors->count + errors->dropped;

	if (c->tls.present)
		check_tls(c, errors);
	if (c->store.present)
		check_store(c, errors);
	return errors->count + errors->dropped > before ? -EINVAL : 0;
}
