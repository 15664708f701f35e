// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.mt, see mt_config.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/fc.h"
#include "mt_config.h"
#include "proto/local/local_msg.h"
#include "role_mt.h"
#include "util/dns_name.h"

static const char *const labels[] = {
	[MT_LABEL_DEVICE] = LABEL_KS_LOCAL_DEVICE,
	[MT_LABEL_MT] = LABEL_KS_LOCAL_MT,
	NULL,
};

const char *mt_label_text(unsigned int label)
{
	return label <= MT_LABEL_MT ? labels[label] : NULL;
}

static void parse_iccid(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	char **iccid = dest;

	(void)key_line;
	if (yaml_string(walk, path, value, iccid) &&
	    !store_iccid_valid(*iccid))
		yaml_error(walk, yaml_line(value), path,
			   "must be 18 to %d digits", STORE_ICCID_MAX);
}

/* config_value_names(), and each a DNS name, 1..LOCAL_NAF_IDS_MAX. */
static void parse_naf_ids(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line,
			  void *dest)
{
	struct config_names *names = dest;
	size_t i;

	config_value_names(walk, path, value, key_line, dest);
	if (!names->count || names->count > LOCAL_NAF_IDS_MAX)
		yaml_error(walk, yaml_line(value), path,
			   "must list 1 to %d NAF Key Centre FQDNs",
			   LOCAL_NAF_IDS_MAX);
	for (i = 0; i < names->count; i++)
		if (!dns_name_valid(names->names[i]))
			yaml_error(walk, yaml_line(value), path,
				   "'%s' is not a DNS name", names->names[i]);
}

static void parse_http_url(struct yaml_walk *walk, const char *path,
			   yaml_node_t *value, unsigned int key_line,
			   void *dest)
{
	const char *text;
	int ret;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	ret = config_parse_http_url(text, dest);
	if (ret == -ENOMEM)
		yaml_error(walk, yaml_line(value), path, "out of memory");
	else if (ret)
		yaml_error(walk, yaml_line(value), path,
			   "must be http://HOST[:PORT], not '%s'", text);
}

static void parse_label(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	(void)key_line;
	yaml_enum(walk, path, value, labels, dest);
}

void mt_config_parse(struct yaml_walk *walk, const char *path,
		     yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("listen", config_value_listen, struct config_mt,
			   listen, YAML_KEY_REQUIRED),
		CONFIG_KEY("iccid", parse_iccid, struct config_mt, iccid,
			   YAML_KEY_REQUIRED),
		CONFIG_KEY("naf-ids", parse_naf_ids, struct config_mt,
			   naf_ids, YAML_KEY_REQUIRED),
		CONFIG_KEY("bsf-url", parse_http_url, struct config_mt,
			   bsf_url, YAML_KEY_REQUIRED),
		CONFIG_KEY("label", parse_label, struct config_mt, label, 0),
		CONFIG_KEY("keyring", config_value_keyring, struct config_mt,
			   keyring, 0),
	};
	struct config_mt **mt = dest;

	*mt = calloc(1, sizeof(**mt));
	if (!*mt || !((*mt)->keyring = strdup(MT_KEYRING_DEFAULT))) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*mt)->line = key_line;
	(*mt)->label = MT_LABEL_DEVICE;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), *mt);
}

void mt_config_free(void *conf)
{
	struct config_mt *mt = conf;

	if (!mt)
		return;
	free(mt->iccid);
	config_names_free(&mt->naf_ids);
	config_url_free(&mt->bsf_url);
	free(mt->keyring);
	free(mt);
}

size_t mt_config_listens(const void *conf, struct role_config_listen *out,
			 size_t max)
{
	const struct config_mt *mt = conf;
	size_t n = 0;

	if (n < max)
		out[n++] = (struct role_config_listen){ "listen", &mt->listen };
	return n;
}

const struct config_mt *config_mt(const struct config *config)
{
	return config_role(config, &role_mt);
}
