/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checks of a configuration that need the files it names, after the
 * schema (config.h) passed: the TLS certificate, key and CA load and go
 * together, the store key reads, the store's directory exists. Errors are
 * "FILE:LINE: key: reason", LINE being the line that names the file.
 *
 * e2md runs these for --check-config, before starting, and before a
 * reload; they open nothing for good and change nothing.
 */
#ifndef E2MD_CONFIG_CHECK_H
#define E2MD_CONFIG_CHECK_H

#include "config.h"
#include "store/store.h"

/* 0, or -EINVAL with the errors added to errors. */
int config_check_files(const struct config *config,
		       struct config_errors *errors);

/* Reads the store key the configuration names: 0 or -errno, with why. */
int config_store_key(const struct config_store *store, struct store_key *key,
		     char *why, size_t why_size);

#endif /* E2MD_CONFIG_CHECK_H */
