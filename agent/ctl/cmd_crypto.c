// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl's offline commands. Each validates all of its input, computes
 * everything, and only then prints, so an error leaves stdout empty. Every
 * buffer that held a key or a secret intermediate is wiped before return;
 * the outputs are printed because printing them is the point of a
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
#include "options.h"

#define OPTION(n, f) { .name = (n), .flags = (f) }

/* A libe2m call failed on valid input: OpenSSL or memory. */
static int crypto_failed(const char *command, int error)
{
	fail(command, "cryptographic operation failed: %s", strerror(-error));
	return EXIT_FAILURE;
}

/* CK, IK and RAND: the inputs of gba-naf, e2m-keyset and air-keys. */
struct aka_input {
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], rand[AKA_RAND_LEN];
};

static int aka_options(const char *command, const struct opt *ck,
		       const struct opt *ik, const struct opt *rand,
		       struct aka_input *v)
{
	int ret;

	ret = hex_option(command, ck, v->ck, sizeof(v->ck));
	if (!ret)
		ret = hex_option(command, ik, v->ik, sizeof(v->ik));
	if (!ret)
		ret = hex_option(command, rand, v->rand, sizeof(v->rand));
	return ret;
}

/* --k and exactly one of --op, --opc, into a Milenage context. */
static int milenage_options(const char *command, struct milenage *m,
			    const struct opt *k, const struct opt *op,
			    const struct opt *opc)
{
	uint8_t key[AKA_K_LEN], variant[AKA_OP_LEN];
	int ret;

	ret = one_of(command, op, opc);
	if (!ret)
		ret = hex_option(command, k, key, sizeof(key));
	if (!ret)
		ret = hex_option(command, op->value ? op : opc, variant,
				 sizeof(variant));
	if (!ret) {
		ret = op->value ? milenage_init_op(m, key, variant) :
				  milenage_init(m, key, variant);
		if (ret)
			ret = crypto_failed(command, ret);
	}
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(variant, sizeof(variant));
	return ret;
}

int cmd_milenage(int argc, char *argv[])
{
	static const char command[] = "milenage";
	enum { K, OP, OPC, RAND, SQN, AMF };
	struct opt opts[] = {
		[K] = OPTION("k", OPT_REQUIRED),
		[OP] = OPTION("op", 0),
		[OPC] = OPTION("opc", 0),
		[RAND] = OPTION("rand", OPT_REQUIRED),
		[SQN] = OPTION("sqn", OPT_REQUIRED),
		[AMF] = OPTION("amf", OPT_REQUIRED),
	};
	struct {
		uint8_t rand[AKA_RAND_LEN], sqn[AKA_SQN_LEN];
		uint8_t amf[AKA_AMF_LEN], mac_a[AKA_MAC_LEN];
		uint8_t mac_s[AKA_MAC_LEN], res[AKA_RES_LEN];
		uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], ak[AKA_AK_LEN];
		uint8_t ak_star[AKA_AK_LEN], autn[AKA_AUTN_LEN];
	} v;
	struct milenage m = { 0 };
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = milenage_options(command, &m, &opts[K], &opts[OP],
				       &opts[OPC]);
	if (!ret)
		ret = hex_option(command, &opts[RAND], v.rand, sizeof(v.rand));
	if (!ret)
		ret = hex_option(command, &opts[SQN], v.sqn, sizeof(v.sqn));
	if (!ret)
		ret = hex_option(command, &opts[AMF], v.amf, sizeof(v.amf));
	if (!ret) {
		error = milenage_f1(&m, v.rand, v.sqn, v.amf, v.mac_a, v.mac_s);
		if (!error)
			error = milenage_f2345(&m, v.rand, v.res, v.ck, v.ik,
					       v.ak, v.ak_star);
		if (!error)
			error = milenage_autn(&m, v.rand, v.sqn, v.amf, v.autn);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("opc", m.opc, sizeof(m.opc));
		print_hex("mac_a", v.mac_a, sizeof(v.mac_a));
		print_hex("mac_s", v.mac_s, sizeof(v.mac_s));
		print_hex("res", v.res, sizeof(v.res));
		print_hex("ck", v.ck, sizeof(v.ck));
		print_hex("ik", v.ik, sizeof(v.ik));
		print_hex("ak", v.ak, sizeof(v.ak));
		print_hex("ak_star", v.ak_star, sizeof(v.ak_star));
		print_hex("autn", v.autn, sizeof(v.autn));
		ret = finish_output(command);
	}
	milenage_free(&m);
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

