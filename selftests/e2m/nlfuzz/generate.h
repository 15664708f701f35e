/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The messages: valid ones (boundary values included), and ones mutated to
 * carry a wrong length, an out-of-range value, an attribute the op does not
 * take, a wrong NLA_F_NESTED flag, garbage in the flow nest, a duplicated or
 * missing attribute, an unknown command, an odd or short header. Each comes
 * with its shape: what the checks may expect of the kernel's answer.
 */
#ifndef NLFUZZ_GENERATE_H
#define NLFUZZ_GENERATE_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"

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

/* The next message (sequence number @seq) into @m, its shape into @s. */
void generate(struct msg *m, struct shape *s, uint32_t seq);

#endif
