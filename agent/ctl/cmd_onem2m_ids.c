// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl onem2m-ids, a known-answer command (kat.h), see cmd_onem2m_ids.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <openssl/crypto.h>

#include "cmd_onem2m_ids.h"
#include "crypto/fc.h"
#include "crypto/onem2m.h"
#include "kat.h"

/* A key that exists only when its input was given. */
struct optional_key {
	bool set;
	uint8_t key[ONEM2M_KEY_LEN];
};

struct onem2m_ids_io {
	uint8_t ke[ONEM2M_KEY_LEN];
	const char *mef, *maf_id, *enrolee_id, *enrolee_b_id, *target;
	char *ke_id, *km_id, *kpsa_id;
	uint8_t km[ONEM2M_KEY_LEN];
	struct optional_key kpsa;
};

static int parse_fqdn(const char *command, const struct opt *opt,
		      const struct kat_input *input, void *field)
{
	const char **fqdn = field;

	(void)input;
	if (!dns_name_valid(opt->value))
		return report(EXIT_USAGE, command,
			      "--%s: '%s' is not an FQDN", opt->name,
			      opt->value);
	*fqdn = opt->value;
	return 0;
}

/* A new id of key for fqdn into *id (malloc()ed). */
static int make_id(char **id, const uint8_t key[ONEM2M_KEY_LEN],
		   const char *label, const char *fqdn)
{
	*id = malloc(ONEM2M_KEY_ID_MAX + 1);
	if (!*id)
		return -ENOMEM;
	return onem2m_key_id(*id, ONEM2M_KEY_ID_MAX + 1, key, label, fqdn);
}

static int onem2m_ids_kat(void *io)
{
	struct onem2m_ids_io *v = io;
	int ret;

	ret = make_id(&v->ke_id, v->ke, LABEL_ONEM2M_KE_ID, v->mef);
	if (!ret)
		ret = onem2m_km(v->km, v->ke, v->maf_id, v->enrolee_id);
	if (!ret)
		ret = make_id(&v->km_id, v->km, LABEL_ONEM2M_KM_ID, v->target);
	if (ret || !v->enrolee_b_id)
		return ret;
	v->kpsa.set = true;
	ret = onem2m_kpsa(v->kpsa.key, v->ke, v->enrolee_b_id, v->enrolee_id);
	if (!ret)
		ret = make_id(&v->kpsa_id, v->kpsa.key, LABEL_ONEM2M_KPSA_ID, v->target);
	return ret;
}

static void print_optional_key(const char *name, const void *field,
			       size_t len)
{
	const struct optional_key *key = field;

	(void)len;
	if (key->set)
		kat_print_hex(name, key->key, sizeof(key->key));
}

static void print_optional_string(const char *name, const void *field,
				  size_t len)
{
	char *const *string = field;

	if (*string)
		kat_print_string(name, field, len);
}

#define FQDN_INPUT(n, field) \
	{ .name = (n), .flags = OPT_REQUIRED, .parse = parse_fqdn, \
	  .offset = KAT_FIELD(struct onem2m_ids_io, field, const char *) }

static const struct kat onem2m_ids_cmd = {
	.command = "onem2m-ids",
	.io_size = sizeof(struct onem2m_ids_io),
	.inputs = {
		KAT_HEX("ke", struct onem2m_ids_io, ke),
		FQDN_INPUT("mef", mef),
		KAT_STRING("maf-id", struct onem2m_ids_io, maf_id),
		KAT_STRING("enrolee-id", struct onem2m_ids_io, enrolee_id),
		{ .name = "enrolee-b-id", .parse = kat_string,
		  .offset = KAT_FIELD(struct onem2m_ids_io, enrolee_b_id,
				      const char *) },
		FQDN_INPUT("target", target),
	},
	.derive = onem2m_ids_kat,
	.outputs = {
		KAT_OUT_STRING("ke_id", struct onem2m_ids_io, ke_id),
		KAT_OUT_HEX("km", struct onem2m_ids_io, km),
		KAT_OUT_STRING("km_id", struct onem2m_ids_io, km_id),
		{ .name = "kpsa", .print = print_optional_key,
		  .offset = KAT_FIELD(struct onem2m_ids_io, kpsa,
				      struct optional_key) },
		{ .name = "kpsa_id", .print = print_optional_string,
		  .release = kat_string_free,
		  .offset = KAT_FIELD(struct onem2m_ids_io, kpsa_id,
				      char *) },
	},
};

int cmd_onem2m_ids(int argc, char *argv[])
{
	return kat_run(&onem2m_ids_cmd, argc, argv);
}
