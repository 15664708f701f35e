/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UE's side of a long-term key update over HTTP (Documentation/
 * key-update.md): the USIM of a store (ue/usim_update.h) asks a
 * provisioning server (role prov) for the update it has queued, and
 * answers each command the server sends (proto/keyupdate/session_msg.h)
 * until the server says done: the new keys are then pending in the
 * store, to become current at the first AKA that verifies under them.
 * Plain HTTP: SCP11a does the security.
 */
#ifndef E2M_UE_KEY_UPDATE_CLIENT_H
#define E2M_UE_KEY_UPDATE_CLIENT_H

#include <stdbool.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "daemon/config.h"
#include "store/store.h"

struct ue_key_update_conf {
	struct store *store;
	const char *iccid;
	const struct config_url *server;	/* http://HOST[:PORT] */
	EVP_PKEY *sd_key;			/* SK.SD, private */
	X509 *sd_cert;				/* its certificate */
	X509 *ca_kloc;				/* the CA of OCE certificates */
	unsigned int timeout;			/* seconds a call; 0: default */
};

struct ue_key_update_result {
	/*
	 * 0 when the server said done; else -ECONNREFUSED, -ETIMEDOUT, ...
	 * (no answer), -EPROTO (an answer that is not the protocol's),
	 * -EACCES (the server refused: status and error below).
	 */
	int error;
	int status;			/* the server's refusal */
	char why[256];			/* one line, "" on success */
	unsigned int commands;		/* the USIM answered */
};

/* Runs the update on an event loop of its own, to its end. */
void ue_key_update_run(const struct ue_key_update_conf *conf,
		       struct ue_key_update_result *result);

#endif /* E2M_UE_KEY_UPDATE_CLIENT_H */
