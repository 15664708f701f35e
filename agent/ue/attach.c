// SPDX-License-Identifier: GPL-2.0
/*
 * The UE's BEST attach, see attach.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aka/e2m_aka.h"
#include "attach.h"
#include "kernel/e2m_flow.h"
#include "kernel/e2m_keyset.h"
#include "net/https_client.h"
#include "util/why.h"

/* Says why in why (UE_ATTACH_WHY_MAX); -1 for "return because(...)". */
static int __attribute__((format(printf, 2, 3)))
because(char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, UE_ATTACH_WHY_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- HTTP, one request at a time on a loop of our own -------------------- */

struct exchange {
	int status;
	int error;
	char why[256];
	char *body;
	size_t len;
};

static void got_answer(const struct https_response *r, void *arg)
{
	struct exchange *x = arg;

	x->error = r->error;
	snprintf(x->why, sizeof(x->why), "%s", r->why ? r->why : "");
	x->status = r->status;
	if (!r->error && r->body) {
		x->body = malloc(r->body_len + 1);
		if (x->body) {
			memcpy(x->body, r->body, r->body_len + 1);
			x->len = r->body_len;
		}
	}
}

/* POSTs text to path; 0 with x filled, or -1 with why. */
static int post(const struct ue_attach_conf *conf, const char *path,
		const char *text, struct exchange *x, char *why)
{
	struct event_base *base = event_base_new();
	struct https_client *client = NULL;
	int ret = base ? https_client_new(&client, base, NULL, conf->sgw,
					  conf->timeout) : -ENOMEM;

	memset(x, 0, sizeof(*x));
	x->error = -EIO;
	if (!ret && !https_post(client, path, UB_JSON_CONTENT_TYPE, text,
				strlen(text), got_answer, x))
		ret = -ENOMEM;
	if (!ret)
		event_base_dispatch(base);
	https_client_free(client);
	if (base)
		event_base_free(base);
	if (ret || x->error)
		return because(why, "the SGW: %s",
			       ret ? strerror(-ret) : x->why);
	return 0;
}

static void exchange_free(struct exchange *x)
{
	if (x->body) {
		OPENSSL_cleanse(x->body, x->len);
		free(x->body);
	}
	x->body = NULL;
}

/* A refusal of the SGW, one line with its status and error token. */
static int refused(const struct exchange *x, char *why)
{
	struct ub_error err = { "", "" };

	ub_error_parse(x->body, x->len, &err, NULL, 0);
	return because(why, "the SGW answered %d %s%s%s", x->status,
		       err.error[0] ? err.error : "(no error body)",
		       err.detail[0] ? ": " : "", err.detail);
}

/* ---- the run ------------------------------------------------------------- */

struct run {
	const struct ue_attach_conf *conf;
	struct usim *usim;
	struct attach_challenge ch;
	uint8_t res[AKA_RES_LEN];		/* secret */
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN];	/* secret */
	struct e2m_aka_keys keys;		/* secret */
	struct attach_accept accept;
	char *why;			/* UE_ATTACH_WHY_MAX */
};

static void run_wipe(struct run *run)
{
	OPENSSL_cleanse(run->res, sizeof(run->res));
	OPENSSL_cleanse(run->ck, sizeof(run->ck));
	OPENSSL_cleanse(run->ik, sizeof(run->ik));
	e2m_aka_keys_wipe(&run->keys);
}

/* A challenge body of the expected status into run->ch. */
static int read_challenge(struct exchange *x, int status, struct run *run)
{
	char why[UB_WHY_MAX];

	if (x->status != status)
		return refused(x, run->why);
	if (attach_challenge_parse(x->body, x->len, &run->ch, why,
				   sizeof(why)))
		return because(run->why, "the SGW's challenge: %s", why);
	return 0;
}

/*
 * The USIM on run->ch: 0 with RES in run, or with *resync and AUTS in auts
 * when SQN is out of range; -1 with why.
 */
static int authenticate(struct run *run, uint8_t auts[AKA_AUTS_LEN],
			bool *resync)
{
	int ret = usim_authenticate(run->usim, run->ch.rand, run->ch.autn,
				    run->res, run->ck, run->ik, auts);

	*resync = ret == USIM_SYNC_FAILURE;
	if (ret == USIM_OK || ret == USIM_SYNC_FAILURE)
		return 0;
	if (ret == USIM_MAC_FAILURE)
		return because(run->why,
			       "the USIM refused AUTN (MAC): not our network");
	return because(run->why, "the USIM failed: %s", store_strerror(ret));
}

