// SPDX-License-Identifier: GPL-2.0
/*
 * e2md's configuration schema, see config.h: one table of keys per
 * mapping, one function per kind of value, then the checks that span
 * sections (what each role needs, addresses taken twice).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "config.h"
#include "crypto/fc.h"
#include "yaml_walk.h"

#define KEY(name, fn, type, field, flags) \
	{ (name), (fn), offsetof(type, field), (flags) }
#define N_KEYS(table) (sizeof(table) / sizeof((table)[0]))

void config_error(struct config_errors *errors, const char *file,
		  unsigned int line, const char *fmt, ...)
{
	char *text;
	int len;
	va_list ap;

	if (errors->count == CONFIG_ERRORS_MAX) {
		errors->dropped++;
		return;
	}
	text = errors->text[errors->count++];
	len = line ? snprintf(text, CONFIG_ERROR_LEN, "%s:%u: ", file, line) :
		     snprintf(text, CONFIG_ERROR_LEN, "%s: ", file);
	if (len < 0 || len >= CONFIG_ERROR_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(text + len, CONFIG_ERROR_LEN - (size_t)len, fmt, ap);
	va_end(ap);
}

/* ---- values -------------------------------------------------------- */

static void parse_level(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const char *const names[] = {
		"debug", "info", "warning", "error", NULL
	};
	enum log_level *level = dest;
	unsigned int index;

	(void)key_line;
	if (yaml_enum(walk, path, value, names, &index))
		log_level_parse(names[index], level);
}

/*
 * Absolute paths only: the daemon's working directory is nobody's
 * business, and a reload must mean the same files as the start.
 */
static bool path_value(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, char **out)
{
	if (!yaml_string(walk, path, value, out))
		return false;
	if ((*out)[0] != '/') {
		yaml_error(walk, yaml_line(value), path,
			   "must be an absolute path, not '%s'", *out);
		return false;
	}
	if (strlen(*out) >= PATH_MAX) {
		yaml_error(walk, yaml_line(value), path, "path too long");
		return false;
	}
	return true;
}

static void parse_file(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_file *file = dest;

	file->line = key_line;
	path_value(walk, path, value, &file->path);
}

static void parse_socket(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest)
{
	char **socket = dest;
	struct sockaddr_un sun;

	(void)key_line;
	if (path_value(walk, path, value, socket) &&
	    strlen(*socket) >= sizeof(sun.sun_path))
		yaml_error(walk, yaml_line(value), path,
			   "longer than the %zu octets a socket path may have",
			   sizeof(sun.sun_path) - 1);
}

static void parse_key_serial(struct yaml_walk *walk, const char *path,
			     yaml_node_t *value, unsigned int key_line,
			     void *dest)
{
	struct config_store *store = dest;
	uint64_t serial;

	store->key_serial_line = key_line;
	if (yaml_uint(walk, path, value, 1, INT32_MAX, &serial))
		store->key_serial = (int32_t)serial;
}

static void parse_listen(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_listen *listen = dest;
	const char *text;

	listen->line = key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	if (config_parse_listen(text, listen))
		yaml_error(walk, yaml_line(value), path,
			   "must be IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8443 or [::1]:8443, not '%s'",
			   text);
}

static bool name_value(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, char **out)
{
	if (!yaml_string(walk, path, value, out))
		return false;
	if (!config_dns_name_valid(*out)) {
		yaml_error(walk, yaml_line(value), path,
			   "must be a DNS name, not '%s'", *out);
		return false;
	}
	return true;
}

static void parse_name(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	(void)key_line;
	name_value(walk, path, value, dest);
}

static bool name_listed(const struct config_names *names, const char *name,
			size_t before)
{
	size_t i;

	for (i = 0; i < before; i++) {
		if (!strcasecmp(names->names[i], name))
			return true;
	}
	return false;
}

