// SPDX-License-Identifier: GPL-2.0
/*
 * The admin commands: the dispatch, status, and the helpers the roles'
 * commands share, see admin_cmd.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "admin_cmd.h"
#include "daemon.h"
#include "log.h"
#include "roles.h"

/* ---- helpers ------------------------------------------------------------ */

json_t *admin_ok(void)
{
	return json_pack("{s:b}", "ok", 1);
}

json_t *admin_ok_with(const char *key, json_t *value)
{
	json_t *answer = value ? admin_ok() : NULL;

	if (!answer || json_object_set_new(answer, key, value)) {
		json_decref(answer);
		if (!answer)
			json_decref(value);
		return NULL;
	}
	return answer;
}

json_t *admin_store_error(struct daemon *d, int err, const char *what)
{
	if (err == -ENOENT)
		return admin_error("no such %s", what);
	if (err == -EEXIST)
		return admin_error("a %s with that IMSI or IMPI exists already",
				   what);
	return admin_error("%s (%s)", store_strerror(err),
			   store_errmsg(d->store));
}

int admin_string_member(json_t *request, const char *key, bool required,
			const char **out, char *why, size_t why_size)
{
	json_t *value = json_object_get(request, key);

	*out = NULL;
	if (!value) {
		if (required)
			snprintf(why, why_size, "missing \"%s\"", key);
		return required ? -EINVAL : 0;
	}
	if (!json_is_string(value)) {
		snprintf(why, why_size, "\"%s\" must be a string", key);
		return -EINVAL;
	}
	*out = json_string_value(value);
	return 0;
}

/* ---- status ------------------------------------------------------------------------ */

static json_t *status(struct daemon *d, json_t *request)
{
	json_t *answer = daemon_status(d);

	(void)request;
	if (!answer || json_object_set_new(answer, "ok", json_true())) {
		json_decref(answer);
		return NULL;
	}
	return answer;
}

/* ---- dispatch -------------------------------------------------------------------------- */

static const char *const no_members[] = { NULL };

/* The daemon's own; the roles bring theirs (role_ops.admin_commands). */
static const struct role_admin_command core_commands[] = {
	{ "status", status, no_members, false },
};

#define N_CORE_COMMANDS (sizeof(core_commands) / sizeof(core_commands[0]))

/*
 * Every role's commands are looked up, whether or not it runs: they
 * work on the store, which needs_store asks for.
 */
static const struct role_admin_command *find_command(const char *name,
						     const struct role_ops **role)
{
	const struct role_ops *const *table;
	size_t n, i, j;

	for (i = 0; i < N_CORE_COMMANDS; i++) {
		if (!strcmp(name, core_commands[i].name))
			return &core_commands[i];
	}
	table = roles_table(&n);
	for (i = 0; i < n; i++) {
		for (j = 0; table[i]->admin_commands &&
			    table[i]->admin_commands[j].name; j++) {
			if (strcmp(name, table[i]->admin_commands[j].name))
				continue;
			*role = table[i];
			return &table[i]->admin_commands[j];
		}
	}
	return NULL;
}

static const char *unknown_member(const struct role_admin_command *command,
				  json_t *request)
{
	const char *key;
	json_t *value;
	size_t i;

	json_object_foreach(request, key, value) {
		if (!strcmp(key, "command"))
			continue;
		for (i = 0; command->members[i]; i++) {
			if (!strcmp(key, command->members[i]))
				break;
		}
		if (!command->members[i])
			return key;
	}
	return NULL;
}

json_t *admin_cmd_handle(json_t *request, void *arg)
{
	const char *name = json_string_value(json_object_get(request,
							     "command"));
	const struct role_ops *role = NULL;
	const struct role_admin_command *command = find_command(name, &role);
	struct daemon *d = arg;
	const char *member;

	if (!command)
		return admin_error("unknown command \"%s\"", name);
	member = unknown_member(command, request);
	if (member)
		return admin_error("unknown member \"%s\"", member);
	if (command->needs_store && !d->store)
		return admin_error("this daemon has no store");
	/* Never an op the engine lacks (pg_unsupported.c). */
	if (command->needs_store && role &&
	    !role_store_served(role, store_engine(d->store)))
		return admin_error("the %s store engine does not serve the"
				   " %s role's commands yet",
				   store_engine(d->store), role->name);
	log_msg(LOG_LEVEL_DEBUG, NULL, "admin-command", "%s", name);
	return command->run(d, request);
}
