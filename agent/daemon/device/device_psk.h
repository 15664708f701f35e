/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's PSK with its Key Centres, from roles.device.psk-file: one
 * line psk=HEX (64 hex digits, as e2mctl's --keys file has it), in a
 * regular file that no group or other may read or write. Read at each
 * run, so that a new PSK takes without a restart, and wiped after it.
 * Or, instead, its certificate's private key (roles.device.private-key),
 * held to the same rule and loaded by OpenSSL at each run.
 */
#ifndef E2MD_DEVICE_PSK_H
#define E2MD_DEVICE_PSK_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* 0 with psk set, or -errno with why (never a key byte in it). */
int device_psk_read(const char *path, uint8_t psk[STORE_DEVICE_PSK_LEN],
		    char *why, size_t why_size);

/*
 * path is a regular file (not a symbolic link) no group or other may
 * use: 0, or -errno with why.
 */
int device_key_file_check(const char *path, char *why, size_t why_size);

#endif /* E2MD_DEVICE_PSK_H */
