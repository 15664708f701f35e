// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.hse, see hse_config.h.
 */
#include <stdlib.h>

#include "hse_config.h"
#include "role_hse.h"

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
