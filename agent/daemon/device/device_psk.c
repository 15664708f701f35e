// SPDX-License-Identifier: GPL-2.0
/*
 * The device's PSK file, see device_psk.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "device_psk.h"
#include "util/hex.h"

#define PSK_PREFIX	"psk="
#define PSK_TEXT_MAX	(sizeof(PSK_PREFIX) + 2 * STORE_DEVICE_PSK_LEN + 2)

/* fd is a regular file no group or other may use: 0, or -errno and why. */
static int check_private(int fd, const char *path, char *why, size_t why_size)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(why, why_size, "%s: not a regular file", path);
		return -EINVAL;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(why, why_size,
			 "%s: group or other may use it (chmod 600)", path);
		return -EACCES;
	}
	return 0;
}

/* The file's text into text, NUL-ended, its final newline dropped. */
static int read_text(int fd, const char *path, char *text, size_t size,
		     char *why, size_t why_size)
{
	ssize_t n;
	int ret = check_private(fd, path, why, why_size);

	if (ret)
		return ret;
	n = read(fd, text, size - 1);
	if (n < 0) {
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		return -errno;
	}
	text[n] = '\0';
	if (n && text[n - 1] == '\n')
		text[n - 1] = '\0';
	return 0;
}

/* path opened without following a link: the fd, or -errno and why. */
static int open_private(const char *path, char *why, size_t why_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), ret;

	if (fd < 0) {
		ret = -errno;
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		return ret;
	}
	return fd;
}

int device_key_file_check(const char *path, char *why, size_t why_size)
{
	int fd = open_private(path, why, why_size), ret;

	if (fd < 0)
		return fd;
	ret = check_private(fd, path, why, why_size);
	close(fd);
	return ret;
}

int device_psk_read(const char *path, uint8_t psk[STORE_DEVICE_PSK_LEN],
		    char *why, size_t why_size)
{
	char text[PSK_TEXT_MAX + 1];
	int fd = open_private(path, why, why_size), ret;

	if (fd < 0)
		return fd;
	ret = read_text(fd, path, text, sizeof(text), why, why_size);
	close(fd);
	if (!ret && (strncmp(text, PSK_PREFIX, strlen(PSK_PREFIX)) ||
		     hex_decode_exact(psk, STORE_DEVICE_PSK_LEN,
				      text + strlen(PSK_PREFIX)))) {
		snprintf(why, why_size, "%s: must be one line psk=HEX (%d hex digits)",
			 path, 2 * STORE_DEVICE_PSK_LEN);
		ret = -EINVAL;
	}
	OPENSSL_cleanse(text, sizeof(text));
	return ret;
}
