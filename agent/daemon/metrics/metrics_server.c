// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics listener and one scrape, see metrics_server.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_events.h"
#include "metrics_http.h"
#include "metrics_kernel.h"
#include "metrics_process.h"
#include "metrics_server.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "net/http_server.h"

/* A scrape is a few kB; anything bigger is not a Prometheus request. */
#define METRICS_MAX_BODY	1024

struct metrics_server {
	struct daemon *daemon;
	struct http_server *http;
	struct timespec started;	/* CLOCK_REALTIME */
};

/* The kernel devices the configured roles hold. */
static size_t role_devices(const struct config *config, const char **out,
			   size_t max)
{
	const struct role_ops *const *table;
	size_t n = 0, count, i;
	const void *conf;

	table = roles_table(&count);
	for (i = 0; i < count && n < max; i++) {
		conf = config_role(config, table[i]);
		if (conf && table[i]->kernel_devices)
			n += table[i]->kernel_devices(conf, out + n, max - n);
	}
	return n;
}

/* The series of the running roles that have their own. */
static void role_series(const struct daemon *d, struct prom_text *text)
{
	size_t i;

	for (i = 0; i < d->n_roles; i++) {
		if (d->roles[i].state && d->roles[i].ops->metrics)
			d->roles[i].ops->metrics(d->roles[i].state, text);
	}
}

static void scrape(struct http_exchange *ex, void *arg)
{
	struct metrics_server *server = arg;
	const char *devices[METRICS_KERNEL_DEVICES_MAX];
	struct prom_text text;
	size_t n;

	prom_text_init(&text);
	metrics_process_write(&text, &server->started);
	metrics_http_write(&text);
	metrics_events_write(&text);
	n = role_devices(server->daemon->config, devices,
			 METRICS_KERNEL_DEVICES_MAX);
	metrics_kernel_write(&text, &metrics_kernel_netlink, devices, n);
	role_series(server->daemon, &text);
	if (prom_text_failed(&text))
		http_reply_error(ex, 500, "internal-error", "out of memory");
	else
		http_reply(ex, 200, PROM_CONTENT_TYPE, text.buf, text.len);
	prom_text_free(&text);
}

/* CLOCK_REALTIME of the daemon's start, from its monotonic one. */
static void start_time(const struct daemon *d, struct timespec *out)
{
	struct timespec mono, real;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	ns = ((long long)real.tv_sec - mono.tv_sec + d->started.tv_sec) *
	     1000000000LL + real.tv_nsec - mono.tv_nsec + d->started.tv_nsec;
	out->tv_sec = (time_t)(ns / 1000000000LL);
	out->tv_nsec = (long)(ns % 1000000000LL);
}

int metrics_server_start(struct metrics_server **out, struct daemon *d)
{
	struct metrics_server *server = calloc(1, sizeof(*server));
	struct http_server_conf conf = {
		.role = METRICS_ROLE,
		.name = METRICS_INTERFACE,
		.listen = &d->config->metrics.listen,
		.max_body = METRICS_MAX_BODY,
	};
	char why[256] = "out of memory";
	int ret = -ENOMEM;

	*out = NULL;
	if (!server)
		goto fail;
	server->daemon = d;
	start_time(d, &server->started);
	ret = http_server_new(&server->http, d->base, &conf, why, sizeof(why));
	if (!ret)
		ret = http_server_route(server->http, METRICS_PATH,
					EVHTTP_REQ_GET, scrape, server);
	if (ret)
		goto fail;
	http_server_set_observer(metrics_http_answered);
	log_set_observer(metrics_log_event);
	*out = server;
	return 0;
fail:
	log_msg(LOG_LEVEL_ERROR, NULL, "start-failed", "metrics: %s", why);
	metrics_server_free(server);
	return ret;
}

const char *metrics_server_address(const struct metrics_server *server)
{
	return http_server_address(server->http);
}

void metrics_server_stop(struct metrics_server *server)
{
	if (server)
		http_server_stop(server->http);
}

bool metrics_server_busy(const struct metrics_server *server)
{
	return server && http_server_busy(server->http);
}

void metrics_server_free(struct metrics_server *server)
{
	if (!server)
		return;
	http_server_set_observer(NULL);
	log_set_observer(NULL);
	http_server_free(server->http);
	free(server);
}
