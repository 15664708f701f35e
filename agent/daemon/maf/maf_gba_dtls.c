// SPDX-License-Identifier: GPL-2.0
/*
 * The MAF's GBA listener over DTLS 1.2, see maf_gba_dtls.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/gba_zn_key.h"
#include "maf_dtls.h"
#include "maf_gba.h"
#include "maf_gba_dtls.h"
#include "net/http_server.h"
#include "proto/gba/ub_json.h"
#include "role_maf.h"

struct maf_gba_dtls {
	struct gba_zn_key *keys;	/* outlives the server's sessions */
	struct dtls_server *server;
};

/* The handshake proved Km: counted, sealed as over TLS. */
static int established(struct dtls_session *s, void *arg)
{
	struct maf *maf = arg;

	maf->counters.gba_handshakes++;
	return maf_gba_keep(maf, dtls_session_uicc(s),
			    gba_zn_key_answer(dtls_session_await(s)));
}

/* The association of the Km the handshake pulled. */
static int gba_answer(struct maf *maf, struct dtls_session *s, char **text)
{
	return maf_gba_answer(maf, dtls_session_uicc(s),
			      gba_zn_key_answer(dtls_session_await(s)), text);
}

static void request(struct dtls_session *s, const struct http_request *req,
		    const char *body, void *arg)
{
	(void)body;
	maf_dtls_serve(s, req, arg, gba_answer);
}

int maf_gba_dtls_new(struct maf_gba_dtls **out, struct maf *maf, char *why,
		     size_t why_size)
{
	const struct gba_zn_key_conf zn = maf_gba_zn_key(maf);
	struct dtls_server_conf conf = {
		.role = "maf",
		.listen = &maf->conf->gba_dtls_listen,
		.psk = {
			.tls12_only_suites = MAF_TLS12_SUITES,
			.dtls = true,
		},
		.gba_identities = true,
		.established = established,
		.max_sessions = maf->conf->dtls_sessions,
		.deadline = MAF_DTLS_DEADLINE,
		.max_body = UB_JSON_MAX,
		.request = request,
		.arg = maf,
	};
	struct maf_gba_dtls *gba = calloc(1, sizeof(*gba));
	int ret;

	*out = NULL;
	if (!gba || gba_zn_key_new(&gba->keys, &zn)) {
		free(gba);
		snprintf(why, why_size, "out of memory");
		return -ENOMEM;
	}
	conf.keys = gba_zn_key_source(gba->keys);
	ret = dtls_server_new(&gba->server, maf->daemon->base, &conf, why,
			      why_size);
	if (ret) {
		maf_gba_dtls_free(gba);
		return ret;
	}
	*out = gba;
	return 0;
}

void maf_gba_dtls_free(struct maf_gba_dtls *gba)
{
	if (!gba)
		return;
	dtls_server_free(gba->server);
	gba_zn_key_free(gba->keys);
	free(gba);
}

struct dtls_server *maf_gba_dtls_server(struct maf_gba_dtls *gba)
{
	return gba ? gba->server : NULL;
}
