// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl onem2m kpsa-fetch, see cmd_onem2m_kpsa.h: one call of
 * mtls_post.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd_onem2m_kpsa.h"
#include "crypto/onem2m.h"
#include "mtls_post.h"
#include "options.h"
#include "proto/onem2m/km_msg.h"
#include "util/dns_name.h"
#include "util/utc.h"

#define COMMAND		"onem2m kpsa-fetch"
#define OPTION(n, f) { .name = (n), .flags = (f) }

enum { URL, KE_ID, ENROLEE_ID, NAME, CERT, KEY, CA, TIMEOUT, SHOW };

struct fetch {
	struct onem2m_km_request req;
	const char *name;		/* Enrolee B's FQDN, of Kpsa-Id */
	struct mtls_post post;
	struct onem2m_km_response resp;	/* km holds Kpsa */
};

/* The options into f; 0 or EXIT_USAGE. */
static int fetch_options(struct opt *opts, struct fetch *f)
{
	char *text = NULL, why[160];

	f->post.command = COMMAND;
	f->post.peer = "the MEF";
	if (mtls_post_options(&f->post, "mef-url", opts[URL].value,
			      opts[CERT].value, opts[KEY].value,
			      opts[CA].value, &opts[TIMEOUT]))
		return EXIT_USAGE;
	if (strlen(opts[KE_ID].value) >= sizeof(f->req.ke_id) ||
	    strlen(opts[ENROLEE_ID].value) >= sizeof(f->req.enrolee_id))
		return report(EXIT_USAGE, COMMAND,
			      "--ke-id or --enrolee-id is too long");
	strcpy(f->req.ke_id, opts[KE_ID].value);
	strcpy(f->req.enrolee_id, opts[ENROLEE_ID].value);
	/* The builder checks both ids, as the MEF's parser will. */
	if (onem2m_km_request_build(&f->req, &text, why, sizeof(why)))
		return report(EXIT_USAGE, COMMAND, "%s", why);
	ub_json_text_free(text);
	f->name = opts[NAME].value;
	if (!dns_name_valid(f->name))
		return report(EXIT_USAGE, COMMAND,
			      "--name: Enrolee B's FQDN is needed");
	return 0;
}

static int parse_kpsa(const char *body, size_t len, void *out, char *why,
		      size_t why_size)
{
	return onem2m_kpsa_response_parse(body, len, out, why, why_size);
}

/* The call, run to its end; 0 or EXIT_FAILURE after saying why. */
static int run_fetch(struct fetch *f)
{
	char why[256], *text = NULL;
	int ret;

	if (onem2m_km_request_build(&f->req, &text, why, sizeof(why)))
		return report(EXIT_FAILURE, COMMAND, "%s", why);
	ret = mtls_post_run(&f->post, ONEM2M_KPSA_PATH, text, parse_kpsa,
			    &f->resp);
	ub_json_text_free(text);
	return ret;
}

static int print_answer(const struct fetch *f, int show)
{
	char expires[UTC_TEXT_LEN + 1] = "-";
	char kpsa_id[ONEM2M_KEY_ID_MAX + 1];

	if (onem2m_kpsa_id(kpsa_id, sizeof(kpsa_id), f->resp.km, f->name))
		return report(EXIT_FAILURE, COMMAND, "cannot derive Kpsa-Id");
	utc_format(expires, f->resp.expires);
	print_string("kpsa_id", kpsa_id);
	print_string("ke_id", f->req.ke_id);
	print_string("enrolee_id", f->req.enrolee_id);
	print_string("expires", expires);
	print_key("kpsa", f->resp.km, sizeof(f->resp.km), show);
	return 0;
}

int cmd_onem2m_kpsa_fetch(int argc, char *argv[])
{
	struct opt opts[] = {
		[URL] = OPTION("mef-url", OPT_REQUIRED),
		[KE_ID] = OPTION("ke-id", OPT_REQUIRED),
		[ENROLEE_ID] = OPTION("enrolee-id", OPT_REQUIRED),
		[NAME] = OPTION("name", OPT_REQUIRED),
		[CERT] = OPTION("cert", OPT_REQUIRED),
		[KEY] = OPTION("key", OPT_REQUIRED),
		[CA] = OPTION("ca", OPT_REQUIRED),
		[TIMEOUT] = OPTION("timeout", 0),
		[SHOW] = OPTION("show-key", OPT_FLAG),
	};
	struct fetch *f = OPENSSL_zalloc(sizeof(*f));
	int ret;

	if (!f)
		return report(EXIT_FAILURE, COMMAND, "out of memory");
	ret = parse_options(COMMAND, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = fetch_options(opts, f);
	if (!ret)
		ret = run_fetch(f);
	if (!ret)
		ret = print_answer(f, opts[SHOW].count > 0);
	if (!ret)
		ret = finish_output(COMMAND);
	mtls_post_free(&f->post);
	OPENSSL_clear_free(f, sizeof(*f));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
