/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl's UE commands: GBA bootstrapping with a software USIM of a UE's
 * store (ue_store.h, provisioned with e2mctl usim add) against a BSF, and
 * the NAF keys of the bootstrap.
 *
 *   bootstrap --store PATH --store-key-file FILE --iccid N --bsf URL
 *             [--timeout SECONDS]
 *     runs Ub (ue/bootstrap.h) against the BSF at URL (http://HOST[:PORT])
 *     and keeps the bootstrap; prints btid=, impi=, expires=, gba=me|u,
 *     resync=0|1.
 *
 *   naf-key --store PATH --store-key-file FILE --iccid N
 *           (--naf-id HEX | --naf FQDN --ua-proto HEX) [--bsf URL]
 *           [--timeout SECONDS] [--show-key]
 *     the key of the current bootstrap for a NAF_Id (ue/naf_key.h):
 *     Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U). Without a bootstrap in its
 *     lifetime it bootstraps first when --bsf is given, else fails.
 *     Prints btid=, impi=, naf_id=, expires=, gba=, bootstrapped=0|1,
 *     then the key: only its fingerprint (ks_naf_fp= or ks_ext_naf_fp=,
 *     see print_key()) unless --show-key asks for the key itself, the
 *     one output of e2mctl besides the known-answer commands that is a
 *     key: the user asked for exactly that.
 *
 * Exit status 0, 1 for a failure (the BSF refused, no bootstrap, ...), 2
 * for bad usage; errors one line on stderr, nothing on stdout.
 */
#ifndef E2MCTL_CMD_UE_H
#define E2MCTL_CMD_UE_H

int cmd_bootstrap(int argc, char *argv[]);
int cmd_naf_key(int argc, char *argv[]);

#endif /* E2MCTL_CMD_UE_H */
