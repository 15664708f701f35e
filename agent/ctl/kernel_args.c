// SPDX-License-Identifier: GPL-2.0
/*
 * The arguments of e2mctl's kernel objects, see kernel_args.h.
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_args.h"

int arg_number(const char *command, const char *name, const char *text,
	       unsigned long min, unsigned long max, unsigned long *out)
{
	const char *digits = text;
	unsigned long value;
	int base = 10;
	char *end;

	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		digits = text + 2;
		base = 16;
	}
	/* strtoul alone would take " -1" as ULONG_MAX. */
	if (!(base == 16 ? isxdigit((unsigned char)digits[0]) :
			   isdigit((unsigned char)digits[0])))
		return usage_error(command, "%s: not a number: \"%s\"", name,
				   text);
	errno = 0;
	value = strtoul(digits, &end, base);
	if (*end)
		return usage_error(command, "%s: not a number: \"%s\"", name,
				   text);
	if (errno == ERANGE || value < min || value > max)
		return usage_error(command, "%s: %s is out of range %lu..%lu",
				   name, text, min, max);
	*out = value;
	return 0;
}

int arg_u32(const char *command, const char *name, const char *text,
	    uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long value;
	int ret = arg_number(command, name, text, min, max, &value);

	if (!ret)
		*out = (uint32_t)value;
	return ret;
}

int arg_ip(const char *command, const char *name, const char *text,
	   struct e2m_ip *ip)
{
	if (e2m_ip_parse(text, ip))
		return usage_error(command,
				   "%s: not an IPv4 or IPv6 address: \"%s\"",
				   name, text);
	return 0;
}

int arg_device(const char *command, const char *name)
{
	if (!name || !name[0])
		return usage_error(command, "no device given");
	if (strlen(name) >= IFNAMSIZ)
		return usage_error(command, "device name too long: \"%s\"",
				   name);
	return 0;
}

bool arg_is_json(const char *arg)
{
	return !strcmp(arg, "-j") || !strcmp(arg, "--json");
}

const char *arg_value(const char *command, int argc, char *argv[], int *i)
{
	if (*i + 1 >= argc) {
		usage_error(command, "%s: value missing", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

int arg_once(const char *command, const char *keyword, bool *seen)
{
	if (*seen)
		return usage_error(command, "%s given twice", keyword);
	*seen = true;
	return 0;
}

static struct keyword *find_keyword(struct keyword *keywords, size_t n,
				    const char *name, size_t len)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (strlen(keywords[k].name) == len &&
		    !strncmp(keywords[k].name, name, len))
			return &keywords[k];
	return NULL;
}

/* One "keyword value" (or "--keyword[=]value") at argv[*i]. */
static int read_keyword(const char *command, struct keyword *keywords,
			size_t n, int argc, char *argv[], int *i, bool dashes,
			bool *dashed)
{
	char *arg = argv[*i], *eq = NULL;
	const char *name = arg;
	struct keyword *kw;
	size_t len;

	if (dashes && !strncmp(arg, "--", 2)) {
		name = arg + 2;
		eq = strchr(name, '=');
		*dashed = true;
	}
	len = eq ? (size_t)(eq - name) : strlen(name);
	kw = find_keyword(keywords, n, name, len);
	if (!kw && name != arg)
		return usage_error(command, "unknown option \"%.*s\"",
				   (int)len + 2, arg);
	if (!kw)
		return usage_error(command, "unknown keyword \"%s\"", arg);
	if (kw->value)
		return usage_error(command, "%.*s given twice",
				   (int)(name - arg + len), arg);
	if (eq) {
		kw->arg = eq + 1;
	} else if (*i + 1 < argc) {
		kw->arg = argv[++*i];
	} else {
		return usage_error(command, "%s: value missing", arg);
	}
	kw->value = kw->arg;
	return 0;
}

int arg_keywords(const char *command, struct keyword *keywords, size_t n,
		 int argc, char *argv[], bool dashes, bool *dashed)
{
	bool old = false;
	size_t k;
	int i, ret;

	for (i = 0; i < argc; i++) {
		ret = read_keyword(command, keywords, n, argc, argv, &i,
				   dashes, &old);
		if (ret)
			return ret;
	}
	if (dashed)
		*dashed = old;
	for (k = 0; k < n; k++)
		if (keywords[k].required && !keywords[k].value)
			return usage_error(command, "%s%s missing",
					   old ? "--" : "", keywords[k].name);
	return 0;
}

int kernel_connect(const char *command, struct genl_conn *conn)
{
	if (genl_open(conn) < 0)
		return runtime_error(command, "%s", conn->error);
	return 0;
}

int kernel_failed(const char *command, const struct genl_conn *conn)
{
	return runtime_error(command, "%s", conn->error);
}
