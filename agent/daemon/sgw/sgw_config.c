// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of roles.sgw, see sgw_config.h.
 */
#include <ctype.h>
#include <stdlib.h>

#include "crypto/fc.h"
#include "role_sgw.h"
#include "sgw_config.h"

static void parse_aka(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const char *const names[] = { "umts", "eps", "5g", NULL };
	enum e2m_aka_kind *aka = dest;
	unsigned int index;

	(void)key_line;
	if (yaml_enum(walk, path, value, names, &index))
		e2m_aka_kind_parse(names[index], aka);
}

/* The PLMN id as the SN id of TS 33.401 A.2 has it: 3 octets in hex. */
static void parse_sn_id(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_sgw *sgw = dest;
	const char *text;
	size_t i;

	sgw->sn_id_line = key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	for (i = 0; i < 2 * SGW_SN_ID_LEN; i++) {
		if (!isxdigit((unsigned char)text[i]))
			break;
	}
	if (i != 2 * SGW_SN_ID_LEN || text[i]) {
		yaml_error(walk, yaml_line(value), path,
			   "must be the PLMN id in 6 hex digits (MCC 001, MNC 01: 00f110), not '%s'",
			   text);
		return;
	}
	for (i = 0; i < SGW_SN_ID_LEN; i++) {
		char octet[3] = { text[2 * i], text[2 * i + 1], '\0' };

		sgw->sn_id[i] = (uint8_t)strtoul(octet, NULL, 16);
	}
	sgw->has_sn_id = true;
}

/*
 * EPS and 5G need the PLMN id (the SN id of KASME; the serving network
 * name of 5G is made of it, so there it must be BCD); UMTS has no use
 * for one.
 */
static void check_sn_id(struct yaml_walk *walk, const char *path,
			unsigned int key_line, const struct config_sgw *sgw)
{
	const char *aka = e2m_aka_kind_name(sgw->aka);
	char snn[SNN_MAX + 1];

	if (sgw->aka != E2M_AKA_UMTS && !sgw->sn_id_line)
		yaml_error(walk, key_line, path,
			   "aka %s needs sn-id (the serving network's PLMN id)",
			   aka);
	else if (sgw->aka == E2M_AKA_UMTS && sgw->sn_id_line)
		yaml_error(walk, sgw->sn_id_line, path,
			   "sn-id is for aka eps and 5g only");
	else if (sgw->aka == E2M_AKA_5G && sgw->has_sn_id &&
		 snn_from_plmn(snn, sizeof(snn), sgw->sn_id))
		yaml_error(walk, sgw->sn_id_line, path,
			   "sn-id of aka 5g must be a PLMN id in BCD digits (the serving network name is made of it)");
}

static void parse_gtpu(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("address", config_value_ip_address,
			   struct config_gtpu, address, YAML_KEY_REQUIRED),
		CONFIG_NUMBER("port", struct config_gtpu, port, 1,
			      UINT16_MAX, 0),
	};
	struct config_gtpu *gtpu = dest;

	gtpu->line = key_line;
	gtpu->port = CONFIG_GTPU_PORT;
	yaml_walk_mapping(walk, path, value, key_line, keys,
			  CONFIG_N_KEYS(keys), gtpu);
}

void sgw_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		CONFIG_KEY("attach-listen", config_value_listen,
			   struct config_sgw, attach_listen,
			   YAML_KEY_REQUIRED),
		CONFIG_KEY("hss-url", config_value_url, struct config_sgw,
			   hss_url, YAML_KEY_REQUIRED),
		CONFIG_KEY("hse-url", config_value_url, struct config_sgw,
			   hse_url, YAML_KEY_REQUIRED),
		CONFIG_KEY("aka", parse_aka, struct config_sgw, aka, 0),
		{ .key = "sn-id", .parse = parse_sn_id },
		CONFIG_KEY("hse-gtpu", parse_gtpu, struct config_sgw, hse_gtpu,
			   YAML_KEY_REQUIRED),
		CONFIG_KEY("inner-ipv4-pool", config_value_pool,
			   struct config_sgw, inner_ipv4_pool,
			   YAML_KEY_REQUIRED),
	};
	struct config_sgw **sgw = dest;

	*sgw = calloc(1, sizeof(**sgw));
	if (!*sgw) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*sgw)->line = key_line;
	if (!yaml_walk_mapping(walk, path, value, key_line, keys,
			       CONFIG_N_KEYS(keys), *sgw))
		return;
	check_sn_id(walk, path, key_line, *sgw);
}

void sgw_config_free(void *conf)
{
	struct config_sgw *sgw = conf;

	if (!sgw)
		return;
	config_url_free(&sgw->hss_url);
	config_url_free(&sgw->hse_url);
	free(sgw);
}

size_t sgw_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max)
{
	const struct config_sgw *sgw = conf;

	if (!max)
		return 0;
	out[0] = (struct role_config_listen){ "attach-listen",
					      &sgw->attach_listen };
	return 1;
}

const struct config_sgw *config_sgw(const struct config *config)
{
	return config_role(config, &role_sgw);
}
