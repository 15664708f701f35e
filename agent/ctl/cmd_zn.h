/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl zn-query: acts as a NAF (or the NAF Key Centre) on Zn, asking a
 * BSF for the key of a bootstrap (e2m profile, proto/gba/zn_msg.h) over HTTPS
 * with mutual TLS, the NAF's certificate and key, the BSF's certificate
 * checked against the CA and the URL's host:
 *
 *   zn-query --bsf-url https://HOST[:PORT] --btid B-TID --naf-id HEX
 *            [--gba-u] --cert FILE --key FILE --ca FILE
 *            [--timeout SECONDS] [--show-key]
 *
 * prints btid=, impi=, expires=, gba_u=0|1, the keys (ks_ext_naf= and,
 * for a GBA_U answer, ks_int_naf=, as fingerprints unless --show-key, see
 * print_key()) and uss= (the NAF's USS entry, JSON, or -). A refusal is
 * "e2mctl: zn-query: the BSF answered STATUS TOKEN: DETAIL", exit 1.
 */
#ifndef E2MCTL_CMD_ZN_H
#define E2MCTL_CMD_ZN_H

int cmd_zn_query(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ZN_H */
