/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl onem2m handoff: the Enrolee's association key handed to the
 * application that runs the association itself, through the kernel
 * keyring (TS-0003 leaves where the key lives to the implementation;
 * Documentation/onem2m.md, "Where keys live"):
 *
 *   onem2m handoff (--ke-id KEID | --iccid N [--enrolee-b]) --target FQDN
 *                  --uid UID --store PATH --store-key-file FILE
 *
 * The key is the one onem2m associate would use for --target
 * (ctl/onem2m_assoc_key.h): Km, or Kpsa, never Ke, which would derive the
 * keys of every target. It becomes a "user" key described
 * "onem2m:" KEY-ID in the persistent keyring of UID (keyctl
 * get_persistent), owned by UID and its group, readable by that uid only
 * (possessor: all, so that a new handoff replaces it; user: view, read,
 * search; group and others nothing), and expiring with its Ke or
 * bootstrap (keyctl timeout). A key of that description there already is
 * replaced. The work runs in a child that has taken UID's identity, so
 * the key is UID's own without CAP_SYS_ADMIN (keyctl chown). Prints
 * key_id=, serial=, uid=, ke_id=, expires=; never the key.
 */
#ifndef E2MCTL_CMD_ONEM2M_HANDOFF_H
#define E2MCTL_CMD_ONEM2M_HANDOFF_H

int cmd_onem2m_handoff(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ONEM2M_HANDOFF_H */
