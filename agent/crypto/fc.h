/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every FC value, label and parameter constant e2m feeds to the TS 33.220
 * KDF, in one place. The e2m profile values (0xFF 0xE1..0xE5) stand in for
 * derivations whose spec text could not be read; aligning one with the spec
 * is a change to one line here plus its test vector (FC_KS_LINK: the
 * one line is in the kernel's uapi, which the module derives it from too).
 *
 * An FC is kept as a 16-bit number: 0x00..0xFE is the one-octet form,
 * 0xFF00..0xFFFF the two-octet extension form 0xFF xx of TS 33.220 B.2.0.
 */
#ifndef E2M_FC_H
#define E2M_FC_H

#include <linux/e2m.h>

/* Spec-exact. */
#define FC_GBA_NAF		0x01	/* Ks_(ext/int)_NAF, TS 33.220 B.3 */
#define FC_KASME		0x10	/* KASME, TS 33.401 A.2 */
#define FC_K_HSE		0x63	/* K_HSE (5G AKA), TS 33.163 5.1.0a */
#define FC_KAUSF		0x6a	/* K_AUSF (5G AKA), TS 33.501 A.2 */
#define FC_RES_STAR		0x6b	/* RES*, XRES*, TS 33.501 A.4 */

/* e2m profile (Documentation/derivations.md). */
#define FC_KS_LOCAL		0xffe1	/* Ks_local_device, Ks_local_MT */
#define FC_K_E2M		0xffe2	/* K_e2m after UMTS AKA */
#define FC_KEYSET		0xffe3	/* K_enc, K_int from K_e2m */
#define FC_AIR			0xffe4	/* CK', IK' for the serving network */
/* K_enc, K_int of a local link from Ks_local: the module derives them too. */
#define FC_KS_LINK		E2M_KS_LINK_FC	/* 0xffe5, uapi/linux/e2m.h */
/* oneM2M (PROFILE.md 6): KeId, Km-Id, Kpsa-Id; Km, Kpsa from Ke. */
#define FC_ONEM2M_ID		0xffe6
#define FC_ONEM2M_KEY		0xffe7

/*
 * The Ua security protocol identifier of the NAF Key Centre's NAF_Id
 * (FQDN || this), for the Ks_(ext)_NAF that feeds Ks_local: organisation
 * 0xFF (private), "e2m local key establishment". e2m profile (PROFILE.md
 * 5): the 3GPP value could not be confirmed.
 */
#define UA_ID_NAFKC		{ 0xff, 0x00, 0x00, 0x00, 0x01 }
/*
 * The Ua id of a oneM2M MAF's (or Enrolee B's) NAF_Id in the GBA-based
 * framework: organisation 0xFF, "e2m oneM2M". e2m profile (PROFILE.md 6).
 */
#define UA_ID_ONEM2M		{ 0xff, 0x00, 0x00, 0x00, 0x02 }

/* P0 of the GBA NAF key derivations, TS 33.220 B.3. */
#define LABEL_GBA_ME		"gba-me"	/* Ks_NAF, Ks_ext_NAF */
#define LABEL_GBA_U		"gba-u"		/* Ks_int_NAF */

/* P0 of the e2m profile derivations. */
#define LABEL_KS_LOCAL_DEVICE	"ks_local_device"	/* TS 33.259 */
#define LABEL_KS_LOCAL_MT	"ks_local_mt"
#define LABEL_E2M_KEYSET	"e2mKEYSET"
#define LABEL_AIR		"air"
/* oneM2M (PROFILE.md 6): P0 of FC_ONEM2M_ID and FC_ONEM2M_KEY. */
#define LABEL_ONEM2M_KE_ID	"KeId"
#define LABEL_ONEM2M_KM_ID	"KmId"
#define LABEL_ONEM2M_KPSA_ID	"KpsaId"
#define LABEL_ONEM2M_KM		"Km"
#define LABEL_ONEM2M_KPSA	"Kpsa"

/* P0 of FC_KEYSET: which key of the e2mKEYSET. */
#define KEYSET_DIST_ENC		0x01
#define KEYSET_DIST_INT		0x02

/* P0 of FC_KS_LINK: which key of the link (the uapi's, as the module). */
#define KS_LINK_DIST_ENC	E2M_KS_LINK_DIST_ENC
#define KS_LINK_DIST_INT	E2M_KS_LINK_DIST_INT

/*
 * P1 of FC_KEYSET, the 3GPP algorithm identifiers (NEAx/NIAx): enum
 * e2m_alg of the kernel's uapi, so that the agent and e2m.ko have one
 * list and a file may include both.
 */
#define E2M_ALG_MAX	E2M_ALG_ZUC

#endif /* E2M_FC_H */
