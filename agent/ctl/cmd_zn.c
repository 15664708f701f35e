// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl zn-query, see cmd_zn.h: one Zn call on an event loop of its own,
 * with the daemon's HTTPS client and TLS modules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd_zn.h"
#include "net/https_client.h"
#include "net/tls.h"
#include "options.h"
#include "util/utc.h"
#include "proto/gba/zn_msg.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }
#define TIMEOUT_MAX	600

enum { URL, BTID, NAF_ID, GBA_U, CERT, KEY, CA, TIMEOUT, SHOW };

struct query {
	struct zn_key_request req;
	struct config_url url;
	struct config_tls tls_conf;
	unsigned int timeout;
	/* The outcome. */
	bool answered;
	int status;
	struct zn_key_response resp;
	char why[512];
};

/* The options into q; 0 or EXIT_USAGE. */
static int query_options(const char *command, struct opt *opts,
			 struct query *q)
{
	unsigned long long timeout = 0;
	uint8_t *naf_id;
	size_t len;
	int ret;

	if (config_parse_url(opts[URL].value, &q->url)) {
		fail(command, "--bsf-url: must be https://HOST[:PORT]");
		return EXIT_USAGE;
	}
	if (!store_btid_valid(opts[BTID].value)) {
		fail(command, "--btid: not a B-TID");
		return EXIT_USAGE;
	}
	strcpy(q->req.btid, opts[BTID].value);
	ret = hex_option_alloc(command, "naf-id", opts[NAF_ID].value, &naf_id,
			       &len);
	if (ret)
		return ret;
	if (len > sizeof(q->req.naf_id) || len <= GBA_UA_ID_LEN) {
		fail(command, "--naf-id: must be an FQDN and the %d-octet Ua security protocol identifier",
		     GBA_UA_ID_LEN);
		ret = EXIT_USAGE;
	} else {
		memcpy(q->req.naf_id, naf_id, len);
		q->req.naf_id_len = len;
	}
	OPENSSL_free(naf_id);
	if (!ret && opts[TIMEOUT].value)
		ret = number_option(command, &opts[TIMEOUT], 0, TIMEOUT_MAX,
				    &timeout);
	q->timeout = (unsigned int)timeout;
	q->req.gba_u = opts[GBA_U].count > 0;
	q->tls_conf.present = true;
	q->tls_conf.certificate.path = (char *)opts[CERT].value;
	q->tls_conf.private_key.path = (char *)opts[KEY].value;
	q->tls_conf.ca.path = (char *)opts[CA].value;
	return ret;
}

static void answered(const struct https_response *r, void *arg)
{
	struct query *q = arg;
	struct ub_error err = { "", "" };
	char why[UB_ERROR_DETAIL_MAX + 1];

	if (r->error) {
		snprintf(q->why, sizeof(q->why), "%s: %s", q->url.text, r->why);
		return;
	}
	q->status = r->status;
	if (r->status != 200) {
		ub_error_parse(r->body, r->body_len, &err, NULL, 0);
		snprintf(q->why, sizeof(q->why), "the BSF answered %d %s%s%s",
			 r->status,
			 err.error[0] ? err.error : "(no error body)",
			 err.detail[0] ? ": " : "", err.detail);
		return;
	}
	if (zn_key_response_parse(r->body, r->body_len, &q->resp, why,
				  sizeof(why))) {
		snprintf(q->why, sizeof(q->why), "a bad answer: %s", why);
		return;
	}
	q->answered = true;
}

/* The call, run to its end; 0 or EXIT_FAILURE after saying why. */
static int run_query(const char *command, struct query *q)
{
	struct event_base *base = event_base_new();
	struct https_client *client = NULL;
	struct tls *tls = NULL;
	enum tls_file file;
	char why[256] = "out of memory", *text = NULL;
	int ret = base ? tls_new(&tls, &q->tls_conf, &file, why, sizeof(why)) :
			 -ENOMEM;

	if (!ret)
		ret = https_client_new(&client, base, tls, &q->url, q->timeout);
	if (!ret)
		ret = zn_key_request_build(&q->req, &text, why, sizeof(why));
	if (!ret && !https_post(client, ZN_PATH_NAF_KEY, UB_JSON_CONTENT_TYPE,
				text, strlen(text), answered, q))
		ret = -ENOMEM;
	if (!ret)
		event_base_dispatch(base);
	ub_json_text_free(text);
	https_client_free(client);
	tls_free(tls);
	if (base)
		event_base_free(base);
	if (ret)
		fail(command, "%s", why);
	else if (!q->answered)
		fail(command, "%s", q->why[0] ? q->why : "no answer");
	return ret || !q->answered ? EXIT_FAILURE : 0;
}

static void print_answer(const struct zn_key_response *resp, int show)
{
	char expires[UTC_TEXT_LEN + 1] = "-";

	utc_format(expires, resp->expires);
	print_string("btid", resp->btid);
	print_string("impi", resp->impi);
	print_string("expires", expires);
	print_string("gba_u", resp->gba_u ? "1" : "0");
	print_key("ks_ext_naf", resp->ks_ext_naf, sizeof(resp->ks_ext_naf),
		  show);
	if (resp->gba_u)
		print_key("ks_int_naf", resp->ks_int_naf,
			  sizeof(resp->ks_int_naf), show);
	print_string("uss", resp->uss[0] ? resp->uss : "-");
}

int cmd_zn_query(int argc, char *argv[])
{
	static const char command[] = "zn-query";
	struct opt opts[] = {
		[URL] = OPTION("bsf-url", OPT_REQUIRED),
		[BTID] = OPTION("btid", OPT_REQUIRED),
		[NAF_ID] = OPTION("naf-id", OPT_REQUIRED),
		[GBA_U] = OPTION("gba-u", OPT_FLAG),
		[CERT] = OPTION("cert", OPT_REQUIRED),
		[KEY] = OPTION("key", OPT_REQUIRED),
		[CA] = OPTION("ca", OPT_REQUIRED),
		[TIMEOUT] = OPTION("timeout", 0),
		[SHOW] = OPTION("show-key", OPT_FLAG),
	};
	struct query *q = calloc(1, sizeof(*q));
	int ret;

	if (!q) {
		fail(command, "out of memory");
		return EXIT_FAILURE;
	}
	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = query_options(command, opts, q);
	if (!ret)
		ret = run_query(command, q);
	if (!ret) {
		print_answer(&q->resp, opts[SHOW].count > 0);
		ret = finish_output(command);
	}
	zn_key_response_wipe(&q->resp);
	free(q->url.text);
	free(q->url.host);
	free(q);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