/* A list of peer names: certificate CNs or DNS names, each once. */
static void parse_names(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_names *names = dest;
	char item_path[YAML_PATH_MAX];
	yaml_node_item_t *items;
	size_t count, i;

	(void)key_line;
	if (!yaml_sequence(walk, path, value, &items, &count))
		return;
	names->names = calloc(count ? count : 1, sizeof(*names->names));
	if (!names->names) {
		yaml_error(walk, yaml_line(value), path, "out of memory");
		return;
	}
	for (i = 0; i < count; i++) {
		yaml_node_t *item = yaml_item(walk, items[i]);
		char **name = &names->names[names->count];

		yaml_path_index(item_path, sizeof(item_path), path, i);
		if (!yaml_string(walk, item_path, item, name))
			continue;
		names->count++;
		if (strlen(*name) > CONFIG_NAME_MAX)
			yaml_error(walk, yaml_line(item), item_path,
				   "longer than %d octets", CONFIG_NAME_MAX);
		else if (name_listed(names, *name, names->count - 1))
			yaml_error(walk, yaml_line(item), item_path,
				   "'%s' is listed twice", *name);
	}
}

static void parse_url(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_url *url = dest;
	const char *text;
	int ret;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	ret = config_parse_url(text, url);
	if (ret == -ENOMEM)
		yaml_error(walk, yaml_line(value), path, "out of memory");
	else if (ret)
		yaml_error(walk, yaml_line(value), path,
			   "must be https://HOST[:PORT], not '%s'", text);
}

static void parse_lifetime(struct yaml_walk *walk, const char *path,
			   yaml_node_t *value, unsigned int key_line,
			   void *dest)
{
	uint32_t *lifetime = dest;
	uint64_t seconds;

	(void)key_line;
	if (yaml_uint(walk, path, value, 1, CONFIG_KEY_LIFETIME_MAX, &seconds))
		*lifetime = (uint32_t)seconds;
}

/* ---- sections ------------------------------------------------------ */

static void parse_log(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		{ "level", parse_level, 0, 0 },
	};

	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  dest);
}

static void parse_store(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("path", parse_file, struct config_store, file,
		    YAML_KEY_REQUIRED),
		KEY("key-file", parse_file, struct config_store, key_file, 0),
		{ "key-serial", parse_key_serial, 0, 0 },
	};
	struct config_store *store = dest;

	store->present = true;
	store->line = key_line;
	if (!yaml_walk_mapping(walk, path, value, key_line, keys,
			       N_KEYS(keys), store))
		return;
	if (!store->key_file.line && !store->key_serial_line)
		yaml_error(walk, key_line, path,
			   "needs key-file or key-serial (the store key)");
	else if (store->key_file.line && store->key_serial_line)
		yaml_error(walk, store->key_serial_line, path,
			   "key-file and key-serial exclude each other");
}

static void parse_admin(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("socket", parse_socket, struct config_admin, socket, 0),
	};

	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  dest);
}

static void parse_tls(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("certificate", parse_file, struct config_tls, certificate,
		    YAML_KEY_REQUIRED),
		KEY("private-key", parse_file, struct config_tls, private_key,
		    YAML_KEY_REQUIRED),
		KEY("ca", parse_file, struct config_tls, ca,
		    YAML_KEY_REQUIRED),
	};
	struct config_tls *tls = dest;

	tls->present = true;
	tls->line = key_line;
	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  tls);
}

static void parse_window(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest)
{
	uint32_t *window = dest;
	uint64_t seconds;

	(void)key_line;
	if (yaml_uint(walk, path, value, 1, CONFIG_E2M_WINDOW_MAX, &seconds))
		*window = (uint32_t)seconds;
}

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

static void parse_hss_e2m(struct yaml_walk *walk, const char *path,
			  yaml_node_t *value, unsigned int key_line,
			  void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("window", parse_window, struct config_hss_e2m, window, 0),
		KEY("algorithm", parse_algorithm, struct config_hss_e2m,
		    algorithm, 0),
	};

	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  dest);
}

