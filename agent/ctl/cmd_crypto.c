// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl's offline commands, each a table for kat_run(): the options it
 * takes, the lines it prints, and the libe2m calls between them. What is
 * particular to a command (a value with a rule of its own, a check across
 * values) is here; the parsing, printing and wiping they share is in kat.c.
 * The outputs are printed because printing them is the point of a
 * known-answer command.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/air.h"
#include "crypto/anchor.h"
#include "cmd_crypto.h"
#include "crypto/fc.h"
#include "crypto/gba.h"
#include "crypto/kdf.h"
#include "crypto/keyset.h"
#include "crypto/ks_link.h"
#include "crypto/ks_local.h"
#include "crypto/milenage.h"
#include "crypto/nea2.h"
#include "crypto/nia2.h"
#include "kat.h"

/* --op or --opc, whichever was given: the two ways to set Milenage up. */
struct operator_key {
	bool is_op;
	uint8_t value[AKA_OP_LEN];
};

static int parse_operator_key(const char *command, const struct opt *opt,
			      const struct kat_input *input, void *field)
{
	struct operator_key *key = field;

	(void)input;
	key->is_op = !strcmp(opt->name, "op");
	return hex_option(command, opt, key->value, sizeof(key->value));
}

/* --k, then exactly one of --op and --opc, into the same field. */
#define MILENAGE_KEYS(type) \
	KAT_HEX("k", type, k), \
	{ .name = "op", .either = true, .parse = parse_operator_key, \
	  .offset = KAT_FIELD(type, op, struct operator_key) }, \
	{ .name = "opc", .either = true, .parse = parse_operator_key, \
	  .offset = KAT_FIELD(type, op, struct operator_key) }

static int milenage_setup(struct milenage *m, const uint8_t k[AKA_K_LEN],
			  const struct operator_key *op)
{
	return op->is_op ? milenage_init_op(m, k, op->value) :
			   milenage_init(m, k, op->value);
}

struct milenage_io {
	uint8_t k[AKA_K_LEN];
	struct operator_key op;
	uint8_t rand[AKA_RAND_LEN], sqn[AKA_SQN_LEN], amf[AKA_AMF_LEN];
	uint8_t opc[AKA_OP_LEN], mac_a[AKA_MAC_LEN], mac_s[AKA_MAC_LEN];
	uint8_t res[AKA_RES_LEN], ck[AKA_CK_LEN], ik[AKA_IK_LEN];
	uint8_t ak[AKA_AK_LEN], ak_star[AKA_AK_LEN], autn[AKA_AUTN_LEN];
};

static int milenage_kat(void *io)
{
	struct milenage_io *v = io;
	struct milenage m = { 0 };
	int error;

	error = milenage_setup(&m, v->k, &v->op);
	if (!error)
		error = milenage_f1(&m, v->rand, v->sqn, v->amf, v->mac_a,
				    v->mac_s);
	if (!error)
		error = milenage_f2345(&m, v->rand, v->res, v->ck, v->ik,
				       v->ak, v->ak_star);
	if (!error)
		error = milenage_autn(&m, v->rand, v->sqn, v->amf, v->autn);
	if (!error)
		memcpy(v->opc, m.opc, sizeof(v->opc));
	milenage_free(&m);
	return error;
}

static const struct kat milenage_cmd = {
	.command = "milenage",
	.io_size = sizeof(struct milenage_io),
	.inputs = {
		MILENAGE_KEYS(struct milenage_io),
		KAT_HEX("rand", struct milenage_io, rand),
		KAT_HEX("sqn", struct milenage_io, sqn),
		KAT_HEX("amf", struct milenage_io, amf),
	},
	.derive = milenage_kat,
	.outputs = {
		KAT_OUT_HEX("opc", struct milenage_io, opc),
		KAT_OUT_HEX("mac_a", struct milenage_io, mac_a),
		KAT_OUT_HEX("mac_s", struct milenage_io, mac_s),
		KAT_OUT_HEX("res", struct milenage_io, res),
		KAT_OUT_HEX("ck", struct milenage_io, ck),
		KAT_OUT_HEX("ik", struct milenage_io, ik),
		KAT_OUT_HEX("ak", struct milenage_io, ak),
		KAT_OUT_HEX("ak_star", struct milenage_io, ak_star),
		KAT_OUT_HEX("autn", struct milenage_io, autn),
	},
};

