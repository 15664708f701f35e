// SPDX-License-Identifier: GPL-2.0
/*
 * kselftests of the "e2m" generic netlink family: every refusal (missing or
 * misplaced attributes, out-of-range values, unknown flags, wrong key types,
 * no permission) with its errno and extack message, that a refused request
 * changes nothing (FLOW_SET and FLOW_NEW also when they fail at any step),
 * that a key set's COUNT goes on across every rebind, that a flow moved to
 * a peer of the other family sends there, also under traffic, that flows
 * to one endpoint share one peer, and a dump of 10,000 flows that resumes
 * across messages.
 *
 * Each test runs in a child process in a network namespace of its own, with
 * one e2m device "e2m0".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <keyutils.h>
#include <linux/e2m.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "kselftest_harness.h"

struct slot {
	int key_id, state, tx_pending;
	int serial;
	long long tx_count, rx_count;	/* COUNTs are 32 bits */
	unsigned long long mac_failures;
	int kind;			/* E2M_SLOT_A_KEY_TYPE, -1: none */
	long long expiry;		/* E2M_SLOT_A_EXPIRY, -1: none */
};

struct reply {
	int error;		/* 0 or a positive errno */
	char extack[256];
	int flows;		/* flows seen in a dump */
	unsigned long last_teid;
	bool ordered;
	int tx_key_id;		/* of the last flow seen, -1 for none */
	int nslots;		/* its slots */
	struct slot slots[E2M_MAX_SLOTS];
	int rx_cpus_len;	/* DEV_GET's E2M_A_RX_CPUS, 0: none */
	__u32 rx_cpus_word0;
};

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct reply *r = arg;
	unsigned int off = sizeof(*err);
	struct nlattr *tlv;
	int rem;

	r->error = -err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	tlv = (struct nlattr *)((char *)err + off);
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - off;
	for (; nla_ok(tlv, rem); tlv = nla_next(tlv, &rem))
		if (nla_type(tlv) == NLMSGERR_ATTR_MSG)
			snprintf(r->extack, sizeof(r->extack), "%s",
				 (char *)nla_data(tlv));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	return NL_STOP;
}

/* Counts the flows of a FLOW_GET dump and checks they come in TEID order. */
static int on_flow(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[E2M_A_MAX + 1], *ftb[E2M_FLOW_A_MAX + 1];
	struct reply *r = arg;
	unsigned long teid;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, E2M_A_MAX, NULL) ||
	    !tb[E2M_A_FLOW] ||
	    nla_parse_nested(ftb, E2M_FLOW_A_MAX, tb[E2M_A_FLOW], NULL) ||
	    !ftb[E2M_FLOW_A_LOCAL_TEID])
		return NL_SKIP;
	teid = nla_get_u32(ftb[E2M_FLOW_A_LOCAL_TEID]);
	if (r->flows && teid <= r->last_teid)
		r->ordered = false;
	r->last_teid = teid;
	r->flows++;
	r->tx_key_id = ftb[E2M_FLOW_A_TX_KEY_ID] ?
		       nla_get_u8(ftb[E2M_FLOW_A_TX_KEY_ID]) : -1;
	r->nslots = 0;
	return NL_OK;
}

/* A flow's slots, in the order the kernel gives them. */
static int on_flow_slots(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[E2M_A_MAX + 1], *stb[E2M_SLOT_A_MAX + 1], *nla;
	struct reply *r = arg;
	int rem;

	on_flow(msg, arg);
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, E2M_A_MAX, NULL) ||
	    !tb[E2M_A_FLOW])
		return NL_SKIP;
	nla_for_each_nested(nla, tb[E2M_A_FLOW], rem) {
		struct slot *s;

		if (nla_type(nla) != E2M_FLOW_A_SLOT || r->nslots == E2M_MAX_SLOTS ||
		    nla_parse_nested(stb, E2M_SLOT_A_MAX, nla, NULL) ||
		    !stb[E2M_SLOT_A_KEY_ID] || !stb[E2M_SLOT_A_KEY_SERIAL] ||
		    !stb[E2M_SLOT_A_TX_COUNT] || !stb[E2M_SLOT_A_RX_COUNT] ||
		    !stb[E2M_SLOT_A_STATE] || !stb[E2M_SLOT_A_TX_PENDING] ||
		    !stb[E2M_SLOT_A_MAC_FAILURES])
			continue;
		s = &r->slots[r->nslots++];
		s->key_id = nla_get_u8(stb[E2M_SLOT_A_KEY_ID]);
		s->serial = (int)nla_get_u32(stb[E2M_SLOT_A_KEY_SERIAL]);
		s->tx_count = nla_get_u64(stb[E2M_SLOT_A_TX_COUNT]);
		s->rx_count = nla_get_u64(stb[E2M_SLOT_A_RX_COUNT]);
		s->state = nla_get_u8(stb[E2M_SLOT_A_STATE]);
		s->tx_pending = nla_get_u8(stb[E2M_SLOT_A_TX_PENDING]);
		s->mac_failures = nla_get_u64(stb[E2M_SLOT_A_MAC_FAILURES]);
		s->kind = stb[E2M_SLOT_A_KEY_TYPE] ?
			  nla_get_u8(stb[E2M_SLOT_A_KEY_TYPE]) : -1;
		s->expiry = stb[E2M_SLOT_A_EXPIRY] ?
			    (long long)nla_get_u64(stb[E2M_SLOT_A_EXPIRY]) : -1;
	}
	return NL_OK;
}

struct nl {
	struct nl_sock *sk;
	int family;
	int ifindex;		/* 0: requests name no device */
};

static int nl_open(struct nl *nl)
{
	int one = 1;

	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk))
		return -1;
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, E2M_GENL_NAME);
	nl->ifindex = if_nametoindex("e2m0");
	return nl->family > 0 && nl->ifindex > 0 ? 0 : -1;
}

static struct nl_msg *nl_new(struct nl *nl, int cmd, int flags, bool ifindex)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags, cmd,
		    E2M_GENL_VERSION);
	if (ifindex && nl->ifindex)
		nla_put_u32(msg, E2M_A_IFINDEX, nl->ifindex);
	return msg;
}

/* Sends @msg (and frees it); the kernel's answer in @r. */
static void nl_call(struct nl *nl, struct nl_msg *msg, struct reply *r,
		    nl_recvmsg_msg_cb_t valid)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	memset(r, 0, sizeof(*r));
	r->ordered = true;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	if (valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, r);
	if (nl_send_auto(nl->sk, msg) < 0)
		r->error = EIO;
	else if (nl_recvmsgs(nl->sk, cb) < 0 && !r->error)
		r->error = EIO;	/* no answer the callbacks understood */
	nlmsg_free(msg);
	nl_cb_put(cb);
}

struct flow_args {
	unsigned int teid, remote_teid, port;
	const char *peer4, *inner4;
	const char *peer6, *inner6;
};

static struct nl_msg *flow_msg(struct nl *nl, int cmd, const struct flow_args *f)
{
	struct nl_msg *msg = nl_new(nl, cmd, NLM_F_ACK, true);
	struct nlattr *nest = nla_nest_start(msg, E2M_A_FLOW);
	struct in6_addr a6;
	struct in_addr a;

	if (f->teid)
		nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, f->teid);
	if (f->remote_teid)
		nla_put_u32(msg, E2M_FLOW_A_REMOTE_TEID, f->remote_teid);
	if (f->peer4 && inet_pton(AF_INET, f->peer4, &a) == 1)
		nla_put(msg, E2M_FLOW_A_PEER_IPV4, 4, &a);
	if (f->inner4 && inet_pton(AF_INET, f->inner4, &a) == 1)
		nla_put(msg, E2M_FLOW_A_INNER_IPV4, 4, &a);
	if (f->peer6 && inet_pton(AF_INET6, f->peer6, &a6) == 1)
		nla_put(msg, E2M_FLOW_A_PEER_IPV6, sizeof(a6), &a6);
	if (f->inner6 && inet_pton(AF_INET6, f->inner6, &a6) == 1)
		nla_put(msg, E2M_FLOW_A_INNER_IPV6, sizeof(a6), &a6);
	if (f->port)
		nla_put_u16(msg, E2M_FLOW_A_PEER_PORT, f->port);
	nla_nest_end(msg, nest);
	return msg;
}

static const struct flow_args good_flow = {
	.teid = 100, .remote_teid = 200, .peer4 = "10.0.0.2",
	.inner4 = "192.168.100.2",
};

static int count_flows(struct nl *nl)
{
	struct nl_msg *msg = nl_new(nl, E2M_CMD_FLOW_GET, NLM_F_DUMP, true);
	struct reply r;

	nl_call(nl, msg, &r, on_flow);
	return r.error ? -r.error : r.flows;
}

FIXTURE(e2m) {
	struct nl nl;
};

FIXTURE_SETUP(e2m)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system("ip link add e2m0 type e2m && ip link set e2m0 up"));
	ASSERT_EQ(0, nl_open(&self->nl));
}

FIXTURE_TEARDOWN(e2m)
{
	nl_socket_free(self->nl.sk);
}

#define EXPECT_REFUSED(r, err, text)					\
	do {								\
		EXPECT_EQ(err, (r).error);				\
		EXPECT_STREQ(text, (r).extack);				\
	} while (0)

