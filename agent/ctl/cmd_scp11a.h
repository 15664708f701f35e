/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl scp11a-kdf: the SCP11a session keys from a shared secret
 * (PROFILE.md section 7), a known-answer command like those of section 4.
 */
#ifndef E2MCTL_CMD_SCP11A_H
#define E2MCTL_CMD_SCP11A_H

int cmd_scp11a_kdf(int argc, char *argv[]);

#endif /* E2MCTL_CMD_SCP11A_H */
