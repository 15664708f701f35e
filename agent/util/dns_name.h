/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS names (RFC 1035 preferred syntax, RFC 1123 letters or digits first):
 * the one check the configuration and the wire formats that carry an FQDN
 * (the local interface's NAF_IDs) share.
 */
#ifndef E2M_DNS_NAME_H
#define E2M_DNS_NAME_H

#include <stdbool.h>

#define DNS_NAME_MAX	253	/* octets, without a final dot */

/*
 * Whether name is 1..DNS_NAME_MAX octets of dot-separated labels, each
 * 1..63 letters, digits and '-' with no '-' at either end.
 */
bool dns_name_valid(const char *name);

#endif /* E2M_DNS_NAME_H */