TEST_F(e2m, flow_new_refusals_change_nothing)
{
	struct nl *nl = &self->nl;
	struct flow_args f;
	struct nl_msg *msg;
	struct reply r;

	/* No device named. */
	nl->ifindex = 0;
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	EXPECT_REFUSED(r, EINVAL, "device not given (E2M_A_IFINDEX or E2M_A_IFNAME)");
	nl->ifindex = if_nametoindex("e2m0");

	/* No flow attributes. */
	msg = nl_new(nl, E2M_CMD_FLOW_NEW, NLM_F_ACK, true);
	nl_call(nl, msg, &r, NULL);
	EXPECT_REFUSED(r, EINVAL, "flow attributes (E2M_A_FLOW) missing");

	/* Not a device, not an e2m device. */
	nl->ifindex = 9999;
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	EXPECT_REFUSED(r, ENODEV, "no such device");
	nl->ifindex = if_nametoindex("lo");
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	EXPECT_REFUSED(r, EOPNOTSUPP, "not an e2m device");
	nl->ifindex = if_nametoindex("e2m0");

	/* Missing pieces of a new flow. */
	f = good_flow;
	f.teid = 0;
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
	EXPECT_EQ(EINVAL, r.error);
	f = good_flow;
	f.peer4 = NULL;
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
	EXPECT_REFUSED(r, EINVAL, "a new flow needs a peer address and a remote TEID");
	f = good_flow;
	f.inner4 = NULL;
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
	EXPECT_REFUSED(r, EINVAL, "a new flow needs an inner IPv4 or IPv6 address");

	/* Unknown flags, misplaced and malformed attributes. */
	{
		struct nl_msg *m = nl_new(nl, E2M_CMD_FLOW_NEW, NLM_F_ACK, true);
		struct nlattr *nest = nla_nest_start(m, E2M_A_FLOW);
		struct in_addr a;

		nla_put_u32(m, E2M_FLOW_A_LOCAL_TEID, 100);
		nla_put_u32(m, E2M_FLOW_A_REMOTE_TEID, 200);
		inet_pton(AF_INET, "10.0.0.2", &a);
		nla_put(m, E2M_FLOW_A_PEER_IPV4, 4, &a);
		inet_pton(AF_INET, "192.168.100.2", &a);
		nla_put(m, E2M_FLOW_A_INNER_IPV4, 4, &a);
		nla_put_u32(m, E2M_FLOW_A_FLAGS, 1);
		nla_nest_end(m, nest);
		nl_call(nl, m, &r, NULL);
		EXPECT_REFUSED(r, EINVAL, "reserved bit set");
	}
	{
		struct nl_msg *m = flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow);

		nla_put_u32(m, 200, 1);	/* beyond E2M_A_MAX */
		nl_call(nl, m, &r, NULL);
		EXPECT_EQ(EINVAL, r.error);
		EXPECT_STREQ("Unknown attribute type", r.extack);
	}
	{
		/* KEY_SERIAL belongs to KEY_BIND, not to FLOW_NEW. */
		struct nl_msg *m = nl_new(nl, E2M_CMD_FLOW_NEW, NLM_F_ACK, true);
		struct nlattr *nest = nla_nest_start(m, E2M_A_FLOW);

		nla_put_u32(m, E2M_FLOW_A_LOCAL_TEID, 100);
		nla_put_s32(m, E2M_FLOW_A_KEY_SERIAL, 1);
		nla_nest_end(m, nest);
		nl_call(nl, m, &r, NULL);
		EXPECT_EQ(EINVAL, r.error);
		EXPECT_STREQ("Unsupported attribute", r.extack);
	}
	{
		struct nl_msg *m = nl_new(nl, E2M_CMD_FLOW_NEW, NLM_F_ACK, true);
		struct nlattr *nest = nla_nest_start(m, E2M_A_FLOW);
		char short6[8] = { 0 };

		nla_put_u32(m, E2M_FLOW_A_LOCAL_TEID, 100);
		nla_put(m, E2M_FLOW_A_PEER_IPV6, sizeof(short6), short6);
		nla_nest_end(m, nest);
		nl_call(nl, m, &r, NULL);
		EXPECT_EQ(ERANGE, r.error);
	}

	/* Nothing of that created a flow; a good request does. */
	EXPECT_EQ(0, count_flows(nl));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	EXPECT_EQ(0, r.error);

	/* Duplicates. */
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	EXPECT_REFUSED(r, EEXIST, "a flow with this local TEID exists");
	f = good_flow;
	f.teid = 101;
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
	EXPECT_REFUSED(r, EEXIST, "inner address already belongs to another flow");
	EXPECT_EQ(1, count_flows(nl));

	/* Removing what is not there. */
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_DEL, &(struct flow_args){ .teid = 555 }),
		&r, NULL);
	EXPECT_REFUSED(r, ENOENT, "no flow with this local TEID");
	EXPECT_EQ(1, count_flows(nl));
}

static void dev_set_u32(struct nl *nl, int attr, unsigned int value,
			struct reply *r)
{
	struct nl_msg *msg = nl_new(nl, E2M_CMD_DEV_SET, NLM_F_ACK, true);

	if (attr == E2M_A_ROLE)
		nla_put_u8(msg, attr, value);
	else
		nla_put_u32(msg, attr, value);
	nl_call(nl, msg, r, NULL);
}

TEST_F(e2m, dev_set_refusals)
{
	struct nl *nl = &self->nl;
	struct reply r;

	dev_set_u32(nl, E2M_A_REPLAY_WINDOW, 100, &r);
	EXPECT_REFUSED(r, EINVAL, "replay window is not a multiple of 64");
	dev_set_u32(nl, E2M_A_REPLAY_WINDOW, 32, &r);
	EXPECT_EQ(ERANGE, r.error);
	dev_set_u32(nl, E2M_A_REPLAY_WINDOW, 8256, &r);
	EXPECT_EQ(ERANGE, r.error);
	dev_set_u32(nl, E2M_A_ROLE, 3, &r);
	EXPECT_EQ(ERANGE, r.error);
	dev_set_u32(nl, E2M_A_COUNT_LIMIT, 10, &r);
	EXPECT_REFUSED(r, EINVAL, "count notify threshold above the count limit");
	dev_set_u32(nl, E2M_A_REPLAY_WINDOW, 8192, &r);
	EXPECT_EQ(0, r.error);

	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	dev_set_u32(nl, E2M_A_ROLE, E2M_ROLE_UE, &r);
	EXPECT_REFUSED(r, EBUSY, "the role cannot change while the device has flows");
	dev_set_u32(nl, E2M_A_ROLE, E2M_ROLE_HSE, &r);
	EXPECT_EQ(0, r.error);
}

static void dev_set_rx_cpus(struct nl *nl, const void *bits, int len,
			    struct reply *r)
{
	struct nl_msg *msg = nl_new(nl, E2M_CMD_DEV_SET, NLM_F_ACK, true);

	nla_put(msg, E2M_A_RX_CPUS, len, bits);
	nl_call(nl, msg, r, NULL);
}

static int on_dev_rx_cpus(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[E2M_A_MAX + 1];
	struct reply *r = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, E2M_A_MAX, NULL) ||
	    !tb[E2M_A_RX_CPUS])
		return NL_SKIP;
	r->rx_cpus_len = nla_len(tb[E2M_A_RX_CPUS]);
	memcpy(&r->rx_cpus_word0, nla_data(tb[E2M_A_RX_CPUS]),
	       sizeof(r->rx_cpus_word0));
	return NL_OK;
}

/*
 * DEV_GET of the fixture's device, the reply then the ACK libnl asks for
 * by default: its E2M_A_RX_CPUS's length (0: none; -1: failed) and first
 * word.
 */
static int dev_rx_cpus(struct nl *nl, __u32 *word0)
{
	struct nl_msg *msg = nl_new(nl, E2M_CMD_DEV_GET, 0, true);
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	struct reply r = { 0 };
	int len = -1;

	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_dev_rx_cpus, &r);
	if (nl_send_auto(nl->sk, msg) >= 0 && nl_recvmsgs(nl->sk, cb) >= 0 &&
	    !r.error && nl_wait_for_ack(nl->sk) >= 0)
		len = r.rx_cpus_len;
	*word0 = r.rx_cpus_word0;
	nlmsg_free(msg);
	nl_cb_put(cb);
	return len;
}

TEST_F(e2m, dev_set_rx_cpus)
{
	const __u32 cpu0[2] = { 1, 0 }, far[2] = { 0, 1 }, none = 0;
	struct nl *nl = &self->nl;
	struct reply r;
	__u32 word0 = 0;

	dev_set_rx_cpus(nl, cpu0, 3, &r);
	EXPECT_EQ(ERANGE, r.error);	/* the policy's length, 4..1024 */
	dev_set_rx_cpus(nl, cpu0, 6, &r);
	EXPECT_REFUSED(r, EINVAL, "CPU bitmap is not a whole number of 32-bit words");
	dev_set_rx_cpus(nl, far, 8, &r);
	EXPECT_REFUSED(r, EINVAL, "a CPU in the bitmap cannot exist on this host");
	EXPECT_EQ(0, dev_rx_cpus(nl, &word0));

	/* Two words given, the last empty: shown as the one it needs. */
	dev_set_rx_cpus(nl, cpu0, 8, &r);
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(4, dev_rx_cpus(nl, &word0));
	EXPECT_EQ(1U, word0);
	dev_set_rx_cpus(nl, far, 8, &r);
	EXPECT_EQ(EINVAL, r.error);
	EXPECT_EQ(4, dev_rx_cpus(nl, &word0));
	dev_set_rx_cpus(nl, &none, 4, &r);
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(0, dev_rx_cpus(nl, &word0));
}

