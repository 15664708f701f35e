/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The e2mctl commands that talk to e2md over its admin socket
 * (admin_client.h), as root:
 *
 *   subscriber add --imsi N --impi NAI --k HEX (--opc HEX | --op HEX)
 *                  [--amf HEX] [--e2m] [--gba-u] [--ind-bits N] [--uss JSON]
 *   subscriber list [-j]
 *   subscriber remove IMSI|IMPI
 *   session list [-j]
 *   status [-j]
 *
 * Text output is one line per subscriber, session or role, as name=value
 * pairs; -j prints the daemon's JSON instead. K, OPc and Ks are never
 * printed: the daemon never sends them. Each command takes the arguments
 * after its name and returns the exit status: 0, 1 when e2md refused or
 * could not be reached, 2 for bad usage, with one line "e2mctl: <command>:
 * <message>" on stderr and nothing on stdout on error.
 */
#ifndef E2MCTL_CMD_ADMIN_H
#define E2MCTL_CMD_ADMIN_H

int cmd_subscriber(int argc, char *argv[]);
int cmd_session(int argc, char *argv[]);
int cmd_status(int argc, char *argv[]);

/*
 * e2mctl's global option "--socket PATH" (or "--socket=PATH") at argv[0]:
 * the number of arguments it takes (0 if argv[0] is not it), or -1 after
 * a usage error.
 */
int admin_socket_option(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ADMIN_H */
