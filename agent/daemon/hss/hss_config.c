// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.hss, see hss_config.h.
 */
#include <stdlib.h>

#include <linux/e2m.h>

#include "hss_config.h"
#include "role_hss.h"

/* The algorithm of the key sets; only AES (NEA2/NIA2) is run yet. */
static void parse_algorithm(struct yaml_walk *walk, const char *path,
			    yaml_node_t *value, unsigned int key_line,
			    void *dest)
{
	static const char *const names[] = { "aes", NULL };
	uint8_t *algorithm = dest;
	unsigned int index;

	(void)key_line;
	if (yaml_enum(walk, path, value, names, &index))
		*algorithm = E2M_ALG_AES;
}

static void parse_e2m(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_NUMBER("window", struct config_hss_e2m, window, 1,
			      HSS_E2M_WINDOW_MAX, 0),
		CONFIG_KEY("algorithm", parse_algorithm,
			   struct config_hss_e2m, algorithm, 0),
	};

	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), dest);
}

void hss_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("listen", config_value_listen, struct config_hss,
			   listen, YAML_KEY_REQUIRED),
		CONFIG_KEY("clients", config_value_clients, struct config_hss,
			   clients, YAML_KEY_REQUIRED),
		CONFIG_KEY("sn-clients", config_value_clients,
			   struct config_hss, sn_clients, YAML_KEY_REQUIRED),
		CONFIG_KEY("hse-clients", config_value_names,
			   struct config_hss, hse_clients, 0),
		CONFIG_KEY("prov-clients", config_value_names,
			   struct config_hss, prov_clients, 0),
		CONFIG_KEY("e2m", parse_e2m, struct config_hss, e2m, 0),
	};
	struct config_hss **hss = dest;

	*hss = calloc(1, sizeof(**hss));
	if (!*hss) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*hss)->line = key_line;
	(*hss)->e2m.window = HSS_E2M_WINDOW_DEFAULT;
	(*hss)->e2m.algorithm = E2M_ALG_AES;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), *hss);
}

void hss_config_free(void *conf)
{
	struct config_hss *hss = conf;

	if (!hss)
		return;
	config_names_free(&hss->clients);
	config_names_free(&hss->sn_clients);
	config_names_free(&hss->hse_clients);
	config_names_free(&hss->prov_clients);
	free(hss);
}

/*
 * Zh, the AV request and the key update keep nothing between requests
 * but the store; the key sets of BEST stay in the memory of the process
 * that made them (hss_window.h), where an HSE's pull must find them.
 */
const char *hss_workers_refused(const void *conf)
{
	const struct config_hss *hss = conf;

	if (hss->hse_clients.count)
		return "hse-clients pull key sets from the window of the process that made them";
	return NULL;
}

size_t hss_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max)
{
	const struct config_hss *hss = conf;

	if (!max)
		return 0;
	out[0] = (struct role_config_listen){ "listen", &hss->listen };
	return 1;
}

const struct config_hss *config_hss(const struct config *config)
{
	return config_role(config, &role_hss);
}
