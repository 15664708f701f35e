/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secrets that e2mctl takes from files, never from the command line
 * (where ps and shell histories would show them): a 32-octet key in a
 * file of 64 hex digits and a newline, or of the 32 octets, mode 0600 or
 * 0400, owned by the caller or root: the store key file's format
 * (store_key_from_file()).
 */
#ifndef E2MCTL_KEY_FILE_H
#define E2MCTL_KEY_FILE_H

#include <stdint.h>

#include "options.h"

#define KEY_FILE_LEN	32

/*
 * The key in the file opt names into key: 0, or EXIT_USAGE after
 * "e2mctl: <command>: --<name>: <why>" (a missing or unreadable file, a
 * loose mode, not 32 octets).
 */
int key_file_option(const char *command, const struct opt *opt,
		    uint8_t key[KEY_FILE_LEN]);

#endif /* E2MCTL_KEY_FILE_H */
