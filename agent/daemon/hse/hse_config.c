// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.hse, see hse_config.h.
 */
#include <stdlib.h>
#include <string.h>

#include "hse_config.h"
#include "role_hse.h"

static void value_instance(struct yaml_walk *walk, const char *path,
			   yaml_node_t *value, unsigned int key_line,
			   void *dest)
{
	char *instance = dest;
	const char *text;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	if (!store_hse_owner_valid(text)) {
		yaml_error(walk, yaml_line(value), path,
			   "must be 1..%d letters, digits, '.', '-' or '_'",
			   STORE_HSE_OWNER_MAX);
		return;
	}
	memcpy(instance, text, strlen(text) + 1);
}

/* Not set: the host's name, which must then be an instance name. */
static void default_instance(struct yaml_walk *walk, const char *path,
			     struct config_hse *hse)
{
	char key[YAML_PATH_MAX];

	if (hse->instance[0] ||
	    !store_hse_owner_default(hse->instance, sizeof(hse->instance)))
		return;
	yaml_path_key(key, sizeof(key), path, "instance");
	yaml_error(walk, hse->line, key, "not set, and the host's name is no"
		   " instance name (1..%d letters, digits, '.', '-' or '_'):"
		   " set it", STORE_HSE_OWNER_MAX);
}

void hse_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("triplet-listen", config_value_listen,
			   struct config_hse, triplet_listen,
			   YAML_KEY_REQUIRED),
		CONFIG_KEY("clients", config_value_clients, struct config_hse,
			   clients, YAML_KEY_REQUIRED),
		CONFIG_KEY("hss-url", config_value_url, struct config_hse,
			   hss_url, YAML_KEY_REQUIRED),
		CONFIG_KEY("device", config_value_device, struct config_hse,
			   device, YAML_KEY_REQUIRED),
		CONFIG_LIFETIME("key-lifetime", struct config_hse,
				key_lifetime, 0),
		CONFIG_KEY("instance", value_instance, struct config_hse,
			   instance, 0),
	};
	struct config_hse **hse = dest;

	*hse = calloc(1, sizeof(**hse));
	if (!*hse) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*hse)->line = key_line;
	(*hse)->key_lifetime = CONFIG_KEY_LIFETIME_DEFAULT;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), *hse);
	default_instance(walk, path, *hse);
}

void hse_config_free(void *conf)
{
	struct config_hse *hse = conf;

	if (!hse)
		return;
	config_names_free(&hse->clients);
	config_url_free(&hse->hss_url);
	free(hse);
}

size_t hse_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max)
{
	const struct config_hse *hse = conf;

	if (!max)
		return 0;
	out[0] = (struct role_config_listen){ "triplet-listen",
					      &hse->triplet_listen };
	return 1;
}

size_t hse_config_devices(const void *conf, const char **out, size_t max)
{
	const struct config_hse *hse = conf;

	if (!max || !hse->device[0])
		return 0;
	out[0] = hse->device;
	return 1;
}

const struct config_hse *config_hse(const struct config *config)
{
	return config_role(config, &role_hse);
}
