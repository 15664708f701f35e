/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The admin commands (the protocol is admin.h's). Each request is an
 * object with "command" and the command's members; an unknown member is
 * an error. Each answer has "ok": true and the command's members, or
 * "ok": false and "error", a one-line message.
 *
 * The daemon's own command:
 *
 *	status		-> version, pid, uptime (seconds), log-level, admin,
 *			   roles: [{name, listen: {name: address}, counters}],
 *			   subscribers and sessions (counts, with a store)
 *
 * and each role's (role_ops.admin_commands; daemon/<role>/<role>_admin.h
 * lists them), there whenever the daemon has the store they need,
 * whichever roles run. The helpers below are for the roles' commands.
 */
#ifndef E2MD_ADMIN_CMD_H
#define E2MD_ADMIN_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct daemon;

/* An admin_handler; arg is the struct daemon. */
json_t *admin_cmd_handle(json_t *request, void *arg);

/* {"ok": true}; NULL when out of memory. */
json_t *admin_ok(void);
/* {"ok": true, key: value}, value's reference taken; NULL on no memory. */
json_t *admin_ok_with(const char *key, json_t *value);
/* The error answer for err of a store call about a what ("subscriber"). */
json_t *admin_store_error(struct daemon *d, int err, const char *what);
/*
 * The string member key of request into *out (NULL when absent and not
 * required): 0, or -EINVAL with why.
 */
int admin_string_member(json_t *request, const char *key, bool required,
			const char **out, char *why, size_t why_size);

#endif /* E2MD_ADMIN_CMD_H */
