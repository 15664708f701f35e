/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When role prov calls the HSS again, and what it logs, apart from the
 * calls themselves (prov_hss.c) so that the delays can be tested exactly.
 *
 * One back-off for the HSS, not one per record: the HSS being down or
 * refusing is what makes calls fail, and a call that succeeds says it
 * is back. So:
 *
 *	a call succeeds		the next record goes at once; the delay
 *				starts again from the beginning
 *	a call fails		the next round after PROV_HSS_RETRY_MIN
 *				seconds the first time, then twice the last
 *				delay, at most PROV_HSS_RETRY_MAX
 *
 * giving 2, 4, 8, ... 256, 300, 300 ... seconds. A record that becomes
 * usim-done meanwhile is still sent at once (prov_hss_kick()), and a
 * reload (SIGHUP) starts a round at once: a new update, or an operator
 * who mended the HSS, does not wait for the back-off.
 *
 * A failure is logged when it changes something the operator sees: the
 * first one, one of another kind or status than the last (unreachable,
 * then refused with 404, ...), and one after which the delay grew. At
 * the cap, the same failure again is counted but not logged: the log
 * gets at most a line a back-off step. The first success after failures
 * is logged once (event=hss-recovered).
 */
#ifndef E2MD_PROV_HSS_PLAN_H
#define E2MD_PROV_HSS_PLAN_H

#include <stdbool.h>

#define PROV_HSS_RETRY_MIN	2	/* seconds, after a first failure */
#define PROV_HSS_RETRY_MAX	300	/* seconds, the cap */

/* What one call to the HSS came to. */
enum prov_hss_outcome {
	PROV_HSS_OK,		/* 200 with the IMSI, counter, KCVs sent */
	PROV_HSS_REFUSED,	/* 4xx: the HSS will not, as things are */
	PROV_HSS_UNREACHABLE,	/* no answer, TLS refused, or 5xx */
	PROV_HSS_BAD_ANSWER,	/* 200 that is not this update's answer */
	PROV_HSS_LOCAL,		/* our side: the store, memory */
};

/* The reasons of a refusal the metrics show: the HSS's error tokens. */
enum prov_hss_reason {
	PROV_HSS_REASON_BAD_REQUEST,
	PROV_HSS_REASON_FORBIDDEN,
	PROV_HSS_REASON_UNKNOWN_SUBSCRIBER,
	PROV_HSS_REASON_STALE_COUNTER,
	PROV_HSS_REASON_OTHER,		/* any other token, or none */
	PROV_HSS_REASONS
};

struct prov_hss_backoff {
	unsigned int delay;		/* seconds, the last one; 0: none */
	unsigned int failures;		/* calls failed in a row */
	enum prov_hss_outcome outcome;	/* the last failure's */
	int status;			/* its HTTP status, 0 without one */
};

/* What to do after a call. */
struct prov_hss_step {
	unsigned int delay;	/* seconds to the next round; 0: at once */
	bool log_failure;	/* log this failure (a change, above) */
	bool log_recovered;	/* a success after `failures` failures */
	unsigned int failures;	/* in a row, this one included */
};

/* The back-off after a call whose outcome and HTTP status are given. */
void prov_hss_backoff_after(struct prov_hss_backoff *b,
			    enum prov_hss_outcome outcome, int status,
			    struct prov_hss_step *step);

/* Whether the next call is a retry: the last one failed. */
bool prov_hss_backoff_retrying(const struct prov_hss_backoff *b);

/* The reason of an HSS's error token (NULL: none). */
enum prov_hss_reason prov_hss_reason_of(const char *token);
/* Its label: the token, or "other". */
const char *prov_hss_reason_name(enum prov_hss_reason reason);

#endif /* E2MD_PROV_HSS_PLAN_H */
