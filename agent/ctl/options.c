// SPDX-License-Identifier: GPL-2.0
/*
 * Options, values, errors and output for the e2mctl commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/sha.h>

#include "util/hex.h"
#include "crypto/kdf.h"
#include "options.h"

static void vfail(const char *command, const char *fmt, va_list ap)
{
	fprintf(stderr, "e2mctl: %s: ", command);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void fail(const char *command, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(command, fmt, ap);
	va_end(ap);
}

int report(int status, const char *command, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(command, fmt, ap);
	va_end(ap);
	return status;
}

static struct opt *find_option(struct opt *opts, size_t n, const char *name,
			       size_t name_len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strlen(opts[i].name) == name_len &&
		    !strncmp(opts[i].name, name, name_len))
			return &opts[i];
	}
	return NULL;
}

static int set_option(const char *command, struct opt *opt, const char *value,
		      int argc)
{
	if (opt->count && !(opt->flags & OPT_REPEAT)) {
		fail(command, "--%s given more than once", opt->name);
		return EXIT_USAGE;
	}
	if (opt->flags & OPT_REPEAT) {
		/* argc bounds the number of values; allocated once. */
		if (!opt->values)
			opt->values = calloc((size_t)argc,
					     sizeof(*opt->values));
		if (!opt->values) {
			fail(command, "out of memory");
			return EXIT_FAILURE;
		}
		opt->values[opt->count] = value;
	}
	opt->value = value;
	opt->count++;
	return 0;
}

int parse_options(const char *command, struct opt *opts, size_t n,
		  int argc, char *argv[])
{
	const char *arg, *name, *equals, *value;
	struct opt *opt;
	size_t name_len, i;
	int ret, a;

	for (a = 0; a < argc; a++) {
		arg = argv[a];
		if (strncmp(arg, "--", 2) || !arg[2]) {
			fail(command, "unexpected argument '%s'", arg);
			goto usage;
		}
		name = arg + 2;
		equals = strchr(name, '=');
		name_len = equals ? (size_t)(equals - name) : strlen(name);
		opt = find_option(opts, n, name, name_len);
		if (!opt) {
			fail(command, "unknown option --%.*s", (int)name_len,
			     name);
			goto usage;
		}
		if (opt->flags & OPT_FLAG) {
			if (equals) {
				fail(command, "--%s takes no value", opt->name);
				goto usage;
			}
			value = "";
		} else if (equals) {
			value = equals + 1;
		} else if (a + 1 < argc) {
			value = argv[++a];
		} else {
			fail(command, "--%s needs a value", opt->name);
			goto usage;
		}
		ret = set_option(command, opt, value, argc);
		if (ret) {
			free_options(opts, n);
			return ret;
		}
	}
	for (i = 0; i < n; i++) {
		if ((opts[i].flags & OPT_REQUIRED) && !opts[i].count) {
			fail(command, "missing --%s", opts[i].name);
			goto usage;
		}
	}
	return 0;
usage:
	free_options(opts, n);
	return EXIT_USAGE;
}

void free_options(struct opt *opts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(opts[i].values);
		opts[i].values = NULL;
	}
}

int one_of(const char *command, const struct opt *a, const struct opt *b)
{
	if (!a->value == !b->value) {
		fail(command, "exactly one of --%s and --%s is needed",
		     a->name, b->name);
		return EXIT_USAGE;
	}
	return 0;
}

static int hex_error(const char *command, const char *name,
		     enum hex_error error)
{
	fail(command, "--%s: %s", name, hex_strerror(error));
	return EXIT_USAGE;
}

int hex_option(const char *command, const struct opt *opt, uint8_t *out,
	       size_t len)
{
	enum hex_error error = hex_decode_exact(out, len, opt->value);

	if (error == HEX_WRONG_LENGTH) {
		fail(command, "--%s: must be %zu octets (%zu hex digits), not %zu",
		     opt->name, len, 2 * len, strlen(opt->value) / 2);
		return EXIT_USAGE;
	}
	if (error)
		return hex_error(command, opt->name, error);
	return 0;
}

int hex_option_alloc(const char *command, const char *name, const char *value,
		     uint8_t **out, size_t *len)
{
	/* At least one octet: OPENSSL_malloc(0) may return NULL. */
	size_t size = strlen(value) / 2 + 1;
	enum hex_error error;

	*out = OPENSSL_malloc(size);
	if (!*out) {
		fail(command, "out of memory");
		return EXIT_FAILURE;
	}
	error = hex_decode(*out, size, len, value);
	if (error) {
		OPENSSL_free(*out);
		*out = NULL;
		return hex_error(command, name, error);
	}
	return 0;
}

static int hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

