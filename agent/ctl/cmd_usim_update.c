// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl usim update, see cmd_usim_update.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_usim_update.h"
#include "options.h"
#include "ue/key_update_client.h"
#include "ue/usim_sd.h"
#include "ue_store.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define TIMEOUT_MAX	600	/* seconds */

enum { STORE, KEY_FILE, ICCID, SERVER, TIMEOUT };

struct update_args {
	struct config_url server;
	EVP_PKEY *sd_key;
	X509 *sd_cert;
	X509 *ca_kloc;
	unsigned int timeout;
};

static void args_free(struct update_args *a)
{
	free(a->server.text);
	free(a->server.host);
	EVP_PKEY_free(a->sd_key);
	X509_free(a->sd_cert);
	X509_free(a->ca_kloc);
}

static int check_args(const char *command, struct opt *opts,
		      struct update_args *a)
{
	unsigned long long seconds = 0;
	int ret = 0;

	if (!store_iccid_valid(opts[ICCID].value))
		return report(EXIT_USAGE, command, "--iccid: not an ICCID");
	if (opts[TIMEOUT].value)
		ret = number_option(command, &opts[TIMEOUT], 0, TIMEOUT_MAX,
				    &seconds);
	if (ret)
		return ret;
	a->timeout = (unsigned int)seconds;
	ret = config_parse_http_url(opts[SERVER].value, &a->server);
	if (ret)
		return report(ret == -ENOMEM ? EXIT_FAILURE : EXIT_USAGE,
			      command, "--server: must be http://HOST[:PORT]");
	return 0;
}

/* SK.SD, its certificate and CA-KLOC from the USIM's row: 0 or 1. */
static int load_sd(const char *command, struct store *store,
		   const char *iccid, struct update_args *a)
{
	char why[256] = "";
	int ret = usim_sd_load(store, iccid, &a->sd_key, &a->sd_cert,
			       &a->ca_kloc, why, sizeof(why));

	if (ret == -ENOENT)
		return report(EXIT_FAILURE, command, "no USIM with ICCID %s",
			      iccid);
	if (ret)
		return report(EXIT_FAILURE, command, "%s", why);
	return 0;
}

static int run(const char *command, struct opt *opts, struct update_args *a)
{
	struct ue_key_update_result result;
	struct ue_key_update_conf conf = {
		.iccid = opts[ICCID].value, .server = &a->server,
		.timeout = a->timeout,
	};
	struct store_usim usim;
	int ret = ue_store_open(command, &opts[STORE], &opts[KEY_FILE],
				&conf.store);

	if (ret)
		return ret;
	ret = load_sd(command, conf.store, conf.iccid, a);
	if (ret) {
		store_close(conf.store);
		return ret;
	}
	conf.sd_key = a->sd_key;
	conf.sd_cert = a->sd_cert;
	conf.ca_kloc = a->ca_kloc;
	ue_key_update_run(&conf, &result);
	if (result.error) {
		fail(command, "%s", result.why);
		ret = EXIT_FAILURE;
	} else if (store_usim_get(conf.store, conf.iccid, &usim)) {
		fail(command, "%s", store_errmsg(conf.store));
		ret = EXIT_FAILURE;
	} else {
		printf("iccid=%s commands=%u pending=%s update-counter=%u\n",
		       conf.iccid, result.commands,
		       usim.pub.has_pending ? "yes" : "no",
		       usim.pub.update_counter);
		store_usim_wipe(&usim);
		ret = finish_output(command);
	}
	store_close(conf.store);
	return ret;
}

int cmd_usim_update(int argc, char *argv[])
{
	static const char command[] = "usim update";
	struct opt opts[] = {
		[STORE] = OPTION("store", OPT_REQUIRED),
		[KEY_FILE] = OPTION("store-key-file", OPT_REQUIRED),
		[ICCID] = OPTION("iccid", OPT_REQUIRED),
		[SERVER] = OPTION("server", OPT_REQUIRED),
		[TIMEOUT] = OPTION("timeout", 0),
	};
	struct update_args a = { 0 };
	int ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);

	if (!ret)
		ret = check_args(command, opts, &a);
	if (!ret)
		ret = run(command, opts, &a);
	args_free(&a);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
