/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arguments of e2mctl's kernel objects (dev, flow, key, keyset,
 * monitor), iproute2 style: "OBJECT COMMAND DEV keyword value...". The
 * values are read here, the same way for every object: numbers (decimal,
 * or hex after 0x; no sign, no blanks), IPv4 or IPv6 addresses, device
 * names. Errors are options.h's one line, "e2mctl: <command>: <what>", and
 * the functions return the exit status (0, EXIT_USAGE, EXIT_FAILURE).
 *
 * keyset and monitor took "--name value" options before; they take
 * keywords now and still read the old spelling, for one release
 * (arg_keywords() with dashes allowed).
 */
#ifndef E2MCTL_KERNEL_ARGS_H
#define E2MCTL_KERNEL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/e2m_flow.h"
#include "kernel/genl.h"
#include "options.h"

#define usage_error(command, ...) report(EXIT_USAGE, command, __VA_ARGS__)
#define runtime_error(command, ...) report(EXIT_FAILURE, command, __VA_ARGS__)

/* A number in min..max; name is how the user spelled its keyword. */
int arg_number(const char *command, const char *name, const char *text,
	       unsigned long min, unsigned long max, unsigned long *out);
int arg_u32(const char *command, const char *name, const char *text,
	    uint32_t min, uint32_t max, uint32_t *out);
/* IPv4 or IPv6, as the text says. */
int arg_ip(const char *command, const char *name, const char *text,
	   struct e2m_ip *ip);
/* A device name: given, and short enough for IFNAMSIZ. */
int arg_device(const char *command, const char *name);
bool arg_is_json(const char *arg);
/* The value after keyword argv[*i], advancing *i past it; NULL if none. */
const char *arg_value(const char *command, int argc, char *argv[], int *i);
/* A keyword given a second time is a usage error. */
int arg_once(const char *command, const char *keyword, bool *seen);

/*
 * "keyword value" pairs into the matching keywords, each once, "--keyword
 * value" and "--keyword=value" too when dashes (the old spelling). *dashed
 * (may be NULL) tells whether the old spelling was used, so that messages
 * name what the user wrote; a missing keyword of required is then
 * "--NAME missing", else "NAME missing".
 */
struct keyword {
	const char *name;
	bool required;
	const char *value;	/* set by arg_keywords(); NULL: not given */
	char *arg;		/* the argv string of the value */
};

int arg_keywords(const char *command, struct keyword *keywords, size_t n,
		 int argc, char *argv[], bool dashes, bool *dashed);

/* Opens the generic netlink connection to the e2m family. */
int kernel_connect(const char *command, struct genl_conn *conn);
/* The exit status of a failed request: its conn->error, reported. */
int kernel_failed(const char *command, const struct genl_conn *conn);

#endif /* E2MCTL_KERNEL_ARGS_H */
