/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl onem2m associate: the Enrolee's (D)TLS-PSK association with the
 * target its Ke was configured for (TS-0003 8.3.2.1 "usage",
 * Documentation/onem2m.md), with the Ke from its store:
 *
 *   onem2m associate (--ke-id KEID | --iccid N [--enrolee-b]
 *                    [--btid-identity] [--uicc]) --connect HOST:PORT
 *                    --target FQDN
 *                    --store PATH --store-key-file FILE [--dtls]
 *                    [--path PATH] [--timeout SECONDS]
 *
 * For a Ke configured for a MAF: psk = Km = KDF(Ke, 0xFF 0xE7, "Km",
 * MAF-ID, Enrolee-ID), psk_identity = Km-Id "@" --target; for an
 * Enrolee B: Kpsa and Kpsa-Id the same way (PROFILE.md 6). TLS 1.2 (or
 * DTLS 1.2 with --dtls) with the suites of PROFILE.md 6, then GET PATH
 * (default /onem2m/v1/association) in the session. Prints target=
 * (maf or enrolee-b), target_id=, key_id=, ke_id=, enrolee_id=, tls=,
 * cipher=, status= (the answer's HTTP status). A Ke that is not in the
 * store or has expired, and a failed handshake, are errors (exit 1).
 *
 * With --iccid instead (the GBA-based framework, 8.3.3.1): psk = Km =
 * Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U) of that USIM's bootstrap in the
 * store (e2mctl bootstrap) for NAF_Id = --target || FF 00 00 00 02,
 * psk_identity = its Km-Id "@" --target; ke_id= is the B-TID, target_id=
 * the target's FQDN, and no enrolee_id= line (the MAF was told it). No
 * bootstrap in its lifetime is an error (exit 1). --btid-identity (with
 * --iccid) names the bootstrap instead, psk_identity
 * "3GPP-bootstrapping" || B-TID (TS 33.222), for a MAF's gba-listen,
 * which pulls Km during the handshake (daemon/maf/maf_gba.h), or with
 * --dtls its gba-dtls-listen (daemon/maf/maf_gba_dtls.h); key_id=
 * is still the Km-Id the MAF keeps it under.
 *
 * --uicc (with --iccid): the Enrolee's client in the UICC (GBA_U, seed
 * 002: Km = Ks_int_NAF). The key is Ks_int_NAF, computed in the USIM
 * emulation and handed to its own client (aka/usim.h), never Ks to the
 * ME; with --btid-identity the identity is "3GPP-bootstrapping-uicc" ||
 * B-TID. A GBA_ME USIM has no such client: refused, exit 1.
 */
#ifndef E2MCTL_CMD_ONEM2M_ASSOCIATE_H
#define E2MCTL_CMD_ONEM2M_ASSOCIATE_H

int cmd_onem2m_associate(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ONEM2M_ASSOCIATE_H */
