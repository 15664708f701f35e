// SPDX-License-Identifier: GPL-2.0
/*
 * The MEF's DTLS 1.2 listener, see mef_dtls.h.
 */
#include <string.h>

#include "mef_dtls.h"
#include "mef_enrol.h"
#include "proto/onem2m/enrol_msg.h"
#include "role_mef.h"

/* A request's origin for mef_enrol_handle(), the session behind it. */
struct dtls_origin {
	struct mef_origin o;		/* first */
	struct dtls_session *s;
};

static void dtls_answer(struct mef_origin *o, int status, const char *token,
			const char *body, size_t len)
{
	struct dtls_origin *d = (struct dtls_origin *)o;

	(void)token;
	dtls_session_reply(d->s, status, UB_JSON_CONTENT_TYPE, body, len);
}

static void dtls_request(struct dtls_session *s,
			 const struct http_request *req, const char *body,
			 void *arg)
{
	struct dtls_origin d = {
		.o = {
			.ssl = dtls_session_ssl(s),
			.kpm_id = "-",
			.peer = dtls_session_peer(s),
			.transport = "dtls",
			.reply = dtls_answer,
		},
		.s = s,
	};

	/* Anything but the enrolment: a body the parser refuses (400). */
	if (!req || strcmp(req->method, "POST") ||
	    strcmp(req->path, ONEM2M_ENROL_PATH)) {
		mef_enrol_handle(arg, &d.o, true, "", 0);
		return;
	}
	d.o.kpm_id = tls_psk_identity(d.o.ssl);
	if (!d.o.kpm_id)
		d.o.kpm_id = "-";
	mef_enrol_handle(arg, &d.o,
			 http_request_type_is(req, UB_JSON_CONTENT_TYPE),
			 body, req->body_len);
}

int mef_dtls_new(struct dtls_server **dtls, struct mef *mef, char *why,
		 size_t why_size)
{
	const struct dtls_server_conf conf = {
		.role = "mef",
		.listen = &mef->conf->dtls_listen,
		.psk = {
			.lookup = mef_kpm_lookup,
			.arg = mef,
			.tls12_only_suites = MEF_TLS12_SUITES,
			.dtls = true,
		},
		.max_sessions = mef->conf->dtls_sessions,
		.deadline = MEF_DTLS_DEADLINE,
		.max_body = UB_JSON_MAX,
		.request = dtls_request,
		.arg = mef,
	};

	return dtls_server_new(dtls, mef->daemon->base, &conf, why, why_size);
}
