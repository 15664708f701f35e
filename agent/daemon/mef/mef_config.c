// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.mef, see mef_config.h.
 */
#include <stdlib.h>

#include "mef_config.h"
#include "role_mef.h"

void mef_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("name", config_value_name, struct config_mef,
			   name, YAML_KEY_REQUIRED),
		CONFIG_KEY("listen", config_value_listen, struct config_mef,
			   listen, YAML_KEY_REQUIRED),
		CONFIG_LIFETIME("key-lifetime", struct config_mef,
				key_lifetime, 0),
		CONFIG_KEY("dtls-listen", config_value_listen,
			   struct config_mef, dtls_listen, 0),
		CONFIG_NUMBER("dtls-sessions", struct config_mef,
			      dtls_sessions, 1, CONFIG_DTLS_SESSIONS_MAX, 0),
		CONFIG_KEY("km-listen", config_value_listen,
			   struct config_mef, km_listen, 0),
		CONFIG_KEY("maf-clients", config_value_names,
			   struct config_mef, maf_clients, 0),
		CONFIG_KEY("enrolee-b-clients", config_value_names,
			   struct config_mef, enrolee_b_clients, 0),
	};
	struct config_mef **mef = dest;

	*mef = calloc(1, sizeof(**mef));
	if (!*mef) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*mef)->line = key_line;
	(*mef)->key_lifetime = CONFIG_KEY_LIFETIME_DEFAULT;
	(*mef)->dtls_sessions = CONFIG_DTLS_SESSIONS_DEFAULT;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), *mef);
}

void mef_config_free(void *conf)
{
	struct config_mef *mef = conf;

	if (!mef)
		return;
	free(mef->name);
	config_names_free(&mef->maf_clients);
	config_names_free(&mef->enrolee_b_clients);
	free(mef);
}

size_t mef_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max)
{
	const struct config_mef *mef = conf;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_config_listen){ "listen",
							&mef->listen };
	if (mef->dtls_listen.line && n < max)
		out[n++] = (struct role_config_listen){ "dtls-listen",
							&mef->dtls_listen };
	if (mef->km_listen.line && n < max)
		out[n++] = (struct role_config_listen){ "km-listen",
							&mef->km_listen };
	return n;
}

bool mef_config_needs_tls(const void *conf)
{
	const struct config_mef *mef = conf;

	/* The Km interface is mutual TLS; enrolment is PSK (D)TLS only. */
	return mef && mef->km_listen.line;
}

const struct config_mef *config_mef(const struct config *config)
{
	return config_role(config, &role_mef);
}
