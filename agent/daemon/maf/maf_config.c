// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.maf, see maf_config.h.
 */
#include <stdlib.h>

#include "daemon/yaml_walk.h"
#include "maf_config.h"
#include "role_maf.h"

static void parse_as(struct yaml_walk *walk, const char *path,
		     yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const char *const names[] = { "maf", "enrolee-b", NULL };
	enum maf_as *as = dest;
	unsigned int i;

	(void)key_line;
	if (yaml_enum(walk, path, value, names, &i))
		*as = i ? MAF_AS_ENROLEE_B : MAF_AS_MAF;
}

/* km-pull: false (the default) or true. */
static void parse_km_pull(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line,
			  void *dest)
{
	static const char *const names[] = { "false", "true", NULL };
	bool *km_pull = dest;
	unsigned int i;

	(void)key_line;
	if (yaml_enum(walk, path, value, names, &i))
		*km_pull = i == 1;
}

/* handoff: { uid: N, gid: N }, see maf_handoff.h. */
static void parse_handoff(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line,
			  void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_NUMBER("uid", struct config_maf_handoff, uid, 1,
			      UINT32_MAX - 1, YAML_KEY_REQUIRED),
		CONFIG_NUMBER("gid", struct config_maf_handoff, gid, 0,
			      UINT32_MAX - 1, 0),
	};
	struct config_maf_handoff *handoff = dest;

	handoff->line = key_line;
	handoff->gid = MAF_HANDOFF_GID_PASSWD;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), handoff);
}

void maf_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("name", config_value_name, struct config_maf,
			   name, YAML_KEY_REQUIRED),
		CONFIG_KEY("listen", config_value_listen, struct config_maf,
			   listen, YAML_KEY_REQUIRED),
		CONFIG_KEY("mef-url", config_value_url, struct config_maf,
			   mef_url, 0),
		CONFIG_KEY("zn-url", config_value_url, struct config_maf,
			   zn_url, 0),
		CONFIG_KEY("dtls-listen", config_value_listen,
			   struct config_maf, dtls_listen, 0),
		CONFIG_NUMBER("dtls-sessions", struct config_maf,
			      dtls_sessions, 1, CONFIG_DTLS_SESSIONS_MAX, 0),
		CONFIG_KEY("gba-listen", config_value_listen,
			   struct config_maf, gba_listen, 0),
		CONFIG_KEY("gba-dtls-listen", config_value_listen,
			   struct config_maf, gba_dtls_listen, 0),
		CONFIG_KEY("as", parse_as, struct config_maf, as, 0),
		CONFIG_KEY("km-pull", parse_km_pull, struct config_maf,
			   km_pull, 0),
		CONFIG_KEY("handoff", parse_handoff, struct config_maf,
			   handoff, 0),
	};
	struct config_maf **maf = dest;

	*maf = calloc(1, sizeof(**maf));
	if (!*maf) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*maf)->line = key_line;
	(*maf)->dtls_sessions = CONFIG_DTLS_SESSIONS_DEFAULT;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), *maf);
	/* A MAF with neither could never hold a Km. */
	if (!(*maf)->mef_url.text && !(*maf)->zn_url.text)
		yaml_error(walk, key_line, path,
			   "missing key 'mef-url' or 'zn-url'");
	/* Its handshakes pull over Zn. */
	else if ((*maf)->gba_listen.line && !(*maf)->zn_url.text)
		yaml_error(walk, key_line, path, "gba-listen needs zn-url");
	else if ((*maf)->gba_dtls_listen.line && !(*maf)->zn_url.text)
		yaml_error(walk, key_line, path,
			   "gba-dtls-listen needs zn-url");
	/* Its handshakes ask the MEF (maf_km_pull.h). */
	else if ((*maf)->km_pull && !(*maf)->mef_url.text)
		yaml_error(walk, key_line, path, "km-pull needs mef-url");
}

void maf_config_free(void *conf)
{
	struct config_maf *maf = conf;

	if (!maf)
		return;
	free(maf->name);
	config_url_free(&maf->mef_url);
	config_url_free(&maf->zn_url);
	free(maf);
}

size_t maf_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max)
{
	const struct config_maf *maf = conf;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_config_listen){ "listen",
							&maf->listen };
	if (maf->dtls_listen.line && n < max)
		out[n++] = (struct role_config_listen){ "dtls-listen",
							&maf->dtls_listen };
	if (maf->gba_listen.line && n < max)
		out[n++] = (struct role_config_listen){ "gba-listen",
							&maf->gba_listen };
	if (maf->gba_dtls_listen.line && n < max)
		out[n++] = (struct role_config_listen){
			"gba-dtls-listen", &maf->gba_dtls_listen };
	return n;
}

const struct config_maf *config_maf(const struct config *config)
{
	return config_role(config, &role_maf);
}
