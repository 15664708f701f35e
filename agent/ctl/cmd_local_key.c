// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl local-key establish and list --store, see cmd_local_key.h.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cmd_keyset.h"
#include "cmd_local_key.h"
#include "cmd_nafkc.h"
#include "crypto/fc.h"
#include "key_input.h"
#include "options.h"
#include "kernel/ks_local_key.h"
#include "ue/local_key.h"
#include "ue/local_link.h"
#include "ue_store.h"
#include "util/dns_name.h"
#include "util/hex.h"
#include "util/host_port.h"
#include "util/utc.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define TIMEOUT_MAX	600	/* seconds */

enum { MT, DEVICE, NAF_ID, ASK_MT, KEYS, CERT, KEY, CA, STORE, STORE_KEY,
       LABEL, KEYRING, NO_KERNEL, RENEW, TLS, TIMEOUT, SHOW, FLOW, ALG,
       N_OPTS };

struct establish_args {
	char mt_host[DNS_NAME_MAX + 1];
	struct local_key_centre centres[LOCAL_NAF_IDS_MAX];
	char hosts[LOCAL_NAF_IDS_MAX][DNS_NAME_MAX + 1];
	char names[LOCAL_NAF_IDS_MAX][DNS_NAME_MAX + 1];
	const char *naf_ids[LOCAL_NAF_IDS_MAX];
	uint8_t psk[STORE_DEVICE_PSK_LEN];	/* secret */
	struct local_key_conf conf;
	bool has_flow;
	uint8_t key_id;				/* --flow: the slot bound */
	char ifname[IFNAMSIZ];
	struct local_link_flow flow;
};

/* Each --naf-id FQDN[=HOST:PORT]: 0 or EXIT_USAGE. */
static int naf_id_options(const char *command, const struct opt *opt,
			  struct establish_args *a)
{
	size_t i;

	if (opt->count > LOCAL_NAF_IDS_MAX)
		return report(EXIT_USAGE, command, "--naf-id: at most %d",
			      LOCAL_NAF_IDS_MAX);
	for (i = 0; i < opt->count; i++) {
		const char *text = opt->values[i], *eq = strchr(text, '=');
		size_t len = eq ? (size_t)(eq - text) : strlen(text);
		struct local_key_centre *c = &a->centres[i];

		if (len > DNS_NAME_MAX)
			return report(EXIT_USAGE, command,
				      "--naf-id: not an FQDN");
		memcpy(a->names[i], text, len);
		a->names[i][len] = '\0';
		if (!dns_name_valid(a->names[i]))
			return report(EXIT_USAGE, command,
				      "--naf-id: not an FQDN: %s", a->names[i]);
		if (eq && host_port_parse(eq + 1, a->hosts[i], &c->port))
			return report(EXIT_USAGE, command,
				      "--naf-id %s: where it is reached must be HOST:PORT",
				      a->names[i]);
		c->naf_id = a->names[i];
		c->host = eq ? a->hosts[i] : NULL;
		a->naf_ids[i] = a->names[i];
	}
	a->conf.plan.naf_ids = a->naf_ids;
	a->conf.plan.n_naf_ids = opt->count;
	a->conf.centres = a->centres;
	return 0;
}

/* --keys, or --cert, --key and --ca: 0, EXIT_USAGE or EXIT_FAILURE. */
static int credential_options(const char *command, const struct opt *opts,
			      struct establish_args *a)
{
	static const char *const key_names[] = { "psk", NULL };
	int n_cert = !!opts[CERT].value + !!opts[KEY].value + !!opts[CA].value;
	struct key_input keys = { 0 };
	int ret;

	if (opts[KEYS].value && n_cert)
		return report(EXIT_USAGE, command,
			      "--keys or --cert, --key and --ca, not both");
	if (opts[KEYS].value) {
		ret = key_input_read(command, opts[KEYS].value, key_names,
				     &keys);
		if (!ret)
			ret = key_input_hex(command, &keys, "psk", a->psk,
					    sizeof(a->psk));
		key_input_wipe(&keys);
		if (!ret)
			a->conf.tls.psk = a->psk;
		return ret;
	}
	if (n_cert != 3)
		return report(EXIT_USAGE, command,
			      "--keys (psk=HEX), or --cert, --key and --ca, is needed");
	a->conf.tls.certificate = opts[CERT].value;
	a->conf.tls.private_key = opts[KEY].value;
	a->conf.tls.ca = opts[CA].value;
	return 0;
}

