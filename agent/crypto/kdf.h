/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic key derivation function of TS 33.220 Annex B.2.0:
 *
 *	derived key = HMAC-SHA-256(KEY, S)
 *	S = FC || P0 || L0 || P1 || L1 || ... || Pn || Ln
 *
 * with Li the length of Pi in octets, two octets big-endian. S is built up
 * one parameter at a time:
 *
 *	struct kdf kdf;
 *
 *	kdf_init(&kdf, FC_K_E2M);
 *	kdf_add_string(&kdf, LABEL_E2M_KEYSET);
 *	kdf_add(&kdf, rand, 16);
 *	ret = kdf_derive(&kdf, key, 32, out);
 *	kdf_free(&kdf);
 *
 * The first error sticks: a failed kdf_init() or kdf_add() makes every later
 * call on the same builder a no-op and kdf_derive() returns that error, so a
 * derivation checks once, at the end. All functions return 0 or a negative
 * errno: -EINVAL for an FC that is neither form or a parameter longer than
 * 65535 octets, -ENOMEM, -EIO when OpenSSL fails.
 */
#ifndef E2M_KDF_H
#define E2M_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "aka/aka.h"

#define KDF_OUT_LEN	32	/* HMAC-SHA-256 */
#define KDF_PARAM_MAX	65535	/* Li is two octets */

struct kdf {
	uint8_t *s;		/* FC || P0 || L0 || ... so far */
	size_t len;
	size_t size;		/* allocated */
	int error;		/* the first error, sticky */
};

/* fc: 0x00..0xfe (one octet) or 0xff00..0xffff (0xFF xx), see fc.h. */
int kdf_init(struct kdf *kdf, unsigned int fc);

/* Appends Pi || Li. */
int kdf_add(struct kdf *kdf, const void *param, size_t len);
int kdf_add_string(struct kdf *kdf, const char *string);
int kdf_add_octet(struct kdf *kdf, uint8_t octet);

/* HMAC-SHA-256(key, S) into out; key_len must not be 0. */
int kdf_derive(struct kdf *kdf, const uint8_t *key, size_t key_len,
	       uint8_t out[KDF_OUT_LEN]);

/*
 * The same keyed with Ks = CK || IK, the key of every derivation straight
 * from an AKA run (TS 33.220 4.5.2, TS 33.401 A.2, TS 33.163 5.1.0a).
 */
int kdf_derive_ck_ik(struct kdf *kdf, const uint8_t ck[AKA_CK_LEN],
		     const uint8_t ik[AKA_IK_LEN], uint8_t out[KDF_OUT_LEN]);

/* S as built so far, for tests and for comparing with published S strings. */
const uint8_t *kdf_input(const struct kdf *kdf, size_t *len);

/* Wipes and frees S. Safe on a builder whose kdf_init() failed. */
void kdf_free(struct kdf *kdf);

#endif /* E2M_KDF_H */
