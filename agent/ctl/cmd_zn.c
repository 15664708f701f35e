// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl zn-query, see cmd_zn.h: one Zn call of mtls_post.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd_zn.h"
#include "mtls_post.h"
#include "options.h"
#include "util/utc.h"
#include "proto/gba/zn_msg.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }

enum { URL, BTID, NAF_ID, GBA_U, CERT, KEY, CA, TIMEOUT, SHOW };

struct query {
	struct zn_key_request req;
	struct mtls_post post;
	struct zn_key_response resp;
};

/* The options into q; 0 or EXIT_USAGE. */
static int query_options(const char *command, struct opt *opts,
			 struct query *q)
{
	uint8_t *naf_id;
	size_t len;
	int ret;

	q->post.command = command;
	q->post.peer = "the BSF";
	if (mtls_post_options(&q->post, "bsf-url", opts[URL].value,
			      opts[CERT].value, opts[KEY].value,
			      opts[CA].value, &opts[TIMEOUT]))
		return EXIT_USAGE;
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
	q->req.gba_u = opts[GBA_U].count > 0;
	return ret;
}

static int parse_key(const char *body, size_t len, void *out, char *why,
		     size_t why_size)
{
	return zn_key_response_parse(body, len, out, why, why_size);
}

/* The call, run to its end; 0 or EXIT_FAILURE after saying why. */
static int run_query(const char *command, struct query *q)
{
	char why[256], *text = NULL;
	int ret;

	if (zn_key_request_build(&q->req, &text, why, sizeof(why)))
		return report(EXIT_FAILURE, command, "%s", why);
	ret = mtls_post_run(&q->post, ZN_PATH_NAF_KEY, text, parse_key,
			    &q->resp);
	ub_json_text_free(text);
	return ret;
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
	mtls_post_free(&q->post);
	free(q);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
