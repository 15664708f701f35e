/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What unauthenticated clients may cost the HSS through Ub. The first
 * request of a bootstrap carries nothing but a claimed IMPI, yet a new
 * challenge takes a vector over Zh: an SQN step and a write on the HSS.
 * So, beside the reuse of a pending challenge of the same IMPI
 * (bsf_challenges.h):
 *
 *  - per source address, a token bucket: rate first requests a second,
 *    burst at once (UEs behind one NAT share it: it is generous);
 *  - per IMPI, one Zh call a window: a flood for one IMPI, or challenges
 *    spent by wrong answers, cost the HSS one vector a window at most. A
 *    bootstrap that verifies ends its IMPI's window, so a UE may
 *    bootstrap again at once. Where BSF processes share the store
 *    (workers, or instances on one PostgreSQL), the answer may verify
 *    at another process than the one whose window it ends: each window
 *    remembers the RAND of the challenge its Zh call made
 *    (bsf_limits_impi_challenged()), and before it refuses, the caller
 *    asks the store whether that RAND's session (its B-TID) exists: the
 *    proof, whichever process made it, that the window's challenge
 *    verified (bsf_ub.c).
 *
 * Each table keeps at most max entries, the least recently used dropped
 * first (which only ever errs towards allowing), and drops what no longer
 * limits anything (a full bucket, a window over) as it goes.
 *
 * Time is CLOCK_MONOTONIC in milliseconds, given by the caller (the tests
 * drive it).
 */
#ifndef E2MD_BSF_LIMITS_H
#define E2MD_BSF_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The defaults of roles.bsf.ub-source-rate and ub-impi-window. */
#define BSF_UB_SOURCE_RATE	500	/* first requests a second, a source */
#define BSF_UB_SOURCE_RATE_MAX	1000000
#define BSF_UB_IMPI_WINDOW	2	/* seconds: one Zh call an IMPI */
#define BSF_UB_IMPI_WINDOW_MAX	60
#define BSF_LIMITS_MAX		16384	/* sources, and IMPIs */
#define BSF_LIMITS_RAND_LEN	16	/* AKA_RAND_LEN */

struct bsf_limits;

struct bsf_limits_conf {
	unsigned int rate;		/* tokens a second, >= 1 */
	unsigned int burst;		/* >= 1 */
	uint64_t window_ms;		/* 0: no window */
	size_t max;			/* entries of each table, >= 1 */
};

/* 0 or -ENOMEM. */
int bsf_limits_new(struct bsf_limits **limits,
		   const struct bsf_limits_conf *conf);
void bsf_limits_free(struct bsf_limits *limits);

/* New rate, burst and window (a reload); max stays. */
void bsf_limits_configure(struct bsf_limits *limits,
			  const struct bsf_limits_conf *conf);

/* A first request from source (an address): whether it may go on. */
bool bsf_limits_source(struct bsf_limits *limits, const char *source,
		       uint64_t now_ms);

/*
 * A Zh call for impi: 0 when it may go (its window starts now), else the
 * milliseconds until it may.
 */
uint64_t bsf_limits_impi(struct bsf_limits *limits, const char *impi,
			 uint64_t now_ms);

/* impi bootstrapped: its window is over. */
void bsf_limits_impi_done(struct bsf_limits *limits, const char *impi);

/*
 * The challenge of impi's window was made with rand (its Zh call
 * answered); nothing when impi has no window.
 */
void bsf_limits_impi_challenged(struct bsf_limits *limits, const char *impi,
				const uint8_t rand[BSF_LIMITS_RAND_LEN]);

/*
 * Whether impi's window has a challenge made (its RAND in rand): the
 * session of that RAND in a shared store ends the window.
 */
bool bsf_limits_impi_rand(struct bsf_limits *limits, const char *impi,
			  uint8_t rand[BSF_LIMITS_RAND_LEN]);

/* Entries kept: sources, IMPIs. */
size_t bsf_limits_sources(const struct bsf_limits *limits);
size_t bsf_limits_impis(const struct bsf_limits *limits);

#endif /* E2MD_BSF_LIMITS_H */
