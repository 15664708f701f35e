/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The M2M Authentication Function's configuration, "roles.maf"
 * (daemon/e2md.yaml.example):
 *
 *	maf: { name: FQDN, listen: ADDR, mef-url: https://HOST[:PORT],
 *	       zn-url: https://HOST[:PORT], dtls-listen: ADDR,
 *	       dtls-sessions: N, gba-listen: ADDR, gba-dtls-listen: ADDR,
 *	       as: maf | enrolee-b,
 *	       km-pull: BOOL, handoff: { uid: N, gid: N } }
 *
 * name is the MAF's FQDN, the domain of every Km-Id (PROFILE.md 6);
 * listen takes the Enrolees' TLS 1.2 PSK handshakes (psk_identity =
 * Km-Id, psk = Km); mef-url is the MEF's km-listen, reached over mutual
 * TLS with the tls section's certificate (whose DNS name is the MAF-ID
 * the MEF checks). zn-url is a BSF's Zn (the GBA-based framework,
 * TS-0003 8.3.3.1: the MEF plays the BSF), reached the same way: the
 * certificate must name the MAF's FQDN (name) and the BSF must list it
 * in bsf.nafs. At least one of mef-url and zn-url. dtls-listen (optional) takes the same handshake over
 * DTLS 1.2 on UDP (maf_dtls.h), at most dtls-sessions (1..1024, default
 * 256) at once. A change of listen, dtls-listen or dtls-sessions needs
 * a restart, and so does adding or removing mef-url or zn-url; name and
 * the two URLs apply from the next fetch.
 *
 * gba-listen (optional, needs zn-url) takes the Enrolees' GBA PSK-TLS
 * handshakes, psk_identity "3GPP-bootstrapping" || B-TID, whose Km is
 * pulled over Zn during the handshake (maf_gba.h); gba-dtls-listen
 * (optional, needs zn-url) the same over DTLS 1.2 on UDP
 * (maf_gba_dtls.h), its sessions bounded by dtls-sessions as well. A
 * change of either needs a restart.
 *
 * as: enrolee-b makes the node an Enrolee B: with zn-url as NAF
 * (TS-0003 8.3.3.1), with mef-url by Centralized Key Distribution
 * (8.3.2.1, POST /onem2m/v1/kpsa, the certificate's DNS name the
 * Enrolee-B-ID the MEF checks); the same fetch, listeners and store,
 * with the key Kpsa and its id Kpsa-Id ("KpsaId", PROFILE.md 6) in place
 * of Km and Km-Id. A change of as needs a restart: the keys held, their
 * ids and the answers' members are of one kind.
 *
 * handoff (optional) also gives each key kept to the application of
 * uid (1..4294967294) through uid's persistent keyring (maf_handoff.h);
 * gid (optional) is the group the key is made under, by default uid's
 * primary group (passwd), else the number of uid. A change of it needs
 * a restart, which hands the live keys to the new uid.
 */
#ifndef E2MD_MAF_CONFIG_H
#define E2MD_MAF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"

/* What the node is to the Enrolees: roles.maf.as. */
enum maf_as {
	MAF_AS_MAF,			/* Km, Km-Id */
	MAF_AS_ENROLEE_B,		/* Kpsa, Kpsa-Id */
};

/* roles.maf.handoff.gid absent: the uid's primary group. */
#define MAF_HANDOFF_GID_PASSWD	UINT32_MAX

struct config_maf_handoff {
	unsigned int line;		/* of "handoff:"; 0: none */
	uint32_t uid;
	uint32_t gid;			/* or MAF_HANDOFF_GID_PASSWD */
};

struct config_maf {
	unsigned int line;		/* of "maf:" */
	enum maf_as as;
	char *name;			/* FQDN, of the Km-Ids */
	struct config_listen listen;	/* TLS 1.2 PSK, from Enrolees */
	struct config_url mef_url;	/* the MEF's km-listen; text NULL: none */
	struct config_url zn_url;	/* a BSF's Zn; text NULL: none */
	struct config_listen dtls_listen;	/* DTLS 1.2 PSK; line 0: none */
	size_t dtls_sessions;		/* the bound of DTLS sessions */
	struct config_listen gba_listen;	/* GBA PSK-TLS; line 0: none */
	struct config_listen gba_dtls_listen;	/* GBA PSK-DTLS; 0: none */
	bool km_pull;		/* listen's, dtls-listen's pulls (MEF) */
	struct config_maf_handoff handoff;	/* the keys to an application */
};

/* The MAF's settings in config, NULL without roles.maf. */
const struct config_maf *config_maf(const struct config *config);

/* The role_ops schema of roles.maf: see roles.h. */
void maf_config_parse(struct yaml_walk *walk, const char *path,
		      yaml_node_t *value, unsigned int key_line, void *dest);
void maf_config_free(void *conf);
size_t maf_config_listens(const void *conf, struct role_config_listen *out,
			  size_t max);

#endif /* E2MD_MAF_CONFIG_H */
