/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl key: the key slots of a flow (E2M_CMD_KEY_BIND, KEY_USE,
 * KEY_UNBIND); the keys themselves are "e2mkeyset" keys (cmd_keyset.h) or
 * "ks_local" keys (a local link's, added by the device and MT roles).
 *
 *   key bind DEV teid N serial SERIAL [key-id K alg N] [tx-on-rx]
 *   key use DEV teid N key-id K
 *   key unbind DEV teid N key-id K
 *
 * bind takes the key into the slot of its Key ID (tx-on-rx: transmit with
 * it once the peer has); a ks_local key is bound with the Key ID K and the
 * algorithm N of the link, from which the module derives its keys; use switches transmission to the slot of K,
 * unbind drops that slot.
 */
#ifndef E2MCTL_CMD_KEY_H
#define E2MCTL_CMD_KEY_H

int cmd_key(int argc, char *argv[]);

#endif /* E2MCTL_CMD_KEY_H */