static void parse_hss(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("listen", parse_listen, struct config_hss, listen,
		    YAML_KEY_REQUIRED),
		KEY("clients", parse_names, struct config_hss, clients, 0),
		KEY("sn-clients", parse_names, struct config_hss, sn_clients,
		    0),
		KEY("hse-clients", parse_names, struct config_hss,
		    hse_clients, 0),
		KEY("e2m", parse_hss_e2m, struct config_hss, e2m, 0),
	};
	struct config_hss **hss = dest;

	*hss = calloc(1, sizeof(**hss));
	if (!*hss) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*hss)->line = key_line;
	(*hss)->e2m.window = CONFIG_E2M_WINDOW_DEFAULT;
	(*hss)->e2m.algorithm = E2M_ALG_AES;
	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  *hss);
}

static void parse_naf(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line,
		      struct config_naf *naf)
{
	static const struct yaml_key keys[] = {
		KEY("name", parse_name, struct config_naf, name,
		    YAML_KEY_REQUIRED),
	};

	naf->line = key_line;
	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  naf);
}

static void parse_nafs(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	struct config_bsf *bsf = dest;
	char item_path[YAML_PATH_MAX];
	yaml_node_item_t *items;
	size_t count, i, j;

	(void)key_line;
	if (!yaml_sequence(walk, path, value, &items, &count))
		return;
	bsf->nafs = calloc(count ? count : 1, sizeof(*bsf->nafs));
	if (!bsf->nafs) {
		yaml_error(walk, yaml_line(value), path, "out of memory");
		return;
	}
	bsf->n_nafs = count;
	for (i = 0; i < count; i++) {
		yaml_node_t *item = yaml_item(walk, items[i]);

		yaml_path_index(item_path, sizeof(item_path), path, i);
		parse_naf(walk, item_path, item, yaml_line(item),
			  &bsf->nafs[i]);
		for (j = 0; bsf->nafs[i].name && j < i; j++) {
			if (bsf->nafs[j].name &&
			    !strcasecmp(bsf->nafs[j].name, bsf->nafs[i].name))
				yaml_error(walk, bsf->nafs[i].line, item_path,
					   "NAF '%s' is listed twice",
					   bsf->nafs[i].name);
		}
	}
}

static void parse_bsf(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("name", parse_name, struct config_bsf, name,
		    YAML_KEY_REQUIRED),
		KEY("ub-listen", parse_listen, struct config_bsf, ub_listen,
		    YAML_KEY_REQUIRED),
		KEY("zn-listen", parse_listen, struct config_bsf, zn_listen,
		    YAML_KEY_REQUIRED),
		KEY("hss-url", parse_url, struct config_bsf, hss_url,
		    YAML_KEY_REQUIRED),
		KEY("key-lifetime", parse_lifetime, struct config_bsf,
		    key_lifetime, 0),
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
	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  *bsf);
}

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
	for (i = 0; i < 2 * CONFIG_SN_ID_LEN; i++) {
		if (!isxdigit((unsigned char)text[i]))
			break;
	}
	if (i != 2 * CONFIG_SN_ID_LEN || text[i]) {
		yaml_error(walk, yaml_line(value), path,
			   "must be the PLMN id in 6 hex digits (MCC 001, MNC 01: 00f110), not '%s'",
			   text);
		return;
	}
	for (i = 0; i < CONFIG_SN_ID_LEN; i++) {
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
static void check_sgw_sn_id(struct yaml_walk *walk, const char *path,
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

static void parse_ip_address(struct yaml_walk *walk, const char *path,
			     yaml_node_t *value, unsigned int key_line,
			     void *dest)
{
	char *out = dest;
	const char *text;
	struct in6_addr addr;
	int family = AF_INET;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	if (inet_pton(AF_INET, text, &addr) != 1) {
		family = AF_INET6;
		if (inet_pton(AF_INET6, text, &addr) != 1) {
			yaml_error(walk, yaml_line(value), path,
				   "must be an IPv4 or IPv6 address, not '%s'",
				   text);
			return;
		}
	}
	inet_ntop(family, &addr, out, CONFIG_IP_TEXT_MAX);
}

static void parse_port(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	uint16_t *port = dest;
	uint64_t n;

	(void)key_line;
	if (yaml_uint(walk, path, value, 1, UINT16_MAX, &n))
		*port = (uint16_t)n;
}

static void parse_gtpu(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("address", parse_ip_address, struct config_gtpu, address,
		    YAML_KEY_REQUIRED),
		KEY("port", parse_port, struct config_gtpu, port, 0),
	};
	struct config_gtpu *gtpu = dest;

	gtpu->line = key_line;
	gtpu->port = CONFIG_GTPU_PORT;
	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  gtpu);
}

