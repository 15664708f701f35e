/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the HTTP interfaces of this e2md answered, per role and interface
 * (a server's role and name: "bsf", "ub"): requests, refusals by reason
 * (metrics_reasons.h) and the latency from the request to its answer in
 * fixed buckets. Fed by the http_server's observer (metrics_http_answered
 * is an http_observer_fn), written at scrape time:
 *
 *	e2m_http_requests_total{role,interface}
 *	e2m_http_refusals_total{role,interface,reason}
 *	e2m_http_request_duration_seconds{role,interface} (histogram)
 *
 * The daemon is one event loop thread: plain counters, no atomics. At
 * most METRICS_INTERFACES_MAX interfaces are kept (a role has a few; the
 * names come from code, never from a peer); answers of any beyond are
 * not counted.
 */
#ifndef E2MD_METRICS_HTTP_H
#define E2MD_METRICS_HTTP_H

#include "prom_text.h"

#define METRICS_INTERFACES_MAX	32

void metrics_http_answered(const char *role, const char *name, int status,
			   const char *refusal, double seconds);
void metrics_http_write(struct prom_text *text);
/* Forgets every count (tests). */
void metrics_http_reset(void);

#endif /* E2MD_METRICS_HTTP_H */
