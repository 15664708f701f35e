/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl usim sd-set: the USIM of a UE store gets the credentials of its
 * security domain for long-term key updates (ue/usim_sd.h), which
 * e2mctl usim update then takes from the store:
 *
 *   usim sd-set --store PATH --store-key-file FILE --iccid N
 *		 --key FILE --cert FILE --ca FILE
 *
 * --key is SK.SD (P-256, PEM, a private file: a regular file of mode 0600
 * or 0400, ours or root's, not a link), --cert its certificate (PEM), --ca
 * CA-KLOC (PEM), the CA the OCE's chain must reach. The three are checked
 * together (usim_sd_check()) before the store is opened: a refusal names
 * the check and changes nothing. Replaces what the USIM had. Prints
 * iccid= sd-cert= (the certificate's subject) ca-kloc= (CA-KLOC's);
 * never the key.
 */
#ifndef E2MCTL_CMD_USIM_SD_H
#define E2MCTL_CMD_USIM_SD_H

int cmd_usim_sd_set(int argc, char *argv[]);

#endif /* E2MCTL_CMD_USIM_SD_H */
