// SPDX-License-Identifier: GPL-2.0
/*
 * GUSS <-> USS, see guss.h.
 */
#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "guss.h"
#include "store/store.h"
#include "util/why.h"

/* value as compact JSON into out, members in their order. */
static int dump(const json_t *value, char *out, size_t size)
{
	size_t len = json_dumpb(value, out, size,
				JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (!len)
		return -ENOMEM;
	if (len >= size)
		return -ENOSPC;
	out[len] = '\0';
	return 0;
}

int guss_from_uss(const char *uss, char *out, size_t size)
{
	json_t *list, *guss;
	int ret;

	if (!size)
		return -ENOSPC;
	out[0] = '\0';
	if (!uss[0])
		return 0;
	if (store_uss_check(uss))
		return -EINVAL;
	list = json_loads(uss, JSON_REJECT_DUPLICATES, NULL);
	if (!list)
		return -ENOMEM;
	if (!json_array_size(list)) {
		json_decref(list);
		return 0;
	}
	guss = json_pack("{s:o}", GUSS_USS_LIST, list);
	ret = guss ? dump(guss, out, size) : -ENOMEM;
	json_decref(guss);
	if (ret)
		out[0] = '\0';
	return ret;
}

int guss_to_uss(const char *guss, char *out, size_t size, char *why,
		size_t why_size)
{
	json_t *root, *list;
	int ret;

	if (!size)
		return -ENOSPC;
	out[0] = '\0';
	if (!guss[0])
		return 0;
	root = json_loads(guss, JSON_REJECT_DUPLICATES, NULL);
	list = json_object_get(root, GUSS_USS_LIST);
	if (!json_is_object(root) || !json_is_array(list)) {
		ub_why(why, why_size, "the GUSS has no \"%s\" array",
		       GUSS_USS_LIST);
		json_decref(root);
		return -EINVAL;
	}
	ret = json_array_size(list) ? dump(list, out, size) : 0;
	json_decref(root);
	if (!ret && out[0] && store_uss_check(out)) {
		ub_why(why, why_size, "the GUSS \"%s\" is not a USS",
		       GUSS_USS_LIST);
		ret = -EINVAL;
	}
	if (ret == -ENOSPC)
		ub_why(why, why_size, "the GUSS \"%s\" is too long",
		       GUSS_USS_LIST);
	if (ret)
		out[0] = '\0';
	return ret;
}
