// SPDX-License-Identifier: GPL-2.0
/*
 * The attach bodies of BEST, see attach_msg.h.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "attach_msg.h"
#include "util/why.h"

#define AKA_NOT_KNOWN	"\"aka\" is not umts, eps or 5g"

/* ---- shared pieces ------------------------------------------------------- */

/* child's members go under key in b; the first error of either wins. */
static void builder_nest(struct json_builder *b, const char *key,
			 struct json_builder *child)
{
	if (!b->error)
		b->error = child->error;
	json_builder_set(b, key, child->obj);
	child->obj = NULL;
}

static int check_gtpu(const char *key, const struct attach_gtpu *g,
		      char *why, size_t why_size)
{
	if (best_check_ip("address", g->address, BEST_IP_ANY, why, why_size))
		return -EINVAL;
	if (!g->port || !g->teid) {
		ub_why(why, why_size, "\"%s\": port and teid must not be 0",
		       key);
		return -EINVAL;
	}
	return 0;
}

static void build_gtpu(struct json_builder *b, const char *key,
		       const struct attach_gtpu *g)
{
	struct json_builder child;

	if (b->error)
		return;
	if (json_builder_init(&child, b->why, b->why_size)) {
		json_builder_set(b, key, NULL);
		return;
	}
	json_builder_string(&child, "address", g->address);
	best_builder_uint(&child, "port", g->port);
	best_builder_uint(&child, "teid", g->teid);
	builder_nest(b, key, &child);
}

static int parse_gtpu(const json_t *root, const char *key,
		      struct attach_gtpu *g, char *why, size_t why_size)
{
	const json_t *obj;
	uint64_t port = 0, teid = 0;
	int ret;

	ret = json_field_object(root, key, true, &obj, why, why_size);
	if (ret >= 0)
		ret = best_field_ip(obj, "address", true, BEST_IP_ANY,
				    g->address, sizeof(g->address), why,
				    why_size);
	if (ret >= 0)
		ret = best_field_uint(obj, "port", true, 1, UINT16_MAX, &port,
				      why, why_size);
	if (ret >= 0)
		ret = best_field_uint(obj, "teid", true, 1, UINT32_MAX, &teid,
				      why, why_size);
	g->port = (uint16_t)port;
	g->teid = (uint32_t)teid;
	return ret;
}

static int check_ksi(unsigned int ksi, char *why, size_t why_size)
{
	if (ksi > ATTACH_KSI_MAX) {
		ub_why(why, why_size, "\"ksi\" is out of range 0..%d",
		       ATTACH_KSI_MAX);
		return -EINVAL;
	}
	return 0;
}

static int parse_ksi(const json_t *root, uint8_t *ksi, char *why,
		     size_t why_size)
{
	uint64_t value = 0;
	int ret = best_field_uint(root, "ksi", true, 0, ATTACH_KSI_MAX, &value,
				  why, why_size);

	*ksi = (uint8_t)value;
	return ret;
}

static int parse_session(const json_t *root, uint8_t *session, char *why,
			 size_t why_size)
{
	return json_field_hex(root, "session", true, session,
			      ATTACH_SESSION_LEN, why, why_size);
}

/* ---- attach request ------------------------------------------------------ */

