// SPDX-License-Identifier: GPL-2.0
/*
 * DNS names, see dns_name.h.
 */
#include <string.h>

#include "dns_name.h"

bool dns_name_valid(const char *name)
{
	size_t len = strnlen(name, DNS_NAME_MAX + 1), label = 0, i;

	if (!len || len > DNS_NAME_MAX)
		return false;
	for (i = 0; i <= len; i++) {
		char c = name[i];

		if (c == '.' || c == '\0') {
			/* 1-63 octets, no '-' at either end */
			if (!label || label > 63 || name[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return false;
		if (c == '-' && !label)
			return false;
		label++;
	}
	return true;
}
