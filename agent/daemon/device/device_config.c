// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.device, see device_config.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/e2m.h>

#include "crypto/fc.h"
#include "device_config.h"
#include "role_device.h"
#include "store/store.h"
#include "util/host_port.h"

static const char *const labels[] = {
	[DEVICE_LABEL_DEVICE] = LABEL_KS_LOCAL_DEVICE,
	[DEVICE_LABEL_MT] = LABEL_KS_LOCAL_MT,
	NULL,
};

const char *device_label_text(unsigned int label)
{
	return label <= DEVICE_LABEL_MT ? labels[label] : NULL;
}

static void parse_label(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	(void)key_line;
	yaml_enum(walk, path, value, labels, dest);
}

/* HOST:PORT into the link's host and port of the key (mt, key-centre). */
static bool parse_where(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, char host[DNS_NAME_MAX + 1],
			uint16_t *port, char **text)
{
	const char *scalar;

	if (!yaml_scalar(walk, path, value, &scalar))
		return false;
	if (host_port_parse(scalar, host, port)) {
		yaml_error(walk, yaml_line(value), path,
			   "must be HOST:PORT, not '%s'", scalar);
		return false;
	}
	if (text) {
		free(*text);
		*text = strdup(scalar);
		if (!*text) {
			yaml_error(walk, yaml_line(value), path,
				   "out of memory");
			return false;
		}
	}
	return true;
}

static void parse_mt(struct yaml_walk *walk, const char *path,
		     yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_device_link *link = dest;

	(void)key_line;
	parse_where(walk, path, value, link->mt_host, &link->mt_port,
		    &link->mt);
}

static void parse_key_centre(struct yaml_walk *walk, const char *path,
			     yaml_node_t *value, unsigned int key_line,
			     void *dest)
{
	struct config_device_link *link = dest;

	(void)key_line;
	link->has_key_centre = parse_where(walk, path, value, link->kc_host,
					   &link->kc_port, NULL);
}

static void parse_flow(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("device", config_value_device,
			   struct config_device_flow, device,
			   YAML_KEY_REQUIRED),
		CONFIG_FLOW_NUMBERS(struct config_device_flow),
	};
	struct config_device_flow *flow = dest;

	flow->present = true;
	flow->key_id = DEVICE_KEY_ID_DEFAULT;
	flow->alg = DEVICE_ALG_DEFAULT;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), flow);
}

static void parse_link(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line,
		       struct config_device_link *link)
{
	static const struct yaml_key keys[] = {
		/* These two fill several members: the link is their dest. */
		{ .key = "mt", .parse = parse_mt, .flags = YAML_KEY_REQUIRED },
		CONFIG_KEY("naf-id", config_value_name,
			   struct config_device_link, naf_id,
			   YAML_KEY_REQUIRED),
		{ .key = "key-centre", .parse = parse_key_centre },
		CONFIG_KEY("flow", parse_flow, struct config_device_link,
			   flow, 0),
	};
	size_t len;

	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), link);
	if (!link->mt || !link->naf_id)
		return;
	len = strlen(link->naf_id) + strlen(link->mt) + sizeof(" via ");
	link->name = malloc(len);
	if (!link->name)
		yaml_error(walk, key_line, path, "out of memory");
	else
		snprintf(link->name, len, "%s via %s", link->naf_id, link->mt);
}

static bool reserve_links(void *list, size_t count)
{
	struct config_device *device = list;

	device->links = calloc(count ? count : 1, sizeof(*device->links));
	if (!device->links)
		return false;
	device->n_links = count;
	return true;
}

static const char *read_link(struct yaml_walk *walk, const char *item_path,
			     yaml_node_t *item, size_t index, void *list)
{
	struct config_device *device = list;

	parse_link(walk, item_path, item, yaml_line(item),
		   &device->links[index]);
	return device->links[index].name;
}

static void parse_links(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct config_list links = {
		.reserve = reserve_links,
		.read_item = read_link,
		.repeated = "the link '%s' is listed twice",
	};
	struct config_device *device = dest;
	size_t count;

	if (config_value_list(walk, path, value, &links, device, &count) &&
	    (!count || count > DEVICE_LINKS_MAX))
		yaml_error(walk, yaml_line(value), path,
			   "must list 1 to %d links", DEVICE_LINKS_MAX);
	(void)key_line;
}

/*
 * psk-file, or certificate, private-key and ca: one credential. A key
 * given counts (its line), even if its value was wrong and said so.
 */
