// SPDX-License-Identifier: GPL-2.0
/* See resolver.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "resolver.h"

static const char *file_from_env(const char *name, const char *fallback)
{
	const char *value = getenv(name);

	return value && *value ? value : fallback;
}

int resolver_new(struct evdns_base **out, struct event_base *base,
		 char *why, size_t why_size)
{
	const char *conf = file_from_env("E2MD_RESOLV_CONF",
					 RESOLVER_CONF_DEFAULT);
	const char *hosts = file_from_env("E2MD_HOSTS", RESOLVER_HOSTS_DEFAULT);
	/*
	 * Not kept alive by an idle resolver: the loop ends when nothing
	 * else is left, as without one.
	 */
	struct evdns_base *dns = evdns_base_new(base,
					EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	int ret;

	*out = NULL;
	if (!dns)
		return -ENOMEM;
	/* Our bound first: resolv.conf's options, read next, win. */
	if (evdns_base_set_option(dns, "timeout:", RESOLVER_TIMEOUT) ||
	    evdns_base_set_option(dns, "attempts:", RESOLVER_ATTEMPTS)) {
		evdns_base_free(dns, 0);
		return -ENOMEM;
	}
	/*
	 * 0: read; 1: no such file (evdns then asks 127.0.0.1, as the C
	 * library does); 6: no nameserver in it (the same). Anything else is
	 * a file that is there and cannot be used.
	 */
	ret = evdns_base_resolv_conf_parse(dns,
					   DNS_OPTIONS_ALL &
					   ~DNS_OPTION_HOSTSFILE, conf);
	if (ret && ret != 1 && ret != 6) {
		snprintf(why, why_size, "%s: cannot be read (evdns error %d)",
			 conf, ret);
		evdns_base_free(dns, 0);
		return -EINVAL;
	}
	/* A hosts file that is not there only has no names. */
	evdns_base_load_hosts(dns, hosts);
	*out = dns;
	return 0;
}
