// SPDX-License-Identifier: GPL-2.0
/*
 * The runner of e2mctl's known-answer commands, and the parsers and
 * printers of the values most of them take and give.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kat.h"

int kat_crypto_failed(const char *command, int error)
{
	return report(EXIT_FAILURE, command,
		      "cryptographic operation failed: %s", strerror(-error));
}

static void *field_of(void *io, size_t offset)
{
	return (char *)io + offset;
}

static size_t count_inputs(const struct kat *kat)
{
	size_t n = 0;

	while (n < KAT_INPUTS_MAX && kat->inputs[n].name)
		n++;
	return n;
}

/* The two inputs marked either: exactly one of them must be given. */
static int check_either(const struct kat *kat, const struct opt *opts,
			size_t n)
{
	const struct opt *pair[2];
	size_t i, found = 0;

	for (i = 0; i < n && found < 2; i++) {
		if (kat->inputs[i].either)
			pair[found++] = &opts[i];
	}
	return found == 2 ? one_of(kat->command, pair[0], pair[1]) : 0;
}

static int parse_inputs(const struct kat *kat, const struct opt *opts,
			size_t n, void *io)
{
	const struct kat_input *input;
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		input = &kat->inputs[i];
		if (opts[i].value)
			ret = input->parse(kat->command, &opts[i], input,
					   field_of(io, input->offset));
	}
	return ret;
}

static int print_outputs(const struct kat *kat, void *io)
{
	const struct kat_output *output;
	size_t i;

	for (i = 0; i < KAT_OUTPUTS_MAX && kat->outputs[i].name; i++) {
		output = &kat->outputs[i];
		output->print(output->name, field_of(io, output->offset),
			      output->len);
	}
	return finish_output(kat->command);
}

static void release_io(const struct kat *kat, void *io)
{
	const struct kat_output *output;
	const struct kat_input *input;
	size_t i;

	for (i = 0; i < KAT_INPUTS_MAX && kat->inputs[i].name; i++) {
		input = &kat->inputs[i];
		if (input->release)
			input->release(field_of(io, input->offset));
	}
	for (i = 0; i < KAT_OUTPUTS_MAX && kat->outputs[i].name; i++) {
		output = &kat->outputs[i];
		if (output->release)
			output->release(field_of(io, output->offset));
	}
	OPENSSL_clear_free(io, kat->io_size);
}

int kat_run(const struct kat *kat, int argc, char *argv[])
{
	struct opt opts[KAT_INPUTS_MAX] = { 0 };
	size_t n = count_inputs(kat), i;
	int ret, error;
	void *io;

	for (i = 0; i < n; i++) {
		opts[i].name = kat->inputs[i].name;
		opts[i].flags = kat->inputs[i].flags;
	}
	io = OPENSSL_zalloc(kat->io_size);
	if (!io)
		return report(EXIT_FAILURE, kat->command, "out of memory");
	ret = parse_options(kat->command, opts, n, argc, argv);
	if (!ret)
		ret = check_either(kat, opts, n);
	if (!ret)
		ret = parse_inputs(kat, opts, n, io);
	if (!ret && kat->check)
		ret = kat->check(kat->command, io);
	if (!ret) {
		error = kat->derive(io);
		if (error)
			ret = kat_crypto_failed(kat->command, error);
	}
	if (!ret)
		ret = print_outputs(kat, io);
	release_io(kat, io);
	free_options(opts, n);
	return ret;
}

int kat_hex(const char *command, const struct opt *opt,
	    const struct kat_input *input, void *field)
{
	return hex_option(command, opt, field, input->len);
}

int kat_string(const char *command, const struct opt *opt,
	       const struct kat_input *input, void *field)
{
	const char **string = field;
	int ret;

	(void)input;
	ret = string_option(command, opt);
	if (!ret)
		*string = opt->value;
	return ret;
}

int kat_number(const char *command, const struct opt *opt,
	       const struct kat_input *input, void *field)
{
	return number_option(command, opt, input->hex_ok, input->max, field);
}

int kat_count(const char *command, const struct opt *opt,
	      const struct kat_input *input, void *field)
{
	(void)input;
	return count_option(command, opt, field);
}

int kat_octets(const char *command, const struct opt *opt,
	       const struct kat_input *input, void *field)
{
	struct kat_octets *octets = field;

	(void)input;
	return hex_option_alloc(command, opt->name, opt->value, &octets->data,
				&octets->len);
}

void kat_octets_free(void *field)
{
	struct kat_octets *octets = field;

	OPENSSL_clear_free(octets->data, octets->len);
	octets->data = NULL;
	octets->len = 0;
}

void kat_octets_list_free(void *field)
{
	struct kat_octets_list *list = field;
	size_t i;

	for (i = 0; i < list->count; i++)
		kat_octets_free(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

void kat_print_hex(const char *name, const void *field, size_t len)
{
	print_hex(name, field, len);
}

void kat_print_octets(const char *name, const void *field, size_t len)
{
	const struct kat_octets *octets = field;

	(void)len;
	print_hex(name, octets->data, octets->len);
}

void kat_print_string(const char *name, const void *field, size_t len)
{
	char *const *string = field;

	(void)len;
	print_string(name, *string);
}

void kat_string_free(void *field)
{
	char **string = field;

	free(*string);
	*string = NULL;
}
