// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl attach, see cmd_attach.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keyutils.h>
#include <openssl/crypto.h>

#include "proto/best/attach_msg.h"
#include "aka/e2m_aka.h"
#include "cmd_attach.h"
#include "net/https_client.h"
#include "flow_ctl.h"
#include "util/why.h"
#include "ue/ue_store.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define COMMAND		"attach"
#define TIMEOUT_MAX	600

enum {
	O_STORE, O_KEY_FILE, O_ICCID, O_SGW, O_DEV, O_ADDRESS, O_PORT,
	O_TEID, O_KEYRING, O_TIMEOUT,
};

struct attach_args {
	struct config_url sgw;
	const char *dev;
	struct attach_gtpu gtpu;
	key_serial_t keyring;
	unsigned int timeout;
};

/* ---- HTTP, one request at a time on a loop of our own -------------------- */

struct exchange {
	int status;
	int error;
	char why[256];
	char *body;
	size_t len;
};

static void got_answer(const struct https_response *r, void *arg)
{
	struct exchange *x = arg;

	x->error = r->error;
	snprintf(x->why, sizeof(x->why), "%s", r->why ? r->why : "");
	x->status = r->status;
	if (!r->error && r->body) {
		x->body = malloc(r->body_len + 1);
		if (x->body) {
			memcpy(x->body, r->body, r->body_len + 1);
			x->len = r->body_len;
		}
	}
}

/* POSTs text to path; 0 with x filled, or EXIT_FAILURE after saying why. */
static int post(const struct attach_args *args, const char *path,
		const char *text, struct exchange *x)
{
	struct event_base *base = event_base_new();
	struct https_client *client = NULL;
	int ret = base ? https_client_new(&client, base, NULL, &args->sgw,
					  args->timeout) : -ENOMEM;

	memset(x, 0, sizeof(*x));
	x->error = -EIO;
	if (!ret && !https_post(client, path, UB_JSON_CONTENT_TYPE, text,
				strlen(text), got_answer, x))
		ret = -ENOMEM;
	if (!ret)
		event_base_dispatch(base);
	https_client_free(client);
	if (base)
		event_base_free(base);
	if (ret || x->error) {
		fail(COMMAND, "the SGW: %s", ret ? strerror(-ret) : x->why);
		return EXIT_FAILURE;
	}
	return 0;
}

static void exchange_free(struct exchange *x)
{
	if (x->body) {
		OPENSSL_cleanse(x->body, x->len);
		free(x->body);
	}
	x->body = NULL;
}

/* A refusal of the SGW, one line with its status and error token. */
static int refused(const struct exchange *x)
{
	struct ub_error err = { "", "" };

	ub_error_parse(x->body, x->len, &err, NULL, 0);
	fail(COMMAND, "the SGW answered %d %s%s%s", x->status,
	     err.error[0] ? err.error : "(no error body)",
	     err.detail[0] ? ": " : "", err.detail);
	return EXIT_FAILURE;
}

/* ---- the run ------------------------------------------------------------- */

struct run {
	struct usim *usim;
	struct attach_challenge ch;
	uint8_t res[AKA_RES_LEN];		/* secret */
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN];	/* secret */
	struct e2m_aka_keys keys;		/* secret */
	struct attach_accept accept;
};

static void run_wipe(struct run *run)
{
	OPENSSL_cleanse(run->res, sizeof(run->res));
	OPENSSL_cleanse(run->ck, sizeof(run->ck));
	OPENSSL_cleanse(run->ik, sizeof(run->ik));
	e2m_aka_keys_wipe(&run->keys);
}

/* A challenge body of the expected status into run->ch. */
static int read_challenge(struct exchange *x, int status, struct run *run)
{
	char why[UB_WHY_MAX];

	if (x->status != status)
		return refused(x);
	if (attach_challenge_parse(x->body, x->len, &run->ch, why,
				   sizeof(why))) {
		fail(COMMAND, "the SGW's challenge: %s", why);
		return EXIT_FAILURE;
	}
	return 0;
}

