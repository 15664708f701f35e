// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl scp11a-kdf --shs HEX [--shared-info HEX]
 *	-> receipt_key= s_enc= s_mac= s_rmac= s_dek=
 *
 * The ANSI X9.63 KDF with SHA-256 over ShS (1 to SCP11A_SHS_MAX octets;
 * in SCP11a the two 32-octet ECDH secrets) and sharedInfo (default
 * 3c8810: key usage, key type AES, key length 16), cut into the five
 * AES-128 keys in the order of GP Amendment F.
 */
#include <stdlib.h>

#include "cmd_scp11a.h"
#include "crypto/scp11a.h"
#include "kat.h"

struct scp11a_kdf_io {
	struct kat_octets shs;
	struct kat_octets shared_info;	/* empty: the SCP11a default */
	struct scp11a_keys keys;
};

/* Hex of 1 to max octets. */
static int parse_bounded(const char *command, const struct opt *opt,
			 const struct kat_input *input, void *field)
{
	const struct kat_octets *octets = field;
	int ret = kat_octets(command, opt, input, field);

	if (!ret && (!octets->len || octets->len > input->max))
		ret = report(EXIT_USAGE, command,
			     "--%s: must be 1 to %llu octets", opt->name,
			     input->max);
	return ret;
}

static int scp11a_kdf_kat(void *io)
{
	struct scp11a_kdf_io *v = io;

	return scp11a_kdf(&v->keys, v->shs.data, v->shs.len,
			  v->shared_info.data, v->shared_info.len);
}

static const struct kat scp11a_kdf_cmd = {
	.command = "scp11a-kdf",
	.io_size = sizeof(struct scp11a_kdf_io),
	.inputs = {
		{ .name = "shs", .flags = OPT_REQUIRED,
		  .parse = parse_bounded, .release = kat_octets_free,
		  .offset = KAT_FIELD(struct scp11a_kdf_io, shs,
				      struct kat_octets),
		  .max = SCP11A_SHS_MAX },
		{ .name = "shared-info", .parse = parse_bounded,
		  .release = kat_octets_free,
		  .offset = KAT_FIELD(struct scp11a_kdf_io, shared_info,
				      struct kat_octets),
		  .max = 255 },
	},
	.derive = scp11a_kdf_kat,
	.outputs = {
		KAT_OUT_HEX("receipt_key", struct scp11a_kdf_io,
			    keys.receipt_key),
		KAT_OUT_HEX("s_enc", struct scp11a_kdf_io, keys.s_enc),
		KAT_OUT_HEX("s_mac", struct scp11a_kdf_io, keys.s_mac),
		KAT_OUT_HEX("s_rmac", struct scp11a_kdf_io, keys.s_rmac),
		KAT_OUT_HEX("s_dek", struct scp11a_kdf_io, keys.s_dek),
	},
};

int cmd_scp11a_kdf(int argc, char *argv[])
{
	return kat_run(&scp11a_kdf_cmd, argc, argv);
}
