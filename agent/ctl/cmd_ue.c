// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl bootstrap and naf-key, see cmd_ue.h. Both open the UE's store
 * directly; the bootstrap runs on an event loop of its own, to its end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cmd_ue.h"
#include "crypto/gba.h"
#include "crypto/kdf.h"
#include "util/utc.h"
#include "ue/bootstrap.h"
#include "ue/naf_key.h"
#include "ue_store.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define TIMEOUT_MAX	600	/* seconds */

/* What bootstrap and naf-key share: the store, the USIM, the BSF. */
struct ue_args {
	struct store *store;
	struct usim *usim;
	struct config_url bsf;		/* text NULL: no --bsf */
	unsigned int timeout;
};

static void ue_args_free(struct ue_args *ue)
{
	usim_close(ue->usim);
	store_close(ue->store);
	free(ue->bsf.text);
	free(ue->bsf.host);
	memset(ue, 0, sizeof(*ue));
}

/* --bsf and --timeout, checked before anything is opened. */
static int bsf_options(const char *command, const struct opt *bsf,
		       const struct opt *timeout, struct ue_args *ue)
{
	unsigned long long seconds = 0;
	int ret;

	if (timeout->value) {
		ret = number_option(command, timeout, 0, TIMEOUT_MAX, &seconds);
		if (ret)
			return ret;
	}
	ue->timeout = (unsigned int)seconds;
	if (!bsf->value)
		return 0;
	ret = config_parse_http_url(bsf->value, &ue->bsf);
	if (ret == -ENOMEM) {
		fail(command, "out of memory");
		return EXIT_FAILURE;
	}
	if (ret) {
		fail(command, "--bsf: must be http://HOST[:PORT], not '%s'",
		     bsf->value);
		return EXIT_USAGE;
	}
	return 0;
}

static int open_ue(const char *command, const struct opt *store,
		   const struct opt *key_file, const struct opt *iccid,
		   struct ue_args *ue)
{
	int ret = ue_store_open(command, store, key_file, &ue->store);

	if (!ret)
		ret = ue_usim_open(command, ue->store, iccid->value, &ue->usim);
	return ret;
}

/* ---- one bootstrap, run to its end --------------------------------------- */

struct run {
	struct ue_bootstrap_result result;
	bool done;
};

static void bootstrap_done(const struct ue_bootstrap_result *result,
			   void *arg)
{
	struct run *run = arg;

	run->result = *result;
	run->done = true;
}

/* 0, or EXIT_FAILURE after saying why. */
static int run_bootstrap(const char *command, struct ue_args *ue,
			 struct ue_bootstrap_result *result)
{
	struct event_base *base = event_base_new();
	struct ue_bootstrap_conf conf = {
		.base = base,
		.store = ue->store,
		.usim = ue->usim,
		.bsf = &ue->bsf,
		.timeout = ue->timeout,
	};
	struct ue_bootstrap *b = NULL;
	struct run run = { .done = false };
	int ret = base ? ue_bootstrap_start(&b, &conf, bootstrap_done, &run) :
			 -ENOMEM;

	if (!ret)
		event_base_dispatch(base);
	ue_bootstrap_free(b);
	if (base)
		event_base_free(base);
	if (ret || !run.done) {
		fail(command, "cannot run the bootstrap: %s",
		     strerror(ret ? -ret : EIO));
		return EXIT_FAILURE;
	}
	*result = run.result;
	if (result->error) {
		fail(command, "bootstrap failed: %s", result->why);
		return EXIT_FAILURE;
	}
	return 0;
}

static void print_time(const char *name, int64_t t)
{
	char text[UTC_TEXT_LEN + 1] = "-";

	utc_format(text, t);
	print_string(name, text);
}