/*
 * The USIM on run->ch: 0 with RES in run, or with *resync and AUTS in auts
 * when SQN is out of range; EXIT_FAILURE after saying why.
 */
static int authenticate(struct run *run, uint8_t auts[AKA_AUTS_LEN],
			bool *resync)
{
	int ret = usim_authenticate(run->usim, run->ch.rand, run->ch.autn,
				    run->res, run->ck, run->ik, auts);

	*resync = ret == USIM_SYNC_FAILURE;
	if (ret == USIM_OK || ret == USIM_SYNC_FAILURE)
		return 0;
	if (ret == USIM_MAC_FAILURE)
		fail(COMMAND, "the USIM refused AUTN (MAC): not our network");
	else
		fail(COMMAND, "the USIM failed: %s", store_strerror(ret));
	return EXIT_FAILURE;
}

/* After a sync failure: AUTS sent, the fresh challenge (401) in run. */
static int resynchronise(const struct attach_args *args, struct run *run,
			 const uint8_t auts[AKA_AUTS_LEN])
{
	struct attach_complete c;
	struct exchange x;
	char *text = NULL;
	int ret;

	memset(&c, 0, sizeof(c));
	memcpy(c.session, run->ch.session, sizeof(c.session));
	c.resync = true;
	memcpy(c.auts, auts, sizeof(c.auts));
	if (attach_complete_build(&c, &text, NULL, 0))
		return report(EXIT_FAILURE, COMMAND, "cannot make the AUTS");
	ret = post(args, ATTACH_PATH_COMPLETE, text, &x);
	ub_json_text_free(text);
	if (!ret)
		ret = read_challenge(&x, 401, run);
	exchange_free(&x);
	return ret;
}

/* The first challenge, and after a sync failure the second; RES set. */
static int challenge(const struct attach_args *args, struct run *run)
{
	struct attach_request req;
	uint8_t auts[AKA_AUTS_LEN];
	struct exchange x;
	char *text = NULL;
	bool resync = false;
	int ret;

	memset(&req, 0, sizeof(req));
	snprintf(req.imsi, sizeof(req.imsi), "%s", usim_imsi(run->usim));
	req.gtpu = args->gtpu;
	if (attach_request_build(&req, &text, NULL, 0))
		return report(EXIT_FAILURE, COMMAND, "cannot make the request");
	ret = post(args, ATTACH_PATH, text, &x);
	ub_json_text_free(text);
	if (!ret)
		ret = read_challenge(&x, 200, run);
	exchange_free(&x);
	if (!ret)
		ret = authenticate(run, auts, &resync);
	if (!ret && resync)
		ret = resynchronise(args, run, auts);
	if (!ret && resync)
		ret = authenticate(run, auts, &resync);
	if (!ret && resync)
		return report(EXIT_FAILURE, COMMAND,
			      "SQN still out of range after a resynchronisation");
	return ret;
}

/*
 * The e2mKEYSET, and for 5G RES* (in run->keys): the serving network name
 * is made of the challenge's SN id, as a UE learns it from the network.
 */
static int derive(struct run *run)
{
	char snn[SNN_MAX + 1];
	struct e2m_aka_input in = {
		.kind = run->ch.aka,
		.ck = run->ck,
		.ik = run->ik,
		.rand = run->ch.rand,
		.sqn_xor_ak = run->ch.autn,
		.sn_id = run->ch.sn_id,
		.snn = snn,
		.res = run->res,
		.alg = E2M_ALG_AES,
	};

	/* Without the e2m bit the HSS keeps no key set for the HSE. */
	if (!e2m_amf_has_e2m(run->ch.autn + AKA_SQN_LEN))
		return report(EXIT_FAILURE, COMMAND,
			      "the vector is not marked for e2m (AMF)");
	/* The challenge parser took only an SN id that makes a name. */
	if (in.kind == E2M_AKA_5G &&
	    snn_from_plmn(snn, sizeof(snn), run->ch.sn_id))
		return report(EXIT_FAILURE, COMMAND,
			      "the SN id makes no serving network name");
	if (e2m_aka_derive(&in, &run->keys))
		return report(EXIT_FAILURE, COMMAND,
			      "cannot derive the e2mKEYSET");
	return 0;
}

