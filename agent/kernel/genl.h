/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small client of the "e2m" generic netlink family (uapi/linux/e2m.h) over
 * libnl-genl-3: connect and resolve the family, send one request and hand
 * every reply message (one for a doit, any number for a dump, which the
 * kernel spreads over as many datagrams as it needs) to a callback, and
 * listen to the "events" multicast group.
 *
 * Failures return a negative errno and leave a one-line explanation in
 * conn->error, without the "e2mctl: <command>: " prefix: the extack message
 * of the kernel when it gave one, or what is known to have gone wrong
 * ("e2m kernel module not loaded", "permission denied ...").
 */
#ifndef E2M_KERNEL_GENL_H
#define E2M_KERNEL_GENL_H

#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include <linux/e2m.h>

struct genl_conn {
	struct nl_sock *sock;
	int family;		/* the id of "e2m" */
	char error[512];
};

/*
 * Called for every message of a reply: @cmd is its generic netlink command,
 * @tb its top-level attributes (enum e2m_attr, E2M_A_MAX + 1 entries,
 * validated for their types). Returns 0 to go on, or a negative errno to
 * stop, after setting conn->error (genl_set_error()).
 */
typedef int (*genl_reply_fn)(struct genl_conn *conn, uint8_t cmd,
			     struct nlattr **tb, void *arg);

/* Opens a socket and resolves the family. 0 or a negative errno. */
int genl_open(struct genl_conn *conn);
void genl_close(struct genl_conn *conn);

/*
 * A new request for @cmd; @flags are extra netlink flags (NLM_F_DUMP). NULL
 * (and conn->error set) when out of memory.
 */
struct nl_msg *genl_request_new(struct genl_conn *conn, uint8_t cmd, int flags);

/*
 * Sends @msg, frees it, and waits for the whole answer: every reply message
 * goes to @fn (may be NULL when none is expected), until the kernel's ack or
 * the end of the dump. 0 or a negative errno.
 */
int genl_transact(struct genl_conn *conn, struct nl_msg *msg,
		  genl_reply_fn fn, void *arg);

/*
 * Joins the "events" multicast group: from then on the socket receives
 * every e2m event of its network namespace. 0 or a negative errno.
 */
int genl_subscribe_events(struct genl_conn *conn);

/*
 * Waits up to @timeout_ms (negative: for ever) for events and hands each
 * to @fn. Returns the number of events handled (0 on timeout), or a
 * negative errno (-ENOBUFS when the kernel dropped events because the
 * socket's buffer was full: the socket stays usable).
 */
int genl_wait_events(struct genl_conn *conn, int timeout_ms,
		     genl_reply_fn fn, void *arg);

/* Sets conn->error; returns @err for "return genl_set_error(...)". */
int genl_set_error(struct genl_conn *conn, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* E2M_KERNEL_GENL_H */
