/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The e2mctl commands that talk to the e2m kernel module: its devices,
 * flows and key bindings over generic netlink, its "e2mkeyset" keys through
 * add_key(2), and its events.
 *
 * Each takes the arguments after its name (argv[0] is the first of them)
 * and returns the exit status: 0, 1 when the kernel refused or something
 * failed at run time, 2 for bad usage. An error is one line on stderr,
 * "e2mctl: <command>: <message>", and nothing goes to stdout.
 */
#ifndef E2MCTL_CMD_DEVICE_H
#define E2MCTL_CMD_DEVICE_H

#include <stdio.h>

int cmd_show(int argc, char *argv[]);
int cmd_set(int argc, char *argv[]);
int cmd_flow(int argc, char *argv[]);
int cmd_key(int argc, char *argv[]);
int cmd_keyset(int argc, char *argv[]);
int cmd_monitor(int argc, char *argv[]);

/* The synopsis of the commands above, for e2mctl's help. */
void device_usage(FILE *out);

#endif /* E2MCTL_CMD_DEVICE_H */
