// SPDX-License-Identifier: GPL-2.0
/*
 * 32-octet keys from files, see key_file.h.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "key_file.h"
#include "store/store.h"

_Static_assert(KEY_FILE_LEN == STORE_KEY_LEN, "the store key file's format");

int key_file_option(const char *command, const struct opt *opt,
		    uint8_t key[KEY_FILE_LEN])
{
	struct store_key read;
	char why[256] = "cannot read it";

	if (store_key_from_file(&read, opt->value, why, sizeof(why))) {
		OPENSSL_cleanse(&read, sizeof(read));
		fail(command, "--%s: %s", opt->name, why);
		return EXIT_USAGE;
	}
	memcpy(key, read.bytes, KEY_FILE_LEN);
	OPENSSL_cleanse(&read, sizeof(read));
	return 0;
}
