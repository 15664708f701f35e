// SPDX-License-Identifier: GPL-2.0
/*
 * Counting warnings, errors and TLS refusals, see metrics_events.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "metrics_events.h"
#include "store/store.h"

#define NAME_MAX_LEN	32

struct event_count {
	enum log_level level;
	char role[NAME_MAX_LEN];
	char event[NAME_MAX_LEN];
	uint64_t count;
};

/* One event loop thread: no locks. */
static struct event_count events[METRICS_EVENTS_MAX];
static size_t n_events;
static uint64_t tls_refused;

void metrics_events_reset(void)
{
	memset(events, 0, sizeof(events));
	n_events = 0;
	tls_refused = 0;
}

static struct event_count *event_of(enum log_level level, const char *role,
				    const char *event)
{
	struct event_count *slot;
	size_t i;

	for (i = 0; i < n_events; i++) {
		if (events[i].level == level &&
		    !strncmp(events[i].role, role, NAME_MAX_LEN - 1) &&
		    !strncmp(events[i].event, event, NAME_MAX_LEN - 1))
			return &events[i];
	}
	if (n_events == METRICS_EVENTS_MAX)
		return NULL;
	slot = &events[n_events++];
	slot->level = level;
	snprintf(slot->role, sizeof(slot->role), "%s", role);
	snprintf(slot->event, sizeof(slot->event), "%s", event);
	return slot;
}

void metrics_log_event(enum log_level level, const char *role,
		       const char *event)
{
	struct event_count *slot;

	if (level < LOG_LEVEL_WARNING || !event)
		return;
	if (!strcmp(event, METRICS_TLS_REFUSED_EVENT))
		tls_refused++;
	slot = event_of(level, role ? role : "e2md", event);
	if (slot)
		slot->count++;
}

void metrics_events_write(struct prom_text *text)
{
	struct prom_label labels[3];
	size_t i;

	prom_family(text, "e2m_log_events_total", "counter",
		    "Warning and error events logged, per level, role (e2md for the daemon's own) and event.");
	for (i = 0; i < n_events; i++) {
		labels[0] = (struct prom_label){
			"level", log_level_name(events[i].level) };
		labels[1] = (struct prom_label){ "role", events[i].role };
		labels[2] = (struct prom_label){ "event", events[i].event };
		prom_sample_u64(text, "e2m_log_events_total", labels, 3,
				events[i].count);
	}
	prom_counter(text, "e2m_tls_handshake_failures_total",
		     "TLS handshakes this e2md refused with an alert (certificate, PSK or GBA).",
		     tls_refused);
	prom_counter(text, "e2m_store_errors_total",
		     "Failures of the store engine itself (I/O, locked, damaged), not lookups of what is not there.",
		     store_error_count());
}