/* The number at text, lo..hi, up to end (NULL: the string's end). */
static int number_in(const char *text, const char *end, unsigned long lo,
		     unsigned long hi, unsigned long *n)
{
	char *tail;

	if (!*text || *text == '+' || *text == '-' || text == end)
		return -EINVAL;
	errno = 0;
	*n = strtoul(text, &tail, 10);
	if (errno || (end ? tail != end : *tail) || *n < lo || *n > hi)
		return -EINVAL;
	return 0;
}

/* --flow IFNAME:TEID[:KEY_ID] and --alg N: 0 or EXIT_USAGE. */
static int flow_options(const char *command, const struct opt *opts,
			struct establish_args *a)
{
	const char *text = opts[FLOW].value, *colon, *second;
	unsigned long teid, key_id = 1, alg = E2M_ALG_AES;

	if (opts[ALG].value && (!text ||
	    number_in(opts[ALG].value, NULL, 1, 3, &alg)))
		return report(EXIT_USAGE, command,
			      text ? "--alg: 1, 2 or 3" : "--alg is for --flow");
	if (!text)
		return 0;
	colon = strchr(text, ':');
	second = colon ? strchr(colon + 1, ':') : NULL;
	if (!colon || colon == text || (size_t)(colon - text) >= IFNAMSIZ ||
	    number_in(colon + 1, second, 1, UINT32_MAX, &teid) ||
	    (second && number_in(second + 1, NULL, 0, E2M_KEY_ID_MAX,
				 &key_id)))
		return report(EXIT_USAGE, command,
			      "--flow: IFNAME:TEID[:KEY_ID] (TEID 1..4294967295, KEY_ID 0..7)");
	if (!a->conf.plan.kernel)
		return report(EXIT_USAGE, command,
			      "--flow needs the key in a keyring, not --no-kernel");
	memcpy(a->ifname, text, (size_t)(colon - text));
	a->flow = (struct local_link_flow){
		.ifname = a->ifname, .teid = (uint32_t)teid,
		.key_id = (uint8_t)key_id, .alg = (uint8_t)alg,
	};
	a->has_flow = true;
	a->conf.keep_replaced = true;
	return 0;
}

static int kernel_options(const char *command, const struct opt *opts,
			  struct establish_args *a)
{
	a->conf.plan.kernel = !opts[NO_KERNEL].value;
	a->conf.keyring = KEY_SPEC_USER_KEYRING;
	if (opts[NO_KERNEL].value && opts[KEYRING].value)
		return report(EXIT_USAGE, command,
			      "--keyring or --no-kernel, not both");
	if (opts[KEYRING].value)
		return keyring_arg(command, "--keyring", opts[KEYRING].value,
				   &a->conf.keyring);
	return 0;
}

static int establish_options(const char *command, const struct opt *opts,
			     struct establish_args *a)
{
	const char *label = opts[LABEL].value ? opts[LABEL].value :
			    LABEL_KS_LOCAL_DEVICE;
	unsigned int timeout;
	int ret;

