// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/prov/prov_hss_plan.c: the delays between role prov's calls to
 * the HSS, which failures are logged, and the refusal reasons.
 */
#include "daemon/prov/prov_hss_plan.h"
#include "tap.h"

/* Fails n times with the same outcome; the delays and logs taken. */
static void fail(struct prov_hss_backoff *b, int n, enum prov_hss_outcome o,
		 int status, unsigned int *delays, bool *logs)
{
	struct prov_hss_step step;
	int i;

	for (i = 0; i < n; i++) {
		prov_hss_backoff_after(b, o, status, &step);
		delays[i] = step.delay;
		logs[i] = step.log_failure;
	}
}

static void doubling_to_the_cap(void)
{
	static const unsigned int want[12] = {
		2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300
	};
	struct prov_hss_backoff b = { 0 };
	unsigned int delays[12];
	bool logs[12];
	int i, logged = 0, same = 1;

	ok(!prov_hss_backoff_retrying(&b), "nothing failed yet: not a retry");
	fail(&b, 12, PROV_HSS_UNREACHABLE, 0, delays, logs);
	for (i = 0; i < 12; i++) {
		same &= delays[i] == want[i];
		logged += logs[i];
	}
	ok(same, "unreachable 12 times: 2 4 8 16 32 64 128 256 300 300 300 "
	   "300 s (got %u %u ... %u %u)", delays[0], delays[1], delays[8],
	   delays[11]);
	ok(logged == 9 && logs[8] && !logs[9] && !logs[10] && !logs[11],
	   "logged the 9 steps up to the cap, not the 3 at it (%d)", logged);
	ok(b.failures == 12 && prov_hss_backoff_retrying(&b),
	   "12 failures in a row: the next call is a retry");
}

static void a_change_is_logged(void)
{
	struct prov_hss_backoff b = { 0 };
	struct prov_hss_step s;
	unsigned int delays[9];
	bool logs[9];

	fail(&b, 9, PROV_HSS_UNREACHABLE, 0, delays, logs);
	prov_hss_backoff_after(&b, PROV_HSS_REFUSED, 404, &s);
	ok(s.delay == 300 && s.log_failure && s.failures == 10,
	   "at the cap, unreachable then refused 404: logged, still 300 s");
	prov_hss_backoff_after(&b, PROV_HSS_REFUSED, 404, &s);
	ok(s.delay == 300 && !s.log_failure, "404 again: not logged");
	prov_hss_backoff_after(&b, PROV_HSS_REFUSED, 409, &s);
	ok(s.delay == 300 && s.log_failure, "then 409: logged");
	prov_hss_backoff_after(&b, PROV_HSS_BAD_ANSWER, 200, &s);
	ok(s.delay == 300 && s.log_failure && s.failures == 13,
	   "then a 200 not this update's: logged");
	prov_hss_backoff_after(&b, PROV_HSS_LOCAL, 0, &s);
	ok(s.delay == 300 && s.log_failure, "then the store: logged");
}

static void success_resets(void)
{
	struct prov_hss_backoff b = { 0 };
	struct prov_hss_step s;
	unsigned int delays[4];
	bool logs[4];

	prov_hss_backoff_after(&b, PROV_HSS_OK, 200, &s);
	ok(s.delay == 0 && !s.log_recovered && !s.log_failure &&
	   s.failures == 0, "a success with nothing failed: the next at "
	   "once, nothing logged");
	fail(&b, 4, PROV_HSS_REFUSED, 409, delays, logs);
	ok(delays[3] == 16 && logs[0] && logs[3],
	   "409 four times: 16 s, each logged");
	prov_hss_backoff_after(&b, PROV_HSS_OK, 200, &s);
	ok(s.delay == 0 && s.log_recovered && s.failures == 4 &&
	   !prov_hss_backoff_retrying(&b),
	   "then a success: at once, recovered logged after 4 failures");
	prov_hss_backoff_after(&b, PROV_HSS_REFUSED, 409, &s);
	ok(s.delay == 2 && s.log_failure && s.failures == 1,
	   "the same 409 after it: 2 s again, logged as a first failure");
}

static void reasons(void)
{
	ok(prov_hss_reason_of("stale-counter") ==
	   PROV_HSS_REASON_STALE_COUNTER &&
	   prov_hss_reason_of("unknown-subscriber") ==
	   PROV_HSS_REASON_UNKNOWN_SUBSCRIBER &&
	   prov_hss_reason_of("forbidden") == PROV_HSS_REASON_FORBIDDEN &&
	   prov_hss_reason_of("bad-request") == PROV_HSS_REASON_BAD_REQUEST,
	   "the HSS's four refusal tokens are their reasons");
	ok(prov_hss_reason_of("internal-error") == PROV_HSS_REASON_OTHER &&
	   prov_hss_reason_of("") == PROV_HSS_REASON_OTHER &&
	   prov_hss_reason_of(NULL) == PROV_HSS_REASON_OTHER,
	   "any other token, empty or none: other");
	ok(!strcmp(prov_hss_reason_name(PROV_HSS_REASON_STALE_COUNTER),
		   "stale-counter") &&
	   !strcmp(prov_hss_reason_name(PROV_HSS_REASON_OTHER), "other") &&
	   !strcmp(prov_hss_reason_name(PROV_HSS_REASONS), "other"),
	   "names: the token, other, other out of range");
}

int main(void)
{
	plan(16);
	doubling_to_the_cap();
	a_change_is_logged();
	success_resets();
	reasons();
	return done_testing();
}
