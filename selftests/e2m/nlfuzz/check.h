/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel answers, checked: every request that asks for an ACK gets
 * one within the receive timeout, errors are negative errnos in range,
 * replies and dump parts are well-formed and name what was asked, a flow
 * dump comes in TEID order, and a message the policy must refuse is refused.
 * Counted per command for the TAP report; each failure is printed with the
 * seed, the iteration and the message, so that it can be replayed.
 */
#ifndef NLFUZZ_CHECK_H
#define NLFUZZ_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "generate.h"
#include "msg.h"
#include "spec.h"

#define MAX_ERRNO	4095
#define NERRNO		134	/* errnos counted one by one; the rest as "other" */

struct counters {
	unsigned long sent, valid, mutated, accepted, refused, must_refuse;
	unsigned long unanswered, insane, silent, dumps;
	unsigned long err[NERRNO];
};

struct dump_counters {
	unsigned long started, completed, closed, stalled, resumed, parts, flows;
	unsigned long insane;
};

struct answer {
	bool acked;		/* NLMSG_ERROR, or NLMSG_DONE for a dump */
	int error;		/* its errno, positive; 0 for success */
	int replies;
	uint32_t last_teid;
};

extern struct counters count[NCMDS + 1];
extern struct dump_counters dumps;
extern unsigned long iteration;
extern uint64_t seed;
extern int failures;

const char *row_name(int row);
/* A failure: counted, and (the first 20) printed with the message. */
void insane(const struct shape *s, const struct msg *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int read_answer(int fd, uint32_t seq, const struct shape *s,
		const struct msg *m, struct answer *ans, int max_parts,
		bool block);
void count_answer(const struct shape *s, const struct msg *m,
		  const struct answer *ans, bool answered);

#endif
