/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few lines of TAP (Test Anything Protocol) for the unit tests: each test
 * is one "ok N - name" or "not ok N - name" line on stdout, which is what
 * the top-level runner counts. A test program ends with
 * "return done_testing();", non-zero if any test failed or the number run
 * differs from the plan.
 */
#ifndef E2M_TAP_H
#define E2M_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hex.h"

static struct {
	int planned;	/* -1: no plan, print it at the end */
	int run;
	int failed;
} tap = { -1, 0, 0 };

static inline void plan(int tests)
{
	tap.planned = tests;
	printf("1..%d\n", tests);
}

static inline int vok(int cond, const char *fmt, va_list ap)
{
	tap.run++;
	if (!cond)
		tap.failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap.run);
	vprintf(fmt, ap);
	putchar('\n');
	return cond;
}

static inline int __attribute__((format(printf, 2, 3)))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

/* Whether the len octets at p are all zero: a secret wiped. */
static inline bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* Passes if the len octets at got are the octets spelled by expected. */
static inline int __attribute__((format(printf, 4, 5)))
is_hex(const uint8_t *got, size_t len, const char *expected, const char *fmt,
       ...)
{
	char *got_hex = malloc(2 * len + 1);
	va_list ap;
	int cond;

	if (!got_hex) {
		perror("malloc");
		exit(2);
	}
	hex_encode(got_hex, got, len);
	cond = strcmp(got_hex, expected) == 0;
	va_start(ap, fmt);
	vok(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   got:      %s\n#   expected: %s\n", got_hex, expected);
	free(got_hex);
	return cond;
}

/* Decodes a hex test vector, which must be valid: a broken vector is a bug. */
static inline size_t unhex(uint8_t *out, size_t size, const char *hex)
{
	size_t len;

	if (hex_decode(out, size, &len, hex) != HEX_OK) {
		printf("Bail out! bad test vector %s\n", hex);
		exit(2);
	}
	return len;
}

static inline int done_testing(void)
{
	if (tap.planned < 0)
		printf("1..%d\n", tap.run);
	else if (tap.run != tap.planned)
		printf("# planned %d tests but ran %d\n", tap.planned, tap.run);
	if (tap.failed)
		printf("# failed %d of %d tests\n", tap.failed, tap.run);
	fflush(stdout);
	return tap.failed || (tap.planned >= 0 && tap.run != tap.planned);
}

#endif /* E2M_TAP_H */