int cmd_bootstrap(int argc, char *argv[])
{
	static const char command[] = "bootstrap";
	enum { STORE, KEY_FILE, ICCID, BSF, TIMEOUT };
	struct opt opts[] = {
		[STORE] = OPTION("store", OPT_REQUIRED),
		[KEY_FILE] = OPTION("store-key-file", OPT_REQUIRED),
		[ICCID] = OPTION("iccid", OPT_REQUIRED),
		[BSF] = OPTION("bsf", OPT_REQUIRED),
		[TIMEOUT] = OPTION("timeout", 0),
	};
	struct ue_bootstrap_result result;
	struct ue_args ue = { 0 };
	int ret;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (ret)
		return ret;
	ret = bsf_options(command, &opts[BSF], &opts[TIMEOUT], &ue);
	if (!ret)
		ret = open_ue(command, &opts[STORE], &opts[KEY_FILE],
			      &opts[ICCID], &ue);
	if (!ret)
		ret = run_bootstrap(command, &ue, &result);
	if (!ret) {
		print_string("btid", result.btid);
		print_string("impi", usim_impi(ue.usim));
		print_time("expires", result.expires);
		print_string("gba", result.gba_u ? "u" : "me");
		print_string("resync", result.resynced ? "1" : "0");
		ret = finish_output(command);
	}
	ue_args_free(&ue);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

/* ---- naf-key ------------------------------------------------------------- */

enum {
	NK_STORE, NK_KEY_FILE, NK_ICCID, NK_NAF_ID, NK_NAF, NK_UA, NK_BSF,
	NK_TIMEOUT, NK_SHOW,
};

/* --naf-id, or --naf and --ua-proto: NAF_Id into a new buffer. */
static int naf_id_options(const char *command, struct opt *opts,
			  uint8_t **naf_id, size_t *len)
{
	uint8_t ua[GBA_UA_ID_LEN];
	size_t size;
	int ret;

	if (opts[NK_NAF_ID].value && !opts[NK_NAF].value &&
	    !opts[NK_UA].value) {
		ret = hex_option_alloc(command, "naf-id", opts[NK_NAF_ID].value,
				       naf_id, len);
		if (!ret && (*len <= GBA_UA_ID_LEN || *len > KDF_PARAM_MAX)) {
			fail(command, "--naf-id: must be an FQDN and the %d-octet Ua security protocol identifier",
			     GBA_UA_ID_LEN);
			ret = EXIT_USAGE;
		}
		return ret;
	}
	if (opts[NK_NAF_ID].value || !opts[NK_NAF].value ||
	    !opts[NK_UA].value) {
		fail(command, "either --naf-id, or --naf and --ua-proto, is needed");
		return EXIT_USAGE;
	}
	ret = hex_option(command, &opts[NK_UA], ua, sizeof(ua));
	if (!ret && !config_dns_name_valid(opts[NK_NAF].value)) {
		fail(command, "--naf: not a DNS name");
		ret = EXIT_USAGE;
	}
	if (ret)
		return ret;
	size = strlen(opts[NK_NAF].value) + GBA_UA_ID_LEN;
	*naf_id = OPENSSL_malloc(size);
	if (!*naf_id) {
		fail(command, "out of memory");
		return EXIT_FAILURE;
	}
	*len = (size_t)gba_naf_id(*naf_id, size, opts[NK_NAF].value, ua);
	return 0;
}

/* The key, bootstrapping first if need be and allowed. */
static int derive(const char *command, struct ue_args *ue,
		  const uint8_t *naf_id, size_t len, struct ue_naf_key *key,
		  bool *bootstrapped)
{
	struct ue_bootstrap_result result;
	int ret = ue_naf_key(ue->store, ue->usim, naf_id, len, time(NULL), key);

	*bootstrapped = false;
	if ((ret == -ENOENT || ret == -EKEYEXPIRED) && ue->bsf.text) {
		ret = run_bootstrap(command, ue, &result);
		if (ret)
			return ret;
		*bootstrapped = true;
		ret = ue_naf_key(ue->store, ue->usim, naf_id, len, time(NULL),
				 key);
	}
	if (ret == -ENOENT || ret == -EKEYEXPIRED)
		fail(command, "no bootstrap in its lifetime%s",
		     ue->bsf.text ? "" : " (--bsf bootstraps)");
	else if (ret)
		fail(command, "%s", store_strerror(ret));
	return ret ? EXIT_FAILURE : 0;
}

static void print_naf_key(const struct ue_naf_key *key, const uint8_t *naf_id,
			  size_t len, bool bootstrapped, int show)
{
	print_string("btid", key->btid);
	print_string("impi", key->impi);
	print_hex("naf_id", naf_id, len);
	print_time("expires", key->expires);
	print_string("gba", key->gba_u ? "u" : "me");
	print_string("bootstrapped", bootstrapped ? "1" : "0");
	print_key(key->gba_u ? "ks_ext_naf" : "ks_naf", key->key,
		  sizeof(key->key), show);
}

int cmd_naf_key(int argc, char *argv[])
{
	static const char command[] = "naf-key";
	struct opt opts[] = {
		[NK_STORE] = OPTION("store", OPT_REQUIRED),
		[NK_KEY_FILE] = OPTION("store-key-file", OPT_REQUIRED),
		[NK_ICCID] = OPTION("iccid", OPT_REQUIRED),
		[NK_NAF_ID] = OPTION("naf-id", 0),
		[NK_NAF] = OPTION("naf", 0),
		[NK_UA] = OPTION("ua-proto", 0),
		[NK_BSF] = OPTION("bsf", 0),
		[NK_TIMEOUT] = OPTION("timeout", 0),
		[NK_SHOW] = OPTION("show-key", OPT_FLAG),
	};
	struct ue_args ue = { 0 };
	struct ue_naf_key key;
	uint8_t *naf_id = NULL;
	size_t len = 0;
	bool bootstrapped;
	int ret;

	memset(&key, 0, sizeof(key));
	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (ret)
		return ret;
	ret = naf_id_options(command, opts, &naf_id, &len);
	if (!ret)
		ret = bsf_options(command, &opts[NK_BSF], &opts[NK_TIMEOUT],
				  &ue);
	if (!ret)
		ret = open_ue(command, &opts[NK_STORE], &opts[NK_KEY_FILE],
			      &opts[NK_ICCID], &ue);
	if (!ret)
		ret = derive(command, &ue, naf_id, len, &key, &bootstrapped);
	if (!ret) {
		print_naf_key(&key, naf_id, len, bootstrapped,
			      opts[NK_SHOW].count > 0);
		ret = finish_output(command);
	}
	ue_naf_key_wipe(&key);
	OPENSSL_free(naf_id);
	ue_args_free(&ue);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
