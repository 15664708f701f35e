/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UE's state for e2mctl's UE commands (usim, bootstrap, naf-key): a
 * store (store.h) of its own, named by --store PATH and opened with the
 * store key in --store-key-file FILE (mode 0600 or 0400), holding the
 * software USIMs (aka/usim.h) and, for GBA_ME, the bootstrap sessions.
 * No daemon is involved: e2mctl opens the store itself, so these
 * commands need no root, only the files.
 */
#ifndef E2MCTL_UE_STORE_H
#define E2MCTL_UE_STORE_H

#include "aka/usim.h"
#include "options.h"
#include "store/store.h"

/* Opens the store: 0, or EXIT_FAILURE after printing why. */
int ue_store_open(const char *command, const struct opt *path,
		  const struct opt *key_file, struct store **store);

/* The USIM of that ICCID in store: 0, EXIT_USAGE or EXIT_FAILURE. */
int ue_usim_open(const char *command, struct store *store, const char *iccid,
		 struct usim **usim);

#endif /* E2MCTL_UE_STORE_H */
