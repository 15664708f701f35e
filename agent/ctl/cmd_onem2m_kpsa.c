// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl onem2m kpsa-fetch, see cmd_onem2m_kpsa.h: one call on an event
 * loop of its own, with the daemon's HTTPS client and TLS modules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd_onem2m_kpsa.h"
#include "crypto/onem2m.h"
#include "net/https_client.h"
#include "net/tls.h"
#include "options.h"
#include "proto/onem2m/km_msg.h"
#include "util/dns_name.h"
#include "util/utc.h"

#define COMMAND		"onem2m kpsa-fetch"
#define OPTION(n, f) { .name = (n), .flags = (f) }
#define TIMEOUT_MAX	600

enum { URL, KE_ID, ENROLEE_ID, NAME, CERT, KEY, CA, TIMEOUT, SHOW };

struct fetch {
	struct onem2m_km_request req;
	const char *name;		/* Enrolee B's FQDN, of Kpsa-Id */
	struct config_url url;
	struct config_tls tls_conf;
	unsigned int timeout;
	/* The outcome. */
	bool answered;
	struct onem2m_km_response resp;	/* km holds Kpsa */
	char why[512];
};

/* The options into f; 0 or EXIT_USAGE. */
static int fetch_options(struct opt *opts, struct fetch *f)
{
	unsigned long long timeout = 0;
	char *text = NULL, why[160];
	int ret = 0;

	if (config_parse_url(opts[URL].value, &f->url) ||
	    strncmp(opts[URL].value, "https://", 8))
		return report(EXIT_USAGE, COMMAND,
			      "--mef-url: must be https://HOST[:PORT]");
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
	if (opts[TIMEOUT].value)
		ret = number_option(COMMAND, &opts[TIMEOUT], 0, TIMEOUT_MAX,
				    &timeout);
	f->timeout = (unsigned int)timeout;
	f->tls_conf.present = true;
	f->tls_conf.certificate.path = (char *)opts[CERT].value;
	f->tls_conf.private_key.path = (char *)opts[KEY].value;
	f->tls_conf.ca.path = (char *)opts[CA].value;
	return ret;
}

static void answered(const struct https_response *r, void *arg)
{
	struct fetch *f = arg;
	struct ub_error err = { "", "" };
	char why[UB_ERROR_DETAIL_MAX + 1];

	if (r->error) {
		snprintf(f->why, sizeof(f->why), "%s: %s", f->url.text, r->why);
		return;
	}
	if (r->status != 200) {
		ub_error_parse(r->body, r->body_len, &err, NULL, 0);
		snprintf(f->why, sizeof(f->why), "the MEF answered %d %s%s%s",
			 r->status,
			 err.error[0] ? err.error : "(no error body)",
			 err.detail[0] ? ": " : "", err.detail);
		return;
	}
	if (onem2m_kpsa_response_parse(r->body, r->body_len, &f->resp, why,
				       sizeof(why))) {
		snprintf(f->why, sizeof(f->why), "a bad answer: %s", why);
		return;
	}
	f->answered = true;
}

/* The call, run to its end; 0 or EXIT_FAILURE after saying why. */
static int run_fetch(struct fetch *f)
{
	struct event_base *base = event_base_new();
	struct https_client *client = NULL;
	struct tls *tls = NULL;
	enum tls_file file;
	char why[256] = "out of memory", *text = NULL;
	int ret = base ? tls_new(&tls, &f->tls_conf, &file, why, sizeof(why)) :
			 -ENOMEM;

	if (!ret)
		ret = https_client_new(&client, base, tls, &f->url, f->timeout);
	if (!ret)
		ret = onem2m_km_request_build(&f->req, &text, why, sizeof(why));
	if (!ret && !https_post(client, ONEM2M_KPSA_PATH, UB_JSON_CONTENT_TYPE,
				text, strlen(text), answered, f))
		ret = -ENOMEM;
	if (!ret)
		event_base_dispatch(base);
	ub_json_text_free(text);
	https_client_free(client);
	tls_free(tls);
	if (base)
		event_base_free(base);
	if (ret)
		fail(COMMAND, "%s", why);
	else if (!f->answered)
		fail(COMMAND, "%s", f->why[0] ? f->why : "no answer");
	return ret || !f->answered ? EXIT_FAILURE : 0;
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
	free(f->url.text);
	free(f->url.host);
	OPENSSL_clear_free(f, sizeof(*f));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