static int complete(const struct attach_args *args, struct run *run)
{
	struct attach_complete c;
	struct exchange x;
	char why[UB_WHY_MAX], *text = NULL;
	int ret;

	memset(&c, 0, sizeof(c));
	memcpy(c.session, run->ch.session, sizeof(c.session));
	/* 5G answers RES*: RES itself never leaves the UE there. */
	c.res_len = run->ch.aka == E2M_AKA_5G ? AKA_RES_STAR_LEN : AKA_RES_LEN;
	memcpy(c.res, run->ch.aka == E2M_AKA_5G ? run->keys.res_star : run->res,
	       c.res_len);
	snprintf(c.pco.imsi, sizeof(c.pco.imsi), "%s", usim_imsi(run->usim));
	memcpy(c.pco.rand, run->ch.rand, sizeof(c.pco.rand));
	ret = attach_complete_build(&c, &text, NULL, 0);
	attach_complete_wipe(&c);
	if (ret)
		return report(EXIT_FAILURE, COMMAND, "cannot make the answer");
	ret = post(args, ATTACH_PATH_COMPLETE, text, &x);
	ub_json_text_free(text);
	if (!ret && x.status != 200)
		ret = refused(&x);
	if (!ret && attach_accept_parse(x.body, x.len, &run->accept, why,
					sizeof(why)))
		ret = report(EXIT_FAILURE, COMMAND, "the SGW's answer: %s",
			     why);
	if (!ret && (strcmp(run->accept.imsi, usim_imsi(run->usim)) ||
		     run->accept.ksi != run->ch.ksi))
		ret = report(EXIT_FAILURE, COMMAND,
			     "the SGW accepted another IMSI or KSI");
	exchange_free(&x);
	return ret;
}

/* ---- the kernel ---------------------------------------------------------- */

static int add_keyset(const struct attach_args *args, struct run *run,
		      key_serial_t *serial)
{
	char desc[64];

	snprintf(desc, sizeof(desc), "imsi:%s ksi:%u", run->accept.imsi,
		 run->accept.ksi);
	return flow_ctl_add_keyset(COMMAND, run->accept.ksi, run->keys.k_enc,
				   run->keys.k_int, desc, args->keyring,
				   serial);
}

/*
 * The flow with the new key: made when missing, else rekeyed (the slot
 * not transmitting goes when both are bound).
 */
static int install(const struct attach_args *args, const struct run *run,
		   key_serial_t serial, bool *made)
{
	struct flow_ctl_flow flow = {
		.teid = args->gtpu.teid,
		.remote_teid = run->accept.hse.teid,
		.peer = run->accept.hse.address,
		.peer_port = run->accept.hse.port,
		.inner_ipv4 = run->accept.inner_ipv4,
	};
	struct flow_ctl_slots slots;
	unsigned int i;
	int ret = flow_ctl_slots(COMMAND, args->dev, args->gtpu.teid, &slots);

	*made = false;
	if (ret)
		return ret;
	if (!slots.found) {
		ret = flow_ctl_add(COMMAND, args->dev, &flow);
		*made = !ret;
	} else if (slots.nslots >= FLOW_CTL_SLOTS_MAX) {
		for (i = 0; i < slots.nslots && !ret; i++) {
			if (!slots.has_tx_key_id ||
			    slots.key_id[i] != slots.tx_key_id)
				ret = flow_ctl_unbind(COMMAND, args->dev,
						      args->gtpu.teid,
						      slots.key_id[i]);
			if (!slots.has_tx_key_id)
				break;
		}
	}
	if (!ret)
		ret = flow_ctl_bind(COMMAND, args->dev, args->gtpu.teid,
				    serial);
	if (!ret)
		ret = flow_ctl_use(COMMAND, args->dev, args->gtpu.teid,
				   run->accept.ksi);
	return ret;
}

