// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink client of e2mctl and e2md, see genl.h.
 *
 * libnl-genl-3 does the socket, the family lookup and the message framing;
 * what it does not do (in 3.7) is read the kernel's extended ack, so the
 * error and end-of-dump messages are decoded here: the extack message, and
 * from the offset of the refused attribute and its policy, which argument
 * of the command it was and what range the kernel allows.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>

#include "genl.h"

/* The largest datagram the kernel sends us, and more (genl_open()). */
#define GENL_RECV_BUF	32768

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Types of the reply attributes; libnl checks their lengths against them. */
static struct nla_policy reply_policy[E2M_A_MAX + 1] = {
	[E2M_A_IFINDEX] = { .type = NLA_U32 },
	[E2M_A_IFNAME] = { .type = NLA_STRING },
	[E2M_A_ROLE] = { .type = NLA_U8 },
	[E2M_A_PORT] = { .type = NLA_U16 },
	[E2M_A_REPLAY_WINDOW] = { .type = NLA_U32 },
	[E2M_A_COUNT_NOTIFY] = { .type = NLA_U32 },
	[E2M_A_COUNT_LIMIT] = { .type = NLA_U32 },
	[E2M_A_FLOWS] = { .type = NLA_U32 },
	[E2M_A_STATS] = { .type = NLA_NESTED },
	[E2M_A_FLOW] = { .type = NLA_NESTED },
	[E2M_A_EVENT_REASON] = { .type = NLA_U8 },
	[E2M_A_STAGED_BYTES] = { .type = NLA_U32 },
	[E2M_A_STATS_TOTAL] = { .type = NLA_NESTED },
	[E2M_A_RX_CPUS] = { .type = NLA_BINARY, .maxlen = E2M_RX_CPUS_MAX_LEN },
};

/* The command-line words for the request attributes, to name a refused one. */
static const char *const attr_names[E2M_A_MAX + 1] = {
	[E2M_A_IFINDEX] = "ifindex",
	[E2M_A_IFNAME] = "device name",
	[E2M_A_ROLE] = "role",
	[E2M_A_PORT] = "port",
	[E2M_A_REPLAY_WINDOW] = "replay-window",
	[E2M_A_COUNT_NOTIFY] = "count-notify",
	[E2M_A_COUNT_LIMIT] = "count-limit",
	[E2M_A_RX_CPUS] = "rx-cpus",
	[E2M_A_FLOW] = "flow attributes",
};

static const char *const flow_attr_names[E2M_FLOW_A_MAX + 1] = {
	[E2M_FLOW_A_LOCAL_TEID] = "teid",
	[E2M_FLOW_A_REMOTE_TEID] = "remote-teid",
	[E2M_FLOW_A_PEER_IPV4] = "peer",
	[E2M_FLOW_A_PEER_IPV6] = "peer",
	[E2M_FLOW_A_PEER_PORT] = "peer-port",
	[E2M_FLOW_A_INNER_IPV4] = "inner",
	[E2M_FLOW_A_INNER_IPV6] = "inner",
	[E2M_FLOW_A_FLAGS] = "flags",
	[E2M_FLOW_A_KEY_SERIAL] = "serial",
	[E2M_FLOW_A_KEY_ID] = "key-id",
};

int genl_set_error(struct genl_conn *conn, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(conn->error, sizeof(conn->error), fmt, ap);
	va_end(ap);
	return err;
}

/* A libnl failure that is not a kernel answer: errno where one is known. */
static int set_libnl_error(struct genl_conn *conn, int nlerr, const char *what)
{
	int err = -EIO;

	switch (-nlerr) {
	case NLE_PERM:
		err = -EPERM;
		break;
	case NLE_NOMEM:
		err = -ENOMEM;
		break;
	case NLE_AGAIN:
		err = -EAGAIN;
		break;
	}
	if (err == -EPERM)
		return genl_set_error(conn, err, "permission denied (CAP_NET_ADMIN needed)");
	return genl_set_error(conn, err, "%s: %s", what, nl_geterror(nlerr));
}

static bool set_sockopt_flag(struct nl_sock *sock, int option)
{
	int one = 1;

	return setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, option, &one,
			  sizeof(one)) == 0;
}

