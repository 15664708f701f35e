// SPDX-License-Identifier: GPL-2.0
/*
 * Vectors from an HLR over GSUP (proto/gsup/gsup_client.h), see
 * vector_source.h. The BSF identifies itself by bsf.name: an HLR that
 * gives each peer its own IND (osmo-hlr does) keeps the BSF's across
 * reconnects and restarts.
 *
 * An HLR keeps no GBA User Security Settings. The BSF's own policy stands
 * in for them (TS 33.220 leaves a BSF without a GUSS to its local
 * policy): every subscriber may use every NAF of bsf.nafs, with no flags.
 * A NAF not listed there is refused on Zn as ever.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "proto/gsup/gsup_client.h"
#include "role_bsf.h"
#include "vector_backend.h"

struct gsup_source {
	struct gsup_client *client;
	const struct config_bsf *conf;	/* re-pointed on reload */
	char address[CONFIG_IP_TEXT_MAX];
	uint16_t port;
};

static int gsup_new(void **state, struct daemon *daemon,
		    const struct config_bsf *conf)
{
	struct gsup_source *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	ret = gsup_client_new(&s->client, daemon->base, conf->hlr.address,
			      conf->hlr.port, conf->name, BSF_ZH_TIMEOUT);
	if (ret) {
		free(s);
		return ret;
	}
	s->conf = conf;
	strcpy(s->address, conf->hlr.address);
	s->port = conf->hlr.port;
	*state = s;
	return 0;
}

static bool gsup_fits(const void *state, const struct config_bsf *conf)
{
	const struct gsup_source *s = state;

	return !strcmp(s->address, conf->hlr.address) &&
	       s->port == conf->hlr.port;
}

static void gsup_reconfigure(void *state, const struct config_bsf *conf)
{
	struct gsup_source *s = state;

	s->conf = conf;		/* the address is the same: fits() said so */
}

/* The USS every subscriber gets: each NAF of bsf.nafs; 0 or -ENOSPC. */
static int policy_uss(const struct config_bsf *conf, char *out, size_t size)
{
	json_t *list = json_array(), *entry;
	char *text = NULL;
	size_t i;
	int ret = -ENOSPC;

	for (i = 0; list && i < conf->n_nafs; i++) {
		entry = json_pack("{s:s}", "naf", conf->nafs[i].name);
		if (!entry || json_array_append_new(list, entry))
			goto out;
	}
	text = list ? json_dumps(list, JSON_COMPACT) : NULL;
	if (text && strlen(text) < size) {
		strcpy(out, conf->n_nafs ? text : "");
		ret = 0;
	}
out:
	free(text);
	json_decref(list);
	return ret;
}

/* The IMSI an IMPI is made of (TS 23.003 13.3), false when it holds none. */
static bool imsi_of(const char *impi, char imsi[GSUP_IMSI_MAX + 1])
{
	const char *at = strchr(impi, '@');
	size_t len = at ? (size_t)(at - impi) : 0;

	if (!len || len > GSUP_IMSI_MAX)
		return false;
	memcpy(imsi, impi, len);
	imsi[len] = '\0';
	return gsup_imsi_valid(imsi);
}

/* A vector from the HLR in the form of Zh's answer. */
static int to_av(const struct vector_call *call, const struct gsup_vector *v,
		 struct zh_av_response *av, char *why, size_t why_size)
{
	if (v->res_len != AKA_RES_LEN) {
		snprintf(why, why_size, "the HLR's RES has %zu octets, not %d",
			 v->res_len, AKA_RES_LEN);
		return -EINVAL;
	}
	memset(av, 0, sizeof(*av));
	strcpy(av->impi, call->impi);
	memcpy(av->rand, v->rand, sizeof(av->rand));
	memcpy(av->autn, v->autn, sizeof(av->autn));
	memcpy(av->xres, v->res, sizeof(av->xres));
	memcpy(av->ck, v->ck, sizeof(av->ck));
	memcpy(av->ik, v->ik, sizeof(av->ik));
	av->gba_u = false;	/* GSUP says nothing of the UICC: GBA_ME */
	return 0;
}

