/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's DNS resolver: an evdns base on its event loop, so that
 * looking up a peer's host name (net/https_client.h) never blocks the
 * loop. It reads the nameservers, search list and options of resolv.conf
 * and the names of a hosts file, which answers first:
 *
 *	E2MD_RESOLV_CONF	the resolv.conf (default /etc/resolv.conf)
 *	E2MD_HOSTS		the hosts file (default /etc/hosts)
 *
 * (environment variables, for tests and for hosts whose resolver is
 * configured elsewhere). A lookup is bounded: each query waits
 * RESOLVER_TIMEOUT seconds and is sent RESOLVER_ATTEMPTS times, unless
 * resolv.conf's "options timeout:N attempts:N" say otherwise.
 */
#ifndef E2M_NET_RESOLVER_H
#define E2M_NET_RESOLVER_H

#include <stddef.h>

#include <event2/dns.h>
#include <event2/event.h>

#define RESOLVER_CONF_DEFAULT	"/etc/resolv.conf"
#define RESOLVER_HOSTS_DEFAULT	"/etc/hosts"
#define RESOLVER_TIMEOUT	"2"	/* seconds a query waits */
#define RESOLVER_ATTEMPTS	"2"	/* times a query is sent */

/*
 * A resolver on base, configured from the files above, in *dns. 0, or
 * -ENOMEM, or -EINVAL with why set (a resolv.conf or hosts file that
 * exists but cannot be read). Free with evdns_base_free(dns, 1) before
 * base.
 */
int resolver_new(struct evdns_base **dns, struct event_base *base,
		 char *why, size_t why_size);

#endif /* E2M_NET_RESOLVER_H */
