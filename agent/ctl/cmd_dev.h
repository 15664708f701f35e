/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl dev: the e2m devices (E2M_CMD_DEV_GET, E2M_CMD_DEV_SET).
 *
 *   dev show [DEV] [-j|--json]   devices, their flows, slots and counters
 *   dev set DEV [role hse|ue] [port N] [replay-window N] [count-notify N]
 *               [count-limit N]
 *
 * "e2mctl show" is dev show, the one kernel command short enough to keep
 * at the top; "e2mctl set" is the old spelling of dev set, kept for one
 * release. Each takes the arguments after its name and returns the exit
 * status: 0, 1 when the kernel refused or something failed at run time,
 * 2 for bad usage (kernel_args.h).
 */
#ifndef E2MCTL_CMD_DEV_H
#define E2MCTL_CMD_DEV_H

int cmd_dev(int argc, char *argv[]);
int cmd_show(int argc, char *argv[]);
int cmd_set(int argc, char *argv[]);

#endif /* E2MCTL_CMD_DEV_H */
