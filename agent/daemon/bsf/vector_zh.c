// SPDX-License-Identifier: GPL-2.0
/*
 * Vectors from e2m's HSS over Zh (proto/gba/zh_msg.h): one HTTPS call a
 * vector, on connections kept alive, see vector_source.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "net/https_client.h"
#include "proto/gba/guss.h"
#include "util/why.h"
#include "role_bsf.h"
#include "vector_backend.h"

static int zh_new(void **state, struct daemon *daemon,
		  const struct config_bsf *conf)
{
	struct https_client *zh;
	int ret;

	ret = https_client_new(&zh, daemon->base, daemon->tls, &conf->hss_url,
			       BSF_ZH_TIMEOUT);
	if (ret)
		return ret;
	https_client_keep_alive(zh);
	https_client_resolve_with(zh, daemon->dns);
	*state = zh;
	return 0;
}

static bool zh_fits(const void *state, const struct config_bsf *conf)
{
	(void)state;
	(void)conf;
	return true;		/* the URL changes in place */
}

static void zh_reconfigure(void *state, const struct config_bsf *conf)
{
	https_client_set_url(state, &conf->hss_url);
}

/* An answer other than 200. */
static void refused(struct vector_call *call, const struct https_response *r)
{
	struct vector_answer a = { VECTOR_UNAVAILABLE, "", NULL, NULL };
	struct ub_error err = { "", "" };
	char why[128];

	ub_error_parse(r->body, r->body_len, &err, NULL, 0);
	if (r->status == 404 && !strcmp(err.error, UB_ERR_UNKNOWN_SUBSCRIBER)) {
		a.outcome = VECTOR_UNKNOWN_USER;
		a.why = "the HSS has no such IMPI";
	} else if (r->status == 403 &&
		   !strcmp(err.error, UB_ERR_RESYNC_FAILED)) {
		a.outcome = VECTOR_RESYNC_FAILED;
		a.why = "AUTS does not verify";
	} else {
		snprintf(why, sizeof(why), "HSS answered %d %s", r->status,
			 err.error[0] ? err.error : "(no error body)");
		a.why = why;
	}
	vector_call_end(call, &a);
}

static void answered(struct vector_call *call, const struct https_response *r)
{
	struct vector_answer a = { VECTOR_OK, "", NULL, NULL };
	struct zh_av_response *av = malloc(sizeof(*av));
	char why[UB_WHY_MAX], text[UB_WHY_MAX + 16], uss[STORE_USS_MAX];

	if (!av) {
		vector_call_unavailable(call, "out of memory");
		return;
	}
	if (zh_av_response_parse(r->body, r->body_len, av, why, sizeof(why))) {
		snprintf(text, sizeof(text), "bad answer: %s", why);
		vector_call_unavailable(call, text);
	} else if (strcmp(av->impi, call->impi)) {
		vector_call_unavailable(call, "answer for another IMPI");
	} else if (guss_to_uss(av->uss, uss, sizeof(uss), why, sizeof(why))) {
		snprintf(text, sizeof(text), "bad answer: %s", why);
		vector_call_unavailable(call, text);
	} else {
		a.av = av;
		a.uss = uss;
		vector_call_end(call, &a);
	}
	zh_av_response_wipe(av);
	free(av);
}

static void zh_done(const struct https_response *r, void *arg)
{
	struct vector_call *call = arg;

	if (r->error)
		vector_call_unavailable(call, r->why);
	else if (r->status != 200)
		refused(call, r);
	else
		answered(call, r);
}

static int zh_fetch(void *state, const struct zh_av_request *req,
		    struct vector_call *call)
{
	char *text = NULL;

	if (zh_av_request_build(req, &text, NULL, 0))
		return -EINVAL;
	call->backend_call = https_post(state, ZH_PATH_AV,
					UB_JSON_CONTENT_TYPE, text,
					strlen(text), zh_done, call);
	ub_json_text_free(text);
	return call->backend_call ? 0 : -ENOMEM;
}

static void zh_cancel(void *backend_call)
{
	https_call_cancel(backend_call);
}

static void zh_free(void *state)
{
	https_client_free(state);
}

const struct vector_backend vector_zh = {
	.kind = "hss",
	.new_state = zh_new,
	.fits = zh_fits,
	.reconfigure = zh_reconfigure,
	.fetch = zh_fetch,
	.cancel = zh_cancel,
	.free_state = zh_free,
};