static void parse_pool(struct yaml_walk *walk, const char *path,
		       yaml_node_t *value, unsigned int key_line, void *dest)
{
	const char *text;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	if (config_parse_ipv4_pool(text, dest))
		yaml_error(walk, yaml_line(value), path,
			   "must be IPV4/PREFIX with the host bits zero and a prefix of %d to %d, e.g. 10.45.0.0/16, not '%s'",
			   CONFIG_POOL_PREFIX_MIN, CONFIG_POOL_PREFIX_MAX,
			   text);
}

static void parse_sgw(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("attach-listen", parse_listen, struct config_sgw,
		    attach_listen, YAML_KEY_REQUIRED),
		KEY("hss-url", parse_url, struct config_sgw, hss_url,
		    YAML_KEY_REQUIRED),
		KEY("hse-url", parse_url, struct config_sgw, hse_url,
		    YAML_KEY_REQUIRED),
		KEY("aka", parse_aka, struct config_sgw, aka, 0),
		{ "sn-id", parse_sn_id, 0, 0 },
		KEY("hse-gtpu", parse_gtpu, struct config_sgw, hse_gtpu,
		    YAML_KEY_REQUIRED),
		KEY("inner-ipv4-pool", parse_pool, struct config_sgw,
		    inner_ipv4_pool, YAML_KEY_REQUIRED),
	};
	struct config_sgw **sgw = dest;

	*sgw = calloc(1, sizeof(**sgw));
	if (!*sgw) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*sgw)->line = key_line;
	if (!yaml_walk_mapping(walk, path, value, key_line, keys,
			       N_KEYS(keys), *sgw))
		return;
	check_sgw_sn_id(walk, path, key_line, *sgw);
}

/* A network interface name: 1..15 octets, no '/', ':' or white space. */
static void parse_device(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line, void *dest)
{
	char *device = dest;
	const char *text;
	size_t len, i;

	(void)key_line;
	if (!yaml_scalar(walk, path, value, &text))
		return;
	len = strlen(text);
	for (i = 0; i < len; i++)
		if (text[i] == '/' || text[i] == ':' ||
		    !isgraph((unsigned char)text[i]))
			break;
	if (!len || len > CONFIG_IFNAME_MAX || i < len) {
		yaml_error(walk, yaml_line(value), path,
			   "must be an interface name of 1..%d octets",
			   CONFIG_IFNAME_MAX);
		return;
	}
	memcpy(device, text, len + 1);
}

static void parse_hse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("triplet-listen", parse_listen, struct config_hse,
		    triplet_listen, YAML_KEY_REQUIRED),
		KEY("clients", parse_names, struct config_hse, clients, 0),
		KEY("hss-url", parse_url, struct config_hse, hss_url,
		    YAML_KEY_REQUIRED),
		KEY("device", parse_device, struct config_hse, device,
		    YAML_KEY_REQUIRED),
		KEY("key-lifetime", parse_lifetime, struct config_hse,
		    key_lifetime, 0),
	};
	struct config_hse **hse = dest;

	*hse = calloc(1, sizeof(**hse));
	if (!*hse) {
		yaml_error(walk, key_line, path, "out of memory");
		return;
	}
	(*hse)->line = key_line;
	(*hse)->key_lifetime = CONFIG_KEY_LIFETIME_DEFAULT;
	yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			  *hse);
}