int attach_request_build(const struct attach_request *req, char **text,
			 char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (best_check_imsi("imsi", req->imsi, why, why_size) ||
	    check_gtpu("gtpu", &req->gtpu, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", req->imsi);
	build_gtpu(&b, "gtpu", &req->gtpu);
	return json_builder_finish(&b, text);
}

static int read_attach_request(const json_t *root, void *out, char *why,
			       size_t why_size)
{
	struct attach_request *r = out;
	int ret;

	ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);
	if (ret >= 0)
		ret = parse_gtpu(root, "gtpu", &r->gtpu, why, why_size);
	return ret;
}

int attach_request_parse(const char *text, size_t len,
			 struct attach_request *req, char *why,
			 size_t why_size)
{
	return json_field_parse(text, len, read_attach_request, req,
				sizeof(*req), why, why_size);
}

/* ---- challenge ----------------------------------------------------------- */

/* 5G: the UE makes the serving network name of the SN id, so it is BCD. */
static int check_sn_id(const struct attach_challenge *ch, char *why,
		       size_t why_size)
{
	char snn[SNN_MAX + 1];

	if (ch->aka != E2M_AKA_5G ||
	    !snn_from_plmn(snn, sizeof(snn), ch->sn_id))
		return 0;
	ub_why(why, why_size, "\"sn-id\" is not a PLMN id in BCD");
	return -EINVAL;
}

int attach_challenge_build(const struct attach_challenge *ch, char **text,
			   char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_ksi(ch->ksi, why, why_size))
		return -EINVAL;
	if (!e2m_aka_kind_name(ch->aka)) {
		ub_why(why, why_size, AKA_NOT_KNOWN);
		return -EINVAL;
	}
	if (check_sn_id(ch, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_hex(&b, "session", ch->session, ATTACH_SESSION_LEN);
	json_builder_hex(&b, "rand", ch->rand, AKA_RAND_LEN);
	json_builder_hex(&b, "autn", ch->autn, AKA_AUTN_LEN);
	best_builder_uint(&b, "ksi", ch->ksi);
	json_builder_string(&b, "aka", e2m_aka_kind_name(ch->aka));
	if (ch->aka != E2M_AKA_UMTS)
		json_builder_hex(&b, "sn-id", ch->sn_id, ATTACH_SN_ID_LEN);
	return json_builder_finish(&b, text);
}

static int parse_aka(const json_t *root, struct attach_challenge *ch,
		     char *why, size_t why_size)
{
	char aka[16];
	int ret = json_field_string(root, "aka", true, aka, sizeof(aka), why,
				    why_size);

	if (ret < 0)
		return ret;
	if (e2m_aka_kind_parse(aka, &ch->aka)) {
		ub_why(why, why_size, AKA_NOT_KNOWN);
		return -EINVAL;
	}
	if (ch->aka == E2M_AKA_UMTS) {
		if (!json_object_get(root, "sn-id"))
			return 1;
		ub_why(why, why_size, "\"sn-id\" comes with eps and 5g only");
		return -EINVAL;
	}
	ret = json_field_hex(root, "sn-id", true, ch->sn_id, ATTACH_SN_ID_LEN,
			     why, why_size);
	if (ret >= 0 && check_sn_id(ch, why, why_size))
		return -EINVAL;
	return ret;
}

static int read_attach_challenge(const json_t *root, void *out, char *why,
				 size_t why_size)
{
	struct attach_challenge *r = out;
	int ret;

	ret = parse_session(root, r->session, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "rand", true, r->rand, AKA_RAND_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "autn", true, r->autn, AKA_AUTN_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = parse_ksi(root, &r->ksi, why, why_size);
	if (ret >= 0)
		ret = parse_aka(root, r, why, why_size);
	return ret;
}

int attach_challenge_parse(const char *text, size_t len,
			   struct attach_challenge *ch, char *why,
			   size_t why_size)
{
	return json_field_parse(text, len, read_attach_challenge, ch,
				sizeof(*ch), why, why_size);
}

/* ---- complete ------------------------------------------------------------ */

static int check_res_len(size_t len, char *why, size_t why_size)
{
	if (len == AKA_RES_LEN || len == AKA_RES_STAR_LEN)
		return 0;
	ub_why(why, why_size,
	       "\"res\" is neither RES (8 octets) nor RES* (16 octets)");
	return -EINVAL;
}

static void build_pco(struct json_builder *b, const struct attach_pco *pco)
{
	struct json_builder child;

	if (b->error)
		return;
	if (json_builder_init(&child, b->why, b->why_size)) {
		json_builder_set(b, "pco", NULL);
		return;
	}
	json_builder_string(&child, "imsi", pco->imsi);
	if (pco->by_sqn)
		json_builder_hex(&child, "sqn", pco->sqn, AKA_SQN_LEN);
	else
		json_builder_hex(&child, "rand", pco->rand, AKA_RAND_LEN);
	builder_nest(b, "pco", &child);
}

int attach_complete_build(const struct attach_complete *c, char **text,
			  char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (!c->resync &&
	    (best_check_imsi("imsi", c->pco.imsi, why, why_size) ||
	     check_res_len(c->res_len, why, why_size)))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_hex(&b, "session", c->session, ATTACH_SESSION_LEN);
	if (c->resync) {
		json_builder_hex(&b, "auts", c->auts, AKA_AUTS_LEN);
	} else {
		json_builder_hex(&b, "res", c->res, c->res_len);
		build_pco(&b, &c->pco);
	}
	return json_builder_finish(&b, text);
}

static int parse_pco(const json_t *root, struct attach_pco *pco, char *why,
		     size_t why_size)
{
	const json_t *obj;
	bool has_rand, has_sqn;
	int ret = json_field_object(root, "pco", true, &obj, why, why_size);

	if (ret < 0)
		return ret;
	ret = best_field_imsi(obj, "imsi", pco->imsi, why, why_size);
	if (ret < 0)
		return ret;
	has_rand = json_object_get(obj, "rand") != NULL;
	has_sqn = json_object_get(obj, "sqn") != NULL;
	if (has_rand == has_sqn) {
		ub_why(why, why_size, "\"pco\" needs one of \"rand\" and \"sqn\"");
		return -EINVAL;
	}
	pco->by_sqn = has_sqn;
	if (has_sqn)
		return json_field_hex(obj, "sqn", true, pco->sqn, AKA_SQN_LEN,
				      why, why_size);
	return json_field_hex(obj, "rand", true, pco->rand, AKA_RAND_LEN, why,
			      why_size);
}

static int parse_answer(const json_t *root, struct attach_complete *c,
			char *why, size_t why_size)
{
	bool has_res = json_object_get(root, "res") != NULL;
	bool has_auts = json_object_get(root, "auts") != NULL;

	if (has_res == has_auts) {
		ub_why(why, why_size, "needs one of \"res\" and \"auts\"");
		return -EINVAL;
	}
	c->resync = has_auts;
	if (has_auts) {
		if (json_object_get(root, "pco")) {
			ub_why(why, why_size, "\"pco\" comes with \"res\" only");
			return -EINVAL;
		}
		return json_field_hex(root, "auts", true, c->auts,
				      AKA_AUTS_LEN, why, why_size);
	}
	if (json_field_hex_var(root, "res", c->res, sizeof(c->res),
			       &c->res_len, why, why_size) < 0 ||
	    check_res_len(c->res_len, why, why_size))
		return -EINVAL;
	return parse_pco(root, &c->pco, why, why_size);
}

static int read_attach_complete(const json_t *root, void *out, char *why,
				size_t why_size)
{
	struct attach_complete *r = out;
	int ret;

	ret = parse_session(root, r->session, why, why_size);
	if (ret >= 0)
		ret = parse_answer(root, r, why, why_size);
	return ret;
}

int attach_complete_parse(const char *text, size_t len,
			  struct attach_complete *c, char *why,
			  size_t why_size)
{
	return json_field_parse(text, len, read_attach_complete, c,
				sizeof(*c), why, why_size);
}

void attach_complete_wipe(struct attach_complete *c)
{
	OPENSSL_cleanse(c, sizeof(*c));
}

/* ---- accept -------------------------------------------------------------- */

int attach_accept_build(const struct attach_accept *a, char **text,
			char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (best_check_imsi("imsi", a->imsi, why, why_size) ||
	    check_ksi(a->ksi, why, why_size) ||
	    check_gtpu("hse", &a->hse, why, why_size) ||
	    best_check_ip("inner-ipv4", a->inner_ipv4, BEST_IPV4, why,
			  why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", a->imsi);
	best_builder_uint(&b, "ksi", a->ksi);
	build_gtpu(&b, "hse", &a->hse);
	json_builder_string(&b, "inner-ipv4", a->inner_ipv4);
	return json_builder_finish(&b, text);
}

static int read_attach_accept(const json_t *root, void *out, char *why,
			      size_t why_size)
{
	struct attach_accept *r = out;
	int ret;

	ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);
	if (ret >= 0)
		ret = parse_ksi(root, &r->ksi, why, why_size);
	if (ret >= 0)
		ret = parse_gtpu(root, "hse", &r->hse, why, why_size);
	if (ret >= 0)
		ret = best_field_ip(root, "inner-ipv4", true, BEST_IPV4,
				    r->inner_ipv4, sizeof(r->inner_ipv4), why,
				    why_size);
	return ret;
}

int attach_accept_parse(const char *text, size_t len,
			struct attach_accept *a, char *why, size_t why_size)
{
	return json_field_parse(text, len, read_attach_accept, a,
				sizeof(*a), why, why_size);
}