int genl_open(struct genl_conn *conn)
{
	int ret;

	memset(conn, 0, sizeof(*conn));
	conn->sock = nl_socket_alloc();
	if (!conn->sock)
		return genl_set_error(conn, -ENOMEM, "out of memory");
	ret = genl_connect(conn->sock);
	if (ret < 0) {
		ret = set_libnl_error(conn, ret, "cannot open a generic netlink socket");
		goto err;
	}
	/*
	 * Extended acks carry the kernel's reason for a refusal; capped acks
	 * leave out the echo of our request, which we still have anyway.
	 * Kernels without them (< 4.12) still work, with terser errors.
	 */
	set_sockopt_flag(conn->sock, NETLINK_EXT_ACK);
	set_sockopt_flag(conn->sock, NETLINK_CAP_ACK);
	/*
	 * One recvmsg a datagram: libnl otherwise peeks at each first to
	 * size its buffer, two system calls for every reply and ack (the
	 * HSE makes two requests a triplet). No datagram outgrows the
	 * buffer: the module's replies and events are NLMSG_DEFAULT_SIZE
	 * messages, the controller's are smaller, and the kernel fills a
	 * dump's datagrams up to the reader's buffer, at most 32 KiB.
	 */
	nl_socket_set_msg_buf_size(conn->sock, GENL_RECV_BUF);
	nl_socket_disable_msg_peek(conn->sock);

	ret = genl_ctrl_resolve(conn->sock, E2M_GENL_NAME);
	if (ret == -NLE_OBJ_NOTFOUND) {
		ret = genl_set_error(conn, -ENOENT,
				     "e2m kernel module not loaded (no generic netlink family \"%s\")",
				     E2M_GENL_NAME);
		goto err;
	}
	if (ret < 0) {
		ret = set_libnl_error(conn, ret, "cannot resolve the generic netlink family \"e2m\"");
		goto err;
	}
	conn->family = ret;
	return 0;
err:
	nl_socket_free(conn->sock);
	conn->sock = NULL;
	return ret;
}

void genl_close(struct genl_conn *conn)
{
	if (conn->sock)
		nl_socket_free(conn->sock);
	conn->sock = NULL;
}

struct nl_msg *genl_request_new(struct genl_conn *conn, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, conn->family, 0,
				 flags, cmd, E2M_GENL_VERSION)) {
		nlmsg_free(msg);
		genl_set_error(conn, -ENOMEM, "out of memory");
		return NULL;
	}
	return msg;
}

/* One request in flight. */
struct transaction {
	struct genl_conn *conn;
	const struct nlmsghdr *request;
	genl_reply_fn fn;
	void *arg;
	bool done;
	int err;
};

/* The attribute of @first..@len that starts at @offset in @base, or NULL. */
static const struct nlattr *attr_at(const struct nlattr *first, int len,
				    const void *base, uint32_t offset,
				    const struct nlattr **container)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, first, len, rem) {
		uint32_t start = (const char *)nla - (const char *)base;

		if (start == offset)
			return nla;
		if (offset > start && offset < start + nla_len(nla) + NLA_HDRLEN) {
			*container = nla;
			return NULL;
		}
	}
	return NULL;
}

/*
 * The command-line name of the request attribute at @offset (the extack's
 * NLMSGERR_ATTR_OFFS, from the start of the request), or NULL.
 */
static const char *request_attr_name(const struct nlmsghdr *request,
				     uint32_t offset)
{
	const struct nlattr *top = genlmsg_attrdata(nlmsg_data(request), 0);
	int top_len = genlmsg_attrlen(nlmsg_data(request), 0);
	const struct nlattr *container = NULL, *nla;

	nla = attr_at(top, top_len, request, offset, &container);
	if (nla)
		return nla_type(nla) <= E2M_A_MAX ? attr_names[nla_type(nla)] : NULL;
	if (!container || nla_type(container) != E2M_A_FLOW)
		return NULL;
	nla = attr_at(nla_data(container), nla_len(container), request, offset,
		      &container);
	if (nla && nla_type(nla) <= E2M_FLOW_A_MAX)
		return flow_attr_names[nla_type(nla)];
	return NULL;
}