/* A role this e2md knows of but cannot run yet. */
static void parse_role_later(struct yaml_walk *walk, const char *path,
			     yaml_node_t *value, unsigned int key_line,
			     void *dest)
{
	(void)value;
	(void)dest;
	yaml_error(walk, key_line, path,
		   "this role is not available in this e2md yet");
}

static void parse_roles(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest)
{
	static const struct yaml_key keys[] = {
		KEY("hss", parse_hss, struct config_roles, hss, 0),
		KEY("bsf", parse_bsf, struct config_roles, bsf, 0),
		KEY("sgw", parse_sgw, struct config_roles, sgw, 0),
		{ "ue", parse_role_later, 0, 0 },
		KEY("hse", parse_hse, struct config_roles, hse, 0),
	};
	struct config_roles *roles = dest;

	roles->line = key_line;
	if (yaml_walk_mapping(walk, path, value, key_line, keys, N_KEYS(keys),
			      roles) &&
	    value->data.mapping.pairs.top == value->data.mapping.pairs.start)
		yaml_error(walk, key_line, path, "no role configured");
}

static const struct yaml_key top_keys[] = {
	KEY("log", parse_log, struct config, log_level, 0),
	KEY("store", parse_store, struct config, store, 0),
	KEY("admin", parse_admin, struct config, admin, 0),
	KEY("tls", parse_tls, struct config, tls, 0),
	KEY("roles", parse_roles, struct config, roles, YAML_KEY_REQUIRED),
};

/* ---- checks across sections ---------------------------------------- */

/* What a role needs of the other sections. */
static void check_role_needs(struct yaml_walk *walk, const struct config *c,
			     const char *role, unsigned int line,
			     const char *store_keeps)
{
	char path[YAML_PATH_MAX];

	yaml_path_key(path, sizeof(path), "roles", role);
	if (!c->store.present)
		yaml_error(walk, line, path, "needs a store section (%s)",
			   store_keeps);
	if (!c->tls.present)
		yaml_error(walk, line, path,
			   "needs a tls section (its peers use mutual TLS)");
}

struct named_listen {
	const char *path;
	const struct config_listen *listen;
};

/* hss, bsf ub and zn, sgw, hse: a role's new listener goes here too. */
#define CONFIG_LISTENERS	5

/* No two listeners on one port: the second bind would fail at start. */
static void check_listeners(struct yaml_walk *walk, const struct config *c)
{
	struct named_listen all[CONFIG_LISTENERS];
	size_t n = 0, i, j;

	if (c->roles.hss && c->roles.hss->listen.addr_len)
		all[n++] = (struct named_listen){ "roles.hss.listen",
						  &c->roles.hss->listen };
	if (c->roles.bsf && c->roles.bsf->ub_listen.addr_len)
		all[n++] = (struct named_listen){ "roles.bsf.ub-listen",
						  &c->roles.bsf->ub_listen };
	if (c->roles.bsf && c->roles.bsf->zn_listen.addr_len)
		all[n++] = (struct named_listen){ "roles.bsf.zn-listen",
						  &c->roles.bsf->zn_listen };
	if (c->roles.sgw && c->roles.sgw->attach_listen.addr_len)
		all[n++] = (struct named_listen){ "roles.sgw.attach-listen",
						  &c->roles.sgw->attach_listen };
	if (c->roles.hse && c->roles.hse->triplet_listen.addr_len)
		all[n++] = (struct named_listen){
			"roles.hse.triplet-listen",
			&c->roles.hse->triplet_listen };
	for (i = 1; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (config_listen_overlap(all[i].listen, all[j].listen))
				yaml_error(walk, all[i].listen->line,
					   all[i].path,
					   "%s takes the port of %s (%s)",
					   all[i].listen->text, all[j].path,
					   all[j].listen->text);
		}
	}
}

