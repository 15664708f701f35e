/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The family's events group, heard while the fuzzer works: every event must
 * be well-formed and name a device. A full socket may drop events (counted
 * as lost, not as a failure).
 */
#ifndef NLFUZZ_EVENTS_H
#define NLFUZZ_EVENTS_H

struct event_counts {
	int fd;
	unsigned long key, no_key, insane, lost;
};

extern struct event_counts events;

void events_open(int group);
/* Reads and checks the events waiting; never blocks. */
void events_drain(void);

#endif
