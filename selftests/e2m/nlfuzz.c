// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer of the "e2m" generic netlink family, run in the test VM against
 * one e2m device while traffic flows through it (selftests/e2m/nlfuzz.sh).
 *
 * It knows every command's attributes (type, length, range, nesting) from a
 * table that mirrors the per-op policies of kernel/netlink.c, and sends, from
 * a seeded PRNG: valid messages (boundary values included), and messages
 * mutated to carry a wrong length, an out-of-range value, an attribute the
 * op does not take, a wrong NLA_F_NESTED flag, garbage or a truncated
 * attribute inside the flow nest, a duplicated attribute, a missing device,
 * flow or TEID, an unknown command, a short or odd header. Dumps are started
 * and abandoned: the socket closed after a few messages, or left unread for
 * a while and read (or closed) later. A thread revokes, invalidates, expires
 * and unlinks the keys the fuzzer binds, and now and then any key of the
 * user keyring (the traffic's), while the fuzzer binds and unbinds them.
 *
 * Each answer is checked: every request that asks for an ACK gets one within
 * the receive timeout, errors are negative errnos in range, replies and dump
 * parts are well-formed netlink naming what was asked, a flow dump comes in
 * TEID order, and a message the policy must refuse is refused. Prints TAP:
 * the outcomes per command, the dumps, the key revoker's work.
 *
 * usage: nlfuzz [--seed N] [--seconds N | --iterations N] [--dev NAME]
 *               [--peer4 A] [--inner4 A] [--teid N]...
 * The seed is printed; the same seed and iterations send the same messages
 * (the kernel's answers depend on the traffic and the revoker's timing).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <keyutils.h>
#include <linux/e2m.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define MSG_MAX		8192
#define RECV_MAX	65536
#define RECV_TIMEOUT_S	5
#define MAX_ERRNO	4095
#define KEY_POOL	32
#define STALLED_MAX	4
#define BULK_TEID	1000	/* bulk flows: TEIDs BULK_TEID..+BULK_MAX-1 */
#define BULK_MAX	300
#define MAX_TEIDS	8

/* --- the seeded PRNG (xorshift64*) ----------------------------------------- */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* --- the policies, as a table -------------------------------------------- */

enum kind { K_U8, K_U16, K_U32, K_S32, K_BE32, K_IN6, K_IFNAME, K_NEST };

/* Where a valid value comes from. */
enum pool {
	P_RANGE,	/* anywhere in [min, max], boundaries often */
	P_IFINDEX, P_IFNAME, P_TEID, P_PEER4, P_PEER6, P_INNER4, P_INNER6,
	P_SERIAL, P_MASK,
	P_PORT,		/* mostly the GTP-U port, so that traffic still meets */
};

struct attr_spec {
	int type;
	enum kind kind;
	long long min, max;	/* what the policy accepts; P_MASK: the mask */
	enum pool pool;
	int often;		/* percent of valid messages that carry it; 0: 60 */
};

#define U32_MAX_LL	4294967295LL

static const struct attr_spec dev_id_attrs[] = {
	{ E2M_A_IFINDEX, K_U32, 1, U32_MAX_LL, P_IFINDEX, 0 },
	{ E2M_A_IFNAME, K_IFNAME, 0, 0, P_IFNAME, 0 },
};

static const struct attr_spec dev_set_attrs[] = {
	{ E2M_A_ROLE, K_U8, E2M_ROLE_HSE, E2M_ROLE_UE, P_RANGE, 0 },
	{ E2M_A_PORT, K_U16, 1, 65535, P_PORT, 0 },
	{ E2M_A_REPLAY_WINDOW, K_U32, E2M_REPLAY_WINDOW_MIN, E2M_REPLAY_WINDOW_MAX, P_RANGE, 0 },
	{ E2M_A_COUNT_NOTIFY, K_U32, 1, U32_MAX_LL, P_RANGE, 0 },
	{ E2M_A_COUNT_LIMIT, K_U32, 1, U32_MAX_LL, P_RANGE, 0 },
};

static const struct attr_spec flow_config_attrs[] = {
	{ E2M_FLOW_A_LOCAL_TEID, K_U32, 1, U32_MAX_LL, P_TEID, 0 },
	{ E2M_FLOW_A_REMOTE_TEID, K_U32, 0, U32_MAX_LL, P_TEID, 85 },
	{ E2M_FLOW_A_PEER_IPV4, K_BE32, 0, U32_MAX_LL, P_PEER4, 85 },
	{ E2M_FLOW_A_PEER_IPV6, K_IN6, 0, 0, P_PEER6, 15 },
	{ E2M_FLOW_A_PEER_PORT, K_U16, 1, 65535, P_PORT, 30 },
	{ E2M_FLOW_A_INNER_IPV4, K_BE32, 0, U32_MAX_LL, P_INNER4, 85 },
	{ E2M_FLOW_A_INNER_IPV6, K_IN6, 0, 0, P_INNER6, 40 },
	{ E2M_FLOW_A_FLAGS, K_U32, 0, 0, P_MASK, 0 },
};

static const struct attr_spec flow_id_attrs[] = {
	{ E2M_FLOW_A_LOCAL_TEID, K_U32, 1, U32_MAX_LL, P_TEID, 0 },
};

static const struct attr_spec key_bind_attrs[] = {
	{ E2M_FLOW_A_LOCAL_TEID, K_U32, 1, U32_MAX_LL, P_TEID, 0 },
	{ E2M_FLOW_A_KEY_SERIAL, K_S32, 1, INT_MAX, P_SERIAL, 95 },
	{ E2M_FLOW_A_KEY_FLAGS, K_U32, 0, E2M_KEY_F_TX_ON_RX, P_MASK, 0 },
};

static const struct attr_spec key_id_attrs[] = {
	{ E2M_FLOW_A_LOCAL_TEID, K_U32, 1, U32_MAX_LL, P_TEID, 0 },
	{ E2M_FLOW_A_KEY_ID, K_U8, 0, E2M_KEY_ID_MAX, P_RANGE, 95 },
};

#define SPECS(a) a, (int)(sizeof(a) / sizeof((a)[0]))

struct cmd_spec {
	int cmd;
	const char *name;
	bool doit, dumpit;
	const struct attr_spec *top;	/* besides the device's */
	int ntop;
	const struct attr_spec *flow;	/* E2M_A_FLOW's; NULL: none */
	int nflow;
};

static const struct cmd_spec cmds[] = {
	{ E2M_CMD_DEV_GET, "DEV_GET", true, true, NULL, 0, NULL, 0 },
	{ E2M_CMD_DEV_SET, "DEV_SET", true, false, SPECS(dev_set_attrs), NULL, 0 },
	{ E2M_CMD_FLOW_NEW, "FLOW_NEW", true, false, NULL, 0, SPECS(flow_config_attrs) },
	{ E2M_CMD_FLOW_SET, "FLOW_SET", true, false, NULL, 0, SPECS(flow_config_attrs) },
	{ E2M_CMD_FLOW_DEL, "FLOW_DEL", true, false, NULL, 0, SPECS(flow_id_attrs) },
	{ E2M_CMD_FLOW_GET, "FLOW_GET", true, true, NULL, 0, SPECS(flow_id_attrs) },
	{ E2M_CMD_KEY_BIND, "KEY_BIND", true, false, NULL, 0, SPECS(key_bind_attrs) },
	{ E2M_CMD_KEY_USE, "KEY_USE", true, false, NULL, 0, SPECS(key_id_attrs) },
	{ E2M_CMD_KEY_UNBIND, "KEY_UNBIND", true, false, NULL, 0, SPECS(key_id_attrs) },
};

#define NCMDS	((int)(sizeof(cmds) / sizeof(cmds[0])))
#define CMD_UNKNOWN	NCMDS	/* the counters' row for unknown commands */

static int attr_size(enum kind kind)
{
	switch (kind) {
	case K_U8: return 1;
	case K_U16: return 2;
	case K_U32: case K_S32: case K_BE32: return 4;
	case K_IN6: return 16;
	default: return 0;
	}
}

/* --- what the fuzzer works on --------------------------------------------- */

static struct {
	const char *dev;
	int ifindex;
	uint32_t peer4, inner4;		/* network order; 0: none given */
	uint32_t teids[MAX_TEIDS];	/* the traffic's flows, to change */
	int nteids;
	int family;
	key_serial_t user_key;		/* a key of the wrong type */
} target = { .dev = "e2m0" };

/* The keys the fuzzer made; the revoker thread kills them at random. */
static struct {
	_Atomic key_serial_t serial[KEY_POOL];
	atomic_bool stop;
	atomic_ulong revoked, invalidated, expiring, unlinked, foreign, added;
} keys;

/* --- message building ------------------------------------------------------ */

struct msg {
	unsigned char buf[MSG_MAX];
	size_t len;
};

static struct nlmsghdr *msg_hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static void msg_init(struct msg *m, int type, int flags, int cmd)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	msg_hdr(m)->nlmsg_type = type;
	msg_hdr(m)->nlmsg_flags = flags;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = E2M_GENL_VERSION;
}

