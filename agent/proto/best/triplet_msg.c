// SPDX-License-Identifier: GPL-2.0
/*
 * The triplet bodies of BEST, see triplet_msg.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "triplet_msg.h"
#include "util/why.h"

int triplet_key_description(char out[TRIPLET_KEY_DESC_SIZE],
			    const char *imsi, unsigned int ksi,
			    uint32_t teid)
{
	if (!store_imsi_valid(imsi) || ksi > TRIPLET_KSI_MAX)
		return -EINVAL;
	snprintf(out, TRIPLET_KEY_DESC_SIZE, "imsi:%s ksi:%u teid:%08" PRIx32,
		 imsi, ksi, teid);
	return 0;
}

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

/* A child builder for the members under key, or false (b then failed). */
static bool builder_child(struct json_builder *b, const char *key,
			  struct json_builder *child)
{
	if (b->error)
		return false;
	if (json_builder_init(child, b->why, b->why_size)) {
		json_builder_set(b, key, NULL);
		return false;
	}
	return true;
}

static int check_ksi(const char *key, unsigned int ksi, char *why,
		     size_t why_size)
{
	if (ksi > TRIPLET_KSI_MAX) {
		ub_why(why, why_size, "\"%s\" is out of range 0..%d", key,
		       TRIPLET_KSI_MAX);
		return -EINVAL;
	}
	return 0;
}

static int parse_ksi(const json_t *root, const char *key, uint8_t *ksi,
		     char *why, size_t why_size)
{
	uint64_t value = 0;
	int ret = best_field_uint(root, key, true, 0, TRIPLET_KSI_MAX, &value,
				  why, why_size);

	if (ret > 0)
		*ksi = (uint8_t)value;
	return ret;
}

static int parse_teid(const json_t *obj, const char *key, uint32_t *teid,
		      char *why, size_t why_size)
{
	uint64_t value = 0;
	int ret = best_field_uint(obj, key, true, 1, UINT32_MAX, &value, why,
				  why_size);

	if (ret > 0)
		*teid = (uint32_t)value;
	return ret;
}

static int check_teid(const char *key, uint32_t teid, char *why,
		      size_t why_size)
{
	if (!teid) {
		ub_why(why, why_size, "\"%s\" is out of range 1..%" PRIu32,
		       key, UINT32_MAX);
		return -EINVAL;
	}
	return 0;
}

/* ---- the request: which AKA run ------------------------------------------ */

/* Exactly one of "rand" and "sqn": the PCO names the run by one of them. */
static int parse_run(const json_t *root, struct triplet_request *r,
		     char *why, size_t why_size)
{
	bool has_rand = json_object_get(root, "rand") != NULL;
	bool has_sqn = json_object_get(root, "sqn") != NULL;

	if (has_rand == has_sqn) {
		ub_why(why, why_size, "exactly one of \"rand\" and \"sqn\"");
		return -EINVAL;
	}
	r->by_sqn = has_sqn;
	if (has_sqn)
		return json_field_hex(root, "sqn", true, r->sqn, AKA_SQN_LEN,
				      why, why_size);
	return json_field_hex(root, "rand", true, r->rand, AKA_RAND_LEN, why,
			      why_size);
}

static void build_run(struct json_builder *b,
		      const struct triplet_request *req)
{
	if (req->by_sqn)
		json_builder_hex(b, "sqn", req->sqn, AKA_SQN_LEN);
	else
		json_builder_hex(b, "rand", req->rand, AKA_RAND_LEN);
}

/* ---- the request: TEIDs -------------------------------------------------- */

static int parse_teids(const json_t *root, struct triplet_request *r,
		       char *why, size_t why_size)
{
	const json_t *obj;
	int ret;

	ret = json_field_object(root, "teid", true, &obj, why, why_size);
	if (ret >= 0)
		ret = parse_teid(obj, "hse", &r->teid_hse, why, why_size);
	if (ret >= 0)
		ret = parse_teid(obj, "ue", &r->teid_ue, why, why_size);
	return ret;
}

