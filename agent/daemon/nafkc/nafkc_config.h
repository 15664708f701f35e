/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAF Key Centre's configuration, "roles.nafkc"
 * (daemon/e2md.yaml.example):
 *
 *	nafkc: { name: FQDN, listen: ADDR, bsf-url: https://HOST[:PORT],
 *		 key-lifetime: SECONDS,
 *		 device-auth: [psk, certificate], device-ca: ABSOLUTE-PATH,
 *		 gba-listen: ADDR, zn-cache: ENTRIES }
 *
 * device-auth says how devices on listen authenticate, one or both in
 * one handshake (net/tls_psk.h): psk, their pre-provisioned PSK (the
 * default, [psk]); certificate, a certificate that chains to device-ca
 * (PEM), which is then required, and names the Device_ID (role_nafkc.h).
 * device-ca without certificate is an error. A change of either needs a
 * restart.
 *
 * gba-listen (optional) is a second listener, for UEs that hold a
 * bootstrap: GBA PSK-TLS (daemon/nafkc/nafkc_gba.h), the PSK their
 * Ks_(ext)_NAF for name || the Ua id of the TLS suite, pulled over Zn.
 * A change needs a restart.
 *
 * zn-cache (default NAFKC_ZN_CACHE_DEFAULT, 0 to NAFKC_ZN_CACHE_MAX) is
 * how many Zn answers the Key Centre keeps for their bootstrap's key
 * lifetime (nafkc_zn_cache.h); 0 keeps none: every request pulls. A
 * reload (SIGHUP) starts an empty cache of the size it reads: what was
 * kept is forgotten.
 *
 * name is its FQDN: its NAF_Id is name || FF 00 00 00 01 (PROFILE.md 5),
 * and the tls section's certificate must name it (the BSF checks that on
 * Zn). listen takes the devices' PSK-TLS; key-lifetime caps a Ks_local's
 * lifetime (the bootstrap's remaining lifetime caps it too).
 */
#ifndef E2MD_NAFKC_CONFIG_H
#define E2MD_NAFKC_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/config_values.h"
#include "daemon/roles.h"

/* How devices authenticate, device-auth's methods. */
enum {
	NAFKC_AUTH_PSK = 1 << 0,
	NAFKC_AUTH_CERTIFICATE = 1 << 1,
};

struct config_nafkc {
	unsigned int line;		/* of "nafkc:" */
	char *name;			/* FQDN, of the NAF_Id */
	struct config_listen listen;	/* PSK-TLS, from devices */
	struct config_url bsf_url;	/* Zn, to the BSF */
	uint32_t key_lifetime;		/* seconds, the most a key gets */
	struct nafkc_device_auth {
		unsigned int methods;	/* NAFKC_AUTH_* or-ed, not 0 */
		unsigned int line;	/* of the key, 0 when not given */
	} device_auth;
	struct config_file device_ca;	/* PEM, for NAFKC_AUTH_CERTIFICATE */
	struct config_listen gba_listen;	/* line 0: none */
	size_t zn_cache;		/* entries, 0: no Zn cache */
};

/* The NAF Key Centre's settings in config, NULL without roles.nafkc. */
const struct config_nafkc *config_nafkc(const struct config *config);

/* The role_ops schema of roles.nafkc: see roles.h. */
void nafkc_config_parse(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, unsigned int key_line, void *dest);
void nafkc_config_free(void *conf);
size_t nafkc_config_listens(const void *conf, struct role_config_listen *out,
			    size_t max);

#endif /* E2MD_NAFKC_CONFIG_H */
