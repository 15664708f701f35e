/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The admin socket: a UNIX stream socket where root, and the members of
 * the configured admin.group if there is one (checked with SO_PEERCRED
 * and SO_PEERGROUPS on each connection), manage the daemon with e2mctl. The protocol is one JSON object per line each way:
 *
 *	-> {"command": "subscriber-list"}
 *	<- {"ok": true, "subscribers": [...]}
 *	-> {"command": "subscriber-remove", "id": "001010000000001"}
 *	<- {"ok": false, "error": "no such subscriber"}
 *
 * Requests are answered in order, several per connection if the client
 * wants. A line longer than ADMIN_LINE_MAX, or one that is not a JSON
 * object with a string "command", gets an error answer; the connection
 * is closed after a line too long, or after ADMIN_IDLE_TIMEOUT seconds
 * without a request. The commands themselves are admin_cmd.h's.
 *
 * The socket file is created with mode 0600 (0660 and the group's with
 * admin.group), in a directory created with mode 0700 (0750 and the
 * group's) if missing. A socket file left by a daemon that died is
 * replaced; one a running daemon answers on is not (-EADDRINUSE).
 */
#ifndef E2MD_ADMIN_H
#define E2MD_ADMIN_H

#include <stddef.h>

#include <event2/event.h>
#include <jansson.h>

#include "config.h"

#define ADMIN_LINE_MAX		65536
#define ADMIN_IDLE_TIMEOUT	30	/* seconds */
#define ADMIN_CLIENTS_MAX	16

struct admin;

/*
 * Answers one request (a JSON object with a string "command"): returns a
 * new reference to the answer object, which must hold "ok". NULL means
 * out of memory.
 */
typedef json_t *(*admin_handler)(json_t *request, void *arg);

/* 0, or a negative errno with a one-line reason in why. */
int admin_new(struct admin **admin, struct event_base *base,
	      const struct config_admin *config, admin_handler handler,
	      void *arg, char *why, size_t why_size);

/* Stops accepting; connections open go on until admin_free(). */
void admin_stop(struct admin *admin);

/* Closes everything and removes the socket file. */
void admin_free(struct admin *admin);

/*
 * An answer given later, for a command that waits for another node (a
 * key fetched from the MEF). The handler calls admin_defer() and, having
 * started its work, returns NULL; the connection then reads no other
 * request until admin_deferred_answer() sends the answer (taking its
 * reference; NULL sends "out of memory"). A handler that fails after
 * admin_defer() calls admin_deferred_drop() and returns its error as
 * usual. If the client goes away first, the answer is dropped; the
 * deferred itself stays valid until answered or dropped. admin_defer()
 * returns NULL outside a handler, twice in one, or without memory.
 */
struct admin_deferred;
struct admin_deferred *admin_defer(void);
void admin_deferred_answer(struct admin_deferred *d, json_t *answer);
void admin_deferred_drop(struct admin_deferred *d);

/* {"ok": false, "error": message}, a new reference (NULL: no memory). */
json_t *admin_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* E2MD_ADMIN_H */
