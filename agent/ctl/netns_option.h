/* SPDX-License-Identifier: GPL-2.0 */
#ifndef E2MCTL_NETNS_OPTION_H
#define E2MCTL_NETNS_OPTION_H

/*
 * e2mctl's global option "-n NETNS" (or "--netns NETNS", "--netns=NETNS"),
 * iproute2's "ip -n": the command runs in that network namespace, a name
 * under /run/netns (ip netns add) or a path such as /proc/PID/ns/net.
 * e2mctl enters it before anything else opens a socket; unlike
 * "ip netns exec" it changes neither the mount namespace nor /sys, which
 * e2mctl does not read.
 *
 * Looks at argv[0]: returns the number of arguments taken (0 if argv[0] is
 * not the option), or -EXIT_USAGE after a usage error, -EXIT_FAILURE when
 * the namespace cannot be entered (one line on stderr either way).
 */
int netns_option(int argc, char *argv[]);

#endif /* E2MCTL_NETNS_OPTION_H */
