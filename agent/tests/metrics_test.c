// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics' counters and what a scrape writes of them: HTTP answers
 * per interface with refusals by a bounded reason and latency buckets,
 * warning and error events with TLS refusals, and the kernel's device
 * counters through a fake source (loaded, not loaded, a device gone).
 */
#include <errno.h>

#include "daemon/metrics/metrics_events.h"
#include "daemon/metrics/metrics_http.h"
#include "daemon/metrics/metrics_kernel.h"
#include "daemon/metrics/metrics_reasons.h"
#include "tap.h"

/* Whether text has line (with its newline) exactly. */
static bool has_line(const struct prom_text *text, const char *line)
{
	char want[512];
	const char *p = text->buf;

	snprintf(want, sizeof(want), "%s\n", line);
	for (; p && (p = strstr(p, want)); p++) {
		if (p == text->buf || p[-1] == '\n')
			return true;
	}
	return false;
}

static void shows(const struct prom_text *text, const char *line)
{
	if (!ok(has_line(text, line), "%s", line))
		printf("# in:\n%s", text->buf ? text->buf : "");
}

static void absent(const struct prom_text *text, const char *part,
		   const char *name)
{
	ok(!text->buf || !strstr(text->buf, part), "%s", name);
}

static void test_reasons(void)
{
	size_t other = metrics_reason_index("no-such-token");

	ok(!strcmp(metrics_reason_name(metrics_reason_index("unknown-user")),
		   "unknown-user") &&
	   !strcmp(metrics_reason_name(metrics_reason_index("not-found")),
		   "not-found"), "known tokens are their own reason");
	ok(!strcmp(metrics_reason_name(other), "other") &&
	   metrics_reason_index(NULL) == other &&
	   metrics_reason_index("unknown-user\n") == other &&
	   metrics_reason_count() == other + 1 &&
	   metrics_reason_count() <= METRICS_REASONS_MAX,
	   "any other token is \"other\", the last of a bounded table");
}

static void test_http(void)
{
	struct prom_text text;
	char name[32];
	int i;

	metrics_http_reset();
	metrics_http_answered("bsf", "ub", 401, NULL, 0.002);
	metrics_http_answered("bsf", "ub", 200, NULL, 0.004);
	metrics_http_answered("bsf", "ub", 403, "authentication-failed", 0.3);
	metrics_http_answered("bsf", "ub", 400, "a \"token\" a peer wrote", 20);
	metrics_http_answered("bsf", "zn", 404, "unknown-btid", 0.001);
	metrics_http_answered("bsf", "ub", 404, "x\ny", 0.001);
	prom_text_init(&text);
	metrics_http_write(&text);
	shows(&text, "# TYPE e2m_http_requests_total counter");
	shows(&text, "e2m_http_requests_total{role=\"bsf\",interface=\"ub\"} 5");
	shows(&text, "e2m_http_requests_total{role=\"bsf\",interface=\"zn\"} 1");
	shows(&text, "e2m_http_refusals_total{role=\"bsf\",interface=\"ub\",reason=\"authentication-failed\"} 1");
	shows(&text, "e2m_http_refusals_total{role=\"bsf\",interface=\"ub\",reason=\"other\"} 2");
	shows(&text, "e2m_http_refusals_total{role=\"bsf\",interface=\"zn\",reason=\"unknown-btid\"} 1");
	absent(&text, "reason=\"a ", "a token not in the table makes no label value");
	absent(&text, "reason=\"x", "nor does one with a newline");
	shows(&text, "e2m_http_request_duration_seconds_bucket{role=\"bsf\",interface=\"ub\",le=\"0.001\"} 1");
	shows(&text, "e2m_http_request_duration_seconds_bucket{role=\"bsf\",interface=\"ub\",le=\"0.0025\"} 2");
	shows(&text, "e2m_http_request_duration_seconds_bucket{role=\"bsf\",interface=\"ub\",le=\"0.005\"} 3");
	shows(&text, "e2m_http_request_duration_seconds_bucket{role=\"bsf\",interface=\"ub\",le=\"0.25\"} 3");
	shows(&text, "e2m_http_request_duration_seconds_bucket{role=\"bsf\",interface=\"ub\",le=\"0.5\"} 4");
	shows(&text, "e2m_http_request_duration_seconds_bucket{role=\"bsf\",interface=\"ub\",le=\"10\"} 4");
	shows(&text, "e2m_http_request_duration_seconds_bucket{role=\"bsf\",interface=\"ub\",le=\"+Inf\"} 5");
	shows(&text, "e2m_http_request_duration_seconds_count{role=\"bsf\",interface=\"ub\"} 5");
	shows(&text, "e2m_http_request_duration_seconds_sum{role=\"bsf\",interface=\"ub\"} 20.307");
	prom_text_free(&text);

	for (i = 0; i < METRICS_INTERFACES_MAX + 5; i++) {
		snprintf(name, sizeof(name), "if%d", i);
		metrics_http_answered("r", name, 200, NULL, 0);
	}
	prom_text_init(&text);
	metrics_http_write(&text);
	snprintf(name, sizeof(name), "if%d", METRICS_INTERFACES_MAX - 3);
	ok(strstr(text.buf, name) != NULL &&
	   !strstr(text.buf, "interface=\"if" "30\"") &&
	   !strstr(text.buf, "interface=\"if" "36\""),
	   "interfaces are bounded: 32 kept, the rest not counted");
	prom_text_free(&text);
	metrics_http_reset();
}

