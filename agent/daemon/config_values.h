/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kinds of value a role's schema is made of, for the roles' own
 * config files (daemon/<role>/<role>_config.c): each is a yaml_parse_fn
 * that reads the value at path into dest and reports what is wrong with
 * it as "FILE:LINE: PATH: reason". A role's schema is a table of
 * CONFIG_KEY() rows walked with yaml_walk_mapping():
 *
 *	config_value_listen	 ADDR into a struct config_listen
 *	config_value_name	 a DNS name into a char * (allocated)
 *	config_value_names	 a list of peer names (DNS subject alternative
 *				 names of certificates, each once) into a
 *				 struct config_names
 *	config_value_clients	 the same, required to name one at least: a
 *				 client list of an interface
 *	config_value_url	 https://HOST[:PORT] into a struct config_url
 *	config_value_file	 an absolute path into a struct config_file
 *				 (path allocated)
 *	config_value_device	 a network interface name into a char
 *				 [CONFIG_IFNAME_MAX + 1]
 *	config_value_ip_address	 an IPv4 or IPv6 address, in inet_ntop()
 *				 form, into a char [CONFIG_IP_TEXT_MAX]
 *	config_value_pool	 IPV4/PREFIX into a struct config_ipv4_pool
 *	config_value_keyring	 the keyring keys go to: @u, @s, @p, @t, @us
 *				 (keyctl's names) or none, into a char *
 *				 (allocated)
 *	config_value_device_id	 a Device_ID (store_device_id_valid()) into a
 *				 char * (allocated)
 *
 * A number between two bounds (a port, a lifetime, a table's size) has no
 * function: its row is CONFIG_NUMBER() (or CONFIG_LIFETIME()) with the
 * bounds, and yaml_walk_mapping() reads it into the field.
 *
 * key_line is the line of the key; the listen address keeps it for the
 * check that no two listeners take one port.
 */
#ifndef E2MD_CONFIG_VALUES_H
#define E2MD_CONFIG_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "yaml_walk.h"

/* One row of a schema: the key, its parser and where its value goes. */
#define CONFIG_KEY(name, fn, type, field, flags) \
	{ (name), (fn), offsetof(type, field), (flags), 0, 0, 0 }
/*
 * A row whose value is a number from lo to hi into field (an unsigned
 * integer of 1, 2, 4 or 8 octets, or an enum); the bounds must fit it.
 */
#define CONFIG_NUMBER(name, type, field, lo, hi, flags) \
	{ (name), NULL, offsetof(type, field), (flags), (lo), (hi), \
	  sizeof(((type *)0)->field) }
/*
 * A local-link flow's numbers, the same for the MT's flows and the
 * device's: its TEID (required), Key ID and algorithm, bounded as the
 * netlink API bounds them (linux/e2m.h, which the user includes).
 */
#define CONFIG_FLOW_NUMBERS(type) \
	CONFIG_NUMBER("teid", type, teid, 1, UINT32_MAX, YAML_KEY_REQUIRED), \
	CONFIG_NUMBER("key-id", type, key_id, 0, E2M_KEY_ID_MAX, 0), \
	CONFIG_NUMBER("alg", type, alg, E2M_ALG_SNOW3G, E2M_ALG_ZUC, 0)
/* Seconds of a key's life, 1..CONFIG_KEY_LIFETIME_MAX, into a uint32_t. */
#define CONFIG_LIFETIME(name, type, field, flags) \
	CONFIG_NUMBER(name, type, field, 1, CONFIG_KEY_LIFETIME_MAX, flags)
#define CONFIG_N_KEYS(table) (sizeof(table) / sizeof((table)[0]))

#define CONFIG_KEY_LIFETIME_DEFAULT	3600u		/* one hour */
#define CONFIG_KEY_LIFETIME_MAX		(365u * 86400u)	/* one year */
#define CONFIG_IFNAME_MAX		15	/* IFNAMSIZ - 1 */
#define CONFIG_DTLS_SESSIONS_DEFAULT	256
#define CONFIG_DTLS_SESSIONS_MAX	1024	/* net/dtls_server.h's */

void config_value_listen(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_name(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_names(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_clients(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_url(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_file(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_device(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_ip_address(struct yaml_walk *walk, const char *path,
			     yaml_node_t *value, unsigned int key_line,
			     void *dest);
void config_value_pool(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_keyring(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line, void *dest);
void config_value_device_id(struct yaml_walk *walk, const char *path,
			    yaml_node_t *value, unsigned int key_line,
			    void *dest);

/*
 * A list whose items each name something once: the shape of
 * config_value_names() and of the roles' own lists (roles.bsf.nafs,
 * roles.nafkc.device-auth).
 */
struct config_list {
	/*
	 * Makes room in the list for count items, false if out of memory;
	 * NULL when the list needs none.
	 */
	bool (*reserve)(void *list, size_t count);
	/*
	 * Reads the index-th item, at item_path, into the list: the name it
	 * goes by, or NULL when there is none to compare (an error reported).
	 */
	const char *(*read_item)(struct yaml_walk *walk, const char *item_path,
				 yaml_node_t *item, size_t index, void *list);
	/*
	 * The error at an item named as one before it (case-insensitively):
	 * a format whose one %s is the name.
	 */
	const char *repeated;
};

/*
 * The items of the sequence at path into list, as kind says, and in
 * *count how many there are. False when value is no sequence or memory ran
 * out (reported).
 */
bool config_value_list(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, const struct config_list *kind,
		       void *list, size_t *count);

/* What config_value_names() and config_value_url() allocated. */
void config_names_free(struct config_names *names);
void config_url_free(struct config_url *url);

#endif /* E2MD_CONFIG_VALUES_H */
