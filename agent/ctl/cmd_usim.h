/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl usim: provisions and inspects the software USIMs in a UE's store
 * (ue_store.h):
 *
 *   usim add --store PATH --store-key-file FILE --iccid N --imsi N
 *            --impi NAI --k HEX (--opc HEX | --op HEX) [--gba-u]
 *            [--ind-bits N]
 *   usim show --store PATH --store-key-file FILE --iccid N
 *   usim remove --store PATH --store-key-file FILE --iccid N
 *
 * show prints iccid=, imsi=, impi=, flags= (gba-u or -), ind-bits=,
 * seq-ms= (the highest SEQ accepted) and, for GBA_U, btid= and expires=
 * of the bootstrap the USIM keeps; never K, OPc or Ks.
 */
#ifndef E2MCTL_CMD_USIM_H
#define E2MCTL_CMD_USIM_H

int cmd_usim(int argc, char *argv[]);

#endif /* E2MCTL_CMD_USIM_H */
