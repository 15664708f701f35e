// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.mt, see mt_config.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/e2m.h>

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

static bool reserve_flows(void *list, size_t count)
{
	struct config_mt *mt = list;

	mt->flows = calloc(count ? count : 1, sizeof(*mt->flows));
	if (!mt->flows)
		return false;
	mt->n_flows = count;
	return true;
}

static const char *read_flow(struct yaml_walk *walk, const char *item_path,
			     yaml_node_t *item, size_t index, void *list)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("device-id", config_value_device_id,
			   struct config_mt_flow, device_id,
			   YAML_KEY_REQUIRED),
		CONFIG_KEY("device", config_value_device,
			   struct config_mt_flow, device, YAML_KEY_REQUIRED),
		CONFIG_FLOW_NUMBERS(struct config_mt_flow),
	};
	struct config_mt *mt = list;
	struct config_mt_flow *flow = &mt->flows[index];

	flow->key_id = MT_KEY_ID_DEFAULT;
	flow->alg = MT_ALG_DEFAULT;
	yaml_walk_mapping(walk, item_path, item, yaml_line(item), keys,
			  CONFIG_N_KEYS(keys), flow);
	return flow->device_id;
}

static void parse_flows(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct config_list flows = {
		.reserve = reserve_flows,
		.read_item = read_flow,
		.repeated = "the Device_ID '%s' has two flows",
	};
	struct config_mt *mt = dest;
	size_t count;

	(void)key_line;
	if (config_value_list(walk, path, value, &flows, mt, &count) &&
	    count > MT_FLOWS_MAX)
		yaml_error(walk, yaml_line(value), path,
			   "must list at most %d flows", MT_FLOWS_MAX);
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
		{ .key = "flows", .parse = parse_flows },
	};
	struct config_mt **mt = dest;

	*mt = calloc(1, sizeof(**mt));
	if (!*mt || !((*mt)->keyring = strdup(MT_KEYRING_DEFAULT))) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*mt)->line = key_line;
	(*mt)->label = MT_LABEL_DEVICE;
	if (yaml_walk_mapping(walk, path, value, key_line, keys,
			      CONFIG_N_KEYS(keys), *mt) &&
	    (*mt)->n_flows && !strcmp((*mt)->keyring, "none"))
		yaml_error(walk, key_line, path,
			   "flows need a keyring, not none");
}

void mt_config_free(void *conf)
{
	struct config_mt *mt = conf;
	size_t i;

	if (!mt)
		return;
	free(mt->iccid);
	config_names_free(&mt->naf_ids);
	config_url_free(&mt->bsf_url);
	free(mt->keyring);
	for (i = 0; i < mt->n_flows; i++)
		free(mt->flows[i].device_id);
	free(mt->flows);
	free(mt);
}

bool mt_config_flows_equal(const struct config_mt *a,
			   const struct config_mt *b)
{
	size_t i;

	if (a->n_flows != b->n_flows)
		return false;
	for (i = 0; i < a->n_flows; i++) {
		const struct config_mt_flow *x = &a->flows[i], *y = &b->flows[i];

		if (strcmp(x->device_id, y->device_id) ||
		    strcmp(x->device, y->device) || x->teid != y->teid ||
		    x->key_id != y->key_id || x->alg != y->alg)
			return false;
	}
	return true;
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