/*
 * The range the kernel's policy allows, from NLMSGERR_ATTR_POLICY, into
 * @buf (empty when the policy gives none).
 */
static void policy_range(struct nlattr *policy, char *buf, size_t size)
{
	struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];

	buf[0] = '\0';
	if (!policy || nla_parse_nested(tb, NL_POLICY_TYPE_ATTR_MAX, policy, NULL))
		return;
	if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] && tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U])
		snprintf(buf, size, ", allowed %llu..%llu",
			 (unsigned long long)nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]),
			 (unsigned long long)nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]));
	else if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S] && tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S])
		snprintf(buf, size, ", allowed %lld..%lld",
			 (long long)nla_get_s64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S]),
			 (long long)nla_get_s64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]));
	else if (tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH] && tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH])
		snprintf(buf, size, ", length %u..%u",
			 nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH]),
			 nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]));
}

/*
 * Records the kernel's refusal @err of the request, explained by the extack
 * attributes @tlvs..@len (len 0: none).
 */
static void record_kernel_error(struct transaction *t, int err,
				const struct nlattr *tlvs, int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	const char *msg = NULL, *attr = NULL;
	char range[64] = "";

	if (len > 0 && nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlvs,
				 len, NULL) == 0) {
		if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 1)
			msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
		if (tb[NLMSGERR_ATTR_OFFS])
			attr = request_attr_name(t->request,
						 nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
		policy_range(tb[NLMSGERR_ATTR_POLICY], range, sizeof(range));
	}

	t->done = true;
	t->err = err < 0 ? err : -EPROTO;
	if (msg && attr)
		genl_set_error(t->conn, t->err, "%s (%s%s)", msg, attr, range);
	else if (msg)
		genl_set_error(t->conn, t->err, "%s", msg);
	else if (err == -EPERM)
		genl_set_error(t->conn, t->err, "permission denied (CAP_NET_ADMIN needed)");
	else if (attr)
		genl_set_error(t->conn, t->err, "%s (%s%s)", strerror(-t->err), attr, range);
	else
		genl_set_error(t->conn, t->err, "%s", strerror(-t->err));
}

/* Hands a reply message to the transaction's callback. */
static int on_valid(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[E2M_A_MAX + 1];
	struct genlmsghdr *gnlh;
	int ret;

	if (nlh->nlmsg_type != t->conn->family || !t->fn)
		return NL_SKIP;
	ret = genlmsg_parse(nlh, 0, tb, E2M_A_MAX, reply_policy);
	if (ret < 0) {
		t->err = genl_set_error(t->conn, -EBADMSG,
					"malformed message from the kernel: %s",
					nl_geterror(ret));
		t->done = true;
		return NL_STOP;
	}
	gnlh = nlmsg_data(nlh);
	ret = t->fn(t->conn, gnlh->cmd, tb, t->arg);
	if (ret < 0) {
		t->err = ret;
		t->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

/* The ack of a doit: the request succeeded. */
static int on_ack(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

/*
 * The end of a dump: an int, the dump's error (0 when it completed), then
 * the extack attributes if NLM_F_ACK_TLVS. libnl does not look at either.
 */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int len = nlmsg_datalen(nlh), err = 0;

	t->done = true;
	if (len >= (int)sizeof(err))
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err < 0) {
		bool tlvs = nlh->nlmsg_flags & NLM_F_ACK_TLVS;

		record_kernel_error(t, err,
				    (struct nlattr *)((char *)nlmsg_data(nlh) +
						      NLMSG_ALIGN(sizeof(err))),
				    tlvs ? len - (int)NLMSG_ALIGN(sizeof(err)) : 0);
	}
	return NL_STOP;
}

/*
 * A refusal. libnl hands over the struct nlmsgerr inside the received
 * buffer, just after its netlink header: from that header we get at the
 * extack attributes, which follow the nlmsgerr (and the echo of the request
 * unless the ack is capped).
 */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct transaction *t = arg;
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	int offset = NLMSG_HDRLEN + sizeof(*e);
	int len = 0;

	(void)nla;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			offset += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
		len = (int)nlh->nlmsg_len - offset;
	}
	record_kernel_error(t, e->error,
			    (const struct nlattr *)((const char *)nlh + offset), len);
	return NL_STOP;
}

