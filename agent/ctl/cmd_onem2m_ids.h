/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl onem2m-ids: the oneM2M bootstrap's identifiers and target keys
 * from a Ke, offline (PROFILE.md 6, its CLI contract):
 *
 *   onem2m-ids --ke HEX --mef FQDN --maf-id ID --enrolee-id ID
 *              [--enrolee-b-id ID] --target FQDN
 *   -> ke_id= km= km_id= kpsa= kpsa_id=
 *
 * Ke itself comes from a live session's exporter (crypto/onem2m_tls.h),
 * so it is an input here. km_id and kpsa_id both end in "@" --target.
 * Without --enrolee-b-id there is no Kpsa: kpsa= and kpsa_id= are not
 * printed (e2m's reading of the contract: a line per output computed).
 */
#ifndef E2MCTL_CMD_ONEM2M_IDS_H
#define E2MCTL_CMD_ONEM2M_IDS_H

int cmd_onem2m_ids(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ONEM2M_IDS_H */
