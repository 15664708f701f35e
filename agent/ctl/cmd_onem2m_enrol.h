/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl onem2m enrol: the Enrolee's side of the pre-provisioned
 * symmetric key framework (TS-0003 8.3.2.1, Documentation/onem2m.md):
 *
 *   onem2m enrol (--mef-uri https://HOST[:PORT] | --mef-dtls HOST:PORT)
 *                --kpm-id ID
 *                --store PATH --store-key-file FILE [--mef FQDN]
 *                [--timeout S] [--show-key]
 *
 *   -> ke_id= kpm_id= enrolee_id= maf_id=|enrolee_b_id= mef= expires=
 *      lifetime= tls= cipher= ke_fp= (ke= with --show-key)
 *
 * With --mef-dtls the same runs over DTLS 1.2 on UDP (the MEF's
 * dtls-listen, daemon/mef/mef_dtls.h), the request and the answer each
 * one record.
 * The Kpm and its Bootstrap Instruction Configuration come from the
 * Enrolee's store (onem2m kpm-add --store). The handshake is TLS 1.2 PSK,
 * psk_identity = KpmId, psk = Kpm, suites 0xC0A8 and 0x00A8 only; then
 * Ke by the RFC 5705 exporter and KeId "@" the MEF's FQDN (--mef, else
 * the host of --mef-uri), POST /onem2m/v1/enrolment with the
 * configuration (proto/onem2m/enrol_msg.h). The MEF's KeId must be ours;
 * then Ke is stored sealed in the Enrolee's store with the MEF's
 * lifetime, and only then printed.
 *
 * Exit status 0; 1 when the MEF refused ("e2mctl: onem2m enrol: 403
 * not-configured: ..."), could not be reached, the handshake failed or
 * the answer is not for us (nothing stored then); 2 for bad usage.
 */
#ifndef E2MCTL_CMD_ONEM2M_ENROL_H
#define E2MCTL_CMD_ONEM2M_ENROL_H

int cmd_onem2m_enrol(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ONEM2M_ENROL_H */
