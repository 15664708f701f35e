/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT / UICC hosting device's configuration, "roles.mt"
 * (daemon/e2md.yaml.example):
 *
 *	mt: { listen: ADDR, iccid: DIGITS, naf-ids: [FQDN, ...],
 *	      bsf-url: http://HOST[:PORT], label: ks_local_device,
 *	      keyring: "@u",
 *	      flows: [ { device-id: ID, device: IFNAME, teid: N,
 *			 key-id: 1, alg: 2 }, ... ] }
 *
 * listen takes the local interface over TCP (proto/local/); iccid names
 * the UICC, a software USIM in the store (e2mctl usim add): another
 * ICC_ID than the keys' wipes them at start (seed 001 7.5). naf-ids are
 * the NAF Key Centres' FQDNs, 1..LOCAL_NAF_IDS_MAX, in the order of
 * preference the device is told (EF_NAFKCA's). bsf-url is the BSF's Ub.
 * label is ks_local_device (TS 33.259, a remote device; the default) or
 * ks_local_mt (an external device of an MT). keyring is where each
 * Ks_local goes as a ks_local key (@u, @s, @p, @t, @us), or "none".
 * flows, 0..MT_FLOWS_MAX, each Device_ID once: the MT's end of that
 * device's local link (the MT's e2m device, the network side), as the
 * device's link has it: its TEID, the first of its two Key IDs (0..7,
 * default 1) and its algorithm (enum e2m_alg, 1..3, default 2); each
 * new Ks_local of that device is bound to it (mt_flow.h). A flow needs
 * a keyring.
 */
#ifndef E2MD_MT_CONFIG_H
#define E2MD_MT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"
#include "store/store.h"

enum mt_label {
	MT_LABEL_DEVICE = 0,	/* ks_local_device */
	MT_LABEL_MT = 1,	/* ks_local_mt */
};

#define MT_FLOWS_MAX		32
#define MT_KEY_ID_DEFAULT	1
#define MT_ALG_DEFAULT		2	/* E2M_ALG_AES */

struct config_mt_flow {
	char *device_id;
	char device[CONFIG_IFNAME_MAX + 1];
	uint32_t teid;
	uint8_t key_id;			/* the first of the two */
	uint8_t alg;			/* enum e2m_alg */
};

struct config_mt {
	unsigned int line;		/* of "mt:" */
	struct config_listen listen;	/* the local interface */
	char *iccid;
	struct config_names naf_ids;	/* FQDNs, in order */
	struct config_url bsf_url;	/* Ub, http:// */
	unsigned int label;		/* enum mt_label */
	char *keyring;			/* "@u" ..., or "none" */
	struct config_mt_flow *flows;
	size_t n_flows;
};

/* Whether a and b have the same flows, in the same order. */
bool mt_config_flows_equal(const struct config_mt *a,
			   const struct config_mt *b);

/* The MT's settings in config, NULL without roles.mt. */
const struct config_mt *config_mt(const struct config *config);

/* "ks_local_device" or "ks_local_mt". */
const char *mt_label_text(unsigned int label);

/* The role_ops schema of roles.mt: see roles.h. */
void mt_config_parse(struct yaml_walk *walk, const char *path,
		     yaml_node_t *value, unsigned int key_line, void *dest);
void mt_config_free(void *conf);
size_t mt_config_listens(const void *conf, struct role_config_listen *out,
			 size_t max);

#endif /* E2MD_MT_CONFIG_H */
