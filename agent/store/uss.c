// SPDX-License-Identifier: GPL-2.0
/*
 * User Security Settings: which NAFs a subscriber may use, and with which
 * authorisation flags (the USS of TS 33.220 4.4.6, kept as JSON).
 */
#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "store.h"

#define USS_ENTRIES_MAX	64

/* A NAF FQDN: 1..253 characters of letters, digits, '-' and '.'. */
static int fqdn_valid(const char *fqdn)
{
	size_t len = strlen(fqdn), i;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		char c = fqdn[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

static int flags_valid(const json_t *flags)
{
	const json_t *flag;
	size_t i;

	if (!flags)
		return 1;	/* optional */
	if (!json_is_array(flags))
		return 0;
	json_array_foreach(flags, i, flag) {
		if (!json_is_integer(flag) || json_integer_value(flag) < 0)
			return 0;
	}
	return 1;
}

static int entry_valid(const json_t *entry)
{
	const json_t *naf = json_object_get(entry, "naf");

	return json_is_object(entry) && json_is_string(naf) &&
	       fqdn_valid(json_string_value(naf)) &&
	       flags_valid(json_object_get(entry, "flags"));
}

/* Parses and checks a USS; NULL if it is not one. */
static json_t *uss_parse(const char *uss)
{
	json_t *root, *entry;
	size_t i;

	if (strnlen(uss, STORE_USS_MAX) >= STORE_USS_MAX)
		return NULL;
	root = json_loads(uss, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(root) || json_array_size(root) > USS_ENTRIES_MAX)
		goto bad;
	json_array_foreach(root, i, entry) {
		if (!entry_valid(entry))
			goto bad;
	}
	return root;
bad:
	json_decref(root);
	return NULL;
}

int store_uss_check(const char *uss)
{
	json_t *root = uss_parse(uss);

	if (!root)
		return -EINVAL;
	json_decref(root);
	return 0;
}

/* DNS names compare without regard to case (RFC 4343). */
static int same_fqdn(const char *a, const char *b)
{
	size_t i;

	for (i = 0; a[i] && b[i]; i++) {
		char ca = a[i], cb = b[i];

		if (ca >= 'A' && ca <= 'Z')
			ca = (char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (char)(cb - 'A' + 'a');
		if (ca != cb)
			return 0;
	}
	return a[i] == b[i];
}

int store_uss_find(const char *uss, const char *naf_fqdn, char *out,
		   size_t out_size)
{
	json_t *root = uss_parse(uss), *entry;
	size_t i, len;
	int ret = -ENOENT;

	if (!root)
		return -EINVAL;
	json_array_foreach(root, i, entry) {
		const char *naf = json_string_value(json_object_get(entry, "naf"));

		if (!same_fqdn(naf, naf_fqdn))
			continue;
		len = json_dumpb(entry, out, out_size,
				 JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (len == 0)
			ret = -ENOMEM;
		else if (len >= out_size)
			ret = -ENOSPC;
		else {
			out[len] = '\0';
			ret = 0;
		}
		break;
	}
	json_decref(root);
	return ret;
}

bool store_uss_entry_has_flag(const char *entry, int flag)
{
	json_t *root = json_loads(entry, JSON_REJECT_DUPLICATES, NULL);
	json_t *flags = json_object_get(root, "flags"), *item;
	bool has = false;
	size_t i;

	json_array_foreach(flags, i, item) {
		if (json_is_integer(item) && json_integer_value(item) == flag)
			has = true;
	}
	json_decref(root);
	return has;
}
