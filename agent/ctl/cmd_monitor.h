/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl monitor: prints the e2m module's events (the "events" multicast
 * group: a key dead, no key for a packet, a COUNT limit reached), one
 * flushed line each as they come:
 *
 *   monitor [count N] [timeout SECONDS]
 *      -> event key|no-key dev DEV ifindex N teid N [key-id K]
 *         [serial S] [reason R]
 *
 * It stops after count events or timeout seconds, else runs until killed.
 * "--count N" and "--timeout S", the spelling of the release before, are
 * read too for one release.
 */
#ifndef E2MCTL_CMD_MONITOR_H
#define E2MCTL_CMD_MONITOR_H

int cmd_monitor(int argc, char *argv[]);

#endif /* E2MCTL_CMD_MONITOR_H */
