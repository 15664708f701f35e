// SPDX-License-Identifier: GPL-2.0
/*
 * CPU lists, see cpu_list.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cpu_list.h"

/* A decimal number at *p, at most limit - 1; *p moves past it. */
static int cpu_number(const char **p, unsigned long limit, unsigned long *cpu)
{
	unsigned long n = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	if (*s == '0' && s[1] >= '0' && s[1] <= '9')
		return -EINVAL;		/* no leading zeros: one spelling */
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (unsigned long)(*s - '0');
		if (n >= limit)
			return -ERANGE;
	}
	*p = s;
	*cpu = n;
	return 0;
}

/*
 * One pass over text: checks it and finds *used; sets the CPUs in words
 * when words is not NULL (the second pass, once the first said yes).
 */
static int cpu_list_walk(const char *text, unsigned long limit,
			 uint32_t *words, size_t *used)
{
	unsigned long first, last, cpu;
	const char *p = text;
	int ret;

	*used = 0;
	do {
		if ((ret = cpu_number(&p, limit, &first)))
			return ret;
		last = first;
		if (*p == '-') {
			p++;
			if ((ret = cpu_number(&p, limit, &last)))
				return ret;
			if (last < first)
				return -EINVAL;
		}
		for (cpu = first; words && cpu <= last; cpu++)
			words[cpu / 32] |= UINT32_C(1) << (cpu % 32);
		if (last / 32 + 1 > *used)
			*used = last / 32 + 1;
	} while (*p == ',' && ++p);
	return *p ? -EINVAL : 0;
}

int cpu_list_parse(const char *text, uint32_t *words, size_t max_words,
		   size_t *nwords)
{
	size_t used;
	int ret;

	if (!max_words)
		return -ERANGE;
	ret = cpu_list_walk(text, 32UL * max_words, NULL, &used);
	if (ret)
		return ret;
	memset(words, 0, used * sizeof(*words));
	cpu_list_walk(text, 32UL * max_words, words, &used);
	*nwords = used;
	return 0;
}

bool cpu_list_has(const uint32_t *words, size_t nwords, size_t cpu)
{
	return cpu / 32 < nwords && (words[cpu / 32] >> (cpu % 32)) & 1;
}

int cpu_list_format(const uint32_t *words, size_t nwords, char *out,
		    size_t size)
{
	size_t cpu, last, len = 0, total = 32 * nwords;
	int n;

	if (!size)
		return -ENOSPC;
	out[0] = '\0';
	for (cpu = 0; cpu < total; cpu = last + 1) {
		if (!cpu_list_has(words, nwords, cpu)) {
			last = cpu;
			continue;
		}
		for (last = cpu; cpu_list_has(words, nwords, last + 1); last++)
			;
		if (last >= cpu + 2)
			n = snprintf(out + len, size - len, "%s%zu-%zu",
				     len ? "," : "", cpu, last);
		else if (last == cpu + 1)
			n = snprintf(out + len, size - len, "%s%zu,%zu",
				     len ? "," : "", cpu, last);
		else
			n = snprintf(out + len, size - len, "%s%zu",
				     len ? "," : "", cpu);
		if (n < 0 || (size_t)n >= size - len) {
			out[0] = '\0';
			return -ENOSPC;
		}
		len += (size_t)n;
	}
	return (int)len;
}
