// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <net/if.h>
#include <string.h>

#include <linux/e2m.h>

#include "generate.h"
#include "rng.h"
#include "spec.h"
#include "target.h"
#include "values.h"

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
		uint64_t v = rnd();	/* up to 8 octets are sent */

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

void generate(struct msg *m, struct shape *s, uint32_t seq)
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
