// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.nafkc, see nafkc_config.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "nafkc_config.h"
#include "nafkc_zn_cache.h"
#include "role_nafkc.h"

static const char *read_auth_method(struct yaml_walk *walk,
				    const char *item_path, yaml_node_t *item,
				    size_t index, void *list)
{
	static const char *const names[] = { "psk", "certificate", NULL };
	struct nafkc_device_auth *auth = list;
	unsigned int method;

	(void)index;
	if (!yaml_enum(walk, item_path, item, names, &method))
		return NULL;
	auth->methods |= 1u << method;
	return names[method];
}

/* A sequence of psk and certificate, each at most once. */
static void parse_device_auth(struct yaml_walk *walk, const char *path,
			      yaml_node_t *value, unsigned int key_line,
			      void *dest)
{
	static const struct config_list methods = {
		.read_item = read_auth_method,
		.repeated = "'%s' twice",
	};
	struct nafkc_device_auth *auth = dest;
	size_t count;

	auth->methods = 0;
	auth->line = key_line;
	if (config_value_list(walk, path, value, &methods, auth, &count) &&
	    !count)
		yaml_error(walk, key_line, path,
			   "needs psk, certificate or both");
}

/* device-ca goes with certificate, and only with it. */
static void check_device_auth(struct yaml_walk *walk, const char *path,
			      const struct config_nafkc *nafkc)
{
	bool certificate = nafkc->device_auth.methods &
			   NAFKC_AUTH_CERTIFICATE;

	if (certificate && !nafkc->device_ca.path)
		yaml_error(walk, nafkc->device_auth.line, path,
			   "device-auth certificate needs device-ca");
	else if (!certificate && nafkc->device_ca.path)
		yaml_error(walk, nafkc->device_ca.line, path,
			   "device-ca is for device-auth certificate");
}

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
		CONFIG_LIFETIME("key-lifetime", struct config_nafkc,
				key_lifetime, 0),
		CONFIG_KEY("device-auth", parse_device_auth,
			   struct config_nafkc, device_auth, 0),
		CONFIG_KEY("device-ca", config_value_file,
			   struct config_nafkc, device_ca, 0),
		CONFIG_KEY("gba-listen", config_value_listen,
			   struct config_nafkc, gba_listen, 0),
		CONFIG_NUMBER("zn-cache", struct config_nafkc, zn_cache, 0,
			      NAFKC_ZN_CACHE_MAX, 0),
	};
	struct config_nafkc **nafkc = dest;

	*nafkc = calloc(1, sizeof(**nafkc));
	if (!*nafkc) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*nafkc)->line = key_line;
	(*nafkc)->key_lifetime = CONFIG_KEY_LIFETIME_DEFAULT;
	(*nafkc)->device_auth.methods = NAFKC_AUTH_PSK;
	(*nafkc)->zn_cache = NAFKC_ZN_CACHE_DEFAULT;
	if (yaml_walk_mapping(walk, path, value, key_line, keys,
			      CONFIG_N_KEYS(keys), *nafkc))
		check_device_auth(walk, path, *nafkc);
}

void nafkc_config_free(void *conf)
{
	struct config_nafkc *nafkc = conf;

	if (!nafkc)
		return;
	free(nafkc->name);
	free(nafkc->device_ca.path);
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
	if (nafkc->gba_listen.line && n < max)
		out[n++] = (struct role_config_listen){ "gba-listen",
							&nafkc->gba_listen };
	return n;
}

const struct config_nafkc *config_nafkc(const struct config *config)
{
	return config_role(config, &role_nafkc);
}