static void test_events(void)
{
	struct prom_text text;

	metrics_events_reset();
	metrics_log_event(LOG_LEVEL_INFO, "bsf", "bootstrap");
	metrics_log_event(LOG_LEVEL_WARNING, NULL, "tls-refused");
	metrics_log_event(LOG_LEVEL_WARNING, NULL, "tls-refused");
	metrics_log_event(LOG_LEVEL_WARNING, "bsf", "ub-refused");
	metrics_log_event(LOG_LEVEL_ERROR, "bsf", "ub-refused");
	metrics_log_event(LOG_LEVEL_DEBUG, NULL, "tls-refused");
	prom_text_init(&text);
	metrics_events_write(&text);
	shows(&text, "e2m_tls_handshake_failures_total 2");
	shows(&text, "e2m_log_events_total{level=\"warning\",role=\"e2md\",event=\"tls-refused\"} 2");
	shows(&text, "e2m_log_events_total{level=\"warning\",role=\"bsf\",event=\"ub-refused\"} 1");
	shows(&text, "e2m_log_events_total{level=\"error\",role=\"bsf\",event=\"ub-refused\"} 1");
	absent(&text, "bootstrap", "info and debug events are not counted");
	shows(&text, "e2m_store_errors_total 0");
	prom_text_free(&text);
	metrics_events_reset();
}

/* ---- a kernel that is a table ---------------------------------------- */

struct fake_kernel {
	bool loaded;
	int opened, closed, reads;
};

static int fake_open(void *arg)
{
	struct fake_kernel *k = arg;

	k->opened++;
	return k->loaded ? 0 : -ENOENT;
}

static int fake_read(void *arg, const char *device, struct e2m_dev *dev)
{
	struct fake_kernel *k = arg;

	k->reads++;
	if (strcmp(device, "e2m0"))
		return -ENODEV;
	snprintf(dev->name, sizeof(dev->name), "%s", device);
	dev->nflows = 3;
	/* Its own drops, and the totals with its flows' (deleted ones too). */
	dev->stats.value[E2M_STATS_A_DROP_NO_FLOW] = 7;
	dev->stats.value[E2M_STATS_A_DROP_AUTH] = 99;
	dev->totals.value[E2M_STATS_A_RX_PACKETS] = 10;
	dev->totals.value[E2M_STATS_A_RX_BYTES] = 840;
	dev->totals.value[E2M_STATS_A_TX_PACKETS] = 11;
	dev->totals.value[E2M_STATS_A_TX_BYTES] = 924;
	dev->totals.value[E2M_STATS_A_TX_STAGED] = 2;
	dev->totals.value[E2M_STATS_A_RX_STAGED] = 1;
	dev->totals.value[E2M_STATS_A_RX_STEERED] = 12;
	dev->totals.value[E2M_STATS_A_DROP_STEER_FULL] = 3;
	dev->totals.value[E2M_STATS_A_DROP_NO_FLOW] = 7;
	dev->totals.value[E2M_STATS_A_DROP_AUTH] = 4;
	dev->totals.value[E2M_STATS_A_DROP_REPLAY] = 5;
	dev->totals.value[E2M_STATS_A_DROP_CRYPTO] = 6;
	return 0;
}