/* Puts an attribute; the offset of its header (for nests), -1 if full. */
static long attr_put(struct msg *m, int type, const void *data, size_t len)
{
	struct nlattr *nla = (struct nlattr *)(m->buf + m->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);
	long off = (long)m->len;

	if (m->len + total > MSG_MAX || NLA_HDRLEN + len > 0xffff)
		return -1;
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
	return off;
}

static void nest_end(struct msg *m, long off)
{
	if (off >= 0)
		((struct nlattr *)(m->buf + off))->nla_len = m->len - off;
}

static void msg_finish(struct msg *m, uint32_t seq)
{
	msg_hdr(m)->nlmsg_len = m->len;
	msg_hdr(m)->nlmsg_seq = seq;
}

/* --- values ------------------------------------------------------------------ */

static const uint32_t teid_pool_fixed[] = { 1, 2, 3, 7, 100, 200, 0x7fffffff, 0xffffffff };

/* TEIDs of flows the fuzzer created, so that deeper commands find them. */
static uint32_t known_teids[64];

static void teid_created(uint32_t teid)
{
	known_teids[below(64)] = teid;
}

static uint32_t pick_teid(void)
{
	uint32_t known = known_teids[below(64)];

	if (target.nteids && chance(30))
		return target.teids[below(target.nteids)];
	if (known && chance(50))
		return known;
	if (chance(20))
		return BULK_TEID + below(BULK_MAX);
	return teid_pool_fixed[below(sizeof(teid_pool_fixed) / sizeof(teid_pool_fixed[0]))];
}

static uint32_t pick_v4(uint32_t given, const char *const *pool, int n)
{
	struct in_addr a;

	if (given && chance(60))
		return given;
	inet_pton(AF_INET, pool[below(n)], &a);
	return a.s_addr;
}

static const char *const peer4_pool[] = {
	"10.0.0.1", "10.0.0.2", "127.0.0.1", "0.0.0.0", "255.255.255.255",
	"224.0.0.1", "10.0.0.99",
};
static const char *const inner4_pool[] = {
	"192.168.100.1", "192.168.100.2", "192.168.100.3", "192.168.100.4",
	"0.0.0.0", "224.0.0.5",
};
static const char *const v6_pool[] = {
	"::1", "::", "fd00::1", "fd00::2", "::ffff:10.0.0.2", "ff02::1",
	"fd00:100::2", "fd00:100::3", "fe80::1",
};

static key_serial_t pick_serial(void)
{
	key_serial_t s;

	switch (below(10)) {
	case 0:
		return target.user_key;
	case 1:
		return (key_serial_t)(1 + below(INT_MAX));
	case 2:
		return keyctl_get_keyring_ID(KEY_SPEC_USER_KEYRING, 0);	/* a keyring */
	default:
		s = atomic_load(&keys.serial[below(KEY_POOL)]);
		return s > 0 ? s : 1;
	}
}

/* A value the policy accepts (the command may still refuse it). */
static long long valid_value(const struct attr_spec *a)
{
	switch (a->pool) {
	case P_IFINDEX:
		return target.ifindex;
	case P_TEID:
		return pick_teid();
	case P_PEER4:
		return pick_v4(target.peer4, peer4_pool, 7);
	case P_INNER4:
		return pick_v4(target.inner4, inner4_pool, 6);
	case P_SERIAL:
		return pick_serial();
	case P_MASK:
		return a->max ? (long long)(rnd() & a->max) : 0;
	case P_PORT:
		if (chance(80))
			return E2M_GTPU_PORT;
		break;
	default:
		break;
	}
	switch (below(4)) {
	case 0: return a->min;
	case 1: return a->max;
	case 2: return a->min + below(8) <= a->max ? a->min + below(8) : a->min;
	default:
		return a->min + (long long)(rnd() % (uint64_t)(a->max - a->min + 1));
	}
}

static void put_value(struct msg *m, int type, enum kind kind, long long v)
{
	uint8_t u8 = v;
	uint16_t u16 = v;
	uint32_t u32 = v;

	switch (kind) {
	case K_U8: attr_put(m, type, &u8, 1); break;
	case K_U16: attr_put(m, type, &u16, 2); break;
	default: attr_put(m, type, &u32, 4); break;
	}
}