static void build_teids(struct json_builder *b,
			const struct triplet_request *req)
{
	struct json_builder child;

	if (!builder_child(b, "teid", &child))
		return;
	best_builder_uint(&child, "hse", req->teid_hse);
	best_builder_uint(&child, "ue", req->teid_ue);
	builder_nest(b, "teid", &child);
}

/* ---- the request: the UE's addresses ------------------------------------- */

static int parse_ue(const json_t *root, struct triplet_ue *ue, char *why,
		    size_t why_size)
{
	const json_t *obj;
	uint64_t port = 0;
	int ret;

	ret = json_field_object(root, "ue", true, &obj, why, why_size);
	if (ret >= 0)
		ret = best_field_ip(obj, "address", true, BEST_IP_ANY,
				    ue->address, sizeof(ue->address), why,
				    why_size);
	if (ret >= 0)
		ret = best_field_uint(obj, "port", true, 1, UINT16_MAX, &port,
				      why, why_size);
	if (ret >= 0)
		ret = best_field_ip(obj, "inner-ipv4", true, BEST_IPV4,
				    ue->inner_ipv4, sizeof(ue->inner_ipv4),
				    why, why_size);
	if (ret >= 0)
		ret = best_field_ip(obj, "inner-ipv6", false, BEST_IPV6,
				    ue->inner_ipv6, sizeof(ue->inner_ipv6),
				    why, why_size);
	ue->port = (uint16_t)port;
	return ret;
}

static int check_ue(const struct triplet_ue *ue, char *why, size_t why_size)
{
	if (best_check_ip("address", ue->address, BEST_IP_ANY, why,
			  why_size) ||
	    best_check_ip("inner-ipv4", ue->inner_ipv4, BEST_IPV4, why,
			  why_size))
		return -EINVAL;
	if (ue->inner_ipv6[0] &&
	    best_check_ip("inner-ipv6", ue->inner_ipv6, BEST_IPV6, why,
			  why_size))
		return -EINVAL;
	if (!ue->port) {
		ub_why(why, why_size, "\"port\" is out of range 1..%d",
		       UINT16_MAX);
		return -EINVAL;
	}
	return 0;
}

static void build_ue(struct json_builder *b, const struct triplet_ue *ue)
{
	struct json_builder child;

	if (!builder_child(b, "ue", &child))
		return;
	json_builder_string(&child, "address", ue->address);
	best_builder_uint(&child, "port", ue->port);
	json_builder_string(&child, "inner-ipv4", ue->inner_ipv4);
	if (ue->inner_ipv6[0])
		json_builder_string(&child, "inner-ipv6", ue->inner_ipv6);
	builder_nest(b, "ue", &child);
}

/* ---- the request --------------------------------------------------------- */

static int check_request(const struct triplet_request *req, char *why,
			 size_t why_size)
{
	if (best_check_imsi("imsi", req->imsi, why, why_size) ||
	    check_ksi("ksi", req->ksi, why, why_size) ||
	    check_teid("hse", req->teid_hse, why, why_size) ||
	    check_teid("ue", req->teid_ue, why, why_size) ||
	    check_ue(&req->ue, why, why_size))
		return -EINVAL;
	return 0;
}

int triplet_request_build(const struct triplet_request *req, char **text,
			  char *why, size_t why_size)
{
	struct json_builder b;

	*text = NULL;
	if (check_request(req, why, why_size))
		return -EINVAL;
	if (json_builder_init(&b, why, why_size))
		return -ENOMEM;
	json_builder_string(&b, "imsi", req->imsi);
	build_run(&b, req);
	best_builder_uint(&b, "ksi", req->ksi);
	build_teids(&b, req);
	build_ue(&b, &req->ue);
	return json_builder_finish(&b, text);
}