	if (host_port_parse(opts[MT].value, a->mt_host, &a->conf.mt_port))
		return report(EXIT_USAGE, command, "--mt: must be HOST:PORT");
	if (!store_device_id_valid(opts[DEVICE].value))
		return report(EXIT_USAGE, command,
			      "--device-id: not a Device_ID (1 to %d printable ASCII characters without space)",
			      STORE_DEVICE_ID_MAX);
	if (!ks_local_label_valid(label))
		return report(EXIT_USAGE, command,
			      "--label: ks_local_device or ks_local_mt");
	ret = seconds_option(command, &opts[TIMEOUT], TIMEOUT_MAX, &timeout);
	if (!ret)
		ret = tls_version_option(command, &opts[TLS],
					 &a->conf.tls.tls_version);
	if (!ret)
		ret = naf_id_options(command, &opts[NAF_ID], a);
	if (!ret)
		ret = kernel_options(command, opts, a);
	if (!ret)
		ret = flow_options(command, opts, a);
	if (!ret)
		ret = credential_options(command, opts, a);
	if (ret)
		return ret;
	a->conf.plan.device_id = opts[DEVICE].value;
	a->conf.plan.label = label;
	a->conf.plan.ask_mt = opts[ASK_MT].value != NULL;
	a->conf.plan.renew = opts[RENEW].value != NULL;
	a->conf.mt_host = a->mt_host;
	a->conf.timeout = timeout;
	a->conf.tls.timeout = timeout;
	return 0;
}

static void print_time(const char *name, int64_t t)
{
	char text[UTC_TEXT_LEN + 1];

	if (utc_format(text, t))
		snprintf(text, sizeof(text), "%lld", (long long)t);
	print_string(name, text);
}

static int print_established(const char *command,
			     const struct establish_args *a,
			     const struct local_key_result *r, int64_t now,
			     bool show)
{
	const struct store_remote_key *k = &r->key;

	print_string("procedure", r->how == LOCAL_KEY_STORED ? "stored" :
				  "established");
	print_string("naf_id", r->naf_fqdn);
	print_string("btid", k->pub.btid);
	print_string("device_id", k->pub.device_id);
	print_string("label", k->pub.label);
	print_time("expires", k->pub.expires);
	printf("lifetime=%u\n", local_key_plan_lifetime(k->pub.expires, now));
	printf("serial=%d\n", (int)k->pub.key_serial);
	if (r->extended)
		print_string("extended", "1");
	printf("completed=%u\n", k->pub.completed);
	if (a->has_flow)
		printf("key_id=%u\n", a->key_id);
	if (r->protocol[0]) {
		print_string("tls", r->protocol);
		print_string("cipher", r->cipher);
	}
	print_key("ks_local", k->key, sizeof(k->key), show);
	return finish_output(command);
}

/*
 * The key onto --flow, make before break; the key it replaced revoked
 * only after that: 0 or EXIT_FAILURE (the old key then left alive).
 */
static int bind_flow(const char *command, struct establish_args *a,
		     struct local_key_result *r)
{
	struct genl_conn nl = { 0 };
	struct local_link_result done;
	int ret = genl_open(&nl);

	/* The same bytes again: the key the link has, no move. */
	a->flow.kept = r->extended;
	/* Where the MT bound its copy, when it said: there. */
	a->flow.has_peer_key_id = r->has_mt_key_id;
	a->flow.peer_key_id = r->mt_key_id;
	if (!ret)
		ret = local_link_bind(&nl, &a->flow, r->key.pub.key_serial,
				      &done);
	if (ret) {
		report(EXIT_FAILURE, command,
		       "the key is stored, but binding it to %s TEID %u failed: %s",
		       a->flow.ifname, a->flow.teid, nl.error);
	} else {
		a->key_id = done.plan.key_id;
		if (r->replaced > 0)
			ks_local_key_revoke(r->replaced);
	}
	if (nl.sock)
		genl_close(&nl);
	return ret ? EXIT_FAILURE : 0;
}

