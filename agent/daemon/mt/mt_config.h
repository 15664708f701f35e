/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MT / UICC hosting device's configuration, "roles.mt"
 * (daemon/e2md.yaml.example):
 *
 *	mt: { listen: ADDR, iccid: DIGITS, naf-ids: [FQDN, ...],
 *	      bsf-url: http://HOST[:PORT], label: ks_local_device,
 *	      keyring: "@u" }
 *
 * listen takes the local interface over TCP (proto/local/); iccid names
 * the UICC, a software USIM in the store (e2mctl usim add): another
 * ICC_ID than the keys' wipes them at start (seed 001 7.5). naf-ids are
 * the NAF Key Centres' FQDNs, 1..LOCAL_NAF_IDS_MAX, in the order of
 * preference the device is told (EF_NAFKCA's). bsf-url is the BSF's Ub.
 * label is ks_local_device (TS 33.259, a remote device; the default) or
 * ks_local_mt (an external device of an MT). keyring is where each
 * Ks_local goes as a ks_local key (@u, @s, @p, @t, @us), or "none".
 */
#ifndef E2MD_MT_CONFIG_H
#define E2MD_MT_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"
#include "store/store.h"

enum mt_label {
	MT_LABEL_DEVICE = 0,	/* ks_local_device */
	MT_LABEL_MT = 1,	/* ks_local_mt */
};

struct config_mt {
	unsigned int line;		/* of "mt:" */
	struct config_listen listen;	/* the local interface */
	char *iccid;
	struct config_names naf_ids;	/* FQDNs, in order */
	struct config_url bsf_url;	/* Ub, http:// */
	unsigned int label;		/* enum mt_label */
	char *keyring;			/* "@u" ..., or "none" */
};

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
