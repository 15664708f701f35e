/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shape every known-answer command of e2mctl shares (PROFILE.md
 * section 4): parse the options, check each value in the order the command
 * lists them, derive, and only then print one name=value line per output,
 * so an error leaves stdout empty.
 *
 * A command is a table: its inputs and outputs, each a field of a struct of
 * its own (the command's "io"), and the function that computes the one from
 * the others. kat_run() does the rest, and wipes the whole io before it
 * returns: its fields hold keys.
 */
#ifndef E2MCTL_KAT_H
#define E2MCTL_KAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"

#define KAT_INPUTS_MAX	6
#define KAT_OUTPUTS_MAX	9

/* A hex value of any length; data is OPENSSL_malloc()ed. */
struct kat_octets {
	uint8_t *data;
	size_t len;
};

/* Every value of a repeatable hex option, in the order given. */
struct kat_octets_list {
	struct kat_octets *items;
	size_t count;
};

struct kat_input;

/* Checks an option's value and stores it in @field; 0 or the exit status. */
typedef int kat_parse_fn(const char *command, const struct opt *opt,
			 const struct kat_input *input, void *field);

struct kat_input {
	const char *name;		/* the option, without "--" */
	unsigned int flags;		/* OPT_REQUIRED, OPT_REPEAT */
	bool either;			/* one of the two that are exclusive */
	kat_parse_fn *parse;		/* called only if the option is given */
	void (*release)(void *field);	/* frees what parse allocated */
	size_t offset;			/* of the field in the command's io */
	size_t len;			/* kat_hex: the field's octets */
	unsigned long long max;		/* kat_number: the largest value */
	int hex_ok;			/* kat_number: 0x-prefixed hex too */
};

struct kat_output {
	const char *name;
	void (*print)(const char *name, const void *field, size_t len);
	void (*release)(void *field);	/* frees what derive allocated */
	size_t offset;			/* of the field in the command's io */
	size_t len;			/* kat_print_hex: the field's octets */
};

struct kat {
	const char *command;
	size_t io_size;
	/* In option order; the first value wrong is the one reported. */
	struct kat_input inputs[KAT_INPUTS_MAX];
	/* The values against each other, once each is valid, or NULL. */
	int (*check)(const char *command, const void *io);
	/* Fills the outputs from the inputs: 0 or a negative errno. */
	int (*derive)(void *io);
	struct kat_output outputs[KAT_OUTPUTS_MAX];	/* in print order */
};

/* Runs @kat on the arguments after its name; returns the exit status. */
int kat_run(const struct kat *kat, int argc, char *argv[]);

/* A libe2m call failed on valid input: OpenSSL or memory. */
int kat_crypto_failed(const char *command, int error);

/* Hex of exactly input->len octets, into a uint8_t array. */
kat_parse_fn kat_hex;
/* 1 to KDF_PARAM_MAX octets of text, into a const char *. */
kat_parse_fn kat_string;
/* Up to input->max, into an unsigned long long. */
kat_parse_fn kat_number;
/* COUNT: a 32-bit hex number, into a uint32_t. */
kat_parse_fn kat_count;
/* Hex of any length, into a struct kat_octets. */
kat_parse_fn kat_octets;
void kat_octets_free(void *field);
void kat_octets_list_free(void *field);

void kat_print_hex(const char *name, const void *field, size_t len);
void kat_print_octets(const char *name, const void *field, size_t len);
/* A char * that derive malloc()ed; freed by kat_string_free(). */
void kat_print_string(const char *name, const void *field, size_t len);
void kat_string_free(void *field);

/*
 * The offset of @field in @type, which must be of C type @ctype: comparing
 * pointers to different types is an error at -Werror, so a table entry that
 * names a field of the wrong type does not build.
 */
#define KAT_FIELD(type, field, ctype) \
	(offsetof(type, field) + \
	 0 * sizeof(&((type *)0)->field == (ctype *)0))
#define KAT_SIZEOF(type, field) sizeof(((type *)0)->field)
#define KAT_BYTES(type, field) \
	(offsetof(type, field) + \
	 0 * sizeof(((type *)0)->field == (uint8_t *)0))

/* Required --name options, each into the field of its kind. */
#define KAT_HEX(n, type, field) \
	{ .name = (n), .flags = OPT_REQUIRED, .parse = kat_hex, \
	  .offset = KAT_BYTES(type, field), .len = KAT_SIZEOF(type, field) }
#define KAT_STRING(n, type, field) \
	{ .name = (n), .flags = OPT_REQUIRED, .parse = kat_string, \
	  .offset = KAT_FIELD(type, field, const char *) }
#define KAT_NUMBER(n, type, field, allow_hex, maximum) \
	{ .name = (n), .flags = OPT_REQUIRED, .parse = kat_number, \
	  .offset = KAT_FIELD(type, field, unsigned long long), \
	  .max = (maximum), .hex_ok = (allow_hex) }
#define KAT_COUNT(n, type, field) \
	{ .name = (n), .flags = OPT_REQUIRED, .parse = kat_count, \
	  .offset = KAT_FIELD(type, field, uint32_t) }
/* Hex of any length, checked further by @parser (kat_octets: not at all). */
#define KAT_OCTETS(n, type, field, parser) \
	{ .name = (n), .flags = OPT_REQUIRED, .parse = (parser), \
	  .release = kat_octets_free, \
	  .offset = KAT_FIELD(type, field, struct kat_octets) }

#define KAT_OUT_HEX(n, type, field) \
	{ .name = (n), .print = kat_print_hex, \
	  .offset = KAT_BYTES(type, field), .len = KAT_SIZEOF(type, field) }
#define KAT_OUT_OCTETS(n, type, field) \
	{ .name = (n), .print = kat_print_octets, \
	  .release = kat_octets_free, \
	  .offset = KAT_FIELD(type, field, struct kat_octets) }
#define KAT_OUT_STRING(n, type, field) \
	{ .name = (n), .print = kat_print_string, \
	  .release = kat_string_free, \
	  .offset = KAT_FIELD(type, field, char *) }

#endif /* E2MCTL_KAT_H */
