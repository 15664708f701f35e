/* SPDX-License-Identifier: GPL-2.0 */
/* Generic netlink sockets, and the e2m family and events group by name. */
#ifndef NLFUZZ_SOCKET_H
#define NLFUZZ_SOCKET_H

#include "msg.h"

#define RECV_MAX	65536
#define RECV_TIMEOUT_S	5	/* an ACK later than this is a failure */

/* A socket with extended ACKs and the receive timeout; @rcvbuf 0: default. */
int nl_socket(int rcvbuf);
int nl_send(int fd, const struct msg *m);
/* The family's id (or -1) and its events group (0: none), from the controller. */
int resolve_family(int fd, int *group);

#endif