static void key_op(struct nl *nl, int cmd, unsigned int teid, int attr,
		   int value, struct reply *r)
{
	struct nl_msg *msg = nl_new(nl, cmd, NLM_F_ACK, true);
	struct nlattr *nest = nla_nest_start(msg, E2M_A_FLOW);

	nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, teid);
	if (attr == E2M_FLOW_A_KEY_SERIAL)
		nla_put_s32(msg, attr, value);
	else
		nla_put_u8(msg, attr, value);
	nla_nest_end(msg, nest);
	nl_call(nl, msg, r, NULL);
}

static key_serial_t add_keyset(unsigned int key_id)
{
	struct e2m_keyset_payload p = {
		.version = E2M_KEYSET_PAYLOAD_V1,
		.enc_alg = E2M_ALG_AES,
		.int_alg = E2M_ALG_AES,
		.key_id = key_id,
	};
	static int n;
	char desc[48];

	/*
	 * New bytes each time: the module shares the COUNTs of equal bytes
	 * across keys (and remembers them after), so each test's keys start
	 * at COUNT 1 only if no other test, or run, had them.
	 */
	if (getrandom(p.k_enc, sizeof(p.k_enc), 0) != sizeof(p.k_enc) ||
	    getrandom(p.k_int, sizeof(p.k_int), 0) != sizeof(p.k_int))
		return -1;
	/* A new description each time: the same one would replace the key. */
	snprintf(desc, sizeof(desc), "netlink-test kid:%u #%d", key_id, ++n);
	return add_key(E2M_KEYSET_KEY_TYPE, desc, &p, sizeof(p),
		       KEY_SPEC_PROCESS_KEYRING);
}

TEST_F(e2m, key_bind_refusals)
{
	struct nl *nl = &self->nl;
	key_serial_t user, logon, k1, k2, k3, dead;
	struct reply r;

	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	user = add_key("user", "not-e2m", "x", 1, KEY_SPEC_PROCESS_KEYRING);
	logon = add_key("logon", "e2m:not-e2m", "x", 1, KEY_SPEC_PROCESS_KEYRING);
	k1 = add_keyset(1);
	k2 = add_keyset(2);
	k3 = add_keyset(3);
	dead = add_keyset(4);
	ASSERT_GT(user, 0);
	ASSERT_GT(logon, 0);
	ASSERT_GT(dead, 0);
	ASSERT_EQ(0, keyctl_revoke(dead));

	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, user, &r);
	EXPECT_REFUSED(r, EKEYREJECTED, "key is not of type e2mkeyset or ks_local");
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, logon, &r);
	EXPECT_REFUSED(r, EKEYREJECTED, "key is not of type e2mkeyset or ks_local");
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, dead, &r);
	EXPECT_REFUSED(r, EKEYREVOKED, "key is revoked, expired or invalidated");
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, 0x7ffffff0, &r);
	EXPECT_REFUSED(r, ENOKEY, "key not found or not searchable by the caller");
	key_op(nl, E2M_CMD_KEY_BIND, 555, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_REFUSED(r, ENOENT, "no flow with this local TEID");

	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_REFUSED(r, EEXIST, "a key with this Key ID is bound already");
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k2, &r);
	EXPECT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k3, &r);
	EXPECT_REFUSED(r, ENOSPC, "the flow has two keys bound already");

	key_op(nl, E2M_CMD_KEY_USE, 100, E2M_FLOW_A_KEY_ID, 5, &r);
	EXPECT_REFUSED(r, ENOENT, "no key with this Key ID is bound to the flow");
	key_op(nl, E2M_CMD_KEY_USE, 100, E2M_FLOW_A_KEY_ID, 8, &r);
	EXPECT_EQ(ERANGE, r.error);
	key_op(nl, E2M_CMD_KEY_UNBIND, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	EXPECT_REFUSED(r, EBUSY,
		       "the key is in use for transmission: switch to the other first");
	key_op(nl, E2M_CMD_KEY_USE, 100, E2M_FLOW_A_KEY_ID, 2, &r);
	EXPECT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_UNBIND, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	EXPECT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k3, &r);
	EXPECT_EQ(0, r.error);
}

/* The device's only flow, with its slots, in @r: from a dump, as agents read it. */
static void get_flow(struct nl *nl, struct reply *r)
{
	nl_call(nl, nl_new(nl, E2M_CMD_FLOW_GET, NLM_F_DUMP, true), r,
		on_flow_slots);
}

/* A ks_local key (Ks_local_device) in the process keyring. */
static key_serial_t add_ks_local(unsigned int lifetime)
{
	static const char ids[] = "btid@bsf.example" "nafkc.example\xff\0\0\0\x01"
				  "device-1";
	struct {
		struct e2m_ks_local_payload p;
		char ids[sizeof(ids) - 1];
	} __attribute__((packed)) k = {
		.p = {
			.version = E2M_KS_LOCAL_PAYLOAD_V1,
			.kind = E2M_KS_LOCAL_DEVICE,
			.btid_len = 16,
			.naf_id_len = 13 + E2M_UA_PROTO_ID_LEN,
			.device_id_len = 8,
			.lifetime = lifetime,
		},
	};
	static int n;
	char desc[48];

	memcpy(k.ids, ids, sizeof(k.ids));
	/* New bytes each time, as add_keyset()'s. */
	if (getrandom(k.p.key, sizeof(k.p.key), 0) != sizeof(k.p.key))
		return -1;
	snprintf(desc, sizeof(desc), "netlink-test ks_local #%d", ++n);
	return add_key(E2M_KS_LOCAL_KEY_TYPE, desc, &k, sizeof(k),
		       KEY_SPEC_PROCESS_KEYRING);
}

/* KEY_BIND of @serial with a Key ID and an algorithm, each < 0: none. */
static void key_bind_link(struct nl *nl, int serial, int key_id, int alg,
			  struct reply *r)
{
	struct nl_msg *msg = nl_new(nl, E2M_CMD_KEY_BIND, NLM_F_ACK, true);
	struct nlattr *nest = nla_nest_start(msg, E2M_A_FLOW);

	nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, 100);
	nla_put_s32(msg, E2M_FLOW_A_KEY_SERIAL, serial);
	if (key_id >= 0)
		nla_put_u8(msg, E2M_FLOW_A_KEY_ID, key_id);
	if (alg >= 0)
		nla_put_u8(msg, E2M_FLOW_A_KEY_ALG, alg);
	nla_nest_end(msg, nest);
	nl_call(nl, msg, r, NULL);
}

TEST_F(e2m, key_bind_ks_local)
{
	struct nl *nl = &self->nl;
	key_serial_t kl, kl2, ks;
	struct reply r;

	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	kl = add_ks_local(0);
	kl2 = add_ks_local(3600);
	ks = add_keyset(1);
	ASSERT_GT(kl, 0);
	ASSERT_GT(kl2, 0);
	ASSERT_GT(ks, 0);

	key_bind_link(nl, kl, -1, -1, &r);
	EXPECT_REFUSED(r, EINVAL,
		       "a ks_local key is bound under a Key ID (E2M_FLOW_A_KEY_ID): missing");
	key_bind_link(nl, kl, 3, -1, &r);
	EXPECT_REFUSED(r, EINVAL,
		       "a ks_local key needs the link's algorithm (E2M_FLOW_A_KEY_ALG): missing");
	key_bind_link(nl, kl, 3, E2M_ALG_NULL, &r);
	EXPECT_REFUSED(r, EINVAL, "algorithm 0: NIA0 (no integrity) is never accepted");
	key_bind_link(nl, kl, 3, E2M_ALG_SNOW3G, &r);
	EXPECT_REFUSED(r, ENOPKG, "algorithm not implemented by this module");
	key_bind_link(nl, kl, 3, E2M_ALG_ZUC, &r);
	EXPECT_REFUSED(r, ENOPKG, "algorithm not implemented by this module");
	key_bind_link(nl, kl, 3, 4, &r);
	EXPECT_REFUSED(r, EINVAL, "unknown algorithm");
	key_bind_link(nl, kl, 8, E2M_ALG_AES, &r);
	EXPECT_EQ(ERANGE, r.error);
	key_bind_link(nl, ks, 1, -1, &r);
	EXPECT_REFUSED(r, EINVAL,
		       "an e2mkeyset key carries its Key ID and algorithms: give neither");
	key_bind_link(nl, ks, -1, E2M_ALG_AES, &r);
	EXPECT_REFUSED(r, EINVAL,
		       "an e2mkeyset key carries its Key ID and algorithms: give neither");
	get_flow(nl, &r);
	EXPECT_EQ(0, r.nslots);

	key_bind_link(nl, kl, 3, E2M_ALG_AES, &r);
	EXPECT_EQ(0, r.error);
	/* One slot transmits with a key per direction, even on one flow. */
	key_bind_link(nl, kl, 4, E2M_ALG_AES, &r);
	EXPECT_REFUSED(r, EBUSY,
		       "the key set transmits on another flow in this direction: unbind it there first");
	key_bind_link(nl, kl2, 5, E2M_ALG_AES, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(3, r.slots[0].key_id);
	EXPECT_EQ(kl, r.slots[0].serial);
	EXPECT_EQ(E2M_KEY_KIND_KS_LOCAL, r.slots[0].kind);
	EXPECT_EQ(0, r.slots[0].expiry);
	EXPECT_EQ(E2M_KEY_KIND_KS_LOCAL, r.slots[1].kind);
	EXPECT_GT(r.slots[1].expiry, (long long)time(NULL) + 3500);
	EXPECT_LE(r.slots[1].expiry, (long long)time(NULL) + 3600);
	EXPECT_EQ(E2M_SLOT_LIVE, r.slots[0].state);
	EXPECT_EQ(1, r.slots[0].tx_count);

	/* A revoke kills the slot at once, as for an e2mkeyset. */
	ASSERT_EQ(0, keyctl_revoke(kl));
	get_flow(nl, &r);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(E2M_SLOT_DEAD, r.slots[0].state);
	EXPECT_EQ(E2M_SLOT_LIVE, r.slots[1].state);
}

static void key_bind_flags(struct nl *nl, unsigned int teid, int serial,
			   unsigned int flags, struct reply *r)
{
	struct nl_msg *msg = nl_new(nl, E2M_CMD_KEY_BIND, NLM_F_ACK, true);
	struct nlattr *nest = nla_nest_start(msg, E2M_A_FLOW);

	nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, teid);
	nla_put_s32(msg, E2M_FLOW_A_KEY_SERIAL, serial);
	nla_put_u32(msg, E2M_FLOW_A_KEY_FLAGS, flags);
	nla_nest_end(msg, nest);
	nl_call(nl, msg, r, NULL);
}

