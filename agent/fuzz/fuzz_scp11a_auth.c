// SPDX-License-Identifier: GPL-2.0
/*
 * SCP11a's MUTUAL AUTHENTICATE on arbitrary octets (crypto/scp11a.h): the
 * first octet's low bit picks the side, the rest is what the other end
 * sent. 0: the SD reads the OCE's data (the control reference template,
 * ePK.OCE); 1: the OCE reads the SD's answer (ePK.SD, the receipt) to the
 * data it sent. Fixed static and ephemeral keys, so the one good answer
 * is known: the SD may accept only the template exactly, with some point,
 * and the OCE only that answer, octet for octet; any other input is
 * refused with -EPROTO or -EINVAL (-EBADMSG at the OCE: a wrong receipt).
 */
#include <errno.h>

#include "crypto/scp11a.h"
#include "fuzz.h"

struct fixed {
	EVP_PKEY *sk_oce, *pk_oce, *sk_sd, *pk_sd, *e_oce, *e_sd;
	uint8_t data[SCP11A_AUTH_DATA_LEN];	/* the OCE's, from e_oce */
	uint8_t resp[SCP11A_AUTH_RESP_LEN];	/* the SD's answer to it */
};

static EVP_PKEY *key_of(uint8_t fill)
{
	uint8_t scalar[SCP11A_SCALAR_LEN];
	EVP_PKEY *key;

	memset(scalar, fill, sizeof(scalar));
	FUZZ_ASSERT(!scp11a_key_from_scalar(&key, scalar));
	return key;
}

static EVP_PKEY *public_of(EVP_PKEY *key)
{
	uint8_t point[SCP11A_POINT_LEN];
	EVP_PKEY *pub;

	FUZZ_ASSERT(!scp11a_key_point(key, point) &&
		    !scp11a_key_from_point(&pub, point));
	return pub;
}

static const struct fixed *fixed(void)
{
	static struct fixed f;
	struct scp11a_keys keys;

	if (f.sk_oce)
		return &f;
	f.sk_oce = key_of(0x11);
	f.sk_sd = key_of(0x33);
	f.e_oce = key_of(0x44);
	f.e_sd = key_of(0x55);
	f.pk_oce = public_of(f.sk_oce);
	f.pk_sd = public_of(f.sk_sd);
	FUZZ_ASSERT(!scp11a_oce_auth_data(f.data, f.e_oce));
	FUZZ_ASSERT(!scp11a_sd_authenticate(&keys, f.resp, f.data,
					    sizeof(f.data), f.e_sd, f.sk_sd,
					    f.pk_oce));
	return &f;
}

static void sd_reads(const struct fixed *f, const uint8_t *in, size_t n)
{
	uint8_t resp[SCP11A_AUTH_RESP_LEN];
	struct scp11a_keys keys;
	int ret = scp11a_sd_authenticate(&keys, resp, in, n, f->e_sd, f->sk_sd,
					 f->pk_oce);

	FUZZ_ASSERT(ret == 0 || ret == -EPROTO || ret == -EINVAL);
	if (ret)
		return;
	/* The template and the point's tag exactly; the point may differ. */
	FUZZ_ASSERT(n == SCP11A_AUTH_DATA_LEN &&
		    !memcmp(in, f->data, SCP11A_CRT_LEN + 3));
	if (!memcmp(in, f->data, n))
		FUZZ_ASSERT(!memcmp(resp, f->resp, sizeof(resp)));
}

static void oce_reads(const struct fixed *f, const uint8_t *in, size_t n)
{
	struct scp11a_keys keys;
	int ret = scp11a_oce_complete(&keys, f->data, in, n, f->e_oce,
				      f->sk_oce, f->pk_sd);

	FUZZ_ASSERT(ret == 0 || ret == -EPROTO || ret == -EINVAL ||
		    ret == -EBADMSG);
	if (!ret)
		FUZZ_ASSERT(n == sizeof(f->resp) && !memcmp(in, f->resp, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fixed *f = fixed();

	if (!size)
		return 0;
	if (data[0] & 1)
		oce_reads(f, data + 1, size - 1);
	else
		sd_reads(f, data + 1, size - 1);
	return 0;
}
