// SPDX-License-Identifier: GPL-2.0
/*
 * The store key: from a file only its owner can read, or from a kernel
 * "user" key.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <keyutils.h>
#include <openssl/crypto.h>

#include "util/hex.h"
#include "util/why.h"
#include "private_file.h"
#include "store_engine.h"

/* 64 hex digits and a newline, and one more octet to see a longer file. */
#define KEY_FILE_READ_MAX	(2 * STORE_KEY_LEN + 2)

void store_key_wipe(struct store_key *key)
{
	OPENSSL_cleanse(key, sizeof(*key));
}

/*
 * Anyone who can read the key can read every secret of the store, so the
 * file must be private: a regular file, 0600 or 0400, of ours or root's.
 */
int store_private_file_check(int fd, const char *path, const char *what,
			     char *why, size_t why_size)
{
	struct stat st;

	if (fstat(fd, &st)) {
		int err = errno;

		ub_why(why, why_size, "%s: %s", path, strerror(err));
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		ub_why(why, why_size, "%s: not a regular file", path);
		return -EINVAL;
	}
	if ((st.st_mode & 07777) != 0600 && (st.st_mode & 07777) != 0400) {
		ub_why(why, why_size,
		       "%s: mode %04o, the %s file must be 0600 or 0400",
		       path, (unsigned int)(st.st_mode & 07777), what);
		return -EPERM;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		ub_why(why, why_size,
		       "%s: owned by uid %u, not by us or root", path,
		       (unsigned int)st.st_uid);
		return -EPERM;
	}
	return 0;
}

/* Reads the whole file (at most size octets) into buf; its length or -errno. */
ssize_t store_private_file_read(int fd, uint8_t *buf, size_t size)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

/* 32 raw octets, or 64 hex digits with or without a newline. */
static int parse_key(struct store_key *key, uint8_t *buf, size_t len)
{
	char hex[2 * STORE_KEY_LEN + 1];
	int ret = -EINVAL;

	if (len == STORE_KEY_LEN) {
		memcpy(key->bytes, buf, STORE_KEY_LEN);
		return 0;
	}
	if (len == 2 * STORE_KEY_LEN + 1 && buf[len - 1] == '\n')
		len--;
	if (len == 2 * STORE_KEY_LEN) {
		memcpy(hex, buf, len);
		hex[len] = '\0';
		if (hex_decode_exact(key->bytes, STORE_KEY_LEN, hex) == HEX_OK)
			ret = 0;
		OPENSSL_cleanse(hex, sizeof(hex));
	}
	return ret;
}

int store_key_from_file(struct store_key *key, const char *path, char *why,
			size_t why_size)
{
	uint8_t buf[KEY_FILE_READ_MAX];
	ssize_t len;
	int fd, ret;

	store_key_wipe(key);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		ub_why(why, why_size, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = store_private_file_check(fd, path, "store key", why, why_size);
	if (ret)
		goto out;
	len = store_private_file_read(fd, buf, sizeof(buf));
	if (len < 0) {
		ret = (int)len;
		ub_why(why, why_size, "%s: %s", path, strerror(-ret));
		goto out;
	}
	ret = parse_key(key, buf, (size_t)len);
	if (ret)
		ub_why(why, why_size,
		       "%s: a store key is 32 octets, or 64 hex digits",
		       path);
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	if (ret)
		store_key_wipe(key);
	return ret;
}

int store_key_from_keyring(struct store_key *key, int32_t serial, char *why,
			   size_t why_size)
{
	uint8_t buf[STORE_KEY_LEN + 1];
	long len;

	store_key_wipe(key);
	len = keyctl_read(serial, (char *)buf, sizeof(buf));
	if (len < 0) {
		int err = errno;

		ub_why(why, why_size, "key %d: %s", (int)serial,
		       strerror(err));
		return -err;
	}
	if (len != STORE_KEY_LEN) {
		OPENSSL_cleanse(buf, sizeof(buf));
		ub_why(why, why_size,
		       "key %d: a store key is 32 octets, not %ld",
		       (int)serial, len);
		return -EINVAL;
	}
	memcpy(key->bytes, buf, STORE_KEY_LEN);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}