static void result(struct gsup_source *s, struct vector_call *call,
		   const struct gsup_message *m)
{
	struct vector_answer a = { VECTOR_OK, "", NULL, "" };
	struct zh_av_response *av;
	char why[96], uss[STORE_USS_MAX];

	if (!m->has_vector) {
		vector_call_unavailable(call,
					"the HLR's answer holds no UMTS vector");
		return;
	}
	av = malloc(sizeof(*av));
	if (!av) {
		vector_call_unavailable(call, "out of memory");
		return;
	}
	if (to_av(call, &m->vector, av, why, sizeof(why))) {
		vector_call_unavailable(call, why);
	} else if (policy_uss(s->conf, uss, sizeof(uss))) {
		vector_call_unavailable(call, "bsf.nafs make too long a USS");
	} else {
		a.av = av;
		a.uss = uss;
		vector_call_end(call, &a);
	}
	zh_av_response_wipe(av);
	free(av);
}

/*
 * An error: IMSI unknown is Ub's unknown user (a decoy), but during a
 * resynchronisation it is resync-failed: osmo-hlr 1.5 answers an AUTS
 * that does not verify with IMSI unknown (no vector made), and the IMSI
 * was known a moment ago, for the challenge. A MAC or synch failure there
 * is resync-failed too; the rest unavailable.
 */
static void error(struct vector_call *call, const struct gsup_message *m)
{
	struct vector_answer a = { VECTOR_UNAVAILABLE, "", NULL, NULL };
	uint8_t cause = m->has_cause ? m->cause : 0;
	char why[64];

	if (call->resync && (cause == GSUP_CAUSE_IMSI_UNKNOWN ||
			     cause == GSUP_CAUSE_SYNC_FAIL ||
			     cause == GSUP_CAUSE_MAC_FAIL)) {
		a.outcome = VECTOR_RESYNC_FAILED;
		a.why = "the HLR made no vector from the AUTS";
	} else if (cause == GSUP_CAUSE_IMSI_UNKNOWN) {
		a.outcome = VECTOR_UNKNOWN_USER;
		a.why = "the HLR has no such IMSI";
	} else {
		snprintf(why, sizeof(why), "the HLR answered cause 0x%02x",
			 cause);
		a.why = why;
	}
	vector_call_end(call, &a);
}

static void gsup_done(const struct gsup_message *m, const char *why,
		      void *arg)
{
	struct vector_call *call = arg;

	if (!m)
		vector_call_unavailable(call, why);
	else if (m->type == GSUP_MSGT_SAI_RESULT)
		result(call->state, call, m);
	else
		error(call, m);
}

static int gsup_fetch(void *state, const struct zh_av_request *req,
		      struct vector_call *call)
{
	struct gsup_source *s = state;
	struct gsup_sai_request sai;

	memset(&sai, 0, sizeof(sai));
	if (!imsi_of(req->impi, sai.imsi))
		return -ENOENT;		/* no subscriber of an HLR */
	sai.resync = req->resync;
	memcpy(sai.rand, req->rand, sizeof(sai.rand));
	memcpy(sai.auts, req->auts, sizeof(sai.auts));
	call->backend_call = gsup_client_send_auth_info(s->client, &sai,
							gsup_done, call);
	OPENSSL_cleanse(&sai, sizeof(sai));
	return call->backend_call ? 0 : -ENOMEM;
}

static void gsup_cancel(void *backend_call)
{
	gsup_call_cancel(backend_call);
}

static void gsup_free(void *state)
{
	struct gsup_source *s = state;

	gsup_client_free(s->client);
	free(s);
}

const struct vector_backend vector_gsup = {
	.kind = "hlr",
	.new_state = gsup_new,
	.fits = gsup_fits,
	.reconfigure = gsup_reconfigure,
	.fetch = gsup_fetch,
	.cancel = gsup_cancel,
	.free_state = gsup_free,
};