static void put_valid(struct msg *m, const struct attr_spec *a)
{
	struct in6_addr a6;

	if (a->kind == K_IFNAME) {
		const char *name = chance(80) ? target.dev : chance(50) ? "lo" : "nosuch0";

		attr_put(m, a->type, name, strlen(name) + 1);
	} else if (a->kind == K_IN6) {
		inet_pton(AF_INET6, v6_pool[below(9)], &a6);
		attr_put(m, a->type, &a6, sizeof(a6));
	} else {
		put_value(m, a->type, a->kind, valid_value(a));
	}
}

/* --- generation ----------------------------------------------------------- */

/* How a message was made, for the counters and the checks. */
struct shape {
	int row;		/* cmds[] index or CMD_UNKNOWN */
	bool mutated;
	bool must_refuse;	/* the policy or the handler's first checks refuse it */
	bool dump;
	bool want_ack;
	bool no_request;	/* NLM_F_REQUEST cleared: the kernel ignores it */
	int ifindex;		/* what a DEV_GET reply must name; 0: unknown */
	uint32_t teid;		/* what a FLOW_GET reply must name; 0: unknown */
	const char *what;	/* the last mutation applied */
};

/* Attribute types an op does not take: foreign to its policy. */
static int foreign_type(const struct attr_spec *specs, int n, int maxtype,
			int also_allowed)
{
	int t, i;

	for (;;) {
		switch (below(3)) {
		case 0: t = 0; break;
		case 1: t = maxtype + 1 + below(0x3fff - maxtype); break;
		default: t = below(maxtype + 1); break;
		}
		if (t == also_allowed && t)
			continue;
		for (i = 0; i < n; i++)
			if (specs[i].type == t)
				break;
		if (i == n)
			return t;
	}
}

/* An attribute of @a broken so that the policy refuses it. */
static void put_broken(struct msg *m, const struct attr_spec *a, struct shape *s)
{
	unsigned char junk[32];
	int size = attr_size(a->kind), len;
	long long v;

	for (len = 0; len < (int)sizeof(junk); len++)
		junk[len] = rnd();
	if (a->kind == K_IFNAME) {
		memset(junk, 'A', sizeof(junk));	/* no NUL, too long */
		attr_put(m, a->type, junk, chance(20) ? 0 : IFNAMSIZ + below(16));
		s->what = "ifname without NUL or too long";
		return;
	}
	if (chance(50) || (a->min == 0 && a->max >= U32_MAX_LL) || a->kind == K_IN6) {
		do {
			len = below(sizeof(junk) + 1);
		} while (len == size);
		attr_put(m, a->type, junk, len);
		s->what = "wrong length";
		return;
	}
	if (a->pool == P_MASK) {
		v = (long long)(rnd() | (a->max + 1)) & ~a->max;
		if (!(v & 0xffffffff))
			v = a->max + 1;
	} else if (a->min > 0 && (chance(50) || a->max >= U32_MAX_LL ||
				  (a->kind == K_U16 && a->max >= 65535) ||
				  (a->kind == K_S32 && a->max >= INT_MAX))) {
		v = a->kind == K_S32 && chance(50) ? -(long long)below(INT_MAX) - 1 :
		    a->min - 1 - below(a->min);
	} else {
		long long top = a->kind == K_U8 ? 255 : a->kind == K_U16 ? 65535 : U32_MAX_LL;

		v = a->max + 1 + (long long)(rnd() % (uint64_t)(top - a->max));
	}
	put_value(m, a->type, a->kind, v);
	s->what = "value out of range";
}

/* Garbage or a truncated attribute inside a nest. */
static void put_nest_garbage(struct msg *m, struct shape *s)
{
	unsigned char junk[64];
	struct nlattr *nla;
	size_t i, n = 1 + below(sizeof(junk));

	for (i = 0; i < n; i++)
		junk[i] = rnd();
	if (chance(50) && n >= NLA_HDRLEN) {
		/* an attribute header that claims more than there is */
		nla = (struct nlattr *)junk;
		nla->nla_len = NLA_ALIGN(n) + 1 + below(100);
		nla->nla_type = 1 + below(E2M_FLOW_A_MAX);
		memcpy(m->buf + m->len, junk, n);
		m->len += NLA_ALIGN(n);
		memset(m->buf + m->len - (NLA_ALIGN(n) - n), 0, NLA_ALIGN(n) - n);
		s->must_refuse = true;
		s->what = "truncated nested attribute";
	} else {
		memcpy(m->buf + m->len, junk, n);
		m->len += n;	/* unaligned on purpose */
		s->what = "nested garbage";
	}
}

enum mutation {
	MUT_BROKEN,	/* wrong length or out-of-range value */
	MUT_FOREIGN,	/* an attribute the op does not take */
	MUT_NESTFLAG,	/* NLA_F_NESTED wrong */
	MUT_GARBAGE,	/* garbage in the flow nest */
	MUT_DUP,	/* an attribute twice */
	MUT_DROP,	/* the device, the flow or the TEID missing */
	MUT_BYTEORDER,	/* NLA_F_NET_BYTEORDER set: ignored */
	MUT_COUNT
};

/* The attributes of @specs, valid or (once, at @broken) mutated. */
static void put_attrs(struct msg *m, const struct attr_spec *specs, int n,
		      int maxtype, enum mutation mut, bool here, struct shape *s,
		      bool require_first)
{
	int i, victim = n ? (int)below(n) : -1;

	for (i = 0; i < n; i++) {
		bool want = (i == 0 && require_first) ||
			    chance(specs[i].often ? specs[i].often : 60);

		if (here && i == victim) {
			if (mut == MUT_BROKEN) {
				put_broken(m, &specs[i], s);
				s->must_refuse = true;
				continue;
			}
			if (mut == MUT_NESTFLAG) {
				long off = (long)m->len;

				put_valid(m, &specs[i]);
				((struct nlattr *)(m->buf + off))->nla_type |= NLA_F_NESTED;
				s->must_refuse = true;
				s->what = "NLA_F_NESTED on a scalar";
				continue;
			}
			if (mut == MUT_BYTEORDER) {
				long off = (long)m->len;

				put_valid(m, &specs[i]);
				((struct nlattr *)(m->buf + off))->nla_type |= NLA_F_NET_BYTEORDER;
				s->what = "NLA_F_NET_BYTEORDER set";
				continue;
			}
			if (mut == MUT_DUP) {
				put_valid(m, &specs[i]);
				put_valid(m, &specs[i]);
				s->what = "duplicated attribute";
				continue;
			}
			if (mut == MUT_DROP && i == 0 && require_first) {
				s->what = "TEID missing";
				s->must_refuse = true;
				continue;
			}
		}
		if (!want)
			continue;
		if (specs[i].type == E2M_FLOW_A_LOCAL_TEID && specs[i].pool == P_TEID) {
			uint32_t teid = pick_teid();

			attr_put(m, specs[i].type, &teid, 4);
			s->teid = teid;
			continue;
		}
		put_valid(m, &specs[i]);
	}
	if (here && mut == MUT_FOREIGN) {
		uint32_t v = rnd();

		attr_put(m, foreign_type(specs, n, maxtype, -1), &v, below(2) ? 4 : below(9));
		s->must_refuse = true;
		s->what = "attribute the op does not take";
	}
}