/* After a sync failure: AUTS sent, the fresh challenge (401) in run. */
static int resynchronise(struct run *run,
			 const uint8_t auts[AKA_AUTS_LEN])
{
	struct attach_complete c;
	struct exchange x;
	char *text = NULL;
	int ret;

	memset(&c, 0, sizeof(c));
	memcpy(c.session, run->ch.session, sizeof(c.session));
	c.resync = true;
	memcpy(c.auts, auts, sizeof(c.auts));
	if (attach_complete_build(&c, &text, NULL, 0))
		return because(run->why, "cannot make the AUTS");
	ret = post(run->conf, ATTACH_PATH_COMPLETE, text, &x, run->why);
	ub_json_text_free(text);
	if (!ret)
		ret = read_challenge(&x, 401, run);
	exchange_free(&x);
	return ret;
}

/* The first challenge, and after a sync failure the second; RES set. */
static int challenge(struct run *run)
{
	struct attach_request req;
	uint8_t auts[AKA_AUTS_LEN];
	struct exchange x;
	char *text = NULL;
	bool resync = false;
	int ret;

	memset(&req, 0, sizeof(req));
	snprintf(req.imsi, sizeof(req.imsi), "%s", usim_imsi(run->usim));
	req.gtpu = run->conf->gtpu;
	if (attach_request_build(&req, &text, NULL, 0))
		return because(run->why, "cannot make the request");
	ret = post(run->conf, ATTACH_PATH, text, &x, run->why);
	ub_json_text_free(text);
	if (!ret)
		ret = read_challenge(&x, 200, run);
	exchange_free(&x);
	if (!ret)
		ret = authenticate(run, auts, &resync);
	if (!ret && resync)
		ret = resynchronise(run, auts);
	if (!ret && resync)
		ret = authenticate(run, auts, &resync);
	if (!ret && resync)
		return because(run->why,
			       "SQN still out of range after a resynchronisation");
	return ret;
}

/*
 * The e2mKEYSET, and for 5G RES* (in run->keys): the serving network name
 * is made of the challenge's SN id, as a UE learns it from the network.
 */
static int derive(struct run *run)
{
	char snn[SNN_MAX + 1];
	struct e2m_aka_input in = {
		.kind = run->ch.aka,
		.ck = run->ck,
		.ik = run->ik,
		.rand = run->ch.rand,
		.sqn_xor_ak = run->ch.autn,
		.sn_id = run->ch.sn_id,
		.snn = snn,
		.res = run->res,
		.alg = E2M_ALG_AES,
	};

	/* Without the e2m bit the HSS keeps no key set for the HSE. */
	if (!e2m_amf_has_e2m(run->ch.autn + AKA_SQN_LEN))
		return because(run->why,
			       "the vector is not marked for e2m (AMF)");
	/* The challenge parser took only an SN id that makes a name. */
	if (in.kind == E2M_AKA_5G &&
	    snn_from_plmn(snn, sizeof(snn), run->ch.sn_id))
		return because(run->why,
			       "the SN id makes no serving network name");
	if (e2m_aka_derive(&in, &run->keys))
		return because(run->why, "cannot derive the e2mKEYSET");
	return 0;
}

static int complete(struct run *run)
{
	struct attach_complete c;
	struct exchange x;
	char why[UB_WHY_MAX], *text = NULL;
	int ret;

	memset(&c, 0, sizeof(c));
	memcpy(c.session, run->ch.session, sizeof(c.session));
	/* 5G answers RES*: RES itself never leaves the UE there. */
	c.res_len = run->ch.aka == E2M_AKA_5G ? AKA_RES_STAR_LEN : AKA_RES_LEN;
	memcpy(c.res, run->ch.aka == E2M_AKA_5G ? run->keys.res_star : run->res,
	       c.res_len);
	snprintf(c.pco.imsi, sizeof(c.pco.imsi), "%s", usim_imsi(run->usim));
	memcpy(c.pco.rand, run->ch.rand, sizeof(c.pco.rand));
	ret = attach_complete_build(&c, &text, NULL, 0);
	attach_complete_wipe(&c);
	if (ret)
		return because(run->why, "cannot make the answer");
	ret = post(run->conf, ATTACH_PATH_COMPLETE, text, &x, run->why);
	ub_json_text_free(text);
	if (!ret && x.status != 200)
		ret = refused(&x, run->why);
	if (!ret && attach_accept_parse(x.body, x.len, &run->accept, why,
					sizeof(why)))
		ret = because(run->why, "the SGW's answer: %s", why);
	if (!ret && (strcmp(run->accept.imsi, usim_imsi(run->usim)) ||
		     run->accept.ksi != run->ch.ksi))
		ret = because(run->why,
			      "the SGW accepted another IMSI or KSI");
	exchange_free(&x);
	return ret;
}

/* ---- the kernel ---------------------------------------------------------- */

