/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counts of the daemon's warning and error events, by the log's observer
 * (metrics_log_event is a log_observer_fn), and of what they tell:
 *
 *	e2m_log_events_total{level,role,event}	warnings and errors
 *	e2m_tls_handshake_failures_total	the "tls-refused" events:
 *						a handshake we ended with an
 *						alert (X.509, PSK or GBA)
 *	e2m_store_errors_total			the store engine's own
 *						failures (store_error_count())
 *
 * Event and role names come from code, never from a peer; still at most
 * METRICS_EVENTS_MAX of them are kept, and any beyond are not counted in
 * e2m_log_events_total (the other two stay exact).
 * One event loop thread: plain counters.
 */
#ifndef E2MD_METRICS_EVENTS_H
#define E2MD_METRICS_EVENTS_H

#include "daemon/log.h"
#include "prom_text.h"

#define METRICS_EVENTS_MAX	64
#define METRICS_TLS_REFUSED_EVENT	"tls-refused"

void metrics_log_event(enum log_level level, const char *role,
		       const char *event);
void metrics_events_write(struct prom_text *text);
/* Forgets every count (tests). */
void metrics_events_reset(void);

#endif /* E2MD_METRICS_EVENTS_H */