TEST_F(e2m, key_bind_tx_on_rx)
{
	struct nl *nl = &self->nl;
	key_serial_t k1, k2;
	struct reply r;

	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	k1 = add_keyset(1);
	k2 = add_keyset(2);
	ASSERT_GT(k1, 0);
	ASSERT_GT(k2, 0);

	/* Unknown flags; KEY_FLAGS belongs to KEY_BIND only. */
	key_bind_flags(nl, 100, k1, 2, &r);
	EXPECT_REFUSED(r, EINVAL, "reserved bit set");
	key_bind_flags(nl, 100, k1, E2M_KEY_F_TX_ON_RX | 0x80000000u, &r);
	EXPECT_REFUSED(r, EINVAL, "reserved bit set");
	{
		struct nl_msg *m = nl_new(nl, E2M_CMD_KEY_USE, NLM_F_ACK, true);
		struct nlattr *nest = nla_nest_start(m, E2M_A_FLOW);

		nla_put_u32(m, E2M_FLOW_A_LOCAL_TEID, 100);
		nla_put_u8(m, E2M_FLOW_A_KEY_ID, 1);
		nla_put_u32(m, E2M_FLOW_A_KEY_FLAGS, E2M_KEY_F_TX_ON_RX);
		nla_nest_end(m, nest);
		nl_call(nl, m, &r, NULL);
		EXPECT_REFUSED(r, EINVAL, "Unsupported attribute");
	}
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	EXPECT_EQ(0, r.nslots);

	/* Nothing transmits yet: the flag has nothing to wait for. */
	key_bind_flags(nl, 100, k1, E2M_KEY_F_TX_ON_RX, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	EXPECT_EQ(1, r.tx_key_id);
	ASSERT_EQ(1, r.nslots);
	EXPECT_EQ(0, r.slots[0].tx_pending);

	/* A second key waits for the peer; KEY_USE decides instead. */
	key_bind_flags(nl, 100, k2, E2M_KEY_F_TX_ON_RX, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	EXPECT_EQ(1, r.tx_key_id);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(1, r.slots[0].key_id);
	EXPECT_EQ(0, r.slots[0].tx_pending);
	EXPECT_EQ(2, r.slots[1].key_id);
	EXPECT_EQ(1, r.slots[1].tx_pending);
	EXPECT_EQ(E2M_SLOT_LIVE, r.slots[1].state);

	/* An explicit choice clears the pending switch, whichever key. */
	key_op(nl, E2M_CMD_KEY_USE, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	EXPECT_EQ(1, r.tx_key_id);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(0, r.slots[0].tx_pending);
	EXPECT_EQ(0, r.slots[1].tx_pending);

	key_op(nl, E2M_CMD_KEY_UNBIND, 100, E2M_FLOW_A_KEY_ID, 2, &r);
	EXPECT_EQ(0, r.error);
	key_bind_flags(nl, 100, k2, E2M_KEY_F_TX_ON_RX, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(1, r.slots[1].tx_pending);
	key_op(nl, E2M_CMD_KEY_USE, 100, E2M_FLOW_A_KEY_ID, 2, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	EXPECT_EQ(2, r.tx_key_id);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(0, r.slots[0].tx_pending);
	EXPECT_EQ(0, r.slots[1].tx_pending);

	/* Without the flag, the second key does not wait: nothing pending. */
	key_op(nl, E2M_CMD_KEY_UNBIND, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	EXPECT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	EXPECT_EQ(2, r.tx_key_id);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(0, r.slots[0].tx_pending);
	EXPECT_EQ(0, r.slots[1].tx_pending);
}

/* @n datagrams into the flow of good_flow: each takes one COUNT. */
static void send_packets(int n)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;

	inet_pton(AF_INET, "192.168.100.2", &to.sin_addr);
	for (i = 0; i < n; i++)
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	close(fd);
}

static int read_file(const char *path, char *buf, size_t size);
static int write_file(const char *path, const char *text);

#define STAGE_MS "/sys/module/e2m/parameters/stage_ms"

TEST_F(e2m, key_bind_in_place_of_a_dead_key)
{
	struct nl *nl = &self->nl;
	key_serial_t k1, k1b, k1c, k2;
	char stage_ms[16];
	struct reply r;

	/*
	 * The packet that finds its key dead is dropped at once here: with
	 * the stage on it would wait and leave after the next KEY_BIND, from
	 * a work item, at a moment of its own, and the COUNTs below are of
	 * the slots, not of when that work ran. The stage is stage.sh's.
	 */
	ASSERT_EQ(0, read_file(STAGE_MS, stage_ms, sizeof(stage_ms)));
	ASSERT_EQ(0, write_file(STAGE_MS, "0"));

	/* The peer is behind a dummy device: packets leave, nobody answers. */
	ASSERT_EQ(0, system("ip link add d0 type dummy && ip link set d0 up && "
			    "ip addr add 10.0.0.1/24 dev d0 && "
			    "ip addr add 192.168.100.1/32 dev e2m0 && "
			    "ip route add 192.168.100.0/24 dev e2m0"));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	k1 = add_keyset(1);
	k1b = add_keyset(1);
	k1c = add_keyset(1);
	k2 = add_keyset(2);
	ASSERT_GT(k1c, 0);
	ASSERT_GT(k2, 0);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k2, &r);
	ASSERT_EQ(0, r.error);
	send_packets(5);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(6, r.slots[0].tx_count);

	/* Live: the Key ID is taken. */
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1b, &r);
	EXPECT_REFUSED(r, EEXIST, "a key with this Key ID is bound already");

	/* Dead (no packet has seen it yet): the new key carries on from it. */
	ASSERT_EQ(0, keyctl_revoke(k1));
	key_bind_flags(nl, 100, k1b, E2M_KEY_F_TX_ON_RX, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	EXPECT_EQ(1, r.tx_key_id);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(1, r.slots[0].key_id);
	EXPECT_EQ(k1b, r.slots[0].serial);
	EXPECT_EQ(6, r.slots[0].tx_count);
	EXPECT_EQ(0, r.slots[0].rx_count);
	EXPECT_EQ(E2M_SLOT_LIVE, r.slots[0].state);
	EXPECT_EQ(0, r.slots[0].tx_pending);	/* it replaced the TX slot */
	EXPECT_EQ(2, r.slots[1].key_id);
	EXPECT_EQ(k2, r.slots[1].serial);
	EXPECT_EQ(1, r.slots[1].tx_count);
	send_packets(2);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(8, r.slots[0].tx_count);

	/* Dead and seen dead by a packet; not the TX slot: stays so. */
	key_op(nl, E2M_CMD_KEY_USE, 100, E2M_FLOW_A_KEY_ID, 2, &r);
	ASSERT_EQ(0, r.error);
	send_packets(3);
	ASSERT_EQ(0, keyctl_revoke(k2));
	send_packets(1);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(E2M_SLOT_DEAD, r.slots[1].state);
	EXPECT_EQ(4, r.slots[1].tx_count);
	key_op(nl, E2M_CMD_KEY_USE, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	ASSERT_EQ(0, r.error);
	k2 = add_keyset(2);
	key_bind_flags(nl, 100, k2, E2M_KEY_F_TX_ON_RX, &r);
	EXPECT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	EXPECT_EQ(1, r.tx_key_id);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(2, r.slots[1].key_id);
	EXPECT_EQ(k2, r.slots[1].serial);
	EXPECT_EQ(4, r.slots[1].tx_count);
	EXPECT_EQ(E2M_SLOT_LIVE, r.slots[1].state);
	EXPECT_EQ(1, r.slots[1].tx_pending);

	/* Exhausted: COUNT 8 and 9 go out under a limit of 9, then no more. */
	dev_set_u32(nl, E2M_A_COUNT_NOTIFY, 9, &r);
	ASSERT_EQ(0, r.error);
	dev_set_u32(nl, E2M_A_COUNT_LIMIT, 9, &r);
	ASSERT_EQ(0, r.error);
	send_packets(3);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(E2M_SLOT_EXHAUSTED, r.slots[0].state);
	EXPECT_EQ(11, r.slots[0].tx_count);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1c, &r);
	EXPECT_REFUSED(r, EEXIST,
		       "the key with this Key ID reached the COUNT limit: unbind it first");
	/* Exhausted and dead: still nothing to carry on from. */
	ASSERT_EQ(0, keyctl_revoke(k1b));
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1c, &r);
	EXPECT_REFUSED(r, EEXIST,
		       "the key with this Key ID reached the COUNT limit: unbind it first");
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(k1b, r.slots[0].serial);
	EXPECT_EQ(0, write_file(STAGE_MS, stage_ms));
}

#define OBJECTS "/sys/module/e2m/parameters/objects"
#define MAC_FAIL_LIMIT "/sys/module/e2m/parameters/mac_fail_limit"
#define KEY_MISMATCH_FAILURES "/sys/module/e2m/parameters/key_mismatch_failures"

/* A live object count of the debug module ("slot_crypto", ...), or -1. */
static long objects(const char *name)
{
	char buf[256], *p;
	size_t len = strlen(name);
	FILE *f = fopen(OBJECTS, "r");

	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	for (; p && *p; p += strcspn(p, " "), p += strspn(p, " "))
		if (!strncmp(p, name, len) && p[len] == '=')
			return strtol(p + len + 1, NULL, 10);
	return -1;
}

/* Polls for up to 5 s until objects(name) is want (deferred frees). */
static long objects_become(const char *name, long want)
{
	long n = objects(name);
	int i;

	for (i = 0; i < 500 && n != want; i++) {
		usleep(10000);
		n = objects(name);
	}
	return n;
}

/*
 * A revoke kills the slots bound to the key at once, not at their next
 * packet: the slot is dead without any traffic, and its transforms are
 * freed (the debug module counts them); the slot stays until unbound.
 */
TEST_F(e2m, revoke_wipes_bound_slots)
{
	struct nl *nl = &self->nl;
	key_serial_t k1, k2;
	struct reply r;

	if (objects("slot_crypto") < 0)
		SKIP(return, "not the debug module: no " OBJECTS);
	/* The slots of earlier tests' namespaces go after a grace period. */
	ASSERT_EQ(0, objects_become("slot_crypto", 0));
	ASSERT_EQ(0, objects_become("keyslot", 0));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	k1 = add_keyset(1);
	k2 = add_keyset(2);
	ASSERT_GT(k2, 0);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k2, &r);
	ASSERT_EQ(0, r.error);
	EXPECT_EQ(2, objects("slot_crypto"));
	EXPECT_EQ(2, objects("keyslot"));

	ASSERT_EQ(0, keyctl_revoke(k1));
	get_flow(nl, &r);
	ASSERT_EQ(1, r.flows);
	ASSERT_EQ(2, r.nslots);
	EXPECT_EQ(E2M_SLOT_DEAD, r.slots[0].state);
	EXPECT_EQ(0ULL, r.slots[0].mac_failures);
	EXPECT_EQ(E2M_SLOT_LIVE, r.slots[1].state);
	EXPECT_EQ(1, objects_become("slot_crypto", 1));
	EXPECT_EQ(2, objects("keyslot"));

	key_op(nl, E2M_CMD_KEY_USE, 100, E2M_FLOW_A_KEY_ID, 2, &r);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_UNBIND, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	ASSERT_EQ(0, r.error);
	EXPECT_EQ(1, objects_become("keyslot", 1));
	EXPECT_EQ(1, objects("slot_crypto"));
	/* A revoked key is never bound again; the other goes on. */
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_REFUSED(r, EKEYREVOKED, "key is revoked, expired or invalidated");
	EXPECT_EQ(1, objects("slot_crypto"));
	EXPECT_EQ(1, objects("keyslot"));
}

static int read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return -1;
	ret = fgets(buf, size, f) ? 0 : -1;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return ret;
}

/*
 * A count of failed MACs as a module parameter: @dflt unless changed,
 * 1..2^20, anything else refused and the value unchanged.
 */
static void check_mac_count_parameter(struct __test_metadata *_metadata,
				      const char *path, const char *dflt)
{
	char buf[32];

	ASSERT_EQ(0, read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ(dflt, buf);
	EXPECT_EQ(-1, write_file(path, "0"));
	EXPECT_EQ(-1, write_file(path, "1048577"));
	EXPECT_EQ(-1, write_file(path, "many"));
	ASSERT_EQ(0, read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ(dflt, buf);
	EXPECT_EQ(0, write_file(path, "1048576"));
	ASSERT_EQ(0, read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ("1048576", buf);
	EXPECT_EQ(0, write_file(path, "1"));
	ASSERT_EQ(0, read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	ASSERT_EQ(0, write_file(path, dflt));
}

/* The MAC-failure limit: 1024 unless changed, 1..2^20. */
TEST(mac_fail_limit_parameter)
{
	check_mac_count_parameter(_metadata, MAC_FAIL_LIMIT, "1024");
}

/* The key-mismatch rule (same setter, its own variable): 8, 1..2^20. */
TEST(key_mismatch_failures_parameter)
{
	char buf[32];

	check_mac_count_parameter(_metadata, KEY_MISMATCH_FAILURES, "8");
	/* Each parameter has its own value. */
	ASSERT_EQ(0, write_file(KEY_MISMATCH_FAILURES, "5"));
	ASSERT_EQ(0, read_file(MAC_FAIL_LIMIT, buf, sizeof(buf)));
	EXPECT_STREQ("1024", buf);
	ASSERT_EQ(0, read_file(KEY_MISMATCH_FAILURES, buf, sizeof(buf)));
	EXPECT_STREQ("5", buf);
	ASSERT_EQ(0, write_file(KEY_MISMATCH_FAILURES, "8"));
}

/* Names the device the next requests are for. */
static void use_dev(struct nl *nl, const char *ifname)
{
	nl->ifindex = if_nametoindex(ifname);
}

#define BUSY_TEXT "the key set transmits on another flow in this direction: unbind it there first"
#define SPENT_TEXT "the key set reached the COUNT limit in this direction: it is never bound again"

/*
 * The COUNT of a key set is the kernel's, per direction: no unbind and
 * bind, flow re-creation or other device starts it again at 1, only one
 * slot transmits with it, and once spent it is never bound again.
 */
TEST_F(e2m, key_set_count_survives_every_rebind)
{
	const struct flow_args flow101 = {
		.teid = 101, .remote_teid = 201, .peer4 = "10.0.0.2",
		.inner4 = "192.168.100.3",
	};
	const struct flow_args del100 = { .teid = 100 }, del101 = { .teid = 101 };
	struct nl *nl = &self->nl;
	key_serial_t k1;
	struct reply r;

	ASSERT_EQ(0, system("ip link add d0 type dummy && ip link set d0 up && "
			    "ip addr add 10.0.0.1/24 dev d0 && "
			    "ip addr add 192.168.100.1/32 dev e2m0 && "
			    "ip route add 192.168.100.0/24 dev e2m0 && "
			    "ip link add e2m1 type e2m && ip link add e2m2 type e2m"));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	k1 = add_keyset(1);
	ASSERT_GT(k1, 0);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);
	send_packets(5);

	/* Unbound and bound again: COUNT 6 next, not 1. */
	key_op(nl, E2M_CMD_KEY_UNBIND, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.nslots);
	EXPECT_EQ(6, r.slots[0].tx_count);
	send_packets(2);

	/* One slot per key set and direction: not a second flow as well. */
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &flow101), &r, NULL);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 101, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_REFUSED(r, EBUSY, BUSY_TEXT);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_DEL, &del101), &r, NULL);
	ASSERT_EQ(0, r.error);

	/* The flow deleted and created again: COUNT 8 next. */
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_DEL, &del100), &r, NULL);
	ASSERT_EQ(0, r.error);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.nslots);
	EXPECT_EQ(8, r.slots[0].tx_count);

	/* Another device, the same direction: only once e2m0 let it go. */
	use_dev(nl, "e2m1");
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_REFUSED(r, EBUSY, BUSY_TEXT);
	use_dev(nl, "e2m0");
	key_op(nl, E2M_CMD_KEY_UNBIND, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	ASSERT_EQ(0, r.error);
	use_dev(nl, "e2m1");
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.nslots);
	EXPECT_EQ(8, r.slots[0].tx_count);

	/* The other direction (a UE device) has a COUNT of its own. */
	use_dev(nl, "e2m2");
	dev_set_u32(nl, E2M_A_ROLE, E2M_ROLE_UE, &r);
	ASSERT_EQ(0, r.error);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.nslots);
	EXPECT_EQ(1, r.slots[0].tx_count);

	/* Spent under a limit of 9 (COUNT 8 and 9 go out): never again. */
	use_dev(nl, "e2m1");
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_DEL, &del100), &r, NULL);
	ASSERT_EQ(0, r.error);
	use_dev(nl, "e2m0");
	dev_set_u32(nl, E2M_A_COUNT_NOTIFY, 9, &r);
	ASSERT_EQ(0, r.error);
	dev_set_u32(nl, E2M_A_COUNT_LIMIT, 9, &r);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);
	send_packets(3);
	get_flow(nl, &r);
	ASSERT_EQ(1, r.nslots);
	EXPECT_EQ(E2M_SLOT_EXHAUSTED, r.slots[0].state);
	EXPECT_EQ(11, r.slots[0].tx_count);
	key_op(nl, E2M_CMD_KEY_UNBIND, 100, E2M_FLOW_A_KEY_ID, 1, &r);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_REFUSED(r, EKEYREJECTED, SPENT_TEXT);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_DEL, &del100), &r, NULL);
	ASSERT_EQ(0, r.error);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_REFUSED(r, EKEYREJECTED, SPENT_TEXT);
	/* Not even on a device whose limit it never reached. */
	use_dev(nl, "e2m1");
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	EXPECT_REFUSED(r, EKEYREJECTED, SPENT_TEXT);
	get_flow(nl, &r);
	EXPECT_EQ(0, r.nslots);
}

