// SPDX-License-Identifier: GPL-2.0
/*
 * Counting the HTTP answers, see metrics_http.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "metrics_http.h"
#include "metrics_reasons.h"

#define NAME_MAX_LEN	24

/* Seconds: a Zh round trip is milliseconds, a stalled HSS is seconds. */
static const double latency_bounds[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};

#define N_BOUNDS (sizeof(latency_bounds) / sizeof(latency_bounds[0]))

struct interface_counts {
	char role[NAME_MAX_LEN];
	char name[NAME_MAX_LEN];
	uint64_t requests;
	uint64_t refusals[METRICS_REASONS_MAX];
	uint64_t latency[N_BOUNDS + 1];
	double latency_sum;
};

/* One event loop thread: no locks. */
static struct interface_counts interfaces[METRICS_INTERFACES_MAX];
static size_t n_interfaces;

void metrics_http_reset(void)
{
	memset(interfaces, 0, sizeof(interfaces));
	n_interfaces = 0;
}

static struct interface_counts *interface_of(const char *role,
					     const char *name)
{
	struct interface_counts *counts;
	size_t i;

	role = role ? role : "e2md";
	name = name ? name : "-";
	for (i = 0; i < n_interfaces; i++) {
		if (!strncmp(interfaces[i].role, role, NAME_MAX_LEN - 1) &&
		    !strncmp(interfaces[i].name, name, NAME_MAX_LEN - 1))
			return &interfaces[i];
	}
	if (n_interfaces == METRICS_INTERFACES_MAX)
		return NULL;
	counts = &interfaces[n_interfaces++];
	snprintf(counts->role, sizeof(counts->role), "%s", role);
	snprintf(counts->name, sizeof(counts->name), "%s", name);
	return counts;
}

static size_t bucket_of(double seconds)
{
	size_t i;

	for (i = 0; i < N_BOUNDS; i++) {
		if (seconds <= latency_bounds[i])
			return i;
	}
	return N_BOUNDS;
}

void metrics_http_answered(const char *role, const char *name, int status,
			   const char *refusal, double seconds)
{
	struct interface_counts *counts = interface_of(role, name);

	(void)status;
	if (!counts)
		return;
	counts->requests++;
	if (refusal)
		counts->refusals[metrics_reason_index(refusal)]++;
	if (seconds < 0)
		seconds = 0;
	counts->latency[bucket_of(seconds)]++;
	counts->latency_sum += seconds;
}

void metrics_http_write(struct prom_text *text)
{
	struct prom_label labels[3];
	size_t i, r;

	prom_family(text, "e2m_http_requests_total", "counter",
		    "Requests answered, per role and interface.");
	for (i = 0; i < n_interfaces; i++) {
		labels[0] = (struct prom_label){ "role", interfaces[i].role };
		labels[1] = (struct prom_label){ "interface",
						 interfaces[i].name };
		prom_sample_u64(text, "e2m_http_requests_total", labels, 2,
				interfaces[i].requests);
	}
	prom_family(text, "e2m_http_refusals_total", "counter",
		    "Requests refused with an error token, per role, interface and reason (the token; \"other\" for any unknown).");
	for (i = 0; i < n_interfaces; i++) {
		labels[0] = (struct prom_label){ "role", interfaces[i].role };
		labels[1] = (struct prom_label){ "interface",
						 interfaces[i].name };
		for (r = 0; r < metrics_reason_count(); r++) {
			if (!interfaces[i].refusals[r])
				continue;
			labels[2] = (struct prom_label){
				"reason", metrics_reason_name(r) };
			prom_sample_u64(text, "e2m_http_refusals_total",
					labels, 3, interfaces[i].refusals[r]);
		}
	}
	prom_family(text, "e2m_http_request_duration_seconds", "histogram",
		    "Seconds from a request to its answer, per role and interface.");
	for (i = 0; i < n_interfaces; i++) {
		struct prom_histogram h = {
			.bounds = latency_bounds,
			.n_bounds = N_BOUNDS,
			.counts = interfaces[i].latency,
			.sum = interfaces[i].latency_sum,
		};

		labels[0] = (struct prom_label){ "role", interfaces[i].role };
		labels[1] = (struct prom_label){ "interface",
						 interfaces[i].name };
		prom_histogram(text, "e2m_http_request_duration_seconds",
			       labels, 2, &h);
	}
}
