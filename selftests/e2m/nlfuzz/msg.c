// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include <linux/e2m.h>

#include "msg.h"

void msg_init(struct msg *m, int type, int flags, int cmd)
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
long attr_put(struct msg *m, int type, const void *data, size_t len)
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

void nest_end(struct msg *m, long off)
{
	if (off >= 0)
		((struct nlattr *)(m->buf + off))->nla_len = m->len - off;
}

void msg_finish(struct msg *m, uint32_t seq)
{
	msg_hdr(m)->nlmsg_len = m->len;
	msg_hdr(m)->nlmsg_seq = seq;
}

/* The attributes in [start, start + len) tile it exactly. */
bool attrs_well_formed(const unsigned char *start, int len, int depth)
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

const struct nlattr *attr_find(const unsigned char *start, int len, int type)
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

uint32_t attr_u32(const struct nlattr *nla)
{
	uint32_t v = 0;

	if (nla && nla->nla_len >= NLA_HDRLEN + 4)
		memcpy(&v, (const char *)nla + NLA_HDRLEN, 4);
	return v;
}