/* ---- options -------------------------------------------------------------- */

static int parse_args(struct opt *opts, struct attach_args *a)
{
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
	a->dev = opts[O_DEV].value;
	if (!a->dev[0] || strlen(a->dev) >= 16)
		return report(EXIT_USAGE, COMMAND, "--dev: not a device name");
	snprintf(a->gtpu.address, sizeof(a->gtpu.address), "%s",
		 opts[O_ADDRESS].value);
	if (best_check_ip("address", a->gtpu.address, BEST_IP_ANY, why,
			  sizeof(why)))
		return report(EXIT_USAGE, COMMAND,
			      "--address: not an IPv4 or IPv6 address in its usual form");
	a->gtpu.port = CONFIG_GTPU_PORT;
	if (opts[O_PORT].value) {
		ret = number_option(COMMAND, &opts[O_PORT], 0, UINT16_MAX, &n);
		if (!ret && !n)
			ret = report(EXIT_USAGE, COMMAND, "--port: not 0");
		if (ret)
			return ret;
		a->gtpu.port = (uint16_t)n;
	}
	ret = number_option(COMMAND, &opts[O_TEID], 1, UINT32_MAX, &n);
	if (!ret && !n)
		ret = report(EXIT_USAGE, COMMAND, "--teid: not 0");
	if (ret)
		return ret;
	a->gtpu.teid = (uint32_t)n;
	n = 0;
	if (opts[O_TIMEOUT].value &&
	    (ret = number_option(COMMAND, &opts[O_TIMEOUT], 0, TIMEOUT_MAX,
				 &n)))
		return ret;
	a->timeout = (unsigned int)n;
	a->keyring = KEY_SPEC_USER_KEYRING;
	if (opts[O_KEYRING].value)
		return flow_ctl_parse_keyring(COMMAND, opts[O_KEYRING].value,
					      &a->keyring);
	return 0;
}

static void print_result(const struct attach_args *args, const struct run *run,
			 key_serial_t serial)
{
	char number[16];

	print_string("imsi", run->accept.imsi);
	snprintf(number, sizeof(number), "%u", run->accept.ksi);
	print_string("ksi", number);
	snprintf(number, sizeof(number), "%d", serial);
	print_string("key_serial", number);
	snprintf(number, sizeof(number), "%u", args->gtpu.teid);
	print_string("teid", number);
	snprintf(number, sizeof(number), "%u", run->accept.hse.teid);
	print_string("hse_teid", number);
	print_string("hse_address", run->accept.hse.address);
	print_string("inner_ipv4", run->accept.inner_ipv4);
}

/* Everything after the options: 0 or the exit status. */
static int attach(const struct attach_args *args, struct opt *opts)
{
	struct store *store = NULL;
	struct run run;
	key_serial_t serial = -1;
	bool made = false;
	int ret;

	memset(&run, 0, sizeof(run));
	ret = ue_store_open(COMMAND, &opts[O_STORE], &opts[O_KEY_FILE], &store);
	if (!ret)
		ret = ue_usim_open(COMMAND, store, opts[O_ICCID].value,
				   &run.usim);
	if (!ret)
		ret = challenge(args, &run);
	if (!ret)
		ret = derive(&run);
	if (!ret)
		ret = complete(args, &run);
	if (!ret)
		ret = add_keyset(args, &run, &serial);
	if (!ret) {
		ret = install(args, &run, serial, &made);
		if (ret && made)
			flow_ctl_del(COMMAND, args->dev, args->gtpu.teid);
		if (ret)
			keyctl_revoke(serial);	/* nothing stays installed */
	}
	if (!ret) {
		print_result(args, &run, serial);
		ret = finish_output(COMMAND);
	}
	run_wipe(&run);
	usim_close(run.usim);
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
