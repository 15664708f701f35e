/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A remote / external device establishes its Ks_local (TS 33.259 4.5.2
 * steps 1-18, seed 001 8.1 and 8.3; Documentation/local-key-establishment.md):
 * local_key_plan.h decides, this file carries it out:
 *
 *	the device's rows from its store; a stored key it may use is used
 *	(installed into the keyring again, the completion notice sent
 *	again, where the plan says so) and nothing else happens;
 *	else a link to the MT (ue/local_client.h): the NAF-ID list (step
 *	2-4) unless the device knows its NAF-ID, the B-TID request (5-9);
 *	TLS to that Key Centre with the device's PSK or certificate and the
 *	service request (10-16, ue/nafkc_client.h); the answer checked;
 *	the key into the keyring as a ks_local key whose expiry is its
 *	lifetime (where asked) unless it is the stored key's bytes again
 *	(the same B-TID: that key kept, its expiry moved on, as
 *	local_key_plan_keep() says), then into the store, sealed (17), a key
 *	it replaces revoked only then (make before break; or left to the
 *	caller, conf->keep_replaced); the completion
 *	notice to the MT (18), marked in the store once acknowledged.
 *
 * A refusal of the MT or the Key Centre leaves the store and the keyring
 * as they were; why names who refused and its token. A completion notice
 * that fails leaves the key stored and installed (the device has it; the
 * next run sends the notice again) and is still an error.
 *
 * Blocking, each step with a timeout: for e2mctl and tests.
 */
#ifndef E2M_UE_LOCAL_KEY_H
#define E2M_UE_LOCAL_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include <keyutils.h>

#include "local_key_plan.h"
#include "nafkc_client.h"
#include "store/store.h"

#define LOCAL_KEY_WHY_MAX	(NAFKC_CLIENT_WHY_MAX + 128)
#define LOCAL_KEY_ROWS_MAX	64	/* of one store: more are not read */
#define LOCAL_KEY_KC_PORT	443	/* of a Key Centre named only */

/* Where the device reaches the Key Centre of one of its own NAF-IDs. */
struct local_key_centre {
	const char *naf_id;	/* FQDN */
	const char *host;	/* NULL: the FQDN */
	uint16_t port;		/* 0: LOCAL_KEY_KC_PORT */
};

struct local_key_conf {
	struct local_key_plan_conf plan;
	const char *mt_host;
	uint16_t mt_port;
	const struct local_key_centre *centres;	/* one per own NAF-ID */
	/* The credential, TLS version and timeout; host, port and identity
	 * are set for each request. */
	struct nafkc_client_conf tls;
	key_serial_t keyring;		/* where plan.kernel puts the key */
	unsigned int timeout;		/* seconds, the MT's; 0: default */
	/*
	 * The key a new one replaces is left alive, its serial in
	 * result->replaced: the caller moves its flow to the new key first
	 * and revokes it then (make before break on the link).
	 */
	bool keep_replaced;
};

enum local_key_how {
	LOCAL_KEY_STORED,		/* a stored key, no procedure */
	LOCAL_KEY_ESTABLISHED,		/* steps 2-18 run */
};

struct local_key_result {
	/*
	 * 0, or -EPERM (the MT or the Key Centre refused), -EPROTO (an
	 * answer that is not one), -ENODEV (no ks_local key type: the e2m
	 * module is not loaded), -ENOENT (no NAF-ID of the MT's list is one
	 * of the device's), a transport or store error.
	 */
	int error;
	char why[LOCAL_KEY_WHY_MAX];
	enum local_key_how how;
	bool asked_naf_ids;		/* step 2 was sent */
	bool installed;			/* this run added its ks_local key */
	/*
	 * The procedure gave the bytes of the stored key again (the same
	 * B-TID): that key kept, its expiry moved (local_key_plan_keep()).
	 */
	bool extended;
	bool notified;			/* step 18 acknowledged in this run */
	/*
	 * The Key ID the MT bound its copy at on the local link (its btid
	 * answer's key-id; ESTABLISHED only): the device binds there
	 * (ue/local_link.h, local_key_plan_at()).
	 */
	bool has_mt_key_id;
	uint8_t mt_key_id;
	int32_t replaced;		/* keep_replaced: the old key, 0: none */
	char naf_fqdn[DNS_NAME_MAX + 1];
	struct store_remote_key key;	/* the row and its key: secret */
	char protocol[16];		/* of the Key Centre's TLS, or "" */
	char cipher[64];
};

int local_key_establish(const struct local_key_conf *conf,
			struct store *store, int64_t now,
			struct local_key_result *result);

void local_key_result_wipe(struct local_key_result *result);

/* Adds k's ks_local key to ring, expiring at k->pub.expires: 0 and
 * *serial, or -errno (-ENODEV without the e2m module). */
int local_key_install(key_serial_t ring, const struct store_remote_key *k,
		      const char *naf_fqdn, int64_t now, int32_t *serial);

#endif /* E2M_UE_LOCAL_KEY_H */
