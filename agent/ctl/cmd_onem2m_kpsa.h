/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl onem2m kpsa-fetch: Enrolee B's side of Centralized Key
 * Distribution (TS-0003 8.3.2.1, Documentation/onem2m.md): asks the MEF
 * for the Kpsa of one Enrolee's Ke (proto/onem2m/km_msg.h, POST
 * /onem2m/v1/kpsa) over HTTPS with mutual TLS, Enrolee B's certificate
 * and key (a DNS name of it is the Enrolee-B-ID the MEF checks against
 * the Ke's Bootstrap Instruction Configuration), the MEF's certificate
 * checked against the CA and the URL's host:
 *
 *   onem2m kpsa-fetch --mef-url https://HOST[:PORT] --ke-id KEID
 *                     --enrolee-id ID --name FQDN --cert FILE --key FILE
 *                     --ca FILE [--timeout SECONDS] [--show-key]
 *
 * prints kpsa_id= (base64(...) "@" --name, Enrolee B's FQDN), ke_id=,
 * enrolee_id=, expires= and kpsa= (a fingerprint unless --show-key, see
 * print_key()): what Enrolee B's (D)TLS-PSK server takes as
 * psk_identity and psk. A refusal is "e2mctl: onem2m kpsa-fetch: the
 * MEF answered STATUS TOKEN: DETAIL", exit 1. Kpsa is not stored (no
 * Enrolee B store table yet).
 */
#ifndef E2MCTL_CMD_ONEM2M_KPSA_H
#define E2MCTL_CMD_ONEM2M_KPSA_H

int cmd_onem2m_kpsa_fetch(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ONEM2M_KPSA_H */
