/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl onem2m: the oneM2M pre-provisioned symmetric key framework
 * (TS-0003 8.3.2.1, Documentation/onem2m.md), on both sides:
 *
 *   onem2m kpm-add --kpm-id ID --keys FILE --enrolee-id ID
 *                  (--maf-id ID | --enrolee-b-id ID)
 *                  [--store PATH --store-key-file FILE]
 *   onem2m kpm-remove --kpm-id ID [--store PATH --store-key-file FILE]
 *   onem2m kpm-list [--store PATH --store-key-file FILE]
 *   onem2m ke-list [--store PATH --store-key-file FILE]
 *   onem2m enrol (cmd_onem2m_enrol.h)
 *   onem2m km-fetch (--ke-id ID | --btid B-TID) --enrolee-id ID
 *							(the MAF's, admin only)
 *   onem2m km-list					(the MAF's, admin only)
 *
 * Without --store they are the MEF's admin commands (daemon/mef/
 * mef_admin.h) over e2md's socket; with --store they work on an
 * Enrolee's own store (as the UE commands do: no daemon). Kpm, 32
 * octets, comes in --keys FILE as kpm=HEX (key_input.h), never on the
 * command line. Lists print one line a row, never a key:
 *
 *   kpm_id= enrolee_id= maf_id=|enrolee_b_id= added=
 *   ke_id= kpm_id= enrolee_id= maf_id=|enrolee_b_id= issued= expires=
 *   km_id= ke_id= enrolee_id= expires=
 *
 * km-fetch asks the MAF to fetch a Km from its MEF (--ke-id), or in the
 * GBA-based framework Ks_(ext)_NAF of a bootstrap from the BSF over Zn
 * (--btid), and returns at once: the outcome is the MAF's log and
 * km-list.
 */
#ifndef E2MCTL_CMD_ONEM2M_H
#define E2MCTL_CMD_ONEM2M_H

int cmd_onem2m(int argc, char *argv[]);

#endif /* E2MCTL_CMD_ONEM2M_H */
