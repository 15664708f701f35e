/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl's side of e2md's admin socket (daemon/admin.h): one JSON object
 * per line each way. The socket is, in order: the path given with
 * --socket, $E2M_SOCKET, /run/e2m/e2md.sock.
 */
#ifndef E2MCTL_ADMIN_CLIENT_H
#define E2MCTL_ADMIN_CLIENT_H

#include <jansson.h>

#define ADMIN_DEFAULT_SOCKET	"/run/e2m/e2md.sock"
#define ADMIN_REPLY_TIMEOUT	10		/* seconds */
#define ADMIN_REPLY_MAX		(64u << 20)	/* octets */

/* The --socket value; it wins over $E2M_SOCKET. */
void admin_set_socket(const char *path);
const char *admin_socket(void);

/*
 * Sends request (a JSON object) and reads the answer. Returns 0 with
 * *answer set when the daemon answered "ok": true; else EXIT_FAILURE
 * after printing "e2mctl: <command>: <why>" (the daemon's error, or why
 * there is no answer). The request text is wiped after sending: it may
 * hold K and OPc.
 */
int admin_call(const char *command, json_t *request, json_t **answer);

/*
 * The same, waiting up to timeout seconds for the answer: for a command
 * that e2md answers when other nodes have (onem2m km-fetch).
 */
int admin_call_within(const char *command, json_t *request, json_t **answer,
		      int timeout);

#endif /* E2MCTL_ADMIN_CLIENT_H */
