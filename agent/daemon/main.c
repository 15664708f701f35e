// SPDX-License-Identifier: GPL-2.0
/*
 * e2md, the e2m key agent. It will run the network roles of the key
 * establishment procedures (UE, BSF, HSS, HSE, NAF Key Centre); none
 * exists yet, so for now it only says so.
 */
#include <stdio.h>
#include <string.h>

#ifndef E2M_VERSION
#define E2M_VERSION "unknown"
#endif

static const char usage[] =
	"Usage: e2md [--help | --version]\n"
	"\n"
	"The e2m key agent. No role is available yet: the roles (UE, BSF, HSS,\n"
	"HSE, NAF Key Centre) arrive with the key agent. Exit status: 0 for\n"
	"--help and --version, 1 when there is no role to run, 2 for bad usage.\n";

int main(int argc, char *argv[])
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return fflush(stdout) ? 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("e2md %s\n", E2M_VERSION);
		return fflush(stdout) ? 1 : 0;
	}
	if (argc > 1) {
		fprintf(stderr, "e2md: unknown argument '%s' (see e2md --help)\n",
			argv[1]);
		return 2;
	}
	fprintf(stderr, "e2md: no role configured (roles arrive with the key agent)\n");
	return 1;
}
