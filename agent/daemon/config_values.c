// SPDX-License-Identifier: GPL-2.0
/*
 * The kinds of value the roles' schemas share, see config_values.h.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_values.h"
#include "kernel/e2m_keyset.h"
#include "store/store.h"

void config_value_listen(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_listen *listen = dest;
	const char *text;

	listen->line = key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	if (config_parse_listen(text, listen))
		yaml_error(walk, yaml_line(value), path,
			   "must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not '%s'",
			   text);
}

static bool name_value(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, char **out)
{
	if (!yaml_string(walk, path, value, out))
		return false;
	if (!config_dns_name_valid(*out)) {
		yaml_error(walk, yaml_line(value), path,
			   "must be a DNS name, not '%s'", *out);
		return false;
	}
	return true;
}

void config_value_name(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	(void)key_line;
	name_value(walk, path, value, dest);
}

static bool listed_before(const char *const *seen, size_t before,
			  const char *name)
{
	size_t i;

	for (i = 0; i < before; i++) {
		if (seen[i] && !strcasecmp(seen[i], name))
			return true;
	}
	return false;
}

bool config_value_list(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, const struct config_list *kind,
		       void *list, size_t *count)
{
	char item_path[YAML_PATH_MAX];
	yaml_node_item_t *items;
	const char **seen;
	size_t i;

	if (!yaml_sequence(walk, path, value, &items, count))
		return false;
	seen = calloc(*count ? *count : 1, sizeof(*seen));
	if (!seen || (kind->reserve && !kind->reserve(list, *count))) {
		free(seen);
		yaml_error(walk, yaml_line(value), path, "out of memory");
		return false;
	}
	for (i = 0; i < *count; i++) {
		yaml_node_t *item = yaml_item(walk, items[i]);

		yaml_path_index(item_path, sizeof(item_path), path, i);
		seen[i] = kind->read_item(walk, item_path, item, i, list);
		if (seen[i] && listed_before(seen, i, seen[i]))
			yaml_error(walk, yaml_line(item), item_path,
				   kind->repeated, seen[i]);
	}
	free(seen);
	return true;
}

static bool reserve_names(void *list, size_t count)
{
	struct config_names *names = list;

	names->names = calloc(count ? count : 1, sizeof(*names->names));
	return names->names;
}

/* A name too long to compare is not compared. */
static const char *read_name(struct yaml_walk *walk, const char *item_path,
			     yaml_node_t *item, size_t index, void *list)
{
	struct config_names *names = list;
	char **name = &names->names[names->count];

	(void)index;
	if (!yaml_string(walk, item_path, item, name))
		return NULL;
	names->count++;
	if (strlen(*name) > CONFIG_NAME_MAX) {
		yaml_error(walk, yaml_line(item), item_path,
			   "longer than %d octets", CONFIG_NAME_MAX);
		return NULL;
	}
	return *name;
}

/* A list of peer names: certificate CNs or DNS names, each once. */
void config_value_names(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct config_list names = {
		.reserve = reserve_names,
		.read_item = read_name,
		.repeated = "'%s' is listed twice",
	};
	size_t count;

	(void)key_line;
	config_value_list(walk, path, value, &names, dest, &count);
}

/*
 * The peers an interface admits: a list of names that may not be empty, as
 * an empty list would leave open whether it means everyone or no one.
 */
void config_value_clients(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_names *names = dest;
	size_t errors = walk->errors->count + walk->errors->dropped;

	config_value_names(walk, path, value, key_line, dest);
	if (!names->count &&
	    walk->errors->count + walk->errors->dropped == errors)
		yaml_error(walk, yaml_line(value), path,
			   "must name at least one client (by a DNS name of its certificate)");
}

void config_value_url(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_url *url = dest;
	const char *text;
	int ret;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	ret = config_parse_url(text, url);
	if (ret == -ENOMEM)
		yaml_error(walk, yaml_line(value), path, "out of memory");
	else if (ret)
		yaml_error(walk, yaml_line(value), path,
			   "must be https://HOST[:PORT], not '%s'", text);
}

void config_value_ip_address(struct yaml_walk *walk, const char *path,
			     yaml_node_t *value, unsigned int key_line,
			     void *dest)
{
	char *out = dest;
	const char *text;
	struct in6_addr addr;
	int family = AF_INET;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	if (inet_pton(AF_INET, text, &addr) != 1) {
		family = AF_INET6;
		if (inet_pton(AF_INET6, text, &addr) != 1) {
			yaml_error(walk, yaml_line(value), path,
				   "must be an IPv4 or IPv6 address, not '%s'",
				   text);
			return;
		}
	}
	inet_ntop(family, &addr, out, CONFIG_IP_TEXT_MAX);
}

void config_value_pool(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	const char *text;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	if (config_parse_ipv4_pool(text, dest))
		yaml_error(walk, yaml_line(value), path,
			   "must be IPV4/PREFIX with the host bits zero and a prefix of %d to %d, e.g. 10.45.0.0/16, not '%s'",
			   CONFIG_POOL_PREFIX_MIN, CONFIG_POOL_PREFIX_MAX,
			   text);
}

/* A network interface name: 1..15 octets, no '/', ':' or white space. */
void config_value_device(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest)
{
	char *device = dest;
	const char *text;
	size_t len, i;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	len = strlen(text);
	for (i = 0; i < len; i++)
		if (text[i] == '/' || text[i] == ':' ||
		    !isgraph((unsigned char)text[i]))
			break;
	if (!len || len > CONFIG_IFNAME_MAX || i < len) {
		yaml_error(walk, yaml_line(value), path,
			   "must be an interface name of 1..%d octets",
			   CONFIG_IFNAME_MAX);
		return;
	}
	memcpy(device, text, len + 1);
}

void config_names_free(struct config_names *names)
{
	size_t i;

	for (i = 0; i < names->count; i++)
		free(names->names[i]);
	free(names->names);
}

void config_url_free(struct config_url *url)
{
	free(url->text);
	free(url->host);
}

void config_value_keyring(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line, void *dest)
{
	char **keyring = dest;
	key_serial_t ring;

	(void)key_line;
	free(*keyring);
	*keyring = NULL;
	if (yaml_string(walk, path, value, keyring) &&
	    strcmp(*keyring, "none") &&
	    e2m_keyring_special(*keyring, &ring))
		yaml_error(walk, yaml_line(value), path,
			   "must be @u, @s, @p, @t, @us or none");
}

void config_value_device_id(struct yaml_walk *walk, const char *path,
			    yaml_node_t *value, unsigned int key_line,
			    void *dest)
{
	char **id = dest;

	(void)key_line;
	if (yaml_string(walk, path, value, id) &&
	    !store_device_id_valid(*id))
		yaml_error(walk, yaml_line(value), path,
			   "must be a Device_ID: 1 to %d printable ASCII characters without space",
			   STORE_DEVICE_ID_MAX);
}
