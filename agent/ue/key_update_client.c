// SPDX-License-Identifier: GPL-2.0
/*
 * The UE's side of a key update over HTTP, see key_update_client.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "key_update_client.h"
#include "net/https_client.h"
#include "proto/gba/ub_json.h"
#include "proto/keyupdate/session_msg.h"
#include "ue/usim_update.h"
#include "util/why.h"

#define COMMANDS_MAX	16	/* a session takes 4 or 5 */

struct run {
	const struct ue_key_update_conf *conf;
	struct ue_key_update_result *result;
	struct event_base *base;
	struct https_client *client;
	struct usim_update *usim;
	struct ku_session_request req;
	struct ku_session_response resp;
};

static void finish(struct run *run, int error, int status, const char *fmt,
		   const char *detail)
{
	run->result->error = error;
	run->result->status = status;
	if (fmt)
		ub_why(run->result->why, sizeof(run->result->why), fmt,
		       detail ? detail : "");
	event_base_loopbreak(run->base);
}

static void post(struct run *run);

/* The USIM's answer to the server's command goes back. */
static void handle_command(struct run *run)
{
	size_t len = 0;

	if (++run->result->commands > COMMANDS_MAX) {
		finish(run, -EPROTO, 0, "the server sent too many commands%s",
		       NULL);
		return;
	}
	usim_update_handle(run->usim, run->resp.c_apdu, run->resp.c_apdu_len,
			   run->req.r_apdu, sizeof(run->req.r_apdu), &len);
	if (len < 2) {
		finish(run, -EPROTO, 0, "the USIM's session is over%s", NULL);
		return;
	}
	run->req.kind = KU_SESSION_NEXT;
	memcpy(run->req.session, run->resp.session, KU_SESSION_ID_LEN);
	run->req.r_apdu_len = len;
	post(run);
}

static void answered(const struct https_response *r, void *arg)
{
	struct run *run = arg;
	struct ub_error err = { .error = "" };
	char why[UB_ERROR_TOKEN_MAX + UB_ERROR_DETAIL_MAX + 16];

	if (r->error) {
		finish(run, r->error, 0, "no answer from the server: %s",
		       r->why);
	} else if (r->status != 200) {
		ub_error_parse(r->body, r->body_len, &err, NULL, 0);
		snprintf(why, sizeof(why), "%d %s%s%s", r->status, err.error,
			 err.detail[0] ? ": " : "", err.detail);
		finish(run, -EACCES, r->status, "the server refused: %s", why);
	} else if (ku_session_response_parse(r->body, r->body_len, &run->resp,
					     why, sizeof(why))) {
		finish(run, -EPROTO, 0, "the server's answer: %s", why);
	} else if (run->resp.done) {
		finish(run, 0, 0, NULL, NULL);
	} else {
		handle_command(run);
	}
}

static void post(struct run *run)
{
	char why[UB_ERROR_DETAIL_MAX + 1], *text = NULL;

	if (ku_session_request_build(&run->req, &text, why, sizeof(why))) {
		finish(run, -EINVAL, 0, "%s", why);
		return;
	}
	if (!https_post(run->client, KU_SESSION_PATH, UB_JSON_CONTENT_TYPE,
			text, strlen(text), answered, run))
		finish(run, -ENOMEM, 0, "cannot send%s", NULL);
	ub_json_text_free(text);
}

static int start(struct run *run)
{
	const struct ue_key_update_conf *conf = run->conf;
	unsigned char *der = NULL;
	int len = i2d_X509(conf->sd_cert, &der);

	if (len <= 0 || len > OCE_CERT_MAX) {
		OPENSSL_free(der);
		return -EINVAL;
	}
	run->req.kind = KU_SESSION_START;
	strcpy(run->req.iccid, conf->iccid);
	memcpy(run->req.sd_cert, der, (size_t)len);
	run->req.sd_cert_len = (size_t)len;
	OPENSSL_free(der);
	post(run);
	return 0;
}

void ue_key_update_run(const struct ue_key_update_conf *conf,
		       struct ue_key_update_result *result)
{
	struct run *run = calloc(1, sizeof(*run));
	int ret = run ? 0 : -ENOMEM;

	memset(result, 0, sizeof(*result));
	result->error = -EIO;
	if (!ret) {
		run->conf = conf;
		run->result = result;
		run->base = event_base_new();
		ret = run->base ? 0 : -ENOMEM;
	}
	if (!ret)
		ret = https_client_new(&run->client, run->base, NULL,
				       conf->server, conf->timeout);
	if (!ret)
		ret = usim_update_new(&run->usim, conf->store, conf->iccid,
				      conf->sd_key, conf->ca_kloc);
	if (!ret)
		ret = start(run);
	if (!ret)
		event_base_dispatch(run->base);
	else
		ub_why(result->why, sizeof(result->why), "cannot start: %s",
		       strerror(-ret));
	if (run) {
		usim_update_free(run->usim);
		https_client_free(run->client);
		if (run->base)
			event_base_free(run->base);
		free(run);
	}
	if (ret)
		result->error = ret;
}
