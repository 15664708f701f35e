/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clients a role's list admits (hss.clients, hse.clients,
 * mef.maf-clients, ...): a peer of mutual TLS is admitted when a DNS name
 * of its certificate is one of the list's names. An empty list admits no
 * one; so does a connection without a peer certificate.
 */
#ifndef E2MD_PEER_LIST_H
#define E2MD_PEER_LIST_H

#include <stdbool.h>

#include "config.h"

struct tls_peer;

bool peer_listed(const struct config_names *names,
		 const struct tls_peer *peer);

#endif /* E2MD_PEER_LIST_H */
