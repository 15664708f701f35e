/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dumps left unfinished: started on a socket of their own and closed after
 * a few parts, or left unread for a while and then read to their end (and
 * checked) or closed. The kernel must free a dump's state either way.
 */
#ifndef NLFUZZ_DUMPS_H
#define NLFUZZ_DUMPS_H

#include "generate.h"
#include "msg.h"

extern int nstalled;

/* The stalled dump @i (below nstalled): read to its end or closed. */
void stalled_finish(int i);
void dump_abandon(const struct msg *m, const struct shape *s);

#endif
