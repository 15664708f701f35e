// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses in rows of the store, see store_address.h.
 */
#include <arpa/inet.h>
#include <string.h>

#include "store_address.h"

bool store_address_valid(int family, const char *text, size_t size)
{
	char canonical[INET6_ADDRSTRLEN];
	struct in6_addr addr;

	if (strnlen(text, size) >= size ||
	    inet_pton(family, text, &addr) != 1 ||
	    !inet_ntop(family, &addr, canonical, sizeof(canonical)))
		return false;
	return strcmp(canonical, text) == 0;
}

bool store_any_address_valid(const char *text, size_t size)
{
	return store_address_valid(AF_INET, text, size) ||
	       store_address_valid(AF_INET6, text, size);
}