static void check_credential(struct yaml_walk *walk, const char *path,
			     const struct config_device *device)
{
	int n_cert = !!device->certificate.line + !!device->private_key.line +
		     !!device->ca.line;

	if (device->psk_file.line && n_cert)
		yaml_error(walk, device->line, path,
			   "psk-file, or certificate, private-key and ca: not both");
	else if (!device->psk_file.line && n_cert != 3)
		yaml_error(walk, device->line, path,
			   "needs psk-file, or certificate, private-key and ca");
}

/* A flow needs its key in a keyring. */
static void check_flows(struct yaml_walk *walk, const char *path,
			const struct config_device *device)
{
	size_t i;

	if (!device->keyring || strcmp(device->keyring, "none"))
		return;
	for (i = 0; i < device->n_links; i++)
		if (device->links[i].flow.present)
			yaml_error(walk, device->line, path,
				   "links[%zu].flow needs a keyring, not none",
				   i);
}

void device_config_parse(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line,
			 void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("device-id", config_value_device_id,
			   struct config_device, device_id, YAML_KEY_REQUIRED),
		CONFIG_KEY("psk-file", config_value_file,
			   struct config_device, psk_file, 0),
		CONFIG_KEY("certificate", config_value_file,
			   struct config_device, certificate, 0),
		CONFIG_KEY("private-key", config_value_file,
			   struct config_device, private_key, 0),
		CONFIG_KEY("ca", config_value_file, struct config_device, ca,
			   0),
		CONFIG_KEY("label", parse_label, struct config_device, label,
			   0),
		CONFIG_KEY("keyring", config_value_keyring, struct config_device,
			   keyring, 0),
		CONFIG_NUMBER("timeout", struct config_device, timeout, 1,
			      DEVICE_TIMEOUT_MAX, 0),
		{ .key = "links", .parse = parse_links,
		  .flags = YAML_KEY_REQUIRED },
	};
	struct config_device **device = dest;

	*device = calloc(1, sizeof(**device));
	if (!*device ||
	    !((*device)->keyring = strdup(DEVICE_KEYRING_DEFAULT))) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*device)->line = key_line;
	(*device)->label = DEVICE_LABEL_DEVICE;
	(*device)->timeout = DEVICE_TIMEOUT_DEFAULT;
	if (yaml_walk_mapping(walk, path, value, key_line, keys,
			      CONFIG_N_KEYS(keys), *device)) {
		check_credential(walk, path, *device);
		check_flows(walk, path, *device);
	}
}

void device_config_free(void *conf)
{
	struct config_device *device = conf;
	size_t i;

	if (!device)
		return;
	for (i = 0; i < device->n_links; i++) {
		free(device->links[i].name);
		free(device->links[i].mt);
		free(device->links[i].naf_id);
	}
	free(device->links);
	free(device->device_id);
	free(device->psk_file.path);
	free(device->certificate.path);
	free(device->private_key.path);
	free(device->ca.path);
	free(device->keyring);
	free(device);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool link_equal(const struct config_device_link *a,
		       const struct config_device_link *b)
{
	return same(a->name, b->name) &&
	       a->has_key_centre == b->has_key_centre &&
	       !strcmp(a->kc_host, b->kc_host) && a->kc_port == b->kc_port &&
	       !memcmp(&a->flow, &b->flow, sizeof(a->flow));
}

bool device_config_equal(const struct config_device *a,
			 const struct config_device *b)
{
	size_t i;

	if (!same(a->device_id, b->device_id) ||
	    !same(a->psk_file.path, b->psk_file.path) ||
	    !same(a->certificate.path, b->certificate.path) ||
	    !same(a->private_key.path, b->private_key.path) ||
	    !same(a->ca.path, b->ca.path) ||
	    a->label != b->label || !same(a->keyring, b->keyring) ||
	    a->timeout != b->timeout || a->n_links != b->n_links)
		return false;
	for (i = 0; i < a->n_links; i++)
		if (!link_equal(&a->links[i], &b->links[i]))
			return false;
	return true;
}

const struct config_device *config_device(const struct config *config)
{
	return config_role(config, &role_device);
}

size_t device_config_devices(const void *conf, const char **out, size_t max)
{
	const struct config_device *device = conf;
	size_t i, j, n = 0;

	for (i = 0; i < device->n_links && n < max; i++) {
		const struct config_device_flow *flow = &device->links[i].flow;

		if (!flow->present)
			continue;
		for (j = 0; j < n && strcmp(out[j], flow->device); j++)
			;
		if (j == n)
			out[n++] = flow->device;
	}
	return n;
}
