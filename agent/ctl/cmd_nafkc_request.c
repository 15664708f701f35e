// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl nafkc-request, see cmd_nafkc_request.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd_nafkc_request.h"
#include "crypto/fc.h"
#include "daemon/config.h"
#include "key_file.h"
#include "options.h"
#include "ue/nafkc_client.h"
#include "util/utc.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define TIMEOUT_MAX	600	/* seconds */

enum { URL, DEVICE, PSK_FILE, CERT, KEY, CA, BTID, LABEL, TLS, TIMEOUT,
       SHOW, N_OPTS };

struct request_args {
	struct config_url url;
	struct ks_local_request req;
	uint8_t psk[STORE_DEVICE_PSK_LEN];	/* secret */
	struct nafkc_client_conf conf;
};

static int tls_option(const char *command, const struct opt *opt, int *out)
{
	if (!opt->value)
		*out = 0;
	else if (!strcmp(opt->value, "1.2"))
		*out = TLS1_2_VERSION;
	else if (!strcmp(opt->value, "1.3"))
		*out = TLS1_3_VERSION;
	else
		return report(EXIT_USAGE, command, "--tls: 1.2 or 1.3");
	return 0;
}

/* --psk-file, or --cert, --key and --ca: 0 or EXIT_USAGE. */
static int credential_options(const char *command, const struct opt *opts,
			      struct request_args *a)
{
	int n_cert = !!opts[CERT].value + !!opts[KEY].value + !!opts[CA].value;
	int ret;

	if (opts[PSK_FILE].value && n_cert)
		return report(EXIT_USAGE, command,
			      "--psk-file or --cert, --key and --ca, not both");
	if (opts[PSK_FILE].value) {
		ret = key_file_option(command, &opts[PSK_FILE], a->psk);
		if (!ret)
			a->conf.psk = a->psk;
		return ret;
	}
	if (n_cert != 3)
		return report(EXIT_USAGE, command,
			      "--psk-file, or --cert, --key and --ca, is needed");
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
	unsigned long long timeout = 0;
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
	if (!store_btid_valid(opts[BTID].value))
		return report(EXIT_USAGE, command, "--btid: not a B-TID");
	if (!ks_local_label_valid(label))
		return report(EXIT_USAGE, command,
			      "--label: ks_local_device or ks_local_mt");
	if (opts[TIMEOUT].value) {
		ret = number_option(command, &opts[TIMEOUT], 0, TIMEOUT_MAX,
				    &timeout);
		if (ret)
			return ret;
		if (!timeout)
			return report(EXIT_USAGE, command,
				      "--timeout: at least 1 second");
	}
	ret = tls_option(command, &opts[TLS], &a->conf.tls_version);
	if (!ret)
		ret = credential_options(command, opts, a);
	if (ret)
		return ret;
	strcpy(a->req.btid, opts[BTID].value);
	strcpy(a->req.device_id, opts[DEVICE].value);
	strcpy(a->req.label, label);
	a->conf.host = a->url.host;
	a->conf.port = a->url.port;
	a->conf.identity = a->req.device_id;
	a->conf.timeout = (unsigned int)timeout;
	return 0;
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
		[PSK_FILE] = OPTION("psk-file", 0),
		[CERT] = OPTION("cert", 0),
		[KEY] = OPTION("key", 0),
		[CA] = OPTION("ca", 0),
		[BTID] = OPTION("btid", OPT_REQUIRED),
		[LABEL] = OPTION("label", 0),
		[TLS] = OPTION("tls", 0),
		[TIMEOUT] = OPTION("timeout", 0),
		[SHOW] = OPTION("show-key", OPT_FLAG),
	};
	struct request_args a = { 0 };
	struct nafkc_client_result result = { 0 };
	struct ks_local_response resp = { 0 };
	int ret = parse_options(command, opts, N_OPTS, argc, argv);

	if (!ret)
		ret = request_options(command, opts, &a);
	if (!ret && nafkc_client_request(&a.conf, &a.req, &resp, &result))
		ret = report(EXIT_FAILURE, command, "%s", result.why);
	else if (!ret)
		ret = print_answer(command, &resp, &result,
				   opts[SHOW].value != NULL);
	ks_local_response_wipe(&resp);
	OPENSSL_cleanse(&a.psk, sizeof(a.psk));
	free(a.url.text);
	free(a.url.host);
	free_options(opts, N_OPTS);
	return ret;
}
