// SPDX-License-Identifier: GPL-2.0
/*
 * Operational keys from a file, standard input or a descriptor, see
 * key_input.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "key_input.h"
#include "options.h"
#include "util/hex.h"

int key_input_refuse_argv(const char *command, const char *const *names,
			  int argc, char *argv[])
{
	size_t len;
	int i, j;

	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2))
			continue;
		for (j = 0; names[j]; j++) {
			len = strlen(names[j]);
			if (strncmp(argv[i] + 2, names[j], len) ||
			    (argv[i][2 + len] && argv[i][2 + len] != '='))
				continue;
			fail(command, "--%s on the command line is refused (argv shows in /proc and shell history): put %s=HEX in a file given as --keys FILE (mode 0600), or - for standard input",
			     names[j], names[j]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* Opens path ("-": standard input); a regular file must be ours alone. */
static int open_keys(const char *command, const char *path, int *fd)
{
	struct stat st;

	*fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (*fd < 0) {
		fail(command, "--keys: %s: %s", path, strerror(errno));
		return EXIT_FAILURE;
	}
	if (fstat(*fd, &st)) {
		fail(command, "--keys: %s: %s", path, strerror(errno));
		return EXIT_FAILURE;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & 077)) {
		fail(command, "--keys: %s: mode %04o, a key file must not be open to group or other (0600 or 0400)",
		     path, (unsigned int)(st.st_mode & 07777));
		return EXIT_FAILURE;
	}
	return 0;
}

static int read_all(const char *command, const char *path, int fd,
		    struct key_input *in)
{
	ssize_t n;

	in->text = OPENSSL_zalloc(KEY_INPUT_SIZE_MAX + 1);
	if (!in->text) {
		fail(command, "out of memory");
		return EXIT_FAILURE;
	}
	while (in->size <= KEY_INPUT_SIZE_MAX) {
		n = read(fd, in->text + in->size,
			 KEY_INPUT_SIZE_MAX + 1 - in->size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(command, "--keys: %s: %s", path, strerror(errno));
			return EXIT_FAILURE;
		}
		if (!n)
			return 0;
		in->size += (size_t)n;
	}
	fail(command, "--keys: %s: longer than %d octets", path,
	     KEY_INPUT_SIZE_MAX);
	return EXIT_USAGE;
}

static int name_index(const char *const *names, const char *name)
{
	int i;

	for (i = 0; names[i]; i++) {
		if (!strcmp(names[i], name))
			return i;
	}
	return -1;
}

/* One NAME=HEX line, split in place. */
static int take_line(const char *command, const char *path, char *line,
		     unsigned int number, struct key_input *in)
{
	char *eq, *end = line + strlen(line);
	int index;

	while (end > line && (end[-1] == ' ' || end[-1] == '\t' ||
			      end[-1] == '\r'))
		*--end = '\0';
	line += strspn(line, " \t");
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (eq)
		*eq = '\0';
	index = eq ? name_index(in->names, line) : -1;
	if (index < 0) {
		fail(command, "--keys: %s:%u: not NAME=HEX with a name this command takes",
		     path, number);
		return EXIT_USAGE;
	}
	if (in->values[index]) {
		fail(command, "--keys: %s:%u: %s given twice", path, number,
		     line);
		return EXIT_USAGE;
	}
	in->values[index] = eq + 1;
	return 0;
}

int key_input_read(const char *command, const char *path,
		   const char *const *names, struct key_input *in)
{
	unsigned int number = 0;
	char *line, *next;
	int fd, ret;

	memset(in, 0, sizeof(*in));
	in->names = names;
	ret = open_keys(command, path, &fd);
	if (!ret)
		ret = read_all(command, path, fd, in);
	if (fd > 0)
		close(fd);
	for (line = in->text; !ret && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ret = take_line(command, path, line, ++number, in);
	}
	if (ret)
		key_input_wipe(in);
	return ret;
}

const char *key_input_get(const struct key_input *in, const char *name)
{
	int index = name_index(in->names, name);

	return index < 0 ? NULL : in->values[index];
}

int key_input_hex(const char *command, const struct key_input *in,
		  const char *name, uint8_t *out, size_t len)
{
	const char *value = key_input_get(in, name);
	enum hex_error error;

	if (!value) {
		fail(command, "--keys: %s= is missing", name);
		return EXIT_USAGE;
	}
	error = hex_decode_exact(out, len, value);
	if (error == HEX_WRONG_LENGTH) {
		fail(command, "--keys: %s: must be %zu octets (%zu hex digits), not %zu",
		     name, len, 2 * len, strlen(value) / 2);
		return EXIT_USAGE;
	}
	if (error) {
		fail(command, "--keys: %s: %s", name, hex_strerror(error));
		return EXIT_USAGE;
	}
	return 0;
}

void key_input_wipe(struct key_input *in)
{
	if (in->text)
		OPENSSL_clear_free(in->text, KEY_INPUT_SIZE_MAX + 1);
	memset(in, 0, sizeof(*in));
}