static void fake_close(void *arg)
{
	((struct fake_kernel *)arg)->closed++;
}

static void test_kernel(void)
{
	struct fake_kernel k = { .loaded = true };
	const struct metrics_kernel_source source = {
		fake_open, fake_read, fake_close, &k,
	};
	const char *const devices[] = { "e2m0", "gone0" };
	struct prom_text text;

	prom_text_init(&text);
	metrics_kernel_write(&text, &source, devices, 0);
	ok(text.len == 0 && k.opened == 0,
	   "no device: no kernel series and no netlink at all");

	metrics_kernel_write(&text, &source, devices, 2);
	ok(k.opened == 1 && k.reads == 2 && k.closed == 1,
	   "one open, one read per device, one close per scrape");
	shows(&text, "e2m_kernel_module_loaded 1");
	shows(&text, "e2m_device_present{device=\"e2m0\"} 1");
	shows(&text, "e2m_device_present{device=\"gone0\"} 0");
	shows(&text, "e2m_device_flows{device=\"e2m0\"} 3");
	shows(&text, "e2m_device_packets_total{device=\"e2m0\",direction=\"rx\"} 10");
	shows(&text, "e2m_device_packets_total{device=\"e2m0\",direction=\"tx\"} 11");
	shows(&text, "e2m_device_bytes_total{device=\"e2m0\",direction=\"rx\"} 840");
	shows(&text, "e2m_device_bytes_total{device=\"e2m0\",direction=\"tx\"} 924");
	shows(&text, "e2m_device_staged_total{device=\"e2m0\",direction=\"rx\"} 1");
	shows(&text, "e2m_device_staged_total{device=\"e2m0\",direction=\"tx\"} 2");
	shows(&text, "# TYPE e2m_device_packets_total counter");
	absent(&text, "} 99", "the totals, not the device's own drops alone");
	shows(&text, "e2m_device_drops_total{device=\"e2m0\",reason=\"auth\"} 4");
	shows(&text, "e2m_device_drops_total{device=\"e2m0\",reason=\"replay\"} 5");
	shows(&text, "e2m_device_drops_total{device=\"e2m0\",reason=\"crypto\"} 6");
	shows(&text, "e2m_device_drops_total{device=\"e2m0\",reason=\"no-flow\"} 7");
	shows(&text, "e2m_device_drops_total{device=\"e2m0\",reason=\"inner\"} 0");
	shows(&text, "e2m_device_drops_total{device=\"e2m0\",reason=\"steer-full\"} 3");
	shows(&text, "e2m_device_rx_steered_total{device=\"e2m0\"} 12");
	shows(&text, "# TYPE e2m_device_drops_total counter");
	absent(&text, "gone0\",", "a device the module lacks has no counters");
	absent(&text, "flow=", "no per-flow label");
	prom_text_free(&text);

	k = (struct fake_kernel){ .loaded = false };
	prom_text_init(&text);
	metrics_kernel_write(&text, &source, devices, 2);
	shows(&text, "e2m_kernel_module_loaded 0");
	absent(&text, "e2m_device_", "no module: no device series");
	ok(k.reads == 0 && k.closed == 0, "no module: nothing read");
	prom_text_free(&text);
}

int main(void)
{
	test_reasons();
	test_http();
	test_events();
	test_kernel();
	return done_testing();
}
