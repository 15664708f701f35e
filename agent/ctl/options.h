/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line plumbing shared by the e2mctl commands: "--name value"
 * options, their values, errors and output.
 *
 * Errors are one line on stderr, "e2mctl: <command>: <what is wrong>", and
 * the helpers return the exit status to use: EXIT_USAGE for bad input,
 * EXIT_FAILURE for anything else. Output is "name=value" lines, written only
 * once everything has been computed, so a failing command prints nothing on
 * stdout.
 */
#ifndef E2MCTL_OPTIONS_H
#define E2MCTL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#define EXIT_USAGE 2

enum {
	OPT_REQUIRED = 1 << 0,
	OPT_REPEAT = 1 << 1,	/* may be given more than once */
	OPT_FLAG = 1 << 2,	/* takes no value; value is "" when given */
};

struct opt {
	const char *name;	/* without the leading "--" */
	unsigned int flags;
	/* Set by parse_options(): */
	const char *value;	/* the value given, or NULL */
	const char **values;	/* OPT_REPEAT: every value, in order */
	size_t count;
};

#define OPTS_COUNT(opts) (sizeof(opts) / sizeof((opts)[0]))

/* Prints "e2mctl: <command>: <message>" on stderr. */
void __attribute__((format(printf, 2, 3)))
fail(const char *command, const char *fmt, ...);

/* The same, returning @status: "return report(EXIT_USAGE, ...)". */
int __attribute__((format(printf, 3, 4)))
report(int status, const char *command, const char *fmt, ...);

/*
 * Parses argv (the arguments after the command name): each option once
 * unless OPT_REPEAT, every OPT_REQUIRED one present, "--name value" or
 * "--name=value", or "--name" alone for OPT_FLAG. 0 or EXIT_USAGE.
 */
int parse_options(const char *command, struct opt *opts, size_t n,
		  int argc, char *argv[]);
void free_options(struct opt *opts, size_t n);

/* Exactly one of two options, e.g. --op and --opc. 0 or EXIT_USAGE. */
int one_of(const char *command, const struct opt *a, const struct opt *b);

/* Values. Each returns 0 or EXIT_USAGE. */
int hex_option(const char *command, const struct opt *opt, uint8_t *out,
	       size_t len);
int hex_option_alloc(const char *command, const char *name, const char *value,
		     uint8_t **out, size_t *len);
int count_option(const char *command, const struct opt *opt, uint32_t *out);
int number_option(const char *command, const struct opt *opt, int allow_hex,
		  unsigned long long max, unsigned long long *out);
int string_option(const char *command, const struct opt *opt);
/* A TLS version, 1.2 or 1.3, into an OpenSSL version (0 when not given). */
int tls_version_option(const char *command, const struct opt *opt, int *out);
/* Seconds, 1..max, into *out (0 when not given). */
int seconds_option(const char *command, const struct opt *opt,
		   unsigned int max, unsigned int *out);

/* Print name=<lower-case hex> and name=string lines on stdout. */
void print_hex(const char *name, const uint8_t *value, size_t len);
void print_string(const char *name, const char *value);
/*
 * A key the user asked for: with show, name=<hex>; without, only
 * name_fp=<hex of the first 8 octets of SHA-256(key)>, which tells keys
 * apart and reveals nothing usable of them.
 */
void print_key(const char *name, const uint8_t *key, size_t len, int show);
/* Flushes stdout and reports any write error; 0 or EXIT_FAILURE. */
int finish_output(const char *command);

/* [-j|--json] and nothing else in argv: *json, and 0 or EXIT_USAGE. */
int json_flag(const char *command, int argc, char *argv[], bool *json);
/* @value as indented JSON on stdout; 0 or EXIT_FAILURE (write error). */
int print_json(const char *command, const json_t *value);

#endif /* E2MCTL_OPTIONS_H */