static int add_keyset(struct run *run, key_serial_t *serial)
{
	struct e2m_keyset_payload p;
	const char *text;
	char desc[64];
	int ret;

	snprintf(desc, sizeof(desc), "imsi:%s ksi:%u", run->accept.imsi,
		 run->accept.ksi);
	e2m_keyset_payload_init(&p, run->accept.ksi, E2M_ALG_AES, E2M_ALG_AES,
				run->keys.k_enc, run->keys.k_int, 0);
	ret = e2m_keyset_add(run->conf->keyring, desc, &p, serial);
	OPENSSL_cleanse(&p, sizeof(p));
	if (!ret)
		return 0;
	text = e2m_keyset_strerror(ret);
	if (text)
		return because(run->why, "%s", text);
	return because(run->why, "add_key: %s", strerror(-ret));
}

/* The address the SGW gave: it checked its form, the kernel needs it so. */
static int address(struct run *run, const char *name, const char *text,
		   struct e2m_ip *ip)
{
	if (e2m_ip_parse(text, ip))
		return because(run->why,
			       "%s: not an IPv4 or IPv6 address: \"%s\"", name,
			       text);
	return 0;
}

/* The flow the SGW granted, from the UE's TEID to the HSE's. */
static int new_flow(struct run *run, struct genl_conn *conn)
{
	const struct ue_attach_conf *conf = run->conf;
	struct e2m_flow flow;
	struct e2m_ip inner;

	memset(&flow, 0, sizeof(flow));
	flow.local_teid = conf->gtpu.teid;
	flow.remote_teid = run->accept.hse.teid;
	flow.peer_port = run->accept.hse.port;
	if (address(run, "peer", run->accept.hse.address, &flow.peer) ||
	    address(run, "inner", run->accept.inner_ipv4, &inner))
		return -1;
	if (inner.family == AF_INET) {
		flow.has_inner4 = true;
		flow.inner4 = inner.v4;
	} else {
		flow.has_inner6 = true;
		flow.inner6 = inner.v6;
	}
	return e2m_flow_new(conn, conf->dev, &flow);
}

/* A rekey with both slots bound: the one not transmitting goes. */
static int free_slot(const struct ue_attach_conf *conf,
		     struct genl_conn *conn, const struct e2m_flow *flow)
{
	unsigned int i;
	int ret = 0;

	if (flow->nslots < E2M_MAX_SLOTS)
		return 0;
	for (i = 0; i < flow->nslots && !ret; i++) {
		if (!flow->has_tx_key_id ||
		    flow->slots[i].key_id != flow->tx_key_id)
			ret = e2m_key_unbind(conn, conf->dev, conf->gtpu.teid,
					     flow->slots[i].key_id);
		if (!flow->has_tx_key_id)
			break;
	}
	return ret;
}

/*
 * The flow with the new key: made when missing (*made), else rekeyed. 0,
 * or -1 with why (the kernel's words).
 */
static int install(struct run *run, struct genl_conn *conn,
		   key_serial_t serial, bool *made)
{
	const struct ue_attach_conf *conf = run->conf;
	struct e2m_flow flow;
	int ret = e2m_flow_get(conn, conf->dev, conf->gtpu.teid, &flow);

	*made = false;
	/* No such flow is an answer here, not a failure. */
	if (ret == -ENOENT) {
		ret = new_flow(run, conn);
		*made = !ret;
	} else if (!ret) {
		ret = free_slot(conf, conn, &flow);
	}
	if (!ret)
		ret = e2m_key_bind(conn, conf->dev, conf->gtpu.teid, serial,
				   0);
	if (!ret)
		ret = e2m_key_use(conn, conf->dev, conf->gtpu.teid,
				  run->accept.ksi);
	if (ret && !run->why[0])
		because(run->why, "%s", conn->error);
	return ret ? -1 : 0;
}

/* The key and the flow; nothing stays installed when a step fails. */
static int install_all(struct run *run, key_serial_t *serial)
{
	struct genl_conn conn;
	bool made = false;
	int ret = add_keyset(run, serial);

	if (ret)
		return ret;
	if (genl_open(&conn) < 0) {
		keyctl_revoke(*serial);
		return because(run->why, "%s", conn.error);
	}
	ret = install(run, &conn, *serial, &made);
	if (ret && made)
		e2m_flow_del(&conn, run->conf->dev, run->conf->gtpu.teid);
	if (ret)
		keyctl_revoke(*serial);
	genl_close(&conn);
	return ret;
}

/* ---- the attach ----------------------------------------------------------- */

int ue_attach(const struct ue_attach_conf *conf,
	      struct ue_attach_result *result)
{
	struct run run;
	int ret;

	memset(&run, 0, sizeof(run));
	memset(result, 0, sizeof(*result));
	result->serial = -1;
	run.conf = conf;
	run.usim = conf->usim;
	run.why = result->why;
	ret = challenge(&run);
	if (!ret)
		ret = derive(&run);
	if (!ret)
		ret = complete(&run);
	if (!ret)
		ret = install_all(&run, &result->serial);
	if (!ret)
		result->accept = run.accept;
	run_wipe(&run);
	return ret ? -1 : 0;
}