TEST_F(e2m, admin_permission_required)
{
	struct nl *nl = &self->nl;
	struct reply r;
	int grp, cmd;

	grp = genl_ctrl_resolve_grp(nl->sk, E2M_GENL_NAME, E2M_MCGRP_EVENTS);
	ASSERT_GT(grp, 0);
	/* Drop to nobody: no CAP_NET_ADMIN in this namespace any more. */
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	EXPECT_EQ(EPERM, r.error);
	nl_call(nl, nl_new(nl, E2M_CMD_DEV_GET, NLM_F_ACK, true), &r, NULL);
	EXPECT_EQ(EPERM, r.error);
	/* Every command, before its attributes are even looked at. */
	for (cmd = E2M_CMD_DEV_GET; cmd <= E2M_CMD_KEY_UNBIND; cmd++) {
		nl_call(nl, nl_new(nl, cmd, NLM_F_ACK, true), &r, NULL);
		EXPECT_EQ(EPERM, r.error) TH_LOG("command %d", cmd);
	}
	/* Nor may it listen to the events (TEIDs, key serials). */
	EXPECT_EQ(-1, setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK,
				 NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)));
	EXPECT_EQ(EPERM, errno);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fputs(text, f) < 0;
	return fclose(f) || ret ? -1 : 0;
}

