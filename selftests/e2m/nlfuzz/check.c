// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/e2m.h>

#include "check.h"
#include "socket.h"
#include "target.h"

struct counters count[NCMDS + 1];
struct dump_counters dumps;
unsigned long iteration;
uint64_t seed;
int failures;

const char *row_name(int row)
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

void insane(const struct shape *s, const struct msg *m, const char *fmt, ...)
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

/*
 * Reads what the kernel answers to the request @seq: until its ACK or error
 * (or the dump's DONE), at most @max_parts messages of a dump when not 0.
 * Returns 0, or -1 when nothing more came within the receive timeout.
 */
int read_answer(int fd, uint32_t seq, const struct shape *s,
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

void count_answer(const struct shape *s, const struct msg *m,
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