int cmd_milenage(int argc, char *argv[])
{
	return kat_run(&milenage_cmd, argc, argv);
}

struct auts_io {
	uint8_t k[AKA_K_LEN];
	struct operator_key op;
	uint8_t rand[AKA_RAND_LEN], sqn_ms[AKA_SQN_LEN];
	uint8_t auts[AKA_AUTS_LEN];
};

static int auts_kat(void *io)
{
	struct auts_io *v = io;
	struct milenage m = { 0 };
	int error;

	error = milenage_setup(&m, v->k, &v->op);
	if (!error)
		error = milenage_auts(&m, v->rand, v->sqn_ms, v->auts);
	milenage_free(&m);
	return error;
}

static const struct kat auts_cmd = {
	.command = "auts",
	.io_size = sizeof(struct auts_io),
	.inputs = {
		MILENAGE_KEYS(struct auts_io),
		KAT_HEX("rand", struct auts_io, rand),
		KAT_HEX("sqn-ms", struct auts_io, sqn_ms),
	},
	.derive = auts_kat,
	.outputs = { KAT_OUT_HEX("auts", struct auts_io, auts) },
};

int cmd_auts(int argc, char *argv[])
{
	return kat_run(&auts_cmd, argc, argv);
}

/* The inputs nea2 and nia2 share, TS 33.401 B.1, and their outputs. */
struct pdu_io {
	uint8_t key[NEA2_KEY_LEN];
	uint32_t count;
	unsigned long long bearer, direction, length_bits;
	struct kat_octets in;		/* at least length_bits bits */
	struct kat_octets out;		/* nea2 */
	uint8_t mac[NIA2_MAC_LEN];	/* nia2 */
};

#define PDU_INPUTS { \
	KAT_HEX("key", struct pdu_io, key), \
	KAT_COUNT("count", struct pdu_io, count), \
	KAT_NUMBER("bearer", struct pdu_io, bearer, 1, NEA2_BEARER_MAX), \
	KAT_NUMBER("direction", struct pdu_io, direction, 0, 1), \
	KAT_NUMBER("length", struct pdu_io, length_bits, 0, ULLONG_MAX), \
	KAT_OCTETS("in", struct pdu_io, in, kat_octets), \
}

static int check_pdu_length(const char *command, const void *io)
{
	const struct pdu_io *v = io;

	if (v->length_bits > (unsigned long long)v->in.len * 8)
		return report(EXIT_USAGE, command,
			      "--length: %llu bits, but --in has only %zu octets",
			      v->length_bits, v->in.len);
	return 0;
}

static int nea2_kat(void *io)
{
	struct pdu_io *v = io;
	struct nea2 nea2 = { 0 };
	int error;

	v->out.len = v->length_bits / 8 + (v->length_bits % 8 != 0);
	/* At least one octet: OPENSSL_malloc(0) may return NULL. */
	v->out.data = OPENSSL_malloc(v->out.len + 1);
	error = v->out.data ? nea2_init(&nea2, v->key) : -ENOMEM;
	if (!error)
		error = nea2_crypt(&nea2, v->count, (uint8_t)v->bearer,
				   (uint8_t)v->direction, v->in.data,
				   (size_t)v->length_bits, v->out.data);
	nea2_free(&nea2);
	return error;
}

static const struct kat nea2_cmd = {
	.command = "nea2",
	.io_size = sizeof(struct pdu_io),
	.inputs = PDU_INPUTS,
	.check = check_pdu_length,
	.derive = nea2_kat,
	.outputs = { KAT_OUT_OCTETS("out", struct pdu_io, out) },
};

