/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets share: a NUL-terminated copy of the input
 * for the functions that take C strings, and a loud stop when a property
 * the library promises does not hold (libFuzzer reports the abort as a
 * crash and keeps the input).
 */
#ifndef E2M_FUZZ_H
#define E2M_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd, NUL-terminated copy of data (NUL octets in it stay). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s does not hold\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

#endif /* E2M_FUZZ_H */
