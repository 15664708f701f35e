/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operational keys for the provisioning commands (subscriber add, usim
 * add, device add): never on the command line, where /proc/PID/cmdline
 * and shell history keep them, but in what --keys FILE names:
 *
 *	k=HEX
 *	opc=HEX
 *
 * one NAME=HEX a line (blank lines and "# ..." lines skipped), each name
 * once. FILE is a regular file no group or other may read (0600, 0400),
 * "-" for standard input, or /dev/fd/N for a descriptor (a pipe). The
 * argv forms (--k HEX, --psk HEX, ...) are refused with a message that
 * says so. The known-answer commands (milenage, nea2, ...) still take
 * their test vectors on the command line (PROFILE.md 4): those are not
 * operational keys.
 */
#ifndef E2MCTL_KEY_INPUT_H
#define E2MCTL_KEY_INPUT_H

#include <stddef.h>
#include <stdint.h>

#define KEY_INPUT_NAMES_MAX	4
#define KEY_INPUT_SIZE_MAX	4096	/* octets of FILE */

struct key_input {
	char *text;		/* FILE's contents, wiped by key_input_wipe */
	size_t size;
	const char *const *names;	/* the names this command takes */
	const char *values[KEY_INPUT_NAMES_MAX];	/* into text, or NULL */
};

/*
 * EXIT_USAGE, with "--NAME on the command line is refused ...", if argv
 * has --NAME or --NAME=... for one of names (NULL-terminated); else 0.
 */
int key_input_refuse_argv(const char *command, const char *const *names,
			  int argc, char *argv[]);

/* Reads path into in: 0, EXIT_USAGE or EXIT_FAILURE, the error said. */
int key_input_read(const char *command, const char *path,
		   const char *const *names, struct key_input *in);

/* The hex text given for name, or NULL. */
const char *key_input_get(const struct key_input *in, const char *name);

/* name's value as exactly len octets: 0 or EXIT_USAGE (said). */
int key_input_hex(const char *command, const struct key_input *in,
		  const char *name, uint8_t *out, size_t len);

void key_input_wipe(struct key_input *in);

#endif /* E2MCTL_KEY_INPUT_H */
