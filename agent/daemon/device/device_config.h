/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device role's configuration, "roles.device"
 * (daemon/e2md.yaml.example, e2md.yaml(5)):
 *
 *	device: { device-id: ID, psk-file: ABSOLUTE-PATH,
 *		  (or certificate:, private-key:, ca: ABSOLUTE-PATH),
 *		  label: ks_local_device, keyring: "@u", timeout: 10,
 *		  links: [ { mt: HOST:PORT, naf-id: FQDN,
 *			     key-centre: HOST:PORT,
 *			     flow: { device: IFNAME, teid: N,
 *				     key-id: 1, alg: 2 } }, ... ] }
 *
 * device-id is the device's Device_ID; psk-file holds its PSK with the
 * Key Centres (psk=HEX, 64 hex digits, a file no group or other may
 * read), read at each run; or, instead, certificate and private-key, the
 * device's certificate (from the Key Centre's device CA, naming the
 * Device_ID as its one subjectAltName URI) and its key (a file no group
 * or other may use), and ca, what the Key Centre's certificate must chain
 * to: exactly one of the two credentials, loaded at each run. label is ks_local_device (a remote device; the
 * default) or ks_local_mt (an external device of an MT). keyring takes
 * each Ks_local as a ks_local key (@u, @s, @p, @t, @us), or "none" (the
 * store only: no flow then). timeout is each step's, in seconds (1..600).
 * links, 1..DEVICE_LINKS_MAX, each an (MT, NAF Key Centre) pair, each
 * pair once: the MT's local interface, the Key Centre's FQDN and where it
 * is reached (FQDN:443 when not given); flow, the e2m flow of the local
 * link the key is bound to (the device's e2m device has the role ue):
 * its TEID, the first of its two Key IDs (0..7, default 1) and its
 * algorithm (enum e2m_alg, 1..3, default 2: NEA2/NIA2).
 */
#ifndef E2MD_DEVICE_CONFIG_H
#define E2MD_DEVICE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"
#include "util/dns_name.h"

#define DEVICE_LINKS_MAX	8
#define DEVICE_TIMEOUT_DEFAULT	10	/* seconds */
#define DEVICE_TIMEOUT_MAX	600
#define DEVICE_KEY_ID_DEFAULT	1
#define DEVICE_ALG_DEFAULT	2	/* E2M_ALG_AES */
#define DEVICE_KEYRING_DEFAULT	"@u"

enum device_label {
	DEVICE_LABEL_DEVICE = 0,	/* ks_local_device */
	DEVICE_LABEL_MT = 1,		/* ks_local_mt */
};

struct config_device_flow {
	bool present;
	char device[CONFIG_IFNAME_MAX + 1];
	uint32_t teid;
	uint8_t key_id;			/* the first of the two */
	uint8_t alg;			/* enum e2m_alg */
};

struct config_device_link {
	char *name;			/* "FQDN via MT": each pair once */
	char *mt;			/* as written, HOST:PORT */
	char mt_host[DNS_NAME_MAX + 1];
	uint16_t mt_port;
	char *naf_id;			/* the Key Centre's FQDN */
	bool has_key_centre;
	char kc_host[DNS_NAME_MAX + 1];
	uint16_t kc_port;
	struct config_device_flow flow;
};

struct config_device {
	unsigned int line;		/* of "device:" */
	char *device_id;
	struct config_file psk_file;	/* or the three below */
	struct config_file certificate;
	struct config_file private_key;
	struct config_file ca;
	unsigned int label;		/* enum device_label */
	char *keyring;			/* "@u" ..., or "none" */
	unsigned int timeout;
	struct config_device_link *links;
	size_t n_links;
};

/*
 * The e2m devices the links' flows are on, each once, into out (at most
 * max): the metrics' kernel series (role_ops.kernel_devices).
 */
size_t device_config_devices(const void *conf, const char **out, size_t max);

/* The device's settings in config, NULL without roles.device. */
const struct config_device *config_device(const struct config *config);

/* "ks_local_device" or "ks_local_mt". */
const char *device_label_text(unsigned int label);

/* Whether a and b are the same settings (every key). */
bool device_config_equal(const struct config_device *a,
			 const struct config_device *b);

/* The role_ops schema of roles.device: see roles.h. */
void device_config_parse(struct yaml_walk *walk, const char *path,
			 yaml_node_t *value, unsigned int key_line,
			 void *dest);
void device_config_free(void *conf);

#endif /* E2MD_DEVICE_CONFIG_H */