int count_option(const char *command, const struct opt *opt, uint32_t *out)
{
	const char *digits = opt->value;
	size_t i;

	if (!strncmp(digits, "0x", 2) || !strncmp(digits, "0X", 2))
		digits += 2;
	for (i = 0; digits[i]; i++) {
		if (!hex_digit(digits[i]))
			break;
	}
	if (!i || digits[i] || i > 8) {
		fail(command, "--%s: must be a 32-bit hex number, not '%s'",
		     opt->name, opt->value);
		return EXIT_USAGE;
	}
	*out = (uint32_t)strtoul(digits, NULL, 16);
	return 0;
}

/*
 * Decimal digits only, or 0x and hex digits if allow_hex: strtoull() alone
 * would take signs, spaces and octal.
 */
int number_option(const char *command, const struct opt *opt, int allow_hex,
		  unsigned long long max, unsigned long long *out)
{
	const char *digits = opt->value;
	int base = 10;
	size_t i;

	if (allow_hex && (!strncmp(digits, "0x", 2) ||
			  !strncmp(digits, "0X", 2))) {
		digits += 2;
		base = 16;
	}
	for (i = 0; digits[i]; i++) {
		if (base == 16 ? !hex_digit(digits[i]) :
				 !(digits[i] >= '0' && digits[i] <= '9'))
			break;
	}
	if (!i || digits[i]) {
		fail(command, "--%s: must be a %snumber, not '%s'", opt->name,
		     allow_hex ? "decimal or 0x-prefixed hex " : "decimal ",
		     opt->value);
		return EXIT_USAGE;
	}
	errno = 0;
	*out = strtoull(digits, NULL, base);
	if (errno) {
		fail(command, "--%s: %s is too large", opt->name, opt->value);
		return EXIT_USAGE;
	}
	if (*out > max) {
		if (max == 1)
			fail(command, "--%s: must be 0 or 1, not %s", opt->name,
			     opt->value);
		else
			fail(command, "--%s: must be from 0 to %llu, not %s",
			     opt->name, max, opt->value);
		return EXIT_USAGE;
	}
	return 0;
}

int string_option(const char *command, const struct opt *opt)
{
	size_t len = strlen(opt->value);

	if (!len || len > KDF_PARAM_MAX) {
		fail(command, "--%s: must be 1 to %d octets", opt->name,
		     KDF_PARAM_MAX);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * Digit by digit, so no copy of a key's hex is left in memory of ours. A
 * failed write sets the stream's error flag, which finish_output() reports.
 */
void print_hex(const char *name, const uint8_t *value, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	fputs(name, stdout);
	putchar('=');
	for (i = 0; i < len; i++) {
		putchar(digits[value[i] >> 4]);
		putchar(digits[value[i] & 0x0f]);
	}
	putchar('\n');
}

void print_key(const char *name, const uint8_t *key, size_t len, int show)
{
	uint8_t digest[SHA256_DIGEST_LENGTH];
	char fp_name[64];

	if (show) {
		print_hex(name, key, len);
		return;
	}
	SHA256(key, len, digest);
	snprintf(fp_name, sizeof(fp_name), "%s_fp", name);
	print_hex(fp_name, digest, 8);
	OPENSSL_cleanse(digest, sizeof(digest));
}

void print_string(const char *name, const char *value)
{
	printf("%s=%s\n", name, value);
}

int finish_output(const char *command)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fail(command, "writing the output: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	return 0;
}

int json_flag(const char *command, int argc, char *argv[], bool *json)
{
	int i;

	*json = false;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			*json = true;
			continue;
		}
		fail(command, "unexpected argument '%s'", argv[i]);
		return EXIT_USAGE;
	}
	return 0;
}

int print_json(const char *command, const json_t *value)
{
	json_dumpf(value, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY);
	putchar('\n');
	return finish_output(command);	/* reports any write error */
}

int tls_version_option(const char *command, const struct opt *opt, int *out)
{
	if (!opt->value)
		*out = 0;
	else if (!strcmp(opt->value, "1.2"))
		*out = TLS1_2_VERSION;
	else if (!strcmp(opt->value, "1.3"))
		*out = TLS1_3_VERSION;
	else
		return report(EXIT_USAGE, command, "--%s: 1.2 or 1.3",
			      opt->name);
	return 0;
}

int seconds_option(const char *command, const struct opt *opt,
		   unsigned int max, unsigned int *out)
{
	unsigned long long seconds = 0;
	int ret;

	*out = 0;
	if (!opt->value)
		return 0;
	ret = number_option(command, opt, 0, max, &seconds);
	if (ret)
		return ret;
	if (!seconds)
		return report(EXIT_USAGE, command, "--%s: at least 1 second",
			      opt->name);
	*out = (unsigned int)seconds;
	return 0;
}
