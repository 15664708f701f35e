// SPDX-License-Identifier: GPL-2.0
/*
 * The syntaxes of configuration values: listening addresses, https URLs,
 * DNS names. Strict on purpose: a value that would need guessing (a bare
 * IPv6 address with a port, a host name to resolve at bind time) is an
 * error the operator sees at once, not a surprise at run time.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util/dns_name.h"

_Static_assert(CONFIG_NAME_MAX == DNS_NAME_MAX, "one limit for a DNS name");

/* The wire formats' check: one definition of a DNS name. */
bool config_dns_name_valid(const char *name)
{
	return dns_name_valid(name);
}

/* 0 to 65535, decimal digits only. */
static int parse_port(const char *text, uint16_t *port)
{
	unsigned long value = 0;
	size_t i;

	if (!*text || strlen(text) > 5)
		return -EINVAL;
	for (i = 0; text[i]; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -EINVAL;
		value = value * 10 + (unsigned long)(text[i] - '0');
	}
	if (value > 65535)
		return -EINVAL;
	*port = (uint16_t)value;
	return 0;
}

/*
 * Splits "host:port" or "[v6]:port" in place: *host is the address
 * without brackets, *port the text after the colon (NULL if none).
 */
static int split_host_port(char *text, char **host, char **port,
			   bool *bracketed)
{
	char *colon;

	*bracketed = text[0] == '[';
	if (*bracketed) {
		char *end = strchr(text, ']');

		if (!end)
			return -EINVAL;
		*end = '\0';
		*host = text + 1;
		if (end[1] == '\0') {
			*port = NULL;
			return 0;
		}
		if (end[1] != ':')
			return -EINVAL;
		*port = end + 2;
		return 0;
	}
	*host = text;
	colon = strchr(text, ':');
	if (colon && strchr(colon + 1, ':'))
		return -EINVAL;	/* a bare IPv6 address: ambiguous */
	*port = colon ? colon + 1 : NULL;
	if (colon)
		*colon = '\0';
	return 0;
}

int config_parse_listen(const char *text, struct config_listen *out)
{
	char buf[CONFIG_ADDR_TEXT_MAX], *host, *port_text;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&out->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->addr;
	bool bracketed;
	uint16_t port;

	if (strlen(text) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, text);
	if (split_host_port(buf, &host, &port_text, &bracketed) ||
	    !port_text || parse_port(port_text, &port))
		return -EINVAL;
	memset(&out->addr, 0, sizeof(out->addr));
	if (!bracketed && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		out->addr_len = sizeof(*in4);
	} else if (bracketed && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		out->addr_len = sizeof(*in6);
	} else {
		return -EINVAL;
	}
	strcpy(out->text, text);
	return 0;
}

void config_address_text(const struct sockaddr_storage *addr, char *buf,
			 size_t size)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)addr;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
	char host[INET6_ADDRSTRLEN] = "?";

	if (addr->ss_family == AF_INET) {
		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(in4->sin_port));
	} else if (addr->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else {
		snprintf(buf, size, "-");
	}
}

static bool any_address(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return in4->sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
}

bool config_listen_overlap(const struct config_listen *a,
			   const struct config_listen *b)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)&a->addr;
	const struct sockaddr_in *b4 = (const struct sockaddr_in *)&b->addr;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&a->addr;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)&b->addr;

	if (a->addr.ss_family != b->addr.ss_family)
		return false;
	if (a->addr.ss_family == AF_INET) {
		if (a4->sin_port != b4->sin_port || !a4->sin_port)
			return false;
		return any_address(&a->addr) || any_address(&b->addr) ||
		       a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	}
	if (a6->sin6_port != b6->sin6_port || !a6->sin6_port)
		return false;
	return any_address(&a->addr) || any_address(&b->addr) ||
	       !memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr));
}

static bool url_host_valid(const char *host, bool bracketed)
{
	struct in6_addr in6;
	struct in_addr in4;

	if (bracketed)
		return inet_pton(AF_INET6, host, &in6) == 1;
	return inet_pton(AF_INET, host, &in4) == 1 ||
	       config_dns_name_valid(host);
}

/* SCHEME://HOST[:PORT][/], the port default_port when not given. */
static int parse_url(const char *text, const char *scheme,
		     uint16_t default_port, struct config_url *out)
{
	char *authority, *slash, *host, *port_text;
	bool bracketed;
	uint16_t port = default_port;
	int ret = -EINVAL;

	if (strncmp(text, scheme, strlen(scheme)))
		return -EINVAL;
	authority = strdup(text + strlen(scheme));
	if (!authority)
		return -ENOMEM;
	slash = strchr(authority, '/');
	if (slash) {
		if (slash[1])
			goto out;	/* a path: the API paths are ours */
		*slash = '\0';
	}
	if (strpbrk(authority, "@?#") ||
	    split_host_port(authority, &host, &port_text, &bracketed) ||
	    (port_text && (parse_port(port_text, &port) || !port)) ||
	    !url_host_valid(host, bracketed))
		goto out;
	out->text = strdup(text);
	out->host = strdup(host);
	out->port = port;
	ret = out->text && out->host ? 0 : -ENOMEM;
out:
	free(authority);
	return ret;
}

int config_parse_url(const char *text, struct config_url *out)
{
	return parse_url(text, "https://", 443, out);
}

int config_parse_http_url(const char *text, struct config_url *out)
{
	return parse_url(text, "http://", 80, out);
}

int config_parse_ipv4_pool(const char *text, struct config_ipv4_pool *out)
{
	char address[INET_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	struct in_addr addr;
	unsigned long prefix;
	uint32_t host_mask;
	char *end;

	if (!slash || (size_t)(slash - text) >= sizeof(address) ||
	    strlen(text) >= sizeof(out->text) ||
	    !isdigit((unsigned char)slash[1]))
		return -EINVAL;
	memcpy(address, text, (size_t)(slash - text));
	address[slash - text] = '\0';
	prefix = strtoul(slash + 1, &end, 10);
	if (*end || prefix < CONFIG_POOL_PREFIX_MIN ||
	    prefix > CONFIG_POOL_PREFIX_MAX ||
	    inet_pton(AF_INET, address, &addr) != 1)
		return -EINVAL;
	host_mask = UINT32_MAX >> prefix;
	if (ntohl(addr.s_addr) & host_mask)
		return -EINVAL;
	strcpy(out->text, text);
	out->network = ntohl(addr.s_addr);
	out->prefix = (unsigned int)prefix;
	return 0;
}
