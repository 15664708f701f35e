/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl nafkc-request: a remote device asks a NAF Key Centre for its
 * Ks_local (TS 33.259 4.5.2 steps 10, 11 and 16) with ue/nafkc_client.h,
 * over PSK-TLS with its pre-provisioned PSK, a certificate, or a UE's
 * bootstrap (GBA PSK-TLS):
 *
 *   nafkc-request --url https://HOST[:PORT] --device-id ID
 *                 (--keys FILE --btid B-TID
 *                  | --cert FILE --key FILE --ca FILE --btid B-TID
 *                  | --gba --store PATH --store-key-file FILE
 *                    --iccid ICCID [--naf FQDN] [--btid B-TID])
 *                 [--label ks_local_device|ks_local_mt]
 *                 [--tls 1.2|1.3] [--timeout S] [--show-key]
 *
 *   -> btid= device_id= label= naf_id= expires= lifetime= tls= cipher=
 *      ks_local_fp= (ks_local= with --show-key)
 *
 * The PSK comes from --keys FILE as psk=HEX (ctl/key_input.h, as for
 * device add: mode 0600 or 0400, - for standard input, /dev/fd/N), never
 * from the command line (--psk is refused).
 * With --gba the UE's store and USIM (as for e2mctl naf-key) give its
 * current bootstrap: identity "3GPP-bootstrapping" (GBA_ME) or
 * "3GPP-bootstrapping-uicc" (GBA_U) || B-TID, the PSK its Ks_NAF /
 * Ks_ext_NAF for NAF_Id = FQDN || the Ua id of the suite (net/tls_gba.h),
 * FQDN the Key Centre's name (--naf, else the host of --url); the
 * request's B-TID is the bootstrap's unless --btid names another.
 * With --cert, --key and --ca (PEM files) the device shows its
 * certificate, which names its Device_ID as its subjectAltName URI, and
 * checks the Key Centre's against the CA and HOST.
 *
 * The key itself is printed only with --show-key (tests, known
 * answers); otherwise its fingerprint, as the UE commands do. Exit status
 * 0; 1 when the Key Centre refused ("e2mctl: nafkc-request: 403
 * device-blocked: ...") or could not be reached, or the handshake failed;
 * 2 for bad usage.
 */
#ifndef E2MCTL_CMD_NAFKC_REQUEST_H
#define E2MCTL_CMD_NAFKC_REQUEST_H

int cmd_nafkc_request(int argc, char *argv[]);

#endif /* E2MCTL_CMD_NAFKC_REQUEST_H */