static int read_triplet_request(const json_t *root, void *out, char *why,
				size_t why_size)
{
	struct triplet_request *r = out;
	int ret;

	ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);
	if (ret >= 0)
		ret = parse_run(root, r, why, why_size);
	if (ret >= 0)
		ret = parse_ksi(root, "ksi", &r->ksi, why, why_size);
	if (ret >= 0)
		ret = parse_teids(root, r, why, why_size);
	if (ret >= 0)
		ret = parse_ue(root, &r->ue, why, why_size);
	return ret;
}

int triplet_request_parse(const char *text, size_t len,
			  struct triplet_request *req, char *why,
			  size_t why_size)
{
	return json_field_parse(text, len, read_triplet_request, req,
				sizeof(*req), why, why_size);
}

int triplet_request_read(const json_t *obj, struct triplet_request *req,
			 char *why, size_t why_size)
{
	return json_field_read(obj, read_triplet_request, req, sizeof(*req),
			       why, why_size);
}

/* ---- the response -------------------------------------------------------- */

/* 1..TRIPLET_KEY_DESC_MAX printable ASCII characters: a key's name. */
static int check_key_description(const char *text, char *why,
				 size_t why_size)
{
	size_t i, len = strlen(text);

	for (i = 0; i < len; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			break;
	if (!len || len > TRIPLET_KEY_DESC_MAX || i < len) {
		ub_why(why, why_size,
		       "\"key-description\" is not 1..%d printable characters",
		       TRIPLET_KEY_DESC_MAX);
		return -EINVAL;
	}
	return 0;
}

static int check_response(const struct triplet_response *resp, char *why,
			  size_t why_size)
{
	if (best_check_imsi("imsi", resp->imsi, why, why_size) ||
	    check_teid("teid", resp->teid, why, why_size) ||
	    check_ksi("key-id", resp->key_id, why, why_size) ||
	    check_key_description(resp->key_description, why, why_size))
		return -EINVAL;
	return 0;
}

static int build_response(struct json_builder *b,
			  const struct triplet_response *resp, char *why,
			  size_t why_size)
{
	if (check_response(resp, why, why_size))
		return -EINVAL;
	if (json_builder_init(b, why, why_size))
		return -ENOMEM;
	json_builder_string(b, "imsi", resp->imsi);
	best_builder_uint(b, "teid", resp->teid);
	best_builder_uint(b, "key-id", resp->key_id);
	json_builder_string(b, "key-description", resp->key_description);
	return 0;
}

int triplet_response_build(const struct triplet_response *resp, char **text,
			   char *why, size_t why_size)
{
	struct json_builder b;
	int ret;

	*text = NULL;
	ret = build_response(&b, resp, why, why_size);
	return ret ? ret : json_builder_finish(&b, text);
}

int triplet_response_object(const struct triplet_response *resp, json_t **obj,
			    char *why, size_t why_size)
{
	struct json_builder b;
	int ret;

	*obj = NULL;
	ret = build_response(&b, resp, why, why_size);
	return ret ? ret : json_builder_take(&b, obj);
}

static int read_triplet_response(const json_t *root, void *out, char *why,
				 size_t why_size)
{
	struct triplet_response *r = out;
	int ret;

	ret = best_field_imsi(root, "imsi", r->imsi, why, why_size);
	if (ret >= 0)
		ret = parse_teid(root, "teid", &r->teid, why, why_size);
	if (ret >= 0)
		ret = parse_ksi(root, "key-id", &r->key_id, why, why_size);
	if (ret >= 0)
		ret = json_field_string(root, "key-description", true,
					r->key_description,
					sizeof(r->key_description), why,
					why_size);
	if (ret >= 0)
		ret = check_key_description(r->key_description, why, why_size);
	return ret;
}

int triplet_response_parse(const char *text, size_t len,
			   struct triplet_response *resp, char *why,
			   size_t why_size)
{
	return json_field_parse(text, len, read_triplet_response, resp,
				sizeof(*resp), why, why_size);
}
