// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's DTLS 1.2 listener, see maf_dtls.h.
 */
#include <string.h>

#include "maf_dtls.h"
#include "maf_km_pull.h"
#include "net/http_server.h"
#include "proto/gba/ub_json.h"
#include "role_maf.h"

/* An error answer with ub_json.h's body {"error": token}. */
static void refuse(struct dtls_session *s, int status, const char *token)
{
	char *text = NULL;

	if (ub_error_build(token, NULL, &text)) {
		dtls_session_reply(s, status, NULL, NULL, 0);
		return;
	}
	dtls_session_reply(s, status, UB_JSON_CONTENT_TYPE, text,
			   strlen(text));
	ub_json_text_free(text);
}

void maf_dtls_serve(struct dtls_session *s, const struct http_request *req,
		    struct maf *maf, maf_dtls_answer answer)
{
	char *text = NULL;
	int status;

	maf->counters.requests++;
	if (!req)
		return refuse(s, 400, UB_ERR_BAD_REQUEST);
	if (strcmp(req->path, ONEM2M_ASSOCIATION_PATH))
		return refuse(s, 404, HTTP_ERR_NOT_FOUND);
	if (strcmp(req->method, "GET"))
		return refuse(s, 405, HTTP_ERR_METHOD_NOT_ALLOWED);
	status = answer(maf, s, &text);
	if (status != 200)
		return refuse(s, status, status == 403 ? MAF_ERR_KM_GONE :
			      UB_ERR_INTERNAL);
	dtls_session_reply(s, 200, UB_JSON_CONTENT_TYPE, text, strlen(text));
	ub_json_text_free(text);
}

/* The association of the Km the session's identity names. */
static int km_answer(struct maf *maf, struct dtls_session *s, char **text)
{
	return maf_association_answer(maf, dtls_session_identity(s), text);
}

static void dtls_request(struct dtls_session *s,
			 const struct http_request *req, const char *body,
			 void *arg)
{
	(void)body;
	maf_dtls_serve(s, req, arg, km_answer);
}

int maf_dtls_new(struct dtls_server **dtls, struct maf *maf, char *why,
		 size_t why_size)
{
	/* With km-pull, Kms not held are pulled as over TLS. */
	const struct dtls_server_conf conf = {
		.role = "maf",
		.listen = &maf->conf->dtls_listen,
		.psk = {
			.lookup = maf_km_lookup,
			.arg = maf,
			.tls12_only_suites = MAF_TLS12_SUITES,
			.dtls = true,
		},
		.keys = maf->conf->km_pull ? maf_km_pull_source(maf) :
			(struct psk_source){ 0 },
		.max_sessions = maf->conf->dtls_sessions,
		.deadline = MAF_DTLS_DEADLINE,
		.max_body = UB_JSON_MAX,
		.request = dtls_request,
		.arg = maf,
	};

	return dtls_server_new(dtls, maf->daemon->base, &conf, why, why_size);
}