/* The device attributes: ifindex, name or (at random) both; or broken. */
static void put_device(struct msg *m, bool broken, struct shape *s)
{
	if (broken) {
		put_broken(m, &dev_id_attrs[below(2)], s);
		s->must_refuse = true;
		return;
	}
	if (chance(75)) {
		uint32_t ifindex = chance(90) ? (uint32_t)target.ifindex :
				   chance(50) ? 1 : 999999;

		attr_put(m, E2M_A_IFINDEX, &ifindex, 4);
		s->ifindex = ifindex;
		if (chance(5))
			put_valid(m, &dev_id_attrs[1]);
	} else {
		put_valid(m, &dev_id_attrs[1]);
	}
}

/* The top-level attribute types an op takes. */
static int top_types(const struct cmd_spec *c, struct attr_spec *out)
{
	int n = 0, i;

	out[n++] = dev_id_attrs[0];
	out[n++] = dev_id_attrs[1];
	for (i = 0; i < c->ntop; i++)
		out[n++] = c->top[i];
	if (c->flow)
		out[n++] = (struct attr_spec){ E2M_A_FLOW, K_NEST, 0, 0, P_RANGE, 0 };
	return n;
}

/* A command the family does not have: EOPNOTSUPP. */
static void generate_unknown(struct msg *m, struct shape *s)
{
	static const int unknown[] = { E2M_CMD_UNSPEC, E2M_CMD_EVENT_KEY,
				       E2M_CMD_EVENT_NO_KEY, __E2M_CMD_MAX, 255 };

	s->row = CMD_UNKNOWN;
	msg_init(m, target.family, NLM_F_REQUEST | NLM_F_ACK, unknown[below(5)]);
	put_device(m, false, s);
	s->must_refuse = s->mutated = true;
	s->what = "unknown command";
}

/* The E2M_A_FLOW nest (or none), mutated when @here. */
static void put_flow(struct msg *m, const struct cmd_spec *c, enum mutation mut,
		     bool here, bool top_here, struct shape *s)
{
	bool dump_get = s->dump && c->cmd == E2M_CMD_FLOW_GET;
	int nest_type = E2M_A_FLOW | NLA_F_NESTED;
	long nest;

	if (here && mut == MUT_DROP && chance(50)) {
		s->what = "flow missing";
		s->must_refuse |= !dump_get;
		return;
	}
	if (dump_get && chance(30))
		return;		/* a dump needs no flow */
	if (top_here && mut == MUT_NESTFLAG && chance(50)) {
		nest_type = E2M_A_FLOW;
		s->must_refuse = true;
		s->what = "E2M_A_FLOW without NLA_F_NESTED";
	}
	nest = attr_put(m, nest_type, NULL, 0);
	if (!(dump_get && chance(50)))
		put_attrs(m, c->flow, c->nflow, E2M_FLOW_A_MAX, mut, here, s, !dump_get);
	if (here && mut == MUT_GARBAGE)
		put_nest_garbage(m, s);
	nest_end(m, nest);
	if (top_here && mut == MUT_DUP && chance(50)) {
		nest = attr_put(m, E2M_A_FLOW | NLA_F_NESTED, NULL, 0);
		put_attrs(m, c->flow, c->nflow, E2M_FLOW_A_MAX, MUT_COUNT, false, s, true);
		nest_end(m, nest);
		s->what = "E2M_A_FLOW twice";
	}
}

/* Odd header flags or fields: what the kernel must make of them. */
static void mutate_header(struct msg *m, struct shape *s)
{
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	switch (below(4)) {
	case 0:
		msg_hdr(m)->nlmsg_flags &= ~NLM_F_ACK;
		s->what = "no NLM_F_ACK";
		break;
	case 1:
		/* not a request: ignored, only ACKed */
		msg_hdr(m)->nlmsg_flags &= ~NLM_F_REQUEST;
		s->no_request = true;
		s->must_refuse = false;
		s->what = "no NLM_F_REQUEST";
		break;
	case 2:
		/* NLM_F_REPLACE and NLM_F_EXCL together would make a dump */
		msg_hdr(m)->nlmsg_flags |= NLM_F_CREATE | NLM_F_APPEND |
					   (chance(50) ? NLM_F_REPLACE : NLM_F_EXCL);
		s->what = "NLM_F_CREATE|APPEND and REPLACE or EXCL";
		break;
	default:
		g->version = rnd();
		g->reserved = rnd();
		s->what = "genl version and reserved field";
		break;
	}
}

static void generate(struct msg *m, struct shape *s, uint32_t seq)
{
	const struct cmd_spec *c;
	struct attr_spec top[E2M_A_MAX + 1];
	enum mutation mut = MUT_COUNT;
	int flags = NLM_F_REQUEST | NLM_F_ACK;
	bool top_here;

	memset(s, 0, sizeof(*s));
	s->what = "valid";
	if (chance(2)) {
		generate_unknown(m, s);
		goto out;
	}
	s->row = below(NCMDS);
	c = &cmds[s->row];
	s->mutated = chance(45);
	if (c->dumpit && chance(c->doit ? 25 : 100)) {
		flags |= NLM_F_DUMP;
		s->dump = true;
	} else if (!c->dumpit && chance(2)) {
		flags |= NLM_F_DUMP;	/* no dumpit: EOPNOTSUPP */
		s->dump = true;
		s->must_refuse = true;
		s->what = "dump of a command without one";
	}
	if (s->mutated)
		mut = below(MUT_COUNT);
	/* the mutation goes to the top level or into the flow nest */
	top_here = !c->flow || chance(30);
	msg_init(m, target.family, flags, c->cmd);

	if (top_here && mut == MUT_DROP) {
		s->what = "device missing";
		s->must_refuse |= !(s->dump && c->cmd == E2M_CMD_DEV_GET);
	} else {
		put_device(m, top_here && mut == MUT_BROKEN &&
			   (!c->ntop || chance(30)), s);
	}
	put_attrs(m, c->top, c->ntop, E2M_A_MAX, mut,
		  top_here && mut != MUT_FOREIGN && mut != MUT_DROP &&
		  !s->must_refuse, s, false);
	if (c->flow)
		put_flow(m, c, mut, !top_here, top_here, s);
	if (top_here && mut == MUT_FOREIGN) {
		uint32_t v = rnd();
		int ntop = top_types(c, top);

		attr_put(m, foreign_type(top, ntop, E2M_A_MAX, -1), &v, 4);
		s->must_refuse = true;
		s->what = "attribute the op does not take";
	}
	if (top_here && mut == MUT_NESTFLAG && !s->must_refuse) {
		uint32_t ifindex = target.ifindex;

		attr_put(m, E2M_A_IFINDEX | NLA_F_NESTED, &ifindex, 4);
		s->must_refuse = true;
		s->what = "NLA_F_NESTED on a scalar";
	}
	if (s->mutated && chance(10))
		mutate_header(m, s);
out:
	s->want_ack = !!(msg_hdr(m)->nlmsg_flags & NLM_F_ACK) || s->dump;
	msg_finish(m, seq);
	if (s->mutated && chance(3)) {
		/* shorter than the generic netlink header: EINVAL */
		msg_hdr(m)->nlmsg_len = NLMSG_HDRLEN + below(GENL_HDRLEN);
		m->len = msg_hdr(m)->nlmsg_len;
		s->must_refuse = !s->no_request;
		s->want_ack = !s->no_request || (msg_hdr(m)->nlmsg_flags & NLM_F_ACK);
		s->what = "shorter than the genl header";
	}
}

