// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/prov/prov_metrics.c: role prov's series, the exact text of a
 * scrape, and the records counted by state from a real store.
 */
#include "daemon/prov/prov_metrics.h"
#include "store_fixture.h"

#define NEW_OPC	"f0e0d0c0b0a090807060504030201000"

static const char want[] =
	"# HELP e2m_prov_updates Key update records in the store, by state.\n"
	"# TYPE e2m_prov_updates gauge\n"
	"e2m_prov_updates{state=\"queued\"} 2\n"
	"e2m_prov_updates{state=\"usim-done\"} 1\n"
	"e2m_prov_updates{state=\"hss-done\"} 0\n"
	"# HELP e2m_prov_updates_failed_total Update sessions the USIM "
	"refused or that did not verify.\n"
	"# TYPE e2m_prov_updates_failed_total counter\n"
	"e2m_prov_updates_failed_total 3\n"
	"# HELP e2m_prov_hss_refusals_total The HSS's refusals of a key "
	"switch, by error token.\n"
	"# TYPE e2m_prov_hss_refusals_total counter\n"
	"e2m_prov_hss_refusals_total{reason=\"bad-request\"} 0\n"
	"e2m_prov_hss_refusals_total{reason=\"forbidden\"} 1\n"
	"e2m_prov_hss_refusals_total{reason=\"unknown-subscriber\"} 0\n"
	"e2m_prov_hss_refusals_total{reason=\"stale-counter\"} 4\n"
	"e2m_prov_hss_refusals_total{reason=\"other\"} 5\n"
	"# HELP e2m_prov_hss_retries_total Calls to the HSS made after a "
	"failed one.\n"
	"# TYPE e2m_prov_hss_retries_total counter\n"
	"e2m_prov_hss_retries_total 9\n"
	"# HELP e2m_prov_hss_retry_delay_seconds The HSS back-off's last "
	"delay; 0 after a success.\n"
	"# TYPE e2m_prov_hss_retry_delay_seconds gauge\n"
	"e2m_prov_hss_retry_delay_seconds 16\n";

static void add(struct store *store, const char *iccid, uint32_t counter,
		enum store_prov_state state)
{
	struct store_prov_update u = { .pub = { .imsi = TEST_IMSI,
						.counter = counter } };

	snprintf(u.pub.iccid, sizeof(u.pub.iccid), "%s", iccid);
	unhex(u.k, sizeof(u.k), SET1_K);
	unhex(u.opc, sizeof(u.opc), NEW_OPC);
	if (store_prov_update_add(store, &u) ||
	    (state > STORE_PROV_QUEUED &&
	     store_prov_update_advance(store, iccid, counter, state)))
		bail("a prov record");
	store_prov_update_wipe(&u);
}

int main(void)
{
	struct prov_metrics m = { .failed = 3, .retry_delay = 16 };
	struct store_key key;
	struct prom_text text;
	struct store *store;

	scratch_make("prov-metrics");
	test_key(&key, 0x21);
	store = open_store(scratch_path("prov.db"), &key);
	add(store, "8988211000000000001", 1, STORE_PROV_QUEUED);
	add(store, "8988211000000000002", 5, STORE_PROV_USIM_DONE);
	add(store, "8988211000000000003", 2, STORE_PROV_QUEUED);
	ok(!prov_metrics_count(store, &m) && m.have_updates &&
	   m.updates[STORE_PROV_QUEUED] == 2 &&
	   m.updates[STORE_PROV_USIM_DONE] == 1 &&
	   m.updates[STORE_PROV_HSS_DONE] == 0,
	   "the store's records: 2 queued, 1 usim-done, 0 hss-done");

	m.hss.refusals[PROV_HSS_REASON_FORBIDDEN] = 1;
	m.hss.refusals[PROV_HSS_REASON_STALE_COUNTER] = 4;
	m.hss.refusals[PROV_HSS_REASON_OTHER] = 5;
	m.hss.retries = 9;
	prom_text_init(&text);
	prov_metrics_write(&text, &m);
	ok(!prom_text_failed(&text) && text.len == strlen(want) &&
	   !memcmp(text.buf, want, text.len), "the scrape's text, exactly");
	if (text.len != strlen(want) || memcmp(text.buf, want, text.len))
		printf("# got:\n%.*s", (int)text.len, text.buf);
	prom_text_free(&text);

	m.have_updates = false;
	prom_text_init(&text);
	prov_metrics_write(&text, &m);
	ok(!strstr(text.buf, "e2m_prov_updates{") &&
	   strstr(text.buf, "e2m_prov_hss_retries_total 9\n"),
	   "a store not read: no records' gauge, the counters still");
	prom_text_free(&text);

	store_close(store);
	store_key_wipe(&key);
	scratch_remove();
	return done_testing();
}
