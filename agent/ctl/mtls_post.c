// SPDX-License-Identifier: GPL-2.0
/*
 * One JSON POST over HTTPS with mutual TLS, see mtls_post.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "mtls_post.h"
#include "net/https_client.h"
#include "net/tls.h"
#include "proto/gba/ub_json.h"

/* One call's outcome, filled by answered(). */
struct call {
	const struct mtls_post *p;
	mtls_post_parse_fn parse;
	void *out;
	bool answered;
	char why[512];
};

int mtls_post_options(struct mtls_post *p, const char *url_option,
		      const char *url, const char *cert, const char *key,
		      const char *ca, const struct opt *timeout)
{
	unsigned long long seconds = 0;
	int ret = 0;

	if (config_parse_url(url, &p->url))
		return report(EXIT_USAGE, p->command,
			      "--%s: must be https://HOST[:PORT]", url_option);
	if (timeout && timeout->value)
		ret = number_option(p->command, timeout, 0,
				    MTLS_POST_TIMEOUT_MAX, &seconds);
	p->timeout = (unsigned int)seconds;
	p->tls.present = true;
	p->tls.certificate.path = (char *)cert;
	p->tls.private_key.path = (char *)key;
	p->tls.ca.path = (char *)ca;
	return ret;
}

static void answered(const struct https_response *r, void *arg)
{
	struct call *c = arg;
	struct ub_error err = { "", "" };
	char why[UB_ERROR_DETAIL_MAX + 1];

	if (r->error) {
		snprintf(c->why, sizeof(c->why), "%s: %s", c->p->url.text,
			 r->why);
		return;
	}
	if (r->status != 200) {
		ub_error_parse(r->body, r->body_len, &err, NULL, 0);
		snprintf(c->why, sizeof(c->why), "%s answered %d %s%s%s",
			 c->p->peer, r->status,
			 err.error[0] ? err.error : "(no error body)",
			 err.detail[0] ? ": " : "", err.detail);
		return;
	}
	if (c->parse(r->body, r->body_len, c->out, why, sizeof(why))) {
		snprintf(c->why, sizeof(c->why), "a bad answer: %s", why);
		return;
	}
	c->answered = true;
}

int mtls_post_run(struct mtls_post *p, const char *path, const char *body,
		  mtls_post_parse_fn parse, void *out)
{
	struct call c = { .p = p, .parse = parse, .out = out };
	struct event_base *base = event_base_new();
	struct https_client *client = NULL;
	struct tls *tls = NULL;
	enum tls_file file;
	char why[256] = "out of memory";
	int ret = base ? tls_new(&tls, &p->tls, &file, why, sizeof(why)) :
			 -ENOMEM;

	if (!ret)
		ret = https_client_new(&client, base, tls, &p->url, p->timeout);
	if (!ret && !https_post(client, path, UB_JSON_CONTENT_TYPE, body,
				strlen(body), answered, &c))
		ret = -ENOMEM;
	if (!ret)
		event_base_dispatch(base);
	https_client_free(client);
	tls_free(tls);
	if (base)
		event_base_free(base);
	if (ret)
		fail(p->command, "%s", why);
	else if (!c.answered)
		fail(p->command, "%s", c.why[0] ? c.why : "no answer");
	return ret || !c.answered ? EXIT_FAILURE : 0;
}

void mtls_post_free(struct mtls_post *p)
{
	free(p->url.text);
	free(p->url.host);
	p->url.text = NULL;
	p->url.host = NULL;
}
