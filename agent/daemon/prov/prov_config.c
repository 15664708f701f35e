// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.prov, see prov_config.h.
 */
#include <stdlib.h>

#include "prov_config.h"
#include "role_prov.h"

void prov_config_parse(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("listen", config_value_listen, struct config_prov,
			   listen, YAML_KEY_REQUIRED),
		CONFIG_KEY("certificate", config_value_file,
			   struct config_prov, certificate, YAML_KEY_REQUIRED),
		CONFIG_KEY("private-key", config_value_file,
			   struct config_prov, private_key, YAML_KEY_REQUIRED),
		CONFIG_KEY("usim-ca", config_value_file, struct config_prov,
			   usim_ca, YAML_KEY_REQUIRED),
		CONFIG_KEY("hss-url", config_value_url, struct config_prov,
			   hss_url, YAML_KEY_REQUIRED),
		CONFIG_NUMBER("session-max-age", struct config_prov,
			      session_max_age, 1, PROV_SESSION_MAX_AGE_MAX, 0),
	};
	struct config_prov **prov = dest;

	*prov = calloc(1, sizeof(**prov));
	if (!*prov) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*prov)->line = key_line;
	(*prov)->session_max_age = PROV_SESSION_MAX_AGE_DEFAULT;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), *prov);
}

void prov_config_free(void *conf)
{
	struct config_prov *prov = conf;

	if (!prov)
		return;
	free(prov->certificate.path);
	free(prov->private_key.path);
	free(prov->usim_ca.path);
	config_url_free(&prov->hss_url);
	free(prov);
}

size_t prov_config_listens(const void *conf, struct role_config_listen *out,
			   size_t max)
{
	const struct config_prov *prov = conf;

	if (!max)
		return 0;
	out[0] = (struct role_config_listen){ "listen", &prov->listen };
	return 1;
}

const struct config_prov *config_prov(const struct config *config)
{
	return config_role(config, &role_prov);
}