int cmd_nea2(int argc, char *argv[])
{
	return kat_run(&nea2_cmd, argc, argv);
}

static int nia2_kat(void *io)
{
	struct pdu_io *v = io;
	struct nia2 nia2 = { 0 };
	int error;

	error = nia2_init(&nia2, v->key);
	if (!error)
		error = nia2_mac(&nia2, v->count, (uint8_t)v->bearer,
				 (uint8_t)v->direction, v->in.data,
				 (size_t)v->length_bits, v->mac);
	nia2_free(&nia2);
	return error;
}

static const struct kat nia2_cmd = {
	.command = "nia2",
	.io_size = sizeof(struct pdu_io),
	.inputs = PDU_INPUTS,
	.check = check_pdu_length,
	.derive = nia2_kat,
	.outputs = { KAT_OUT_HEX("mac", struct pdu_io, mac) },
};

int cmd_nia2(int argc, char *argv[])
{
	return kat_run(&nia2_cmd, argc, argv);
}

/* A KDF key: hex of any length but 0. */
static int parse_kdf_key(const char *command, const struct opt *opt,
			 const struct kat_input *input, void *field)
{
	const struct kat_octets *key = field;
	int ret;

	ret = kat_octets(command, opt, input, field);
	if (!ret && !key->len)
		ret = report(EXIT_USAGE, command, "--%s: must not be empty",
			     opt->name);
	return ret;
}

/* One octet other than ff, or the two-octet form ff xx. */
static int parse_fc(const char *command, const struct opt *opt,
		    const struct kat_input *input, void *field)
{
	struct kat_octets octets = { 0 };
	unsigned int *fc = field;
	int ret;

	ret = kat_octets(command, opt, input, &octets);
	if (ret)
		return ret;
	if (octets.len == 1 && octets.data[0] != 0xff) {
		*fc = octets.data[0];
	} else if (octets.len == 2 && octets.data[0] == 0xff) {
		*fc = 0xff00 | octets.data[1];
	} else {
		fail(command, "--%s: must be one octet other than ff, or two octets ff xx",
		     opt->name);
		ret = EXIT_USAGE;
	}
	kat_octets_free(&octets);
	return ret;
}

/* Every --param, in the order given, each at most KDF_PARAM_MAX octets. */
static int parse_kdf_params(const char *command, const struct opt *opt,
			    const struct kat_input *input, void *field)
{
	struct kat_octets_list *params = field;
	struct kat_octets *param;
	size_t i;
	int ret = 0;

	params->items = calloc(opt->count, sizeof(*params->items));
	if (!params->items)
		return report(EXIT_FAILURE, command, "out of memory");
	for (i = 0; i < opt->count && !ret; i++) {
		param = &params->items[params->count++];
		ret = hex_option_alloc(command, opt->name, opt->values[i],
				       &param->data, &param->len);
		if (!ret && param->len > KDF_PARAM_MAX)
			ret = report(EXIT_USAGE, command,
				     "--%s: longer than %d octets", opt->name,
				     KDF_PARAM_MAX);
	}
	(void)input;
	return ret;
}

struct kdf_io {
	struct kat_octets key;
	unsigned int fc;
	struct kat_octets_list params;
	uint8_t out[KDF_OUT_LEN];
};

static int kdf_kat(void *io)
{
	struct kdf_io *v = io;
	struct kdf kdf = { 0 };
	size_t i;
	int error;

	kdf_init(&kdf, v->fc);
	for (i = 0; i < v->params.count; i++)
		kdf_add(&kdf, v->params.items[i].data, v->params.items[i].len);
	error = kdf_derive(&kdf, v->key.data, v->key.len, v->out);
	kdf_free(&kdf);
	return error;
}

