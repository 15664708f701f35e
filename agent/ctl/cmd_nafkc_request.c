// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl nafkc-request, see cmd_nafkc_request.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cmd_nafkc_request.h"
#include "crypto/fc.h"
#include "daemon/config.h"
#include "key_input.h"
#include "net/tls_gba.h"
#include "options.h"
#include "ue/naf_key.h"
#include "ue/nafkc_client.h"
#include "ue_store.h"
#include "util/utc.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define TIMEOUT_MAX	600	/* seconds */

enum { URL, DEVICE, KEYS, CERT, KEY, CA, GBA, STORE, STORE_KEY_FILE, ICCID,
       NAF, BTID, LABEL, TLS, TIMEOUT, SHOW, N_OPTS };

static const char *const key_names[] = { "psk", NULL };

struct request_args {
	struct config_url url;
	struct ks_local_request req;
	uint8_t psk[STORE_DEVICE_PSK_LEN];	/* secret */
	struct nafkc_client_conf conf;
	/* GBA: the UE's store and USIM, the NAF's FQDN */
	struct store *store;
	struct usim *usim;
	const char *naf;
	char identity[sizeof(TLS_GBA_HINT_UICC) + STORE_BTID_MAX];
};

/* The bootstrap's key for naf || ua_id (nafkc_client.h's gba_key). */
static int gba_key(void *arg, const uint8_t ua_id[GBA_UA_ID_LEN],
		   uint8_t key[GBA_KEY_LEN])
{
	struct request_args *a = arg;

	return ue_naf_key_for(a->store, a->usim, a->naf, ua_id, key);
}

/*
 * --gba: the UE's store and USIM, its current bootstrap's B-TID (the
 * request's too unless --btid says otherwise) and the hint of its GBA
 * kind. 0, EXIT_USAGE or EXIT_FAILURE.
 */
static int gba_options(const char *command, const struct opt *opts,
		       struct request_args *a)
{
	static const uint8_t ua13[GBA_UA_ID_LEN] = TLS_GBA_UA_TLS13;
	uint8_t naf_id[KS_LOCAL_NAF_ID_MAX];
	struct ue_naf_key k;
	int len, ret;

	if (!opts[STORE].value || !opts[STORE_KEY_FILE].value ||
	    !opts[ICCID].value)
		return report(EXIT_USAGE, command,
			      "--gba needs --store, --store-key-file, --iccid");
	a->naf = opts[NAF].value ? opts[NAF].value : a->url.host;
	if (!config_dns_name_valid(a->naf))
		return report(EXIT_USAGE, command,
			      "--naf: the Key Centre's FQDN is needed (the host of --url is not a DNS name)");
	ret = ue_store_open(command, &opts[STORE], &opts[STORE_KEY_FILE],
			    &a->store);
	if (!ret)
		ret = ue_usim_open(command, a->store, opts[ICCID].value,
				   &a->usim);
	if (ret)
		return ret;
	len = gba_naf_id(naf_id, sizeof(naf_id), a->naf, ua13);
	ret = len < 0 ? len : ue_naf_key(a->store, a->usim, naf_id,
					 (size_t)len, time(NULL), &k);
	if (!ret) {
		snprintf(a->identity, sizeof(a->identity), "%s%s",
			 k.gba_u ? TLS_GBA_HINT_UICC : TLS_GBA_HINT, k.btid);
		if (!opts[BTID].value)
			strcpy(a->req.btid, k.btid);
	}
	ue_naf_key_wipe(&k);
	if (ret == -ENOENT || ret == -EKEYEXPIRED)
		return report(EXIT_FAILURE, command,
			      "no bootstrap in its lifetime (bootstrap first)");
	if (ret)
		return report(EXIT_FAILURE, command, "%s",
			      store_strerror(ret));
	a->conf.gba_key = gba_key;
	a->conf.gba_arg = a;
	a->conf.identity = a->identity;
	return 0;
}

/* The device's PSK from --keys: psk=HEX. 0, EXIT_USAGE or EXIT_FAILURE. */
static int psk_option(const char *command, const struct opt *opt,
		      struct request_args *a)
{
	struct key_input keys = { 0 };
	int ret = key_input_read(command, opt->value, key_names, &keys);

	if (!ret)
		ret = key_input_hex(command, &keys, "psk", a->psk,
				    sizeof(a->psk));
	key_input_wipe(&keys);
	if (!ret)
		a->conf.psk = a->psk;
	return ret;
}

/* --keys, --gba, or --cert, --key and --ca: 0 or EXIT_USAGE. */
static int credential_options(const char *command, const struct opt *opts,
			      struct request_args *a)
{
	int n_cert = !!opts[CERT].value + !!opts[KEY].value + !!opts[CA].value;

