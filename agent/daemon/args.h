/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2md's command line:
 *
 *	e2md -c FILE [--ready-file PATH]	run
 *	e2md --check-config -c FILE		check FILE and its files, exit
 *	e2md --help | --version
 *
 * Exit status: 0, 1 for a configuration that does not hold or a daemon
 * that failed, 2 for bad usage.
 */
#ifndef E2MD_ARGS_H
#define E2MD_ARGS_H

#include <stdbool.h>

#define E2MD_EXIT_FAILURE	1
#define E2MD_EXIT_USAGE		2
/* A worker (workers.h) that could not even run e2md. */
#define E2MD_WORKER_EXEC_FAILED	127

enum args_action {
	ARGS_RUN,
	ARGS_CHECK_CONFIG,
	ARGS_HELP,
	ARGS_VERSION,
};

struct args {
	enum args_action action;
	const char *config;		/* -c */
	const char *ready_file;		/* NULL: none */
};

/* 0, or E2MD_EXIT_USAGE after a one-line error on stderr. */
int args_parse(struct args *args, int argc, char *argv[]);

/* The --help text. */
extern const char args_usage[];

#endif /* E2MD_ARGS_H */
