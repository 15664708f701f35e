/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * e2m: end-to-middle protection of the user traffic of 3GPP (MTC/IoT) devices.
 *
 * This header is the whole user/kernel ABI of the e2m module.
 *
 * Key types
 * =========
 *
 * e2m keeps its keys in the kernel keyrings, in two key types of its own. Keys
 * are created with add_key(2) (or `keyctl padd TYPE DESC KEYRING < payload`),
 * listed by `keyctl show` and /proc/keys, and can be revoked and given a
 * timeout like any other key. They can never be read back: KEYCTL_READ fails
 * with EOPNOTSUPP. The kernel wipes the key bytes when a key is revoked or
 * destroyed. Updating a key in place is not supported: a rekey is a new key
 * (under a new Key ID), so that a flow never sees its keys change under it.
 *
 * All multi-octet integers in the payloads are in host byte order. Every
 * reserved field must be zero; a payload with an unknown version, a wrong
 * size, an unknown algorithm or a non-zero reserved field is refused with
 * EINVAL and no key is created. An algorithm that e2m knows but this kernel
 * module does not implement yet is refused with ENOPKG.
 *
 * "e2mkeyset" (E2M_KEYSET_KEY_TYPE): one e2mKEYSET, the per-flow pair of
 *	confidentiality and integrity keys (K_enc, K_int) for the protection of
 *	N-PDUs, with the 3-bit Key ID under which they are used. Payload: struct
 *	e2m_keyset_payload, exactly sizeof(struct e2m_keyset_payload) octets.
 *	The description is free text chosen by the agent (it should name the
 *	subscriber and the Key ID, e.g. "imsi:001010000000001 kid:1"); /proc/keys
 *	appends the Key ID and the algorithms, never the key bytes.
 *
 * "ks_local" (E2M_KS_LOCAL_KEY_TYPE): one 256-bit local key,
 *	Ks_local_device (TS 33.259, remote device and NAF Key Centre) or
 *	Ks_local_MT (MT and external device), with the identifiers it was
 *	derived for. Payload: struct e2m_ks_local_payload followed by the
 *	identifiers B-TID, NAF_Id and Device_ID back to back, without
 *	terminators; the payload is exactly the header plus the three lengths.
 *
 * A non-zero lifetime (seconds) in a payload sets the key's expiry at the
 * moment it is created, so that no window exists in which the key lives
 * without one; `keyctl timeout` can change it later.
 */
#ifndef _UAPI_LINUX_E2M_H
#define _UAPI_LINUX_E2M_H

#include <linux/types.h>

#define E2M_KEYSET_KEY_TYPE	"e2mkeyset"
#define E2M_KS_LOCAL_KEY_TYPE	"ks_local"

/*
 * Algorithm identifiers, as the 3GPP 4-bit NEA/NIA identifiers: the same
 * number names the ciphering (NEAx) and the integrity (NIAx) algorithm.
 */
enum e2m_alg {
	E2M_ALG_NULL	= 0,	/* NEA0 / NIA0; NIA0 is never accepted */
	E2M_ALG_SNOW3G	= 1,	/* 128-NEA1 / 128-NIA1 */
	E2M_ALG_AES	= 2,	/* 128-NEA2 / 128-NIA2 */
	E2M_ALG_ZUC	= 3,	/* 128-NEA3 / 128-NIA3 */
};

#define E2M_KEY_ID_MAX		7	/* the Key ID is 3 bits */
#define E2M_ALG_KEY_LEN		16	/* 128-bit NEA/NIA keys */

#define E2M_KEYSET_PAYLOAD_V1	1

/**
 * struct e2m_keyset_payload - payload of an "e2mkeyset" key
 * @version:	E2M_KEYSET_PAYLOAD_V1
 * @enc_alg:	ciphering algorithm, enum e2m_alg
 * @int_alg:	integrity algorithm, enum e2m_alg; never E2M_ALG_NULL
 * @key_id:	Key ID, 0..E2M_KEY_ID_MAX; carried in every protected N-PDU
 * @lifetime:	seconds until the key expires, 0 for no expiry
 * @reserved:	must be zero
 * @k_enc:	K_enc
 * @k_int:	K_int
 */
struct e2m_keyset_payload {
	__u8	version;
	__u8	enc_alg;
	__u8	int_alg;
	__u8	key_id;
	__u32	lifetime;
	__u32	reserved;
	__u8	k_enc[E2M_ALG_KEY_LEN];
	__u8	k_int[E2M_ALG_KEY_LEN];
};

#define E2M_KS_LOCAL_PAYLOAD_V1	1
#define E2M_KS_LOCAL_KEY_LEN	32	/* 256 bits */
#define E2M_UA_PROTO_ID_LEN	5	/* TS 33.220 Annex H */
#define E2M_NAF_ID_MAX		(253 + E2M_UA_PROTO_ID_LEN) /* FQDN || Ua id */

enum e2m_ks_local_kind {
	E2M_KS_LOCAL_DEVICE	= 1,	/* Ks_local_device, TS 33.259 */
	E2M_KS_LOCAL_MT		= 2,	/* Ks_local_MT */
};

/**
 * struct e2m_ks_local_payload - payload of a "ks_local" key
 * @version:	E2M_KS_LOCAL_PAYLOAD_V1
 * @kind:	enum e2m_ks_local_kind
 * @btid_len:	length of the B-TID, 1..255 printable ASCII octets
 * @device_id_len: length of the Device_ID, 1..255 printable ASCII octets
 * @naf_id_len:	length of the NAF_Id: a printable FQDN of 1..253 octets
 *		followed by the 5-octet Ua security protocol identifier
 * @reserved:	must be zero
 * @lifetime:	seconds until the key expires, 0 for no expiry
 * @key:	Ks_local_device or Ks_local_MT
 * @ids:	B-TID || NAF_Id || Device_ID
 */
struct e2m_ks_local_payload {
	__u8	version;
	__u8	kind;
	__u8	btid_len;
	__u8	device_id_len;
	__u16	naf_id_len;
	__u16	reserved;
	__u32	lifetime;
	__u8	key[E2M_KS_LOCAL_KEY_LEN];
	__u8	ids[];
};

#endif /* _UAPI_LINUX_E2M_H */