	if (!!opts[KEYS].value + !!opts[GBA].value + !!n_cert > 1)
		return report(EXIT_USAGE, command,
			      "one of --keys, --gba, or --cert, --key and --ca");
	if (opts[KEYS].value)
		return psk_option(command, &opts[KEYS], a);
	if (opts[GBA].value)
		return gba_options(command, opts, a);
	if (n_cert != 3)
		return report(EXIT_USAGE, command,
			      "--keys, --gba, or --cert, --key and --ca, is needed");
	a->conf.certificate = opts[CERT].value;
	a->conf.private_key = opts[KEY].value;
	a->conf.ca = opts[CA].value;
	return 0;
}

/* Every option checked, the PSK read: 0 or EXIT_USAGE / EXIT_FAILURE. */
static int request_options(const char *command, const struct opt *opts,
			   struct request_args *a)
{
	const char *label = opts[LABEL].value ? opts[LABEL].value :
			    LABEL_KS_LOCAL_DEVICE;
	int ret;

	ret = config_parse_url(opts[URL].value, &a->url);
	if (ret == -ENOMEM)
		return report(EXIT_FAILURE, command, "out of memory");
	if (ret)
		return report(EXIT_USAGE, command,
			      "--url: must be https://HOST[:PORT]");
	if (!store_device_id_valid(opts[DEVICE].value))
		return report(EXIT_USAGE, command,
			      "--device-id: not a Device_ID (1 to %d printable ASCII characters without space)",
			      STORE_DEVICE_ID_MAX);
	if (opts[BTID].value ? !store_btid_valid(opts[BTID].value) :
	    !opts[GBA].value)
		return report(EXIT_USAGE, command,
			      "--btid: not a B-TID (it is needed without --gba)");
	if (!ks_local_label_valid(label))
		return report(EXIT_USAGE, command,
			      "--label: ks_local_device or ks_local_mt");
	ret = seconds_option(command, &opts[TIMEOUT], TIMEOUT_MAX,
			     &a->conf.timeout);
	if (!ret)
		ret = tls_version_option(command, &opts[TLS],
					 &a->conf.tls_version);
	if (ret)
		return ret;
	if (opts[BTID].value)
		strcpy(a->req.btid, opts[BTID].value);
	strcpy(a->req.device_id, opts[DEVICE].value);
	strcpy(a->req.label, label);
	a->conf.host = a->url.host;
	a->conf.port = a->url.port;
	a->conf.identity = a->req.device_id;
	return credential_options(command, opts, a);
}

static int print_answer(const char *command,
			const struct ks_local_response *resp,
			const struct nafkc_client_result *result, bool show)
{
	char expires[UTC_TEXT_LEN + 1];

	if (utc_format(expires, resp->expires))
		return report(EXIT_FAILURE, command,
			      "the key's expiry is out of range");
	print_string("btid", resp->btid);
	print_string("device_id", resp->device_id);
	print_string("label", resp->label);
	print_hex("naf_id", resp->naf_id, resp->naf_id_len);
	print_string("expires", expires);
	printf("lifetime=%u\n", resp->lifetime);
	print_string("tls", result->protocol);
	print_string("cipher", result->cipher);
	print_key("ks_local", resp->ks_local, sizeof(resp->ks_local), show);
	return finish_output(command);
}

int cmd_nafkc_request(int argc, char *argv[])
{
	static const char command[] = "nafkc-request";
	struct opt opts[N_OPTS] = {
		[URL] = OPTION("url", OPT_REQUIRED),
		[DEVICE] = OPTION("device-id", OPT_REQUIRED),
		[KEYS] = OPTION("keys", 0),
		[CERT] = OPTION("cert", 0),
		[KEY] = OPTION("key", 0),
		[CA] = OPTION("ca", 0),
		[GBA] = OPTION("gba", OPT_FLAG),
		[STORE] = OPTION("store", 0),
		[STORE_KEY_FILE] = OPTION("store-key-file", 0),
		[ICCID] = OPTION("iccid", 0),
		[NAF] = OPTION("naf", 0),
		[BTID] = OPTION("btid", 0),
		[LABEL] = OPTION("label", 0),
		[TLS] = OPTION("tls", 0),
		[TIMEOUT] = OPTION("timeout", 0),
		[SHOW] = OPTION("show-key", OPT_FLAG),
	};
	struct request_args a = { 0 };
	struct nafkc_client_result result = { 0 };
	struct ks_local_response resp = { 0 };
	int ret = key_input_refuse_argv(command, key_names, argc, argv);

	if (!ret)
		ret = parse_options(command, opts, N_OPTS, argc, argv);
	if (!ret)
		ret = request_options(command, opts, &a);
	if (!ret && nafkc_client_request(&a.conf, &a.req, &resp, &result))
		ret = report(EXIT_FAILURE, command, "%s", result.why);
	else if (!ret)
		ret = print_answer(command, &resp, &result,
				   opts[SHOW].value != NULL);
	ks_local_response_wipe(&resp);
	OPENSSL_cleanse(&a.psk, sizeof(a.psk));
	if (a.usim)
		usim_close(a.usim);
	store_close(a.store);
	free(a.url.text);
	free(a.url.host);
	free_options(opts, N_OPTS);
	return ret;
}
