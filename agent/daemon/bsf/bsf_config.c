// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.bsf, see bsf_config.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsf_config.h"
#include "role_bsf.h"
#include "util/host_port.h"

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

/* text as gsup://ADDRESS:PORT into hlr (text not kept); 0 or -EINVAL. */
static int parse_hlr_url(const char *text, struct config_hlr *hlr)
{
	char host[DNS_NAME_MAX + 1];
	struct in6_addr addr;
	size_t scheme = strlen(BSF_HLR_SCHEME);

	if (strncmp(text, BSF_HLR_SCHEME, scheme) ||
	    host_port_parse(text + scheme, host, &hlr->port))
		return -EINVAL;
	if (inet_pton(AF_INET, host, &addr) != 1 &&
	    (inet_pton(AF_INET6, host, &addr) != 1 || text[scheme] != '['))
		return -EINVAL;
	/* An address in text form is shorter than INET6_ADDRSTRLEN. */
	if (strlen(host) >= sizeof(hlr->address))
		return -EINVAL;
	memcpy(hlr->address, host, strlen(host) + 1);
	return 0;
}

#define BSF_OF(dest, member) \
	((struct config_bsf *)((char *)(dest) - offsetof(struct config_bsf, member)))

static void parse_hss_url(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line, void *dest)
{
	BSF_OF(dest, hss_url)->sources++;
	config_value_url(walk, path, value, key_line, dest);
}

static void parse_hlr(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_hlr *hlr = dest;
	const char *text;

	(void)key_line;
	BSF_OF(dest, hlr)->sources++;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	if (parse_hlr_url(text, hlr)) {
		yaml_error(walk, yaml_line(value), path,
			   "must be gsup://ADDRESS:PORT (an IPv4 or [IPv6] address), not '%s'",
			   text);
		return;
	}
	hlr->text = strdup(text);
	if (!hlr->text)
		yaml_error(walk, yaml_line(value), path, "out of memory");
}

/* One source of vectors: hss-url or hlr, not both, not neither. */
static void check_source(struct yaml_walk *walk, const char *path,
			 unsigned int key_line, const struct config_bsf *bsf)
{
	if (bsf->sources > 1)
		yaml_error(walk, key_line, path,
			   "hss-url and hlr exclude each other: the vectors come from one");
	else if (!bsf->sources)
		yaml_error(walk, key_line, path,
			   "missing key 'hss-url' or 'hlr'");
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
		CONFIG_KEY("hss-url", parse_hss_url, struct config_bsf,
			   hss_url, 0),
		CONFIG_KEY("hlr", parse_hlr, struct config_bsf, hlr, 0),
		CONFIG_LIFETIME("key-lifetime", struct config_bsf,
				key_lifetime, 0),
		CONFIG_NUMBER("ub-source-rate", struct config_bsf,
			      ub_source_rate, 1, BSF_UB_SOURCE_RATE_MAX, 0),
		CONFIG_NUMBER("ub-impi-window", struct config_bsf,
			      ub_impi_window, 0, BSF_UB_IMPI_WINDOW_MAX, 0),
		{ .key = "nafs", .parse = parse_nafs },
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
	check_source(walk, path, key_line, *bsf);
}

void bsf_config_free(void *conf)
{
	struct config_bsf *bsf = conf;
	size_t i;

	if (!bsf)
		return;
	free(bsf->name);
	config_url_free(&bsf->hss_url);
	free(bsf->hlr.text);
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

/*
 * Ub's challenges and IMPI windows go through the store on several
 * workers (bsf_shared.h), Zh is a call per challenge; but an HLR knows
 * the BSF by one GSUP peer, bsf.name, and gives that peer one IND
 * (vector_gsup.c): N workers would be N peers of one name.
 */
const char *bsf_workers_refused(const void *conf)
{
	const struct config_bsf *bsf = conf;

	if (bsf->hlr.text)
		return "hlr: the HLR knows the BSF as one GSUP peer (bsf.name),"
		       " each worker would be another";
	return NULL;
}
