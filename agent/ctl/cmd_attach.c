// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl attach, see cmd_attach.h: its options and its output; the
 * attach itself is ue/attach.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_attach.h"
#include "cmd_keyset.h"
#include "options.h"
#include "proto/best/attach_msg.h"
#include "ue/attach.h"
#include "ue_store.h"
#include "util/why.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define COMMAND		"attach"
#define TIMEOUT_MAX	600

enum {
	O_STORE, O_KEY_FILE, O_ICCID, O_SGW, O_DEV, O_ADDRESS, O_PORT,
	O_TEID, O_KEYRING, O_TIMEOUT,
};

struct attach_args {
	struct config_url sgw;
	struct ue_attach_conf conf;
};

/* --port and --teid: numbers, never 0. */
static int nonzero(struct opt *opt, unsigned long long max,
		   unsigned long long *n)
{
	int ret = number_option(COMMAND, opt, max > UINT16_MAX, max, n);

	if (!ret && !*n)
		ret = report(EXIT_USAGE, COMMAND, "--%s: not 0", opt->name);
	return ret;
}

static int parse_args(struct opt *opts, struct attach_args *a)
{
	struct ue_attach_conf *conf = &a->conf;
	unsigned long long n = 0;
	char why[UB_WHY_MAX];
	int ret;

	ret = config_parse_http_url(opts[O_SGW].value, &a->sgw);
	if (ret == -ENOMEM)
		return report(EXIT_FAILURE, COMMAND, "out of memory");
	if (ret)
		return report(EXIT_USAGE, COMMAND,
			      "--sgw: must be http://HOST[:PORT], not '%s'",
			      opts[O_SGW].value);
	conf->sgw = &a->sgw;
	conf->dev = opts[O_DEV].value;
	if (!conf->dev[0] || strlen(conf->dev) >= 16)
		return report(EXIT_USAGE, COMMAND, "--dev: not a device name");
	snprintf(conf->gtpu.address, sizeof(conf->gtpu.address), "%s",
		 opts[O_ADDRESS].value);
	if (best_check_ip("address", conf->gtpu.address, BEST_IP_ANY, why,
			  sizeof(why)))
		return report(EXIT_USAGE, COMMAND,
			      "--address: not an IPv4 or IPv6 address in its usual form");
	conf->gtpu.port = CONFIG_GTPU_PORT;
	if (opts[O_PORT].value) {
		if ((ret = nonzero(&opts[O_PORT], UINT16_MAX, &n)))
			return ret;
		conf->gtpu.port = (uint16_t)n;
	}
	if ((ret = nonzero(&opts[O_TEID], UINT32_MAX, &n)))
		return ret;
	conf->gtpu.teid = (uint32_t)n;
	n = 0;
	if (opts[O_TIMEOUT].value &&
	    (ret = number_option(COMMAND, &opts[O_TIMEOUT], 0, TIMEOUT_MAX,
				 &n)))
		return ret;
	conf->timeout = (unsigned int)n;
	conf->keyring = KEY_SPEC_USER_KEYRING;
	if (opts[O_KEYRING].value)
		return keyring_arg(COMMAND, "--keyring", opts[O_KEYRING].value,
				   &conf->keyring);
	return 0;
}

static void print_result(const struct attach_args *args,
			 const struct ue_attach_result *r)
{
	char number[16];

	print_string("imsi", r->accept.imsi);
	snprintf(number, sizeof(number), "%u", r->accept.ksi);
	print_string("ksi", number);
	snprintf(number, sizeof(number), "%d", r->serial);
	print_string("key_serial", number);
	snprintf(number, sizeof(number), "%u", args->conf.gtpu.teid);
	print_string("teid", number);
	snprintf(number, sizeof(number), "%u", r->accept.hse.teid);
	print_string("hse_teid", number);
	print_string("hse_address", r->accept.hse.address);
	print_string("inner_ipv4", r->accept.inner_ipv4);
}

/* Everything after the options: 0 or the exit status. */
static int attach(struct attach_args *args, struct opt *opts)
{
	struct ue_attach_result result;
	struct store *store = NULL;
	struct usim *usim = NULL;
	int ret;

	ret = ue_store_open(COMMAND, &opts[O_STORE], &opts[O_KEY_FILE], &store);
	if (!ret)
		ret = ue_usim_open(COMMAND, store, opts[O_ICCID].value, &usim);
	if (!ret) {
		args->conf.usim = usim;
		if (ue_attach(&args->conf, &result))
			ret = report(EXIT_FAILURE, COMMAND, "%s", result.why);
	}
	if (!ret) {
		print_result(args, &result);
		ret = finish_output(COMMAND);
	}
	usim_close(usim);
	store_close(store);
	return ret;
}

int cmd_attach(int argc, char *argv[])
{
	struct opt opts[] = {
		[O_STORE] = OPTION("store", OPT_REQUIRED),
		[O_KEY_FILE] = OPTION("store-key-file", OPT_REQUIRED),
		[O_ICCID] = OPTION("iccid", OPT_REQUIRED),
		[O_SGW] = OPTION("sgw", OPT_REQUIRED),
		[O_DEV] = OPTION("dev", OPT_REQUIRED),
		[O_ADDRESS] = OPTION("address", OPT_REQUIRED),
		[O_PORT] = OPTION("port", 0),
		[O_TEID] = OPTION("teid", OPT_REQUIRED),
		[O_KEYRING] = OPTION("keyring", 0),
		[O_TIMEOUT] = OPTION("timeout", 0),
	};
	struct attach_args args;
	int ret;

	memset(&args, 0, sizeof(args));
	ret = parse_options(COMMAND, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = parse_args(opts, &args);
	if (!ret)
		ret = attach(&args, opts);
	free(args.sgw.text);
	free(args.sgw.host);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