/*
 * Admin of a network namespace is CAP_NET_ADMIN in the user namespace that
 * owns it: root of a user namespace of its own manages its own devices.
 */
TEST_F(e2m, admin_of_an_own_user_namespace)
{
	struct nl nl;
	struct reply r;
	int grp, root = open("/", O_DIRECTORY | O_RDONLY);

	/*
	 * unshare(CLONE_NEWUSER) is refused in a chroot, which the test VM
	 * runs us in: take init's root for the call, then ours back.
	 */
	ASSERT_LE(0, root);
	ASSERT_EQ(0, chroot("/proc/1/root"));
	ASSERT_EQ(0, unshare(CLONE_NEWUSER | CLONE_NEWNET));
	ASSERT_EQ(0, fchdir(root));
	ASSERT_EQ(0, chroot("."));
	close(root);
	/* Root inside is root outside: ip(8), exec'd, keeps its capabilities. */
	ASSERT_EQ(0, write_file("/proc/self/uid_map", "0 0 1"));
	ASSERT_EQ(0, write_file("/proc/self/setgroups", "deny"));
	ASSERT_EQ(0, write_file("/proc/self/gid_map", "0 0 1"));
	ASSERT_EQ(0, system("ip link add e2m0 type e2m"));
	ASSERT_EQ(0, nl_open(&nl));
	grp = genl_ctrl_resolve_grp(nl.sk, E2M_GENL_NAME, E2M_MCGRP_EVENTS);
	ASSERT_GT(grp, 0);
	EXPECT_EQ(0, setsockopt(nl_socket_get_fd(nl.sk), SOL_NETLINK,
				NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)));
	/* (A DEV_GET reply would leave its ACK behind for the next call.) */
	nl_call(&nl, flow_msg(&nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	EXPECT_EQ(0, r.error) TH_LOG("%s", r.extack);
	nl_call(&nl, flow_msg(&nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	EXPECT_REFUSED(r, EEXIST, "a flow with this local TEID exists");
	EXPECT_EQ(1, count_flows(&nl));
	nl_socket_free(nl.sk);
}

/* A flow as FLOW_GET gives it back: its configuration as text, and bytes. */
struct flow_readback {
	int error;
	char text[256];
	unsigned char raw[1024];	/* the whole E2M_A_FLOW attribute */
	int raw_len;
};

static int on_flow_readback(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[E2M_A_MAX + 1], *ftb[E2M_FLOW_A_MAX + 1];
	struct flow_readback *fr = arg;
	char a[INET6_ADDRSTRLEN];
	size_t n = 0;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, E2M_A_MAX, NULL) ||
	    !tb[E2M_A_FLOW] ||
	    nla_parse_nested(ftb, E2M_FLOW_A_MAX, tb[E2M_A_FLOW], NULL) ||
	    !ftb[E2M_FLOW_A_LOCAL_TEID] || !ftb[E2M_FLOW_A_REMOTE_TEID] ||
	    !ftb[E2M_FLOW_A_PEER_PORT] ||
	    nla_total_size(nla_len(tb[E2M_A_FLOW])) > (int)sizeof(fr->raw))
		return NL_SKIP;
	n += snprintf(fr->text + n, sizeof(fr->text) - n, "teid %u remote-teid %u port %u",
		      nla_get_u32(ftb[E2M_FLOW_A_LOCAL_TEID]),
		      nla_get_u32(ftb[E2M_FLOW_A_REMOTE_TEID]),
		      nla_get_u16(ftb[E2M_FLOW_A_PEER_PORT]));
	if (ftb[E2M_FLOW_A_PEER_IPV4])
		n += snprintf(fr->text + n, sizeof(fr->text) - n, " peer %s",
			      inet_ntop(AF_INET, nla_data(ftb[E2M_FLOW_A_PEER_IPV4]), a, sizeof(a)));
	if (ftb[E2M_FLOW_A_PEER_IPV6])
		n += snprintf(fr->text + n, sizeof(fr->text) - n, " peer %s",
			      inet_ntop(AF_INET6, nla_data(ftb[E2M_FLOW_A_PEER_IPV6]), a, sizeof(a)));
	if (ftb[E2M_FLOW_A_INNER_IPV4])
		n += snprintf(fr->text + n, sizeof(fr->text) - n, " inner %s",
			      inet_ntop(AF_INET, nla_data(ftb[E2M_FLOW_A_INNER_IPV4]), a, sizeof(a)));
	if (ftb[E2M_FLOW_A_INNER_IPV6])
		snprintf(fr->text + n, sizeof(fr->text) - n, " inner %s",
			 inet_ntop(AF_INET6, nla_data(ftb[E2M_FLOW_A_INNER_IPV6]), a, sizeof(a)));
	fr->raw_len = nla_total_size(nla_len(tb[E2M_A_FLOW]));
	memcpy(fr->raw, tb[E2M_A_FLOW], fr->raw_len);
	return NL_OK;
}

static int on_readback_error(struct sockaddr_nl *nla, struct nlmsgerr *err,
			     void *arg)
{
	((struct flow_readback *)arg)->error = -err->error;
	return NL_STOP;
}

/* FLOW_GET of @teid: the reply, then the ACK libnl asks for by default. */
static void read_flow(struct nl *nl, unsigned int teid, struct flow_readback *fr)
{
	struct nl_msg *msg = nl_new(nl, E2M_CMD_FLOW_GET, 0, true);
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	struct nlattr *nest = nla_nest_start(msg, E2M_A_FLOW);

	memset(fr, 0, sizeof(*fr));
	nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, teid);
	nla_nest_end(msg, nest);
	nl_cb_err(cb, NL_CB_CUSTOM, on_readback_error, fr);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_flow_readback, fr);
	if (nl_send_auto(nl->sk, msg) < 0 || nl_recvmsgs(nl->sk, cb) < 0)
		fr->error = fr->error ?: EIO;
	else if (!fr->error && nl_wait_for_ack(nl->sk) < 0)
		fr->error = EIO;
	nlmsg_free(msg);
	nl_cb_put(cb);
}

/* Flow @teid is byte for byte what @before read back. */
#define EXPECT_FLOW_UNCHANGED(nl, teid, before)				\
	do {								\
		struct flow_readback _now;				\
									\
		read_flow(nl, teid, &_now);				\
		EXPECT_EQ(0, _now.error);				\
		EXPECT_STREQ((before)->text, _now.text);		\
		EXPECT_EQ((before)->raw_len, _now.raw_len);		\
		EXPECT_EQ(0, memcmp((before)->raw, _now.raw, _now.raw_len)); \
	} while (0)

#define FAIL_STEP "/sys/module/e2m/parameters/fail_config_step"

static int fail_step(unsigned int n)
{
	char text[16];

	snprintf(text, sizeof(text), "%u", n);
	return write_file(FAIL_STEP, text);
}

static const struct flow_args flow100 = {
	.teid = 100, .remote_teid = 200, .peer4 = "10.0.0.2",
	.inner4 = "192.168.100.2", .inner6 = "fd10::2",
};
static const struct flow_args flow101 = {
	.teid = 101, .remote_teid = 201, .peer4 = "10.0.0.3",
	.inner4 = "192.168.100.3", .inner6 = "fd10::3",
};
#define FLOW100_TEXT "teid 100 remote-teid 200 port 2152 peer 10.0.0.2 inner 192.168.100.2 inner fd10::2"
#define TAKEN_TEXT "inner address already belongs to another flow"
#define MAPPED_TEXT "inner IPv6 address is IPv4-mapped: give it as INNER_IPV4"

/*
 * A refused FLOW_SET changes nothing, whatever refuses it: the request
 * itself, an inner address another flow has, or a failure at any step
 * (debug builds fail each on purpose, fault.h). The flow reads back byte
 * for byte as before; a new inner address it did not get is still free.
 */