static const struct kat kdf_cmd = {
	.command = "kdf",
	.io_size = sizeof(struct kdf_io),
	.inputs = {
		KAT_OCTETS("key", struct kdf_io, key, parse_kdf_key),
		{ .name = "fc", .flags = OPT_REQUIRED, .parse = parse_fc,
		  .offset = KAT_FIELD(struct kdf_io, fc, unsigned int) },
		{ .name = "param", .flags = OPT_REPEAT,
		  .parse = parse_kdf_params, .release = kat_octets_list_free,
		  .offset = KAT_FIELD(struct kdf_io, params,
				      struct kat_octets_list) },
	},
	.derive = kdf_kat,
	.outputs = { KAT_OUT_HEX("out", struct kdf_io, out) },
};

int cmd_kdf(int argc, char *argv[])
{
	return kat_run(&kdf_cmd, argc, argv);
}

/* FQDN octets || the 5-octet Ua security protocol identifier. */
static int parse_naf_id(const char *command, const struct opt *opt,
			const struct kat_input *input, void *field)
{
	const struct kat_octets *naf_id = field;
	int ret;

	ret = kat_octets(command, opt, input, field);
	if (!ret && (naf_id->len <= GBA_UA_ID_LEN ||
		     naf_id->len > KDF_PARAM_MAX))
		ret = report(EXIT_USAGE, command,
			     "--%s: must be an FQDN and the %d-octet Ua security protocol identifier, at most %d octets",
			     opt->name, GBA_UA_ID_LEN, KDF_PARAM_MAX);
	return ret;
}

struct gba_naf_io {
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], rand[AKA_RAND_LEN];
	const char *impi;
	struct kat_octets naf_id;
	uint8_t ks_naf[GBA_KEY_LEN], ks_int_naf[GBA_KEY_LEN];
};

static int gba_naf_kat(void *io)
{
	struct gba_naf_io *v = io;
	int error;

	error = gba_ks_naf(v->ks_naf, v->ck, v->ik, v->rand, v->impi,
			   v->naf_id.data, v->naf_id.len);
	if (!error)
		error = gba_ks_int_naf(v->ks_int_naf, v->ck, v->ik, v->rand,
				       v->impi, v->naf_id.data, v->naf_id.len);
	return error;
}

static const struct kat gba_naf_cmd = {
	.command = "gba-naf",
	.io_size = sizeof(struct gba_naf_io),
	.inputs = {
		KAT_HEX("ck", struct gba_naf_io, ck),
		KAT_HEX("ik", struct gba_naf_io, ik),
		KAT_HEX("rand", struct gba_naf_io, rand),
		KAT_STRING("impi", struct gba_naf_io, impi),
		KAT_OCTETS("naf-id", struct gba_naf_io, naf_id, parse_naf_id),
	},
	.derive = gba_naf_kat,
	.outputs = {
		KAT_OUT_HEX("ks_naf", struct gba_naf_io, ks_naf),
		KAT_OUT_HEX("ks_int_naf", struct gba_naf_io, ks_int_naf),
	},
};

int cmd_gba_naf(int argc, char *argv[])
{
	return kat_run(&gba_naf_cmd, argc, argv);
}

struct btid_io {
	uint8_t rand[AKA_RAND_LEN];
	const char *bsf;
	char *btid;
};

static int btid_kat(void *io)
{
	struct btid_io *v = io;
	size_t size = GBA_BTID_RAND_LEN + 1 + strlen(v->bsf) + 1;
	int len;

	v->btid = malloc(size);
	len = v->btid ? gba_btid(v->btid, size, v->rand, v->bsf) : -ENOMEM;
	return len < 0 ? len : 0;
}

static const struct kat btid_cmd = {
	.command = "btid",
	.io_size = sizeof(struct btid_io),
	.inputs = {
		KAT_HEX("rand", struct btid_io, rand),
		KAT_STRING("bsf", struct btid_io, bsf),
	},
	.derive = btid_kat,
	.outputs = { KAT_OUT_STRING("btid", struct btid_io, btid) },
};

int cmd_btid(int argc, char *argv[])
{
	return kat_run(&btid_cmd, argc, argv);
}

