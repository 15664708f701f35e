/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2mctl keyset: adds an "e2mkeyset" key to a keyring (add_key(2), through
 * kernel/e2m_keyset.h) and prints its serial, for key bind.
 *
 *   keyset add key-id K k-enc HEX k-int HEX desc TEXT [enc-alg N]
 *              [int-alg N] [lifetime SECONDS]
 *              [keyring @u|@s|@p|@t|@us|SERIAL]
 *      -> serial=
 *
 * The algorithms default to 2 (128-NEA2, 128-NIA2), the keyring to @u, the
 * lifetime to none. "--key-id K", "--k-enc=HEX" and so on, the spelling of
 * the release before, are read too for one release; errors then name the
 * options that way. The argv strings of the keys are wiped once read.
 */
#ifndef E2MCTL_CMD_KEYSET_H
#define E2MCTL_CMD_KEYSET_H

#include <keyutils.h>

int cmd_keyset(int argc, char *argv[]);

/*
 * A keyring argument (name as the user spelled it): @t, @p, @s, @u, @us or
 * a keyring's serial. 0 or EXIT_USAGE.
 */
int keyring_arg(const char *command, const char *name, const char *text,
		key_serial_t *ring);

#endif /* E2MCTL_CMD_KEYSET_H */