TEST_F(e2m, flow_set_all_or_nothing)
{
	/* Every field changed at once: peer (and family), port, TEIDs, inners. */
	const struct flow_args change = {
		.teid = 100, .remote_teid = 300, .port = 2153, .peer6 = "fd00::9",
		.inner4 = "192.168.100.9", .inner6 = "fd10::9",
	};
	struct nl *nl = &self->nl;
	struct flow_readback before, after;
	struct flow_args f;
	struct nl_msg *msg;
	struct reply r;
	unsigned int step;

	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &flow100), &r, NULL);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &flow101), &r, NULL);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	read_flow(nl, 100, &before);
	ASSERT_EQ(0, before.error);
	ASSERT_STREQ(FLOW100_TEXT, before.text);

	/* Refused by the request alone. */
	f = change;
	f.peer4 = "10.0.0.9";
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &f), &r, NULL);
	EXPECT_REFUSED(r, EINVAL, "give one peer address, IPv4 or IPv6");
	EXPECT_FLOW_UNCHANGED(nl, 100, &before);
	f = change;
	f.inner6 = "::ffff:192.168.100.9";
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &f), &r, NULL);
	EXPECT_REFUSED(r, EINVAL, MAPPED_TEXT);
	EXPECT_FLOW_UNCHANGED(nl, 100, &before);
	{
		/* A new peer and remote TEID, and a port out of range. */
		struct nlattr *nest;
		struct in6_addr a6;

		msg = nl_new(nl, E2M_CMD_FLOW_SET, NLM_F_ACK, true);
		nest = nla_nest_start(msg, E2M_A_FLOW);
		inet_pton(AF_INET6, "fd00::9", &a6);
		nla_put_u32(msg, E2M_FLOW_A_LOCAL_TEID, 100);
		nla_put_u32(msg, E2M_FLOW_A_REMOTE_TEID, 300);
		nla_put(msg, E2M_FLOW_A_PEER_IPV6, sizeof(a6), &a6);
		nla_put_u16(msg, E2M_FLOW_A_PEER_PORT, 0);
		nla_nest_end(msg, nest);
		nl_call(nl, msg, &r, NULL);
		EXPECT_EQ(ERANGE, r.error);
		EXPECT_FLOW_UNCHANGED(nl, 100, &before);
	}
	f = change;
	f.teid = 555;
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &f), &r, NULL);
	EXPECT_REFUSED(r, ENOENT, "no flow with this local TEID");
	EXPECT_FLOW_UNCHANGED(nl, 100, &before);

	/* An inner address of flow 101, the other family's new one free. */
	f = change;
	f.inner6 = "fd10::3";
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &f), &r, NULL);
	EXPECT_REFUSED(r, EEXIST, TAKEN_TEXT);
	EXPECT_FLOW_UNCHANGED(nl, 100, &before);
	f = change;
	f.inner4 = "192.168.100.3";
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &f), &r, NULL);
	EXPECT_REFUSED(r, EEXIST, TAKEN_TEXT);
	EXPECT_FLOW_UNCHANGED(nl, 100, &before);

	/* Five steps can fail (three objects, two insertions): each in turn. */
	for (step = 1; step <= 5; step++) {
		ASSERT_EQ(0, fail_step(step));
		nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &change), &r, NULL);
		EXPECT_EQ(ENOMEM, r.error) TH_LOG("step %u", step);
		EXPECT_FLOW_UNCHANGED(nl, 100, &before);
	}
	ASSERT_EQ(0, fail_step(6));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &change), &r, NULL);
	EXPECT_EQ(0, r.error) TH_LOG("%s", r.extack);
	ASSERT_EQ(0, fail_step(0));
	read_flow(nl, 100, &after);
	EXPECT_STREQ("teid 100 remote-teid 300 port 2153 peer fd00::9 inner 192.168.100.9 inner fd10::9",
		     after.text);

	/* None of the failures kept an address: the old ones are free now. */
	f = flow101;
	f.teid = 102;
	f.inner4 = "192.168.100.2";
	f.inner6 = "fd10::2";
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
	EXPECT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(3, count_flows(nl));
}

/*
 * A refused FLOW_NEW leaves nothing behind: no flow, no inner address, at
 * whichever of its seven steps it fails (the flow, its three objects, two
 * insertions, the TEID).
 */
TEST_F(e2m, flow_new_fails_at_every_step)
{
	struct nl *nl = &self->nl;
	struct flow_args f;
	struct reply r;
	unsigned int step;

	for (step = 1; step <= 7; step++) {
		ASSERT_EQ(0, fail_step(step));
		nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &flow100), &r, NULL);
		EXPECT_EQ(ENOMEM, r.error) TH_LOG("step %u", step);
		EXPECT_EQ(0, count_flows(nl)) TH_LOG("step %u", step);
	}
	ASSERT_EQ(0, fail_step(8));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &flow100), &r, NULL);
	EXPECT_EQ(0, r.error) TH_LOG("%s", r.extack);
	ASSERT_EQ(0, fail_step(0));
	EXPECT_EQ(1, count_flows(nl));
	/* The inner addresses are flow 100's, and only its. */
	f = flow101;
	f.inner6 = "fd10::2";
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
	EXPECT_REFUSED(r, EEXIST, TAKEN_TEXT);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &flow101), &r, NULL);
	EXPECT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(2, count_flows(nl));
}

/* IPv4-mapped addresses are how the inner table keys IPv4: not IPv6's. */
TEST_F(e2m, v4_mapped_inner_ipv6_refused)
{
	struct nl *nl = &self->nl;
	struct flow_args f = flow100;
	struct reply r;

	f.inner6 = "::ffff:192.168.100.7";
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
	EXPECT_REFUSED(r, EINVAL, MAPPED_TEXT);
	EXPECT_EQ(0, count_flows(nl));
	/* Not even the flow's own IPv4 address so written. */
	f.inner6 = "::ffff:192.168.100.2";
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
	EXPECT_REFUSED(r, EINVAL, MAPPED_TEXT);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &flow100), &r, NULL);
	ASSERT_EQ(0, r.error);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET,
			     &(struct flow_args){ .teid = 100,
						  .inner6 = "::ffff:10.1.2.3" }),
		&r, NULL);
	EXPECT_REFUSED(r, EINVAL, MAPPED_TEXT);
	/* An IPv6 address that only looks like one is fine. */
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET,
			     &(struct flow_args){ .teid = 100,
						  .inner6 = "::fffe:10.1.2.3" }),
		&r, NULL);
	EXPECT_EQ(0, r.error) TH_LOG("%s", r.extack);
}

/* UDP datagrams received in this namespace, IPv4's and IPv6's. */
static void udp_in(long long *v4, long long *v6)
{
	char line[1024], name[64];
	long long n;
	FILE *f;
	int udp = 0;

	*v4 = *v6 = -1;
	f = fopen("/proc/net/snmp", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Udp: ", 5) && udp++ &&
		    sscanf(line + 5, "%lld", &n) == 1)
			*v4 = n;
	if (f)
		fclose(f);
	f = fopen("/proc/net/snmp6", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", name, &n) == 2 &&
		    !strcmp(name, "Udp6InDatagrams"))
			*v6 = n;
	if (f)
		fclose(f);
}

/* Waits (up to 2 s) for @total more datagrams than @v4 + @v6 counted. */
static void udp_wait(long long v4, long long v6, long long total,
		     long long *d4, long long *d6)
{
	long long n4, n6;
	int i;

	for (i = 0; i < 200; i++) {
		udp_in(&n4, &n6);
		if (n4 - v4 + n6 - v6 >= total)
			break;
		usleep(10000);
	}
	usleep(50000);	/* and nothing more comes */
	udp_in(&n4, &n6);
	*d4 = n4 - v4;
	*d6 = n6 - v6;
}

/* Sends @n datagrams into flow 100 until told to stop; how many it sent. */
/*
 * A sender's state, shared with the process that watches it: stop is the
 * watcher's, sent the sender's (it counts as it goes, so the watcher can
 * wait for the first packet before it starts what must happen under
 * traffic: on a loaded host a child may not run for a while).
 */
struct blast_state {
	volatile bool stop;
	volatile long long sent;
};

/* UDP to 192.168.100.2:9 without pause until told to stop or n sent. */
static void blast(struct blast_state *st, long long n)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "192.168.100.2", &to.sin_addr);
	while (!st->stop && st->sent < n)
		if (sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1)
			st->sent++;
	close(fd);
}

/* Waits up to 30 s for the sender's first packet; false if none came. */
static bool blast_started(const struct blast_state *st)
{
	int i;

	for (i = 0; i < 3000 && !st->sent; i++)
		usleep(10000);
	return st->sent > 0;
}

/*
 * FLOW_SET moves a flow between an IPv4 and an IPv6 peer: every packet
 * after it goes to the new peer, none to the old one. The peers are local
 * addresses, so the outer packets come back to the device's own sockets
 * and the namespace's UDP counters tell the families apart (the device
 * drops them: TEID 200 is nobody's). Then the same while a child sends
 * without pause: a route the transmitting CPU cached for the old peer
 * must never serve the new one (today's e2m reset a shared cache, which a
 * sending CPU could refill with an IPv4 route then read as IPv6); every
 * packet sent arrives, in one family or the other. Under the debug
 * kernel's KASAN this is where a mixed-up route would show; there its
 * 220 changes and waits for packets took over the harness's 30 s (a
 * 2-core host at load 14).
 */