/* --- sockets ------------------------------------------------------------------ */

static int nl_socket(int rcvbuf)
{
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

static int nl_send(int fd, const struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) ==
	       (ssize_t)m->len ? 0 : -1;
}

static const struct nlattr *attr_find(const unsigned char *start, int len, int type);
static uint32_t attr_u32(const struct nlattr *nla);

/* The id of the events group, from the controller's CTRL_ATTR_MCAST_GROUPS. */
static int events_group(const struct nlattr *groups)
{
	const struct nlattr *g = (const struct nlattr *)((const char *)groups + NLA_HDRLEN);
	int rem = groups->nla_len - NLA_HDRLEN;

	for (; rem >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN && g->nla_len <= rem;
	     rem -= NLA_ALIGN(g->nla_len),
	     g = (const struct nlattr *)((const char *)g + NLA_ALIGN(g->nla_len))) {
		const unsigned char *in = (const unsigned char *)g + NLA_HDRLEN;
		const struct nlattr *name = attr_find(in, g->nla_len - NLA_HDRLEN,
						      CTRL_ATTR_MCAST_GRP_NAME);

		if (name && !strcmp((const char *)name + NLA_HDRLEN, E2M_MCGRP_EVENTS))
			return attr_u32(attr_find(in, g->nla_len - NLA_HDRLEN,
						  CTRL_ATTR_MCAST_GRP_ID));
	}
	return 0;
}

/* The family's id and its events group, from the controller. */
static int resolve_family(int fd, int *group)
{
	static unsigned char buf[RECV_MAX];
	const struct nlattr *id, *groups;
	struct nlmsghdr *nlh;
	struct msg m;
	ssize_t n;
	int len;

	msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY);
	attr_put(&m, CTRL_ATTR_FAMILY_NAME, E2M_GENL_NAME, sizeof(E2M_GENL_NAME));
	msg_finish(&m, 1);
	if (nl_send(fd, &m))
		return -1;
	n = recv(fd, buf, sizeof(buf), 0);
	nlh = (struct nlmsghdr *)buf;
	if (n < (ssize_t)NLMSG_HDRLEN || !NLMSG_OK(nlh, n) || nlh->nlmsg_type != GENL_ID_CTRL)
		return -1;
	len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	id = attr_find((unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len, CTRL_ATTR_FAMILY_ID);
	groups = attr_find((unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len,
			   CTRL_ATTR_MCAST_GROUPS);
	*group = groups ? events_group(groups) : 0;
	return id ? *(const uint16_t *)((const char *)id + NLA_HDRLEN) : -1;
}

/* --- checking the answers ----------------------------------------------------- */

#define NERRNO	134

struct counters {
	unsigned long sent, valid, mutated, accepted, refused, must_refuse;
	unsigned long unanswered, insane, silent, dumps;
	unsigned long err[NERRNO];
};

static struct counters count[NCMDS + 1];
static struct {
	unsigned long started, completed, closed, stalled, resumed, parts, flows;
	unsigned long insane;
} dumps;
static unsigned long iteration;
static uint64_t seed;
static int failures;

static const char *row_name(int row)
{
	return row == CMD_UNKNOWN ? "unknown commands" : cmds[row].name;
}

static void hexdump(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	printf("#   message (%zu octets):", len);
	for (i = 0; i < len; i++)
		printf("%s%02x", i % 32 ? "" : "\n#     ", p[i]);
	printf("\n");
}

static void insane(const struct shape *s, const struct msg *m, const char *fmt, ...)
{
	va_list ap;

	failures++;
	if (failures > 20)
		return;
	printf("# BAD: seed %llu iteration %lu, %s (%s): ",
	       (unsigned long long)seed, iteration, row_name(s->row), s->what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (m)
		hexdump(m->buf, m->len);
	fflush(stdout);
}

/* The attributes in [start, start + len) tile it exactly. */
static bool attrs_well_formed(const unsigned char *start, int len, int depth)
{
	const struct nlattr *nla = (const struct nlattr *)start;

	while (len >= NLA_HDRLEN) {
		if (nla->nla_len < NLA_HDRLEN || nla->nla_len > len)
			return false;
		if ((nla->nla_type & NLA_F_NESTED) && depth < 3 &&
		    !attrs_well_formed((const unsigned char *)nla + NLA_HDRLEN,
				       nla->nla_len - NLA_HDRLEN, depth + 1))
			return false;
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const struct nlattr *)((const char *)nla + NLA_ALIGN(nla->nla_len));
	}
	return len <= 0;
}

static const struct nlattr *attr_find(const unsigned char *start, int len, int type)
{
	const struct nlattr *nla = (const struct nlattr *)start;

	while (len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN && nla->nla_len <= len) {
		if ((nla->nla_type & NLA_TYPE_MASK) == type)
			return nla;
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const struct nlattr *)((const char *)nla + NLA_ALIGN(nla->nla_len));
	}
	return NULL;
}

static uint32_t attr_u32(const struct nlattr *nla)
{
	uint32_t v = 0;

	if (nla && nla->nla_len >= NLA_HDRLEN + 4)
		memcpy(&v, (const char *)nla + NLA_HDRLEN, 4);
	return v;
}

