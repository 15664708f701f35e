// SPDX-License-Identifier: GPL-2.0
/*
 * The BEST AV request and its answer: see av_msg.h.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>

#include "av_msg.h"
#include "msg_field.h"
#include "proto/gba/ub_json.h"
#include "util/why.h"

#define AKA_NOT_KNOWN	"\"aka\" is not umts, eps or 5g"
#define SNN_NOT_VALID \
	"\"snn\" is not a serving network name (\"5G:\", printable ASCII, " \
	"no space, at most 128 characters)"

/* ---- the request --------------------------------------------------------- */

static void build_resync(struct json_builder *b, const struct av_request *req)
{
	struct json_builder resync;

	if (json_builder_init(&resync, b->why, b->why_size)) {
		json_builder_set(b, "resync", NULL);
		return;
	}
	json_builder_hex(&resync, "rand", req->rand, AKA_RAND_LEN);
	json_builder_hex(&resync, "auts", req->auts, AKA_AUTS_LEN);
	/* The first error of either builder is the one. */
	if (!b->error)
		b->error = resync.error;
	json_builder_set(b, "resync", resync.obj);
}

int av_request_build(const struct av_request *req, char **text, char *why,
		     size_t why_size)
{
	const char *aka = e2m_aka_kind_name(req->aka);
	struct json_builder b;

	*text = NULL;
	if (best_check_imsi("imsi", req->imsi, why, why_size))
		return -EINVAL;
	if (!aka) {
		ub_why(why, why_size, AKA_NOT_KNOWN);
		return -EINVAL;
	}
	if (req->aka == E2M_AKA_5G && !snn_valid(req->snn)) {
		ub_why(why, why_size, SNN_NOT_VALID);
		return -EINVAL;
	}
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", req->imsi);
	json_builder_string(&b, "aka", aka);
	if (req->aka == E2M_AKA_EPS)
		json_builder_hex(&b, "sn-id", req->sn_id, SN_ID_LEN);
	if (req->aka == E2M_AKA_5G)
		json_builder_string(&b, "snn", req->snn);
	if (req->resync)
		build_resync(&b, req);
	return json_builder_finish(&b, text);
}

/* -EINVAL if key is there: a member of another kind of AKA. */
static int refuse_member(const json_t *root, const char *key,
			 const char *kind, char *why, size_t why_size)
{
	if (!json_object_get(root, key))
		return 0;
	ub_why(why, why_size, "\"%s\" is for %s only", key, kind);
	return -EINVAL;
}

/* The serving network name of a 5G request, checked as snn_valid() has it. */
static int parse_snn(const json_t *root, struct av_request *r, char *why,
		     size_t why_size)
{
	int ret = json_field_string(root, "snn", true, r->snn,
				    sizeof(r->snn), why, why_size);

	if (ret < 0)
		return ret;
	if (!snn_valid(r->snn)) {
		ub_why(why, why_size, SNN_NOT_VALID);
		return -EINVAL;
	}
	return 0;
}

/* "aka", with "sn-id" for EPS and "snn" for 5G, and neither for UMTS. */
static int parse_aka(const json_t *root, struct av_request *r, char *why,
		     size_t why_size)
{
	const json_t *aka = json_object_get(root, "aka");

	if (!aka) {
		ub_why(why, why_size, "\"aka\" missing");
		return -EINVAL;
	}
	/* The length check keeps "umts\u0000x" from reading as "umts". */
	if (!json_is_string(aka) ||
	    json_string_length(aka) != strlen(json_string_value(aka)) ||
	    e2m_aka_kind_parse(json_string_value(aka), &r->aka)) {
		ub_why(why, why_size, AKA_NOT_KNOWN);
		return -EINVAL;
	}
	if (r->aka != E2M_AKA_EPS &&
	    refuse_member(root, "sn-id", "EPS", why, why_size))
		return -EINVAL;
	if (r->aka != E2M_AKA_5G &&
	    refuse_member(root, "snn", "5G", why, why_size))
		return -EINVAL;
	if (r->aka == E2M_AKA_EPS)
		return json_field_hex(root, "sn-id", true, r->sn_id, SN_ID_LEN,
				      why, why_size);
	if (r->aka == E2M_AKA_5G)
		return parse_snn(root, r, why, why_size);
	return 0;
}

static int parse_resync(const json_t *root, struct av_request *r, char *why,
			size_t why_size)
{
	const json_t *resync;
	int ret = json_field_object(root, "resync", false, &resync, why,
				    why_size);

	if (ret <= 0)
		return ret;
	r->resync = true;
	ret = json_field_hex(resync, "rand", true, r->rand, AKA_RAND_LEN, why,
			     why_size);
	if (ret >= 0)
		ret = json_field_hex(resync, "auts", true, r->auts,
				     AKA_AUTS_LEN, why, why_size);
	return ret;
}

int av_request_parse(const char *text, size_t len, struct av_request *req,
		     char *why, size_t why_size)
{
	struct av_request r;
	json_t *root = json_field_load(text, len, why, why_size);
	int ret;

	if (!root)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	ret = best_field_imsi(root, "imsi", r.imsi, why, why_size);
	if (ret >= 0)
		ret = parse_aka(root, &r, why, why_size);
	if (ret >= 0)
		ret = parse_resync(root, &r, why, why_size);
	json_decref(root);
	if (ret >= 0)
		*req = r;
	OPENSSL_cleanse(&r, sizeof(r));
	return ret < 0 ? ret : 0;
}

