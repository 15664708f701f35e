/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The files that hold what opens the store (the store key, the
 * PostgreSQL password): private, and read whole. store_key.c.
 */
#ifndef E2M_STORE_PRIVATE_FILE_H
#define E2M_STORE_PRIVATE_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Anyone who can read such a file opens the store: it must be a regular
 * file, mode 0600 or 0400, ours or root's. what names it in why ("store
 * key"). 0, -EINVAL, -EPERM or -errno.
 */
int store_private_file_check(int fd, const char *path, const char *what,
			     char *why, size_t why_size);

/* Reads the whole file (at most size octets) into buf: its length or -errno. */
ssize_t store_private_file_read(int fd, uint8_t *buf, size_t size);

#endif /* E2M_STORE_PRIVATE_FILE_H */