/* The flow TEID a reply or dump part names; 0 if none. */
static uint32_t reply_teid(const struct nlmsghdr *nlh)
{
	const unsigned char *a = (const unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct nlattr *flow = attr_find(a, len, E2M_A_FLOW);

	if (!flow)
		return 0;
	return attr_u32(attr_find((const unsigned char *)flow + NLA_HDRLEN,
				  flow->nla_len - NLA_HDRLEN, E2M_FLOW_A_LOCAL_TEID));
}

/* A reply message of the family: well-formed, naming what was asked. */
static bool reply_sane(const struct nlmsghdr *nlh, const struct shape *s,
		       const char **why)
{
	const unsigned char *a = (const unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *ifindex;

	*why = "reply shorter than the genl header";
	if (len < 0)
		return false;
	*why = "reply of another command";
	if (g->cmd != (s->row == CMD_UNKNOWN ? 0 : cmds[s->row].cmd))
		return false;
	*why = "reply attributes malformed";
	if (!attrs_well_formed(a, len, 0))
		return false;
	ifindex = attr_find(a, len, E2M_A_IFINDEX);
	*why = "reply without E2M_A_IFINDEX";
	if (!ifindex)
		return false;
	*why = "reply names another device";
	if (!s->dump && s->ifindex && attr_u32(ifindex) != (uint32_t)s->ifindex)
		return false;
	if (g->cmd == E2M_CMD_FLOW_GET) {
		*why = "flow reply names another TEID";
		if (!reply_teid(nlh) || (!s->dump && s->teid && reply_teid(nlh) != s->teid))
			return false;
	}
	return true;
}

struct answer {
	bool acked;		/* NLMSG_ERROR, or NLMSG_DONE for a dump */
	int error;		/* its errno, positive; 0 for success */
	int replies;
	uint32_t last_teid;
};

/*
 * Reads what the kernel answers to the request @seq: until its ACK or error
 * (or the dump's DONE), at most @max_parts messages of a dump when not 0.
 * Returns 0, or -1 when nothing more came within the receive timeout.
 */
static int read_answer(int fd, uint32_t seq, const struct shape *s,
		       const struct msg *m, struct answer *ans, int max_parts,
		       bool block)
{
	static unsigned char buf[RECV_MAX];
	const char *why;

	for (;;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		ssize_t n = recv(fd, buf, sizeof(buf), block ? 0 : MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			insane(s, m, "receive buffer overrun (ENOBUFS)");
			return -1;
		}
		if (n < 0)
			return block ? -1 : 0;
		for (; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq) {
				insane(s, m, "answer to sequence %u, not %u",
				       nlh->nlmsg_seq, seq);
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (e->error > 0 || e->error < -MAX_ERRNO)
					insane(s, m, "error %d is not a negative errno", e->error);
				ans->acked = true;
				ans->error = -e->error;
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
				if (!s->dump)
					insane(s, m, "NLMSG_DONE for a request that was no dump");
				if (err > 0 || err < -MAX_ERRNO)
					insane(s, m, "dump ended with %d, not a negative errno", err);
				ans->acked = true;
				ans->error = -err;
				return 0;
			}
			if (nlh->nlmsg_type != target.family) {
				insane(s, m, "message of type %u", nlh->nlmsg_type);
				continue;
			}
			if (s->dump && !(nlh->nlmsg_flags & NLM_F_MULTI))
				insane(s, m, "dump part without NLM_F_MULTI");
			if (!reply_sane(nlh, s, &why))
				insane(s, m, "%s", why);
			if (s->dump && cmds[s->row].cmd == E2M_CMD_FLOW_GET) {
				uint32_t teid = reply_teid(nlh);

				if (ans->replies && teid <= ans->last_teid) {
					dumps.insane++;
					insane(s, m, "flow dump out of TEID order: %u after %u",
					       teid, ans->last_teid);
				}
				ans->last_teid = teid;
				dumps.flows++;
			}
			ans->replies++;
		}
		if (max_parts && ans->replies >= max_parts)
			return 0;
	}
}

static void count_answer(const struct shape *s, const struct msg *m,
			 const struct answer *ans, bool answered)
{
	struct counters *c = &count[s->row];

	if (!answered) {
		c->unanswered++;
		insane(s, m, "no answer within %d s", RECV_TIMEOUT_S);
		return;
	}
	if (!ans->acked) {
		c->silent++;
		return;
	}
	if (ans->error == 0) {
		c->accepted++;
		if (s->must_refuse) {
			c->insane++;
			insane(s, m, "accepted, but the policy must refuse it");
		}
		return;
	}
	c->refused++;
	c->err[ans->error < NERRNO ? ans->error : 0]++;
}

/* --- events ------------------------------------------------------------------- */

static struct {
	int fd;
	unsigned long key, no_key, insane, lost;
} events = { .fd = -1 };

/* A socket in the events group; the kernel's events must parse and name a device. */
static void events_open(int group)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	/* bound first: a broadcast skips sockets whose port id is still 0 */
	events.fd = nl_socket(0);
	if (events.fd >= 0 &&
	    (bind(events.fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	     setsockopt(events.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			&group, sizeof(group)))) {
		printf("# events: cannot join the group: %s\n", strerror(errno));
		close(events.fd);
		events.fd = -1;
	}
}

static void events_drain(void)
{
	static unsigned char buf[RECV_MAX];
	ssize_t n;

	while (events.fd >= 0 && (n = recv(events.fd, buf, sizeof(buf), MSG_DONTWAIT)) != 0) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		if (n < 0) {
			if (errno == ENOBUFS) {
				events.lost++;	/* a full socket drops events: allowed */
				continue;
			}
			return;
		}
		for (; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			const struct genlmsghdr *g = NLMSG_DATA(nlh);
			const unsigned char *a = (const unsigned char *)g + GENL_HDRLEN;
			int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

			if (nlh->nlmsg_type != target.family || len < 0 ||
			    !attrs_well_formed(a, len, 0) ||
			    !attr_find(a, len, E2M_A_IFINDEX) ||
			    (g->cmd != E2M_CMD_EVENT_KEY && g->cmd != E2M_CMD_EVENT_NO_KEY)) {
				events.insane++;
				failures++;
				printf("# BAD: seed %llu iteration %lu: malformed event (type %u, cmd %u)\n",
				       (unsigned long long)seed, iteration, nlh->nlmsg_type, g->cmd);
				continue;
			}
			if (g->cmd == E2M_CMD_EVENT_KEY)
				events.key++;
			else
				events.no_key++;
		}
	}
}

/* --- dumps left unfinished ------------------------------------------------------ */

struct stalled {
	int fd;
	uint32_t seq;
	struct shape shape;
	struct msg msg;
};

static struct stalled stalled[STALLED_MAX];
static int nstalled;

/* A stalled dump: read to its end (checked) or closed unread. */
static void stalled_finish(int i)
{
	struct stalled *st = &stalled[i];
	struct answer ans = { 0 };

	if (chance(50)) {
		if (read_answer(st->fd, st->seq, &st->shape, &st->msg, &ans, 0, true) ||
		    !ans.acked)
			insane(&st->shape, &st->msg, "stalled dump never ended");
		else
			dumps.completed++;
		dumps.resumed++;
	} else {
		dumps.closed++;
	}
	close(st->fd);
	stalled[i] = stalled[--nstalled];
}