static int parse_label(const char *command, const struct opt *opt,
		       const struct kat_input *input, void *field)
{
	const char **label = field;

	(void)input;
	if (strcmp(opt->value, LABEL_KS_LOCAL_DEVICE) &&
	    strcmp(opt->value, LABEL_KS_LOCAL_MT))
		return report(EXIT_USAGE, command,
			      "--%s: must be %s or %s, not '%s'", opt->name,
			      LABEL_KS_LOCAL_DEVICE, LABEL_KS_LOCAL_MT,
			      opt->value);
	*label = opt->value;
	return 0;
}

struct ks_local_io {
	uint8_t ks_naf[GBA_KEY_LEN];
	const char *label, *btid, *device_id;
	struct kat_octets naf_id;
	uint8_t ks_local[KS_LOCAL_LEN];
};

static int ks_local_kat(void *io)
{
	struct ks_local_io *v = io;

	return ks_local_derive(v->ks_local, v->ks_naf, v->label, v->btid,
			       v->naf_id.data, v->naf_id.len, v->device_id);
}

static const struct kat ks_local_cmd = {
	.command = "ks-local",
	.io_size = sizeof(struct ks_local_io),
	.inputs = {
		KAT_HEX("ks-naf", struct ks_local_io, ks_naf),
		{ .name = "label", .flags = OPT_REQUIRED, .parse = parse_label,
		  .offset = KAT_FIELD(struct ks_local_io, label,
				      const char *) },
		KAT_STRING("btid", struct ks_local_io, btid),
		KAT_OCTETS("naf-id", struct ks_local_io, naf_id, parse_naf_id),
		KAT_STRING("device-id", struct ks_local_io, device_id),
	},
	.derive = ks_local_kat,
	.outputs = { KAT_OUT_HEX("ks_local", struct ks_local_io, ks_local) },
};

int cmd_ks_local(int argc, char *argv[])
{
	return kat_run(&ks_local_cmd, argc, argv);
}

struct ks_local_link_io {
	uint8_t ks_local[KS_LOCAL_LEN];
	unsigned long long alg;
	uint8_t k_enc[KEYSET_KEY_LEN], k_int[KEYSET_KEY_LEN];
};

static int ks_local_link_kat(void *io)
{
	struct ks_local_link_io *v = io;

	return ks_link_derive(v->k_enc, v->k_int, v->ks_local,
			      (enum e2m_alg)v->alg);
}

static const struct kat ks_local_link_cmd = {
	.command = "ks-local-link",
	.io_size = sizeof(struct ks_local_link_io),
	.inputs = {
		KAT_HEX("ks-local", struct ks_local_link_io, ks_local),
		KAT_NUMBER("alg", struct ks_local_link_io, alg, 0,
			   E2M_ALG_MAX),
	},
	.derive = ks_local_link_kat,
	.outputs = {
		KAT_OUT_HEX("k_enc", struct ks_local_link_io, k_enc),
		KAT_OUT_HEX("k_int", struct ks_local_link_io, k_int),
	},
};

int cmd_ks_local_link(int argc, char *argv[])
{
	return kat_run(&ks_local_link_cmd, argc, argv);
}

struct kasme_io {
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN];
	uint8_t sn_id[SN_ID_LEN], sqn_xor_ak[AKA_SQN_LEN];
	uint8_t kasme[ANCHOR_KEY_LEN];
};

static int kasme_kat(void *io)
{
	struct kasme_io *v = io;

	return kasme_derive(v->kasme, v->ck, v->ik, v->sn_id, v->sqn_xor_ak);
}

static const struct kat kasme_cmd = {
	.command = "kasme",
	.io_size = sizeof(struct kasme_io),
	.inputs = {
		KAT_HEX("ck", struct kasme_io, ck),
		KAT_HEX("ik", struct kasme_io, ik),
		KAT_HEX("sn-id", struct kasme_io, sn_id),
		KAT_HEX("sqn-xor-ak", struct kasme_io, sqn_xor_ak),
	},
	.derive = kasme_kat,
	.outputs = { KAT_OUT_HEX("kasme", struct kasme_io, kasme) },
};

