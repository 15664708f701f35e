// SPDX-License-Identifier: GPL-2.0
/*
 * The clients a role's list admits, see peer_list.h.
 */
#include "net/tls.h"
#include "peer_list.h"

bool peer_listed(const struct config_names *names,
		 const struct tls_peer *peer)
{
	size_t i;

	for (i = 0; peer && i < names->count; i++) {
		if (tls_peer_is(peer, names->names[i]))
			return true;
	}
	return false;
}