/* A dump on a socket of its own, given up after a few parts. */
static void dump_abandon(const struct msg *m, const struct shape *s)
{
	struct answer ans = { 0 };
	int fd = nl_socket(chance(50) ? 1024 : 0);
	int parts = below(3);

	if (fd < 0)
		return;
	dumps.started++;
	if (nl_send(fd, m)) {
		close(fd);
		return;
	}
	if (parts)
		read_answer(fd, msg_hdr((struct msg *)m)->nlmsg_seq, s, m, &ans, parts, true);
	dumps.parts += ans.replies;
	if (ans.acked) {
		dumps.completed++;
		close(fd);
		return;
	}
	if (nstalled < STALLED_MAX && chance(50)) {
		struct stalled *st = &stalled[nstalled++];

		st->fd = fd;
		st->seq = msg_hdr((struct msg *)m)->nlmsg_seq;
		st->shape = *s;
		st->msg = *m;
		dumps.stalled++;
		return;
	}
	dumps.closed++;
	close(fd);
}

/* --- keys ---------------------------------------------------------------------- */

/* A key set; the key bytes follow the Key ID, so both ends of a flow match. */
static key_serial_t add_keyset(void)
{
	struct e2m_keyset_payload p = {
		.version = E2M_KEYSET_PAYLOAD_V1,
		.enc_alg = chance(80) ? E2M_ALG_AES : E2M_ALG_NULL,
		.int_alg = E2M_ALG_AES,
		.key_id = below(E2M_KEY_ID_MAX + 1),
		.lifetime = chance(10) ? 1 + below(3) : 0,
	};
	char desc[64];
	key_serial_t k;

	memset(p.k_enc, 0x40 + p.key_id, sizeof(p.k_enc));
	memset(p.k_int, 0x60 + p.key_id, sizeof(p.k_int));
	snprintf(desc, sizeof(desc), "nlfuzz kid:%u", p.key_id);
	k = add_key(E2M_KEYSET_KEY_TYPE, desc, &p, sizeof(p), KEY_SPEC_USER_KEYRING);
	if (k > 0)
		atomic_fetch_add(&keys.added, 1);
	return k;
}

/* Now and then a fresh key in place of one of the pool's (unlinked). */
static void keys_refresh(void)
{
	int i = below(KEY_POOL);
	key_serial_t old = atomic_load(&keys.serial[i]), k = add_keyset();

	if (k <= 0)
		return;
	atomic_store(&keys.serial[i], k);
	if (old > 0)
		keyctl_unlink(old, KEY_SPEC_USER_KEYRING);
}

/* A random key of the user keyring (the traffic's keys among them). */
static key_serial_t user_keyring_key(uint64_t r)
{
	key_serial_t ring[256];
	long n = keyctl_read(KEY_SPEC_USER_KEYRING, (char *)ring, sizeof(ring));

	if (n < (long)sizeof(key_serial_t))
		return 0;
	if (n > (long)sizeof(ring))
		n = sizeof(ring);
	return ring[r % (n / sizeof(key_serial_t))];
}

static void *revoker(void *arg)
{
	uint64_t r = *(uint64_t *)arg;

	while (!atomic_load(&keys.stop)) {
		struct timespec ts = { .tv_nsec = 1000000L * (1 + r % 20) };
		key_serial_t k;

		nanosleep(&ts, NULL);
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		if (r % 20 == 0) {
			k = user_keyring_key(r >> 8);
			if (k > 0 && !keyctl_revoke(k))
				atomic_fetch_add(&keys.foreign, 1);
			continue;
		}
		k = atomic_load(&keys.serial[(r >> 8) % KEY_POOL]);
		if (k <= 0)
			continue;
		switch ((r >> 16) % 4) {
		case 0:
			if (!keyctl_revoke(k))
				atomic_fetch_add(&keys.revoked, 1);
			break;
		case 1:
			if (!keyctl_invalidate(k))
				atomic_fetch_add(&keys.invalidated, 1);
			break;
		case 2:
			if (!keyctl_set_timeout(k, 1))
				atomic_fetch_add(&keys.expiring, 1);
			break;
		default:
			if (!keyctl_unlink(k, KEY_SPEC_USER_KEYRING))
				atomic_fetch_add(&keys.unlinked, 1);
			break;
		}
	}
	return NULL;
}

/* --- bulk flows, so that dumps span several messages -------------------------- */

static void bulk(int fd, uint32_t *seq, bool create)
{
	int i, n = 20 + below(BULK_MAX - 20);
	struct answer ans;
	struct shape s;
	struct msg m;

	for (i = 0; i < n; i++) {
		uint32_t teid = BULK_TEID + i, peer = target.peer4 ? target.peer4 : htonl(0x0a000063);
		uint32_t inner = htonl(0x0a640000 + i);	/* 10.100.0.0/16 */
		uint32_t ifindex = target.ifindex;
		long nest;

		memset(&s, 0, sizeof(s));
		s.row = create ? 2 : 4;
		s.what = create ? "bulk create" : "bulk delete";
		msg_init(&m, target.family, NLM_F_REQUEST | NLM_F_ACK,
			 create ? E2M_CMD_FLOW_NEW : E2M_CMD_FLOW_DEL);
		attr_put(&m, E2M_A_IFINDEX, &ifindex, 4);
		nest = attr_put(&m, E2M_A_FLOW | NLA_F_NESTED, NULL, 0);
		attr_put(&m, E2M_FLOW_A_LOCAL_TEID, &teid, 4);
		if (create) {
			attr_put(&m, E2M_FLOW_A_REMOTE_TEID, &teid, 4);
			attr_put(&m, E2M_FLOW_A_PEER_IPV4, &peer, 4);
			attr_put(&m, E2M_FLOW_A_INNER_IPV4, &inner, 4);
		}
		nest_end(&m, nest);
		msg_finish(&m, ++*seq);
		memset(&ans, 0, sizeof(ans));
		count[s.row].sent++;
		count[s.row].valid++;
		if (nl_send(fd, &m)) {
			insane(&s, &m, "send failed: %s", strerror(errno));
			continue;
		}
		count_answer(&s, &m, &ans, !read_answer(fd, *seq, &s, &m, &ans, 0, true));
		if (create && !ans.error && chance(5))
			teid_created(teid);
	}
}

