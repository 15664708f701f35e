// SPDX-License-Identifier: GPL-2.0
/*
 * e2md, the e2m key agent: reads its configuration, then either checks it
 * (--check-config) or runs the daemon until it is told to stop. Everything
 * else is in daemon.c and below.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "args.h"
#include "config.h"
#include "config_check.h"
#include "daemon.h"
#include "log.h"
#include "workers.h"
#include "util/no_dump.h"
#include "util/secure_alloc.h"

#ifndef E2M_VERSION
#define E2M_VERSION "unknown"
#endif

static void report(const struct config_errors *errors, bool check_only)
{
	size_t i;

	for (i = 0; i < errors->count; i++) {
		if (check_only)
			fprintf(stderr, "%s\n", errors->text[i]);
		else
			log_msg(LOG_LEVEL_ERROR, NULL, "config-invalid", "%s",
				errors->text[i]);
	}
	if (errors->dropped && check_only)
		fprintf(stderr, "%s: %zu more errors\n", "e2md",
			errors->dropped);
	else if (errors->dropped)
		log_msg(LOG_LEVEL_ERROR, NULL, "config-invalid",
			"%zu more errors", errors->dropped);
}

/* Loads and checks the configuration; NULL after reporting why not. */
static struct config *load(const char *file, bool check_only)
{
	static struct config_errors errors;
	struct config *config;
	int ret;

	ret = config_load(file, &config, &errors);
	if (!ret)
		ret = config_check_files(config, &errors);
	if (ret == -ENOMEM)
		fprintf(stderr, "e2md: out of memory\n");
	else if (ret)
		report(&errors, check_only);
	if (ret) {
		config_free(config);
		return NULL;
	}
	return config;
}

int main(int argc, char *argv[])
{
	struct daemon daemon = { 0 };
	struct config *config;
	struct args args;
	unsigned int worker;
	int ret, channel;

	ret = args_parse(&args, argc, argv);
	if (ret)
		return ret;
	if (args.action == ARGS_HELP)
		return fputs(args_usage, stdout) == EOF || fflush(stdout);
	if (args.action == ARGS_VERSION)
		return printf("e2md %s\n", E2M_VERSION) < 0 || fflush(stdout);
	/* A worker of several (workers.h) is told so by its first process. */
	ret = worker_from_env(&worker, &channel);
	if (ret) {
		fprintf(stderr, "e2md: %s: not a worker's value\n", WORKER_ENV);
		return E2MD_EXIT_FAILURE;
	}
	/* Before the first key is read: the store key comes with the config. */
	ret = process_forbid_dumps();
	if (ret) {
		fprintf(stderr, "e2md: cannot forbid core dumps: %s\n",
			strerror(-ret));
		return E2MD_EXIT_FAILURE;
	}
	/* Not fatal: the keys are then only in the ordinary heap. */
	if (secure_alloc_openssl())
		fprintf(stderr, "e2md: no OpenSSL secure heap: private keys may appear in a core dump\n");
	config = load(args.config, args.action == ARGS_CHECK_CONFIG);
	if (!config)
		return E2MD_EXIT_FAILURE;
	if (args.action == ARGS_CHECK_CONFIG) {
		config_free(config);
		return 0;
	}
	if (worker)
		ret = daemon_start_worker(&daemon, config, args.config, worker,
					  channel);
	else
		ret = daemon_start(&daemon, config, args.config,
				   args.ready_file);
	if (!ret)
		ret = daemon_run(&daemon);
	else
		ret = E2MD_EXIT_FAILURE;
	daemon_fini(&daemon);
	libevent_global_shutdown();
	return ret;
}