int cmd_kasme(int argc, char *argv[])
{
	return kat_run(&kasme_cmd, argc, argv);
}

struct k_hse_io {
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN];
	const char *snn;
	uint8_t sqn_xor_ak[AKA_SQN_LEN];
	uint8_t k_hse[ANCHOR_KEY_LEN];
};

static int k_hse_kat(void *io)
{
	struct k_hse_io *v = io;

	return k_hse_derive(v->k_hse, v->ck, v->ik, v->snn, v->sqn_xor_ak);
}

static const struct kat k_hse_cmd = {
	.command = "k-hse",
	.io_size = sizeof(struct k_hse_io),
	.inputs = {
		KAT_HEX("ck", struct k_hse_io, ck),
		KAT_HEX("ik", struct k_hse_io, ik),
		KAT_STRING("snn", struct k_hse_io, snn),
		KAT_HEX("sqn-xor-ak", struct k_hse_io, sqn_xor_ak),
	},
	.derive = k_hse_kat,
	.outputs = { KAT_OUT_HEX("k_hse", struct k_hse_io, k_hse) },
};

int cmd_k_hse(int argc, char *argv[])
{
	return kat_run(&k_hse_cmd, argc, argv);
}

struct e2m_keyset_io {
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], rand[AKA_RAND_LEN];
	unsigned long long alg;
	uint8_t k_e2m[K_E2M_LEN];
	uint8_t k_enc[KEYSET_KEY_LEN], k_int[KEYSET_KEY_LEN];
};

static int e2m_keyset_kat(void *io)
{
	struct e2m_keyset_io *v = io;
	int error;

	error = k_e2m_derive(v->k_e2m, v->ck, v->ik, v->rand);
	if (!error)
		error = keyset_derive(v->k_enc, v->k_int, v->k_e2m,
				      (enum e2m_alg)v->alg);
	return error;
}

static const struct kat e2m_keyset_cmd = {
	.command = "e2m-keyset",
	.io_size = sizeof(struct e2m_keyset_io),
	.inputs = {
		KAT_HEX("ck", struct e2m_keyset_io, ck),
		KAT_HEX("ik", struct e2m_keyset_io, ik),
		KAT_HEX("rand", struct e2m_keyset_io, rand),
		KAT_NUMBER("alg", struct e2m_keyset_io, alg, 0, E2M_ALG_MAX),
	},
	.derive = e2m_keyset_kat,
	.outputs = {
		KAT_OUT_HEX("k_e2m", struct e2m_keyset_io, k_e2m),
		KAT_OUT_HEX("k_enc", struct e2m_keyset_io, k_enc),
		KAT_OUT_HEX("k_int", struct e2m_keyset_io, k_int),
	},
};

int cmd_e2m_keyset(int argc, char *argv[])
{
	return kat_run(&e2m_keyset_cmd, argc, argv);
}

struct air_keys_io {
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], rand[AKA_RAND_LEN];
	uint8_t ck_prime[AKA_CK_LEN], ik_prime[AKA_IK_LEN];
};

static int air_keys_kat(void *io)
{
	struct air_keys_io *v = io;

	return air_keys_derive(v->ck_prime, v->ik_prime, v->ck, v->ik,
			       v->rand);
}

static const struct kat air_keys_cmd = {
	.command = "air-keys",
	.io_size = sizeof(struct air_keys_io),
	.inputs = {
		KAT_HEX("ck", struct air_keys_io, ck),
		KAT_HEX("ik", struct air_keys_io, ik),
		KAT_HEX("rand", struct air_keys_io, rand),
	},
	.derive = air_keys_kat,
	.outputs = {
		KAT_OUT_HEX("ck_prime", struct air_keys_io, ck_prime),
		KAT_OUT_HEX("ik_prime", struct air_keys_io, ik_prime),
	},
};

int cmd_air_keys(int argc, char *argv[])
{
	return kat_run(&air_keys_cmd, argc, argv);
}
