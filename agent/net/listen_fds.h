/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The listening sockets e2md's workers share (daemon/workers.h).
 *
 * The first process binds every listener of its roles as ever and keeps
 * each socket here under the address text of its configuration
 * ("127.0.0.1:0"). The workers it starts inherit those sockets (their
 * numbers in the environment, E2MD_LISTEN_FDS="TEXT=FD;..."), and
 * http_server_new() there takes the inherited socket of the same text
 * instead of binding one: one accept queue per listener for all
 * processes, the kernel hands each connection to one of them, a port 0
 * is the one port the first got, and a connection waiting in the queue
 * outlives a worker that dies.
 *
 * One process, one thread: plain statics.
 */
#ifndef E2MD_LISTEN_FDS_H
#define E2MD_LISTEN_FDS_H

#include <stddef.h>

#define LISTEN_FDS_ENV	"E2MD_LISTEN_FDS"
#define LISTEN_FDS_MAX	64

/* The first process: a socket it bound for the listen address text. */
void listen_fds_keep(const char *text, int fd);
/* The socket is closed: not to be handed on. */
void listen_fds_drop(int fd);

/*
 * "E2MD_LISTEN_FDS=TEXT=FD;..." of the kept sockets into buf, for a
 * worker's environment; the sockets into fds (at most max). The count
 * of sockets, or -ENOSPC when buf or fds is too small.
 */
int listen_fds_env(char *buf, size_t size, int *fds, size_t max);

/*
 * A worker: reads the inherited sockets from value (the variable's
 * text). 0, or -EINVAL for text that is not "TEXT=FD;...".
 */
int listen_fds_inherit(const char *value);
/* Whether this process is a worker that inherited its sockets. */
int listen_fds_inherited(void);
/* The inherited socket for the listen address text, or -1; once. */
int listen_fds_take(const char *text);

#endif /* E2MD_LISTEN_FDS_H */
