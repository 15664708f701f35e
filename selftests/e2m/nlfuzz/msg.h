/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink messages as bytes: built attribute by attribute into a fixed
 * buffer (so that the generator may break them at will), and read back
 * with bounds checked at every step (the kernel's answers are checked, not
 * trusted).
 */
#ifndef NLFUZZ_MSG_H
#define NLFUZZ_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#define MSG_MAX		8192

struct msg {
	unsigned char buf[MSG_MAX];
	size_t len;
};

static inline struct nlmsghdr *msg_hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

void msg_init(struct msg *m, int type, int flags, int cmd);
long attr_put(struct msg *m, int type, const void *data, size_t len);
void nest_end(struct msg *m, long off);
void msg_finish(struct msg *m, uint32_t seq);

bool attrs_well_formed(const unsigned char *start, int len, int depth);
const struct nlattr *attr_find(const unsigned char *start, int len, int type);
uint32_t attr_u32(const struct nlattr *nla);

#endif