TEST_F_TIMEOUT(e2m, flow_set_moves_traffic_to_the_new_peer, 180)
{
	const struct flow_args to4 = { .teid = 100, .peer4 = "10.0.0.2" };
	const struct flow_args to6 = { .teid = 100, .peer6 = "fd00::2" };
	struct nl *nl = &self->nl;
	long long v4, v6, d4, d6;
	struct blast_state *st;
	key_serial_t k1;
	struct reply r;
	pid_t child;
	int i;

	ASSERT_EQ(0, system("ip link set lo up && "
			    "ip addr add 10.0.0.2/32 dev lo && "
			    "ip addr add fd00::2/128 dev lo nodad && "
			    "ip addr add 192.168.100.1/32 dev e2m0 && "
			    "ip route add 192.168.100.0/24 dev e2m0"));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error);
	k1 = add_keyset(1);
	ASSERT_GT(k1, 0);
	key_op(nl, E2M_CMD_KEY_BIND, 100, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error);

	for (i = 0; i < 20; i++) {
		const struct flow_args *to = i % 2 ? &to4 : &to6;
		struct flow_readback fr;

		nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, to), &r, NULL);
		ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
		read_flow(nl, 100, &fr);
		EXPECT_STREQ(i % 2 ?
			     "teid 100 remote-teid 200 port 2152 peer 10.0.0.2 inner 192.168.100.2" :
			     "teid 100 remote-teid 200 port 2152 peer fd00::2 inner 192.168.100.2",
			     fr.text);
		udp_in(&v4, &v6);
		send_packets(3);
		udp_wait(v4, v6, 3, &d4, &d6);
		EXPECT_EQ(i % 2 ? 3 : 0, d4) TH_LOG("change %d", i);
		EXPECT_EQ(i % 2 ? 0 : 3, d6) TH_LOG("change %d", i);
	}

	/* 200 changes of family while a child sends. */
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)st);
	st->stop = false;
	st->sent = 0;
	udp_in(&v4, &v6);
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		blast(st, 1000000);
		_exit(0);
	}
	EXPECT_TRUE(blast_started(st)) TH_LOG("the sender sent nothing in 30 s");
	for (i = 0; i < 200; i++) {
		nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, i % 2 ? &to4 : &to6),
			&r, NULL);
		EXPECT_EQ(0, r.error) TH_LOG("change %d: %s", i, r.extack);
	}
	st->stop = true;
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	udp_wait(v4, v6, st->sent, &d4, &d6);
	EXPECT_LT(0, st->sent);
	EXPECT_EQ(st->sent, d4 + d6);
	munmap(st, sizeof(*st));
	/* The last change was to IPv4: from here on, only IPv4. */
	udp_in(&v4, &v6);
	send_packets(5);
	udp_wait(v4, v6, 5, &d4, &d6);
	EXPECT_EQ(5, d4);
	EXPECT_EQ(0, d6);
}

/* @n datagrams to @inner4:9, into the flow with that inner address. */
static void send_to(const char *inner4, int n)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;

	inet_pton(AF_INET, inner4, &to.sin_addr);
	for (i = 0; i < n; i++)
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	close(fd);
}

/*
 * One peer per endpoint of a device, shared by the flows that send there
 * (kernel/peer.h): flows to the same address and port share one, another
 * port or family makes another, and each flow keeps its own remote TEID.
 * A flow moved away or deleted leaves the peer to the others, which keep
 * sending to it; the last flow to go frees it. The debug module counts
 * the peers; devices of earlier tests may still be going with their
 * namespaces, so the count must first come down to none.
 */
TEST_F_TIMEOUT(e2m, flows_share_a_peer_per_endpoint, 120)
{
	const struct flow_args f101 = {
		.teid = 101, .remote_teid = 201, .peer4 = "10.0.0.2",
		.inner4 = "192.168.100.3",
	};
	const struct flow_args f102 = {
		.teid = 102, .remote_teid = 202, .peer4 = "10.0.0.2",
		.port = 2153, .inner4 = "192.168.100.4",
	};
	const struct flow_args f103 = {
		.teid = 103, .remote_teid = 203, .peer6 = "fd00::2",
		.inner4 = "192.168.100.5",
	};
	const struct flow_args to2152 = { .teid = 102, .port = 2152 };
	const struct flow_args to4 = { .teid = 103, .peer4 = "10.0.0.2" };
	struct nl *nl = &self->nl;
	struct flow_readback fr;
	long long v4, v6, d4, d6;
	key_serial_t k1;
	struct reply r;
	int i;

	if (objects("peer") < 0)
		SKIP(return, "not the debug module (no object counts)");
	for (i = 0; i < 3000 && objects("peer"); i++)
		usleep(10000);
	ASSERT_EQ(0, objects("peer"));
	ASSERT_EQ(0, system("ip link set lo up && "
			    "ip addr add 10.0.0.2/32 dev lo && "
			    "ip addr add fd00::2/128 dev lo nodad && "
			    "ip addr add 192.168.100.1/32 dev e2m0 && "
			    "ip route add 192.168.100.0/24 dev e2m0"));

	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &good_flow), &r, NULL);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(1, objects("peer"));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f101), &r, NULL);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(1, objects("peer"));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f102), &r, NULL);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(2, objects("peer"));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f103), &r, NULL);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(3, objects("peer"));
	read_flow(nl, 100, &fr);
	EXPECT_STREQ("teid 100 remote-teid 200 port 2152 peer 10.0.0.2 inner 192.168.100.2",
		     fr.text);
	read_flow(nl, 101, &fr);
	EXPECT_STREQ("teid 101 remote-teid 201 port 2152 peer 10.0.0.2 inner 192.168.100.3",
		     fr.text);

	/* Moved to the shared endpoint: the peers they leave go. */
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &to2152), &r, NULL);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(2, objects_become("peer", 2));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_SET, &to4), &r, NULL);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	EXPECT_EQ(1, objects_become("peer", 1));
	read_flow(nl, 102, &fr);
	EXPECT_STREQ("teid 102 remote-teid 202 port 2152 peer 10.0.0.2 inner 192.168.100.4",
		     fr.text);
	read_flow(nl, 103, &fr);
	EXPECT_STREQ("teid 103 remote-teid 203 port 2152 peer 10.0.0.2 inner 192.168.100.5",
		     fr.text);

	/* The first flow deleted: the second still sends to the peer. */
	k1 = add_keyset(1);
	ASSERT_GT(k1, 0);
	key_op(nl, E2M_CMD_KEY_BIND, 101, E2M_FLOW_A_KEY_SERIAL, k1, &r);
	ASSERT_EQ(0, r.error) TH_LOG("%s", r.extack);
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_DEL, &(struct flow_args){ .teid = 100 }),
		&r, NULL);
	ASSERT_EQ(0, r.error);
	usleep(100000);
	EXPECT_EQ(1, objects("peer"));
	udp_in(&v4, &v6);
	send_to("192.168.100.3", 3);
	udp_wait(v4, v6, 3, &d4, &d6);
	EXPECT_EQ(3, d4);
	EXPECT_EQ(0, d6);

	/* The last of its flows frees it. */
	for (i = 101; i <= 102; i++) {
		nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_DEL,
				     &(struct flow_args){ .teid = i }), &r, NULL);
		ASSERT_EQ(0, r.error);
	}
	usleep(100000);
	EXPECT_EQ(1, objects("peer"));
	nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_DEL, &(struct flow_args){ .teid = 103 }),
		&r, NULL);
	ASSERT_EQ(0, r.error);
	EXPECT_EQ(0, objects_become("peer", 0));
	EXPECT_EQ(0, count_flows(nl));
}

/*
 * The flows of the dump test: 10,000, or E2M_DUMP_FLOWS (vm-tests.sh gives
 * the debug kernel 1,000: as many dump pages resumed as the code has paths,
 * without minutes of KASAN-checked FLOW_NEWs).
 */
static int dump_flows(void)
{
	const char *env = getenv("E2M_DUMP_FLOWS");
	int n = env ? atoi(env) : 0;

	return n > 0 ? n : 10000;
}

/* 10,000 FLOW_NEWs take over the harness's 30 s on the KASAN kernel. */
TEST_F_TIMEOUT(e2m, dump_of_10000_flows, 300)
{
	struct nl *nl = &self->nl;
	struct nl_msg *msg;
	struct reply r;
	int i, n = dump_flows();

	TH_LOG("%d flows", n);
	for (i = 0; i < n; i++) {
		struct flow_args f = { .teid = 1000 + 7 * i, .remote_teid = 1,
				       .peer4 = "10.0.0.2" };
		char inner[32];

		snprintf(inner, sizeof(inner), "10.%d.%d.%d", i >> 16,
			 (i >> 8) & 255, i & 255);
		f.inner4 = inner;
		nl_call(nl, flow_msg(nl, E2M_CMD_FLOW_NEW, &f), &r, NULL);
		ASSERT_EQ(0, r.error) TH_LOG("flow %d: %s", i, r.extack);
	}
	msg = nl_new(nl, E2M_CMD_FLOW_GET, NLM_F_DUMP, true);
	nl_call(nl, msg, &r, on_flow);
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(n, r.flows);
	EXPECT_TRUE(r.ordered);
	EXPECT_EQ(1000UL + 7 * (n - 1), r.last_teid);
}

TEST_HARNESS_MAIN
