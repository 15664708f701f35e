// SPDX-License-Identifier: GPL-2.0
/*
 * e2md's command line, see args.h. Parsed by hand, as e2mctl's is: a few
 * options, each with one spelling, in any order, "--name value" or
 * "--name=value".
 */
#include <stdio.h>
#include <string.h>

#include "args.h"

const char args_usage[] =
	"Usage: e2md -c FILE [--ready-file PATH]\n"
	"       e2md --check-config -c FILE\n"
	"       e2md --help | --version\n"
	"\n"
	"The e2m key agent: runs the network roles its configuration names\n"
	"(its roles section), with an admin socket for e2mctl. Logs go to\n"
	"stderr, one key=value line per event. SIGTERM or SIGINT stops it,\n"
	"SIGHUP reloads the configuration.\n"
	"\n"
	"  -c, --config FILE   the YAML configuration (see e2md.yaml.example)\n"
	"  --check-config      check FILE and the files it names, print each\n"
	"                      error as FILE:LINE: message, and exit\n"
	"  --ready-file PATH   once listening, write PATH: pid=, admin= and\n"
	"                      one ROLE.SERVICE=ADDRESS line per socket\n"
	"\n"
	"Exit status: 0 success, 1 an invalid configuration or a failure,\n"
	"2 bad usage.\n";

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "e2md: %s '%s' (see e2md --help)\n", what, arg);
	return E2MD_EXIT_USAGE;
}

/* "--name value" or "--name=value" at argv[*i]; NULL if not that option. */
static const char *option_value(const char *name, int argc, char *argv[],
				int *i, int *error)
{
	size_t len = strlen(name);
	const char *arg = argv[*i];

	if (strncmp(arg, name, len))
		return NULL;
	if (arg[len] == '=')
		return arg + len + 1;
	if (arg[len])
		return NULL;
	if (*i + 1 >= argc) {
		*error = usage_error("a value is needed after", arg);
		return NULL;
	}
	return argv[++*i];
}

static int set_once(const char **slot, const char *value, const char *name)
{
	if (*slot) {
		fprintf(stderr, "e2md: %s given twice (see e2md --help)\n",
			name);
		return E2MD_EXIT_USAGE;
	}
	*slot = value;
	return 0;
}

static int parse_one(struct args *args, int argc, char *argv[], int *i)
{
	const char *arg = argv[*i], *value;
	int error = 0;

	if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		args->action = ARGS_HELP;
		return 0;
	}
	if (!strcmp(arg, "--version")) {
		args->action = ARGS_VERSION;
		return 0;
	}
	if (!strcmp(arg, "--check-config")) {
		args->action = ARGS_CHECK_CONFIG;
		return 0;
	}
	value = option_value("-c", argc, argv, i, &error);
	if (!value && !error)
		value = option_value("--config", argc, argv, i, &error);
	if (value)
		return set_once(&args->config, value, "-c");
	value = error ? NULL : option_value("--ready-file", argc, argv, i,
					    &error);
	if (value)
		return set_once(&args->ready_file, value, "--ready-file");
	return error ? error : usage_error("unknown argument", arg);
}

int args_parse(struct args *args, int argc, char *argv[])
{
	int i, ret;

	memset(args, 0, sizeof(*args));
	args->action = ARGS_RUN;
	for (i = 1; i < argc; i++) {
		ret = parse_one(args, argc, argv, &i);
		if (ret)
			return ret;
		if (args->action == ARGS_HELP || args->action == ARGS_VERSION)
			return 0;
	}
	if (!args->config) {
		fprintf(stderr, "e2md: no configuration given (e2md -c FILE, see e2md --help)\n");
		return E2MD_EXIT_USAGE;
	}
	return 0;
}
