// SPDX-License-Identifier: GPL-2.0
#include <unistd.h>

#include "check.h"
#include "dumps.h"
#include "rng.h"
#include "socket.h"

#define STALLED_MAX	4

struct stalled {
	int fd;
	uint32_t seq;
	struct shape shape;
	struct msg msg;
};

static struct stalled stalled[STALLED_MAX];
int nstalled;

/* A stalled dump: read to its end (checked) or closed unread. */
void stalled_finish(int i)
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
void dump_abandon(const struct msg *m, const struct shape *s)
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