static void check_config(struct yaml_walk *walk, const struct config *c)
{
	/* What each keeps in the store says why it needs one. */
	if (c->roles.hss)
		check_role_needs(walk, c, "hss", c->roles.hss->line,
				 "subscribers and sessions");
	if (c->roles.bsf)
		check_role_needs(walk, c, "bsf", c->roles.bsf->line,
				 "subscribers and sessions");
	if (c->roles.sgw)
		check_role_needs(walk, c, "sgw", c->roles.sgw->line,
				 "the UEs' KSIs, addresses and contexts");
	if (c->roles.hse)
		check_role_needs(walk, c, "hse", c->roles.hse->line,
				 "the flows it installed");
	check_listeners(walk, c);
}

/* ---- loading --------------------------------------------------------- */

static struct config *config_new(const char *file)
{
	struct config *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->log_level = LOG_LEVEL_INFO;
	c->file = strdup(file);
	if (!c->file) {
		free(c);
		return NULL;
	}
	return c;
}

int config_load(const char *file, struct config **config,
		struct config_errors *errors)
{
	struct yaml_walk walk;
	struct config *c;
	yaml_node_t *root;
	int ret;

	memset(errors, 0, sizeof(*errors));
	*config = NULL;
	c = config_new(file);
	if (!c)
		return -ENOMEM;
	ret = yaml_walk_load(&walk, file, errors);
	root = yaml_walk_root(&walk);
	if (!ret && root) {
		yaml_walk_mapping(&walk, "", root, yaml_line(root), top_keys,
				  N_KEYS(top_keys), c);
		check_config(&walk, c);
	}
	yaml_walk_free(&walk);
	if (!ret && !errors->count && !c->admin.socket) {
		c->admin.socket = strdup(CONFIG_DEFAULT_SOCKET);
		if (!c->admin.socket)
			ret = -ENOMEM;
	}
	if (ret == -ENOMEM || errors->count) {
		config_free(c);
		return ret == -ENOMEM ? ret : -EINVAL;
	}
	*config = c;
	return 0;
}

static void names_free(struct config_names *names)
{
	size_t i;

	for (i = 0; i < names->count; i++)
		free(names->names[i]);
	free(names->names);
}

static void hse_free(struct config_hse *hse)
{
	if (!hse)
		return;
	names_free(&hse->clients);
	free(hse->hss_url.text);
	free(hse->hss_url.host);
	free(hse);
}

static void bsf_free(struct config_bsf *bsf)
{
	size_t i;

	if (!bsf)
		return;
	free(bsf->name);
	free(bsf->hss_url.text);
	free(bsf->hss_url.host);
	for (i = 0; i < bsf->n_nafs; i++)
		free(bsf->nafs[i].name);
	free(bsf->nafs);
	free(bsf);
}

static void sgw_free(struct config_sgw *sgw)
{
	if (!sgw)
		return;
	free(sgw->hss_url.text);
	free(sgw->hss_url.host);
	free(sgw->hse_url.text);
	free(sgw->hse_url.host);
	free(sgw);
}

void config_free(struct config *c)
{
	if (!c)
		return;
	free(c->file);
	free(c->store.file.path);
	free(c->store.key_file.path);
	free(c->admin.socket);
	free(c->tls.certificate.path);
	free(c->tls.private_key.path);
	free(c->tls.ca.path);
	if (c->roles.hss) {
		names_free(&c->roles.hss->clients);
		names_free(&c->roles.hss->sn_clients);
		names_free(&c->roles.hss->hse_clients);
	}
	free(c->roles.hss);
	bsf_free(c->roles.bsf);
	sgw_free(c->roles.sgw);
	hse_free(c->roles.hse);
	free(c);
}

size_t config_roles(const struct config *c, const char **names, size_t max)
{
	size_t n = 0;

	if (c->roles.hss && n < max)
		names[n++] = "hss";
	if (c->roles.bsf && n < max)
		names[n++] = "bsf";
	if (c->roles.sgw && n < max)
		names[n++] = "sgw";
	if (c->roles.hse && n < max)
		names[n++] = "hse";
	return n;
}