static int establish(int argc, char *argv[])
{
	static const char command[] = "local-key establish";
	static const char *const key_names[] = { "psk", NULL };
	struct opt opts[N_OPTS] = {
		[MT] = OPTION("mt", OPT_REQUIRED),
		[DEVICE] = OPTION("device-id", OPT_REQUIRED),
		[NAF_ID] = OPTION("naf-id", OPT_REPEAT),
		[ASK_MT] = OPTION("ask-mt", OPT_FLAG),
		[KEYS] = OPTION("keys", 0),
		[CERT] = OPTION("cert", 0),
		[KEY] = OPTION("key", 0),
		[CA] = OPTION("ca", 0),
		[STORE] = OPTION("store", OPT_REQUIRED),
		[STORE_KEY] = OPTION("store-key-file", OPT_REQUIRED),
		[LABEL] = OPTION("label", 0),
		[KEYRING] = OPTION("keyring", 0),
		[NO_KERNEL] = OPTION("no-kernel", OPT_FLAG),
		[RENEW] = OPTION("renew", OPT_FLAG),
		[TLS] = OPTION("tls", 0),
		[TIMEOUT] = OPTION("timeout", 0),
		[SHOW] = OPTION("show-key", OPT_FLAG),
		[FLOW] = OPTION("flow", 0),
		[ALG] = OPTION("alg", 0),
	};
	struct establish_args *a = calloc(1, sizeof(*a));
	struct local_key_result *r = calloc(1, sizeof(*r));
	struct store *store = NULL;
	int64_t now = (int64_t)time(NULL);
	int ret = key_input_refuse_argv(command, key_names, argc, argv);

	if (!a || !r)
		ret = report(EXIT_FAILURE, command, "out of memory");
	if (!ret)
		ret = parse_options(command, opts, N_OPTS, argc, argv);
	if (!ret)
		ret = establish_options(command, opts, a);
	if (!ret)
		ret = ue_store_open(command, &opts[STORE], &opts[STORE_KEY],
				    &store);
	if (!ret && local_key_establish(&a->conf, store, now, r))
		ret = report(EXIT_FAILURE, command, "%s", r->why);
	if (!ret && a->has_flow)
		ret = bind_flow(command, a, r);
	if (!ret)
		ret = print_established(command, a, r, now,
					opts[SHOW].value != NULL);
	if (store)
		store_close(store);
	if (r)
		local_key_result_wipe(r);
	if (a)
		OPENSSL_cleanse(a, sizeof(*a));
	free(r);
	free(a);
	free_options(opts, N_OPTS);
	return ret;
}

static int print_row(const struct store_remote_key_info *info, void *arg)
{
	char fqdn[DNS_NAME_MAX + 1], created[UTC_TEXT_LEN + 1];
	char expires[UTC_TEXT_LEN + 1];

	(void)arg;
	if (local_key_naf_fqdn(info->naf_id, info->naf_id_len, fqdn))
		hex_encode(fqdn, info->naf_id,
			   info->naf_id_len > DNS_NAME_MAX / 2 ?
			   DNS_NAME_MAX / 2 : info->naf_id_len);
	if (utc_format(created, info->created))
		created[0] = '\0';
	if (utc_format(expires, info->expires))
		expires[0] = '\0';
	printf("device_id=%s naf_id=%s btid=%s label=%s created=%s expires=%s serial=%d completed=%u\n",
	       info->device_id, fqdn, info->btid, info->label, created,
	       expires, (int)info->key_serial, info->completed);
	return 0;
}

static int list(int argc, char *argv[])
{
	static const char command[] = "local-key list";
	enum { L_STORE, L_STORE_KEY };
	struct opt opts[] = {
		[L_STORE] = OPTION("store", OPT_REQUIRED),
		[L_STORE_KEY] = OPTION("store-key-file", OPT_REQUIRED),
	};
	struct store *store = NULL;
	int ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);

	if (!ret)
		ret = ue_store_open(command, &opts[L_STORE],
				    &opts[L_STORE_KEY], &store);
	if (!ret && store_remote_key_list(store, print_row, NULL) < 0)
		ret = report(EXIT_FAILURE, command, "%s",
			     store_errmsg(store));
	if (!ret)
		ret = finish_output(command);
	if (store)
		store_close(store);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

/* Whether argv has --store or --store=...: the device's list. */
static bool names_store(int argc, char *argv[])
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--store") ||
		    !strncmp(argv[i], "--store=", 8))
			return true;
	return false;
}

int cmd_local_key_object(int argc, char *argv[])
{
	const char *sub = argc >= 1 ? argv[0] : "";

	if (!strcmp(sub, "establish"))
		return establish(argc - 1, argv + 1);
	if (!strcmp(sub, "list") && names_store(argc - 1, argv + 1))
		return list(argc - 1, argv + 1);
	return cmd_local_key(argc, argv);
}