/* --- the run ------------------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void one_message(int fd, uint32_t seq)
{
	struct answer ans = { 0 };
	struct shape s;
	struct msg m;
	int rc;

	generate(&m, &s, seq);
	count[s.row].sent++;
	if (s.mutated)
		count[s.row].mutated++;
	else
		count[s.row].valid++;
	if (s.must_refuse)
		count[s.row].must_refuse++;
	if (s.dump) {
		count[s.row].dumps++;
		if (!s.must_refuse && chance(40)) {
			dump_abandon(&m, &s);
			return;
		}
		dumps.started++;
	}
	if (nl_send(fd, &m)) {
		insane(&s, &m, "send failed: %s", strerror(errno));
		return;
	}
	rc = read_answer(fd, seq, &s, &m, &ans, 0, s.want_ack);
	count_answer(&s, &m, &ans, s.want_ack ? rc == 0 && ans.acked : true);
	if (s.row != CMD_UNKNOWN && cmds[s.row].cmd == E2M_CMD_FLOW_NEW &&
	    ans.acked && !ans.error && s.teid)
		teid_created(s.teid);
	if (s.dump && ans.acked && !ans.error)
		dumps.completed++;
	if (s.no_request && ans.acked && ans.error)
		insane(&s, &m, "a message without NLM_F_REQUEST was acted on: error %d",
		       ans.error);
}

static void report(double elapsed, unsigned long msgs)
{
	int tap = 0, i, e;

	printf("# nlfuzz: seed %llu, %lu iterations, %lu messages in %.0f s\n",
	       (unsigned long long)seed, iteration, msgs, elapsed);
	for (i = 0; i <= NCMDS; i++) {
		struct counters *c = &count[i];
		char errs[512] = "";
		size_t off = 0;

		for (e = 0; e < NERRNO; e++)
			if (c->err[e] && off < sizeof(errs) - 40)
				off += snprintf(errs + off, sizeof(errs) - off, " %s:%lu",
						e ? strerrorname_np(e) ? strerrorname_np(e) : "?" :
						"other", c->err[e]);
		printf("%s %d %s: %lu messages (%lu valid, %lu mutated, %lu dumps), "
		       "%lu accepted, %lu refused, %lu unanswered, %lu wrongly accepted\n",
		       c->unanswered || c->insane ? "not ok" : "ok", ++tap, row_name(i),
		       c->sent, c->valid, c->mutated, c->dumps, c->accepted, c->refused,
		       c->unanswered, c->insane);
		printf("#   must refuse %lu; without ACK %lu; errors:%s\n",
		       c->must_refuse, c->silent, errs);
	}
	printf("%s %d dumps: %lu started, %lu completed, %lu closed mid-way, "
	       "%lu left unread (%lu read later), %lu parts, %lu flows, %lu out of order\n",
	       dumps.insane ? "not ok" : "ok", ++tap, dumps.started, dumps.completed,
	       dumps.closed, dumps.stalled, dumps.resumed, dumps.parts, dumps.flows,
	       dumps.insane);
	printf("ok %d keys: %lu added; revoked %lu, invalidated %lu, expiring %lu, "
	       "unlinked %lu, of the user keyring revoked %lu\n", ++tap,
	       atomic_load(&keys.added), atomic_load(&keys.revoked),
	       atomic_load(&keys.invalidated), atomic_load(&keys.expiring),
	       atomic_load(&keys.unlinked), atomic_load(&keys.foreign));
	printf("%s %d events: %lu key events, %lu no-key events, %lu lost to a full socket, "
	       "%lu malformed\n", events.insane ? "not ok" : "ok", ++tap, events.key,
	       events.no_key, events.lost, events.insane);
	printf("%s %d every answer sane, no request unanswered (seed %llu)\n",
	       failures ? "not ok" : "ok", ++tap, (unsigned long long)seed);
	printf("1..%d\n", tap);
}

static void usage(void)
{
	fprintf(stderr, "usage: nlfuzz [--seed N] [--seconds N | --iterations N] "
		"[--dev NAME] [--peer4 A] [--inner4 A] [--teid N]...\n");
	exit(2);
}

static void parse_args(int argc, char **argv, double *seconds, unsigned long *iterations)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "dev", required_argument, NULL, 'd' },
		{ "peer4", required_argument, NULL, 'p' },
		{ "inner4", required_argument, NULL, 'i' },
		{ "teid", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	struct in_addr a;
	int o;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': *seconds = atof(optarg); break;
		case 'n': *iterations = strtoul(optarg, NULL, 0); break;
		case 'd': target.dev = optarg; break;
		case 'p':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage();
			target.peer4 = a.s_addr;
			break;
		case 'i':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage();
			target.inner4 = a.s_addr;
			break;
		case 'T':
			if (target.nteids < MAX_TEIDS)
				target.teids[target.nteids++] = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (!*seconds && !*iterations)
		*seconds = 10;
}

int main(int argc, char **argv)
{
	double seconds = 0, start, next_progress;
	unsigned long iterations = 0, msgs = 0;
	uint64_t revoker_seed;
	pthread_t thread;
	uint32_t seq = 1;
	int fd, i, group;

	parse_args(argc, argv, &seconds, &iterations);
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng = seed ? seed : 1;
	printf("# nlfuzz: seed %llu (reproduce: nlfuzz --seed %llu ...)\n",
	       (unsigned long long)seed, (unsigned long long)seed);
	target.ifindex = if_nametoindex(target.dev);
	fd = nl_socket(0);
	target.family = fd < 0 ? -1 : resolve_family(fd, &group);
	if (!target.ifindex || target.family < 0 || !group) {
		printf("Bail out! no device %s, no e2m family or no events group\n", target.dev);
		return 1;
	}
	events_open(group);
	target.user_key = add_key("user", "nlfuzz-not-e2m", "x", 1, KEY_SPEC_USER_KEYRING);
	for (i = 0; i < KEY_POOL; i++)
		atomic_store(&keys.serial[i], add_keyset());
	revoker_seed = rnd() | 1;
	if (pthread_create(&thread, NULL, revoker, &revoker_seed)) {
		printf("Bail out! no revoker thread\n");
		return 1;
	}

	start = now();
	next_progress = start + 10;
	for (iteration = 0; iterations ? iteration < iterations :
	     now() - start < seconds; iteration++) {
		if (chance(5))
			keys_refresh();
		if (!(iteration % 64) && if_nametoindex(target.dev))
			target.ifindex = if_nametoindex(target.dev);	/* recreated */
		if (chance(1)) {
			bulk(fd, &seq, chance(60));
			continue;
		}
		if (nstalled && chance(10))
			stalled_finish(below(nstalled));
		one_message(fd, ++seq);
		msgs++;
		events_drain();
		if (now() > next_progress) {
			printf("# progress: iteration %lu, %lu messages\n", iteration, msgs);
			next_progress += 10;
		}
	}
	while (nstalled)
		stalled_finish(0);
	atomic_store(&keys.stop, true);
	pthread_join(thread, NULL);
	report(now() - start, msgs);
	close(fd);
	return failures ? 1 : 0;
}