static struct nl_cb *transaction_callbacks(struct transaction *t)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, t);
	return cb;
}

int genl_transact(struct genl_conn *conn, struct nl_msg *msg,
		  genl_reply_fn fn, void *arg)
{
	struct transaction t = {
		.conn = conn,
		.request = nlmsg_hdr(msg),
		.fn = fn,
		.arg = arg,
	};
	struct nl_cb *cb;
	int ret;

	cb = transaction_callbacks(&t);
	if (!cb) {
		nlmsg_free(msg);
		return genl_set_error(conn, -ENOMEM, "out of memory");
	}
	ret = nl_send_auto(conn->sock, msg);
	if (ret < 0) {
		t.err = set_libnl_error(conn, ret, "cannot send to the kernel");
		goto out;
	}
	/* A dump may take many datagrams: read until its end or the ack. */
	while (!t.done) {
		ret = nl_recvmsgs(conn->sock, cb);
		if (ret < 0 && !t.done) {
			t.err = set_libnl_error(conn, ret, "cannot read the kernel's answer");
			break;
		}
	}
out:
	nl_cb_put(cb);
	/* The request stays alive until here: the extack offsets point into it. */
	nlmsg_free(msg);
	return t.err;
}

int genl_subscribe_events(struct genl_conn *conn)
{
	int group, ret;

	group = genl_ctrl_resolve_grp(conn->sock, E2M_GENL_NAME, E2M_MCGRP_EVENTS);
	if (group == -NLE_OBJ_NOTFOUND)
		return genl_set_error(conn, -ENOENT,
				      "the e2m family has no multicast group \"%s\"",
				      E2M_MCGRP_EVENTS);
	if (group < 0)
		return set_libnl_error(conn, group, "cannot resolve the events group");
	/* Events come in bursts (a key dying on many flows): room for them. */
	nl_socket_set_buffer_size(conn->sock, 1 << 20, 0);
	ret = nl_socket_add_membership(conn->sock, group);
	if (ret < 0)
		return set_libnl_error(conn, ret, "cannot join the events group");
	ret = nl_socket_set_nonblocking(conn->sock);
	if (ret < 0)
		return set_libnl_error(conn, ret, "cannot make the socket non-blocking");
	return 0;
}

struct event_batch {
	struct genl_conn *conn;
	genl_reply_fn fn;
	void *arg;
	int handled;
	int err;
};

/* Events are not answers to a request: any sequence number goes. */
static int accept_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct event_batch *batch = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[E2M_A_MAX + 1];
	struct genlmsghdr *gnlh;
	int ret;

	/* Only the kernel (port 0) sends e2m events. */
	if (nlh->nlmsg_type != batch->conn->family || nlmsg_get_src(msg)->nl_pid != 0)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, E2M_A_MAX, reply_policy) < 0)
		return NL_SKIP;
	gnlh = nlmsg_data(nlh);
	ret = batch->fn(batch->conn, gnlh->cmd, tb, batch->arg);
	if (ret < 0) {
		batch->err = ret;
		return NL_STOP;
	}
	batch->handled++;
	return NL_OK;
}

int genl_wait_events(struct genl_conn *conn, int timeout_ms,
		     genl_reply_fn fn, void *arg)
{
	struct event_batch batch = { .conn = conn, .fn = fn, .arg = arg };
	struct pollfd pfd = { .fd = nl_socket_get_fd(conn->sock), .events = POLLIN };
	struct nl_cb *cb;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : genl_set_error(conn, -errno, "poll: %s",
							   strerror(errno));
	if (ret == 0)
		return 0;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return genl_set_error(conn, -ENOMEM, "out of memory");
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &batch);
	ret = nl_recvmsgs(conn->sock, cb);
	nl_cb_put(cb);
	if (batch.err)
		return batch.err;
	/* libnl reports the kernel's ENOBUFS (events dropped) as NLE_NOMEM. */
	if (ret == -NLE_NOMEM)
		return genl_set_error(conn, -ENOBUFS,
				      "events lost: the socket's receive buffer overflowed");
	if (ret < 0 && ret != -NLE_AGAIN)
		return set_libnl_error(conn, ret, "cannot read events");
	return batch.handled;
}
