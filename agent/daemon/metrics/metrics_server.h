/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metrics endpoint: its own plain-HTTP listener (config
 * "metrics.listen", off when absent) that answers GET /metrics with the
 * Prometheus text format 0.0.4 (prom_text.h), built at each scrape from
 *
 *	metrics_process.h	build, start time, descriptors and sockets
 *	metrics_http.h		requests, refusals, latency per interface
 *	metrics_events.h	warnings and errors, TLS refusals, store errors
 *	metrics_kernel.h	the kernel's counters of the roles' devices
 *	role_ops.metrics	a running role's own series (prov's, maf's)
 *
 * Every other path is 404 and every other method 405 (http_server.h).
 * The answer carries no secret, no identity and no peer address: counts
 * by role, interface and reasons from code. Bind it to loopback or a
 * management address (Documentation/metrics.md).
 *
 * metrics_server_start() also hooks the counters to the http_server and
 * the log (their observers), so nothing is counted when metrics are off.
 */
#ifndef E2MD_METRICS_SERVER_H
#define E2MD_METRICS_SERVER_H

#include <stdbool.h>

struct daemon;
struct metrics_server;

#define METRICS_ROLE		"e2md"
#define METRICS_INTERFACE	"metrics"
#define METRICS_PATH		"/metrics"

/* 0, or a negative errno after logging why. */
int metrics_server_start(struct metrics_server **server, struct daemon *d);
/* The address listened on, with the port the kernel chose for port 0. */
const char *metrics_server_address(const struct metrics_server *server);
void metrics_server_stop(struct metrics_server *server);
bool metrics_server_busy(const struct metrics_server *server);
/* NULL is fine; unhooks the observers. */
void metrics_server_free(struct metrics_server *server);

#endif /* E2MD_METRICS_SERVER_H */
