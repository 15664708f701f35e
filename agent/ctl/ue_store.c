// SPDX-License-Identifier: GPL-2.0
/*
 * The UE's store for e2mctl, see ue_store.h.
 */
#include <errno.h>

#include "ue_store.h"

int ue_store_open(const char *command, const struct opt *path,
		  const struct opt *key_file, struct store **store)
{
	struct store_key key;
	char why[512];
	int ret;

	*store = NULL;
	ret = store_key_from_file(&key, key_file->value, why, sizeof(why));
	if (!ret)
		ret = store_open(store, path->value, &key, why, sizeof(why));
	store_key_wipe(&key);
	if (ret) {
		fail(command, "%s", why);
		return EXIT_FAILURE;
	}
	return 0;
}

int ue_usim_open(const char *command, struct store *store, const char *iccid,
		 struct usim **usim)
{
	int ret;

	if (!store_iccid_valid(iccid)) {
		fail(command, "--iccid: must be 18 to %d digits",
		     STORE_ICCID_MAX);
		return EXIT_USAGE;
	}
	ret = usim_open(usim, store, iccid);
	if (ret == -ENOENT) {
		fail(command, "no USIM with ICCID %s in the store", iccid);
		return EXIT_FAILURE;
	}
	if (ret) {
		fail(command, "opening the USIM: %s", store_strerror(ret));
		return EXIT_FAILURE;
	}
	return 0;
}