int cmd_auts(int argc, char *argv[])
{
	static const char command[] = "auts";
	enum { K, OP, OPC, RAND, SQN_MS };
	struct opt opts[] = {
		[K] = OPTION("k", OPT_REQUIRED),
		[OP] = OPTION("op", 0),
		[OPC] = OPTION("opc", 0),
		[RAND] = OPTION("rand", OPT_REQUIRED),
		[SQN_MS] = OPTION("sqn-ms", OPT_REQUIRED),
	};
	struct {
		uint8_t rand[AKA_RAND_LEN], sqn_ms[AKA_SQN_LEN];
		uint8_t auts[AKA_AUTS_LEN];
	} v;
	struct milenage m = { 0 };
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = milenage_options(command, &m, &opts[K], &opts[OP],
				       &opts[OPC]);
	if (!ret)
		ret = hex_option(command, &opts[RAND], v.rand, sizeof(v.rand));
	if (!ret)
		ret = hex_option(command, &opts[SQN_MS], v.sqn_ms,
				 sizeof(v.sqn_ms));
	if (!ret) {
		error = milenage_auts(&m, v.rand, v.sqn_ms, v.auts);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("auts", v.auts, sizeof(v.auts));
		ret = finish_output(command);
	}
	milenage_free(&m);
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

/* The inputs nea2 and nia2 share, TS 33.401 B.1. */
struct pdu_input {
	uint8_t key[NEA2_KEY_LEN];
	uint32_t count;
	uint8_t bearer, direction;
	size_t length_bits;
	uint8_t *in;		/* at least length_bits bits */
	size_t in_len;
};

static int pdu_options(const char *command, int argc, char *argv[],
		       struct pdu_input *p)
{
	enum { KEY, COUNT, BEARER, DIRECTION, LENGTH, IN };
	struct opt opts[] = {
		[KEY] = OPTION("key", OPT_REQUIRED),
		[COUNT] = OPTION("count", OPT_REQUIRED),
		[BEARER] = OPTION("bearer", OPT_REQUIRED),
		[DIRECTION] = OPTION("direction", OPT_REQUIRED),
		[LENGTH] = OPTION("length", OPT_REQUIRED),
		[IN] = OPTION("in", OPT_REQUIRED),
	};
	unsigned long long bearer = 0, direction = 0, length = 0;
	int ret;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = hex_option(command, &opts[KEY], p->key, sizeof(p->key));
	if (!ret)
		ret = count_option(command, &opts[COUNT], &p->count);
	if (!ret)
		ret = number_option(command, &opts[BEARER], 1, NEA2_BEARER_MAX,
				    &bearer);
	if (!ret)
		ret = number_option(command, &opts[DIRECTION], 0, 1,
				    &direction);
	if (!ret)
		ret = number_option(command, &opts[LENGTH], 0, ULLONG_MAX,
				    &length);
	if (!ret)
		ret = hex_option_alloc(command, "in", opts[IN].value, &p->in,
				       &p->in_len);
	if (!ret && length > (unsigned long long)p->in_len * 8) {
		fail(command, "--length: %llu bits, but --in has only %zu octets",
		     length, p->in_len);
		ret = EXIT_USAGE;
	}
	p->bearer = (uint8_t)bearer;
	p->direction = (uint8_t)direction;
	p->length_bits = (size_t)length;
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

static void free_pdu_input(struct pdu_input *p)
{
	OPENSSL_clear_free(p->in, p->in_len);
	OPENSSL_cleanse(p, sizeof(*p));
}

int cmd_nea2(int argc, char *argv[])
{
	static const char command[] = "nea2";
	struct pdu_input p = { 0 };
	struct nea2 nea2 = { 0 };
	uint8_t *out = NULL;
	size_t out_len = 0;
	int ret, error;

	ret = pdu_options(command, argc, argv, &p);
	if (!ret) {
		out_len = p.length_bits / 8 + (p.length_bits % 8 != 0);
		/* At least one octet: OPENSSL_malloc(0) may return NULL. */
		out = OPENSSL_malloc(out_len + 1);
		error = out ? nea2_init(&nea2, p.key) : -ENOMEM;
		if (!error)
			error = nea2_crypt(&nea2, p.count, p.bearer,
					   p.direction, p.in, p.length_bits,
					   out);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("out", out, out_len);
		ret = finish_output(command);
	}
	nea2_free(&nea2);
	OPENSSL_clear_free(out, out_len);
	free_pdu_input(&p);
	return ret;
}

int cmd_nia2(int argc, char *argv[])
{
	static const char command[] = "nia2";
	struct pdu_input p = { 0 };
	struct nia2 nia2 = { 0 };
	uint8_t mac[NIA2_MAC_LEN];
	int ret, error;

	ret = pdu_options(command, argc, argv, &p);
	if (!ret) {
		error = nia2_init(&nia2, p.key);
		if (!error)
			error = nia2_mac(&nia2, p.count, p.bearer, p.direction,
					 p.in, p.length_bits, mac);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("mac", mac, sizeof(mac));
		ret = finish_output(command);
	}
	nia2_free(&nia2);
	free_pdu_input(&p);
	return ret;
}

/* One octet other than ff, or the two-octet form ff xx. */
static int fc_option(const char *command, const struct opt *opt,
		     unsigned int *fc)
{
	uint8_t *octets;
	size_t len;
	int ret;

	ret = hex_option_alloc(command, opt->name, opt->value, &octets, &len);
	if (ret)
		return ret;
	if (len == 1 && octets[0] != 0xff) {
		*fc = octets[0];
	} else if (len == 2 && octets[0] == 0xff) {
		*fc = 0xff00 | octets[1];
	} else {
		fail(command, "--%s: must be one octet other than ff, or two octets ff xx",
		     opt->name);
		ret = EXIT_USAGE;
	}
	OPENSSL_free(octets);
	return ret;
}

/* Appends every --param to S, in the order given. */
static int kdf_params(const char *command, const struct opt *opt,
		      struct kdf *kdf)
{
	uint8_t *param;
	size_t i, len;
	int ret = 0;

	for (i = 0; i < opt->count && !ret; i++) {
		ret = hex_option_alloc(command, opt->name, opt->values[i],
				       &param, &len);
		if (ret)
			break;
		if (len > KDF_PARAM_MAX) {
			fail(command, "--%s: longer than %d octets", opt->name,
			     KDF_PARAM_MAX);
			ret = EXIT_USAGE;
		} else if (kdf_add(kdf, param, len)) {
			ret = crypto_failed(command, kdf->error);
		}
		OPENSSL_clear_free(param, len);
	}
	return ret;
}

int cmd_kdf(int argc, char *argv[])
{
	static const char command[] = "kdf";
	enum { KEY, FC, PARAM };
	struct opt opts[] = {
		[KEY] = OPTION("key", OPT_REQUIRED),
		[FC] = OPTION("fc", OPT_REQUIRED),
		[PARAM] = OPTION("param", OPT_REPEAT),
	};
	struct kdf kdf = { 0 };
	uint8_t *key = NULL, out[KDF_OUT_LEN];
	size_t key_len = 0;
	unsigned int fc;
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = hex_option_alloc(command, "key", opts[KEY].value, &key,
				       &key_len);
	if (!ret && !key_len) {
		fail(command, "--key: must not be empty");
		ret = EXIT_USAGE;
	}
	if (!ret)
		ret = fc_option(command, &opts[FC], &fc);
	if (!ret && kdf_init(&kdf, fc))
		ret = crypto_failed(command, kdf.error);
	if (!ret)
		ret = kdf_params(command, &opts[PARAM], &kdf);
	if (!ret) {
		error = kdf_derive(&kdf, key, key_len, out);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("out", out, sizeof(out));
		ret = finish_output(command);
	}
	kdf_free(&kdf);
	OPENSSL_clear_free(key, key_len);
	OPENSSL_cleanse(out, sizeof(out));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

/* FQDN octets || the 5-octet Ua security protocol identifier. */
static int naf_id_option(const char *command, const struct opt *opt,
			 uint8_t **naf_id, size_t *len)
{
	int ret;

	ret = hex_option_alloc(command, opt->name, opt->value, naf_id, len);
	if (!ret && (*len <= GBA_UA_ID_LEN || *len > KDF_PARAM_MAX)) {
		fail(command, "--%s: must be an FQDN and the %d-octet Ua security protocol identifier, at most %d octets",
		     opt->name, GBA_UA_ID_LEN, KDF_PARAM_MAX);
		OPENSSL_free(*naf_id);
		*naf_id = NULL;
		ret = EXIT_USAGE;
	}
	return ret;
}

int cmd_gba_naf(int argc, char *argv[])
{
	static const char command[] = "gba-naf";
	enum { CK, IK, RAND, IMPI, NAF_ID };
	struct opt opts[] = {
		[CK] = OPTION("ck", OPT_REQUIRED),
		[IK] = OPTION("ik", OPT_REQUIRED),
		[RAND] = OPTION("rand", OPT_REQUIRED),
		[IMPI] = OPTION("impi", OPT_REQUIRED),
		[NAF_ID] = OPTION("naf-id", OPT_REQUIRED),
	};
	struct aka_input in;
	struct {
		uint8_t ks_naf[GBA_KEY_LEN], ks_int_naf[GBA_KEY_LEN];
	} v;
	uint8_t *naf_id = NULL;
	size_t naf_id_len = 0;
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = aka_options(command, &opts[CK], &opts[IK], &opts[RAND],
				  &in);
	if (!ret)
		ret = string_option(command, &opts[IMPI]);
	if (!ret)
		ret = naf_id_option(command, &opts[NAF_ID], &naf_id,
				    &naf_id_len);
	if (!ret) {
		error = gba_ks_naf(v.ks_naf, in.ck, in.ik, in.rand,
				   opts[IMPI].value, naf_id, naf_id_len);
		if (!error)
			error = gba_ks_int_naf(v.ks_int_naf, in.ck, in.ik,
					       in.rand, opts[IMPI].value,
					       naf_id, naf_id_len);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("ks_naf", v.ks_naf, sizeof(v.ks_naf));
		print_hex("ks_int_naf", v.ks_int_naf, sizeof(v.ks_int_naf));
		ret = finish_output(command);
	}
	OPENSSL_free(naf_id);
	OPENSSL_cleanse(&in, sizeof(in));
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

int cmd_btid(int argc, char *argv[])
{
	static const char command[] = "btid";
	enum { RAND, BSF };
	struct opt opts[] = {
		[RAND] = OPTION("rand", OPT_REQUIRED),
		[BSF] = OPTION("bsf", OPT_REQUIRED),
	};
	uint8_t rand[AKA_RAND_LEN];
	char *btid = NULL;
	size_t size;
	int ret, len;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = hex_option(command, &opts[RAND], rand, sizeof(rand));
	if (!ret)
		ret = string_option(command, &opts[BSF]);
	if (!ret) {
		size = GBA_BTID_RAND_LEN + 1 + strlen(opts[BSF].value) + 1;
		btid = malloc(size);
		len = btid ? gba_btid(btid, size, rand, opts[BSF].value) :
			     -ENOMEM;
		if (len < 0)
			ret = crypto_failed(command, len);
	}
	if (!ret) {
		print_string("btid", btid);
		ret = finish_output(command);
	}
	free(btid);
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

static int label_option(const char *command, const struct opt *opt)
{
	if (strcmp(opt->value, LABEL_KS_LOCAL_DEVICE) &&
	    strcmp(opt->value, LABEL_KS_LOCAL_MT)) {
		fail(command, "--%s: must be %s or %s, not '%s'", opt->name,
		     LABEL_KS_LOCAL_DEVICE, LABEL_KS_LOCAL_MT, opt->value);
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_ks_local(int argc, char *argv[])
{
	static const char command[] = "ks-local";
	enum { KS_NAF, LABEL, BTID, NAF_ID, DEVICE_ID };
	struct opt opts[] = {
		[KS_NAF] = OPTION("ks-naf", OPT_REQUIRED),
		[LABEL] = OPTION("label", OPT_REQUIRED),
		[BTID] = OPTION("btid", OPT_REQUIRED),
		[NAF_ID] = OPTION("naf-id", OPT_REQUIRED),
		[DEVICE_ID] = OPTION("device-id", OPT_REQUIRED),
	};
	struct {
		uint8_t ks_naf[GBA_KEY_LEN], ks_local[KS_LOCAL_LEN];
	} v;
	uint8_t *naf_id = NULL;
	size_t naf_id_len = 0;
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = hex_option(command, &opts[KS_NAF], v.ks_naf,
				 sizeof(v.ks_naf));
	if (!ret)
		ret = label_option(command, &opts[LABEL]);
	if (!ret)
		ret = string_option(command, &opts[BTID]);
	if (!ret)
		ret = naf_id_option(command, &opts[NAF_ID], &naf_id,
				    &naf_id_len);
	if (!ret)
		ret = string_option(command, &opts[DEVICE_ID]);
	if (!ret) {
		error = ks_local_derive(v.ks_local, v.ks_naf,
					opts[LABEL].value, opts[BTID].value,
					naf_id, naf_id_len,
					opts[DEVICE_ID].value);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("ks_local", v.ks_local, sizeof(v.ks_local));
		ret = finish_output(command);
	}
	OPENSSL_free(naf_id);
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

int cmd_ks_local_link(int argc, char *argv[])
{
	static const char command[] = "ks-local-link";
	enum { KS_LOCAL, ALG };
	struct opt opts[] = {
		[KS_LOCAL] = OPTION("ks-local", OPT_REQUIRED),
		[ALG] = OPTION("alg", OPT_REQUIRED),
	};
	struct {
		uint8_t ks_local[KS_LOCAL_LEN];
		uint8_t k_enc[KEYSET_KEY_LEN], k_int[KEYSET_KEY_LEN];
	} v;
	unsigned long long alg;
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = hex_option(command, &opts[KS_LOCAL], v.ks_local,
				 sizeof(v.ks_local));
	if (!ret)
		ret = number_option(command, &opts[ALG], 0, E2M_ALG_MAX, &alg);
	if (!ret) {
		error = ks_link_derive(v.k_enc, v.k_int, v.ks_local,
				       (enum e2m_alg)alg);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("k_enc", v.k_enc, sizeof(v.k_enc));
		print_hex("k_int", v.k_int, sizeof(v.k_int));
		ret = finish_output(command);
	}
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

/* kasme and k-hse: CK, IK, a network identifier, SQN xor AK. */
struct anchor_input {
	uint8_t ck[AKA_CK_LEN], ik[AKA_IK_LEN], sqn_xor_ak[AKA_SQN_LEN];
	uint8_t sn_id[SN_ID_LEN], key[ANCHOR_KEY_LEN];
};

int cmd_kasme(int argc, char *argv[])
{
	static const char command[] = "kasme";
	enum { CK, IK, SN_ID, SQN_XOR_AK };
	struct opt opts[] = {
		[CK] = OPTION("ck", OPT_REQUIRED),
		[IK] = OPTION("ik", OPT_REQUIRED),
		[SN_ID] = OPTION("sn-id", OPT_REQUIRED),
		[SQN_XOR_AK] = OPTION("sqn-xor-ak", OPT_REQUIRED),
	};
	struct anchor_input v;
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = hex_option(command, &opts[CK], v.ck, sizeof(v.ck));
	if (!ret)
		ret = hex_option(command, &opts[IK], v.ik, sizeof(v.ik));
	if (!ret)
		ret = hex_option(command, &opts[SN_ID], v.sn_id,
				 sizeof(v.sn_id));
	if (!ret)
		ret = hex_option(command, &opts[SQN_XOR_AK], v.sqn_xor_ak,
				 sizeof(v.sqn_xor_ak));
	if (!ret) {
		error = kasme_derive(v.key, v.ck, v.ik, v.sn_id, v.sqn_xor_ak);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("kasme", v.key, sizeof(v.key));
		ret = finish_output(command);
	}
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

int cmd_k_hse(int argc, char *argv[])
{
	static const char command[] = "k-hse";
	enum { CK, IK, SNN, SQN_XOR_AK };
	struct opt opts[] = {
		[CK] = OPTION("ck", OPT_REQUIRED),
		[IK] = OPTION("ik", OPT_REQUIRED),
		[SNN] = OPTION("snn", OPT_REQUIRED),
		[SQN_XOR_AK] = OPTION("sqn-xor-ak", OPT_REQUIRED),
	};
	struct anchor_input v;
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = hex_option(command, &opts[CK], v.ck, sizeof(v.ck));
	if (!ret)
		ret = hex_option(command, &opts[IK], v.ik, sizeof(v.ik));
	if (!ret)
		ret = string_option(command, &opts[SNN]);
	if (!ret)
		ret = hex_option(command, &opts[SQN_XOR_AK], v.sqn_xor_ak,
				 sizeof(v.sqn_xor_ak));
	if (!ret) {
		error = k_hse_derive(v.key, v.ck, v.ik, opts[SNN].value,
				     v.sqn_xor_ak);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("k_hse", v.key, sizeof(v.key));
		ret = finish_output(command);
	}
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

int cmd_e2m_keyset(int argc, char *argv[])
{
	static const char command[] = "e2m-keyset";
	enum { CK, IK, RAND, ALG };
	struct opt opts[] = {
		[CK] = OPTION("ck", OPT_REQUIRED),
		[IK] = OPTION("ik", OPT_REQUIRED),
		[RAND] = OPTION("rand", OPT_REQUIRED),
		[ALG] = OPTION("alg", OPT_REQUIRED),
	};
	struct aka_input in;
	struct {
		uint8_t k_e2m[K_E2M_LEN];
		uint8_t k_enc[KEYSET_KEY_LEN], k_int[KEYSET_KEY_LEN];
	} v;
	unsigned long long alg;
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = aka_options(command, &opts[CK], &opts[IK], &opts[RAND],
				  &in);
	if (!ret)
		ret = number_option(command, &opts[ALG], 0, E2M_ALG_MAX, &alg);
	if (!ret) {
		error = k_e2m_derive(v.k_e2m, in.ck, in.ik, in.rand);
		if (!error)
			error = keyset_derive(v.k_enc, v.k_int, v.k_e2m,
					      (enum e2m_alg)alg);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("k_e2m", v.k_e2m, sizeof(v.k_e2m));
		print_hex("k_enc", v.k_enc, sizeof(v.k_enc));
		print_hex("k_int", v.k_int, sizeof(v.k_int));
		ret = finish_output(command);
	}
	OPENSSL_cleanse(&in, sizeof(in));
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}

int cmd_air_keys(int argc, char *argv[])
{
	static const char command[] = "air-keys";
	enum { CK, IK, RAND };
	struct opt opts[] = {
		[CK] = OPTION("ck", OPT_REQUIRED),
		[IK] = OPTION("ik", OPT_REQUIRED),
		[RAND] = OPTION("rand", OPT_REQUIRED),
	};
	struct aka_input in;
	struct {
		uint8_t ck_prime[AKA_CK_LEN], ik_prime[AKA_IK_LEN];
	} v;
	int ret, error;

	ret = parse_options(command, opts, OPTS_COUNT(opts), argc, argv);
	if (!ret)
		ret = aka_options(command, &opts[CK], &opts[IK], &opts[RAND],
				  &in);
	if (!ret) {
		error = air_keys_derive(v.ck_prime, v.ik_prime, in.ck, in.ik,
					in.rand);
		if (error)
			ret = crypto_failed(command, error);
	}
	if (!ret) {
		print_hex("ck_prime", v.ck_prime, sizeof(v.ck_prime));
		print_hex("ik_prime", v.ik_prime, sizeof(v.ik_prime));
		ret = finish_output(command);
	}
	OPENSSL_cleanse(&in, sizeof(in));
	OPENSSL_cleanse(&v, sizeof(v));
	free_options(opts, OPTS_COUNT(opts));
	return ret;
}
