// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.nafkc, see nafkc_config.h.
 */
#include <stdlib.h>

#include "nafkc_config.h"
#include "role_nafkc.h"

void nafkc_config_parse(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("name", config_value_name, struct config_nafkc,
			   name, YAML_KEY_REQUIRED),
		CONFIG_KEY("listen", config_value_listen, struct config_nafkc,
			   listen, YAML_KEY_REQUIRED),
		CONFIG_KEY("bsf-url", config_value_url, struct config_nafkc,
			   bsf_url, YAML_KEY_REQUIRED),
		CONFIG_KEY("key-lifetime", config_value_lifetime,
			   struct config_nafkc, key_lifetime, 0),
	};
	struct config_nafkc **nafkc = dest;

	*nafkc = calloc(1, sizeof(**nafkc));
	if (!*nafkc) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*nafkc)->line = key_line;
	(*nafkc)->key_lifetime = CONFIG_KEY_LIFETIME_DEFAULT;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), *nafkc);
}

void nafkc_config_free(void *conf)
{
	struct config_nafkc *nafkc = conf;

	if (!nafkc)
		return;
	free(nafkc->name);
	config_url_free(&nafkc->bsf_url);
	free(nafkc);
}

size_t nafkc_config_listens(const void *conf, struct role_config_listen *out,
			    size_t max)
{
	const struct config_nafkc *nafkc = conf;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_config_listen){ "listen",
							&nafkc->listen };
	return n;
}

const struct config_nafkc *config_nafkc(const struct config *config)
{
	return config_role(config, &role_nafkc);
}
