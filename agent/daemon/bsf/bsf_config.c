// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.bsf, see bsf_config.h.
 */
#include <stdlib.h>

#include "bsf_config.h"
#include "role_bsf.h"

static void parse_naf(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line,
		      struct config_naf *naf)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("name", config_value_name, struct config_naf, name,
			   YAML_KEY_REQUIRED),
	};

	naf->line = key_line;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), naf);
}

static bool reserve_nafs(void *list, size_t count)
{
	struct config_bsf *bsf = list;

	bsf->nafs = calloc(count ? count : 1, sizeof(*bsf->nafs));
	if (!bsf->nafs)
		return false;
	bsf->n_nafs = count;
	return true;
}

static const char *read_naf(struct yaml_walk *walk, const char *item_path,
			    yaml_node_t *item, size_t index, void *list)
{
	struct config_bsf *bsf = list;

	parse_naf(walk, item_path, item, yaml_line(item), &bsf->nafs[index]);
	return bsf->nafs[index].name;
}

/* The NAFs this BSF serves, each once. */
static void parse_nafs(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct config_list nafs = {
		.reserve = reserve_nafs,
		.read_item = read_naf,
		.repeated = "NAF '%s' is listed twice",
	};
	size_t count;

	(void)key_line;
	config_value_list(walk, path, value, &nafs, dest, &count);
}

static void parse_uint(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, uint64_t min, uint64_t max,
		       uint32_t *dest)
{
	uint64_t n;

	if (yaml_uint(walk, path, value, min, max, &n))
		*dest = (uint32_t)n;
}

static void parse_source_rate(struct yaml_walk *walk, const char *path,
			      yaml_node_t *value, unsigned int key_line,
			      void *dest)
{
	(void)key_line;
	parse_uint(walk, path, value, 1, BSF_UB_SOURCE_RATE_MAX, dest);
}

static void parse_impi_window(struct yaml_walk *walk, const char *path,
			      yaml_node_t *value, unsigned int key_line,
			      void *dest)
{
	(void)key_line;
	parse_uint(walk, path, value, 0, BSF_UB_IMPI_WINDOW_MAX, dest);
}

void bsf_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("name", config_value_name, struct config_bsf, name,
			   YAML_KEY_REQUIRED),
		CONFIG_KEY("ub-listen", config_value_listen, struct config_bsf,
			   ub_listen, YAML_KEY_REQUIRED),
		CONFIG_KEY("zn-listen", config_value_listen, struct config_bsf,
			   zn_listen, YAML_KEY_REQUIRED),
		CONFIG_KEY("hss-url", config_value_url, struct config_bsf,
			   hss_url, YAML_KEY_REQUIRED),
		CONFIG_KEY("key-lifetime", config_value_lifetime,
			   struct config_bsf, key_lifetime, 0),
		CONFIG_KEY("ub-source-rate", parse_source_rate,
			   struct config_bsf, ub_source_rate, 0),
		CONFIG_KEY("ub-impi-window", parse_impi_window,
			   struct config_bsf, ub_impi_window, 0),
		{ "nafs", parse_nafs, 0, 0 },
	};
	struct config_bsf **bsf = dest;

	*bsf = calloc(1, sizeof(**bsf));
	if (!*bsf) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*bsf)->line = key_line;
	(*bsf)->key_lifetime = CONFIG_KEY_LIFETIME_DEFAULT;
	(*bsf)->ub_source_rate = BSF_UB_SOURCE_RATE;
	(*bsf)->ub_impi_window = BSF_UB_IMPI_WINDOW;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), *bsf);
}

void bsf_config_free(void *conf)
{
	struct config_bsf *bsf = conf;
	size_t i;

	if (!bsf)
		return;
	free(bsf->name);
	config_url_free(&bsf->hss_url);
	for (i = 0; i < bsf->n_nafs; i++)
		free(bsf->nafs[i].name);
	free(bsf->nafs);
	free(bsf);
}

size_t bsf_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max)
{
	const struct config_bsf *bsf = conf;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_config_listen){ "ub-listen",
							&bsf->ub_listen };
	if (n < max)
		out[n++] = (struct role_config_listen){ "zn-listen",
							&bsf->zn_listen };
	return n;
}

const struct config_bsf *config_bsf(const struct config *config)
{
	return config_role(config, &role_bsf);
}
