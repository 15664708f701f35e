/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The offline commands of e2mctl: known-answer checks of every algorithm
 * and derivation in libe2m, with no kernel and no network. Each takes the
 * arguments after its name and returns the exit status.
 */
#ifndef E2MCTL_CMD_CRYPTO_H
#define E2MCTL_CMD_CRYPTO_H

int cmd_milenage(int argc, char *argv[]);
int cmd_auts(int argc, char *argv[]);
int cmd_nea2(int argc, char *argv[]);
int cmd_nia2(int argc, char *argv[]);
int cmd_kdf(int argc, char *argv[]);
int cmd_gba_naf(int argc, char *argv[]);
int cmd_btid(int argc, char *argv[]);
int cmd_ks_local(int argc, char *argv[]);
int cmd_ks_local_link(int argc, char *argv[]);
int cmd_kasme(int argc, char *argv[]);
int cmd_k_hse(int argc, char *argv[]);
int cmd_e2m_keyset(int argc, char *argv[]);
int cmd_air_keys(int argc, char *argv[]);

#endif /* E2MCTL_CMD_CRYPTO_H */