/* ---- the response -------------------------------------------------------- */

/*
 * The members of each kind of vector past the common ones, all required:
 * which of them a body has says which kind it is.
 */
struct av_member {
	const char *name;
	size_t offset, len;
};

#define AV_MEMBER(name, field) \
	{ name, offsetof(struct av_response, field), \
	  sizeof(((struct av_response *)0)->field) }

static const struct av_member umts_members[] = {
	AV_MEMBER("xres", xres), AV_MEMBER("ck", ck), AV_MEMBER("ik", ik),
	{ NULL, 0, 0 },
};
static const struct av_member eps_members[] = {
	AV_MEMBER("xres", xres), AV_MEMBER("kasme", kasme), { NULL, 0, 0 },
};
static const struct av_member five_g_members[] = {
	AV_MEMBER("xres-star", xres_star), AV_MEMBER("kausf", kausf),
	{ NULL, 0, 0 },
};

static const struct av_member *const members_of[] = {
	[E2M_AKA_UMTS] = umts_members,
	[E2M_AKA_EPS] = eps_members,
	[E2M_AKA_5G] = five_g_members,
};

#define AKA_KINDS	(sizeof(members_of) / sizeof(members_of[0]))

static bool kind_has(enum e2m_aka_kind kind, const char *name)
{
	const struct av_member *m;

	for (m = members_of[kind]; m->name; m++) {
		if (!strcmp(m->name, name))
			return true;
	}
	return false;
}

/* A member of kind's that no other kind has: its presence names kind. */
static bool member_names_kind(enum e2m_aka_kind kind, const char *name)
{
	unsigned int other;

	for (other = 0; other < AKA_KINDS; other++) {
		if (other != kind && kind_has(other, name))
			return false;
	}
	return true;
}

/*
 * The kind whose own members the body has; UMTS when it has none (so that
 * an answer without keys is refused for missing "ck"). -EINVAL when the
 * members of two kinds are there, or a member another kind has but this
 * one not (an EPS "xres" in a 5G answer).
 */
static int response_kind(const json_t *root, enum e2m_aka_kind *kind,
			 char *why, size_t why_size)
{
	const struct av_member *m;
	unsigned int k, found = 0;

	*kind = E2M_AKA_UMTS;
	for (k = 0; k < AKA_KINDS; k++) {
		for (m = members_of[k]; m->name; m++) {
			if (!json_object_get(root, m->name) ||
			    !member_names_kind(k, m->name))
				continue;
			*kind = k;
			found++;
			break;
		}
	}
	if (found > 1) {
		ub_why(why, why_size, "keys of more than one AKA");
		return -EINVAL;
	}
	for (k = 0; k < AKA_KINDS; k++) {
		for (m = members_of[k]; m->name; m++) {
			if (!kind_has(*kind, m->name) &&
			    json_object_get(root, m->name)) {
				ub_why(why, why_size, "\"%s\" in a %s vector",
				       m->name, e2m_aka_kind_name(*kind));
				return -EINVAL;
			}
		}
	}
	return 0;
}

int av_response_build(const struct av_response *resp, char **text,
		      char *why, size_t why_size)
{
	const struct av_member *m;
	struct json_builder b;

	*text = NULL;
	if (best_check_imsi("imsi", resp->imsi, why, why_size))
		return -EINVAL;
	if (!e2m_aka_kind_name(resp->aka)) {
		ub_why(why, why_size, "neither UMTS, EPS nor 5G");
		return -EINVAL;
	}
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", resp->imsi);
	json_builder_hex(&b, "rand", resp->rand, AKA_RAND_LEN);
	json_builder_hex(&b, "autn", resp->autn, AKA_AUTN_LEN);
	json_builder_bool(&b, "e2m", resp->e2m);
	for (m = members_of[resp->aka]; m->name; m++)
		json_builder_hex(&b, m->name,
				 (const uint8_t *)resp + m->offset, m->len);
	return json_builder_finish(&b, text);
}

/* The members of the kind the body is of. */
static int parse_keys(const json_t *root, struct av_response *r, char *why,
		      size_t why_size)
{
	const struct av_member *m;
	int ret = response_kind(root, &r->aka, why, why_size);

	for (m = members_of[r->aka]; m->name && ret >= 0; m++)
		ret = json_field_hex(root, m->name, true,
				     (uint8_t *)r + m->offset, m->len, why,
				     why_size);
	return ret;
}

static int read_av_response(const json_t *root, void *out, char *why,
			    size_t why_size)
{
	struct av_response *r = out;
	int ret;

	ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "rand", true, r->rand, AKA_RAND_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_hex(root, "autn", true, r->autn, AKA_AUTN_LEN,
				     why, why_size);
	if (ret >= 0)
		ret = json_field_bool(root, "e2m", true, &r->e2m, why,
				      why_size);
	if (ret >= 0)
		ret = parse_keys(root, r, why, why_size);
	return ret;
}

int av_response_parse(const char *text, size_t len,
		      struct av_response *resp, char *why, size_t why_size)
{
	return json_field_parse(text, len, read_av_response, resp,
				sizeof(*resp), why, why_size);
}

void av_response_wipe(struct av_response *resp)
{
	OPENSSL_cleanse(resp, sizeof(*resp));
}
